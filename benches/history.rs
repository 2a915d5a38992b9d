//! What the git history costs a build (issue 24): `cargo bench --bench history`.
//!
//! Makes a synthetic event (the small scale of the build benchmark, or MAJLIS_BENCH_SCALES=
//! large) into a git repository with a long history (MAJLIS_BENCH_COMMITS, 2,000 by default,
//! written in one `git fast-import`): a third of the commits move a session, a third edit a
//! speaker's biography, a third a page. Then it times the release binary's `majlis build
//! --verbose` there, and reports the stage that reads the history (median and spread of
//! several runs), with the whole build's time in the repository and in a copy outside git.

// The build benchmark uses the rest of it.
#[allow(dead_code)]
mod support;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use support::synthetic::{self, Scale};

const MAJLIS: &str = env!("CARGO_BIN_EXE_majlis");
const RUNS: usize = 5;

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Bench",
            "-c",
            "user.email=bench@example.org",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_AUTHOR_DATE", "@1700000000 +0000")
        .env("GIT_COMMITTER_DATE", "@1700000000 +0000")
        .stdout(Stdio::null())
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// Appends `commits` commits to the repository at `site`, in one fast-import stream.
fn history(site: &Path, commits: usize) {
    let programme = std::fs::read_to_string(site.join("content/programme.yaml")).unwrap();
    let starts: Vec<usize> = programme
        .match_indices("start: \"")
        .map(|(i, _)| i)
        .collect();
    let mut stream = String::new();
    for n in 0..commits {
        let time = 1_700_000_000 + 60 * (n as u64 + 1);
        let message = format!("change {n}");
        let _ = write!(
            stream,
            "commit refs/heads/main\ncommitter Bench <bench@example.org> {time} +0000\n\
             data {}\n{message}\n",
            message.len()
        );
        if n == 0 {
            stream.push_str("from refs/heads/main^0\n");
        }
        let (path, content) = match n % 3 {
            0 => {
                // A session moved by a minute, a different one each time.
                let at = starts[(n / 3) % starts.len()] + "start: \"08:0".len();
                let mut text = programme.clone();
                text.replace_range(at..at + 1, &((n / 3 / starts.len()) % 10).to_string());
                ("content/programme.yaml".to_string(), text)
            }
            1 => {
                let path = format!("content/speakers/speaker-{:05}.en.md", n % 7);
                let text = std::fs::read_to_string(site.join(&path)).unwrap();
                (path, format!("{text}\nVersion {n}.\n"))
            }
            _ => (
                "content/pages/concept-note.en.md".to_string(),
                format!("---\ntitle: Concept note\nmenu: 1\n---\nVersion {n}.\n"),
            ),
        };
        let _ = write!(
            stream,
            "M 100644 inline {path}\ndata {}\n{content}\n",
            content.len()
        );
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(site)
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stream.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    git(site, &["reset", "-q", "--hard", "main"]);
}

/// Milliseconds of a `--verbose` build: the whole, and the stage that read the history.
fn build(site: &Path, out: &Path) -> (f64, Option<f64>) {
    let started = Instant::now();
    let run = Command::new(MAJLIS)
        .arg("--root")
        .arg(site)
        .args(["--verbose", "build", "--force", "--output"])
        .arg(out)
        .output()
        .unwrap();
    let total = started.elapsed().as_secs_f64() * 1000.0;
    assert!(run.status.success(), "{run:?}");
    let stage = String::from_utf8_lossy(&run.stderr)
        .lines()
        .find_map(|line| line.strip_prefix("read the sessions' history: "))
        .and_then(|ms| ms.split_once(" ms")?.0.parse().ok());
    (total, stage)
}

fn median(mut values: Vec<f64>) -> String {
    values.sort_by(f64::total_cmp);
    let spread = values[values.len() - 1] - values[0];
    format!("{:.0} ms ± {spread:.0}", values[values.len() / 2])
}

fn measure(site: &Path, out: &Path) -> (String, String) {
    build(site, out); // warm the disk cache
    let (totals, stages): (Vec<f64>, Vec<f64>) = (0..RUNS)
        .map(|_| build(site, out))
        .map(|(total, stage)| (total, stage.unwrap_or_default()))
        .unzip();
    (median(totals), median(stages))
}

fn main() {
    let commits: usize = std::env::var("MAJLIS_BENCH_COMMITS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000);
    let scales = std::env::var("MAJLIS_BENCH_SCALES").unwrap_or_else(|_| "small".into());
    for name in scales.split(',') {
        let scale: Scale = match name {
            "large" => synthetic::LARGE,
            _ => synthetic::SMALL,
        };
        let work = tempfile::tempdir().unwrap();
        let site = work.path().join("site");
        synthetic::majlis_site(&site, scale);
        let plain = work.path().join("outside-git");
        synthetic::majlis_site(&plain, scale);
        git(&site, &["init", "-q"]);
        git(&site, &["add", "-A"]);
        git(&site, &["commit", "-q", "-m", "The event"]);
        let started = Instant::now();
        history(&site, commits);
        eprintln!(
            "{}: {} sessions, {commits} commits made in {:.1} s",
            scale.name,
            scale.sessions,
            started.elapsed().as_secs_f64()
        );
        let out = work.path().join("public");
        let (in_git, stage) = measure(&site, &out);
        let (outside, _) = measure(&plain, &work.path().join("public-plain"));
        println!(
            "{}: history of {} commits read in {stage}; build {in_git} in git, {outside} outside",
            scale.name,
            commits + 1
        );
    }
}
