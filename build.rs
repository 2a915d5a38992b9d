//! Names the program's sources (`MAJLIS_SOURCES`, a hash of its code, its default theme and
//! the versions of its dependencies). The output's manifest records it: a build hard-links a
//! page of the last one without making it again only if the same sources made it, since
//! what a page is made from says nothing of the code that made it.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;

fn main() {
    let mut hasher = DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    for part in ["Cargo.lock", "src", "themes"] {
        println!("cargo:rerun-if-changed={part}");
        add(Path::new(part), &mut hasher);
    }
    println!("cargo:rustc-env=MAJLIS_SOURCES={:016x}", hasher.finish());
}

/// Adds a file, or every file of a folder in a stable order, with its path.
fn add(path: &Path, hasher: &mut DefaultHasher) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .map(|dir| dir.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        entries.sort();
        for entry in entries {
            add(&entry, hasher);
        }
    } else if let Ok(bytes) = std::fs::read(path) {
        path.hash(hasher);
        bytes.hash(hasher);
    }
}
