//! Rendering the event into the published site: pages in every language, the language
//! chooser, the calendar feeds, the schedule exports for conference apps, the sitemap, and
//! the theme's and site's static files, each given to a [`Store`] as soon as it is made.
//!
//! The files, from the bottom: [`routes`] makes every published path; [`localize`] chooses
//! an event's text for a language, [`strings`] a language's interface strings, [`dates`]
//! writes its dates and times; [`plain`] is the event as plain text (feeds, exports),
//! [`views`] as templates see it; [`context`] is what each template is given, [`pages`]
//! assembles and renders each page, kept by the keys of [`reuse`]; [`calendar`],
//! [`schedule`] and [`schedule_v2`] (from [`schedule_parts`]), [`structured`] and
//! [`sitemap`] make the other formats; [`publish`] is where it all goes.

mod agenda;
mod assets;
mod bidi;
mod calendar;
mod context;
mod dates;
mod fold;
mod grammar;
mod headers;
mod localize;
pub(crate) mod markdown;
mod minify;
mod offline;
mod one_tap;
mod pages;
mod plain;
mod publish;
mod qr;
mod reuse;
mod revisions;
mod routes;
mod schedule;
mod schedule_parts;
mod schedule_v2;
mod search;
mod sitemap;
mod strings;
mod structured;
mod theme;
mod timezone;
mod translations;
mod views;

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Error, Errors, Place, Problem};
use crate::event::{Event, Speaker};
use crate::memo::{Digest, Key, Memo};
use pages::LanguageViews;
use publish::Published;
pub(crate) use publish::Store;
use reuse::{EventKeys, ViewMemos};
pub(crate) use revisions::{fingerprints, Revision, Revisions};
use routes::PageRef;
use search::SearchMemo;
pub(crate) use strings::untranslated;
pub(crate) use theme::Theme;
pub use translations::Report;

/// What the renderer keeps from one build to the next in `serve`, besides the published
/// files its store keeps: what the views of each language are made of (Markdown rendered to
/// HTML, the sessions' JSON-LD...), the search index's words, and the theme.
pub(crate) struct Memos {
    /// What the views of the languages are made of, by what each is made from.
    views: ViewMemos,
    /// The words of the search index, numbered, and those of each result, by its texts.
    search: SearchMemo,
    /// The theme, by its files.
    themes: Memo<Arc<Theme>>,
}

impl Memos {
    /// Memos that keep what builds make.
    pub(crate) fn new() -> Memos {
        Memos {
            views: ViewMemos::new(),
            search: SearchMemo::new(),
            themes: Memo::new(),
        }
    }

    /// Memos that keep nothing.
    pub(crate) fn disabled() -> Memos {
        Memos {
            views: ViewMemos::disabled(),
            search: SearchMemo::disabled(),
            themes: Memo::disabled(),
        }
    }

    /// Ends a build (see [`Memo::finish`]).
    pub(crate) fn finish(&mut self, succeeded: bool) {
        self.views.finish(succeeded);
        self.search.finish(succeeded);
        self.themes.finish(succeeded);
    }

    /// The theme the configuration names (see [`Theme::load_with`]).
    pub(crate) fn theme(&self, root: &Path, config: &Config) -> Result<Arc<Theme>, Errors> {
        Theme::load_with(root, config, &self.themes)
    }
}

