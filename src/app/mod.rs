//! The desktop app (feature `gui`): one window with the data bar on top, method A and B in side
//! panels, and the two latent spaces, loss curves and evaluation in the centre. Every numeric step
//! runs in a background job (see [`worker`]); the UI thread only draws and reacts.

mod actions;
mod data_bar;
mod data_options;
mod equivalence_view;
mod evaluation_view;
pub mod explorer;
mod export;
mod jobs;
mod messages;
mod method_panel;
mod msg;
pub mod plots;
mod results;
mod side_panels;
pub mod state;
pub mod sweep_view;
pub mod worker;

use std::sync::Arc;
use std::time::Instant;

use crate::data::{Dataset, LoadOptions, Prepared};
use crate::equivalence::Equivalence;
use crate::evaluate::Evaluation;
use crate::methods::EpochLoss;
use crate::pipeline::MethodOutcome;

pub use export::FigureKind;
use plots::{Colouring, LossView, ScatterPairView, ScatterSource};
use state::{PrepKey, Settings};
use worker::{DecodeTarget, JobKind, Side, Workers};

/// Key of the persisted settings in eframe's storage.
const STORAGE_KEY: &str = "latent-compare-settings";

/// A running fit (its job is the registry's `JobKind::Train(side)`).
#[derive(Debug)]
pub struct Training {
    /// When it started.
    pub started: Instant,
    /// What it fits, as the method reads in a title.
    pub method: String,
    /// Epochs it will train (0 for a method that does not train).
    pub epochs_total: usize,
    /// What its progress counts ("epoch", t-SNE's "iteration").
    pub step_word: &'static str,
    /// Its losses so far.
    pub live: Vec<EpochLoss>,
    /// Where a fit without epochs (PCA) stands, once it has said.
    pub stage: Option<crate::methods::FitStage>,
    /// Its latents as they form (t-SNE, UMAP), drawn in place of the side's last result meanwhile.
    pub live_latents: Option<ScatterSource>,
}

/// Where one method's fit stands.
#[derive(Debug, Default)]
pub enum SideStatus {
    /// Nothing running.
    #[default]
    Idle,
    /// Waiting for the data to be prepared; then this spec is fitted.
    WaitingForData(crate::methods::MethodSpec),
    /// Fitting.
    Training(Training),
    /// The last fit failed, was cancelled or could not start: why (the previous result stays).
    Failed(String),
}

/// One method's live state.
#[derive(Default)]
pub struct SideState {
    /// Where its fit stands.
    pub status: SideStatus,
    /// The last finished fit.
    pub outcome: Option<Arc<MethodOutcome>>,
    /// The data that fit was made on.
    pub prepared: Option<Arc<Prepared>>,
    /// What the scatter view draws for this method.
    pub source: Option<ScatterSource>,
}

impl SideState {
    /// Takes a finished fit of `side` on `prepared` as the side's result (its plot titled, and
    /// subtitled with `evaluation`'s figures when there is one); nothing is running after it.
    pub(crate) fn take_fit(
        &mut self,
        side: Side,
        outcome: Arc<MethodOutcome>,
        prepared: Arc<Prepared>,
        evaluation: Option<&crate::evaluate::MethodEvaluation>,
    ) {
        self.source = Some(ScatterSource {
            title: crate::run_figures::title(side.label(), &outcome),
            subtitle: crate::run_figures::key_figures(&outcome, evaluation),
            latents: Arc::new(outcome.fitted.latents.clone()),
        });
        self.outcome = Some(outcome);
        self.prepared = Some(prepared);
        self.status = SideStatus::Idle;
    }

    /// True while fitting or waiting for the data to fit.
    pub fn is_busy(&self) -> bool {
        matches!(
            self.status,
            SideStatus::Training(_) | SideStatus::WaitingForData(_)
        )
    }

    /// True while fitting.
    pub fn is_training(&self) -> bool {
        matches!(self.status, SideStatus::Training(_))
    }

    /// The running fit's losses so far (empty when none runs).
    pub fn live(&self) -> &[EpochLoss] {
        match &self.status {
            SideStatus::Training(t) => &t.live,
            _ => &[],
        }
    }

