//! UMAP's fuzzy neighbour graph, as umap-learn's `fuzzy_simplicial_set`: per row the distance
//! to its nearest neighbour (ρ, local connectivity 1) and a width σ found by binary search so
//! that Σ exp(−(d − ρ)/σ) over its neighbours is log₂(n_neighbors); memberships exp(−(d − ρ)/σ)
//! (1 for the nearest); then the fuzzy union A + Aᵀ − A∘Aᵀ. Weights below max / epochs are
//! dropped before the layout (they would never be sampled).

/// Binary-search steps and tolerance on the sum (umap-learn's `n_iter` and
/// `SMOOTH_K_TOLERANCE`).
const SEARCH_STEPS: usize = 64;
const TOLERANCE: f64 = 1e-5;
/// Smallest σ as a share of the mean neighbour distance (umap-learn's `MIN_K_DIST_SCALE`).
const MIN_WIDTH_SCALE: f64 = 1e-3;

/// A symmetric weighted graph in compressed rows: row `i`'s neighbours are
/// `indices[indptr[i]..indptr[i + 1]]` (increasing) with `weights` alike.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Graph {
    pub indptr: Vec<usize>,
    pub indices: Vec<u32>,
    pub weights: Vec<f32>,
}

impl Graph {
    /// Vertices.
    pub fn len(&self) -> usize {
        self.indptr.len() - 1
    }

    /// Row `i`'s neighbours and weights.
    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let span = self.indptr[i]..self.indptr[i + 1];
        (&self.indices[span.clone()], &self.weights[span])
    }

    /// Builds the graph from `(row, column, weight)` entries, each pair at most once.
    fn from_entries(n: usize, mut entries: Vec<(u32, u32, f32)>) -> Graph {
        entries.sort_unstable_by_key(|&(i, j, _)| (i, j));
        let mut indptr = vec![0usize; n + 1];
        for &(i, _, _) in &entries {
            indptr[i as usize + 1] += 1;
        }
        for i in 0..n {
            indptr[i + 1] += indptr[i];
        }
        Graph {
            indptr,
            indices: entries.iter().map(|e| e.1).collect(),
            weights: entries.iter().map(|e| e.2).collect(),
        }
    }

    /// The graph without the edges lighter than max / `epochs` (umap-learn drops them too).
    pub fn pruned(&self, epochs: usize) -> Graph {
        let max = self.weights.iter().copied().fold(0.0f32, f32::max);
        let floor = max / epochs.max(1) as f32;
        let mut entries = Vec::with_capacity(self.weights.len());
        for i in 0..self.len() {
            let (cols, weights) = self.row(i);
            for (&j, &w) in cols.iter().zip(weights) {
                if w >= floor && w > 0.0 {
                    entries.push((i as u32, j, w));
                }
            }
        }
        Graph::from_entries(self.len(), entries)
    }

    /// The subgraph on `members` (increasing vertex numbers), renumbered 0.. in their order.
    pub fn subgraph(&self, members: &[u32]) -> Graph {
        let mut new_index = vec![u32::MAX; self.len()];
        for (new, &old) in members.iter().enumerate() {
            new_index[old as usize] = new as u32;
        }
        let mut entries = Vec::new();
        for (new, &old) in members.iter().enumerate() {
            let (cols, weights) = self.row(old as usize);
            for (&j, &w) in cols.iter().zip(weights) {
                if new_index[j as usize] != u32::MAX {
                    entries.push((new as u32, new_index[j as usize], w));
                }
            }
        }
        Graph::from_entries(members.len(), entries)
    }
}

/// ρ and σ of one row from its `k` neighbour distances (increasing, the row itself excluded);
/// `mean_all` is the mean neighbour distance over all rows (σ's floor when ρ is 0).
fn smooth_width(distances: &[f64], mean_all: f64) -> (f64, f64) {
    // umap-learn's neighbour lists include the row itself (distance 0)
    let k = distances.len() + 1;
    let target = (k as f64).log2();
    let rho = distances.iter().copied().find(|&d| d > 0.0).unwrap_or(0.0);
    let (mut low, mut high, mut mid) = (0.0f64, f64::INFINITY, 1.0f64);
    for _ in 0..SEARCH_STEPS {
        let sum: f64 = distances
            .iter()
            .map(|&d| {
                let excess = d - rho;
                if excess > 0.0 {
                    (-excess / mid).exp()
                } else {
                    1.0
                }
            })
            .sum();
        if (sum - target).abs() < TOLERANCE {
            break;
        }
        if sum > target {
            high = mid;
            mid = (low + high) / 2.0;
        } else {
            low = mid;
            mid = if high == f64::INFINITY {
                mid * 2.0
            } else {
                (low + high) / 2.0
            };
        }
    }
    let floor = if rho > 0.0 {
        MIN_WIDTH_SCALE * distances.iter().sum::<f64>() / k as f64
    } else {
        MIN_WIDTH_SCALE * mean_all
    };
    (rho, mid.max(floor))
}

/// The fuzzy union graph of the `k` nearest neighbours of `n` rows (`neighbours` and
/// `sq_distances` row by row, nearest first, the row itself excluded).
pub(crate) fn fuzzy_graph(neighbours: &[u32], sq_distances: &[f32], n: usize) -> Graph {
    let k = neighbours.len().checked_div(n).unwrap_or(0);
    let distances: Vec<f64> = sq_distances.iter().map(|&d| f64::from(d).sqrt()).collect();
    // mean over umap-learn's lists, which hold each row's own 0 too
    let mean_all = distances.iter().sum::<f64>() / (n * (k + 1)).max(1) as f64;
    // directed memberships, each row's sorted by column for the transposed look-up
    let mut rows: Vec<Vec<(u32, f32)>> = Vec::with_capacity(n);
    for i in 0..n {
        let d = &distances[i * k..(i + 1) * k];
        let (rho, sigma) = smooth_width(d, mean_all);
        let mut row: Vec<(u32, f32)> = neighbours[i * k..(i + 1) * k]
            .iter()
            .zip(d)
            .filter(|&(&j, _)| j as usize != i)
            .map(|(&j, &dist)| {
                let membership = if dist - rho <= 0.0 || sigma == 0.0 {
                    1.0
                } else {
                    (-(dist - rho) / sigma).exp()
                };
                (j, membership as f32)
            })
            .collect();
        row.sort_unstable_by_key(|e| e.0);
        rows.push(row);
    }
    let lookup = |i: usize, j: u32| -> Option<f32> {
        let row = &rows[i];
        row.binary_search_by_key(&j, |e| e.0)
            .ok()
            .map(|at| row[at].1)
    };
    let mut entries = Vec::with_capacity(n * k * 2);
    for (i, row) in rows.iter().enumerate() {
        for &(j, v) in row {
            let listed = lookup(j as usize, i as u32);
            let back = listed.unwrap_or(0.0);
            let union = v + back - v * back;
            if union > 0.0 {
                entries.push((i as u32, j, union));
                if listed.is_none() {
                    // row j does not list i: this is the only place the pair is seen
                    entries.push((j, i as u32, union));
                }
            }
        }
    }
    Graph::from_entries(n, entries)
}
