//! Numbers as the plots print them: metric values in tooltips and legends, tick labels of
//! linear, log and epoch axes. The PNG figures and the app's plots both call these, so one value
//! reads the same on screen and on paper.
//!
//! Two tick styles remain on purpose: the figures label a linear axis with a typographic minus
//! and switch to scientific notation for a whole axis at once ([`linear_tick`]); egui_plot asks
//! for one mark at a time with its own step ([`step_tick`]). Both give a tick the decimals its
//! step needs. A metric in a table (report.md, the app's evaluation table, the CLI's summary) is
//! [`metric`]; report.json keeps every digit.

/// A metric in a table: four decimals, scientific notation (`3.075e-4`) below 1e-3 or from 1e5
/// on, "–" when it does not apply.
pub fn metric(v: Option<f64>) -> String {
    match v {
        Some(v) if v != 0.0 && (v.abs() < 1e-3 || v.abs() >= 1e5) => format!("{v:.3e}"),
        Some(v) => format!("{v:.4}"),
        None => "–".into(),
    }
}

/// A value with about four significant digits, trailing zeros removed, in scientific notation
/// (`2.500e-7`) below 1e-3 or from 1e5 on: tooltips, colour-bar ends, hover readouts.
pub fn value(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    let a = v.abs();
    if a != 0.0 && !(1e-3..1e5).contains(&a) {
        return format!("{v:.3e}");
    }
    let decimals = if a == 0.0 {
        0
    } else {
        (3 - a.log10().floor() as i32).clamp(0, 6) as usize
    };
    trim_zeros(&format!("{v:.decimals$}")).to_owned()
}

/// A value with three significant digits, trailing zeros removed (`1.2e-5`, `0.05`, `100`):
/// the labels of a log axis, whose ticks are 1, 2 and 5 times a power of ten.
pub fn significant(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let mag = v.abs().log10().floor();
    if !(-3.0..5.0).contains(&mag) {
        let s = format!("{v:.2e}");
        return match s.split_once('e') {
            Some((m, e)) => format!("{}e{e}", trim_zeros(m)),
            None => s,
        };
    }
    let decimals = (2.0 - mag).max(0.0) as usize;
    trim_zeros(&format!("{v:.decimals$}")).to_owned()
}

/// A figure's linear tick label: as many decimals as the tick `step` needs, scientific for the
/// whole axis when its `biggest` magnitude is very large or very small, typographic minus.
pub fn linear_tick(v: f64, step: f64, biggest: f64) -> String {
    let v = if v.abs() < step * 1e-6 { 0.0 } else { v };
    if biggest >= 1e5 || (biggest > 0.0 && biggest < 1e-3) {
        let digits = ((biggest / step).log10().ceil() as usize).clamp(1, 6);
        return typographic_minus(format!("{:.*e}", digits.saturating_sub(1), v));
    }
    let decimals = (-step.log10().floor()).clamp(0.0, 8.0) as usize;
    typographic_minus(format!("{v:.decimals$}"))
}

/// An on-screen tick label with as many decimals as the mark's `step` needs ("0.05", "2.5",
/// "10"); a value that rounds to zero reads "0" (never "-0").
pub fn step_tick(value: f64, step: f64) -> String {
    let decimals = if step > 0.0 && step.is_finite() {
        (-step.log10() - 1e-9).ceil().clamp(0.0, 12.0) as usize
    } else {
        0
    };
    let s = format!("{value:.decimals$}");
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        s.trim_start_matches('-').to_owned()
    } else {
        s
    }
}

/// An epoch tick: "3" for a whole non-negative number, nothing between whole numbers.
pub fn epoch(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 && v >= 0.0 {
        format!("{}", v.round() as i64)
    } else {
        String::new()
    }
}

/// The typographic minus sign (U+2212) instead of a leading hyphen.
fn typographic_minus(s: String) -> String {
    match s.strip_prefix('-') {
        Some(rest) => format!("\u{2212}{rest}"),
        None => s,
    }
}

/// "1.500" → "1.5", "2.000" → "2"; text without a decimal point is left alone.
fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_have_about_four_significant_digits() {
        assert_eq!(value(0.5), "0.5");
        assert_eq!(value(12.3456), "12.35");
        assert_eq!(value(0.0), "0");
        assert_eq!(value(2.5e-7), "2.500e-7");
        assert_eq!(value(f64::NAN), "NaN");
    }

    #[test]
    fn log_labels_have_three_significant_digits() {
        assert_eq!(significant(0.000012), "1.2e-5");
        assert_eq!(significant(100.0), "100");
        assert_eq!(significant(0.05), "0.05");
        assert_eq!(significant(1e5), "1e5");
    }

    #[test]
    fn ticks_have_the_decimals_of_their_step() {
        assert_eq!(linear_tick(-1.0, 0.5, 1.0), "\u{2212}1.0");
        assert_eq!(linear_tick(1e-9, 0.5, 1.0), "0.0");
        assert_eq!(linear_tick(2e5, 1e5, 3e5), "2e5");
        assert_eq!(step_tick(0.05, 0.05), "0.05");
        assert_eq!(step_tick(-5.0, 5.0), "-5");
        assert_eq!(step_tick(-1e-17, 0.2), "0.0");
        assert_eq!(epoch(3.0), "3");
        assert_eq!(epoch(2.5), "");
    }
}
