//! majlis: a static website generator for multilingual events.
//!
//! A build is a pipeline: the configuration, then the content files, then the event they
//! describe (linked and checked), then the rendered site, which `build` writes and `serve`
//! serves.

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod event;
pub mod output;
pub mod render;
pub mod text;

use std::path::Path;

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
}

/// Loads, checks and renders the site at `root`, all in memory.
pub fn build(root: &Path, options: &Options) -> Result<Build, Errors> {
    let (config, event, warnings) = check(root, options)?;
    let theme = Theme::load(root, &config)?;
    let output = render::render(root, &config, &event, &theme)?;
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
