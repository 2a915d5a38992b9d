//! Speakers' photos: each must be a file the site publishes from `content/static/`, since
//! the pages show it and the JSON-LD gives its address (issue 14: a path with `..` made that
//! address `…/../../etc/passwd`, and a missing file a broken image).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The files of `content/static/`, against which photos are checked.
pub(super) struct StaticFiles<'a> {
    folder: &'a Path,
    /// The folder with every link in its path followed, when it exists.
    real_folder: Option<PathBuf>,
    files: HashSet<String>,
}

impl<'a> StaticFiles<'a> {
    /// The files listed in `files` (relative to `folder`, the site's `content/static/`).
    pub(super) fn new(folder: &'a Path, files: &[PathBuf]) -> StaticFiles<'a> {
        StaticFiles {
            folder,
            real_folder: folder.canonicalize().ok(),
            files: files
                .iter()
                .map(|f| f.to_string_lossy().replace('\\', "/"))
                .collect(),
        }
    }

    /// Why `photo` (as written in a speaker's front matter) is not a published file of
    /// `content/static/`, if it is not.
    pub(super) fn problem(&self, photo: &str) -> Option<&'static str> {
        if !self.files.contains(photo) {
            return Some(
                if photo.starts_with('/') || photo.contains('\\') || photo.contains("://") {
                    "must be written relative to content/static/, with `/` between folders"
                } else if photo.split('/').any(|segment| segment == "..") {
                    "leads out of content/static/ (`..`)"
                } else {
                    "is not a file in content/static/"
                },
            );
        }
        // A link inside the folder may lead out of it.
        let real = self.folder.join(photo).canonicalize().ok();
        match (real, &self.real_folder) {
            (Some(real), Some(folder)) if real.starts_with(folder) => None,
            _ => Some("is a link that leads out of content/static/"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_photo_must_be_a_listed_file_inside_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("static");
        std::fs::create_dir_all(folder.join("speakers")).unwrap();
        std::fs::write(folder.join("speakers/a.jpg"), b"jpeg").unwrap();
        let listed = [PathBuf::from("speakers/a.jpg")];
        let statics = StaticFiles::new(&folder, &listed);
        assert_eq!(statics.problem("speakers/a.jpg"), None);
        assert!(statics.problem("speakers/b.jpg").is_some());
        assert!(statics.problem("../static/speakers/a.jpg").is_some());
        assert!(statics.problem("/etc/passwd").is_some());
        assert!(statics.problem("speakers\\a.jpg").is_some());
        assert!(statics.problem("C:/a.jpg").is_some());
        assert!(statics.problem("speakers").is_some());
    }

    #[cfg(unix)]
    #[test]
    fn a_photo_that_links_out_of_the_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("static");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(dir.path().join("secret"), b"x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret"), folder.join("a.jpg")).unwrap();
        let listed = [PathBuf::from("a.jpg")];
        let statics = StaticFiles::new(&folder, &listed);
        assert_eq!(
            statics.problem("a.jpg"),
            Some("is a link that leads out of content/static/")
        );
    }
}
