//! The programme: days, sessions, and the rules their times and ids follow.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;

use super::address::{self, Reach};
use super::clock::{self, WallTime};
use super::fallbacks::Fallbacks;
use super::names::{self, Folder};
use super::organiser::Organisers;
use super::speaker::{Appearance, Role, Speaker, Speakers};
use crate::content::ProgrammeFile;
use crate::diagnostics::{self, Errors, Place, Problem};
use crate::links;
use crate::text::Text;
use crate::yaml::Located;

/// The programme, day by day.
#[derive(Debug, Default, Hash)]
pub(crate) struct Programme {
    /// The days, in date order.
    pub days: Vec<Day>,
}

/// One day of the programme.
#[derive(Debug, Hash)]
pub(crate) struct Day {
    /// Its date.
    pub date: NaiveDate,
    /// Its title ("Day 1").
    pub title: Option<Text>,
    /// Its sessions, by start time.
    pub sessions: Vec<Session>,
}

impl Day {
    /// Whether sessions in different locations are on at the same time: a day a theme can
    /// show with its rooms side by side. A session without an end lasts until the next one
    /// starts, an hour at most, as the default theme's grid draws it.
    pub(crate) fn has_rooms_at_once(&self) -> bool {
        fn room(session: &Session) -> Option<&str> {
            session.location.as_ref().map(|t| t.get("", "").text)
        }
        let end = |i: usize| {
            let session = &self.sessions[i];
            session
                .end
                .filter(|&end| end > session.start)
                .unwrap_or_else(|| {
                    let (hour, wrapped) = session
                        .start
                        .overflowing_add_signed(chrono::Duration::hours(1));
                    // Not past midnight: the day's last minute.
                    let last = NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(session.start);
                    let hour = if wrapped == 0 { hour } else { last };
                    self.sessions[i + 1..]
                        .iter()
                        .map(|o| o.start)
                        .find(|&start| start > session.start)
                        .map_or(hour, |next| next.min(hour))
                })
        };
        (0..self.sessions.len()).any(|i| {
            let a = &self.sessions[i];
            let a_end = end(i);
            (i + 1..self.sessions.len())
                .take_while(|&j| self.sessions[j].start < a_end)
                .any(|j| matches!((room(a), room(&self.sessions[j])), (Some(x), Some(y)) if x != y))
        })
    }
}

/// What kind of item of the programme a session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// Arrival and badges.
    Registration,
    /// Opening, closing, a hand-over: the formal moments.
    Ceremony,
    /// A talk or a working session.
    Session,
    /// Speakers with a moderator.
    Panel,
    /// A discussion among the participants.
    Roundtable,
    /// Coffee, a family photo.
    Break,
    /// Lunch, dinner, prayer.
    Meal,
    /// A gala dinner, a visit.
    Social,
}

impl Kind {
    /// Every kind, by its name in `programme.yaml`.
    pub(crate) const ALL: [(&'static str, Kind); 8] = [
        ("registration", Kind::Registration),
        ("ceremony", Kind::Ceremony),
        ("session", Kind::Session),
        ("panel", Kind::Panel),
        ("roundtable", Kind::Roundtable),
        ("break", Kind::Break),
        ("meal", Kind::Meal),
        ("social", Kind::Social),
    ];

    /// Its name in `programme.yaml`, also the key of its interface string.
    pub(crate) fn name(self) -> &'static str {
        Kind::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("session", |(name, _)| name)
    }

    /// Whether attendees choose to attend it: it has a star (their agenda) and links to add it
    /// to a calendar. Registration, breaks and meals are for everyone; they stay in the feeds.
    pub(crate) fn is_chosen(self) -> bool {
        !matches!(self, Kind::Registration | Kind::Break | Kind::Meal)
    }

    fn parse(name: &str) -> Option<Kind> {
        Kind::ALL
            .iter()
            .find(|(n, _)| *n == name.trim())
            .map(|(_, k)| *k)
    }
}

