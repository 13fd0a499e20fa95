//! What the app remembers across restarts (eframe storage) and saves as an experiment TOML: the
//! data source, preprocessing, both methods (the experiment model's [`MethodConfig`]), the
//! evaluation and equivalence settings, and the view options. Every default is the experiment
//! model's.

use serde::{Deserialize, Serialize};

use crate::config::{
    EquivalenceConfig, EquivalenceSettings, EvalSettings, Experiment, ExperimentConfig,
    MarginSettings, MethodConfig,
};
use crate::data::{LoadOptions, Preprocess};
use crate::error::Result;
use crate::methods::MethodKind;
use crate::pipeline::Side;

/// Everything persisted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Built-in name or file path.
    pub data: String,
    /// How to read it: label column, labels file, missing values, columns left out, image shape.
    pub load: LoadOptions,
    /// Scaling.
    pub preprocess: Preprocess,
    /// Held-out share.
    pub test_fraction: f64,
    /// Split seed.
    pub seed: u64,
    /// Method A.
    pub a: MethodConfig,
    /// Method B.
    pub b: MethodConfig,
    /// The metrics' settings and the verdict's margins.
    pub eval: EvalSettings,
    /// The equivalence protocol's settings (the protocol runs when asked for).
    pub equivalence: EquivalenceSettings,
    /// Loss curves on a log scale.
    pub log_loss: bool,
    /// Folder the report, figures and experiment file are written to.
    pub out_dir: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            data: crate::config::DEFAULT_DATA.into(),
            load: LoadOptions::default(),
            preprocess: Preprocess::default(),
            test_fraction: crate::config::DEFAULT_TEST_FRACTION,
            seed: crate::config::DEFAULT_SEED,
            a: MethodConfig::of_kind(MethodKind::Pca),
            b: MethodConfig::of_kind(MethodKind::Vae),
            eval: EvalSettings::default(),
            equivalence: EquivalenceSettings::default(),
            log_loss: false,
            out_dir: crate::output::DEFAULT_OUT_DIR.into(),
        }
    }
}

impl Settings {
    /// The method of one side.
    pub fn method(&self, side: Side) -> &MethodConfig {
        match side {
            Side::A => &self.a,
            Side::B => &self.b,
        }
    }

    /// The method of one side, to change.
    pub fn method_mut(&mut self, side: Side) -> &mut MethodConfig {
        match side {
            Side::A => &mut self.a,
            Side::B => &mut self.b,
        }
    }

    /// The experiment config these settings stand for (what "Save experiment" writes). Its
    /// `[equivalence]` section is written when the protocol's settings were changed from their
    /// defaults or `protocol_ran` (so that the file repeats what was done in the app); a file
    /// with the section runs the protocol on the command line too.
    pub fn to_config(&self, protocol_ran: bool) -> ExperimentConfig {
        let equivalence = if protocol_ran || self.equivalence != EquivalenceSettings::default() {
            EquivalenceConfig::from_settings(&self.equivalence)
        } else {
            EquivalenceConfig::default()
        };
        ExperimentConfig {
            data: Some(self.data.clone()),
            preprocess: Some(self.preprocess),
            test_fraction: Some(self.test_fraction),
            seed: Some(self.seed),
            neighbors: Some(self.eval.neighbors),
            metric_sample: Some(self.eval.metric_sample),
            a: self.a.settings(),
            b: self.b.settings(),
            margins: MarginSettings::from_margins(&self.eval.margins),
            equivalence,
            ..ExperimentConfig::from_load_options(&self.load)
        }
    }

    /// The resolved experiment (fails when a form is incomplete, e.g. no latents file).
    pub fn experiment(&self) -> Result<Experiment> {
        self.to_config(false).resolve()
    }

    /// Takes over an opened experiment config; unset values get the defaults, as on the CLI (its
    /// `[equivalence]` section, when there is one, becomes the protocol's settings).
    pub fn apply_config(&mut self, config: &ExperimentConfig) -> Result<()> {
        let e = config.resolve()?;
        self.data = e.data;
        self.load = e.load;
        self.preprocess = e.preprocess;
        self.test_fraction = e.test_fraction;
        self.seed = e.seed;
        self.a.set_from(&e.a);
        self.b.set_from(&e.b);
        self.eval = e.eval;
        if let Some(equivalence) = e.equivalence {
            self.equivalence = equivalence;
        }
        Ok(())
    }

    /// The key of the data preparation these settings ask for; a fit is comparable with another
    /// only when both were made from the same key.
    pub fn prep_key(&self) -> PrepKey {
        PrepKey {
            data: self.data.clone(),
            load: self.load.clone(),
            preprocess: self.preprocess,
            test_fraction_bits: self.test_fraction.to_bits(),
            seed: self.seed,
        }
    }
}

/// Identity of a prepared dataset (source, scaling, split).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrepKey {
    data: String,
    load: LoadOptions,
    preprocess: Preprocess,
    test_fraction_bits: u64,
    seed: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::Activation;

    #[test]
    fn settings_round_trip_through_an_experiment_file() {
        let mut s = Settings {
            data: "blobs".into(),
            a: MethodConfig::of_kind(MethodKind::Autoencoder),
            ..Default::default()
        };
        s.a.hidden = vec![32, 16];
        s.a.activation = Activation::Tanh;
        s.b.beta = 0.25;
        s.eval.margins.min_cka = 0.8;
        s.equivalence.repeats = 7;
        s.equivalence.margin = 0.03;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("exp.toml");
        s.to_config(false).to_file(&path).unwrap();
        let mut back = Settings::default();
        back.apply_config(&ExperimentConfig::from_file(&path).unwrap())
            .unwrap();
        assert_eq!(back.experiment().unwrap(), s.experiment().unwrap());
        assert_eq!(back.a.hidden, vec![32, 16]);
        assert_eq!(back.b.kind, MethodKind::Vae);
        assert_eq!(back.equivalence, s.equivalence);
    }

    #[test]
    fn the_equivalence_section_is_written_when_changed_or_run() {
        let s = Settings::default();
        let text = |c: ExperimentConfig| toml::to_string_pretty(&c).unwrap();
        assert!(!text(s.to_config(false)).contains("[equivalence]"));
        assert!(text(s.to_config(true)).contains("[equivalence]"));
        let changed = Settings {
            equivalence: EquivalenceSettings {
                repeats: 10,
                ..EquivalenceSettings::default()
            },
            ..Settings::default()
        };
        assert!(text(changed.to_config(false)).contains("repeats = 10"));
    }
}
