//! The HTML pages: what each template is given, per language.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono_tz::Tz;
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::calendar;
use super::dates::{self, DateFormats};
use super::plain::Plain;
use super::structured;
use super::theme::Theme;
use super::view::{Localized, Localizer};
use crate::cache::{Cache, Digest, Key, Memo};
use crate::config::{Config, Language};
use crate::diagnostics::{Error, Place, Problem};
use crate::event::{Day, Event, Role, Session, Speaker};
use crate::output::Sink;
use crate::text::Text;

/// A page of the site, the same in every language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageRef {
    /// `LANG/`.
    Home,
    /// `LANG/programme/`.
    Programme,
    /// `LANG/speakers/`.
    Speakers,
    /// `LANG/speakers/ID/`, by index into the event's speakers.
    Speaker(usize),
    /// `LANG/SLUG/`, by index into the event's pages.
    Page(usize),
}

impl PageRef {
    /// Every page of a language.
    pub fn all(event: &Event) -> Vec<PageRef> {
        let mut refs = vec![PageRef::Home, PageRef::Programme, PageRef::Speakers];
        refs.extend((0..event.speakers.len()).map(PageRef::Speaker));
        refs.extend((0..event.pages.len()).map(PageRef::Page));
        refs
    }

    /// Its folder from the site's root, ending with `/`: `fr/speakers/varol-dur/`.
    pub fn dir(self, event: &Event, lang: &str) -> String {
        match self {
            PageRef::Home => format!("{lang}/"),
            PageRef::Programme => format!("{lang}/programme/"),
            PageRef::Speakers => format!("{lang}/speakers/"),
            PageRef::Speaker(i) => format!("{lang}/speakers/{}/", event.speakers[i].id),
            PageRef::Page(i) => format!("{lang}/{}/", event.pages[i].slugs[lang]),
        }
    }
}

/// The language's name and direction, for `<html lang dir>`.
#[derive(Serialize)]
struct LanguageInfo {
    code: String,
    name: String,
    dir: &'static str,
}

#[derive(Serialize)]
struct EventView {
    name: Localized,
    short_name: Option<Localized>,
    description: Option<String>,
    venue: Option<Localized>,
    dates: String,
    organisers: Vec<OrganiserView>,
    interpretation: Vec<LanguageInfo>,
}

#[derive(Serialize)]
struct OrganiserView {
    name: Localized,
    role: Option<Localized>,
    url: Option<String>,
}

#[derive(Serialize, Clone)]
struct PersonView {
    id: String,
    url: String,
    name: Localized,
    honorific: Option<Localized>,
    role: Option<Localized>,
    organisation: Option<Localized>,
    photo: Option<String>,
    initials: String,
    hue: u32,
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
    /// Its `.ics`, for "add to calendar".
    calendar: String,
    moderators: Vec<String>,
    speakers: Vec<String>,
}

#[derive(Serialize)]
struct DayView {
    anchor: String,
    date: String,
    title: Option<Localized>,
    zone: String,
    sessions: Vec<SessionView>,
}

/// The speakers of a language by id, as the template value `people`.
struct People<'v>(&'v [PersonView]);

impl Serialize for People<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|person| (&person.id, person)))
    }
}

#[derive(Serialize)]
struct AppearanceView {
    date: String,
    start: String,
    end: Option<String>,
    start_iso: String,
    end_iso: Option<String>,
    title: Localized,
    url: String,
    role: Localized,
    cancelled: bool,
    /// The session's `.ics`, for "add to calendar".
    calendar: String,
}

