//! Rendering the event into the published site: pages in every language, the language
//! chooser, the sitemap, and the theme's and site's static files.

pub mod dates;
pub mod markdown;
mod pages;
mod sitemap;
pub mod theme;
mod view;

use crate::config::Config;
use crate::diagnostics::{Error, Errors, Place, Problem};
use crate::event::Event;
use crate::output::Output;
use pages::{LanguageViews, PageRef};
pub use theme::Theme;

/// Renders every published file of the site.
pub fn render(
    root: &std::path::Path,
    config: &Config,
    event: &Event,
    theme: &Theme,
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
