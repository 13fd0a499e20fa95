//! Decoded samples as gray images: gray levels of a sample, and a grid of image samples as one
//! mosaic.

use ndarray::ArrayView1;

use super::DecodedGrid;

/// Gray level of each value (0 = black): `range` mapped to white → black (high values dark, as
/// ink); values outside the range clamp; non-finite values and an empty range are white.
pub fn gray_levels(sample: ArrayView1<f32>, range: (f32, f32)) -> Vec<u8> {
    let (lo, hi) = range;
    sample
        .iter()
        .map(|&v| {
            if hi > lo && v.is_finite() {
                let t = ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
                (255.0 * (1.0 - t)).round() as u8
            } else {
                255
            }
        })
        .collect()
}

/// A grid of `h × w` image samples as one gray mosaic with a `gap`-pixel white border between
/// cells: (width, height, gray levels row-major); `None` when the samples are not `h × w`.
pub fn grid_mosaic(
    grid: &DecodedGrid,
    (h, w): (usize, usize),
    range: (f32, f32),
    gap: usize,
) -> Option<(usize, usize, Vec<u8>)> {
    if h == 0
        || w == 0
        || grid.samples.ncols() != h * w
        || grid.samples.nrows() != grid.nx * grid.ny
    {
        return None;
    }
    let width = grid.nx * (w + gap) + gap;
    let height = grid.ny * (h + gap) + gap;
    let mut pixels = vec![255u8; width * height];
    for (k, sample) in grid.samples.rows().into_iter().enumerate() {
        let (ci, cj) = (k % grid.nx, k / grid.nx);
        let (x0, y0) = (gap + ci * (w + gap), gap + cj * (h + gap));
        for (p, g) in gray_levels(sample, range).into_iter().enumerate() {
            pixels[(y0 + p / w) * width + x0 + p % w] = g;
        }
    }
    Some((width, height, pixels))
}
