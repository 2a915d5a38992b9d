//! The README and `docs/` as a newcomer uses them, with nothing but a clone: every link
//! leads somewhere in the repository, the README's commands are the ones CI runs, majlis has
//! one address, and every message majlis prints is explained in `docs/errors.md`. (The
//! examples are built in `tests/docs_examples.rs`.)

mod common;

use std::fs;
use std::path::{Component, Path};
use std::process::Command;

use common::docs::{matches, pages, relative, root, Page};
use common::majlis;
use majlis::diagnostics::Problem;

#[test]
fn every_relative_link_of_the_readme_and_docs_leads_to_a_file_and_an_anchor_of_the_repository() {
    let broken = broken_links(&pages());
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// Every link of `pages` that leads to no file of the repository, or to no heading of the
/// page it names.
fn broken_links(pages: &[Page]) -> Vec<String> {
    let root = root();
    let mut broken = Vec::new();
    for page in pages {
        let folder = root.join(&page.path);
        let folder = folder.parent().unwrap();
        for (line, target) in page.links() {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (path, anchor) = target.split_once('#').unwrap_or((&target, ""));
            if path.is_empty() {
                if !page.anchors().iter().any(|a| a == anchor) {
                    broken.push(format!("{}:{line}: {target}: no such heading", page.path));
                }
                continue;
            }
            let file = folder.join(path);
            let inside = normalise(&file).starts_with(&root);
            if !inside || !file.exists() {
                broken.push(format!(
                    "{}:{line}: {target}: no such file in the repository",
                    page.path
                ));
                continue;
            }
            if anchor.is_empty() {
                continue;
            }
            let linked = relative(&normalise(&file), &root);
            let anchors = match pages.iter().find(|p| p.path == linked) {
                Some(target_page) => target_page.anchors(),
                None => match fs::read_to_string(&file) {
                    Ok(text) if linked.ends_with(".md") => Page {
                        path: linked.clone(),
                        text,
                    }
                    .anchors(),
                    _ => Vec::new(),
                },
            };
            if !anchors.iter().any(|a| a == anchor) {
                broken.push(format!(
                    "{}:{line}: {target}: {linked} has no heading `#{anchor}` (it has {anchors:?})",
                    page.path
                ));
            }
        }
    }
    broken
}

/// `path` with its `.` and `..` resolved, without reading the file system.
fn normalise(path: &Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[test]
fn the_link_check_finds_a_missing_file_a_missing_anchor_and_a_link_out_of_the_repository() {
    let page = Page {
        path: "docs/x.md".into(),
        text: "# A title, `with code`\n\n[a](format.md) [b](nowhere.md) \
               [c](../../shared/design/content-model.md) [d](#a-title-with-code) [e](#no-such) \
               [f](format.md#limits) [g](format.md#no-such) ![h](images/programme-ar-fr.png) \
               [i](https://example.org/#x)\n"
            .into(),
    };
    let broken = broken_links(&[page]);
    let targets: Vec<&str> = broken
        .iter()
        .map(|b| b.split(": ").nth(1).unwrap())
        .collect();
    assert_eq!(
        targets,
        [
            "nowhere.md",
            "../../shared/design/content-model.md",
            "#no-such",
            "format.md#no-such"
        ],
        "{broken:#?}"
    );
}

/// The first code block of the README, line by line, each without its comment.
fn readme_commands() -> Vec<String> {
    let readme = pages().into_iter().find(|p| p.path == "README.md").unwrap();
    let first = readme.blocks().into_iter().next().expect("a code block");
    first
        .text
        .lines()
        .map(|line| line.split('#').next().unwrap().trim().to_string())
        .collect()
}

#[test]
fn the_readme_opens_with_serving_the_example_and_the_test_command_that_ci_runs() {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.lines().count() <= 150, "the README stays short");
    let commands = readme_commands();
    assert_eq!(commands.len(), 2, "{commands:?}");
    assert!(commands[0].starts_with("cargo run") && commands[0].ends_with(" serve"));
    let test = &commands[1];
    assert_eq!(test, "cargo test");
    let ci = fs::read_to_string(root().join(".ci/run")).unwrap();
    let runs: Vec<&str> = ci
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'))
        .collect();
    assert!(
        runs.contains(&test.as_str()),
        ".ci/run does not run the README's test command `{test}`"
    );
}

#[test]
fn the_readme_and_docs_name_majlis_by_the_address_of_cargo_toml() {
    let repository = env!("CARGO_PKG_REPOSITORY");
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    assert!(
        readme.contains(&format!("{repository}/releases")),
        "the install section links the releases"
    );
    let install = readme.find("## Install").unwrap();
    assert!(
        readme[install..].find("releases") < readme[install..].find("cargo install"),
        "binaries first, cargo install second"
    );
    for page in pages() {
        for (at, _) in page.text.match_indices("https://github.com/") {
            let address: String = page.text[at..]
                .chars()
                .take_while(|c| !c.is_whitespace() && !")`>\"'".contains(*c))
                .collect();
            let mut parts = address["https://github.com/".len()..].split('/');
            let (_, name) = (parts.next(), parts.next().unwrap_or_default());
            if name == "majlis" {
                assert!(
                    address.starts_with(repository),
                    "{}: {address} is not {repository}",
                    page.path
                );
            }
        }
    }
}

/// The bold code spans of `docs/errors.md`: the messages it explains, `…` for values.
fn documented() -> Vec<String> {
    let text = fs::read_to_string(root().join("docs/errors.md")).unwrap();
    let mut entries = Vec::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find("**`") {
        let after = &rest[start + 3..];
        let Some(end) = after.find("`**") else { break };
        entries.push(after[..end].replace('\n', " "));
        rest = &after[end + 3..];
    }
    entries
}

/// The messages no entry of `docs/errors.md` explains.
fn undocumented<'a>(messages: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let entries = documented();
    messages
        .into_iter()
        .filter(|m| !entries.iter().any(|e| matches(e, m)))
        .map(str::to_string)
        .collect()
}

