//! The plot model: what the scatter plots and the loss curves show, computed once from the data
//! and drawn by two renderers — the figures module (plotters → PNG) and the app's plots (egui).
//! Nothing here draws or knows egui; a renderer only maps the model to pixels, so the screen and
//! the PNG cannot drift apart.
//!
//! * [`scatter`]: per-row colours and legend ([`scatter::RowColours`]), positions including the
//!   1-D strip's jitter, draw order and opacity ([`scatter::ScatterLayout`]);
//! * [`loss`]: which loss curves a method has, their names, tints and points
//!   ([`loss::LossModel`]);
//! * [`sweep`]: a sweep's criteria and similarity against the swept setting
//!   ([`sweep::SweepModel`]);
//! * [`palette`]: the class palette and the viridis scale;
//! * [`hash`]: splitmix64, behind the draw order and the jitter;
//! * [`mod@format`]: numbers as tick labels, legends and tooltips print them.

pub mod format;
pub mod hash;
pub mod loss;
mod loss_columns;
pub mod palette;
pub mod scatter;
pub mod sweep;
