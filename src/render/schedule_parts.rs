//! What the conference-app exports of both versions say the same way: the conference's
//! acronym, the stable ids and guids of its sessions, rooms and people, each session's slug,
//! and the times the apps draw the programme with. `schedule.xml` and `schedule.json`
//! (version 1, [`super::schedule`]) and `schedule-v2.json` ([`super::schedule_v2`]) are made
//! from these.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::dates;
use super::plain::Plain;
use crate::config::Config;
use crate::event::{Day, Event, Person, Role, Session};
use crate::text::Text;

/// The parts of the exports made from the whole programme.
pub(super) struct Parts<'a> {
    /// The namespace of every guid: the site's address.
    pub site: Uuid,
    /// The conference's acronym, in the form both schemas accept.
    pub acronym: String,
    /// The room of sessions without a location, named after the venue.
    pub shared_room: String,
    talk_ids: BTreeMap<&'a str, u32>,
    person_ids: BTreeMap<String, u32>,
    slugs: HashMap<&'a str, String>,
}

/// Someone a session names, as the exports list them.
pub(super) struct AppPerson {
    /// The format's legacy integer id.
    pub number: u32,
    /// Stable from build to build.
    pub guid: Uuid,
    /// Their name as the programme shows it ("Dr. Varol Dur", "SESRIC").
    pub name: String,
    /// What they do in the session.
    pub role: Role,
}

/// A link of a session as the formats list them (their `Reference`).
#[derive(Serialize)]
pub(super) struct AppLink {
    /// What it leads to, in the format's words.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Its label in the export's language ("Live stream").
    pub title: String,
    /// A checked `http(s)` URL.
    pub url: String,
}

/// The session's links as a format lists them: `types` gives, for the stream, the slides, the
/// recording and the feedback form in that order, the type a format has for it, or `None`
/// for a link it does not list (frab's v1 has `feedback_url` for the form).
pub(super) fn links(
    plain: &Plain,
    session: &Session,
    types: [Option<&'static str>; 4],
) -> Vec<AppLink> {
    const FIELDS: [&str; 4] = ["stream", "slides", "recording", "feedback"];
    session
        .links
        .present()
        .filter_map(|(field, url)| {
            let kind = FIELDS
                .iter()
                .position(|&f| f == field)
                .and_then(|i| types[i])?;
            Some(AppLink {
                kind,
                title: plain.ui(&format!("link_{field}"), field).to_string(),
                url: url.to_string(),
            })
        })
        .collect()
}

impl<'a> Parts<'a> {
    pub(super) fn new(config: &Config, plain: &Plain<'a>) -> Parts<'a> {
        let event: &'a Event = plain.event;
        let site = Uuid::new_v5(&Uuid::NAMESPACE_URL, config.base_url.as_str().as_bytes());
        let acronym = acronym(config, event);
        let talk_ids = numbers(event.sessions().map(|(_, s)| s.id.as_str()), |id| {
            Uuid::new_v5(&site, id.as_bytes())
        });
        let keys: Vec<String> = event
            .speakers
            .iter()
            .enumerate()
            .map(|(i, _)| person_key(event, Person::Speaker(i)))
            .chain(
                (0..event.organisers.len())
                    .filter(|&i| event.organisers[i].id.is_some())
                    .map(|i| person_key(event, Person::Organiser(i))),
            )
            .collect();
        let person_ids = numbers(keys.iter().map(String::as_str), |key| {
            Uuid::new_v5(&site, key.as_bytes())
        })
        .into_iter()
        .map(|(key, id)| (key.to_string(), id))
        .collect();
        let shared_room = event
            .venue
            .as_ref()
            .or(event.short_name.as_ref())
            .map_or_else(|| plain.text(&event.name), |t| plain.text(t))
            .to_string();
        Parts {
            slugs: slugs(&acronym, event.sessions().map(|(_, s)| s.id.as_str())),
            site,
            acronym,
            shared_room,
            talk_ids,
            person_ids,
        }
    }

    /// A session's guid.
    pub(super) fn guid(&self, session: &Session) -> Uuid {
        Uuid::new_v5(&self.site, session.id.as_bytes())
    }

    /// A session's legacy integer id.
    pub(super) fn number(&self, session: &Session) -> u32 {
        self.talk_ids[session.id.as_str()]
    }

    /// A session's slug: `acronym-id`, always of the form of the XSD's `voc-slug-new`
    /// (`[a-z0-9_]{4,}-[a-z0-9\-_]{4,}`) and of the JSON schemas' (`^[a-z0-9_-]+[a-z0-9]$`).
    pub(super) fn slug(&self, session: &Session) -> &str {
        &self.slugs[session.id.as_str()]
    }

    /// A room's guid.
    pub(super) fn room_guid(&self, room: &str) -> Uuid {
        Uuid::new_v5(&self.site, format!("room/{room}").as_bytes())
    }

    /// The room a session is in.
    pub(super) fn room<'p>(&'p self, plain: &'p Plain, session: &'p Session) -> &'p str {
        plain.room(session).unwrap_or(&self.shared_room)
    }

    /// A session's moderators, then its speakers.
    pub(super) fn people(&self, plain: &Plain, session: &Session) -> Vec<AppPerson> {
        let moderators = session.moderators.iter().map(|&p| (p, Role::Moderator));
        let speakers = session.speakers.iter().map(|&p| (p, Role::Speaker));
        moderators
            .chain(speakers)
            .map(|(person, role)| {
                let key = person_key(plain.event, person);
                AppPerson {
                    number: self.person_ids[&key],
                    guid: Uuid::new_v5(&self.site, key.as_bytes()),
                    name: plain.name_of(person),
                    role,
                }
            })
            .collect()
    }
}

