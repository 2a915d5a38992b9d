//! Structured data: schema.org JSON-LD for search engines and link previews (issue 5). The
//! event with a `subEvent` per session on the home and programme pages, a `Person` on each
//! speaker's page, and the page and the site elsewhere, all with absolute URLs and times that
//! carry their UTC offset.

use std::io;

use rayon::prelude::*;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::ser::Formatter;
use serde_json::value::RawValue;
use serde_json::{json, Map, Value};

use super::dates;
use super::markdown;
use super::plain::Plain;
use super::routes::PageRef;
use crate::config::Config;
use crate::event::{Day, Event, Organiser, Person, Session};
use crate::links;

const CONTEXT: &str = "https://schema.org";
const SCHEDULED: &str = "https://schema.org/EventScheduled";
const CANCELLED: &str = "https://schema.org/EventCancelled";
const OFFLINE: &str = "https://schema.org/OfflineEventAttendanceMode";
/// A session with a stream: in its room and online.
const MIXED: &str = "https://schema.org/MixedEventAttendanceMode";

/// The JSON-LD of every session in one language without its people, made once and then
/// copied into the page of each of its speakers, as their `performerIn`.
#[derive(Default)]
pub(super) struct Sessions {
    /// By day, then by session.
    alone: Vec<Vec<Box<RawValue>>>,
}

impl Sessions {
    /// The sessions of the event in the language of `plain`.
    pub(super) fn new(config: &Config, plain: &Plain) -> Sessions {
        let ld = Ld { config, plain };
        let alone = plain
            .event
            .programme
            .days
            .par_iter()
            .map(|day| {
                day.sessions
                    .iter()
                    .map(|s| raw(&ld.session(day, s, false)))
                    .collect()
            })
            .collect();
        Sessions { alone }
    }
}

/// The JSON-LD of one page, in the language of `plain`, ready to stand inside
/// `<script type="application/ld+json">`.
pub(super) fn page(config: &Config, plain: &Plain, sessions: &Sessions, page: PageRef) -> String {
    let ld = Ld { config, plain };
    match page {
        PageRef::Home | PageRef::Programme => {
            // Each session made as it is written: the whole programme is never held as values.
            let days = &plain.event.programme.days;
            let all = OneByOne(|| {
                let ld = &ld;
                days.iter()
                    .flat_map(move |day| day.sessions.iter().map(move |s| ld.session(day, s, true)))
            });
            let any = days.iter().any(|day| !day.sessions.is_empty());
            script_safe(&With::events(ld.event(), "subEvent", any.then_some(all)))
        }
        PageRef::Speaker(i) => {
            let events: Vec<&RawValue> = plain.event.speakers[i]
                .sessions()
                .into_iter()
                .map(|(day, session)| sessions.alone[day][session].as_ref())
                .collect();
            let any = !events.is_empty();
            script_safe(&With::events(
                ld.person(i),
                "performerIn",
                any.then_some(events),
            ))
        }
        PageRef::Speakers => script_safe(&ld.web_page(page, plain.ui("speakers", "Speakers"))),
        PageRef::Agenda => script_safe(&ld.web_page(page, plain.ui("agenda", "My agenda"))),
        PageRef::Search => script_safe(&ld.web_page(page, plain.ui("search", "Search"))),
        PageRef::Page(i) => {
            script_safe(&ld.web_page(page, plain.text(&plain.event.pages[i].title)))
        }
    }
}

/// The JSON-LD of the language chooser at the site's root: the site, in all its languages.
pub(super) fn site(config: &Config, plain: &Plain) -> String {
    let ld = Ld { config, plain };
    let mut site = ld.site();
    site.insert("@context".into(), CONTEXT.into());
    site.insert(
        "inLanguage".into(),
        one_or_many(config.languages.iter().map(|l| l.code.clone()).collect()),
    );
    script_safe(&Value::Object(site))
}

/// A JSON object with its own fields, then a list of events when there are any.
struct With<E> {
    fields: Value,
    key: &'static str,
    events: Option<E>,
}

impl<E: Serialize> With<E> {
    fn events(fields: Value, key: &'static str, events: Option<E>) -> With<E> {
        With {
            fields,
            key,
            events,
        }
    }
}

impl<E: Serialize> Serialize for With<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = self.fields.as_object();
        let mut map = serializer.serialize_map(None)?;
        for (key, value) in fields.into_iter().flatten() {
            map.serialize_entry(key, value)?;
        }
        if let Some(events) = &self.events {
            map.serialize_entry(self.key, events)?;
        }
        map.end()
    }
}

/// A list made item by item as it is serialized, from a function that starts it anew.
struct OneByOne<F>(F);

