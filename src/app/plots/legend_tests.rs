//! The legend as a filter: a click hides a class in both plots, a double-click shows it alone.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::tests::{PairState, pair_harness_stepping, small_dataset, small_pair};
use super::*;

/// Two pointer clicks on the widget labelled `label`, one frame apart: a double-click.
fn double_click(harness: &mut Harness<'_, PairState>, label: &str) {
    let pos = harness.get_by_label(label).rect().center();
    harness.event(egui::Event::PointerMoved(pos));
    harness.step();
    for _ in 0..2 {
        for pressed in [true, false] {
            harness.event(egui::Event::PointerButton {
                pos,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers: egui::Modifiers::NONE,
            });
        }
        harness.step();
    }
    harness.run();
}

#[test]
fn filter_by_legend_hides_a_class_in_both_plots_and_double_click_shows_it_alone() {
    // frames 1/60 s apart, so that two clicks can be a double-click (within 0.3 s)
    let mut harness = pair_harness_stepping(small_pair(), 1.0 / 60.0);
    harness.run();
    let drawn = |h: &Harness<'_, PairState>| {
        let sides = &h.state().view.sides;
        [sides[0].data.draw.len(), sides[1].data.draw.len()]
    };
    let view_before = harness.state().view.visible_range(Side::A);
    assert_eq!(drawn(&harness), [6, 6]);
    // a click on a class hides its two rows in both plots
    harness.get_by_label("two").click();
    harness.run();
    assert_eq!(harness.state().view.hidden_classes(), &[2]);
    assert_eq!(drawn(&harness), [4, 4]);
    for side in &harness.state().view.sides {
        assert!(side.data.draw.iter().all(|p| p.row != 4 && p.row != 5));
    }
    // the view stays where it was
    assert_eq!(harness.state().view.visible_range(Side::A), view_before);
    // a second click (not within a double-click's 0.3 s) shows it again
    harness.run_steps(30);
    harness.get_by_label("two").click();
    harness.run();
    assert!(harness.state().view.hidden_classes().is_empty());
    assert_eq!(drawn(&harness), [6, 6]);
    // a double-click shows that class alone; another shows everything again
    double_click(&mut harness, "one");
    assert_eq!(harness.state().view.hidden_classes(), &[0, 2]);
    assert_eq!(drawn(&harness), [2, 2]);
    harness.run_steps(30);
    double_click(&mut harness, "one");
    assert!(harness.state().view.hidden_classes().is_empty());
    // "show all" appears while something is hidden
    assert!(harness.query_by_label("show all").is_none());
    harness.run_steps(30);
    harness.get_by_label("zero").click();
    harness.run();
    harness.get_by_label("show all").click();
    harness.run();
    assert!(harness.state().view.hidden_classes().is_empty());
    // other classes (another colouring) start with nothing hidden
    harness.run_steps(30);
    harness.get_by_label("zero").click();
    harness.run();
    harness.state_mut().colouring = Colouring::from_labels(small_dataset().labels.as_ref());
    harness.run();
    assert!(harness.state().view.hidden_classes().is_empty());
}
