//! iCalendar feeds (RFC 5545, RFC 7986), in every language: the whole programme
//! (`LANG/calendar.ics`, to subscribe to), one session (`LANG/sessions/ID.ics`, to add to a
//! calendar) and one speaker's sessions (`LANG/speakers/ID.ics`).
//!
//! The `ics` crate builds the calendars. It folds lines itself, but into continuation lines of
//! 76 octets (0.5.8, `src/contentline.rs`, which counts 75 octets after the leading space), and
//! may fold between the two characters of an escape: [`fold_lines`] redoes the folding.
//!
//! Their text is plain, so runs of the other direction are isolated in it
//! ([`Plain::isolated`]): a client lays out "(ANAPEC)" in Arabic text where it belongs.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use ics::components::{Component, Parameter, Property};
use ics::parameters::{Language, TzIDParam};
use ics::properties::{
    CalScale, Categories, Description, DtEnd, DtStart, LastModified, Location, Method, Name,
    RefreshInterval, Sequence, Status, Summary, URL,
};
use ics::ICalendar;
use rayon::prelude::*;

use super::plain::Plain;
use super::revisions::Revisions;
use super::routes;
use crate::config::Config;
use crate::event::{Day, Session};

/// Names the program that wrote the feeds (RFC 5545 §3.7.3); no version, so that upgrading
/// majlis alone does not change every feed.
const PRODID: &str = "-//majlis//NONSGML majlis//EN";

/// How often subscribed calendars should fetch the feed again (RFC 7986 §5.7, and
/// `X-PUBLISHED-TTL` for the clients that predate it): often, since programmes change during
/// the event itself, and a static file costs little to serve.
const REFRESH: &str = "PT1H";

/// RFC 5545 §3.1: a content line is at most 75 octets, the CRLF excluded.
const LINE_LIMIT: usize = 75;

/// A session's `UID`: its id at the site's address (`opening@pesnet.example.org/meeting-4`).
/// It never changes with the session's text, time or position, nor with the language, so
/// that calendars update the event instead of adding a copy (RFC 5545 §3.8.4.7). The site's
/// path is kept, not only its host: two events published on one host (`/meeting-4/`,
/// `/meeting-5/`) reuse session ids, and a shared `UID` would make an import of one
/// overwrite the other.
pub(super) fn uid(config: &Config, session_id: &str) -> String {
    let base = &config.base_url;
    let path = base.path().trim_end_matches('/');
    format!("{session_id}@{}{path}", base.host().to_lowercase())
}

/// Each session's `VEVENT` in one language, folded, and the head of a calendar to import
/// (without a name): what the feeds are made of, and what the agenda page's script makes a
/// calendar of.
pub(super) struct SessionEvents {
    /// A calendar up to its events: its properties and the `VTIMEZONE`.
    pub(super) head: String,
    /// Each session's `VEVENT`, by day and session index.
    pub(super) days: Vec<Vec<String>>,
}

/// The line that ends a calendar.
pub(super) const END: &str = "END:VCALENDAR\r\n";

/// The calendar feeds of one language, each given to `put` with its published path as soon as
/// it is made (on every core); returns the sessions' events they are made of. A session
/// `revisions` does not know has `SEQUENCE:0` and is last modified at `stamp`.
pub(super) fn feeds(
    config: &Config,
    plain: &Plain,
    timezone: &Component<'static>,
    stamp: DateTime<Utc>,
    revisions: &Revisions,
    put: &(dyn Fn(String, String) + Sync),
) -> SessionEvents {
    let event = plain.event;
    let lang = plain.lang;
    let feed = Feed {
        config,
        plain,
        timezone,
        stamp,
        revisions,
    };
    // Each session's VEVENT is made and folded once, then copied into the three kinds of
    // feed that hold it.
    let days: Vec<Vec<String>> = event
        .programme
        .days
        .par_iter()
        .map(|day| {
            day.sessions
                .par_iter()
                .map(|s| fold_lines(&feed.event(day, s).to_string()))
                .collect()
        })
        .collect();
    let event_name = plain.isolated(plain.text(&event.name));
    put(
        routes::calendar(lang),
        feed.calendar(Some(&event_name), days.iter().flatten()),
    );
    let single = feed.head(None);
    event
        .programme
        .days
        .par_iter()
        .zip(&days)
        .flat_map(|(day, events)| day.sessions.par_iter().zip(events))
        .for_each(|(session, vevent)| {
            let mut calendar = String::with_capacity(single.len() + vevent.len() + 16);
            calendar.push_str(&single);
            calendar.push_str(vevent);
            calendar.push_str(END);
            put(routes::session_calendar(lang, &session.id), calendar);
        });
    event.speakers.par_iter().for_each(|speaker| {
        // A calendar must not hold the same UID twice.
        let sessions = speaker.sessions();
        if sessions.is_empty() {
            return;
        }
        let name = format!(
            "{} · {event_name}",
            plain.isolated(&plain.person_name(speaker))
        );
        put(
            routes::speaker_calendar(lang, &speaker.id),
            feed.calendar(Some(&name), sessions.iter().map(|&(d, s)| &days[d][s])),
        );
    });
    SessionEvents { head: single, days }
}

