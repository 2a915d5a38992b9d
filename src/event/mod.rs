//! The event as a whole: content files linked together and checked against the rules of the
//! content model. What comes out of here is valid; rendering never meets a broken reference.

mod address;
mod clock;
mod fallbacks;
mod names;
mod organiser;
mod page;
mod photo;
mod programme;
mod speaker;

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use chrono_tz::Tz;

pub(crate) use organiser::Organiser;
pub(crate) use page::Page;
use photo::StaticFiles;
pub(crate) use programme::{Day, Kind, Links, Person, Programme, Session};
pub(crate) use speaker::{Gender, Role, Speaker};

use crate::config::Config;
use crate::content::Content;
use crate::diagnostics::{Errors, Problem, Warning};
use crate::text::Text;
use crate::yaml::Located;
use fallbacks::Fallbacks;
pub(crate) use fallbacks::{Translatable, Translations};

/// The longest event majlis publishes, in days: longer is taken for a mistyped year.
const MAX_EVENT_DAYS: i64 = 366;

/// The event: what it is, when and where, its programme, speakers and pages.
#[derive(Debug)]
pub(crate) struct Event {
    /// Its full name.
    pub name: Text,
    /// A short name, for narrow places.
    pub short_name: Option<Text>,
    /// A few sentences about it (Markdown).
    pub description: Option<Text>,
    /// The time zone every programme time is written in.
    pub timezone: Tz,
    /// The first day.
    pub start_date: NaiveDate,
    /// The last day.
    pub end_date: NaiveDate,
    /// Where it takes place.
    pub venue: Option<Text>,
    /// Who organises it.
    pub organisers: Vec<Organiser>,
    /// Language codes of simultaneous interpretation.
    pub interpretation: Vec<String>,
    /// The days and their sessions.
    pub programme: Programme,
    /// Every speaker, in the order they first appear in the programme.
    pub speakers: Vec<Speaker>,
    /// The free pages, in menu order.
    pub pages: Vec<Page>,
    /// Interface strings the site overrides, by language.
    pub strings: BTreeMap<String, BTreeMap<String, String>>,
    /// Files of `content/static/`, relative to it.
    pub statics: Vec<PathBuf>,
    /// The texts and files written once per language: how many, and which lack a language.
    pub translations: Translations,
}

impl Event {
    /// Links the content together and checks every rule, reporting every error at once;
    /// missing translations come back as warnings.
    pub(crate) fn assemble(
        config: &Config,
        content: Content,
    ) -> Result<(Event, Vec<Warning>), Errors> {
        let mut errors = Errors::default();
        let mut warnings = content.warnings;
        let event_file = &content.event;
        let raw = &event_file.value;
        let mut fallbacks = Fallbacks::new(config, &mut warnings);

        let timezone = raw.timezone.parse::<Tz>().unwrap_or_else(|_| {
            errors.push(
                event_file.place("timezone"),
                Problem::UnknownTimeZone(raw.timezone.clone()),
            );
            Tz::UTC
        });
        let start_date = parse_date(&raw.start_date, event_file, "start_date", &mut errors);
        let end_date = parse_date(&raw.end_date, event_file, "end_date", &mut errors);
        if let (Some(start), Some(end)) = (start_date, end_date) {
            if end < start {
                errors.push(
                    event_file.place("end_date"),
                    Problem::EventEndsBeforeStart {
                        start: start.to_string(),
                        end: end.to_string(),
                    },
                );
            } else if (end - start).num_days() >= MAX_EVENT_DAYS {
                // A mistyped year (0506 for 2026) would otherwise publish every day of
                // fifteen centuries in the schedule exports and time-zone data.
                errors.push(
                    event_file.place("start_date"),
                    Problem::EventTooLong {
                        days: (end - start).num_days() + 1,
                    },
                );
            }
        }
        fallbacks.check(&raw.name, event_file, "name");
        for (field, text) in [
            ("short_name", &raw.short_name),
            ("description", &raw.description),
            ("venue", &raw.venue),
        ] {
            if let Some(text) = text {
                fallbacks.check(text, event_file, field);
            }
        }
        // Each is a page's `lang` attribute: a language code, not any text.
        for (i, code) in raw.interpretation.iter().enumerate() {
            if code.parse::<icu_locale_core::Locale>().is_err() || code.contains(['/', '.']) {
                errors.push(
                    event_file.place(&format!("interpretation.{i}")),
                    Problem::BadLanguageCode(code.clone()),
                );
            }
        }
        let statics = StaticFiles::new(&content.static_folder, &content.statics);
        let mut speakers = speaker::gather(
            &content.speakers,
            config,
            &statics,
            &mut fallbacks,
            &mut errors,
        );
        let organisers = organiser::gather(event_file, &mut speakers, &mut fallbacks, &mut errors);
        let dates = start_date.zip(end_date);
        let (mut programme, biographies) = rayon::join(
            || {
                programme::assemble(
                    &content.programme,
                    dates,
                    timezone,
                    &speakers,
                    &organisers,
                    &mut fallbacks,
                    &mut errors,
                )
            },
            || speaker::biographies(&content.speakers, &speakers),
        );
        speakers.add_biographies(biographies);
        let speakers = programme::link(speakers, &mut programme);
        let pages = page::gather(&content.pages, config, &mut fallbacks, &mut errors);
        let translations = fallbacks.into_translations();
        errors.into_result()?;
        warnings.sort();
        warnings.dedup();
        let (Some(start_date), Some(end_date)) = (start_date, end_date) else {
            unreachable!("a missing date is reported as an error above");
        };
        Ok((
            Event {
                name: raw.name.clone(),
                short_name: raw.short_name.clone(),
                description: raw.description.clone(),
                timezone,
                start_date,
                end_date,
                venue: raw.venue.clone(),
                organisers: organisers.list,
                interpretation: raw.interpretation.clone(),
                programme,
                speakers,
                pages,
                strings: content.strings,
                statics: content.statics,
                translations,
            },
            warnings,
        ))
    }

    /// The id of someone a session names.
    pub(crate) fn person_id(&self, person: Person) -> &str {
        match person {
            Person::Speaker(i) => &self.speakers[i].id,
            // Only an organiser with an id can be named.
            Person::Organiser(i) => self.organisers[i].id.as_deref().unwrap_or_default(),
        }
    }

    /// Every session with its day, in programme order.
    pub(crate) fn sessions(&self) -> impl Iterator<Item = (&Day, &Session)> {
        self.programme
            .days
            .iter()
            .flat_map(|day| day.sessions.iter().map(move |s| (day, s)))
    }
}

fn parse_date<T>(
    text: &str,
    file: &Located<T>,
    path: &str,
    errors: &mut Errors,
) -> Option<NaiveDate> {
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
    if date.is_none() {
        errors.push(file.place(path), Problem::BadDate(text.into()));
    }
    date
}
