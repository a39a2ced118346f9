use super::*;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding, in lines of `width` characters each ending in `eol`.
fn encode_lines(data: &[u8], width: usize, eol: &[u8]) -> Vec<u8> {
    let mut chars = Vec::new();
    for group in data.chunks(3) {
        let mut word = [0u8; 3];
        word[..group.len()].copy_from_slice(group);
        let w = u32::from(word[0]) << 16 | u32::from(word[1]) << 8 | u32::from(word[2]);
        for k in 0..4 {
            if k <= group.len() {
                chars.push(ALPHABET[(w >> (18 - 6 * k) & 63) as usize]);
            } else {
                chars.push(b'=');
            }
        }
    }
    let mut out = Vec::new();
    for line in chars.chunks(width.max(1)) {
        out.extend_from_slice(line);
        out.extend_from_slice(eol);
    }
    out
}

/// The tolerant decoder of mail readers (as `mail_message::decode`'s scalar one): bytes outside
/// the alphabet skipped, stop at the first `=`, a trailing partial group decoded as far as it
/// goes. The reference the kernel plus the rest must equal.
fn tolerant(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut acc, mut n) = (0u32, 0);
    for &b in input {
        if b == b'=' {
            break;
        }
        let v = VALUE[usize::from(b)];
        if v == INVALID {
            continue;
        }
        acc = acc << 6 | u32::from(v);
        n += 1;
        if n == 4 {
            out.extend_from_slice(&acc.to_be_bytes()[1..]);
            (acc, n) = (0, 0);
        }
    }
    match n {
        2 => out.push((acc >> 4) as u8),
        3 => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
        _ => {}
    }
    out
}

/// Every path this CPU has on `input` (after `prefix` already in the output), held equal to
/// each other and to the tolerant decoder of the consumed part; returns what they consumed.
fn check(input: &[u8]) -> usize {
    let mut fast = b"prefix".to_vec();
    let used = decode_base64_lines(input, &mut fast);
    let mut slow = b"prefix".to_vec();
    let used_scalar = decode_base64_lines_scalar(input, &mut slow);
    assert_eq!(
        (used, &fast),
        (used_scalar, &slow),
        "{:?}",
        String::from_utf8_lossy(input)
    );
    for path in Path::ALL {
        let mut direct = b"prefix".to_vec();
        match decode_base64_lines_with(path, input, &mut direct) {
            Some(n) => assert_eq!((n, &direct), (used, &slow), "{path:?}"),
            None => assert_eq!(direct, b"prefix"),
        }
    }
    let (head, rest) = input.split_at(used);
    assert_eq!(fast[6..], tolerant(head));
    assert!(head.is_empty() || head.ends_with(b"\n"));
    // The invariant: the prefix and the rest decode to the whole.
    fast.extend_from_slice(&tolerant(rest));
    assert_eq!(fast[6..], tolerant(input));
    used
}

