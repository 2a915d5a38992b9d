//! What lets a calendar notice that a session changed (RFC 5545 §3.8.7.3, §3.8.7.4): each
//! session's `SEQUENCE` and `LAST-MODIFIED` in each language's feeds, which the renderer is
//! given (the pipeline derives them from the site's history), and the fingerprint of a
//! session's calendar content they are counted by.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::grammar::Grammar;
use super::plain::Plain;
use super::strings::Strings;
use crate::config::Config;
use crate::event::{Event, Person};
use crate::memo::{Digest, Key};

/// How many times a session's calendar content changed since it was added, and when it
/// last did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Revision {
    /// `SEQUENCE`: 0 when added, one more with each change.
    pub(crate) sequence: u32,
    /// `LAST-MODIFIED`: when it was added or last changed.
    pub(crate) modified: DateTime<Utc>,
}

/// A [`Revision`] for each session in each language, by language and session id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct Revisions(BTreeMap<(String, String), Revision>);

impl Revisions {
    /// Sets the revision of the session `id` in the feeds of `lang`.
    pub(crate) fn insert(&mut self, lang: &str, id: &str, revision: Revision) {
        self.0.insert((lang.to_string(), id.to_string()), revision);
    }

    /// The revision of the session `id` in the feeds of `lang`, if it is known.
    pub(super) fn get(&self, lang: &str, id: &str) -> Option<Revision> {
        self.0.get(&(lang.to_string(), id.to_string())).copied()
    }
}

/// Each session's calendar content in each language, hashed, by language and session id:
/// what a change of raises its `SEQUENCE` (issue 24). That is its date, start and end (and
/// the event's time zone, which places them), title, description, location (its room and
/// the event's venue), its moderators' and speakers' names and positions, its links (stream,
/// slides, recording, feedback form), and whether it is cancelled, each as the feed of the language writes it, fallbacks included. Not the
/// interface strings around them, its kind, its address, a biography or a photo.
pub(crate) fn fingerprints(config: &Config, event: &Event) -> BTreeMap<(String, String), Key> {
    // The interface strings are not part of it: without any, the text is the same.
    let strings = Strings::none();
    let mut fingerprints = BTreeMap::new();
    for language in &config.languages {
        // The locale was checked when the configuration was read; a version of the history
        // whose locale this majlis cannot read has no fingerprints (SEQUENCE:0).
        let Ok(grammar) = Grammar::new(&language.locale) else {
            continue;
        };
        let plain = Plain::new(config, event, language, &strings, &grammar);
        for (day, session) in event.sessions() {
            let title = plain.chosen(&session.title);
            let people = |list: &[Person]| -> Vec<String> {
                list.iter()
                    .map(|&person| plain.person_with_position(person))
                    .collect()
            };
            let mut digest = Digest::new("calendar content");
            digest
                .hash(event.timezone.name())
                .hash(&(day.date, session.start, session.end))
                .hash(&(title.text, title.lang))
                .hash(&plain.description(session))
                .hash(&plain.location(session))
                .hash(&(people(&session.moderators), people(&session.speakers)))
                // A recording added after the session is news to the calendars that hold it.
                .hash(&session.links)
                .hash(&session.cancelled);
            fingerprints.insert((language.code.clone(), session.id.clone()), digest.finish());
        }
    }
    fingerprints
}
