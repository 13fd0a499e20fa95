//! Guessing a CSV file's dialect from its first records: the delimiter, whether the first row is
//! a header, and what each cell is (number, missing marker, infinity or text).

use ::csv::{ByteRecord, ReaderBuilder};

/// The delimiters tried, in order of preference when several fit equally well.
const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
/// Records looked at to choose the delimiter.
const SNIFF_RECORDS: usize = 20;

/// What one cell holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Cell {
    /// A finite number.
    Number(f32),
    /// Empty, NA, N/A, NaN, null, None or `?`.
    Missing,
    /// `inf`, `-infinity` or a number too large for an f32.
    Infinite,
    /// Anything else.
    Text,
}

/// Classifies one raw cell; `Err` when the cell is not valid UTF-8.
///
/// `comma_decimal` also accepts `1,5` as 1.5 (for files whose delimiter is not a comma).
/// The common case (a plain number) does not allocate.
#[inline]
pub(crate) fn classify(raw: &[u8], comma_decimal: bool) -> Result<Cell, std::str::Utf8Error> {
    if let Some(v) = parse_plain(raw) {
        return Ok(Cell::Number(v));
    }
    let text = std::str::from_utf8(raw.trim_ascii())?;
    match text.parse::<f32>() {
        Ok(v) => Ok(number_cell(v)),
        Err(_) => Ok(classify_slow(text, comma_decimal)),
    }
}

/// Powers of ten that f64 holds exactly.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The common case, fast: `[-+]digits[.digits]` with at most 19 digits, as the correctly rounded
/// f32 that `str::parse` gives. `None` for anything else (spaces, exponents, text), and for the
/// rare values where the shortcut could round differently; the caller then parses the slow way.
///
/// The value m / 10^k is computed in f64, which is exact to half an f64 ulp because m < 2^53
/// and 10^k ≤ 10^22 are exact. Rounding that to f32 gives the same f32 as rounding the exact
/// value unless the f64 lands exactly on a midpoint between two f32s, which is checked.
#[inline]
pub(crate) fn parse_plain(raw: &[u8]) -> Option<f32> {
    let (negative, digits) = match raw.first()? {
        b'-' => (true, &raw[1..]),
        b'+' => (false, &raw[1..]),
        _ => (false, raw),
    };
    let (mut mantissa, mut n_digits, mut decimals, mut dot) = (0u64, 0usize, 0usize, false);
    for &b in digits {
        match b {
            b'0'..=b'9' => {
                if n_digits == 19 {
                    return None;
                }
                mantissa = mantissa * 10 + u64::from(b - b'0');
                n_digits += 1;
                decimals += usize::from(dot);
            }
            b'.' if !dot => dot = true,
            _ => return None,
        }
    }
    if n_digits == 0 || mantissa > 1 << 53 {
        return None;
    }
    let x = mantissa as f64 / *POW10.get(decimals)?;
    // The 29 low bits of the f64 fraction are those rounding to f32 drops; exactly half of
    // their range is a midpoint. Values below f32's normal range round differently too.
    let midpoint = x.to_bits() & 0x1FFF_FFFF == 0x1000_0000;
    if x != 0.0 && (midpoint || x < f64::from(f32::MIN_POSITIVE)) {
        return None;
    }
    let v = x as f32;
    Some(if negative { -v } else { v })
}

fn number_cell(v: f32) -> Cell {
    if v.is_finite() {
        Cell::Number(v)
    } else if v.is_nan() {
        Cell::Missing
    } else {
        Cell::Infinite
    }
}

#[cold]
fn classify_slow(text: &str, comma_decimal: bool) -> Cell {
    if is_missing_marker(text) {
        return Cell::Missing;
    }
    if comma_decimal && let Some(v) = parse_comma_decimal(text) {
        return number_cell(v);
    }
    Cell::Text
}

/// True for the texts that mark a missing value (case-insensitive, surrounding spaces ignored).
pub(crate) fn is_missing_marker(text: &str) -> bool {
    const MARKERS: [&str; 7] = ["na", "n/a", "nan", "null", "none", "?", "-nan"];
    let t = text.trim();
    t.is_empty() || MARKERS.iter().any(|m| t.eq_ignore_ascii_case(m))
}

/// Parses `-1,25e3` as `-1.25e3`: exactly one comma and no dot, at most 64 bytes.
fn parse_comma_decimal(text: &str) -> Option<f32> {
    let bytes = text.as_bytes();
    if bytes.len() > 64
        || bytes.contains(&b'.')
        || bytes.iter().filter(|&&b| b == b',').count() != 1
    {
        return None;
    }
    let mut buf = [0u8; 64];
    let out = buf.get_mut(..bytes.len())?;
    for (o, &b) in out.iter_mut().zip(bytes) {
        *o = if b == b',' { b'.' } else { b };
    }
    std::str::from_utf8(out).ok()?.parse::<f32>().ok()
}

