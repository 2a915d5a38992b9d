//! The template contract: what each template is given, as one typed value per kind of page
//! (documented for theme authors in `docs/themes.md`, which a test keeps in step with these
//! types), and the [`Scope`] a value is given to a template in.
//!
//! Every page of a language starts from the same context, [`LanguageValues`]; a page adds its
//! own, [`Page`] (its place in the site, its title, its kind's values), for as long as it is
//! rendered. The home and programme pages share the whole programme, [`Overview`], added once
//! for both.

use serde::Serialize;
use tera::{Context, Value};

use super::localize::Localized;
use super::qr::Printed;
use super::strings::Strings;
use super::views::{
    Alternate, AppearanceView, Choice, DayView, EventView, LanguageInfo, NavItem, People,
    PersonView, SpeakerView, SwitcherItem,
};

/// What every template of a language sees.
#[derive(Serialize)]
pub(crate) struct LanguageValues<'a> {
    /// The page's language.
    pub(crate) lang: LanguageInfo,
    /// The language's home, from the site's root: `fr/`.
    pub(crate) home: String,
    /// The event.
    pub(crate) event: &'a EventView,
    /// The interface strings, by key.
    pub(crate) ui: &'a Strings,
    /// The calendar feeds and the exports, from the site's root (`subscribe` is absolute).
    pub(crate) feeds: Feeds,
    /// The language's main pages, from the site's root.
    pub(crate) links: Links,
    /// The event's description as plain text, for `<meta name="description">`.
    pub(crate) description: Option<String>,
    /// The language's web app manifest, from the site's root: `fr/manifest.webmanifest`.
    pub(crate) manifest: String,
    /// The service worker and its notice, on the published site only (not in `serve`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) offline: Option<Offline>,
}

/// What a page needs of the service worker (issue 23).
#[derive(Serialize)]
pub(crate) struct Offline {
    /// The worker's script, from the site's root: `service-worker.js`.
    pub(crate) worker: &'static str,
    /// "Offline — the programme as of 1 March 2024": shown when the worker gives the page
    /// from its cache.
    pub(crate) notice: Localized,
}

/// The calendar feeds and the exports of a language.
#[derive(Serialize)]
pub(crate) struct Feeds {
    /// The `webcal://` address of the language's calendar.
    pub(crate) subscribe: String,
    /// The language's calendar, to download.
    pub(crate) download: String,
    /// `schedule.xml`.
    pub(crate) schedule_xml: &'static str,
    /// `schedule.json` (c3voc schedule version 1).
    pub(crate) schedule_json: &'static str,
    /// `schedule-v2.json` (c3voc schedule version 2).
    pub(crate) schedule_v2_json: &'static str,
}

/// The main pages of a language.
#[derive(Serialize)]
pub(crate) struct Links {
    pub(crate) home: String,
    pub(crate) programme: String,
    pub(crate) speakers: String,
    pub(crate) agenda: String,
    /// Where the header's search field sends its words.
    pub(crate) search: String,
}

/// Where a page is in the site, as its template sees it.
#[derive(Serialize)]
pub(crate) struct Place {
    /// The way from the page back to the site's root (`../../`), before every link.
    pub(crate) root: String,
    /// Its absolute URL.
    pub(crate) canonical: String,
    /// The page in every language, then `x-default`.
    pub(crate) alternates: Vec<Alternate>,
    /// The language switcher.
    pub(crate) languages: Vec<SwitcherItem>,
    /// The site's navigation.
    pub(crate) nav: Vec<NavItem>,
}

/// What a page's template sees besides its language's values: its place, its title, its
/// kind and its JSON-LD, and the values of its kind (`K`).
#[derive(Serialize)]
pub(crate) struct Page<'p, K> {
    #[serde(flatten)]
    pub(crate) place: &'p Place,
    pub(crate) title: &'p Localized,
    /// `home`, `programme`, `speakers`, `agenda`, `speaker`, `page` or `chooser` (the
    /// `<body>`'s class).
    pub(crate) kind: &'static str,
    /// Its schema.org JSON-LD, to stand in `<script type="application/ld+json">` as it is.
    pub(crate) structured_data: String,
    #[serde(flatten)]
    pub(crate) own: K,
}

