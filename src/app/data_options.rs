//! The data bar's "Data options" menu, shown for file data: the label column (any column of the
//! table, text ones included, found automatically, or none), a separate labels file, the
//! columns left out of the features, and the image shape. Each change loads the data again; a
//! load that fails shows why and keeps the data on screen and the options it was read with.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::data::columns::{auto_label_column, find_column};
use crate::data::{Dataset, ImageShape, LabelColumn, LoadOptions};

use super::LatentApp;
use super::worker::Purpose;

/// What is being typed into the menu's fields (the settings change on Enter).
#[derive(Debug, Default)]
pub struct DataOptionsView {
    labels_input: String,
    shape_input: String,
    /// Why the last change was not taken (a shape that is not one, a load that failed).
    problem: Option<String>,
}

impl DataOptionsView {
    /// Says in the menu why the data could not be read with the options asked for (`None`
    /// once a load succeeds).
    pub fn set_problem(&mut self, problem: Option<String>) {
        self.problem = problem;
    }
}

/// Width of the labels file field (the menu is as wide as it).
const FIELD_WIDTH: f32 = 300.0;

/// Rows shown at once in the menu's long column lists (a table may have hundreds of columns).
const LIST_HEIGHT: f32 = 320.0;

impl LatentApp {
    /// Changes how the data is read, and loads it again when that changed.
    pub fn change_load_options(&mut self, change: impl FnOnce(&mut LoadOptions)) {
        let before = self.settings.load.clone();
        change(&mut self.settings.load);
        if self.settings.load != before {
            self.data_options.problem = None;
            let source = self.settings.data.clone();
            self.request_load(source);
        }
    }

    /// Takes the labels from the file at `path` (`None`: from the data itself) and loads again.
    pub fn set_labels_file(&mut self, path: Option<PathBuf>) {
        self.change_load_options(|o| o.labels = path);
    }

    /// The "Data options" menu button (nothing for the built-in datasets).
    pub(super) fn data_options_ui(&mut self, ui: &mut egui::Ui) {
        if !self.is_file_data() {
            return;
        }
        // clicks on checkboxes and fields inside must not close it
        let config = egui::containers::menu::MenuConfig::new()
            .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
        egui::containers::menu::MenuButton::new("Data options")
            .config(config)
            .ui(ui, |ui| {
                self.data_options_menu_ui(ui);
            })
            .0
            .on_hover_text("label column, labels file, columns to leave out, image shape");
    }

