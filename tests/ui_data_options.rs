//! The data bar's "Data options" menu driven headlessly: the label column (text columns and
//! none), columns left out, a labels file for an array, the image shape, and what happens when
//! the source changes or a load fails.
#![cfg(feature = "gui")]

mod app_harness;

use std::path::{Path, PathBuf};

use app_harness::step_until;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use latent_compare::app::LatentApp;
use latent_compare::app::state::Settings;
use latent_compare::config::ExperimentConfig;
use latent_compare::data::{LabelColumn, Labels, LoadOptions, MissingPolicy};

fn app(data: &Path) -> Harness<'static, LatentApp> {
    let settings = Settings {
        data: data.display().to_string(),
        ..Settings::default()
    };
    let mut h = app_harness::app_sized(settings, 1400.0, 900.0);
    step_until(&mut h, "the data to load", |a| {
        a.loading().is_none() && a.dataset.is_some()
    });
    h
}

/// A small penguins table: three species on two islands, two text columns and a year.
fn penguins(dir: &Path) -> PathBuf {
    let path = dir.join("penguins.csv");
    let mut text = String::from(
        "species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year\n",
    );
    for i in 0..30 {
        let (species, island, base) = match i % 3 {
            0 => ("Adelie", "Dream", 38.0),
            1 => ("Chinstrap", "Dream", 48.0),
            _ => ("Gentoo", "Biscoe", 47.0),
        };
        let sex = if i % 2 == 0 { "male" } else { "female" };
        let j = f64::from(i);
        text.push_str(&format!(
            "{species},{island},{:.1},{:.1},{},{},{sex},{}\n",
            base + j * 0.1,
            15.0 + (j * 0.37) % 4.0,
            185 + i % 30,
            3500 + 40 * i,
            2007 + i % 3
        ));
    }
    std::fs::write(&path, text).unwrap();
    path
}

/// Steps once (so that the last click or key counts), then until no load runs.
fn loaded(h: &mut Harness<'_, LatentApp>) {
    h.step();
    step_until(h, "the load to finish", |a| a.loading().is_none());
}

/// Opens the "Data options" menu unless it is open (a click elsewhere may have just closed
/// it: the frame after that click still shows it, so two frames pass first).
fn open_menu(h: &mut Harness<'_, LatentApp>) {
    h.run_steps(2);
    if h.query_by_label("Labels file:").is_none() {
        h.get_by_label("Data options").click();
        h.run_steps(2);
    }
    assert!(
        h.query_by_label("Labels file:").is_some(),
        "the menu did not open"
    );
}

fn open_submenu(h: &mut Harness<'_, LatentApp>, title_start: &str) {
    open_menu(h);
    h.get_by_label_contains(title_start).click();
    h.run_steps(2);
}

/// Types `text` into the field labelled `label` (replacing what it holds) and presses Enter.
fn enter_text(h: &mut Harness<'_, LatentApp>, label: &str, text: &str) {
    open_menu(h);
    h.get_by_label(label).click();
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.step();
    h.get_by_label(label).type_text(text);
    h.step();
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
}

fn class_names(a: &LatentApp) -> Vec<String> {
    match a.dataset.as_ref().and_then(|d| d.labels.as_ref()) {
        Some(Labels::Classes { names, .. }) => names.clone(),
        other => panic!("no classes: {other:?}"),
    }
}