/// Chooses the delimiter from the start of the file (`complete` = the sample is the whole file,
/// so its last record is not cut off).
///
/// Each candidate splits the first records (honouring double quotes); the winner gives the same
/// field count (more than one) on the most records, then the most numeric-looking fields, then
/// the most fields. `.tsv` files use a tab whenever a tab splits the records at all.
pub(crate) fn detect_delimiter(sample: &[u8], complete: bool, is_tsv: bool) -> u8 {
    let sample = if complete {
        sample
    } else {
        // Drop the record that the sample cuts in two (when there is a complete one before it).
        match sample.iter().rposition(|&b| b == b'\n') {
            Some(end) if end > 0 => &sample[..end],
            _ => sample,
        }
    };
    let default = if is_tsv { b'\t' } else { b',' };
    let mut best: Option<((usize, usize, usize), u8)> = None;
    for &delim in &CANDIDATES {
        let Some(score) = score_delimiter(sample, delim) else {
            continue;
        };
        if is_tsv && delim == b'\t' {
            return delim;
        }
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, delim));
        }
    }
    best.map_or(default, |(_, d)| d)
}

/// `(records agreeing on the usual field count, numeric fields, usual field count)`, or `None`
/// when the delimiter does not split the records.
fn score_delimiter(sample: &[u8], delim: u8) -> Option<(usize, usize, usize)> {
    let mut reader = ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .from_reader(sample);
    let mut counts = Vec::new();
    let mut numeric = 0;
    let mut rec = ByteRecord::new();
    while counts.len() < SNIFF_RECORDS {
        match reader.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) | Err(_) => break,
        }
        counts.push(rec.len());
        numeric += rec
            .iter()
            .filter(|c| {
                matches!(
                    classify(c, delim != b','),
                    Ok(Cell::Number(_) | Cell::Missing | Cell::Infinite)
                )
            })
            .count();
    }
    let (usual, agreeing) = mode(&counts)?;
    (usual > 1).then_some((agreeing, numeric, usual))
}

/// The most common value and how often it occurs (the larger value on ties).
fn mode(values: &[usize]) -> Option<(usize, usize)> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let mut best: Option<(usize, usize)> = None;
    for chunk in sorted.chunk_by(|a, b| a == b) {
        let (value, count) = (chunk[0], chunk.len());
        if best.is_none_or(|(_, c)| count >= c) {
            best = Some((value, count));
        }
    }
    best
}