/// The index of a problem's kind: adding a kind of problem fails to compile here until it
/// has an index, and then fails [`every_kind_of_error_is_explained_in_errors_md`] until it
/// has a sample there.
fn kind(problem: &Problem) -> usize {
    use Problem::*;
    match problem {
        Unreadable(_) => 0,
        InvalidUtf8 => 1,
        Yaml(_) => 2,
        MissingColon { .. } => 3,
        MissingSpaceAfterColon { .. } => 4,
        Misaligned => 5,
        ListItemHere => 6,
        Tab => 7,
        UnclosedQuote { .. } => 8,
        TextAfterQuote { .. } => 9,
        UnclosedBracket { .. } => 10,
        ColonInValue { .. } => 11,
        ReservedStart { .. } => 12,
        Syntax(_) => 13,
        DuplicateKey(_) => 14,
        EmptyFile => 15,
        ControlCharacter(_) => 16,
        YamlTooDeep { .. } => 17,
        YamlTooLarge { .. } => 18,
        WrongType { .. } => 19,
        EmptyValue { .. } => 20,
        MissingKey { .. } => 21,
        BadValue { .. } => 22,
        UnknownKey { .. } => 23,
        FrontMatterNotClosed => 24,
        FrontMatterMissing => 25,
        UnknownTimeZone(_) => 26,
        BadDate(_) => 27,
        BadTime(_) => 28,
        DefaultLanguageNotListed(_) => 29,
        DuplicateLanguage(_) => 30,
        BadLanguageCode(_) => 31,
        BadLocale(_) => 61,
        BadGender(_) => 62,
        GenderDiffers { .. } => 63,
        NoLanguages => 32,
        BadBaseUrl(_) => 33,
        UrlCharacter { .. } => 57,
        BadOrganiserUrl(_) => 58,
        BadSessionUrl { .. } => 66,
        BadPhoto { .. } => 59,
        EventEndsBeforeStart { .. } => 34,
        EventTooLong { .. } => 35,
        DayOutsideEvent { .. } => 36,
        DuplicateDay(_) => 37,
        TimeSkipped { .. } => 38,
        EndNotAfterStart { .. } => 39,
        UnsafeId(_) => 40,
        DuplicateId { .. } => 41,
        CaseClash { .. } => 42,
        NameTooLong { .. } => 43,
        UnknownSpeaker { .. } => 44,
        OrganiserIdOfSpeaker { .. } => 60,
        UnknownKind { .. } => 45,
        Overlap { .. } => 46,
        EmptyName => 47,
        SlugTaken { .. } => 48,
        UnknownTheme(_) => 49,
        Template(_) => 50,
        BadOutput(_) => 51,
        ForeignOutput { .. } => 52,
        OutputParentUnwritable { .. } => 53,
        LinkOutsideSite(_) => 54,
        LinkToHidden(_) => 55,
        Write(_) => 56,
        HostFileOwned(_) => 64,
        BadHeaders(_) => 65,
    }
}

