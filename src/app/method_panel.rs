//! A side panel: one method's kind and settings, Train / Cancel, and the progress of its fit.
//! Settings changed during a fit apply to the next one (the running fit has its own copy).

use crate::nn::{Activation, OutputKind};

use super::worker::{Purpose, Side};
use super::{LatentApp, SideStatus, Training};
use crate::config::MethodConfig;
use crate::methods::{MethodKind, Setting, UmapInit};

/// A label followed by a widget that screen readers (and UI tests) know by that label.
pub(super) fn labelled(
    ui: &mut egui::Ui,
    text: &str,
    add: impl FnOnce(&mut egui::Ui) -> egui::Response,
) -> egui::Response {
    ui.label(text);
    add(ui).accessible_name(text.trim_end_matches(':'))
}

fn hidden_layers_ui(ui: &mut egui::Ui, hidden: &mut Vec<usize>) {
    ui.label("Hidden layers (encoder; the decoder mirrors them):");
    let mut remove = None;
    for (i, width) in hidden.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            labelled(ui, &format!("layer {}", i + 1), |ui| {
                ui.add(egui::DragValue::new(width).range(1..=4096).suffix(" units"))
            });
            if ui
                .small_button("✕")
                .on_hover_text("remove this layer")
                .clicked()
            {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        hidden.remove(i);
    }
    if ui.small_button("+ add layer").clicked() {
        let width = hidden.last().map_or(64, |w| (w / 2).max(2));
        hidden.push(width);
    }
}

fn activation_ui(ui: &mut egui::Ui, form: &mut MethodConfig, id: &str) -> egui::Response {
    egui::ComboBox::from_id_salt(format!("{id}_act"))
        .selected_text(form.activation.name())
        .show_ui(ui, |ui| {
            for a in [
                Activation::Relu,
                Activation::Tanh,
                Activation::Sigmoid,
                Activation::Linear,
            ] {
                ui.selectable_value(&mut form.activation, a, a.name());
            }
        })
        .response
}

fn output_ui(ui: &mut egui::Ui, form: &mut MethodConfig, id: &str) -> egui::Response {
    egui::ComboBox::from_id_salt(format!("{id}_out"))
        .selected_text(match form.output {
            OutputKind::Linear => "linear (MSE)",
            OutputKind::Sigmoid => "sigmoid (BCE)",
        })
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut form.output, OutputKind::Linear, "linear (MSE)");
            ui.selectable_value(&mut form.output, OutputKind::Sigmoid, "sigmoid (BCE)")
                .on_hover_text("needs minmax preprocessing");
        })
        .response
}

/// An "auto" box (`None`, explained by `hint`) and, unticked, the value (`fallback` at first).
fn auto_or_value<T: egui::emath::Numeric>(
    ui: &mut egui::Ui,
    value: &mut Option<T>,
    hint: &str,
    fallback: T,
    range: std::ops::RangeInclusive<T>,
) -> egui::Response {
    ui.horizontal(|ui| {
        let mut auto = value.is_none();
        let response = ui.checkbox(&mut auto, "auto").on_hover_text(hint);
        if auto {
            *value = None;
        } else {
            ui.add(egui::DragValue::new(value.get_or_insert(fallback)).range(range));
        }
        response
    })
    .inner
}

fn form_ui(ui: &mut egui::Ui, form: &mut MethodConfig, id: &str, n_features: usize) -> bool {
    let grid = egui::Grid::new(format!("{id}_grid"))
        .num_columns(2)
        .spacing([8.0, 6.0]);
    grid.show(ui, |ui| {
        labelled(ui, "Method", |ui| {
            egui::ComboBox::from_id_salt(format!("{id}_kind"))
                .selected_text(form.kind.label())
                .show_ui(ui, |ui| {
                    for kind in MethodKind::ALL {
                        ui.selectable_value(&mut form.kind, kind, kind.label());
                    }
                })
                .response
        });
        ui.end_row();
        // the controls of the settings this kind reads, as the registry lists them
        for &setting in form.kind.info().settings {
            if setting_ui(ui, form, setting, id, n_features) {
                ui.end_row();
            }
        }
    });
    let mut browse = false;
    for &setting in form.kind.info().settings {
        match setting {
            Setting::Hidden => {
                ui.add_space(4.0);
                hidden_layers_ui(ui, &mut form.hidden);
            }
            Setting::File => {
                ui.label("Latents file (CSV or NPY, one row per data row):");
                ui.horizontal(|ui| {
                    let edit = egui::TextEdit::singleline(&mut form.file)
                        .desired_width(170.0)
                        .hint_text("path");
                    ui.add(edit).accessible_name("latents file");
                    browse = ui.button("Browse…").clicked();
                });
            }
            _ => {}
        }
    }
    browse
}

