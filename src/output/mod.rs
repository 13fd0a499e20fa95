//! What a run leaves in a folder: `report.json` and `report.md` (from the report model), the
//! latents CSVs and the figures. The report model itself is `crate::report`.

/// The folder a run is written to unless one is given.
pub const DEFAULT_OUT_DIR: &str = "latent-compare-out";

mod folder;
mod latents;
pub mod markdown;
mod sweep_markdown;

use std::path::PathBuf;

pub use folder::OutputFolder;
pub use latents::latents_csv;

use crate::error::Result;
use crate::evaluate::Evaluation;
use crate::figures::FigureSize;
use crate::pipeline::Run;
use crate::report::Report;
use crate::run_figures;

/// How the figures of a run are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FigureOptions {
    /// Pixel size of each figure.
    pub size: FigureSize,
    /// Loss curves on a log scale.
    pub log_loss: bool,
}

/// Writes `report.json`, `report.md`, `latents_a.csv`, `latents_b.csv`, `scatter.png`, (when a
/// method trained) `loss.png`, (when Procrustes applies) `aligned.png`, (after the equivalence
/// protocol) `equivalence.png` and any `extra` files into `folder`, all whole (an earlier run's
/// files stay until every new one is written; figures it made and this run did not are
/// removed), and returns the paths written.
pub fn write_outputs(
    run: &Run,
    eval: &Evaluation,
    report: &Report,
    folder: &OutputFolder,
    figures: FigureOptions,
    extra: Vec<(&'static str, Vec<u8>)>,
) -> Result<Vec<PathBuf>> {
    let mut files = output_files(run, eval, report, figures)?;
    files.extend(extra);
    folder.write_run(&files)
}

/// The files of a run, in memory: name and bytes.
fn output_files(
    run: &Run,
    eval: &Evaluation,
    report: &Report,
    figures: FigureOptions,
) -> Result<Vec<(&'static str, Vec<u8>)>> {
    let (p, a, b) = (&*run.prepared, &*run.a, &*run.b);
    let size = figures.size;
    let mut files: Vec<(&'static str, Vec<u8>)> = vec![(
        "scatter.png",
        run_figures::scatter_pair(p, (a, b), Some(eval), ((0, 1), &[]), size)?,
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
    if let Some(e) = &report.comparison.equivalence {
        files.push((
            markdown::EQUIVALENCE_FIGURE,
            crate::figures::equivalence_png(e, size)?,
        ));
    }
    if let Some(s) = &report.sweep {
        let names = [&report.methods.a.kind, &report.methods.b.kind];
        let model = crate::plot::sweep::SweepModel::new(s, [names[0].as_str(), names[1].as_str()]);
        files.push((
            markdown::SWEEP_FIGURE,
            crate::figures::sweep_png(&model, size)?,
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
        (markdown::SWEEP_FIGURE, "The sweep"),
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
    Ok(files)
}
