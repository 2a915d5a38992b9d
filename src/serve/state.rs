//! What the live server serves right now: the last good output and the errors of the last
//! build, swapped whole by the rebuild loop, read by every request, and waited on by the
//! open pages' event streams.

use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use tokio::sync::watch;

use crate::diagnostics::{Description, Errors};
use crate::output::Output;

/// What the server serves right now.
#[derive(Debug, Clone)]
pub(super) struct Current {
    /// The last good build (empty while there has been none).
    pub(super) output: Arc<Output>,
    /// The errors of the last build when it failed, as the overlay shows them; the output is
    /// then the good one before it.
    pub(super) errors: Arc<[Reported]>,
    /// Names this state, so that an open page knows whether it shows the current one: the
    /// server's start time (a restarted server is another one) and a count of changes.
    pub(super) version: String,
}

/// An error as the overlay shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(super) struct Reported {
    /// The file, relative to the site's root, with `/`.
    pub(super) file: String,
    /// Its line, when known.
    pub(super) line: Option<usize>,
    /// Its column, when known.
    pub(super) column: Option<usize>,
    /// What is wrong.
    pub(super) message: String,
    /// The line of the file with a caret under the column, as the terminal shows it.
    pub(super) source: Option<String>,
    /// How to fix it.
    pub(super) help: Option<String>,
}

impl Reported {
    /// Every error of a build.
    pub(super) fn all(errors: &Errors, root: &Path) -> Vec<Reported> {
        errors
            .0
            .iter()
            .map(|error| {
                let description = Description::of(error, root);
                Reported {
                    file: error.place.file.display().to_string().replace('\\', "/"),
                    line: error.place.line(),
                    column: error.place.position.map(|(_, column)| column),
                    message: description.message,
                    source: description.source,
                    help: description.help,
                }
            })
            .collect()
    }
}

/// The state shared by the rebuild loop and the server: the current output and errors, in a
/// channel whose receivers (the event streams) are woken when it changes.
pub(super) struct State {
    current: watch::Sender<Current>,
    /// When this server started, in hexadecimal nanoseconds: the first part of versions.
    instance: String,
}

impl State {
    pub(super) fn new() -> State {
        let instance = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| format!("{:x}", d.as_nanos()))
            .unwrap_or_default();
        let (current, _) = watch::channel(Current {
            output: Arc::default(),
            errors: Arc::new([]),
            version: format!("{instance}.0"),
        });
        State { current, instance }
    }

    /// The current output and errors.
    pub(super) fn current(&self) -> Current {
        self.current.borrow().clone()
    }

    /// Puts a new output or new errors in place, then wakes the event streams: a page is told
    /// to reload only once what it will load is there (mdBook #862).
    pub(super) fn publish(&self, output: Option<Output>, errors: Vec<Reported>, count: u64) {
        self.current.send_modify(|current| {
            if let Some(output) = output {
                current.output = Arc::new(output);
            }
            current.errors = errors.into();
            current.version = format!("{}.{count}", self.instance);
        });
    }

    /// A receiver that sees each state from now on.
    pub(super) fn watch(&self) -> watch::Receiver<Current> {
        self.current.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_change_gets_a_new_version_and_wakes_watchers() {
        let state = State::new();
        let seen = state.current().version;
        let mut watcher = state.watch();
        assert!(!watcher.has_changed().unwrap());
        let mut output = Output::default();
        output.insert("index.html", "<p>hello</p>");
        state.publish(Some(output), Vec::new(), 1);
        assert!(watcher.has_changed().unwrap());
        let woken = watcher.borrow_and_update().clone();
        assert_ne!(woken.version, seen);
        assert!(woken.output.contains("index.html"));
        state.publish(None, Vec::new(), 2);
        let next = watcher.borrow_and_update().clone();
        assert_ne!(next.version, woken.version);
        assert!(next.output.contains("index.html"), "the output is kept");
    }
}