const KINDS: usize = 67;

/// One problem of every kind, with values as a build would give them.
fn samples() -> Vec<Problem> {
    use Problem::*;
    let s = |text: &str| text.to_string();
    vec![
        Unreadable(s("Permission denied (os error 13)")),
        InvalidUtf8,
        Yaml(s(
            "`en`: expected the text of one language here, not another map",
        )),
        MissingColon {
            key: s("end"),
            fix: s("end: \"09:45\""),
        },
        MissingSpaceAfterColon {
            key: s("kind"),
            fix: s("kind: meal"),
        },
        Misaligned,
        ListItemHere,
        Tab,
        UnclosedQuote { quote: '"' },
        TextAfterQuote { fix: None },
        UnclosedBracket { open: '[' },
        ColonInValue { fix: None },
        ReservedStart {
            character: '@',
            fix: None,
        },
        Syntax(s("did not find expected node content")),
        DuplicateKey(s("end")),
        EmptyFile,
        ControlCharacter('\0'),
        YamlTooDeep { limit: 64 },
        YamlTooLarge { limit_mib: 64 },
        WrongType {
            subject: s("`end_date`"),
            expected: s("a text"),
            found: s("several `key: value` lines"),
            help: None,
        },
        EmptyValue {
            subject: s("`title`"),
            expected: s("a text"),
        },
        MissingKey {
            subject: s("this session"),
            key: s("kind"),
        },
        BadValue {
            subject: s("`direction`"),
            value: s("up"),
            expected: s("`ltr` or `rtl`"),
        },
        UnknownKey {
            key: s("ned"),
            suggestion: Some(s("end")),
            expected: vec!["end"],
        },
        FrontMatterNotClosed,
        FrontMatterMissing,
        UnknownTimeZone(s("Mars/Olympus")),
        BadDate(s("2024-02-30")),
        BadTime(s("25:00")),
        DefaultLanguageNotListed(s("de")),
        DuplicateLanguage(s("FR")),
        BadLanguageCode(s("english")),
        BadLocale(s("en_GB")),
        BadGender(s("f")),
        GenderDiffers {
            written: "male",
            other: "female",
        },
        NoLanguages,
        BadBaseUrl(s("example.org")),
        UrlCharacter {
            url: s("https://example.org/a b/"),
            character: ' ',
        },
        BadOrganiserUrl(s("javascript:alert(1)")),
        BadSessionUrl {
            field: "recording",
            url: s("javascript:alert(1)"),
        },
        BadPhoto {
            photo: s("speakers/amina.jpg"),
            reason: "is not a file in content/static/",
        },
        BadPhoto {
            photo: s("/home/amina.jpg"),
            reason: "must be written relative to content/static/, with `/` between folders",
        },
        BadPhoto {
            photo: s("../amina.jpg"),
            reason: "leads out of content/static/ (`..`)",
        },
        BadPhoto {
            photo: s("speakers/amina.jpg"),
            reason: "is a link that leads out of content/static/",
        },
        EventEndsBeforeStart {
            start: s("2024-03-01"),
            end: s("2024-02-29"),
        },
        EventTooLong { days: 7305 },
        DayOutsideEvent {
            date: s("2024-03-02"),
            start: s("2024-02-29"),
            end: s("2024-03-01"),
        },
        DuplicateDay(s("2024-02-29")),
        TimeSkipped {
            time: s("02:30"),
            date: s("2025-03-30"),
            zone: s("Europe/Paris"),
            from: s("02:00"),
            to: s("03:00"),
        },
        EndNotAfterStart {
            start: s("10:00"),
            end: s("09:00"),
        },
        UnsafeId(s("panel 2")),
        DuplicateId {
            id: s("opening"),
            first: s("content/programme.yaml:8:13"),
        },
        CaseClash {
            name: s("Opening"),
            other: s("opening"),
            first: s("content/programme.yaml:8:13"),
        },
        NameTooLong {
            start: s("a-very-long-id-that-goe"),
            length: 120,
            limit: 100,
        },
        UnknownSpeaker {
            id: s("karim-benalli"),
            suggestion: None,
            file: s("content/speakers/karim-benalli.en.md"),
            organisers: vec![],
        },
        OrganiserIdOfSpeaker {
            id: s("jane-placeholder"),
            speaker: s("jane-placeholder"),
            file: s("content/speakers/jane-placeholder.en.md"),
        },
        UnknownKind {
            kind: s("pannel"),
            kinds: vec!["panel"],
        },
        Overlap {
            id: s("panel-2"),
            other: s("panel-1"),
            other_time: s("10:00–11:30"),
            location: s(" in Main hall"),
        },
        EmptyName,
        SlugTaken {
            slug: s("programme"),
            other: s("the site's own programme page"),
        },
        UnknownTheme(s("dark")),
        Template(s("page.html: line 3: unexpected `}`")),
        BadOutput(s(". is the site itself")),
        BadOutput(s("/home contains the site")),
        BadOutput(s("content/out is inside the site's content")),
        BadOutput(s("notes.txt is a file")),
        BadOutput(s(
            "is a link that cannot be followed: Not a directory (os error 20)",
        )),
        ForeignOutput {
            entries: s("`Documents/`, `notes.txt`"),
        },
        OutputParentUnwritable {
            name: s("public"),
            why: s("Permission denied (os error 13)"),
        },
        LinkOutsideSite(s("/etc/passwd")),
        LinkToHidden(s(".git/config")),
        Write(s("No space left on device (os error 28)")),
        HostFileOwned(s("_headers")),
        BadHeaders("a path must start with /"),
    ]
}

