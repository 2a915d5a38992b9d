//! The built site as a value (a map from published path to bytes), and writing it to disk
//! without ever leaving a half-written site or touching files the build did not make.

mod carry;
mod destination;
mod manifest;
mod staging;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use crate::diagnostics::Error;
use crate::memo::{lock, Key};
use crate::render::Store;
pub use destination::Destination;
pub(crate) use staging::Staging;

/// The built site: published path (`fr/programme/index.html`) to content. The contents are
/// shared: a page that did not change since the last build in `serve` is the same bytes in
/// both outputs, not a copy.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Output {
    files: BTreeMap<String, Arc<Vec<u8>>>,
}

impl Output {
    /// Adds or replaces a file.
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), Arc::new(bytes.into()));
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

/// What a build in memory made, with the key of what each file was made from where it is
/// known: `serve` keeps the last one, for the next build to keep what it would make the same.
#[derive(Default, Clone)]
pub(crate) struct Made {
    /// The files.
    pub(crate) output: Output,
    keys: HashMap<String, Key>,
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

    fn keep_from(&self, last: &Made, path: &str) {
        if let (Some(bytes), Some(&key)) = (last.output.files.get(path), last.keys.get(path)) {
            let mut made = lock(&self.made);
            made.output
                .files
                .insert(path.to_string(), Arc::clone(bytes));
            made.keys.insert(path.to_string(), key);
        }
    }
}

impl Store for Memory<'_> {
    fn reuses(&self) -> bool {
        self.last.is_some()
    }

    fn keep(&self, path: &str, key: Key) -> bool {
        let Some(last) = self.last.filter(|last| last.keys.get(path) == Some(&key)) else {
            return false;
        };
        self.keep_from(last, path);
        true
    }

    fn keep_group(&self, key: Key) -> Option<Vec<String>> {
        let last = self.last?;
        let paths: Vec<String> = last
            .keys
            .iter()
            .filter(|(_, k)| **k == key)
            .map(|(path, _)| path.clone())
            .collect();
        if paths.is_empty() {
            return None;
        }
        for path in &paths {
            self.keep_from(last, path);
        }
        Some(paths)
    }

    fn put(&self, path: String, bytes: Arc<Vec<u8>>, key: Option<Key>) -> Result<(), Error> {
        let mut made = lock(&self.made);
        if let Some(key) = key {
            made.keys.insert(path.clone(), key);
        }
        made.output.files.insert(path, bytes);
        Ok(())
    }
}
