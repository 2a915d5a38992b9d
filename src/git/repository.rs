//! Running git: the repository a site is in, its history and blobs, the files changed
//! since the last commit.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Why there is no history to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unavailable {
    /// The `git` command could not be run.
    NoGit,
    /// The site is not in a git work tree.
    NotARepository,
    /// The repository has no commit yet.
    NoCommit,
}

/// The git work tree a site is in, seen from the site's folder (which may be a folder of
/// the repository, not its top).
#[derive(Debug, Clone)]
pub(crate) struct Repository {
    site: PathBuf,
    /// The repository's own folder (`.git`, or a worktree's folder inside it).
    pub(super) git_dir: PathBuf,
    /// The folder of what its worktrees share (their branches): `git_dir` but for a worktree.
    pub(super) common_dir: PathBuf,
    /// The commit checked out.
    pub(crate) head: String,
    /// Whether the clone holds only part of the history (`git clone --depth`).
    pub(crate) shallow: bool,
}

/// One commit of the history, as it changed the files asked about.
#[derive(Debug)]
pub(crate) struct Commit {
    /// When it was committed, in seconds since the epoch: when the change reached the
    /// repository, which is what a deploy publishes (an author date can be far older).
    pub(crate) time: i64,
    /// The files it changed, relative to the site's folder.
    pub(crate) changes: Vec<Change>,
}

/// A file a commit changed.
#[derive(Debug)]
pub(crate) struct Change {
    /// The file, relative to the site's folder, with `/` between folders.
    pub(crate) path: String,
    /// The id of its new content; `None` when the commit removed it (or made it something
    /// else than a file: a link, a submodule).
    pub(crate) blob: Option<String>,
}

impl Repository {
    /// The repository the site at `site` is in.
    pub(crate) fn open(site: &Path) -> Result<Repository, Unavailable> {
        let out = git(
            site,
            &[
                "rev-parse",
                "--is-shallow-repository",
                "--absolute-git-dir",
                "--git-common-dir",
            ],
        )
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Unavailable::NoGit,
            _ => Unavailable::NotARepository,
        })?;
        let out = String::from_utf8_lossy(&out);
        let mut lines = out.lines();
        let (Some(shallow), Some(git_dir), Some(common_dir)) =
            (lines.next(), lines.next(), lines.next())
        else {
            return Err(Unavailable::NotARepository);
        };
        let head = git(site, &["rev-parse", "-q", "--verify", "HEAD^{commit}"])
            .map_err(|_| Unavailable::NoCommit)?;
        Ok(Repository {
            site: site.to_path_buf(),
            git_dir: real(Path::new(git_dir)),
            // Relative to the folder git ran in, or absolute (a worktree's).
            common_dir: real(&site.join(common_dir)),
            head: String::from_utf8_lossy(&head).trim().to_string(),
            shallow: shallow == "true",
        })
    }

    /// The commits of the history that changed any of `paths` (files or folders of the
    /// site), oldest first. Only the first-parent line is walked, each merge taken as the
    /// change it made to the line (`-m --first-parent`): replaying each commit's changes over
    /// the last one's files then gives exactly the files of each commit, and a branch's work
    /// counts as one change, when it reached the line a site is published from.
    pub(crate) fn log(&self, paths: &[&str]) -> std::io::Result<Vec<Commit>> {
        let mut args = vec![
            "log",
            "--first-parent",
            "-m",
            "--reverse",
            "--raw",
            "--no-abbrev",
            "--no-renames",
            "--relative",
            "-z",
            "--format=%x01%ct",
            "HEAD",
            "--",
        ];
        args.extend(paths);
        let out = git(&self.site, &args)?;
        Ok(parse_log(&String::from_utf8_lossy(&out)))
    }

    /// The content of each blob of `ids`, by id; read by one `git cat-file --batch`.
    pub(crate) fn blobs(&self, ids: &[&str]) -> std::io::Result<HashMap<String, Vec<u8>>> {
        let mut input = String::with_capacity(ids.len() * 41);
        for id in ids {
            input.push_str(id);
            input.push('\n');
        }
        let mut child = Command::new("git")
            .arg("-C")
            .arg(&self.site)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let mut stdin = child.stdin.take().ok_or_else(closed)?;
        // Written from another thread: git answers while it reads, and a pipe holds little.
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let mut stdout = BufReader::new(child.stdout.take().ok_or_else(closed)?);
        let mut blobs = HashMap::with_capacity(ids.len());
        for _ in ids {
            let mut header = String::new();
            stdout.read_line(&mut header)?;
            // `<id> blob <size>`, or `<id> missing`.
            let fields: Vec<&str> = header.split_whitespace().collect();
            let [id, "blob", size] = fields[..] else {
                continue;
            };
            let size: usize = size.parse().map_err(|_| closed())?;
            let mut content = vec![0; size + 1]; // and its line feed
            stdout.read_exact(&mut content)?;
            content.pop();
            blobs.insert(id.to_string(), content);
        }
        writer.join().map_err(|_| closed())??;
        child.wait()?;
        Ok(blobs)
    }

    /// The files of `paths` that differ from the last commit, untracked ones included,
    /// relative to the site's folder.
    pub(crate) fn changed(&self, paths: &[&str]) -> std::io::Result<Vec<PathBuf>> {
        // No optional locks: `serve` runs this while the editor may be running git too.
        let mut args = vec![
            "--no-optional-locks",
            "-c",
            "core.fsmonitor=false",
            "status",
            "--porcelain=v1",
            "-z",
            "--no-renames",
            "--untracked-files=all",
            "--",
        ];
        args.extend(paths);
        let out = git(&self.site, &args)?;
        let prefix = git(&self.site, &["rev-parse", "--show-prefix"])?;
        let prefix = String::from_utf8_lossy(&prefix).trim().to_string();
        // `XY path`, the path relative to the top of the work tree.
        Ok(String::from_utf8_lossy(&out)
            .split('\0')
            .filter_map(|entry| entry.get(3..))
            .filter_map(|path| path.strip_prefix(prefix.as_str()))
            .map(PathBuf::from)
            .collect())
    }
}

