//! majlis: a static website generator for multilingual events.
//!
//! A build is a pipeline: the configuration, then the content files, then the event they
//! describe (linked and checked), then the rendered site, which `build` writes and `serve`
//! serves.

#![warn(missing_docs)]

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod event;
pub mod init;
pub mod output;
pub mod render;
pub mod serve;
pub mod text;

use std::path::Path;

use chrono::{DateTime, Utc};

use config::Config;
use content::Content;
use diagnostics::{Errors, Warning};
use event::Event;
use output::Output;
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

/// Loads, checks and renders the site at `root`, all in memory.
pub fn build(root: &Path, options: &Options) -> Result<Build, Errors> {
    let (config, event, warnings) = check(root, options)?;
    let theme = Theme::load(root, &config)?;
    // Without a timestamp, the newest change to the site's own files stands in for it rather
    // than the time of the build: rebuilding unchanged files then rewrites no feed, and
    // subscribed calendars see nothing new. The epoch stands in when no file can be read.
    let timestamp = options.timestamp.unwrap_or_else(|| {
        content::files::last_modified(root).map_or(DateTime::UNIX_EPOCH, DateTime::<Utc>::from)
    });
    let output = render::render(root, &config, &event, &theme, timestamp)?;
    Ok(Build { output, warnings })
}

/// Loads and checks the site at `root` without rendering it.
pub fn check(root: &Path, options: &Options) -> Result<(Config, Event, Vec<Warning>), Errors> {
    let mut config = Config::load(root)?;
    if let Some(url) = &options.base_url {
        config = config.with_base_url(url)?;
    }
    let content = Content::load(root, &config)?;
    let (event, warnings) = Event::assemble(&config, content)?;
    Ok((config, event, warnings))
}