/// Renders every published file of the site into `store`. `timestamp` dates the calendar
/// feeds and the schedule exports, `revisions` says how often each session changed; `memos`
/// hold what earlier builds rendered; `done` is told when each stage ends, by what it did. A
/// site `preview`ed (by `serve`) has no service worker.
/// Every error is reported, and the caller keeps nothing of a render that has one.
#[allow(clippy::too_many_arguments)]
pub(crate) fn render(
    root: &Path,
    config: &Config,
    event: &Event,
    theme: &Theme,
    timestamp: DateTime<Utc>,
    revisions: &Revisions,
    memos: &Memos,
    preview: bool,
    store: &dyn Store,
    done: &mut dyn FnMut(&str),
) -> Result<(), Errors> {
    let programme = programme_key(config, event, theme);
    let keys = EventKeys::new(programme, event);
    // The day the programme is as of, in the event's zone, which a page given offline says.
    let as_of = (!preview).then(|| timestamp.with_timezone(&event.timezone).date_naive());
    let views = config
        .languages
        .par_iter()
        .map(|language| {
            LanguageViews::new(config, event, theme, language, &keys, &memos.views, as_of)
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let published = Published::new(store);
    // The pages, then the feeds and exports, each on every core: one after the other, the
    // build's peak memory is the larger of the two rather than their sum.
    render_pages(config, event, &views, &published);
    let feeds = Feeds {
        timestamp,
        revisions,
        programme,
    };
    render_feeds(config, event, theme, &views, feeds, &published);
    done("rendered the pages, feeds and exports");
    // On its own, after the pages (which keep every core busy), so that `--verbose` gives its
    // share of a build, which the benchmark reports (docs/search.md).
    render_search(&views, &memos.search, &published);
    done("wrote the search index");
    let worker = (!preview).then(|| site_key(programme, event, theme, timestamp));
    offline::publish(event, theme, &views, worker, &published);
    publish_headers(root, config, event, theme, programme, &published);
    // Last, so that a file in the place of one the build publishes is found.
    publish_statics(root, event, &published);
    published.finish()
}

/// The pages of every language.
fn render_pages(config: &Config, event: &Event, views: &[LanguageViews], published: &Published) {
    let refs = PageRef::all(event);
    // Pages are numbered in the site's order, so that errors are reported in it.
    let numbered = refs.iter().copied().enumerate();
    let (overviews, others): (Vec<_>, Vec<_>) =
        numbered.partition(|(_, page)| matches!(page, PageRef::Home | PageRef::Programme));
    rayon::join(
        // The home and programme pages of a language share their largest value, the whole
        // programme: they are rendered one after the other, one language at a time, so that
        // there is only ever one in memory.
        || {
            for (l, view) in views.iter().enumerate() {
                let mut context = view.context();
                let pages: Vec<(usize, PageRef)> = overviews
                    .iter()
                    .map(|&(p, page)| (l * refs.len() + p, page))
                    .collect();
                view.render_overviews(&pages, views, &mut context, published);
            }
        },
        || {
            views
                .par_iter()
                .enumerate()
                .flat_map(|(l, _)| others.par_iter().map(move |page| (l, *page)))
                .for_each_init(
                    || None,
                    |context, (l, (p, page))| {
                        // A context per language and thread, reused page after page: only each
                        // page's own values change.
                        let (lang, context) =
                            context.get_or_insert_with(|| (l, views[l].context()));
                        if *lang != l {
                            *lang = l;
                            *context = views[l].context();
                        }
                        views[l].render_page(page, views, context, published, l * refs.len() + p);
                    },
                );
        },
    );
    let order = views.len() * refs.len();
    let minified = |html: String| minify::finish(config, html.into_bytes());
    for (path, page) in [
        (routes::CHOOSER, pages::render_chooser(views).map(minified)),
        (
            routes::NOT_FOUND,
            pages::render_not_found(views).map(minified),
        ),
    ] {
        match page {
            Ok(page) => published.put(order, path.into(), page),
            Err(e) => published.fail(order, e),
        }
    }
}

/// The search index of every language (see [`search`]).
fn render_search(views: &[LanguageViews], memo: &SearchMemo, published: &Published) {
    let order = usize::MAX - 1;
    views.par_iter().for_each(|view| {
        // Most edits change one language's texts: the others' indexes are kept whole.
        let key = published.reuses().then(|| view.search_key());
        if key.is_some_and(|key| published.keep_group(key)) {
            memo.keep(view.code());
            return;
        }
        for (path, json) in view.search_files(memo) {
            published.put_made(order, path, Arc::new(json.into_bytes()), key);
        }
    });
}

/// What the calendar feeds and the schedule exports are made from, besides the event.
struct Feeds<'a> {
    /// Their `DTSTAMP`.
    timestamp: DateTime<Utc>,
    /// Each session's `SEQUENCE` and `LAST-MODIFIED`.
    revisions: &'a Revisions,
    /// The [`programme_key`].
    programme: Key,
}

/// The calendar feeds, the schedule exports, the sitemap, robots.txt and the theme's files.
fn render_feeds(
    config: &Config,
    event: &Event,
    theme: &Theme,
    views: &[LanguageViews],
    feeds: Feeds<'_>,
    published: &Published,
) {
    let order = usize::MAX - 1;
    let timestamp = feeds.timestamp;
    // The feeds and exports are made together, from the programme: most edits (a
    // biography, a page) change none, and the store keeps them all, not made again, not
    // even to compare.
    let key = published.reuses().then(|| {
        let mut digest = Digest::new("feeds");
        digest
            .part(&feeds.programme.to_le_bytes())
            .part(timestamp.to_rfc3339().as_bytes())
            .hash(feeds.revisions);
        digest.finish()
    });
    if !key.is_some_and(|key| published.keep_group(key)) {
        let put = |path: String, text: String| {
            published.put_made(order, path, Arc::new(text.into_bytes()), key)
        };
        let zone = timezone::vtimezone(event.timezone, event.start_date, event.end_date);
        rayon::join(
            || {
                views.par_iter().for_each(|view| {
                    let revisions = feeds.revisions;
                    let events =
                        calendar::feeds(config, &view.plain(), &zone, timestamp, revisions, &put);
                    let (path, data) = view.agenda_data(&events);
                    put(path, data);
                })
            },
            || {
                let plain = views[0].plain();
                let parts = schedule_parts::Parts::new(config, &plain);
                let (xml, json) = schedule::exports(config, &plain, &parts, timestamp);
                put(routes::SCHEDULE_XML.into(), xml);
                put(routes::SCHEDULE_JSON.into(), json);
                let v2 = schedule_v2::export(config, &plain, &parts, timestamp);
                put(routes::SCHEDULE_V2_JSON.into(), v2);
            },
        );
    }
    publish_sitemap(config, event, theme, published, order);
    // A site's own robots.txt, in `content/static/`, is published in its place.
    if !event
        .statics
        .iter()
        .any(|path| path == Path::new(routes::ROBOTS))
    {
        let robots = theme.render(routes::ROBOTS, &sitemap::robots_context(config));
        match robots {
            Ok(text) => published.put(order, routes::ROBOTS.into(), text.into_bytes()),
            Err(e) => published.fail(order, e),
        }
    }
    for asset in theme.assets.values() {
        published.put(order, asset.path.clone(), asset.bytes.clone());
    }
}

/// The sitemap: every page but the agenda and the search page, which are each attendee's own
/// and empty for a search engine. A store that reuses (`serve`'s, or an output folder with a
/// manifest) keeps the last one until an address or a template changes: at a large event it
/// lists 9,000 addresses, and making it again after every edit was a sixth of `serve`'s
/// rebuild. `order` is its place in the site's order, for errors.
fn publish_sitemap(
    config: &Config,
    event: &Event,
    theme: &Theme,
    published: &Published,
    order: usize,
) {
    let pages: Vec<PageRef> = PageRef::all(event)
        .into_iter()
        .filter(|page| !matches!(page, PageRef::Agenda | PageRef::Search))
        .collect();
    let values = sitemap::values(config, event, &pages);
    let key = published.reuses().then(|| {
        let mut digest = Digest::new("sitemap");
        digest.part(&theme.id.to_le_bytes()).json(&values);
        digest.finish()
    });
    if key.is_some_and(|key| published.keep(routes::SITEMAP, key)) {
        return;
    }
    // Values of plain strings always serialize.
    let context = tera::Context::from_serialize(values).unwrap_or_default();
    match theme.render(routes::SITEMAP, &context) {
        Ok(text) => {
            let bytes = Arc::new(text.into_bytes());
            published.put_made(order, routes::SITEMAP.into(), bytes, key)
        }
        Err(e) => published.fail(order, e),
    }
}

/// A hash of the programme as the calendar feeds, the schedule exports and the JSON-LD of
/// its sessions are made from it: the configuration, the theme's interface strings, the
/// event but for the speakers' biographies and the pages. The event and its speakers are
/// taken apart field by field, so that a field added to either must be placed here, in the
/// key or out of it.
fn programme_key(config: &Config, event: &Event, theme: &Theme) -> Key {
    let Event {
        name,
        short_name,
        description,
        timezone,
        start_date,
        end_date,
        venue,
        organisers,
        interpretation,
        programme,
        speakers,
        pages: _,
        strings,
        statics: _,
        translations: _,
    } = event;
    let mut digest = Digest::new("programme");
    digest
        .hash(config)
        .hash(&theme.strings)
        .hash(&(
            name,
            short_name,
            description,
            timezone,
            start_date,
            end_date,
        ))
        .hash(&(venue, organisers, interpretation, programme, strings));
    for speaker in speakers {
        let Speaker {
            id,
            name,
            honorific,
            role,
            organisation,
            photo,
            gender,
            biography: _,
            appearances,
        } = speaker;
        digest.hash(&(
            id,
            name,
            honorific,
            role,
            organisation,
            photo,
            gender,
            appearances,
        ));
    }
    digest.finish()
}

/// A hash of everything the build is made from, which names the service worker's cache: the
/// programme (and configuration), the theme (templates and assets' names), the speakers'
/// biographies and the pages, and the date the pages say the programme is as of.
fn site_key(programme: Key, event: &Event, theme: &Theme, timestamp: DateTime<Utc>) -> Key {
    let mut digest = Digest::new("site");
    digest
        .part(&programme.to_le_bytes())
        .part(&theme.id.to_le_bytes())
        .hash(&event.speakers)
        .hash(&event.pages)
        .part(timestamp.to_rfc3339().as_bytes());
    digest.finish()
}

/// `_headers`: the generated rules, after the site's own `content/static/_headers`. They are
/// made from the programme (the paths of its feeds), the theme's fingerprinted assets and
/// the site's own file: at a large event, thousands of rules, kept when those are the same.
fn publish_headers(
    root: &Path,
    config: &Config,
    event: &Event,
    theme: &Theme,
    programme: Key,
    published: &Published,
) {
    let order = usize::MAX - 1;
    let hashed: Vec<String> = theme
        .assets
        .values()
        .filter(|asset| asset.hashed)
        .map(|asset| asset.path.clone())
        .collect();
    let file = Path::new("content/static").join(routes::HEADERS);
    let own = if event
        .statics
        .iter()
        .any(|p| p == Path::new(routes::HEADERS))
    {
        match std::fs::read_to_string(root.join(&file)) {
            Ok(own) => Some(own),
            Err(e) => {
                let problem = Problem::Unreadable(e.to_string());
                return published.fail(order, Error::new(Place::file(&file), problem));
            }
        }
    } else {
        None
    };
    let key = published.reuses().then(|| {
        let mut digest = Digest::new("headers");
        digest
            .part(&programme.to_le_bytes())
            .hash(&hashed)
            .hash(&own);
        digest.finish()
    });
    if key.is_some_and(|key| published.keep(routes::HEADERS, key)) {
        return;
    }
    let generated = headers::generated(config, event, &hashed);
    let text = match &own {
        Some(own) => match headers::parse(own) {
            Ok(rules) => headers::file(Some((own, &rules)), &generated),
            Err(bad) => {
                let place = Place::at(&file, bad.line, 1);
                return published.fail(order, Error::new(place, Problem::BadHeaders(bad.why)));
            }
        },
        None => headers::file(None, &generated),
    };
    published.put_made(
        order,
        routes::HEADERS.into(),
        Arc::new(text.into_bytes()),
        key,
    );
}

/// The site's own files of `content/static/`, where the build publishes nothing else (its
/// `_headers` is published with the generated rules).
fn publish_statics(root: &Path, event: &Event, published: &Published) {
    let order = usize::MAX;
    for path in &event.statics {
        let name = path.to_string_lossy().replace('\\', "/");
        if name == routes::HEADERS {
            continue;
        }
        let source = Path::new("content/static").join(path);
        if published.has(&name) {
            let other = "a page the build publishes".into();
            let problem = Problem::SlugTaken { slug: name, other };
            published.fail(order, Error::new(Place::file(&source), problem));
            continue;
        }
        match std::fs::read(root.join(&source)) {
            Ok(bytes) => published.put(order, name, bytes),
            Err(e) => published.fail(
                order,
                Error::new(Place::file(&source), Problem::Unreadable(e.to_string())),
            ),
        }
    }
}
