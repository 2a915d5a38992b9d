//! majlis: a static website generator for multilingual events.
//!
//! A build is a pipeline: the configuration, then the content files, then the event they
//! describe (linked and checked), then the rendered site, which `build` writes and `serve`
//! serves.

#![warn(missing_docs)]

pub mod cache;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod event;
pub mod init;
pub mod links;
pub mod output;
pub mod render;
pub mod serve;
pub mod text;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};

pub use cache::Cache;
use config::Config;
use content::Content;
use diagnostics::{Errors, Warning};
use event::Event;
use output::{Destination, Output, Sink, Staging};
use render::Theme;

/// What a build produced: the site, and what it noticed on the way.
#[derive(Debug)]
pub struct Build {
    /// Every published file.
    pub output: Output,
    /// Missing translations and other things worked around.
    pub warnings: Vec<Warning>,
}

/// Options of a build that the command line can change.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Publish at this URL instead of the configured `base_url`.
    pub base_url: Option<String>,
    /// The date the calendar feeds and schedule exports are stamped with (`DTSTAMP`): the
    /// command line passes `SOURCE_DATE_EPOCH` here, so that two builds are identical.
    pub timestamp: Option<DateTime<Utc>>,
}

/// What a build written to disk did.
#[derive(Debug)]
pub struct Written {
    /// How many files it published.
    pub files: usize,
    /// Missing translations and other things worked around.
    pub warnings: Vec<Warning>,
}

/// Loads, checks and renders the site at `root`, all in memory.
pub fn build(root: &Path, options: &Options) -> Result<Build, Errors> {
    build_with(root, options, &mut Cache::none())
}

/// Like [`build`], reusing what earlier builds given the same `cache` parsed and rendered
/// (`serve` keeps one between rebuilds): the same bytes, only sooner.
pub fn build_with(root: &Path, options: &Options, cache: &mut Cache) -> Result<Build, Errors> {
    let output = Mutex::new(Output::default());
    let built = check_with(root, options, cache).and_then(|(config, event, warnings)| {
        render(root, options, &config, &event, cache, &output)?;
        Ok(warnings)
    });
    cache.finish(built.is_ok());
    Ok(Build {
        warnings: built?,
        output: output.into_inner().unwrap_or_else(|p| p.into_inner()),
    })
}

/// Loads, checks and renders the site at `root` into the folder `out`, each file written as
/// soon as it is rendered, so that the whole site is never in memory. Nothing of the folder
/// changes unless the build succeeds (see [`Staging`]). A build holds the folder's lock from
/// before it reads the site to after its output is in place: another build into the same
/// folder waits for it, calling `waiting` with the lock file first.
pub fn build_into(
    root: &Path,
    options: &Options,
    out: &Destination,
    waiting: impl FnOnce(&Path),
) -> Result<Written, Errors> {
    let staging = Staging::open(out, waiting)?;
    let cache = Cache::none();
    let (config, event, warnings) = check_with(root, options, &cache)?;
    render(root, options, &config, &event, &cache, &staging)?;
    let files = staging.commit()?;
    Ok(Written { files, warnings })
}

/// Renders a checked site into `sink`.
fn render(
    root: &Path,
    options: &Options,
    config: &Config,
    event: &Event,
    cache: &Cache,
    sink: &dyn Sink,
) -> Result<(), Errors> {
    let theme = Theme::load(root, config)?;
    // Without a timestamp, the newest change to the files the programme is made from stands
    // in for it rather than the time of the build: rebuilding after any other edit (a
    // biography, a page, the style) then rewrites no feed, deploys upload none, and
    // subscribed calendars see nothing new. The epoch stands in when no file can be read.
    let timestamp = options.timestamp.unwrap_or_else(|| {
        content::files::programme_last_modified(root)
            .map_or(DateTime::UNIX_EPOCH, DateTime::<Utc>::from)
    });
    render::render(root, config, event, &theme, timestamp, cache, sink)
}

/// Locks a value of a build that threads only ever change by single steps (an insertion, a
/// push), so that even a lock a panic poisoned holds a consistent one.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Loads and checks the site at `root` without rendering it.
pub fn check(root: &Path, options: &Options) -> Result<(Config, Event, Vec<Warning>), Errors> {
    check_with(root, options, &Cache::none())
}

/// [`check`], taking the files `cache` has seen parsed from it.
fn check_with(
    root: &Path,
    options: &Options,
    cache: &Cache,
) -> Result<(Config, Event, Vec<Warning>), Errors> {
    let mut config = Config::load(root)?;
    if let Some(url) = &options.base_url {
        config = config.with_base_url(url)?;
    }
    let content = Content::load(root, &config, cache)?;
    let (event, warnings) = Event::assemble(&config, content)?;
    Ok((config, event, warnings))
}