#[derive(Serialize)]
struct NavItem {
    title: Localized,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct Alternate {
    hreflang: String,
    url: String,
}

#[derive(Serialize)]
struct SwitcherItem {
    code: String,
    name: String,
    dir: &'static str,
    url: String,
    current: bool,
}

/// A page of the build.
pub enum Rendered {
    /// Made now (or taken from `serve`'s cache), from inputs of hash `key` when it was needed.
    Made {
        /// Its published path.
        path: String,
        /// Its content.
        bytes: Arc<Vec<u8>>,
        /// A hash of what it was made from.
        key: Option<Key>,
    },
    /// Kept by the sink as the last build wrote it, at this path.
    Kept(String),
}

/// A template context reused page after page of one language: what every page has, and
/// each page's own values while it is rendered.
pub struct PageContext {
    context: Context,
    /// Whether it holds `days`, for the home and programme pages.
    days: bool,
}

/// Everything about the event prepared once for one language, shared by all its pages.
pub struct LanguageViews<'a> {
    config: &'a Config,
    event: &'a Event,
    theme: &'a Theme,
    language: &'a Language,
    localizer: Localizer<'a>,
    ui: BTreeMap<String, Localized>,
    event_view: EventView,
    /// When each day and each of its sessions is.
    times: Vec<DayTimes>,
    people: Vec<PersonView>,
    /// The JSON-LD of every session.
    sessions_ld: Arc<structured::Sessions>,
    /// A hash of the programme (see `render::programme_key`).
    programme_key: Key,
    /// What the template context of every page of the language has: the language, the
    /// event, the interface strings, the feeds.
    base: Context,
    /// A hash of `base`.
    base_key: Key,
}

