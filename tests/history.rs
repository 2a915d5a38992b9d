//! `SEQUENCE` and `LAST-MODIFIED` from the site's git history (issue 24): a fixture made into
//! a git repository in a temporary folder, commits dated explicitly, every feed read back
//! with a calendar parser.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use chrono::{DateTime, TimeZone, Utc};
use common::Site;
use icalendar::parser::{read_calendar, unfold};
use majlis::output::Output;
use majlis::Options;

/// Runs git in `dir` with a fixed identity and dates: nothing of the machine's configuration.
fn git(dir: &Path, args: &[&str], date: &str) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Editor",
            "-c",
            "user.email=editor@example.org",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

/// Commits everything of the site at `date` (seconds since the epoch).
fn commit(site: &Site, date: i64, message: &str) {
    let date = format!("@{date} +0000");
    git(&site.root(), &["add", "-A"], &date);
    git(&site.root(), &["commit", "-q", "-m", message], &date);
}

/// The multilingual fixture, committed once at [`FIRST`].
fn repository() -> Site {
    let site = Site::copy_of("multilingual");
    git(&site.root(), &["init", "-q"], "@0 +0000");
    commit(&site, FIRST, "The programme");
    site
}

const FIRST: i64 = 1_735_689_600; // 2025-01-01T00:00:00Z
const SECOND: i64 = 1_738_368_000; // 2025-02-01T00:00:00Z
const THIRD: i64 = 1_740_787_200; // 2025-03-01T00:00:00Z

/// The fixed `DTSTAMP` of builds that are compared.
fn stamp() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 15, 12, 0, 0).unwrap()
}

fn build_at(root: &Path, timestamp: Option<DateTime<Utc>>) -> Output {
    let options = Options {
        timestamp,
        ..Options::default()
    };
    majlis::build(root, &options)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .output
}

/// The calendar feeds of a build, by path.
fn feeds(output: &Output) -> BTreeMap<String, String> {
    output
        .iter()
        .filter(|(path, _)| path.ends_with(".ics"))
        .map(|(path, bytes)| (path.to_string(), String::from_utf8(bytes.to_vec()).unwrap()))
        .collect()
}

/// What a session's VEVENT says of its revision.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Revision {
    sequence: u32,
    last_modified: String,
    dtstamp: String,
}

/// Every VEVENT's revision in every feed, by feed and session id; each property once.
fn revisions(output: &Output) -> BTreeMap<(String, String), Revision> {
    let mut all = BTreeMap::new();
    for (path, ics) in feeds(output) {
        let unfolded = unfold(&ics);
        let calendar = read_calendar(&unfolded).unwrap_or_else(|e| panic!("{path}: {e}"));
        for event in calendar.components.iter().filter(|c| c.name == "VEVENT") {
            let one = |name: &str| {
                let values: Vec<&str> = event
                    .properties
                    .iter()
                    .filter(|p| p.name == name)
                    .map(|p| p.val.as_str())
                    .collect();
                assert_eq!(values.len(), 1, "{path}: {name} {values:?}");
                values[0].to_string()
            };
            let id = one("UID").split('@').next().unwrap().to_string();
            let revision = Revision {
                sequence: one("SEQUENCE").parse().expect("a number"),
                last_modified: one("LAST-MODIFIED"),
                dtstamp: one("DTSTAMP"),
            };
            all.insert((path.clone(), id), revision);
        }
    }
    assert!(!all.is_empty());
    all
}