/// One setting's row of the grid; false for the settings drawn below it (hidden layers, file).
fn setting_ui(
    ui: &mut egui::Ui,
    form: &mut MethodConfig,
    setting: Setting,
    id: &str,
    n_features: usize,
) -> bool {
    match setting {
        Setting::LatentDim => {
            // t-SNE's trees are quadtrees and octrees, UMAP's layout is 2-D or 3-D
            let widest = if matches!(form.kind, MethodKind::Tsne | MethodKind::Umap) {
                3
            } else {
                16
            };
            let max = widest.min(n_features.max(2));
            form.latent_dim = form.latent_dim.min(max);
            labelled(ui, "Latent dim", |ui| {
                ui.add(egui::Slider::new(&mut form.latent_dim, 2..=max))
            })
        }
        Setting::Activation => labelled(ui, "Activation", |ui| activation_ui(ui, form, id)),
        Setting::Output => labelled(ui, "Output", |ui| output_ui(ui, form, id)),
        Setting::Epochs => labelled(ui, "Epochs", |ui| {
            ui.add(egui::DragValue::new(&mut form.epochs).range(1..=10_000))
        }),
        Setting::BatchSize => labelled(ui, "Batch size", |ui| {
            ui.add(egui::DragValue::new(&mut form.batch_size).range(1..=8192))
        }),
        Setting::LearningRate => labelled(ui, "Learning rate", |ui| {
            ui.add(egui::Slider::new(&mut form.learning_rate, 1e-5..=1e-1).logarithmic(true))
        }),
        Setting::Beta => labelled(ui, "β (KL weight)", |ui| {
            ui.add(
                egui::DragValue::new(&mut form.beta)
                    .range(0.0..=100.0)
                    .speed(0.05),
            )
        }),
        Setting::Perplexity => labelled(ui, "Perplexity", |ui| {
            ui.add(egui::Slider::new(&mut form.perplexity, 2.0..=100.0))
                .on_hover_text("the effective number of neighbours each point attends to")
        }),
        Setting::EarlyExaggeration => labelled(ui, "Exaggeration", |ui| {
            ui.add(
                egui::DragValue::new(&mut form.early_exaggeration)
                    .range(1.0..=100.0)
                    .speed(0.1),
            )
            .on_hover_text("factor on the similarities for the first 250 iterations")
        }),
        Setting::Iterations => labelled(ui, "Iterations", |ui| {
            ui.add(egui::DragValue::new(&mut form.iterations).range(250..=10_000))
        }),
        Setting::Theta => {
            labelled(ui, "Barnes-Hut θ", |ui| {
                ui.add(egui::Slider::new(&mut form.theta, 0.0..=1.0))
                .on_hover_text("accuracy of the repulsion: 0 sums every pair (slow), 0.5 is scikit-learn's")
            })
        }
        Setting::TsneLearningRate => labelled(ui, "Step size", |ui| {
            auto_or_value(
                ui,
                &mut form.tsne_learning_rate,
                "scikit-learn's: max(rows / exaggeration / 4, 50)",
                200.0,
                1.0..=100_000.0,
            )
        }),
        Setting::NNeighbors => labelled(ui, "Neighbours", |ui| {
            ui.add(egui::Slider::new(&mut form.n_neighbors, 2..=200).logarithmic(true))
                .on_hover_text("neighbours of each point in UMAP's graph (the point counted): small keeps local detail, large the global shape")
        }),
        Setting::MinDist => labelled(ui, "Min distance", |ui| {
            ui.add(egui::Slider::new(&mut form.min_dist, 0.0..=1.0))
                .on_hover_text("how tightly UMAP may pack points together")
        }),
        Setting::Spread => labelled(ui, "Spread", |ui| {
            ui.add(
                egui::DragValue::new(&mut form.spread)
                    .range(0.05..=10.0)
                    .speed(0.01),
            )
            .on_hover_text("scale of the embedded clusters (at least the min distance)")
        }),
        Setting::NEpochs => labelled(ui, "Epochs", |ui| {
            auto_or_value(
                ui,
                &mut form.n_epochs,
                "umap-learn's: 500 up to 10 000 rows, else 200",
                200,
                1..=10_000,
            )
        }),
        Setting::NegativeSampleRate => labelled(ui, "Negatives", |ui| {
            ui.add(egui::DragValue::new(&mut form.negative_sample_rate).range(0..=100))
                .on_hover_text("points pushed away per pull (UMAP's negative sample rate)")
        }),
        Setting::Init => labelled(ui, "Start", |ui| {
            egui::ComboBox::from_id_salt(format!("{id}_init"))
                .selected_text(form.init.name())
                .show_ui(ui, |ui| {
                    for init in UmapInit::ALL {
                        ui.selectable_value(&mut form.init, init, init.name());
                    }
                })
                .response
        }),
        Setting::Seed => labelled(ui, "Seed", |ui| {
            ui.add(egui::DragValue::new(&mut form.seed))
        }),
        Setting::Hidden | Setting::File => return false,
    };
    true
}

