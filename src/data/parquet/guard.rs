//! A damaged Parquet file can make the `parquet` crate panic (e.g. "Decoder for dict should
//! have been set" on a corrupted page) rather than return an error; the loader must not. Its
//! reading runs under [`guarded`], which turns such a panic into a [`Error::BadFile`] and keeps
//! the panic's message off stderr (a panic anywhere else still reaches the previous hook).

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind, set_hook, take_hook};
use std::path::Path;
use std::sync::Once;

use crate::error::{Error, Result};

thread_local! {
    /// True while this thread reads a Parquet file under [`guarded`].
    static READING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `read`, turning a panic inside it into an error naming `path`.
pub(super) fn guarded<T>(path: &Path, read: impl FnOnce() -> Result<T>) -> Result<T> {
    static QUIET_HOOK: Once = Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = take_hook();
        set_hook(Box::new(move |info| {
            if !READING.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = READING.with(|r| r.replace(true));
    let outcome = catch_unwind(AssertUnwindSafe(read));
    READING.with(|r| r.set(was));
    outcome.unwrap_or_else(|payload| {
        let why = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_owned());
        Err(Error::bad_file(
            path,
            format!(
                "the file is damaged: the Parquet reader stopped on it ({why}); write the file \
                 again"
            ),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_and_values_pass_through() {
        let path = Path::new("t.parquet");
        assert_eq!(guarded(path, || Ok(3)).unwrap(), 3);
        let e = guarded::<()>(path, || panic!("bad page")).unwrap_err();
        assert!(
            e.to_string().contains("t.parquet: the file is damaged"),
            "{e}"
        );
        assert!(e.to_string().contains("bad page"), "{e}");
        assert!(e.is_user_error());
        assert!(!READING.with(Cell::get));
    }
}
