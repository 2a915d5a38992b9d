//! The event as templates see it in one language: the view of each part of the model (the
//! event, a person, a day and its sessions, a speaker's appearances) and of the page's place
//! in the site (navigation, language switcher, alternates). What each template is given of
//! them is in [`super::context`].

use std::collections::HashSet;

use serde::Serialize;

use super::dates::{DateFormats, DayTimes, Times};
use super::grammar::Grammar;
use super::localize::{Localized, Localizer};
use super::one_tap::OneTap;
use super::plain::Plain;
use super::routes::{self, PageRef};
use super::strings::Strings;
use crate::config::{BaseUrl, Config, Language};
use crate::event::{Day, Event, Gender, Links, Organiser, Person, Role, Session, Speaker};

/// A language's code, name and direction, for `<html lang dir>` and lists of languages.
#[derive(Serialize)]
pub(crate) struct LanguageInfo {
    code: String,
    name: String,
    dir: &'static str,
    /// Its locale, for a script that formats dates and times as the build does (`Intl`).
    locale: String,
}

impl LanguageInfo {
    pub(crate) fn of(language: &Language) -> LanguageInfo {
        LanguageInfo {
            code: language.code.clone(),
            name: language.name.clone(),
            dir: language.direction.as_str(),
            locale: language.locale.to_string(),
        }
    }
}

/// The event: what it is, when and where, by whom.
#[derive(Serialize)]
pub(crate) struct EventView {
    pub(crate) name: Localized,
    short_name: Option<Localized>,
    description: Option<String>,
    venue: Option<Localized>,
    dates: String,
    /// The time zone of the programme's times (IANA: `Africa/Casablanca`).
    timezone: String,
    organisers: Vec<OrganiserView>,
    interpretation: Vec<LanguageInfo>,
}

#[derive(Serialize)]
struct OrganiserView {
    id: Option<String>,
    /// Its element's id on the home page, which sessions it is in link to.
    anchor: Option<String>,
    name: Localized,
    role: Option<Localized>,
    url: Option<String>,
}

impl EventView {
    pub(crate) fn new(
        config: &Config,
        event: &Event,
        localizer: &Localizer,
        formats: &DateFormats,
    ) -> EventView {
        EventView {
            name: localizer.text(&event.name),
            short_name: localizer.optional(&event.short_name),
            description: event
                .description
                .as_ref()
                .and_then(|d| localizer.markdown(d)),
            venue: localizer.optional(&event.venue),
            dates: formats.range(event.start_date, event.end_date),
            timezone: event.timezone.name().to_string(),
            organisers: event
                .organisers
                .iter()
                .map(|o| OrganiserView {
                    id: o.id.clone(),
                    anchor: o.id.as_deref().map(routes::organiser_anchor),
                    name: localizer.text(&o.name),
                    role: localizer.optional(&o.role),
                    url: o.url.clone(),
                })
                .collect(),
            interpretation: event
                .interpretation
                .iter()
                .map(|code| match config.language(code) {
                    Some(l) => LanguageInfo::of(l),
                    None => LanguageInfo {
                        code: code.clone(),
                        name: code.clone(),
                        dir: "auto",
                        locale: code.clone(),
                    },
                })
                .collect(),
        }
    }
}

/// A speaker, or an organiser a session names, as every page that names them shows them.
#[derive(Serialize, Clone)]
pub(crate) struct PersonView {
    id: String,
    url: String,
    /// Whether this is one of the event's organisers, which has no page of its own.
    organiser: bool,
    /// An organiser's own website, where a link to it leads rather than to `url`.
    website: Option<String>,
    pub(crate) name: Localized,
    honorific: Option<Localized>,
    role: Option<Localized>,
    organisation: Option<Localized>,
    photo: Option<String>,
    initials: String,
    hue: u32,
    gender: Option<&'static str>,
}

impl PersonView {
    pub(crate) fn new(speaker: &Speaker, localizer: &Localizer) -> PersonView {
        let name = localizer.text(&speaker.name);
        PersonView {
            id: speaker.id.clone(),
            url: routes::speaker(&localizer.language.code, &speaker.id),
            organiser: false,
            website: None,
            initials: initials(&name.text),
            hue: hue(&speaker.id),
            name,
            honorific: localizer.optional(&speaker.honorific),
            role: localizer.optional(&speaker.role),
            organisation: localizer.optional(&speaker.organisation),
            photo: speaker.photo.as_deref().map(crate::links::encode_path),
            gender: speaker.gender.map(Gender::name),
        }
    }

