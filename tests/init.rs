//! `majlis init DIR`: a new site that builds and passes `check --strict` as it is, and a
//! command that never writes into a folder that has something in it.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{majlis, Published};

/// Runs `majlis init DIR`.
fn init(dir: &Path) -> common::Run {
    let output = Command::new(env!("CARGO_BIN_EXE_majlis"))
        .arg("init")
        .arg(dir)
        .output()
        .expect("the majlis binary runs");
    common::Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Every file under `dir` with its bytes, sorted.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir(dir)
        .into_iter()
        .map(|path| {
            let bytes = fs::read(&path).unwrap();
            (path.strip_prefix(dir).unwrap().display().to_string(), bytes)
        })
        .collect();
    files.sort();
    files
}

fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap().flatten() {
        if entry.path().is_dir() {
            files.extend(walkdir(&entry.path()));
        } else {
            files.push(entry.path());
        }
    }
    files
}

#[test]
fn init_writes_a_site_in_three_languages_that_builds_and_passes_check_strict() {
    let temp = tempfile::tempdir().unwrap();
    let site = temp.path().join("my-event");
    let run = init(&site);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("serve"), "it says what to do next");

    let check = majlis(&site, &["check", "--strict"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stdout.contains("(0 warning(s))"), "{}", check.stdout);
    assert!(
        check.stderr.is_empty(),
        "no warning at all: {}",
        check.stderr
    );

    let out = temp.path().join("public");
    let build = majlis(&site, &["build", "--output", out.to_str().unwrap()]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    // Only the note that a site outside git has no history for its calendar (issue 24).
    assert_eq!(build.stderr.lines().count(), 1, "{}", build.stderr);
    assert!(
        build.stderr.contains("not in a git repository"),
        "{}",
        build.stderr
    );
    let published = Published::at(out);
    for lang in ["en", "fr", "ar"] {
        for path in ["index.html", "programme/index.html", "speakers/index.html"] {
            assert!(published.has(&format!("{lang}/{path}")), "{lang}/{path}");
        }
        for speaker in ["amina-rahal", "tomas-ferreira", "lina-haddad"] {
            let page = format!("{lang}/speakers/{speaker}/index.html");
            assert!(published.has(&page), "{page}");
        }
        let home = published.page(&format!("{lang}/index.html"));
        assert_eq!(
            home.attr("html", "dir"),
            if lang == "ar" { "rtl" } else { "ltr" }
        );
    }
    assert!(
        published.has("en/about/index.html") && published.has("fr/a-propos/index.html"),
        "a page, with its own French address"
    );
    let programme = fs::read_to_string(site.join("content/programme.yaml")).unwrap();
    assert!(programme.contains("moderators:"));
    assert!(programme.contains("kind: break"));
    assert_eq!(programme.matches("- date:").count(), 2, "two days");
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_leaves_it_unchanged() {
    let temp = tempfile::tempdir().unwrap();
    let site = temp.path().join("notes");
    fs::create_dir_all(site.join("content")).unwrap();
    fs::write(site.join("site-config.yaml"), "my own configuration\n").unwrap();
    fs::write(site.join("content/event.yaml"), "my own event\n").unwrap();
    let before = contents(&site);

    let run = init(&site);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("is not empty"), "{}", run.stderr);
    assert_eq!(contents(&site), before, "nothing was written or changed");
}

#[test]
fn init_accepts_an_empty_folder_and_refuses_a_file() {
    let temp = tempfile::tempdir().unwrap();
    let empty = temp.path().join("empty");
    fs::create_dir(&empty).unwrap();
    assert_eq!(init(&empty).code, 0);
    assert!(empty.join("site-config.yaml").is_file());

    let file = temp.path().join("a-file");
    fs::write(&file, "text").unwrap();
    let run = init(&file);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("is a file"), "{}", run.stderr);
    assert_eq!(fs::read_to_string(&file).unwrap(), "text");
}
