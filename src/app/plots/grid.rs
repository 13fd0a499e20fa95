//! [`PointGrid`]: the drawn points bucketed by plot coordinates, built once per `PlotData`,
//! so that finding the point under the pointer looks at the few cells around it instead of
//! every point, and costs nothing when the view changes. The points are reordered by cell,
//! which also keeps a pass over them in screen order (near points are near in memory).

use egui::{Pos2, Rect};
use egui_plot::{PlotPoint, PlotTransform};

use super::points::DrawPoint;

/// Average number of points per cell the grid aims for.
const POINTS_PER_CELL: usize = 4;

/// Largest number of cells along one axis.
const MAX_CELLS_PER_AXIS: usize = 2048;

/// Points of a draw list bucketed into a regular grid over their bounding box.
#[derive(Debug, Default)]
pub(super) struct PointGrid {
    /// Lower corner of the grid in plot coordinates.
    min: [f64; 2],
    /// Cells per plot unit along x and y.
    cells_per_unit: [f64; 2],
    /// Number of cells along x and y (0 when there are no points).
    size: [usize; 2],
    /// `starts[c]..starts[c + 1]` are the points of cell `c` (row-major, x fastest).
    starts: Vec<u32>,
}

impl PointGrid {
    /// Buckets `draw` (all coordinates finite), reordering it by cell (stable).
    pub fn new(draw: &mut Vec<DrawPoint>) -> PointGrid {
        let Some(first) = draw.first() else {
            return PointGrid::default();
        };
        let (mut lo, mut hi) = ([first.x, first.y], [first.x, first.y]);
        for p in draw.iter() {
            lo = [lo[0].min(p.x), lo[1].min(p.y)];
            hi = [hi[0].max(p.x), hi[1].max(p.y)];
        }
        let per_axis = ((draw.len() / POINTS_PER_CELL) as f64)
            .sqrt()
            .ceil()
            .clamp(1.0, MAX_CELLS_PER_AXIS as f64) as usize;
        let mut grid = PointGrid {
            min: [f64::from(lo[0]), f64::from(lo[1])],
            cells_per_unit: [0.0; 2],
            size: [per_axis; 2],
            starts: vec![0; per_axis * per_axis + 1],
        };
        for axis in 0..2 {
            let span = f64::from(hi[axis]) - f64::from(lo[axis]);
            // A constant axis gets one cell.
            if span > 0.0 && span.is_finite() {
                grid.cells_per_unit[axis] = per_axis as f64 / span;
            } else {
                grid.size[axis] = 1;
            }
        }
        // Counting sort by cell; a stable scatter keeps draw order within a cell.
        let cells: Vec<u32> = draw
            .iter()
            .map(|p| grid.cell_of(f64::from(p.x), f64::from(p.y)) as u32)
            .collect();
        for &c in &cells {
            grid.starts[c as usize + 1] += 1;
        }
        for c in 1..grid.starts.len() {
            grid.starts[c] += grid.starts[c - 1];
        }
        let mut next = grid.starts.clone();
        let mut sorted = draw.clone();
        for (p, &c) in draw.iter().zip(&cells) {
            sorted[next[c as usize] as usize] = *p;
            next[c as usize] += 1;
        }
        *draw = sorted;
        grid
    }

    /// Column (or row) of plot coordinate `v` on `axis`, clamped to the grid.
    fn index(&self, axis: usize, v: f64) -> usize {
        let i = ((v - self.min[axis]) * self.cells_per_unit[axis]).floor();
        if i.is_nan() {
            0
        } else {
            (i.max(0.0) as usize).min(self.size[axis] - 1)
        }
    }

    fn cell_of(&self, x: f64, y: f64) -> usize {
        self.index(1, y) * self.size[0] + self.index(0, x)
    }

    /// The index in `draw` (as reordered by [`PointGrid::new`]) of the point nearest to
    /// `pointer` within `max_dist` screen points, among the points inside `keep`; the topmost
    /// (highest rank) on ties.
    pub fn nearest(
        &self,
        draw: &[DrawPoint],
        transform: &PlotTransform,
        pointer: Pos2,
        max_dist: f32,
        keep: Rect,
    ) -> Option<usize> {
        if self.size[0] == 0 {
            return None;
        }
        let [dx_dpos, dy_dpos] = transform.dvalue_dpos();
        let centre = transform.value_from_position(pointer);
        let (rx, ry) = (
            (dx_dpos * f64::from(max_dist)).abs(),
            (dy_dpos * f64::from(max_dist)).abs(),
        );
        let (x0, x1) = (self.index(0, centre.x - rx), self.index(0, centre.x + rx));
        let (y0, y1) = (self.index(1, centre.y - ry), self.index(1, centre.y + ry));
        // (distance², (rank, index in draw))
        let mut best: (f32, Option<(u32, usize)>) = (max_dist * max_dist, None);
        for cy in y0..=y1 {
            let row = cy * self.size[0];
            let start = self.starts[row + x0] as usize;
            let end = self.starts[row + x1 + 1] as usize;
            for (k, p) in draw[start..end].iter().enumerate() {
                let pos =
                    transform.position_from_point(&PlotPoint::new(f64::from(p.x), f64::from(p.y)));
                if !keep.contains(pos) {
                    continue;
                }
                let d = pos.distance_sq(pointer);
                if d < best.0 || (d == best.0 && best.1.is_none_or(|(rank, _)| p.rank > rank)) {
                    best = (d, Some((p.rank, start + k)));
                }
            }
        }
        best.1.map(|(_, k)| k)
    }
}
