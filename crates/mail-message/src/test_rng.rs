//! The small deterministic generator the generated differential tests share.

/// The next state of the linear congruential generator (the constants of C's `rand`).
pub(crate) fn step(seed: u32) -> u32 {
    seed.wrapping_mul(1_103_515_245).wrapping_add(12_345)
}

/// Steps `seed` and returns a number below `n` (0 when `n` is 0) from its middle bits.
pub(crate) fn below(seed: &mut u32, n: u32) -> u32 {
    *seed = step(*seed);
    (*seed >> 8) % n.max(1)
}
