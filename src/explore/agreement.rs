//! Per-row k-NN agreement between A and B: each row's Jaccard value, the least-agreeing rows,
//! and the rows inside a box of a plot.

/// A row and its k-NN Jaccard agreement between A and B.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowAgreement {
    /// The row (data order).
    pub row: usize,
    /// Its k-NN Jaccard agreement, in [0, 1].
    pub agreement: f64,
}

/// The agreement of every one of `n_rows` rows: the metric rows get theirs (`jaccard[k]` is the
/// value of `metric_rows[k]`), every other row NaN (it has none). Pairs past the shorter of the
/// two lists, and rows not below `n_rows`, are ignored.
pub fn agreement_per_row(n_rows: usize, metric_rows: &[usize], jaccard: &[f64]) -> Vec<f32> {
    let mut values = vec![f32::NAN; n_rows];
    for (&row, &j) in metric_rows.iter().zip(jaccard) {
        if let Some(v) = values.get_mut(row) {
            *v = j as f32;
        }
    }
    values
}

/// The `k` metric rows whose neighbourhoods A and B agree on least, lowest first (ties by row);
/// rows with a non-finite value are left out.
pub fn least_agreeing(metric_rows: &[usize], jaccard: &[f64], k: usize) -> Vec<RowAgreement> {
    let mut all: Vec<RowAgreement> = metric_rows
        .iter()
        .zip(jaccard)
        .filter(|(_, j)| j.is_finite())
        .map(|(&row, &agreement)| RowAgreement { row, agreement })
        .collect();
    all.sort_by(|p, q| p.agreement.total_cmp(&q.agreement).then(p.row.cmp(&q.row)));
    all.truncate(k);
    all
}

/// The rows whose plot coordinates `coords[row]` lie inside the box with corners `p` and `q`
/// (in any order, edges included); NaN coordinates are never inside.
pub fn rows_in_box(coords: &[[f32; 2]], p: [f64; 2], q: [f64; 2]) -> Vec<usize> {
    let (x0, x1) = (p[0].min(q[0]), p[0].max(q[0]));
    let (y0, y1) = (p[1].min(q[1]), p[1].max(q[1]));
    coords
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            let (x, y) = (f64::from(c[0]), f64::from(c[1]));
            (x0..=x1).contains(&x) && (y0..=y1).contains(&y)
        })
        .map(|(row, _)| row)
        .collect()
}