    /// Why the last fit failed or stopped, if it did.
    pub fn problem(&self) -> Option<&str> {
        match &self.status {
            SideStatus::Failed(why) => Some(why),
            _ => None,
        }
    }
}

/// The evaluation on screen, with the fits it was made from.
pub struct Shown {
    /// The run (shared with the export and report jobs).
    pub run: crate::pipeline::Run,
    /// Its evaluation.
    pub evaluation: Arc<Evaluation>,
    /// The equivalence protocol run on it, once it finished.
    pub equivalence: Option<Arc<Equivalence>>,
}

/// The application state (everything but eframe's window).
pub struct LatentApp {
    /// Persisted settings.
    pub settings: Settings,
    workers: Option<Workers>,
    /// The loaded dataset.
    pub dataset: Option<Arc<Dataset>>,
    /// The source and options the loaded dataset was read with (the settings go back to them
    /// when another load fails).
    loaded: Option<(String, LoadOptions)>,
    /// How far the load is (bytes of a file, rows of a built-in), once known.
    load_progress: Option<crate::data::LoadProgress>,
    /// The prepared (scaled, split) data and what it was made from.
    prepared: Option<(PrepKey, Arc<Prepared>)>,
    /// Method A and B.
    pub sides: [SideState; 2],
    /// The last evaluation.
    pub shown: Option<Shown>,
    /// Why A and B could not be evaluated together, if so.
    pub eval_note: Option<String>,
    /// The error banner (dismissable).
    pub banner: Option<String>,
    /// The status line (last save, load notes).
    pub status: Option<String>,
    /// The path typed into the data bar.
    pub path_input: String,
    /// What is being typed into the data options menu.
    data_options: data_options::DataOptionsView,
    colouring: Colouring,
    scatter_view: ScatterPairView,
    loss_view: LossView,
    /// The equivalence section.
    pub equivalence: equivalence_view::EquivalenceView,
    /// The sweep section.
    pub sweep: sweep_view::SweepView,
    explorer: explorer::ExplorerView,
    /// Scroll the results back to the top on the next frame (other data was loaded).
    scroll_to_top: bool,
    /// Height of the last evaluation shown, kept free while the next one is awaited.
    evaluation_height: f32,
    /// Whether method A's and B's panels are open (else collapsed to a strip).
    pub panels_open: [bool; 2],
    /// A panel's open or collapse button clicked in this frame: what it asked for.
    panel_toggle: [Option<bool>; 2],
    /// The window's size in the last frame.
    window_size: Option<egui::Vec2>,
}

impl LatentApp {
    /// A new app; the first frame starts loading `settings.data`.
    pub fn new(settings: Settings) -> Self {
        let loss_view = LossView {
            log_scale: settings.log_loss,
        };
        // a file loaded last time shows its path, as if just typed
        let path_input = if crate::data::is_builtin(&settings.data) {
            String::new()
        } else {
            settings.data.clone()
        };
        LatentApp {
            path_input,
            data_options: data_options::DataOptionsView::default(),
            settings,
            workers: None,
            dataset: None,
            loaded: None,
            load_progress: None,
            prepared: None,
            sides: Default::default(),
            shown: None,
            eval_note: None,
            banner: None,
            status: None,
            colouring: Colouring::None,
            scatter_view: ScatterPairView::default(),
            loss_view,
            equivalence: equivalence_view::EquivalenceView::default(),
            sweep: sweep_view::SweepView::default(),
            explorer: explorer::ExplorerView::default(),
            scroll_to_top: false,
            evaluation_height: 0.0,
            panels_open: [true; 2],
            panel_toggle: [None; 2],
            window_size: None,
        }
    }

    /// The side's state.
    pub fn side(&self, side: Side) -> &SideState {
        &self.sides[side.index()]
    }

    /// True while the explorer's decoder decodes a point or a grid.
    pub fn decoding(&self) -> bool {
        self.workers.as_ref().is_some_and(|w| {
            [DecodeTarget::Point, DecodeTarget::Grid]
                .into_iter()
                .any(|t| w.current(JobKind::Decode(t)).is_some())
        })
    }

    /// The explorer under the plots (for tests and automation).
    pub fn explorer(&self) -> &explorer::ExplorerView {
        &self.explorer
    }

