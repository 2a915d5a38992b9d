//! The HTML pages: everything about the event prepared once per language
//! ([`LanguageViews`]), then each page assembled from it, given to its template (see
//! [`super::context`]), minified, and published unless the last build made it from the
//! same inputs.

use std::sync::Arc;

use chrono::NaiveDate;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::agenda;
use super::calendar::SessionEvents;
use super::context::{
    AgendaValues, ChooserValues, Feeds, FreePageValues, LanguageValues, Links, NotFoundPage,
    Nothing, Offline, Overview, Page, Place, PrintedLinks, Scope, SearchValues, SpeakerValues,
    SpeakersValues,
};
use super::dates::{DateFormats, DayTimes};
use super::grammar::Grammar;
use super::localize::{Localized, Localizer};
use super::minify;
use super::plain::Plain;
use super::publish::Published;
use super::qr::Printed;
use super::reuse::{links_key, EventKeys, ViewMemos};
use super::routes::{self, PageRef};
use super::search::{self, SearchMemo};
use super::strings::Strings;
use super::structured::{self, Sessions};
use super::theme::Theme;
use super::views::{
    Alternate, AppearanceView, Choice, DayView, EventView, LanguageInfo, NavItem, People,
    PersonView, Sources, SpeakerView, SwitcherItem,
};
use crate::config::{Config, Language, CONFIG_FILE};
use crate::diagnostics::{Error, Place as SourcePlace, Problem};
use crate::event::Event;
use crate::memo::{Digest, Key};

/// Everything about the event prepared once for one language, shared by all its pages.
pub(crate) struct LanguageViews<'a> {
    config: &'a Config,
    event: &'a Event,
    theme: &'a Theme,
    language: &'a Language,
    localizer: Localizer<'a>,
    strings: Strings,
    grammar: Grammar,
    event_view: EventView,
    /// When each day and each of its sessions is.
    times: Arc<Vec<DayTimes>>,
    /// The speakers, as every page shows them.
    people: Arc<Vec<PersonView>>,
    /// The organisers that sessions can name (those with an id).
    organisers: Vec<PersonView>,
    /// The JSON-LD of every session.
    sessions_ld: Arc<Sessions>,
    /// The hashes of the programme and of each speaker and page.
    keys: &'a EventKeys,
    /// What the template context of every page of the language has ([`LanguageValues`]).
    base: Context,
    /// A hash of `base`.
    base_key: Key,
    /// A hash of the site's pages as links and the menu show them ([`links_key`]).
    links_key: Key,
    /// The service worker's notice, when the site is published with one.
    offline_notice: Option<Localized>,
}

/// A page ready to be rendered: its file, template and values, and the key of what it is
/// made from when the store reuses.
struct Assembled {
    path: String,
    key: Option<Key>,
    template: &'static str,
    place: Place,
    title: Localized,
    kind: &'static str,
}

