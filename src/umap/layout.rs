//! UMAP's layout by stochastic gradient descent, as umap-learn's `optimize_layout_euclidean`:
//! each edge is sampled in proportion to its weight (every `epochs_per_sample` epochs), pulling
//! its two ends together with the curve's attraction, and each sample pushes the head away from
//! `negative_sample_rate` vertices drawn at random; every step clipped at ±4 and scaled by a rate
//! falling linearly from 1 to 0. Here a vertex's pushes of an epoch come after its pulls of the
//! epoch, [`LANES`] at a time from where the pulls left it (umap-learn interleaves them edge by
//! edge; the same samples, so the same expected step).
//!
//! Deterministic on two cores: umap-learn's parallel epochs race (each thread moves both ends of
//! its edges). Here each vertex is moved only by the thread owning it, through its own edges
//! (the graph is symmetric, so every pull umap-learn gives a vertex as an edge's tail it gets
//! here as the head of the reverse edge), seeing its own position live and every other vertex
//! where it stood at the start of the epoch; negative samples come from a generator seeded by
//! (seed, epoch, vertex). A seed gives the same bits whatever the number of threads.

use std::ops::Range;

use super::graph::Graph;
use super::power::pow;
use crate::parallel::join;
use crate::widest::widest;

/// Largest step of one coordinate (umap-learn's `clip`).
const CLIP: f32 = 4.0;
/// Weight of the repulsion (umap-learn's `repulsion_strength`, γ).
const GAMMA: f32 = 1.0;
/// Negative samples computed side by side (a power of two).
const LANES: usize = 16;

/// The curve and schedule of one layout.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Curve {
    pub a: f32,
    pub b: f32,
}

/// One layout's fixed curve, epochs and seed, and its per-edge sampling schedule (umap-learn's
/// `epochs_per_sample` and the next epochs due).
pub(crate) struct Schedule {
    curve: Curve,
    epochs: usize,
    seed: u64,
    per_sample: Vec<f64>,
    per_negative: Vec<f64>,
    next_sample: Vec<f64>,
    next_negative: Vec<f64>,
}

impl Schedule {
    /// The schedule of `graph` over `epochs` with `negative_rate` negative samples per sample.
    pub fn new(
        graph: &Graph,
        curve: Curve,
        epochs: usize,
        negative_rate: usize,
        seed: u64,
    ) -> Schedule {
        let max = graph.weights.iter().copied().fold(0.0f32, f32::max);
        let per_sample: Vec<f64> = graph
            .weights
            .iter()
            .map(|&w| {
                let samples = epochs as f64 * f64::from(w) / f64::from(max);
                if samples > 0.0 {
                    epochs as f64 / samples
                } else {
                    f64::INFINITY
                }
            })
            .collect();
        let per_negative: Vec<f64> = per_sample
            .iter()
            .map(|&e| e / negative_rate.max(1) as f64)
            .collect();
        let rate_zero = negative_rate == 0;
        Schedule {
            curve,
            epochs,
            seed,
            next_sample: per_sample.clone(),
            next_negative: if rate_zero {
                vec![f64::INFINITY; per_sample.len()]
            } else {
                per_negative.clone()
            },
            per_sample,
            per_negative,
        }
    }
}

/// What every row's update reads.
struct Epoch<'a, const D: usize> {
    graph: &'a Graph,
    previous: &'a [[f32; D]],
    per_sample: &'a [f64],
    per_negative: &'a [f64],
    curve: Curve,
    alpha: f32,
    epoch: usize,
    seed: u64,
}