impl<F, I> Serialize for OneByOne<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// JSON that cannot end its `<script>` element or open a comment there: `<`, `>` and `&`
/// only ever occur inside strings, where they are written as their `\u` escapes, which mean
/// the same characters. Events made beforehand are copied as they are: they were written
/// the same way.
fn script_safe(value: &impl Serialize) -> String {
    let mut json = Vec::with_capacity(1024);
    let mut serializer = serde_json::Serializer::with_formatter(&mut json, ScriptSafe);
    // Serializing a value of strings and maps into memory cannot fail.
    let _ = value.serialize(&mut serializer);
    String::from_utf8(json).unwrap_or_default()
}

/// [`script_safe`] JSON of one session, kept to be copied into pages.
fn raw(value: &Value) -> Box<RawValue> {
    RawValue::from_string(script_safe(value)).unwrap_or_else(|_| Box::<RawValue>::default())
}

/// serde_json's compact output, with `<`, `>` and `&` in strings escaped.
struct ScriptSafe;

impl Formatter for ScriptSafe {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // Whole runs between the three characters are written at once.
        let mut rest = fragment;
        while let Some(i) = rest.find(['<', '>', '&']) {
            writer.write_all(&rest.as_bytes()[..i])?;
            writer.write_all(match rest.as_bytes()[i] {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                _ => b"\\u0026",
            })?;
            rest = &rest[i + 1..];
        }
        writer.write_all(rest.as_bytes())
    }
}

/// A string for one value, an array for several, as schema.org properties take them.
/// A stream, as the place a session is attended online.
fn virtual_location(stream: &str) -> Value {
    json!({"@type": "VirtualLocation", "url": stream})
}

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

    /// The event, without its sessions (added by [`page`]).
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
            .map(|o| self.organisation(o))
            .collect();
        if !organisers.is_empty() {
            out.insert("organizer".into(), organisers.into());
        }
        out.insert("inLanguage".into(), self.languages());
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
        let place = self.place(self.plain.room(session));
        // A stream makes the session one to attend from afar too: schema.org's
        // VirtualLocation beside the room, and the mixed mode.
        match (place, &session.links.stream) {
            (Some(place), Some(stream)) => {
                out.insert("location".into(), json!([place, virtual_location(stream)]));
                out.insert("eventAttendanceMode".into(), MIXED.into());
            }
            (None, Some(stream)) => {
                out.insert("location".into(), virtual_location(stream));
                out.insert("eventAttendanceMode".into(), MIXED.into());
            }
            (Some(place), None) => {
                out.insert("location".into(), place);
            }
            (None, None) => {}
        }
        self.works(session, &mut out);
        if with_people {
            let people: Vec<Value> = session
                .moderators
                .iter()
                .chain(&session.speakers)
                .map(|&person| match person {
                    Person::Speaker(i) => {
                        let speaker = &self.event_model().speakers[i];
                        let url = self.url(PageRef::Speaker(i));
                        json!({
                            "@type": "Person",
                            "@id": format!("{url}#person"),
                            "name": self.plain.text(&speaker.name),
                            "url": url,
                        })
                    }
                    Person::Organiser(i) => self.organisation(&self.event_model().organisers[i]),
                })
                .collect();
            if !people.is_empty() {
                out.insert("performer".into(), people.into());
            }
        }
        Value::Object(out)
    }

    /// What the session's links are to schema.org: its slides the work it features, its
    /// recording the work it is recorded in, and its feedback form the action of reviewing it.
    fn works(&self, session: &Session, out: &mut Map<String, Value>) {
        let links = &session.links;
        let label = |field: &str| self.plain.ui(&format!("link_{field}"), field).to_string();
        if let Some(slides) = &links.slides {
            out.insert(
                "workFeatured".into(),
                json!({
                    "@type": "PresentationDigitalDocument",
                    "name": label("slides"),
                    "url": slides,
                }),
            );
        }
        if let Some(recording) = &links.recording {
            out.insert(
                "recordedIn".into(),
                json!({"@type": "MediaObject", "name": label("recording"), "url": recording}),
            );
        }
        if let Some(feedback) = &links.feedback {
            out.insert(
                "potentialAction".into(),
                json!({
                    "@type": "ReviewAction",
                    "name": label("feedback"),
                    "target": {"@type": "EntryPoint", "urlTemplate": feedback},
                }),
            );
        }
    }

    /// An organiser, as the event's `organizer` or a session's `performer`.
    fn organisation(&self, organiser: &Organiser) -> Value {
        let mut organisation = Map::new();
        organisation.insert("@type".into(), "Organization".into());
        organisation.insert("name".into(), self.plain.text(&organiser.name).into());
        if let Some(url) = &organiser.url {
            organisation.insert("url".into(), url.as_str().into());
        }
        Value::Object(organisation)
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

    /// A speaker's page: the person, their biography and photo (the sessions they are in are
    /// added by [`page`]).
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
                format!("{}{}", self.config.base_url, links::encode_path(photo)).into(),
            );
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