impl<'a> LanguageViews<'a> {
    /// Prepares the views of one language, taking from `memos` what earlier builds made of
    /// the same inputs. `as_of` is the build's date, when the site is published with its
    /// service worker, for the notice of a page given offline.
    pub(crate) fn new(
        config: &'a Config,
        event: &'a Event,
        theme: &'a Theme,
        language: &'a Language,
        keys: &'a EventKeys,
        memos: &'a ViewMemos,
        as_of: Option<NaiveDate>,
    ) -> Result<LanguageViews<'a>, Error> {
        let localizer = Localizer::new(config, language, &memos.markdown);
        let grammar = Grammar::new(&language.locale).map_err(|e| {
            Error::new(
                SourcePlace::file(CONFIG_FILE),
                Problem::BadLanguageCode(format!("{}: {e}", language.code)),
            )
        })?;
        let strings = Strings::new(config, event, theme, &localizer);
        // The language's own form only: another language's "1er" is no fallback.
        let first_day = strings
            .get("first_day_of_month")
            .filter(|s| !s.fallback)
            .map(|s| s.text.as_str());
        let formats = DateFormats::new(&language.locale, first_day).map_err(|e| {
            Error::new(
                SourcePlace::file(CONFIG_FILE),
                Problem::BadLanguageCode(format!("{}: {e}", language.code)),
            )
        })?;
        // What is made from the programme alone, in this language.
        let language_programme = || {
            let mut digest = Digest::new("language programme");
            digest
                .part(&keys.programme.to_le_bytes())
                .part(language.code.as_bytes());
            digest.finish()
        };
        let people = memos.people.get_or(language_programme, || {
            let people = event.speakers.par_iter();
            Arc::new(people.map(|s| PersonView::new(s, &localizer)).collect())
        });
        let organisers = event
            .organisers
            .iter()
            .filter_map(|o| PersonView::organiser(o, &localizer))
            .collect();
        let event_view = EventView::new(config, event, &localizer, &formats);
        let offline_notice = as_of.map(|date| {
            let mut notice = strings.get_or(
                "offline_notice",
                "Offline — the programme as of {date}",
                &localizer,
            );
            let date = formats.date(date);
            notice.text = notice.text.replace("{date}", &date);
            notice.html = notice
                .html
                .replace("{date}", &super::markdown::escape(&date));
            notice
        });
        let times = memos.times.get_or(language_programme, || {
            let days = event.programme.days.iter();
            Arc::new(
                days.map(|day| DayTimes::new(day, event.timezone, &formats))
                    .collect(),
            )
        });
        let mut views = LanguageViews {
            config,
            event,
            theme,
            language,
            localizer,
            strings,
            grammar,
            event_view,
            times,
            people,
            organisers,
            sessions_ld: Arc::default(),
            keys,
            base: Context::new(),
            base_key: 0,
            links_key: links_key(event),
            offline_notice,
        };
        // Made from the views' own text, so once they are.
        views.sessions_ld = memos.sessions.get_or(language_programme, || {
            Arc::new(Sessions::new(config, &views.plain()))
        });
        let (base, base_key) = {
            let values = views.language_values();
            let mut digest = Digest::new("language");
            digest.json(&values);
            let base = Context::from_serialize(&values).unwrap_or_default();
            (base, digest.finish())
        };
        views.base = base;
        views.base_key = base_key;
        Ok(views)
    }

    pub(super) fn code(&self) -> &str {
        &self.language.code
    }

    /// The event's text in this language as plain text, for what is not HTML.
    pub(crate) fn plain(&self) -> Plain<'_> {
        Plain::new(
            self.config,
            self.event,
            self.language,
            &self.strings,
            &self.grammar,
        )
    }

    /// A template context with what every page of the language has, to render its pages
    /// one after the other with [`LanguageViews::render_page`].
    pub(crate) fn context(&self) -> Context {
        self.base.clone()
    }

    /// What every page of the language sees.
    fn language_values(&self) -> LanguageValues<'_> {
        let event = self.event;
        let code = self.code();
        LanguageValues {
            lang: LanguageInfo::of(self.language),
            home: PageRef::Home.dir(event, code),
            event: &self.event_view,
            ui: &self.strings,
            feeds: Feeds {
                subscribe: routes::subscription(&self.config.base_url, code),
                download: routes::calendar(code),
                schedule_xml: routes::SCHEDULE_XML,
                schedule_json: routes::SCHEDULE_JSON,
                schedule_v2_json: routes::SCHEDULE_V2_JSON,
            },
            links: Links {
                home: PageRef::Home.dir(event, code),
                programme: PageRef::Programme.dir(event, code),
                speakers: PageRef::Speakers.dir(event, code),
                agenda: PageRef::Agenda.dir(event, code),
                search: PageRef::Search.dir(event, code),
            },
            description: event
                .description
                .as_ref()
                .map(|d| super::markdown::to_text(self.localizer.text(d).text.as_str())),
            manifest: routes::manifest(code),
            offline: self.offline_notice.clone().map(|notice| Offline {
                worker: routes::SERVICE_WORKER,
                notice,
            }),
        }
    }

    /// Where `page` is, as its template sees it, reached from `root`.
    fn place(&self, page: PageRef, root: String, all: &[LanguageViews]) -> Place {
        let languages: Vec<&Language> = all.iter().map(|v| v.language).collect();
        let dir = page.dir(self.event, self.code());
        Place {
            root,
            canonical: format!("{}{dir}", self.config.base_url),
            alternates: Alternate::all(page, self.event, &self.config.base_url, &languages),
            languages: SwitcherItem::all(page, self.event, &languages, self.code()),
            nav: NavItem::all(page, self.event, &self.localizer, &self.strings),
        }
    }

    /// The key of `page`, when the store reuses: a hash of everything it is made from,
    /// taken from the inputs rather than from the values its template is given, so that a
    /// page kept is never assembled. Every value of a page is made from these alone: the
    /// theme; the values every page of the language has ([`LanguageViews::base_key`]); the
    /// programme, which holds the configuration, the interface strings and every speaker
    /// but their biography (the home, programme and speakers pages show nothing else); the
    /// site's pages as the menu and links show them ([`links_key`]); and the page's own model
    /// whole, a speaker with their biography or a page with its body (see
    /// [`LanguageViews::structured_key`]).
    fn key(&self, page: PageRef, out: &Published) -> Option<Key> {
        out.reuses().then(|| {
            let (template, kind) = template(page);
            let mut digest = Digest::new("page");
            digest
                .part(&self.theme.id.to_le_bytes())
                .part(template.as_bytes())
                .part(kind.as_bytes())
                .part(&self.base_key.to_le_bytes())
                .part(&self.links_key.to_le_bytes())
                .part(&self.structured_key(page).to_le_bytes());
            digest.finish()
        })
    }

    /// Whether the store keeps the last build's `page`, made from inputs of hash `key`.
    fn kept(&self, page: PageRef, key: Option<Key>, out: &Published) -> bool {
        key.is_some_and(|key| out.keep(&routes::page_file(&page.dir(self.event, self.code())), key))
    }

    /// A page's file, place, template, title and kind, to render it.
    fn assemble(&self, page: PageRef, all: &[LanguageViews], key: Option<Key>) -> Assembled {
        let dir = page.dir(self.event, self.code());
        let place = self.place(page, "../".repeat(dir.matches('/').count()), all);
        let ui = |key: &str| {
            self.strings
                .get(key)
                .cloned()
                .unwrap_or_else(|| self.event_view.name.clone())
        };
        let title = match page {
            PageRef::Home => self.event_view.name.clone(),
            PageRef::Programme => ui("programme"),
            PageRef::Speakers => ui("speakers"),
            PageRef::Agenda => ui("agenda"),
            PageRef::Search => ui("search"),
            PageRef::Speaker(i) => self.people[i].name.clone(),
            PageRef::Page(i) => self.localizer.text(&self.event.pages[i].title),
        };
        let (template, kind) = template(page);
        Assembled {
            path: routes::page_file(&dir),
            key,
            template,
            place,
            title,
            kind,
        }
    }

    /// A hash of what the page's JSON-LD is made from: the programme and the page's own
    /// model.
    fn structured_key(&self, page: PageRef) -> Key {
        let mut digest = Digest::new("structured data");
        digest.part(&self.keys.programme.to_le_bytes());
        match page {
            PageRef::Speaker(i) => digest.part(&self.keys.speakers[i].to_le_bytes()),
            PageRef::Page(i) => digest.part(&self.keys.pages[i].to_le_bytes()),
            PageRef::Home
            | PageRef::Programme
            | PageRef::Speakers
            | PageRef::Agenda
            | PageRef::Search => &mut digest,
        };
        digest.finish()
    }

    /// The page's JSON-LD, made only when the page is.
    fn structured_data(&self, page: PageRef) -> String {
        structured::page(self.config, &self.plain(), &self.sessions_ld, page)
    }

    /// Renders `page` into `context`, minifies and publishes it, unless the store keeps the
    /// last build's. `own` makes the page's own values, only when it is rendered. `order` is
    /// its place in the site's order, for errors.
    fn publish<V: Serialize>(
        &self,
        page: PageRef,
        all: &[LanguageViews],
        own: impl FnOnce() -> V,
        context: &mut Context,
        out: &Published,
        order: usize,
    ) {
        let key = self.key(page, out);
        if self.kept(page, key, out) {
            return;
        }
        let assembled = self.assemble(page, all, key);
        let values = Page {
            place: &assembled.place,
            title: &assembled.title,
            kind: assembled.kind,
            structured_data: self.structured_data(page),
            own: own(),
        };
        let html = {
            let mut scope = Scope::new(context, &values);
            self.theme.render_to(assembled.template, scope.context())
        };
        drop(values);
        self.put(assembled, html, out, order);
    }

    fn put(&self, page: Assembled, html: Result<Vec<u8>, Error>, out: &Published, order: usize) {
        match html {
            Ok(html) => {
                let bytes = Arc::new(minify::finish(self.config, html));
                out.put_made(order, page.path, bytes, page.key);
            }
            Err(e) => out.fail(order, e),
        }
    }

    /// Renders one page other than the home and programme pages into `context` (from
    /// [`LanguageViews::context`]), which is as it was afterwards.
    pub(crate) fn render_page(
        &self,
        page: PageRef,
        all: &[LanguageViews],
        context: &mut Context,
        out: &Published,
        order: usize,
    ) {
        match page {
            PageRef::Home | PageRef::Programme => {
                self.render_overviews(&[(order, page)], all, context, out)
            }
            PageRef::Speakers => {
                let own = || SpeakersValues {
                    speakers: &self.people,
                };
                self.publish(page, all, own, context, out, order);
            }
            PageRef::Agenda => {
                let own = || AgendaValues {
                    agenda_data: routes::agenda_sessions(self.code()),
                };
                self.publish(page, all, own, context, out, order);
            }
            PageRef::Search => {
                let own = || SearchValues {
                    search_index: routes::search_index(self.code()),
                };
                self.publish(page, all, own, context, out, order);
            }
            PageRef::Speaker(i) => {
                let own = || {
                    let model = &self.event.speakers[i];
                    let plain = self.plain();
                    SpeakerValues {
                        speaker: SpeakerView {
                            person: &self.people[i],
                            biography: self.localizer.markdown(&model.biography),
                        },
                        appearances: AppearanceView::all(model, &self.times, &self.sources(&plain)),
                        speaker_calendar: (!model.appearances.is_empty())
                            .then(|| routes::speaker_calendar(self.code(), &model.id)),
                    }
                };
                self.publish(page, all, own, context, out, order);
            }
            PageRef::Page(i) => {
                let own = || FreePageValues {
                    body: self
                        .localizer
                        .markdown(&self.event.pages[i].body)
                        .unwrap_or_default(),
                };
                self.publish(page, all, own, context, out, order);
            }
        }
    }

    /// Renders the home and programme pages (`pages`, each with its place in the site's
    /// order) one after the other into `context`: the whole programme they share, as a
    /// template value megabytes at a large event, is made once for both, and gone before the
    /// last is minified.
    pub(crate) fn render_overviews(
        &self,
        pages: &[(usize, PageRef)],
        all: &[LanguageViews],
        context: &mut Context,
        out: &Published,
    ) {
        let pending: Vec<(usize, PageRef, Assembled)> = pages
            .iter()
            .map(|&(order, page)| (order, page, self.key(page, out)))
            .filter(|&(_, page, key)| !self.kept(page, key, out))
            .map(|(order, page, key)| (order, page, self.assemble(page, all, key)))
            .collect();
        if pending.is_empty() {
            return;
        }
        let overview = Overview {
            days: self.days(),
            people: People {
                speakers: &self.people,
                organisers: &self.organisers,
            },
            print: PrintedLinks {
                programme: Printed::new(format!(
                    "{}{}",
                    self.config.base_url,
                    PageRef::Programme.dir(self.event, self.code())
                )),
                calendar: Printed::new(routes::subscription(&self.config.base_url, self.code())),
            },
        };
        let mut shared = Some(Scope::new(context, &overview));
        drop(overview);
        let last = pending.len() - 1;
        for (n, (order, page, assembled)) in pending.into_iter().enumerate() {
            let values = Page {
                place: &assembled.place,
                title: &assembled.title,
                kind: assembled.kind,
                structured_data: self.structured_data(page),
                own: Nothing {},
            };
            let html = match shared.as_mut() {
                Some(shared) => {
                    let mut scope = Scope::new(shared.context(), &values);
                    self.theme.render_to(assembled.template, scope.context())
                }
                None => continue,
            };
            drop(values);
            if n == last {
                shared = None;
            }
            self.put(assembled, html, out, order);
        }
    }

    /// The programme's days, for the pages that show them: made for the template context,
    /// and not held here.
    fn days(&self) -> Vec<DayView> {
        let plain = self.plain();
        let sources = self.sources(&plain);
        self.event
            .programme
            .days
            .iter()
            .zip(self.times.iter())
            .map(|(day, times)| DayView::new(day, times, &sources))
            .collect()
    }

    /// The agenda page's data, made of the sessions' calendar `events`, and its path.
    pub(crate) fn agenda_data(&self, events: &SessionEvents) -> (String, String) {
        let plain = self.plain();
        let data = agenda::data(&self.sources(&plain), &self.times, events);
        (routes::agenda_sessions(self.code()), data)
    }

    /// The search files of the language (see [`search`]): each path and its JSON; the words
    /// of each result from `memo` when an earlier build folded the same texts.
    pub(crate) fn search_files(&self, memo: &SearchMemo) -> Vec<(String, String)> {
        let plain = self.plain();
        search::files(&self.sources(&plain), &self.times, memo)
    }

    /// A hash of what the search files of the language are made from (see [`search::key`]).
    pub(crate) fn search_key(&self) -> Key {
        let plain = self.plain();
        search::key(&self.sources(&plain), self.keys.programme, &self.keys.pages)
    }

    /// What the views of sessions are made from.
    fn sources<'s>(&'s self, plain: &'s Plain<'s>) -> Sources<'s> {
        Sources {
            event: self.event,
            localizer: &self.localizer,
            strings: &self.strings,
            plain,
            grammar: &self.grammar,
            config: self.config,
        }
    }
}

