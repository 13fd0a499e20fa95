//! `mnist-like`: a seeded synthetic stand-in for MNIST (70 000 × 784, 28 × 28 pixels 0–255,
//! 10 classes), so the scale figures can be reproduced without downloading anything.
//!
//! Every image is a real handwritten digit from the 8 × 8 `digits` set, drawn onto a 28 × 28
//! canvas through a random similarity transform (scale, rotation, shift, slant) with bilinear
//! sampling, then given a random contrast and noise on the strokes. The background stays exactly
//! 0, as in MNIST, so a CSV of it has MNIST's size (about 110 MB with integer pixels). Rows are
//! generated in blocks with their own seeds on two threads, so the data do not depend on the
//! number of threads.

use std::sync::atomic::{AtomicU64, Ordering};

use ndarray::{Array2, ArrayViewMut1, ArrayViewMut2, Axis};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use super::dataset::{Dataset, Labels};

/// Rows of the built-in `mnist-like`.
pub const MNIST_LIKE_ROWS: usize = 70_000;
/// Side of the square images.
pub const SIDE: usize = 28;
/// Rows generated from one seed.
const BLOCK: usize = 1000;

/// A block of rows: its index, its records and its labels.
type Block<'a> = (usize, (ArrayViewMut2<'a, f32>, &'a mut [u32]));

/// The built-in `mnist-like` with `n_samples` rows (70 000 for the built-in), from `seed`.
///
/// `digits` must be the 8 × 8 digits set (pixel values 0–16, classes 0–9).
pub fn mnist_like(digits: &Dataset, n_samples: usize, seed: u64) -> Dataset {
    mnist_like_with_progress(digits, n_samples, seed, &|_, _| {})
}

/// [`mnist_like`], calling `progress(rows_done, n_samples)` after each block of 1000 rows (from
/// either of two threads).
pub fn mnist_like_with_progress(
    digits: &Dataset,
    n_samples: usize,
    seed: u64,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Dataset {
    let generated = AtomicU64::new(0);
    let by_class = rows_by_class(digits);
    let mut records = Array2::<f32>::zeros((n_samples, SIDE * SIDE));
    let mut ids = vec![0u32; n_samples];
    let blocks: Vec<_> = records
        .axis_chunks_iter_mut(Axis(0), BLOCK)
        .zip(ids.chunks_mut(BLOCK))
        .enumerate()
        .collect();
    let (even, odd): (Vec<_>, Vec<_>) = blocks.into_iter().partition(|(b, _)| b % 2 == 0);
    let work = |list: Vec<Block<'_>>| {
        for (b, (mut rows, ids)) in list {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(b as u64 + 1);
            for (i, (row, id)) in rows.rows_mut().into_iter().zip(ids.iter_mut()).enumerate() {
                let class = (b * BLOCK + i) % 10;
                *id = class as u32;
                let pool = &by_class[class];
                let source = pool[rng.random_range(0..pool.len())];
                draw(digits, source, row, &mut rng);
            }
            let done = generated.fetch_add(ids.len() as u64, Ordering::Relaxed) + ids.len() as u64;
            progress(done, n_samples as u64);
        }
    };
    crate::parallel::join(|| work(even), || work(odd));

    let names = (0..SIDE)
        .flat_map(|r| (0..SIDE).map(move |c| format!("px_{r}_{c}")))
        .collect();
    let mut ds = Dataset::new(
        "mnist-like",
        records,
        Some(Labels::Classes {
            ids,
            names: (0..10).map(|d| d.to_string()).collect(),
        }),
        names,
    );
    ds.image_shape = Some((SIDE, SIDE));
    ds
}

/// Row indices of `digits` for each class 0–9.
fn rows_by_class(digits: &Dataset) -> Vec<Vec<usize>> {
    let mut by_class = vec![Vec::new(); 10];
    if let Some(Labels::Classes { ids, .. }) = &digits.labels {
        for (row, &c) in ids.iter().enumerate() {
            if let Some(list) = by_class.get_mut(c as usize) {
                list.push(row);
            }
        }
    }
    // A class the source lacks falls back to every row, so the generator never indexes nothing.
    for list in &mut by_class {
        if list.is_empty() {
            list.extend(0..digits.n_samples());
        }
    }
    by_class
}

