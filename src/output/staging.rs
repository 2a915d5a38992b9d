//! Writing a build's output to disk: into a new folder beside the output, file by file as the
//! build renders them, then swapped in whole; files the last build made from the same inputs
//! are kept rather than made again.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_128;

use super::carry::{self, failed, recover_interrupted_swap, remove_folder};
use super::destination::{refuse_foreign_folder, BuildLock, Destination};
use super::manifest::{read_manifest, Entry, MANIFEST, MANIFEST_HEADER, PROGRAM};
use crate::diagnostics::{Error, Place, Problem};
use crate::memo::{lock, Key};
use crate::render::Store;

/// The new output being written, file by file as the build renders them (from several
/// threads at once), into a folder beside `dir`: [`Staging::commit`] swaps it in, and
/// dropping it uncommitted (a build with errors) removes it, leaving `dir` as it was.
///
/// A file whose content is the one the last build wrote, per its manifest, is hard-linked
/// from the last output instead of written: it keeps its modification time, so that deploys
/// upload only what changed. The manifest is written last: a file changed since then (by
/// hand, by another tool) is newer than it, and is written anew. Files of `dir` that no
/// build wrote (a CNAME, a `.git`) are carried over. A build that publishes exactly the last
/// output (a rebuild with nothing changed) leaves `dir` as it is: the files it keeps are
/// linked only once it has written one.
///
/// From [`Staging::open`] until it is dropped, the build holds the lock of `dir`: no other
/// build writes into it, nor into the staging folder beside it.
pub(crate) struct Staging {
    dir: PathBuf,
    staging: PathBuf,
    previous: PathBuf,
    /// The manifest of the last build.
    last: HashMap<String, Option<Entry>>,
    /// When the last build wrote its manifest, its last file.
    last_written: Option<SystemTime>,
    /// Whether the last build was made by this program, from the same sources (see
    /// `build.rs`): keys say what a page was made from, not how, so they only hold between
    /// builds by the same one.
    same_program: bool,
    /// What this build published.
    written: Mutex<Vec<(String, Entry)>>,
    /// The paths of `written`, to be asked for one (`Store::has`).
    paths: Mutex<HashSet<String>>,
    /// The files kept from the last output, while the build has written none: until it
    /// does, it may yet publish exactly the last output. `None` once they are linked.
    waiting: Mutex<Option<Vec<String>>>,
    /// Folders made so far.
    folders: Mutex<HashSet<PathBuf>>,
    /// The mode the umask gives a new file, where files have one.
    file_mode: Option<u32>,
    committed: bool,
    /// Held until the staging folder is gone (fields are dropped after `drop` ran).
    _lock: BuildLock,
}

impl Staging {
    /// Starts a new output for `destination`, once no other build writes there: `waiting`
    /// is called first if one does, with the lock file the build waits for. Refuses, before
    /// anything is rendered, a folder that majlis did not make (unless it is forced) and
    /// one whose own folder, where the new output is made, cannot be written.
    pub(crate) fn open(
        destination: &Destination,
        waiting: impl FnOnce(&Path),
    ) -> Result<Staging, Error> {
        let dir = destination.dir();
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let unwritable = |why: String| {
            let name = name.clone();
            Error::new(
                Place::file(&parent),
                Problem::OutputParentUnwritable { name, why },
            )
        };
        fs::create_dir_all(&parent).map_err(|e| unwritable(format!("cannot create it: {e}")))?;
        let lock_file = parent.join(format!(".{name}.majlis-lock"));
        let lock = BuildLock::take(&lock_file, waiting).map_err(|e| unwritable(e.to_string()))?;
        let staging = parent.join(format!(".{name}.majlis-new"));
        let previous = parent.join(format!(".{name}.majlis-old"));
        recover_interrupted_swap(dir, &previous).map_err(|e| failed(&previous, e))?;
        if !destination.force() {
            refuse_foreign_folder(dir)?;
        }
        if fs::symlink_metadata(&staging).is_ok() {
            remove_folder(&staging).map_err(|e| failed(&staging, e))?;
        }
        fs::create_dir(&staging)
            .map_err(|e| unwritable(format!("cannot create {}: {e}", staging.display())))?;
        let (program, last) = read_manifest(dir);
        Ok(Staging {
            dir: dir.to_path_buf(),
            last,
            same_program: program == PROGRAM,
            last_written: fs::metadata(dir.join(MANIFEST))
                .and_then(|m| m.modified())
                .ok(),
            folders: Mutex::new(HashSet::from([staging.clone()])),
            file_mode: new_file_mode(&staging),
            staging,
            previous,
            written: Mutex::default(),
            paths: Mutex::default(),
            waiting: Mutex::new(Some(Vec::new())),
            committed: false,
            _lock: lock,
        })
    }