#[test]
fn every_kind_of_error_is_explained_in_errors_md() {
    let samples = samples();
    let mut kinds: Vec<usize> = samples.iter().map(kind).collect();
    kinds.sort();
    kinds.dedup();
    assert_eq!(
        kinds,
        (0..KINDS).collect::<Vec<_>>(),
        "a sample of every kind of problem"
    );
    let messages: Vec<String> = samples.iter().map(Problem::to_string).collect();
    let missing = undocumented(messages.iter().map(String::as_str));
    assert!(
        missing.is_empty(),
        "docs/errors.md explains none of:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_check_of_errors_md_finds_a_message_it_does_not_explain() {
    assert_eq!(
        undocumented(["the moon is made of cheese"]),
        ["the moon is made of cheese"]
    );
    assert!(matches(
        "the day … appears twice in the programme",
        "the day 2024-02-29 appears twice in the programme"
    ));
    assert!(!matches(
        "the day … appears twice",
        "the day 2024-02-29 appears twice in the programme"
    ));
}

/// A site made by `majlis init` in a temporary folder.
fn init_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let site = temp.path().join("site");
    let run = Command::new(env!("CARGO_BIN_EXE_majlis"))
        .arg("init")
        .arg(&site)
        .output()
        .unwrap();
    assert!(run.status.success());
    (temp, site)
}

