//! Tests that invalid settings and bad training data are refused with a message naming them.

use std::sync::atomic::AtomicBool;

use ndarray::Array2;

use super::autoencoder::{AeConfig, Autoencoder};
use super::vae::{Vae, VaeConfig};
use crate::error::Error;

fn never() -> AtomicBool {
    AtomicBool::new(false)
}

#[test]
fn invalid_settings_are_rejected_with_their_name() {
    let cases: Vec<(AeConfig, &str)> = vec![
        (AeConfig::new(0), "input_dim"),
        (
            AeConfig {
                hidden: vec![8, 0],
                ..AeConfig::new(3)
            },
            "hidden",
        ),
        (
            AeConfig {
                latent_dim: 0,
                ..AeConfig::new(3)
            },
            "latent_dim",
        ),
        (
            AeConfig {
                learning_rate: 0.0,
                ..AeConfig::new(3)
            },
            "learning_rate",
        ),
        (
            AeConfig {
                learning_rate: f32::NAN,
                ..AeConfig::new(3)
            },
            "learning_rate",
        ),
        (
            AeConfig {
                learning_rate: f32::INFINITY,
                ..AeConfig::new(3)
            },
            "learning_rate",
        ),
        (
            AeConfig {
                batch_size: 0,
                ..AeConfig::new(3)
            },
            "batch_size",
        ),
        (
            AeConfig {
                epochs: 0,
                ..AeConfig::new(3)
            },
            "epochs",
        ),
    ];
    for (cfg, name) in cases {
        let Err(Error::InvalidInput(msg)) = Autoencoder::new(cfg.clone()) else {
            panic!("{cfg:?} should be rejected");
        };
        assert!(msg.starts_with(name) || msg.contains(name), "{msg}");
        assert!(
            msg.contains("at least") || msg.contains("greater than"),
            "{msg}"
        );
        assert!(matches!(
            Vae::new(VaeConfig { ae: cfg, beta: 1.0 }),
            Err(Error::InvalidInput(_))
        ));
    }
    for beta in [-0.5, f32::NAN] {
        let Err(Error::InvalidInput(msg)) = Vae::new(VaeConfig {
            beta,
            ..VaeConfig::new(3)
        }) else {
            panic!("beta {beta} should be rejected");
        };
        assert!(msg.contains("beta"), "{msg}");
    }
    assert!(
        Vae::new(VaeConfig {
            beta: 0.0,
            ..VaeConfig::new(3)
        })
        .is_ok()
    );
}

#[test]
fn bad_data_is_rejected() {
    let mut ae = Autoencoder::new(AeConfig::new(4)).unwrap();
    let wide = Array2::<f32>::zeros((5, 5));
    let empty = Array2::<f32>::zeros((0, 4));
    let mut nan = Array2::<f32>::zeros((5, 4));
    nan[[2, 3]] = f32::NAN;
    let ok = Array2::<f32>::zeros((5, 4));
    for (train, val, needle) in [
        (&wide, None, "5 columns"),
        (&empty, None, "no rows"),
        (&nan, None, "row 3, column 4"),
        (&ok, Some(&wide), "validation"),
    ] {
        let res = ae.fit(train.view(), val.map(|v| v.view()), &never(), &mut |_| {});
        let Err(Error::InvalidInput(msg)) = res else {
            panic!("expected InvalidInput for {needle}");
        };
        assert!(msg.contains(needle), "{msg}");
    }
}