/// What a person's guid is made from: speakers' and organisers' apart, though they share one
/// set of ids, so that an id moved from one to the other is another person to the apps.
fn person_key(event: &Event, person: Person) -> String {
    match person {
        Person::Speaker(_) => format!("speaker/{}", event.person_id(person)),
        Person::Organiser(_) => format!("organiser/{}", event.person_id(person)),
    }
}

/// Rooms in the order their first session has them, with their guids.
pub(super) fn rooms<'s>(
    parts: &Parts,
    plain: &Plain,
    sessions: impl Iterator<Item = &'s Session>,
) -> Vec<(String, Uuid)> {
    // There may be as many rooms as sessions: a set finds them in constant time.
    let mut seen: HashSet<String> = HashSet::new();
    let mut rooms = Vec::new();
    for session in sessions {
        let room = parts.room(plain, session);
        if seen.insert(room.to_string()) {
            rooms.push((room.to_string(), parts.room_guid(room)));
        }
    }
    rooms
}

/// Stable positive integer ids (the format's legacy `id`), taken from each guid so that
/// adding or moving a session changes no other session's id. Ids are handed out in the order
/// of the names, and a collision (one in two billion) takes the next free number.
fn numbers<'n>(
    names: impl Iterator<Item = &'n str>,
    guid: impl Fn(&str) -> Uuid,
) -> BTreeMap<&'n str, u32> {
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

