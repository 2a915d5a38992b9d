//! The lowest layer of reuse: keys that hash everything a piece of a build is made from,
//! values kept by key from one build to the next ([`Memo`]), and the lock helper the threads
//! of a build share. A changed input is a new key, so a value kept can never be stale: a
//! rebuild that reuses gives the bytes a fresh build gives, only sooner. There is no
//! dependency graph to keep right (Zola #401, #757). Nothing of the crate is imported here.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io;
use std::sync::{Mutex, MutexGuard};

use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

/// Locks a value of a build that threads only ever change by single steps (an insertion, a
/// push), so that even a lock a panic poisoned holds a consistent one.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A 128-bit hash of everything a piece of the build is made from: accidental collisions
/// are out of reach at any site's size.
pub(crate) type Key = u128;

/// Builds a [`Key`] from the parts of an input, each length-prefixed so that no two
/// different inputs run together into the same bytes.
pub(crate) struct Digest {
    hasher: Xxh3,
    /// Bytes not hashed yet: serializing JSON writes a few bytes at a time, and the hash is
    /// faster fed in blocks.
    pending: Vec<u8>,
}

/// How many bytes [`Digest`] gathers before hashing them: a few of serde_json's writes,
/// small enough that the buffer of every key is cheap to make.
const BLOCK: usize = 1024;

/// Parts at least this long are hashed where they are rather than copied into the buffer
/// first (a biography, a page's body).
const LONG: usize = 256;

impl Digest {
    /// Starts the key of one kind of thing (`"page"`, `"markdown"`...).
    pub(crate) fn new(kind: &str) -> Digest {
        let mut digest = Digest {
            hasher: Xxh3::new(),
            pending: Vec::with_capacity(BLOCK),
        };
        digest.part(kind.as_bytes());
        digest
    }

    /// Adds one part.
    pub(crate) fn part(&mut self, bytes: &[u8]) -> &mut Digest {
        self.add(&(bytes.len() as u64).to_le_bytes());
        self.add(bytes);
        self
    }

    /// Adds a value as its JSON, as a template sees it.
    pub(crate) fn json<T: Serialize + ?Sized>(&mut self, value: &T) -> &mut Digest {
        // Serializing into a hash cannot fail but for a map with non-string keys, which no
        // view has; the marker after it keeps the next part apart either way.
        let _ = serde_json::to_writer(&mut *self, value);
        self.add(&[0xff]);
        self
    }

    /// Adds a value of the content model, as [`Hash`] writes it (every field, strings and
    /// lists with their ends marked).
    pub(crate) fn hash<T: Hash + ?Sized>(&mut self, value: &T) -> &mut Digest {
        value.hash(&mut HashInto(self));
        self.add(&[0xff]);
        self
    }

    /// The key.
    pub(crate) fn finish(&mut self) -> Key {
        self.hasher.update(&self.pending);
        self.pending.clear();
        self.hasher.digest128()
    }

    fn add(&mut self, bytes: &[u8]) {
        if bytes.len() >= LONG || self.pending.len() + bytes.len() > BLOCK {
            self.hasher.update(&self.pending);
            self.pending.clear();
        }
        if bytes.len() >= LONG {
            self.hasher.update(bytes);
        } else {
            self.pending.extend_from_slice(bytes);
        }
    }
}

/// [`Hash`]'s way into a [`Digest`].
struct HashInto<'d>(&'d mut Digest);

impl Hasher for HashInto<'_> {
    fn write(&mut self, bytes: &[u8]) {
        self.0.add(bytes);
    }

    /// Never asked: the digest is the key.
    fn finish(&self) -> u64 {
        0
    }
}

