//! The report of a run (`report.json`, keys are a public contract: add, never rename) and the
//! per-row latents CSVs.

use std::path::{Path, PathBuf};

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::compare::{MethodOutcome, Run};
use crate::data::{Labels, Prepared};
use crate::error::{Error, Result};
use crate::evaluate::{Comparison, Evaluation, MethodEvaluation, MetricRows};
use crate::figures::FigureSize;
use crate::markdown;
use crate::methods::{EpochLoss, MethodSpec};
use crate::run_figures;

/// The dataset as used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetInfo {
    /// Built-in name or file name.
    pub name: String,
    /// Rows after dropping rows with missing values.
    pub n_samples: usize,
    /// Numeric columns used.
    pub n_features: usize,
    /// Number of classes (`null` for continuous labels or none).
    pub n_classes: Option<usize>,
    /// `classes`, `continuous` or `none`.
    pub labels: String,
    /// Scaling applied.
    pub preprocess: String,
    /// Columns constant on the training rows (left at 0 by scaling).
    pub constant_columns: Vec<String>,
    /// What the loader reported (dropped rows, left-out text columns).
    pub notes: Vec<String>,
}

/// Run-wide settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingsInfo {
    /// Split seed.
    pub seed: u64,
    /// Share of rows held out.
    pub test_fraction: f64,
    /// Training rows.
    pub n_train: usize,
    /// Test rows.
    pub n_test: usize,
    /// k of the neighbourhood metrics.
    pub neighbors: usize,
    /// Largest number of rows the metrics use.
    pub metric_sample: usize,
    /// Which rows the metrics used.
    pub metric_rows: MetricRows,
    /// The verdict's margins.
    pub margins: crate::verdict::Margins,
}

/// One method's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodReport {
    /// `pca`, `ae`, `vae`, `linear-ae` or `file`.
    pub kind: String,
    /// Human-readable description.
    pub description: String,
    /// Every parameter.
    pub spec: MethodSpec,
    /// Latent width.
    pub latent_dim: usize,
    /// Wall time of the fit in seconds.
    pub fit_seconds: f64,
    /// Learned parameters (`null` for precomputed latents).
    pub n_parameters: Option<usize>,
    /// PCA only.
    pub explained_variance_ratio: Option<Vec<f64>>,
    /// Mean squared reconstruction error on the training rows, in scaled units.
    pub reconstruction_mse_train: Option<f64>,
    /// The same on the test rows.
    pub reconstruction_mse_test: Option<f64>,
    /// Loss per epoch (empty for PCA and files).
    pub loss_history: Vec<EpochLoss>,
    /// Downstream accuracy, neighbourhood preservation and encoding cost.
    #[serde(flatten)]
    pub evaluation: MethodEvaluation,
}

/// Both methods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodPair {
    /// Method A.
    pub a: MethodReport,
    /// Method B.
    pub b: MethodReport,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Tool version that wrote it.
    pub version: String,
    /// The data.
    pub dataset: DatasetInfo,
    /// Run-wide settings.
    pub settings: SettingsInfo,
    /// Per-method figures.
    pub methods: MethodPair,
    /// The two spaces compared, and the verdict.
    pub comparison: Comparison,
    /// The command that reproduces the run, when known.
    pub command: Option<String>,
}

impl MethodReport {
    fn new(outcome: &MethodOutcome, evaluation: &MethodEvaluation) -> MethodReport {
        let fitted = &outcome.fitted;
        let model = fitted.model.as_deref();
        MethodReport {
            kind: fitted.spec.kind().to_string(),
            description: fitted.spec.to_string(),
            spec: fitted.spec.clone(),
            latent_dim: fitted.latents.ncols(),
            fit_seconds: fitted.fit_seconds,
            n_parameters: model.map(|m| m.n_parameters()),
            explained_variance_ratio: model
                .and_then(|m| m.explained_variance_ratio())
                .map(<[f64]>::to_vec),
            reconstruction_mse_train: outcome.reconstruction_mse_train,
            reconstruction_mse_test: outcome.reconstruction_mse_test,
            loss_history: fitted.loss_history.clone(),
            evaluation: evaluation.clone(),
        }
    }
}

