//! Minifying pages with minify-html, in the mode that keeps to the HTML standard (issue 14):
//! a minified page parses, as a browser parses it, to the same elements, attributes and
//! text as the page unminified (`tests/hostile.rs` checks every page of the example and of
//! the fixtures, the `hostile_text` fuzz target pages full of hostile text).
//!
//! minify-html reads a page by rules of its own, not by the standard's parsing algorithm:
//! on the HTML the theme and Markdown make, which is well formed, it agrees with browsers;
//! on raw HTML an editor wrote it need not (an element left open, a `</div>` too many, a
//! space between two links in a `div`). A page that holds raw HTML is published as it is
//! rendered.

mod pieces;

use std::sync::LazyLock;

use super::markdown::RAW_HTML_MARK;
use crate::config::Config;

/// minify-html's settings. Its defaults keep to the standard: quotes are left out of an
/// attribute value only where the value allows it, character references keep their `;`,
/// spaces between attributes stay. Scripts and styles are left as they are: the theme has
/// none inline, and an editor's own would be rewritten by other tools' rules.
static SETTINGS: LazyLock<minify_html::Cfg> = LazyLock::new(|| minify_html::Cfg {
    keep_html_and_head_opening_tags: true,
    minify_css: false,
    minify_js: false,
    ..minify_html::Cfg::default()
});

/// A page as published: `html` minified when the site asks for it, unless it holds raw
/// HTML an editor wrote.
pub(super) fn finish(config: &Config, html: Vec<u8>) -> Vec<u8> {
    let raw = RAW_HTML_MARK.as_bytes();
    if !config.minify || (config.raw_html && memchr::memmem::find(&html, raw).is_some()) {
        return html;
    }
    let tag = html_tag(&html).map(|range| html[range].to_vec());
    let minified = pieces::minify(&html, pieces::MAX_PIECE, minified);
    drop(html);
    with_html_tag(minified, tag)
}

/// `html` minified whole.
fn minified(html: &[u8]) -> Vec<u8> {
    minify_html::minify(html, &SETTINGS)
}

/// Where the `<html …>` tag of a page is.
fn html_tag(text: &[u8]) -> Option<std::ops::Range<usize>> {
    let start = text
        .windows(5)
        .position(|w| w.eq_ignore_ascii_case(b"<html"))?;
    let end = start + text[start..].iter().position(|&b| b == b'>')? + 1;
    Some(start..end)
}

/// Puts the template's own `<html lang="…" dir="…">` back in place of its minified form
/// (`<html dir=rtl lang=ar>`): the page's language and direction then read the same to every
/// tool, to a search of the text as to an HTML parser, for the cost of a few bytes.
fn with_html_tag(mut minified: Vec<u8>, tag: Option<Vec<u8>>) -> Vec<u8> {
    if let (Some(tag), Some(range)) = (tag, html_tag(&minified)) {
        minified.splice(range, tag);
    }
    minified
}
