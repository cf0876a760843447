//! The subcommands: each a clap `Args` struct and a `run` function.

pub mod check;
pub mod generate;
pub mod lint;
pub mod place;
pub mod solve;
pub mod whatif;

use std::process::ExitCode;

/// Exit codes, as documented in the README for cron.
pub mod exit {
    /// A roster was written and every client meets their level.
    pub const ALL_MET: u8 = 0;
    /// Nothing was written: bad input, I/O or solver failure.
    pub const FAILED: u8 = 1;
    /// A roster was written, but some clients are short.
    pub const SOME_SHORT: u8 = 3;
}

/// Maps an exit code constant to [`ExitCode`].
pub fn code(value: u8) -> ExitCode {
    ExitCode::from(value)
}
