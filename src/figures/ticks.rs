//! Axis ranges and ticks: padded data ranges (linear and log10), tick positions at 1-2-5 steps,
//! decades, or whole epochs, labelled by [`crate::plot::format`].

use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;

use crate::plot::format;

/// Fraction of the data span added on each side of an axis.
const PAD: f64 = 0.04;

/// One axis: its plotted range, ticks with their labels, and its description.
#[derive(Clone, Debug)]
pub(crate) struct Axis {
    /// Plotted range; for a log axis, in log10 units.
    pub lo: f64,
    pub hi: f64,
    pub ticks: Vec<(f64, String)>,
    pub desc: String,
}

impl Axis {
    /// A linear axis over `lo..hi` with at most `max_ticks` ticks at 1-2-5 steps.
    pub(crate) fn linear(lo: f64, hi: f64, max_ticks: usize, desc: impl Into<String>) -> Self {
        let values = RangedCoordf64::from(lo..hi).key_points(max_ticks);
        let step = match values.as_slice() {
            [a, b, ..] => (b - a).abs(),
            _ => (hi - lo).abs().max(f64::MIN_POSITIVE),
        };
        let biggest = values.iter().fold(0f64, |m, v| m.max(v.abs()));
        let ticks = values
            .into_iter()
            .map(|v| (v, format::linear_tick(v, step, biggest)))
            .collect();
        Axis {
            lo,
            hi,
            ticks,
            desc: desc.into(),
        }
    }

    /// A log10 axis over exponents `lo..hi`: ticks at powers of ten, with 2 and 5 multiples added
    /// when fewer than three decades are shown, and linear ticks inside a single decade.
    pub(crate) fn log10(lo: f64, hi: f64, desc: impl Into<String>) -> Self {
        let mut values: Vec<f64> = Vec::new();
        let decades = (lo.floor() as i32)..=(hi.floor() as i32);
        let mults: &[f64] = if hi - lo < 3.0 {
            &[1.0, 2.0, 5.0]
        } else {
            &[1.0]
        };
        for e in decades {
            for &m in mults {
                let v = f64::from(e) + m.log10();
                if v >= lo && v <= hi {
                    values.push(v);
                }
            }
        }
        if values.len() < 2 {
            // Less than about half a decade: linear ticks in value space.
            let (a, b) = (10f64.powf(lo), 10f64.powf(hi));
            values = RangedCoordf64::from(a..b)
                .key_points(5)
                .into_iter()
                .filter(|v| *v > 0.0)
                .map(f64::log10)
                .collect();
        }
        let ticks = values
            .into_iter()
            .map(|v| (v, format::significant(10f64.powf(v))))
            .collect();
        Axis {
            lo,
            hi,
            ticks,
            desc: desc.into(),
        }
    }

    /// An epoch axis for epochs `1..=n`: half an epoch (or 2 %) of padding, integer ticks ≥ 1.
    pub(crate) fn epochs(n: usize, desc: impl Into<String>) -> Self {
        let n = n.max(1) as f64;
        let pad = (PAD / 2.0 * (n - 1.0)).max(0.5);
        let (lo, hi) = (1.0 - pad, n + pad);
        let mut values: Vec<f64> = RangedCoordf64::from(lo..hi)
            .key_points(8)
            .into_iter()
            .filter(|v| *v >= 1.0 && (v - v.round()).abs() < 1e-9)
            .collect();
        if values.is_empty() {
            values.push(1.0);
        }
        let ticks = values.into_iter().map(|v| (v, format::epoch(v))).collect();
        Axis {
            lo,
            hi,
            ticks,
            desc: desc.into(),
        }
    }

    /// An axis with no ticks (the vertical jitter of a 1-D strip plot).
    pub(crate) fn blank(lo: f64, hi: f64, desc: impl Into<String>) -> Self {
        Axis {
            lo,
            hi,
            ticks: Vec::new(),
            desc: desc.into(),
        }
    }