/// A page's template and kind.
fn template(page: PageRef) -> (&'static str, &'static str) {
    match page {
        PageRef::Home => ("home.html", "home"),
        PageRef::Programme => ("programme.html", "programme"),
        PageRef::Speakers => ("speakers.html", "speakers"),
        PageRef::Agenda => ("agenda.html", "agenda"),
        PageRef::Search => ("search.html", "search"),
        PageRef::Speaker(_) => ("speaker.html", "speaker"),
        PageRef::Page(_) => ("page.html", "page"),
    }
}

fn choices(views: &[LanguageViews]) -> Vec<Choice> {
    views
        .iter()
        .map(|v| Choice::new(v.language, &v.event_view, &v.strings))
        .collect()
}

/// The root `index.html`: a choice of language, the `x-default` of every page.
pub(crate) fn render_chooser(views: &[LanguageViews]) -> Result<String, Error> {
    let default = &views[0];
    let mut place = default.place(PageRef::Home, String::new(), views);
    place.canonical = default.config.base_url.to_string();
    let values = Page {
        place: &place,
        title: &default.event_view.name,
        kind: "chooser",
        structured_data: structured::site(default.config, &default.plain()),
        own: ChooserValues {
            choices: choices(views),
        },
    };
    let mut context = default.context();
    let mut scope = Scope::new(&mut context, &values);
    default.theme.render("chooser.html", scope.context())
}

/// `404.html`: served for any missing path, so its links start from the site's root path.
pub(crate) fn render_not_found(views: &[LanguageViews]) -> Result<String, Error> {
    let default = &views[0];
    let root = default.config.base_url.path().to_string();
    let place = default.place(PageRef::Home, root, views);
    let values = NotFoundPage {
        place: &place,
        title: default.strings.get("not_found"),
        kind: "not-found",
        choices: choices(views),
    };
    let mut context = default.context();
    let mut scope = Scope::new(&mut context, &values);
    default.theme.render("404.html", scope.context())
}
