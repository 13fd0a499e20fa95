//! splitmix64, the one deterministic hash of the plots: the draw order of scatter points and the
//! vertical jitter of a 1-D latent's strip come from it, so the screen and the PNG agree.

/// A deterministic 64-bit hash (splitmix64's finaliser of `z` + the golden-ratio increment).
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A fixed value in -1..1 for `row`: the vertical position of a 1-D latent's point in its strip.
pub fn jitter(row: usize) -> f64 {
    (mix64(row as u64) >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_reference_values_and_jitter_range() {
        // splitmix64 seeded with 0: its first output is the finaliser of the increment.
        assert_eq!(mix64(0), 0xE220_A839_7B1D_CDAF);
        assert!((0..10_000).map(jitter).all(|j| (-1.0..1.0).contains(&j)));
        assert_ne!(jitter(1), jitter(2));
    }
}
