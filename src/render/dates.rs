//! Dates and times in each language, from CLDR data (ICU4X), never from hand-written tables.

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone,
    Timelike, Utc,
};
use chrono_tz::Tz;
use icu_calendar::Gregorian;
use icu_datetime::fieldsets::{zone::LocalizedOffsetShort, T, YMD, YMDE};
use icu_datetime::input::{Date, Time, UtcOffset};
use icu_datetime::{FixedCalendarDateTimeFormatter, NoCalendarFormatter};
use icu_locale_core::Locale;
use writeable::{Part, PartsWrite, Writeable};

use crate::event::{Day, Session};

/// The date and time formats of one language. The event's dates are Gregorian whatever the
/// locale's usual calendar, so that every language shows the same days.
pub(super) struct DateFormats {
    day: FixedCalendarDateTimeFormatter<Gregorian, YMDE>,
    date: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    time: NoCalendarFormatter<T>,
    offset: NoCalendarFormatter<LocalizedOffsetShort>,
    /// How the language writes the first day of a month where CLDR's patterns give a plain
    /// number ("1er" in French): the interface string `first_day_of_month`.
    first_day: Option<String>,
}

impl DateFormats {
    /// Loads the formats of a locale (ICU4X falls back to a parent locale, then to the root,
    /// for locales it has no data for). Its hour cycle and digits are the locale's own, or
    /// those its `-u-hc-` and `-u-nu-` extensions ask for. `first_day` is the form of the
    /// first day of a month, if the language has one.
    pub(super) fn new(locale: &Locale, first_day: Option<&str>) -> Result<DateFormats, String> {
        let prefs = || locale.into();
        Ok(DateFormats {
            first_day: first_day
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(str::to_string),
            day: FixedCalendarDateTimeFormatter::try_new(prefs(), YMDE::long())
                .map_err(|e| e.to_string())?,
            date: FixedCalendarDateTimeFormatter::try_new(prefs(), YMD::long())
                .map_err(|e| e.to_string())?,
            time: NoCalendarFormatter::try_new(prefs(), T::hm()).map_err(|e| e.to_string())?,
            offset: NoCalendarFormatter::try_new(prefs(), LocalizedOffsetShort)
                .map_err(|e| e.to_string())?,
        })
    }

    /// "jeudi 29 février 2024".
    pub(super) fn day(&self, date: NaiveDate) -> String {
        match gregorian(date) {
            Some(d) => self.with_first_day(date, &self.day.format(&d)),
            None => date.to_string(),
        }
    }

    /// "29 février 2024", "1er mars 2024".
    pub(super) fn date(&self, date: NaiveDate) -> String {
        match gregorian(date) {
            Some(d) => self.with_first_day(date, &self.date.format(&d)),
            None => date.to_string(),
        }
    }

    /// A formatted date, its day of the month written in the language's form of the first
    /// when it is the first. The day is found by the field ICU4X marks it with, wherever
    /// the locale's pattern puts it and in whatever digits.
    fn with_first_day(&self, date: NaiveDate, formatted: &impl Writeable) -> String {
        let mut sink = DayField::default();
        if formatted.write_to_parts(&mut sink).is_err() {
            return formatted.write_to_string().into_owned();
        }
        match (&self.first_day, sink.day) {
            (Some(first), Some(day)) if date.day() == 1 => {
                sink.text.replace_range(day, first);
                sink.text
            }
            _ => sink.text,
        }
    }

    /// "09:30", "9:30 AM".
    pub(super) fn time(&self, time: NaiveTime) -> String {
        match Time::try_new(time.hour() as u8, time.minute() as u8, 0, 0) {
            Ok(t) => self.time.format(&t).to_string(),
            Err(_) => time.format("%H:%M").to_string(),
        }
    }

    /// "GMT+1", "UTC+1", "غرينتش+١".
    pub(super) fn offset(&self, offset: FixedOffset) -> String {
        match UtcOffset::try_from_seconds(offset.local_minus_utc()) {
            Ok(o) => self.offset.format(&o).to_string(),
            Err(_) => offset.to_string(),
        }
    }

    /// The event's first and last day: "29 février 2024 – 1 mars 2024", or one date.
    pub(super) fn range(&self, start: NaiveDate, end: NaiveDate) -> String {
        if start == end {
            self.date(start)
        } else {
            format!("{} – {}", self.date(start), self.date(end))
        }
    }
}

