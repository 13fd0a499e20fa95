//! Packing a transposed B (`dz·Wᵀ`: B's columns are W's rows, contiguous along k) by 16 × 16
//! transposes in AVX-512 registers.
//!
//! Why: each step of a B panel needs 16 floats that lie one row of W apart. AVX-512 gathers fetch
//! them at about 2.4 cycles a float on the AMD EPYC measured (and slower on Intel cores with the
//! Gather Data Sampling mitigation), which made the input gradient of MNIST's widest layer at
//! batch 64 run at 121 GFLOP/s against 172 for the forward product of the same size. Here 16
//! contiguous loads of 16 floats along k are transposed by 64 two-source permutes and stored as
//! 16 steps: the same values in the same places, a fraction of a cycle a float. Measured
//! (`cargo bench --bench gemm -- _dx_`, same machine, alternating runs): 64×784×128 went from
//! 125–127 to 151–159 GFLOP/s, 256×784×256 from 166–167 to 193–199, digits' 64×128×64 from 71
//! to 84.

use std::arch::x86_64::*;

use super::pack::Strided;

/// The permute indices of one stage of the transpose (distance `s`: rows i and i + s swap the
/// `s`-lane blocks in which they differ). Lane l of the lower row takes lane l of itself where
/// `l & s == 0`, else lane `l − s` of the upper row (`upper = false`); lane l of the upper row
/// takes lane `l + s` of the lower row where `l & s == 0`, else lane l of itself (`upper =
/// true`). Indices ≥ 16 pick from the second operand (the upper row).
const fn stage_indices(s: usize, upper: bool) -> [i32; 16] {
    let mut out = [0i32; 16];
    let mut l = 0;
    while l < 16 {
        out[l] = match (l & s == 0, upper) {
            (true, false) => l as i32,
            (false, false) => (16 + l - s) as i32,
            (true, true) => (l + s) as i32,
            (false, true) => (16 + l) as i32,
        };
        l += 1;
    }
    out
}

/// The indices of the four stages, lower and upper rows.
const STAGES: [[[i32; 16]; 2]; 4] = [
    [stage_indices(8, false), stage_indices(8, true)],
    [stage_indices(4, false), stage_indices(4, true)],
    [stage_indices(2, false), stage_indices(2, true)],
    [stage_indices(1, false), stage_indices(1, true)],
];

/// One stage on the 16 rows `$r` (an array of `__m512`), rows i and i + `$s` for each i with
/// `i & $s == 0`; a macro so that every index is a constant and the rows stay in registers.
macro_rules! stage {
    ($r:ident, $s:literal, $at:literal) => {{
        // SAFETY: each reads 16 i32 from an array of 16.
        let (low, high) = unsafe {
            (
                _mm512_loadu_si512(STAGES[$at][0].as_ptr().cast()),
                _mm512_loadu_si512(STAGES[$at][1].as_ptr().cast()),
            )
        };
        let mut i = 0;
        while i < 16 {
            if i & $s == 0 {
                let (a, b) = ($r[i], $r[i + $s]);
                $r[i] = _mm512_permutex2var_ps(a, low, b);
                $r[i + $s] = _mm512_permutex2var_ps(a, high, b);
            }
            i += 1;
        }
    }};
}

/// Transposes the 16 × 16 matrix whose rows are `rows`: 2 × 2 block swaps at block sizes 8, 4,
/// 2 and 1 (the transpose of [[A, B], [C, D]] is [[Aᵀ, Cᵀ], [Bᵀ, Dᵀ]]).
#[inline]
#[target_feature(enable = "avx512f")]
pub(super) fn transpose16(mut rows: [__m512; 16]) -> [__m512; 16] {
    stage!(rows, 8, 0);
    stage!(rows, 4, 1);
    stage!(rows, 2, 2);
    stage!(rows, 1, 3);
    rows
}

/// [`super::pack::pack_b`] for a B with unit row stride (`b.rs == 1`: each column contiguous
/// along k): 16 columns by 16 steps at a time, loaded along k and transposed in registers.
/// Columns past `n` come out 0 (the padding); a last block of fewer than 16 steps is loaded
/// with masks.
///
/// # Safety
/// As [`super::pack::pack_b`]; `b.rs == 1`, `nr` is a multiple of 16, and the CPU has
/// AVX-512F.
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn pack_b_transposed(
    b: Strided,
    kc: usize,
    n: usize,
    nr: usize,
    dst: &mut [f32],
) {
    debug_assert!(b.rs == 1 && nr.is_multiple_of(16));
    for (q, panel) in dst
        .chunks_exact_mut(kc * nr)
        .take(n.div_ceil(nr))
        .enumerate()
    {
        for half in (0..nr).step_by(16) {
            let first = q * nr + half;
            let cols = n.saturating_sub(first).min(16);
            for k0 in (0..kc).step_by(16) {
                let steps = (kc - k0).min(16);
                let mask = ((1u32 << steps) - 1) as __mmask16;
                // All 16 rows loaded (a column past n with an empty mask: nothing is read), so
                // that the loops unroll and the rows stay in registers.
                let rows: [__m512; 16] = std::array::from_fn(|j| {
                    let mask = if j < cols { mask } else { 0 };
                    let at = b
                        .ptr
                        .wrapping_offset((first + j) as isize * b.cs + k0 as isize);
                    // SAFETY: the masked lanes are steps k0..k0 + steps < kc of column
                    // first + j < n, inside b (unit stride along k); no other lane is read.
                    unsafe { _mm512_maskz_loadu_ps(mask, at) }
                });
                let rows = transpose16(rows);
                let out = panel.as_mut_ptr().wrapping_add(k0 * nr + half);
                for (t, row) in rows.iter().enumerate() {
                    if t < steps {
                        // SAFETY: step k0 + t < kc of the panel has nr ≥ half + 16 floats.
                        unsafe { _mm512_storeu_ps(out.add(t * nr), *row) };
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gemm::pack::pack_b_portable;

    #[test]
    fn transposed_packing_puts_every_value_where_the_portable_one_does() {
        if !std::arch::is_x86_feature_detected!("avx512f") {
            return;
        }
        // W is rows × depth, row-major; B = Wᵀ (depth × rows) has unit row stride. Shapes on
        // both sides of 16 and 32, edges of every kind, and a row stride longer than the depth.
        for (n, kc) in [
            (1usize, 1usize),
            (15, 16),
            (16, 17),
            (33, 40),
            (70, 5),
            (32, 384),
            (129, 31),
        ] {
            let stride = kc + 3;
            let w: Vec<f32> = (0..n * stride).map(|i| i as f32 * 0.5 - 7.0).collect();
            let b = Strided {
                ptr: w.as_ptr(),
                rs: 1,
                cs: stride as isize,
            };
            let nr = 32;
            let len = n.div_ceil(nr) * nr * kc;
            let (mut fast, mut slow) = (vec![9.0f32; len], vec![-9.0f32; len]);
            // SAFETY: b covers kc steps of n columns; the buffers hold the padded panels.
            unsafe {
                pack_b_transposed(b, kc, n, nr, &mut fast);
                pack_b_portable(b, kc, n, nr, &mut slow);
            }
            assert_eq!(fast, slow, "n = {n}, kc = {kc}");
        }
    }
}