#[test]
fn a_text_column_can_be_the_labels_and_no_labels_is_a_choice() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(&penguins(dir.path()));
    assert_eq!(class_names(h.state()), ["Adelie", "Chinstrap", "Gentoo"]);
    open_submenu(&mut h, "Label column: species (automatic)");
    // every column is offered, the text ones too
    for column in ["island", "sex", "year", "bill_length_mm"] {
        assert!(h.query_by_label(column).is_some(), "{column} not offered");
    }
    h.get_by_label("island").click();
    loaded(&mut h);
    assert_eq!(
        h.state().settings.load.label_column,
        LabelColumn::Named("island".into())
    );
    assert_eq!(class_names(h.state()), ["Biscoe", "Dream"]);
    assert!(h.query_by_label_contains("2 classes").is_some());
    assert!(h.state().banner.is_none(), "{:?}", h.state().banner);

    open_submenu(&mut h, "Label column: island");
    h.get_by_label("(no labels)").click();
    loaded(&mut h);
    let d = h.state().dataset.clone().unwrap();
    assert!(d.labels.is_none());
    assert_eq!(d.n_features(), 5, "{:?}", d.feature_names);
    assert_eq!(
        h.state().settings.load.label_column,
        LabelColumn::Unlabelled
    );
    assert!(h.query_by_label_contains("· no labels ·").is_some());
}

#[test]
fn a_left_out_column_stops_being_a_feature_and_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(&penguins(dir.path()));
    assert_eq!(h.state().dataset.as_ref().unwrap().n_features(), 5);
    open_submenu(&mut h, "Columns: none left out");
    // the label is not offered; a text column is shown but cannot be ticked
    assert!(h.query_by_label("species").is_none());
    assert!(h.get_by_label("island").accesskit_node().is_disabled());
    h.get_by_label("year").click();
    loaded(&mut h);
    let d = h.state().dataset.clone().unwrap();
    assert_eq!(d.n_features(), 4);
    assert!(!d.feature_names.contains(&"year".to_owned()));
    assert_eq!(h.state().settings.load.drop_columns, ["year"]);
    // the menu stays open for the next column, with year unticked
    assert!(h.query_by_label_contains("Columns: 1 left out").is_some());
    assert_eq!(
        h.get_by_label("year").accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::False)
    );

    let path = dir.path().join("exp.toml");
    h.state_mut().save_experiment(path.clone());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("drop_columns = [\"year\"]"), "{text}");
    let back = ExperimentConfig::from_file(&path)
        .unwrap()
        .resolve()
        .unwrap();
    assert_eq!(back.load.drop_columns, ["year"]);

    open_submenu(&mut h, "Columns: 1 left out");
    h.get_by_label("Use every column").click();
    loaded(&mut h);
    assert_eq!(h.state().dataset.as_ref().unwrap().n_features(), 5);
    assert!(h.state().settings.load.drop_columns.is_empty());

    // a left-out column chosen as the labels is used again (the loader refuses both)
    h.state_mut()
        .change_load_options(|o| o.drop_columns = vec!["year".into()]);
    loaded(&mut h);
    open_submenu(&mut h, "Label column:");
    h.get_by_label("year").click();
    loaded(&mut h);
    assert!(h.state().banner.is_none(), "{:?}", h.state().banner);
    assert!(h.state().settings.load.drop_columns.is_empty());
    assert_eq!(class_names(h.state()), ["2007", "2008", "2009"]);
}

