//! How `serve` learns that no commit came between two rebuilds without asking git: from the
//! status of the files git itself reads to find the commit checked out.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::repository::{real, Repository, Unavailable};

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

#[cfg(test)]
mod tests {
    use std::process::Command;

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
}
