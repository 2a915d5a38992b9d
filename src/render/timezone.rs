//! `VTIMEZONE` components generated from the tz database that chrono-tz compiles in, for the
//! dates of one event. No crate builds them, and a hand-written one goes stale: Morocco's
//! offset changes around Ramadan on dates that follow the lunar calendar, so no yearly rule
//! (`RRULE`) describes it. We write each change as it happens instead: one `STANDARD` or
//! `DAYLIGHT` observance per transition, with its own `DTSTART` (RFC 5545 §3.6.5).

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use ics::components::Component;
use ics::properties::{TzID, TzName};

/// Days added before the event's first day and after its last one, so that every session
/// falls well inside the covered period whatever the offset (up to ±14 hours).
const MARGIN_DAYS: i64 = 7;

/// How far back to look for the change that started the offset in force when the covered
/// period begins; a zone that has not changed for that long is described as fixed.
const LOOKBACK_DAYS: i64 = 100 * 366;

/// One observance: from `onset` on, the zone is `to` seconds ahead of UTC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Observance {
    /// When it starts, as the wall-clock time just before the change (RFC 5545 writes the
    /// onset in the offset it changes from).
    pub onset: NaiveDateTime,
    /// The offset before it, in seconds east of UTC.
    pub from: i32,
    /// Its offset, in seconds east of UTC.
    pub to: i32,
    /// Its abbreviation ("CET", "+01").
    pub name: String,
    /// Whether the tz database counts it as daylight-saving time (a positive DST part).
    pub daylight: bool,
}

/// The observances that cover the event's dates, `first` to `last` with a margin: the one in
/// force before them, then every change up to the end.
pub(super) fn observances(zone: Tz, first: NaiveDate, last: NaiveDate) -> Vec<Observance> {
    let start = utc_midnight(first - Duration::days(MARGIN_DAYS));
    let end = utc_midnight(last + Duration::days(MARGIN_DAYS + 1));
    let mut list = Vec::new();
    let lookback = start - Duration::days(LOOKBACK_DAYS);
    match last_change(zone, lookback, start, Duration::days(1)) {
        Some(change) => list.push(observance(zone, change)),
        None => {
            // No change within the look-back: the offset is fixed as far as the event goes.
            // 1970-01-01 is the conventional onset of such an observance.
            let offset = zone.offset_from_utc_datetime(&start.naive_utc());
            let to = offset.fix().local_minus_utc();
            list.push(Observance {
                onset: DateTime::UNIX_EPOCH.naive_utc(),
                from: to,
                to,
                name: name(&offset),
                daylight: offset.dst_offset() > Duration::zero(),
            });
        }
    }
    let mut from = start;
    while let Some(change) = first_change(zone, from, end, Duration::hours(1)) {
        list.push(observance(zone, change));
        from = change;
    }
    list
}

/// The `VTIMEZONE` of `zone` for an event from `first` to `last`, with `TZID` the zone's IANA
/// name (the name clients also look up in their own database).
pub(super) fn vtimezone(zone: Tz, first: NaiveDate, last: NaiveDate) -> Component<'static> {
    let mut timezone = Component::new("VTIMEZONE");
    timezone.add_property(TzID::new(zone.name()));
    for o in observances(zone, first, last) {
        let onset = o.onset.format("%Y%m%dT%H%M%S").to_string();
        let (from, to) = (utc_offset(o.from), utc_offset(o.to));
        let name = TzName::new(ics::escape_text(o.name));
        if o.daylight {
            let mut daylight = ics::Daylight::new(onset, from, to);
            daylight.push(name);
            timezone.add_component(daylight);
        } else {
            let mut standard = ics::Standard::new(onset, from, to);
            standard.push(name);
            timezone.add_component(standard);
        }
    }
    timezone
}

/// The observance that starts at `change`, the first instant of a new offset.
fn observance(zone: Tz, change: DateTime<Utc>) -> Observance {
    let before = zone.offset_from_utc_datetime(&(change - Duration::seconds(1)).naive_utc());
    let after = zone.offset_from_utc_datetime(&change.naive_utc());
    let from = before.fix().local_minus_utc();
    Observance {
        onset: change.naive_utc() + Duration::seconds(from.into()),
        from,
        to: after.fix().local_minus_utc(),
        name: name(&after),
        // Morocco's Ramadan offset is a negative DST in the tz database: it is written as
        // standard time, as the database's own "rearguard" form and most clients expect.
        daylight: after.dst_offset() > Duration::zero(),
    }
}

/// The observance's abbreviation; zones without one are named by their offset as the tz
/// database writes it (`+01`, `+0530`).
fn name(offset: &chrono_tz::TzOffset) -> String {
    match offset.abbreviation() {
        Some(abbreviation) => abbreviation.to_string(),
        None => {
            let full = utc_offset(offset.fix().local_minus_utc());
            match full.strip_suffix("00") {
                Some(hours) if full.len() == 5 => hours.to_string(),
                _ => full,
            }
        }
    }
}