fn data(len: usize) -> Vec<u8> {
    (0..len as u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect()
}

#[test]
fn alphabet_table_and_the_kernel_agree_on_every_byte() {
    // Each byte value at each place of one 32-character line: the AVX2 classes and shifts
    // against the scalar table.
    for byte in 0..=255u8 {
        for at in 0..32 {
            let mut line = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldY".to_vec();
            line[at] = byte;
            line.extend_from_slice(b"\r\n");
            let ok = VALUE[usize::from(byte)] != INVALID;
            assert_eq!(check(&line), if ok { 34 } else { 0 }, "{byte:#x} at {at}");
        }
    }
}

/// The paths this CPU has, so that a run on a CPU without AVX-512 says so rather than passing
/// quietly on fewer paths.
#[test]
fn the_paths_this_cpu_has() {
    let input = encode_lines(&data(57 * 4), 76, b"\r\n");
    let taken: Vec<Path> = Path::ALL
        .into_iter()
        .filter(|&path| decode_base64_lines_with(path, &input, &mut Vec::new()).is_some())
        .collect();
    eprintln!("paths on this CPU: {taken:?}");
    assert!(taken.contains(&Path::Scalar));
    #[cfg(target_arch = "x86_64")]
    {
        let avx512 = std::is_x86_feature_detected!("avx512f")
            && std::is_x86_feature_detected!("avx512bw")
            && std::is_x86_feature_detected!("avx512vbmi");
        assert_eq!(taken.contains(&Path::Avx512), avx512);
        assert_eq!(
            taken.contains(&Path::Avx2),
            std::is_x86_feature_detected!("avx2")
        );
    }
    // Lines shorter than a 64-character block are left to the other paths.
    let short = encode_lines(&data(45 * 4), 60, b"\r\n");
    assert_eq!(
        decode_base64_lines_with(Path::Avx512, &short, &mut Vec::new()),
        None
    );
    assert_eq!(check(&short), 62 * 4);
}

#[test]
fn every_byte_at_every_place_of_a_64_character_block() {
    // Each byte value at each place of lines of 64 (one block) and 76 (blocks at 0 and 12, so
    // the places 12..64 are in both), the second of three lines: the AVX-512 lookup against
    // the scalar table.
    for (width, eol) in [(64, &b"\n"[..]), (76, b"\r\n")] {
        let input = encode_lines(&data(width / 4 * 3 * 3), width, eol);
        let stride = width + eol.len();
        for byte in 0..=255u8 {
            for at in 0..width {
                let mut input = input.clone();
                input[stride + at] = byte;
                let ok = VALUE[usize::from(byte)] != INVALID;
                let want = if ok { 3 * stride } else { stride };
                assert_eq!(check(&input), want, "{width} {byte:#x} at {at}");
            }
        }
    }
}

#[test]
fn every_line_length_and_ending() {
    let d = data(3000);
    for width in 1..=MAX_LINE + 8 {
        for eol in [&b"\r\n"[..], b"\n"] {
            let input = encode_lines(&d, width, eol);
            let used = check(&input);
            let regular = width % 4 == 0 && (MIN_LINE..=MAX_LINE).contains(&width);
            if regular {
                // Every line with its line break, but a short last one (with padding).
                assert_eq!(
                    used,
                    input.len() / (width + eol.len()) * (width + eol.len())
                );
            } else {
                assert_eq!(used, 0, "{width}");
            }
        }
    }
}

#[test]
fn a_bad_byte_at_every_place_of_a_line() {
    for (width, eol) in [
        (76, &b"\r\n"[..]),
        (76, b"\n"),
        (72, b"\n"),
        (72, b"\r\n"),
        (64, b"\r\n"),
        (100, b"\n"),
        (132, b"\r\n"),
    ] {
        let input = encode_lines(&data(width / 4 * 3 * 5), width, eol);
        let stride = width + eol.len();
        for line in 0..5 {
            for at in 0..stride {
                for bad in [b'=', b' ', b'\t', b'.', b'\r', b'\n', 0x80, 0xff, 0] {
                    let mut input = input.clone();
                    if input[line * stride + at] == bad {
                        continue;
                    }
                    input[line * stride + at] = bad;
                    let used = check(&input);
                    if bad == b'\n' || bad == b'\r' {
                        // A line break makes lines of other lengths: `check` holds the
                        // result to the tolerant decoder.
                        continue;
                    }
                    // Everything before the damaged line, never the damaged line itself
                    // (a line break moved earlier makes the first line another length).
                    assert!(used <= line * stride, "{width} {line} {at} {bad}");
                    if line > 0 {
                        assert_eq!(used, line * stride, "{width} {line} {at} {bad}");
                    }
                }
            }
        }
    }
}

#[test]
fn padding_empty_one_line_and_short_last_line() {
    assert_eq!(check(b""), 0);
    assert_eq!(check(b"\r\n"), 0);
    // One line and nothing after it: no line break, left to the caller.
    let one = encode_lines(&data(57), 76, b"");
    assert_eq!(check(&one), 0);
    // One line with its line break.
    let one = encode_lines(&data(57), 76, b"\r\n");
    assert_eq!(check(&one), 78);
    // Lines, then a short last line with padding.
    let lines = encode_lines(&data(57 * 3 + 10), 76, b"\r\n");
    assert_eq!(check(&lines), 78 * 3);
    // `=` inside a line of full length ends the run before it.
    let mut padded = encode_lines(&data(57 * 3), 76, b"\n");
    padded[77 + 74] = b'=';
    padded[77 + 75] = b'=';
    assert_eq!(check(&padded), 77);
    // A CRLF body with one LF line: the run stops there.
    let mut mixed = encode_lines(&data(57 * 3), 76, b"\r\n");
    mixed.remove(78 + 76);
    assert_eq!(check(&mixed), 78);
    // Lines of another length after the first: the run stops; a second call takes them.
    let mut two = encode_lines(&data(57 * 2), 76, b"\r\n");
    let more = encode_lines(&data(48 * 3), 64, b"\r\n");
    two.extend_from_slice(&more);
    let used = check(&two);
    assert_eq!(used, 78 * 2);
    assert_eq!(check(&two[used..]), 66 * 3);
}

#[test]
fn a_line_longer_than_the_longest_taken_is_left() {
    let long = encode_lines(&data(1500), MAX_LINE + 4, b"\r\n");
    assert_eq!(check(&long), 0);
    let longest = encode_lines(&data(3000), MAX_LINE, b"\r\n");
    assert_eq!(check(&longest), (MAX_LINE + 2) * 4);
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(500))]

    #[test]
    fn kernel_and_rest_equal_the_tolerant_decoder(
        bytes in proptest::collection::vec(proptest::arbitrary::any::<u8>(), 0..3000),
        width in proptest::prop_oneof![
            proptest::strategy::Just(76usize),
            proptest::strategy::Just(64),
            proptest::strategy::Just(72),
            (1usize..260),
        ],
        crlf in proptest::arbitrary::any::<bool>(),
        damage in proptest::collection::vec(
            (proptest::arbitrary::any::<usize>(), proptest::sample::select(
                vec![b'=', b' ', b'\r', b'\n', b'-', b'A', b'/', b'+', 0x80, 0xfe])),
            0..4,
        ),
    ) {
        let eol: &[u8] = if crlf { b"\r\n" } else { b"\n" };
        let mut input = encode_lines(&bytes, width, eol);
        for (at, byte) in damage {
            if !input.is_empty() {
                let at = at % input.len();
                input[at] = byte;
            }
        }
        check(&input);
    }
}