/// Runs epoch `epoch` (from 0) of the schedule on `y`.
pub(crate) fn run_epoch<const D: usize>(
    y: &mut [[f32; D]],
    previous: &mut Vec<[f32; D]>,
    graph: &Graph,
    schedule: &mut Schedule,
    epoch: usize,
) {
    let (curve, epochs, seed) = (schedule.curve, schedule.epochs, schedule.seed);
    previous.clear();
    previous.extend_from_slice(y);
    let n = y.len();
    // split the rows where the edges are halved
    let total = graph.indptr[n];
    let middle = graph.indptr.partition_point(|&e| e < total / 2).min(n);
    let split_edge = graph.indptr[middle];
    let context = Epoch {
        graph,
        previous,
        per_sample: &schedule.per_sample,
        per_negative: &schedule.per_negative,
        curve,
        alpha: (1.0 - epoch as f64 / epochs as f64) as f32,
        epoch,
        seed,
    };
    let (y_a, y_b) = y.split_at_mut(middle);
    let (sample_a, sample_b) = schedule.next_sample.split_at_mut(split_edge);
    let (negative_a, negative_b) = schedule.next_negative.split_at_mut(split_edge);
    let context = &context;
    join(
        || rows(context, 0..middle, y_a, sample_a, negative_a, 0),
        || rows(context, middle..n, y_b, sample_b, negative_b, split_edge),
    );
}

/// The updates of `rows` (their positions `y`, their edges' schedules from edge `first_edge`),
/// in 16-wide vectors where the CPU has AVX-512, 8-wide where it has AVX2 (the same operations
/// in the same order, so the same bits as without).
fn rows<const D: usize>(
    c: &Epoch<D>,
    rows: Range<usize>,
    y: &mut [[f32; D]],
    next_sample: &mut [f64],
    next_negative: &mut [f64],
    first_edge: usize,
) {
    widest(
        #[inline(always)]
        || rows_in(c, rows, y, next_sample, next_negative, first_edge),
    )
}

#[inline(always)]
fn rows_in<const D: usize>(
    c: &Epoch<D>,
    rows: Range<usize>,
    y: &mut [[f32; D]],
    next_sample: &mut [f64],
    next_negative: &mut [f64],
    first_edge: usize,
) {
    let Curve { a, b } = c.curve;
    let now = c.epoch as f64;
    let start = rows.start;
    for j in rows {
        let current = &mut y[j - start];
        let mut random = Random::new(c.seed, c.epoch, j);
        let mut owed = 0usize;
        for e in c.graph.indptr[j]..c.graph.indptr[j + 1] {
            let at = e - first_edge;
            if next_sample[at] > now {
                continue;
            }
            let other = c.previous[c.graph.indices[e] as usize];
            // umap-learn pulls each end twice, once as the edge's head and once as its tail
            // (in the reverse edge): one step of twice the length here
            let d2 = squared_distance(current, &other);
            if d2 > 0.0 {
                let power = pow(d2, b);
                let coefficient = -2.0 * a * b * (power / d2) / (a * power + 1.0);
                for d in 0..D {
                    let step = (coefficient * (current[d] - other[d])).clamp(-CLIP, CLIP);
                    current[d] += 2.0 * step * c.alpha;
                }
            }
            next_sample[at] += c.per_sample[e];
            let negatives = ((now - next_negative[at]) / c.per_negative[e]).max(0.0) as usize;
            owed += negatives;
            next_negative[at] += negatives as f64 * c.per_negative[e];
        }
        // The epoch's negative samples of this vertex, after its pulls: full batches of lanes
        // (one edge's 5 used 5 of 8 before).
        while owed > 0 {
            let batch = owed.min(LANES);
            owed -= batch;
            repel(current, c, &mut random, j, batch);
        }
    }
}

