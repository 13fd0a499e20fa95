//! A dataset row drawn as a small grayscale image (dark ink on white, min-max scaled, like
//! scikit-learn's digits plots), for the scatter tooltip.

use egui::{Color32, Rect, Sense, Stroke, StrokeKind, Ui, vec2};
use ndarray::ArrayView1;

/// Largest side of the drawn image in points.
const MAX_SIDE: f32 = 80.0;

/// Gray level (0 = black) of each value of `row`, min-max scaled over the finite values with
/// high values dark; a constant or non-finite row is all white.
pub(super) fn ink_levels(row: ArrayView1<'_, f32>) -> Vec<u8> {
    let (lo, hi) = row
        .iter()
        .filter(|v| v.is_finite())
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    row.iter()
        .map(|&v| {
            if hi > lo && v.is_finite() {
                let t = (v - lo) / (hi - lo);
                (255.0 * (1.0 - t)).round() as u8
            } else {
                255
            }
        })
        .collect()
}

/// Draws `row` as an `h × w` image; draws nothing when the row does not have `h × w` values.
pub(super) fn sample_ui(ui: &mut Ui, row: ArrayView1<'_, f32>, (h, w): (usize, usize)) {
    if h == 0 || w == 0 || row.len() != h * w {
        return;
    }
    let cell = (MAX_SIDE / h.max(w) as f32).clamp(1.0, 10.0);
    gray_cells_ui(ui, &ink_levels(row), (h, w), cell, 0.0);
}

/// Draws `row` as an `h × w` image whose longer side is `side` points (a list's thumbnail);
/// nothing when the row does not have `h × w` values.
pub(crate) fn thumbnail_ui(
    ui: &mut Ui,
    row: ArrayView1<'_, f32>,
    (h, w): (usize, usize),
    side: f32,
) {
    if h == 0 || w == 0 || row.len() != h * w {
        return;
    }
    let cell = side / h.max(w) as f32;
    gray_cells_ui(ui, &ink_levels(row), (h, w), cell, 0.5);
}

/// Paints `levels` (0 = black, 255 = white, row-major) as an `h × w` image of `cell`-point
/// squares on white, framed; each square is drawn `overlap` points larger so that fractional
/// cell sizes leave no seams.
pub(crate) fn gray_cells_ui(
    ui: &mut Ui,
    levels: &[u8],
    (h, w): (usize, usize),
    cell: f32,
    overlap: f32,
) {
    let (rect, _) = ui.allocate_exact_size(vec2(cell * w as f32, cell * h as f32), Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, Color32::WHITE);
    for (k, &gray) in levels.iter().enumerate() {
        if gray == 255 {
            continue;
        }
        let min = rect.min + vec2((k % w) as f32 * cell, (k / w) as f32 * cell);
        painter.rect_filled(
            Rect::from_min_size(min, vec2(cell + overlap, cell + overlap)),
            0.0,
            Color32::from_gray(gray),
        );
    }
    painter.rect_stroke(
        rect,
        0.0,
        Stroke::new(1.0, Color32::from_gray(160)),
        StrokeKind::Inside,
    );
}
