//! The two threads on which training runs: the training loop runs each epoch on one of them
//! ([`on_pool`]), and the large matrix products and optimiser steps inside split their work in
//! two halves with [`join`], a cheap local fork rather than a hand-over from another thread.

use std::sync::OnceLock;

/// The two threads (`None` if the OS refused to start them: then all runs here).
fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .thread_name(|i| format!("latent-nn-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Runs `work` on one of the two threads (the caller waits), so that the products inside it
/// split without a hand-over; on the calling thread if there is no pool.
pub fn on_pool<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    match pool() {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// `a` and `b` on the two threads (`a` here when called from one of them); both results.
pub fn join<RA: Send, RB: Send>(
    a: impl FnOnce() -> RA + Send,
    b: impl FnOnce() -> RB + Send,
) -> (RA, RB) {
    match pool() {
        Some(pool) => pool.join(a, b),
        None => (a(), b()),
    }
}
