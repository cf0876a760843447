//! Printing to the console without panicking. `println!` panics when the reader
//! has gone (`iopsched check ... | head -1` closes the pipe early) and would lose
//! the files still to be written; a console line is a courtesy, so one that cannot
//! be written is dropped and the command carries on to its files and exit code.

use std::io::Write;

/// Writes `line` and a line end to stdout, ignoring a closed pipe or any other error.
pub fn out(line: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// Writes `text` as it is to stdout, ignoring a closed pipe or any other error.
pub fn out_text(text: &str) {
    let _ = write!(std::io::stdout().lock(), "{text}");
}

/// Writes `line` and a line end to stderr, ignoring a closed pipe or any other error.
pub fn err(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}
