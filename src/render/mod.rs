//! Rendering the event into the published site: pages in every language, the language
//! chooser, the calendar feeds, the schedule exports for conference apps, the sitemap, and
//! the theme's and site's static files.

mod calendar;
pub mod dates;
pub mod markdown;
mod minify;
mod pages;
mod plain;
mod schedule;
mod sitemap;
pub(crate) mod structured;
pub mod theme;
mod timezone;
mod view;

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use rayon::prelude::*;

use crate::cache::{Cache, Digest, Key};
use crate::config::Config;
use crate::diagnostics::{Error, Errors, Place, Problem};
use crate::event::{Event, Speaker};
use crate::lock;
use crate::output::Sink;
use pages::{LanguageViews, PageContext, PageRef, Rendered};
use plain::Plain;
pub use theme::Theme;

/// Renders every published file of the site into `sink`. `timestamp` dates the calendar
/// feeds and the schedule exports; `cache` holds what earlier builds rendered. Every error
/// is reported, and the caller keeps nothing of a render that has one.
pub fn render(
    root: &Path,
    config: &Config,
    event: &Event,
    theme: &Theme,
    timestamp: DateTime<Utc>,
    cache: &Cache,
    sink: &dyn Sink,
) -> Result<(), Errors> {
    let programme = programme_key(config, event, theme);
    let views = config
        .languages
        .par_iter()
        .map(|language| LanguageViews::new(config, event, theme, language, programme, cache))
        .collect::<Result<Vec<_>, Error>>()?;
    let published = Published::new(sink);
    // Pages, feeds and exports are independent of each other: all at once, on every core.
    rayon::join(
        || render_pages(config, event, &views, cache, &published),
        || {
            let feeds = Feeds {
                timestamp,
                programme,
            };
            render_feeds(config, event, theme, &views, feeds, cache, &published)
        },
    );
    // Last, so that a file in the place of one the build publishes is found.
    publish_statics(root, event, &published);
    published.finish()
}

/// The pages of every language.
fn render_pages(
    config: &Config,
    event: &Event,
    views: &[LanguageViews],
    cache: &Cache,
    published: &Published,
) {
    let refs = PageRef::all(event);
    // Pages are numbered in the site's order, so that errors are reported in it.
    let render = |l: usize, (p, page): (usize, PageRef), context: &mut PageContext| {
        let order = l * refs.len() + p;
        match views[l].render_page(page, views, context, &cache.pages, published.sink) {
            Ok(Rendered::Made { path, bytes, key }) => published.put_made(order, path, bytes, key),
            Ok(Rendered::Kept(path)) => published.kept(path),
            Err(e) => published.fail(order, e),
        }
    };
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
                for page in &overviews {
                    render(l, *page, &mut context);
                }
            }
        },
        || {
            views
                .par_iter()
                .enumerate()
                .flat_map(|(l, _)| others.par_iter().map(move |page| (l, *page)))
                .for_each_init(
                    || None,
                    |context, (l, page)| {
                        // A context per language and thread, reused page after page: only each
                        // page's own values change.
                        let (lang, context) =
                            context.get_or_insert_with(|| (l, views[l].context()));
                        if *lang != l {
                            *lang = l;
                            *context = views[l].context();
                        }
                        render(l, page, context);
                    },
                );
        },
    );
    let order = views.len() * refs.len();
    let minified = |html: String| minify::finish(config, html.into_bytes());
    for (path, page) in [
        ("index.html", pages::render_chooser(views).map(minified)),
        ("404.html", pages::render_not_found(views).map(minified)),
    ] {
        match page {
            Ok(page) => published.put(order, path.into(), page),
            Err(e) => published.fail(order, e),
        }
    }
}

/// What the calendar feeds and the schedule exports are made from, besides the event.
struct Feeds {
    /// Their `DTSTAMP`.
    timestamp: DateTime<Utc>,
    /// The [`programme_key`].
    programme: Key,
}

