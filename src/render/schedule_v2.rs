//! `schedule-v2.json`: the programme in c3voc's schedule version 2 (`schema2.json` of the
//! c3voc schedule repository, "alpha-3"), beside version 1's `schedule.json`, which the apps
//! of today read. One file cannot be both: version 1 requires `daysCount` and each day's
//! `rooms`, `day_start` and `day_end`, version 2 forbids them.
//!
//! Version 2 lists the sessions flat, each with its start and end, and has what version 1
//! lacks: breaks as breaks (`BREAK`, registration as `META`), a cancelled session kept and
//! marked `CANCELED` (version 1 leaves it out), participants' roles (`MODERATOR`,
//! `SPEAKER`) and the conference's languages.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::dates;
use super::plain::Plain;
use super::routes;
use super::schedule_parts::{self, AppLink, Parts};
use crate::config::Config;
use crate::event::{Day, Kind, Role, Session};

/// The `$id` of the schema the file follows.
const SCHEMA: &str = "https://c3voc.de/schema/schedule2";

/// `schedule-v2.json`, in the language of `plain` (the default one).
pub(super) fn export(
    config: &Config,
    plain: &Plain,
    parts: &Parts,
    stamp: DateTime<Utc>,
) -> String {
    let schedule = Schedule::new(config, plain, parts, stamp);
    // Serialising plain structs of strings and numbers cannot fail.
    let mut json = serde_json::to_string_pretty(&schedule).unwrap_or_default();
    json.push('\n');
    json
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
    conference: Conference,
    events: Vec<Entry>,
}

#[derive(Serialize)]
struct Conference {
    acronym: String,
    title: String,
    start: String,
    end: String,
    timeslot_duration: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_zone_name: Option<String>,
    url: String,
    languages: Vec<String>,
    tracks: Vec<Track>,
    rooms: Vec<Room>,
    days: Vec<ScheduleDay>,
}

#[derive(Serialize)]
struct Track {
    name: String,
    slug: &'static str,
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
    start: String,
    end: String,
}

/// A session: an `Event`, or a `MetaEvent` for a break, a meal or the registration.
#[derive(Serialize)]
#[serde(untagged)]
enum Entry {
    Talk(Box<Talk>),
    Meta(Meta),
}

#[derive(Serialize)]
struct Talk {
    guid: String,
    start: String,
    end: String,
    room: Room,
    slug: String,
    url: String,
    title: String,
    subtitle: Option<String>,
    track: TrackRef,
    #[serde(rename = "type")]
    kind: &'static str,
    language: String,
    #[serde(rename = "abstract")]
    summary: Option<String>,
    description: Option<String>,
    participants: Vec<Participant>,
    links: Vec<AppLink>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<&'static str>,
}

#[derive(Serialize)]
struct TrackRef {
    slug: &'static str,
}

/// A person of a session, with `public_name` beside `name` for the apps that read frab's
/// field (pyfahrplan).
#[derive(Serialize)]
struct Participant {
    guid: String,
    name: String,
    public_name: String,
    role: &'static str,
}

#[derive(Serialize)]
struct Meta {
    #[serde(rename = "type")]
    kind: &'static str,
    title: String,
    guid: String,
    start: String,
    end: String,
    room: Room,
}

impl Schedule {
    fn new(config: &Config, plain: &Plain, parts: &Parts, stamp: DateTime<Utc>) -> Schedule {
        let event = plain.event;
        let languages = languages(config);
        // The schema wants one ISO 639-1 code per session; the programme does not say which
        // language a session is held in, so it is the language of the file's text.
        let language = two_letters(plain.lang)
            .or_else(|| languages.first().cloned())
            .unwrap_or_else(|| "en".into());
        let sessions = || event.sessions().map(|(_, s)| s);
        let rooms = schedule_parts::rooms(parts, plain, sessions())
            .into_iter()
            .map(|(name, guid)| Room {
                name,
                guid: guid.to_string(),
            })
            .collect();
        let mut tracks: Vec<Track> = Vec::new();
        let mut events = Vec::new();
        for (day, session) in event.sessions() {
            let entry = match meta_kind(session.kind) {
                // A break has no way to be marked cancelled: it is left out.
                Some(_) if session.cancelled => continue,
                Some(kind) => Entry::Meta(Meta {
                    kind,
                    title: plain.text(&session.title).to_string(),
                    guid: parts.guid(session).to_string(),
                    start: start(plain, day, session),
                    end: end(plain, day, session),
                    room: room(parts, plain, session),
                }),
                None => {
                    let slug = session.kind.name();
                    if !tracks.iter().any(|t| t.slug == slug) {
                        tracks.push(Track {
                            name: plain.kind(session.kind).to_string(),
                            slug,
                        });
                    }
                    Entry::Talk(Box::new(talk(
                        config, plain, parts, day, session, &language,
                    )))
                }
            };
            events.push(entry);
        }
        let days: Vec<ScheduleDay> = event
            .programme
            .days
            .iter()
            .enumerate()
            .map(|(index, day)| {
                let (start, end) = schedule_parts::bounds(event, day);
                ScheduleDay {
                    index: index + 1,
                    date: day.date.to_string(),
                    start,
                    end,
                }
            })
            .collect();
        let zone = event.timezone;
        let (start, end) = match (days.first(), days.last()) {
            (Some(first), Some(last)) => (first.start.clone(), last.end.clone()),
            _ => (
                dates::iso(zone, event.start_date.and_time(Default::default())),
                dates::iso(zone, event.end_date.and_time(Default::default())),
            ),
        };
        let timeslot = schedule_parts::timeslot(event);
        Schedule {
            schema: SCHEMA,
            generator: Generator {
                name: "majlis",
                version: env!("CARGO_PKG_VERSION"),
            },
            schedule: Body {
                version: schedule_parts::version(stamp),
                conference: Conference {
                    acronym: parts.acronym.clone(),
                    title: plain.text(&event.name).to_string(),
                    start,
                    end,
                    timeslot_duration: iso_duration(timeslot.into()),
                    time_zone_name: schedule_parts::schema_zone_name(zone.name())
                        .then(|| zone.name().to_string()),
                    url: format!("{}{}", config.base_url, routes::home(plain.lang)),
                    languages,
                    tracks,
                    rooms,
                    days,
                },
                events,
            },
        }
    }
}

