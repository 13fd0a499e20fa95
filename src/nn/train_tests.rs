//! Tests of the shared training loop on both models: loss goes down, cancellation, divergence,
//! bit-identical reruns (also across thread counts), ragged batches.

use std::sync::atomic::{AtomicBool, Ordering};

use ndarray::{Array2, s};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use super::activation::Activation;
use super::autoencoder::{AeConfig, Autoencoder, OutputKind};
use super::vae::{Vae, VaeConfig};
use crate::error::Error;

/// Rows on a noisy 2-D curved manifold in `cols` dimensions, values in about [-1, 1].
fn manifold(rows: usize, cols: usize, seed: u64) -> Array2<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mix = Array2::from_shape_simple_fn((2, cols), || rng.sample::<f32, _>(StandardNormal));
    let mut x = Array2::zeros((rows, cols));
    for mut row in x.rows_mut() {
        let u: [f32; 2] = [rng.sample(StandardNormal), rng.sample(StandardNormal)];
        for (j, v) in row.iter_mut().enumerate() {
            let noise: f32 = rng.sample(StandardNormal);
            *v = (u[0] * mix[[0, j]] + u[1] * mix[[1, j]]).tanh() + 0.05 * noise;
        }
    }
    x
}

fn ae_cfg(input_dim: usize) -> AeConfig {
    AeConfig {
        hidden: vec![16, 8],
        epochs: 30,
        batch_size: 32,
        learning_rate: 3e-3,
        ..AeConfig::new(input_dim)
    }
}

fn never() -> AtomicBool {
    AtomicBool::new(false)
}

#[test]
fn autoencoder_training_reduces_loss() {
    let x = manifold(300, 8, 1);
    let (train, val) = (x.slice(s![..240, ..]), x.slice(s![240.., ..]));
    let mut ae = Autoencoder::new(ae_cfg(8)).unwrap();
    let before = ae.reconstruction_mse(val);
    let mut seen = Vec::new();
    let hist = ae
        .fit(train, Some(val), &never(), &mut |e| seen.push(e.epoch))
        .unwrap();
    assert_eq!(seen, (1..=30).collect::<Vec<_>>());
    assert_eq!(hist.len(), 30);
    let (first, last) = (&hist[0], &hist[29]);
    assert!(
        last.train < 0.5 * first.train,
        "{} -> {}",
        first.train,
        last.train
    );
    assert!(last.val.unwrap() < 0.5 * first.val.unwrap());
    assert!(hist.iter().all(|e| e.parts.is_empty()));
    // For the MSE model the validation loss is the reconstruction MSE.
    let after = ae.reconstruction_mse(val);
    assert!(after < 0.5 * before, "{before} -> {after}");
    assert!((after as f32 - last.val.unwrap()).abs() < 1e-5);
}

#[test]
fn sigmoid_autoencoder_training_reduces_loss() {
    let x = manifold(200, 6, 2).mapv(|v| 0.5 + 0.45 * v);
    let cfg = AeConfig {
        output: OutputKind::Sigmoid,
        activation: Activation::Tanh,
        ..ae_cfg(6)
    };
    let mut ae = Autoencoder::new(cfg).unwrap();
    let before = ae.reconstruction_mse(x.view());
    let hist = ae.fit(x.view(), None, &never(), &mut |_| {}).unwrap();
    assert!(hist[29].train < hist[0].train && hist[29].val.is_none());
    assert!(ae.reconstruction_mse(x.view()) < 0.5 * before);
}

#[test]
fn vae_training_reduces_loss_and_reports_parts() {
    let x = manifold(300, 8, 3);
    let (train, val) = (x.slice(s![..240, ..]), x.slice(s![240.., ..]));
    let mut vae = Vae::new(VaeConfig {
        ae: ae_cfg(8),
        beta: 1.0,
    })
    .unwrap();
    let hist = vae.fit(train, Some(val), &never(), &mut |_| {}).unwrap();
    let (first, last) = (&hist[0], &hist[29]);
    assert!(
        last.train < 0.7 * first.train,
        "{} -> {}",
        first.train,
        last.train
    );
    assert!(last.val.unwrap() < first.val.unwrap());
    let names: Vec<&str> = last.parts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["recon", "kl"]);
    let (r, k) = (last.parts[0].1, last.parts[1].1);
    assert!(
        (r + k - last.train).abs() < 1e-4 * last.train,
        "{r} + {k} vs {}",
        last.train
    );
    assert!(k > 0.0);
}

#[test]
fn cancel_before_training() {
    let x = manifold(50, 4, 4);
    let stop = AtomicBool::new(true);
    let mut ae = Autoencoder::new(AeConfig::new(4)).unwrap();
    assert!(matches!(
        ae.fit(x.view(), None, &stop, &mut |_| {}),
        Err(Error::Cancelled)
    ));
    let mut vae = Vae::new(VaeConfig::new(4)).unwrap();
    assert!(matches!(
        vae.fit(x.view(), None, &stop, &mut |_| {}),
        Err(Error::Cancelled)
    ));
}

#[test]
fn cancel_during_training() {
    let x = manifold(50, 4, 4);
    let stop = AtomicBool::new(false);
    let mut epochs = 0;
    let mut ae = Autoencoder::new(AeConfig::new(4)).unwrap();
    let res = ae.fit(x.view(), None, &stop, &mut |e| {
        epochs = e.epoch;
        stop.store(true, Ordering::Relaxed);
    });
    assert!(matches!(res, Err(Error::Cancelled)));
    assert_eq!(epochs, 1);
}

