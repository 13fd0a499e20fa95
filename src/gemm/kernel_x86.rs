//! The x86 micro-kernels: AVX-512 (12 × 32 tiles) and AVX2 + FMA (6 × 16), each in a plain
//! and a listed-steps form (see the parent module).

use super::{Kernel, Operands, Steps, Tile, step, store_tile};
use std::arch::x86_64::*;

/// 12 × 32 tiles: 24 accumulators of 16 lanes, two loads of B and 12 broadcasts of A per
/// step of k (BLIS's Skylake-X sgemm shape, transposed for row-major C).
pub(super) const AVX512: Kernel = Kernel {
    mr: 12,
    nr: 32,
    run: avx512,
};

/// 6 × 16 tiles: 12 accumulators of 8 lanes (BLIS's Haswell sgemm shape).
pub(super) const AVX2: Kernel = Kernel {
    mr: 6,
    nr: 16,
    run: avx2,
};

/// Offsets of A's rows: with unit row stride (packed or transposed A) they are constants the
/// compiler folds into the loads.
#[inline(always)]
fn row_offsets<const MR: usize, const UNIT_ROWS: bool>(a_rs: isize) -> [isize; MR] {
    std::array::from_fn(|r| {
        if UNIT_ROWS {
            r as isize
        } else {
            r as isize * a_rs
        }
    })
}

unsafe fn avx512(steps: Steps<'_>, ops: Operands, tile: Tile) {
    let (kc, list, listed) = steps.parts();
    // SAFETY: only reachable through `best`/`available`, which checked avx512f.
    unsafe {
        match (ops.a_rs == 1, tile.n == 32, listed) {
            (true, true, false) => avx512_impl::<true, false, false>(kc, list, ops, tile),
            (true, false, false) => avx512_impl::<true, true, false>(kc, list, ops, tile),
            (false, true, false) => avx512_impl::<false, false, false>(kc, list, ops, tile),
            (false, false, false) => avx512_impl::<false, true, false>(kc, list, ops, tile),
            (true, true, true) => avx512_impl::<true, false, true>(kc, list, ops, tile),
            (true, false, true) => avx512_impl::<true, true, true>(kc, list, ops, tile),
            // A listed run's A is a packed panel (unit row stride).
            (false, _, true) => unreachable!("a listed run reads a packed A"),
        }
    }
}

/// `MASKED`: the tile is narrower than 32 columns (the right edge of the matrix), so B is
/// read with masked loads. `LISTED`: only the steps in `list` run (`kc` of them).
#[target_feature(enable = "avx512f")]
unsafe fn avx512_impl<const UNIT_ROWS: bool, const MASKED: bool, const LISTED: bool>(
    kc: usize,
    list: &[u16],
    ops: Operands,
    t: Tile,
) {
    const MR: usize = 12;
    // Lanes of B (and C) inside the tile: all 32 but at the right edge of the matrix.
    let lanes = |from: usize| -> __mmask16 {
        let k = t.n.saturating_sub(from).min(16);
        ((1u32 << k) - 1) as __mmask16
    };
    let (k0, k1) = (lanes(0), lanes(16));
    let rows = row_offsets::<MR, UNIT_ROWS>(ops.a_rs);
    let (mut a, mut b) = (ops.a, ops.b);
    let mut acc = [[_mm512_setzero_ps(); 2]; MR];
    for s in 0..kc {
        // SAFETY: (r, k) of A and the masked lanes of step k of B are readable (the
        // caller's contract); a and b move to the next step (listed: s < kc = list.len()).
        unsafe {
            if LISTED {
                b = ops.b.offset(step::<LISTED>(list, s) * ops.b_ks);
            }
            let (b0, b1) = if MASKED {
                (
                    _mm512_maskz_loadu_ps(k0, b),
                    _mm512_maskz_loadu_ps(k1, b.add(16)),
                )
            } else {
                (_mm512_loadu_ps(b), _mm512_loadu_ps(b.add(16)))
            };
            for (row, &off) in acc.iter_mut().zip(&rows) {
                let av = _mm512_set1_ps(*a.offset(off));
                row[0] = _mm512_fmadd_ps(av, b0, row[0]);
                row[1] = _mm512_fmadd_ps(av, b1, row[1]);
            }
            a = a.offset(ops.a_ks);
            if !LISTED {
                b = b.offset(ops.b_ks);
            }
        }
    }
    if t.cs == 1 {
        // Masked row stores: partial tiles at the right edge need no tile buffer.
        for (r, row) in acc.iter().enumerate().take(t.m) {
            // SAFETY: row r < m and the masked lanes j < n lie inside the tile.
            unsafe {
                let p = t.c.offset(r as isize * t.rs);
                let (mut v0, mut v1) = (row[0], row[1]);
                if t.add {
                    v0 = _mm512_add_ps(_mm512_maskz_loadu_ps(k0, p), v0);
                    v1 = _mm512_add_ps(_mm512_maskz_loadu_ps(k1, p.add(16)), v1);
                }
                _mm512_mask_storeu_ps(p, k0, v0);
                _mm512_mask_storeu_ps(p.add(16), k1, v1);
            }
        }
    } else {
        let mut buf = [0f32; MR * 32];
        for (r, row) in acc.iter().enumerate() {
            // SAFETY: buf has room for MR rows of 32.
            unsafe {
                _mm512_storeu_ps(buf.as_mut_ptr().add(r * 32), row[0]);
                _mm512_storeu_ps(buf.as_mut_ptr().add(r * 32 + 16), row[1]);
            }
        }
        // SAFETY: passed on from the caller.
        unsafe { store_tile(&buf, 32, t) }
    }
}

