//! Unit tests of the explorer's numeric parts.

use super::*;
use crate::data::{Preprocess, Scaler};
use crate::methods::LatentModel;
use crate::methods::pca::Pca;
use ndarray::{Array2, array};

#[test]
fn agreement_goes_to_metric_rows_only() {
    let v = agreement_per_row(5, &[1, 3, 9], &[0.5, 0.25, 1.0]);
    assert_eq!(v.len(), 5);
    assert_eq!((v[1], v[3]), (0.5, 0.25));
    assert!(v[0].is_nan() && v[2].is_nan() && v[4].is_nan());
    // mismatched lengths: the shorter wins
    let v = agreement_per_row(3, &[0, 1, 2], &[0.1]);
    assert_eq!(v[0], 0.1);
    assert!(v[1].is_nan());
    assert!(agreement_per_row(0, &[0], &[1.0]).is_empty());
}

#[test]
fn least_agreeing_is_lowest_first_ties_by_row_and_skips_nan() {
    let rows = [10, 11, 12, 13, 14];
    let j = [0.5, 0.1, f64::NAN, 0.1, 0.0];
    let top = least_agreeing(&rows, &j, 3);
    let got: Vec<_> = top.iter().map(|r| (r.row, r.agreement)).collect();
    assert_eq!(got, vec![(14, 0.0), (11, 0.1), (13, 0.1)]);
    assert_eq!(least_agreeing(&rows, &j, 100).len(), 4);
    assert!(least_agreeing(&[], &[], 20).is_empty());
}

#[test]
fn rows_in_box_takes_corners_in_any_order_and_skips_nan() {
    let coords = [
        [0.0, 0.0],
        [1.0, 1.0],
        [2.0, 0.5],
        [f32::NAN, 0.5],
        [1.5, 3.0],
    ];
    assert_eq!(rows_in_box(&coords, [0.5, 0.0], [2.0, 1.0]), vec![1, 2]);
    assert_eq!(rows_in_box(&coords, [2.0, 1.0], [0.5, 0.0]), vec![1, 2]);
    assert_eq!(
        rows_in_box(&coords, [-1.0, -1.0], [9.0, 9.0]),
        vec![0, 1, 2, 4]
    );
    assert!(rows_in_box(&coords, [5.0, 5.0], [6.0, 6.0]).is_empty());
    assert!(rows_in_box(&coords, [f64::NAN, 0.0], [9.0, 9.0]).is_empty());
}

#[test]
fn mean_latent_ignores_non_finite_values() {
    let z = array![
        [1.0f32, f32::NAN],
        [3.0, f32::NAN],
        [f32::INFINITY, f32::NAN]
    ];
    assert_eq!(mean_latent(z.view()), vec![2.0, 0.0]);
    assert_eq!(
        mean_latent(Array2::<f32>::zeros((0, 3)).view()),
        vec![0.0; 3]
    );
}

#[test]
fn ranges_skip_non_finite_values() {
    let x = array![
        [1.0f32, f32::NAN, 0.0],
        [-2.0, f32::NAN, f32::INFINITY],
        [5.0, f32::NAN, 3.0]
    ];
    assert_eq!(
        column_ranges(x.view()),
        vec![(-2.0, 5.0), (0.0, 0.0), (0.0, 3.0)]
    );
    assert_eq!(value_range(x.iter()), Some((-2.0, 5.0)));
    assert_eq!(value_range([f32::NAN].iter()), None);
    assert!(column_ranges(Array2::<f32>::zeros((0, 0)).view()).is_empty());
}

#[test]
fn quantile_range_is_nearest_rank_over_finite_values() {
    let v = (0..=100).map(|i| i as f32).chain([f32::NAN, f32::INFINITY]);
    assert_eq!(quantile_range(v, 0.05, 0.95), Some([5.0, 95.0]));
    assert_eq!(
        quantile_range([3.0f32].into_iter(), 0.0, 1.0),
        Some([3.0, 3.0])
    );
    assert_eq!(quantile_range(std::iter::empty(), 0.05, 0.95), None);
    assert_eq!(quantile_range([1.0f32].into_iter(), 0.9, 0.1), None);
}

#[test]
fn grid_points_are_cell_centres_from_the_top_left() {
    let p = grid_points([0.0, 4.0], [0.0, 2.0], 2, 2);
    assert_eq!(p, vec![[1.0, 1.5], [3.0, 1.5], [1.0, 0.5], [3.0, 0.5]]);
    assert_eq!(grid_points([0.0, 1.0], [0.0, 1.0], 3, 1).len(), 3);
}

/// A PCA on 3-D data whose rows lie on a plane, so that decoding is exact.
fn planar_pca() -> (Pca, Array2<f32>) {
    let x = Array2::from_shape_fn((40, 3), |(i, j)| {
        let (s, t) = ((i % 7) as f32, (i / 7) as f32);
        match j {
            0 => s,
            1 => 2.0 * t,
            _ => s + t,
        }
    });
    (Pca::fit(x.view(), 2).expect("PCA fits"), x)
}

