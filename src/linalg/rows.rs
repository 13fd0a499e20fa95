//! Some rows of a matrix, in a given order, read in place: the training rows of the prepared
//! data without copying them (a copy of 56 000 × 784 is 176 MB, most of a fit's memory).

use ndarray::{Array2, ArrayView1, ArrayView2, ArrayViewMut1, ArrayViewMut2, Axis};

/// The rows `picked` of `x` in that order, or all of its rows.
#[derive(Debug, Clone, Copy)]
pub struct Rows<'a> {
    x: ArrayView2<'a, f32>,
    /// `None`: every row of `x`, in order.
    picked: Option<&'a [usize]>,
}

impl<'a> Rows<'a> {
    /// Every row of `x`.
    pub fn all(x: ArrayView2<'a, f32>) -> Rows<'a> {
        Rows { x, picked: None }
    }

    /// The rows `picked` of `x`, in that order.
    ///
    /// # Panics
    /// If an index is not a row of `x` (a caller's bug: the indices come from a split of `x`).
    pub fn picked(x: ArrayView2<'a, f32>, picked: &'a [usize]) -> Rows<'a> {
        assert!(
            picked.iter().all(|&i| i < x.nrows()),
            "a picked row is outside the matrix"
        );
        Rows {
            x,
            picked: Some(picked),
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.picked.map_or(self.x.nrows(), <[usize]>::len)
    }

    /// True without rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of columns.
    pub fn ncols(&self) -> usize {
        self.x.ncols()
    }

    /// Row `i` of these rows.
    pub fn row(&self, i: usize) -> ArrayView1<'a, f32> {
        let at = self.picked.map_or(i, |p| p[i]);
        self.x.index_axis_move(Axis(0), at)
    }

    /// Rows `start..end` of these rows.
    pub fn slice(&self, start: usize, end: usize) -> Rows<'a> {
        match self.picked {
            None => Rows::all(self.x.slice_move(ndarray::s![start..end, ..])),
            Some(p) => Rows {
                x: self.x,
                picked: Some(&p[start..end]),
            },
        }
    }

    /// The rows as one contiguous view when they are all of `x` (nothing to gather).
    pub fn as_view(&self) -> Option<ArrayView2<'a, f32>> {
        self.picked.is_none().then_some(self.x)
    }

    /// The rows `idx` of these rows, copied into the first rows of `dst`.
    pub fn gather_into(&self, idx: &[usize], mut dst: ArrayViewMut2<'_, f32>) {
        for (out, &i) in dst.rows_mut().into_iter().zip(idx) {
            copy_row(out, self.row(i));
        }
    }

    /// Rows `start..end` copied into the first rows of `dst`.
    pub fn copy_range_into(&self, start: usize, end: usize, mut dst: ArrayViewMut2<'_, f32>) {
        for (out, i) in dst.rows_mut().into_iter().zip(start..end) {
            copy_row(out, self.row(i));
        }
    }

    /// The rows, copied.
    pub fn to_owned(&self) -> Array2<f32> {
        match self.picked {
            None => self.x.to_owned(),
            Some(p) => self.x.select(Axis(0), p),
        }
    }

    /// Each row, in order.
    pub fn iter(&self) -> impl Iterator<Item = ArrayView1<'a, f32>> + '_ {
        (0..self.len()).map(|i| self.row(i))
    }
}

impl<'a> From<ArrayView2<'a, f32>> for Rows<'a> {
    fn from(x: ArrayView2<'a, f32>) -> Rows<'a> {
        Rows::all(x)
    }
}

/// `out ← row`: one `memcpy` when both are contiguous (the usual case), else element by element.
fn copy_row(mut out: ArrayViewMut1<'_, f32>, row: ArrayView1<'_, f32>) {
    match (out.as_slice_mut(), row.as_slice()) {
        (Some(out), Some(row)) => out.copy_from_slice(row),
        _ => out.assign(&row),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn picked_rows_read_in_their_order_without_a_copy_and_slice_as_rows() {
        let x = array![[0.0f32, 1.0], [2.0, 3.0], [4.0, 5.0], [6.0, 7.0]];
        let idx = [3, 0, 2];
        let rows = Rows::picked(x.view(), &idx);
        assert_eq!((rows.len(), rows.ncols()), (3, 2));
        assert_eq!(rows.row(0), x.row(3));
        assert_eq!(rows.to_owned(), array![[6.0, 7.0], [0.0, 1.0], [4.0, 5.0]]);
        assert_eq!(rows.slice(1, 3).to_owned(), array![[0.0, 1.0], [4.0, 5.0]]);
        assert!(rows.as_view().is_none());
        let mut dst = Array2::<f32>::zeros((3, 2));
        rows.gather_into(&[2, 0], dst.view_mut());
        assert_eq!(dst, array![[4.0, 5.0], [6.0, 7.0], [0.0, 0.0]]);
        rows.copy_range_into(1, 3, dst.view_mut());
        assert_eq!(dst.row(1), x.row(2));
        let all = Rows::all(x.view());
        assert_eq!(
            all.slice(2, 4).as_view().unwrap(),
            x.slice(ndarray::s![2..4, ..])
        );
        assert_eq!(all.iter().count(), 4);
    }

    #[test]
    #[should_panic(expected = "outside the matrix")]
    fn a_picked_row_outside_the_matrix_is_refused() {
        let x = Array2::<f32>::zeros((2, 2));
        let idx = [2];
        let _ = Rows::picked(x.view(), &idx);
    }
}
