//! Watching the site's sources (`site-config.yaml`, `content/`, `themes/`) and turning each
//! burst of file events into one list of changed files, so that an editor's save or a
//! `git checkout` of 500 files makes one rebuild.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind, RenameMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};
use rayon::prelude::*;

use crate::config::CONFIG_FILE;
use crate::content::files::is_temporary;

/// The folders of the site watched with everything in them.
const FOLDERS: [&str; 2] = ["content", "themes"];

/// How long the files must be still before a rebuild starts, after an event in the middle of
/// a change (a file created or opened and still being written): long enough for the rest of
/// one save, short enough to feel instant.
const QUIET: Duration = Duration::from_millis(15);

/// How long once the last event ended a change (a file closed after writing, renamed into
/// place, removed): an editor's save is most likely over.
const QUIET_AFTER_END: Duration = Duration::from_millis(4);

/// The most files one save touches (an atomic save: the file and its temporary, and a
/// backup). A burst of more is a tool at work (git, a copy, a search and replace across
/// files), which may pause between files on a busy machine.
const SAVE: usize = 4;

/// How long the files must be still once a burst has more than [`SAVE`] files, so that a
/// tool's burst makes one rebuild.
const BULK_QUIET: Duration = Duration::from_millis(120);

/// A rebuild starts at the latest this long after the first event, even if files keep
/// changing, so that a program writing without pause does not hold the site back.
const LONGEST_WAIT: Duration = Duration::from_secs(2);

/// The file watcher of a site.
pub(super) struct Watcher {
    root: PathBuf,
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<Event>>,
}

impl Watcher {
    /// Starts watching the site at `root` (an absolute path).
    pub(super) fn start(root: &Path) -> notify::Result<Watcher> {
        let (sender, events) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(sender)?;
        // The root itself is watched alone: it holds site-config.yaml, and it is where
        // content/ and themes/ appear, vanish or are renamed; but the example site's root
        // also holds target/ and public/, which must not be watched.
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        let mut watcher = Watcher {
            root: root.to_path_buf(),
            watcher,
            events,
        };
        watcher.watch_folders();
        Ok(watcher)
    }

    /// Watches `content/` and `themes/` anew: at the start, and whenever one of them appears,
    /// vanishes or is renamed (a watch follows the folder it was put on, not its name).
    fn watch_folders(&mut self) {
        for folder in FOLDERS {
            let path = self.root.join(folder);
            // Not watched (yet, or any more) is fine: the point is to start afresh.
            let _ = self.watcher.unwatch(&path);
            if path.is_dir() {
                if let Err(error) = self.watcher.watch(&path, RecursiveMode::Recursive) {
                    eprintln!(
                        "warning: cannot watch {folder}/, edits in it will not show: {error}"
                    );
                }
            }
        }
    }

    /// Waits until some source file changes and the burst of changes is over; the files that
    /// changed, relative to the root. `None` once the watcher has stopped (its thread ended).
    pub(super) fn next_changes(&mut self) -> Option<Vec<PathBuf>> {
        let mut changes = BTreeSet::new();
        let mut first = None;
        let mut last = Instant::now();
        let mut ended = false;
        loop {
            let received = match first {
                None => self
                    .events
                    .recv()
                    .map_err(|_| RecvTimeoutError::Disconnected),
                Some(first) => {
                    let quiet = if changes.len() > SAVE {
                        BULK_QUIET
                    } else if ended {
                        QUIET_AFTER_END
                    } else {
                        QUIET
                    };
                    let deadline = (last + quiet).min(first + LONGEST_WAIT);
                    self.events
                        .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                }
            };
            match received {
                Ok(Ok(event)) => {
                    let mut sources = self.sources_in(&event);
                    if event.need_rescan() {
                        sources.extend(FOLDERS.iter().map(PathBuf::from));
                    }
                    if !sources.is_empty() {
                        changes.extend(sources);
                        last = Instant::now();
                        first.get_or_insert(last);
                        ended = ends_a_change(&event.kind);
                    }
                }
                Ok(Err(error)) => {
                    // Events may have been lost (a full queue, a watch limit): rebuild, and
                    // watch the folders again.
                    eprintln!("warning: the file watcher: {error}");
                    changes.extend(FOLDERS.iter().map(PathBuf::from));
                    last = Instant::now();
                    first.get_or_insert(last);
                    ended = false;
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) if changes.is_empty() => return None,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        if changes
            .iter()
            .any(|c| FOLDERS.iter().any(|f| c == Path::new(f)))
        {
            self.watch_folders();
        }
        Some(changes.into_iter().collect())
    }

    /// The site's source files an event is about, relative to the root.
    fn sources_in(&self, event: &Event) -> Vec<PathBuf> {
        if !changes_content(&event.kind) {
            return Vec::new();
        }
        event
            .paths
            .iter()
            .filter_map(|path| source(&self.root, path))
            .collect()
    }
}

/// Whether an event can mean different content. Opening and reading are not changes (the
/// build's own reads would otherwise rebuild forever), but the close of a write ends one.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

/// Whether an event is the last of a change to a file: nothing more is expected for it.
fn ends_a_change(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
            | EventKind::Modify(ModifyKind::Metadata(_))
            | EventKind::Remove(_)
    )
}

/// `path` relative to the root when it is one of the site's sources; editors' temporaries
/// are not, nor is anything else beside them (`public/`, `target/`, `.git/`).
fn source(root: &Path, path: &Path) -> Option<PathBuf> {
    let relative = path.strip_prefix(root).ok()?;
    let mut components = relative.components();
    let watched = match components.next()? {
        Component::Normal(first) if first == CONFIG_FILE => components.next().is_none(),
        Component::Normal(first) => FOLDERS.iter().any(|folder| first == *folder),
        _ => false,
    };
    (watched && !is_temporary(path)).then(|| relative.to_path_buf())
}

/// A summary of every source file's size and modification time: two equal fingerprints mean
/// no source changed in between (a rebuild reads every source, so this is cheap beside it).
/// Each entry is hashed on its own and the hashes added up, so that folders are read in the
/// order the system gives, unsorted; and entries are looked at relative to their folder
/// (`DirEntry::metadata`), not from the root again, which at a large event's thousands of
/// files halves the time, on the path of every rebuild.
pub(super) fn fingerprint(root: &Path) -> u64 {
    let mut sum = entry_hash(
        &root.join(CONFIG_FILE),
        std::fs::metadata(root.join(CONFIG_FILE)).ok(),
    );
    for folder in FOLDERS {
        let folder = root.join(folder);
        sum = sum.wrapping_add(entry_hash(&folder, std::fs::metadata(&folder).ok()));
        sum = sum.wrapping_add(folder_fingerprint(&folder));
    }
    sum
}

/// The sum of the hashes of everything in `folder`, at any depth, its entries looked at on
/// every core: an edit's rebuild waits for this look first.
fn folder_fingerprint(folder: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return 0;
    };
    let entries: Vec<std::fs::DirEntry> = entries.filter_map(Result::ok).collect();
    entries
        .par_iter()
        .map(|entry| {
            let path = entry.path();
            let metadata = entry.metadata().ok();
            // A link counts by its own status: it is not followed.
            let folder = metadata.as_ref().is_some_and(std::fs::Metadata::is_dir);
            let hash = entry_hash(&path, metadata);
            if folder {
                hash.wrapping_add(folder_fingerprint(&path))
            } else {
                hash
            }
        })
        .reduce(|| 0, u64::wrapping_add)
}

