//! Tests of `worker.rs`.

use super::*;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn wait_for_cancel(_: u64, cancel: Arc<AtomicBool>, _: Reporter) {
    while !cancel.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn jobs_report_through_the_channel_and_shutdown_cancels_and_joins() {
    let mut workers = Workers::new(egui::Context::default());
    let id = workers
        .start(JobKind::Save, "test", |_, cancel, reporter| {
            while !cancel.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(1));
            }
            reporter.send(Msg::Saved {
                what: "stopped".into(),
                result: Ok(PathBuf::new()),
            });
        })
        .unwrap();
    assert!(workers.is_running(id));
    // saves are not exclusive: not current, stopped only by shutdown's cancel
    assert_eq!(workers.current(JobKind::Save), None);
    let forever = workers.start(JobKind::Load, "x", wait_for_cancel).unwrap();
    assert!(workers.is_running(forever));
    workers.shutdown();
    assert_eq!(workers.running(), 0);
    let started = Instant::now();
    let mut got = Vec::new();
    while got.is_empty() && started.elapsed() < Duration::from_secs(5) {
        got = workers.drain();
    }
    assert!(matches!(&got[..], [Msg::Saved { what, .. }] if what == "stopped"));
}

#[test]
fn a_new_job_of_a_kind_replaces_and_cancels_the_old_one() {
    let mut workers = Workers::new(egui::Context::default());
    let first = workers
        .start(JobKind::Train(Side::A), "first", wait_for_cancel)
        .unwrap();
    let other_side = workers
        .start(JobKind::Train(Side::B), "b", wait_for_cancel)
        .unwrap();
    let second = workers
        .start(JobKind::Train(Side::A), "second", wait_for_cancel)
        .unwrap();
    assert_eq!(workers.current(JobKind::Train(Side::A)), Some(second));
    assert_eq!(workers.label(JobKind::Train(Side::A)), Some("second"));
    // the first was cancelled: its thread ends, and its last message would not count
    let started = Instant::now();
    while workers.is_running(first) && started.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(1));
    }
    assert!(!workers.is_running(first));
    assert!(!workers.finish(JobKind::Train(Side::A), first));
    assert!(workers.is_current(JobKind::Train(Side::B), other_side));
    // the current one's last message frees the kind
    assert!(workers.finish(JobKind::Train(Side::A), second));
    assert_eq!(workers.current(JobKind::Train(Side::A)), None);
    workers.cancel_kind(JobKind::Train(Side::B));
    assert_eq!(workers.current(JobKind::Train(Side::B)), None);
    workers.shutdown();
}