/// Width of a settings row beside its slider: the name's column and the value's box.
const SLIDER_ROOM: f32 = 176.0;

fn seconds_text(s: f64) -> String {
    if s < 1.0 {
        "< 1 s".into()
    } else if s < 90.0 {
        format!("{s:.0} s")
    } else {
        format!("{:.0} min", s / 60.0)
    }
}

/// The progress of a fit without epochs (PCA): its stage, the share done and, once a tenth is,
/// the time left.
fn stage_progress(t: &Training) -> (f32, String) {
    let Some(stage) = t.stage else {
        return (0.0, "fitting…".into());
    };
    let mut text = format!("{}…", stage.what);
    if (0.1..1.0).contains(&stage.done) {
        let elapsed = t.started.elapsed().as_secs_f64();
        let left = elapsed / f64::from(stage.done) * f64::from(1.0 - stage.done);
        text.push_str(&format!(" · {} left", seconds_text(left)));
    }
    (stage.done, text)
}

impl LatentApp {
    /// The progress text of a running fit: epoch, current loss, time left.
    pub fn progress_text(&self, side: Side) -> Option<(f32, String)> {
        let SideStatus::Training(t) = &self.side(side).status else {
            return None;
        };
        if t.epochs_total == 0 {
            return Some(stage_progress(t));
        }
        // the last reported step: epochs count one by one, t-SNE's iterations by 50, UMAP's epochs by 10
        let done = t.live.last().map_or(0, |l| l.epoch);
        let fraction = done as f32 / t.epochs_total as f32;
        let mut text = format!("{} {done}/{}", t.step_word, t.epochs_total);
        if let Some(last) = t.live.last() {
            text.push_str(&format!(" · loss {:.4}", last.train));
        }
        if done > 0 {
            let per_epoch = t.started.elapsed().as_secs_f64() / done as f64;
            text.push_str(&format!(
                " · {} left",
                seconds_text(per_epoch * t.epochs_total.saturating_sub(done) as f64)
            ));
        }
        Some((fraction, text))
    }

    pub(super) fn method_panel_ui(&mut self, ui: &mut egui::Ui, side: Side) {
        // the sliders take what the names and values leave, so that the panel can be narrow;
        // what still does not fit scrolls sideways instead of widening the panel
        ui.spacing_mut().slider_width = (ui.available_width() - SLIDER_ROOM).clamp(48.0, 140.0);
        egui::ScrollArea::both()
            .auto_shrink([false, true])
            .show(ui, |ui| {
                ui.add_space(4.0);
                self.panel_heading_ui(ui, side);
                ui.add_space(4.0);
                let n_features = self.dataset.as_ref().map_or(64, |d| d.n_features());
                let form = self.settings.method_mut(side);
                let browse = form_ui(ui, form, side.label(), n_features);
                if browse {
                    self.request_dialog(Purpose::LatentsFile(side));
                }
                ui.add_space(8.0);
                let running = self.side(side).is_busy();
                ui.horizontal(|ui| {
                    let label = format!("▶ Train {}", side.label());
                    if ui
                        .add_enabled(!running && self.dataset.is_some(), egui::Button::new(label))
                        .clicked()
                    {
                        self.request_train(side);
                    }
                    if ui
                        .add_enabled(
                            running,
                            egui::Button::new(format!("■ Cancel {}", side.label())),
                        )
                        .clicked()
                    {
                        self.cancel(side);
                    }
                });
                if let Some((fraction, text)) = self.progress_text(side) {
                    ui.add(
                        egui::ProgressBar::new(fraction)
                            .show_percentage()
                            .animate(true),
                    );
                    ui.label(text);
                } else if matches!(self.side(side).status, SideStatus::WaitingForData(_)) {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("preparing the data…");
                    });
                }
                if let Some(problem) = self.side(side).problem() {
                    ui.colored_label(ui.visuals().warn_fg_color, problem);
                }
                if let Some(outcome) = &self.side(side).outcome {
                    ui.add_space(6.0);
                    ui.label(egui::RichText::new("Last fit").strong());
                    ui.label(format!("{}", outcome.fitted.spec));
                    let memory = outcome.fitted.peak_memory_bytes.map_or(String::new(), |b| {
                        format!(", peak {}", crate::memory::format_bytes(b))
                    });
                    ui.label(format!(
                        "fitted in {:.2} s{memory}",
                        outcome.fitted.fit_seconds
                    ));
                    if let Some(m) = outcome.reconstruction_mse_test {
                        ui.label(format!("test reconstruction MSE {m:.4}"));
                    }
                }
            });
    }
}