/// The text of a formatted date, and where its day of the month is in it.
#[derive(Default)]
struct DayField {
    text: String,
    day: Option<std::ops::Range<usize>>,
}

impl std::fmt::Write for DayField {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.text.push_str(s);
        Ok(())
    }
}

impl PartsWrite for DayField {
    type SubPartsWrite = DayField;

    fn with_part(
        &mut self,
        part: Part,
        mut f: impl FnMut(&mut DayField) -> std::fmt::Result,
    ) -> std::fmt::Result {
        let start = self.text.len();
        f(self)?;
        if part == icu_datetime::parts::DAY {
            self.day = Some(start..self.text.len());
        }
        Ok(())
    }
}

fn gregorian(date: NaiveDate) -> Option<Date<Gregorian>> {
    Date::try_new_gregorian(date.year(), date.month() as u8, date.day() as u8).ok()
}

/// The offset from UTC of a wall-clock time in a zone. A time that does not exist (skipped by
/// a daylight-saving change) takes the offset in force before the change, as RFC 5545 §3.3.5
/// has calendar clients read it, so that pages and feeds agree on the instant.
pub(super) fn offset_at(zone: Tz, local: NaiveDateTime) -> FixedOffset {
    let mut probe = local;
    for _ in 0..=96 {
        if let Some(offset) = zone.offset_from_local_datetime(&probe).earliest() {
            return offset.fix();
        }
        probe -= chrono::Duration::minutes(15);
    }
    zone.offset_from_utc_datetime(&local).fix()
}

/// The instant of a wall-clock time of the event, as the feeds' `DTSTART;TZID=…` mean it (a
/// time the clocks skip or repeat taken as [`offset_at`] takes it).
pub(super) fn instant(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let offset = offset_at(zone, local).local_minus_utc();
    (local - chrono::Duration::seconds(offset.into())).and_utc()
}

/// RFC 3339 local time with its offset, for `<time datetime>` and feeds: `2024-02-29T09:30:00+01:00`.
pub(super) fn iso(zone: Tz, local: NaiveDateTime) -> String {
    let offset = offset_at(zone, local);
    format!(
        "{}{}",
        local.format("%Y-%m-%dT%H:%M:%S"),
        format_offset(offset)
    )
}

fn format_offset(offset: FixedOffset) -> String {
    let seconds = offset.local_minus_utc();
    let sign = if seconds < 0 { '-' } else { '+' };
    let seconds = seconds.abs();
    format!("{sign}{:02}:{:02}", seconds / 3600, seconds % 3600 / 60)
}

/// When a day and its sessions are, as pages write them in one language.
pub(crate) struct DayTimes {
    pub(crate) date: String,
    /// The UTC offset of its sessions ("UTC+1", or "UTC+1 / UTC+2" on the day clocks change),
    /// or of its noon when it has none.
    pub(crate) zone: String,
    pub(crate) sessions: Vec<Times>,
}

impl DayTimes {
    pub(crate) fn new(day: &Day, zone: Tz, formats: &DateFormats) -> DayTimes {
        let mut zones: Vec<String> = Vec::new();
        for session in &day.sessions {
            let offset = formats.offset(offset_at(zone, day.date.and_time(session.start)));
            if !zones.contains(&offset) {
                zones.push(offset);
            }
        }
        if zones.is_empty() {
            let noon = day.date.and_hms_opt(12, 0, 0).unwrap_or_default();
            zones.push(formats.offset(offset_at(zone, noon)));
        }
        DayTimes {
            date: formats.day(day.date),
            zone: zones.join(" / "),
            sessions: day
                .sessions
                .iter()
                .map(|session| Times::new(day, session, zone, formats))
                .collect(),
        }
    }
}

/// When a session is, as pages write it in one language.
pub(crate) struct Times {
    pub(crate) start: String,
    pub(crate) end: Option<String>,
    /// Its start with its UTC offset, for `<time datetime>`.
    pub(crate) start_iso: String,
    pub(crate) end_iso: Option<String>,
}

