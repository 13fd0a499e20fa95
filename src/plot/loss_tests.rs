//! Tests of `loss.rs`.

use super::*;
use crate::methods::EpochLoss;

fn history(n: usize) -> Vec<EpochLoss> {
    (1..=n)
        .map(|epoch| EpochLoss {
            epoch,
            train: 1.0 / epoch as f32,
            val: Some(0.0),
            parts: vec![("recon".into(), 0.5), ("kl".into(), -1.0)],
        })
        .collect()
}

#[test]
fn both_placements_have_the_same_curves_and_points() {
    let vae = LossColumns::from_history("A: VAE", &history(3));
    let series = [vae.series()];
    let png = LossModel::new(&series, Placement::PanelPerMethod);
    let screen = LossModel::new(&series, Placement::Shared);
    let roles = |m: &LossModel<'_>| -> Vec<CurveRole> {
        m.panels[0].curves.iter().map(|c| c.role).collect()
    };
    assert_eq!(roles(&png), roles(&screen));
    assert_eq!(
        png.panels[0].curves[0].points(true),
        screen.panels[0].curves[0].points(true)
    );
    assert_eq!(png.panels[0].n_left_out(true), 6);
    assert_eq!(screen.panels[0].curves[3].name, "A: VAE kl");
    assert_eq!(screen.panels[0].curves[3].look.dash, Dash::Dotted);
    let labels: Vec<&str> = png.keys.iter().map(|k| k.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "train loss",
            "validation loss",
            "recon (train)",
            "kl (train)"
        ]
    );
    let order: Vec<CurveRole> = png.panels[0].bottom_to_top().map(|c| c.role).collect();
    assert_eq!(order.last(), Some(&CurveRole::Train));
    assert_eq!(order[0], CurveRole::Part(0));
}

#[test]
fn on_screen_a_method_without_epochs_is_left_out_but_keeps_its_tint() {
    let pca = LossColumns::from_history("A: PCA", &[]);
    let ae = LossColumns::from_history("B: AE", &history(2));
    let model = LossModel::new(&[pca.series(), ae.series()], Placement::Shared);
    assert_eq!(model.panels.len(), 1);
    assert_eq!(model.panels[0].curves[0].look.colour, class_colour(4, 10));
    assert_ne!(
        model.panels[0].curves[0].look.colour,
        model.panels[0].curves[1].look.colour
    );
}

#[test]
fn values_are_placed_at_their_recorded_steps() {
    // t-SNE records its KL divergence every 50 iterations
    let history: Vec<EpochLoss> = [50, 100, 150]
        .into_iter()
        .map(|epoch| EpochLoss {
            epoch,
            train: 2.0,
            val: None,
            parts: Vec::new(),
        })
        .collect();
    let tsne = LossColumns::from_history("B: t-SNE", &history);
    let model = LossModel::new(&[tsne.series()], Placement::Shared);
    let xs: Vec<f64> = model.panels[0].curves[0]
        .points(false)
        .iter()
        .map(|p| p[0])
        .collect();
    assert_eq!(xs, vec![50.0, 100.0, 150.0]);
    assert_eq!(model.panels[0].epochs(), 150);
}
