//! Evaluation of a run: the four criteria per method (reconstruction, downstream accuracy,
//! neighbourhood preservation, cost) and the direct comparison of the two spaces, ending in a
//! verdict. Metrics use the test rows when there is a split, else all rows, subsampled (seeded) to
//! `metric_sample`.

use std::time::Instant;

use ndarray::{Array2, ArrayView2, Axis};
use serde::{Deserialize, Serialize};

use crate::config::EvalSettings;
use crate::data::{Labels, Prepared};
use crate::error::{Error, Result};
use crate::metrics::neighbourhoods::Preservation;
use crate::metrics::{downstream, neighbourhoods, silhouette, similarity};
use crate::pipeline::{MethodOutcome, Run};
use crate::verdict::{Verdict, VerdictInputs, judge};

pub mod collapse;
mod rows;
mod verdict_inputs;
pub use rows::{MIN_METRIC_ROWS, MetricRows, metric_rows};
use rows::{checked_rows, neighbourhood_problem};
use verdict_inputs::{missing_reasons, shared_share};

/// Where the metric rows come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RowSource {
    /// The held-out test rows.
    Test,
    /// Every row (no split).
    All,
}

impl std::fmt::Display for RowSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RowSource::Test => "test",
            RowSource::All => "all",
        })
    }
}

/// The criteria measured on one method.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MethodEvaluation {
    /// 5-NN accuracy on the test rows' latents (class labels and a split only).
    pub knn_accuracy: Option<f64>,
    /// Logistic-regression accuracy on the test rows' latents.
    pub linear_accuracy: Option<f64>,
    /// Trustworthiness of the latents against the preprocessed input.
    pub trustworthiness: Option<f64>,
    /// Continuity of the latents against the preprocessed input.
    pub continuity: Option<f64>,
    /// Silhouette of the latents by class.
    pub silhouette: Option<f64>,
    /// Seconds to encode 1000 rows (`null` for precomputed latents).
    pub encode_seconds_per_1k: Option<f64>,
    /// A VAE's active latent units: those whose mean μ varies over the metric rows by more
    /// than [`collapse::ACTIVE_UNIT_VARIANCE`] (Burda et al. 2016); fewer than the latent width is
    /// posterior collapse (`null` for other methods).
    #[serde(default)]
    pub active_units: Option<usize>,
    /// What the figures say about the fit itself (e.g. posterior collapse), for the user to act on.
    #[serde(default)]
    pub hints: Vec<String>,
    /// Why a figure is missing, when it is.
    pub notes: Vec<String>,
}

/// The two spaces compared directly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Linear CKA.
    pub linear_cka: Option<f64>,
    /// Debiased linear CKA.
    pub linear_cka_debiased: Option<f64>,
    /// scipy's Procrustes disparity (narrower space padded with zeros).
    pub procrustes_disparity: Option<f64>,
    /// Mean canonical correlation.
    pub mean_cca: Option<f64>,
    /// Mean over points of the k-NN Jaccard agreement.
    pub knn_jaccard_mean: Option<f64>,
    /// Spearman correlation of pairwise distances.
    pub distance_spearman: Option<f64>,
    /// The verdict.
    pub verdict: Verdict,
    /// Why a figure is missing, when it is.
    pub notes: Vec<String>,
    /// Per metric row, its k-NN Jaccard (same order as `MetricRows::rows`).
    #[serde(skip)]
    pub knn_jaccard: Vec<f64>,
    /// B rotated onto A (metric rows), for the aligned figure.
    #[serde(skip)]
    pub b_aligned: Option<Array2<f32>>,
}

/// Everything the evaluation produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The rows used.
    pub rows: MetricRows,
    /// Method A.
    pub a: MethodEvaluation,
    /// Method B.
    pub b: MethodEvaluation,
    /// A vs B.
    pub comparison: Comparison,
    /// The settings used.
    pub settings: EvalSettings,
}

/// Records `Ok` as `Some`, an error as `None` plus a note saying why.
fn keep(result: Result<f64>, what: &str, notes: &mut Vec<String>) -> Option<f64> {
    match result {
        Ok(v) if v.is_finite() => Some(v),
        Ok(v) => {
            notes.push(format!("{what}: not finite ({v})"));
            None
        }
        Err(e) => {
            notes.push(format!("{what}: {e}"));
            None
        }
    }
}

fn class_ids(labels: Option<&Labels>) -> Option<&[u32]> {
    match labels {
        Some(Labels::Classes { ids, .. }) => Some(ids),
        _ => None,
    }
}

fn select(ids: &[u32], rows: &[usize]) -> Vec<u32> {
    rows.iter().map(|&r| ids[r]).collect()
}