/// A folder as the system finds it, links followed (as git finds it).
pub(super) fn real(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Runs `git -C dir args…` and gives its standard output; a failure is an error.
fn git(dir: &Path, args: &[&str]) -> std::io::Result<Vec<u8>> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()?;
    if !out.status.success() {
        return Err(std::io::Error::other(format!("git {} failed", args[0])));
    }
    Ok(out.stdout)
}

fn closed() -> std::io::Error {
    std::io::Error::other("git cat-file ended early")
}

/// The commits of `git log -z --raw --format=%x01%ct`: a header `\x01TIME`, then for each
/// changed file `:MODE MODE OLD NEW STATUS` and the path, each ended by NUL.
fn parse_log(out: &str) -> Vec<Commit> {
    let mut commits = Vec::new();
    let mut fields = out.split('\0').map(|f| f.trim_start_matches('\n'));
    while let Some(field) = fields.next() {
        if let Some(time) = field.strip_prefix('\u{1}') {
            commits.push(Commit {
                time: time.trim().parse().unwrap_or_default(),
                changes: Vec::new(),
            });
        } else if let Some(raw) = field.strip_prefix(':') {
            let (Some(path), Some(commit)) = (fields.next(), commits.last_mut()) else {
                break;
            };
            let parts: Vec<&str> = raw.split(' ').collect();
            // Only regular files (100644, 100755) are content; a blob id of zeros is none.
            let blob = match parts[..] {
                [_, mode, _, new, _]
                    if mode.starts_with("100") && new.bytes().any(|b| b != b'0') =>
                {
                    Some(new.to_string())
                }
                _ => None,
            };
            commit.changes.push(Change {
                path: path.to_string(),
                blob,
            });
        }
    }
    commits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_raw_log_gives_each_commit_its_changed_files() {
        let new = "a".repeat(40);
        let zeros = "0".repeat(40);
        let out = format!(
            "\u{1}100\0\n:000000 100644 {zeros} {new} A\0content/a b.yaml\0\
             \u{1}200\0\n:100644 000000 {new} {zeros} D\0content/a b.yaml\0\
             :000000 120000 {zeros} {new} A\0link\0"
        );
        let commits = parse_log(&out);
        assert_eq!(commits.len(), 2);
        assert_eq!(commits[0].time, 100);
        assert_eq!(commits[0].changes[0].path, "content/a b.yaml");
        assert_eq!(commits[0].changes[0].blob.as_deref(), Some(new.as_str()));
        assert_eq!(commits[1].changes[0].blob, None);
        assert_eq!(commits[1].changes[1].blob, None, "a link is no content");
    }
}
