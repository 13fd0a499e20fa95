//! `.npz` archives: the data and labels arrays found by name, images, and the errors that list
//! the arrays.

use latent_compare::data::npy::load_labels_file;
use latent_compare::data::npz::load_npz;
use latent_compare::data::{LabelColumn, LoadOptions, load};
use ndarray::array;
use tempfile::TempDir;

use super::{assert_contains, err_text, f32_bytes, npy_bytes, npz_bytes, write};

fn x_2d() -> Vec<u8> {
    npy_bytes(
        "<f4",
        false,
        &[4, 2],
        &f32_bytes(&[1., 2., 3., 4., 5., 6., 7., 8.]),
    )
}

fn y_ints(values: &[i64]) -> Vec<u8> {
    let data: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    npy_bytes("<i8", false, &[values.len()], &data)
}

#[test]
fn data_and_labels_by_name_stored_or_deflated() {
    let dir = TempDir::new().unwrap();
    for deflated in [false, true] {
        let bytes = npz_bytes(&[("y", y_ints(&[0, 1, 0, 1])), ("X", x_2d())], deflated);
        let path = write(&dir, "d.npz", bytes);
        let ds = load_npz(&path, &LabelColumn::Auto, false).unwrap();
        assert_eq!(ds.records, array![[1., 2.], [3., 4.], [5., 6.], [7., 8.]]);
        assert_eq!(ds.n_classes(), Some(2));
        assert_eq!(ds.feature_names, ["col0", "col1"]);
        assert_eq!(ds.name, "d.npz");
        assert!(
            ds.notes[0].contains("'X' (4, 2) float32") && ds.notes[0].contains("'y'"),
            "{:?}",
            ds.notes
        );
    }
}

#[test]
fn images_and_other_names() {
    let dir = TempDir::new().unwrap();
    let pixels: Vec<u8> = (0u8..12).collect();
    let images = npy_bytes("|u1", false, &[3, 2, 2], &pixels);
    for name in ["images", "Features", "arr_0", "pixels"] {
        let labels = ("Labels", y_ints(&[3, 3, 5]));
        let path = write(
            &dir,
            "m.npz",
            npz_bytes(&[(name, images.clone()), labels], true),
        );
        let ds = load_npz(&path, &LabelColumn::Auto, false).unwrap();
        assert_eq!(ds.image_shape, Some((2, 2)), "{name}");
        assert_eq!(ds.records.row(2).to_vec(), [8., 9., 10., 11.]);
        assert_eq!(ds.feature_names[3], "px_1_1");
        assert_eq!(ds.n_classes(), Some(2));
    }
    // Fortran order is read in rows
    let f = npy_bytes("<f4", true, &[2, 2], &f32_bytes(&[1., 3., 2., 4.]));
    let path = write(&dir, "f.npz", npz_bytes(&[("data", f)], false));
    let ds = load_npz(&path, &LabelColumn::Auto, false).unwrap();
    assert_eq!(ds.records, array![[1., 2.], [3., 4.]]);
    assert!(ds.labels.is_none());
}

#[test]
fn the_label_choice_and_a_labels_file() {
    let dir = TempDir::new().unwrap();
    let arrays = [
        ("x", x_2d()),
        ("y", y_ints(&[0, 1, 0, 1])),
        ("kind", y_ints(&[5, 5, 6, 6])),
    ];
    let path = write(&dir, "c.npz", npz_bytes(&arrays, true));
    let named = load_npz(&path, &LabelColumn::Named("KIND".into()), false).unwrap();
    assert_eq!(
        named.labels.as_ref().map(|l| l.display(3)),
        Some("6".into())
    );
    let none = load_npz(&path, &LabelColumn::Unlabelled, false).unwrap();
    assert!(none.labels.is_none());
    let missing = load_npz(&path, &LabelColumn::Named("z".into()), false);
    assert_contains(&err_text(missing), &["no array 'z'", "kind (4,) int64"]);
    // a labels file given: the archive's y is not used, and the note says so
    let labels = write(&dir, "l.csv", "a\nb\nb\na\n");
    let options = LoadOptions {
        labels: Some(labels),
        ..LoadOptions::default()
    };
    let ds = load(path.to_str().unwrap(), &options).unwrap();
    assert_eq!(ds.labels.as_ref().map(|l| l.display(0)), Some("a".into()));
    assert!(
        ds.notes.iter().any(|n| n.contains("'y' was not used")),
        "{:?}",
        ds.notes
    );
    // an archive as the labels file
    assert_eq!(load_labels_file(&path, 4).unwrap().n_classes(), Some(2));
    let only_x = write(&dir, "x.npz", npz_bytes(&[("x", x_2d())], false));
    assert_contains(
        &err_text(load_labels_file(&only_x, 4)),
        &["no array is named like labels"],
    );
}

#[test]
fn unknown_names_list_the_arrays_and_how_to_save() {
    let dir = TempDir::new().unwrap();
    let arrays = [
        ("a", x_2d()),
        ("b", y_ints(&[1, 2, 3, 4])),
        ("y", y_ints(&[0; 4])),
    ];
    let path = write(&dir, "u.npz", npz_bytes(&arrays, true));
    let msg = err_text(load_npz(&path, &LabelColumn::Auto, false));
    assert_contains(
        &msg,
        &[
            "u.npz",
            "a (4, 2) float32",
            "b (4,) int64",
            "numpy.savez(path, X=data, y=labels)",
        ],
    );
}

#[test]
fn bad_archives_and_arrays() {
    let dir = TempDir::new().unwrap();
    let good = npz_bytes(&[("x", x_2d()), ("y", y_ints(&[0, 1, 0, 1]))], true);
    let cases: Vec<(&str, Vec<u8>, Vec<&str>)> = vec![
        (
            "t.npz",
            good[..good.len() / 2].to_vec(),
            vec!["not a readable .npz"],
        ),
        ("g.npz", b"not a zip".to_vec(), vec!["not a readable .npz"]),
        (
            "n.npz",
            npz_bytes(&[("x", x_2d()), ("y", y_ints(&[0, 1]))], false),
            vec!["'y' holds 2 labels", "4 rows"],
        ),
        (
            "s.npz",
            npz_bytes(&[("x", x_2d()[..x_2d().len() - 4].to_vec())], true),
            vec!["array 'x'", "ends early"],
        ),
        (
            "r.npz",
            npz_bytes(
                &[("x", npy_bytes("<f4", false, &[2], &f32_bytes(&[1., 2.])))],
                false,
            ),
            vec!["1-D", "--labels"],
        ),
        (
            "c.npz",
            npz_bytes(
                &[("x", npy_bytes("|u1", false, &[1, 2, 2, 3], &[0; 12]))],
                false,
            ),
            vec!["colour"],
        ),
        ("e.npz", npz_bytes(&[], false), vec!["no .npy arrays"]),
    ];
    for (name, bytes, needles) in cases {
        let path = write(&dir, name, bytes);
        let msg = err_text(load_npz(&path, &LabelColumn::Auto, false));
        assert_contains(&msg, &[name]);
        assert_contains(&msg, &needles);
    }
}

#[test]
fn a_header_claiming_more_than_the_entry_is_refused() {
    let dir = TempDir::new().unwrap();
    // the header claims (2^20, 2^20) float64 = 8 TB in an entry of a few bytes
    let lie = npy_bytes("<f8", false, &[1 << 20, 1 << 20], &[0; 16]);
    let path = write(&dir, "l.npz", npz_bytes(&[("x", lie)], true));
    assert_contains(
        &err_text(load_npz(&path, &LabelColumn::Auto, false)),
        &["ends early"],
    );
}