/// Pushes `current` (vertex `j`) away from `batch` (at most [`LANES`]) vertices drawn at
/// random, all seen from where `current` is now, their steps summed in a fixed tree: the lanes
/// are independent, so the compiler runs them side by side (umap-learn moves the vertex after
/// each, a chain of dependent divisions and logarithms that held the layout to one at a time).
#[inline(always)]
fn repel<const D: usize>(
    current: &mut [f32; D],
    c: &Epoch<D>,
    random: &mut Random,
    j: usize,
    batch: usize,
) {
    let Curve { a, b } = c.curve;
    let n = c.previous.len() as u64;
    let mut diff = [[0.0f32; LANES]; D];
    let mut valid = [0.0f32; LANES];
    for lane in 0..batch {
        let k = random.below(n) as usize;
        let other = &c.previous[k];
        for d in 0..D {
            diff[d][lane] = current[d] - other[d];
        }
        valid[lane] = if k == j { 0.0 } else { 1.0 };
    }
    let mut d2 = [0.0f32; LANES];
    for along in &diff {
        for lane in 0..LANES {
            d2[lane] += along[lane] * along[lane];
        }
    }
    let mut coefficient = [0.0f32; LANES];
    for lane in 0..LANES {
        let x = d2[lane];
        let power = pow(x, b);
        let value = 2.0 * GAMMA * b / ((0.001 + x) * (a * power + 1.0));
        // a coincident point (d = 0) or the vertex itself is not pushed
        coefficient[lane] = if x > 0.0 { value * valid[lane] } else { 0.0 };
    }
    for d in 0..D {
        let mut steps = [0.0f32; LANES];
        for lane in 0..LANES {
            steps[lane] = (coefficient[lane] * diff[d][lane]).clamp(-CLIP, CLIP);
        }
        // summed as a tree (a fixed order: lane i with lane i + half, halving)
        let mut half = LANES / 2;
        while half > 0 {
            for lane in 0..half {
                steps[lane] += steps[lane + half];
            }
            half /= 2;
        }
        current[d] += steps[0] * c.alpha;
    }
}

pub(super) fn squared_distance<const D: usize>(a: &[f32; D], b: &[f32; D]) -> f32 {
    let mut sum = 0.0;
    for d in 0..D {
        let diff = a[d] - b[d];
        sum += diff * diff;
    }
    sum
}

/// A small generator (SplitMix64) seeded by (seed, epoch, vertex).
pub(crate) struct Random(u64);

impl Random {
    pub fn new(seed: u64, epoch: usize, vertex: usize) -> Random {
        let mut r = Random(seed ^ mix((epoch as u64) << 32 ^ vertex as u64));
        r.next();
        r
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// A number in 0..n (multiply-shift of the high 32 bits; n below 2³²).
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next() >> 32) * n) >> 32
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neighbours::nearest_neighbours;
    use crate::test_support::gaussian;
    use crate::umap::graph::fuzzy_graph;

    #[test]
    fn the_vector_path_gives_the_portable_paths_bits() {
        let x = gaussian(500, 6, 4);
        let (neighbours, distances) = nearest_neighbours(x.view(), 14);
        let graph = fuzzy_graph(&neighbours, &distances, 500).pruned(100);
        let start: Vec<[f32; 2]> = (0..500)
            .map(|i| [x[[i, 0]] * 3.0 + 5.0, x[[i, 1]] * 3.0 + 5.0])
            .collect();
        let curve = Curve { a: 1.577, b: 0.895 };
        let run = |vector: bool| {
            let mut y = start.clone();
            let mut schedule = Schedule::new(&graph, curve, 100, 5, 3);
            for epoch in 0..20 {
                let previous = y.clone();
                let c = Epoch {
                    graph: &graph,
                    previous: &previous,
                    per_sample: &schedule.per_sample,
                    per_negative: &schedule.per_negative,
                    curve,
                    alpha: 1.0 - epoch as f32 / 100.0,
                    epoch,
                    seed: 3,
                };
                let (s, neg) = (&mut schedule.next_sample, &mut schedule.next_negative);
                if vector {
                    rows(&c, 0..500, &mut y, s, neg, 0);
                } else {
                    rows_in(&c, 0..500, &mut y, s, neg, 0);
                }
            }
            y
        };
        let (vector, portable) = (run(true), run(false));
        assert!(vector.as_flattened() != start.as_flattened());
        assert!(
            vector
                .as_flattened()
                .iter()
                .zip(portable.as_flattened())
                .all(|(a, b)| a.to_bits() == b.to_bits())
        );
    }
}
