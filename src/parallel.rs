//! Two-way fork-join on one pool of two threads: the machines we target have two cores, and each
//! parallel step splits its work in two halves whose results are combined in a fixed order, so
//! results do not depend on timing or on the number of threads.
//!
//! Training runs each epoch on the pool ([`on_pool`]), so the splits inside it (large matrix
//! products, the optimiser step, the loss) are cheap local forks rather than hand-overs from
//! another thread. Work that starts outside the pool (PCA, the metrics, the data generator)
//! hands over once per [`join`].

use std::sync::OnceLock;

/// The two threads (`None` if the OS refused to start them: then all runs on the caller).
fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .thread_name(|i| format!("latent-compare-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Runs `work` on one of the two threads (the caller waits), so that the joins inside it fork
/// locally; on the calling thread if there is no pool.
pub fn on_pool<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    match pool() {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// `a` and `b` on the two threads; both results, in that order. A panic in either is passed on.
pub fn join<RA: Send, RB: Send>(
    a: impl FnOnce() -> RA + Send,
    b: impl FnOnce() -> RB + Send,
) -> (RA, RB) {
    match pool() {
        Some(pool) => pool.join(a, b),
        None => (a(), b()),
    }
}

/// Elements below which [`join_if_large`] stays on one thread (a hand-over costs µs).
pub const LARGE: usize = 1 << 20;

/// [`join`] when `work` (elements touched) is at least [`LARGE`], else `a` then `b` here.
pub fn join_if_large<RA: Send, RB: Send>(
    work: usize,
    a: impl FnOnce() -> RA + Send,
    b: impl FnOnce() -> RB + Send,
) -> (RA, RB) {
    if work >= LARGE {
        join(a, b)
    } else {
        (a(), b())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_sides_run_and_keep_their_order() {
        let (a, b) = super::join(|| 1 + 1, || "two");
        assert_eq!((a, b), (2, "two"));
        let (c, d) = super::on_pool(|| super::join_if_large(1, || 3, || 4));
        assert_eq!((c, d), (3, 4));
    }
}
