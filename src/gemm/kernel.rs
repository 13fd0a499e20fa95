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
//!
//! A kernel runs either every step of k or a listed subset ([`Steps::Listed`]): the steps at
//! which the tile's rows of A are not all zero (see `zeros.rs`). Leaving out a step whose A
//! factors are all ±0 leaves every chain as it was, so the listed run gives the same bits. A
//! listed run reads A as a packed panel of only the listed steps, one after another, and B at
//! the listed steps: only B's address comes from the list, so the loop keeps the registers of
//! the plain one.

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

/// Which steps of k a kernel runs, in increasing order.
#[derive(Clone, Copy)]
pub(crate) enum Steps<'a> {
    /// Steps `0..kc`.
    All(usize),
    /// Only these steps (each `< kc`, increasing) of B; A holds them one after another (a
    /// packed panel: unit row stride).
    Listed(&'a [u16]),
}

impl Steps<'_> {
    /// Number of steps run and the list (empty for [`Steps::All`]).
    #[inline(always)]
    fn parts(&self) -> (usize, &[u16], bool) {
        match *self {
            Steps::All(kc) => (kc, &[], false),
            Steps::Listed(list) => (list.len(), list, true),
        }
    }
}

/// The offset of the `s`-th step run: `s` itself, or the `s`-th listed step.
///
/// # Safety
/// `s < ` the number of steps, so a listed step exists.
#[inline(always)]
unsafe fn step<const LISTED: bool>(list: &[u16], s: usize) -> isize {
    if LISTED {
        // SAFETY: s < list.len() (the caller's contract).
        (unsafe { *list.get_unchecked(s) }) as isize
    } else {
        s as isize
    }
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
    run: unsafe fn(Steps<'_>, Operands, Tile),
}

impl Kernel {
    /// Runs the kernel on one tile over the given steps of k (all `kc`, or a list of them).
    ///
    /// # Safety
    /// Elements (r, k) of A for `r < mr`, `k < kc` and the first `tile.n` floats of steps
    /// `k < kc` of B are readable (every listed step is `< kc`) (rows of A past `tile.m` may repeat a valid row: their results
    /// are dropped); the tile lies in writable memory aliased by neither A nor B; the CPU has the
    /// kernel's features (true for any kernel returned by [`best`]).
    #[inline]
    pub unsafe fn run(&self, steps: Steps<'_>, ops: Operands, tile: Tile) {
        // SAFETY: passed on from the caller's contract.
        unsafe { (self.run)(steps, ops, tile) }
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

unsafe fn portable(steps: Steps<'_>, ops: Operands, tile: Tile) {
    const MR: usize = 4;
    const NR: usize = 8;
    let mut acc = [0f32; MR * NR];
    let mut bk = [0f32; NR];
    let mut ak = [0f32; MR];
    let (count, list, listed) = steps.parts();
    for s in 0..count {
        // SAFETY: s < count, the number of steps.
        let k = if listed {
            unsafe { step::<true>(list, s) }
        } else {
            s as isize
        };
        // SAFETY: step k of B holds tile.n ≤ NR readable floats; (r, s) of A is readable (A
        // holds the steps run, one after another).
        unsafe {
            let row = std::slice::from_raw_parts(ops.b.offset(k * ops.b_ks), tile.n);
            bk[..tile.n].copy_from_slice(row);
            for (r, v) in ak.iter_mut().enumerate() {
                *v = *ops.a.offset(r as isize * ops.a_rs + s as isize * ops.a_ks);
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
#[path = "kernel_x86.rs"]
mod x86;