fn utc(seconds: i64) -> String {
    DateTime::from_timestamp(seconds, 0)
        .unwrap()
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// The revisions of one session in the feeds of one language that hold it.
fn of(all: &BTreeMap<(String, String), Revision>, lang: &str, id: &str) -> Vec<Revision> {
    let found: Vec<Revision> = all
        .iter()
        .filter(|((path, session), _)| path.starts_with(&format!("{lang}/")) && session == id)
        .map(|(_, r)| r.clone())
        .collect();
    assert!(!found.is_empty(), "{lang} {id}");
    found
}

#[test]
fn editing_one_sessions_time_and_committing_raises_its_sequence_alone() {
    let site = repository();
    let before = revisions(&build_at(&site.root(), Some(stamp())));
    for revision in before.values() {
        assert_eq!(revision.sequence, 0, "{before:?}");
        assert_eq!(revision.last_modified, utc(FIRST));
    }

    site.edit(
        "content/programme.yaml",
        "start: \"10:30\"",
        "start: \"10:45\"",
    );
    commit(&site, SECOND, "The panel starts later");
    let after = revisions(&build_at(&site.root(), Some(stamp())));
    assert_eq!(before.len(), after.len());
    let mut moved = 0;
    for (key, revision) in &after {
        if key.1 == "panel-climate" {
            moved += 1;
            assert_eq!(revision.sequence, 1, "{key:?}");
            assert_eq!(revision.last_modified, utc(SECOND), "{key:?}");
        } else {
            assert_eq!(revision, &before[key], "{key:?}");
        }
    }
    // In the programme, the session's own feed and its speakers' feeds, in every language.
    assert!(moved >= 3 * 3, "{moved}");

    // Cancelling it is one more change.
    site.edit(
        "content/programme.yaml",
        "id: panel-climate\n",
        "id: panel-climate\n        cancelled: true\n",
    );
    commit(&site, THIRD, "The panel is cancelled");
    let cancelled = revisions(&build_at(&site.root(), Some(stamp())));
    for revision in of(&cancelled, "fr", "panel-climate") {
        assert_eq!(revision.sequence, 2);
        assert_eq!(revision.last_modified, utc(THIRD));
    }
    assert_eq!(
        of(&cancelled, "en", "opening"),
        of(&before, "en", "opening")
    );
}

#[test]
fn a_speakers_name_counts_and_their_biography_changes_no_feed() {
    let site = repository();
    let before = build_at(&site.root(), Some(stamp()));
    site.edit(
        "content/speakers/tomas-berger.en.md",
        "\n---\n",
        "\n---\nHe also chairs the network's working group.\n\n",
    );
    commit(&site, SECOND, "A biography");
    let after = build_at(&site.root(), Some(stamp()));
    assert_eq!(feeds(&before), feeds(&after));

    site.edit("content/speakers/tomas-berger.en.md", "name: ", "name: Dr ");
    commit(&site, THIRD, "A name");
    let renamed = revisions(&build_at(&site.root(), Some(stamp())));
    // Their sessions, in the English feeds alone.
    let theirs: Vec<&String> = renamed
        .keys()
        .filter(|(path, _)| path == "en/speakers/tomas-berger.ics")
        .map(|(_, id)| id)
        .collect();
    assert!(theirs.len() >= 2, "{theirs:?}");
    for (key, revision) in &renamed {
        let expected = u32::from(key.0.starts_with("en/") && theirs.contains(&&key.1));
        assert_eq!(revision.sequence, expected, "{key:?}");
    }
}

#[test]
fn a_fresh_clone_gives_the_same_values() {
    let site = repository();
    site.edit("content/programme.yaml", "end: \"10:00\"", "end: \"10:15\"");
    commit(&site, SECOND, "A longer opening");
    let here = build_at(&site.root(), Some(stamp()));

    let clone = tempfile::tempdir().unwrap();
    let target = clone.path().join("site");
    let from = site.root().display().to_string();
    git(clone.path(), &["clone", "-q", &from, "site"], "@0 +0000");
    let there = build_at(&target, Some(stamp()));
    assert_eq!(feeds(&here), feeds(&there));
    assert!(revisions(&there).values().any(|r| r.sequence == 1));

    // A shallow clone has not the history to count: it says so.
    let url = format!("file://{from}");
    git(
        clone.path(),
        &["clone", "-q", "--depth", "1", &url, "shallow"],
        "@0 +0000",
    );
    let out = tempfile::tempdir().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_majlis"))
        .arg("--root")
        .arg(clone.path().join("shallow"))
        .arg("build")
        .arg("--output")
        .arg(out.path().join("public"))
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("note: this clone is shallow"), "{stderr}");
}

