//! The `--` line scan of mail-simd (where mail-message looks for boundary lines): its
//! AVX-512, AVX2 and scalar paths (those the CPU has) equal a plain byte-by-byte scan, from a
//! start taken from the input, over the input as given and shifted in memory (the scan reads
//! the bytes before the first 64-byte boundary apart from the rest).
#![no_main]

use libfuzzer_sys::fuzz_target;

fn plain(input: &[u8], start: usize) -> Vec<usize> {
    (start..input.len())
        .filter(|&i| input[i..].starts_with(b"--") && (i == start || input[i - 1] == b'\n'))
        .collect()
}

fn check(input: &[u8], start: usize) {
    let want = plain(input, start);
    let mut got = vec![usize::MAX];
    mail_simd::dash_line_starts(input, start, &mut got);
    assert_eq!(got[1..], want);
    let mut scalar = vec![usize::MAX];
    mail_simd::dash_line_starts_scalar(input, start, &mut scalar);
    assert_eq!(scalar, got);
    for path in mail_simd::Path::ALL {
        let mut direct = vec![usize::MAX];
        if mail_simd::dash_line_starts_with(path, input, start, &mut direct) {
            assert_eq!(direct, got, "{path:?}");
        } else {
            assert_eq!(direct, [usize::MAX], "{path:?}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    // The first two bytes: the start and the shift in memory; the rest the input.
    let (head, input) = data.split_at(data.len().min(2));
    let start = usize::from(head.first().copied().unwrap_or(0)) % (input.len() + 1);
    let shift = usize::from(head.get(1).copied().unwrap_or(0) % 64);
    check(input, start);
    let mut shifted = vec![0u8; shift + input.len()];
    shifted[shift..].copy_from_slice(input);
    check(&shifted[shift..], start);
    // The same bytes four times over: inputs of several steps of four chunks.
    let long = input.repeat(4);
    check(&long, start);
});
