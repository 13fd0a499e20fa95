//! The f32 matrix products of training and PCA: one blocked algorithm (the loops of
//! BLIS) around a register-tiled micro-kernel chosen once per process from the CPU's features
//! (AVX-512: 12 × 32 tiles; AVX2 + FMA: 6 × 16; otherwise a portable 4 × 8).
//!
//! Why our own: faer's and matrixmultiply's kernels were tuned on other CPUs; with faer, our
//! epochs went from half of PyTorch's time on an AMD EPYC to 0.69 of it on an Intel Xeon
//! (issue 15), and at batch 64 packing cost as much as the arithmetic. The blocking here follows the caches every x86 server core of
//! the last decade has (≥ 32 KiB L1, ≥ 1 MiB L2), not one model's.
//!
//! Every element of C is the same chain of fused multiply-adds whichever kernel runs and however
//! the work is split: k is cut into the same blocks (depending only on k), each block is summed
//! in order from zero, and the blocks are added to C in order. So results depend only on the
//! shapes, never on the CPU's vector width or the number of threads.
//!
//! [`gemm`] splits large products into two halves of the output on [`crate::parallel`]'s two
//! threads; [`gemm_lower`] computes only the tiles on or below the diagonal (a Gram matrix).
//!
//! A panel of A (`mr` rows) that is zero in all its rows at some steps of k runs only the other
//! steps (`zeros.rs`): images have a background of exact zeros, so a third of the steps of the
//! first layer's products and of PCA's covariance on `mnist-like` (half on real MNIST) are
//! left out — with the same bits, since only terms `0·b` are. Where A is at most half non-zero
//! and the rows lie along memory (a batch of images, a ReLU layer's output), the product runs
//! over A's non-zero elements alone instead (`sparse.rs`), with the same bits again.

mod kernel;
mod pack;
mod sparse;
#[cfg(target_arch = "x86_64")]
mod transpose;
mod zeros;

use ndarray::{ArrayView2, ArrayViewMut2, Axis};

use crate::parallel::join;
use kernel::{Kernel, Operands, Steps, Tile};
use pack::{Strided, pack_a, pack_b, with_buffers};
use zeros::Skipper;

/// Multiply-adds (m·k·n) from which a product is split over two threads.
const PARALLEL_WORK: usize = 1 << 21;
/// Longest block of k summed in registers (the B panel, `KC · nr` floats, stays in L1/L2).
const KC: usize = 384;
/// Columns of B in one block (`KC · NC` floats: 384 KiB, within any of these cores' L2).
const NC: usize = 256;
/// Rows of A packed at once (`MC · KC` floats: 360 KiB).
const MC: usize = 240;
/// Blocks of B at least this many tiles wide run each A panel on the steps of k where it is not
/// all zero (`zeros.rs`); narrower ones would spend more on finding them than they save.
const SKIP_MIN_TILES: usize = 4;
/// Products with at most this many rows read B's rows in place when they are contiguous: few
/// A panels reuse each B panel, so packing would cost more than it saves.
const IN_PLACE_ROWS: usize = 96;

/// `c ← a·b` (`accumulate = false`) or `c ← c + a·b` (`accumulate = true`).
///
/// # Panics
/// If the shapes do not fit (`a` m×k, `b` k×n, `c` m×n).
pub fn gemm(
    a: ArrayView2<'_, f32>,
    b: ArrayView2<'_, f32>,
    accumulate: bool,
    c: ArrayViewMut2<'_, f32>,
) {
    let ((m, k), (k2, n)) = (a.dim(), b.dim());
    assert!(
        k == k2 && c.dim() == (m, n),
        "GEMM shapes do not fit: {m}×{k} · {k2}×{n} into {:?}",
        c.dim()
    );
    let kernel = kernel::best();
    let (m_tiles, n_tiles) = (m.div_ceil(kernel.mr), n.div_ceil(kernel.nr));
    if m.saturating_mul(k).saturating_mul(n) < PARALLEL_WORK || (m_tiles < 2 && n_tiles < 2) {
        product(kernel, a, b, accumulate, c, false);
    } else if ((m >= n && m_tiles >= 2) || n_tiles < 2) && !by_columns(&a, n, n_tiles) {
        // Each half reads all of B and half of A: split the longer side, so that the operand
        // both threads read whole is the smaller one.
        let half = (m / 2).div_ceil(kernel.mr) * kernel.mr;
        let (a_top, a_bottom) = a.split_at(Axis(0), half.min(m));
        let (c_top, c_bottom) = c.split_at(Axis(0), half.min(m));
        join(
            || product(kernel, a_top, b, accumulate, c_top, false),
            || product(kernel, a_bottom, b, accumulate, c_bottom, false),
        );
    } else {
        // The nearest whole number of tiles to half (784 columns: 384 + 400, not 416 + 368).
        let half = (n + kernel.nr) / (2 * kernel.nr) * kernel.nr;
        let (b_left, b_right) = b.split_at(Axis(1), half.min(n));
        let (c_left, c_right) = c.split_at(Axis(1), half.min(n));
        join(
            || product(kernel, a, b_left, accumulate, c_left, false),
            || product(kernel, a, b_right, accumulate, c_right, false),
        );
    }
}

