//! Packing: copies a block of A into panels of `mr` rows and a block of B into panels of `nr`
//! columns, each laid out step by step of k so that the micro-kernel reads both contiguously.
//! Panels past the matrix edge are padded with zeros. The buffers are per thread and reused.

use std::cell::RefCell;

/// A strided read-only matrix: element (i, j) at `ptr + i·rs + j·cs`.
#[derive(Clone, Copy)]
pub(crate) struct Strided {
    pub ptr: *const f32,
    pub rs: isize,
    pub cs: isize,
}

impl Strided {
    /// The sub-matrix whose (0, 0) is element (i, j).
    ///
    /// # Safety
    /// (i, j) lies inside the matrix.
    #[inline(always)]
    pub(crate) unsafe fn from(self, i: usize, j: usize) -> Strided {
        Strided {
            // SAFETY: the caller keeps (i, j) inside the matrix.
            ptr: unsafe { self.ptr.offset(i as isize * self.rs + j as isize * self.cs) },
            ..self
        }
    }

    /// The element at (i, j).
    ///
    /// # Safety
    /// (i, j) lies inside the matrix.
    #[inline(always)]
    unsafe fn at(&self, i: usize, j: usize) -> f32 {
        // SAFETY: the caller keeps (i, j) inside the matrix.
        unsafe { *self.ptr.offset(i as isize * self.rs + j as isize * self.cs) }
    }
}

/// Packs rows `0..m`, columns `0..kc` of `a` into `m.div_ceil(mr)` panels of `kc · mr` floats:
/// panel p, step k, lane r holds `a[p·mr + r, k]` (zero for rows past `m`).
///
/// # Safety
/// `a` covers rows `0..m` and columns `0..kc`; `dst` holds `m.div_ceil(mr) · mr · kc` floats.
pub(crate) unsafe fn pack_a(a: Strided, m: usize, kc: usize, mr: usize, dst: &mut [f32]) {
    for (p, panel) in dst
        .chunks_exact_mut(kc * mr)
        .take(m.div_ceil(mr))
        .enumerate()
    {
        let rows = mr.min(m - p * mr);
        if a.cs == 1 {
            // Rows are contiguous: read each row along k, write with stride mr.
            for r in 0..rows {
                // SAFETY: row p·mr + r < m, columns < kc.
                let row = unsafe {
                    std::slice::from_raw_parts(a.ptr.offset((p * mr + r) as isize * a.rs), kc)
                };
                for (k, &v) in row.iter().enumerate() {
                    panel[k * mr + r] = v;
                }
            }
            if rows < mr {
                for step in panel.chunks_exact_mut(mr) {
                    step[rows..].fill(0.0);
                }
            }
        } else {
            for (k, step) in panel.chunks_exact_mut(mr).enumerate() {
                for (r, v) in step.iter_mut().enumerate() {
                    // SAFETY: row p·mr + r < m (checked), column k < kc.
                    *v = if r < rows {
                        unsafe { a.at(p * mr + r, k) }
                    } else {
                        0.0
                    };
                }
            }
        }
    }
}

/// Packs rows `0..kc`, columns `0..n` of `b` into `n.div_ceil(nr)` panels of `kc · nr` floats:
/// panel q, step k, lane j holds `b[k, q·nr + j]` (zero for columns past `n`).
///
/// # Safety
/// `b` covers rows `0..kc` and columns `0..n`; `dst` holds `n.div_ceil(nr) · nr · kc` floats.
pub(crate) unsafe fn pack_b(b: Strided, kc: usize, n: usize, nr: usize, dst: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if b.cs != 1 && nr.is_multiple_of(16) && std::arch::is_x86_feature_detected!("avx512f") {
        if b.rs == 1 {
            // SAFETY: the caller's contract, and the CPU has AVX-512F (checked just above).
            return unsafe { super::transpose::pack_b_transposed(b, kc, n, nr, dst) };
        }
        if b.cs
            .checked_mul(16)
            .is_some_and(|span| span.unsigned_abs() <= i32::MAX as usize / 4)
        {
            // SAFETY: the caller's contract, and the CPU has AVX-512F (checked just above).
            return unsafe { pack_b_gather(b, kc, n, nr, dst) };
        }
    }
    // SAFETY: the caller's contract.
    unsafe { pack_b_portable(b, kc, n, nr, dst) }
}

