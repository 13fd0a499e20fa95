//! The figure renderer end to end: every figure decodes as a PNG of the requested size, colours
//! follow classes, and degenerate inputs render instead of panicking.

use std::io::Cursor;

use latent_compare::Error;
use latent_compare::figures::{
    FigureSize, PointColours, ScatterPanel, aligned_png, scatter_pair_png, scatter_png,
};
use ndarray::{Array2, array};

/// A decoded RGB image.
struct Image {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

impl Image {
    fn pixel(&self, x: u32, y: u32) -> [u8; 3] {
        let i = ((y * self.width + x) * 3) as usize;
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }

    /// Pixels in the fractional box (x0..x1, y0..y1) for which `pred` holds.
    fn count(
        &self,
        (x0, x1): (f64, f64),
        (y0, y1): (f64, f64),
        pred: impl Fn([u8; 3]) -> bool,
    ) -> usize {
        let (w, h) = (f64::from(self.width), f64::from(self.height));
        let mut n = 0;
        for y in (y0 * h) as u32..(y1 * h) as u32 {
            for x in (x0 * w) as u32..(x1 * w) as u32 {
                n += usize::from(pred(self.pixel(x, y)));
            }
        }
        n
    }
}

mod loss;

fn decode(bytes: &[u8]) -> Image {
    let decoder = png::Decoder::new(Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size().expect("a buffer size")];
    let info = reader.next_frame(&mut buf).expect("PNG image data");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    buf.truncate(info.buffer_size());
    Image {
        width: info.width,
        height: info.height,
        rgb: buf,
    }
}

fn decode_sized(bytes: &[u8], size: FigureSize) -> Image {
    let img = decode(bytes);
    assert_eq!((img.width, img.height), (size.width, size.height));
    img
}

fn not_white(p: [u8; 3]) -> bool {
    p.iter().any(|&c| c < 235)
}

/// Close to an RGB colour (anti-aliasing and translucency shift edges, not centres).
fn near(target: [u8; 3], tol: i32) -> impl Fn([u8; 3]) -> bool {
    move |p| {
        p.iter()
            .zip(target)
            .all(|(&a, b)| (i32::from(a) - i32::from(b)).abs() <= tol)
    }
}

const BLUE: [u8; 3] = [31, 119, 180];
const ORANGE: [u8; 3] = [255, 127, 14];

/// `n` points on a noisy circle in `dim` dimensions, with `classes` classes.
fn cloud(n: usize, dim: usize, classes: u32) -> (Array2<f32>, Vec<u32>, Vec<String>) {
    let pts = Array2::from_shape_fn((n, dim), |(i, j)| {
        let t = i as f32 * 0.37;
        if j == 0 {
            t.cos() * (1.0 + (i % 7) as f32 * 0.1)
        } else {
            t.sin() + j as f32 * 0.01
        }
    });
    let ids = (0..n as u32).map(|i| i % classes.max(1)).collect();
    let names = (0..classes).map(|k| format!("class {k}")).collect();
    (pts, ids, names)
}

#[test]
fn scatter_pair_is_a_png_of_the_requested_size_with_content_in_both_halves() {
    let (pts, ids, names) = cloud(400, 2, 3);
    let a = ScatterPanel::new("A: PCA", "recon MSE 0.9", pts.view());
    let b = ScatterPanel::new("B: VAE", "", pts.view());
    let colours = PointColours::Classes {
        ids: &ids,
        names: &names,
        hidden: &[],
    };
    for size in [
        FigureSize::default(),
        FigureSize {
            width: 333,
            height: 777,
        },
    ] {
        let img = decode_sized(&scatter_pair_png(&a, &b, &colours, size).unwrap(), size);
        assert!(img.count((0.05, 0.45), (0.1, 0.9), not_white) > 500);
        assert!(img.count((0.5, 0.85), (0.1, 0.9), not_white) > 500);
    }
}

#[test]
fn classes_get_distinct_colours_and_the_same_colour_in_both_panels() {
    // Class 0 sits at the bottom-left corner of the data, class 1 at the top-right.
    let pts = array![[0.0f32, 0.0], [0.0, 0.0], [1.0, 1.0], [1.0, 1.0]];
    let names = vec!["zero".to_string(), "one".to_string()];
    let size = FigureSize {
        width: 1000,
        height: 800,
    };
    let render = |ids: &[u32]| {
        let colours = PointColours::Classes {
            ids,
            names: &names,
            hidden: &[],
        };
        let panel = ScatterPanel::new("t", "", pts.view());
        decode_sized(&scatter_png(&panel, &colours, size).unwrap(), size)
    };
    let bottom_left = ((0.0, 0.5), (0.5, 1.0));
    let img = render(&[0, 0, 1, 1]);
    assert!(img.count(bottom_left.0, bottom_left.1, near(BLUE, 30)) > 3);
    assert_eq!(img.count(bottom_left.0, bottom_left.1, near(ORANGE, 30)), 0);
    let img = render(&[1, 1, 0, 0]);
    assert!(img.count(bottom_left.0, bottom_left.1, near(ORANGE, 30)) > 3);
    assert_eq!(img.count(bottom_left.0, bottom_left.1, near(BLUE, 30)), 0);

    // In the pair, the bottom-left corner of each panel holds class 0's colour.
    let panel = ScatterPanel::new("t", "", pts.view());
    let colours = PointColours::Classes {
        ids: &[0, 0, 1, 1],
        names: &names,
        hidden: &[],
    };
    let size = FigureSize::default();
    let img = decode_sized(
        &scatter_pair_png(&panel, &panel, &colours, size).unwrap(),
        size,
    );
    for half in [(0.0, 0.25), (0.5, 0.7)] {
        assert!(img.count(half, (0.6, 1.0), near(BLUE, 30)) > 3, "{half:?}");
        assert_eq!(img.count(half, (0.6, 1.0), near(ORANGE, 30)), 0, "{half:?}");
    }
}

#[test]
fn degenerate_scatter_inputs_render() {
    let size = FigureSize {
        width: 640,
        height: 400,
    };
    let nan = f32::NAN;
    let cases: Vec<Array2<f32>> = vec![
        Array2::zeros((0, 2)),
        array![[1.5, -2.0]],
        Array2::from_elem((50, 2), 3.0),
        array![[nan, 1.0], [2.0, nan], [1.0, 1.0], [f32::INFINITY, 0.0]],
        Array2::from_elem((5, 3), nan),
        array![[1.0], [2.0], [nan], [4.0]],
        Array2::from_elem((7, 1), -1.0),
        Array2::from_elem((3, 2), 1e30),
    ];
    for pts in &cases {
        let n = pts.nrows();
        let panel = ScatterPanel::new("panel", "sub", pts.view());
        let ids: Vec<u32> = (0..n as u32).collect();
        let values: Vec<f32> = (0..n)
            .map(|i| if i == 1 { nan } else { i as f32 })
            .collect();
        let constant = vec![2.0f32; n];
        let names = Vec::new();
        for colours in [
            PointColours::None,
            PointColours::Classes {
                ids: &ids,
                names: &names,
                hidden: &[],
            },
            PointColours::Continuous {
                values: &values,
                label: "value",
            },
            PointColours::Continuous {
                values: &constant,
                label: "",
            },
        ] {
            decode_sized(&scatter_png(&panel, &colours, size).unwrap(), size);
            decode_sized(
                &scatter_pair_png(&panel, &panel, &colours, size).unwrap(),
                size,
            );
            decode_sized(
                &aligned_png(pts.view(), pts.view(), &colours, "t", size).unwrap(),
                size,
            );
        }
    }
}

#[test]
fn many_classes_and_small_or_large_figures_render() {
    let (pts, ids, names) = cloud(3000, 4, 30);
    let colours = PointColours::Classes {
        ids: &ids,
        names: &names,
        hidden: &[],
    };
    let mut panel = ScatterPanel::new(
        "A: a rather long title for a small figure",
        "x · y",
        pts.view(),
    );
    panel.x_axis = 2;
    panel.y_axis = 3;
    for size in [
        FigureSize {
            width: 200,
            height: 200,
        },
        FigureSize {
            width: 8000,
            height: 200,
        },
        FigureSize {
            width: 2400,
            height: 1600,
        },
    ] {
        let img = decode_sized(
            &scatter_pair_png(&panel, &panel, &colours, size).unwrap(),
            size,
        );
        assert!(img.count((0.0, 1.0), (0.0, 1.0), not_white) > 100);
        decode_sized(
            &aligned_png(pts.view(), pts.view(), &colours, "aligned", size).unwrap(),
            size,
        );
    }
}

#[test]
fn continuous_colours_use_the_whole_scale() {
    let (pts, _, _) = cloud(500, 2, 1);
    let values: Vec<f32> = (0..500).map(|i| i as f32).collect();
    let colours = PointColours::Continuous {
        values: &values,
        label: "index",
    };
    let panel = ScatterPanel::new("continuous", "", pts.view());
    let size = FigureSize::default();
    let img = decode_sized(&scatter_png(&panel, &colours, size).unwrap(), size);
    // Both ends of viridis appear (in the points and the colour bar).
    assert!(img.count((0.0, 1.0), (0.0, 1.0), near([68, 1, 84], 12)) > 20);
    assert!(img.count((0.0, 1.0), (0.0, 1.0), near([253, 231, 37], 12)) > 20);
}

#[test]
fn bad_scatter_arguments_are_invalid_input() {
    let pts = Array2::<f32>::zeros((4, 2));
    let size = FigureSize::default();
    let mut panel = ScatterPanel::new("p", "", pts.view());
    panel.y_axis = 2;
    let err = scatter_png(&panel, &PointColours::None, size).unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(ref m) if m.contains("y_axis 2")),
        "{err}"
    );
    let panel = ScatterPanel::new("p", "", pts.view());
    let colours = PointColours::Classes {
        ids: &[0, 1],
        names: &[],
        hidden: &[],
    };
    assert!(matches!(
        scatter_png(&panel, &colours, size),
        Err(Error::InvalidInput(_))
    ));
    let empty = Array2::<f32>::zeros((4, 0));
    let panel = ScatterPanel::new("p", "", empty.view());
    assert!(matches!(
        scatter_png(&panel, &PointColours::None, size),
        Err(Error::InvalidInput(_))
    ));
    let b = Array2::<f32>::zeros((3, 2));
    assert!(matches!(
        aligned_png(pts.view(), b.view(), &PointColours::None, "t", size),
        Err(Error::InvalidInput(_))
    ));
    let panel = ScatterPanel::new("p", "", pts.view());
    let tiny = FigureSize {
        width: 10,
        height: 800,
    };
    assert!(matches!(
        scatter_png(&panel, &PointColours::None, tiny),
        Err(Error::InvalidInput(_))
    ));
}

#[test]
fn figure_size_parses_and_explains_the_expected_form() {
    assert_eq!(
        "1600x800".parse::<FigureSize>().unwrap(),
        FigureSize::default()
    );
    assert_eq!(
        " 640 X 480 ".parse::<FigureSize>().unwrap(),
        FigureSize {
            width: 640,
            height: 480
        }
    );
    assert_eq!(
        "200×8000".parse::<FigureSize>().unwrap(),
        FigureSize {
            width: 200,
            height: 8000
        }
    );
    assert_eq!(FigureSize::default().to_string(), "1600x800");
    for bad in [
        "0x5",
        "abc",
        "100000x10",
        "1600x",
        "x800",
        "1600x800x2",
        "-1x800",
        "",
    ] {
        let err = bad.parse::<FigureSize>().unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, Error::InvalidInput(_)), "{bad}: {msg}");
        assert!(
            msg.contains("1600x800") && msg.contains("200..=8000"),
            "{bad}: {msg}"
        );
        assert!(err.is_user_error());
    }
    assert!(FigureSize::new(199, 800).is_err());
    assert!(FigureSize::new(8000, 8000).is_ok());
}