#[test]
fn decode_original_undoes_the_scaling() {
    let (_, raw) = planar_pca();
    let rows: Vec<usize> = (0..raw.nrows()).collect();
    let scaler = Scaler::fit(Preprocess::Standardize, raw.view(), &rows);
    let scaled = scaler.transform(raw.view());
    let pca = Pca::fit(scaled.view(), 2).expect("PCA fits");
    let z = pca.encode(scaled.view());
    let back = decode_original(&pca, &scaler, z.view()).expect("decodes");
    for (a, b) in back.iter().zip(raw.iter()) {
        assert!((a - b).abs() < 1e-3, "{a} vs {b}");
    }
    // wrong width and no rows are errors, not panics
    assert!(decode_original(&pca, &scaler, Array2::zeros((1, 3)).view()).is_err());
    assert!(decode_original(&pca, &scaler, Array2::zeros((0, 2)).view()).is_err());
}

#[test]
fn decode_grid_varies_the_plot_axes_and_holds_the_rest_at_the_mean() {
    let (pca, x) = planar_pca();
    let scaler = Scaler::fit(Preprocess::None, x.view(), &[0]);
    let z = pca.encode(x.view());
    let base = mean_latent(z.view());
    let spec = GridSpec {
        axes: PlotAxes { x: 0, y: Some(1) },
        x_range: [-2.0, 2.0],
        y_range: [-1.0, 1.0],
        cells: 4,
    };
    let grid = decode_grid(&pca, &scaler, &base, &spec).expect("decodes");
    assert_eq!((grid.nx, grid.ny), (4, 4));
    assert_eq!(grid.samples.dim(), (16, 3));
    assert!(grid.held.is_empty());
    // each cell is the decoding of its own point
    for (k, p) in grid.points.iter().enumerate() {
        let one = decode_original(&pca, &scaler, array![[p[0] as f32, p[1] as f32]].view())
            .expect("decodes");
        for (a, b) in one.row(0).iter().zip(grid.samples.row(k)) {
            assert!((a - b).abs() < 1e-5, "{a} vs {b}");
        }
    }
    // 1-D: one row of cells; the other column is held at the mean and reported
    let spec = GridSpec {
        axes: PlotAxes { x: 1, y: None },
        cells: 5,
        ..spec
    };
    let grid = decode_grid(&pca, &scaler, &base, &spec).expect("decodes");
    assert_eq!((grid.nx, grid.ny, grid.held.clone()), (5, 1, vec![0]));
    let first = decode_original(
        &pca,
        &scaler,
        array![[base[0], grid.points[0][0] as f32]].view(),
    )
    .expect("decodes");
    for (a, b) in first.row(0).iter().zip(grid.samples.row(0)) {
        assert!((a - b).abs() < 1e-5, "{a} vs {b}");
    }
    // odd requests are errors
    let bad = |spec: GridSpec| decode_grid(&pca, &scaler, &base, &spec).is_err();
    assert!(bad(GridSpec {
        x_range: [f64::NAN, 1.0],
        ..spec.clone()
    }));
    assert!(bad(GridSpec {
        cells: 0,
        ..spec.clone()
    }));
    assert!(bad(GridSpec {
        axes: PlotAxes { x: 2, y: None },
        ..spec.clone()
    }));
    assert!(decode_grid(&pca, &scaler, &[], &spec).is_err());
}

#[test]
fn gray_levels_and_mosaic() {
    let s = ndarray::arr1(&[0.0f32, 16.0, 8.0, f32::NAN, 40.0]);
    assert_eq!(
        gray_levels(s.view(), (0.0, 16.0)),
        vec![255, 0, 128, 255, 0]
    );
    assert_eq!(gray_levels(s.view(), (3.0, 3.0)), vec![255; 5]);
    let grid = DecodedGrid {
        nx: 2,
        ny: 1,
        points: vec![[0.0, 0.0], [1.0, 0.0]],
        samples: array![[0.0f32, 1.0], [1.0, 0.0]],
        held: vec![],
    };
    let (w, h, px) = grid_mosaic(&grid, (1, 2), (0.0, 1.0), 1).expect("1×2 images");
    assert_eq!((w, h), (7, 3));
    assert_eq!(&px[7..14], &[255, 255, 0, 255, 0, 255, 255]);
    assert!(grid_mosaic(&grid, (2, 2), (0.0, 1.0), 1).is_none());
}

#[test]
fn aligned_pairs_follow_the_metric_rows() {
    let a = array![[0.0f32, 0.0], [1.0, 2.0], [3.0, f32::NAN], [5.0, 6.0]];
    let b = array![[1.5f32, 2.5], [3.0, 4.0], [5.5, 6.5]];
    let pairs = aligned_pairs(
        a.view(),
        &[1, 2, 3],
        b.view(),
        PlotAxes { x: 0, y: Some(1) },
    );
    assert_eq!(
        pairs,
        vec![
            AlignedPair {
                row: 1,
                a: [1.0, 2.0],
                b: [1.5, 2.5]
            },
            AlignedPair {
                row: 3,
                a: [5.0, 6.0],
                b: [5.5, 6.5]
            }
        ]
    );
    let one_d = aligned_pairs(a.view(), &[1], b.view(), PlotAxes { x: 0, y: None });
    assert_eq!(one_d[0].a[1], one_d[0].b[1]);
    assert!((-1.0..1.0).contains(&one_d[0].a[1]));
    assert!(aligned_pairs(a.view(), &[1], b.view(), PlotAxes { x: 2, y: None }).is_empty());
    assert!(aligned_pairs(a.view(), &[7], b.view(), PlotAxes { x: 0, y: None }).is_empty());
}
