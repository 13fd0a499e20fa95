//! Two-way fork-join for machines of two cores: the caller runs one half of a split and a single
//! helper thread runs the other. Each parallel step splits its work in two halves whose results
//! are combined in a fixed order, so results do not depend on timing or on who ran which half.
//!
//! Why not a general pool: training makes ~20 splits per batch of 64 rows, each half a few tens
//! of µs. A pool whose idle workers sleep has to wake one (a futex and, on a virtual machine, an
//! interrupt to another virtual CPU: tens of µs) for every split, and the caller has usually done
//! both halves by the time the worker arrives (issue 15 measured no gain from the second core).
//! The helper here spins for 2 ms after its last half before it sleeps, as OpenMP's threads
//! do, so that during training a half is picked up within a fraction of a µs.
//!
//! With the environment variable `LATENT_COMPARE_THREADS=1` no helper is started and every
//! split runs on its caller.
//!
//! One caller at a time owns the helper; a join made while another thread owns it, or made on
//! the helper itself, runs both halves on the caller. A half that the helper has not picked up by
//! the time the caller finishes its own is taken back and run by the caller.
//!
//! What the helper allocates for a half counts for the caller's [`crate::memory::measure`].

use std::any::Any;
use std::cell::{Cell, UnsafeCell};
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::memory::Inherited;

mod share;
pub use share::for_each_shared;

/// Set to `1`, everything runs on the calling thread (no helper is started): to leave the
/// other core free, and for the test that results do not depend on the thread count.
pub const THREADS_VAR: &str = "LATENT_COMPARE_THREADS";

/// How long the idle helper spins before it sleeps.
const SPIN: Duration = Duration::from_millis(2);

/// No half posted.
const EMPTY: u8 = 0;
/// A half is posted and not yet taken.
const POSTED: u8 = 1;
/// The helper is running the half.
const TAKEN: u8 = 2;
/// The helper has finished the half.
const DONE: u8 = 3;

/// A posted half: the job's address and the function that runs it.
#[derive(Clone, Copy)]
struct JobRef {
    job: *const (),
    run: unsafe fn(*const ()),
    /// The caller's memory meter: what the helper allocates for it counts for its fit.
    meter: Inherited,
}

/// What the caller and the helper share.
struct Helper {
    /// Set while a caller owns the helper.
    owned: AtomicBool,
    /// EMPTY → POSTED (owner) → TAKEN (helper) → DONE (helper) → EMPTY (owner), or POSTED →
    /// EMPTY when the owner takes its half back.
    state: AtomicU8,
    /// The posted half; written by the owner before POSTED, read by the helper after TAKEN.
    job: UnsafeCell<Option<JobRef>>,
    /// Set while the helper sleeps (or is about to).
    sleeping: AtomicBool,
    lock: Mutex<()>,
    wake: Condvar,
}

// SAFETY: `job` is written only by the owner while the state is EMPTY (the helper does not read
// it then) and read only by the helper after it moved the state from POSTED to TAKEN; the
// Release/Acquire pairs on `state` order these accesses. Everything else is atomic or locked.
unsafe impl Sync for Helper {}

thread_local! {
    /// True on the helper thread.
    static IS_HELPER: Cell<bool> = const { Cell::new(false) };
}

/// The helper (`None` if the OS refused to start it: then every join runs on the caller).
fn helper() -> Option<&'static Helper> {
    static HELPER: OnceLock<Option<&'static Helper>> = OnceLock::new();
    *HELPER.get_or_init(|| {
        if std::env::var(THREADS_VAR).is_ok_and(|v| v.trim() == "1") {
            return None;
        }
        let shared: &'static Helper = Box::leak(Box::new(Helper {
            owned: AtomicBool::new(false),
            state: AtomicU8::new(EMPTY),
            job: UnsafeCell::new(None),
            sleeping: AtomicBool::new(false),
            lock: Mutex::new(()),
            wake: Condvar::new(),
        }));
        std::thread::Builder::new()
            .name("latent-compare-helper".into())
            .spawn(move || serve(shared))
            .ok()
            .map(|_| shared)
    })
}

