//! Where the renderer puts what it makes, and how it learns what it need not make again.
//!
//! The renderer owns the trait, [`Store`], as ripgrep's searcher owns its `Sink`: it asks
//! the store whether the file at a path, made from inputs of a given hash (a [`Key`]), is
//! still good, and gives it what it made. Whoever stores decides how to keep: `serve`'s
//! store in memory (`output::Memory`), which keeps the last build's files, and `build`'s
//! staging folder (`output::Staging`), which keeps the last output's by its manifest. The
//! renderer has one way through, whichever command runs.

use std::sync::{Arc, Mutex};

use crate::diagnostics::{Error, Errors};
use crate::memo::{lock, Key};

/// Takes the published files of a build, from several threads at once, and keeps what the
/// last build made from the same inputs.
pub(crate) trait Store: Sync {
    /// Whether the store can keep anything of a last build: when not, keys are not worth
    /// computing.
    fn reuses(&self) -> bool;

    /// Publishes the file at `path` as the last build made it, if that was from inputs of
    /// hash `key`; whether it did.
    fn keep(&self, path: &str, key: Key) -> bool;

    /// Publishes every file the last build made together from inputs of hash `key` (the
    /// calendar feeds), if it can keep them all; whether it did.
    fn keep_group(&self, key: Key) -> bool;

    /// Whether a file was published at `path`, made or kept.
    fn has(&self, path: &str) -> bool;

    /// Takes one file made now; `key`, when there is one, hashes everything it was made from.
    fn put(&self, path: String, bytes: Arc<Vec<u8>>, key: Option<Key>) -> Result<(), Error>;
}

/// The files a render gave its store so far, and the errors it met.
pub(crate) struct Published<'s> {
    store: &'s dyn Store,
    /// Each error with the place of its file in the site's order (pages are rendered in any
    /// order, but reported in a stable one).
    errors: Mutex<Vec<(usize, Error)>>,
}

impl<'s> Published<'s> {
    pub(crate) fn new(store: &'s dyn Store) -> Published<'s> {
        Published {
            store,
            errors: Mutex::default(),
        }
    }

    /// Whether keys are worth computing (see [`Store::reuses`]).
    pub(crate) fn reuses(&self) -> bool {
        self.store.reuses()
    }

    /// Publishes the last build's file at `path` if it was made from inputs of hash `key`.
    pub(crate) fn keep(&self, path: &str, key: Key) -> bool {
        self.store.keep(path, key)
    }

    /// Publishes the last build's group of files made from inputs of hash `key`, if it can.
    pub(crate) fn keep_group(&self, key: Key) -> bool {
        self.store.keep_group(key)
    }

    /// A file made from inputs of no known hash; `order` is its place in the site's order.
    pub(crate) fn put(&self, order: usize, path: String, bytes: impl Into<Arc<Vec<u8>>>) {
        self.put_made(order, path, bytes.into(), None);
    }

    /// A file made from inputs of hash `key`, when it is known.
    pub(crate) fn put_made(
        &self,
        order: usize,
        path: String,
        bytes: Arc<Vec<u8>>,
        key: Option<Key>,
    ) {
        if let Err(e) = self.store.put(path, bytes, key) {
            self.fail(order, e);
        }
    }

    pub(crate) fn fail(&self, order: usize, error: Error) {
        lock(&self.errors).push((order, error));
    }

    /// Whether a file was published at `path` so far.
    pub(crate) fn has(&self, path: &str) -> bool {
        self.store.has(path)
    }

    /// Every error met, in the site's order.
    pub(crate) fn finish(self) -> Result<(), Errors> {
        let mut errors = self.errors.into_inner().unwrap_or_else(|p| p.into_inner());
        errors.sort_by_key(|(order, _)| *order);
        Errors(errors.into_iter().map(|(_, e)| e).collect()).into_result()
    }
}