/// [`pack_b`] on any CPU, element by element.
///
/// # Safety
/// As [`pack_b`].
pub(crate) unsafe fn pack_b_portable(b: Strided, kc: usize, n: usize, nr: usize, dst: &mut [f32]) {
    for (q, panel) in dst
        .chunks_exact_mut(kc * nr)
        .take(n.div_ceil(nr))
        .enumerate()
    {
        let cols = nr.min(n - q * nr);
        if b.cs == 1 {
            for (k, step) in panel.chunks_exact_mut(nr).enumerate() {
                // SAFETY: row k < kc, columns q·nr .. q·nr + cols ≤ n.
                let src = unsafe {
                    std::slice::from_raw_parts(
                        b.ptr.offset(k as isize * b.rs + (q * nr) as isize),
                        cols,
                    )
                };
                step[..cols].copy_from_slice(src);
                step[cols..].fill(0.0);
            }
        } else {
            // Columns are (typically) contiguous: read each column along k.
            for j in 0..cols {
                for k in 0..kc {
                    // SAFETY: row k < kc, column q·nr + j < n.
                    panel[k * nr + j] = unsafe { b.at(k, q * nr + j) };
                }
            }
            if cols < nr {
                for step in panel.chunks_exact_mut(nr) {
                    step[cols..].fill(0.0);
                }
            }
        }
    }
}

/// [`pack_b`] for a B whose rows and columns are both strided: each step of
/// a panel is one AVX-512 gather of 16 columns, instead of 16 scalar reads and writes. The same
/// values land in the same places as in the scalar loop.
///
/// # Safety
/// As [`pack_b`]; `nr` is a multiple of 16, `16·|cs|` floats fit an i32 byte offset, and the CPU
/// has AVX-512F.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn pack_b_gather(b: Strided, kc: usize, n: usize, nr: usize, dst: &mut [f32]) {
    use std::arch::x86_64::*;
    // Byte offsets of 16 consecutive columns (the check in `pack_b` keeps them in an i32).
    let lanes: [i32; 16] = std::array::from_fn(|j| j as i32 * b.cs as i32 * 4);
    // SAFETY: reads the 16 i32 of `lanes`.
    let offsets = unsafe { _mm512_loadu_si512(lanes.as_ptr().cast()) };
    for (q, panel) in dst
        .chunks_exact_mut(kc * nr)
        .take(n.div_ceil(nr))
        .enumerate()
    {
        let cols = nr.min(n - q * nr);
        for half in (0..nr).step_by(16) {
            // Columns past n are not read and come out 0 (the padding).
            let lanes = cols.saturating_sub(half).min(16);
            if lanes == 0 {
                for step in panel.chunks_exact_mut(nr) {
                    step[half..half + 16].fill(0.0);
                }
                continue;
            }
            let mask = ((1u32 << lanes) - 1) as __mmask16;
            let first = (q * nr + half) as isize * b.cs;
            for (k, step) in panel.chunks_exact_mut(nr).enumerate() {
                // SAFETY: the masked lanes read row k < kc, columns q·nr + half + j < n, inside
                // b; the store writes 16 floats at `half` < nr of this step of the panel.
                unsafe {
                    let base = b.ptr.offset(k as isize * b.rs + first);
                    let v = _mm512_mask_i32gather_ps::<1>(_mm512_setzero_ps(), mask, offsets, base);
                    _mm512_storeu_ps(step.as_mut_ptr().add(half), v);
                }
            }
        }
    }
}