impl Report {
    /// Builds the report of an evaluated run.
    pub fn new(run: &Run, eval: &Evaluation, command: Option<String>) -> Report {
        let p = &run.prepared;
        let ds = &p.dataset;
        Report {
            version: env!("CARGO_PKG_VERSION").to_string(),
            dataset: DatasetInfo {
                name: ds.name.clone(),
                n_samples: ds.n_samples(),
                n_features: ds.n_features(),
                n_classes: ds.n_classes(),
                labels: match &ds.labels {
                    Some(Labels::Classes { .. }) => "classes",
                    Some(Labels::Continuous(_)) => "continuous",
                    None => "none",
                }
                .into(),
                preprocess: p.preprocess().to_string(),
                constant_columns: p.constant_column_names(),
                notes: ds.notes.iter().chain(&p.scaling_note).cloned().collect(),
            },
            settings: SettingsInfo {
                seed: p.seed,
                test_fraction: p.test_fraction,
                n_train: p.split.train.len(),
                n_test: p.split.test.len(),
                neighbors: eval.settings.neighbors,
                metric_sample: eval.settings.metric_sample,
                metric_rows: eval.rows.clone(),
                margins: eval.settings.margins.clone(),
            },
            methods: MethodPair {
                a: MethodReport::new(&run.a, &eval.a),
                b: MethodReport::new(&run.b, &eval.b),
            },
            comparison: eval.comparison.clone(),
            command,
        }
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        // A Report holds only strings, numbers, options and vectors: serialising cannot fail.
        serde_json::to_string_pretty(self).expect("report serialises to JSON")
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|source| Error::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Latents of every row in data order: `z0..`, `split` (train/test), `label`, and `knn_jaccard`
/// (the row's k-NN agreement between A and B; empty for rows the metrics did not use).
pub fn latents_csv(latents: &Array2<f32>, prepared: &Prepared, eval: &Evaluation) -> String {
    let mut jaccard = vec![None; latents.nrows()];
    for (&row, &j) in eval.rows.rows.iter().zip(&eval.comparison.knn_jaccard) {
        jaccard[row] = Some(j);
    }
    let mut split = vec!["train"; latents.nrows()];
    for &r in &prepared.split.test {
        split[r] = "test";
    }
    let labels = prepared.dataset.labels.as_ref();
    let mut out = String::new();
    let header: Vec<String> = (0..latents.ncols()).map(|j| format!("z{j}")).collect();
    out.push_str(&header.join(","));
    out.push_str(",split,label,knn_jaccard\n");
    for (i, row) in latents.rows().into_iter().enumerate() {
        for v in row {
            out.push_str(&v.to_string());
            out.push(',');
        }
        out.push_str(split[i]);
        out.push(',');
        if let Some(labels) = labels {
            out.push_str(&csv_field(&labels.display(i)));
        }
        out.push(',');
        if let Some(j) = jaccard[i] {
            out.push_str(&j.to_string());
        }
        out.push('\n');
    }
    out
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// How the figures of a run are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FigureOptions {
    /// Pixel size of each figure.
    pub size: FigureSize,
    /// Loss curves on a log scale.
    pub log_loss: bool,
}

/// Writes `report.json`, `report.md`, `latents_a.csv`, `latents_b.csv`, `scatter.png`, (when a
/// method trained) `loss.png`, (when Procrustes applies) `aligned.png` and (after the equivalence protocol)
/// `equivalence.png` into `out_dir` (created if needed), and
/// returns the paths written.
pub fn write_outputs(
    run: &Run,
    eval: &Evaluation,
    report: &Report,
    out_dir: &Path,
    figures: FigureOptions,
) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out_dir).map_err(|source| Error::Write {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let (p, a, b) = (&*run.prepared, &*run.a, &*run.b);
    let size = figures.size;
    let mut files: Vec<(&str, Vec<u8>)> = vec![(
        "scatter.png",
        run_figures::scatter_pair(p, a, b, Some(eval), (0, 1), size)?,
    )];
    // PCA and precomputed latents have no loss curves: no empty figure for them
    if [a, b].iter().any(|m| !m.fitted.loss_history.is_empty()) {
        files.push((
            "loss.png",
            run_figures::loss(Some(a), Some(b), figures.log_loss, size)?,
        ));
    }
    if let Some(aligned) = run_figures::aligned(p, a, eval, size) {
        files.push(("aligned.png", aligned?));
    }
    if let Some(e) = &eval.comparison.equivalence {
        files.push((
            markdown::EQUIVALENCE_FIGURE,
            crate::figures::equivalence_png(e, size)?,
        ));
    }
    let captions = [
        ("scatter.png", "Latent spaces of A and B"),
        ("loss.png", "Training and validation loss"),
        ("aligned.png", "B rotated onto A by Procrustes"),
        (
            markdown::EQUIVALENCE_FIGURE,
            "Within- and between-method similarity of the runs",
        ),
    ];
    let embedded: Vec<(&str, &str)> = captions
        .into_iter()
        .filter(|(name, _)| files.iter().any(|(f, _)| f == name))
        .collect();
    files.extend([
        ("report.json", report.to_json().into_bytes()),
        (
            "report.md",
            markdown::render(report, &embedded).into_bytes(),
        ),
        (
            "latents_a.csv",
            latents_csv(&run.a.fitted.latents, &run.prepared, eval).into_bytes(),
        ),
        (
            "latents_b.csv",
            latents_csv(&run.b.fitted.latents, &run.prepared, eval).into_bytes(),
        ),
    ]);
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = out_dir.join(name);
        write_file(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}
