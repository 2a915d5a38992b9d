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

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

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
    git_dir: PathBuf,
    /// The folder of what its worktrees share (their branches): `git_dir` but for a worktree.
    common_dir: PathBuf,
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

/// What [`Repository::open`] found for a site, with the status of the files git reads to
/// find it when it did: whether there is a `.git` in the site's folder and each folder above
/// it (where git looks for the repository), the repository's `HEAD`, the branch it names,
/// the packed branches, the `shallow` file and the reftables' lists. While none of them
/// changes, neither does what it found, so `serve` learns that no commit came from a few
/// `stat`s rather than from two `git` processes at each rebuild (a third of a rebuild of
/// the example).
#[derive(Debug)]
pub(crate) struct Opened {
    site: PathBuf,
    /// The site's folder with its links followed: a link pointed elsewhere is another site.
    real: PathBuf,
    files: Vec<PathBuf>,
    /// The files' status before git was asked, so that a commit made meanwhile is seen at
    /// the next look; empty (matching nothing) when the files git read were not yet known,
    /// or one of them had changed too lately to be trusted.
    seen: Vec<Option<Status>>,
    found: Result<Repository, Unavailable>,
}

/// A file's modification time, size and inode: git replaces its files by renaming a new
/// one over them, which gives a new inode even within the clock's resolution.
type Status = (SystemTime, u64, u64);

/// How lately a file may have changed for its status to be trusted. A filesystem whose
/// times have a resolution of a second (or two: FAT) can give two writes in the same tick
/// the same time, and a freed inode can come back: git itself distrusts such "racy"
/// timestamps in its index.
const RACY: Duration = Duration::from_secs(3);

impl Opened {
    /// The repository the site at `site` is in: as `last` found it when none of the files
    /// that tell has changed since, else opened again.
    pub(crate) fn again(site: &Path, last: Option<Opened>) -> Opened {
        let real = real(site);
        let (files, seen) = match last {
            Some(last) if last.site == site && last.real == real && !last.files.is_empty() => {
                let now = statuses(&last.files);
                if now == last.seen {
                    return last;
                }
                (last.files, now)
            }
            _ => (Vec::new(), Vec::new()),
        };
        let looked = SystemTime::now();
        let found = Repository::open(site);
        let read = files_read(&real, &found);
        let trusted = read == files && !changed_lately(&seen, looked);
        Opened {
            site: site.to_path_buf(),
            real,
            files: read,
            seen: if trusted { seen } else { Vec::new() },
            found,
        }
    }

    /// What was found.
    pub(crate) fn found(&self) -> &Result<Repository, Unavailable> {
        &self.found
    }
}

/// The site's folder as the system finds it, links followed (as git finds it).
fn real(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Whether any of the `seen` files changed within [`RACY`] of `looked`.
fn changed_lately(seen: &[Option<Status>], looked: SystemTime) -> bool {
    seen.iter().flatten().any(|(modified, _, _)| {
        looked
            .duration_since(*modified)
            .map_or(true, |age| age < RACY)
    })
}

/// The files whose change can change what [`Repository::open`] finds for the site at
/// `real`; none where git is missing, nothing is committed yet, or git finds no repository
/// although a `.git` is there (one broken, or being made, or not the user's), so that it is
/// asked every time.
fn files_read(real: &Path, found: &Result<Repository, Unavailable>) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = real.ancestors().map(|d| d.join(".git")).collect();
    let repository = match found {
        Ok(repository) => repository,
        Err(Unavailable::NotARepository) if files.iter().all(|f| !f.exists()) => return files,
        Err(_) => return Vec::new(),
    };
    let (git_dir, common_dir) = (&repository.git_dir, &repository.common_dir);
    files.extend([
        git_dir.join("HEAD"),
        git_dir.join("shallow"),
        common_dir.join("shallow"),
        common_dir.join("packed-refs"),
        // A worktree's own HEAD is in its folder's reftable, the branches in the shared one.
        git_dir.join("reftable").join("tables.list"),
        common_dir.join("reftable").join("tables.list"),
    ]);
    // HEAD names a branch, which may itself name another (an alias): a few steps, as git
    // follows them, each branch's file in the shared folder or a worktree's own.
    let mut named = git_dir.join("HEAD");
    for _ in 0..5 {
        let text = std::fs::read_to_string(&named).unwrap_or_default();
        let Some(branch) = text.strip_prefix("ref:").map(str::trim) else {
            break;
        };
        files.extend([git_dir.join(branch), common_dir.join(branch)]);
        named = if git_dir.join(branch).is_file() {
            git_dir.join(branch)
        } else {
            common_dir.join(branch)
        };
    }
    let mut unique = Vec::with_capacity(files.len());
    for file in files {
        if !unique.contains(&file) {
            unique.push(file);
        }
    }
    unique
}

