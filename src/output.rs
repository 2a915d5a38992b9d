//! The built site as a value (a map from published path to bytes), and writing it to disk
//! without ever leaving a half-written site or touching files the build did not make.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{Error, Place, Problem};

/// The list of files the last build wrote, kept in the output folder so that the next build
/// knows which files are its own (and which, like CNAME or .git, are not).
pub const MANIFEST: &str = ".majlis-manifest";

/// The built site: published path (`fr/programme/index.html`) to content.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Output {
    files: BTreeMap<String, Vec<u8>>,
}

impl Output {
    /// Adds or replaces a file.
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), bytes.into());
    }

    /// The content of a file.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// Whether the output has this file.
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// Every file, by path.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, b)| (p.as_str(), b.as_slice()))
    }

    /// How many files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there is no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Refuses an output folder that would overwrite the site's own files: the site itself, a
/// folder inside `content/` or `themes/`, or a folder that contains the site.
pub fn check_destination(root: &Path, out: &Path) -> Result<(), Error> {
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

/// Writes the output into `dir`: first a complete new folder beside it, then a swap. Files
/// the last build did not write are carried over, and unchanged files keep their
/// modification time (so deploys upload only what changed).
pub fn write(output: &Output, dir: &Path) -> Result<(), Error> {
    let fail = |e: io::Error| Error::new(Place::file(dir), Problem::Write(e.to_string()));
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(fail)?;
    let staging = parent.join(format!(".{name}.majlis-new"));
    let previous = parent.join(format!(".{name}.majlis-old"));
    recover_interrupted_swap(dir, &previous).map_err(fail)?;
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(fail)?;
    }
    fs::create_dir_all(&staging).map_err(fail)?;

    let ours = read_manifest(dir);
    for (path, bytes) in output.iter() {
        let target = staging.join(path);
        if let Some(folder) = target.parent() {
            fs::create_dir_all(folder).map_err(fail)?;
        }
        let old = dir.join(path);
        let unchanged = fs::read(&old).is_ok_and(|b| b == bytes);
        if !(unchanged && fs::hard_link(&old, &target).is_ok()) {
            fs::write(&target, bytes).map_err(fail)?;
        }
    }
    if dir.is_dir() {
        carry_over_foreign_files(dir, &staging, output, &ours).map_err(fail)?;
    }
    let manifest: String = output.iter().map(|(p, _)| format!("{p}\n")).collect();
    fs::write(staging.join(MANIFEST), manifest).map_err(fail)?;

    if dir.exists() {
        fs::rename(dir, &previous).map_err(fail)?;
    }
    fs::rename(&staging, dir).map_err(fail)?;
    if previous.exists() {
        fs::remove_dir_all(&previous).map_err(fail)?;
    }
    Ok(())
}

/// A build killed between the two renames of the swap leaves the last output beside the
/// folder: put it back.
fn recover_interrupted_swap(dir: &Path, previous: &Path) -> io::Result<()> {
    if previous.exists() {
        if dir.exists() {
            fs::remove_dir_all(previous)?;
        } else {
            fs::rename(previous, dir)?;
        }
    }
    Ok(())
}

fn read_manifest(dir: &Path) -> BTreeSet<String> {
    fs::read_to_string(dir.join(MANIFEST))
        .map(|text| text.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

/// Hard-links (or copies) into `staging` every file of `dir` that no build wrote.
fn carry_over_foreign_files(
    dir: &Path,
    staging: &Path,
    output: &Output,
    ours: &BTreeSet<String>,
) -> io::Result<()> {
    for entry in walkdir::WalkDir::new(dir).min_depth(1).follow_links(false) {
        let entry = entry.map_err(io::Error::other)?;
        let Ok(relative) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let key = relative.to_string_lossy().replace('\\', "/");
        let target = staging.join(relative);
        if entry.file_type().is_dir() {
            if !target.exists() && !ours.iter().any(|p| p.starts_with(&format!("{key}/"))) {
                fs::create_dir_all(&target)?;
            }
            continue;
        }
        if key == MANIFEST || ours.contains(&key) || output.contains(&key) {
            continue;
        }
        if let Some(folder) = target.parent() {
            fs::create_dir_all(folder)?;
        }
        if entry.file_type().is_symlink() {
            copy_symlink(entry.path(), &target)?;
        } else if fs::hard_link(entry.path(), &target).is_err() {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn copy_symlink(link: &Path, target: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(fs::read_link(link)?, target)
}

#[cfg(not(unix))]
fn copy_symlink(link: &Path, target: &Path) -> io::Result<()> {
    fs::copy(link, target).map(|_| ())
}
