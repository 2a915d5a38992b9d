//! The output's manifest: the list of files the last build wrote, kept in the output folder
//! so that the next build knows which files are its own (and which, like CNAME or .git, are
//! not), each with a hash of its content and, for a page, of what it was made from.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use crate::memo::Key;

/// The list of files the last build wrote, kept in the output folder so that the next build
/// knows which files are its own (and which, like CNAME or .git, are not).
pub(crate) const MANIFEST: &str = ".majlis-manifest";

/// A published file as the manifest records it: a hash of the content the build wrote and
/// its size, so that the next build can tell an unchanged file without reading it, and for
/// a page, the key of what it was made from, so that the next build made by the same
/// program can tell an unchanged page without making it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    pub(super) hash: u128,
    pub(super) size: u64,
    pub(super) key: Option<Key>,
}

/// The start of a manifest, before the name of the program that wrote it; manifests of
/// older builds list only paths.
pub(super) const MANIFEST_HEADER: &str = "# majlis manifest 3: hash size key path; made by ";

/// This program: its version and a hash of its sources (see `build.rs`).
pub(super) const PROGRAM: &str = concat!(
    "majlis ",
    env!("CARGO_PKG_VERSION"),
    " ",
    env!("MAJLIS_SOURCES")
);

/// The files the last build wrote into `dir`, each with its entry when the manifest has one,
/// and the program that wrote them.
pub(super) fn read_manifest(dir: &Path) -> (String, HashMap<String, Option<Entry>>) {
    let Ok(text) = fs::read_to_string(dir.join(MANIFEST)) else {
        return (String::new(), HashMap::new());
    };
    let Some(rest) = text.strip_prefix(MANIFEST_HEADER) else {
        // An older manifest: what the last build wrote is known, not what it was made from.
        let paths: Vec<&str> = match text.strip_prefix("# majlis manifest 2: hash size path\n") {
            Some(lines) => lines
                .lines()
                .filter_map(|l| l.splitn(3, ' ').nth(2))
                .collect(),
            None => text.lines().collect(),
        };
        let paths = paths.into_iter().map(|p| (p.to_string(), None)).collect();
        return (String::new(), paths);
    };
    let (program, lines) = rest.split_once('\n').unwrap_or((rest, ""));
    let hex = |field: &str| u128::from_str_radix(field, 16).ok();
    let entries = lines
        .lines()
        .filter_map(|line| {
            let mut fields = line.splitn(4, ' ');
            let hash = hex(fields.next()?)?;
            let size = fields.next()?.parse().ok()?;
            let key = hex(fields.next()?);
            let entry = Entry { hash, size, key };
            Some((fields.next()?.to_string(), Some(entry)))
        })
        .collect();
    (program.to_string(), entries)
}
