//! The listing of A's non-zero elements row by row (see the parent module), from a matrix
//! whose rows lie along memory (16 at a time: a compare and a compress) or whose columns do
//! (counted per row, then each element put in its row's next place). x86 with AVX-512 only.

use super::Listed;
use std::arch::x86_64::*;

/// Lists the non-zero elements (neither +0 nor −0; NaN is listed) of the m × k matrix at
/// `a` (row stride `rs`, contiguous rows) into `listed`; false (and the lists unspecified) as
/// soon as there are more than `most`.
///
/// # Safety
/// The CPU has AVX-512F; the m rows of k floats are readable.
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn list_rows(
    a: *const f32,
    rs: isize,
    m: usize,
    k: usize,
    most: usize,
    listed: &mut Listed,
) -> bool {
    listed.make_room(most);
    listed.starts.clear();
    let steps = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    let mut count = 0usize;
    for i in 0..m {
        listed.starts.push(count as u32);
        // SAFETY: row i lies inside a.
        let row = unsafe { a.offset(i as isize * rs) };
        for k0 in (0..k).step_by(16) {
            if count > most {
                return false;
            }
            let lanes = (k - k0).min(16);
            let inside = ((1u32 << lanes) - 1) as __mmask16;
            // SAFETY: the masked lanes k0..k0 + lanes of row i are readable; count ≤ most,
            // so 16 floats from `count` fit in `room`.
            unsafe {
                let v = _mm512_maskz_loadu_ps(inside, row.add(k0));
                let non_zero =
                    _mm512_mask_cmp_ps_mask::<_CMP_NEQ_UQ>(inside, v, _mm512_setzero_ps());
                // Compressed in registers and stored whole: a compressing store to memory
                // is microcoded on Zen 4.
                let values = _mm512_maskz_compress_ps(non_zero, v);
                let at = _mm512_add_epi32(steps, _mm512_set1_epi32(k0 as i32));
                let index = _mm512_maskz_compress_epi32(non_zero, at);
                _mm512_storeu_ps(listed.value.as_mut_ptr().add(count), values);
                _mm512_storeu_si512(listed.index.as_mut_ptr().add(count).cast(), index);
                count += non_zero.count_ones() as usize;
            }
        }
    }
    listed.starts.push(count as u32);
    count <= most
}

/// [`list_rows`] for a matrix whose columns are contiguous (a transposed one: element
/// (i, k) at `a + i + k·cs`): the elements of each row counted first, one column of 16
/// rows at a time, then each non-zero element put at its row's next place.
///
/// # Safety
/// The CPU has AVX-512F; the k columns of m floats are readable.
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn list_columns(
    a: *const f32,
    cs: isize,
    m: usize,
    k: usize,
    most: usize,
    listed: &mut Listed,
) -> bool {
    listed.make_room(most);
    // Walks the non-zero lanes of every 16 rows of every column.
    let each = |visit: &mut dyn FnMut(usize, usize, __m512, __mmask16) -> bool| {
        for step in 0..k {
            // SAFETY: column `step` lies inside a.
            let column = unsafe { a.offset(step as isize * cs) };
            for i0 in (0..m).step_by(16) {
                let inside = ((1u32 << (m - i0).min(16)) - 1) as __mmask16;
                // SAFETY: the masked lanes i0.. of the column are readable.
                let v = unsafe { _mm512_maskz_loadu_ps(inside, column.add(i0)) };
                let non_zero =
                    _mm512_mask_cmp_ps_mask::<_CMP_NEQ_UQ>(inside, v, _mm512_setzero_ps());
                if non_zero != 0 && !visit(step, i0, v, non_zero) {
                    return false;
                }
            }
        }
        true
    };
    // Counts per row, in starts[1..].
    listed.starts.clear();
    listed.starts.resize(m + 1, 0);
    let mut count = 0usize;
    let counts = listed.starts[1..].as_mut_ptr();
    let counted = each(&mut |_, i0, _, non_zero| {
        // SAFETY: the lanes set in non_zero are rows i0.. < m of the m counts.
        unsafe {
            let at = counts.add(i0).cast::<i32>();
            let sum = _mm512_maskz_loadu_epi32(non_zero, at);
            let sum = _mm512_add_epi32(sum, _mm512_set1_epi32(1));
            _mm512_mask_storeu_epi32(at, non_zero, sum);
        }
        count += non_zero.count_ones() as usize;
        count <= most
    });
    if !counted {
        return false;
    }
    for i in 0..m {
        listed.starts[i + 1] += listed.starts[i];
    }
    listed.cursor.clear();
    listed.cursor.extend_from_slice(&listed.starts[..m]);
    let Listed {
        index,
        value,
        cursor,
        ..
    } = listed;
    each(&mut |step, i0, v, non_zero| {
        let mut lanes = [0f32; 16];
        // SAFETY: 16 floats.
        unsafe { _mm512_storeu_ps(lanes.as_mut_ptr(), v) };
        for lane in Lanes(non_zero) {
            let at = &mut cursor[i0 + lane];
            index[*at as usize] = step as u32;
            value[*at as usize] = lanes[lane];
            *at += 1;
        }
        true
    });
    true
}

/// The set lanes of a mask, lowest first.
struct Lanes(__mmask16);

impl Iterator for Lanes {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        (self.0 != 0).then(|| {
            let lane = self.0.trailing_zeros() as usize;
            self.0 &= self.0 - 1;
            lane
        })
    }
}
