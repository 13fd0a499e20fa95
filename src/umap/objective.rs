//! The number UMAP's loss curve shows: the objective the layout's sampling descends. Over the
//! graph's edges, by weight, the mean of −ln q (attraction; q = 1 / (1 + a·d^(2b))), plus
//! `negative_rate` times the mean of −ln(1 − q) over pairs drawn at random (repulsion, standing
//! for the non-edges as the negative samples do); q and 1 − q floored at 1e-4. With t = a·d^(2b),
//! −ln q = ln(1 + t) and −ln(1 − q) = ln(1 + 1/t). Eight terms at a time, the rows in two halves
//! on the two cores, summed in a fixed order.

use std::ops::Range;

use super::graph::Graph;
use super::layout::{Curve, squared_distance};
use super::power::{log2, pow};
use crate::parallel::join;

/// Terms computed side by side.
const LANES: usize = 8;
/// ln(1e4): the largest term (q or 1 − q floored at 1e-4).
const CEILING: f32 = 9.210_34;

/// The objective at `y` (see the module's doc).
pub(crate) fn cross_entropy<const D: usize>(
    y: &[[f32; D]],
    graph: &Graph,
    pairs: &[(u32, u32)],
    curve: Curve,
    negative_rate: usize,
) -> f64 {
    let n = graph.len();
    let half = n / 2;
    let split = pairs.partition_point(|p| (p.0 as usize) < half);
    let (first, second) = join(
        || sums(y, graph, 0..half, &pairs[..split], curve),
        || sums(y, graph, half..n, &pairs[split..], curve),
    );
    let attraction = first.attraction + second.attraction;
    let weight = first.weight + second.weight;
    let repulsion = (first.repulsion + second.repulsion) / pairs.len().max(1) as f64;
    attraction / weight.max(f64::MIN_POSITIVE) + negative_rate as f64 * repulsion
}

/// One half's sums.
#[derive(Default)]
struct Sums {
    attraction: f64,
    weight: f64,
    repulsion: f64,
}

/// The sums over the edges of `rows` and over `pairs`, in 8-wide vectors where the CPU has
/// AVX2 (the same operations in the same order, so the same bits as without).
fn sums<const D: usize>(
    y: &[[f32; D]],
    graph: &Graph,
    rows: Range<usize>,
    pairs: &[(u32, u32)],
    curve: Curve,
) -> Sums {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx2,fma")]
        fn medium<const D: usize>(
            y: &[[f32; D]],
            graph: &Graph,
            rows: Range<usize>,
            pairs: &[(u32, u32)],
            curve: Curve,
        ) -> Sums {
            sums_in(y, graph, rows, pairs, curve)
        }
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU has AVX2 and FMA (checked above).
            return unsafe { medium(y, graph, rows, pairs, curve) };
        }
    }
    sums_in(y, graph, rows, pairs, curve)
}

#[inline(always)]
fn sums_in<const D: usize>(
    y: &[[f32; D]],
    graph: &Graph,
    rows: Range<usize>,
    pairs: &[(u32, u32)],
    curve: Curve,
) -> Sums {
    let mut sums = Sums::default();
    let (mut d2, mut weight, mut filled) = ([0.0f32; LANES], [0.0f32; LANES], 0);
    for i in rows {
        let (cols, weights) = graph.row(i);
        for (&j, &w) in cols.iter().zip(weights) {
            d2[filled] = squared_distance(&y[i], &y[j as usize]);
            weight[filled] = w;
            filled += 1;
            if filled == LANES {
                add_edges(&d2, &weight, curve, &mut sums);
                filled = 0;
            }
        }
    }
    // the last, partly filled vector: its unused lanes weigh nothing
    weight[filled..].fill(0.0);
    add_edges(&d2, &weight, curve, &mut sums);
    for chunk in pairs.chunks(LANES) {
        let mut d2 = [0.0f32; LANES];
        for (lane, &(i, j)) in chunk.iter().enumerate() {
            d2[lane] = squared_distance(&y[i as usize], &y[j as usize]);
        }
        let (_, repulsion) = terms(&d2, curve);
        for value in &repulsion[..chunk.len()] {
            sums.repulsion += f64::from(*value);
        }
    }
    sums
}

/// Adds eight edges' attraction terms, by weight (a function, not a closure, so that it is
/// compiled with its caller's vector instructions).
#[inline(always)]
fn add_edges(d2: &[f32; LANES], weight: &[f32; LANES], curve: Curve, sums: &mut Sums) {
    let (attraction, _) = terms(d2, curve);
    for lane in 0..LANES {
        sums.attraction += f64::from(weight[lane] * attraction[lane]);
        sums.weight += f64::from(weight[lane]);
    }
}

/// ln(1 + t) and ln(1 + 1/t), t = a·d^(2b), for eight squared distances, each at most ln(1e4).
#[inline(always)]
fn terms(d2: &[f32; LANES], curve: Curve) -> ([f32; LANES], [f32; LANES]) {
    let (mut attraction, mut repulsion) = ([0.0f32; LANES], [0.0f32; LANES]);
    for lane in 0..LANES {
        let t = curve.a * pow(d2[lane], curve.b);
        let ln = std::f32::consts::LN_2;
        attraction[lane] = (log2(1.0 + t) * ln).min(CEILING);
        repulsion[lane] = (log2(1.0 + 1.0 / t) * ln).min(CEILING);
    }
    (attraction, repulsion)
}
