//! Morph A → B (Emblaze's view): every metric row moves in a straight line from its point in A
//! to its point in B aligned onto A by Procrustes, so a slider from 0 to 1 shows how the one
//! space turns into the other; the rows that move most are where the spaces disagree.

use ndarray::Array2;

use super::AlignedPair;

/// Where `pair` is at `t` (0: A's point, 1: B's aligned point; clamped to 0..=1).
pub fn morph_at(pair: &AlignedPair, t: f64) -> [f64; 2] {
    let t = t.clamp(0.0, 1.0);
    [
        (1.0 - t) * pair.a[0] + t * pair.b[0],
        (1.0 - t) * pair.a[1] + t * pair.b[1],
    ]
}

/// Every pair's place at `t`, one row each (x, y), as a figure draws them.
pub fn morph_frame(pairs: &[AlignedPair], t: f64) -> Array2<f32> {
    let mut frame = Array2::zeros((pairs.len(), 2));
    for (k, pair) in pairs.iter().enumerate() {
        let [x, y] = morph_at(pair, t);
        frame[[k, 0]] = x as f32;
        frame[[k, 1]] = y as f32;
    }
    frame
}

/// The `n` rows that move farthest from A to aligned B, as (row, distance), farthest first
/// (ties to the lower row).
pub fn most_moved(pairs: &[AlignedPair], n: usize) -> Vec<(usize, f64)> {
    let mut moved: Vec<(usize, f64)> = pairs
        .iter()
        .map(|p| (p.row, (p.b[0] - p.a[0]).hypot(p.b[1] - p.a[1])))
        .collect();
    moved.sort_by(|p, q| q.1.total_cmp(&p.1).then(p.0.cmp(&q.0)));
    moved.truncate(n);
    moved
}

/// The range (x, y) that holds every pair at every `t`: both ends.
pub fn morph_range(pairs: &[AlignedPair]) -> Option<([f64; 2], [f64; 2])> {
    let mut range: Option<([f64; 2], [f64; 2])> = None;
    for p in pairs {
        for [x, y] in [p.a, p.b] {
            let (rx, ry) = range.get_or_insert(([x, x], [y, y]));
            *rx = [rx[0].min(x), rx[1].max(x)];
            *ry = [ry[0].min(y), ry[1].max(y)];
        }
    }
    range
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(row: usize, a: [f64; 2], b: [f64; 2]) -> AlignedPair {
        AlignedPair { row, a, b }
    }

    #[test]
    fn morph_moves_each_row_from_a_to_aligned_b_and_ranks_the_largest_moves() {
        let pairs = [
            pair(4, [0.0, 0.0], [2.0, 4.0]),
            pair(1, [1.0, 1.0], [1.0, 1.0]),
            pair(7, [-1.0, 0.0], [2.0, 4.0]),
            pair(2, [0.0, -3.0], [0.0, 2.0]),
        ];
        assert_eq!(morph_at(&pairs[0], 0.0), [0.0, 0.0]);
        assert_eq!(morph_at(&pairs[0], 0.5), [1.0, 2.0]);
        assert_eq!(morph_at(&pairs[0], 1.0), [2.0, 4.0]);
        assert_eq!(morph_at(&pairs[0], 7.0), [2.0, 4.0], "t is clamped");
        let frame = morph_frame(&pairs, 0.25);
        assert_eq!(frame.row(2).to_vec(), [-0.25, 1.0]);
        // distances 4.47, 0, 5, 5: the two 5s by row, then 4.47
        let moved = most_moved(&pairs, 3);
        assert_eq!(moved.iter().map(|m| m.0).collect::<Vec<_>>(), [2, 7, 4]);
        assert!((moved[2].1 - 20f64.sqrt()).abs() < 1e-12);
        assert_eq!(morph_range(&pairs), Some(([-1.0, 2.0], [-3.0, 4.0])));
        assert_eq!(morph_range(&[]), None);
    }
}
