//! Tests of the sweep spec: the command line's and the TOML's forms, the values each setting
//! takes, the errors, and a point's config.

use super::*;

#[test]
fn both_sides_a_or_b_and_the_values_in_their_order() {
    let s = Sweep::parse("latent_dim=2,4,8").unwrap();
    assert_eq!(s.setting, Setting::LatentDim);
    assert_eq!(s.side, SweepSide::Both);
    let values: Vec<SweepValue> = [2, 4, 8].map(SweepValue::Count).to_vec();
    assert_eq!(s.values, values);
    assert_eq!(s.parameter(), "latent_dim");

    let s = Sweep::parse("b.beta=0.1, 1,4").unwrap();
    assert_eq!((s.setting, s.side), (Setting::Beta, SweepSide::B));
    assert_eq!(s.values, [0.1, 1.0, 4.0].map(SweepValue::Real).to_vec());
    assert_eq!(s.parameter(), "b.beta");

    let s = Sweep::parse("A.learning-rate=0.001,0.01").unwrap();
    assert_eq!((s.setting, s.side), (Setting::LearningRate, SweepSide::A));
}

#[test]
fn hidden_widths_are_separated_by_bars_and_activations_by_name() {
    let s = Sweep::parse("hidden=64|128,64|none").unwrap();
    let layers = [vec![64], vec![128, 64], vec![]]
        .map(SweepValue::Layers)
        .to_vec();
    assert_eq!(s.values, layers);
    assert_eq!(s.values[1].to_string(), "128,64");
    assert_eq!(s.values[2].to_string(), "none");
    assert_eq!(s.values[0].as_number(), None);

    let s = Sweep::parse("b.activation=relu,tanh").unwrap();
    assert_eq!(
        s.values,
        vec![
            SweepValue::Activation(Activation::Relu),
            SweepValue::Activation(Activation::Tanh)
        ]
    );
}

#[test]
fn bad_sweeps_say_what_is_wrong() {
    let message = |text: &str| Sweep::parse(text).unwrap_err().to_string();
    assert!(message("latent_dim").contains("PARAMETER=v1,v2"));
    assert!(message("batch_size=32,64").contains("cannot sweep 'batch_size'"));
    assert!(message("batch_size=32,64").contains("latent_dim, beta, epochs"));
    assert!(message("c.beta=1,2").contains("'c.' is not a method"));
    assert!(message("latent_dim=2,0").contains("'0' is not a positive whole number"));
    assert!(message("latent_dim=2,x").contains("'x' is not a positive whole number"));
    assert!(message("beta=1,-1").contains("'-1' is not a positive number"));
    assert!(message("beta=1,NaN").contains("'NaN' is not a positive number"));
    assert!(message("hidden=64|0").contains("hidden widths like 128,64"));
    assert!(message("activation=relu,swish").contains("an activation"));
    assert!(message("latent_dim=2,4,2").contains("the value 2 is given twice"));
    assert!(message("latent_dim=").contains("no values"));
    let many: Vec<String> = (1..=MAX_POINTS + 1).map(|v| v.to_string()).collect();
    let text = format!("epochs={}", many.join(","));
    assert!(message(&text).contains(&format!("at most {MAX_POINTS}")));
}

#[test]
fn a_point_sets_the_swept_sections_only() {
    let base = ExperimentConfig {
        latent_dim: Some(3),
        a: MethodSettings {
            latent_dim: Some(5),
            ..MethodSettings::default()
        },
        ..ExperimentConfig::default()
    };
    // both: each section gets the value, so a section's own value does not hide it
    let s = Sweep::parse("latent_dim=2,4").unwrap();
    let point = s.apply(&base, 1).resolve().unwrap();
    assert_eq!(point.a.latent_dim(), Some(4));
    assert_eq!(point.b.latent_dim(), Some(4));
    // b only: A keeps its own section's value
    let s = Sweep::parse("b.latent_dim=2,4").unwrap();
    let point = s.apply(&base, 0).resolve().unwrap();
    assert_eq!(
        (point.a.latent_dim(), point.b.latent_dim()),
        (Some(5), Some(2))
    );
}

#[test]
fn the_toml_section_reads_as_the_command_line_and_round_trips() {
    let text = "[sweep]\nparameter = \"b.beta\"\nvalues = [0.5, 1, \"4\"]\n";
    let config: ExperimentConfig = toml::from_str(text).unwrap();
    let sweep = config.sweep.resolve().unwrap().unwrap();
    assert_eq!(sweep, Sweep::parse("b.beta=0.5,1,4").unwrap());
    let again: ExperimentConfig = toml::from_str(&config.to_toml().unwrap()).unwrap();
    assert_eq!(again.sweep.resolve().unwrap(), Some(sweep.clone()));
    assert_eq!(sweep.to_config().resolve().unwrap(), Some(sweep));

    let hidden = "[sweep]\nparameter = \"hidden\"\nvalues = [\"64\", \"128,64\"]\n";
    let config: ExperimentConfig = toml::from_str(hidden).unwrap();
    let sweep = config.sweep.resolve().unwrap().unwrap();
    assert_eq!(sweep.values[1], SweepValue::Layers(vec![128, 64]));

    let half: ExperimentConfig = toml::from_str("[sweep]\nparameter = \"beta\"\n").unwrap();
    assert!(
        half.sweep
            .resolve()
            .unwrap_err()
            .to_string()
            .contains("no values")
    );
    let typo = toml::from_str::<ExperimentConfig>("[sweep]\nparam = \"beta\"\n");
    assert!(typo.is_err());
}