/// A session: one item of the programme.
#[derive(Debug, Hash)]
pub(crate) struct Session {
    /// Its id, unique in the programme: its anchor and file name.
    pub id: String,
    /// When it starts, wall-clock time in the event's time zone.
    pub start: NaiveTime,
    /// When it ends, if given.
    pub end: Option<NaiveTime>,
    /// Its kind.
    pub kind: Kind,
    /// Its title.
    pub title: Text,
    /// What happens in it (Markdown).
    pub description: Option<Text>,
    /// Its moderators.
    pub moderators: Vec<Person>,
    /// Its speakers, in order.
    pub speakers: Vec<Person>,
    /// Where it takes place.
    pub location: Option<Text>,
    /// Whether it was cancelled (it stays in the calendars, marked so).
    pub cancelled: bool,
    /// Where it is watched, read or heard beyond the room, and where attendees give their
    /// view of it.
    pub links: Links,
}

/// A session's web addresses, each checked to be an `http` or `https` URL.
#[derive(Debug, Default, Hash)]
pub(crate) struct Links {
    /// Its live stream, while it runs.
    pub stream: Option<String>,
    /// Its slides.
    pub slides: Option<String>,
    /// Its recording, once it has ended.
    pub recording: Option<String>,
    /// Its feedback form.
    pub feedback: Option<String>,
}

impl Links {
    /// Each link there is, by its field's name in `programme.yaml`, in the order they are
    /// shown: the stream, the slides, the recording and the feedback form.
    pub(crate) fn present(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("stream", &self.stream),
            ("slides", &self.slides),
            ("recording", &self.recording),
            ("feedback", &self.feedback),
        ]
        .into_iter()
        .filter_map(|(field, url)| url.as_deref().map(|url| (field, url)))
    }
}

/// Someone a session names among its moderators or speakers: one of the event's speakers,
/// or one of its organisers (by index into the event's lists).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Person {
    /// A speaker, who has a page of their own.
    Speaker(usize),
    /// An organiser, with an `id` in `event.yaml`.
    Organiser(usize),
}

