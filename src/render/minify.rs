//! Minifying pages: in one pass where the page is strict HTML, through a syntax tree where
//! it is not.

use crate::config::Config;
use crate::diagnostics::Error;

/// A page as published, minified when the site asks for it. `render` makes it; it is asked
/// again in the rare case the page is not the strict HTML that the one-pass minifier takes
/// (raw HTML of an editor's, a site's own template): the page then goes through the general
/// minifier, which takes any HTML but builds a syntax tree of it, many times its size. The
/// one-pass minifier works in place and builds nothing: the page is held twice only while
/// the spaces between attributes are put back.
pub(super) fn finish(
    config: &Config,
    render: &mut dyn FnMut() -> Result<Vec<u8>, Error>,
) -> Result<Vec<u8>, Error> {
    let mut html = render()?;
    if !config.minify {
        return Ok(html);
    }
    let tag = html_tag(&html).map(|range| html[range].to_vec());
    let onepass = minify_html_onepass::Cfg {
        minify_css: true,
        minify_js: true,
    };
    let minified = match minify_html_onepass::in_place(&mut html, &onepass) {
        Ok(len) => {
            html.truncate(len);
            space_attributes(html)
        }
        Err(_) => {
            drop(html);
            let mut cfg = minify_html::Cfg::new();
            cfg.minify_css = true;
            cfg.minify_js = true;
            cfg.keep_html_and_head_opening_tags = true;
            minify_html::minify(&render()?, &cfg)
        }
    };
    Ok(with_html_tag(minified, tag))
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

/// Puts back the space the one-pass minifier leaves out after a quoted attribute value
/// (`<svg viewbox="0 0 24 24"width=16>`), which browsers take but HTML calls a parse error
/// (and the Nu Html Checker an error). Only tags are looked at: text, comments and the raw
/// text of scripts and styles are copied as they are.
fn space_attributes(html: Vec<u8>) -> Vec<u8> {
    let mut out = Vec::with_capacity(html.len() + html.len() / 64);
    let mut i = 0;
    while let Some(offset) = memchr::memchr(b'<', &html[i..]) {
        let start = i + offset;
        out.extend_from_slice(&html[i..start]);
        let rest = &html[start..];
        if rest.starts_with(b"<!--") {
            let end = memchr::memmem::find(rest, b"-->").map_or(html.len(), |e| start + e + 3);
            out.extend_from_slice(&html[start..end]);
            i = end;
        } else if rest
            .get(1)
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/' || *b == b'!')
        {
            i = copy_tag(&html, start, &mut out);
            if let Some(name) = [b"script".as_slice(), b"style"]
                .into_iter()
                .find(|name| is_named(&rest[1..], name))
            {
                let end = closing_tag(&html[i..], name).map_or(html.len(), |e| i + e);
                out.extend_from_slice(&html[i..end]);
                i = end;
            }
        } else {
            out.push(b'<');
            i = start + 1;
        }
    }
    out.extend_from_slice(&html[i..]);
    out
}

/// Copies the tag that starts at `start` into `out`, with a space after each quoted value
/// that another attribute follows; returns where the tag ends.
fn copy_tag(html: &[u8], start: usize, out: &mut Vec<u8>) -> usize {
    let mut i = start;
    while let Some(offset) = memchr::memchr3(b'"', b'\'', b'>', &html[i..]) {
        let at = i + offset;
        let b = html[at];
        if b == b'>' {
            out.extend_from_slice(&html[i..=at]);
            return at + 1;
        }
        let close = memchr::memchr(b, &html[at + 1..]).map_or(html.len() - 1, |e| at + 1 + e);
        out.extend_from_slice(&html[i..=close]);
        i = close + 1;
        if html
            .get(i)
            .is_some_and(|next| !matches!(next, b'>' | b'/') && !next.is_ascii_whitespace())
        {
            out.push(b' ');
        }
    }
    out.extend_from_slice(&html[i..]);
    html.len()
}

/// Whether the tag name at the start of `tag` (after its `<`) is `name`, in any case.
fn is_named(tag: &[u8], name: &[u8]) -> bool {
    tag.len() > name.len()
        && tag[..name.len()].eq_ignore_ascii_case(name)
        && !tag[name.len()].is_ascii_alphanumeric()
}

/// Where the closing tag `</name` of a raw text element starts in `text`, in any case.
fn closing_tag(text: &[u8], name: &[u8]) -> Option<usize> {
    memchr::memmem::find_iter(text, b"</").find(|&at| {
        text[at + 2..]
            .get(..name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
    })
}

#[cfg(test)]
mod tests {
    use super::space_attributes;

    fn spaced(html: &str) -> String {
        String::from_utf8(space_attributes(html.as_bytes().to_vec())).unwrap()
    }

    #[test]
    fn a_quoted_value_is_followed_by_a_space_before_the_next_attribute() {
        assert_eq!(
            spaced(r#"<svg viewbox="0 0 24 24"width=16 class='a b'id=x>"#),
            r#"<svg viewbox="0 0 24 24" width=16 class='a b' id=x>"#
        );
        assert_eq!(spaced(r#"<a href="x y">t</a>"#), r#"<a href="x y">t</a>"#);
        assert_eq!(spaced(r#"<rect x="1"/>"#), r#"<rect x="1"/>"#);
    }

    #[test]
    fn text_comments_and_scripts_are_left_as_they_are() {
        let untouched = [
            r#"<p>He said "yes"and left</p>"#,
            r#"<!-- <a b="c"d> --><p>x</p>"#,
            r#"<script>if (a<b && c == "d"e) {}</script><p title="t"lang=en>"#,
            r#"<style>a[title="x"]b{}</style>"#,
            "<p>1 < 2 and 3 > 2</p>",
        ];
        assert_eq!(spaced(untouched[0]), untouched[0]);
        assert_eq!(spaced(untouched[1]), untouched[1]);
        assert_eq!(
            spaced(untouched[2]),
            r#"<script>if (a<b && c == "d"e) {}</script><p title="t" lang=en>"#
        );
        assert_eq!(spaced(untouched[3]), untouched[3]);
        assert_eq!(spaced(untouched[4]), untouched[4]);
    }
}
