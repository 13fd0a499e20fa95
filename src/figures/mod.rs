//! Publication figures as PNG bytes: the two latent scatter plots side by side, one scatter plot
//! alone, training-loss curves, and B's latents rotated onto A's by Procrustes.
//!
//! Every function takes plain data and returns the encoded PNG, so the CLI can write it to a file
//! and a GUI can show it without touching the renderer. Rendering needs no system fonts and no
//! display: DejaVu Sans is embedded in the binary and registered with plotters on first use.
//!
//! Conventions shared by all figures:
//! * sizes are in pixels; text, point and line sizes scale with the figure (titles ~28 px, axis
//!   labels ~20 px and tick labels ~16 px at 1600×800);
//! * non-finite values are never drawn and never widen an axis; an axis over all-equal values
//!   or a single point gets a unit-wide range around it;
//! * class colours depend only on the class id and the number of classes, so the same class has
//!   the same colour in every panel and every figure of a run.

mod aligned;
mod axes;
mod canvas;
mod equivalence;
mod legend;
mod loss;
mod panel;
mod raster;
mod scatter;
mod sweep;
mod text;
mod ticks;

use std::fmt;
use std::str::FromStr;

use ndarray::ArrayView2;

use crate::error::{Error, Result};

pub use crate::plot::loss::LossSeries;
/// The palette lives with the plot model; the figures (and older call sites) reach it here.
pub(crate) use crate::plot::palette;
pub use crate::plot::scatter::PointColours;

pub use aligned::aligned_png;
pub use equivalence::equivalence_png;
pub use loss::loss_png;
#[cfg(all(test, feature = "gui"))]
pub(crate) use scatter::drawn_points;
pub use scatter::{scatter_pair_png, scatter_png};
pub use sweep::sweep_png;
/// DejaVu Sans, embedded: the figures' font, also the app's.
#[cfg(feature = "gui")]
pub(crate) use text::REGULAR as DEJAVU_SANS;

/// Size of a figure in pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FigureSize {
    /// Width in pixels, [`FigureSize::MIN`]..=[`FigureSize::MAX`].
    pub width: u32,
    /// Height in pixels, [`FigureSize::MIN`]..=[`FigureSize::MAX`].
    pub height: u32,
}

impl FigureSize {
    /// Smallest allowed side in pixels.
    pub const MIN: u32 = 200;
    /// Largest allowed side in pixels.
    pub const MAX: u32 = 8000;

    /// A checked size; errors with [`Error::InvalidInput`] when a side is outside
    /// [`FigureSize::MIN`]..=[`FigureSize::MAX`].
    pub fn new(width: u32, height: u32) -> Result<Self> {
        let size = FigureSize { width, height };
        size.validate()?;
        Ok(size)
    }

    /// Checks the limits (the fields are public, so every renderer calls this).
    pub fn validate(&self) -> Result<()> {
        let ok = |v: u32| (Self::MIN..=Self::MAX).contains(&v);
        if ok(self.width) && ok(self.height) {
            Ok(())
        } else {
            Err(Error::InvalidInput(format!(
                "figure size {}x{} is out of range; each side must be {}..={} pixels, e.g. 1600x800",
                self.width,
                self.height,
                Self::MIN,
                Self::MAX
            )))
        }
    }
}

impl Default for FigureSize {
    fn default() -> Self {
        FigureSize {
            width: 1600,
            height: 800,
        }
    }
}

impl fmt::Display for FigureSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.width, self.height)
    }
}

impl FromStr for FigureSize {
    type Err = Error;

    /// Parses `WIDTHxHEIGHT` in pixels, e.g. `1600x800` (`X` and `×` are accepted too).
    fn from_str(s: &str) -> Result<Self> {
        let bad = || {
            Error::InvalidInput(format!(
                "figure size {s:?} is not of the form WIDTHxHEIGHT in pixels, e.g. 1600x800 \
                 (each side {}..={})",
                Self::MIN,
                Self::MAX
            ))
        };
        let (w, h) = s.trim().split_once(['x', 'X', '×']).ok_or_else(bad)?;
        let w: u32 = w.trim().parse().map_err(|_| bad())?;
        let h: u32 = h.trim().parse().map_err(|_| bad())?;
        FigureSize::new(w, h)
    }
}

/// One scatter plot: a method's latent vectors and what to call them.
#[derive(Clone, Debug)]
pub struct ScatterPanel<'a> {
    /// Bold line above the plot, e.g. "A: PCA (2 components)".
    pub title: String,
    /// Smaller line under the title with key figures, e.g. "recon MSE 0.919 · trust. 0.87";
    /// may be empty.
    pub subtitle: String,
    /// n × latent_dim (latent_dim ≥ 1).
    pub points: ArrayView2<'a, f32>,
    /// Latent column drawn horizontally.
    pub x_axis: usize,
    /// Latent column drawn vertically. Ignored when latent_dim is 1: then z0 is drawn as a strip
    /// with a small deterministic vertical jitter (see [`crate::plot::scatter::ScatterLayout`]).
    pub y_axis: usize,
    /// Fixed (x, y) axis ranges instead of the points' own (frames of one animation share
    /// them); ignored for a 1-D latent's y.
    pub ranges: Option<([f64; 2], [f64; 2])>,
}

impl<'a> ScatterPanel<'a> {
    /// A panel drawing latent columns 0 and 1.
    pub fn new(
        title: impl Into<String>,
        subtitle: impl Into<String>,
        points: ArrayView2<'a, f32>,
    ) -> Self {
        ScatterPanel {
            title: title.into(),
            subtitle: subtitle.into(),
            points,
            x_axis: 0,
            y_axis: 1,
            ranges: None,
        }
    }
}
