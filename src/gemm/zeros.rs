//! The steps of k a panel of A needs: those at which some of its rows is not zero.
//!
//! The inputs of a network's first layer are often mostly zeros (the background of images is
//! exactly 0: 63 % of `mnist-like`'s pixels, 81 % of real MNIST's), and so are the columns of a
//! covariance product over such data. A panel of A is `mr` rows (12 with AVX-512) by a block of
//! k; in a batch of digits about a third of the steps of a 12-row panel are zero in all 12 rows
//! (half of them on real MNIST), in both the forward product `x·W` (12 images) and the weight
//! gradient `xᵀ·dz` (12 neighbouring pixels). The kernel then runs only the listed steps: the
//! same chains less their zero terms, so the same bits at a dense kernel's speed per step.

use std::cell::RefCell;
use std::slice;

use super::KC;
use super::kernel::Steps;
use crate::widest::widest;

/// Writes to the front of `list` the steps `k < kc` at which some of the `rows` rows of the A
/// panel at `a` (element (r, k) at `a + r·rs + k·ks`) is neither +0 nor −0, in increasing
/// order; returns how many there are.
///
/// # Safety
/// Elements (r, k) for `r < rows`, `k < kc` are readable; `kc ≤ KC` and `list` holds `kc`.
pub(super) unsafe fn nonzero_steps(
    a: *const f32,
    rs: isize,
    ks: isize,
    rows: usize,
    kc: usize,
    list: &mut [u16],
) -> usize {
    // Compiled for the CPU's widest vectors.
    widest(
        #[inline(always)]
        || {
            // A value's bits shifted left by one are zero exactly for ±0: OR-ing them needs no
            // compare and vectorizes.
            let bits = |v: &f32| v.to_bits() << 1;
            let mut flags = [0u32; KC];
            let flags = &mut flags[..kc];
            if ks == 1 {
                // Rows along memory (the forward product): OR each row into the flags.
                for r in 0..rows {
                    // SAFETY: row r's kc steps are readable and contiguous (ks = 1).
                    let row = unsafe { slice::from_raw_parts(a.offset(r as isize * rs), kc) };
                    for (f, v) in flags.iter_mut().zip(row) {
                        *f |= bits(v);
                    }
                }
            } else if rs == 1 {
                // Each step's rows along memory (a transposed A, or a packed panel).
                for (k, f) in flags.iter_mut().enumerate() {
                    // SAFETY: step k's rows are readable and contiguous (rs = 1).
                    let col = unsafe { slice::from_raw_parts(a.offset(k as isize * ks), rows) };
                    *f = col.iter().fold(0, |acc, v| acc | bits(v));
                }
            } else {
                for (k, f) in flags.iter_mut().enumerate() {
                    for r in 0..rows {
                        // SAFETY: (r, k) is readable.
                        *f |= bits(unsafe { &*a.offset(r as isize * rs + k as isize * ks) });
                    }
                }
            }
            // Branch-free: every step is written, the count moves past the needed ones only.
            let mut count = 0;
            for (k, &f) in flags.iter().enumerate() {
                list[count] = k as u16;
                count += usize::from(f != 0);
            }
            count
        },
    )
}

/// Packs the listed steps of the `rows`-row A panel at `a` (strides `rs`, `ks`) one after
/// another into `dst`: step `s` of the list at `dst[s·rows..(s + 1)·rows]`.
///
/// # Safety
/// Elements (r, k) for `r < rows` and every listed k are readable; `dst` holds
/// `rows · list.len()` floats.
pub(super) unsafe fn pack_steps(
    (a, rs, ks): (*const f32, isize, isize),
    rows: usize,
    list: &[u16],
    dst: &mut [f32],
) {
    let dst = &mut dst[..rows * list.len()];
    if rs == 1 {
        for (out, &k) in dst.chunks_exact_mut(rows).zip(list) {
            // SAFETY: step k's rows are readable and contiguous (rs = 1).
            out.copy_from_slice(unsafe { slice::from_raw_parts(a.offset(k as isize * ks), rows) });
        }
    } else {
        for r in 0..rows {
            // SAFETY: row r's element at each listed step is readable.
            let row = unsafe { a.offset(r as isize * rs) };
            for (s, &k) in list.iter().enumerate() {
                // SAFETY: as above; s·rows + r < dst.len().
                dst[s * rows + r] = unsafe { *row.offset(k as isize * ks) };
            }
        }
    }
}

/// The needed steps of every A panel of one product in every block of k: found while the
/// first block of columns is computed, reused for the others. Finding them stops, for the rest
/// of the product, once they have been found for a trial of panels and leave out less than a
/// sixteenth of the steps (dense data: the hidden layers of a network) — what is left out
/// there would not pay for the looking.
pub(super) struct Skipper<'a> {
    /// Per (panel, block): the count, then the steps.
    lists: &'a mut [u16],
    k_blocks: usize,
    slot: usize,
    /// Steps looked at, and of them needed, so far.
    looked: usize,
    needed: usize,
}