    /// An organiser with an id, as the sessions that name it show it: its page is the home
    /// page's list of organisers.
    pub(crate) fn organiser(organiser: &Organiser, localizer: &Localizer) -> Option<PersonView> {
        let id = organiser.id.as_deref()?;
        let name = localizer.text(&organiser.name);
        Some(PersonView {
            id: id.to_string(),
            url: routes::organiser(&localizer.language.code, id),
            organiser: true,
            website: organiser.url.clone(),
            initials: initials(&name.text),
            hue: hue(id),
            name,
            honorific: None,
            role: localizer.optional(&organiser.role),
            organisation: None,
            photo: None,
            gender: None,
        })
    }
}

/// A hue (0 to 359) from an id, the same in every language.
fn hue(id: &str) -> u32 {
    id.bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(b.into()))
        % 360
}

/// The first letters of the first and last words of a name.
fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let first = words.first().and_then(|w| w.chars().next());
    let last = words.iter().skip(1).last().and_then(|w| w.chars().next());
    let letters: Vec<String> = first
        .into_iter()
        .chain(last)
        .map(|c| c.to_uppercase().collect())
        .collect();
    // Arabic letters side by side join into a word: a zero-width non-joiner keeps the initials
    // apart. Only there, so that a Latin page needs no Arabic font for it.
    let arabic = |s: &String| s.chars().all(|c| ('\u{0600}'..='\u{08FF}').contains(&c));
    let separator = if letters.iter().all(arabic) {
        "\u{200c}"
    } else {
        ""
    };
    letters.join(separator)
}

/// The speakers of a language and the organisers sessions can name, by id (one set of
/// ids), as the template value `people`.
pub(crate) struct People<'v> {
    pub(crate) speakers: &'v [PersonView],
    pub(crate) organisers: &'v [PersonView],
}

impl Serialize for People<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let everyone = self.speakers.iter().chain(self.organisers);
        serializer.collect_map(everyone.map(|person| (&person.id, person)))
    }
}

/// A speaker's page: the person, with their biography.
#[derive(Serialize)]
pub(crate) struct SpeakerView<'a> {
    #[serde(flatten)]
    pub(crate) person: &'a PersonView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) biography: Option<String>,
}

/// A day of the programme, with its sessions.
#[derive(Serialize)]
pub(crate) struct DayView {
    anchor: String,
    date: String,
    title: Option<Localized>,
    zone: String,
    /// Whether it has sessions at the same time in different locations.
    rooms_at_once: bool,
    sessions: Vec<SessionView>,
}

/// What a language's views of sessions are made from besides the event: the configuration
/// (the site's address, in the web calendar links), its text chosen by the localizer, and as
/// plain text.
pub(crate) struct Sources<'s> {
    pub(crate) config: &'s Config,
    pub(crate) event: &'s Event,
    pub(crate) localizer: &'s Localizer<'s>,
    pub(crate) strings: &'s Strings,
    pub(crate) plain: &'s Plain<'s>,
    pub(crate) grammar: &'s Grammar,
}

impl Sources<'_> {
    /// The links to put `session`, of `day`, in a web calendar.
    pub(crate) fn one_tap(&self, day: &Day, session: &Session) -> Option<OneTap> {
        OneTap::new(self.config, self.plain, day, session)
    }
}

impl DayView {
    /// A day of the programme, with its `times` in the language.
    pub(crate) fn new(day: &Day, times: &DayTimes, sources: &Sources) -> DayView {
        let localizer = sources.localizer;
        let sessions = day
            .sessions
            .iter()
            .zip(&times.sessions)
            .map(|(session, times)| SessionView::new(day, session, times, sources))
            .collect();
        DayView {
            anchor: format!("day-{}", day.date),
            date: times.date.clone(),
            title: localizer.optional(&day.title),
            zone: times.zone.clone(),
            rooms_at_once: day.has_rooms_at_once(),
            sessions,
        }
    }
}

/// A session as templates see it. Its people are ids into `people`, the language's
/// [`People`]: a speaker of ten sessions is then in the template data once, not ten times.
#[derive(Serialize)]
struct SessionView {
    id: String,
    kind: &'static str,
    kind_label: Localized,
    title: Localized,
    description: Option<String>,
    location: Option<Localized>,
    start: String,
    end: Option<String>,
    start_iso: String,
    end_iso: Option<String>,
    cancelled: bool,
    /// Whether attendees choose it: it has a star and links to add it to a calendar.
    starrable: bool,
    /// Its `.ics`, for "add to calendar".
    calendar: String,
    /// It in Google Calendar and in Outlook, when it is starrable and not cancelled.
    google_calendar: Option<String>,
    outlook_calendar: Option<String>,
    moderators: Vec<String>,
    speakers: Vec<String>,
    /// The heading of its moderators, in the form of their count and gender.
    moderators_label: Option<Localized>,
    speakers_label: Option<Localized>,
    links: LinksView,
}

