//! The plot widgets of the desktop app: the two latent scatter plots side by side
//! ([`ScatterPairView`]) and the training-loss curves ([`LossView`]).
//!
//! What is drawn comes from the plot model (`crate::plot`): the scatter layout (positions, draw
//! order, opacity) and the colours are the exported figures', so a point has the same place,
//! colour and stacking on screen and in `scatter.png`, and the loss curves are the same curves
//! as in `loss.png`. With eframe's OpenGL renderer the GPU draws a plot's points from a buffer
//! uploaded once per data change (`gpu_points.rs`: one paint callback a frame). Otherwise every
//! point of a plot is one textured mesh built only when the view, the data or the colouring
//! changes, with the points that fall into one pixel merged into one disc of their stacked
//! opacity (so the mesh never has more triangles than the plot has pixels; `screen.rs`). The
//! point under the pointer is found through a grid built once per data (`grid.rs`).

mod colours;
mod gpu_points;
mod grid;
mod legend;
mod loss;
mod marks;
mod pixel_sums;
mod points;
mod raster;
mod sample;
mod scatter;
mod scatter_hover;
mod scatter_marks;
mod scatter_side;
mod screen;
mod ticks;

#[cfg(test)]
mod gpu_tests;
#[cfg(test)]
mod legend_tests;
#[cfg(test)]
mod loss_tests;
#[cfg(test)]
mod model_tests;
#[cfg(test)]
mod scale_tests;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use ndarray::Array2;

/// Width kept free at the right of a full-width plot: the page's scroll bar floats over it.
pub(crate) const SCROLL_BAR_ROOM: f32 = 14.0;

/// Metric values as the app prints them (the one formatter of the plots, also the figures').
pub(crate) use crate::plot::format::value as format_value;
pub use gpu_points::supported as gpu_points_supported;
pub use loss::LossView;
pub use marks::{DecodedMark, DrawnMarks, MAX_OUTLINED, Marks, PICKED_COLOUR, PlotEvent};
pub(crate) use sample::{gray_cells_ui, thumbnail_ui};
pub use scatter::{ScatterPairView, Side};

/// One method's latents as the scatter view shows them (built once when a fit arrives, not
/// per frame).
#[derive(Clone, Debug)]
pub struct ScatterSource {
    /// Shown above the plot, e.g. "A: VAE".
    pub title: String,
    /// Shown under the title in a smaller font, e.g. "latent 8 · fit 3.2 s".
    pub subtitle: String,
    /// n × d latents, one row per dataset row, d ≥ 1 (a 0-wide array shows a note instead).
    pub latents: Arc<Array2<f32>>,
}

/// How points are coloured (shared by both plots).
#[derive(Clone, Debug, Default)]
pub enum Colouring {
    /// One colour per class id; `names[id]` is the legend text.
    Classes {
        /// Class id of each row.
        ids: Arc<Vec<u32>>,
        /// Class names indexed by id.
        names: Arc<Vec<String>>,
    },
    /// A value per row on the viridis scale (non-finite values are grey).
    Continuous {
        /// Value of each row.
        values: Arc<Vec<f32>>,
        /// What the values are; shown beside the colour bar.
        label: String,
        /// Low values bright, high values dark: the low ones stand out on the dark plot (k-NN
        /// agreement, where the points that disagree matter).
        reversed: bool,
    },
    /// Every point in one colour.
    #[default]
    None,
}

impl Colouring {
    /// The colouring of a dataset's own labels (copies them once; call it when the dataset
    /// arrives, not per frame).
    pub fn from_labels(labels: Option<&crate::data::Labels>) -> Colouring {
        match labels {
            Some(crate::data::Labels::Classes { ids, names }) => Colouring::Classes {
                ids: Arc::new(ids.clone()),
                names: Arc::new(names.clone()),
            },
            Some(crate::data::Labels::Continuous(values)) => Colouring::Continuous {
                values: Arc::new(values.clone()),
                label: "label".to_owned(),
                reversed: false,
            },
            None => Colouring::None,
        }
    }
}

/// plotters' colour as egui's (opaque).
fn to_color32(c: plotters::style::RGBColor) -> egui::Color32 {
    egui::Color32::from_rgb(c.0, c.1, c.2)
}