unsafe fn avx2(steps: Steps<'_>, ops: Operands, tile: Tile) {
    let (kc, list, listed) = steps.parts();
    // SAFETY: only reachable through `best`/`available`, which checked avx2 and fma.
    unsafe {
        match (ops.a_rs == 1, tile.n == 16, listed) {
            (true, true, false) => avx2_impl::<true, false, false>(kc, list, ops, tile),
            (true, false, false) => avx2_impl::<true, true, false>(kc, list, ops, tile),
            (false, true, false) => avx2_impl::<false, false, false>(kc, list, ops, tile),
            (false, false, false) => avx2_impl::<false, true, false>(kc, list, ops, tile),
            (true, true, true) => avx2_impl::<true, false, true>(kc, list, ops, tile),
            (true, false, true) => avx2_impl::<true, true, true>(kc, list, ops, tile),
            // A listed run's A is a packed panel (unit row stride).
            (false, _, true) => unreachable!("a listed run reads a packed A"),
        }
    }
}

/// `MASKED`: the tile is narrower than 16 columns (the right edge of the matrix), so B is
/// read with masked loads. `LISTED`: only the steps in `list` run (`kc` of them).
#[target_feature(enable = "avx2,fma")]
unsafe fn avx2_impl<const UNIT_ROWS: bool, const MASKED: bool, const LISTED: bool>(
    kc: usize,
    list: &[u16],
    ops: Operands,
    t: Tile,
) {
    const MR: usize = 6;
    let mask = |from: usize| {
        let lanes: [i32; 8] = std::array::from_fn(|j| if from + j < t.n { -1 } else { 0 });
        // SAFETY: reads the 8 i32 of `lanes`.
        unsafe { _mm256_loadu_si256(lanes.as_ptr().cast()) }
    };
    let (m0, m1) = (mask(0), mask(8));
    let rows = row_offsets::<MR, UNIT_ROWS>(ops.a_rs);
    let (mut a, mut b) = (ops.a, ops.b);
    let mut acc = [[_mm256_setzero_ps(); 2]; MR];
    for s in 0..kc {
        // SAFETY: (r, k) of A and step k of B (16 floats unless MASKED, and the masks cover
        // no more than n) are readable; a and b move to the next step (listed: s < kc =
        // list.len()).
        unsafe {
            if LISTED {
                b = ops.b.offset(step::<LISTED>(list, s) * ops.b_ks);
            }
            let (b0, b1) = if MASKED {
                (_mm256_maskload_ps(b, m0), _mm256_maskload_ps(b.add(8), m1))
            } else {
                (_mm256_loadu_ps(b), _mm256_loadu_ps(b.add(8)))
            };
            for (row, &off) in acc.iter_mut().zip(&rows) {
                let av = _mm256_set1_ps(*a.offset(off));
                row[0] = _mm256_fmadd_ps(av, b0, row[0]);
                row[1] = _mm256_fmadd_ps(av, b1, row[1]);
            }
            a = a.offset(ops.a_ks);
            if !LISTED {
                b = b.offset(ops.b_ks);
            }
        }
    }
    if t.cs == 1 && t.m == MR && t.n == 16 {
        for (r, row) in acc.iter().enumerate() {
            // SAFETY: a full tile: rows r < 6, columns < 16 are inside C.
            unsafe {
                let p = t.c.offset(r as isize * t.rs);
                let (mut v0, mut v1) = (row[0], row[1]);
                if t.add {
                    v0 = _mm256_add_ps(_mm256_loadu_ps(p), v0);
                    v1 = _mm256_add_ps(_mm256_loadu_ps(p.add(8)), v1);
                }
                _mm256_storeu_ps(p, v0);
                _mm256_storeu_ps(p.add(8), v1);
            }
        }
    } else {
        let mut buf = [0f32; MR * 16];
        for (r, row) in acc.iter().enumerate() {
            // SAFETY: buf has room for 6 rows of 16.
            unsafe {
                _mm256_storeu_ps(buf.as_mut_ptr().add(r * 16), row[0]);
                _mm256_storeu_ps(buf.as_mut_ptr().add(r * 16 + 8), row[1]);
            }
        }
        // SAFETY: passed on from the caller.
        unsafe { store_tile(&buf, 16, t) }
    }
}
