//! A rotatable 3-D view of three latent columns: the rows centred on their per-column median,
//! scaled so that 98 % of them lie within the unit sphere, turned by a yaw (about the vertical axis)
//! and a pitch (about the horizontal one) and projected orthographically onto the screen, with
//! each point's depth for drawing far points first.

use ndarray::ArrayView2;

/// The camera: angles in radians and a zoom factor (1: the unit sphere fills the view).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Orbit {
    /// Turn about the vertical axis.
    pub yaw: f64,
    /// Tilt about the horizontal axis (kept within ±90°).
    pub pitch: f64,
    /// Magnification.
    pub zoom: f64,
}

impl Default for Orbit {
    fn default() -> Self {
        Orbit {
            yaw: 0.6,
            pitch: 0.35,
            zoom: 1.0,
        }
    }
}

impl Orbit {
    /// Turns the camera by `(dyaw, dpitch)` radians (pitch clamped to ±π/2).
    pub fn turn(&mut self, dyaw: f64, dpitch: f64) {
        self.yaw = (self.yaw + dyaw).rem_euclid(std::f64::consts::TAU);
        let half = std::f64::consts::FRAC_PI_2;
        self.pitch = (self.pitch + dpitch).clamp(-half, half);
    }

    /// Multiplies the zoom by `factor` (kept within 0.1..=50).
    pub fn zoom_by(&mut self, factor: f64) {
        if factor.is_finite() && factor > 0.0 {
            self.zoom = (self.zoom * factor).clamp(0.1, 50.0);
        }
    }

    /// `p` (already centred and scaled) turned by the camera: (right, up, depth towards the
    /// viewer), times the zoom.
    pub fn apply(&self, [x, y, z]: [f64; 3]) -> [f64; 3] {
        let (sy, cy) = self.yaw.sin_cos();
        let (sp, cp) = self.pitch.sin_cos();
        // yaw about the vertical (y) axis, then pitch about the screen's horizontal axis
        let (x1, z1) = (cy * x + sy * z, -sy * x + cy * z);
        let (y2, z2) = (cp * y - sp * z1, sp * y + cp * z1);
        [x1 * self.zoom, y2 * self.zoom, z2 * self.zoom]
    }
}

/// The rows of `latents` in `columns` (x, y, z), centred on the columns' medians and scaled so
/// that 98 % of the rows lie within distance 1; rows with a non-finite value are `None`.
pub fn unit_cloud(latents: ArrayView2<'_, f32>, columns: [usize; 3]) -> Vec<Option<[f64; 3]>> {
    if columns.iter().any(|&c| c >= latents.ncols()) {
        return vec![None; latents.nrows()];
    }
    let raw: Vec<Option<[f64; 3]>> = latents
        .rows()
        .into_iter()
        .map(|r| {
            let p = columns.map(|c| f64::from(r[c]));
            p.iter().all(|v| v.is_finite()).then_some(p)
        })
        .collect();
    // the median of each column as the centre and the 98th percentile of the distances to it
    // as the unit, so that a few far outliers do not shrink the cloud to a dot
    let finite: Vec<[f64; 3]> = raw.iter().flatten().copied().collect();
    let mid: [f64; 3] = std::array::from_fn(|k| {
        let mut v: Vec<f64> = finite.iter().map(|p| p[k]).collect();
        v.sort_by(f64::total_cmp);
        v.get(v.len().saturating_sub(1) / 2).copied().unwrap_or(0.0)
    });
    let mut radii: Vec<f64> = finite
        .iter()
        .map(|p| (0..3).map(|k| (p[k] - mid[k]).powi(2)).sum::<f64>().sqrt())
        .collect();
    radii.sort_by(f64::total_cmp);
    let radius = radii
        .get(((radii.len().saturating_sub(1)) as f64 * 0.98).ceil() as usize)
        .copied()
        .unwrap_or(0.0);
    let scale = if radius > 0.0 { 1.0 / radius } else { 1.0 };
    raw.into_iter()
        .map(|p| p.map(|p| std::array::from_fn(|k| (p[k] - mid[k]) * scale)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn orbit_turns_without_stretching_and_the_cloud_fits_the_unit_sphere() {
        let front = Orbit {
            yaw: 0.0,
            pitch: 0.0,
            zoom: 1.0,
        };
        assert_eq!(front.apply([0.3, -0.2, 0.5]), [0.3, -0.2, 0.5]);
        // a quarter turn of yaw brings +z to the right... and +x away from the viewer
        let quarter = Orbit {
            yaw: std::f64::consts::FRAC_PI_2,
            ..front
        };
        let [r, u, d] = quarter.apply([1.0, 0.0, 0.0]);
        assert!(r.abs() < 1e-12 && u.abs() < 1e-12 && (d + 1.0).abs() < 1e-12);
        // any camera keeps lengths (times the zoom)
        let mut o = Orbit::default();
        o.turn(1.3, 0.4);
        o.zoom_by(2.0);
        let p = [0.2, -0.7, 0.4];
        let q = o.apply(p);
        let len = |v: [f64; 3]| v.iter().map(|c| c * c).sum::<f64>().sqrt();
        assert!((len(q) - 2.0 * len(p)).abs() < 1e-12);
        o.turn(0.0, 10.0);
        assert_eq!(o.pitch, std::f64::consts::FRAC_PI_2);
        let cloud = unit_cloud(
            array![
                [0.0f32, 0.0, 0.0, 9.0],
                [2.0, 4.0, 6.0, 9.0],
                [f32::NAN, 1.0, 1.0, 1.0]
            ]
            .view(),
            [0, 1, 2],
        );
        assert_eq!(cloud[2], None);
        // two rows: the lower median is the first, the second at distance 1
        let (a, b) = (cloud[0].unwrap(), cloud[1].unwrap());
        assert!(len(a) < 1e-12 && (len(b) - 1.0).abs() < 1e-12);
        assert!(unit_cloud(array![[1.0f32, 2.0]].view(), [0, 1, 2])[0].is_none());
    }
}