/// Two independent products, `c1 ← a1·b1` and `c2 ← a2·b2` (`accumulate = false`): when
/// neither is large enough for [`gemm`] to split, one on each thread (the weight and input
/// gradients of a narrow layer: the same multiply-adds each, so the halves are even); otherwise
/// one after the other, each split. The bits are [`gemm`]'s either way.
///
/// # Panics
/// If the shapes of either product do not fit.
pub fn gemm_pair(
    (a1, b1, c1): (
        ArrayView2<'_, f32>,
        ArrayView2<'_, f32>,
        ArrayViewMut2<'_, f32>,
    ),
    (a2, b2, c2): (
        ArrayView2<'_, f32>,
        ArrayView2<'_, f32>,
        ArrayViewMut2<'_, f32>,
    ),
) {
    let work = |a: &ArrayView2<'_, f32>, b: &ArrayView2<'_, f32>| {
        a.nrows()
            .saturating_mul(a.ncols())
            .saturating_mul(b.ncols())
    };
    if work(&a1, &b1) < PARALLEL_WORK && work(&a2, &b2) < PARALLEL_WORK {
        join(|| gemm(a1, b1, false, c1), || gemm(a2, b2, false, c2));
    } else {
        gemm(a1, b1, false, c1);
        gemm(a2, b2, false, c2);
    }
}

/// Whether a product whose rows would otherwise be split goes to the threads by columns: when A
/// is a transposed matrix (its columns along memory: a weight gradient `xᵀ·dz`, A's rows are
/// features) and B is wide enough to skip A's zero steps. A's zeros cluster by feature (the
/// border pixels of images), so halves of its rows can differ in work by half; halves of B's
/// columns skip the same steps of the same panels.
///
/// Not when the product runs over A's non-zero elements (`sparse`): listing A's columns costs
/// each thread the whole of A for half of C, and a half of C's columns narrower than 256 is not
/// listed at all. The first layer's weight gradient on `mnist-like` (`images/dw_784x256x256`)
/// ran at 223–238 GFLOP/s-equivalent in halves of columns, 230–278 in halves of rows.
fn by_columns(a: &ArrayView2<'_, f32>, n: usize, n_tiles: usize) -> bool {
    a.strides()[0] == 1
        && a.ncols() > 1
        && n_tiles >= 2 * SKIP_MIN_TILES
        && !sparse::lists_columns(a, n)
}

/// `c ← a·b` on and below the diagonal of the square `c`, on this thread; the tiles wholly above
/// it are skipped and elements above it are left unspecified. With `b = aᵀ` this is a Gram
/// matrix in about half the work.
///
/// # Panics
/// If the shapes do not fit or `c` is not square.
pub fn gemm_lower(a: ArrayView2<'_, f32>, b: ArrayView2<'_, f32>, c: ArrayViewMut2<'_, f32>) {
    let ((m, k), (k2, n)) = (a.dim(), b.dim());
    assert!(
        k == k2 && c.dim() == (m, n) && m == n,
        "GEMM shapes do not fit a square product: {m}×{k} · {k2}×{n} into {:?}",
        c.dim()
    );
    product(kernel::best(), a, b, false, c, true);
}