impl io::Write for Digest {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.add(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Values by key, for the build running now and the one before it.
pub(crate) struct Memo<V> {
    enabled: bool,
    /// What this build used or made.
    used: Mutex<HashMap<Key, V>>,
    /// What the builds before made, moved to `used` when this one uses it again.
    kept: Mutex<HashMap<Key, V>>,
}

impl<V: Clone> Memo<V> {
    /// An empty memo, filled by the builds it is given to.
    pub(crate) fn new() -> Memo<V> {
        Memo {
            enabled: true,
            used: Mutex::default(),
            kept: Mutex::default(),
        }
    }

    /// A memo that keeps nothing: every value is made afresh, and no key is even computed.
    pub(crate) fn disabled() -> Memo<V> {
        Memo {
            enabled: false,
            ..Memo::new()
        }
    }

    /// Whether values are kept at all: with no cache, keys need not even be computed.
    pub(crate) fn enabled(&self) -> bool {
        self.enabled
    }

    /// The value under the key `key` computes, made by `make` when there is none (outside
    /// the lock, so that threads making different values do not wait for each other). With
    /// no cache, neither the key nor the value is kept.
    pub(crate) fn get_or(&self, key: impl FnOnce() -> Key, make: impl FnOnce() -> V) -> V {
        match self.get_or_try(key, || Ok::<V, std::convert::Infallible>(make())) {
            Ok(value) => value,
            Err(never) => match never {},
        }
    }

    /// Like [`Memo::get_or`], for a `make` that can fail; a failure is not kept.
    pub(crate) fn get_or_try<E>(
        &self,
        key: impl FnOnce() -> Key,
        make: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        if !self.enabled {
            return make();
        }
        let key = key();
        if let Some(value) = self.get(key) {
            return Ok(value);
        }
        let value = make()?;
        self.insert(key, value.clone());
        Ok(value)
    }

    /// The value under `key`, if a build made one.
    pub(crate) fn get(&self, key: Key) -> Option<V> {
        if !self.enabled {
            return None;
        }
        if let Some(value) = lock(&self.used).get(&key) {
            return Some(value.clone());
        }
        let value = lock(&self.kept).remove(&key)?;
        lock(&self.used).insert(key, value.clone());
        Some(value)
    }

    /// Keeps a value under `key`.
    pub(crate) fn insert(&self, key: Key, value: V) {
        if self.enabled {
            lock(&self.used).insert(key, value);
        }
    }

    /// Ends a build. After a good one, what it did not use is dropped (so the memo holds one
    /// site's worth); after a failed one, everything is kept for when the error is fixed.
    pub(crate) fn finish(&mut self, succeeded: bool) {
        let used = std::mem::take(self.used.get_mut().unwrap_or_else(|p| p.into_inner()));
        let kept = self.kept.get_mut().unwrap_or_else(|p| p.into_inner());
        if succeeded {
            *kept = used;
        } else {
            kept.extend(used);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_kept_apart() {
        let key = |parts: &[&str]| {
            let mut digest = Digest::new("test");
            for part in parts {
                digest.part(part.as_bytes());
            }
            digest.finish()
        };
        assert_ne!(key(&["ab", "c"]), key(&["a", "bc"]));
        assert_eq!(key(&["ab", "c"]), key(&["ab", "c"]));
    }

    #[test]
    fn a_good_build_drops_what_it_did_not_use_and_a_failed_one_keeps_all() {
        let mut memo: Memo<u32> = Memo::new();
        assert_eq!(memo.get_or(|| 1, || 10), 10);
        assert_eq!(memo.get_or(|| 2, || 20), 20);
        memo.finish(true);
        assert_eq!(memo.get_or(|| 1, || 11), 10);
        memo.finish(false);
        assert_eq!(memo.get_or(|| 2, || 21), 20);
        memo.finish(true);
        assert_eq!(memo.get_or(|| 2, || 22), 20);
        assert_eq!(memo.get_or(|| 1, || 12), 12);
    }

    #[test]
    fn no_cache_keeps_nothing() {
        let memo: Memo<u32> = Memo::disabled();
        assert_eq!(memo.get_or(|| 1, || 10), 10);
        assert_eq!(memo.get_or(|| 1, || 11), 11);
    }
}
