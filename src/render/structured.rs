//! Structured data: schema.org JSON-LD for search engines and link previews (issue 5). The
//! event with a `subEvent` per session on the home and programme pages, a `Person` on each
//! speaker's page, and the page and the site elsewhere, all with absolute URLs and times that
//! carry their UTC offset.

use serde_json::{json, Map, Value};

use super::dates;
use super::markdown;
use super::pages::PageRef;
use super::plain::Plain;
use crate::config::Config;
use crate::event::{Day, Event, Session};

const CONTEXT: &str = "https://schema.org";
const SCHEDULED: &str = "https://schema.org/EventScheduled";
const CANCELLED: &str = "https://schema.org/EventCancelled";
const OFFLINE: &str = "https://schema.org/OfflineEventAttendanceMode";

/// The JSON-LD of one page, in the language of `plain`, ready to stand inside
/// `<script type="application/ld+json">`.
pub fn page(config: &Config, plain: &Plain, page: PageRef) -> String {
    let ld = Ld { config, plain };
    let value = match page {
        PageRef::Home | PageRef::Programme => ld.event(),
        PageRef::Speaker(i) => ld.person(i),
        PageRef::Speakers => ld.web_page(page, plain.ui("speakers", "Speakers")),
        PageRef::Page(i) => ld.web_page(page, plain.text(&plain.event.pages[i].title)),
    };
    script_safe(&value)
}

/// The JSON-LD of the language chooser at the site's root: the site, in all its languages.
pub fn site(config: &Config, plain: &Plain) -> String {
    let ld = Ld { config, plain };
    let mut site = ld.site();
    site.insert("@context".into(), CONTEXT.into());
    site.insert(
        "inLanguage".into(),
        one_or_many(config.languages.iter().map(|l| l.code.clone()).collect()),
    );
    script_safe(&Value::Object(site))
}

/// JSON that cannot end its `<script>` element or open a comment there: `<`, `>` and `&`
/// only ever occur inside strings, where their `\u` escapes mean the same characters.
fn script_safe(value: &Value) -> String {
    let json = value.to_string();
    let mut out = String::with_capacity(json.len() + 64);
    let mut rest = json.as_str();
    // Whole runs between the three characters are copied at once: the JSON of a large
    // programme is megabytes, and serve makes it on every rebuild.
    while let Some(i) = rest.find(['<', '>', '&']) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            _ => "\\u0026",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
    out
}

/// A string for one value, an array for several, as schema.org properties take them.
fn one_or_many(mut values: Vec<String>) -> Value {
    if values.len() == 1 {
        Value::String(values.remove(0))
    } else {
        values.into()
    }
}

/// Builds the JSON-LD of one language.
struct Ld<'a> {
    config: &'a Config,
    plain: &'a Plain<'a>,
}

