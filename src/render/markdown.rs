//! Markdown to HTML with pulldown-cmark.

use std::borrow::Cow;

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::links;

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// Marks HTML that holds raw HTML written by an editor, at its start: a page that holds it
/// is not minified (see `minify`), since no minifier reads HTML that may be broken as a
/// browser does.
pub(crate) const RAW_HTML_MARK: &str = "<!--raw HTML-->";

/// Renders Markdown to HTML. Raw HTML in the Markdown is kept when `raw_html` is set (the
/// editor's choice), after [`RAW_HTML_MARK`], and shown as text otherwise. A link or an
/// image whose URL could run script (`javascript:`, see [`links`]) is never published as
/// one: its text is shown instead, an image's description as text. With `rtl` (text in a
/// right-to-left language) its Latin codes are kept whole ([`codes_kept_whole`]).
pub(crate) fn to_html(markdown: &str, raw_html: bool, rtl: bool) -> String {
    let markdown = &*without_nul(markdown);
    // For each link or image open, whether it is left out (an image can be inside a link).
    let mut left_out: Vec<bool> = Vec::new();
    let mut holds_raw_html = false;
    let parser = Parser::new_ext(markdown, options()).filter_map(|event| match event {
        Event::Html(code) | Event::InlineHtml(code) if !raw_html => Some(Event::Text(code)),
        Event::Html(_) | Event::InlineHtml(_) => {
            holds_raw_html = true;
            Some(event)
        }
        Event::Start(Tag::Link { ref dest_url, .. }) => {
            left_out.push(!links::is_safe_link(dest_url));
            left_out.last().is_some_and(|out| !out).then_some(event)
        }
        Event::Start(Tag::Image { ref dest_url, .. }) => {
            left_out.push(!links::is_safe_image(dest_url));
            left_out.last().is_some_and(|out| !out).then_some(event)
        }
        Event::End(TagEnd::Link | TagEnd::Image) => {
            (!left_out.pop().unwrap_or(false)).then_some(event)
        }
        Event::Text(text) if rtl => Some(Event::Text(kept_whole(text))),
        Event::Code(text) if rtl => Some(Event::Code(kept_whole(text))),
        other => Some(other),
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
    if holds_raw_html {
        out.insert_str(0, RAW_HTML_MARK);
    }
    out
}

/// CommonMark §2.3: "the character U+0000 must be replaced with the replacement character
/// (U+FFFD)", which pulldown-cmark leaves to its caller; a NUL would reach the page as it is.
fn without_nul(markdown: &str) -> Cow<'_, str> {
    if markdown.contains('\0') {
        Cow::Owned(markdown.replace('\0', "\u{fffd}"))
    } else {
        Cow::Borrowed(markdown)
    }
}

/// Latin codes and acronyms with a hyphen ("OIC-PESNET", "COVID-19") kept on one line: a
/// WORD JOINER (U+2060, no break on either side, drawn as nothing) after each hyphen between
/// two Latin letters or digits. Inside a right-to-left line a break there would show the
/// hyphen at the far end of the first half ("-OIC" ending one line, "PESNET" starting the
/// next); the joiner leaves the browser free to break a word too long for the line anywhere
/// (`overflow-wrap: anywhere`), which a `nowrap` element would not. For HTML content only:
/// attributes and plain text keep the text as written.
pub(crate) fn codes_kept_whole(text: &str) -> Cow<'_, str> {
    let latin = |c: char| c.is_ascii_alphanumeric() || ('\u{00C0}'..='\u{024F}').contains(&c);
    let chars: Vec<char> = text.chars().collect();
    let joins = |i: usize| {
        chars[i] == '-'
            && i > 0
            && latin(chars[i - 1])
            && chars.get(i + 1).copied().is_some_and(latin)
    };
    if !(0..chars.len()).any(joins) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        out.push(c);
        if joins(i) {
            out.push('\u{2060}');
        }
    }
    Cow::Owned(out)
}

fn kept_whole(text: CowStr<'_>) -> CowStr<'_> {
    match codes_kept_whole(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(joined) => joined.into(),
    }
}

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let special = |b: u8| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    // Runs without a special character are copied whole (they are split at ASCII bytes only,
    // so on character boundaries).
    while let Some(at) = rest.bytes().position(special) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out
}

/// Markdown as plain text, for calendar descriptions: list items on their own lines, links as
/// their text.
pub(crate) fn to_text(markdown: &str) -> String {
    let mut out = String::new();
    let mut list_depth = 0usize;
    for event in Parser::new_ext(&without_nul(markdown), options()) {
        match event {
            Event::Start(Tag::List(_)) => list_depth += 1,
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Item) => {
                push_line_break(&mut out);
                out.push_str(&"  ".repeat(list_depth.saturating_sub(1)));
                out.push_str("- ");
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_)) => {
                push_line_break(&mut out);
            }
            Event::Start(Tag::Paragraph | Tag::Heading { .. }) if list_depth == 0 => {
                push_line_break(&mut out);
            }
            Event::Text(text) | Event::Code(text) => out.push_str(&text),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::Html(CowStr::Borrowed(_)) => {}
            _ => {}
        }
    }
    out.trim().to_string()
}

