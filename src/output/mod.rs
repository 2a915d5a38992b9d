//! The built site as a value (a map from published path to bytes), and writing it to disk
//! without ever leaving a half-written site or touching files the build did not make.

mod carry;
mod destination;
mod manifest;
mod staging;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use xxhash_rust::xxh3::Xxh3DefaultBuilder;

use crate::diagnostics::Error;
use crate::memo::{lock, Key};
use crate::render::Store;
pub use destination::Destination;
pub(crate) use staging::Staging;

/// Values by published path. Paths are shared between the outputs of two builds and the keys
/// of what they were made from, so that keeping a file copies no path; and they are hashed by
/// xxh3 rather than SipHash, since a site's own paths are no attacker's choice, and `serve`
/// looks up every one of a large site's files on every rebuild.
type ByPath<V> = HashMap<Arc<str>, V, Xxh3DefaultBuilder>;

/// The built site: published path (`fr/programme/index.html`) to content. The contents are
/// shared: a page that did not change since the last build in `serve` is the same bytes in
/// both outputs, not a copy.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Output {
    files: ByPath<Arc<Vec<u8>>>,
}

impl Output {
    /// Adds or replaces a file.
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files
            .insert(path.into().into(), Arc::new(bytes.into()));
    }

    /// The content of a file.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(|b| b.as_slice())
    }

    /// Whether the output has this file.
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// Whether `other` has this file with the same content; cheap for content shared between
    /// two builds.
    pub fn same_file(&self, path: &str, other: &Output) -> bool {
        match (self.files.get(path), other.files.get(path)) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b) || a == b,
            _ => false,
        }
    }

    /// Every file, by path, in the order of paths.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        let mut files: Vec<(&str, &[u8])> = self.unordered().collect();
        files.sort_unstable_by_key(|(path, _)| *path);
        files.into_iter()
    }

    /// Every file, by path, in no particular order: for what counts or compares them.
    pub(crate) fn unordered(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, b)| (p.as_ref(), b.as_slice()))
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

/// What a build in memory made, with the key of what each file was made from where it is
/// known: `serve` keeps the last one, for the next build to keep what it would make the same.
#[derive(Default, Clone)]
pub(crate) struct Made {
    /// The files.
    pub(crate) output: Output,
    keys: ByPath<Key>,
}

/// The site built in memory, for `serve` and `check`: a file the last build (`last`, when
/// there is one) made from the same inputs is kept as it is, the same bytes shared rather
/// than made again.
pub(crate) struct Memory<'l> {
    last: Option<&'l Made>,
    made: Mutex<Made>,
}

impl<'l> Memory<'l> {
    /// A store that keeps what `last` has, when it is given.
    pub(crate) fn new(last: Option<&'l Made>) -> Memory<'l> {
        Memory {
            last,
            made: Mutex::default(),
        }
    }

    /// What the build made.
    pub(crate) fn finish(self) -> Made {
        self.made.into_inner().unwrap_or_else(|p| p.into_inner())
    }

    /// Publishes the last build's files at `paths`, made from inputs of hash `key`.
    fn keep_from<'p>(&self, last: &Made, paths: impl IntoIterator<Item = &'p Arc<str>>, key: Key) {
        let mut made = lock(&self.made);
        for path in paths {
            if let Some(bytes) = last.output.files.get(path) {
                made.output
                    .files
                    .insert(Arc::clone(path), Arc::clone(bytes));
                made.keys.insert(Arc::clone(path), key);
            }
        }
    }
}

impl Store for Memory<'_> {
    fn reuses(&self) -> bool {
        self.last.is_some()
    }

    fn keep(&self, path: &str, key: Key) -> bool {
        let Some(last) = self.last else {
            return false;
        };
        let Some((path, _)) = last.keys.get_key_value(path).filter(|(_, k)| **k == key) else {
            return false;
        };
        self.keep_from(last, [path], key);
        true
    }

    fn keep_group(&self, key: Key) -> bool {
        let Some(last) = self.last else {
            return false;
        };
        let paths: Vec<&Arc<str>> = last
            .keys
            .iter()
            .filter(|(_, k)| **k == key)
            .map(|(path, _)| path)
            .collect();
        if paths.is_empty() {
            return false;
        }
        self.keep_from(last, paths, key);
        true
    }

    fn has(&self, path: &str) -> bool {
        lock(&self.made).output.contains(path)
    }

    fn put(&self, path: String, bytes: Arc<Vec<u8>>, key: Option<Key>) -> Result<(), Error> {
        let path: Arc<str> = path.into();
        let mut made = lock(&self.made);
        if let Some(key) = key {
            made.keys.insert(Arc::clone(&path), key);
        }
        made.output.files.insert(path, bytes);
        Ok(())
    }
}