fn evaluate_method(
    outcome: &MethodOutcome,
    prepared: &Prepared,
    rows: &MetricRows,
    preservation: &Result<Preservation>,
) -> MethodEvaluation {
    let mut e = MethodEvaluation::default();
    let z = &outcome.fitted.latents;
    let z_rows = z.select(Axis(0), &rows.rows);
    match preservation {
        Ok(p) => {
            e.trustworthiness = keep(Ok(p.trustworthiness), "trustworthiness", &mut e.notes);
            e.continuity = keep(Ok(p.continuity), "continuity", &mut e.notes);
        }
        Err(err) => e
            .notes
            .push(format!("trustworthiness and continuity: {err}")),
    }
    if let Some((active, hint)) = collapse::check(&outcome.fitted.spec, z_rows.view()) {
        e.active_units = Some(active);
        e.hints.extend(hint);
    }
    let ids = class_ids(prepared.dataset.labels.as_ref());
    if let Some(ids) = ids {
        e.silhouette = keep(
            silhouette::silhouette_score(z_rows.view(), &select(ids, &rows.rows)),
            "silhouette",
            &mut e.notes,
        );
        let (train, test) = (&prepared.split.train, &prepared.split.test);
        let first = train.first().map(|&r| ids[r]);
        if test.is_empty() {
            e.notes
                .push("accuracy: no test rows (test fraction 0)".into());
        } else if train.iter().all(|&r| Some(ids[r]) == first) {
            e.notes.push(
                "accuracy: the training rows are all of one class, so any classifier is \
                 trivially right or wrong; not measured"
                    .into(),
            );
        } else {
            let kind = outcome.fitted.spec.kind();
            if kind.info().fits_all_rows {
                e.notes.push(format!(
                    "accuracy: {} placed the test rows together with the training rows \
                     (unsupervised, without their labels), so the classifiers are scored on \
                     coordinates the test rows helped shape",
                    kind.label()
                ));
            }
            let (ztr, zte) = (z.select(Axis(0), train), z.select(Axis(0), test));
            let (ytr, yte) = (select(ids, train), select(ids, test));
            e.knn_accuracy = keep(
                downstream::knn_accuracy(ztr.view(), &ytr, zte.view(), &yte),
                "k-NN accuracy",
                &mut e.notes,
            );
            e.linear_accuracy = keep(
                downstream::linear_accuracy(ztr.view(), &ytr, zte.view(), &yte),
                "logistic-regression accuracy",
                &mut e.notes,
            );
        }
    } else {
        e.notes
            .push("accuracy and silhouette: no class labels".into());
    }
    e
}

/// Seconds to encode 1000 of the metric rows, best of three (`None` for precomputed latents).
/// Timed alone, before any other evaluation work runs, so no other thread competes for the cores.
fn encode_seconds_per_1k(outcome: &MethodOutcome, input: ArrayView2<f32>) -> Option<f64> {
    let model = outcome.fitted.model.as_ref()?;
    if input.nrows() == 0 {
        return None;
    }
    // the fastest of three passes: the first also pays for page faults and thread start-up
    let seconds = (0..3)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(model.encode(input));
            started.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min);
    Some(seconds * 1000.0 / input.nrows() as f64)
}

fn compare_spaces(
    a: ArrayView2<f32>,
    b: ArrayView2<f32>,
    settings: &EvalSettings,
    notes: &mut Vec<String>,
) -> (Vec<Option<f64>>, Vec<f64>, Option<Array2<f32>>) {
    let n = a.nrows();
    if n < MIN_METRIC_ROWS {
        notes.push(format!(
            "similarities of A and B: only {n} metric rows (at least {MIN_METRIC_ROWS} are \
             needed for figures that mean something); not measured"
        ));
        return (vec![None; 6], Vec::new(), None);
    }
    let procrustes = similarity::procrustes(a, b);
    let (disparity, aligned) = match procrustes {
        Ok(p) => (Some(p.disparity), Some(p.b_aligned)),
        Err(e) => {
            notes.push(format!("Procrustes: {e}"));
            (None, None)
        }
    };
    let jaccard = match neighbourhood_problem(settings.neighbors, n, false) {
        Some(problem) => {
            notes.push(format!("k-NN Jaccard: {problem}"));
            Vec::new()
        }
        None => match neighbourhoods::knn_jaccard(a, b, settings.neighbors) {
            Ok(j) => j,
            Err(e) => {
                notes.push(format!("k-NN Jaccard: {e}"));
                Vec::new()
            }
        },
    };
    let jaccard_mean =
        (!jaccard.is_empty()).then(|| jaccard.iter().sum::<f64>() / jaccard.len() as f64);
    let values = vec![
        keep(similarity::linear_cka(a, b, false), "linear CKA", notes),
        keep(
            similarity::linear_cka(a, b, true),
            "debiased linear CKA",
            notes,
        ),
        disparity,
        keep(similarity::mean_cca(a, b), "mean CCA", notes),
        jaccard_mean,
        keep(
            similarity::distance_spearman(a, b),
            "distance Spearman",
            notes,
        ),
    ];
    (values, jaccard, aligned)
}