/// The home and programme pages' own values: the whole programme.
#[derive(Serialize)]
pub(crate) struct Overview<'a> {
    /// The days, each with its sessions.
    pub(crate) days: Vec<DayView>,
    /// Every speaker by id, whom sessions name by id.
    pub(crate) people: People<'a>,
    /// The ways back online the printed programme gives on each day's page.
    pub(crate) print: PrintedLinks,
}

/// The live programme in the page's language and its calendar subscription, each written
/// out and as a QR code.
#[derive(Serialize)]
pub(crate) struct PrintedLinks {
    /// The programme's absolute address.
    pub(crate) programme: Printed,
    /// The `webcal://` address of the language's calendar.
    pub(crate) calendar: Printed,
}

/// The values of a page that has none of its own kind (home and programme, whose
/// [`Overview`] is given apart).
#[derive(Serialize)]
pub(crate) struct Nothing {}

/// `speakers.html`'s own values.
#[derive(Serialize)]
pub(crate) struct SpeakersValues<'a> {
    /// Every speaker, in the order of their first session.
    pub(crate) speakers: &'a [PersonView],
}

/// `speaker.html`'s own values.
#[derive(Serialize)]
pub(crate) struct SpeakerValues<'a> {
    /// The speaker, with their biography.
    pub(crate) speaker: SpeakerView<'a>,
    /// Their sessions' calendar, when they have sessions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) speaker_calendar: Option<String>,
    /// Their sessions, in programme order.
    pub(crate) appearances: Vec<AppearanceView>,
}

/// `agenda.html`'s own values.
#[derive(Serialize)]
pub(crate) struct AgendaValues {
    /// The sessions an attendee can star, for the page's script (`fr/agenda/sessions.json`).
    pub(crate) agenda_data: String,
}

/// `search.html`'s own values.
#[derive(Serialize)]
pub(crate) struct SearchValues {
    /// The results and the number of shards of words, for the page's script
    /// (`fr/search/index.json`).
    pub(crate) search_index: String,
}

/// `page.html`'s own values.
#[derive(Serialize)]
pub(crate) struct FreePageValues {
    /// The page's Markdown, as HTML.
    pub(crate) body: String,
}

/// `chooser.html`'s own values.
#[derive(Serialize)]
pub(crate) struct ChooserValues {
    /// Every language's home.
    pub(crate) choices: Vec<Choice>,
}

/// What `404.html` sees besides its language's values (the default one's): it has no
/// JSON-LD, and its title is the theme's `not_found` string.
#[derive(Serialize)]
pub(crate) struct NotFoundPage<'p> {
    #[serde(flatten)]
    pub(crate) place: &'p Place,
    pub(crate) title: Option<&'p Localized>,
    pub(crate) kind: &'static str,
    /// Every language's home.
    pub(crate) choices: Vec<Choice>,
}

/// What `sitemap.xml` sees.
#[derive(Serialize)]
pub(crate) struct SitemapValues {
    /// The site's address.
    pub(crate) base_url: String,
    /// Every page of a language, in the site's order.
    pub(crate) pages: Vec<SitemapPage>,
}

/// A page of the sitemap.
#[derive(Serialize)]
pub(crate) struct SitemapPage {
    /// The page in every language, the default one first.
    pub(crate) translations: Vec<Translation>,
}

/// A page in one language.
#[derive(Serialize)]
pub(crate) struct Translation {
    /// The language's code.
    pub(crate) lang: String,
    /// The page's absolute URL.
    pub(crate) url: String,
}