/// The first instant after `from`, up to `to`, at which the zone's offset (or its name)
/// changes, found by steps of `step` then to the second.
fn first_change(
    zone: Tz,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    step: Duration,
) -> Option<DateTime<Utc>> {
    let offset = |t: DateTime<Utc>| zone.offset_from_utc_datetime(&t.naive_utc());
    let mut lo = from;
    while lo < to {
        let hi = (lo + step).min(to);
        if offset(hi) != offset(lo) {
            return Some(bisect(zone, lo, hi));
        }
        lo = hi;
    }
    None
}

/// The last instant up to `to`, back to `from`, at which the zone's offset changes.
fn last_change(
    zone: Tz,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    step: Duration,
) -> Option<DateTime<Utc>> {
    let offset = |t: DateTime<Utc>| zone.offset_from_utc_datetime(&t.naive_utc());
    let mut hi = to;
    while hi > from {
        let lo = (hi - step).max(from);
        if offset(hi) != offset(lo) {
            return Some(bisect(zone, lo, hi));
        }
        hi = lo;
    }
    None
}

/// The first second of `hi`'s offset, knowing that `lo` has another one (changes happen on
/// whole seconds).
fn bisect(zone: Tz, lo: DateTime<Utc>, hi: DateTime<Utc>) -> DateTime<Utc> {
    let offset = |t: i64| {
        DateTime::from_timestamp(t, 0).map(|t| zone.offset_from_utc_datetime(&t.naive_utc()))
    };
    let target = offset(hi.timestamp());
    let (mut lo, mut hi) = (lo.timestamp(), hi.timestamp());
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if offset(mid) == target {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    DateTime::from_timestamp(hi, 0).unwrap_or_default()
}

fn utc_midnight(date: NaiveDate) -> DateTime<Utc> {
    date.and_time(chrono::NaiveTime::MIN).and_utc()
}

/// RFC 5545 §3.3.14 UTC offset: `+0100`, with seconds only when there are some.
pub(super) fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let seconds = seconds.unsigned_abs();
    let (hours, minutes, rest) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    if rest == 0 {
        format!("{sign}{hours:02}{minutes:02}")
    } else {
        format!("{sign}{hours:02}{minutes:02}{rest:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        date(y, m, d).and_hms_opt(h, min, 0).unwrap()
    }

    #[test]
    fn paris_across_the_march_2025_switch_has_winter_then_summer_time() {
        let list = observances(
            chrono_tz::Europe::Paris,
            date(2025, 3, 29),
            date(2025, 3, 30),
        );
        assert_eq!(list.len(), 2, "{list:?}");
        assert_eq!(list[0].onset, at(2024, 10, 27, 3, 0));
        assert_eq!((list[0].from, list[0].to), (7200, 3600));
        assert_eq!((list[0].name.as_str(), list[0].daylight), ("CET", false));
        assert_eq!(list[1].onset, at(2025, 3, 30, 2, 0));
        assert_eq!((list[1].from, list[1].to), (3600, 7200));
        assert_eq!((list[1].name.as_str(), list[1].daylight), ("CEST", true));
    }

    #[test]
    fn casablanca_in_ramadan_2025_is_utc_since_the_february_change() {
        let list = observances(
            chrono_tz::Africa::Casablanca,
            date(2025, 3, 10),
            date(2025, 3, 11),
        );
        assert_eq!(list.len(), 1, "{list:?}");
        assert_eq!(list[0].onset, at(2025, 2, 23, 3, 0));
        assert_eq!((list[0].from, list[0].to), (3600, 0));
        assert_eq!((list[0].name.as_str(), list[0].daylight), ("+00", false));
    }

    #[test]
    fn casablanca_before_ramadan_2024_is_utc_plus_one() {
        let list = observances(
            chrono_tz::Africa::Casablanca,
            date(2024, 2, 29),
            date(2024, 3, 1),
        );
        assert_eq!(list.len(), 1, "{list:?}");
        assert_eq!((list[0].from, list[0].to), (0, 3600));
        assert!(list[0].onset < at(2024, 2, 22, 0, 0));
    }

    #[test]
    fn an_event_that_spans_the_start_of_ramadan_gets_both_offsets() {
        let list = observances(
            chrono_tz::Africa::Casablanca,
            date(2024, 3, 8),
            date(2024, 3, 12),
        );
        let offsets: Vec<i32> = list.iter().map(|o| o.to).collect();
        assert_eq!(offsets, [3600, 0], "{list:?}");
        assert_eq!(list[1].onset, at(2024, 3, 10, 3, 0));
    }

    #[test]
    fn a_zone_without_changes_is_one_fixed_observance() {
        let list = observances(Tz::UTC, date(2026, 6, 1), date(2026, 6, 1));
        assert_eq!(list.len(), 1);
        assert_eq!((list[0].from, list[0].to), (0, 0));
        assert_eq!(list[0].onset, at(1970, 1, 1, 0, 0));
    }

    #[test]
    fn offsets_are_written_as_rfc_5545_wants() {
        assert_eq!(utc_offset(3600), "+0100");
        assert_eq!(utc_offset(-12600), "-0330");
        assert_eq!(utc_offset(0), "+0000");
        assert_eq!(utc_offset(-1830), "-003030");
    }
}
