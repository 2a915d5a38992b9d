//! Loading the files an editor writes: `content/event.yaml`, `content/programme.yaml`, the
//! speakers' and pages' Markdown, interface-string overrides and static files. Nothing here
//! checks how they fit together: that is [`crate::event`].

pub mod files;
pub mod frontmatter;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::cache::Cache;
use crate::config::Config;
use crate::diagnostics::{Errors, Place, Warning};
use crate::text::Text;
use files::MarkdownFile;
use yaml::Locator;

/// A parsed YAML file with the places of its values.
#[derive(Debug)]
pub struct Located<T> {
    /// The file, relative to the site's root.
    pub file: PathBuf,
    /// Its content.
    pub value: T,
    /// Where each value is.
    pub locator: Locator,
}

impl<T> Located<T> {
    /// The place of the value at `path` (`days.0.sessions.1.end`).
    pub fn place(&self, path: &str) -> Place {
        self.locator.place(&self.file, path)
    }
}

/// Everything an editor wrote, parsed but not yet checked as a whole.
#[derive(Debug)]
pub struct Content {
    /// `content/event.yaml`.
    pub event: Arc<Located<EventFile>>,
    /// `content/programme.yaml`.
    pub programme: Arc<Located<ProgrammeFile>>,
    /// `content/speakers/ID.LANG.md`.
    pub speakers: Vec<Arc<MarkdownFile<SpeakerMatter>>>,
    /// `content/pages/NAME.LANG.md`.
    pub pages: Vec<Arc<MarkdownFile<PageMatter>>>,
    /// `content/i18n/LANG.yaml`: interface strings by language.
    pub strings: BTreeMap<String, BTreeMap<String, String>>,
    /// Files under `content/static/`, relative to it.
    pub statics: Vec<PathBuf>,
    /// Where `content/static/` is.
    pub static_folder: PathBuf,
    /// What loading noticed but could work around.
    pub warnings: Vec<Warning>,
}

impl Content {
    /// Reads every content file of the site at `root`, reporting every error at once. Files
    /// whose bytes `cache` has seen are not parsed again.
    pub fn load(root: &Path, config: &Config, cache: &Cache) -> Result<Content, Errors> {
        let mut errors = Errors::default();
        let mut warnings = Vec::new();
        // The programme is the largest file by far: it is parsed while the speakers' files
        // are, on the other core.
        let ((event, programme), speakers) = rayon::join(
            || {
                let event = files::load_yaml(root, Path::new("content/event.yaml"), cache);
                let programme = files::load_yaml(root, Path::new("content/programme.yaml"), cache);
                (event.map_err(Errors::from), programme.map_err(Errors::from))
            },
            || {
                let mut noticed = Vec::new();
                let speakers =
                    files::load_markdown(root, "content/speakers", config, cache, &mut noticed);
                (speakers, noticed)
            },
        );
        let (speakers, noticed) = speakers;
        warnings.extend(noticed);
        let pages = files::load_markdown(root, "content/pages", config, cache, &mut warnings);
        let strings = files::load_strings(root, config, cache, &mut warnings);
        let statics = files::list_statics(root);
        let (
            Some(event),
            Some(programme),
            Some(speakers),
            Some(pages),
            Some(strings),
            Some(statics),
        ) = (
            keep(event, &mut errors),
            keep(programme, &mut errors),
            keep(speakers, &mut errors),
            keep(pages, &mut errors),
            keep(strings, &mut errors),
            keep(statics, &mut errors),
        )
        else {
            return Err(errors);
        };
        errors.into_result()?;
        Ok(Content {
            event,
            programme,
            speakers,
            pages,
            strings,
            statics,
            static_folder: root.join("content/static"),
            warnings,
        })
    }
}

/// The value, or `None` with its errors added to `errors`.
fn keep<T>(result: Result<T, Errors>, errors: &mut Errors) -> Option<T> {
    result.map_err(|e| errors.0.extend(e.0)).ok()
}

/// `content/event.yaml` as written.
// The fields are the keys of the file, documented in the README's format reference.
#[allow(missing_docs)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventFile {
    pub name: Text,
    pub short_name: Option<Text>,
    pub description: Option<Text>,
    pub timezone: String,
    pub start_date: String,
    pub end_date: String,
    pub venue: Option<Text>,
    #[serde(default)]
    pub organisers: Vec<OrganiserEntry>,
    #[serde(default)]
    pub interpretation: Vec<String>,
}

/// One organiser in `event.yaml`.
// The fields are the keys of the file, documented in the README's format reference.
#[allow(missing_docs)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganiserEntry {
    pub name: Text,
    pub role: Option<Text>,
    pub url: Option<String>,
}

/// `content/programme.yaml` as written.
// The fields are the keys of the file, documented in the README's format reference.
#[allow(missing_docs)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeFile {
    pub days: Vec<DayEntry>,
}

/// One day of the programme as written.
// The fields are the keys of the file, documented in the README's format reference.
#[allow(missing_docs)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayEntry {
    pub date: String,
    pub title: Option<Text>,
    #[serde(default)]
    pub sessions: Vec<SessionEntry>,
}

/// One session as written.
// The fields are the keys of the file, documented in the README's format reference.
#[allow(missing_docs)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionEntry {
    pub id: String,
    pub start: String,
    pub end: Option<String>,
    pub kind: String,
    pub title: Text,
    pub description: Option<Text>,
    #[serde(default)]
    pub moderators: Vec<String>,
    #[serde(default)]
    pub speakers: Vec<String>,
    pub location: Option<Text>,
    #[serde(default)]
    pub cancelled: bool,
}

/// The front matter of `content/speakers/ID.LANG.md`.
// The fields are the keys of the file, documented in the README's format reference.
#[allow(missing_docs)]
#[derive(Debug, Deserialize)]
pub struct SpeakerMatter {
    pub name: String,
    pub honorific: Option<String>,
    pub role: Option<String>,
    pub organisation: Option<String>,
    pub photo: Option<String>,
}

/// The front matter of `content/pages/NAME.LANG.md`.
// The fields are the keys of the file, documented in the README's format reference.
#[allow(missing_docs)]
#[derive(Debug, Deserialize)]
pub struct PageMatter {
    pub title: String,
    pub menu: Option<i64>,
    pub slug: Option<String>,
}
