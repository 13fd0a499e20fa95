//! The report of a run: the serde model of `report.json` (its keys are a public contract: add,
//! never rename). Writing it, and everything else a run leaves in a folder, is the `output` module.

use serde::{Deserialize, Serialize};

use crate::data::Labels;
use crate::equivalence::Equivalence;
use crate::evaluate::{Comparison, Evaluation, MethodEvaluation, MetricRows};
use crate::memory;
use crate::methods::{EpochLoss, MethodSpec};
use crate::pipeline::{MethodOutcome, Run};
use crate::sweep::summary::SweepReport;

/// The dataset as used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetInfo {
    /// Built-in name or file name.
    pub name: String,
    /// Rows after dropping rows with missing values.
    pub n_samples: usize,
    /// Numeric columns used.
    pub n_features: usize,
    /// `[height, width]` when each row is an image, else `null`.
    pub image_shape: Option<[usize; 2]>,
    /// Number of classes (`null` for continuous labels or none).
    pub n_classes: Option<usize>,
    /// `classes`, `continuous` or `none`.
    pub labels: LabelKind,
    /// Scaling applied.
    pub preprocess: String,
    /// Columns constant on the training rows (left at 0 by scaling).
    pub constant_columns: Vec<String>,
    /// What the loader reported (dropped rows, left-out text columns).
    pub notes: Vec<String>,
}

/// What the dataset's labels are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LabelKind {
    /// Classes (integers or names).
    Classes,
    /// A continuous value per row.
    Continuous,
    /// No labels.
    None,
}

impl std::fmt::Display for LabelKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LabelKind::Classes => "classes",
            LabelKind::Continuous => "continuous",
            LabelKind::None => "none",
        })
    }
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
    pub margins: crate::config::Margins,
}

/// `run` in report.json: the whole process's memory, up to when the report was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    /// The most bytes the process had allocated at once (loading, both fits, measuring).
    pub peak_heap_bytes: u64,
    /// The process's peak resident memory as the system counts it (`null` where it does not
    /// say: Linux's `VmHWM`).
    pub peak_resident_bytes: Option<u64>,
}

impl RunInfo {
    /// The process's figures so far.
    pub fn now() -> RunInfo {
        RunInfo {
            peak_heap_bytes: memory::process_peak(),
            peak_resident_bytes: memory::resident_peak(),
        }
    }
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
    /// Peak bytes the fit had allocated at once above what was allocated when it started,
    /// counted on the fit's own threads (`null` for precomputed latents).
    #[serde(default)]
    pub peak_memory_bytes: Option<u64>,
    /// Bytes of what the model keeps to encode and decode (`null` without a model: t-SNE,
    /// UMAP, precomputed latents).
    #[serde(default)]
    pub model_bytes: Option<u64>,
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

/// `comparison` in report.json: the between-space figures and the verdict of the single run
/// (flattened, so the keys are those of [`Comparison`]), then the protocol's outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonReport {
    /// The evaluation's comparison of the two spaces.
    #[serde(flatten)]
    pub between: Comparison,
    /// Equivalence over repeated fits (`null` unless asked for: CLI `--repeats`).
    #[serde(default)]
    pub equivalence: Option<Equivalence>,
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
    /// The two spaces compared, the verdict, and the equivalence protocol when it ran.
    pub comparison: ComparisonReport,
    /// The command that reproduces the run, when known.
    pub command: Option<String>,
    /// The process's memory when the report was made (`null` in reports of older versions).
    #[serde(default)]
    pub run: Option<RunInfo>,
    /// A sweep's points and summary (`null` unless one ran: CLI `--sweep`); the report's
    /// methods and comparison are then those of its first finished point.
    #[serde(default)]
    pub sweep: Option<SweepReport>,
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
            peak_memory_bytes: fitted.peak_memory_bytes,
            model_bytes: model.map(|m| m.model_bytes() as u64),
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
    /// Builds the report of an evaluated run, with the equivalence protocol's outcome when it ran.
    pub fn new(
        run: &Run,
        eval: &Evaluation,
        equivalence: Option<&Equivalence>,
        command: Option<String>,
    ) -> Report {
        let p = &run.prepared;
        let ds = &p.dataset;
        Report {
            version: env!("CARGO_PKG_VERSION").to_string(),
            dataset: DatasetInfo {
                name: ds.name.clone(),
                n_samples: ds.n_samples(),
                n_features: ds.n_features(),
                image_shape: ds.image_shape.map(|(h, w)| [h, w]),
                n_classes: ds.n_classes(),
                labels: match &ds.labels {
                    Some(Labels::Classes { .. }) => LabelKind::Classes,
                    Some(Labels::Continuous(_)) => LabelKind::Continuous,
                    None => LabelKind::None,
                },
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
            comparison: ComparisonReport {
                between: eval.comparison.clone(),
                equivalence: equivalence.cloned(),
            },
            command,
            run: Some(RunInfo::now()),
            sweep: None,
        }
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        // A Report holds only strings, numbers, options and vectors: serialising cannot fail.
        serde_json::to_string_pretty(self).expect("report serialises to JSON")
    }
}