/// The per-method criteria of several fits on the same metric rows (one pass over the input's
/// distances serves them all), e.g. the repeated fits of the equivalence protocol.
pub fn evaluate_methods(
    outcomes: &[&MethodOutcome],
    prepared: &Prepared,
    settings: &EvalSettings,
) -> Result<(MetricRows, Vec<MethodEvaluation>)> {
    let rows = checked_rows(prepared, settings)?;
    let input = prepared.x.select(Axis(0), &rows.rows);
    let latents: Vec<Array2<f32>> = outcomes
        .iter()
        .map(|o| o.fitted.latents.select(Axis(0), &rows.rows))
        .collect();
    let views: Vec<ArrayView2<f32>> = latents.iter().map(|z| z.view()).collect();
    let preservation: Vec<Result<Preservation>> =
        match neighbourhood_problem(settings.neighbors, rows.n, true).map_or_else(
            || neighbourhoods::neighbourhood_preservation(input.view(), &views, settings.neighbors),
            |problem| Err(Error::InvalidInput(problem)),
        ) {
            Ok(p) => p.into_iter().map(Ok).collect(),
            Err(e) => outcomes
                .iter()
                .map(|_| Err(Error::InvalidInput(e.to_string())))
                .collect(),
        };
    // the classifiers dominate what is left: the fits share the two threads
    let pairs: Vec<_> = outcomes.iter().zip(&preservation).collect();
    let evaluations =
        crate::parallel::map(&pairs, &|&(o, p)| evaluate_method(o, prepared, &rows, p));
    Ok((rows, evaluations))
}

/// Evaluates a run (both methods fitted).
pub fn evaluate(run: &Run, settings: &EvalSettings) -> Result<Evaluation> {
    let prepared = &run.prepared;
    let rows = checked_rows(prepared, settings)?;
    let input = prepared.x.select(Axis(0), &rows.rows);
    let encode_cost = (
        encode_seconds_per_1k(&run.a, input.view()),
        encode_seconds_per_1k(&run.b, input.view()),
    );
    let za = run.a.fitted.latents.select(Axis(0), &rows.rows);
    let zb = run.b.fitted.latents.select(Axis(0), &rows.rows);
    // one pass over the input's distances serves both methods
    let preservation = match neighbourhood_problem(settings.neighbors, rows.n, true) {
        Some(problem) => Err(Error::InvalidInput(problem)),
        None => neighbourhoods::neighbourhood_preservation(
            input.view(),
            &[za.view(), zb.view()],
            settings.neighbors,
        ),
    };
    let (pa, pb) = match preservation {
        Ok(p) => (Ok(p[0]), Ok(p[1])),
        Err(e) => (Err(Error::InvalidInput(e.to_string())), Err(e)),
    };
    // the downstream classifiers dominate what is left; A and B on a thread each
    let (a, b) = std::thread::scope(|scope| {
        let b = scope.spawn(|| evaluate_method(&run.b, prepared, &rows, &pb));
        let a = evaluate_method(&run.a, prepared, &rows, &pa);
        (a, b.join())
    });
    let mut b = b.map_err(|_| Error::Numerical("evaluation thread of method B failed".into()))?;
    let mut a = a;
    (a.encode_seconds_per_1k, b.encode_seconds_per_1k) = encode_cost;
    let mut notes = Vec::new();
    let (values, knn_jaccard, b_aligned) =
        compare_spaces(za.view(), zb.view(), settings, &mut notes);
    let inputs = VerdictInputs {
        reconstruction: (run.a.reconstruction_mse_test, run.b.reconstruction_mse_test),
        knn_accuracy: (a.knn_accuracy, b.knn_accuracy),
        linear_accuracy: (a.linear_accuracy, b.linear_accuracy),
        trustworthiness: (a.trustworthiness, b.trustworthiness),
        continuity: (a.continuity, b.continuity),
        linear_cka: values[0],
        knn_jaccard_mean: values[4],
        knn_shared_mean: shared_share(&knn_jaccard),
        neighbors: settings.neighbors,
        missing_reasons: missing_reasons(run, prepared, [&a.notes, &b.notes, &notes]),
        seed: prepared.seed,
        seeded_fit: [&run.a, &run.b]
            .iter()
            .any(|o| o.fitted.spec.kind().is_trained()),
        n_test: prepared.split.test.len(),
        latent_dims: (za.ncols(), zb.ncols()),
    };
    let comparison = Comparison {
        linear_cka: values[0],
        linear_cka_debiased: values[1],
        procrustes_disparity: values[2],
        mean_cca: values[3],
        knn_jaccard_mean: values[4],
        distance_spearman: values[5],
        verdict: judge(&inputs, &settings.margins),
        notes,
        knn_jaccard,
        b_aligned,
    };
    Ok(Evaluation {
        rows,
        a,
        b,
        comparison,
        settings: settings.clone(),
    })
}
