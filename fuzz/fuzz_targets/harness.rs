//! What each fuzz target does with its input, shared by the targets and by
//! `tests/fuzz_corpus.rs`, which replays the kept corpora and crashes with `cargo test`.

// Each target uses its own part of this module.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use majlis::content::{frontmatter, EventFile, PageMatter, ProgrammeFile, SpeakerMatter};
use majlis::diagnostics::Error;
use majlis::yaml;

#[path = "../../tests/common/dom.rs"]
mod dom;

/// The files of a site that the `site` target takes from its input, cut at NUL bytes.
const SITE_FILES: [&str; 5] = [
    "site-config.yaml",
    "content/event.yaml",
    "content/programme.yaml",
    "content/speakers/jane-placeholder.en.md",
    "content/pages/info.en.md",
];

/// Front-matter splitting and parsing of arbitrary bytes.
pub fn front_matter(data: &[u8]) {
    let file = Path::new("content/speakers/x.en.md");
    let Ok(text) = yaml::decode(data.to_vec(), file) else {
        return;
    };
    if let Ok(split) = frontmatter::split(&text, file) {
        let _ = yaml::parse_located::<SpeakerMatter>(split.yaml, file, split.yaml_first_line);
        let _ = yaml::parse_located::<PageMatter>(split.yaml, file, split.yaml_first_line);
    }
}

/// YAML of any shape, read as each kind of YAML file of a site and as any value: never a
/// panic, and every error is at a line of the text, in time linear in its length.
pub fn yaml(data: &[u8]) {
    let file = Path::new("content/programme.yaml");
    let Ok(text) = yaml::decode(data.to_vec(), file) else {
        return;
    };
    // Lines end as YAML ends them: LF, CR LF, or CR alone; libyaml (YAML 1.1) also ends
    // them at NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR.
    let lines = text
        .replace("\r\n", "\n")
        .split(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'])
        .count();
    let at_a_line = |result: Result<(), Error>| {
        if let Err(error) = result {
            let line = error.place.line().unwrap_or(1);
            assert!(
                (1..=lines).contains(&line),
                "{error} is outside the {lines} lines of the text"
            );
        }
    };
    at_a_line(yaml::parse_located::<ProgrammeFile>(&text, file, 0).map(drop));
    at_a_line(yaml::parse_located::<EventFile>(&text, file, 0).map(drop));
    at_a_line(yaml::parse_located::<BTreeMap<String, String>>(&text, file, 0).map(drop));
    at_a_line(yaml::parse_located::<serde_yaml::Value>(&text, file, 0).map(drop));
}

/// Runs inputs against copies of a valid one-language site (the `minimal` fixture).
pub struct Harness {
    fixture: PathBuf,
}

impl Harness {
    /// `repository` is the majlis repository's root.
    pub fn new(repository: &Path) -> Harness {
        Harness {
            fixture: repository.join("tests/sites/minimal"),
        }
    }

    /// `content/programme.yaml` of arbitrary bytes, loaded and checked.
    pub fn programme(&self, data: &[u8]) {
        let site = self.site_copy();
        fs::write(site.path().join("content/programme.yaml"), data).unwrap();
        let _ = majlis::check(site.path(), &majlis::Options::default());
    }

    /// A whole site of arbitrary bytes, loaded, checked and rendered.
    pub fn site(&self, data: &[u8]) {
        let site = self.site_copy();
        for (file, bytes) in SITE_FILES.iter().zip(data.split(|b| *b == 0)) {
            fs::write(site.path().join(file), bytes).unwrap();
        }
        let _ = majlis::build(site.path(), &majlis::Options::default());
    }

    fn site_copy(&self) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for file in &SITE_FILES[..4] {
            let target = dir.path().join(file);
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::copy(self.fixture.join(file), target).unwrap();
        }
        fs::create_dir_all(dir.path().join("content/pages")).unwrap();
        dir
    }
}

