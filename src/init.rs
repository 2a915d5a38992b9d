//! `majlis init DIR`: a new site to start from, in three languages (English, French and
//! Arabic), written from files compiled into the binary. It builds and passes
//! `check --strict` as it is, and shows every part of the content model once: two days, a
//! session with a moderator, a break, speakers in each language, a page in the menu. It is
//! ready for git and publishing too: a `.gitignore` for what a build makes, and a GitHub
//! Pages workflow that installs the released binary of the majlis that wrote it.

use std::borrow::Cow;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir, DirEntry};

/// The site `init` writes (a fictional event).
static SKELETON: Dir = include_dir!("$CARGO_MANIFEST_DIR/src/init/skeleton");

/// Stands in the skeleton's files for the address of majlis' repository (`repository` in
/// Cargo.toml), where its released binaries are downloaded from.
const REPOSITORY: &str = "@MAJLIS_REPOSITORY@";

/// Stands in the skeleton's files for the version of majlis that writes the site: the release
/// its workflow installs.
const VERSION: &str = "@MAJLIS_VERSION@";

/// A file of the skeleton as it is written: the placeholders replaced.
fn filled(contents: &[u8]) -> Cow<'_, [u8]> {
    match std::str::from_utf8(contents) {
        Ok(text) if text.contains(REPOSITORY) || text.contains(VERSION) => Cow::Owned(
            text.replace(REPOSITORY, env!("CARGO_PKG_REPOSITORY"))
                .replace(VERSION, env!("CARGO_PKG_VERSION"))
                .into_bytes(),
        ),
        _ => Cow::Borrowed(contents),
    }
}

/// Why `init` wrote nothing, or stopped.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The folder has files already: `init` never mixes a new site into them.
    #[error("{0} is not empty; give a new or empty folder (nothing was written)")]
    NotEmpty(PathBuf),
    /// The path is a file.
    #[error("{0} is a file, not a folder (nothing was written)")]
    NotAFolder(PathBuf),
    /// A file or folder could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
}

/// Writes the new site into `dir`, which must be empty or not exist yet; how many files it
/// wrote. No existing file is ever overwritten, even one that appears while it writes.
pub fn init(dir: &Path) -> Result<usize, InitError> {
    let failed = |path: &Path| {
        let path = path.to_path_buf();
        move |source| InitError::Write { path, source }
    };
    if dir.exists() {
        if !dir.is_dir() {
            return Err(InitError::NotAFolder(dir.to_path_buf()));
        }
        if fs::read_dir(dir).map_err(failed(dir))?.next().is_some() {
            return Err(InitError::NotEmpty(dir.to_path_buf()));
        }
    }
    fs::create_dir_all(dir).map_err(failed(dir))?;
    let mut written = 0;
    let mut folders = vec![&SKELETON];
    while let Some(folder) = folders.pop() {
        for entry in folder.entries() {
            let path = dir.join(entry.path());
            match entry {
                DirEntry::Dir(sub) => {
                    fs::create_dir_all(&path).map_err(failed(&path))?;
                    folders.push(sub);
                }
                DirEntry::File(file) => {
                    // `create_new` fails on an existing file rather than replacing it.
                    OpenOptions::new()
                        .write(true)
                        .create_new(true)
                        .open(&path)
                        .and_then(|mut f| f.write_all(&filled(file.contents())))
                        .map_err(failed(&path))?;
                    written += 1;
                }
            }
        }
    }
    Ok(written)
}
