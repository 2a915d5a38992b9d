//! The rebuild loop of `serve`: builds the whole site, as `build` would, and publishes the
//! outcome (the new output, or the errors of a bad edit) for the server to serve.

use std::collections::BTreeSet;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use super::state::{Reported, State};
use crate::diagnostics::{counted, describe, Warning};
use crate::output::Output;
use crate::pipeline::{self, Cache, Options};

/// The rebuild loop's side: builds the site and publishes the outcome.
pub(super) struct Builder {
    pub(super) root: PathBuf,
    options: Options,
    state: Arc<State>,
    /// How many outcomes were published: the second part of versions.
    published: u64,
    /// Warnings of the last good build, so that a rebuild prints only new ones.
    warnings: BTreeSet<Warning>,
    /// What the last builds parsed and rendered, reused where the inputs are the same.
    cache: Cache,
}

impl Builder {
    pub(super) fn new(root: PathBuf, options: Options, state: Arc<State>) -> Builder {
        Builder {
            root,
            options,
            state,
            published: 0,
            warnings: BTreeSet::new(),
            cache: Cache::new(),
        }
    }

    /// Builds the whole site, as `build` would, and serves the result: every rebuild is a
    /// full one, so what is served is always what a fresh build gives (Zola #401, #757).
    pub(super) fn rebuild(&mut self, changes: &[PathBuf]) {
        let started = Instant::now();
        // A bug of majlis that panics on some content must not end the editor's session: the
        // panic is printed, and the last good build stays served until the next change.
        let Ok(built) = std::panic::catch_unwind(AssertUnwindSafe(|| {
            pipeline::build_with(&self.root, &self.options, &mut self.cache)
        })) else {
            eprintln!(
                "the build stopped on an internal error (above); still serving the last good build"
            );
            return;
        };
        let took = started.elapsed().as_millis();
        let current = self.state.current();
        match built {
            Ok(build) => {
                for warning in &build.warnings {
                    if !self.warnings.contains(warning) {
                        eprintln!("{warning}");
                    }
                }
                self.warnings = build.warnings.into_iter().collect();
                let changed = changed_files(&current.output, &build.output);
                let pages = build
                    .output
                    .unordered()
                    .filter(|(path, _)| path.ends_with(".html"))
                    .count();
                // An unchanged site is not announced: open pages would reload for nothing.
                if changed > 0 || !current.errors.is_empty() {
                    self.published += 1;
                    self.state
                        .publish(Some(build.output), Vec::new(), self.published);
                }
                let verb = if changes.is_empty() {
                    "built"
                } else {
                    "rebuilt"
                };
                println!(
                    "{verb} {pages} pages in {took} ms ({}; {})",
                    what_changed(&self.root, changes),
                    match changed {
                        1 => "1 published file changed".to_string(),
                        n => format!("{n} published files changed"),
                    }
                );
            }
            Err(errors) => {
                for error in &errors.0 {
                    eprint!("{}", describe(error, &self.root));
                }
                eprintln!(
                    "{} ({}); {}",
                    counted(errors.0.len(), "error"),
                    what_changed(&self.root, changes),
                    if current.output.is_empty() {
                        "nothing to serve until they are fixed"
                    } else {
                        "still serving the last good build"
                    }
                );
                let reported = Reported::all(&errors, &self.root);
                if *current.errors != *reported {
                    self.published += 1;
                    self.state.publish(None, reported, self.published);
                }
            }
        }
    }
}

/// How many published files differ between two outputs (added, removed or changed).
fn changed_files(before: &Output, after: &Output) -> usize {
    let changed_or_added = after
        .unordered()
        .filter(|(path, _)| !after.same_file(path, before))
        .count();
    let removed = before
        .unordered()
        .filter(|(p, _)| !after.contains(p))
        .count();
    changed_or_added + removed
}

/// The source files that changed, for the terminal: those that are still there first, as a
/// tool's temporary file (`sed -i` writes `sedXXXXXX`) is no news.
fn what_changed(root: &Path, changes: &[PathBuf]) -> String {
    let mut changes: Vec<&PathBuf> = changes.iter().collect();
    changes.sort_by_key(|path| !root.join(path).exists());
    let name = |path: &PathBuf| path.display().to_string().replace('\\', "/");
    match changes[..] {
        [] => "first build".to_string(),
        [one] => name(one),
        [first, ref rest @ ..] => format!("{} and {} more", name(first), rest.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_files_counts_additions_removals_and_edits() {
        let mut before = Output::default();
        before.insert("a", "1");
        before.insert("b", "2");
        before.insert("c", "3");
        let mut after = Output::default();
        after.insert("a", "1");
        after.insert("b", "changed");
        after.insert("d", "new");
        assert_eq!(changed_files(&before, &after), 3);
    }
}