/// What the feeds of one language share.
struct Feed<'a> {
    config: &'a Config,
    plain: &'a Plain<'a>,
    timezone: &'a Component<'static>,
    stamp: DateTime<Utc>,
    revisions: &'a Revisions,
}

impl Feed<'_> {
    /// A whole calendar of folded VEVENTs: a subscription when it has a name, else one
    /// session to import (a name would make some clients, Apple's among them, create a new
    /// calendar for it).
    fn calendar<'e>(
        &self,
        name: Option<&str>,
        events: impl IntoIterator<Item = &'e String>,
    ) -> String {
        let mut calendar = self.head(name);
        for event in events {
            calendar.push_str(event);
        }
        calendar.push_str(END);
        calendar
    }

    /// A calendar up to its events, folded: its properties and the time zone.
    fn head(&self, name: Option<&str>) -> String {
        let zone = self.plain.event.timezone.name();
        let mut calendar = ICalendar::new("2.0", PRODID);
        calendar.push(CalScale::new("GREGORIAN"));
        calendar.push(Method::new("PUBLISH"));
        if let Some(name) = name {
            calendar.push(Name::new(text_value(name)));
            calendar.push(Property::new("X-WR-CALNAME", text_value(name)));
        }
        calendar.push(Property::new("X-WR-TIMEZONE", zone));
        if name.is_some() {
            calendar.push(RefreshInterval::new(REFRESH));
            calendar.push(Property::new("X-PUBLISHED-TTL", REFRESH));
        }
        calendar.add_component(self.timezone.clone());
        let mut head = fold_lines(&calendar.to_string());
        let events_go_here = head.strip_suffix(END).map_or(head.len(), str::len);
        head.truncate(events_go_here);
        head
    }

    /// The `VEVENT` of a session in this language.
    fn event(&self, day: &Day, session: &Session) -> ics::Event<'static> {
        let plain = self.plain;
        let mut vevent = ics::Event::new(uid(self.config, &session.id), utc(self.stamp));
        // RFC 5545 §3.8.7.4: a client that keeps the event updates it when this is higher.
        let revision = self.revisions.get(plain.lang, &session.id);
        let sequence = revision.map_or(0, |r| r.sequence);
        vevent.push(Sequence::new(sequence.to_string()));
        let modified = revision.map_or(self.stamp, |r| r.modified);
        vevent.push(LastModified::new(utc(modified)));
        vevent.push(self.local_time(DtStart::new(local(day.date, session.start))));
        if let Some(end) = session.end {
            vevent.push(self.local_time(DtEnd::new(local(day.date, end))));
        }
        let title = plain.chosen(&session.title);
        let summary = if session.cancelled {
            // Clients that ignore STATUS still show the session as cancelled.
            format!("{} — {}", plain.ui("cancelled", "Cancelled"), title.text)
        } else {
            title.text.to_string()
        };
        let mut summary = Summary::new(text_value(&plain.isolated(&summary)));
        if let Some(lang) = title.lang.filter(|l| is_language_tag(l)) {
            summary.add(Language::new(lang.to_string()));
        }
        vevent.push(summary);
        let text = plain.description(session);
        let lang = text
            .as_ref()
            .map_or(plain.lang, |(_, lang)| lang)
            .to_string();
        let parts: Vec<String> = text
            .map(|(text, _)| text)
            .into_iter()
            .chain(plain.people(session))
            .chain(plain.links(session))
            .collect();
        if !parts.is_empty() {
            let text = plain.isolated(&parts.join("\n\n"));
            let mut description = Description::new(text_value(&text));
            if is_language_tag(&lang) {
                description.add(Language::new(lang));
            }
            vevent.push(description);
        }
        if let Some(location) = plain.location(session) {
            vevent.push(Location::new(text_value(&plain.isolated(&location))));
        }
        vevent.push(URL::new(format!(
            "{}{}",
            self.config.base_url,
            routes::session(plain.lang, &session.id)
        )));
        // The stream is where the session is joined from afar: RFC 7986's CONFERENCE, which
        // clients show as a "join" link. URL stays the session's page, which has every link,
        // the stream's too, and is the same address whatever is added to the session later.
        if let Some(stream) = &session.links.stream {
            let mut conference = Property::new("CONFERENCE", stream.clone());
            conference.add(Parameter::new("VALUE", "URI"));
            conference.add(Parameter::new("FEATURE", "VIDEO"));
            // A quoted parameter value holds no `"` and no control (RFC 5545 §3.1).
            let label: String = plain
                .ui("link_stream", "stream")
                .chars()
                .filter(|&c| c != '"' && !c.is_control())
                .collect();
            conference.add(Parameter::new("LABEL", format!("\"{label}\"")));
            vevent.push(conference);
        }
        vevent.push(Categories::new(text_value(plain.kind(session.kind))));
        vevent.push(if session.cancelled {
            Status::cancelled()
        } else {
            Status::confirmed()
        });
        vevent
    }

    /// A `DTSTART` or `DTEND` in the event's zone, whose `VTIMEZONE` every feed carries.
    fn local_time<P: Into<Property<'static>>>(&self, property: P) -> Property<'static> {
        let mut property = property.into();
        property.add(TzIDParam::new(self.plain.event.timezone.name()));
        property
    }
}

