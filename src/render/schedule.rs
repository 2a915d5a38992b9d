//! The programme for conference apps (Giggity, EventFahrplan, the congress apps): the
//! frab/c3voc `schedule.xml` and `schedule.json`, in the site's default language, valid
//! against `schedule.xml.xsd` and `schema.json` of the c3voc schedule repository.
//!
//! Cancelled sessions are left out: schedule v1 has no way to mark one (only the draft
//! schedule 2 has a `state`), and the apps compare each new version of the schedule with the
//! last one, so that a session gone from it shows as cancelled (EventFahrplan) or disappears
//! (Giggity) instead of staying as if it were on.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::dates;
use super::plain::Plain;
use super::routes;
use crate::config::Config;
use crate::event::{Day, Event, Session};
use crate::text::Text;

/// The schema `schedule.json` follows.
const JSON_SCHEMA: &str = "https://c3voc.de/schedule/schema.json";

/// `schedule.xml` and `schedule.json`, in the language of `plain` (the default one).
pub(super) fn exports(config: &Config, plain: &Plain, stamp: DateTime<Utc>) -> (String, String) {
    let schedule = Schedule::new(config, plain, stamp);
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
    links: Vec<String>,
}

#[derive(Serialize)]
struct Person {
    id: u32,
    guid: String,
    name: String,
    role: &'static str,
}

impl Schedule {
    fn new(config: &Config, plain: &Plain, stamp: DateTime<Utc>) -> Schedule {
        let event = plain.event;
        let site = Uuid::new_v5(&Uuid::NAMESPACE_URL, config.base_url.as_str().as_bytes());
        let acronym = acronym(config, event);
        let talk_ids = numbers(event.sessions().map(|(_, s)| s.id.as_str()), |id| {
            Uuid::new_v5(&site, id.as_bytes())
        });
        let person_ids = numbers(event.speakers.iter().map(|s| s.id.as_str()), |id| {
            person_guid(&site, id)
        });
        // Sessions without a location share one room, named after the venue.
        let shared_room = event
            .venue
            .as_ref()
            .or(event.short_name.as_ref())
            .map_or_else(|| plain.text(&event.name), |t| plain.text(t))
            .to_string();
        let mut rooms: Vec<Room> = Vec::new();
        // Rooms in the order they first appear, and their names, to find them in constant
        // time: there may be as many rooms as sessions.
        let mut room_names: HashSet<String> = HashSet::new();
        let mut days = Vec::new();
        for (index, day) in event.programme.days.iter().enumerate() {
            let mut by_room: BTreeMap<String, Vec<Talk>> = BTreeMap::new();
            for session in day.sessions.iter().filter(|s| !s.cancelled) {
                let room = plain.room(session).unwrap_or(&shared_room).to_string();
                if room_names.insert(room.clone()) {
                    rooms.push(Room {
                        guid: Uuid::new_v5(&site, format!("room/{room}").as_bytes()).to_string(),
                        name: room.clone(),
                    });
                }
                let talk = Talk {
                    guid: Uuid::new_v5(&site, session.id.as_bytes()).to_string(),
                    id: talk_ids[session.id.as_str()],
                    date: dates::iso(event.timezone, day.date.and_time(session.start)),
                    start: session.start.format("%H:%M").to_string(),
                    duration: duration(event, day, session),
                    room: room.clone(),
                    slug: slug(&acronym, &session.id),
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
                    persons: persons(plain, session, &site, &person_ids),
                    links: Vec::new(),
                };
                by_room.entry(room).or_default().push(talk);
            }
            let (day_start, day_end) = bounds(event, day);
            days.push(ScheduleDay {
                index: index + 1,
                date: day.date.to_string(),
                day_start,
                day_end,
                rooms: by_room,
            });
        }
        let zone = event.timezone.name();
        Schedule {
            schema: JSON_SCHEMA,
            generator: Generator {
                name: "majlis",
                version: env!("CARGO_PKG_VERSION"),
            },
            schedule: Body {
                // The apps show it and compare it to tell a new version of the schedule.
                version: stamp.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
                base_url: config.base_url.to_string(),
                conference: Conference {
                    acronym,
                    title: plain.text(&event.name).to_string(),
                    start: event.start_date.to_string(),
                    end: event.end_date.to_string(),
                    days_count: days.len(),
                    timeslot_duration: timeslot(event),
                    time_zone_name: schema_zone_name(zone).then(|| zone.to_string()),
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
    if xml_slug(&talk.slug) {
        element(xml, 4, "slug", &talk.slug);
    }
    xml.push_str("        <persons>\n");
    for person in &talk.persons {
        let _ = writeln!(
            xml,
            "          <person id=\"{}\" guid=\"{}\">{}</person>",
            person.id,
            person.guid,
            escape(&person.name)
        );
    }
    xml.push_str("        </persons>\n");
    if let Some(description) = &talk.description {
        element(xml, 4, "description", description);
    }
    element(xml, 4, "url", &talk.url);
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

fn persons(
    plain: &Plain,
    session: &Session,
    site: &Uuid,
    ids: &BTreeMap<&str, u32>,
) -> Vec<Person> {
    let event = plain.event;
    let moderators = session.moderators.iter().map(|&i| (i, "moderator"));
    let speakers = session.speakers.iter().map(|&i| (i, "speaker"));
    moderators
        .chain(speakers)
        .map(|(i, role)| {
            let speaker = &event.speakers[i];
            Person {
                id: ids[speaker.id.as_str()],
                guid: person_guid(site, &speaker.id).to_string(),
                name: plain.person_name(speaker),
                role,
            }
        })
        .collect()
}

fn person_guid(site: &Uuid, id: &str) -> Uuid {
    Uuid::new_v5(site, format!("speaker/{id}").as_bytes())
}

/// Stable positive integer ids (the format's legacy `id`), taken from each guid so that
/// adding or moving a session changes no other session's id. Ids are handed out in the order
/// of the names, and a collision (one in two billion) takes the next free number.
fn numbers<'a>(
    names: impl Iterator<Item = &'a str>,
    guid: impl Fn(&str) -> Uuid,
) -> BTreeMap<&'a str, u32> {
    let names: BTreeSet<&str> = names.collect();
    let mut taken = BTreeSet::new();
    let mut ids = BTreeMap::new();
    for name in names {
        let bytes = guid(name).into_bytes();
        let mut id = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) & 0x7fff_ffff;
        while id == 0 || !taken.insert(id) {
            id = (id + 1) & 0x7fff_ffff;
        }
        ids.insert(name, id);
    }
    ids
}

/// The conference's acronym, in the form both schemas accept (`[a-z0-9_]`, four or more):
/// from its short name, else its name, else the site's host.
fn acronym(config: &Config, event: &Event) -> String {
    let texts: [Option<&Text>; 2] = [event.short_name.as_ref(), Some(&event.name)];
    let default = &config.default_language().code;
    let mut candidates: Vec<String> = Vec::new();
    for text in texts.into_iter().flatten() {
        candidates.push(text.get(default, default).text.to_string());
        candidates.extend(text.languages().map(|l| text.get(l, l).text.to_string()));
    }
    candidates.push(config.base_url.host().to_string());
    candidates
        .iter()
        .map(|c| ascii_slug(c))
        .find(|slug| slug.len() >= 4)
        .unwrap_or_else(|| "conference".into())
}

/// Lowercase ASCII letters and digits, anything else as one `_`.
fn ascii_slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('_') {
            slug.push('_');
        }
    }
    slug.trim_end_matches('_').to_string()
}

