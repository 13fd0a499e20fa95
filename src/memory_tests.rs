//! The counting allocator's figures against allocations of known size.

use std::hint::black_box;

use super::*;

const MIB: usize = 1 << 20;

#[test]
fn a_known_buffer_is_counted_at_least_its_size_and_not_much_more() {
    let ((), peak) = measure(|| {
        let buffer = black_box(vec![1u8; 8 * MIB]);
        drop(buffer);
        // freed before a smaller one: the peak is the larger
        black_box(vec![2u8; MIB]);
    });
    assert!(peak >= 8 * MIB as u64, "peak {peak}");
    assert!(
        peak < 8 * MIB as u64 + 64 * 1024,
        "peak {peak}: overhead over 64 KiB"
    );
}

#[test]
fn what_was_live_before_does_not_count_and_nested_measures_count_for_both() {
    let before = black_box(vec![0u8; 16 * MIB]);
    let ((inner, kept), outer) = measure(|| {
        let kept = black_box(vec![0u8; 2 * MIB]);
        let ((), inner) = measure(|| drop(black_box(vec![0u8; 4 * MIB])));
        (inner, kept)
    });
    drop(kept);
    drop(before);
    assert!(
        (4 * MIB as u64..5 * MIB as u64).contains(&inner),
        "inner {inner}"
    );
    // the outer saw its own 2 MiB and the inner's 4 at once
    assert!(
        (6 * MIB as u64..7 * MIB as u64).contains(&outer),
        "outer {outer}"
    );
    assert!(process_peak() >= 22 * MIB as u64);
}

#[test]
fn a_panic_inside_a_measure_detaches_its_meter() {
    let caught = std::panic::catch_unwind(|| measure(|| panic!("inside")));
    assert!(caught.is_err());
    assert!(METER.with(Cell::get).is_null());
}

#[test]
fn the_resident_peak_is_read_and_bytes_read_as_a_person_would() {
    if cfg!(target_os = "linux") {
        assert!(resident_peak().is_some_and(|b| b > MIB as u64));
    }
    assert_eq!(format_bytes(812), "812 B");
    assert_eq!(format_bytes(3 * 1024 + 400), "3.4 KiB");
    assert_eq!(format_bytes(12 * MIB as u64 + 300 * 1024), "12.3 MiB");
    assert_eq!(format_bytes(3 << 29), "1.50 GiB");
    assert_eq!(format_bytes(20 << 30), "20.0 GiB");
}
