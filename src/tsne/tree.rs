//! The space-partitioning tree of Barnes-Hut t-SNE over the current embedding (a quadtree in 2-D,
//! an octree in 3-D), rebuilt every iteration: each cell knows its points' count, centre of mass
//! and squared width, so that a cell that looks small from a point (width² < θ²·distance²) stands
//! for all its points in that point's repulsion, as in scikit-learn's `_QuadTree.summarize`.
//!
//! Cells are split at their box's middle until one point remains, or until the box is narrower
//! than [`MIN_SPLIT`] of the root's (points that close are one leaf, as scikit-learn keeps exact
//! duplicates together). Cells are stored in the order they are made, children next to each
//! other, and a point's repulsion skips the leaf that holds the point itself.

/// Boxes narrower than this share of the root box are not split further (2⁻⁴⁰: depth ≤ 40).
const MIN_SPLIT: f64 = 1.0 / (1u64 << 40) as f64;

/// One cell of the tree.
#[derive(Debug, Clone, Copy)]
struct Cell<const D: usize> {
    /// Centre of mass of its points.
    centre: [f64; D],
    /// Number of its points.
    count: f64,
    /// Square of the box's widest side.
    squared_width: f64,
    /// Index of the first child (children are consecutive); 0 for a leaf.
    first_child: u32,
    /// Number of children (non-empty boxes); 0 for a leaf.
    children: u32,
}

/// The tree over one embedding, with buffers reused from one iteration to the next.
#[derive(Debug, Default)]
pub(super) struct Tree<const D: usize> {
    cells: Vec<Cell<D>>,
    /// The leaf each point is in.
    leaf_of: Vec<u32>,
    /// Point indices, grouped by cell as the tree is built.
    order: Vec<u32>,
    scratch: Vec<u32>,
}

impl<const D: usize> Tree<D> {
    /// Builds the tree over `points` (replacing the previous one).
    pub fn build(&mut self, points: &[[f64; D]]) {
        self.cells.clear();
        self.leaf_of.clear();
        self.leaf_of.resize(points.len(), 0);
        self.order.clear();
        self.order.extend(0..points.len() as u32);
        self.scratch.resize(points.len(), 0);
        if points.is_empty() {
            return;
        }
        let (mut low, mut high) = ([f64::INFINITY; D], [f64::NEG_INFINITY; D]);
        for p in points {
            for a in 0..D {
                low[a] = low[a].min(p[a]);
                high[a] = high[a].max(p[a]);
            }
        }
        let root_width = (0..D).map(|a| high[a] - low[a]).fold(0.0, f64::max);
        let min_width = root_width * MIN_SPLIT;
        self.cells.push(summary(points, &self.order, low, high));
        self.split(points, 0, 0, points.len(), low, high, min_width);
    }