/// Every session's slug, `acronym-id`, each different (the XSD wants them unique). Session
/// ids are URL-safe and differ in more than case, so their lowercase forms are different
/// slugs already, but for two kinds the schemas refuse: an id shorter than four characters
/// (`q1` becomes `session-q1`) and one ending with `-` or `_` (dropped). These take their
/// slug after every other id has its own, and a slug taken gets `-2`, `-3`...
fn slugs<'i>(acronym: &str, ids: impl Iterator<Item = &'i str>) -> HashMap<&'i str, String> {
    let mut slugs = HashMap::new();
    let mut taken: HashSet<String> = HashSet::new();
    let mut irregular = Vec::new();
    for id in ids {
        let lower = id.to_ascii_lowercase();
        if lower.len() >= 4 && !lower.ends_with(['-', '_']) {
            taken.insert(lower.clone());
            slugs.insert(id, lower);
        } else {
            irregular.push((id, lower));
        }
    }
    for (id, lower) in irregular {
        let trimmed = lower.trim_end_matches(['-', '_']);
        let base = if trimmed.len() >= 4 {
            trimmed.to_string()
        } else {
            format!("session-{trimmed}")
        };
        let mut slug = base.clone();
        let mut n = 2;
        while !taken.insert(slug.clone()) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        slugs.insert(id, slug);
    }
    slugs
        .into_iter()
        .map(|(id, slug)| (id, format!("{acronym}-{slug}")))
        .collect()
}

/// The version the apps show, and compare to tell a new schedule from the last.
pub(super) fn version(stamp: DateTime<Utc>) -> String {
    stamp.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// The schemas allow `time_zone_name` only when it matches
/// `^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$` (a capitalised area and location at the start, or `UTC`
/// at the end): other zones are left out there; schedule.xml has no such rule.
pub(super) fn schema_zone_name(zone: &str) -> bool {
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

/// How long a session lasts in minutes, in real time (a change of offset during it
/// counts); a session without an end lasts no time.
pub(super) fn minutes(event: &Event, day: &Day, session: &Session) -> i64 {
    let Some(end) = session.end else {
        return 0;
    };
    (instant(event, day.date, end) - instant(event, day.date, session.start))
        .num_minutes()
        .max(0)
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

/// A day's first start and last end of the sessions that are on, with their offsets; a day
/// without sessions spans the whole day.
pub(super) fn bounds(event: &Event, day: &Day) -> (String, String) {
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

/// The grid the apps draw the programme on, in minutes: the largest step, up to an hour,
/// that every start and end falls on.
pub(super) fn timeslot(event: &Event) -> u32 {
    event
        .sessions()
        .flat_map(|(_, s)| [Some(s.start), s.end])
        .flatten()
        .map(|t| t.hour() * 60 + t.minute())
        .fold(60, gcd)
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The XSD's `voc-slug-new`, `[a-z0-9_]{4,}-[a-z0-9\-_]{4,}`, anchored as XSD patterns are.
    fn xsd_slug(slug: &str) -> bool {
        slug.split_once('-').is_some_and(|(acronym, id)| {
            let id_byte =
                |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_".contains(&b);
            acronym.len() >= 4
                && acronym
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                && id.len() >= 4
                && id.bytes().all(id_byte)
        })
    }

    /// The JSON schemas' `^[a-z0-9_-]+[a-z0-9]$`.
    fn json_slug(slug: &str) -> bool {
        slug.len() >= 2
            && slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_".contains(&b))
            && slug
                .bytes()
                .last()
                .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    }

    #[test]
    fn every_session_id_has_a_slug_of_the_schemas_form_and_no_two_are_the_same() {
        let ids = [
            "a",
            "q1",
            "Q2",
            "abc",
            "talk",
            "talk-",
            "talk_",
            "talk-2",
            "session-q1",
            "x_",
            "Opening",
            "panel-1",
            "ab-",
        ];
        let slugs = slugs("oic_pesnet_4", ids.into_iter());
        let distinct: HashSet<&String> = slugs.values().collect();
        assert_eq!(distinct.len(), ids.len(), "{slugs:?}");
        for (id, slug) in &slugs {
            assert!(xsd_slug(slug), "{id}: {slug} is not the XSD's form");
            assert!(
                json_slug(slug),
                "{id}: {slug} is not the JSON schemas' form"
            );
        }
        assert_eq!(slugs["panel-1"], "oic_pesnet_4-panel-1");
        assert_eq!(slugs["Opening"], "oic_pesnet_4-opening");
        assert_eq!(slugs["talk-"], "oic_pesnet_4-talk-3");
    }
}
