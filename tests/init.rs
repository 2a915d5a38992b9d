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
    assert!(check.stdout.contains("(no warnings)"), "{}", check.stdout);
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

/// Runs git in `dir`, and what it printed.
fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn init_site_in_git_shows_the_files_an_editor_writes_and_none_that_a_build_makes() {
    let temp = tempfile::tempdir().unwrap();
    let site = temp.path().join("my-event");
    assert_eq!(init(&site).code, 0);
    git(&site, &["init", "--quiet"]);
    // The site's own output folder, where a build writes by default.
    let build = majlis(&site, &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(site.join("public/en/index.html").is_file());
    // What a build leaves beside its output while it runs, or when it is killed.
    fs::create_dir_all(site.join(".public.majlis-new/en")).unwrap();
    fs::write(site.join(".public.majlis-new/en/index.html"), "new").unwrap();
    fs::create_dir_all(site.join(".public.majlis-old")).unwrap();
    fs::write(site.join(".public.majlis-old/index.html"), "old").unwrap();
    fs::write(site.join(".public.majlis-lock"), "").unwrap();

    let status = git(&site, &["status", "--porcelain", "--untracked-files=all"]);
    let untracked: Vec<&str> = status.lines().map(|l| &l[3..]).collect();
    let written: Vec<String> = contents(&site)
        .into_iter()
        .map(|(path, _)| path)
        .filter(|path| {
            !path.starts_with(".git/")
                && !path.starts_with("public/")
                && !path.starts_with(".public.majlis-")
        })
        .collect();
    assert_eq!(
        untracked, written,
        "git sees the site's sources and only them"
    );
    assert!(untracked.contains(&".gitignore"));
    assert!(untracked.contains(&".github/workflows/publish.yml"));
    git(&site, &["add", "--all"]);
    git(&site, &["commit", "--quiet", "--message", "A new site"]);
    assert_eq!(
        git(&site, &["status", "--porcelain"]),
        "",
        "nothing left out"
    );
}

/// A value of a YAML mapping, by key.
fn key<'a>(value: &'a serde_yaml::Value, name: &str) -> &'a serde_yaml::Value {
    value
        .get(name)
        .unwrap_or_else(|| panic!("no `{name}` in {value:?}"))
}

