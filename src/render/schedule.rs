//! The programme for conference apps (Giggity, EventFahrplan, pyfahrplan, the congress
//! apps): the frab/c3voc `schedule.xml` and `schedule.json` (schedule version 1), in the
//! site's default language, valid against `schedule.xml.xsd` and `schema.json` of the c3voc
//! schedule repository. `schedule-v2.json` is [`super::schedule_v2`]'s.
//!
//! Cancelled sessions are left out: schedule v1 has no way to mark one (only the draft
//! schedule 2 has a `state`), and the apps compare each new version of the schedule with the
//! last one, so that a session gone from it shows as cancelled (EventFahrplan) or disappears
//! (Giggity) instead of staying as if it were on.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::dates;
use super::plain::Plain;
use super::routes;
use super::schedule_parts::{self, AppLink, AppPerson, Parts};
use crate::config::Config;
use crate::event::Role;

/// The schema `schedule.json` follows.
const JSON_SCHEMA: &str = "https://c3voc.de/schedule/schema.json";

/// `schedule.xml` and `schedule.json`, in the language of `plain` (the default one).
pub(super) fn exports(
    config: &Config,
    plain: &Plain,
    parts: &Parts,
    stamp: DateTime<Utc>,
) -> (String, String) {
    let schedule = Schedule::new(config, plain, parts, stamp);
    (schedule.xml(), schedule.json())
}

#[derive(Serialize)]
struct Schedule {
    #[serde(rename = "$schema")]
    schema: &'static str,
    generator: Generator,
    schedule: Body,
}

#[derive(Serialize)]
struct Generator {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Body {
    version: String,
    base_url: String,
    conference: Conference,
}

#[derive(Serialize)]
struct Conference {
    acronym: String,
    title: String,
    start: String,
    end: String,
    #[serde(rename = "daysCount")]
    days_count: usize,
    timeslot_duration: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_zone_name: Option<String>,
    url: String,
    rooms: Vec<Room>,
    days: Vec<ScheduleDay>,
    #[serde(skip)]
    zone: String,
}

#[derive(Serialize)]
struct Room {
    name: String,
    guid: String,
}

#[derive(Serialize)]
struct ScheduleDay {
    index: usize,
    date: String,
    day_start: String,
    day_end: String,
    rooms: BTreeMap<String, Vec<Talk>>,
}

/// A session, as the format calls it an event.
#[derive(Serialize)]
struct Talk {
    guid: String,
    id: u32,
    date: String,
    start: String,
    duration: String,
    room: String,
    slug: String,
    url: String,
    title: String,
    subtitle: Option<String>,
    track: String,
    #[serde(rename = "type")]
    kind: &'static str,
    language: Option<String>,
    #[serde(rename = "abstract")]
    summary: Option<String>,
    description: Option<String>,
    persons: Vec<Person>,
    links: Vec<AppLink>,
    #[serde(skip_serializing_if = "Option::is_none")]
    feedback_url: Option<String>,
}

/// A person of a session. `schema.json` takes a person for frab's (`id` and `public_name`)
/// or pretalx's (`name`) but not for both (`oneOf`): with `name` and `public_name`, which
/// apps read (pyfahrplan `public_name`, c3voc's tools `name`), the integer `id` is left out;
/// `schedule.xml` has it.
#[derive(Serialize)]
struct Person {
    guid: String,
    name: String,
    public_name: String,
    role: &'static str,
    #[serde(skip)]
    number: u32,
}

impl Person {
    fn of(person: AppPerson) -> Person {
        Person {
            guid: person.guid.to_string(),
            public_name: person.name.clone(),
            name: person.name,
            role: match person.role {
                Role::Moderator => "moderator",
                Role::Speaker => "speaker",
            },
            number: person.number,
        }
    }
}

impl Schedule {
    fn new(config: &Config, plain: &Plain, parts: &Parts, stamp: DateTime<Utc>) -> Schedule {
        let event = plain.event;
        let on = || event.sessions().map(|(_, s)| s).filter(|s| !s.cancelled);
        let rooms = schedule_parts::rooms(parts, plain, on())
            .into_iter()
            .map(|(name, guid)| Room {
                name,
                guid: guid.to_string(),
            })
            .collect();
        let mut days = Vec::new();
        for (index, day) in event.programme.days.iter().enumerate() {
            let mut by_room: BTreeMap<String, Vec<Talk>> = BTreeMap::new();
            for session in day.sessions.iter().filter(|s| !s.cancelled) {
                let room = parts.room(plain, session).to_string();
                let minutes = schedule_parts::minutes(event, day, session);
                let talk = Talk {
                    guid: parts.guid(session).to_string(),
                    id: parts.number(session),
                    date: dates::iso(event.timezone, day.date.and_time(session.start)),
                    start: session.start.format("%H:%M").to_string(),
                    duration: format!("{:02}:{:02}", minutes / 60, minutes % 60),
                    room: room.clone(),
                    slug: parts.slug(session).to_string(),
                    url: format!(
                        "{}{}",
                        config.base_url,
                        routes::session(plain.lang, &session.id)
                    ),
                    title: plain.text(&session.title).to_string(),
                    subtitle: None,
                    track: plain.kind(session.kind).to_string(),
                    kind: session.kind.name(),
                    // The language a session is held in is not part of the programme.
                    language: None,
                    summary: plain.description(session).map(|(text, _)| text),
                    description: plain.people(session),
                    persons: parts
                        .people(plain, session)
                        .into_iter()
                        .map(Person::of)
                        .collect(),
                    // v1's types have no stream: a stream and a recording are both media.
                    links: schedule_parts::links(
                        plain,
                        session,
                        [Some("media"), Some("slides"), Some("media"), None],
                    ),
                    feedback_url: session.links.feedback.clone(),
                };
                by_room.entry(room).or_default().push(talk);
            }
            let (day_start, day_end) = schedule_parts::bounds(event, day);
            days.push(ScheduleDay {
                index: index + 1,
                date: day.date.to_string(),
                day_start,
                day_end,
                rooms: by_room,
            });
        }
        let zone = event.timezone.name();
        let timeslot = schedule_parts::timeslot(event);
        Schedule {
            schema: JSON_SCHEMA,
            generator: Generator {
                name: "majlis",
                version: env!("CARGO_PKG_VERSION"),
            },
            schedule: Body {
                // The apps show it and compare it to tell a new version of the schedule.
                version: schedule_parts::version(stamp),
                base_url: config.base_url.to_string(),
                conference: Conference {
                    acronym: parts.acronym.clone(),
                    title: plain.text(&event.name).to_string(),
                    start: event.start_date.to_string(),
                    end: event.end_date.to_string(),
                    days_count: days.len(),
                    timeslot_duration: format!("{:02}:{:02}", timeslot / 60, timeslot % 60),
                    time_zone_name: schedule_parts::schema_zone_name(zone)
                        .then(|| zone.to_string()),
                    url: format!("{}{}", config.base_url, routes::home(plain.lang)),
                    rooms,
                    days,
                    zone: zone.to_string(),
                },
            },
        }
    }

