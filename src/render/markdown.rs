//! Markdown to HTML with pulldown-cmark.

use pulldown_cmark::{html, CowStr, Event, Options, Parser};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// Renders Markdown to HTML. Raw HTML in the Markdown is kept when `raw_html` is set (the
/// editor's choice), and shown as text otherwise.
pub fn to_html(markdown: &str, raw_html: bool) -> String {
    let parser = Parser::new_ext(markdown, options()).map(|event| match event {
        Event::Html(code) | Event::InlineHtml(code) if !raw_html => Event::Text(code),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
    out
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Markdown as plain text, for calendar descriptions: list items on their own lines, links as
/// their text.
pub fn to_text(markdown: &str) -> String {
    let mut out = String::new();
    let mut list_depth = 0usize;
    for event in Parser::new_ext(markdown, options()) {
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
    fn raw_html_is_text_when_switched_off() {
        assert_eq!(to_html("<b>x</b>", false), "<p>&lt;b&gt;x&lt;/b&gt;</p>\n");
        assert_eq!(to_html("<b>x</b>", true), "<p><b>x</b></p>\n");
    }

    #[test]
    fn plain_text_keeps_list_items_on_their_lines() {
        assert_eq!(
            to_text("Intro **bold**\n\n- one\n- two"),
            "Intro bold\n- one\n- two"
        );
    }
}
