use super::*;
use crate::Path;

/// The definition, byte by byte: what every path must find.
fn plain(input: &[u8], start: usize) -> Vec<usize> {
    (start..input.len())
        .filter(|&i| input[i..].starts_with(b"--") && (i == start || input[i - 1] == b'\n'))
        .collect()
}

/// Every path this CPU has on `input` from `start`, held equal to the plain scan (after
/// positions already in the output, which stay).
fn check(input: &[u8], start: usize) {
    let want = plain(input, start);
    let mut got = vec![usize::MAX];
    dash_line_starts(input, start, &mut got);
    assert_eq!(
        got[1..],
        want,
        "{:?} from {start}",
        String::from_utf8_lossy(input)
    );
    let mut scalar = vec![usize::MAX];
    dash_line_starts_scalar(input, start, &mut scalar);
    assert_eq!(scalar, got);
    for path in Path::ALL {
        let mut direct = vec![usize::MAX];
        if dash_line_starts_with(path, input, start, &mut direct) {
            assert_eq!(direct, got, "{path:?}");
        } else {
            assert_eq!(direct, [usize::MAX], "{path:?}");
        }
    }
}

#[test]
fn finds_the_line_starts_with_two_dashes() {
    let input = b"--a\r\nb--\n--c--\n-\n- -\n---\n--";
    let mut out = Vec::new();
    dash_line_starts(input, 0, &mut out);
    assert_eq!(out, [0, 9, 21, 25]);
    check(input, 0);
    // From inside a line: that position counts as a line start.
    out.clear();
    dash_line_starts(input, 6, &mut out);
    assert_eq!(out, [6, 9, 21, 25]);
    check(input, 6);
}

#[test]
fn start_past_the_end_or_at_it_finds_nothing() {
    for start in [3, 4, 100] {
        let mut out = Vec::new();
        dash_line_starts(b"--\n", start, &mut out);
        assert_eq!(out, [0usize; 0]);
        check(b"--\n", start.min(3));
    }
}

#[test]
fn chunks_without_dashes_find_nothing() {
    // Base64 lines: chunks with line breaks and no dash (the fast case).
    let line = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n";
    let body: Vec<u8> = line.iter().copied().cycle().take(78 * 40).collect();
    let mut out = Vec::new();
    dash_line_starts(&body, 0, &mut out);
    assert!(out.is_empty());
    check(&body, 0);
    check(&body, 5);
}

/// A `--` line at every position of inputs up to two steps of four chunks and a bit long,
/// after `\n` or `\r\n`, and the same dashes after other bytes (no line start): the chunk and
/// step edges for the byte before (bit 0) and the byte after (the top bit), the steps and the
/// chunks after them and the tail, with every start before and at it.
#[test]
fn every_position_and_line_end_at_every_chunk_edge() {
    for len in [
        1, 2, 3, 63, 64, 65, 66, 127, 128, 129, 200, 255, 256, 257, 320, 511, 512, 513, 600,
    ] {
        for at in 0..len {
            for before in [&b"\n"[..], b"\r\n", b"a", b"-", b"\r"] {
                let mut input = vec![b'A'; len];
                let from = at.saturating_sub(before.len());
                input[from..at].copy_from_slice(&before[before.len() - (at - from)..]);
                input[at] = b'-';
                if at + 1 < len {
                    input[at + 1] = b'-';
                }
                for start in [0, 1, from, at.saturating_sub(1), at, at + 1] {
                    check(&input, start.min(len));
                }
            }
        }
    }
}

/// Runs of dashes and line breaks across chunk edges: `---` lines, `-\n-` pairs, a line of
/// dashes as long as a chunk.
#[test]
fn dash_runs_across_chunk_edges() {
    for shift in 0..300 {
        let mut input = vec![b'x'; shift];
        input.extend_from_slice(b"\n---\n-\n--\n");
        input.extend(std::iter::repeat_n(b'-', 64));
        input.extend_from_slice(b"\n\n--");
        input.extend(std::iter::repeat_n(b'\n', 65));
        input.extend_from_slice(b"--");
        for start in [0, 1, shift, shift + 1, shift + 2] {
            check(&input, start.min(input.len()));
        }
    }
}

/// Random inputs dense in `-`, `\n` and `\r`, of up to eleven chunks, from several starts.
#[test]
fn random_inputs_match_the_plain_scan() {
    let mut seed = 3u32;
    for _ in 0..4000 {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let n = (seed >> 8) as usize % 700;
        let mut input = Vec::with_capacity(n);
        for _ in 0..n {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            input.push(match seed >> 29 {
                0..=2 => b'-',
                3 | 4 => b'\n',
                5 => b'\r',
                _ => b'a',
            });
        }
        for start in [0, 1, n / 3, n / 2, n.saturating_sub(1), n] {
            check(&input, start);
        }
    }
}

proptest::proptest! {
    #[test]
    fn any_input_matches_the_plain_scan(
        input in proptest::collection::vec(
            proptest::sample::select(vec![b'-', b'\n', b'\r', b'a', 0, 0xff]),
            0..800,
        ),
        start in 0usize..800,
    ) {
        check(&input, start.min(input.len()));
    }
}

/// The same bytes at each of the 64 places relative to a cache line: each length of the short
/// chunk before the first aligned one, with dashes and line breaks on both sides of its end.
#[test]
fn every_alignment_of_the_input() {
    let mut pattern = Vec::new();
    for k in 0..40 {
        pattern.extend_from_slice(b"--x\n-\n");
        pattern.extend(std::iter::repeat_n(b'A', k * 7 % 61));
        pattern.extend_from_slice(b"\n--\r\n--");
    }
    let mut buf = vec![0u8; pattern.len() + 2 * CHUNK];
    for shift in 0..CHUNK {
        let input = &mut buf[shift..shift + pattern.len()];
        input.copy_from_slice(&pattern);
        for start in [0, 1, 2, 3, 5, 60, 64, 65] {
            check(input, start);
        }
    }
}
