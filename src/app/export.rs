//! PNG export of the plots on screen, drawn by the core's renderer (the same figures the CLI
//! writes), on a job thread.

use std::path::PathBuf;

use crate::figures::FigureSize;
use crate::run_figures;

use super::{LatentApp, jobs};

/// Which figure to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureKind {
    /// A and B side by side.
    ScatterPair,
    /// A's scatter plot alone.
    ScatterA,
    /// B's scatter plot alone.
    ScatterB,
    /// Loss curves of the trained methods.
    Loss,
    /// B rotated onto A by Procrustes.
    Aligned,
}

impl FigureKind {
    /// Every kind, in menu order.
    pub const ALL: [FigureKind; 5] = [
        FigureKind::ScatterPair,
        FigureKind::ScatterA,
        FigureKind::ScatterB,
        FigureKind::Loss,
        FigureKind::Aligned,
    ];

    /// Menu text.
    pub fn label(self) -> &'static str {
        match self {
            FigureKind::ScatterPair => "Scatter plots A and B",
            FigureKind::ScatterA => "Scatter plot A",
            FigureKind::ScatterB => "Scatter plot B",
            FigureKind::Loss => "Loss curves",
            FigureKind::Aligned => "B aligned onto A",
        }
    }

    /// Suggested file name.
    pub fn file_name(self) -> &'static str {
        match self {
            FigureKind::ScatterPair => "scatter.png",
            FigureKind::ScatterA => "scatter_a.png",
            FigureKind::ScatterB => "scatter_b.png",
            FigureKind::Loss => "loss.png",
            FigureKind::Aligned => "aligned.png",
        }
    }
}

impl LatentApp {
    /// True when the figure has what it needs.
    pub fn can_export(&self, kind: FigureKind) -> bool {
        let (a, b) = (&self.sides[0].outcome, &self.sides[1].outcome);
        match kind {
            FigureKind::ScatterPair => {
                a.is_some() && b.is_some() && self.sides[0].prepared.is_some()
            }
            FigureKind::ScatterA => a.is_some(),
            FigureKind::ScatterB => b.is_some(),
            FigureKind::Loss => [a, b].iter().any(|o| {
                o.as_ref()
                    .is_some_and(|o| !o.fitted.loss_history.is_empty())
            }),
            FigureKind::Aligned => self.shown.is_some(),
        }
    }

    /// Renders `kind` to `path` on a job thread.
    pub fn export_figure(&mut self, kind: FigureKind, path: PathBuf) {
        if !self.can_export(kind) {
            self.fail(format!("nothing to export for \"{}\" yet", kind.label()));
            return;
        }
        let size = FigureSize::default();
        let log_loss = self.settings.log_loss;
        let (a, b) = (self.sides[0].outcome.clone(), self.sides[1].outcome.clone());
        let prepared = self.sides[0]
            .prepared
            .clone()
            .or_else(|| self.sides[1].prepared.clone());
        let shown = self
            .shown
            .as_ref()
            .map(|s| (s.run.clone(), s.evaluation.clone()));
        let eval = shown.as_ref().map(|(_, e)| e.clone());
        // the classes hidden on screen are left out of the figure too
        let hidden = self.scatter_view.hidden_classes().to_vec();
        let render = move || -> crate::Result<Vec<u8>> {
            let missing = || crate::Error::InvalidInput("the fit to export is gone".into());
            let eval = eval.as_deref();
            match kind {
                FigureKind::ScatterPair => {
                    let (p, a, b) = (
                        prepared.ok_or_else(missing)?,
                        a.ok_or_else(missing)?,
                        b.ok_or_else(missing)?,
                    );
                    run_figures::scatter_pair(&p, (&a, &b), eval, ((0, 1), &hidden), size)
                }
                FigureKind::ScatterA | FigureKind::ScatterB => {
                    let is_b = kind == FigureKind::ScatterB;
                    let outcome = if is_b { b } else { a }.ok_or_else(missing)?;
                    let side_eval = eval.map(|e| if is_b { &e.b } else { &e.a });
                    let p = prepared.ok_or_else(missing)?;
                    let label = if is_b { "B" } else { "A" };
                    let view = ((0, 1), hidden.as_slice());
                    run_figures::scatter_one(&p, (label, &outcome), side_eval, view, size)
                }
                FigureKind::Loss => run_figures::loss(a.as_deref(), b.as_deref(), log_loss, size),
                FigureKind::Aligned => {
                    let (run, e) = shown.ok_or_else(missing)?;
                    run_figures::aligned(&run.prepared, &run.a, &e, size).unwrap_or_else(|| {
                        Err(crate::Error::InvalidInput(
                            "Procrustes could not be computed for these spaces".into(),
                        ))
                    })
                }
            }
        };
        let Some(workers) = self.workers.as_mut() else {
            return;
        };
        let what = format!("figure \"{}\"", kind.label());
        let started = jobs::write_bytes(workers, what, path, render);
        if let Err(e) = started {
            self.fail(format!("could not start the export: {e}"));
        }
    }
}
