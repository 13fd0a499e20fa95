//! UMAP's spectral start, as umap-learn's `spectral_layout`: the eigenvectors of the graph's
//! normalized Laplacian I − D^-½ W D^-½ with the smallest eigenvalues after the trivial one,
//! i.e. the largest of D^-½ W D^-½ orthogonal to √degree. umap-learn asks ARPACK (`eigsh`,
//! tolerance 1e-4); here Lanczos with full reorthogonalization, restarted from its best vectors
//! until their residuals are below 1e-5.
//!
//! A graph of several connected components is laid out as umap-learn's
//! `multi_component_layout` does: each component's own spectral layout, scaled to half the
//! distance to the nearest other component's place. Up to 2·dim components sit on the ± unit
//! axes; more are placed by the first `dim` principal axes of the components' centroids in the
//! data (umap-learn embeds the centroids spectrally). Components too small for a spectrum
//! (fewer than 2·dim vertices) get seeded uniform places in their box.

use ndarray::{Array2, ArrayView2};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::graph::Graph;
use crate::linalg::symmetric_eigen;

/// Lanczos vectors at most per restart.
const MAX_VECTORS: usize = 128;
/// Restarts at most.
const MAX_RESTARTS: usize = 8;
/// A Ritz pair is accepted when its residual norm is below this.
const RESIDUAL: f64 = 1e-5;