#[test]
fn an_uncommitted_edit_counts_as_one_more_change() {
    let site = repository();
    site.edit("content/programme.yaml", "Coffee break", "Coffee and tea");
    let edited = std::time::UNIX_EPOCH + std::time::Duration::from_secs(SECOND as u64);
    std::fs::File::options()
        .append(true)
        .open(site.root().join("content/programme.yaml"))
        .unwrap()
        .set_modified(edited)
        .unwrap();
    let dated_by_the_file = revisions(&build_at(&site.root(), None));
    for revision in of(&dated_by_the_file, "en", "break-morning") {
        assert_eq!(revision.sequence, 1);
        assert_eq!(revision.last_modified, utc(SECOND));
    }
    // Only the English title changed.
    for revision in of(&dated_by_the_file, "fr", "break-morning") {
        assert_eq!(revision.sequence, 0);
        assert_eq!(revision.last_modified, utc(FIRST));
    }

    let with_an_epoch = revisions(&build_at(&site.root(), Some(stamp())));
    for revision in of(&with_an_epoch, "en", "break-morning") {
        assert_eq!(revision.sequence, 1);
        assert_eq!(revision.last_modified, "20250315T120000Z");
    }
    // A session not committed yet is new: 0.
    site.edit(
        "content/programme.yaml",
        "id: break-morning",
        "id: break-one",
    );
    let added = revisions(&build_at(&site.root(), Some(stamp())));
    for revision in of(&added, "fr", "break-one") {
        assert_eq!(revision.sequence, 0);
        assert_eq!(revision.last_modified, "20250315T120000Z");
    }
}

/// `majlis build` of the site at `root` with `path` as `PATH`; its output and standard error.
fn build_command(root: &Path, path: Option<&str>) -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_majlis"));
    command
        .arg("--root")
        .arg(root)
        .arg("build")
        .arg("--output")
        .arg(out.path().join("public"));
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let run = command.output().unwrap();
    assert!(run.status.success(), "{run:?}");
    (out, String::from_utf8_lossy(&run.stderr).into_owned())
}

/// The files of an output folder.
fn read_output(folder: &Path) -> Output {
    let mut output = Output::default();
    for entry in walkdir::WalkDir::new(folder) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let path = entry.path().strip_prefix(folder).unwrap();
            let bytes = std::fs::read(entry.path()).unwrap();
            output.insert(path.to_string_lossy().replace('\\', "/"), bytes);
        }
    }
    output
}

#[test]
fn outside_git_every_session_is_at_zero_and_last_modified_when_stamped() {
    let site = Site::copy_of("multilingual");
    let empty = tempfile::tempdir().unwrap();
    let no_git = empty.path().display().to_string();
    for (path, note) in [
        (None, "note: the site is not in a git repository"),
        (Some(no_git.as_str()), "note: git is not installed"),
    ] {
        let (out, stderr) = build_command(&site.root(), path);
        assert_eq!(stderr.matches("note: ").count(), 1, "{stderr}");
        assert!(stderr.contains(note), "{stderr}");
        let built = read_output(&out.path().join("public"));
        for (key, revision) in revisions(&built) {
            assert_eq!(revision.sequence, 0, "{key:?}");
            assert_eq!(revision.last_modified, revision.dtstamp, "{key:?}");
        }
    }
    // In git, no note.
    let site = repository();
    let (_, stderr) = build_command(&site.root(), None);
    assert!(!stderr.contains("note: "), "{stderr}");
}

#[test]
fn serve_counts_as_build_does_across_commits() {
    let site = repository();
    let mut cache = majlis::Cache::new();
    let options = Options {
        timestamp: Some(stamp()),
        ..Options::default()
    };
    let first = majlis::build_with(&site.root(), &options, &mut cache).unwrap();
    assert_eq!(first.output, build_at(&site.root(), Some(stamp())));
    site.edit(
        "content/programme.yaml",
        "start: \"10:30\"",
        "start: \"10:45\"",
    );
    let uncommitted = majlis::build_with(&site.root(), &options, &mut cache).unwrap();
    assert_eq!(uncommitted.output, build_at(&site.root(), Some(stamp())));
    commit(&site, SECOND, "The panel starts later");
    let committed = majlis::build_with(&site.root(), &options, &mut cache).unwrap();
    assert_eq!(committed.output, build_at(&site.root(), Some(stamp())));
    assert_ne!(
        revisions(&committed.output),
        revisions(&first.output),
        "the commit is counted"
    );
}

#[test]
fn every_feed_of_a_history_passes_the_strict_checker() {
    let checker = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/ics_check.py");
    let site = repository();
    site.edit(
        "content/programme.yaml",
        "start: \"10:30\"",
        "start: \"10:45\"",
    );
    commit(&site, SECOND, "The panel starts later");
    let (out, _) = build_command(&site.root(), None);
    let files: Vec<_> = walkdir::WalkDir::new(out.path())
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "ics"))
        .collect();
    assert!(files.len() > 10);
    let run = Command::new("python3")
        .arg(&checker)
        .args(["--quiet", "--werror"])
        .args(&files)
        .output()
        .expect("python3 runs");
    assert!(run.status.success(), "{run:?}");
}