#[test]
fn an_array_gets_its_labels_from_a_file_and_a_bad_file_keeps_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("x.npy");
    let values = ndarray::Array2::from_shape_fn((30, 4), |(i, j)| (i * 4 + j) as f32 / 7.0);
    ndarray_npy::write_npy(&data, &values).unwrap();
    let labels = dir.path().join("y.npy");
    let ids = ndarray::Array1::from_shape_fn(30, |i| (i % 3) as i64);
    ndarray_npy::write_npy(&labels, &ids).unwrap();
    let short = dir.path().join("short.npy");
    ndarray_npy::write_npy(&short, &ndarray::Array1::<i64>::zeros(29)).unwrap();

    let mut h = app(&data);
    assert!(h.state().dataset.as_ref().unwrap().labels.is_none());
    open_menu(&mut h);
    assert!(h.query_by_label_contains("no named columns").is_some());
    assert!(h.query_by_label_contains("Label column:").is_none());
    enter_text(&mut h, "Labels file:", &labels.display().to_string());
    loaded(&mut h);
    assert_eq!(class_names(h.state()), ["0", "1", "2"]);
    assert_eq!(h.state().settings.load.labels.as_deref(), Some(&*labels));

    // 29 labels for 30 rows: the error is shown, the data and its labels file stay
    enter_text(&mut h, "Labels file:", &short.display().to_string());
    loaded(&mut h);
    let banner = h.state().banner.clone().expect("no error shown");
    assert!(banner.contains("short.npy"), "{banner}");
    assert!(banner.contains("already loaded stays"), "{banner}");
    assert_eq!(class_names(h.state()), ["0", "1", "2"]);
    assert_eq!(h.state().settings.load.labels.as_deref(), Some(&*labels));
    // the menu says so too (it may cover the banner)
    open_menu(&mut h);
    assert!(h.query_by_label_contains("Not applied: ").is_some());
    assert_eq!(h.query_all_by_label_contains("short.npy").count(), 2);

    // the next load that succeeds answers the failed one: its banner goes
    h.get_by_label("Clear labels file").click();
    loaded(&mut h);
    assert!(h.state().dataset.as_ref().unwrap().labels.is_none());
    assert_eq!(h.state().settings.load.labels, None);
    assert!(h.state().banner.is_none(), "{:?}", h.state().banner);
}

#[test]
fn the_image_shape_is_set_refused_when_wrong_and_back_to_auto() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiles.csv");
    let mut text = String::from("label");
    for j in 0..16 {
        text.push_str(&format!(",f{j}"));
    }
    text.push('\n');
    for i in 0..20 {
        text.push_str(&(i % 2).to_string());
        for j in 0..16 {
            text.push_str(&format!(",{}", (i + j) % 5));
        }
        text.push('\n');
    }
    std::fs::write(&path, text).unwrap();
    let mut h = app(&path);
    assert_eq!(h.state().dataset.as_ref().unwrap().image_shape, None);
    open_menu(&mut h);
    assert!(h.query_by_label("not images (automatic)").is_some());

    enter_text(&mut h, "Image shape:", "4x4");
    loaded(&mut h);
    assert_eq!(
        h.state().dataset.as_ref().unwrap().image_shape,
        Some((4, 4))
    );
    assert!(
        h.query_by_label_contains("16 features · 4×4 images")
            .is_some()
    );
    assert!(h.query_by_label("rows are 4 × 4 images (as set)").is_some());

    // 25 pixels for 16 features: the loader's error, the data keeps its shape
    enter_text(&mut h, "Image shape:", "5x5");
    loaded(&mut h);
    let banner = h.state().banner.clone().expect("no error shown");
    assert!(banner.contains("25 pixels"), "{banner}");
    assert_eq!(
        h.state().dataset.as_ref().unwrap().image_shape,
        Some((4, 4))
    );
    assert_eq!(
        h.state().settings.load.image_shape.map(|s| s.pair()),
        Some((4, 4))
    );
    h.get_by_label("Dismiss").click();
    h.step();

    // not a shape at all: said in the menu, nothing is loaded
    enter_text(&mut h, "Image shape:", "16");
    assert!(h.state().loading().is_none());
    assert!(h.query_by_label_contains("HEIGHTxWIDTH").is_some());

    h.get_by_label("auto").click();
    loaded(&mut h);
    assert_eq!(h.state().dataset.as_ref().unwrap().image_shape, None);
    assert_eq!(h.state().settings.load.image_shape, None);
}

