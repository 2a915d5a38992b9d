//! The event's text in one language as plain text, for what is not HTML: calendar feeds and
//! conference-app exports.

use super::markdown;
use super::strings::Strings;
use crate::config::Config;
use crate::event::{Event, Kind, Session, Speaker};
use crate::text::{Chosen, Text};

/// Chooses plain text in one language, falling back as pages do.
pub(super) struct Plain<'a> {
    /// The event.
    pub event: &'a Event,
    /// The language's code.
    pub lang: &'a str,
    default: &'a str,
    strings: &'a Strings,
}

impl<'a> Plain<'a> {
    /// Plain text in the language `lang`, whose interface strings are `strings`.
    pub(super) fn new(
        config: &'a Config,
        event: &'a Event,
        lang: &'a str,
        strings: &'a Strings,
    ) -> Plain<'a> {
        Plain {
            event,
            lang,
            default: &config.default_language().code,
            strings,
        }
    }

    /// A text field, and the language it is in.
    pub(super) fn chosen<'t>(&self, text: &'t Text) -> Chosen<'t> {
        text.get(self.lang, self.default)
    }

    /// A text field.
    pub(super) fn text<'t>(&self, text: &'t Text) -> &'t str {
        self.chosen(text).text
    }

    /// An interface string, or `fallback` when the theme has none.
    pub(super) fn ui<'k>(&'k self, key: &str, fallback: &'k str) -> &'k str {
        self.strings.text(key).unwrap_or(fallback)
    }

    /// A session kind's name ("Round table").
    pub(super) fn kind(&self, kind: Kind) -> &str {
        self.ui(&format!("kind_{}", kind.name()), kind.name())
    }

    /// The session's description, Markdown rendered to text, and the language it is in.
    pub(super) fn description<'s>(&'s self, session: &'s Session) -> Option<(String, &'s str)> {
        let chosen = self.chosen(session.description.as_ref()?);
        let text = markdown::to_text(chosen.text);
        (!text.is_empty()).then(|| (text, chosen.lang.unwrap_or(self.lang)))
    }

    /// The session's moderators and speakers, each with their position:
    ///
    /// ```text
    /// Moderator:
    /// - Mr. Rachid Marouane (Director, ANAPEC)
    /// Speakers:
    /// - ...
    /// ```
    pub(super) fn people(&self, session: &Session) -> Option<String> {
        let mut blocks = Vec::new();
        for (people, one, many) in [
            (&session.moderators, "moderator", "moderators"),
            (&session.speakers, "speaker", "speakers"),
        ] {
            if people.is_empty() {
                continue;
            }
            let key = if people.len() == 1 { one } else { many };
            let mut block = format!("{}:", self.ui(key, key));
            for &i in people {
                block.push_str("\n- ");
                block.push_str(&self.person_with_position(&self.event.speakers[i]));
            }
            blocks.push(block);
        }
        (!blocks.is_empty()).then(|| blocks.join("\n"))
    }

    /// "Dr. Varol Dur".
    pub(super) fn person_name(&self, speaker: &Speaker) -> String {
        let name = self.text(&speaker.name);
        match speaker.honorific.as_ref().map(|h| self.text(h).trim()) {
            Some(honorific) if !honorific.is_empty() => format!("{honorific} {name}"),
            _ => name.to_string(),
        }
    }

    /// "Dr. Varol Dur (Deputy Director General, Turkish Employment Agency (İŞKUR))".
    pub(super) fn person_with_position(&self, speaker: &Speaker) -> String {
        let position = self.non_empty([&speaker.role, &speaker.organisation]);
        let name = self.person_name(speaker);
        if position.is_empty() {
            name
        } else {
            format!("{name} ({})", position.join(", "))
        }
    }

    /// The session's room, if it has one.
    pub(super) fn room<'s>(&self, session: &'s Session) -> Option<&'s str> {
        session
            .location
            .as_ref()
            .map(|t| self.text(t).trim())
            .filter(|t| !t.is_empty())
    }

    /// The session's room and the event's venue, as a calendar shows them and a map app
    /// finds them: "Salle A, Lyon, France".
    pub(super) fn location(&self, session: &Session) -> Option<String> {
        let parts = self.non_empty([&session.location, &self.event.venue]);
        (!parts.is_empty()).then(|| parts.join(", "))
    }

    fn non_empty<'t, const N: usize>(&self, texts: [&'t Option<Text>; N]) -> Vec<&'t str> {
        texts
            .into_iter()
            .flatten()
            .map(|t| self.text(t).trim())
            .filter(|t| !t.is_empty())
            .collect()
    }
}