/// Draws digit `source` onto the 28 × 28 `out` through a random transform.
fn draw(digits: &Dataset, source: usize, mut out: ArrayViewMut1<'_, f32>, rng: &mut ChaCha8Rng) {
    let src = digits.records.row(source);
    // 8 source pixels span about 20 output pixels, as MNIST's digits fill a 20 × 20 box.
    let scale = 2.5 * rng.random_range(0.85f32..1.15);
    let angle = rng.random_range(-0.25f32..0.25);
    let slant = rng.random_range(-0.3f32..0.3);
    let (dx, dy) = (
        rng.random_range(-2.0f32..2.0),
        rng.random_range(-2.0f32..2.0),
    );
    let contrast = rng.random_range(0.8f32..1.2) * 255.0 / 16.0;
    let (sin, cos) = angle.sin_cos();
    let centre = (SIDE as f32 - 1.0) / 2.0;
    for r in 0..SIDE {
        for c in 0..SIDE {
            // Output pixel → source coordinates: undo the shift, rotation, slant and scale.
            let (x, y) = (c as f32 - centre - dx, r as f32 - centre - dy);
            let (xr, yr) = (cos * x + sin * y, -sin * x + cos * y);
            let (sx, sy) = ((xr - slant * yr) / scale + 3.5, yr / scale + 3.5);
            let v = bilinear(src.as_slice(), sx, sy);
            if v > 0.05 {
                let noise: f32 = StandardNormal.sample(rng);
                out[r * SIDE + c] = (v * contrast + 12.0 * noise).round().clamp(0.0, 255.0);
            }
        }
    }
}

/// The 8 × 8 image `img` (row-major, or `None` when not contiguous) sampled at (`x`, `y`),
/// 0 outside.
fn bilinear(img: Option<&[f32]>, x: f32, y: f32) -> f32 {
    let Some(img) = img else { return 0.0 };
    if !(-1.0..8.0).contains(&x) || !(-1.0..8.0).contains(&y) {
        return 0.0;
    }
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let at = |xi: f32, yi: f32| -> f32 {
        if (0.0..8.0).contains(&xi) && (0.0..8.0).contains(&yi) {
            img[yi as usize * 8 + xi as usize]
        } else {
            0.0
        }
    };
    let top = at(x0, y0) * (1.0 - fx) + at(x0 + 1.0, y0) * fx;
    let bottom = at(x0, y0 + 1.0) * (1.0 - fx) + at(x0 + 1.0, y0 + 1.0) * fx;
    top * (1.0 - fy) + bottom * fy
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::load_builtin;

    #[test]
    fn shape_classes_and_pixel_range() {
        let digits = load_builtin("digits").unwrap();
        let ds = mnist_like(&digits, 2500, 42);
        assert_eq!(ds.records.dim(), (2500, 784));
        assert_eq!(ds.image_shape, Some((28, 28)));
        assert_eq!(ds.n_classes(), Some(10));
        assert!(
            ds.records
                .iter()
                .all(|&v| (0.0..=255.0).contains(&v) && v.fract() == 0.0)
        );
        // Mostly background, as in MNIST (about 80 % zeros there).
        let zeros = ds.records.iter().filter(|&&v| v == 0.0).count();
        let share = zeros as f64 / ds.records.len() as f64;
        assert!((0.6..0.9).contains(&share), "share of zeros {share}");
        // The border is background; the centre is ink for most images.
        assert!(ds.records.column(0).iter().all(|&v| v == 0.0));
        let centre = ds.records.column(14 * 28 + 14);
        assert!(centre.iter().filter(|&&v| v > 0.0).count() > 1000);
    }

    #[test]
    fn same_seed_same_data_other_seed_other_data() {
        let digits = load_builtin("digits").unwrap();
        let a = mnist_like(&digits, 3000, 7);
        let b = mnist_like(&digits, 3000, 7);
        let c = mnist_like(&digits, 3000, 8);
        assert_eq!(a.records, b.records);
        assert_ne!(a.records, c.records);
        // The first rows do not depend on how many rows were asked for.
        let d = mnist_like(&digits, 1500, 7);
        assert_eq!(d.records, a.records.slice(ndarray::s![..1500, ..]));
    }

    #[test]
    fn classes_are_separable_by_their_means() {
        // Nearest class mean classifies held-out rows far above chance (0.1).
        let digits = load_builtin("digits").unwrap();
        let ds = mnist_like(&digits, 4000, 1);
        let Some(Labels::Classes { ids, .. }) = &ds.labels else {
            panic!("classes expected")
        };
        let mut means = Array2::<f32>::zeros((10, 784));
        let mut counts = [0f32; 10];
        for (row, &c) in ds.records.rows().into_iter().zip(ids).take(3000) {
            let mut m = means.row_mut(c as usize);
            m += &row;
            counts[c as usize] += 1.0;
        }
        for (mut m, n) in means.rows_mut().into_iter().zip(counts) {
            m /= n;
        }
        let mut right = 0;
        for (row, &c) in ds.records.rows().into_iter().zip(ids).skip(3000) {
            let best = (0..10)
                .min_by(|&a, &b| {
                    let da = (&row - &means.row(a)).mapv(|v| v * v).sum();
                    let db = (&row - &means.row(b)).mapv(|v| v * v).sum();
                    da.total_cmp(&db)
                })
                .unwrap();
            right += usize::from(best == c as usize);
        }
        assert!(right > 500, "nearest-mean accuracy {right}/1000");
    }
}