/// Orders the speakers by first appearance in the programme (then by id), renumbers the
/// programme's references to them, and records each speaker's sessions.
pub(super) fn link(speakers: Speakers, programme: &mut Programme) -> Vec<Speaker> {
    let list = speakers.list;
    let mut order: Vec<usize> = Vec::with_capacity(list.len());
    let mut seen = vec![false; list.len()];
    for session in programme.days.iter().flat_map(|d| &d.sessions) {
        for &person in session.moderators.iter().chain(&session.speakers) {
            if let Person::Speaker(i) = person {
                if !std::mem::replace(&mut seen[i], true) {
                    order.push(i);
                }
            }
        }
    }
    order.extend((0..list.len()).filter(|&i| !seen[i]));
    let mut new_index = vec![0; list.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let mut slots: Vec<Option<Speaker>> = list.into_iter().map(Some).collect();
    let mut speakers: Vec<Speaker> = order.iter().filter_map(|&i| slots[i].take()).collect();
    for (d, day) in programme.days.iter_mut().enumerate() {
        for (s, session) in day.sessions.iter_mut().enumerate() {
            for (people, role) in [
                (&mut session.moderators, Role::Moderator),
                (&mut session.speakers, Role::Speaker),
            ] {
                for person in people.iter_mut() {
                    if let Person::Speaker(i) = person {
                        *i = new_index[*i];
                        speakers[*i].appearances.push(Appearance {
                            day: d,
                            session: s,
                            role,
                        });
                    }
                }
            }
        }
    }
    speakers
}

/// Builds the programme from `programme.yaml`, checking its rules. `dates` are the event's
/// first and last day, when they are valid.
pub(super) fn assemble(
    file: &Located<ProgrammeFile>,
    dates: Option<(NaiveDate, NaiveDate)>,
    zone: Tz,
    speakers: &Speakers,
    organisers: &Organisers,
    fallbacks: &mut Fallbacks,
    errors: &mut Errors,
) -> Programme {
    let mut days: Vec<Day> = Vec::new();
    // Each session is published as LANG/sessions/ID.ics.
    let mut ids = Folder::default();
    for (d, entry) in file.value.days.iter().enumerate() {
        let at = |field: &str| file.place(&format!("days.{d}.{field}"));
        let Ok(date) = NaiveDate::parse_from_str(entry.date.trim(), "%Y-%m-%d") else {
            errors.push(at("date"), Problem::BadDate(entry.date.clone()));
            continue;
        };
        if let Some((start, end)) = dates {
            if date < start || date > end {
                errors.push(
                    at("date"),
                    Problem::DayOutsideEvent {
                        date: date.to_string(),
                        start: start.to_string(),
                        end: end.to_string(),
                    },
                );
            }
        }
        if days.iter().any(|day| day.date == date) {
            errors.push(at("date"), Problem::DuplicateDay(date.to_string()));
        }
        if let Some(title) = &entry.title {
            fallbacks.check(title, file, &format!("days.{d}.title"));
        }
        let mut sessions = Vec::new();
        for (s, raw) in entry.sessions.iter().enumerate() {
            let path = format!("days.{d}.sessions.{s}");
            let at = |field: &str| file.place(&format!("{path}.{field}"));
            let id = raw.id.trim().to_string();
            if let Some(problem) = names::check(&id) {
                errors.push(at("id"), problem);
            } else if let Err(taken) = ids.add(&id, at("id")) {
                errors.push(at("id"), Folder::clash(&id, &taken));
            }
            let start = parse_time(&raw.start).or_else(|| {
                errors.push(at("start"), Problem::BadTime(raw.start.clone()));
                None
            });
            let end = match &raw.end {
                Some(text) => parse_time(text).map(Some).unwrap_or_else(|| {
                    errors.push(at("end"), Problem::BadTime(text.clone()));
                    None
                }),
                None => None,
            };
            for (field, time) in [("start", start), ("end", end)] {
                if let Some(time) = time {
                    check_wall_time(zone, date, time, at(field), errors, fallbacks);
                }
            }
            if let (Some(start), Some(end)) = (start, end) {
                if end <= start {
                    errors.push(
                        at("end"),
                        Problem::EndNotAfterStart {
                            start: start.format("%H:%M").to_string(),
                            end: end.format("%H:%M").to_string(),
                        },
                    );
                }
            }
            let kind = Kind::parse(&raw.kind).unwrap_or_else(|| {
                errors.push(
                    at("kind"),
                    Problem::UnknownKind {
                        kind: raw.kind.clone(),
                        kinds: Kind::ALL.iter().map(|(name, _)| *name).collect(),
                    },
                );
                Kind::Session
            });
            fallbacks.check(&raw.title, file, &format!("{path}.title"));
            for (field, text) in [
                ("description", &raw.description),
                ("location", &raw.location),
            ] {
                if let Some(text) = text {
                    fallbacks.check(text, file, &format!("{path}.{field}"));
                }
            }
            let mut link = |url: &Option<String>, field: &'static str| {
                let url = url.as_deref().map(str::trim)?;
                match address::problem(url, Reach::Web, field) {
                    Some(problem) => {
                        errors.push(at(field), problem);
                        None
                    }
                    None => Some(links::normalized(url)),
                }
            };
            let links = Links {
                stream: link(&raw.stream, "stream"),
                slides: link(&raw.slides, "slides"),
                recording: link(&raw.recording, "recording"),
                feedback: link(&raw.feedback, "feedback"),
            };
            let mut people = |ids: &[String], field: &'static str| -> Vec<Person> {
                let mut listed: Vec<Person> = Vec::new();
                for (i, id) in ids.iter().enumerate() {
                    let place = || file.place(&format!("{path}.{field}.{i}"));
                    let found = speakers.find(id).map(Person::Speaker).or_else(|| {
                        organisers
                            .by_id
                            .get(id.trim())
                            .map(|&o| Person::Organiser(o))
                    });
                    match found {
                        Some(person) if listed.contains(&person) => fallbacks.warn(
                            place(),
                            format!(
                                "`{}` is listed twice in the {field} of this session; shown once",
                                id.trim()
                            ),
                        ),
                        Some(person) => listed.push(person),
                        None => errors.push(
                            place(),
                            unknown_person(id, speakers, organisers, fallbacks.default_language()),
                        ),
                    }
                }
                listed
            };
            let moderators = people(&raw.moderators, "moderators");
            let speaker_ids = people(&raw.speakers, "speakers");
            if let Some(start) = start {
                sessions.push(Session {
                    id,
                    start,
                    end,
                    kind,
                    title: raw.title.clone(),
                    description: raw.description.clone(),
                    moderators,
                    speakers: speaker_ids,
                    location: raw.location.clone(),
                    cancelled: raw.cancelled,
                    links,
                });
            }
        }
        // Places are by position in the file, which only match when every session was kept.
        if sessions.len() == entry.sessions.len() {
            check_overlaps(&sessions, |s| at(&format!("sessions.{s}.start")), errors);
        }
        days.push(Day {
            date,
            title: entry.title.clone(),
            sessions,
        });
    }
    days.sort_by_key(|day| day.date);
    for day in &mut days {
        day.sessions.sort_by_key(|s| (s.start, s.end));
    }
    Programme { days }
}

