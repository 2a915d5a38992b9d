//! Markdown to HTML with pulldown-cmark.

use std::borrow::Cow;

use pulldown_cmark::{html, CowStr, Event, Options, Parser};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// Renders Markdown to HTML. Raw HTML in the Markdown is kept when `raw_html` is set (the
/// editor's choice), and shown as text otherwise.
pub fn to_html(markdown: &str, raw_html: bool) -> String {
    let markdown = &*without_nul(markdown);
    let parser = Parser::new_ext(markdown, options()).map(|event| match event {
        Event::Html(code) | Event::InlineHtml(code) if !raw_html => Event::Text(code),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
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

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
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
pub fn to_text(markdown: &str) -> String {
    let mut out = String::new();
    let mut list_depth = 0usize;
    for event in Parser::new_ext(&without_nul(markdown), options()) {
        use pulldown_cmark::{Tag, TagEnd};
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
        assert_eq!(to_html("a\0b", true), "<p>a\u{fffd}b</p>\n");
        assert_eq!(to_html("<b>\0</b>", true), "<p><b>\u{fffd}</b></p>\n");
        assert_eq!(to_text("a\0b"), "a\u{fffd}b");
    }

    #[test]
    fn raw_html_is_text_when_switched_off() {
        assert_eq!(to_html("<b>x</b>", false), "<p>&lt;b&gt;x&lt;/b&gt;</p>\n");
        assert_eq!(to_html("<b>x</b>", true), "<p><b>x</b></p>\n");
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
}
