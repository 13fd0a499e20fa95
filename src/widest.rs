//! Running a loop compiled for the widest vectors this CPU has (AVX-512, else AVX2 with FMA, else
//! the baseline), chosen at run time so that one binary is fast on every x86 machine.
//!
//! The loops passed here must give the same bits at every width: elementwise arithmetic with
//! no fused multiply-adds but explicit ones (`mul_add`, fused at every width: Rust never
//! contracts `a * b + c` into one) and sums whose order does not follow the vector width
//! (explicit lanes, fixed in the source).

/// Calls `f`, compiled for AVX-512 or AVX2 when the CPU has them. `f` must be inlined for this to
/// help: pass a closure marked `#[inline(always)]`.
#[inline(always)]
pub(crate) fn widest<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx512f")]
        fn wide<R>(f: impl FnOnce() -> R) -> R {
            f()
        }
        #[target_feature(enable = "avx2,fma")]
        fn medium<R>(f: impl FnOnce() -> R) -> R {
            f()
        }
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU has AVX-512F (checked above).
            return unsafe { wide(f) };
        }
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU has AVX2 and FMA (checked above).
            return unsafe { medium(f) };
        }
    }
    f()
}