/// A session's stream, slides, recording and feedback form, each a checked `http(s)` URL or
/// nothing.
#[derive(Serialize)]
struct LinksView {
    stream: Option<String>,
    slides: Option<String>,
    recording: Option<String>,
    feedback: Option<String>,
}

impl LinksView {
    fn new(links: &Links) -> LinksView {
        LinksView {
            stream: links.stream.clone(),
            slides: links.slides.clone(),
            recording: links.recording.clone(),
            feedback: links.feedback.clone(),
        }
    }
}

/// What a session's labels are chosen from.
struct Labels<'a> {
    strings: &'a Strings,
    grammar: &'a Grammar,
    localizer: &'a Localizer<'a>,
}

impl Labels<'_> {
    /// The heading of `people` (the counted string `many`, `one` for one person), in the
    /// form of their count and common gender; none for nobody.
    fn of(&self, people: &[Person], event: &Event, one: &str, many: &str) -> Option<Localized> {
        if people.is_empty() {
            return None;
        }
        // An organiser has no gender: a heading naming one takes the neutral form.
        let gender = Gender::common(people.iter().map(|&person| match person {
            Person::Speaker(i) => event.speakers[i].gender,
            Person::Organiser(_) => None,
        }));
        let form = self
            .strings
            .form(self.grammar, many, Some(one), people.len(), gender);
        Some(
            form.cloned()
                .unwrap_or_else(|| self.strings.get_or(many, many, self.localizer)),
        )
    }
}

impl SessionView {
    fn new(day: &Day, session: &Session, times: &Times, sources: &Sources) -> SessionView {
        let (event, localizer, strings) = (sources.event, sources.localizer, sources.strings);
        let one_tap = sources.one_tap(day, session);
        let labels = Labels {
            strings,
            grammar: sources.grammar,
            localizer,
        };
        let ids = |people: &[Person]| {
            people
                .iter()
                .map(|&p| event.person_id(p).to_string())
                .collect()
        };
        let kind = session.kind.name();
        SessionView {
            id: session.id.clone(),
            kind,
            kind_label: strings.get_or(&format!("kind_{kind}"), kind, localizer),
            title: localizer.text(&session.title),
            description: session
                .description
                .as_ref()
                .and_then(|d| localizer.markdown(d)),
            location: localizer.optional(&session.location),
            start: times.start.clone(),
            end: times.end.clone(),
            start_iso: times.start_iso.clone(),
            end_iso: times.end_iso.clone(),
            cancelled: session.cancelled,
            starrable: session.kind.is_chosen(),
            calendar: routes::session_calendar(&localizer.language.code, &session.id),
            google_calendar: one_tap.as_ref().map(OneTap::google),
            outlook_calendar: one_tap.as_ref().map(OneTap::outlook),
            moderators: ids(&session.moderators),
            speakers: ids(&session.speakers),
            moderators_label: labels.of(&session.moderators, event, "moderator", "moderators"),
            speakers_label: labels.of(&session.speakers, event, "speaker", "speakers"),
            links: LinksView::new(&session.links),
        }
    }
}

/// A session a speaker is in, as their page lists it.
#[derive(Serialize)]
pub(crate) struct AppearanceView {
    /// The session's id, its element's `id` on the speaker's page too; only on the first of
    /// its appearances, since someone who moderates and speaks in a session appears twice.
    id: Option<String>,
    date: String,
    start: String,
    end: Option<String>,
    start_iso: String,
    end_iso: Option<String>,
    title: Localized,
    url: String,
    role: Localized,
    cancelled: bool,
    /// As the session's.
    starrable: bool,
    /// The session's `.ics`, for "add to calendar".
    calendar: String,
    google_calendar: Option<String>,
    outlook_calendar: Option<String>,
    links: LinksView,
}

