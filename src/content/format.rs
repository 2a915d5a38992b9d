//! The content files' format, as an editor writes them: each struct is a file or an entry of
//! one, deserialized as it is; [`crate::event`] checks how they fit together.

use serde::Deserialize;

use crate::text::Text;

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
    pub id: Option<String>,
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
    pub stream: Option<String>,
    pub slides: Option<String>,
    pub recording: Option<String>,
    pub feedback: Option<String>,
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
    pub gender: Option<String>,
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