fn push_line_break(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_becomes_the_replacement_character_in_text_and_in_raw_html() {
        assert_eq!(to_html("a\0b", true, false), "<p>a\u{fffd}b</p>\n");
        assert_eq!(
            to_html("<b>\0</b>", true, false),
            format!("{RAW_HTML_MARK}<p><b>\u{fffd}</b></p>\n")
        );
        assert_eq!(to_text("a\0b"), "a\u{fffd}b");
    }

    #[test]
    fn raw_html_is_text_when_switched_off() {
        assert_eq!(
            to_html("<b>x</b>", false, false),
            "<p>&lt;b&gt;x&lt;/b&gt;</p>\n"
        );
        assert_eq!(
            to_html("<b>x</b>", true, false),
            "<!--raw HTML--><p><b>x</b></p>\n"
        );
    }

    #[test]
    fn links_and_images_that_could_run_script_are_shown_as_text() {
        for markdown in [
            "[click](javascript:alert(1))",
            "[click](JavaScript:alert(1))",
            "[click](&#106;avascript&#58;alert(1))",
            "[click](javascript&colon;alert(1))",
            "[click](<java\tscript:alert(1)>)",
            "[click][ref]\n\n[ref]: vbscript:msgbox(1)",
            "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "<javascript:alert(1)>",
        ] {
            let html = to_html(markdown, false, false);
            let scheme_kept = html.contains("href=\"javascript")
                || html.contains("href=\"vbscript")
                || html.contains("href=\"data");
            assert!(!scheme_kept, "{markdown}: {html}");
            if markdown.starts_with('[') {
                assert!(!html.contains("<a"), "{markdown}: {html}");
                assert!(html.contains("click"), "{markdown}: {html}");
            }
        }
        for markdown in [
            "![a photo](javascript:alert(1))",
            "![a photo](data:image/svg+xml,<svg onload=alert(1)>)",
            "![a photo](data:text/html,x)",
        ] {
            let html = to_html(markdown, true, false);
            assert!(!html.contains("<img"), "{markdown}: {html}");
            assert!(html.contains("a photo"), "{markdown}: {html}");
        }
        let linked = to_html("[![logo](logo.png)](javascript:x)", false, false);
        assert!(!linked.contains("<a") && linked.contains("<img src=\"logo.png\""));
    }

    #[test]
    fn links_and_images_to_the_web_mail_and_the_site_are_kept() {
        assert_eq!(
            to_html(
                "[a](https://example.org/) [b](mailto:x@example.org) [c](../programme/#x)",
                false,
                false
            ),
            "<p><a href=\"https://example.org/\">a</a> <a href=\"mailto:x@example.org\">b</a> \
             <a href=\"../programme/#x\">c</a></p>\n"
        );
        assert!(to_html("![dot](data:image/png;base64,AAAA)", false, false).contains("<img"));
        assert!(to_html("<https://example.org>", false, false).contains("<a href"));
        // A percent-encoded space is not stripped by a browser: this is a relative URL.
        assert!(to_html("[x](%20javascript:alert(1))", false, false).contains("<a href"));
    }

    #[test]
    fn text_is_escaped_for_html_and_nothing_else_changes() {
        assert_eq!(
            escape(r#"Tom & "Jerry" <b>'s</b> ../en/ — ممتاز"#),
            "Tom &amp; &quot;Jerry&quot; &lt;b&gt;&#39;s&lt;/b&gt; ../en/ — ممتاز"
        );
        assert_eq!(escape(""), "");
        assert_eq!(escape("&"), "&amp;");
    }

    #[test]
    fn plain_text_keeps_list_items_on_their_lines() {
        assert_eq!(
            to_text("Intro **bold**\n\n- one\n- two"),
            "Intro bold\n- one\n- two"
        );
    }

    #[test]
    fn latin_codes_are_kept_whole_in_right_to_left_text_only() {
        let wj = '\u{2060}';
        assert_eq!(
            codes_kept_whole("شبكة OIC-PESNET و COVID-19"),
            format!("شبكة OIC-{wj}PESNET و COVID-{wj}19")
        );
        // A hyphen that joins no two Latin letters or digits is left alone.
        for text in ["- item", "a -b", "a- b", "عربي-عربي", "10 -20", "-x", "x-"] {
            assert_eq!(codes_kept_whole(text), text);
        }
        assert_eq!(
            to_html("[OIC-PESNET](https://a-b.org) `X-1`", false, true),
            format!("<p><a href=\"https://a-b.org\">OIC-{wj}PESNET</a> <code>X-{wj}1</code></p>\n")
        );
        assert!(!to_html("OIC-PESNET", false, false).contains(wj));
    }
}