/// A hash of one entry: its path, and its size and modification time when it has them.
fn entry_hash(path: &Path, metadata: Option<std::fs::Metadata>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
    path.hash(&mut hasher);
    if let Some(metadata) = metadata {
        metadata.len().hash(&mut hasher);
        metadata.modified().ok().hash(&mut hasher);
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_changes_with_a_file_added_deep_down_or_rewritten() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("content/speakers")).unwrap();
        std::fs::write(root.join("content/speakers/a.en.md"), "a").unwrap();
        let before = fingerprint(root);
        assert_eq!(fingerprint(root), before);
        std::fs::create_dir_all(root.join("themes/own/templates")).unwrap();
        std::fs::write(root.join("themes/own/templates/page.html"), "x").unwrap();
        let added = fingerprint(root);
        assert_ne!(added, before);
        std::fs::write(root.join("content/speakers/a.en.md"), "ab").unwrap();
        assert_ne!(fingerprint(root), added);
    }

    #[test]
    fn only_the_sites_sources_count() {
        let root = Path::new("/site");
        let at = |p: &str| source(root, &root.join(p));
        assert_eq!(
            at("site-config.yaml"),
            Some(PathBuf::from("site-config.yaml"))
        );
        assert!(at("content/programme.yaml").is_some());
        assert!(
            at("content").is_some(),
            "the folder itself, renamed or removed"
        );
        assert!(at("themes/default/templates/base.html").is_some());
        for ignored in [
            "public/index.html",
            "target/debug/majlis",
            ".git/index",
            "README.md",
            "site-config.yaml/x",
            "content/speakers/.varol-dur.en.md.swp",
            "content/speakers/varol-dur.en.md~",
            "content/speakers/.#varol-dur.en.md",
            "content/speakers/4913",
            "content/speakers/#varol-dur.en.md#",
        ] {
            assert_eq!(at(ignored), None, "{ignored}");
        }
        assert_eq!(source(root, Path::new("/elsewhere/content/x.md")), None);
    }

    #[test]
    fn reads_are_not_changes_but_the_end_of_a_write_is() {
        assert!(!changes_content(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(changes_content(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changes_content(&EventKind::Modify(ModifyKind::Any)));
        assert!(changes_content(&EventKind::Remove(
            notify::event::RemoveKind::File
        )));
    }

    #[test]
    fn a_burst_of_writes_and_temporaries_comes_out_as_one_list_of_sources() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("content/pages")).unwrap();
        let mut watcher = Watcher::start(&root).unwrap();
        for i in 0..20 {
            std::fs::write(root.join(format!("content/pages/p{i}.en.md")), "x").unwrap();
        }
        std::fs::write(root.join("content/pages/.p1.en.md.swp"), "x").unwrap();
        std::fs::write(root.join("content/pages/p1.en.md~"), "x").unwrap();
        let changes = watcher.next_changes().unwrap();
        assert_eq!(changes.len(), 20, "{changes:?}");
        assert!(changes.contains(&PathBuf::from("content/pages/p7.en.md")));
    }

    #[test]
    fn a_content_folder_replaced_by_another_is_watched() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(root.join("new/pages")).unwrap();
        let mut watcher = Watcher::start(&root).unwrap();
        std::fs::rename(root.join("content"), root.join("old")).unwrap();
        std::fs::rename(root.join("new"), root.join("content")).unwrap();
        let changes = watcher.next_changes().unwrap();
        assert!(changes.contains(&PathBuf::from("content")), "{changes:?}");
        std::fs::write(root.join("content/pages/a.en.md"), "x").unwrap();
        std::fs::write(root.join("old/b.en.md"), "x").unwrap();
        let changes = watcher.next_changes().unwrap();
        assert_eq!(changes, vec![PathBuf::from("content/pages/a.en.md")]);
    }
}
