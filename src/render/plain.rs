//! The event's text in one language as plain text, for what is not HTML: calendar feeds and
//! conference-app exports.

use super::bidi;
use super::grammar::Grammar;
use super::markdown;
use super::strings::Strings;
use crate::config::{Config, Language};
use crate::event::{Event, Gender, Kind, Person, Session, Speaker};
use crate::text::{Chosen, Text};

/// Chooses plain text in one language, falling back as pages do.
pub(super) struct Plain<'a> {
    /// The event.
    pub event: &'a Event,
    /// The language's code.
    pub lang: &'a str,
    language: &'a Language,
    default: &'a str,
    strings: &'a Strings,
    grammar: &'a Grammar,
}

impl<'a> Plain<'a> {
    /// Plain text in `language`, whose interface strings are `strings` and grammar
    /// `grammar`.
    pub(super) fn new(
        config: &'a Config,
        event: &'a Event,
        language: &'a Language,
        strings: &'a Strings,
        grammar: &'a Grammar,
    ) -> Plain<'a> {
        Plain {
            event,
            lang: &language.code,
            language,
            default: &config.default_language().code,
            strings,
            grammar,
        }
    }

    /// Text as a plain-text client should show it in this language: every run of the other
    /// direction isolated (see [`bidi::isolate`]).
    pub(super) fn isolated(&self, text: &str) -> String {
        bidi::isolate(text, self.language.direction)
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

    /// The session's moderators and speakers, each with their position, joined as the
    /// language lists names, under the label of their count and gender:
    ///
    /// ```text
    /// Moderator: Mr. Rachid Marouane (Director, ANAPEC)
    /// Speakers: Ms. A (…), Mr. B (…) and Dr. C (…)
    /// ```
    pub(super) fn people(&self, session: &Session) -> Option<String> {
        let mut lines = Vec::new();
        for (people, one, many) in [
            (&session.moderators, "moderator", "moderators"),
            (&session.speakers, "speaker", "speakers"),
        ] {
            if people.is_empty() {
                continue;
            }
            let gender = Gender::common(people.iter().map(|&person| match person {
                Person::Speaker(i) => self.event.speakers[i].gender,
                Person::Organiser(_) => None,
            }));
            let label = self
                .strings
                .form(self.grammar, many, Some(one), people.len(), gender)
                .map_or(many, |l| l.text.as_str());
            let names: Vec<String> = people
                .iter()
                .map(|&person| self.person_with_position(person))
                .collect();
            lines.push(format!("{label}: {}", self.grammar.and_list(&names)));
        }
        (!lines.is_empty()).then(|| lines.join("\n"))
    }

    /// The session's links, one a line, each after its label ("Live stream: https://…").
    pub(super) fn links(&self, session: &Session) -> Option<String> {
        let lines: Vec<String> = session
            .links
            .present()
            .map(|(field, url)| format!("{}: {url}", self.ui(&format!("link_{field}"), field)))
            .collect();
        (!lines.is_empty()).then(|| lines.join("\n"))
    }

    /// "Dr. Varol Dur".
    pub(super) fn person_name(&self, speaker: &Speaker) -> String {
        let name = self.text(&speaker.name);
        match speaker.honorific.as_ref().map(|h| self.text(h).trim()) {
            Some(honorific) if !honorific.is_empty() => format!("{honorific} {name}"),
            _ => name.to_string(),
        }
    }

    /// A speaker's name as [`Plain::person_name`] gives it, or an organiser's.
    pub(super) fn name_of(&self, person: Person) -> String {
        match person {
            Person::Speaker(i) => self.person_name(&self.event.speakers[i]),
            Person::Organiser(i) => self.text(&self.event.organisers[i].name).to_string(),
        }
    }

    /// "Dr. Varol Dur (Deputy Director General, Turkish Employment Agency (İŞKUR))", or
    /// "SESRIC (Secretariat of the OIC-PESNET)".
    pub(super) fn person_with_position(&self, person: Person) -> String {
        let position = match person {
            Person::Speaker(i) => {
                let speaker = &self.event.speakers[i];
                self.non_empty([&speaker.role, &speaker.organisation])
            }
            Person::Organiser(i) => self.non_empty([&self.event.organisers[i].role]),
        };
        let name = self.name_of(person);
        if position.is_empty() {
            name
        } else {
            format!("{name} ({})", position.join(self.comma()))
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
        (!parts.is_empty()).then(|| parts.join(self.comma()))
    }

    /// What separates a position from an organisation, a room from a venue: the language's
    /// own comma (the interface string `comma`, "، " in Arabic).
    fn comma(&self) -> &str {
        self.ui("comma", ", ")
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