/// `acronym-session-id`, in the form of `schema.json`'s slug.
fn slug(acronym: &str, id: &str) -> String {
    let id = id.to_ascii_lowercase();
    format!("{acronym}-{}", id.trim_end_matches(['-', '_']))
}

/// Whether a slug has the form `schedule.xml.xsd` asks (`[a-z0-9_]{4,}-[a-z0-9_-]{4,}`); the
/// element is optional there, and left out when a short session id falls short of it.
fn xml_slug(slug: &str) -> bool {
    slug.split_once('-').is_some_and(|(acronym, id)| {
        acronym.len() >= 4
            && id.len() >= 4
            && acronym
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
    })
}

/// `schema.json` allows `time_zone_name` only when it matches
/// `^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$` (a capitalised area and location at the start, or `UTC`
/// at the end): other zones are left out there; schedule.xml has no such rule.
fn schema_zone_name(zone: &str) -> bool {
    let area = capitalised_word(zone);
    let starts = area > 0
        && zone[area..]
            .strip_prefix('/')
            .is_some_and(|rest| capitalised_word(rest) > 0);
    starts || zone.ends_with("UTC")
}

/// The length of the `[A-Z][a-z]+` at the start of `text`, or 0.
fn capitalised_word(text: &str) -> usize {
    let bytes = text.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_uppercase) {
        return 0;
    }
    match bytes[1..]
        .iter()
        .take_while(|b| b.is_ascii_lowercase())
        .count()
    {
        0 => 0,
        lower => 1 + lower,
    }
}

/// How long a session lasts, `HH:MM`, in real time (a change of offset during it counts);
/// a session without an end lasts no time.
fn duration(event: &Event, day: &Day, session: &Session) -> String {
    let Some(end) = session.end else {
        return "00:00".into();
    };
    let minutes = (instant(event, day.date, end) - instant(event, day.date, session.start))
        .num_minutes()
        .max(0);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn instant(event: &Event, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let local: NaiveDateTime = date.and_time(time);
    (local
        - Duration::seconds(
            dates::offset_at(event.timezone, local)
                .local_minus_utc()
                .into(),
        ))
    .and_utc()
}

/// A day's first start and last end, with their offsets; a day without sessions spans the
/// whole day.
fn bounds(event: &Event, day: &Day) -> (String, String) {
    let on = day.sessions.iter().filter(|s| !s.cancelled);
    let first = on.clone().map(|s| s.start).min();
    let last = on.map(|s| s.end.unwrap_or(s.start)).max();
    let zone = event.timezone;
    match (first, last) {
        (Some(first), Some(last)) => (
            dates::iso(zone, day.date.and_time(first)),
            dates::iso(zone, day.date.and_time(last)),
        ),
        _ => (
            dates::iso(zone, day.date.and_time(NaiveTime::MIN)),
            dates::iso(
                zone,
                (day.date + Duration::days(1)).and_time(NaiveTime::MIN),
            ),
        ),
    }
}

/// The grid the apps draw the programme on: the largest step, up to an hour, that every
/// start and end falls on.
fn timeslot(event: &Event) -> String {
    let minutes = event
        .sessions()
        .flat_map(|(_, s)| [Some(s.start), s.end])
        .flatten()
        .map(|t| t.hour() * 60 + t.minute())
        .fold(60, gcd);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}
