//! The subcommands: each a clap `Args` struct and a `run` function.

/// `println!` that never panics: see [`console`].
macro_rules! outln {
    ($($arg:tt)*) => { $crate::cmd::console::out(&format!($($arg)*)) };
}

/// `eprintln!` that never panics: see [`console`].
macro_rules! errln {
    ($($arg:tt)*) => { $crate::cmd::console::err(&format!($($arg)*)) };
}

pub mod check;
pub mod console;
pub mod generate;
pub mod lint;
pub mod place;
pub mod serve;
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
    /// Nothing was written: another run holds the output folder's lock.
    pub const BUSY: u8 = 4;
}

/// Maps an exit code constant to [`ExitCode`].
pub fn code(value: u8) -> ExitCode {
    ExitCode::from(value)
}

/// Longest `--time-limit`: a week, in seconds. Anything longer is a typo, and
/// HiGHS takes its limit as a finite number.
const MAX_TIME_LIMIT: f64 = 7.0 * 24.0 * 3600.0;

/// `--time-limit`: seconds, finite, more than 0 and at most a week.
pub fn parse_time_limit(text: &str) -> Result<f64, String> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a number of seconds (expected e.g. 60)"))?;
    if !(seconds.is_finite() && seconds > 0.0 && seconds <= MAX_TIME_LIMIT) {
        return Err(format!(
            "'{text}' is not a usable time limit (expected seconds above 0 and at most {MAX_TIME_LIMIT})"
        ));
    }
    Ok(seconds)
}

/// The appointment lengths of every command that loads the input folder.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct Lengths {
    /// Length of an individual therapy session, in minutes [default: 50]. Conflicts
    /// with an `individual` row of appointments.csv.
    #[arg(long, value_parser = parse_minutes)]
    pub individual_minutes: Option<u32>,
    /// Length of a physician visit, in minutes [default: 30]. Conflicts with a
    /// `physician` row of appointments.csv.
    #[arg(long, value_parser = parse_minutes)]
    pub physician_minutes: Option<u32>,
}

impl Lengths {
    /// The input loader's settings for these lengths.
    pub fn load(&self) -> crate::input::LoadSettings {
        crate::input::LoadSettings {
            individual_minutes: self.individual_minutes,
            physician_minutes: self.physician_minutes,
        }
    }
}

/// Appointment lengths (`--individual-minutes`, `--physician-minutes`): 1 to 1440.
pub fn parse_minutes(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(minutes) if (1..=24 * 60).contains(&minutes) => Ok(minutes),
        _ => Err(format!(
            "'{text}' is not a length in minutes (expected a whole number from 1 to 1440)"
        )),
    }
}

/// `--threads` capped at the cores this process may use: more threads than cores
/// only slow HiGHS down (and thousands of them exhaust the machine).
pub fn capped_threads(threads: u32) -> u32 {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get() as u32);
    threads.clamp(1, cores.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_limit_must_be_finite_positive_and_at_most_a_week() {
        assert_eq!(parse_time_limit("1"), Ok(1.0));
        assert_eq!(parse_time_limit("0.5"), Ok(0.5));
        for bad in ["inf", "NaN", "0", "-1", "1e9", "", "sixty"] {
            assert!(parse_time_limit(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn threads_are_capped_at_the_cores() {
        let cores = std::thread::available_parallelism().unwrap().get() as u32;
        assert_eq!(capped_threads(10_000), cores);
        assert_eq!(capped_threads(1), 1);
    }
}
