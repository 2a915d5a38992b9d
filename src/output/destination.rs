//! The output folder a build is given: where it really is (a symbolic link is followed to
//! the folder it leads to), whether the build may write there, and the lock that keeps two
//! builds from writing it at once.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::manifest::MANIFEST;
use crate::diagnostics::{Error, Place, Problem};

/// The output folder of a build, checked: not the site nor inside its sources, and followed
/// when it is a symbolic link (`public -> /var/www/site`), so that the folder it leads to is
/// the output, made and swapped beside it, while the link stays as it is.
#[derive(Debug, Clone)]
pub struct Destination {
    dir: PathBuf,
    force: bool,
}

impl Destination {
    /// The output folder `given` of the site at `root`; with `force` (`build --force`), a
    /// folder that majlis did not make may be built into.
    pub fn new(root: &Path, given: &Path, force: bool) -> Result<Destination, Error> {
        let dir = follow_links(given).map_err(|e| {
            Error::new(
                Place::file(given),
                Problem::BadOutput(format!("is a link that cannot be followed: {e}")),
            )
        })?;
        check_destination(root, &dir)?;
        // Absolute, so that the folder has a name and a folder around it (`--output .`), and
        // every spelling of it the same lock.
        let dir = absolute(&dir);
        Ok(Destination { dir, force })
    }

    /// The folder the site is written into: the one given, or where a link given leads.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether a folder that majlis did not make may be built into.
    pub(crate) fn force(&self) -> bool {
        self.force
    }
}

/// Where a chain of symbolic links leads; `path` itself when it is none.
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    // Linux's own limit on the links of one path (MAXSYMLINKS).
    for _ in 0..40 {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&path)?;
                // A relative target is relative to the link's folder; `join` keeps an
                // absolute one as it is.
                path = match path.parent() {
                    Some(folder) => folder.join(target),
                    None => target,
                };
            }
            _ => return Ok(path),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Refuses an output folder that would overwrite the site's own files: the site itself, a
/// folder inside `content/` or `themes/`, or a folder that contains the site.
fn check_destination(root: &Path, out: &Path) -> Result<(), Error> {
    let root = absolute(root);
    let out = absolute(out);
    let place = Place::file("--output");
    let refuse = |why: &str| {
        Err(Error::new(
            place.clone(),
            Problem::BadOutput(format!("{} {why}", out.display())),
        ))
    };
    if out == root {
        return refuse("is the site itself");
    }
    if root.starts_with(&out) {
        return refuse("contains the site");
    }
    for source in ["content", "themes", "site-config.yaml"] {
        if out.starts_with(root.join(source)) {
            return refuse(&format!("is inside the site's {source}"));
        }
    }
    if out.exists() && !out.is_dir() {
        return refuse("is a file");
    }
    Ok(())
}

/// An absolute path with `.` and `..` resolved, following symbolic links where the path exists.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // The longest existing ancestor is canonicalised; the rest is appended as written.
    let mut existing = joined.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut result = fs::canonicalize(&existing).unwrap_or(existing);
    for name in rest.into_iter().rev() {
        result.push(name);
    }
    let mut clean = PathBuf::new();
    for component in result.components() {
        match component {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    clean
}

/// Files a host reads from the top of a site, which a publisher puts in the output folder
/// before the first build: they do not make it a folder of someone else's.
const HOST_FILES: &[&str] = &[
    "CNAME",
    ".nojekyll",
    "_headers",
    "_redirects",
    ".well-known",
    ".git",
];

/// Refuses a folder that majlis did not make (it has no manifest) and that holds more than
/// hidden files and [`HOST_FILES`]: a home folder given by mistake would otherwise have a
/// site mixed into it.
pub(super) fn refuse_foreign_folder(dir: &Path) -> Result<(), Error> {
    let unreadable =
        |e: io::Error| Error::new(Place::file(dir), Problem::Unreadable(e.to_string()));
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(unreadable(e)),
    };
    if fs::symlink_metadata(dir.join(MANIFEST)).is_ok() {
        return Ok(());
    }
    let mut foreign = Vec::new();
    for entry in entries {
        let entry = entry.map_err(unreadable)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        // Not followed: a link is a file of the folder, wherever it leads.
        let folder = entry.file_type().map_err(unreadable)?.is_dir();
        let hidden_file = name.starts_with('.') && !folder;
        if !hidden_file && !HOST_FILES.contains(&name.as_str()) {
            foreign.push(if folder { format!("{name}/") } else { name });
        }
    }
    if foreign.is_empty() {
        return Ok(());
    }
    foreign.sort();
    let shown = 5;
    let mut entries = foreign
        .iter()
        .take(shown)
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if foreign.len() > shown {
        entries.push_str(&format!(" and {} more", foreign.len() - shown));
    }
    Err(Error::new(
        Place::file(dir),
        Problem::ForeignOutput { entries },
    ))
}

/// The lock a build holds on its output folder for its whole run, on a file beside it
/// (`.public.majlis-lock`), so that a second build into the same folder waits for the
/// first instead of sharing its staging folder.
#[derive(Debug)]
pub(super) struct BuildLock {
    file: fs::File,
    path: PathBuf,
}

impl BuildLock {
    /// Takes the lock at `path`, calling `waiting` once first if another build holds it.
    pub(super) fn take(path: &Path, waiting: impl FnOnce(&Path)) -> io::Result<BuildLock> {
        let failed = |what: &str, e: io::Error| {
            io::Error::new(e.kind(), format!("cannot {what} {}: {e}", path.display()))
        };
        let mut waiting = Some(waiting);
        loop {
            let file = fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(path)
                .map_err(|e| failed("create", e))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    if let Some(waiting) = waiting.take() {
                        waiting(path);
                    }
                    file.lock().map_err(|e| failed("lock", e))?;
                }
                Err(fs::TryLockError::Error(e)) => return Err(failed("lock", e)),
            }
            // The build that held it removes the file before it lets go (see `drop`): a lock
            // taken on a file no longer at `path` is taken again on the one that is.
            if is_at(&file, path) {
                return Ok(BuildLock {
                    file,
                    path: path.to_path_buf(),
                });
            }
        }
    }
}

impl Drop for BuildLock {
    fn drop(&mut self) {
        // Removed while still held, so that nothing is left beside the output and a build
        // waiting on this file finds it gone (see `take`). A build killed leaves the file,
        // but not the lock: the system lets go of it with the process.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Whether the file at `path` is `file` itself.
#[cfg(unix)]
fn is_at(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(open), Ok(named)) => (open.dev(), open.ino()) == (named.dev(), named.ino()),
        _ => false,
    }
}

/// Whether the file at `path` is `file` itself: elsewhere a file cannot be removed while it
/// is open, so it is.
#[cfg(not(unix))]
fn is_at(_file: &fs::File, _path: &Path) -> bool {
    true
}
