//! `TOP n lines`: the header, the blank line, and `lines` lines of the body, cut out of a
//! stored message as it streams by (LF-only storage works the same way).

/// Cuts a message after its header and `remaining` body lines.
#[derive(Debug)]
pub(crate) struct TopFilter {
    header: bool,
    nonblank: bool,
    remaining: u32,
    /// Whether the wanted lines are all out.
    pub(crate) done: bool,
}

impl TopFilter {
    pub(crate) fn new(lines: u32) -> Self {
        Self {
            header: true,
            nonblank: false,
            remaining: lines,
            done: false,
        }
    }

    /// Hands the wanted part of `input` to `emit`.
    pub(crate) fn filter(&mut self, mut input: &[u8], mut emit: impl FnMut(&[u8])) {
        while !input.is_empty() && !self.done {
            let (seg, rest, newline) = match memchr::memchr(b'\n', input) {
                Some(at) => {
                    let (a, b) = input.split_at(at + 1);
                    (a, b, true)
                }
                None => (input, &[][..], false),
            };
            input = rest;
            emit(seg);
            if self.header {
                let content = seg.strip_suffix(b"\n").unwrap_or(seg);
                if content.iter().any(|&b| b != b'\r') {
                    self.nonblank = true;
                }
                if newline {
                    if !self.nonblank {
                        self.header = false;
                        self.done = self.remaining == 0;
                    }
                    self.nonblank = false;
                }
            } else if newline {
                self.remaining = self.remaining.saturating_sub(1);
                self.done = self.remaining == 0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn top(input: &[&[u8]], lines: u32) -> Vec<u8> {
        let mut f = TopFilter::new(lines);
        let mut out = Vec::new();
        for piece in input {
            f.filter(piece, |p| out.extend_from_slice(p));
        }
        out
    }

    #[test]
    fn top_cuts_after_header_and_lines() {
        let msg: &[u8] = b"A: 1\r\nB: 2\r\n\r\nl1\r\nl2\r\nl3\r\n";
        assert_eq!(top(&[msg], 0), b"A: 1\r\nB: 2\r\n\r\n");
        assert_eq!(top(&[msg], 2), b"A: 1\r\nB: 2\r\n\r\nl1\r\nl2\r\n");
        assert_eq!(top(&[msg], 9), msg);
        let pieces: Vec<&[u8]> = msg.chunks(1).collect();
        assert_eq!(top(&pieces, 1), b"A: 1\r\nB: 2\r\n\r\nl1\r\n");
        // LF-only storage works the same way.
        assert_eq!(top(&[b"A: 1\n\nx\ny\n"], 1), b"A: 1\n\nx\n");
    }
}
