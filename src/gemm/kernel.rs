//! The register-tiled micro-kernels: `C[0..m, 0..n] (+)= Σ_k A[·, k]·B[k, ·]` for one tile of
//! `mr` rows of A and `nr` columns of B, over `kc` steps of k.
//!
//! A is read with strides ([`Operands::a_rs`] between rows, [`Operands::a_ks`] between steps),
//! so a packed panel (`1`, `mr`), a row-major matrix (`ld`, `1`) and a transposed one (`1`, `ld`)
//! all run without copying. Each step of B is `n` contiguous floats (a packed panel or a row of
//! a row-major matrix), read with masked loads at the right edge.
//!
//! Every kernel computes each element of C the same way: a chain of fused multiply-adds over k
//! in order, starting from zero, then added to C (or written over it). So the AVX-512, AVX2 and
//! portable kernels give bit-identical results, whatever their tile shapes, and so does any split
//! of the work between threads.

/// Where one tile's operands lie.
#[derive(Clone, Copy)]
pub(crate) struct Operands {
    /// Element (r, k) of A is at `a + r·a_rs + k·a_ks`.
    pub a: *const f32,
    pub a_rs: isize,
    pub a_ks: isize,
    /// Step k of B is the `n` contiguous floats at `b + k·b_ks`.
    pub b: *const f32,
    pub b_ks: isize,
}

/// The tile of C: `m ≤ mr` rows and `n ≤ nr` columns at `c` with strides `rs`, `cs`; `add`
/// adds the product to it instead of writing over it.
#[derive(Clone, Copy)]
pub(crate) struct Tile {
    pub c: *mut f32,
    pub rs: isize,
    pub cs: isize,
    pub m: usize,
    pub n: usize,
    pub add: bool,
}

/// A micro-kernel and its tile shape.
#[derive(Clone, Copy)]
pub(crate) struct Kernel {
    /// Rows of A (and C) per tile.
    pub mr: usize,
    /// Columns of B (and C) per tile.
    pub nr: usize,
    run: unsafe fn(usize, Operands, Tile),
}

impl Kernel {
    /// Runs the kernel on one tile over `kc` steps of k.
    ///
    /// # Safety
    /// Elements (r, k) of A for `r < mr`, `k < kc` and the first `tile.n` floats of steps
    /// `k < kc` of B are readable (rows of A past `tile.m` may repeat a valid row: their results
    /// are dropped); the tile lies in writable memory aliased by neither A nor B; the CPU has the
    /// kernel's features (true for any kernel returned by [`best`]).
    #[inline]
    pub unsafe fn run(&self, kc: usize, ops: Operands, tile: Tile) {
        // SAFETY: passed on from the caller's contract.
        unsafe { (self.run)(kc, ops, tile) }
    }
}

/// The fastest kernel this CPU runs, decided once per process from its features.
pub(crate) fn best() -> Kernel {
    use std::sync::OnceLock;
    static BEST: OnceLock<Kernel> = OnceLock::new();
    *BEST.get_or_init(|| {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx512f") {
                return x86::AVX512;
            }
            if std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma")
            {
                return x86::AVX2;
            }
        }
        PORTABLE
    })
}

/// Every kernel this CPU can run, best first (for the tests).
#[cfg(test)]
pub(crate) fn available() -> Vec<Kernel> {
    #[allow(unused_mut)]
    let mut out = Vec::new();
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            out.push(x86::AVX512);
        }
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            out.push(x86::AVX2);
        }
    }
    out.push(PORTABLE);
    out
}

/// Writes (or adds) the `m × n` top-left part of a row-major tile with rows of `nr` into C.
///
/// # Safety
/// As [`Kernel::run`] for the tile.
#[inline(always)]
unsafe fn store_tile(acc: &[f32], nr: usize, t: Tile) {
    for i in 0..t.m {
        for j in 0..t.n {
            // SAFETY: (i, j) lies inside the tile the caller vouched for.
            let p = unsafe { t.c.offset(i as isize * t.rs + j as isize * t.cs) };
            let v = acc[i * nr + j];
            // SAFETY: as above.
            unsafe { *p = if t.add { *p + v } else { v } };
        }
    }
}

/// Portable kernel: 4 × 8 tiles with `f32::mul_add` (fused, as the SIMD kernels).
const PORTABLE: Kernel = Kernel {
    mr: 4,
    nr: 8,
    run: portable,
};

unsafe fn portable(kc: usize, ops: Operands, tile: Tile) {
    const MR: usize = 4;
    const NR: usize = 8;
    let mut acc = [0f32; MR * NR];
    let mut bk = [0f32; NR];
    let mut ak = [0f32; MR];
    for k in 0..kc as isize {
        // SAFETY: step k of B holds tile.n ≤ NR readable floats; (r, k) of A is readable.
        unsafe {
            let row = std::slice::from_raw_parts(ops.b.offset(k * ops.b_ks), tile.n);
            bk[..tile.n].copy_from_slice(row);
            for (r, v) in ak.iter_mut().enumerate() {
                *v = *ops.a.offset(r as isize * ops.a_rs + k * ops.a_ks);
            }
        }
        for (i, &av) in ak.iter().enumerate() {
            for (j, &bv) in bk.iter().enumerate() {
                acc[i * NR + j] = av.mul_add(bv, acc[i * NR + j]);
            }
        }
    }
    // SAFETY: passed on from the caller.
    unsafe { store_tile(&acc, NR, tile) }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{Kernel, Operands, Tile, store_tile};
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

    unsafe fn avx512(kc: usize, ops: Operands, tile: Tile) {
        // SAFETY: only reachable through `best`/`available`, which checked avx512f.
        unsafe {
            match (ops.a_rs == 1, tile.n == 32) {
                (true, true) => avx512_impl::<true, false>(kc, ops, tile),
                (true, false) => avx512_impl::<true, true>(kc, ops, tile),
                (false, true) => avx512_impl::<false, false>(kc, ops, tile),
                (false, false) => avx512_impl::<false, true>(kc, ops, tile),
            }
        }
    }

    /// `MASKED`: the tile is narrower than 32 columns (the right edge of the matrix), so B is
    /// read with masked loads.
    #[target_feature(enable = "avx512f")]
    unsafe fn avx512_impl<const UNIT_ROWS: bool, const MASKED: bool>(
        kc: usize,
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
        for _ in 0..kc {
            // SAFETY: (r, k) of A and the masked lanes of step k of B are readable (the
            // caller's contract); a and b advance by one step.
            unsafe {
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
                b = b.offset(ops.b_ks);
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

    unsafe fn avx2(kc: usize, ops: Operands, tile: Tile) {
        // SAFETY: only reachable through `best`/`available`, which checked avx2 and fma.
        unsafe {
            match (ops.a_rs == 1, tile.n == 16) {
                (true, true) => avx2_impl::<true, false>(kc, ops, tile),
                (true, false) => avx2_impl::<true, true>(kc, ops, tile),
                (false, true) => avx2_impl::<false, false>(kc, ops, tile),
                (false, false) => avx2_impl::<false, true>(kc, ops, tile),
            }
        }
    }

    /// `MASKED`: the tile is narrower than 16 columns (the right edge of the matrix), so B is
    /// read with masked loads.
    #[target_feature(enable = "avx2,fma")]
    unsafe fn avx2_impl<const UNIT_ROWS: bool, const MASKED: bool>(
        kc: usize,
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
        for _ in 0..kc {
            // SAFETY: (r, k) of A and step k of B (16 floats unless MASKED, and the masks cover
            // no more than n) are readable; a and b advance by one step.
            unsafe {
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
                b = b.offset(ops.b_ks);
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
}