/// The length of the blocks k is cut into (the last may be shorter): as even as `KC` allows,
/// depending on k alone, for every kernel and split.
pub(crate) fn k_block_len(k: usize) -> usize {
    k.div_ceil(k.div_ceil(KC).max(1)).max(1)
}

/// The blocked product on this thread (see [`gemm`] and [`gemm_lower`]).
///
/// Loops (BLIS's order): blocks of `NC` columns, then blocks of k (B's block packed once
/// unless it is read in place), then blocks of `MC` rows (A's block packed), then one A panel
/// of `mr` rows against every B panel of `nr` columns: the A panel stays in L1, B's block in L2.
fn product(
    kernel: Kernel,
    a: ArrayView2<'_, f32>,
    b: ArrayView2<'_, f32>,
    accumulate: bool,
    mut c: ArrayViewMut2<'_, f32>,
    lower: bool,
) {
    if !lower && sparse::product(&a, &b, accumulate, &mut c) {
        return;
    }
    product_skipping(kernel, a, b, accumulate, c, lower, true)
}

/// [`product`], with the steps where an A panel is all zero left out (`skip_zeros`, when the
/// block of B is wide enough to pay for finding them) or run like any other (for the tests that
/// both give the same bits).
fn product_skipping(
    kernel: Kernel,
    a: ArrayView2<'_, f32>,
    b: ArrayView2<'_, f32>,
    accumulate: bool,
    mut c: ArrayViewMut2<'_, f32>,
    lower: bool,
    skip_zeros: bool,
) {
    let ((m, k), n) = (a.dim(), b.ncols());
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        if !accumulate {
            c.fill(0.0);
        }
        return;
    }
    let (mr, nr) = (kernel.mr, kernel.nr);
    let kc_max = k_block_len(k);
    let k_blocks = k.div_ceil(kc_max);
    let mc_max = MC.min(m.div_ceil(mr) * mr);
    let nc_max = NC.min(n.div_ceil(nr) * nr);
    let strided = |v: &ArrayView2<'_, f32>| Strided {
        ptr: v.as_ptr(),
        rs: v.strides()[0],
        cs: v.strides()[1],
    };
    let (a_s, b_s) = (strided(&a), strided(&b));
    // Rows of B that are contiguous are read where they lie when few A panels reuse them.
    let b_in_place = b_s.cs == 1 && m <= IN_PLACE_ROWS;
    // A's panels are read in place when its rows or its columns are contiguous (all but the
    // partial last panel): each is reused from L1 across a block of B, so packing buys nothing.
    let a_in_place = a_s.cs == 1 || a_s.rs == 1;
    let b_len = if b_in_place { 0 } else { kc_max * nc_max };
    let (c_ptr, rs_c, cs_c) = (c.as_mut_ptr(), c.strides()[0], c.strides()[1]);

    // In place, A's buffer only holds the partial last panel.
    let a_len = if a_in_place {
        mr * kc_max
    } else {
        mc_max * kc_max
    };
    let skip = skip_zeros && n.div_ceil(nr) >= SKIP_MIN_TILES;
    let lists_len = if skip {
        Skipper::room(m.div_ceil(mr), k_blocks, kc_max)
    } else {
        0
    };
    // After A's buffer: room for one panel of only its needed steps.
    let compact_len = if skip { mr * kc_max } else { 0 };
    with_buffers(a_len + compact_len, b_len, |a_buffer, b_pack| {
        let (a_pack, compact) = a_buffer.split_at_mut(a_len);
        zeros::with_lists(lists_len, |lists| {
            let mut skipper = Skipper::new(lists, k_blocks, kc_max);
            for jc in (0..n).step_by(nc_max) {
                let nc = nc_max.min(n - jc);
                for kb in 0..k_blocks {
                    let pc = kb * kc_max;
                    let kc = kc_max.min(k - pc);
                    let add = accumulate || kb > 0;
                    // SAFETY: rows pc..pc+kc and columns jc..jc+nc lie inside b.
                    let b_block = unsafe { b_s.from(pc, jc) };
                    if !b_in_place {
                        // SAFETY: the block lies inside b; the buffer holds kc_max·nc_max floats
                        // with nc_max a multiple of nr.
                        unsafe { pack_b(b_block, kc, nc, nr, b_pack) };
                    }
                    for ic in (0..m).step_by(mc_max) {
                        let mc = mc_max.min(m - ic);
                        if lower && jc >= ic + mc {
                            continue;
                        }
                        // SAFETY: rows ic..ic+mc and columns pc..pc+kc lie inside a.
                        let a_block = unsafe { a_s.from(ic, pc) };
                        if !a_in_place {
                            // SAFETY: the block lies inside a; the buffer holds mc_max·kc_max ≥
                            // mc.div_ceil(mr)·mr·kc floats (mc_max is a multiple of mr).
                            unsafe { pack_a(a_block, mc, kc, mr, a_pack) };
                        }
                        for p in 0..mc.div_ceil(mr) {
                            let i0 = ic + p * mr;
                            let rows = mr.min(m - i0);
                            // SAFETY: row p·mr of the block lies inside a.
                            let panel = unsafe { a_block.from(p * mr, 0) };
                            let (a_ptr, a_rs, a_ks) = if !a_in_place {
                                (a_pack[p * kc * mr..].as_ptr(), 1, mr as isize)
                            } else if rows == mr {
                                (panel.ptr, a_s.rs, a_s.cs)
                            } else {
                                // The last, partial panel: packed with zero rows, so that the
                                // kernel reads nothing past A.
                                // SAFETY: rows p·mr.. p·mr + rows and columns ..kc lie inside a; the
                                // buffer holds ≥ mr·kc floats.
                                unsafe { pack_a(panel, rows, kc, mr, a_pack) };
                                (a_pack.as_ptr(), 1, mr as isize)
                            };
                            let (steps, a_ptr, a_rs, a_ks) = if skip {
                                let at = (ic / mr + p, kb);
                                // SAFETY: the panel's mr rows (in place or packed) and kc ≤ KC
                                // steps are readable.
                                let steps = unsafe {
                                    skipper.steps(at, kc, jc == 0, (a_ptr, a_rs, a_ks), mr)
                                };
                                match steps {
                                    Steps::Listed(list) => {
                                        // SAFETY: as above; the listed steps are < kc and
                                        // `compact` holds mr·kc_max floats.
                                        unsafe {
                                            zeros::pack_steps(
                                                (a_ptr, a_rs, a_ks),
                                                mr,
                                                list,
                                                compact,
                                            )
                                        };
                                        (steps, compact.as_ptr(), 1, mr as isize)
                                    }
                                    Steps::All(_) => (steps, a_ptr, a_rs, a_ks),
                                }
                            } else {
                                (Steps::All(kc), a_ptr, a_rs, a_ks)
                            };
                            for q in 0..nc.div_ceil(nr) {
                                let j0 = jc + q * nr;
                                if lower && j0 >= i0 + rows {
                                    break;
                                }
                                let cols = nr.min(n - j0);
                                let (b_ptr, b_ks) = if b_in_place {
                                    // SAFETY: column q·nr of the block lies inside b.
                                    (unsafe { b_block.ptr.add(q * nr) }, b_s.rs)
                                } else {
                                    (b_pack[q * kc * nr..].as_ptr(), nr as isize)
                                };
                                let ops = Operands {
                                    a: a_ptr,
                                    a_rs,
                                    a_ks,
                                    b: b_ptr,
                                    b_ks,
                                };
                                // SAFETY: the tile at (i0, j0) of rows × cols lies inside c, which
                                // is borrowed mutably and so aliases neither a nor b.
                                let tile = Tile {
                                    c: unsafe {
                                        c_ptr.offset(i0 as isize * rs_c + j0 as isize * cs_c)
                                    },
                                    rs: rs_c,
                                    cs: cs_c,
                                    m: rows,
                                    n: cols,
                                    add,
                                };
                                // SAFETY: A's panel (in place, or packed with zero rows) covers mr
                                // rows and kc steps; step k of B's panel holds `cols` contiguous
                                // floats at b_ptr + k·b_ks (packed or in place); the kernel came
                                // from `kernel::best`.
                                unsafe { kernel.run(steps, ops, tile) };
                            }
                        }
                    }
                }
            }
        })
    });
}

#[cfg(test)]
mod tests;
