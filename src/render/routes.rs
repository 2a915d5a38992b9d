//! Every path the site publishes, from the site's root, made here and nowhere else: the
//! pages in each language, the calendar feeds, the exports, the site's own files. The
//! content model names them (`LANG/programme/`, `LANG/sessions/ID.ics`); a template takes
//! them from its context rather than writing them.

use crate::config::BaseUrl;
use crate::event::Event;

/// A page of the site, the same in every language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageRef {
    /// `LANG/`.
    Home,
    /// `LANG/programme/`.
    Programme,
    /// `LANG/speakers/`.
    Speakers,
    /// `LANG/agenda/`: the attendee's own agenda, made in the browser.
    Agenda,
    /// `LANG/search/`: the results of a search (`?q=WORDS`), found in the browser.
    Search,
    /// `LANG/speakers/ID/`, by index into the event's speakers.
    Speaker(usize),
    /// `LANG/SLUG/`, by index into the event's pages.
    Page(usize),
}

impl PageRef {
    /// Every page of a language.
    pub(crate) fn all(event: &Event) -> Vec<PageRef> {
        let mut refs = vec![
            PageRef::Home,
            PageRef::Programme,
            PageRef::Speakers,
            PageRef::Agenda,
            PageRef::Search,
        ];
        refs.extend((0..event.speakers.len()).map(PageRef::Speaker));
        refs.extend((0..event.pages.len()).map(PageRef::Page));
        refs
    }

    /// Its folder, ending with `/`: `fr/speakers/varol-dur/`.
    pub(crate) fn dir(self, event: &Event, lang: &str) -> String {
        match self {
            PageRef::Home => home(lang),
            PageRef::Programme => programme(lang),
            PageRef::Speakers => speakers(lang),
            PageRef::Agenda => agenda(lang),
            PageRef::Search => search(lang),
            PageRef::Speaker(i) => speaker(lang, &event.speakers[i].id),
            PageRef::Page(i) => format!("{lang}/{}/", event.pages[i].slugs[lang]),
        }
    }
}

/// A language's home page: `fr/`.
pub(crate) fn home(lang: &str) -> String {
    format!("{lang}/")
}

/// A language's programme: `fr/programme/`.
fn programme(lang: &str) -> String {
    format!("{lang}/programme/")
}

/// A language's speakers: `fr/speakers/`.
fn speakers(lang: &str) -> String {
    format!("{lang}/speakers/")
}

/// A language's agenda page: `fr/agenda/`.
fn agenda(lang: &str) -> String {
    format!("{lang}/agenda/")
}

/// What the agenda page's script reads: every session an attendee can star, in the
/// language, with what makes its calendar (`fr/agenda/sessions.json`).
pub(crate) fn agenda_sessions(lang: &str) -> String {
    format!("{}sessions.json", agenda(lang))
}

/// A language's search page: `fr/search/`, which the header's search field sends its words
/// to (`fr/search/?q=WORDS`).
fn search(lang: &str) -> String {
    format!("{lang}/search/")
}

/// What the search page's script reads first: every result, and how many shards of words
/// there are (`fr/search/index.json`).
pub(crate) fn search_index(lang: &str) -> String {
    format!("{}index.json", search(lang))
}

/// One shard of a language's search words (`fr/search/words-3.json`).
pub(crate) fn search_shard(lang: &str, shard: usize) -> String {
    format!("{}words-{shard}.json", search(lang))
}

/// A speaker's page: `fr/speakers/varol-dur/`.
pub(crate) fn speaker(lang: &str, id: &str) -> String {
    format!("{}{id}/", speakers(lang))
}

/// An organiser's element on the home page: `organiser-sesric`.
pub(crate) fn organiser_anchor(id: &str) -> String {
    format!("organiser-{id}")
}

/// An organiser, in the list of organisers of the home page: `fr/#organiser-sesric`.
pub(crate) fn organiser(lang: &str, id: &str) -> String {
    format!("{}#{}", home(lang), organiser_anchor(id))
}

/// A session, on the programme page: `fr/programme/#opening`.
pub(crate) fn session(lang: &str, id: &str) -> String {
    format!("{}#{id}", programme(lang))
}

/// The file of a page of the folder `dir` (from [`PageRef::dir`]).
pub(crate) fn page_file(dir: &str) -> String {
    format!("{dir}index.html")
}

/// A language's calendar of the whole programme: `fr/calendar.ics`.
pub(crate) fn calendar(lang: &str) -> String {
    format!("{lang}/calendar.ics")
}

/// One session's calendar: `fr/sessions/opening.ics`.
pub(crate) fn session_calendar(lang: &str, id: &str) -> String {
    format!("{lang}/sessions/{id}.ics")
}

/// One speaker's sessions as a calendar: `fr/speakers/varol-dur.ics`.
pub(crate) fn speaker_calendar(lang: &str, id: &str) -> String {
    format!("{}{id}.ics", speakers(lang))
}

/// The `webcal://` address of a language's calendar, which calendar apps open as a
/// subscription rather than as a one-off import.
pub(crate) fn subscription(base: &BaseUrl, lang: &str) -> String {
    format!("webcal://{}{}", base.without_scheme(), calendar(lang))
}

/// A file of the theme's `static/` folder, as published: `assets/style.css`.
pub(crate) fn asset(path: &str) -> String {
    format!("assets/{path}")
}

/// A language's web app manifest: `fr/manifest.webmanifest`.
pub(crate) fn manifest(lang: &str) -> String {
    format!("{lang}/manifest.webmanifest")
}

/// The language chooser at the site's root, the `x-default` of every page.
pub(crate) const CHOOSER: &str = "index.html";
/// The page a host serves for any missing path.
pub(crate) const NOT_FOUND: &str = "404.html";
/// The programme for conference apps (frab/c3voc), as XML.
pub(crate) const SCHEDULE_XML: &str = "schedule.xml";
/// The programme for conference apps (c3voc schedule version 1), as JSON.
pub(crate) const SCHEDULE_JSON: &str = "schedule.json";
/// The programme for conference apps, as JSON of c3voc's schedule version 2.
pub(crate) const SCHEDULE_V2_JSON: &str = "schedule-v2.json";
/// Every page in every language, for search engines.
pub(crate) const SITEMAP: &str = "sitemap.xml";
/// What crawlers may visit, and where the sitemap is.
pub(crate) const ROBOTS: &str = "robots.txt";
/// The service worker, at the site's root so that its scope is the whole site.
pub(crate) const SERVICE_WORKER: &str = "service-worker.js";
/// The HTTP headers of each path, for Netlify and Cloudflare Pages.
pub(crate) const HEADERS: &str = "_headers";
