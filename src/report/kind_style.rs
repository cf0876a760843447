//! A colour per appointment kind on `roster.html`. The two built-in kinds keep the
//! stylesheet's own classes (`individual`, `physician`); every other kind gets a
//! class `k-NAME` and a colour from a fixed palette, in the order of
//! appointments.csv, so the same file always gives the same page.

use crate::domain::{KindIx, Program};
use std::fmt::Write;

/// (border, background) pairs, distinct from the stylesheet's day, night, ok and
/// off colours; repeated when a program has more kinds than colours.
const PALETTE: [(&str, &str); 6] = [
    ("#8e44ad", "#f3e8f8"),
    ("#d35400", "#fbeee4"),
    ("#16a085", "#e3f5f1"),
    ("#b03a2e", "#f8e6e4"),
    ("#2e4053", "#e6eaee"),
    ("#9a7d0a", "#f7f1dc"),
];

/// True for the kinds the stylesheet already colours.
fn styled_by_css(program: &Program, k: KindIx) -> bool {
    let name = program.kind_at(k).name.as_str();
    name == Program::INDIVIDUAL || name == Program::PHYSICIAN
}

/// The HTML class of an appointment of kind `k` (kind names are letters, digits
/// and `_`, so the class needs no escaping).
pub(super) fn class(program: &Program, k: KindIx) -> String {
    let name = &program.kind_at(k).name;
    if styled_by_css(program, k) {
        name.clone()
    } else {
        format!("k-{name}")
    }
}

/// The kinds that are not the stylesheet's own, in file order.
pub(super) fn extra_kinds(program: &Program) -> Vec<KindIx> {
    program
        .kind_list()
        .map(|(k, _)| k)
        .filter(|&k| !styled_by_css(program, k))
        .collect()
}

/// CSS rules for the extra kinds (empty when there are none).
pub(super) fn css(program: &Program) -> String {
    let mut out = String::new();
    for (i, k) in extra_kinds(program).into_iter().enumerate() {
        let (border, background) = PALETTE[i % PALETTE.len()];
        let class = class(program, k);
        // Writing into a String cannot fail.
        let _ = writeln!(
            out,
            "ul.appts li.{class} {{ border-left-color: {border}; background: {background}; }}\n\
             .key.{class} {{ border-color: {border}; background: {background}; }}"
        );
    }
    out
}

/// The legend: the built-in kinds the program has, then every other kind.
pub(super) fn legend(program: &Program) -> String {
    let mut entries = Vec::new();
    if program.kind(Program::INDIVIDUAL).is_some() {
        entries.push("<span class=\"key individual\"></span>individual therapy".to_string());
    }
    if program.kind(Program::PHYSICIAN).is_some() {
        entries.push("<span class=\"key physician\"></span>physician visit".to_string());
    }
    for k in extra_kinds(program) {
        let name = program.kind_at(k).name.replace('_', " ");
        entries.push(format!(
            "<span class=\"key {}\"></span>{name}",
            class(program, k)
        ));
    }
    entries.join(" ")
}
