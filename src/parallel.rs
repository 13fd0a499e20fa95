//! Two-way fork-join on scoped threads: the machines we target have two cores, and each
//! parallel step here splits its work in two halves whose results are combined in a fixed order,
//! so results do not depend on timing.

/// Runs `a` on this thread and `b` on another, and returns both results.
pub fn join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA,
    B: FnOnce() -> RB + Send,
    RB: Send,
{
    std::thread::scope(|scope| {
        let other = scope.spawn(b);
        let mine = a();
        // A panic in the other thread is a bug; pass it on as if it happened here.
        let theirs = other
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (mine, theirs)
    })
}

/// Elements below which [`join_if_large`] stays on one thread (starting one costs tens of µs).
pub const LARGE: usize = 1 << 20;

/// [`join`] when `work` (elements touched) is at least [`LARGE`], else `a` then `b` here.
pub fn join_if_large<A, B, RA, RB>(work: usize, a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA,
    B: FnOnce() -> RB + Send,
    RB: Send,
{
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
    }
}
