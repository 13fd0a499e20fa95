//! The sweep model: the criteria of A and B, and the similarity between them, against the swept
//! setting — a panel each for test reconstruction, k-NN accuracy, trustworthiness and linear
//! CKA — with the spread of the repeated fits as whiskers, the within-method CKA as a band,
//! and the points where the methods are equivalent shaded. `sweep.png` and the app's Sweep view
//! draw the same [`SweepModel`].

use crate::criteria::{Criterion, Decision, Similarity};
use crate::sweep::summary::{PointReport, SweepReport};

/// One plotted value: where it is and, with repeated fits, the range of the runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mark {
    /// Position on the x axis.
    pub x: f64,
    /// The value (the single run's, or the mean of the runs).
    pub y: f64,
    /// The smallest and largest run, with repeated fits.
    pub range: Option<(f64, f64)>,
}

/// A line of marks.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Its legend name ("A: pca").
    pub name: String,
    /// 0 for A, 1 for B, 2 for the between-method similarity.
    pub colour: usize,
    /// Its marks, left to right (points where the value is missing are left out).
    pub marks: Vec<Mark>,
}

/// One panel.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepPanel {
    /// Its title ("Test reconstruction MSE").
    pub title: String,
    /// Its lines.
    pub series: Vec<Series>,
    /// The within-method band per point with repeated fits: from the margin under the smaller
    /// within-method mean (min(within) − δ) to the larger one.
    pub band: Vec<(f64, f64, f64)>,
}

/// The whole figure.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepModel {
    /// The x axis's name (`latent_dim`, `b.beta`).
    pub parameter: String,
    /// The x axis's ticks: position and the value as written.
    pub ticks: Vec<(f64, String)>,
    /// Positions are log2 of the values (values that grow by factors, 2 to 32).
    pub log_x: bool,
    /// The positions where the methods are equivalent (shaded).
    pub equivalent: Vec<f64>,
    /// Reconstruction, k-NN accuracy, trustworthiness, CKA (panels without a value are left
    /// out: no decoder, no labels).
    pub panels: Vec<SweepPanel>,
    /// What the whiskers and the band are, when drawn.
    pub note: Option<String>,
}

impl SweepPanel {
    /// Every value drawn: the marks, their whiskers, the band (finite ones only).
    pub fn values(&self) -> impl Iterator<Item = f64> + '_ {
        let marks = self.series.iter().flat_map(|s| &s.marks).flat_map(|m| {
            let (low, top) = m.range.unwrap_or((m.y, m.y));
            [m.y, low, top]
        });
        let band = self.band.iter().flat_map(|&(_, low, top)| [low, top]);
        marks.chain(band).filter(|v| v.is_finite())
    }
}

impl SweepModel {
    /// Half the width of an equivalent point's shade: a little under half the closest gap
    /// between two points (0.4 with one point).
    pub fn shade_half_width(&self) -> f64 {
        let gap = self
            .ticks
            .windows(2)
            .map(|w| (w[1].0 - w[0].0).abs())
            .fold(f64::INFINITY, f64::min);
        if gap.is_finite() { gap * 0.4 } else { 0.4 }
    }
}

/// Values this many times apart or more (all positive, ascending) go on a log2 axis.
const LOG_RATIO: f64 = 8.0;