/// The calendar feeds, the schedule exports, the sitemap, robots.txt and the theme's files.
fn render_feeds(
    config: &Config,
    event: &Event,
    theme: &Theme,
    views: &[LanguageViews],
    feeds: Feeds,
    cache: &Cache,
    published: &Published,
) {
    let order = usize::MAX - 1;
    let timestamp = feeds.timestamp;
    let make = |put: &(dyn Fn(String, String) + Sync)| {
        let zone = timezone::vtimezone(event.timezone, event.start_date, event.end_date);
        rayon::join(
            || {
                views.par_iter().for_each(|view| {
                    let plain = Plain::new(config, event, view);
                    calendar::feeds(config, &plain, &zone, timestamp, put);
                })
            },
            || {
                let plain = Plain::new(config, event, &views[0]);
                let (xml, json) = schedule::exports(config, &plain, timestamp);
                put("schedule.xml".into(), xml);
                put("schedule.json".into(), json);
            },
        );
    };
    let key = || {
        let mut digest = Digest::new("feeds");
        digest
            .part(&feeds.programme.to_le_bytes())
            .part(timestamp.to_rfc3339().as_bytes());
        digest.finish()
    };
    let sink = published.sink;
    if cache.feeds.enabled() {
        // `serve` keeps them: most edits (a biography, a page) change none.
        let feeds = cache.feeds.get_or(key, || {
            let made = Mutex::new(Vec::new());
            make(&|path, text| lock(&made).push((path, Arc::new(text.into_bytes()))));
            Arc::new(made.into_inner().unwrap_or_else(|p| p.into_inner()))
        });
        for (path, bytes) in feeds.iter() {
            published.put(order, path.clone(), Arc::clone(bytes));
        }
    } else if sink.keeps_keys() {
        // A build keeps the last one's when the programme is the same: not made again, not
        // even to compare.
        let key = key();
        match sink.reuse_group(key) {
            Some(kept) => kept.into_iter().for_each(|path| published.kept(path)),
            None => make(&|path, text| {
                published.put_made(order, path, Arc::new(text.into_bytes()), Some(key))
            }),
        }
    } else {
        make(&|path, text| published.put(order, path, text.into_bytes()));
    }
    let put = |path: String, text: String| published.put(order, path, text.into_bytes());
    put(
        "sitemap.xml".into(),
        sitemap::sitemap(config, event, &PageRef::all(event)),
    );
    put(
        "robots.txt".into(),
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
            config.base_url
        ),
    );
    for (path, bytes) in &theme.statics {
        published.put(order, format!("assets/{path}"), bytes.clone());
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
            biography: _,
            appearances,
        } = speaker;
        digest.hash(&(id, name, honorific, role, organisation, photo, appearances));
    }
    digest.finish()
}

/// The site's own files of `content/static/`, where the build publishes nothing else.
fn publish_statics(root: &Path, event: &Event, published: &Published) {
    let order = usize::MAX;
    for path in &event.statics {
        let name = path.to_string_lossy().replace('\\', "/");
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

/// The files given to the sink so far, and the errors met.
struct Published<'s> {
    sink: &'s dyn Sink,
    paths: Mutex<HashSet<String>>,
    /// Each error with the place of its file in the site's order (pages are rendered in any
    /// order, but reported in a stable one).
    errors: Mutex<Vec<(usize, Error)>>,
}

impl<'s> Published<'s> {
    fn new(sink: &'s dyn Sink) -> Published<'s> {
        Published {
            sink,
            paths: Mutex::default(),
            errors: Mutex::default(),
        }
    }

    fn put(&self, order: usize, path: String, bytes: impl Into<Arc<Vec<u8>>>) {
        self.put_made(order, path, bytes.into(), None);
    }

    /// A file made from inputs of hash `key`, when it is known.
    fn put_made(&self, order: usize, path: String, bytes: Arc<Vec<u8>>, key: Option<Key>) {
        lock(&self.paths).insert(path.clone());
        if let Err(e) = self.sink.put(path, bytes, key) {
            self.fail(order, e);
        }
    }

    /// A file the sink kept from the last build.
    fn kept(&self, path: String) {
        lock(&self.paths).insert(path);
    }

    fn fail(&self, order: usize, error: Error) {
        lock(&self.errors).push((order, error));
    }

    fn has(&self, path: &str) -> bool {
        lock(&self.paths).contains(path)
    }

    fn finish(self) -> Result<(), Errors> {
        let mut errors = self.errors.into_inner().unwrap_or_else(|p| p.into_inner());
        errors.sort_by_key(|(order, _)| *order);
        Errors(errors.into_iter().map(|(_, e)| e).collect()).into_result()
    }
}
