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
mod structured;
pub mod theme;
mod timezone;
mod view;

use chrono::{DateTime, Utc};
use rayon::prelude::*;

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
        .par_iter()
        .map(|language| LanguageViews::new(config, event, theme, language))
        .collect::<Result<Vec<_>, Error>>()?;
    let refs = PageRef::all(event);
    let mut errors = Errors::default();
    // Pages are independent: render and minify them on every core.
    let rendered: Vec<Result<(String, Vec<u8>), Error>> = views
        .par_iter()
        .flat_map(|view| refs.par_iter().map(move |page| (view, *page)))
        .map(|(view, page)| {
            view.render_page(page, &views)
                .map(|(path, html)| (path, finish(config, html)))
        })
        .collect();
    for page in rendered {
        match page {
            Ok((path, bytes)) => output.insert(path, bytes),
            Err(e) => errors.0.push(e),
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
    let feeds: Vec<Vec<(String, String)>> = views
        .par_iter()
        .map(|view| calendar::feeds(config, &Plain::new(config, event, view), &zone, timestamp))
        .collect();
    for (path, ics) in feeds.into_iter().flatten() {
        output.insert(path, ics);
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
    cfg.keep_html_and_head_opening_tags = true;
    let minified = minify_html::minify(html.as_bytes(), &cfg);
    keep_html_tag(&html, minified)
}

/// Puts the template's own `<html lang="…" dir="…">` back in place of its minified form
/// (`<html dir=rtl lang=ar>`): the page's language and direction then read the same to every
/// tool, to a search of the text as to an HTML parser, for the cost of a few bytes.
fn keep_html_tag(original: &str, minified: Vec<u8>) -> Vec<u8> {
    let tag = |text: &[u8]| -> Option<(usize, usize)> {
        let start = text
            .windows(5)
            .position(|w| w.eq_ignore_ascii_case(b"<html"))?;
        let end = start + text[start..].iter().position(|&b| b == b'>')? + 1;
        Some((start, end))
    };
    match (tag(original.as_bytes()), tag(&minified)) {
        (Some((from, to)), Some((start, end))) => {
            let mut kept = minified[..start].to_vec();
            kept.extend_from_slice(&original.as_bytes()[from..to]);
            kept.extend_from_slice(&minified[end..]);
            kept
        }
        _ => minified,
    }
}