/// Whether the first of `records` is a header row.
///
/// It is when one of its cells is text where the rows below are mostly numbers in that column,
/// or when all its cells are text (not numbers, not missing markers).
pub(crate) fn detect_header(records: &[ByteRecord], comma_decimal: bool) -> bool {
    let Some((first, rest)) = records.split_first() else {
        return false;
    };
    let kinds: Vec<Cell> = first
        .iter()
        .map(|c| classify(c, comma_decimal).unwrap_or(Cell::Text))
        .collect();
    if !kinds.is_empty() && kinds.iter().all(|k| *k == Cell::Text) {
        return true;
    }
    kinds.iter().enumerate().any(|(j, kind)| {
        if *kind != Cell::Text {
            return false;
        }
        let (mut numbers, mut others) = (0usize, 0usize);
        for rec in rest {
            match rec.get(j).map(|c| classify(c, comma_decimal)) {
                Some(Ok(Cell::Number(_) | Cell::Infinite)) => numbers += 1,
                Some(Ok(Cell::Missing)) | None => {}
                Some(_) => others += 1,
            }
        }
        numbers > 0 && numbers > others
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers_parse_exactly_as_the_standard_library() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let mut checked = 0;
        for _ in 0..300_000 {
            let int_digits = rng.random_range(0..12);
            let frac_digits = rng.random_range(0..12);
            let mut text = String::new();
            match rng.random_range(0..4) {
                0 => text.push('-'),
                1 => text.push('+'),
                _ => {}
            }
            for _ in 0..int_digits {
                text.push(char::from(b'0' + rng.random_range(0..10u8)));
            }
            if frac_digits > 0 || rng.random_bool(0.1) {
                text.push('.');
            }
            for _ in 0..frac_digits {
                text.push(char::from(b'0' + rng.random_range(0..10u8)));
            }
            let expected = text.parse::<f32>().ok();
            if let Some(v) = parse_plain(text.as_bytes()) {
                assert_eq!(Some(v.to_bits()), expected.map(f32::to_bits), "{text}");
                checked += 1;
            }
        }
        assert!(checked > 250_000, "fast path taken {checked} times");
        // Values on an f32 midpoint (2^24 + 1) and below f32's normal range take the slow path.
        assert_eq!(parse_plain(b"16777217"), None);
        assert_eq!(parse_plain(b"0.0000000000000000001"), None);
        for text in [
            "",
            "-",
            ".",
            "1e5",
            " 1",
            "1 ",
            "1.2.3",
            "0x10",
            "inf",
            "12345678901234567890",
        ] {
            assert_eq!(parse_plain(text.as_bytes()), None, "{text}");
        }
        assert_eq!(
            parse_plain(b"-0").map(f32::to_bits),
            Some((-0.0f32).to_bits())
        );
        assert_eq!(parse_plain(b"255"), Some(255.0));
        assert_eq!(parse_plain(b"0.1234"), Some(0.1234));
    }

    fn records(text: &str, delim: u8) -> Vec<ByteRecord> {
        let mut r = ReaderBuilder::new()
            .delimiter(delim)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        r.byte_records().filter_map(|r| r.ok()).collect()
    }

    #[test]
    fn classifies_cells() {
        assert_eq!(classify(b" 1.5 ", false), Ok(Cell::Number(1.5)));
        assert_eq!(classify(b"-2e3", false), Ok(Cell::Number(-2000.0)));
        for m in [
            "", " ", "NA", "n/a", "NaN", "nan", "NULL", "None", "?", "-nan",
        ] {
            assert_eq!(classify(m.as_bytes(), false), Ok(Cell::Missing), "{m}");
        }
        for inf in ["inf", "-inf", "Infinity", "1e40"] {
            assert_eq!(classify(inf.as_bytes(), false), Ok(Cell::Infinite), "{inf}");
        }
        assert_eq!(classify(b"abc", false), Ok(Cell::Text));
        assert_eq!(classify(b"1,5", false), Ok(Cell::Text));
        assert_eq!(classify(b"1,5", true), Ok(Cell::Number(1.5)));
        assert_eq!(classify(b"1,5,3", true), Ok(Cell::Text));
        assert!(classify(b"\xff", false).is_err());
    }

    #[test]
    fn finds_each_delimiter() {
        for d in [b',', b';', b'\t', b'|'] {
            let s = format!("a{0}b{0}c\n1{0}2{0}3\n4{0}5{0}6\n", d as char);
            assert_eq!(detect_delimiter(s.as_bytes(), true, false), d);
        }
    }

    #[test]
    fn ignores_delimiters_in_quotes_and_prefers_semicolon_with_decimal_commas() {
        let s = "name;x\n\"a;b;c\";1\n\"d;e\";2\n";
        assert_eq!(detect_delimiter(s.as_bytes(), true, false), b';');
        let s = "1,5;2,5;3,5\n4,5;5,5;6,5\n";
        assert_eq!(detect_delimiter(s.as_bytes(), true, false), b';');
        let s = "\"x, y\",z\n\"1,2\",3\n";
        assert_eq!(detect_delimiter(s.as_bytes(), true, false), b',');
    }

    #[test]
    fn single_column_and_tsv_defaults() {
        assert_eq!(detect_delimiter(b"1\n2\n", true, false), b',');
        assert_eq!(detect_delimiter(b"1\n2\n", true, true), b'\t');
        assert_eq!(detect_delimiter(b"a,b\tc\n1,2\t3\n", true, true), b'\t');
    }

    #[test]
    fn cut_sample_drops_the_partial_record() {
        assert_eq!(
            detect_delimiter(b"1;2\n3;4\n5;6,7,8,9,1", false, false),
            b';'
        );
    }

    #[test]
    fn header_detection() {
        assert!(detect_header(&records("a,b\n1,2\n", b','), false));
        assert!(detect_header(&records(",a,b\n0,1,2\n", b','), false));
        assert!(detect_header(
            &records("name,city\nbob,paris\n", b','),
            false
        ));
        assert!(detect_header(&records("x,1\n5,2\n", b','), false));
        assert!(!detect_header(&records("1,2\n3,4\n", b','), false));
        assert!(!detect_header(&records("bob,1\nann,2\n", b','), false));
        assert!(!detect_header(&records("NA,1\n2,3\n", b','), false));
        assert!(!detect_header(&[], false));
    }
}