    fn json(&self) -> String {
        // Serialising plain structs of strings and numbers cannot fail.
        let mut json = serde_json::to_string_pretty(self).unwrap_or_default();
        json.push('\n');
        json
    }

    fn xml(&self) -> String {
        let body = &self.schedule;
        let conference = &body.conference;
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<schedule>\n");
        let _ = writeln!(
            xml,
            "  <generator name=\"majlis\" version=\"{}\"/>",
            self.generator.version
        );
        element(
            &mut xml,
            1,
            "url",
            &format!("{}{}", body.base_url, routes::SCHEDULE_XML),
        );
        element(&mut xml, 1, "version", &body.version);
        xml.push_str("  <conference>\n");
        for (name, value) in [
            ("acronym", conference.acronym.as_str()),
            ("title", &conference.title),
            ("start", &conference.start),
            ("end", &conference.end),
            ("days", &conference.days_count.to_string()),
            ("timeslot_duration", &conference.timeslot_duration),
            ("base_url", &body.base_url),
            ("url", &conference.url),
            ("time_zone_name", &conference.zone),
        ] {
            element(&mut xml, 2, name, value);
        }
        xml.push_str("  </conference>\n");
        for day in &conference.days {
            let _ = writeln!(
                xml,
                "  <day index=\"{}\" date=\"{}\" start=\"{}\" end=\"{}\">",
                day.index, day.date, day.day_start, day.day_end
            );
            // Rooms in the order of the conference's rooms, as the apps show them.
            for room in &conference.rooms {
                let Some(talks) = day.rooms.get(&room.name) else {
                    continue;
                };
                let _ = writeln!(
                    xml,
                    "    <room name=\"{}\" guid=\"{}\">",
                    escape(&room.name),
                    room.guid
                );
                for talk in talks {
                    talk_xml(&mut xml, talk);
                }
                xml.push_str("    </room>\n");
            }
            xml.push_str("  </day>\n");
        }
        xml.push_str("</schedule>\n");
        xml
    }
}

fn talk_xml(xml: &mut String, talk: &Talk) {
    let _ = writeln!(
        xml,
        "      <event guid=\"{}\" id=\"{}\">",
        talk.guid, talk.id
    );
    for (name, value) in [
        ("room", talk.room.as_str()),
        ("title", &talk.title),
        ("type", talk.kind),
        ("date", &talk.date),
        ("start", &talk.start),
        ("duration", &talk.duration),
        ("abstract", talk.summary.as_deref().unwrap_or_default()),
        ("track", &talk.track),
    ] {
        element(xml, 4, name, value);
    }
    element(xml, 4, "slug", &talk.slug);
    xml.push_str("        <persons>\n");
    for person in &talk.persons {
        let _ = writeln!(
            xml,
            "          <person id=\"{}\" guid=\"{}\">{}</person>",
            person.number,
            person.guid,
            escape(&person.name)
        );
    }
    xml.push_str("        </persons>\n");
    if let Some(description) = &talk.description {
        element(xml, 4, "description", description);
    }
    if !talk.links.is_empty() {
        xml.push_str("        <links>\n");
        for link in &talk.links {
            let _ = writeln!(
                xml,
                "          <link href=\"{}\" type=\"{}\">{}</link>",
                escape(&link.url),
                link.kind,
                escape(&link.title)
            );
        }
        xml.push_str("        </links>\n");
    }
    element(xml, 4, "url", &talk.url);
    if let Some(feedback) = &talk.feedback_url {
        element(xml, 4, "feedback_url", feedback);
    }
    xml.push_str("      </event>\n");
}

fn element(xml: &mut String, depth: usize, name: &str, value: &str) {
    let _ = writeln!(
        xml,
        "{}<{name}>{}</{name}>",
        "  ".repeat(depth),
        escape(value)
    );
}

/// Text for XML content and attributes. XML 1.0 has no way to write most control
/// characters, even escaped, so they are dropped.
fn escape(text: &str) -> String {
    let clean: String = text
        .chars()
        .filter(|&c| matches!(c, '\t' | '\n' | '\r') || !c.is_control())
        .collect();
    super::markdown::escape(&clean)
}
