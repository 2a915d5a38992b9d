//! Rendering the event into the published site: pages in every language, the language
//! chooser, the calendar feeds, the schedule exports for conference apps, the sitemap, and
//! the theme's and site's static files.

mod calendar;
pub mod dates;
pub mod markdown;
mod pages;
mod plain;
mod schedule;
mod sitemap;
pub mod theme;
mod timezone;
mod view;

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::diagnostics::{Error, Errors, Place, Problem};
use crate::event::Event;
use crate::output::Output;
use pages::{LanguageViews, PageRef};
use plain::Plain;
pub use theme::Theme;

/// Renders every published file of the site; `timestamp` dates the calendar feeds and the
/// schedule exports.
pub fn render(
    root: &std::path::Path,
    config: &Config,
    event: &Event,
    theme: &Theme,
    timestamp: DateTime<Utc>,
) -> Result<Output, Errors> {
    let mut output = Output::default();
    let views = config
        .languages
        .iter()
        .map(|language| LanguageViews::new(config, event, theme, language))
        .collect::<Result<Vec<_>, Error>>()?;
    let refs = PageRef::all(event);
    let mut errors = Errors::default();
    for view in &views {
        for page in &refs {
            match view.render_page(*page, &views) {
                Ok((path, html)) => output.insert(path, finish(config, html)),
                Err(e) => errors.0.push(e),
            }
        }
    }
    for (path, html) in [
        ("index.html", pages::render_chooser(&views)),
        ("404.html", pages::render_not_found(&views)),
    ] {
        match html {
            Ok(html) => output.insert(path, finish(config, html)),
            Err(e) => errors.0.push(e),
        }
    }
    std::mem::take(&mut errors).into_result()?;
    let zone = timezone::vtimezone(event.timezone, event.start_date, event.end_date);
    for view in &views {
        let plain = Plain::new(config, event, view);
        for (path, ics) in calendar::feeds(config, &plain, &zone, timestamp) {
            output.insert(path, ics);
        }
    }
    let (xml, json) = schedule::exports(config, &Plain::new(config, event, &views[0]), timestamp);
    output.insert("schedule.xml", xml);
    output.insert("schedule.json", json);
    output.insert("sitemap.xml", sitemap::sitemap(config, event, &refs));
    output.insert(
        "robots.txt",
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
            config.base_url
        ),
    );
    for (path, bytes) in &theme.statics {
        output.insert(format!("assets/{path}"), bytes.clone());
    }
    for path in &event.statics {
        let published = path.to_string_lossy().replace('\\', "/");
        let source = std::path::Path::new("content/static").join(path);
        if output.contains(&published) {
            errors.push(
                Place::file(&source),
                Problem::SlugTaken {
                    slug: published,
                    other: "a page the build publishes".into(),
                },
            );
            continue;
        }
        match std::fs::read(root.join(&source)) {
            Ok(bytes) => output.insert(published, bytes),
            Err(e) => errors.push(Place::file(&source), Problem::Unreadable(e.to_string())),
        }
    }
    errors.into_result()?;
    Ok(output)
}

/// Minifies a page when the site asks for it.
fn finish(config: &Config, html: String) -> Vec<u8> {
    if !config.minify {
        return html.into_bytes();
    }
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_css = true;
    cfg.minify_js = true;
    minify_html::minify(html.as_bytes(), &cfg)
}
