//! The loss figure (PNG): every kind of history renders, edge cases included.

use latent_compare::figures::{FigureSize, LossSeries, loss_png};

use super::{decode_sized, not_white};

#[test]
fn loss_figures_render_including_edge_cases() {
    let size = FigureSize {
        width: 1200,
        height: 600,
    };
    let train: Vec<f32> = (0..50).map(|e| 10.0 / (e as f32 + 1.0)).collect();
    let val: Vec<f32> = train.iter().map(|v| v * 1.1).collect();
    let kl: Vec<f32> = (0..50).map(|e| if e < 3 { 0.0 } else { 0.5 }).collect();
    let with_zeros = vec![0.0f32, 1.0, f32::NAN, 0.5, -1.0, 0.25];
    let zeros = vec![0.0f32; 5];
    let one = vec![2.0f32];
    // t-SNE's KL divergence, recorded every 50 iterations
    let kl_steps: Vec<u32> = (1..=20).map(|k| 50 * k).collect();
    let kl_values: Vec<f32> = (1..=20).map(|k| if k <= 5 { 70.0 } else { 1.0 }).collect();
    let series = vec![
        LossSeries {
            method: "A: VAE".into(),
            steps: &[],
            train: &train,
            val: Some(&val),
            parts: vec![("recon".into(), &train), ("kl".into(), &kl)],
        },
        LossSeries {
            method: "B: AE".into(),
            steps: &[],
            train: &with_zeros,
            val: None,
            parts: Vec::new(),
        },
        LossSeries {
            method: "C: zeros".into(),
            steps: &[],
            train: &zeros,
            val: Some(&[]),
            parts: Vec::new(),
        },
        LossSeries {
            method: "D: one epoch".into(),
            steps: &[],
            train: &one,
            val: None,
            parts: Vec::new(),
        },
        LossSeries {
            method: "F: t-SNE".into(),
            steps: &kl_steps,
            train: &kl_values,
            val: None,
            parts: Vec::new(),
        },
        LossSeries {
            method: "E: nothing".into(),
            steps: &[],
            train: &[],
            val: None,
            parts: Vec::new(),
        },
    ];
    for log_scale in [false, true] {
        for k in 1..=series.len() {
            let img = decode_sized(&loss_png(&series[..k], log_scale, size).unwrap(), size);
            assert!(img.count((0.0, 1.0), (0.0, 1.0), not_white) > 1000);
        }
    }
    // No series: a message, not an empty image.
    let img = decode_sized(&loss_png(&[], false, size).unwrap(), size);
    assert!(img.count((0.0, 1.0), (0.4, 0.6), not_white) > 200);
    let small = FigureSize {
        width: 200,
        height: 200,
    };
    decode_sized(&loss_png(&[], true, small).unwrap(), small);
    decode_sized(&loss_png(&series, true, small).unwrap(), small);
}