    /// Keeps every k-th tick (k as small as possible, counted from the tick nearest zero) so
    /// that ticks each needing `extent` pixels fit in `room` pixels.
    pub(crate) fn thinned(&self, room: i32, extent: i32) -> Axis {
        let n = self.ticks.len();
        let fits = |k: usize| (n.div_ceil(k) as i64) * i64::from(extent.max(1)) <= i64::from(room);
        let Some(k) = (1..=n.max(1)).find(|&k| fits(k)) else {
            return Axis {
                ticks: Vec::new(),
                ..self.clone()
            };
        };
        let anchor = self
            .ticks
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.0.abs().total_cmp(&b.1.0.abs()))
            .map_or(0, |(i, _)| i);
        Axis {
            ticks: self
                .ticks
                .iter()
                .enumerate()
                .filter(|(i, _)| i.abs_diff(anchor) % k == 0)
                .map(|(_, t)| t.clone())
                .collect(),
            ..self.clone()
        }
    }
}

/// Padded range of the finite `values`; all-equal values or a single value get a unit-wide
/// range around them, and no finite value gives -1..1.
pub(crate) fn data_range(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo > hi {
        return (-1.0, 1.0);
    }
    let span = hi - lo;
    if span <= 1e-12 * lo.abs().max(hi.abs()).max(1e-300) || !span.is_finite() {
        let half = (lo.abs() * 0.1).max(0.5);
        return (lo - half, hi + half);
    }
    (lo - PAD * span, hi + PAD * span)
}

/// Padded log10 range of the finite positive `values`; `None` when there are none.
pub(crate) fn log_range(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    let logs: Vec<f64> = values
        .into_iter()
        .filter(|v| v.is_finite() && *v > 0.0)
        .map(f64::log10)
        .collect();
    if logs.is_empty() {
        return None;
    }
    let (lo, hi) = logs
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    let pad = (PAD * (hi - lo)).max(0.02);
    let (lo, hi) = if hi - lo < 0.1 {
        // Within ±12 %: show a quarter decade around the values.
        let mid = (lo + hi) / 2.0;
        (mid - 0.125, mid + 0.125)
    } else {
        (lo - pad, hi + pad)
    };
    Some((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_handle_degenerate_data() {
        assert_eq!(data_range([]), (-1.0, 1.0));
        assert_eq!(data_range([f64::NAN, f64::INFINITY]), (-1.0, 1.0));
        let (lo, hi) = data_range([3.0, 3.0, f64::NAN]);
        assert!(lo < 3.0 && hi > 3.0);
        let (lo, hi) = data_range([0.0, 10.0]);
        assert!((lo + 0.4).abs() < 1e-9 && (hi - 10.4).abs() < 1e-9);
        assert_eq!(log_range([0.0, -1.0, f64::NAN]), None);
        let (lo, hi) = log_range([0.0, 1.0, 100.0]).unwrap();
        assert!(lo < 0.0 && hi > 2.0);
    }

    #[test]
    fn tick_labels_are_tidy() {
        let a = Axis::linear(-1.05, 1.05, 6, "z0");
        let labels: Vec<&str> = a.ticks.iter().map(|t| t.1.as_str()).collect();
        assert!(
            labels.contains(&"0.0") && labels.contains(&"\u{2212}1.0"),
            "{labels:?}"
        );
        let e = Axis::epochs(50, "epoch");
        assert!(e.ticks.iter().all(|t| t.0 >= 1.0));
        assert_eq!(Axis::epochs(1, "epoch").ticks.len(), 1);
        let l = Axis::log10(-1.0, 2.0, "loss");
        assert!(l.ticks.iter().any(|t| t.1 == "100"), "{:?}", l.ticks);
        assert_eq!(format::significant(0.000012), "1.2e-5");
    }

    #[test]
    fn thinning_keeps_zero_and_a_regular_step() {
        let a = Axis::linear(-5.0, 5.0, 11, "z0");
        assert_eq!(a.ticks.len(), 11);
        let thin = a.thinned(100, 30);
        let values: Vec<f64> = thin.ticks.iter().map(|t| t.0).collect();
        assert!(values.len() <= 3 && values.contains(&0.0), "{values:?}");
        assert!(a.thinned(5, 30).ticks.is_empty());
        assert_eq!(Axis::blank(0.0, 1.0, "").thinned(10, 30).ticks.len(), 0);
    }
}