#[test]
fn huge_learning_rate_diverges() {
    let x = manifold(200, 8, 5);
    let cfg = AeConfig {
        learning_rate: 1e6,
        ..ae_cfg(8)
    };
    let mut ae = Autoencoder::new(cfg.clone()).unwrap();
    let err = ae.fit(x.view(), None, &never(), &mut |_| {}).unwrap_err();
    let Error::Diverged {
        epoch,
        learning_rate,
        ..
    } = err
    else {
        panic!("expected Diverged, got {err:?}");
    };
    assert_eq!(learning_rate, 1e6);
    assert_eq!(
        err.to_string(),
        format!("training diverged at epoch {epoch}; lower the learning rate (now 1000000)")
    );
    let mut vae = Vae::new(VaeConfig { ae: cfg, beta: 1.0 }).unwrap();
    let err = vae.fit(x.view(), None, &never(), &mut |_| {}).unwrap_err();
    assert!(matches!(err, Error::Diverged { .. }), "{err:?}");
}

#[test]
fn enormous_inputs_diverge() {
    let x = manifold(100, 4, 6) * 1e30;
    let mut ae = Autoencoder::new(AeConfig::new(4)).unwrap();
    let err = ae.fit(x.view(), None, &never(), &mut |_| {}).unwrap_err();
    assert!(matches!(err, Error::Diverged { epoch: 1, .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "training diverged at epoch 1; lower the learning rate (now 0.001)"
    );
}

/// Trains both models and returns every bit of their latents on `x` plus the loss history.
fn run_both(x: &Array2<f32>, batch_size: usize) -> (Vec<u32>, Vec<f32>) {
    let cfg = AeConfig {
        hidden: vec![128, 64],
        batch_size,
        epochs: 3,
        ..AeConfig::new(x.ncols())
    };
    let mut bits = Vec::new();
    let mut losses = Vec::new();
    let mut ae = Autoencoder::new(cfg.clone()).unwrap();
    for e in ae
        .fit(
            x.view(),
            Some(x.slice(s![..300, ..])),
            &never(),
            &mut |_| {},
        )
        .unwrap()
    {
        losses.extend([e.train, e.val.unwrap()]);
    }
    bits.extend(ae.encode(x.view()).iter().map(|v| v.to_bits()));
    let mut vae = Vae::new(VaeConfig { ae: cfg, beta: 1.0 }).unwrap();
    for e in vae.fit(x.view(), None, &never(), &mut |_| {}).unwrap() {
        losses.extend([e.train, e.parts[0].1, e.parts[1].1]);
    }
    bits.extend(vae.encode(x.view()).iter().map(|v| v.to_bits()));
    bits.extend(
        vae.decode(vae.encode(x.view()).view())
            .iter()
            .map(|v| v.to_bits()),
    );
    (bits, losses)
}

#[test]
fn same_seed_gives_bit_identical_models() {
    let x = manifold(700, 64, 7);
    // Batch 64 (single-threaded GEMMs) and batch 512 (large enough for the products to be split
    // over two threads); inference runs in 512-row chunks, which are split too.
    for batch in [64, 512] {
        let (a, la) = run_both(&x, batch);
        let (b, lb) = run_both(&x, batch);
        assert!(a == b, "latents differ between two runs with batch {batch}");
        assert_eq!(la, lb);
    }
    let other = Autoencoder::new(AeConfig {
        seed: 43,
        ..AeConfig::new(64)
    })
    .unwrap();
    let same = Autoencoder::new(AeConfig::new(64)).unwrap();
    assert_ne!(other.encode(x.view()), same.encode(x.view()));
}

/// Helper run in a child process by `thread_count_does_not_change_results`.
#[test]
#[ignore = "run by thread_count_does_not_change_results in a child process"]
fn print_checksum_for_thread_check() {
    let x = manifold(1100, 64, 8);
    let (bits, losses) = run_both(&x, 512);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for v in bits.into_iter().chain(losses.iter().map(|l| l.to_bits())) {
        h = (h ^ v as u64).wrapping_mul(0x0100_0000_01b3);
    }
    println!("CHECKSUM:{h:016x}");
}

#[test]
fn thread_count_does_not_change_results() {
    let exe = std::env::current_exe().unwrap();
    let run = |threads: Option<&str>| {
        let mut cmd = std::process::Command::new(&exe);
        cmd.args(["--ignored", "--exact", "--nocapture", "--test-threads=1"])
            .arg("nn::train_tests::print_checksum_for_thread_check")
            .env_remove(crate::parallel::THREADS_VAR);
        if let Some(n) = threads {
            cmd.env(crate::parallel::THREADS_VAR, n);
        }
        let out = cmd.output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "{text}");
        // The test harness prints "test … ... " on the same line, so search anywhere.
        let at = text
            .find("CHECKSUM:")
            .unwrap_or_else(|| panic!("no checksum in {text}"));
        text[at + 9..at + 25].to_owned()
    };
    assert_eq!(run(Some("1")), run(None));
}

#[test]
fn batch_larger_than_data_and_ragged_last_batch() {
    let x = manifold(37, 4, 9);
    for batch_size in [1000, 10] {
        let mut vae = Vae::new(VaeConfig {
            ae: AeConfig {
                batch_size,
                epochs: 2,
                hidden: vec![5],
                ..AeConfig::new(4)
            },
            beta: 1.0,
        })
        .unwrap();
        let hist = vae
            .fit(x.view(), Some(x.view()), &never(), &mut |_| {})
            .unwrap();
        assert_eq!(hist.len(), 2);
        assert!(
            hist.iter()
                .all(|e| e.train.is_finite() && e.val.unwrap().is_finite())
        );
    }
}