impl Ld<'_> {
    fn event_model(&self) -> &Event {
        self.plain.event
    }

    /// A page's absolute URL.
    fn url(&self, page: PageRef) -> String {
        let dir = page.dir(self.event_model(), self.plain.lang);
        format!("{}{dir}", self.config.base_url)
    }

    /// The event's identifier, by which the other pages refer to it.
    fn event_id(&self) -> String {
        format!("{}#event", self.url(PageRef::Home))
    }

    /// The languages the event is held in: its interpretation languages, or else the page's.
    fn languages(&self) -> Value {
        let event = self.event_model();
        if event.interpretation.is_empty() {
            self.plain.lang.into()
        } else {
            one_or_many(event.interpretation.clone())
        }
    }

    fn venue(&self) -> Option<&str> {
        let venue = self.plain.text(self.event_model().venue.as_ref()?).trim();
        (!venue.is_empty()).then_some(venue)
    }

    /// The place of the event, or of a session in one of its rooms.
    fn place(&self, room: Option<&str>) -> Option<Value> {
        let venue = self.venue();
        let mut place = Map::new();
        place.insert("@type".into(), "Place".into());
        place.insert("name".into(), room.or(venue)?.into());
        if let Some(venue) = venue {
            place.insert("address".into(), venue.into());
        }
        Some(Value::Object(place))
    }

    fn event(&self) -> Value {
        let event = self.event_model();
        let mut out = Map::new();
        out.insert("@context".into(), CONTEXT.into());
        out.insert("@type".into(), "Event".into());
        out.insert("@id".into(), self.event_id().into());
        out.insert("name".into(), self.plain.text(&event.name).into());
        if let Some(short) = &event.short_name {
            out.insert("alternateName".into(), self.plain.text(short).into());
        }
        if let Some(description) = &event.description {
            let text = markdown::to_text(self.plain.text(description));
            if !text.trim().is_empty() {
                out.insert("description".into(), text.trim().into());
            }
        }
        out.insert("url".into(), self.url(PageRef::Home).into());
        out.insert("startDate".into(), event.start_date.to_string().into());
        out.insert("endDate".into(), event.end_date.to_string().into());
        out.insert("eventStatus".into(), SCHEDULED.into());
        out.insert("eventAttendanceMode".into(), OFFLINE.into());
        if let Some(place) = self.place(None) {
            out.insert("location".into(), place);
        }
        let organisers: Vec<Value> = event
            .organisers
            .iter()
            .map(|o| {
                let mut organisation = Map::new();
                organisation.insert("@type".into(), "Organization".into());
                organisation.insert("name".into(), self.plain.text(&o.name).into());
                if let Some(url) = &o.url {
                    organisation.insert("url".into(), url.as_str().into());
                }
                Value::Object(organisation)
            })
            .collect();
        if !organisers.is_empty() {
            out.insert("organizer".into(), organisers.into());
        }
        out.insert("inLanguage".into(), self.languages());
        let sessions: Vec<Value> = event
            .programme
            .days
            .iter()
            .flat_map(|day| day.sessions.iter().map(move |s| self.session(day, s, true)))
            .collect();
        if !sessions.is_empty() {
            out.insert("subEvent".into(), sessions.into());
        }
        Value::Object(out)
    }

    /// A session as an event of its own; with its people, for the programme. It says only
    /// what is its own: a programme of thousands of sessions stays light on a phone, what
    /// it shares with the event (languages, attendance mode) is the event's, and each person
    /// is a reference to the full `Person` on their own page.
    fn session(&self, day: &Day, session: &Session, with_people: bool) -> Value {
        let zone = self.event_model().timezone;
        let url = format!("{}#{}", self.url(PageRef::Programme), session.id);
        let mut out = Map::new();
        out.insert("@type".into(), "Event".into());
        out.insert("@id".into(), url.clone().into());
        out.insert("name".into(), self.plain.text(&session.title).into());
        out.insert("url".into(), url.into());
        out.insert(
            "startDate".into(),
            dates::iso(zone, day.date.and_time(session.start)).into(),
        );
        if let Some(end) = session.end {
            out.insert(
                "endDate".into(),
                dates::iso(zone, day.date.and_time(end)).into(),
            );
        }
        let status = if session.cancelled {
            CANCELLED
        } else {
            SCHEDULED
        };
        out.insert("eventStatus".into(), status.into());
        if let Some(place) = self.place(self.plain.room(session)) {
            out.insert("location".into(), place);
        }
        if with_people {
            let people: Vec<Value> = session
                .moderators
                .iter()
                .chain(&session.speakers)
                .map(|&i| {
                    let speaker = &self.event_model().speakers[i];
                    let url = self.url(PageRef::Speaker(i));
                    json!({
                        "@type": "Person",
                        "@id": format!("{url}#person"),
                        "name": self.plain.text(&speaker.name),
                        "url": url,
                    })
                })
                .collect();
            if !people.is_empty() {
                out.insert("performer".into(), people.into());
            }
        }
        Value::Object(out)
    }

    /// A person as a session names them: who they are and where their page is. `index` is
    /// theirs in the event's speakers.
    fn person_ref(&self, index: usize) -> Map<String, Value> {
        let speaker = &self.event_model().speakers[index];
        let url = self.url(PageRef::Speaker(index));
        let mut out = Map::new();
        out.insert("@type".into(), "Person".into());
        out.insert("@id".into(), format!("{url}#person").into());
        out.insert("name".into(), self.plain.text(&speaker.name).into());
        for (key, text) in [
            ("honorificPrefix", &speaker.honorific),
            ("jobTitle", &speaker.role),
        ] {
            if let Some(text) = text.as_ref().map(|t| self.plain.text(t).trim()) {
                if !text.is_empty() {
                    out.insert(key.into(), text.into());
                }
            }
        }
        if let Some(organisation) = speaker.organisation.as_ref() {
            let name = self.plain.text(organisation).trim();
            if !name.is_empty() {
                out.insert(
                    "worksFor".into(),
                    json!({ "@type": "Organization", "name": name }),
                );
            }
        }
        out.insert("url".into(), url.into());
        out
    }

    /// A speaker's page: the person, their biography and photo, and the sessions they are in.
    fn person(&self, index: usize) -> Value {
        let speaker = &self.event_model().speakers[index];
        let mut out = self.person_ref(index);
        out.insert("@context".into(), CONTEXT.into());
        let biography = markdown::to_text(self.plain.text(&speaker.biography));
        if !biography.trim().is_empty() {
            out.insert("description".into(), biography.trim().into());
        }
        if let Some(photo) = &speaker.photo {
            out.insert(
                "image".into(),
                format!("{}{photo}", self.config.base_url).into(),
            );
        }
        let days = &self.event_model().programme.days;
        let sessions: Vec<Value> = speaker
            .appearances
            .iter()
            .map(|a| {
                let day = &days[a.day];
                self.session(day, &day.sessions[a.session], false)
            })
            .collect();
        if !sessions.is_empty() {
            out.insert("performerIn".into(), sessions.into());
        }
        Value::Object(out)
    }

    /// The site, to which every page belongs.
    fn site(&self) -> Map<String, Value> {
        let mut site = Map::new();
        site.insert("@type".into(), "WebSite".into());
        site.insert(
            "@id".into(),
            format!("{}#website", self.config.base_url).into(),
        );
        site.insert(
            "name".into(),
            self.plain.text(&self.event_model().name).into(),
        );
        site.insert("url".into(), self.config.base_url.as_str().into());
        site
    }

    /// Any other page: what it is called, and that it is about the event.
    fn web_page(&self, page: PageRef, title: &str) -> Value {
        json!({
            "@context": CONTEXT,
            "@type": "WebPage",
            "@id": self.url(page),
            "name": title,
            "url": self.url(page),
            "inLanguage": self.plain.lang,
            "isPartOf": Value::Object(self.site()),
            "about": { "@id": self.event_id() },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_cannot_close_the_script_element() {
        let value = json!({ "name": "</script><script>alert(1)</script> & <!--" });
        let safe = script_safe(&value);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value, "the escapes mean the same text");
    }
}