/// The error of a moderator or speaker id that names no one, with the closest id of a
/// speaker or an organiser, and the organisers' ids, which an editor may not think of.
fn unknown_person(
    id: &str,
    speakers: &Speakers,
    organisers: &Organisers,
    default_language: &str,
) -> Problem {
    let id = id.trim();
    let mut organiser_ids: Vec<&str> = organisers.by_id.keys().map(String::as_str).collect();
    organiser_ids.sort_unstable();
    Problem::UnknownSpeaker {
        id: id.to_string(),
        suggestion: diagnostics::closest(id, speakers.ids().chain(organiser_ids.iter().copied()))
            .map(str::to_string),
        file: format!("content/speakers/{id}.{default_language}.md"),
        organisers: organiser_ids.into_iter().map(str::to_string).collect(),
    }
}

/// A time the zone skips on that day is an error; one it shows twice is published as the
/// first of the two, with a warning (RFC 5545 §3.3.5 has calendars read it so).
fn check_wall_time(
    zone: Tz,
    date: NaiveDate,
    time: NaiveTime,
    place: Place,
    errors: &mut Errors,
    fallbacks: &mut Fallbacks,
) {
    let hm = |t: NaiveTime| t.format("%H:%M").to_string();
    match clock::wall_time(zone, date.and_time(time)) {
        WallTime::Once => {}
        WallTime::Skipped { from, to } => errors.push(
            place,
            Problem::TimeSkipped {
                time: hm(time),
                date: date.to_string(),
                zone: zone.name().to_string(),
                from: hm(from),
                to: hm(to),
            },
        ),
        WallTime::Twice { first, second } => fallbacks.warn(
            place,
            format!(
                "{} happens twice on {date} in {}, at UTC{first} and again at UTC{second} \
                 once the clocks go back; the first, at UTC{first}, is meant",
                hm(time),
                zone.name()
            ),
        ),
    }
}

/// `HH:MM` (or `H:MM`), 00:00 to 23:59.
fn parse_time(text: &str) -> Option<NaiveTime> {
    let (hours, minutes) = text.trim().split_once(':')?;
    if hours.is_empty() || hours.len() > 2 || minutes.len() != 2 {
        return None;
    }
    NaiveTime::from_hms_opt(hours.parse().ok()?, minutes.parse().ok()?, 0)
}

/// No two sessions of a day overlap in the same location; sessions without a location share
/// one, and cancelled sessions free their slot.
fn check_overlaps(sessions: &[Session], place: impl Fn(usize) -> Place, errors: &mut Errors) {
    let mut by_room: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, session) in sessions.iter().enumerate().filter(|(_, s)| !s.cancelled) {
        let room = session.location.as_ref().map_or("", |t| t.get("", "").text);
        by_room.entry(room).or_default().push(i);
    }
    for (room, mut indexes) in by_room {
        indexes.sort_by_key(|&i| (sessions[i].start, sessions[i].end));
        // The session that ends last among those seen so far: any later start before its end
        // overlaps it.
        let mut latest: Option<usize> = None;
        for i in indexes {
            let session = &sessions[i];
            if let Some(j) = latest {
                let other = &sessions[j];
                let other_end = other.end.unwrap_or(other.start);
                if session.start < other_end || session.start == other.start {
                    errors.push(
                        place(i.max(j)),
                        Problem::Overlap {
                            id: sessions[i.max(j)].id.clone(),
                            other: sessions[i.min(j)].id.clone(),
                            other_time: time_range(&sessions[i.min(j)]),
                            location: if room.is_empty() {
                                String::new()
                            } else {
                                format!(" in {room}")
                            },
                        },
                    );
                }
            }
            let end = session.end.unwrap_or(session.start);
            if latest.is_none_or(|j| end > sessions[j].end.unwrap_or(sessions[j].start)) {
                latest = Some(i);
            }
        }
    }
}

fn time_range(session: &Session) -> String {
    match session.end {
        Some(end) => format!("{}–{}", session.start.format("%H:%M"), end.format("%H:%M")),
        None => session.start.format("%H:%M").to_string(),
    }
}
