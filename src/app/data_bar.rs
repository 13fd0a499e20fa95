//! The top bar: dataset picker, Open…, a path field, the data options, preprocessing and split,
//! a one-line summary, and the run-wide actions (train both, save, export, experiments).

use crate::data::{BUILTIN_NAMES, MissingPolicy, Preprocess};

use super::export::FigureKind;
use super::method_panel::labelled;
use super::worker::{Purpose, Side};
use super::{LatentApp, SideState};

impl LatentApp {
    /// One line describing the loaded data and how it is prepared.
    pub fn summary(&self) -> String {
        let Some(d) = &self.dataset else {
            return match self.loading() {
                Some(source) => format!("loading {source}…"),
                None => "no data loaded".into(),
            };
        };
        let labels = match d.n_classes() {
            Some(c) => format!("{c} classes"),
            None if d.labels.is_some() => "continuous labels".into(),
            None => "no labels".into(),
        };
        let images = match d.image_shape {
            Some((h, w)) => format!(" · {h}×{w} images"),
            None => String::new(),
        };
        let split = if self.settings.test_fraction > 0.0 {
            format!("test fraction {}", self.settings.test_fraction)
        } else {
            "no test split".into()
        };
        format!(
            "{} · {} rows × {} features{images} · {labels} · {} · {split} · seed {}",
            d.name,
            d.n_samples(),
            d.n_features(),
            self.settings.preprocess,
            self.settings.seed
        )
    }

    /// True when the data is a file (not a built-in dataset).
    pub fn is_file_data(&self) -> bool {
        !BUILTIN_NAMES.contains(&self.settings.data.as_str())
    }

    pub(super) fn data_bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            ui.heading("latent-compare");
            ui.separator();
            let dataset_label = ui.label("Dataset:");
            let current = if BUILTIN_NAMES.contains(&self.settings.data.as_str()) {
                self.settings.data.clone()
            } else {
                "file".to_string()
            };
            let mut picked = None;
            egui::ComboBox::from_id_salt("dataset")
                .selected_text(current.clone())
                .show_ui(ui, |ui| {
                    for name in BUILTIN_NAMES {
                        if ui.selectable_label(current == name, name).clicked() {
                            picked = Some(name.to_string());
                        }
                    }
                })
                .response
                .labelled_by(dataset_label.id);
            if let Some(name) = picked {
                self.path_input.clear();
                self.open_source(name);
            }
            if ui
                .button("Open…")
                .on_hover_text("Open a CSV, TSV or NPY file with your desktop's file dialog (xdg-desktop-portal or zenity); you can also type the path in the field")
                .clicked()
            {
                self.request_dialog(Purpose::OpenData);
            }
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.path_input)
                    .hint_text("or type a file path")
                    .desired_width(220.0),
            );
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if ui.button("Load").clicked() || enter {
                let path = self.path_input.trim().to_string();
                if path.to_ascii_lowercase().ends_with(".toml") {
                    self.open_experiment(path.into());
                } else {
                    self.open_source(path);
                }
            }
            self.data_options_ui(ui);
            self.load_progress_ui(ui);
        });
        let missing_before = self.settings.load.missing;
        ui.horizontal_wrapped(|ui| {
            let settings = &mut self.settings;
            labelled(ui, "Preprocess:", |ui| {
                egui::ComboBox::from_id_salt("preprocess")
                    .selected_text(settings.preprocess.as_str())
                    .show_ui(ui, |ui| {
                        for p in [
                            Preprocess::Standardize,
                            Preprocess::Minmax,
                            Preprocess::None,
                        ] {
                            ui.selectable_value(&mut settings.preprocess, p, p.as_str());
                        }
                    })
                    .response
            });
            labelled(ui, "Test fraction:", |ui| {
                ui.add(
                    egui::DragValue::new(&mut settings.test_fraction)
                        .range(0.0..=0.9)
                        .speed(0.01),
                )
            });
            labelled(ui, "Seed:", |ui| {
                ui.add(egui::DragValue::new(&mut settings.seed))
            });
            labelled(ui, "Missing values:", |ui| {
                egui::ComboBox::from_id_salt("missing")
                    .selected_text(match settings.load.missing {
                        MissingPolicy::Drop => "drop rows",
                        MissingPolicy::Error => "stop with an error",
                    })
                    .show_ui(ui, |ui| {
                        ui.selectable_value(
                            &mut settings.load.missing,
                            MissingPolicy::Drop,
                            "drop rows",
                        );
                        ui.selectable_value(
                            &mut settings.load.missing,
                            MissingPolicy::Error,
                            "stop with an error",
                        );
                    })
                    .response
            });
            ui.separator();
            let summary = self.summary();
            ui.label(egui::RichText::new(summary).weak());
        });
        // a table is read again with the new policy (built-ins have no missing values)
        if self.settings.load.missing != missing_before && self.is_file_data() {
            let source = self.settings.data.clone();
            self.request_load(source);
        }
        ui.horizontal_wrapped(|ui| {
            let busy = self.sides.iter().any(SideState::is_busy);
            if ui
                .add_enabled(!busy, egui::Button::new("▶ Train both"))
                .clicked()
            {
                self.request_train_both();
            }
            // always there (greyed while idle), so that starting a job moves nothing in the bar
            if ui
                .add_enabled(busy, egui::Button::new("■ Cancel both"))
                .clicked()
            {
                self.cancel(Side::A);
                self.cancel(Side::B);
            }
            ui.separator();
            labelled(ui, "Save to:", |ui| {
                ui.add(egui::TextEdit::singleline(&mut self.settings.out_dir).desired_width(200.0))
            })
            .on_hover_text("folder for the report, exported figures and the experiment file");
            if ui
                .button("Choose…")
                .on_hover_text("pick the folder with your desktop's dialog")
                .clicked()
            {
                self.request_dialog(Purpose::OutputFolder);
            }
            if ui
                .add_enabled(self.shown.is_some(), egui::Button::new("Save report"))
                .on_hover_text(
                    "report.json, report.md, figures, latents and experiment.toml into the folder",
                )
                .clicked()
            {
                self.save_report(self.out_dir());
            }
            ui.menu_button("Export PNG", |ui| {
                for kind in FigureKind::ALL {
                    if ui
                        .add_enabled(self.can_export(kind), egui::Button::new(kind.label()))
                        .on_hover_text(format!(
                            "writes {}",
                            self.out_dir().join(kind.file_name()).display()
                        ))
                        .clicked()
                    {
                        self.export_figure(kind, self.out_dir().join(kind.file_name()));
                        ui.close();
                    }
                }
            });
            ui.menu_button("Experiment", |ui| {
                if ui
                    .button("Save experiment")
                    .on_hover_text("experiment.toml in the folder; the CLI reruns it with --config")
                    .clicked()
                {
                    let path = self.out_dir().join("experiment.toml");
                    self.save_experiment(path);
                    ui.close();
                }
                if ui
                    .button("Open experiment…")
                    .on_hover_text("or type the .toml path in the path field and press Load")
                    .clicked()
                {
                    self.request_dialog(Purpose::OpenExperiment);
                    ui.close();
                }
                // a sub-menu is the confirmation: resetting reloads the data and drops fits
                ui.menu_button("Reset all settings", |ui| {
                    ui.label("Back to the defaults: the data is loaded again and trained results are discarded.");
                    if ui.button("Reset").clicked() {
                        self.reset_settings();
                        ui.close();
                    }
                });
            });
            if let Some(status) = &self.status {
                ui.separator();
                ui.label(status);
            }
        });
        ui.add_space(2.0);
    }
}
