//! The site as an app that still opens at the venue (issue 23): each language's web app
//! manifest (`LANG/manifest.webmanifest`), and the service worker at the site's root
//! (`service-worker.js`), published by `build` only (`serve` shows edits as they are made,
//! which a worker would get in the way of). What the worker keeps, and for how long, is in
//! docs/offline.md; its script is the theme's template `service-worker.js`.

use serde::Serialize;
use tera::Context;

use super::context::{ManifestIcon, ManifestValues, WorkerLanguage, WorkerValues};
use super::pages::LanguageViews;
use super::publish::Published;
use super::routes::{self, PageRef};
use super::theme::Theme;
use crate::event::Event;
use crate::memo::Key;

/// Publishes each language's manifest and, unless the site is previewed, the service worker
/// whose cache is named by `version`, a hash of what the build is made from.
pub(super) fn publish(
    event: &Event,
    theme: &Theme,
    views: &[LanguageViews],
    worker: Option<Key>,
    published: &Published,
) {
    let order = usize::MAX - 1;
    let icons = icons(theme);
    for view in views {
        let code = view.code();
        let path = routes::manifest(code);
        let values = ManifestValues {
            root: "../".repeat(path.matches('/').count()),
            icons: icons.clone(),
        };
        let mut context = view.context();
        let text = render(theme, "manifest.webmanifest", &mut context, &values);
        put(published, order, path, text);
    }
    let Some(version) = worker else {
        return;
    };
    let assets = theme
        .assets
        .values()
        .filter(|asset| asset.hashed)
        .map(|asset| asset.path.clone())
        .collect();
    let languages = views
        .iter()
        .map(|view| {
            let code = view.code();
            let mut pages: Vec<String> = [
                PageRef::Home,
                PageRef::Programme,
                PageRef::Speakers,
                PageRef::Agenda,
            ]
            .into_iter()
            .chain((0..event.pages.len()).map(PageRef::Page))
            .map(|page| page.dir(event, code))
            .collect();
            pages.push(routes::agenda_sessions(code));
            pages.push(routes::manifest(code));
            WorkerLanguage {
                code: code.to_string(),
                pages,
            }
        })
        .collect();
    let values = WorkerValues {
        version: format!("{version:032x}"),
        assets,
        languages,
    };
    let text = render(theme, routes::SERVICE_WORKER, &mut Context::new(), &values);
    put(published, order, routes::SERVICE_WORKER.into(), text);
}

fn render(
    theme: &Theme,
    template: &str,
    context: &mut Context,
    values: &impl Serialize,
) -> Result<String, crate::diagnostics::Error> {
    let mut scope = super::context::Scope::new(context, values);
    theme.render(template, scope.context())
}

fn put(
    published: &Published,
    order: usize,
    path: String,
    text: Result<String, crate::diagnostics::Error>,
) {
    match text {
        Ok(text) => published.put(order, path, text.into_bytes()),
        Err(e) => published.fail(order, e),
    }
}

/// The theme's icons for an installed site: its `icon…png` files, with the size each one's
/// header gives, smallest first.
fn icons(theme: &Theme) -> Vec<ManifestIcon> {
    let mut icons: Vec<(u32, ManifestIcon)> = theme
        .assets
        .iter()
        .filter(|(name, _)| {
            let file = name.rsplit('/').next().unwrap_or_default();
            file.starts_with("icon") && file.ends_with(".png")
        })
        .filter_map(|(_, asset)| {
            let (width, height) = png_size(&asset.bytes)?;
            let icon = ManifestIcon {
                src: asset.path.clone(),
                sizes: format!("{width}x{height}"),
                kind: "image/png",
            };
            Some((width, icon))
        })
        .collect();
    icons.sort_by_key(|(width, _)| *width);
    icons.into_iter().map(|(_, icon)| icon).collect()
}

/// A PNG's width and height, from its header (the `IHDR` chunk that must come first); none
/// for a file that is not a PNG.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.get(..8)? != SIGNATURE || bytes.get(12..16)? != b"IHDR" {
        return None;
    }
    let number = |at: usize| Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?));
    Some((number(16)?, number(20)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_png_says_its_size_in_its_header_and_another_file_has_none() {
        let icon = include_bytes!("../../themes/default/static/icon-192.png");
        assert_eq!(png_size(icon), Some((192, 192)));
        assert_eq!(png_size(b"<svg/>"), None);
        assert_eq!(png_size(&icon[..20]), None);
    }
}