impl<'a> LanguageViews<'a> {
    /// Prepares the views of one language.
    pub fn new(
        config: &'a Config,
        event: &'a Event,
        theme: &'a Theme,
        language: &'a Language,
        programme_key: Key,
        cache: &'a Cache,
    ) -> Result<LanguageViews<'a>, Error> {
        let formats = DateFormats::new(&language.locale).map_err(|e| {
            Error::new(
                Place::file(crate::config::CONFIG_FILE),
                Problem::BadLanguageCode(format!("{}: {e}", language.code)),
            )
        })?;
        let localizer = Localizer::new(config, language, &cache.markdown);
        let ui = interface_strings(config, event, theme, &localizer);
        let people: Vec<PersonView> = event
            .speakers
            .par_iter()
            .map(|s| person_view(s, &localizer))
            .collect();
        let event_view = EventView {
            name: localizer.text(&event.name),
            short_name: localizer.optional(&event.short_name),
            description: event
                .description
                .as_ref()
                .and_then(|d| localizer.markdown(d)),
            venue: localizer.optional(&event.venue),
            dates: formats.range(event.start_date, event.end_date),
            organisers: event
                .organisers
                .iter()
                .map(|o| OrganiserView {
                    name: localizer.text(&o.name),
                    role: localizer.optional(&o.role),
                    url: o.url.clone(),
                })
                .collect(),
            interpretation: event
                .interpretation
                .iter()
                .map(|code| match config.language(code) {
                    Some(l) => LanguageInfo {
                        code: l.code.clone(),
                        name: l.name.clone(),
                        dir: l.direction.as_str(),
                    },
                    None => LanguageInfo {
                        code: code.clone(),
                        name: code.clone(),
                        dir: "auto",
                    },
                })
                .collect(),
        };
        let times = event
            .programme
            .days
            .iter()
            .map(|day| DayTimes::new(day, event.timezone, &formats))
            .collect();
        let mut views = LanguageViews {
            config,
            event,
            theme,
            language,
            localizer,
            ui,
            event_view,
            times,
            people,
            sessions_ld: Arc::default(),
            programme_key,
            base: Context::new(),
            base_key: 0,
        };
        // Made from the views' own text, so once they are.
        let sessions_key = || {
            let mut digest = Digest::new("sessions");
            digest
                .part(&programme_key.to_le_bytes())
                .part(language.code.as_bytes());
            digest.finish()
        };
        views.sessions_ld = cache.sessions.get_or(sessions_key, || {
            Arc::new(structured::Sessions::new(
                config,
                &Plain::new(config, event, &views),
            ))
        });
        let base = views.base_values();
        let mut digest = Digest::new("language");
        digest.json(&base);
        views.base_key = digest.finish();
        views.base = Context::from_value(tera::Value::Object(base)).unwrap_or_default();
        Ok(views)
    }

    /// The programme's days, for the pages that show them: made for the template context,
    /// which keeps them from one such page to the next, and not held here.
    fn days(&self) -> Vec<DayView> {
        let event = self.event;
        event
            .programme
            .days
            .iter()
            .zip(&self.times)
            .map(|(day, times)| day_view(day, times, event, &self.localizer, &self.ui))
            .collect()
    }

    fn code(&self) -> &str {
        &self.language.code
    }

    /// The language of these views.
    pub fn language(&self) -> &Language {
        self.language
    }

    /// An interface string of the language, as plain text.
    pub fn ui_text(&self, key: &str) -> Option<&str> {
        self.ui.get(key).map(|l| l.text.as_str())
    }

    /// A template context with what every page of the language has, to render its pages
    /// one after the other with [`LanguageViews::render_page`].
    pub fn context(&self) -> PageContext {
        PageContext {
            context: self.base.clone(),
            days: false,
        }
    }

    /// Renders one page into `context` (from [`LanguageViews::context`]; the page's own
    /// values are taken out again afterwards), minified when the site asks, unless an
    /// earlier build made it from the same template and context: then it comes from `pages`
    /// (in `serve`), or `sink` keeps the file the last build wrote.
    pub fn render_page(
        &self,
        page: PageRef,
        all: &[LanguageViews],
        context: &mut PageContext,
        pages: &Memo<Arc<Vec<u8>>>,
        sink: &dyn Sink,
    ) -> Result<Rendered, Error> {
        let dir = page.dir(self.event, self.code());
        let root = "../".repeat(dir.matches('/').count());
        let canonical = format!("{}{dir}", self.config.base_url);
        let alternates = self.alternates(page, all);
        let languages = self.switcher(page, all);
        let nav = self.nav(page);
        // The page's JSON-LD is made only when the page is: its key says what it is made
        // from, the programme and the page's own model.
        let structured_data = || {
            let plain = Plain::new(self.config, self.event, self);
            structured::page(self.config, &plain, &self.sessions_ld, page)
        };
        let structured_key = || {
            let mut digest = Digest::new("structured data");
            digest.part(&self.programme_key.to_le_bytes());
            match page {
                PageRef::Speaker(i) => digest.hash(&self.event.speakers[i]),
                PageRef::Page(i) => digest.hash(&self.event.pages[i]),
                PageRef::Home | PageRef::Programme | PageRef::Speakers => &mut digest,
            };
            digest.finish()
        };
        let mut inputs: Vec<(&str, &dyn Input)> = vec![
            ("root", &root),
            ("canonical", &canonical),
            ("alternates", &alternates),
            ("languages", &languages),
            ("nav", &nav),
        ];
        let ui = |key: &str| self.ui.get(key).cloned();
        let (speaker, speaker_calendar, body);
        let (template, title, kind) = match page {
            PageRef::Home => ("home.html", self.event_view.name.clone(), "home"),
            PageRef::Programme => (
                "programme.html",
                ui("programme").unwrap_or_else(|| self.event_view.name.clone()),
                "programme",
            ),
            PageRef::Speakers => {
                inputs.push(("speakers", &self.people));
                (
                    "speakers.html",
                    ui("speakers").unwrap_or_else(|| self.event_view.name.clone()),
                    "speakers",
                )
            }
            PageRef::Speaker(i) => {
                let model = &self.event.speakers[i];
                speaker = SpeakerView {
                    person: &self.people[i],
                    biography: self.localizer.markdown(&model.biography),
                };
                inputs.push(("speaker", &speaker));
                if !model.appearances.is_empty() {
                    speaker_calendar = calendar::speaker_path(self.code(), &model.id);
                    inputs.push(("speaker_calendar", &speaker_calendar));
                }
                ("speaker.html", self.people[i].name.clone(), "speaker")
            }
            PageRef::Page(i) => {
                let free = &self.event.pages[i];
                body = self.localizer.markdown(&free.body).unwrap_or_default();
                inputs.push(("body", &body));
                ("page.html", self.localizer.text(&free.title), "page")
            }
        };
        inputs.push(("title", &title));
        inputs.push(("kind", &kind));
        let overview = matches!(page, PageRef::Home | PageRef::Programme);
        let key = || {
            let mut digest = Digest::new("page");
            digest
                .part(&self.theme.id.to_le_bytes())
                .part(template.as_bytes())
                .part(&[u8::from(self.config.minify)])
                .part(&self.base_key.to_le_bytes())
                .part(&structured_key().to_le_bytes());
            if overview {
                // `days` and `people` are made from the programme alone.
                digest.part(&self.programme_key.to_le_bytes());
            }
            for (name, value) in &inputs {
                digest.part(name.as_bytes());
                value.add_to_key(&mut digest);
            }
            digest.finish()
        };
        let path = format!("{dir}index.html");
        let key = (pages.enabled() || sink.keeps_keys()).then(key);
        if key.is_some_and(|key| sink.reuse(&path, key)) {
            return Ok(Rendered::Kept(path));
        }
        let mut make = || {
            let mut render = || {
                // `days` stays in the context from one overview page to the next: as a
                // template value, the whole programme weighs megabytes at a large event.
                if overview != context.days {
                    if overview {
                        context.context.insert("days", &self.days());
                        context.context.insert("people", &People(&self.people));
                    } else {
                        context.context.remove("days");
                        context.context.remove("people");
                    }
                    context.days = overview;
                }
                for (name, value) in &inputs {
                    value.insert_into(name, &mut context.context);
                }
                context
                    .context
                    .insert("structured_data", &structured_data());
                // Made from the programme and the speaker's model, which the key holds.
                if let PageRef::Speaker(i) = page {
                    let appearances = self.appearances(&self.event.speakers[i]);
                    context.context.insert("appearances", &appearances);
                }
                let html = self.theme.render_to(template, &context.context);
                for (name, _) in &inputs {
                    context.context.remove(name);
                }
                context.context.remove("structured_data");
                context.context.remove("appearances");
                if page == PageRef::Programme {
                    // The last page to show `days` (see `render`): gone before minifying.
                    context.context.remove("days");
                    context.context.remove("people");
                    context.days = false;
                }
                html
            };
            render().map(|html| Arc::new(super::minify::finish(self.config, html)))
        };
        let bytes = match key {
            Some(key) => pages.get_or_try(|| key, make)?,
            None => make()?,
        };
        Ok(Rendered::Made { path, bytes, key })
    }

    /// The template context of a page that is not cached (the language chooser, 404): the
    /// language's, with the page's place in the site.
    fn full_context(&self, page: PageRef, root: &str, all: &[LanguageViews]) -> Context {
        let mut context = self.base.clone();
        context.insert("root", root);
        context.insert(
            "canonical",
            &format!(
                "{}{}",
                self.config.base_url,
                page.dir(self.event, self.code())
            ),
        );
        context.insert("alternates", &self.alternates(page, all));
        context.insert("languages", &self.switcher(page, all));
        context.insert("nav", &self.nav(page));
        context
    }

    /// What every page of the language has in its template context.
    fn base_values(&self) -> tera::Map<String, tera::Value> {
        let event = self.event;
        let mut values = tera::Map::new();
        let mut insert = |key: &str, value: &dyn Input| {
            values.insert(key.to_string(), value.template_value());
        };
        insert("lang", &self.language_info());
        insert("home", &PageRef::Home.dir(event, self.code()));
        insert("event", &self.event_view);
        insert("ui", &self.ui);
        insert(
            "feeds",
            &BTreeMap::from([
                (
                    "subscribe",
                    calendar::subscription_url(self.config, self.code()),
                ),
                ("download", calendar::calendar_path(self.code())),
                ("schedule_xml", "schedule.xml".to_string()),
                ("schedule_json", "schedule.json".to_string()),
            ]),
        );
        insert(
            "links",
            &BTreeMap::from([
                ("home", PageRef::Home.dir(event, self.code())),
                ("programme", PageRef::Programme.dir(event, self.code())),
                ("speakers", PageRef::Speakers.dir(event, self.code())),
            ]),
        );
        insert(
            "description",
            &event
                .description
                .as_ref()
                .map(|d| super::markdown::to_text(self.localizer.text(d).text.as_str())),
        );
        values
    }

    /// The page in every language, for `<link rel="alternate" hreflang>`.
    fn alternates(&self, page: PageRef, all: &[LanguageViews]) -> Vec<Alternate> {
        let base = &self.config.base_url;
        let mut alternates: Vec<Alternate> = all
            .iter()
            .map(|v| Alternate {
                hreflang: v.code().to_string(),
                url: format!("{base}{}", page.dir(self.event, v.code())),
            })
            .collect();
        alternates.push(Alternate {
            hreflang: "x-default".into(),
            url: base.clone(),
        });
        alternates
    }

    /// The language switcher's links to the page in every language.
    fn switcher(&self, page: PageRef, all: &[LanguageViews]) -> Vec<SwitcherItem> {
        all.iter()
            .map(|v| SwitcherItem {
                code: v.code().to_string(),
                name: v.language.name.clone(),
                dir: v.language.direction.as_str(),
                url: page.dir(self.event, v.code()),
                current: v.code() == self.code(),
            })
            .collect()
    }

    fn language_info(&self) -> LanguageInfo {
        LanguageInfo {
            code: self.language.code.clone(),
            name: self.language.name.clone(),
            dir: self.language.direction.as_str(),
        }
    }

    /// Home, programme, speakers, then the pages that are in the menu.
    fn nav(&self, current: PageRef) -> Vec<NavItem> {
        let event = self.event;
        let mut items = Vec::new();
        for (page, key) in [
            (PageRef::Home, "home"),
            (PageRef::Programme, "programme"),
            (PageRef::Speakers, "speakers"),
        ] {
            if let Some(title) = self.ui.get(key) {
                items.push(NavItem {
                    title: title.clone(),
                    url: page.dir(event, self.code()),
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
                title: self.localizer.text(&free.title),
                url: PageRef::Page(i).dir(event, self.code()),
                current: current == PageRef::Page(i),
            });
        }
        items
    }

    fn appearances(&self, speaker: &Speaker) -> Vec<AppearanceView> {
        speaker
            .appearances
            .iter()
            .map(|a| {
                let session = &self.event.programme.days[a.day].sessions[a.session];
                let day = &self.times[a.day];
                let times = &day.sessions[a.session];
                let role_key = match a.role {
                    Role::Moderator => "role_moderator",
                    Role::Speaker => "role_speaker",
                };
                AppearanceView {
                    date: day.date.clone(),
                    start: times.start.clone(),
                    end: times.end.clone(),
                    start_iso: times.start_iso.clone(),
                    end_iso: times.end_iso.clone(),
                    title: self.localizer.text(&session.title),
                    url: format!(
                        "{}#{}",
                        PageRef::Programme.dir(self.event, self.code()),
                        session.id
                    ),
                    role: self
                        .ui
                        .get(role_key)
                        .cloned()
                        .unwrap_or_else(|| self.localizer.text(&Text::Same(role_key.into()))),
                    cancelled: session.cancelled,
                    calendar: calendar::session_path(self.code(), &session.id),
                }
            })
            .collect()
    }
}