#[test]
fn init_workflow_publishes_with_a_released_binary_of_this_version_that_the_release_workflow_makes()
{
    let temp = tempfile::tempdir().unwrap();
    let site = temp.path().join("my-event");
    assert_eq!(init(&site).code, 0);
    let text = fs::read_to_string(site.join(".github/workflows/publish.yml")).unwrap();
    assert!(
        !text.contains("@MAJLIS_"),
        "every placeholder filled: {text}"
    );
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let env = key(&workflow, "env");
    let repository = env!("CARGO_PKG_REPOSITORY");
    assert!(
        repository.starts_with("https://github.com/"),
        "{repository}"
    );
    assert_eq!(key(env, "MAJLIS_REPOSITORY").as_str(), Some(repository));
    assert_eq!(
        key(env, "MAJLIS_VERSION").as_str(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    let steps = key(key(key(&workflow, "jobs"), "publish"), "steps")
        .as_sequence()
        .unwrap();
    let checkout = &steps[0];
    assert!(key(checkout, "uses")
        .as_str()
        .unwrap()
        .starts_with("actions/checkout@"));
    assert_eq!(
        key(key(checkout, "with"), "fetch-depth").as_u64(),
        Some(0),
        "the whole history"
    );
    let runs: Vec<&str> = steps
        .iter()
        .filter_map(|step| step.get("run").and_then(|r| r.as_str()))
        .collect();
    assert!(
        !runs.iter().any(|run| run.contains("cargo")),
        "nothing compiled: {runs:?}"
    );
    assert!(runs.contains(&"majlis build"), "{runs:?}");
    let install = runs
        .iter()
        .find(|run| run.contains("releases/download"))
        .expect("a step downloads the release");
    assert!(install.contains("sha256sum --check"), "{install}");
    let archive = install
        .lines()
        .find_map(|line| line.trim().strip_prefix("archive="))
        .expect("the archive's name");

    // The archive is one that the repository's release workflow attaches.
    let release: serde_yaml::Value = serde_yaml::from_str(
        &fs::read_to_string(common::example_root().join(".github/workflows/release.yml")).unwrap(),
    )
    .unwrap();
    let matrix = key(
        key(key(key(&release, "jobs"), "build"), "strategy"),
        "matrix",
    );
    let made: Vec<String> = key(matrix, "include")
        .as_sequence()
        .unwrap()
        .iter()
        .map(|entry| {
            format!(
                "majlis-{}.{}",
                key(entry, "target").as_str().unwrap(),
                key(entry, "archive").as_str().unwrap()
            )
        })
        .collect();
    assert!(
        made.iter().any(|name| name == archive),
        "{archive} not in {made:?}"
    );
    for target in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(made.iter().any(|name| name.contains(target)), "{target}");
    }
    assert!(
        made.iter().any(|name| name.contains("apple-darwin")),
        "macOS"
    );
}

/// The `run` of the publish workflow's step named `name`.
fn workflow_step(site: &Path, name: &str) -> String {
    let text = fs::read_to_string(site.join(".github/workflows/publish.yml")).unwrap();
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let steps = key(key(key(&workflow, "jobs"), "publish"), "steps");
    let step = steps
        .as_sequence()
        .unwrap()
        .iter()
        .find(|step| step.get("name").and_then(|n| n.as_str()) == Some(name))
        .unwrap_or_else(|| panic!("no step {name:?}"));
    key(step, "run").as_str().unwrap().to_string()
}

#[test]
fn the_workflow_dates_the_calendars_by_the_last_commit_that_changed_the_programme() {
    let temp = tempfile::tempdir().unwrap();
    let site = temp.path().join("my-event");
    assert_eq!(init(&site).code, 0);
    let commit = |message: &str, date: &str| {
        git(&site, &["add", "--all"]);
        let output = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm"])
            .arg(message)
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .current_dir(&site)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
    };
    git(&site, &["init", "--quiet"]);
    commit("A new site", "2026-05-01T10:00:00Z");
    let programme = site.join("content/programme.yaml");
    let text = fs::read_to_string(&programme).unwrap();
    fs::write(&programme, text.replace("\"08:30\"", "\"08:15\"")).unwrap();
    commit("Registration opens earlier", "2026-05-02T10:00:00Z");
    let about = site.join("content/pages/about.en.md");
    fs::write(&about, fs::read_to_string(&about).unwrap() + "\nMore.\n").unwrap();
    commit("A line on the About page", "2026-05-03T10:00:00Z");

    // The step, run as GitHub runs it: bash, with GITHUB_ENV the file of variables to set.
    let github_env = temp.path().join("github-env");
    let output = Command::new("bash")
        .args([
            "-e",
            "-c",
            &workflow_step(&site, "Date the calendars by the programme's last change"),
        ])
        .env("GITHUB_ENV", &github_env)
        .current_dir(&site)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let set = fs::read_to_string(&github_env).unwrap();
    // 2026-05-02T10:00:00Z, the programme's commit, not the page's after it.
    assert_eq!(set.trim(), "SOURCE_DATE_EPOCH=1777716000");

    let out = temp.path().join("public");
    let build = Command::new(env!("CARGO_BIN_EXE_majlis"))
        .args(["build", "--output", out.to_str().unwrap()])
        .env("SOURCE_DATE_EPOCH", "1777716000")
        .current_dir(&site)
        .output()
        .unwrap();
    assert!(build.status.success(), "{build:?}");
    let calendar = fs::read_to_string(out.join("en/calendar.ics")).unwrap();
    assert!(
        calendar.contains("DTSTAMP:20260502T100000Z"),
        "the feed is dated by the programme's commit:\n{calendar}"
    );
}