    /// Writes one published file (`fr/programme/index.html`), made from inputs of hash `key`
    /// when it is known.
    pub(crate) fn write(&self, path: &str, bytes: &[u8], key: Option<Key>) -> Result<(), Error> {
        let fail = |e: io::Error| {
            Error::new(
                Place::file(self.staging.join(path)),
                Problem::Write(e.to_string()),
            )
        };
        let entry = Entry {
            hash: xxh3_128(bytes),
            size: bytes.len() as u64,
            key,
        };
        let same = |last: &Entry| last.hash == entry.hash && last.size == entry.size;
        if !self.keep_last(path, same) {
            self.link_waiting()?;
            let target = self.staging.join(path);
            if let Some(folder) = target.parent() {
                self.make_folder(folder).map_err(fail)?;
            }
            fs::write(&target, bytes).map_err(fail)?;
        }
        self.record(path, entry);
        Ok(())
    }

    /// Keeps the file at `path` as the last build wrote it, without reading it, when the
    /// last build made it from inputs of the same hash `key`, with this same program.
    pub(crate) fn reuse(&self, path: &str, key: Key) -> bool {
        let Some(Some(last)) = self.last.get(path).filter(|_| self.same_program) else {
            return false;
        };
        if last.key != Some(key) {
            return false;
        }
        let kept = self.keep_last(path, |_| true);
        if kept {
            self.record(path, last.clone());
        }
        kept
    }

    /// Keeps every file the last build made, with this same program, from inputs of hash
    /// `key` (files made together, as the calendar feeds are), when each is untouched since;
    /// whether it did. It keeps none when any of them must be made again.
    pub(crate) fn reuse_group(&self, key: Key) -> bool {
        if !self.same_program {
            return false;
        }
        let group: Vec<(&String, &Entry)> = self
            .last
            .iter()
            .filter_map(|(path, entry)| Some((path, entry.as_ref()?)))
            .filter(|(_, entry)| entry.key == Some(key))
            .collect();
        if group.is_empty() || !group.iter().all(|(path, last)| self.untouched(path, last)) {
            return false;
        }
        let paths: Vec<&str> = group.iter().map(|(path, _)| path.as_str()).collect();
        if !self.keep(&paths) {
            return false;
        }
        for (path, last) in &group {
            self.record(path, (*last).clone());
        }
        true
    }

    /// Keeps the last build's file at `path` in the new output, if `same` says its entry in
    /// the manifest is the one wanted and the file is untouched since.
    fn keep_last(&self, path: &str, same: impl Fn(&Entry) -> bool) -> bool {
        let Some(Some(last)) = self.last.get(path) else {
            return false;
        };
        same(last) && self.untouched(path, last) && self.keep(&[path])
    }

    /// Keeps the last build's files at `paths` in the new output, all or none: links them
    /// once the build has written a file, until then later.
    fn keep(&self, paths: &[&str]) -> bool {
        let mut waiting = lock(&self.waiting);
        if let Some(waiting) = waiting.as_mut() {
            waiting.extend(paths.iter().map(|path| path.to_string()));
            return true;
        }
        drop(waiting);
        for (linked, path) in paths.iter().enumerate() {
            if self.link_last(path).is_err() {
                // The files are made again, and one written over a link would change the
                // last output's too: no link may stay.
                for path in &paths[..linked] {
                    let _ = fs::remove_file(self.staging.join(path));
                }
                return false;
            }
        }
        true
    }

    /// Links the files kept so far into the new output, which is no longer the last one.
    fn link_waiting(&self) -> Result<(), Error> {
        let Some(waiting) = lock(&self.waiting).take() else {
            return Ok(());
        };
        waiting.par_iter().try_for_each(|path| {
            self.link_last(path).map_err(|e| {
                let why = format!("{e} (the last output changed while the site was built)");
                Error::new(Place::file(self.dir.join(path)), Problem::Write(why))
            })
        })
    }

    /// Whether the last build's file at `path` is still the one its manifest entry `last`
    /// describes: no newer than the manifest, of the same size, and with the mode a new
    /// file gets (one made under another umask, or changed since, is written anew).
    fn untouched(&self, path: &str, last: &Entry) -> bool {
        let Some(manifest) = self.last_written else {
            return false;
        };
        fs::symlink_metadata(self.dir.join(path)).is_ok_and(|m| {
            m.is_file()
                && m.len() == last.size
                && m.modified().is_ok_and(|t| t <= manifest)
                && has_mode(&m, self.file_mode)
        })
    }