/// A speaker's page: the person, with their biography.
#[derive(Serialize)]
struct SpeakerView<'a> {
    #[serde(flatten)]
    person: &'a PersonView,
    #[serde(skip_serializing_if = "Option::is_none")]
    biography: Option<String>,
}

/// A value of a template context: hashed into the page's key on every build, but made into
/// a template value only when the page is rendered.
trait Input {
    /// Adds the value, as JSON, to a page's key.
    fn add_to_key(&self, digest: &mut Digest);
    /// The value as templates see it.
    fn template_value(&self) -> tera::Value;
    /// Puts the value into a template context.
    fn insert_into(&self, key: &str, context: &mut Context);
}

impl<T: Serialize> Input for T {
    fn add_to_key(&self, digest: &mut Digest) {
        digest.json(self);
    }

    fn template_value(&self) -> tera::Value {
        // Only a map with keys that are not strings fails; views have none.
        tera::to_value(self).unwrap_or_default()
    }

    fn insert_into(&self, key: &str, context: &mut Context) {
        context.insert(key, self);
    }
}

/// The theme's interface strings for the language, overridden key by key by the site's
/// `content/i18n/`; a missing string falls back to the default language, then English.
fn interface_strings(
    config: &Config,
    event: &Event,
    theme: &Theme,
    localizer: &Localizer,
) -> BTreeMap<String, Localized> {
    let mut chain: Vec<&str> = vec![localizer.language.code.as_str()];
    if let Some(base) = localizer.language.code.split('-').next() {
        chain.push(base);
    }
    chain.push(&config.languages[0].code);
    chain.push("en");
    // The theme's keys only: `content/i18n/` overrides them (content model), and a key no
    // template reads would otherwise be copied into every page's context (80,000 of them
    // made a small site take 15 s).
    let mut keys: Vec<&String> = theme.strings.values().flat_map(|m| m.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut strings = BTreeMap::new();
    for key in keys {
        let found = chain.iter().find_map(|code| {
            let text = event
                .strings
                .get(*code)
                .and_then(|m| m.get(key))
                .or_else(|| theme.strings.get(*code).and_then(|m| m.get(key)))?;
            Some((code, text))
        });
        if let Some((code, text)) = found {
            // The language's own regional variant counts as the language itself.
            let lang = if localizer.language.code.starts_with(*code) {
                localizer.language.code.clone()
            } else {
                code.to_string()
            };
            let per_language = Text::PerLanguage(BTreeMap::from([(lang, text.clone())]));
            strings.insert(key.clone(), localizer.text(&per_language));
        }
    }
    strings
}

fn person_view(speaker: &Speaker, localizer: &Localizer) -> PersonView {
    let name = localizer.text(&speaker.name);
    PersonView {
        id: speaker.id.clone(),
        url: format!("{}/speakers/{}/", localizer.language.code, speaker.id),
        initials: initials(&name.text),
        hue: speaker
            .id
            .bytes()
            .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(b.into()))
            % 360,
        name,
        honorific: localizer.optional(&speaker.honorific),
        role: localizer.optional(&speaker.role),
        organisation: localizer.optional(&speaker.organisation),
        photo: speaker.photo.as_deref().map(crate::links::encode_path),
    }
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

fn day_view(
    day: &Day,
    times: &DayTimes,
    event: &Event,
    localizer: &Localizer,
    ui: &BTreeMap<String, Localized>,
) -> DayView {
    let sessions = day
        .sessions
        .iter()
        .zip(&times.sessions)
        .map(|(session, times)| session_view(session, times, event, localizer, ui))
        .collect();
    DayView {
        anchor: format!("day-{}", day.date),
        date: times.date.clone(),
        title: localizer.optional(&day.title),
        zone: times.zone.clone(),
        sessions,
    }
}

fn session_view(
    session: &Session,
    times: &Times,
    event: &Event,
    localizer: &Localizer,
    ui: &BTreeMap<String, Localized>,
) -> SessionView {
    let ids = |people: &[usize]| {
        people
            .iter()
            .map(|&i| event.speakers[i].id.clone())
            .collect()
    };
    let kind = session.kind.name();
    SessionView {
        id: session.id.clone(),
        kind,
        kind_label: ui
            .get(&format!("kind_{kind}"))
            .cloned()
            .unwrap_or_else(|| localizer.text(&Text::Same(kind.into()))),
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
        calendar: calendar::session_path(&localizer.language.code, &session.id),
        moderators: ids(&session.moderators),
        speakers: ids(&session.speakers),
    }
}

/// When a day and its sessions are, as pages write them in one language.
struct DayTimes {
    date: String,
    /// The UTC offset of its sessions ("UTC+1", or "UTC+1 / UTC+2" on the day clocks change),
    /// or of its noon when it has none.
    zone: String,
    sessions: Vec<Times>,
}

impl DayTimes {
    fn new(day: &Day, zone: Tz, formats: &DateFormats) -> DayTimes {
        let mut zones: Vec<String> = Vec::new();
        for session in &day.sessions {
            let offset = formats.offset(dates::offset_at(zone, day.date.and_time(session.start)));
            if !zones.contains(&offset) {
                zones.push(offset);
            }
        }
        if zones.is_empty() {
            let noon = day.date.and_hms_opt(12, 0, 0).unwrap_or_default();
            zones.push(formats.offset(dates::offset_at(zone, noon)));
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
struct Times {
    start: String,
    end: Option<String>,
    /// Its start with its UTC offset, for `<time datetime>`.
    start_iso: String,
    end_iso: Option<String>,
}

impl Times {
    fn new(day: &Day, session: &Session, zone: Tz, formats: &DateFormats) -> Times {
        let at = |time| dates::iso(zone, day.date.and_time(time));
        Times {
            start: formats.time(session.start),
            end: session.end.map(|t| formats.time(t)),
            start_iso: at(session.start),
            end_iso: session.end.map(at),
        }
    }
}

#[derive(Serialize)]
struct Choice {
    code: String,
    name: String,
    dir: &'static str,
    url: String,
    event_name: String,
    not_found: String,
}

fn choices(views: &[LanguageViews]) -> Vec<Choice> {
    views
        .iter()
        .map(|v| Choice {
            code: v.code().to_string(),
            name: v.language.name.clone(),
            dir: v.language.direction.as_str(),
            url: format!("{}/", v.code()),
            event_name: v.event_view.name.text.clone(),
            not_found: v
                .ui
                .get("not_found_link")
                .map(|l| l.text.clone())
                .unwrap_or_else(|| v.language.name.clone()),
        })
        .collect()
}

/// The root `index.html`: a choice of language, the `x-default` of every page.
pub fn render_chooser(views: &[LanguageViews]) -> Result<String, Error> {
    let default = &views[0];
    let mut context = default.full_context(PageRef::Home, "", views);
    context.insert("canonical", &default.config.base_url);
    context.insert("choices", &choices(views));
    context.insert("title", &default.event_view.name);
    context.insert("kind", "chooser");
    context.insert(
        "structured_data",
        &structured::site(
            default.config,
            &Plain::new(default.config, default.event, default),
        ),
    );
    default.theme.render("chooser.html", &context)
}

/// `404.html`: served for any missing path, so its links start from the site's root path.
pub fn render_not_found(views: &[LanguageViews]) -> Result<String, Error> {
    let default = &views[0];
    let base = &default.config.base_url;
    let path = base
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or("/");
    let mut context = default.full_context(PageRef::Home, path, views);
    context.insert("choices", &choices(views));
    context.insert("title", &default.ui.get("not_found"));
    context.insert("kind", "not-found");
    default.theme.render("404.html", &context)
}
