//! Products whose A is mostly exact zeros, one non-zero element of A at a time.
//!
//! The pixels of images (63 % of `mnist-like`'s are 0, 81 % of real MNIST's) and the outputs of
//! ReLU layers are zero element by element, while a panel of the blocked product (`zeros.rs`)
//! can leave out a step of k only where all its 12 rows are zero: on `mnist-like` it runs 70 %
//! of the steps of a batch where 37 % of the elements are non-zero. Here each row of A is listed
//! as its non-zero elements (index and value, found 16 at a time by a compare and a compress),
//! and C is computed 128 columns at a time: for every listed element `a[i, k]`,
//! `c[i, ..] += a[i, k] · b[k, ..]`, the row's sums in 8 vector registers. The steps of k go in
//! passes of as many rows of B as fit in L1 (copied there aligned: B's own rows may straddle
//! cache lines), every row of A adding its listed elements of the pass before the next pass.
//!
//! The same chains as every kernel (`kernel.rs`): k cut into the same blocks, each block's terms
//! fused-multiply-added in order from zero and the block added to C, less the terms whose A
//! factor is ±0 — so the same bits as the dense product whenever B is finite (a skipped `0 · ∞`
//! would have been NaN, as with the listed steps of `zeros.rs`).
//!
//! Runs with AVX-512 when B's rows and C's rows are contiguous, A's rows are (or its columns,
//! for C at least 256 columns wide), and at most half of A is non-zero (the listing stops as
//! soon as more is: a dense A costs a fraction of one pass over it); otherwise the caller's
//! blocked product runs. The first layer's forward product on
//! a batch of `mnist-like` (`cargo bench --bench gemm -- images/fwd`) went from 235 to 285
//! GFLOP/s-equivalent on the AMD EPYC of issue 15.

use ndarray::{ArrayView2, ArrayViewMut2};
use std::cell::RefCell;

/// The largest share of non-zero elements of A (numerator, denominator) for which the listed
/// product runs. It does 55–65 % of the blocked kernel's multiply-adds per cycle, and the
/// blocked kernel runs every step of a panel where any of its 12 rows is non-zero: nearly all
/// of them in a ReLU layer's output, 70 % of them in a batch of `mnist-like`. Measured on
/// 256×256×784 with A a ReLU-like output (`images/relu_fwd`), the listed product is the faster
/// up to 60 % non-zero (at 43 %: 295 against 175–194 GFLOP/s-equivalent; at 52 %: 237 against
/// 175), and loses at 74 %; half leaves room for zeros that fall in whole columns (dead
/// units), which the blocked kernel skips as well.
const MAX_DENSITY: (usize, usize) = (1, 2);
/// Columns of C from which an A with its columns along memory (a weight gradient's `xᵀ`) is
/// listed. When its listing put each element in place one at a time, that cost more than it
/// saved at 128 columns (`images/dw`, the first layer's weight gradient per thread: 180 against
/// 208–231 GFLOP/s-equivalent) and less at 392 (`images/relu_dw`: 231–246 against 178–190).
/// Listed by blocks in registers (`list.rs`), 128 made the 70000×784 epoch neither faster nor
/// slower (medians 641–658 against 642–652 ms, alternating).
const MIN_COLUMNS_TRANSPOSED: usize = 256;
/// Products smaller than this many multiply-adds (m·k·n) are not worth listing.
const MIN_WORK: usize = 1 << 16;
/// Columns of C one pass over a row's list computes: 8 vectors of 16, held in registers (the
/// chunk kernel is instantiated for 1 to 8 vectors).
const CHUNK: usize = 128;

/// Floats of B's rows one pass over the rows of A reads: these cores' 32 KiB of L1 (6 to 12 Ki
/// measured within noise of each other; fewer cost more passes over the sums).
const STEPS_IN_L1: usize = 8192;

/// The non-zero elements of A row by row: row `i`'s are `starts[i]..starts[i + 1]` of `index`
/// (their k, increasing) and `value`.
#[derive(Default)]
struct Listed {
    starts: Vec<u32>,
    index: Vec<u32>,
    value: Vec<f32>,
    /// Scratch for the product: per row, the next element to sum; and the sums of a block.
    cursor: Vec<u32>,
    sums: Vec<f32>,
    /// Room for B's rows of one pass, aligned.
    panel: Vec<f32>,
}

