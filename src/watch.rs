//! Watching a running HiGHS instance through its callback: it is interrupted
//! when a stop is asked for, and in the "clients met" stage every better roster
//! it finds is reported as it is found, so that a long stage shows progress.

use crate::progress::Progress;
use highs_sys::{
    kHighsCallbackIpmInterrupt, kHighsCallbackMipImprovingSolution, kHighsCallbackMipInterrupt,
    kHighsCallbackSimplexInterrupt, HighsCallbackDataIn, HighsCallbackDataOut, Highs_setCallback,
    Highs_startCallback,
};
use std::ffi::{c_char, c_int, c_void};

/// What the callback needs; lives on the stack of the run it watches.
pub struct Watch<'a> {
    progress: &'a Progress,
    /// The run's objective is the number of clients met (a report is wanted).
    reports_met: bool,
}

impl<'a> Watch<'a> {
    pub fn new(progress: &'a Progress, reports_met: bool) -> Watch<'a> {
        Watch {
            progress,
            reports_met: reports_met && progress.reports(),
        }
    }

    /// Installs the callback on a HiGHS instance (`highs::Model::as_mut_ptr`).
    ///
    /// # Safety
    /// `highs` must be a live HiGHS instance, and `self` must outlive every solve
    /// of it (the callback reads `self` through a raw pointer).
    pub unsafe fn attach(&self, highs: *mut c_void) {
        let data = self as *const Watch as *mut c_void;
        Highs_setCallback(highs, Some(callback), data);
        for kind in [
            kHighsCallbackMipInterrupt,
            kHighsCallbackSimplexInterrupt,
            kHighsCallbackIpmInterrupt,
        ] {
            Highs_startCallback(highs, kind);
        }
        if self.reports_met {
            Highs_startCallback(highs, kHighsCallbackMipImprovingSolution);
        }
    }
}

/// HiGHS calls this from inside its solve; it must not unwind.
unsafe extern "C" fn callback(
    kind: c_int,
    _message: *const c_char,
    out: *const HighsCallbackDataOut,
    data_in: *mut HighsCallbackDataIn,
    watch: *mut c_void,
) {
    let Some(watch) = (watch as *const Watch).as_ref() else {
        return;
    };
    if kind == kHighsCallbackMipImprovingSolution {
        if let Some(out) = out.as_ref() {
            let met = out.objective_function_value.round();
            if met.is_finite() && met >= 0.0 {
                watch.progress.met(met as usize);
            }
        }
    } else if watch.progress.stopped() {
        if let Some(data_in) = data_in.as_mut() {
            data_in.user_interrupt = 1;
        }
    }
}