#[test]
fn another_source_starts_from_default_options_and_an_experiment_brings_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let file = penguins(dir.path());
    let mut h = app(&file);
    let chosen = LoadOptions {
        label_column: LabelColumn::Named("island".into()),
        drop_columns: vec!["year".into()],
        ..LoadOptions::default()
    };
    h.state_mut().change_load_options(|o| *o = chosen.clone());
    loaded(&mut h);
    assert_eq!(h.state().dataset.as_ref().unwrap().n_features(), 4);
    let experiment = dir.path().join("exp.toml");
    h.state_mut().save_experiment(experiment.clone());
    // the same file loaded again keeps its options
    h.state_mut().path_input = file.display().to_string();
    h.get_by_label("Load").click();
    loaded(&mut h);
    assert_eq!(h.state().settings.load, chosen);

    // a built-in: the file's options are gone, and the menu with them
    h.get_by_label("Dataset:").click();
    h.run_steps(2);
    h.get_by_label("iris").click();
    step_until(&mut h, "iris", |a| {
        a.dataset.as_ref().is_some_and(|d| d.name == "iris")
    });
    assert_eq!(h.state().settings.load, LoadOptions::default());
    assert!(h.query_by_label("Data options").is_none());

    // the file again, by its path: read with the defaults
    h.state_mut().path_input = file.display().to_string();
    h.get_by_label("Load").click();
    loaded(&mut h);
    assert_eq!(h.state().settings.load, LoadOptions::default());
    assert_eq!(h.state().dataset.as_ref().unwrap().n_features(), 5);

    // an experiment file brings its options
    h.state_mut().open_experiment(experiment);
    loaded(&mut h);
    assert_eq!(h.state().settings.load, chosen);
    assert_eq!(class_names(h.state()), ["Biscoe", "Dream"]);
}

#[test]
fn a_missing_value_policy_that_fails_keeps_the_data_and_the_policy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gaps.csv");
    std::fs::write(&path, "label,a,b\n0,1,2\n1,,3\n0,4,5\n1,6,7\n").unwrap();
    let mut h = app(&path);
    assert_eq!(h.state().dataset.as_ref().unwrap().n_samples(), 3);
    h.get_by_label("Missing values").click();
    h.run_steps(2);
    h.get_by_label("stop with an error").click();
    h.step();
    loaded(&mut h);
    let banner = h.state().banner.clone().expect("no error shown");
    assert!(banner.contains("line 3"), "{banner}");
    assert_eq!(h.state().dataset.as_ref().unwrap().n_samples(), 3);
    assert_eq!(h.state().settings.load.missing, MissingPolicy::Drop);
}

#[test]
fn the_data_options_fit_beside_the_path_field_in_small_windows() {
    let dir = tempfile::tempdir().unwrap();
    let file = penguins(dir.path());
    for (width, height) in [(1024.0, 640.0), (1280.0, 720.0), (1400.0, 900.0)] {
        let settings = Settings {
            data: file.display().to_string(),
            ..Settings::default()
        };
        let mut h = app_harness::app_sized(settings, width, height);
        step_until(&mut h, "the data to load", |a| a.dataset.is_some());
        // one button on the first row of the bar, not a second row of controls
        let options = h.get_by_label("Data options").rect();
        let open = h.get_by_label("Open…").rect();
        assert_eq!(
            options.top(),
            open.top(),
            "{options:?} vs {open:?} at {width}"
        );
        assert!(options.right() <= width, "{options:?} at {width}");
        // the menu opens inside the window, each sub-menu too
        open_menu(&mut h);
        for label in ["Labels file:", "Image shape:"] {
            let field = h.get_by_label(label).rect();
            assert!(
                field.right() <= width && field.bottom() <= height,
                "{label} {field:?} at {width}×{height}"
            );
        }
        open_submenu(&mut h, "Columns:");
        let year = h.get_by_label("year").rect();
        assert!(year.left() >= 0.0 && year.bottom() <= height, "{year:?}");
    }
}

#[test]
fn a_file_loaded_last_time_shows_its_path_in_the_field() {
    let settings = Settings {
        data: "/data/penguins.csv".into(),
        ..Settings::default()
    };
    assert_eq!(LatentApp::new(settings).path_input, "/data/penguins.csv");
    assert_eq!(LatentApp::new(Settings::default()).path_input, "");
}