/// The status of each of `files` (a link's, that of what it points to: git's `HEAD` may be
/// a link to the branch), `None` for one that is missing. Of a folder (a `.git` folder),
/// only that it is there: its time changes with every lock git takes in it.
fn statuses(files: &[PathBuf]) -> Vec<Option<Status>> {
    files
        .iter()
        .map(|file| {
            let meta = std::fs::metadata(file).ok()?;
            if meta.is_dir() {
                return Some((SystemTime::UNIX_EPOCH, 0, inode(&meta)));
            }
            Some((meta.modified().ok()?, meta.len(), inode(&meta)))
        })
        .collect()
}

#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> u64 {
    0
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

    /// Runs git in `dir` with a fixed identity: nothing of the machine's configuration.
    fn run(dir: &Path, args: &[&str]) -> String {
        let out = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "user.name=E", "-c", "user.email=e@example.org"])
            .args([
                "-c",
                "commit.gpgsign=false",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Looks again until the files git reads are known and old enough to be trusted (made
    /// older by hand, rather than by waiting), so that the next look asks no git.
    fn settled(site: &Path, opened: Opened) -> Opened {
        let opened = Opened::again(site, Some(opened));
        let long_ago = SystemTime::now() - 2 * RACY;
        for file in opened.files.iter().filter(|f| f.is_file()) {
            let file = std::fs::File::options().write(true).open(file).unwrap();
            file.set_modified(long_ago).unwrap();
        }
        let opened = Opened::again(site, Some(opened));
        assert_eq!(
            statuses(&opened.files),
            opened.seen,
            "the next look asks no git"
        );
        opened
    }

    fn head(opened: &Opened) -> Result<String, Unavailable> {
        opened
            .found()
            .as_ref()
            .map(|r| r.head.clone())
            .map_err(Clone::clone)
    }

    #[test]
    fn the_repository_is_found_again_from_gits_files_until_a_commit_or_checkout() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().canonicalize().unwrap();
        let site = top.join("site");
        std::fs::create_dir_all(&site).unwrap();
        let commit = |n: &str| {
            std::fs::write(site.join("programme.yaml"), n).unwrap();
            run(&top, &["add", "-A"]);
            run(&top, &["commit", "-q", "-m", n]);
            run(&top, &["rev-parse", "HEAD"])
        };
        let opened = settled(&site, Opened::again(&site, None));
        assert_eq!(head(&opened), Err(Unavailable::NotARepository));

        run(&top, &["init", "-q"]);
        let first = commit("1");
        let opened = Opened::again(&site, Some(opened));
        assert_eq!(head(&opened), Ok(first.clone()), "a repository made");

        let opened = settled(&site, opened);
        let second = commit("2");
        let opened = Opened::again(&site, Some(opened));
        assert_eq!(head(&opened), Ok(second.clone()), "a commit");
        let opened = Opened::again(&site, Some(opened));
        assert!(
            opened.seen.is_empty(),
            "a branch changed just now is not trusted"
        );

        let opened = settled(&site, opened);
        run(&top, &["checkout", "-q", "--detach", &first]);
        let opened = Opened::again(&site, Some(opened));
        assert_eq!(head(&opened), Ok(first), "a commit checked out");

        let opened = settled(&site, opened);
        run(&top, &["checkout", "-q", "main"]);
        let opened = Opened::again(&site, Some(opened));
        assert_eq!(head(&opened), Ok(second), "back on the branch");

        let opened = settled(&site, opened);
        run(&top, &["pack-refs", "--all"]);
        let third = commit("3");
        let opened = Opened::again(&site, Some(opened));
        assert_eq!(
            head(&opened),
            Ok(third.clone()),
            "a commit over packed branches"
        );

        let opened = settled(&site, opened);
        run(&top, &["checkout", "-q", "-b", "other"]);
        let fourth = commit("4");
        let opened = Opened::again(&site, Some(opened));
        assert_eq!(head(&opened), Ok(fourth.clone()), "another branch");

        // HEAD on an alias of a branch: a commit on the branch is seen through it.
        let opened = settled(&site, opened);
        run(
            &top,
            &["symbolic-ref", "refs/heads/alias", "refs/heads/other"],
        );
        run(&top, &["symbolic-ref", "HEAD", "refs/heads/alias"]);
        let opened = settled(&site, Opened::again(&site, Some(opened)));
        run(&top, &["update-ref", "refs/heads/other", &third]);
        let opened = Opened::again(&site, Some(opened));
        assert_eq!(
            head(&opened),
            Ok(third.clone()),
            "a branch moved under its alias"
        );
        run(&top, &["symbolic-ref", "HEAD", "refs/heads/other"]);
        run(&top, &["reset", "-q", "--hard", &fourth]);
        let opened = Opened::again(&site, Some(opened));
        assert_eq!(head(&opened), Ok(fourth.clone()), "the branch reset");

        // HEAD a link to its branch (`core.preferSymlinkRefs`).
        let opened = settled(&site, opened);
        run(
            &top,
            &[
                "-c",
                "core.preferSymlinkRefs=true",
                "checkout",
                "-q",
                "main",
            ],
        );
        assert!(top.join(".git/HEAD").is_symlink());
        let opened = settled(&site, Opened::again(&site, Some(opened)));
        let fifth = commit("5");
        let opened = Opened::again(&site, Some(opened));
        assert_eq!(
            head(&opened),
            Ok(fifth),
            "a commit on a branch HEAD links to"
        );

        // A repository made inside the first one, around the site.
        let opened = settled(&site, opened);
        run(&site, &["init", "-q"]);
        let inner = Opened::again(&site, Some(opened));
        assert_eq!(
            head(&inner),
            Err(Unavailable::NoCommit),
            "the inner repository"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_broken_repository_a_worktrees_reftable_and_a_link_pointed_elsewhere_are_seen() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().canonicalize().unwrap();
        let (main, linked) = (top.join("main"), top.join("linked"));
        std::fs::create_dir_all(&main).unwrap();
        run(&main, &["init", "-q", "--ref-format=reftable"]);
        run(&main, &["commit", "-q", "--allow-empty", "-m", "1"]);
        let first = run(&main, &["rev-parse", "HEAD"]);
        run(&main, &["commit", "-q", "--allow-empty", "-m", "2"]);
        let second = run(&main, &["rev-parse", "HEAD"]);
        run(
            &main,
            &["worktree", "add", "-q", "-b", "w", linked.to_str().unwrap()],
        );

        // The site is a link, to the linked worktree, then to the main one.
        let site = top.join("site");
        std::os::unix::fs::symlink(&linked, &site).unwrap();
        let opened = settled(&site, Opened::again(&site, None));
        run(&site, &["checkout", "-q", "--detach", &first]);
        let opened = Opened::again(&site, Some(opened));
        assert_eq!(head(&opened), Ok(first.clone()), "a worktree's own HEAD");
        let opened = settled(&site, opened);
        std::fs::remove_file(&site).unwrap();
        std::os::unix::fs::symlink(&main, &site).unwrap();
        let opened = Opened::again(&site, Some(opened));
        assert_eq!(
            head(&opened),
            Ok(second.clone()),
            "the link pointed elsewhere"
        );

        // HEAD emptied (a crash), then put back: no repository, then the repository again.
        let opened = settled(&site, opened);
        let head_file = main.join(".git").join("HEAD");
        let text = std::fs::read(&head_file).unwrap();
        std::fs::write(&head_file, "").unwrap();
        let opened = Opened::again(&site, Some(opened));
        assert_eq!(head(&opened), Err(Unavailable::NotARepository));
        let opened = Opened::again(&site, Some(opened));
        std::fs::write(&head_file, text).unwrap();
        let opened = Opened::again(&site, Some(opened));
        assert_eq!(head(&opened), Ok(second), "the repository mended");
    }

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
