//! The listing of A's non-zero elements row by row (see the parent module), from a matrix
//! whose rows lie along memory (16 at a time: a compare and a compress) or whose columns do
//! (16 rows counted over every column, then 16 × 16 blocks transposed in registers and
//! compressed the same way). x86 with AVX-512 only.

use super::Listed;
use crate::gemm::transpose::transpose16;
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
/// (i, k) at `a + i + k·cs`), 16 rows at a time: their elements counted over every column (one
/// vector of counts), which places the 16 rows' lists after those of the rows before; then, in
/// blocks of 16 columns (read again, now from L1), the 16 × 16 block transposed in registers
/// and each row's non-zero elements compressed and stored at the row's next place, masked to
/// their count so that nothing past it is written.
///
/// Before, each element was put at its row's place one at a time (a branch per 16 rows of a
/// column that the CPU could not predict): 8.5 % of a 70000×784 autoencoder epoch's samples on
/// an Intel Xeon (its weight gradients list `xᵀ` and two ReLU outputs' transposes every batch);
/// this way about 3 %, and the first layer's weight gradient on `mnist-like` (`cargo bench --bench
/// gemm -- images/dw`) went from 365–376 to 451–484 GFLOP/s-equivalent, the decoder's last
/// layer's (`images/relu_dw`) from 353–355 to 395–396.
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
    listed.starts.clear();
    listed.starts.push(0);
    let steps = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    let (zero, one) = (_mm512_setzero_ps(), _mm512_set1_epi32(1));
    let mut total = 0usize;
    for i0 in (0..m).step_by(16) {
        let rows = (m - i0).min(16);
        let inside = ((1u32 << rows) - 1) as __mmask16;
        // Rows i0.. of column j (zeros past k).
        let column = |j: usize| {
            let mask = if j < k { inside } else { 0 };
            // SAFETY: the masked lanes are rows i0.. < m of column j < k, inside a; no other
            // lane is read.
            unsafe { _mm512_maskz_loadu_ps(mask, a.wrapping_offset(j as isize * cs).add(i0)) }
        };
        let mut counts = _mm512_setzero_si512();
        for j in 0..k {
            let non_zero = _mm512_cmp_ps_mask::<_CMP_NEQ_UQ>(column(j), zero);
            counts = _mm512_mask_add_epi32(counts, non_zero, counts, one);
        }
        let (mut count, mut place) = ([0u32; 16], [0u32; 16]);
        // SAFETY: 16 u32.
        unsafe { _mm512_storeu_si512(count.as_mut_ptr().cast(), counts) };
        for (place, &count) in place.iter_mut().zip(&count).take(rows) {
            *place = total as u32;
            total += count as usize;
            listed.starts.push(total as u32);
        }
        if total > most {
            return false;
        }
        if _mm512_test_epi32_mask(counts, counts) == 0 {
            // 16 rows without a non-zero element (image pixels that are 0 in every row).
            continue;
        }
        for k0 in (0..k).step_by(16) {
            let columns: [__m512; 16] = std::array::from_fn(|j| column(k0 + j));
            let at = _mm512_add_epi32(steps, _mm512_set1_epi32(k0 as i32));
            for (place, row) in place.iter_mut().zip(transpose16(columns)).take(rows) {
                let non_zero = _mm512_cmp_ps_mask::<_CMP_NEQ_UQ>(row, zero);
                let count = non_zero.count_ones();
                let first = ((1u32 << count) - 1) as __mmask16;
                // SAFETY: these `count` elements are among those counted for the row above,
                // so its next `count` places lie inside its part of the lists (≤ most).
                unsafe {
                    let to = *place as usize;
                    let values = _mm512_maskz_compress_ps(non_zero, row);
                    let index = _mm512_maskz_compress_epi32(non_zero, at);
                    _mm512_mask_storeu_ps(listed.value.as_mut_ptr().add(to), first, values);
                    _mm512_mask_storeu_epi32(
                        listed.index.as_mut_ptr().add(to).cast(),
                        first,
                        index,
                    );
                }
                *place += count;
            }
        }
    }
    true
}