    /// Hard-links the last build's file at `path` into the new output.
    fn link_last(&self, path: &str) -> io::Result<()> {
        let target = self.staging.join(path);
        if let Some(folder) = target.parent() {
            self.make_folder(folder)?;
        }
        fs::hard_link(self.dir.join(path), &target)
    }

    fn record(&self, path: &str, entry: Entry) {
        lock(&self.paths).insert(path.to_string());
        lock(&self.written).push((path.to_string(), entry));
    }

    fn make_folder(&self, folder: &Path) -> io::Result<()> {
        let mut made = lock(&self.folders);
        if !made.contains(folder) {
            fs::create_dir_all(folder)?;
            made.insert(folder.to_path_buf());
        }
        Ok(())
    }

    /// Completes the new output and puts it in place of the last one; returns how many files
    /// the build published.
    pub(crate) fn commit(mut self) -> Result<usize, Error> {
        let fail = |e: io::Error| Error::new(Place::file(&self.dir), Problem::Write(e.to_string()));
        let mut written = std::mem::take(&mut *lock(&self.written));
        written.sort_by(|a, b| a.0.cmp(&b.0));
        let mut manifest = format!("{MANIFEST_HEADER}{PROGRAM}\n");
        for (path, entry) in &written {
            let key = entry.key.map_or("-".into(), |k| format!("{k:032x}"));
            let (hash, size) = (entry.hash, entry.size);
            manifest.push_str(&format!("{hash:032x} {size} {key} {path}\n"));
        }
        let wrote_none = lock(&self.waiting).is_some();
        if wrote_none && fs::read_to_string(self.dir.join(MANIFEST)).is_ok_and(|m| m == manifest) {
            // Every file kept, and no other: the last output is this build's, as it is.
            remove_folder(&self.staging).map_err(fail)?;
            self.committed = true;
            return Ok(written.len());
        }
        self.link_waiting()?;
        let mut folders = Vec::new();
        if self.dir.is_dir() {
            let ours: HashSet<&str> = written.iter().map(|(p, _)| p.as_str()).collect();
            folders = carry::carry_over_foreign_files(&self.dir, &self.staging, &ours, &self.last)?;
        }
        fs::write(self.staging.join(MANIFEST), manifest).map_err(fail)?;
        carry::keep_folder_modes(&self.staging, &folders)?;

        if self.dir.exists() {
            fs::rename(&self.dir, &self.previous).map_err(fail)?;
        }
        fs::rename(&self.staging, &self.dir).map_err(fail)?;
        self.committed = true;
        if self.previous.exists() {
            remove_folder(&self.previous).map_err(fail)?;
        }
        Ok(written.len())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // A failed build leaves nothing behind; the next one would clear it anyway.
            let _ = remove_folder(&self.staging);
        }
    }
}

/// The mode the umask gives a new file: that of the folder `made` just now (`0777` less
/// the umask), but for the right to run it.
#[cfg(unix)]
fn new_file_mode(made: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::symlink_metadata(made).ok()?.permissions().mode();
    Some(mode & 0o666)
}

#[cfg(not(unix))]
fn new_file_mode(_made: &Path) -> Option<u32> {
    None
}

/// Whether a file has the mode `mode`, when it is known.
#[cfg(unix)]
fn has_mode(meta: &fs::Metadata, mode: Option<u32>) -> bool {
    use std::os::unix::fs::PermissionsExt;
    mode.is_none_or(|mode| meta.permissions().mode() & 0o7777 == mode)
}

#[cfg(not(unix))]
fn has_mode(_meta: &fs::Metadata, _mode: Option<u32>) -> bool {
    true
}

/// `build`'s store: a page or a group of feeds the last build made from the same inputs is
/// kept from the last output, by its manifest, without being made again.
impl Store for Staging {
    fn reuses(&self) -> bool {
        true
    }

    fn keep(&self, path: &str, key: Key) -> bool {
        self.reuse(path, key)
    }

    fn keep_group(&self, key: Key) -> bool {
        self.reuse_group(key)
    }

    fn has(&self, path: &str) -> bool {
        lock(&self.paths).contains(path)
    }

    fn put(&self, path: String, bytes: Arc<Vec<u8>>, key: Option<Key>) -> Result<(), Error> {
        self.write(&path, &bytes, key)
    }
}
