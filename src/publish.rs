//! Replacing a whole output set at once, so that a cron job, a second run or a
//! reader never sees a mix of two weeks.
//!
//! `OUT` is a symbolic link to a generation folder beside it (`.OUT.g7`). A run
//! writes the complete new set into a fresh generation folder, points a new link
//! at it and renames that link over `OUT`: one `rename(2)`, so a reader resolving
//! `OUT/roster.csv` gets the old set or the new one. The generation it replaced
//! stays until the next run (a reader that resolved the old link can finish), and
//! anything a killed run left behind is removed by the next one.
//!
//! `.OUT.lock` beside it is held (`flock`) from before solving to the end of the
//! swap: a second run fails at once with [`PublishError::Busy`]. The lock file is
//! never removed (removing it would let two runs lock different files).

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};

/// One output file: its path inside the output folder (`calendars/x.ics`) and bytes.
pub type OutputFile = (String, Vec<u8>);

/// The steps of [`OutputSet::publish_with`], in order, for failure injection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Removing what earlier killed runs left behind.
    Clean,
    /// Moving a folder written by an iopsched without generations aside.
    Migrate,
    /// Writing file number `n` of the set into the new generation.
    Write(usize),
    /// Making the new link.
    Link,
    /// Renaming the new link over `OUT`.
    Swap,
    /// Removing generations older than the one just replaced.
    Retire,
}

/// Why the output folder cannot be used; found before solving.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("another iopsched run is writing into {0} (it holds {1}); try again when it is done")]
    Busy(PathBuf, PathBuf),
    #[error("cannot write into {0}: {1} (expected a folder iopsched may create and replace)")]
    Unwritable(PathBuf, io::Error),
    #[error("{0} {1} (expected a new name, or an output folder of iopsched)")]
    Foreign(PathBuf, &'static str),
}

/// A locked output folder, ready to receive a complete set of files.
pub struct OutputSet {
    out: PathBuf,
    parent: PathBuf,
    name: String,
    /// Held for the lifetime of the set; the kernel releases it if we are killed.
    _lock: File,
}

/// Names a run may find in an output folder that an earlier iopsched wrote in place.
const OURS: [&str; 11] = [
    "roster.csv",
    "client_summary.csv",
    "sessions_summary.csv",
    "changes.csv",
    "billing.csv",
    "roster.html",
    "calendars",
    "run.json",
    "violations.csv",
    "placements.csv",
    "whatif.csv",
];

