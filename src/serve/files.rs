//! The only file-system writes of the server: a row appended to a known input
//! file (atomically, after a backup), and scratch copies of the input folder for
//! intake. File names come from [`InputFile`], never from a request.

use crate::output::spreadsheet_safe;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// The input files the server may append to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFile {
    Clients,
    ClientBusy,
    Sessions,
}

impl InputFile {
    pub fn name(self) -> &'static str {
        match self {
            InputFile::Clients => "clients.csv",
            InputFile::ClientBusy => "client_busy.csv",
            InputFile::Sessions => "sessions.csv",
        }
    }

    /// The contract's header, for a file that does not exist yet.
    fn header(self) -> &'static str {
        match self {
            InputFile::Clients => {
                "client_id,level,site,track,primary_therapist,gender,tags,stage,travel_minutes"
            }
            InputFile::ClientBusy => "client_id,day,start,end,reason",
            InputFile::Sessions => "session_id,name,site,day,start,end,track,facilitator,room,capacity,min_size,levels,gender,tags,stage",
        }
    }
}

/// Copies the input files that exist from `from` into `to`.
pub fn copy_inputs(from: &Path, to: &Path) -> io::Result<()> {
    // The loader reads no others.
    for name in crate::input::FILES {
        match fs::copy(from.join(name), to.join(name)) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            other => {
                other?;
            }
        }
    }
    Ok(())
}

/// A file's bytes before an append, to put back when a later step fails.
pub struct Original {
    file: InputFile,
    bytes: Option<Vec<u8>>,
}

/// Appends rows (column name -> value; columns not given stay empty) to `file`
/// in `dir`: every existing byte kept, the file's own line ending used, a missing
/// final line ending added first. A backup copy is written before, and the new
/// file replaces the old one in one rename after it is on disk.
pub fn append_rows(
    dir: &Path,
    file: InputFile,
    rows: &[Vec<(&str, String)>],
) -> io::Result<Original> {
    let path = dir.join(file.name());
    let bytes = match fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let mut text = match &bytes {
        Some(b) => b.clone(),
        None => format!("{}\n", file.header()).into_bytes(),
    };
    let crlf = text.windows(2).any(|w| w == b"\r\n");
    let ending: &[u8] = if crlf { b"\r\n" } else { b"\n" };
    if !text.is_empty() && !text.ends_with(b"\n") {
        text.extend_from_slice(ending);
    }
    let header = header_of(&text)?;
    for row in rows {
        text.extend_from_slice(&record(&header, row, crlf)?);
    }
    if let Some(original) = &bytes {
        backup(dir, file, original)?;
    }
    replace(&path, &text)?;
    Ok(Original { file, bytes })
}

/// Puts a file back as it was before [`append_rows`].
pub fn restore(dir: &Path, original: &Original) -> io::Result<()> {
    let path = dir.join(original.file.name());
    match &original.bytes {
        Some(bytes) => replace(&path, bytes),
        None => fs::remove_file(path),
    }
}

fn header_of(text: &[u8]) -> io::Result<Vec<String>> {
    let text = text.strip_prefix("\u{feff}".as_bytes()).unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text);
    let header = reader.headers().map_err(io::Error::other)?;
    Ok(header
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect())
}

/// One CSV record in the file's column order; a cell a spreadsheet would run as
/// a formula is written as text.
fn record(header: &[String], row: &[(&str, String)], crlf: bool) -> io::Result<Vec<u8>> {
    let terminator = if crlf {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    let mut w = csv::WriterBuilder::new()
        .terminator(terminator)
        .from_writer(Vec::new());
    let cells = header.iter().map(|column| {
        let value = row.iter().find(|(name, _)| name == column);
        spreadsheet_safe(value.map_or("", |(_, v)| v.as_str()))
    });
    w.write_record(cells)?;
    w.into_inner().map_err(|e| e.into_error())
}

/// Names tried after the current millisecond's is taken: two changes within
/// one millisecond must not fail, and a later name still sorts as newer.
const BACKUP_NAME_TRIES: u128 = 1000;

/// A timestamped copy beside the file (`clients.csv.bak-1764514502123`).
fn backup(dir: &Path, file: InputFile, bytes: &[u8]) -> io::Result<()> {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let mut out = new_backup_file(dir, file, millis)?;
    out.write_all(bytes)?;
    out.sync_all()?;
    prune_backups(dir, file)
}

/// Creates the first free backup name from `millis` on, never overwriting one.
fn new_backup_file(dir: &Path, file: InputFile, millis: u128) -> io::Result<File> {
    let mut last = None;
    for stamp in millis..millis + BACKUP_NAME_TRIES {
        let path = dir.join(format!("{}.bak-{stamp}", file.name()));
        match OpenOptions::new().write(true).create_new(true).open(path) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            other => return other,
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free backup name")))
}

/// Backups kept per input file: every change from the web app writes one, and a
/// busy intake week would otherwise fill the folder.
const KEPT_BACKUPS: usize = 20;

/// Removes the oldest backups of `file` beyond [`KEPT_BACKUPS`]. Only names the
/// server itself writes (`clients.csv.bak-` and digits) are ever removed.
fn prune_backups(dir: &Path, file: InputFile) -> io::Result<()> {
    let prefix = format!("{}.bak-", file.name());
    let mut backups: Vec<(u128, std::path::PathBuf)> = fs::read_dir(dir)?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let name = entry.file_name().into_string().ok()?;
            let millis = name.strip_prefix(&prefix)?;
            let digits = !millis.is_empty() && millis.bytes().all(|b| b.is_ascii_digit());
            Some((millis.parse().ok().filter(|_| digits)?, entry.path()))
        })
        .collect();
    backups.sort_unstable();
    let surplus = backups.len().saturating_sub(KEPT_BACKUPS);
    for (_, path) in backups.drain(..surplus) {
        fs::remove_file(path)?;
    }
    Ok(())
}

