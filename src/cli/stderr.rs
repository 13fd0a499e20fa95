//! What the command line says on stderr when stderr may be closed or full (nothing then, and
//! the exit code stays), and where a panic's details go (a file, not a backtrace on stderr).

/// Writes one line to stderr, ignoring a closed or full stderr.
pub fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Makes a panic write its message, place and backtrace to `path` instead of stderr (the
/// caller then says one line naming the file).
pub fn install_panic_report(path: std::path::PathBuf) {
    std::panic::set_hook(Box::new(move |info| {
        let backtrace = std::backtrace::Backtrace::force_capture();
        let text = format!(
            "latent-compare {} panicked: {info}\ncommand: {}\n\n{backtrace}\n",
            env!("CARGO_PKG_VERSION"),
            std::env::args().collect::<Vec<_>>().join(" ")
        );
        let _ = std::fs::write(&path, text);
    }));
}
