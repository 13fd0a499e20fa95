//! Lists of independent pieces of work that the two threads share as they come free: the caller
//! takes pieces from the front, the helper from the back, until they meet.
//!
//! Why not two fixed halves: a half can run slower than the other — its memory comes from
//! another core's cache or from DRAM while neighbours on the host load the bus, or it has fewer
//! zeros to skip — and then one core waits. Measured on the default comparison (VAE on real
//! MNIST), a third of the helper's idle time was spent while the caller finished its half of
//! Adam's update. Taking pieces from the two ends keeps what each thread gets close to the half a
//! fixed split gives it (the part its cache holds) while neither waits more than one piece.

use std::sync::atomic::{AtomicU64, Ordering};

/// A raw pointer to the items, shared by the two threads; each item is handed out once.
struct Items<T>(*mut T);

// SAFETY: the pointer is only used to reach items claimed exactly once (see `for_each_shared`),
// so at most one thread holds a `&mut T` to an item; handing one to another thread needs
// `T: Send`.
unsafe impl<T: Send> Sync for Items<T> {}

/// Calls `f` on every item of `items`, each exactly once, on the two threads: the caller from
/// the front, the helper from the back. Which thread runs an item depends on timing, so `f` must
/// give the same result wherever it runs (independent pieces of an elementwise loop).
pub fn for_each_shared<T: Send>(items: &mut [T], f: impl Fn(&mut T) + Sync) {
    let n = items.len();
    if n <= 1 || n > u32::MAX as usize {
        items.iter_mut().for_each(f);
        return;
    }
    // (front << 32) | back: the items front..back are still to be taken.
    let ends = AtomicU64::new(n as u64);
    let take = |from_front: bool| -> Option<usize> {
        let mut current = ends.load(Ordering::Relaxed);
        loop {
            let (front, back) = (current >> 32, current & u64::from(u32::MAX));
            if front >= back {
                return None;
            }
            let (next, item) = if from_front {
                (((front + 1) << 32) | back, front)
            } else {
                ((front << 32) | (back - 1), back - 1)
            };
            match ends.compare_exchange_weak(current, next, Ordering::AcqRel, Ordering::Relaxed) {
                Ok(_) => return Some(item as usize),
                Err(now) => current = now,
            }
        }
    };
    let base = Items(items.as_mut_ptr());
    let drain = |from_front: bool| {
        let base = &base;
        while let Some(i) = take(from_front) {
            // SAFETY: i < n, and the exchange above hands each index out once, so this is the
            // only reference to item i; `items` outlives the join.
            f(unsafe { &mut *base.0.add(i) });
        }
    };
    super::join(|| drain(true), || drain(false));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_is_visited_exactly_once() {
        for n in [0, 1, 2, 3, 17, 1000] {
            let mut items: Vec<(usize, u32)> = (0..n).map(|i| (i, 0)).collect();
            for_each_shared(&mut items, |(i, visits)| {
                *visits += 1;
                // uneven pieces, so that the two ends move at different speeds
                if *i % 7 == 0 {
                    std::hint::black_box((0..2000).sum::<usize>());
                }
            });
            assert!(items.iter().all(|&(_, visits)| visits == 1), "n = {n}");
        }
    }

    #[test]
    fn both_threads_take_items_when_there_is_a_helper() {
        if std::env::var(crate::parallel::THREADS_VAR).is_ok_and(|v| v.trim() == "1") {
            return;
        }
        // Many slow items: the helper, spinning, picks up its end long before they run out.
        // (Another test's join may own the helper at the moment: then the caller runs all, so
        // try a few times.)
        let me = std::thread::current().id();
        let shared = (0..20).any(|_| {
            let mut items: Vec<Option<std::thread::ThreadId>> = vec![None; 64];
            for_each_shared(&mut items, |who| {
                std::thread::sleep(std::time::Duration::from_millis(1));
                *who = Some(std::thread::current().id());
            });
            assert_eq!(items[0], Some(me), "the caller starts at the front");
            items.iter().any(|who| *who != Some(me))
        });
        assert!(shared, "the helper never took an item");
    }
}