/// The spectral start of `graph` in `dim` columns (row-major n × dim), for the data `x`.
pub(crate) fn spectral_layout(
    graph: &Graph,
    x: ArrayView2<f32>,
    dim: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<f64> {
    let n = graph.len();
    let (count, labels) = components(graph);
    if count == 1 {
        if let Some(layout) = connected_layout(graph, dim) {
            return layout;
        }
        return (0..n * dim).map(|_| rng.random_range(-1.0..1.0)).collect();
    }
    let places = component_places(x, &labels, count, dim);
    let mut result = vec![0.0f64; n * dim];
    for c in 0..count {
        let members: Vec<u32> = (0..n as u32)
            .filter(|&i| labels[i as usize] == c as u32)
            .collect();
        let place = &places[c * dim..(c + 1) * dim];
        // half the distance to the nearest other component's place
        let range = (0..count)
            .filter(|&o| o != c)
            .map(|o| {
                let other = &places[o * dim..(o + 1) * dim];
                place
                    .iter()
                    .zip(other)
                    .map(|(a, b)| (a - b) * (a - b))
                    .sum::<f64>()
                    .sqrt()
            })
            .filter(|&d| d > 0.0)
            .fold(f64::INFINITY, f64::min);
        let range = if range.is_finite() { range / 2.0 } else { 1.0 };
        let layout = if members.len() < 2 * dim || members.len() <= dim + 1 {
            None
        } else {
            connected_layout(&graph.subgraph(&members), dim)
        };
        let layout = layout.map(|mut l| {
            let largest = l.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            let factor = if largest > 0.0 { range / largest } else { 0.0 };
            l.iter_mut().for_each(|v| *v *= factor);
            l
        });
        for (r, &i) in members.iter().enumerate() {
            for d in 0..dim {
                let local = match &layout {
                    Some(l) => l[r * dim + d],
                    None => rng.random_range(-range..range),
                };
                result[i as usize * dim + d] = place[d] + local;
            }
        }
    }
    result
}

/// The connected components: their count and each vertex's component (numbered by first
/// vertex).
fn components(graph: &Graph) -> (usize, Vec<u32>) {
    let n = graph.len();
    let mut labels = vec![u32::MAX; n];
    let mut count = 0u32;
    let mut stack = Vec::new();
    for start in 0..n {
        if labels[start] != u32::MAX {
            continue;
        }
        labels[start] = count;
        stack.push(start);
        while let Some(v) = stack.pop() {
            for &j in graph.row(v).0 {
                if labels[j as usize] == u32::MAX {
                    labels[j as usize] = count;
                    stack.push(j as usize);
                }
            }
        }
        count += 1;
    }
    (count as usize, labels)
}

/// Where each component goes (row-major count × dim).
fn component_places(x: ArrayView2<f32>, labels: &[u32], count: usize, dim: usize) -> Vec<f64> {
    let mut places = vec![0.0f64; count * dim];
    if count <= 2 * dim {
        // umap-learn's: e1, e2, …, then −e1, −e2, …
        let half = count.div_ceil(2);
        for c in 0..count {
            let axis = c % half;
            places[c * dim + axis] = if c < half { 1.0 } else { -1.0 };
        }
        return places;
    }
    // the centroids' first `dim` principal axes (classical scaling of their Gram matrix)
    let features = x.ncols();
    let mut centroids = Array2::<f64>::zeros((count, features));
    let mut sizes = vec![0usize; count];
    for (row, &c) in x.rows().into_iter().zip(labels) {
        sizes[c as usize] += 1;
        let mut target = centroids.row_mut(c as usize);
        for (t, &v) in target.iter_mut().zip(row.iter()) {
            *t += f64::from(v);
        }
    }
    for (mut row, &size) in centroids.rows_mut().into_iter().zip(&sizes) {
        row.mapv_inplace(|v| v / size.max(1) as f64);
    }
    crate::linalg::center_columns(&mut centroids);
    let gram = centroids.dot(&centroids.t());
    if let Ok((values, vectors)) = symmetric_eigen(&gram) {
        for c in 0..count {
            for d in 0..dim.min(count) {
                places[c * dim + d] = vectors[[c, d]] * values[d].max(0.0).sqrt();
            }
        }
    }
    let largest = places.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if largest > 0.0 {
        places.iter_mut().for_each(|v| *v /= largest);
    }
    places
}

/// The spectral layout of a connected graph: `dim` eigenvectors (row-major n × dim), or `None`
/// when the graph is too small or has a vertex without weight.
fn connected_layout(graph: &Graph, dim: usize) -> Option<Vec<f64>> {
    let n = graph.len();
    if n <= dim + 1 {
        return None;
    }
    let degree: Vec<f64> = (0..n)
        .map(|i| graph.row(i).1.iter().map(|&w| f64::from(w)).sum())
        .collect();
    if degree.iter().any(|&d| d <= 0.0 || !d.is_finite()) {
        return None;
    }
    let scale: Vec<f64> = degree.iter().map(|d| 1.0 / d.sqrt()).collect();
    // the normalized adjacency's weights
    let weights: Vec<f64> = (0..n)
        .flat_map(|i| {
            let (cols, w) = graph.row(i);
            let scale = &scale;
            cols.iter()
                .zip(w)
                .map(move |(&j, &w)| scale[i] * f64::from(w) * scale[j as usize])
        })
        .collect();
    let multiply = |v: &[f64], out: &mut [f64]| {
        for (i, o) in out.iter_mut().enumerate() {
            let span = graph.indptr[i]..graph.indptr[i + 1];
            *o = graph.indices[span.clone()]
                .iter()
                .zip(&weights[span])
                .map(|(&j, &w)| w * v[j as usize])
                .sum();
        }
    };
    let trivial: Vec<f64> = {
        let root: Vec<f64> = degree.iter().map(|d| d.sqrt()).collect();
        let norm = dot(&root, &root).sqrt();
        root.iter().map(|v| v / norm).collect()
    };
    let steps = MAX_VECTORS.min(n - 1);
    // umap-learn starts ARPACK from the vector of ones
    let mut start = vec![1.0f64; n];
    let mut best: Vec<Vec<f64>> = Vec::new();
    for _ in 0..MAX_RESTARTS {
        let (vectors, residuals) = lanczos(&multiply, &trivial, &start, steps, dim, n);
        if vectors.len() < dim {
            break;
        }
        let converged = residuals.iter().all(|&r| r < RESIDUAL);
        best = vectors;
        if converged {
            break;
        }
        // restart from the sum of the wanted Ritz vectors
        start = (0..n).map(|i| best.iter().map(|v| v[i]).sum()).collect();
    }
    if best.len() < dim {
        return None;
    }
    Some((0..n * dim).map(|at| best[at % dim][at / dim]).collect())
}

/// One Lanczos run on the symmetric operator `multiply` from `start`, kept orthogonal to
/// `trivial` and to every earlier vector: the `dim` Ritz vectors of the largest Ritz values and
/// their residual norms (fewer vectors when the Krylov space ends early).
fn lanczos(
    multiply: &dyn Fn(&[f64], &mut [f64]),
    trivial: &[f64],
    start: &[f64],
    steps: usize,
    dim: usize,
    n: usize,
) -> (Vec<Vec<f64>>, Vec<f64>) {
    let mut basis: Vec<Vec<f64>> = Vec::with_capacity(steps);
    let (mut alpha, mut beta) = (Vec::with_capacity(steps), Vec::with_capacity(steps));
    let mut q = start.to_vec();
    orthogonalize(&mut q, trivial, &basis);
    let norm = dot(&q, &q).sqrt();
    if norm == 0.0 {
        return (Vec::new(), Vec::new());
    }
    q.iter_mut().for_each(|v| *v /= norm);
    let mut w = vec![0.0f64; n];
    let mut ritz = (Vec::new(), Vec::new());
    for step in 0..steps {
        multiply(&q, &mut w);
        let a = dot(&q, &w);
        alpha.push(a);
        basis.push(std::mem::take(&mut q));
        orthogonalize(&mut w, trivial, &basis);
        let b = dot(&w, &w).sqrt();
        beta.push(b);
        let size = basis.len();
        let last = step + 1 == steps || b < 1e-12;
        if size >= dim && (size.is_multiple_of(8) || last) {
            ritz = ritz_pairs(&basis, &alpha, &beta, dim, n);
            if last || ritz.1.iter().all(|&r| r < RESIDUAL) {
                break;
            }
        }
        if last {
            break;
        }
        q = w.iter().map(|v| v / b).collect();
    }
    ritz
}

/// The Ritz vectors of the `dim` largest Ritz values of the tridiagonal (α, β) over `basis`,
/// with their residual norms β_last·|s_last|.
fn ritz_pairs(
    basis: &[Vec<f64>],
    alpha: &[f64],
    beta: &[f64],
    dim: usize,
    n: usize,
) -> (Vec<Vec<f64>>, Vec<f64>) {
    let m = basis.len();
    let mut t = Array2::<f64>::zeros((m, m));
    for i in 0..m {
        t[[i, i]] = alpha[i];
        if i + 1 < m {
            t[[i, i + 1]] = beta[i];
            t[[i + 1, i]] = beta[i];
        }
    }
    let Ok((_, s)) = symmetric_eigen(&t) else {
        return (Vec::new(), Vec::new());
    };
    let mut vectors = Vec::with_capacity(dim);
    let mut residuals = Vec::with_capacity(dim);
    for c in 0..dim.min(m) {
        let mut v = vec![0.0f64; n];
        for (j, q) in basis.iter().enumerate() {
            let coefficient = s[[j, c]];
            v.iter_mut().zip(q).for_each(|(v, q)| *v += coefficient * q);
        }
        vectors.push(v);
        residuals.push(beta[m - 1] * s[[m - 1, c]].abs());
    }
    (vectors, residuals)
}

/// `v` minus its parts along `trivial` and along every vector of `basis`, twice (classical
/// Gram-Schmidt repeated keeps the basis orthogonal to rounding).
fn orthogonalize(v: &mut [f64], trivial: &[f64], basis: &[Vec<f64>]) {
    for _ in 0..2 {
        for q in std::iter::once(trivial).chain(basis.iter().map(Vec::as_slice)) {
            let along = dot(v, q);
            v.iter_mut().zip(q).for_each(|(v, q)| *v -= along * q);
        }
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(a, b)| a * b).sum()
}