/// Floats of padding that let a buffer start on a 64-byte line.
const ALIGN: usize = 16;

thread_local! {
    static BUFFERS: RefCell<(Vec<f32>, Vec<f32>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// Runs `work` with two 64-byte-aligned scratch buffers of at least `a_len` and `b_len` floats:
/// this thread's own, reused between calls, or fresh ones when they are already in use (a
/// product started while this thread waited inside another one).
pub(crate) fn with_buffers<R>(
    a_len: usize,
    b_len: usize,
    work: impl FnOnce(&mut [f32], &mut [f32]) -> R,
) -> R {
    let run = |bufs: &mut (Vec<f32>, Vec<f32>)| {
        let a = aligned(&mut bufs.0, a_len);
        let b = aligned(&mut bufs.1, b_len);
        work(a, b)
    };
    BUFFERS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut bufs) => run(&mut bufs),
        Err(_) => run(&mut (Vec::new(), Vec::new())),
    })
}

/// A 64-byte-aligned slice of `len` floats inside `buf`, growing it if needed.
pub(super) fn aligned(buf: &mut Vec<f32>, len: usize) -> &mut [f32] {
    if buf.len() < len + ALIGN {
        buf.resize(len + ALIGN, 0.0);
    }
    let offset = buf.as_ptr().align_offset(64).min(ALIGN);
    &mut buf[offset..offset + len]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panels_hold_the_blocks_step_by_step_with_zero_padding() {
        // a: 3 × 2 row-major; mr = 2 → two panels, the second padded.
        let a = [1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0];
        let mut dst = vec![9.0; 2 * 2 * 2];
        let view = Strided {
            ptr: a.as_ptr(),
            rs: 2,
            cs: 1,
        };
        unsafe { pack_a(view, 3, 2, 2, &mut dst) };
        assert_eq!(dst, [1.0, 3.0, 2.0, 4.0, 5.0, 0.0, 6.0, 0.0]);
        // The same matrix stored column-major gives the same panels.
        let at = [1.0f32, 3.0, 5.0, 2.0, 4.0, 6.0];
        let mut dst2 = vec![9.0; 8];
        unsafe {
            pack_a(
                Strided {
                    ptr: at.as_ptr(),
                    rs: 1,
                    cs: 3,
                },
                3,
                2,
                2,
                &mut dst2,
            )
        };
        assert_eq!(dst, dst2);
        // b: 2 × 3 row-major; nr = 2 → panels [b00 b01 | b10 b11], [b02 0 | b12 0].
        let mut dst = vec![9.0; 2 * 2 * 2];
        unsafe {
            pack_b(
                Strided {
                    ptr: a.as_ptr(),
                    rs: 3,
                    cs: 1,
                },
                2,
                3,
                2,
                &mut dst,
            )
        };
        assert_eq!(dst, [1.0, 2.0, 4.0, 5.0, 3.0, 0.0, 6.0, 0.0]);
        let mut dst2 = vec![9.0; 8];
        let bt = [1.0f32, 4.0, 2.0, 5.0, 3.0, 6.0];
        unsafe {
            pack_b(
                Strided {
                    ptr: bt.as_ptr(),
                    rs: 1,
                    cs: 2,
                },
                2,
                3,
                2,
                &mut dst2,
            )
        };
        assert_eq!(dst, dst2);
    }

    #[test]
    fn buffers_are_aligned_and_nested_use_gets_fresh_ones() {
        with_buffers(100, 50, |a, b| {
            assert_eq!(a.as_ptr() as usize % 64, 0);
            assert_eq!(b.as_ptr() as usize % 64, 0);
            assert!(a.len() == 100 && b.len() == 50);
            let outer = a.as_ptr();
            with_buffers(10, 10, |inner, _| assert_ne!(inner.as_ptr(), outer));
        });
    }
}
