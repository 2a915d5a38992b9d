//! One tap to put a session in Google Calendar or Outlook on the web, filled in: for the
//! attendees whose phone does nothing useful with an `.ics` file. Both take the session's
//! instants in UTC, the feeds' instants, so that the event's zone can never be misread; Google
//! is also given the zone (`ctz`) to show the times in.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::dates;
use super::plain::Plain;
use super::routes;
use crate::config::Config;
use crate::event::{Day, Session};
use crate::links::encode_query_value;

/// The most of a session's description the links carry: every session of the programme page
/// has two links, which should not weigh more than the page, and the session's page, linked
/// after the description, has the rest.
const DESCRIPTION_LIMIT: usize = 280;

/// What a session's Google Calendar and Outlook links are made of, already encoded for a
/// query, made where a page or the agenda's data shows them and not kept: kept for every
/// session of every language, they were ten megabytes of a large event's peak memory, and
/// making them again for each of a session's people's pages costs less than 1% of a build.
pub(super) struct OneTap {
    /// The title, encoded.
    title: String,
    /// The details and the location (`&location=…`), encoded: the same in both links.
    body: String,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    /// The event's zone, which Google shows the times in.
    zone: Tz,
}

impl OneTap {
    /// The links of a session that attendees choose to attend (see `Kind::is_chosen`) and
    /// that was not cancelled, in the language of `plain`.
    pub(super) fn new(
        config: &Config,
        plain: &Plain,
        day: &Day,
        session: &Session,
    ) -> Option<OneTap> {
        if !session.kind.is_chosen() || session.cancelled {
            return None;
        }
        let zone = plain.event.timezone;
        let start = dates::instant(zone, day.date.and_time(session.start));
        // A session without an end is an instant, as in the feeds.
        let end = session
            .end
            .map_or(start, |end| dates::instant(zone, day.date.and_time(end)));
        // The same words as the session's feed, runs of the other direction isolated.
        let title = plain.isolated(plain.text(&session.title).trim());
        let page = format!(
            "{}{}",
            config.base_url,
            routes::session(plain.lang, &session.id)
        );
        let mut details: Vec<String> = Vec::new();
        if let Some((text, _)) = plain.description(session) {
            details.push(shortened(&text, DESCRIPTION_LIMIT));
        }
        details.extend(plain.people(session));
        let mut details = plain.isolated(&details.join("\n\n"));
        if !details.is_empty() {
            details.push_str("\n\n");
        }
        details.push_str(&page);
        let mut body = encode_query_value(&details);
        if let Some(location) = plain.location(session) {
            body.push_str("&location=");
            body.push_str(&encode_query_value(&plain.isolated(&location)));
        }
        Some(OneTap {
            title: encode_query_value(&title),
            body,
            start,
            end,
            zone,
        })
    }

    /// The Google Calendar link.
    pub(super) fn google(&self) -> String {
        format!(
            "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}&dates={}/{}&ctz={}&details={}",
            self.title,
            self.start.format("%Y%m%dT%H%M%SZ"),
            self.end.format("%Y%m%dT%H%M%SZ"),
            encode_query_value(self.zone.name()),
            self.body,
        )
    }

    /// The Outlook on the web link.
    pub(super) fn outlook(&self) -> String {
        format!(
            "https://outlook.office.com/calendar/0/deeplink/compose?path=%2Fcalendar%2Faction%2Fcompose&rru=addevent&subject={}&startdt={}&enddt={}&body={}",
            self.title,
            self.start.format("%Y-%m-%dT%H:%M:%SZ"),
            self.end.format("%Y-%m-%dT%H:%M:%SZ"),
            self.body,
        )
    }
}

/// `text` cut after at most `limit` characters, at a space when there is one, with `…`.
fn shortened(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        None => text.to_string(),
        Some((cut, _)) => {
            let head = &text[..cut];
            let head = head.rfind(char::is_whitespace).map_or(head, |i| &head[..i]);
            format!("{}…", head.trim_end())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_description_is_cut_at_a_space() {
        assert_eq!(shortened("short", 10), "short");
        assert_eq!(shortened("one two three", 9), "one two…");
        assert_eq!(shortened("éééé", 2), "éé…");
    }
}
