//! The site's git history, read through the `git` command: which commits changed which files
//! of the site, the blobs they wrote, and which files differ from the last commit. Nothing
//! of the crate is imported here; what the history means for the calendar is
//! [`crate::history`]'s.
//!
//! The `git` command rather than gix: every host and CI runner that has the repository has
//! git, and gix (with the features to walk a history and diff trees) is a heavy dependency
//! to compile on CI's two cores, for two processes per build. The whole history is read in
//! one `git log --raw` walk (each commit's changed paths with their new blob ids) and the
//! blobs in one `git cat-file --batch`, so a history of thousands of commits costs two
//! processes, not one `git show` per commit and file.
//!
//! [`Repository`] runs git; [`Opened`] tells `serve` when it need not run it again.

mod opened;
mod repository;

pub(crate) use opened::Opened;
pub(crate) use repository::{Repository, Unavailable};