impl Listed {
    /// Room for `most` elements and a whole vector stored from the last counted position.
    #[cfg(target_arch = "x86_64")]
    fn make_room(&mut self, most: usize) {
        let room = most + 16;
        if self.index.len() < room {
            self.index.resize(room, 0);
            self.value.resize(room, 0.0);
        }
    }
}

thread_local! {
    /// This thread's lists, reused between products.
    static LISTED: RefCell<Listed> = RefCell::new(Listed::default());
}

/// `c ← a·b` (`accumulate = false`) or `c ← c + a·b` over A's non-zero elements, when this
/// product is one for this path; returns whether it ran (if not, `c` is untouched).
pub(super) fn product(
    a: &ArrayView2<'_, f32>,
    b: &ArrayView2<'_, f32>,
    accumulate: bool,
    c: &mut ArrayViewMut2<'_, f32>,
) -> bool {
    let ((m, k), n) = (a.dim(), b.ncols());
    let along = a.strides()[1] == 1 || (a.strides()[0] == 1 && n >= MIN_COLUMNS_TRANSPOSED);
    let contiguous = along && b.strides()[1] == 1 && c.strides()[1] == 1;
    if !contiguous || m == 0 || n == 0 || k == 0 || m.saturating_mul(k).saturating_mul(n) < MIN_WORK
    {
        return false;
    }
    if u32::try_from(m.saturating_mul(k)).is_err() {
        return false;
    }
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512f") {
        let most = m * k * MAX_DENSITY.0 / MAX_DENSITY.1;
        let mut run = |listed: &mut Listed| {
            // SAFETY: the CPU has AVX-512 (checked above); the views' shapes and strides
            // describe readable (a, b) and writable (c) memory, and c aliases neither.
            unsafe { x86::product(a, b, accumulate, c, most, listed) }
        };
        return LISTED.with(|cell| match cell.try_borrow_mut() {
            Ok(mut listed) => run(&mut listed),
            // A product started while this thread waited inside another one.
            Err(_) => run(&mut Listed::default()),
        });
    }
    false
}

/// Columns of A sampled by [`lists_columns`].
const SAMPLED_COLUMNS: usize = 16;