/// The helper thread: runs posted halves, spinning between them and sleeping when idle.
fn serve(h: &'static Helper) {
    IS_HELPER.with(|flag| flag.set(true));
    let mut idle_since = Instant::now();
    let mut spins = 0u32;
    loop {
        if h.state.load(Ordering::Relaxed) == POSTED
            && h.state
                .compare_exchange(POSTED, TAKEN, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
        {
            // SAFETY: the owner wrote the job before POSTED (Release), we read it after taking
            // it (Acquire); it stays alive until the owner sees DONE.
            if let Some(job) = unsafe { *h.job.get() } {
                // SAFETY: `run` is the function made for this job's type; the caller waits for
                // DONE, so its meter outlives the half.
                unsafe { job.meter.run(|| (job.run)(job.job)) };
            }
            h.state.store(DONE, Ordering::Release);
            idle_since = Instant::now();
            continue;
        }
        std::hint::spin_loop();
        spins = spins.wrapping_add(1);
        if !spins.is_multiple_of(1024) || idle_since.elapsed() < SPIN {
            continue;
        }
        // Sleep until a half is posted. `sleeping` is set before the state is checked and the
        // owner posts before it checks `sleeping` (both SeqCst), so one of the two sees the
        // other: either we do not sleep, or the owner wakes us.
        let mut guard = h.lock.lock().unwrap_or_else(|e| e.into_inner());
        h.sleeping.store(true, Ordering::SeqCst);
        while h.state.load(Ordering::SeqCst) != POSTED {
            guard = h.wake.wait(guard).unwrap_or_else(|e| e.into_inner());
        }
        h.sleeping.store(false, Ordering::SeqCst);
        drop(guard);
        idle_since = Instant::now();
    }
}

/// The helper's half: its closure and, once run, its outcome.
struct StackJob<F, R> {
    f: UnsafeCell<Option<F>>,
    result: UnsafeCell<Option<Result<R, Box<dyn Any + Send>>>>,
}

impl<F: FnOnce() -> R, R> StackJob<F, R> {
    /// The type-erased reference the helper runs.
    fn as_ref(&self) -> JobRef {
        JobRef {
            job: self as *const Self as *const (),
            run: Self::run,
            meter: Inherited::current(),
        }
    }

    /// Runs the closure once, keeping its result or its panic.
    ///
    /// # Safety
    /// `this` points at a live `StackJob<F, R>` that no other thread touches meanwhile.
    unsafe fn run(this: *const ()) {
        // SAFETY: the caller's contract.
        let job = unsafe { &*(this as *const Self) };
        // SAFETY: as above: only this thread touches the cells now.
        if let Some(f) = unsafe { (*job.f.get()).take() } {
            let outcome = catch_unwind(AssertUnwindSafe(f));
            // SAFETY: as above.
            unsafe { *job.result.get() = Some(outcome) };
        }
    }
}

/// `a` and `b` on the two cores; both results, in that order. A panic in either is passed on
/// (after both have finished).
pub fn join<RA: Send, RB: Send>(
    a: impl FnOnce() -> RA + Send,
    b: impl FnOnce() -> RB + Send,
) -> (RA, RB) {
    let Some(h) = helper() else {
        return (a(), b());
    };
    if IS_HELPER.with(Cell::get)
        || h.owned
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
    {
        return (a(), b());
    }
    let job = StackJob {
        f: UnsafeCell::new(Some(b)),
        result: UnsafeCell::new(None),
    };
    let job_ref = job.as_ref();
    // SAFETY: we own the helper and the state is EMPTY, so the helper does not read `job`.
    unsafe { *h.job.get() = Some(job_ref) };
    h.state.store(POSTED, Ordering::SeqCst);
    if h.sleeping.load(Ordering::SeqCst) {
        let _guard = h.lock.lock().unwrap_or_else(|e| e.into_inner());
        h.wake.notify_one();
    }
    let ra = catch_unwind(AssertUnwindSafe(a));
    if h.state
        .compare_exchange(POSTED, EMPTY, Ordering::Acquire, Ordering::Relaxed)
        .is_ok()
    {
        // The helper did not get to it: run it here.
        // SAFETY: the job is ours again; no other thread touches it.
        unsafe { (job_ref.run)(job_ref.job) };
    } else {
        let mut spins = 0u32;
        while h.state.load(Ordering::Acquire) != DONE {
            spins = spins.wrapping_add(1);
            if spins.is_multiple_of(4096) {
                std::thread::yield_now();
            } else {
                std::hint::spin_loop();
            }
        }
        h.state.store(EMPTY, Ordering::Relaxed);
    }
    // SAFETY: the helper is done with `job.job` (state EMPTY), so the slot is ours.
    unsafe { *h.job.get() = None };
    h.owned.store(false, Ordering::Release);
    let rb = job.result.into_inner();
    match (ra, rb) {
        (Ok(ra), Some(Ok(rb))) => (ra, rb),
        (Err(panic), _) | (_, Some(Err(panic))) => resume_unwind(panic),
        // `run` always stores an outcome for a closure it took, and the closure is taken once.
        (Ok(_), None) => unreachable!("the helper's half ran without an outcome"),
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

/// `f` of every item, the halves of the list on the two cores (recursively); in order.
pub fn map<T: Sync, R: Send>(items: &[T], f: &(impl Fn(&T) -> R + Sync)) -> Vec<R> {
    if items.len() <= 1 {
        return items.iter().map(f).collect();
    }
    let (first, second) = items.split_at(items.len() / 2);
    let (mut a, b) = join(|| map(first, f), || map(second, f));
    a.extend(b);
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_sides_run_and_keep_their_order() {
        let (a, b) = join(|| 1 + 1, || "two");
        assert_eq!((a, b), (2, "two"));
        let (c, d) = join_if_large(1, || 3, || 4);
        assert_eq!((c, d), (3, 4));
        // Nested joins and many in a row (the helper sleeps and wakes in between).
        for i in 0..200 {
            let ((x, y), z) = join(|| join(|| i, || i + 1), || i + 2);
            assert_eq!((x, y, z), (i, i + 1, i + 2));
            if i % 50 == 0 {
                std::thread::sleep(SPIN * 2);
            }
        }
        assert_eq!(map(&[1, 2, 3, 4, 5], &|v| v * 10), vec![10, 20, 30, 40, 50]);
    }

    #[test]
    fn joins_from_many_threads_at_once_all_complete() {
        let handles: Vec<_> = (0..4)
            .map(|t| {
                std::thread::spawn(move || {
                    (0..500)
                        .map(|i| join(|| i * t, || i + t))
                        .fold(0, |s, (a, b)| s + a + b)
                })
            })
            .collect();
        for (t, h) in handles.into_iter().enumerate() {
            let want: usize = (0..500).map(|i| i * t + i + t).sum();
            assert_eq!(h.join().unwrap(), want);
        }
    }

    #[test]
    fn a_panic_on_either_side_reaches_the_caller_after_both_finish() {
        let ran = AtomicBool::new(false);
        let caught = catch_unwind(AssertUnwindSafe(|| {
            join(
                || ran.store(true, Ordering::SeqCst),
                || -> () { panic!("right half") },
            )
        }));
        assert!(caught.is_err() && ran.load(Ordering::SeqCst));
        let caught = catch_unwind(|| join(|| -> () { panic!("left half") }, || 1));
        assert!(caught.is_err());
        // The helper is still usable afterwards.
        assert_eq!(join(|| 5, || 6), (5, 6));
    }
}
