//! Views of a solved week for people rather than programs: a printable HTML grid and
//! one iCalendar file per staff member and per client. Both are pure functions of the
//! program and the schedule; [`crate::output`] writes them next to the CSV files.

mod billing_view;
pub mod html;
pub mod ics;
mod kind_style;