/// Writes `bytes` to a temporary file in the same folder, flushes it to disk and
/// renames it over `path`, so a reader sees the old file or the new one.
fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(Default::default, |n| n.to_string_lossy());
    let temp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let mut out = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&temp)?;
    if let Ok(meta) = fs::metadata(path) {
        out.set_permissions(meta.permissions())?;
    }
    out.write_all(bytes)?;
    out.sync_all()?;
    drop(out);
    fs::rename(&temp, path)?;
    File::open(dir)?.sync_all()
}

/// Copies the published roster.csv without the rows of one client, so that intake
/// places them again (their other options).
pub fn roster_without(published: &Path, client_id: &str, to: &Path) -> io::Result<()> {
    let mut reader = csv::Reader::from_path(published).map_err(io::Error::other)?;
    let header = reader.headers().map_err(io::Error::other)?.clone();
    let column = header
        .iter()
        .position(|h| h.trim() == "client_id")
        .ok_or_else(|| io::Error::other("roster.csv has no client_id column"))?;
    let mut w = csv::Writer::from_path(to).map_err(io::Error::other)?;
    w.write_record(&header)?;
    for record in reader.records() {
        let record = record.map_err(io::Error::other)?;
        if record.get(column).map(str::trim) != Some(client_id) {
            w.write_record(&record)?;
        }
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn append(dir: &Path, before: &str) -> String {
        fs::write(dir.join("clients.csv"), before).unwrap();
        let row = vec![
            ("client_id", "N1".to_string()),
            ("level", "IOP".to_string()),
        ];
        append_rows(dir, InputFile::Clients, &[row]).unwrap();
        fs::read_to_string(dir.join("clients.csv")).unwrap()
    }

    #[test]
    fn append_keeps_every_byte_and_the_line_ending() {
        let dir = tempfile::tempdir().unwrap();
        let crlf = "client_id,level,site\r\nC1,PHP,\"a,b\"\r\n";
        assert_eq!(append(dir.path(), crlf), format!("{crlf}N1,IOP,\r\n"));
        let lf = "\u{feff}client_id,level\nC1,PHP\n";
        assert_eq!(append(dir.path(), lf), format!("{lf}N1,IOP\n"));
    }

    /// Two changes within one millisecond each keep their own backup.
    #[test]
    fn a_backup_name_already_taken_moves_to_the_next_free_one() {
        let dir = tempfile::tempdir().unwrap();
        let taken = dir.path().join("clients.csv.bak-500");
        fs::write(&taken, "older").unwrap();
        let mut out = new_backup_file(dir.path(), InputFile::Clients, 500).unwrap();
        out.write_all(b"newer").unwrap();
        drop(out);
        assert_eq!(fs::read_to_string(&taken).unwrap(), "older");
        let next = dir.path().join("clients.csv.bak-501");
        assert_eq!(fs::read_to_string(next).unwrap(), "newer");
    }

    #[test]
    fn append_adds_a_missing_final_newline_first() {
        let dir = tempfile::tempdir().unwrap();
        let before = "client_id,level\nC1,PHP";
        assert_eq!(append(dir.path(), before), format!("{before}\nN1,IOP\n"));
    }

    /// Only the newest backups stay; other files, and names that merely look
    /// like backups, are never touched.
    #[test]
    fn old_backups_beyond_the_kept_number_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("clients.csv"), "client_id,level\n").unwrap();
        let others = [
            "clients.csv.bak-old",
            "sessions.csv.bak-1",
            "clients.csv.bak-",
        ];
        for name in others {
            fs::write(dir.path().join(name), "keep").unwrap();
        }
        for millis in 1..=KEPT_BACKUPS + 5 {
            let name = format!("clients.csv.bak-{millis}");
            fs::write(dir.path().join(name), "old").unwrap();
        }
        let row = vec![("client_id", "N1".to_string())];
        append_rows(dir.path(), InputFile::Clients, &[row]).unwrap();
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        let backups = names
            .iter()
            .filter(|n| {
                n.strip_prefix("clients.csv.bak-")
                    .is_some_and(|m| m.parse::<u128>().is_ok())
            })
            .count();
        assert_eq!(backups, KEPT_BACKUPS);
        // The oldest went first; the backup just written stays.
        assert!(!names.contains(&"clients.csv.bak-6".to_string()));
        assert!(names.contains(&"clients.csv.bak-7".to_string()));
        for name in others {
            assert!(names.contains(&name.to_string()), "{name}");
        }
    }

    #[test]
    fn append_keeps_a_backup_and_restore_puts_the_file_back() {
        let dir = tempfile::tempdir().unwrap();
        let before = "client_id,level\nC1,PHP\n";
        fs::write(dir.path().join("clients.csv"), before).unwrap();
        let row = vec![("level", "=cmd()".to_string())];
        let original = append_rows(dir.path(), InputFile::Clients, &[row]).unwrap();
        let after = fs::read_to_string(dir.path().join("clients.csv")).unwrap();
        assert_eq!(after, format!("{before},'=cmd()\n"));
        let backups: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("clients.csv.bak-")
            })
            .collect();
        assert_eq!(backups.len(), 1);
        assert_eq!(fs::read_to_string(backups[0].path()).unwrap(), before);
        restore(dir.path(), &original).unwrap();
        let restored = fs::read_to_string(dir.path().join("clients.csv")).unwrap();
        assert_eq!(restored, before);
    }
}
