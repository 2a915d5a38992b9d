//! Loading the files an editor writes: `content/event.yaml`, `content/programme.yaml`, the
//! speakers' and pages' Markdown, interface-string overrides and static files. Nothing here
//! checks how they fit together: that is [`crate::event`].

pub(crate) mod files;
mod format;
pub mod frontmatter;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostics::{Errors, Warning};
use crate::yaml::Located;
use files::{MarkdownFile, ParsedFiles};
pub use format::{
    DayEntry, EventFile, OrganiserEntry, PageMatter, ProgrammeFile, SessionEntry, SpeakerMatter,
};

/// Everything an editor wrote, parsed but not yet checked as a whole.
#[derive(Debug)]
pub(crate) struct Content {
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
    /// whose bytes an earlier build parsed (`cache`) are not parsed again.
    pub(crate) fn load(
        root: &Path,
        config: &Config,
        cache: &ParsedFiles,
    ) -> Result<Content, Errors> {
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

impl Content {
    /// The content the sessions of the calendar feeds are made from, and no more: the event,
    /// the programme and the speakers' front matter, as an earlier commit of the site has
    /// them ([`crate::history`] replays them). No pages, interface strings or static files.
    pub(crate) fn of_programme(
        event: Arc<Located<EventFile>>,
        programme: Arc<Located<ProgrammeFile>>,
        speakers: Vec<Arc<MarkdownFile<SpeakerMatter>>>,
    ) -> Content {
        Content {
            event,
            programme,
            speakers,
            pages: Vec::new(),
            strings: BTreeMap::new(),
            statics: Vec::new(),
            static_folder: PathBuf::new(),
            warnings: Vec::new(),
        }
    }
}

/// The value, or `None` with its errors added to `errors`.
fn keep<T>(result: Result<T, Errors>, errors: &mut Errors) -> Option<T> {
    result.map_err(|e| errors.0.extend(e.0)).ok()
}
