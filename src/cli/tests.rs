//! Tests of the CLI module: the panic report, argument parsing and the help's defaults.

use super::args::parse_hidden;
use super::*;
use crate::data::MissingPolicy;
use crate::nn::{Activation, OutputKind};

#[test]
fn a_panic_is_written_to_the_report_file_not_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.txt");
    let previous = std::panic::take_hook();
    install_panic_report(path.clone());
    let caught = std::panic::catch_unwind(|| panic!("a test bug"));
    std::panic::set_hook(previous);
    assert!(caught.is_err());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("panicked") && text.contains("a test bug"),
        "{text}"
    );
    assert!(text.contains("src/cli/tests.rs"), "{text}");
}

#[test]
fn hidden_parses_lists_and_rejects_zero() {
    assert_eq!(parse_hidden("128, 64").unwrap(), Hidden(vec![128, 64]));
    assert_eq!(parse_hidden("none").unwrap(), Hidden(vec![]));
    assert!(parse_hidden("128,0").is_err());
    assert!(parse_hidden("a").is_err());
}

#[test]
fn cli_parses_every_flag() {
    let cli = Cli::try_parse_from([
        "latent-compare",
        "compare",
        "--data",
        "iris",
        "--method-a",
        "ae",
        "--hidden",
        "16,8",
        "--activation",
        "tanh",
        "--output",
        "sigmoid",
        "--preprocess",
        "minmax",
        "--missing",
        "error",
        "--test-fraction",
        "0.3",
        "--learning-rate",
        "0.01",
        "--quiet",
    ])
    .unwrap();
    let Some(Command::Compare(args)) = cli.command else {
        panic!("compare expected")
    };
    let e = args.to_config().resolve().unwrap();
    assert_eq!(e.data, "iris");
    assert_eq!(e.load.missing, MissingPolicy::Error);
    let MethodSpec::Autoencoder(ae) = &e.a else {
        panic!()
    };
    assert_eq!(ae.hidden, vec![16, 8]);
    assert_eq!(ae.activation, Activation::Tanh);
    assert_eq!(ae.output, OutputKind::Sigmoid);
    assert_eq!(ae.train.learning_rate, 0.01);
}

#[test]
fn both_spellings_of_the_neighbourhood_margin() {
    for flag in ["--margin-neighbourhood", "--margin-neighborhood"] {
        let cli = Cli::try_parse_from(["latent-compare", "compare", flag, "0.05"]).unwrap();
        let Some(Command::Compare(args)) = cli.command else {
            panic!("compare expected")
        };
        let e = args.to_config().resolve().unwrap();
        assert_eq!(e.eval.margins.neighbourhood, 0.05, "{flag}");
    }
}

/// The help's "[default: …]" texts are documentation of the model's defaults: this keeps
/// them equal to the one `Default` of each setting.
#[test]
fn help_states_the_models_defaults() {
    use crate::config::{EquivalenceSettings, MethodConfig};
    use crate::methods::MethodKind;
    use clap::CommandFactory;
    let e = ExperimentConfig::default().resolve().unwrap();
    let method = MethodConfig::default();
    let eq = EquivalenceSettings::default();
    let m = &e.eval.margins;
    let hidden: Vec<String> = method.hidden.iter().map(usize::to_string).collect();
    let expected: Vec<(&str, String)> = vec![
        ("data", e.data.clone()),
        ("preprocess", e.preprocess.to_string()),
        ("missing", "drop".into()),
        ("test-fraction", e.test_fraction.to_string()),
        ("method-a", e.a.kind().to_string()),
        ("method-b", e.b.kind().to_string()),
        ("latent-dim", method.latent_dim.to_string()),
        ("hidden", hidden.join(",")),
        ("activation", method.activation.name().to_string()),
        ("output", "linear".into()),
        ("epochs", method.epochs.to_string()),
        ("batch-size", method.batch_size.to_string()),
        ("learning-rate", method.learning_rate.to_string()),
        ("beta", method.beta.to_string()),
        ("perplexity", method.perplexity.to_string()),
        ("early-exaggeration", method.early_exaggeration.to_string()),
        ("iterations", method.iterations.to_string()),
        ("theta", method.theta.to_string()),
        (
            "tsne-learning-rate",
            "auto: max(rows / early exaggeration / 4, 50)".into(),
        ),
        ("n-neighbors", method.n_neighbors.to_string()),
        ("min-dist", method.min_dist.to_string()),
        ("spread", method.spread.to_string()),
        (
            "n-epochs",
            format!(
                "umap-learn's auto: {} up to 10 000 rows, else {}",
                crate::umap::auto_epochs(10_000),
                crate::umap::auto_epochs(10_001)
            ),
        ),
        (
            "negative-sample-rate",
            method.negative_sample_rate.to_string(),
        ),
        ("init", method.init.to_string()),
        ("seed", e.seed.to_string()),
        ("neighbors", e.eval.neighbors.to_string()),
        ("metric-sample", e.eval.metric_sample.to_string()),
        ("margin-reconstruction", m.reconstruction.to_string()),
        ("margin-accuracy", m.accuracy.to_string()),
        ("margin-neighbourhood", m.neighbourhood.to_string()),
        ("min-cka", m.min_cka.to_string()),
        ("min-knn-jaccard", m.min_knn_jaccard.to_string()),
        ("bootstrap", eq.resamples.to_string()),
        ("equivalence-margin", eq.margin.to_string()),
        ("stability-floor", eq.stability_floor.to_string()),
    ];
    assert_eq!(e.load.missing, MissingPolicy::Drop);
    assert_eq!(e.a.kind(), MethodKind::Pca);
    assert_eq!(method.output, OutputKind::Linear);
    let cli = Cli::command();
    let compare = cli
        .find_subcommand("compare")
        .expect("the compare subcommand");
    for (flag, want) in expected {
        let arg = compare
            .get_arguments()
            .find(|a| a.get_long() == Some(flag))
            .unwrap_or_else(|| panic!("--{flag} exists"));
        let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
        let stated = help
            .split("[default: ")
            .nth(1)
            .and_then(|rest| rest.split(']').next())
            .unwrap_or_else(|| panic!("--{flag}'s help states its default: {help}"));
        assert_eq!(stated, want, "--{flag}");
    }
}