/// What `manifest.webmanifest` sees besides its language's values.
#[derive(Serialize)]
pub(crate) struct ManifestValues {
    /// The way from the manifest back to the site's root (`../`).
    pub(crate) root: String,
    /// The theme's icons, smallest first.
    pub(crate) icons: Vec<ManifestIcon>,
}

/// An icon of the installed site.
#[derive(Serialize, Clone)]
pub(crate) struct ManifestIcon {
    /// Its path from the site's root.
    pub(crate) src: String,
    /// `192x192`.
    pub(crate) sizes: String,
    /// Its media type.
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
}

/// What `service-worker.js` sees (nothing else).
#[derive(Serialize)]
pub(crate) struct WorkerValues {
    /// A hash of what the build is made from, which names the worker's cache.
    pub(crate) version: String,
    /// The assets named by their content, from the site's root.
    pub(crate) assets: Vec<String>,
    /// What the worker keeps ahead of each language once one of its pages is visited.
    pub(crate) languages: Vec<WorkerLanguage>,
}

/// A language's pages the worker keeps ahead.
#[derive(Serialize)]
pub(crate) struct WorkerLanguage {
    /// Its code, the first segment of its paths.
    pub(crate) code: String,
    /// Its home, programme, speakers, agenda (and the agenda's data), pages and manifest,
    /// from the site's root.
    pub(crate) pages: Vec<String>,
}

/// What `robots.txt` sees.
#[derive(Serialize)]
pub(crate) struct RobotsValues {
    /// The site's address.
    pub(crate) base_url: String,
    /// The sitemap's absolute URL.
    pub(crate) sitemap: String,
}

/// A template context with `values` added for as long as the scope lives: dropping it
/// removes exactly what it added (and puts back a value it hid), so that nothing one page
/// adds is ever seen by the next page rendered from the same context.
pub(crate) struct Scope<'c> {
    context: &'c mut Context,
    /// The keys added, each with the value it hid.
    added: Vec<(String, Option<Value>)>,
}

impl<'c> Scope<'c> {
    /// Adds every field of `values` to `context`.
    pub(crate) fn new(context: &'c mut Context, values: &impl Serialize) -> Scope<'c> {
        // Values are structs of strings, lists and maps with string keys, which always
        // serialize.
        let map = match tera::to_value(values) {
            Ok(Value::Object(map)) => map,
            _ => Default::default(),
        };
        let added = map
            .keys()
            .map(|key| (key.clone(), context.remove(key)))
            .collect();
        if let Ok(values) = Context::from_value(Value::Object(map)) {
            context.extend(values);
        }
        Scope { context, added }
    }

    /// The context with the scope's values.
    pub(crate) fn context(&mut self) -> &mut Context {
        self.context
    }
}

impl Drop for Scope<'_> {
    fn drop(&mut self) {
        for (key, hidden) in self.added.drain(..) {
            self.context.remove(&key);
            if let Some(value) = hidden {
                self.context.insert(key, &value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Two {
        a: u32,
        b: &'static str,
    }

    #[test]
    fn a_scope_removes_what_it_added_and_puts_back_what_it_hid() {
        let mut context = Context::new();
        context.insert("a", "language's");
        context.insert("c", &3);
        {
            let mut scope = Scope::new(&mut context, &Two { a: 1, b: "page's" });
            let inner = scope.context();
            assert_eq!(inner.get("a"), Some(&Value::from(1)));
            assert_eq!(inner.get("b"), Some(&Value::from("page's")));
            {
                let nested = Scope::new(inner, &Two { a: 2, b: "nested" });
                drop(nested);
            }
            assert_eq!(scope.context().get("b"), Some(&Value::from("page's")));
        }
        assert_eq!(context.get("a"), Some(&Value::from("language's")));
        assert_eq!(context.get("b"), None);
        assert_eq!(context.get("c"), Some(&Value::from(3)));
    }
}