    /// The two latent scatter plots (for tests and automation).
    pub fn scatter_view(&self) -> &ScatterPairView {
        &self.scatter_view
    }

    /// Draws one frame: drains the job messages, then the panels.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        if self.workers.is_none() {
            install_fonts(ui.ctx());
            self.workers = Some(Workers::new(ui.ctx().clone()));
            let source = self.settings.data.clone();
            self.request_load(source);
        }
        self.handle_messages();
        let window = ui.ctx().content_rect().size();
        if self.window_size.is_some_and(|size| size != window) {
            // the bars wrap to the new width: lay the frame out again at once, or a row that
            // wrapped stays half-clipped until the next event
            ui.ctx().request_discard("the window was resized");
        }
        self.window_size = Some(window);
        egui::Panel::top("data_bar").show(ui, |ui| self.data_bar_ui(ui));
        if self.banner.is_some() {
            egui::Panel::top("banner").show(ui, |ui| self.banner_ui(ui));
        }
        self.side_panels_ui(ui);
        egui::CentralPanel::default_margins().show(ui, |ui| self.results_ui(ui));
        self.settings.log_loss = self.loss_view.log_scale;
    }

    fn banner_ui(&mut self, ui: &mut egui::Ui) {
        let Some(text) = self.banner.clone() else {
            return;
        };
        egui::Frame::new()
            .fill(ui.visuals().error_fg_color.gamma_multiply(0.15))
            .inner_margin(6.0)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                let colour = ui.visuals().error_fg_color;
                ui.add(
                    egui::Label::new(
                        egui::RichText::new(format!("⚠ {text}"))
                            .strong()
                            .color(colour),
                    )
                    .wrap(),
                );
                if ui.small_button("Dismiss").clicked() {
                    self.banner = None;
                }
            });
    }

    /// Cancels and joins every job (the window is closing).
    pub fn shutdown(&mut self) {
        if let Some(w) = self.workers.as_mut() {
            w.shutdown();
        }
    }
}

/// DejaVu Sans (the figures' font) first for text, so the app reads like its exported figures and
/// has the symbols it uses (▶ ■ ✕ ⚠ β); egui's own fonts stay as fallbacks.
fn install_fonts(ctx: &egui::Context) {
    use egui::epaint::text::{FontInsert, FontPriority, InsertFontFamily};
    ctx.add_font(FontInsert::new(
        "DejaVuSans",
        egui::FontData::from_static(crate::figures::DEJAVU_SANS),
        vec![
            InsertFontFamily {
                family: egui::FontFamily::Proportional,
                priority: FontPriority::Highest,
            },
            InsertFontFamily {
                family: egui::FontFamily::Monospace,
                priority: FontPriority::Lowest,
            },
        ],
    ));
}

/// eframe's wrapper: persistence and shutdown.
struct EframeApp(LatentApp);

impl eframe::App for EframeApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.0.ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, &self.0.settings);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.0.shutdown();
    }
}

/// Set (to anything) to draw the scatter points on the CPU instead of the GPU.
pub const CPU_POINTS_VARIABLE: &str = "LATENT_COMPARE_CPU_POINTS";

/// Opens the window (blocks until it is closed).
pub fn run() -> eframe::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("latent-compare")
            .with_inner_size([1400.0, 900.0])
            .with_min_inner_size([900.0, 600.0]),
        ..Default::default()
    };
    eframe::run_native(
        "latent-compare",
        options,
        Box::new(|cc| {
            let settings: Settings = cc
                .storage
                .and_then(|s| eframe::get_value(s, STORAGE_KEY))
                .unwrap_or_default();
            let mut app = LatentApp::new(settings);
            // The GPU draws the scatter points unless the GL is too old or the user asks for
            // the CPU path (e.g. for a driver that draws them wrong).
            let cpu_asked = std::env::var_os(CPU_POINTS_VARIABLE).is_some();
            if let Some(gl) = &cc.gl {
                let on = !cpu_asked && plots::gpu_points_supported(gl);
                app.scatter_view.set_gpu_drawing(on);
            }
            Ok(Box::new(EframeApp(app)))
        }),
    )
}
