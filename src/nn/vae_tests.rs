//! The VAE's tests: gradients through the reparameterisation, the step during backward, the
//! heads' initialisation and deterministic encoding and evaluation.

use super::*;
use crate::nn::autoencoder::OutputKind;
use crate::nn::gradcheck::{
    assert_grads_close, numeric_param_grads, parameter_bits, snapshot_grads, step_for,
};

fn data(rows: usize, cols: usize) -> Array2<f32> {
    Array2::from_shape_fn((rows, cols), |(i, j)| {
        ((i * 5 + j * 3 + 2) % 9) as f32 / 9.0
    })
}

#[test]
fn the_step_taken_during_backward_equals_the_step_after_it() {
    // Two hidden layers each way, so that a wrong tensor index would mix up two layers'
    // moments (and show from the second step on).
    let cfg = VaeConfig {
        ae: AeConfig {
            hidden: vec![5, 3],
            ..AeConfig::new(6)
        },
        beta: 1.0,
    };
    let mut during = Vae::new(cfg).unwrap();
    during.prepare(8);
    let mut after = during.clone();
    let x = data(8, 6);
    for _ in 0..3 {
        let a = during.train_batch(x.view());
        for e in after.eps.slice_mut(s![..8, ..]).iter_mut() {
            *e = after.rng.sample(StandardNormal);
        }
        let b = after.loss_and_grad(x.view());
        after.adam.step(&mut [&mut after.enc, &mut after.dec]);
        assert_eq!(a.total.to_bits(), b.total.to_bits());
        assert_eq!(parameter_bits(&mut during), parameter_bits(&mut after));
    }
}

#[test]
fn gradient_check_whole_loss_through_reparameterisation() {
    for (act, output, beta) in [
        (Activation::Tanh, OutputKind::Linear, 1.0),
        (Activation::Relu, OutputKind::Sigmoid, 0.5),
        (Activation::Sigmoid, OutputKind::Sigmoid, 2.0),
    ] {
        let cfg = VaeConfig {
            ae: AeConfig {
                hidden: vec![5, 3],
                latent_dim: 2,
                activation: act,
                output,
                ..AeConfig::new(4)
            },
            beta,
        };
        let mut vae = Vae::new(cfg).unwrap();
        let x = data(5, 4);
        vae.prepare(5);
        // A fixed ε, so the loss is a deterministic function of the parameters.
        vae.eps = Array2::from_shape_fn((5, 2), |(i, j)| ((i * 3 + j) % 5) as f32 / 2.0 - 1.0);
        let loss = vae.loss_and_grad(x.view());
        assert!(loss.parts[1] > 0.0);
        let analytic = snapshot_grads(&mut vae);
        let numeric =
            numeric_param_grads(&mut vae, |m| m.loss_and_grad(x.view()).total, step_for(act));
        assert_grads_close(
            &format!("vae {act}/{output} beta {beta}"),
            &analytic,
            &numeric,
        );
    }
}

#[test]
fn heads_are_initialised_like_two_separate_layers() {
    let vae = Vae::new(VaeConfig::new(8)).unwrap();
    let head = &vae.enc.layers()[2];
    assert_eq!(head.weights().dim(), (64, 4));
    assert!(head.weights().is_standard_layout());
    let lim = (6.0f32 / (64.0 + 2.0)).sqrt();
    assert!(head.weights().iter().all(|v| v.abs() <= lim));
    assert!(
        head.weights()
            .iter()
            .any(|v| v.abs() > (6.0f32 / (64.0 + 4.0)).sqrt())
    );
}

#[test]
fn encode_is_mu_and_eval_is_deterministic() {
    let mut vae = Vae::new(VaeConfig {
        ae: AeConfig {
            hidden: vec![6],
            ..AeConfig::new(3)
        },
        beta: 1.0,
    })
    .unwrap();
    let x = data(7, 3);
    let (mu, logvar) = vae.encode_distribution(x.view());
    assert_eq!(vae.encode(x.view()), mu);
    assert_eq!(logvar.dim(), (7, 2));
    vae.prepare(7);
    let a = vae.eval_batch(x.view());
    let b = vae.eval_batch(x.view());
    assert_eq!(a, b);
    let recon_mu = Reduction::SumFeaturesMeanRows;
    let want =
        crate::nn::loss::ReconLoss::Mse.value(vae.decode(mu.view()).view(), x.view(), recon_mu);
    assert!((a.parts[0] - want).abs() < 1e-5 * want.max(1.0));
    let mse = vae.reconstruction_mse(x.view());
    assert!((mse - want / 3.0).abs() < 1e-5 * mse.max(1.0));
    assert!(
        VaeConfig {
            beta: -1.0,
            ..VaeConfig::new(3)
        }
        .validate()
        .is_err()
    );
}