/// Steps looked at before finding them may stop (two panels' worth of a block).
const TRIAL_BLOCKS: usize = 2;

impl<'a> Skipper<'a> {
    /// The `u16`s [`Skipper::new`] needs for `panels` panels, `k_blocks` blocks of at most
    /// `kc_max` steps.
    pub(super) fn room(panels: usize, k_blocks: usize, kc_max: usize) -> usize {
        panels * k_blocks * (kc_max + 1)
    }

    /// A skipper over `lists` ([`Skipper::room`] long).
    pub(super) fn new(lists: &'a mut [u16], k_blocks: usize, kc_max: usize) -> Self {
        Skipper {
            lists,
            k_blocks,
            slot: kc_max + 1,
            looked: 0,
            needed: 0,
        }
    }

    /// The steps to run for `(panel, block)` of `kc` steps; found now when `first` (the first
    /// block of columns, where every (panel, block) comes once), else as found then.
    ///
    /// # Safety
    /// When `first`: the panel's `rows` rows and `kc ≤ KC` steps are readable at `a` with
    /// strides `(a, rs, ks)` (as for [`nonzero_steps`]).
    pub(super) unsafe fn steps(
        &mut self,
        (panel, block): (usize, usize),
        kc: usize,
        first: bool,
        (a, rs, ks): (*const f32, isize, isize),
        rows: usize,
    ) -> Steps<'_> {
        let at = (panel * self.k_blocks + block) * self.slot;
        if first {
            let worth = self.looked < TRIAL_BLOCKS * (self.slot - 1)
                || (self.looked - self.needed) * 16 >= self.looked;
            let count = if worth {
                let entry = &mut self.lists[at + 1..at + self.slot];
                // SAFETY: the caller's contract; the entry holds kc_max ≥ kc steps.
                let count = unsafe { nonzero_steps(a, rs, ks, rows, kc, entry) };
                self.looked += kc;
                self.needed += count;
                count
            } else {
                kc
            };
            self.lists[at] = count as u16;
        }
        let count = usize::from(self.lists[at]);
        if count < kc {
            Steps::Listed(&self.lists[at + 1..at + 1 + count])
        } else {
            Steps::All(kc)
        }
    }
}

thread_local! {
    /// This thread's lists of needed steps, reused between products.
    static LISTS: RefCell<Vec<u16>> = const { RefCell::new(Vec::new()) };
}

/// Runs `work` with a scratch buffer of at least `len` `u16`s for the lists of needed steps:
/// this thread's own, or a fresh one when it is already in use (a product started while this
/// thread waited inside another one).
pub(super) fn with_lists<R>(len: usize, work: impl FnOnce(&mut [u16]) -> R) -> R {
    let run = |buf: &mut Vec<u16>| {
        if buf.len() < len {
            buf.resize(len, 0);
        }
        work(&mut buf[..len])
    };
    LISTS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => run(&mut buf),
        Err(_) => run(&mut Vec::new()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    fn steps(a: *const f32, rs: isize, ks: isize, rows: usize, kc: usize) -> Vec<u16> {
        let mut list = vec![0u16; kc];
        // SAFETY: the callers pass views of owned arrays with these shapes.
        let n = unsafe { nonzero_steps(a, rs, ks, rows, kc, &mut list) };
        list.truncate(n);
        list
    }

    #[test]
    fn lists_the_steps_with_a_non_zero_in_any_row_for_every_layout() {
        // 3 rows × 40 steps: step 5 only in row 0, step 7 only in row 2 (as −0 elsewhere),
        // step 39 NaN in row 1; everything else ±0.
        let mut a = Array2::<f32>::zeros((3, 40));
        a[[0, 5]] = 1.0;
        a[[2, 7]] = -3.0;
        a[[1, 7]] = -0.0;
        a[[0, 20]] = -0.0;
        a[[1, 39]] = f32::NAN;
        let want = vec![5u16, 7, 39];
        assert_eq!(steps(a.as_ptr(), 40, 1, 3, 40), want, "rows along memory");
        let t = a.t().as_standard_layout().into_owned();
        assert_eq!(steps(t.as_ptr(), 1, 3, 3, 40), want, "steps along memory");
        let wide = Array2::from_shape_fn(
            (3, 80),
            |(i, j)| if j % 2 == 0 { a[[i, j / 2]] } else { 9.0 },
        );
        assert_eq!(steps(wide.as_ptr(), 80, 2, 3, 40), want, "strided");
        // Fewer steps than the panel holds: only the first kc are looked at.
        assert_eq!(steps(a.as_ptr(), 40, 1, 3, 6), vec![5u16]);
        assert!(steps(Array2::<f32>::zeros((2, 9)).as_ptr(), 9, 1, 2, 9).is_empty());
    }
}
