//! What the agenda page's script reads, in each language (`LANG/agenda/sessions.json`): every
//! session an attendee can star, with its times (in the language's words and as UTC
//! instants), room, people and state, its one-tap calendar links, and its `VEVENT` as the
//! feeds have it, so that the calendar the script makes of an agenda has the feeds' `UID`s
//! and nothing the feeds would not say. Everything is plain text: the script writes it with
//! `textContent`, never as HTML.

use chrono::SecondsFormat;
use serde::Serialize;

use super::calendar::{SessionEvents, END};
use super::dates::{self, DayTimes};
use super::localize::Localized;
use super::one_tap::OneTap;
use super::routes;
use super::views::Sources;
use crate::event::{Person as EventPerson, Speaker};

#[derive(Serialize)]
struct AgendaData<'a> {
    /// The language's code.
    lang: &'a str,
    /// The event's time zone (IANA), in which the times are written.
    zone: &'a str,
    /// What a calendar of starred sessions is made of: `head`, their `vevent`s, `end`.
    calendar: CalendarParts<'a>,
    days: Vec<DayData>,
    sessions: Vec<SessionData<'a>>,
}

#[derive(Serialize)]
struct CalendarParts<'a> {
    head: &'a str,
    end: &'a str,
}

#[derive(Serialize)]
struct DayData {
    /// `2024-02-29`.
    date: String,
    /// `jeudi 29 février 2024`.
    label: String,
    title: Option<Plain>,
    /// `UTC+1`.
    zone: String,
}

/// A text, and the language and direction it is in (another than the page's when it fell
/// back).
#[derive(Serialize)]
struct Plain {
    text: String,
    lang: String,
    dir: &'static str,
}

impl From<Localized> for Plain {
    fn from(localized: Localized) -> Plain {
        Plain {
            text: localized.text,
            lang: localized.lang,
            dir: localized.dir,
        }
    }
}

#[derive(Serialize)]
struct SessionData<'a> {
    id: &'a str,
    /// Its day's index in `days`.
    day: usize,
    title: Plain,
    kind_label: String,
    start: &'a str,
    end: Option<&'a str>,
    /// Its instants, `2024-02-29T08:30:00Z`.
    start_utc: String,
    end_utc: Option<String>,
    location: Option<Plain>,
    moderators: Vec<Person>,
    speakers: Vec<Person>,
    cancelled: bool,
    /// On the programme page, from the site's root.
    url: String,
    /// Its `.ics`, from the site's root.
    calendar: String,
    google_calendar: Option<String>,
    outlook_calendar: Option<String>,
    /// Its stream, slides, recording and feedback form, those it has, in that order.
    links: Vec<Link<'a>>,
    vevent: &'a str,
}

/// A link of a session: its field's name in `programme.yaml`, which names its label too
/// (`link_stream`), and its checked `http(s)` URL.
#[derive(Serialize)]
struct Link<'a> {
    kind: &'static str,
    url: &'a str,
}

#[derive(Serialize)]
struct Person {
    name: Plain,
    url: String,
}

/// The agenda's data of the language of `sources`, as JSON.
pub(super) fn data(sources: &Sources, times: &[DayTimes], events: &SessionEvents) -> String {
    let (event, localizer, strings, plain) = (
        sources.event,
        sources.localizer,
        sources.strings,
        sources.plain,
    );
    let lang = plain.lang;
    let zone = event.timezone;
    let utc = |at| dates::instant(zone, at).to_rfc3339_opts(SecondsFormat::Secs, true);
    let person = |&person: &EventPerson| match person {
        EventPerson::Speaker(i) => {
            let speaker: &Speaker = &event.speakers[i];
            let mut name = localizer.text(&speaker.name);
            name.text = plain.person_name(speaker);
            Person {
                name: name.into(),
                url: routes::speaker(lang, &speaker.id),
            }
        }
        EventPerson::Organiser(i) => {
            let organiser = &event.organisers[i];
            Person {
                name: localizer.text(&organiser.name).into(),
                url: organiser.url.clone().unwrap_or_else(|| {
                    routes::organiser(lang, organiser.id.as_deref().unwrap_or_default())
                }),
            }
        }
    };
    let mut sessions = Vec::new();
    for (d, (day, day_times)) in event.programme.days.iter().zip(times).enumerate() {
        for (s, (session, times)) in day.sessions.iter().zip(&day_times.sessions).enumerate() {
            if !session.kind.is_chosen() {
                continue;
            }
            let kind = session.kind.name();
            let one_tap = sources.one_tap(day, session);
            sessions.push(SessionData {
                id: &session.id,
                day: d,
                title: localizer.text(&session.title).into(),
                kind_label: strings
                    .get_or(&format!("kind_{kind}"), kind, localizer)
                    .text,
                start: &times.start,
                end: times.end.as_deref(),
                start_utc: utc(day.date.and_time(session.start)),
                end_utc: session.end.map(|end| utc(day.date.and_time(end))),
                location: localizer.optional(&session.location).map(Plain::from),
                moderators: session.moderators.iter().map(person).collect(),
                speakers: session.speakers.iter().map(person).collect(),
                cancelled: session.cancelled,
                url: routes::session(lang, &session.id),
                calendar: routes::session_calendar(lang, &session.id),
                google_calendar: one_tap.as_ref().map(OneTap::google),
                outlook_calendar: one_tap.as_ref().map(OneTap::outlook),
                links: session
                    .links
                    .present()
                    .map(|(kind, url)| Link { kind, url })
                    .collect(),
                vevent: &events.days[d][s],
            });
        }
    }
    let days = event
        .programme
        .days
        .iter()
        .zip(times)
        .map(|(day, times)| DayData {
            date: day.date.to_string(),
            label: times.date.clone(),
            title: localizer.optional(&day.title).map(Plain::from),
            zone: times.zone.clone(),
        })
        .collect();
    let data = AgendaData {
        lang,
        zone: zone.name(),
        calendar: CalendarParts {
            head: &events.head,
            end: END,
        },
        days,
        sessions,
    };
    // Strings, lists and maps with string keys always serialize.
    serde_json::to_string(&data).unwrap_or_default()
}
