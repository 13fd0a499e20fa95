//! `latents_a.csv` / `latents_b.csv`: one row per data row with its latents, split, label and k-NN
//! agreement.

use ndarray::Array2;

use crate::data::Prepared;
use crate::evaluate::Evaluation;

/// Latents of every row in data order: `z0..`, `split` (train/test), `label`, and `knn_jaccard`
/// (the row's k-NN agreement between A and B; empty for rows the metrics did not use).
pub fn latents_csv(latents: &Array2<f32>, prepared: &Prepared, eval: &Evaluation) -> String {
    let mut jaccard = vec![None; latents.nrows()];
    for (&row, &j) in eval.rows.rows.iter().zip(&eval.comparison.knn_jaccard) {
        jaccard[row] = Some(j);
    }
    let mut split = vec!["train"; latents.nrows()];
    for &r in &prepared.split.test {
        split[r] = "test";
    }
    let labels = prepared.dataset.labels.as_ref();
    let mut out = String::new();
    let header: Vec<String> = (0..latents.ncols()).map(|j| format!("z{j}")).collect();
    out.push_str(&header.join(","));
    out.push_str(",split,label,knn_jaccard\n");
    for (i, row) in latents.rows().into_iter().enumerate() {
        for v in row {
            out.push_str(&v.to_string());
            out.push(',');
        }
        out.push_str(split[i]);
        out.push(',');
        if let Some(labels) = labels {
            out.push_str(&csv_field(&labels.display(i)));
        }
        out.push(',');
        if let Some(j) = jaccard[i] {
            out.push_str(&j.to_string());
        }
        out.push('\n');
    }
    out
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