/// Whether a product with A's columns along memory and C `n` wide runs here (on this CPU,
/// judged from a sample of A's columns): then halves of A's rows run here too, each over its own
/// non-zero elements, while the blocked product's halves of rows can differ in work by half
/// (`gemm::by_columns`).
pub(super) fn lists_columns(a: &ArrayView2<'_, f32>, n: usize) -> bool {
    let (m, k) = a.dim();
    let avx512 = {
        #[cfg(target_arch = "x86_64")]
        {
            std::arch::is_x86_feature_detected!("avx512f")
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            false
        }
    };
    if !avx512 || a.strides()[0] != 1 || n < MIN_COLUMNS_TRANSPOSED || m == 0 || k == 0 {
        return false;
    }
    let step = k.div_ceil(SAMPLED_COLUMNS);
    let (mut non_zero, mut seen) = (0usize, 0usize);
    for column in a.columns().into_iter().step_by(step) {
        non_zero += column.iter().filter(|&&v| v != 0.0).count();
        seen += column.len();
    }
    non_zero * MAX_DENSITY.1 <= seen * MAX_DENSITY.0
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::list::{list_columns, list_rows};
    use super::{CHUNK, Listed, STEPS_IN_L1};
    use crate::gemm::k_block_len;
    use crate::gemm::pack::aligned;
    use ndarray::{ArrayView2, ArrayViewMut2};
    use std::arch::x86_64::*;

    /// See [`super::product`]; `most` is the largest number of non-zero elements listed.
    ///
    /// # Safety
    /// The CPU has AVX-512F; rows of b and c are contiguous, and rows or columns of a (checked
    /// by the caller).
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn product(
        a: &ArrayView2<'_, f32>,
        b: &ArrayView2<'_, f32>,
        accumulate: bool,
        c: &mut ArrayViewMut2<'_, f32>,
        most: usize,
        listed: &mut Listed,
    ) -> bool {
        let ((m, k), n) = (a.dim(), b.ncols());
        let [rs, cs] = [a.strides()[0], a.strides()[1]];
        // SAFETY: a is m × k with contiguous rows (cs = 1) or columns (rs = 1).
        let fits = unsafe {
            if cs == 1 {
                list_rows(a.as_ptr(), rs, m, k, most, listed)
            } else {
                list_columns(a.as_ptr(), cs, m, k, most, listed)
            }
        };
        if !fits {
            return false;
        }
        let kc = k_block_len(k);
        let (b_ptr, b_rs) = (b.as_ptr(), b.strides()[0]);
        let (c_ptr, c_rs) = (c.as_mut_ptr(), c.strides()[0]);
        let (mut cursor, mut sums, mut panel) = (
            std::mem::take(&mut listed.cursor),
            std::mem::take(&mut listed.sums),
            std::mem::take(&mut listed.panel),
        );
        cursor.resize(m, 0);
        sums.resize(m * CHUNK, 0.0);
        for j0 in (0..n).step_by(CHUNK) {
            let width = CHUNK.min(n - j0);
            let lanes = width - (width - 1) / 16 * 16;
            let mut rows = Rows {
                m,
                k,
                kc,
                // SAFETY: column j0 < n of b and c.
                b: unsafe { b_ptr.add(j0) },
                b_rs,
                c: unsafe { c_ptr.add(j0) },
                c_rs,
                last: ((1u32 << lanes) - 1) as __mmask16,
                accumulate,
                cursor: &mut cursor,
                sums: &mut sums,
                panel: aligned(&mut panel, STEPS_IN_L1.max(CHUNK)),
            };
            macro_rules! by_vectors {
                ($($v:literal)*) => {
                    match width.div_ceil(16) {
                        // SAFETY: `width` columns from j0 lie inside b's and c's rows.
                        $($v => unsafe { chunk::<$v>(listed, &mut rows) },)*
                        // Invariant: 1 ≤ width ≤ CHUNK = 8 vectors of 16.
                        _ => unreachable!("a chunk is 1 to 8 vectors wide"),
                    }
                };
            }
            by_vectors!(1 2 3 4 5 6 7 8);
        }
        (listed.cursor, listed.sums, listed.panel) = (cursor, sums, panel);
        true
    }

    /// One chunk of columns: where B's and C's columns start, and how the rows go.
    struct Rows<'a> {
        m: usize,
        k: usize,
        kc: usize,
        b: *const f32,
        b_rs: isize,
        c: *mut f32,
        c_rs: isize,
        /// Lanes of the last vector inside the chunk.
        last: __mmask16,
        accumulate: bool,
        /// Per row, the next listed element not yet summed.
        cursor: &'a mut [u32],
        /// Room for the chunk of every row: a block of k's sums, when C cannot hold them.
        sums: &'a mut [f32],
        /// Room for the chunk of B's rows of one pass, 64-byte aligned ([`STEPS_IN_L1`]).
        panel: &'a mut [f32],
    }

    /// Every row of C in the chunk of `V` vectors (the last masked by `rows.last`).
    ///
    /// For each block of k (the blocked product's), its sums are built over steps of k few
    /// enough that their rows of B stay in L1 ([`STEPS_IN_L1`] floats), every row of A in turn
    /// adding its listed elements there to its sums; between steps the sums wait in C (the
    /// first block, writing over C) or in `sums` (then added to C), as the blocked kernels add
    /// each block's sum to C.
    ///
    /// # Safety
    /// The CPU has AVX-512F; the chunk's columns of every row of b (k rows) and c (m rows)
    /// lie inside them; every listed index is < k; `sums` holds m · 16 · V floats.
    #[target_feature(enable = "avx512f")]
    unsafe fn chunk<const V: usize>(listed: &Listed, rows: &mut Rows<'_>) {
        let Listed {
            starts,
            index,
            value,
            ..
        } = listed;
        let mask = |v: usize| if v + 1 == V { rows.last } else { 0xFFFF };
        let width = 16 * V;
        let span = (STEPS_IN_L1 / width).max(1);
        for (cursor, &start) in rows.cursor.iter_mut().zip(starts) {
            *cursor = start;
        }
        for (block, first) in (0..rows.k).step_by(rows.kc).enumerate() {
            let block_end = (first + rows.kc).min(rows.k);
            // The first block's sums are C's values unless they are added to C.
            let in_c = block == 0 && !rows.accumulate;
            let (sums, sums_rs) = if in_c {
                (rows.c, rows.c_rs)
            } else {
                (rows.sums.as_mut_ptr(), width as isize)
            };
            for from in (first..block_end).step_by(span) {
                let limit = (from + span).min(block_end) as u32;
                let fresh = from == first;
                // B's rows of this pass, copied where loads do not straddle cache lines.
                for (r, to) in (from..limit as usize).zip(rows.panel.chunks_exact_mut(width)) {
                    // SAFETY: row r < k of b; the chunk lies inside it; `to` holds V vectors.
                    unsafe {
                        let b_row = rows.b.offset(r as isize * rows.b_rs);
                        for v in 0..V {
                            let bv = _mm512_maskz_loadu_ps(mask(v), b_row.add(16 * v));
                            _mm512_storeu_ps(to.as_mut_ptr().add(16 * v), bv);
                        }
                    }
                }
                // Row k of the pass at `panel_k + k·width` (k ≥ from); the lists read through
                // pointers, so that the loop below keeps them in registers and checks no bounds.
                let panel_k = rows.panel.as_ptr().wrapping_sub(from * width);
                let (index_at, value_at) = (index.as_ptr(), value.as_ptr());
                for i in 0..rows.m {
                    let (mut e, end) = (rows.cursor[i] as usize, starts[i + 1] as usize);
                    if !fresh && (e == end || index[e] >= limit) {
                        continue;
                    }
                    // SAFETY: row i < m of the sums (C's chunk, or m rows of `width`).
                    let at = unsafe { sums.offset(i as isize * sums_rs) };
                    let mut acc = [_mm512_setzero_ps(); V];
                    if !fresh {
                        for (v, acc) in acc.iter_mut().enumerate() {
                            // SAFETY: as above.
                            *acc = unsafe { _mm512_maskz_loadu_ps(mask(v), at.add(16 * v)) };
                        }
                    }
                    while e < end {
                        // SAFETY: e < end = starts[i + 1], at most the number listed, which
                        // `index` and `value` hold.
                        let (step, a_ik) = unsafe { (*index_at.add(e), *value_at.add(e)) };
                        if step >= limit {
                            break;
                        }
                        let av = _mm512_set1_ps(a_ik);
                        // from ≤ step < limit (the lists go up in k, and the earlier steps were
                        // summed in earlier passes): a row of the panel.
                        let b_row = panel_k.wrapping_add(step as usize * width);
                        for (v, acc) in acc.iter_mut().enumerate() {
                            // SAFETY: as above (masked-off lanes were stored as zeros).
                            let bv = unsafe { _mm512_load_ps(b_row.add(16 * v)) };
                            *acc = _mm512_fmadd_ps(av, bv, *acc);
                        }
                        e += 1;
                    }
                    rows.cursor[i] = e as u32;
                    for (v, &acc) in acc.iter().enumerate() {
                        // SAFETY: as above.
                        unsafe { _mm512_mask_storeu_ps(at.add(16 * v), mask(v), acc) };
                    }
                }
            }
            if !in_c {
                for i in 0..rows.m {
                    // SAFETY: row i < m of c's chunk and of the sums.
                    unsafe {
                        let (to, from) =
                            (rows.c.offset(i as isize * rows.c_rs), sums.add(i * width));
                        for v in 0..V {
                            let sum = _mm512_add_ps(
                                _mm512_maskz_loadu_ps(mask(v), to.add(16 * v)),
                                _mm512_maskz_loadu_ps(mask(v), from.add(16 * v)),
                            );
                            _mm512_mask_storeu_ps(to.add(16 * v), mask(v), sum);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod list;
#[cfg(test)]
mod tests;