/// The streaming stores (forced, and from their size on): bodies of many batches of the
/// staging buffer (70 lines of 76 a batch), with a bad line in the first, at a batch's edges
/// and in a later one, and none, after 0 to 64 bytes already in the output (each length of the
/// part before the first 64-byte boundary), every width and line break the kernels
/// specialise and a general one, equal to the scalar path.
#[test]
fn streaming_stores_equal_the_scalar_path() {
    for (width, eol) in [
        (76, &b"\r\n"[..]),
        (76, b"\n"),
        (72, b"\r\n"),
        (64, b"\n"),
        (100, b"\r\n"),
        (996, b"\n"),
    ] {
        let lines = 300;
        let clean = encode_lines(&data(width / 4 * 3 * lines), width, eol);
        let stride = width + eol.len();
        for bad in [
            None,
            Some(0),
            Some(1),
            Some(69),
            Some(70),
            Some(71),
            Some(141),
            Some(299),
        ] {
            let mut input = clean.clone();
            if let Some(line) = bad {
                input[line * stride + 5] = b'*';
            }
            // And a last line that is shorter (the end of the body).
            input.extend_from_slice(b"QUJD\r\n");
            for before in [0, 1, 6, 31, 63, 64] {
                let mut want = vec![b'.'; before];
                let used = decode_base64_lines_scalar(&input, &mut want);
                assert_eq!(used, bad.unwrap_or(lines) * stride, "{width} {bad:?}");
                for path in Path::ALL {
                    let mut got = vec![b'.'; before];
                    if let Some(n) = decode_base64_lines_with(path, &input, &mut got) {
                        assert_eq!(n, used, "{path:?} {width} {bad:?} after {before}");
                        assert!(got == want, "{path:?} {width} {bad:?} after {before}");
                    }
                }
            }
        }
    }
    // From STREAM_MIN to STREAM_MAX bytes of output, the paths stream by themselves.
    for len in [STREAM_MIN - 3000, STREAM_MIN + 3000, STREAM_MAX + 3000] {
        let big = encode_lines(&data(len), 76, b"\r\n");
        let mut want = Vec::new();
        let used = decode_base64_lines_scalar(&big, &mut want);
        assert!(want.len() + 57 >= len);
        for path in Path::ALL {
            let mut got = Vec::new();
            if let Some(n) = decode_base64_lines_with(path, &big, &mut got) {
                assert_eq!(n, used, "{path:?} {len}");
                assert!(got == want, "{path:?} {len}");
            }
        }
    }
}