impl Times {
    fn new(day: &Day, session: &Session, zone: Tz, formats: &DateFormats) -> Times {
        let at = |time| iso(zone, day.date.and_time(time));
        Times {
            start: formats.time(session.start),
            end: session.end.map(|t| formats.time(t)),
            start_iso: at(session.start),
            end_iso: session.end.map(at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formats(code: &str) -> DateFormats {
        DateFormats::new(&code.parse().unwrap(), None).unwrap()
    }

    fn at(hour: u32, minute: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(hour, minute, 0).unwrap()
    }

    #[test]
    fn a_locale_chooses_the_forms_of_its_region() {
        let date = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        assert_eq!(formats("en").date(date), "February 29, 2024");
        assert_eq!(formats("en").time(at(14, 0)), "2:00\u{202f}PM");
        assert_eq!(formats("en-GB").date(date), "29 February 2024");
        assert_eq!(formats("en-GB").time(at(14, 0)), "14:00");
    }

    #[test]
    fn the_hour_cycle_and_digits_come_from_the_locale_and_its_extensions() {
        // Without a locale, `ar` formats as it always has: Latin digits, 12 hours.
        assert_eq!(formats("ar").time(at(14, 5)), "2:05 م");
        assert_eq!(formats("ar-MA").time(at(14, 5)), "14:05");
        assert_eq!(formats("ar-MA-u-hc-h12").time(at(14, 5)), "2:05 م");
        assert_eq!(formats("ar-MA-u-hc-h23").time(at(14, 5)), "14:05");
        assert_eq!(formats("ar-EG").time(at(14, 5)), "٢:٠٥ م");
        assert_eq!(formats("ar-EG-u-hc-h23").time(at(14, 5)), "١٤:٠٥");
        assert_eq!(formats("ar-MA-u-nu-arab").time(at(14, 5)), "١٤:٠٥");
        assert_eq!(
            formats("ar-u-nu-arab").day(NaiveDate::from_ymd_opt(2024, 3, 1).unwrap()),
            "الجمعة، ١ مارس ٢٠٢٤"
        );
        assert_eq!(formats("fr-u-hc-h12").time(at(14, 5)), "2:05\u{202f}PM");
    }

    #[test]
    fn the_first_of_a_month_takes_the_form_the_language_gives_it() {
        let first = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        let second = NaiveDate::from_ymd_opt(2024, 3, 2).unwrap();
        let fr = DateFormats::new(&"fr".parse().unwrap(), Some("1er")).unwrap();
        assert_eq!(fr.date(first), "1er mars 2024");
        assert_eq!(fr.day(first), "vendredi 1er mars 2024");
        assert_eq!(fr.date(second), "2 mars 2024");
        assert_eq!(formats("fr").date(first), "1 mars 2024");
        // Wherever the pattern puts the day, in whatever digits.
        let en = DateFormats::new(&"en".parse().unwrap(), Some("1st")).unwrap();
        assert_eq!(en.date(first), "March 1st, 2024");
        let eg = DateFormats::new(&"ar-EG".parse().unwrap(), Some("أول")).unwrap();
        assert_eq!(eg.date(first), "أول مارس ٢٠٢٤");
    }

    #[test]
    fn turkish_and_french_dates_come_from_cldr() {
        let date = NaiveDate::from_ymd_opt(2025, 3, 29).unwrap();
        assert_eq!(formats("tr").date(date), "29 Mart 2025");
        assert_eq!(formats("fr").day(date), "samedi 29 mars 2025");
    }

    #[test]
    fn casablanca_is_utc_plus_one_in_february_2024_and_utc_during_ramadan_2025() {
        let zone: Tz = "Africa/Casablanca".parse().unwrap();
        let feb = NaiveDate::from_ymd_opt(2024, 2, 29)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let ramadan = NaiveDate::from_ymd_opt(2025, 3, 10)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        assert_eq!(offset_at(zone, feb).local_minus_utc(), 3600);
        assert_eq!(offset_at(zone, ramadan).local_minus_utc(), 0);
        assert_eq!(formats("en").offset(offset_at(zone, feb)), "GMT+1");
    }

    #[test]
    fn a_time_skipped_by_daylight_saving_takes_the_offset_before_the_change() {
        let zone: Tz = "Europe/Paris".parse().unwrap();
        let gap = NaiveDate::from_ymd_opt(2025, 3, 30)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(offset_at(zone, gap).local_minus_utc(), 3600);
        assert_eq!(iso(zone, gap), "2025-03-30T02:30:00+01:00");
    }
}
