//! Grid and tick marks: 1-2-5 steps sized to the plot (egui_plot's default steps by powers of
//! ten, which leaves as few as two labels on an axis), and decades with 2× and 5× between them
//! for a log10 axis.

use egui_plot::{GridInput, GridMark};

/// The smallest grid spacing in points that plots using these spacers are given (as
/// `Plot::grid_spacing`); with it a spacer turns `GridInput::base_step_size` into points.
pub(super) const GRID_MIN_POINTS: f32 = 8.0;

/// At most this many marks are made (a guard against degenerate bounds).
const MAX_MARKS: f64 = 2000.0;

/// Marks every labelled step — the smallest 1, 2 or 5 × 10^k at least `label_points` apart and
/// at least `min_step` — and lighter lines between them.
pub(super) fn nice_marks(input: GridInput, label_points: f64, min_step: f64) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    let base = input.base_step_size;
    if !(lo.is_finite() && hi.is_finite() && hi > lo && base.is_finite() && base > 0.0) {
        return Vec::new();
    }
    let per_point = base / f64::from(GRID_MIN_POINTS);
    let (major, mantissa) = nice_step((label_points * per_point).max(min_step));
    let minor = if mantissa == 2 {
        major / 2.0
    } else {
        major / 5.0
    };
    let minor = if minor < min_step { major } else { minor };
    if (hi - lo) / minor > MAX_MARKS {
        return Vec::new();
    }
    let first = (lo / minor).ceil() as i64;
    let last = (hi / minor).floor() as i64;
    (first..=last)
        .map(|k| {
            let value = k as f64 * minor;
            let on_major = ((value / major).round() * major - value).abs() < minor * 1e-3;
            GridMark {
                value: if value == 0.0 { 0.0 } else { value },
                step_size: if on_major { major } else { minor },
            }
        })
        .collect()
}

/// A tick label with as many decimals as the mark's step needs ("0.05", "2.5", "10").
pub(super) fn tick_label(mark: GridMark) -> String {
    crate::plot::format::step_tick(mark.value, mark.step_size)
}

/// The smallest 1, 2 or 5 × 10^k ≥ `x` (x > 0), and its mantissa.
fn nice_step(x: f64) -> (f64, u8) {
    let power = 10f64.powf(x.log10().floor());
    for m in [1u8, 2, 5, 10] {
        let step = f64::from(m) * power;
        if step >= x * (1.0 - 1e-9) {
            return if m == 10 { (step, 1) } else { (step, m) };
        }
    }
    (10.0 * power, 1)
}

/// Grid marks of a log10 axis: decades, and 2× and 5× (or every integer multiple) between
/// them when few decades are visible; each mark's step is the distance to the next one, so
/// labels appear wherever they fit.
pub(super) fn log_marks(input: GridInput) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo || hi - lo > 600.0 {
        return Vec::new();
    }
    let span = hi - lo;
    let decade_step = ((span / 8.0).ceil() as i64).max(1);
    let multiples: &[f64] = if span <= 1.0 {
        &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]
    } else if span <= 3.0 {
        &[1.0, 2.0, 5.0]
    } else {
        &[1.0]
    };
    let mut marks = Vec::new();
    for d in (lo.floor() as i64)..=(hi.ceil() as i64) {
        if multiples.len() == 1 {
            if d.rem_euclid(decade_step) == 0 {
                marks.push(GridMark {
                    value: d as f64,
                    step_size: decade_step as f64,
                });
            }
            continue;
        }
        for (j, m) in multiples.iter().enumerate() {
            let next = multiples.get(j + 1).copied().unwrap_or(10.0);
            marks.push(GridMark {
                value: d as f64 + m.log10(),
                step_size: if j == 0 { 1.0 } else { (next / m).log10() },
            });
        }
    }
    marks.retain(|m| m.value >= lo && m.value <= hi);
    marks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(lo: f64, hi: f64, points: f64) -> GridInput {
        GridInput {
            bounds: (lo, hi),
            base_step_size: (hi - lo) / points * f64::from(GRID_MIN_POINTS),
        }
    }

    #[test]
    fn steps_are_one_two_five() {
        assert_eq!(nice_step(0.7), (1.0, 1));
        assert_eq!(nice_step(1.5), (2.0, 2));
        assert_eq!(nice_step(3.0), (5.0, 5));
        assert_eq!(nice_step(6.0), (10.0, 1));
        assert_eq!(nice_step(0.02), (0.02, 2));
    }

    #[test]
    fn labelled_marks_fit_the_axis() {
        // 20 units over 600 points with labels ≥ 70 points apart: a step of 5.
        let marks = nice_marks(input(-11.0, 9.0, 600.0), 70.0, 0.0);
        let labelled: Vec<f64> = marks
            .iter()
            .filter(|m| m.step_size == 5.0)
            .map(|m| m.value)
            .collect();
        assert_eq!(labelled, vec![-10.0, -5.0, 0.0, 5.0]);
        assert!(marks.iter().any(|m| m.value == 1.0 && m.step_size == 1.0));
        // Epochs: never a step below one.
        let marks = nice_marks(input(0.0, 3.0, 600.0), 70.0, 1.0);
        assert!(marks.iter().all(|m| m.value.fract() == 0.0));
        assert!(nice_marks(input(1.0, 1.0, 600.0), 70.0, 0.0).is_empty());
    }

    #[test]
    fn tick_labels_have_the_decimals_of_their_step() {
        let label = |value, step_size| tick_label(GridMark { value, step_size });
        assert_eq!(label(0.05, 0.05), "0.05");
        assert_eq!(label(0.1, 0.1), "0.1");
        assert_eq!(label(-5.0, 5.0), "-5");
        assert_eq!(label(2.5, 0.5), "2.5");
        assert_eq!(label(-1e-17, 0.2), "0.0");
    }

    #[test]
    fn log_marks_are_decades_and_multiples() {
        let marks = log_marks(GridInput {
            bounds: (-1.6, 0.1),
            base_step_size: 0.01,
        });
        let values: Vec<f64> = marks
            .iter()
            .map(|m| (10f64.powf(m.value) * 1e3).round() / 1e3)
            .collect();
        assert_eq!(values, vec![0.05, 0.1, 0.2, 0.5, 1.0]);
        assert!(
            log_marks(GridInput {
                bounds: (f64::NAN, 1.0),
                base_step_size: 0.1
            })
            .is_empty()
        );
    }
}
