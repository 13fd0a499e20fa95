//! Tests of the experiment model: parsing, defaults, validation.

use super::*;

#[test]
fn equivalence_section_resolves_round_trips_and_is_checked() {
    let cfg: ExperimentConfig =
        toml::from_str("[equivalence]\nrepeats = 3\nbootstrap = 200\nstability_floor = 0.5\n")
            .unwrap();
    let e = cfg.resolve().unwrap();
    let s = e.equivalence.clone().expect("protocol asked for");
    assert_eq!((s.repeats, s.resamples, s.margin), (3, 200, 0.05));
    assert_eq!(s.stability_floor, 0.5);
    // saved and read back, it asks for the same protocol
    let text = toml::to_string_pretty(&ExperimentConfig::from_experiment(&e)).unwrap();
    assert!(text.contains("[equivalence]"), "{text}");
    let again: ExperimentConfig = toml::from_str(&text).unwrap();
    assert_eq!(again.resolve().unwrap().equivalence, Some(s));
    // none asked for: no section written, no protocol
    let plain = ExperimentConfig::default().resolve().unwrap();
    assert_eq!(plain.equivalence, None);
    let text = toml::to_string_pretty(&ExperimentConfig::from_experiment(&plain)).unwrap();
    assert!(!text.contains("[equivalence]"), "{text}");
    // a typo and settings without repeats are errors
    assert!(toml::from_str::<ExperimentConfig>("[equivalence]\nrepeat = 3\n").is_err());
    let orphan: ExperimentConfig = toml::from_str("[equivalence]\nmargin = 0.1\n").unwrap();
    assert!(
        orphan
            .resolve()
            .unwrap_err()
            .to_string()
            .contains("--repeats")
    );
}

#[test]
fn defaults_are_digits_pca_vs_vae() {
    let e = ExperimentConfig::default().resolve().unwrap();
    assert_eq!(e.data, "digits");
    assert_eq!(e.a.kind(), MethodKind::Pca);
    assert_eq!(e.b.kind(), MethodKind::Vae);
    assert_eq!(e.seed, 42);
    assert_eq!(e.test_fraction, 0.2);
    let MethodSpec::Vae(v) = &e.b else { panic!() };
    assert_eq!(v.ae.hidden, vec![128, 64]);
    assert_eq!((v.ae.train.epochs, v.ae.train.batch_size), (50, 64));
    assert_eq!(v.beta, 1.0);
}

#[test]
fn sections_override_shared_settings() {
    let text = r#"
        data = "iris"
        epochs = 7
        neighbors = 5
        latent_dim = 3
        [a]
        method = "ae"
        epochs = 3
        [b]
        method = "file:z.csv"
        [margins]
        min_cka = 0.8
    "#;
    let cfg: ExperimentConfig = toml::from_str(text).unwrap();
    let e = cfg.resolve().unwrap();
    let MethodSpec::Autoencoder(ae) = &e.a else {
        panic!()
    };
    assert_eq!((ae.train.epochs, ae.train.latent_dim), (3, 3));
    assert_eq!(
        e.b,
        MethodSpec::Precomputed {
            path: "z.csv".into()
        }
    );
    // command-line flags (merged first) beat the file's shared values, not its sections
    let cli = ExperimentConfig {
        epochs: Some(9),
        latent_dim: Some(4),
        ..Default::default()
    };
    let e = cli.or(&cfg).resolve().unwrap();
    let MethodSpec::Autoencoder(ae) = &e.a else {
        panic!()
    };
    assert_eq!((ae.train.epochs, ae.train.latent_dim), (3, 4));
}

#[test]
fn unknown_keys_and_methods_are_errors() {
    assert!(toml::from_str::<ExperimentConfig>("learning-rate = 1").is_err());
    let cfg = ExperimentConfig {
        a: MethodSettings {
            method: Some("isomap".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let err = cfg.resolve().unwrap_err().to_string();
    assert!(err.contains("isomap") && err.contains("linear-ae"), "{err}");
}

#[test]
fn experiment_round_trips_through_toml() {
    let cli = ExperimentConfig {
        data: Some("blobs".into()),
        a: MethodSettings {
            method: Some("vae".into()),
            beta: Some(0.5),
            hidden: Some(vec![32]),
            ..Default::default()
        },
        ..Default::default()
    };
    let e = cli.resolve().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("exp.toml");
    ExperimentConfig::from_experiment(&e)
        .to_file(&path)
        .unwrap();
    let back = ExperimentConfig::from_file(&path)
        .unwrap()
        .resolve()
        .unwrap();
    assert_eq!(back, e);
}

#[test]
fn bad_toml_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, "data = \"digits\"\nepochs = \"many\"\n").unwrap();
    let err = ExperimentConfig::from_file(&path).unwrap_err().to_string();
    assert!(err.contains("bad.toml") && err.contains("line 2"), "{err}");
}
