//! Powers for UMAP's layout without libm: x^b = 2^(b·log₂ x) by short series, a few
//! multiplications and one division instead of `logf` and `expf` (which took half the layout's
//! time), and no branch, so that eight of them run side by side in vector registers. Pure
//! arithmetic: the same bits on every machine.

/// 1.5·2²³: adding and subtracting it rounds an f32 below 2²² to the nearest integer.
const ROUNDER: f32 = 12_582_912.0;

/// `x^b` for `x ≥ 0` (relative error a few 1e-6).
#[inline(always)]
pub(crate) fn pow(x: f32, b: f32) -> f32 {
    // without a branch, so that lanes of them run side by side; 0 and subnormals count as the
    // smallest normal number
    exp2(b * log2(x.max(f32::MIN_POSITIVE)))
}

/// log₂ of a normal positive `x`: its exponent plus ln(m)/ln 2 of its mantissa m (taken into
/// [√½, √2)) by the series 2·atanh(t), t = (m − 1)/(m + 1), |t| ≤ 0.172, to t⁷.
#[inline(always)]
pub(super) fn log2(x: f32) -> f32 {
    let bits = x.to_bits();
    let mut exponent = ((bits >> 23) & 0xff) as i32 - 127;
    let mut m = f32::from_bits((bits & 0x007f_ffff) | 0x3f80_0000);
    if m > std::f32::consts::SQRT_2 {
        m *= 0.5;
        exponent += 1;
    }
    let t = (m - 1.0) / (m + 1.0);
    let t2 = t * t;
    let inner = t2.mul_add(2.0 / 7.0, 2.0 / 5.0).mul_add(t2, 2.0 / 3.0);
    let ln = t * inner.mul_add(t2, 2.0);
    ln.mul_add(std::f32::consts::LOG2_E, exponent as f32)
}

/// 2^y: 2 to the nearest integer (by the exponent's bits) times e^(f·ln 2) for the rest
/// f ∈ [−½, ½] by its Taylor series to f⁶ (as e^z, z = f·ln 2).
#[inline(always)]
fn exp2(y: f32) -> f32 {
    let y = y.clamp(-126.0, 126.0);
    let whole = (y + ROUNDER) - ROUNDER;
    let z = (y - whole) * std::f32::consts::LN_2;
    // Estrin's scheme: three levels of independent products instead of six nested ones
    let z2 = z * z;
    let z4 = z2 * z2;
    let low = z2.mul_add(z.mul_add(1.0 / 6.0, 0.5), 1.0 + z);
    let high = z2.mul_add(1.0 / 720.0, z.mul_add(1.0 / 120.0, 1.0 / 24.0));
    let series = z4.mul_add(high, low);
    series * f32::from_bits(((whole as i32 + 127) as u32) << 23)
}