fn edit(site: &Path, file: &str, from: &str, to: &str) {
    let path = site.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn every_kind_of_warning_is_explained_in_errors_md() {
    let (_temp, site) = init_site();
    // A text without its Arabic, and one in a language the site lacks.
    edit(
        &site,
        "content/programme.yaml",
        "title: {en: Lunch, fr: Déjeuner, ar: الغداء}",
        "title: {en: Lunch, fr: Déjeuner, ae: الغداء}",
    );
    // A speaker and a page without their Arabic file.
    fs::remove_file(site.join("content/speakers/lina-haddad.ar.md")).unwrap();
    fs::remove_file(site.join("content/pages/about.ar.md")).unwrap();
    // A file in a language the site lacks, and interface strings of one.
    fs::write(
        site.join("content/pages/about.de.md"),
        "---\ntitle: Über uns\n---\n",
    )
    .unwrap();
    fs::create_dir_all(site.join("content/i18n")).unwrap();
    fs::write(site.join("content/i18n/de.yaml"), "programme: Programm\n").unwrap();
    // A front-matter key majlis does not know.
    edit(
        &site,
        "content/speakers/amina-rahal.en.md",
        "---\n",
        "---\nwebsite: https://example.org/\n",
    );
    // A person listed twice among a session's speakers.
    edit(
        &site,
        "content/programme.yaml",
        "speakers: [amina-rahal, tomas-ferreira]",
        "speakers: [amina-rahal, tomas-ferreira, amina-rahal]",
    );
    // A time the clocks show twice: Paris leaves summer time on 25 October 2026.
    edit(
        &site,
        "content/event.yaml",
        "end_date: 2026-10-15",
        "end_date: 2026-10-25",
    );
    fs::write(
        site.join("content/programme.yaml"),
        fs::read_to_string(site.join("content/programme.yaml")).unwrap()
            + "  - date: 2026-10-25\n    sessions:\n      - id: night-walk\n        start: \"02:30\"\n        kind: social\n        title: Night walk\n",
    )
    .unwrap();

    let run = majlis(&site, &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter_map(|line| line.split_once(": warning: ").map(|(_, w)| w))
        .collect();
    for expected in [
        "missing translation: ",
        "is not a language of the site; this text is never shown",
        "the speaker has no ar file",
        "the page has no ar file",
        "the language in the file name is not one of the site's languages",
        "is not a language of the site; the file is ignored",
        "unknown front-matter key `website`",
        "is listed twice",
        "happens twice on 2026-10-25",
    ] {
        assert!(
            warnings.iter().any(|w| w.contains(expected)),
            "no warning with {expected:?} in:\n{}",
            run.stderr
        );
    }
    let missing = undocumented(warnings.iter().copied());
    assert!(
        missing.is_empty(),
        "docs/errors.md explains none of:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_messages_of_init_serve_built_and_check_strict_are_explained_in_errors_md() {
    let (temp, site) = init_site();
    let mut messages = Vec::new();
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_majlis"))
            .args(args)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{args:?} should fail");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        stderr.lines().last().unwrap_or_default().to_string()
    };
    let file = temp.path().join("a-file");
    fs::write(&file, "").unwrap();
    messages.push(run(&["init", site.to_str().unwrap()]));
    messages.push(run(&["init", file.to_str().unwrap()]));
    let site_arg = site.to_str().unwrap();
    messages.push(run(&["--root", site_arg, "serve", "--built"]));
    fs::remove_file(site.join("content/pages/about.ar.md")).unwrap();
    let strict = majlis(&site, &["check", "--strict"]);
    assert_eq!(strict.code, 1);
    messages.push(strict.stderr.lines().last().unwrap().to_string());
    let bad_epoch = Command::new(env!("CARGO_BIN_EXE_majlis"))
        .args(["--root", site_arg, "check"])
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .unwrap();
    messages.push(
        String::from_utf8_lossy(&bad_epoch.stderr)
            .trim()
            .to_string(),
    );
    let messages: Vec<String> = messages
        .into_iter()
        .map(|m| m.strip_prefix("error: ").unwrap_or(&m).to_string())
        .collect();
    let missing = undocumented(messages.iter().map(String::as_str));
    assert!(
        missing.is_empty(),
        "docs/errors.md explains none of:\n{}",
        missing.join("\n")
    );
}

/// The first string literal of each `#[error("…")]` and `eprintln!("…")` of `src/`, its
/// `{…}` placeholders written `…`: every message majlis prints that is not a [`Problem`]
/// (whose samples [`every_kind_of_error_is_explained_in_errors_md`] checks).
fn printed_messages() -> Vec<(String, String)> {
    let mut files = vec![root().join("src")];
    let mut messages = Vec::new();
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(fs::read_dir(&path).unwrap().flatten().map(|e| e.path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        if path.ends_with("src/diagnostics.rs") {
            continue; // the problems, each checked with values as a build gives them
        }
        let text = fs::read_to_string(&path).unwrap();
        // The messages of the code, not of its tests.
        let code = text.split("#[cfg(test)]").next().unwrap();
        for start in ["#[error(", "eprintln!("] {
            for (at, _) in code.match_indices(start) {
                let rest = code[at + start.len()..].trim_start();
                let Some(literal) = rest.strip_prefix('"') else {
                    continue;
                };
                let message = placeholders(&unescape(literal));
                let words: String = message
                    .replace("error: ", "")
                    .replace("warning: ", "")
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .collect();
                // `"{warning}"`, `"error: {error}"`: a message printed as it is elsewhere.
                if words.len() >= 3 {
                    messages.push((relative(&path, &root()), message));
                }
            }
        }
    }
    messages
}

/// A Rust string literal's text, up to its closing quote (a `\` at a line's end joins it to
/// the next line's text).
fn unescape(literal: &str) -> String {
    let mut text = String::new();
    let mut chars = literal.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => break,
            '\\' => match chars.next() {
                Some('\n') => {
                    while chars.peek().is_some_and(|c| c.is_whitespace()) {
                        chars.next();
                    }
                }
                Some('n') => text.push('\n'),
                Some(other) => text.push(other),
                None => break,
            },
            c => text.push(c),
        }
    }
    text
}

/// `{…}` placeholders of a format string as `…`.
fn placeholders(format: &str) -> String {
    let mut text = String::new();
    let mut depth = 0;
    for c in format.chars() {
        match c {
            '{' => {
                if depth == 0 {
                    text.push('…');
                }
                depth += 1;
            }
            '}' if depth > 0 => depth -= 1,
            c if depth == 0 => text.push(c),
            _ => {}
        }
    }
    text
}

#[test]
fn every_message_printed_by_the_code_is_explained_in_errors_md() {
    let messages = printed_messages();
    assert!(messages.len() >= 10, "{messages:?}");
    let unexplained: Vec<String> = messages
        .iter()
        .filter(|(_, message)| {
            let message = message
                .strip_prefix("warning: ")
                .or_else(|| message.strip_prefix("error: "))
                .unwrap_or(message);
            !undocumented([message]).is_empty() && !undocumented([message.trim_end()]).is_empty()
        })
        .map(|(file, message)| format!("{file}: {message}"))
        .collect();
    assert!(
        unexplained.is_empty(),
        "docs/errors.md explains none of:\n{}",
        unexplained.join("\n")
    );
}