/// Tries for a short while to lock `file` exclusively. A lock that was just
/// released can stay held for a moment: a thread of the same process that forks
/// to start a program holds a copy of the descriptor until the child's exec
/// closes it. Another run holds it for the length of a solve, far longer.
fn take_lock(file: &File) -> io::Result<()> {
    const TRIES: u32 = 20;
    for attempt in 1..=TRIES {
        // SAFETY: flock on a descriptor we own; no memory is shared with the call.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
            return Ok(());
        }
        let error = io::Error::last_os_error();
        if error.raw_os_error() != Some(libc::EWOULDBLOCK) || attempt == TRIES {
            return Err(error);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    unreachable!("the last attempt returns")
}

impl OutputSet {
    /// Locks `out` for this run and checks it can be written, before any solving.
    pub fn lock(out: &Path) -> Result<OutputSet, PublishError> {
        // `roster/` names the link itself: renaming over a trailing slash would
        // ask for a folder there (ENOTDIR).
        let out: PathBuf = out.components().collect();
        let out = out.as_path();
        let unwritable = |e: io::Error| PublishError::Unwritable(out.to_path_buf(), e);
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| PublishError::Foreign(out.to_path_buf(), "names no folder"))?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(unwritable)?;
        let lock_path = parent.join(format!(".{name}.lock"));
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(unwritable)?;
        take_lock(&lock).map_err(|e| match e.raw_os_error() {
            Some(libc::EWOULDBLOCK) => PublishError::Busy(out.to_path_buf(), lock_path),
            _ => unwritable(e),
        })?;
        let set = OutputSet {
            out: out.to_path_buf(),
            parent,
            name,
            _lock: lock,
        };
        set.check_existing()?;
        Ok(set)
    }

    /// `OUT` may be missing, our link, or a folder holding only our own files.
    fn check_existing(&self) -> Result<(), PublishError> {
        let Ok(meta) = fs::symlink_metadata(&self.out) else {
            return Ok(());
        };
        let foreign = |why| Err(PublishError::Foreign(self.out.clone(), why));
        if meta.file_type().is_symlink() {
            return match self.current() {
                Some(_) => Ok(()),
                None => foreign("is a link iopsched did not make"),
            };
        }
        if !meta.is_dir() {
            return foreign("is a file, not a folder");
        }
        let entries =
            fs::read_dir(&self.out).map_err(|e| PublishError::Unwritable(self.out.clone(), e))?;
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            if !(OURS.contains(&file.as_str()) || file.starts_with('.')) {
                return foreign("is a folder with files iopsched did not write");
            }
        }
        Ok(())
    }

    fn generation(&self, n: u64) -> String {
        format!(".{}.g{n}", self.name)
    }

    /// The generation numbers present beside `OUT`.
    fn generations(&self) -> Vec<u64> {
        let prefix = format!(".{}.g", self.name);
        let mut found: Vec<u64> = fs::read_dir(&self.parent)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.strip_prefix(&prefix)?.parse().ok()
            })
            .collect();
        found.sort_unstable();
        found
    }

    /// The generation `OUT` points at, when it is our link.
    fn current(&self) -> Option<u64> {
        let target = fs::read_link(&self.out).ok()?;
        let target = target.to_str()?;
        target
            .strip_prefix(&format!(".{}.g", self.name))?
            .parse()
            .ok()
    }

    /// Writes `files` (paths relative to `OUT`, e.g. `calendars/x.ics`) as the new
    /// complete set and swaps it in.
    pub fn publish(&self, files: &[OutputFile]) -> io::Result<()> {
        self.publish_with(files, &mut |_| Ok(()))
    }

    /// [`OutputSet::publish`] with `before` called ahead of every step: an error
    /// from it stops the run right there, as a kill would (nothing is undone), so
    /// tests can check every step leaves the old set or the new one.
    pub fn publish_with(
        &self,
        files: &[OutputFile],
        before: &mut dyn FnMut(Step) -> io::Result<()>,
    ) -> io::Result<()> {
        before(Step::Clean)?;
        let current = self.current();
        let link = self.parent.join(format!(".{}.link", self.name));
        remove_if_there(&link)?;
        for n in self.generations() {
            if Some(n) != current {
                fs::remove_dir_all(self.parent.join(self.generation(n)))?;
            }
        }
        let next = self.generations().last().map_or(1, |n| n + 1);
        if current.is_none() && self.out.is_dir() {
            // Written in place by an older iopsched: becomes a generation once.
            before(Step::Migrate)?;
            fs::rename(&self.out, self.parent.join(self.generation(next)))?;
            std::os::unix::fs::symlink(self.generation(next), &link)?;
            fs::rename(&link, &self.out)?;
            return self.publish_with(files, before);
        }
        let folder = self.parent.join(self.generation(next));
        fs::create_dir(&folder)?;
        for (i, (path, bytes)) in files.iter().enumerate() {
            before(Step::Write(i))?;
            let path = folder.join(path);
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir)?;
            }
            fs::write(&path, bytes)?;
            File::open(&path)?.sync_all()?;
        }
        before(Step::Link)?;
        std::os::unix::fs::symlink(self.generation(next), &link)?;
        before(Step::Swap)?;
        fs::rename(&link, &self.out)?;
        before(Step::Retire)?;
        for n in self.generations() {
            if n != next && Some(n) != current {
                fs::remove_dir_all(self.parent.join(self.generation(n)))?;
            }
        }
        Ok(())
    }
}

fn remove_if_there(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
