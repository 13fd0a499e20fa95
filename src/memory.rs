//! Memory a fit uses: the process's allocator counts the bytes every allocation takes and gives
//! back, for the whole process and for whatever [`measure`] is running on the calling thread.
//!
//! [`measure`] runs a closure with a meter attached to its thread; every allocation and release
//! made on that thread while it runs moves the meter, and so do those made on the two-way
//! helper (the `parallel` module's) while it runs a half of one of the closure's splits (the helper
//! takes the meter of the caller whose half it runs). Allocations of other threads are not
//! counted, so the two sides of the app, fitted at the same time, are measured apart. The peak is
//! of the bytes live above those live when the closure started: memory freed during the fit
//! that was allocated before it lowers the count.
//!
//! Counting costs one atomic addition per allocation for the process and one per meter running
//! on the thread (measures nest: an inner one counts for the outer too); the epoch benchmark
//! (`digits_epoch/autoencoder` against `…/autoencoder_uncounted`) shows what that is.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};

/// The system allocator, counting.
pub struct Counting;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Off only in the benchmark that measures what counting costs.
static COUNTING: AtomicBool = AtomicBool::new(true);

/// Bytes live in the whole process, and their peak.
static PROCESS: Meter = Meter::new(std::ptr::null());

/// The bytes live since a meter was attached, and their largest value.
struct Meter {
    live: AtomicIsize,
    peak: AtomicIsize,
    /// The meter this one runs inside (its allocations count there too), or null.
    outer: *const Meter,
}

// SAFETY: `outer` is only read, and points at a meter that outlives this one (a measure runs
// inside the measure that attached its outer meter, on the same thread or on the helper while
// the caller waits for it).
unsafe impl Sync for Meter {}

impl Meter {
    const fn new(outer: *const Meter) -> Meter {
        Meter {
            live: AtomicIsize::new(0),
            peak: AtomicIsize::new(0),
            outer,
        }
    }

    fn add(&self, bytes: isize) {
        let now = self.live.fetch_add(bytes, Ordering::Relaxed) + bytes;
        // The load first: a new peak is rare, and fetch_max is a compare-and-swap loop.
        if now > self.peak.load(Ordering::Relaxed) {
            self.peak.fetch_max(now, Ordering::Relaxed);
        }
    }
}

thread_local! {
    /// The meter of the measure running on this thread (null: none).
    static METER: Cell<*const Meter> = const { Cell::new(std::ptr::null()) };
}

/// Counts `bytes` (negative: released) for the process and the thread's meters.
fn count(bytes: isize) {
    if !COUNTING.load(Ordering::Relaxed) {
        return;
    }
    PROCESS.add(bytes);
    // `try_with`: a thread's allocations after its locals are gone are counted for the process
    // only (this local has no destructor, so that does not happen, but it costs nothing).
    let _ = METER.try_with(|m| {
        let mut meter = m.get();
        while !meter.is_null() {
            // SAFETY: a meter is attached only while the `measure` that owns it runs (and the
            // helper's only while the caller waits for its half), so it is alive here.
            let m = unsafe { &*meter };
            m.add(bytes);
            meter = m.outer;
        }
    });
}

/// The size of a layout as a signed count (a layout's size is at most `isize::MAX`).
fn size(layout: Layout) -> isize {
    layout.size() as isize
}

// SAFETY: every call goes to the system allocator with the caller's arguments; counting only
// reads the layouts and touches atomics and a thread-local cell (which allocate nothing).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            count(size(layout));
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            count(size(layout));
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        count(-size(layout));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            count(new_size as isize - size(layout));
        }
        p
    }
}

/// Runs `f` and returns what it returned with the peak of the bytes it had allocated at once
/// (on this thread and on the helper's halves of its splits), above what was live when it
/// started.
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, u64) {
    let meter = Meter::new(METER.with(Cell::get));
    let detach = Detach(METER.with(|m| m.replace(&meter)));
    let out = f();
    drop(detach);
    (out, meter.peak.load(Ordering::Relaxed).max(0) as u64)
}

/// Puts back the meter that was attached before, also when the closure panics.
struct Detach(*const Meter);

impl Drop for Detach {
    fn drop(&mut self) {
        METER.with(|m| m.set(self.0));
    }
}

/// The meter running on this thread, to be attached to another thread that works for it
/// ([`Inherited::run`]).
#[derive(Clone, Copy)]
pub(crate) struct Inherited(*const Meter);

// SAFETY: sent only to the helper, which uses it while the thread it came from waits.
unsafe impl Send for Inherited {}

impl Inherited {
    /// This thread's meter (possibly none).
    pub(crate) fn current() -> Inherited {
        Inherited(METER.with(Cell::get))
    }

    /// Runs `f` on this thread with the inherited meter attached, then detaches it.
    ///
    /// # Safety
    /// The thread the meter came from must not leave the `measure` that owns it before `f` has
    /// returned (the helper's caller waits for its half).
    pub(crate) unsafe fn run(self, f: impl FnOnce()) {
        let _detach = Detach(METER.with(|m| m.replace(self.0)));
        f();
    }
}

/// The most bytes the process has had allocated at once since it started.
pub fn process_peak() -> u64 {
    PROCESS.peak.load(Ordering::Relaxed).max(0) as u64
}

/// The process's peak resident memory (`VmHWM` on Linux), where the system says it.
pub fn resident_peak() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Turns counting on or off for the whole process. For the benchmark of what counting costs
/// only: a figure measured across a switch is meaningless.
pub fn set_counting(on: bool) {
    COUNTING.store(on, Ordering::Relaxed);
}

/// `bytes` as read by a person: "812 B", "3.4 KiB", "12.3 MiB", "1.50 GiB".
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    let digits = if value < 10.0 && unit >= 2 { 2 } else { 1 };
    format!("{value:.digits$} {}", UNITS[unit])
}

#[cfg(test)]
#[path = "memory_tests.rs"]
mod tests;