    fn data_options_menu_ui(&mut self, ui: &mut egui::Ui) {
        let dataset = self.dataset.clone();
        match &dataset {
            // nothing read yet (the last load failed): the choices apply to the next one
            None => self.label_column_menu_ui(ui, &[]),
            Some(d) if d.columns.is_empty() => {
                let note = "This data has no named columns: give its labels as a file below.";
                ui.label(egui::RichText::new(note).weak());
            }
            Some(d) => {
                self.label_column_menu_ui(ui, &d.columns);
                self.columns_menu_ui(ui, d);
            }
        }
        ui.separator();
        self.labels_file_ui(ui);
        ui.separator();
        self.image_shape_ui(ui, dataset.as_deref());
        if let Some(why) = &self.data_options.problem {
            ui.separator();
            let text = egui::RichText::new(format!("Not applied: {why}"))
                .color(ui.visuals().error_fg_color);
            // not stretched to the menu's justified width
            ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                ui.add(egui::Label::new(text).wrap());
            });
        }
    }

    /// The column the labels are read from, as the loader finds it.
    fn label_index(&self, columns: &[String]) -> Option<usize> {
        match &self.settings.load.label_column {
            LabelColumn::Auto => auto_label_column(columns),
            LabelColumn::Unlabelled => None,
            LabelColumn::Named(wanted) => find_column(Path::new(""), columns, wanted, "").ok(),
        }
    }

    fn label_column_menu_ui(&mut self, ui: &mut egui::Ui, columns: &[String]) {
        let found = self.label_index(columns).map(|j| columns[j].as_str());
        let current = match (&self.settings.load.label_column, found) {
            (LabelColumn::Auto, Some(name)) => format!("{name} (automatic)"),
            (LabelColumn::Auto, None) => "(automatic: none found)".to_owned(),
            (LabelColumn::Unlabelled, _) => "(no labels)".to_owned(),
            (LabelColumn::Named(_), Some(name)) => name.to_owned(),
            (LabelColumn::Named(wanted), None) => wanted.clone(),
        };
        let mut choice = None;
        ui.menu_button(format!("Label column: {current}"), |ui| {
            let now = &self.settings.load.label_column;
            if ui
                .selectable_label(*now == LabelColumn::Auto, "(automatic)")
                .on_hover_text("a column named label, class, target or species, if there is one")
                .clicked()
            {
                choice = Some(LabelColumn::Auto);
            }
            if ui
                .selectable_label(*now == LabelColumn::Unlabelled, "(no labels)")
                .on_hover_text("every numeric column is data; no classes, no accuracy")
                .clicked()
            {
                choice = Some(LabelColumn::Unlabelled);
            }
            ui.separator();
            let chosen = self.label_index(columns);
            let row_height = ui.spacing().interact_size.y;
            egui::ScrollArea::vertical()
                .max_height(LIST_HEIGHT)
                .show_rows(ui, row_height, columns.len(), |ui, rows| {
                    for j in rows {
                        let named = *now != LabelColumn::Auto && chosen == Some(j);
                        if ui.selectable_label(named, &columns[j]).clicked() {
                            choice = Some(column_choice(columns, j));
                        }
                    }
                });
        });
        if let Some(choice) = choice {
            ui.close();
            let label = match &choice {
                LabelColumn::Named(wanted) => find_column(Path::new(""), columns, wanted, "").ok(),
                _ => None,
            };
            self.change_load_options(|o| {
                // the label cannot also be left out: the loader would refuse both
                if let Some(j) = label {
                    o.drop_columns
                        .retain(|d| find_column(Path::new(""), columns, d, "").ok() != Some(j));
                }
                o.label_column = choice;
            });
        }
    }

    fn columns_menu_ui(&mut self, ui: &mut egui::Ui, d: &Dataset) {
        let columns = &d.columns;
        let left_out = &self.settings.load.drop_columns;
        let title = match left_out.len() {
            0 => "Columns: none left out".to_owned(),
            n => format!("Columns: {n} left out"),
        };
        let label = self.label_index(columns);
        let dropped: HashSet<usize> = left_out
            .iter()
            .filter_map(|w| find_column(Path::new(""), columns, w, "").ok())
            .collect();
        let features: HashSet<&str> = d.feature_names.iter().map(String::as_str).collect();
        let mut toggled = None;
        let mut keep_all = false;
        ui.menu_button(title, |ui| {
            ui.label("Ticked columns are features; untick one to leave it out.");
            if ui
                .add_enabled(!left_out.is_empty(), egui::Button::new("Use every column"))
                .clicked()
            {
                keep_all = true;
            }
            ui.separator();
            let shown: Vec<usize> = (0..columns.len()).filter(|&j| Some(j) != label).collect();
            let row_height = ui.spacing().interact_size.y;
            egui::ScrollArea::vertical()
                .max_height(LIST_HEIGHT)
                .show_rows(ui, row_height, shown.len(), |ui, rows| {
                    for &j in &shown[rows] {
                        let name = &columns[j];
                        let is_dropped = dropped.contains(&j);
                        let mut used = !is_dropped && features.contains(name.as_str());
                        // a column the loader left out itself (text, empty, a row number)
                        let enabled = is_dropped || used;
                        let response = ui
                            .add_enabled(enabled, egui::Checkbox::new(&mut used, name.as_str()))
                            .on_disabled_hover_text(
                                "not a feature: text, empty or a row number (see the notes)",
                            );
                        if response.changed() {
                            toggled = Some((j, used));
                        }
                    }
                });
        });
        if keep_all {
            self.change_load_options(|o| o.drop_columns.clear());
        } else if let Some((j, used)) = toggled {
            self.change_load_options(|o| {
                if used {
                    o.drop_columns
                        .retain(|w| find_column(Path::new(""), columns, w, "").ok() != Some(j));
                } else {
                    o.drop_columns.push(columns[j].clone());
                }
            });
        }
    }

    fn labels_file_ui(&mut self, ui: &mut egui::Ui) {
        let field_id = egui::Id::unique("labels_file_input");
        let current = self.settings.load.labels.clone();
        if !ui.memory(|m| m.has_focus(field_id)) {
            self.data_options.labels_input = current
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
        }
        let heading = ui.label("Labels file:");
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut self.data_options.labels_input)
                    .id(field_id)
                    .hint_text("none (type a path and press Enter)")
                    .desired_width(FIELD_WIDTH),
            )
            .labelled_by(heading.id)
            .on_hover_text(
                "one label per data row: a .npy vector, a one-column CSV or IDX labels; \
                 type a path and press Enter",
            );
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let mut wanted = None;
        if enter {
            let typed = self.data_options.labels_input.trim();
            wanted = Some((!typed.is_empty()).then(|| PathBuf::from(typed)));
        }
        ui.horizontal(|ui| {
            if ui.button("Choose labels…").clicked() {
                self.request_dialog(Purpose::LabelsFile);
            }
            if ui
                .add_enabled(current.is_some(), egui::Button::new("Clear labels file"))
                .on_hover_text("no labels file: the labels come from the data again")
                .clicked()
            {
                wanted = Some(None);
            }
        });
        if let Some(path) = wanted {
            self.set_labels_file(path);
        }
    }

    fn image_shape_ui(&mut self, ui: &mut egui::Ui, d: Option<&Dataset>) {
        let field_id = egui::Id::unique("image_shape_input");
        let wanted = self.settings.load.image_shape;
        let loaded = d.and_then(|d| d.image_shape);
        if !ui.memory(|m| m.has_focus(field_id)) {
            self.data_options.shape_input = match (wanted, loaded) {
                (Some(shape), _) => shape.to_string(),
                (None, Some((h, w))) => format!("{h}x{w}"),
                (None, None) => String::new(),
            };
        }
        let mut change = None;
        ui.horizontal(|ui| {
            let heading = ui.label("Image shape:");
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.data_options.shape_input)
                        .id(field_id)
                        .hint_text("HxW")
                        .desired_width(80.0),
                )
                .labelled_by(heading.id)
                .on_hover_text("each row as an image of height × width pixels; Enter applies");
            if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                let typed = self.data_options.shape_input.trim();
                match typed.parse::<ImageShape>() {
                    _ if typed.is_empty() || typed.eq_ignore_ascii_case("auto") => {
                        change = Some(None);
                    }
                    Ok(shape) => change = Some(Some(shape)),
                    Err(why) => self.data_options.problem = Some(why),
                }
            }
            if ui
                .add_enabled(wanted.is_some(), egui::Button::new("auto"))
                .on_hover_text(
                    "images only when the loader knows (pixel-named columns, IDX, 3-D arrays)",
                )
                .clicked()
            {
                change = Some(None);
            }
        });
        let state = match (wanted, loaded) {
            (Some(_), Some((h, w))) => format!("rows are {h} × {w} images (as set)"),
            (None, Some((h, w))) => format!("rows are {h} × {w} images (found automatically)"),
            (None, None) => "not images (automatic)".to_owned(),
            (Some(_), None) => "not read as images yet".to_owned(),
        };
        ui.label(egui::RichText::new(state).weak());
        if let Some(shape) = change {
            self.change_load_options(|o| o.image_shape = shape);
        }
    }
}

/// The label choice for column `j`: by name, or by index when the name would read as a keyword
/// (`auto`, `none`) or is blank.
fn column_choice(columns: &[String], j: usize) -> LabelColumn {
    let name = columns[j].trim();
    let keyword = matches!(
        LabelColumn::from(name.to_owned()),
        LabelColumn::Auto | LabelColumn::Unlabelled
    );
    LabelColumn::Named(if keyword {
        j.to_string()
    } else {
        name.to_owned()
    })
}
