//! The numeric, GUI-free parts of the app's explorer (where do two latent spaces differ?): the
//! per-row k-NN agreement and its least-agreeing rows, the rows inside a box of a plot, B aligned
//! onto A as pairs of points, and decoding a point or a grid of points of the latent plane back
//! into samples in the data's original units, and the nearest rows of one row in each space.
//!
//! Everything here takes plain arrays and returns values or errors; odd input (no rows, NaN
//! latents, a 1-D latent, mismatched lengths) gives an empty answer or an error, never a panic.
//!
//! By topic: `agreement.rs` (per-row agreement, least agreeing, box selection), `ranges.rs`
//! (finite means and ranges), `decode.rs` (plot axes, decoding a point or a grid), `mosaic.rs`
//! (gray images of decoded samples), `aligned.rs` (B aligned onto A as pairs),
//! `point_neighbours.rs` (a row's nearest rows in the input, in A and in B), `morph.rs` (each
//! row moving from A to B aligned onto A), `orbit.rs` (a rotatable 3-D view of three columns).

mod agreement;
mod aligned;
mod decode;
mod morph;
mod mosaic;
mod orbit;
mod point_neighbours;
mod ranges;

#[cfg(test)]
mod tests;

pub use agreement::{RowAgreement, agreement_per_row, least_agreeing, rows_in_box};
pub use aligned::{AlignedPair, aligned_pairs};
pub use decode::{
    DecodedGrid, GridSpec, PlotAxes, decode_grid, decode_original, grid_points, latent_at,
};
pub use morph::{morph_at, morph_frame, morph_range, most_moved};
pub use mosaic::{gray_levels, grid_mosaic};
pub use orbit::{Orbit, unit_cloud};
pub use point_neighbours::{NeighbourList, PointNeighbours, point_neighbours};
pub use ranges::{column_ranges, mean_latent, quantile_range, value_range};
