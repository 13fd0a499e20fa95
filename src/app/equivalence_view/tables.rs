//! The equivalence result as text: the decision and summary, the choice of similarity to plot,
//! and the tables of the geometry (within/between) and of the criteria (TOST).

use crate::criteria::{Decision, Outcome};
use crate::equivalence::Equivalence;

use super::plot::distributions_plot;

/// Green for a shown equivalence, the warning colour for a shown difference, else the text's.
fn outcome_colour(ui: &egui::Ui, outcome: Outcome) -> egui::Color32 {
    match outcome {
        Outcome::Equivalent => egui::Color32::from_rgb(0x2c, 0xa0, 0x2c),
        Outcome::Undecided | Outcome::NotApplicable => ui.visuals().text_color(),
        Outcome::Different => ui.visuals().warn_fg_color,
    }
}

fn decision_colour(ui: &egui::Ui, decision: Decision) -> egui::Color32 {
    outcome_colour(
        ui,
        match decision {
            Decision::Equivalent => Outcome::Equivalent,
            Decision::NotEquivalent => Outcome::Different,
            Decision::Undecided => Outcome::Undecided,
        },
    )
}

pub(super) fn result_ui(ui: &mut egui::Ui, e: &Equivalence, metric: &mut usize) {
    ui.add_space(4.0);
    ui.label(
        egui::RichText::new(format!("Equivalence: {}", e.decision))
            .strong()
            .size(16.0)
            .color(decision_colour(ui, e.decision)),
    );
    ui.label(&e.summary);
    if e.geometry.is_empty() {
        return;
    }
    *metric = (*metric).min(e.geometry.len() - 1);
    ui.horizontal(|ui| {
        ui.label("Show");
        egui::ComboBox::from_id_salt("equivalence-metric")
            .selected_text(e.geometry[*metric].metric.label())
            .show_ui(ui, |ui| {
                for (i, g) in e.geometry.iter().enumerate() {
                    ui.selectable_value(metric, i, g.metric.label());
                }
            });
    });
    distributions_plot(ui, &e.geometry[*metric]);
    ui.label(
        egui::RichText::new(
            "Dots: one per pair of runs. Whiskers within a method: the bootstrap interval of its \
             mean; between methods: the interval of between − min(within), drawn from \
             min(within), which must stay above the dashed line. Rows are resampled with the \
             runs fixed.",
        )
        .weak(),
    );
    let judged = e.stability_a.stable && e.stability_b.stable;
    egui::Grid::new("equivalence-geometry")
        .striped(true)
        .num_columns(5)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for h in [
                "Similarity",
                "Within A",
                "Within B",
                "Between",
                "Between − min(within)",
            ] {
                ui.strong(h);
            }
            ui.end_row();
            for g in &e.geometry {
                ui.label(g.metric.label());
                for d in [&g.within_a, &g.within_b, &g.between] {
                    ui.label(format!(
                        "{:.3} [{:.3}, {:.3}]",
                        d.mean.estimate, d.mean.lower, d.mean.upper
                    ));
                }
                let text = format!(
                    "{:+.3} [{:+.3}, {:+.3}]",
                    g.difference.estimate, g.difference.lower, g.difference.upper
                );
                if judged {
                    let outcome = if g.equivalent {
                        Outcome::Equivalent
                    } else {
                        Outcome::Different
                    };
                    ui.colored_label(outcome_colour(ui, outcome), text);
                } else {
                    ui.label(egui::RichText::new(text).weak())
                        .on_hover_text("not judged: a method is too unstable across its runs");
                }
                ui.end_row();
            }
        });
    ui.add_space(4.0);
    egui::Grid::new("equivalence-criteria")
        .striped(true)
        .num_columns(5)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for h in [
                "Criterion",
                "Mean A − B [90 % interval]",
                "Margin",
                "p (TOST)",
                "Outcome",
            ] {
                ui.strong(h);
            }
            ui.end_row();
            for c in &e.criteria {
                if c.test.is_none() {
                    continue;
                }
                if c.relative {
                    ui.label(format!("{} (relative)", c.criterion.label()))
                        .on_hover_text("A − B as a share of the smaller of the two mean MSEs");
                } else {
                    ui.label(c.criterion.label());
                }
                ui.label(c.interval_text());
                ui.label(c.margin_text());
                ui.label(c.p_text());
                let outcome = c.outcome();
                let hover = match outcome {
                    Outcome::Equivalent => "the interval lies within ±margin (TOST)",
                    Outcome::Different => "the interval lies wholly outside ±margin: a difference",
                    Outcome::Undecided | Outcome::NotApplicable => {
                        "the interval crosses the margin: neither shown; more runs narrow it"
                    }
                };
                ui.colored_label(outcome_colour(ui, outcome), outcome.as_str())
                    .on_hover_text(hover);
                ui.end_row();
            }
        });
}
