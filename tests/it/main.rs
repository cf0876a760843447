//! The integration tests, as one test binary (HiGHS is linked once, not once per
//! file): one module per area, and the helpers they share in `workdir`.
//!
//! Run one area with a name filter: `cargo test --release --test it place::`.

mod webdriver;
mod workdir;

mod check_lint;
mod checker_kinds;
mod checker_selftest;
mod cli;
mod expected_output;
mod explain;
mod families;
mod foreign;
mod fuzz_loader;
mod hostile;
mod kinds;
mod pins;
mod place;
mod progress;
mod publish;
mod report;
mod serve_browser;
mod solve;
mod stress;
mod weekly;
mod whatif;