fn talk(
    config: &Config,
    plain: &Plain,
    parts: &Parts,
    day: &Day,
    session: &Session,
    language: &str,
) -> Talk {
    Talk {
        guid: parts.guid(session).to_string(),
        start: start(plain, day, session),
        end: end(plain, day, session),
        room: room(parts, plain, session),
        slug: parts.slug(session).to_string(),
        url: format!(
            "{}{}",
            config.base_url,
            routes::session(plain.lang, &session.id)
        ),
        title: plain.text(&session.title).to_string(),
        subtitle: None,
        track: TrackRef {
            slug: session.kind.name(),
        },
        kind: talk_kind(session.kind),
        language: language.to_string(),
        summary: plain.description(session).map(|(text, _)| text),
        description: plain.people(session),
        participants: parts
            .people(plain, session)
            .into_iter()
            .map(|person| Participant {
                guid: person.guid.to_string(),
                public_name: person.name.clone(),
                name: person.name,
                role: match person.role {
                    Role::Moderator => "MODERATOR",
                    Role::Speaker => "SPEAKER",
                },
            })
            .collect(),
        links: schedule_parts::links(
            plain,
            session,
            [
                Some("MEDIA"),
                Some("SLIDES"),
                Some("MEDIA"),
                Some("FEEDBACK"),
            ],
        ),
        state: session.cancelled.then_some("CANCELED"),
    }
}

fn start(plain: &Plain, day: &Day, session: &Session) -> String {
    dates::iso(plain.event.timezone, day.date.and_time(session.start))
}

/// A session's end; one without an end ends as it starts (the schema wants an end).
fn end(plain: &Plain, day: &Day, session: &Session) -> String {
    let end = session.end.unwrap_or(session.start);
    dates::iso(plain.event.timezone, day.date.and_time(end))
}

fn room(parts: &Parts, plain: &Plain, session: &Session) -> Room {
    let name = parts.room(plain, session);
    Room {
        guid: parts.room_guid(name).to_string(),
        name: name.to_string(),
    }
}

/// The `MetaEvent` type of a kind that is not a session of its own, if it is one.
fn meta_kind(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Break | Kind::Meal => Some("BREAK"),
        Kind::Registration => Some("META"),
        _ => None,
    }
}

/// The schema's closest `type` of a kind.
fn talk_kind(kind: Kind) -> &'static str {
    match kind {
        Kind::Session => "TALK",
        Kind::Panel | Kind::Roundtable => "DISCUSSION",
        _ => "OTHER",
    }
}

/// The site's languages as the schema's `^[a-z]{2}$` codes, each once: `pt-BR` is `pt`, a
/// language with no two-letter code (`fil`) is left out.
fn languages(config: &Config) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for code in config.languages.iter().filter_map(|l| two_letters(&l.code)) {
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

/// The ISO 639-1 code of a BCP 47 code, if it has one.
fn two_letters(code: &str) -> Option<String> {
    let primary = code.split(['-', '_']).next()?.to_ascii_lowercase();
    (primary.len() == 2 && primary.bytes().all(|b| b.is_ascii_lowercase())).then_some(primary)
}

/// Minutes as an ISO 8601 duration: `PT15M`, `PT1H`, `PT1H30M`.
fn iso_duration(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("PT{m}M"),
        (h, 0) => format!("PT{h}H"),
        (h, m) => format!("PT{h}H{m}M"),
    }
}