/// Whether a language code can be a `LANGUAGE` parameter as it is: a text may be written in
/// a language the site does not have, under any key, and a `:`, `;` or `"` there would break
/// the property.
fn is_language_tag(code: &str) -> bool {
    !code.is_empty() && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// An instant in UTC, as `DTSTAMP` and `LAST-MODIFIED` must be written (RFC 5545 §3.8.7).
fn utc(instant: DateTime<Utc>) -> String {
    instant.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A wall-clock time of the event, as `DTSTART;TZID=…` writes it.
fn local(date: NaiveDate, time: NaiveTime) -> String {
    date.and_time(time).format("%Y%m%dT%H%M%S").to_string()
}

/// A TEXT value (RFC 5545 §3.3.11): `\`, `;`, `,` and line breaks escaped, so that nothing an
/// editor writes can end the property and start another. Other control characters are not
/// allowed in a content line (§3.1) and are dropped.
fn text_value(text: &str) -> String {
    let clean: String = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
        .collect();
    ics::escape_text(clean).into_owned()
}

/// Folds every content line of a calendar (RFC 5545 §3.1): at most 75 octets per line, the
/// leading space of a continuation line included, CRLF line endings, and a fold never inside
/// a UTF-8 character or between a backslash and the character it escapes. The lines that
/// the `ics` crate folded are unfolded first.
pub(super) fn fold_lines(calendar: &str) -> String {
    let unfolded = calendar.replace("\r\n ", "");
    let mut out = String::with_capacity(unfolded.len() + unfolded.len() / 20);
    for line in unfolded.split_terminator("\r\n") {
        if line.len() <= LINE_LIMIT {
            out.push_str(line);
            out.push_str("\r\n");
            continue;
        }
        let mut used = 0;
        let mut rest = line;
        while let Some(c) = rest.chars().next() {
            let mut unit = c.len_utf8();
            if c == '\\' {
                unit += rest[unit..].chars().next().map_or(0, char::len_utf8);
            }
            if used + unit > LINE_LIMIT {
                out.push_str("\r\n ");
                used = 1;
            }
            out.push_str(&rest[..unit]);
            used += unit;
            rest = &rest[unit..];
        }
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_with_the_leading_space() {
        let folded = fold_lines(&format!("SUMMARY:{}\r\n", "a".repeat(200)));
        let lines: Vec<&str> = folded.split_terminator("\r\n").collect();
        assert!(lines.iter().all(|l| l.len() <= 75), "{lines:?}");
        assert_eq!(lines[0].len(), 75);
        assert_eq!(lines[1].len(), 75);
        assert!(lines[1].starts_with(' '));
        assert_eq!(
            folded.replace("\r\n ", ""),
            format!("SUMMARY:{}\r\n", "a".repeat(200))
        );
    }

    #[test]
    fn folds_fall_between_characters_and_escapes() {
        for prefix in 0..8 {
            let value = format!("{}{}", "x".repeat(prefix), "é\\,ب\\n".repeat(40));
            let folded = fold_lines(&format!("DESCRIPTION:{value}\r\n"));
            for line in folded.split_terminator("\r\n") {
                assert!(line.len() <= 75);
                let body = line.strip_prefix(' ').unwrap_or(line);
                assert!(!body.ends_with('\\'), "{line:?}");
                assert!(!body.starts_with(['n', ',']), "{line:?}");
            }
            assert_eq!(
                folded.replace("\r\n ", ""),
                format!("DESCRIPTION:{value}\r\n")
            );
        }
    }

    #[test]
    fn text_cannot_start_a_property() {
        assert_eq!(
            text_value("a\r\nDTSTART:1;b,c\\d\re\u{7}"),
            "a\\nDTSTART:1\\;b\\,c\\\\d\\ne"
        );
    }
}