impl SweepModel {
    /// The model of a sweep's report; `names` are the methods' legend names (A's, B's).
    pub fn new(report: &SweepReport, names: [&str; 2]) -> SweepModel {
        let points = &report.points;
        let numbers: Option<Vec<f64>> = points.iter().map(|p| p.value.as_f64()).collect();
        let numbers = numbers.filter(|n| n.windows(2).all(|w| w[0] < w[1]));
        let log_x = numbers.as_ref().is_some_and(|n| {
            n.first().is_some_and(|&lo| lo > 0.0)
                && n.last()
                    .zip(n.first())
                    .is_some_and(|(hi, lo)| hi / lo >= LOG_RATIO)
        });
        let xs: Vec<f64> = match &numbers {
            Some(n) if log_x => n.iter().map(|v| v.log2()).collect(),
            Some(n) => n.clone(),
            None => (0..points.len()).map(|k| k as f64).collect(),
        };
        let ticks = xs
            .iter()
            .zip(points)
            .map(|(&x, p)| (x, value_text(p)))
            .collect();
        let equivalent = xs
            .iter()
            .zip(points)
            .filter(|(_, p)| p.decision == Decision::Equivalent)
            .map(|(&x, _)| x)
            .collect();
        let repeated = points.iter().any(|p| p.equivalence.is_some());
        let method_panel = |criterion: Criterion, title: &str| {
            let series = (0..2)
                .map(|side| Series {
                    name: format!("{}: {}", ["A", "B"][side], names[side]),
                    colour: side,
                    marks: xs
                        .iter()
                        .zip(points)
                        .filter_map(|(&x, p)| method_mark(p, criterion, side, x))
                        .collect(),
                })
                .collect();
            SweepPanel {
                title: title.to_owned(),
                series,
                band: Vec::new(),
            }
        };
        let mut panels = vec![
            method_panel(Criterion::ReconstructionMseTest, "Test reconstruction MSE"),
            method_panel(Criterion::KnnAccuracy, "k-NN accuracy"),
            method_panel(Criterion::Trustworthiness, "Trustworthiness"),
        ];
        let between = Series {
            name: "A vs B".into(),
            colour: 2,
            marks: xs
                .iter()
                .zip(points)
                .filter_map(|(&x, p)| cka_mark(p, x))
                .collect(),
        };
        let band = xs
            .iter()
            .zip(points)
            .filter_map(|(&x, p)| {
                let g = p
                    .equivalence
                    .as_ref()?
                    .geometry
                    .iter()
                    .find(|g| g.metric == Similarity::LinearCka)?;
                let high = g.within_a.mean.estimate.max(g.within_b.mean.estimate);
                let low = g.threshold();
                (low.is_finite() && high.is_finite()).then_some((x, low, high))
            })
            .collect();
        panels.push(SweepPanel {
            title: "Linear CKA between A and B".into(),
            series: vec![between],
            band,
        });
        panels.retain(|p| p.series.iter().any(|s| !s.marks.is_empty()));
        let note = repeated.then(|| {
            "whiskers: the smallest and largest of the repeated fits; band: within-method CKA \
             down to the equivalence margin; shaded: equivalent"
                .to_owned()
        });
        SweepModel {
            parameter: report.parameter_as_written(),
            ticks,
            log_x,
            equivalent,
            panels,
            note: note.or_else(|| Some("shaded: equivalent (single-run verdict)".into())),
        }
    }
}

/// A point's value as the axis writes it.
fn value_text(p: &PointReport) -> String {
    crate::sweep::summary::json_text(&p.value)
}

/// One method's figure at one point: the runs' mean and range with repeats, else the run's.
fn method_mark(p: &PointReport, criterion: Criterion, side: usize, x: f64) -> Option<Mark> {
    if let Some(c) = p
        .equivalence
        .as_ref()
        .and_then(|e| e.criteria.iter().find(|c| c.criterion == criterion))
    {
        let runs: Vec<f64> = [&c.a, &c.b][side]
            .iter()
            .flatten()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        if !runs.is_empty() {
            let mean = runs.iter().sum::<f64>() / runs.len() as f64;
            let lo = runs.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = runs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            return Some(Mark {
                x,
                y: mean,
                range: Some((lo, hi)),
            });
        }
    }
    let method = [&p.a, &p.b][side];
    let y = match criterion {
        Criterion::ReconstructionMseTest => method.reconstruction_mse_test,
        Criterion::KnnAccuracy => method.evaluation.knn_accuracy,
        Criterion::Trustworthiness => method.evaluation.trustworthiness,
        _ => None,
    }?;
    y.is_finite().then_some(Mark { x, y, range: None })
}

/// The between-method CKA at one point: the protocol's between-run pairs (mean and range), else
/// the single run's.
fn cka_mark(p: &PointReport, x: f64) -> Option<Mark> {
    if let Some(g) = p.equivalence.as_ref().and_then(|e| {
        e.geometry
            .iter()
            .find(|g| g.metric == Similarity::LinearCka)
    }) {
        let pairs: Vec<f64> = g
            .between
            .values
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        if !pairs.is_empty() {
            let lo = pairs.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = pairs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            return Some(Mark {
                x,
                y: g.between.mean.estimate,
                range: Some((lo, hi)),
            });
        }
    }
    let y = p.comparison.linear_cka?;
    y.is_finite().then_some(Mark { x, y, range: None })
}