    /// Splits cell `id` (its points are `order[start..end]`, its box `low..high`) while it has
    /// more than one point and is wider than `min_width`.
    #[allow(clippy::too_many_arguments)]
    fn split(
        &mut self,
        points: &[[f64; D]],
        id: usize,
        start: usize,
        end: usize,
        low: [f64; D],
        high: [f64; D],
        min_width: f64,
    ) {
        let width = (0..D).map(|a| high[a] - low[a]).fold(0.0, f64::max);
        // (a NaN width, from an embedding that diverged, also ends the split)
        if end - start <= 1 || width.is_nan() || width <= min_width {
            for &p in &self.order[start..end] {
                self.leaf_of[p as usize] = id as u32;
            }
            return;
        }
        let mid: [f64; D] = std::array::from_fn(|a| 0.5 * (low[a] + high[a]));
        let code = |p: &[f64; D]| (0..D).fold(0usize, |c, a| c | (usize::from(p[a] > mid[a]) << a));
        // Counting sort of the cell's points by child box.
        let mut counts = [0usize; 8];
        for &p in &self.order[start..end] {
            counts[code(&points[p as usize])] += 1;
        }
        let mut offsets = [0usize; 8];
        for c in 1..(1 << D) {
            offsets[c] = offsets[c - 1] + counts[c - 1];
        }
        let mut fill = offsets;
        for &p in &self.order[start..end] {
            let c = code(&points[p as usize]);
            self.scratch[start + fill[c]] = p;
            fill[c] += 1;
        }
        self.order[start..end].copy_from_slice(&self.scratch[start..end]);
        let first_child = self.cells.len();
        // the non-empty children (at most 2^D ≤ 8): ranges of `order` and boxes
        let mut boxes = [((0, 0), low, high); 8];
        let mut n_boxes = 0;
        for c in (0..1 << D).filter(|&c| counts[c] > 0) {
            let (mut lo, mut hi) = (low, high);
            for a in 0..D {
                if (c >> a) & 1 == 1 {
                    lo[a] = mid[a];
                } else {
                    hi[a] = mid[a];
                }
            }
            let range = (start + offsets[c], start + offsets[c] + counts[c]);
            self.cells
                .push(summary(points, &self.order[range.0..range.1], lo, hi));
            boxes[n_boxes] = (range, lo, hi);
            n_boxes += 1;
        }
        self.cells[id].first_child = first_child as u32;
        self.cells[id].children = n_boxes as u32;
        for (offset, &((s, e), lo, hi)) in boxes[..n_boxes].iter().enumerate() {
            self.split(points, first_child + offset, s, e, lo, hi, min_width);
        }
    }

    /// The points in the order of the leaves (depth first): neighbours in space are near each
    /// other here, so visiting the points in this order reuses the cells just read.
    pub fn order(&self) -> &[u32] {
        &self.order
    }

    /// The repulsion on point `i` at `y` with accuracy `theta_squared`: the sum over the other
    /// points (or the cells that stand for them) of `w²·(y − y_j)` and the sum of `w`, where
    /// `w = (dof / (dof + d²))^((dof + 1) / 2)` (t-SNE's Student-t kernel, unnormalized).
    pub fn repulsion(
        &self,
        i: usize,
        y: [f64; D],
        theta_squared: f64,
        dof: f64,
        stack: &mut Vec<u32>,
    ) -> ([f64; D], f64) {
        let (mut force, mut z) = ([0.0; D], 0.0);
        if self.cells.is_empty() {
            return (force, z);
        }
        let exponent = (dof + 1.0) / 2.0;
        stack.clear();
        stack.push(0);
        while let Some(id) = stack.pop() {
            let cell = &self.cells[id as usize];
            let mut delta = [0.0; D];
            let mut d2 = 0.0;
            for a in 0..D {
                delta[a] = y[a] - cell.centre[a];
                d2 += delta[a] * delta[a];
            }
            if cell.children == 0 {
                if self.leaf_of[i] == id {
                    continue;
                }
            } else if cell.squared_width >= theta_squared * d2 || d2.is_nan() {
                stack.extend(cell.first_child..cell.first_child + cell.children);
                continue;
            }
            let mut w = dof / (dof + d2);
            if dof != 1.0 {
                w = w.powf(exponent);
            }
            z += cell.count * w;
            let mult = cell.count * w * w;
            for a in 0..D {
                force[a] += mult * delta[a];
            }
        }
        (force, z)
    }
}

/// A cell over `members` of `points` in the box `low..high`, not yet split.
fn summary<const D: usize>(
    points: &[[f64; D]],
    members: &[u32],
    low: [f64; D],
    high: [f64; D],
) -> Cell<D> {
    let mut centre = [0.0; D];
    for &p in members {
        for a in 0..D {
            centre[a] += points[p as usize][a];
        }
    }
    let count = members.len() as f64;
    for c in &mut centre {
        *c /= count.max(1.0);
    }
    let width = (0..D).map(|a| high[a] - low[a]).fold(0.0, f64::max);
    Cell {
        centre,
        count,
        squared_width: width * width,
        first_child: 0,
        children: 0,
    }
}