/// Hostile text in every field of a site that reaches a page. The input is cut at NUL bytes
/// into the text of each field (see [`HOSTILE_FIELDS`]); its first byte, even or odd, turns
/// raw HTML in Markdown off or on. The site is built unminified, then minified: every page
/// must parse to the same elements, attributes and text both ways; with raw HTML off, no
/// page may hold script that the theme did not put there. A site that does not build (an
/// empty name) must fail both ways. Whether it built comes back.
pub fn hostile_text(data: &[u8]) -> bool {
    let raw_html = data.first().is_some_and(|b| b % 2 == 1);
    let texts: Vec<String> = data
        .get(1..)
        .unwrap_or_default()
        .split(|b| *b == 0)
        .map(|t| String::from_utf8_lossy(t).into_owned())
        .collect();
    let text = |field: &str| {
        let i = HOSTILE_FIELDS.iter().position(|f| *f == field).unwrap();
        texts.get(i).map_or("x", String::as_str)
    };
    let site = tempfile::tempdir().unwrap();
    let write = |file: &str, content: &str| {
        let path = site.path().join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    };
    let q = yaml_string;
    let config =
        |minify: bool| {
            format!(
            "base_url: {}\ndefault_language: fr\nlanguages:\n  - code: fr\n    name: Français\n\
             \x20 - code: en\n    name: {}\n  - code: ar\n    name: العربية\n\
             minify: {minify}\nmarkdown:\n  raw_html: {raw_html}\n",
            q(&format!("https://fuzz.example.test/{}/", url_path(text("base_url path")))),
            q(text("language name")),
        )
        };
    write(
        "content/event.yaml",
        &format!(
            "name: {{fr: {}, en: {}}}\nshort_name: {}\ndescription: {{fr: {}}}\nvenue: {}\n\
             organisers:\n  - name: {}\n    role: {{en: {}}}\n    url: {}\n\
             timezone: Europe/Paris\nstart_date: 2025-05-14\nend_date: 2025-05-14\n\
             interpretation: [fr, en]\n",
            q(text("event name fr")),
            q(text("event name en")),
            q(text("short name")),
            q(text("event description")),
            q(text("venue")),
            q(text("organiser name")),
            q(text("organiser role")),
            q(&format!(
                "https://org.example.test/{}",
                url_path(text("organiser url path"))
            )),
        ),
    );
    write(
        "content/programme.yaml",
        &format!(
            "days:\n  - date: 2025-05-14\n    title: {}\n    sessions:\n\
             \x20     - id: one\n        start: \"09:00\"\n        end: \"10:00\"\n        kind: panel\n\
             \x20       title: {{fr: {}, en: {}}}\n        description: {}\n        location: {}\n\
             \x20       moderators: [someone]\n        speakers: [someone]\n",
            q(text("day title")),
            q(text("session title fr")),
            q(text("session title en")),
            q(text("session description")),
            q(text("location")),
        ),
    );
    let photo = text("photo file");
    let photo_ok = !photo.is_empty()
        && photo.len() < 200
        && !photo.contains(['/', '\\', '\0'])
        && !photo.starts_with('.')
        && !photo.ends_with(['~', '#'])
        && ![".swp", ".swx", ".tmp"]
            .iter()
            .any(|end| photo.ends_with(end))
        && photo != "4913";
    let photo_line = if photo_ok {
        write(&format!("content/static/{photo}"), "png");
        format!("photo: {}\n", q(photo))
    } else {
        String::new()
    };
    write(
        "content/speakers/someone.fr.md",
        &format!(
            "---\nname: {}\nhonorific: {}\nrole: {}\norganisation: {}\n{photo_line}---\n{}",
            q(text("speaker name")),
            q(text("honorific")),
            q(text("speaker role")),
            q(text("organisation")),
            text("biography"),
        ),
    );
    write(
        "content/pages/info.fr.md",
        &format!(
            "---\ntitle: {}\nmenu: 1\n---\n{}",
            q(text("page title")),
            text("page body")
        ),
    );
    write(
        "content/i18n/fr.yaml",
        &format!("programme: {}\n", q(text("interface string"))),
    );

    let mut built = Vec::new();
    for minify in [false, true] {
        write("site-config.yaml", &config(minify));
        built.push(majlis::build(site.path(), &majlis::Options::default()));
    }
    let (Ok(plain), Ok(minified)) = (&built[0], &built[1]) else {
        assert!(
            built.iter().all(Result::is_err),
            "a site builds unminified or minified only: {:?}",
            built.iter().map(Result::is_ok).collect::<Vec<_>>()
        );
        return false;
    };
    let pages = |output: &majlis::output::Output| -> Vec<(String, String)> {
        output
            .iter()
            .filter(|(path, _)| path.ends_with(".html"))
            .map(|(path, bytes)| {
                (
                    path.to_string(),
                    String::from_utf8_lossy(bytes).into_owned(),
                )
            })
            .collect()
    };
    let (plain, minified) = (pages(&plain.output), pages(&minified.output));
    assert_eq!(
        plain.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        minified.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    for ((path, plain), (_, minified)) in plain.iter().zip(&minified) {
        if let Some(difference) = dom::difference(plain, minified) {
            panic!("{path} minified {difference}");
        }
        if !raw_html {
            let found = dom::script_capable(minified);
            assert!(found.is_empty(), "{path}: {found:?}");
        }
    }
    true
}

/// `text` as far as a URL's path can hold it: what a URL cannot (quotes, spaces, `<`), and
/// the `?` and `#` that would end the path, left out. The rest (`'`, `&`, `=`, `(`) reaches
/// the pages.
fn url_path(text: &str) -> String {
    text.chars()
        .filter(|c| majlis::links::invalid_character(&c.to_string()).is_none())
        .filter(|c| !matches!(c, '?' | '#' | '%'))
        .collect()
}

/// The fields [`hostile_text`] fills, in the order of the input's parts.
pub const HOSTILE_FIELDS: [&str; 24] = [
    "event name fr",
    "event name en",
    "short name",
    "event description",
    "venue",
    "organiser name",
    "organiser role",
    "organiser url path",
    "day title",
    "session title fr",
    "session title en",
    "session description",
    "location",
    "speaker name",
    "honorific",
    "speaker role",
    "organisation",
    "biography",
    "photo file",
    "page title",
    "page body",
    "language name",
    "interface string",
    "base_url path",
];

/// `text` as a double-quoted YAML scalar: every character but printable ASCII escaped, so
/// that any text is read back as it is.
fn yaml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}