impl AppearanceView {
    /// The sessions `speaker` is in, with the times of the language (`times`, by day).
    pub(crate) fn all(
        speaker: &Speaker,
        times: &[DayTimes],
        sources: &Sources,
    ) -> Vec<AppearanceView> {
        let (event, localizer, strings) = (sources.event, sources.localizer, sources.strings);
        let code = &localizer.language.code;
        let mut seen = HashSet::new();
        speaker
            .appearances
            .iter()
            .map(|a| {
                let first = seen.insert((a.day, a.session));
                let day_model = &event.programme.days[a.day];
                let session = &day_model.sessions[a.session];
                let one_tap = sources.one_tap(day_model, session);
                let day = &times[a.day];
                let times = &day.sessions[a.session];
                let role_key = match a.role {
                    Role::Moderator => "role_moderator",
                    Role::Speaker => "role_speaker",
                };
                AppearanceView {
                    id: first.then(|| session.id.clone()),
                    date: day.date.clone(),
                    start: times.start.clone(),
                    end: times.end.clone(),
                    start_iso: times.start_iso.clone(),
                    end_iso: times.end_iso.clone(),
                    title: localizer.text(&session.title),
                    url: routes::session(code, &session.id),
                    role: strings
                        .role(role_key, speaker.gender)
                        .cloned()
                        .unwrap_or_else(|| strings.get_or(role_key, role_key, localizer)),
                    cancelled: session.cancelled,
                    starrable: session.kind.is_chosen(),
                    calendar: routes::session_calendar(code, &session.id),
                    google_calendar: one_tap.as_ref().map(OneTap::google),
                    outlook_calendar: one_tap.as_ref().map(OneTap::outlook),
                    links: LinksView::new(&session.links),
                }
            })
            .collect()
    }
}

/// A link of the site's navigation.
#[derive(Serialize)]
pub(crate) struct NavItem {
    title: Localized,
    url: String,
    current: bool,
}

impl NavItem {
    /// Home, programme, speakers, the agenda, then the pages that are in the menu, for the page
    /// `current`.
    pub(crate) fn all(
        current: PageRef,
        event: &Event,
        localizer: &Localizer,
        strings: &Strings,
    ) -> Vec<NavItem> {
        let code = &localizer.language.code;
        let mut items = Vec::new();
        for (page, key) in [
            (PageRef::Home, "home"),
            (PageRef::Programme, "programme"),
            (PageRef::Speakers, "speakers"),
            (PageRef::Agenda, "agenda"),
        ] {
            if let Some(title) = strings.get(key) {
                items.push(NavItem {
                    title: title.clone(),
                    url: page.dir(event, code),
                    current: page == current
                        || (page == PageRef::Speakers && matches!(current, PageRef::Speaker(_))),
                });
            }
        }
        for (i, free) in event
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.menu.is_some())
        {
            items.push(NavItem {
                title: localizer.text(&free.title),
                url: PageRef::Page(i).dir(event, code),
                current: current == PageRef::Page(i),
            });
        }
        items
    }
}

/// The page in one language, for `<link rel="alternate" hreflang>`.
#[derive(Serialize)]
pub(crate) struct Alternate {
    hreflang: String,
    url: String,
}

impl Alternate {
    /// The page in every language, then the site's root as `x-default`.
    pub(crate) fn all(
        page: PageRef,
        event: &Event,
        base: &BaseUrl,
        languages: &[&Language],
    ) -> Vec<Alternate> {
        let mut alternates: Vec<Alternate> = languages
            .iter()
            .map(|l| Alternate {
                hreflang: l.code.clone(),
                url: format!("{base}{}", page.dir(event, &l.code)),
            })
            .collect();
        alternates.push(Alternate {
            hreflang: "x-default".into(),
            url: base.to_string(),
        });
        alternates
    }
}

/// A link of the language switcher, to the page in one language.
#[derive(Serialize)]
pub(crate) struct SwitcherItem {
    code: String,
    name: String,
    dir: &'static str,
    url: String,
    current: bool,
}

impl SwitcherItem {
    /// The page in every language; `current` is the page's own.
    pub(crate) fn all(
        page: PageRef,
        event: &Event,
        languages: &[&Language],
        current: &str,
    ) -> Vec<SwitcherItem> {
        languages
            .iter()
            .map(|l| SwitcherItem {
                code: l.code.clone(),
                name: l.name.clone(),
                dir: l.direction.as_str(),
                url: page.dir(event, &l.code),
                current: l.code == current,
            })
            .collect()
    }
}

/// A language of the chooser and of the 404 page: its home, in its own words.
#[derive(Serialize)]
pub(crate) struct Choice {
    code: String,
    name: String,
    dir: &'static str,
    url: String,
    event_name: String,
    not_found: String,
}

impl Choice {
    /// The choice of `language`, with its event's name and its strings.
    pub(crate) fn new(language: &Language, event: &EventView, strings: &Strings) -> Choice {
        Choice {
            code: language.code.clone(),
            name: language.name.clone(),
            dir: language.direction.as_str(),
            url: routes::home(&language.code),
            event_name: event.name.text.clone(),
            not_found: strings
                .text("not_found_link")
                .map(str::to_string)
                .unwrap_or_else(|| language.name.clone()),
        }
    }
}
