//! What each fuzz target does with its input, shared by the targets and by
//! `tests/fuzz_corpus.rs`, which replays the kept corpora and crashes with `cargo test`.

// Each target uses its own part of this module.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use majlis::content::{frontmatter, yaml, EventFile, PageMatter, ProgrammeFile, SpeakerMatter};
use majlis::diagnostics::Error;

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
