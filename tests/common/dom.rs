//! Whether two HTML documents mean the same to a browser: both are parsed by html5ever, which
//! follows the HTML standard's parsing algorithm as browsers do, and must give the same
//! elements, with the same attributes, and the same text (issue 14).
//!
//! Only what a browser cannot show is left out of the comparison: comments, and whitespace
//! that CSS's default white-space processing drops anyway. Runs of whitespace count as one
//! space, and whitespace is dropped at the start and end of a block (an element that is not
//! inline by default, such as `p` or `li`) and beside one; inside `pre`, `textarea`, scripts
//! and styles every character counts. Attribute values always count to the character.

use scraper::node::Node;
use scraper::{Html, Selector};

/// The first difference between the documents `expected` and `actual`, as a browser
/// parses them; `None` when they are the same.
pub fn difference(expected: &str, actual: &str) -> Option<String> {
    let (expected, actual) = (outline(expected), outline(actual));
    let at = expected
        .iter()
        .zip(&actual)
        .position(|(e, a)| e != a)
        .or_else(|| (expected.len() != actual.len()).then(|| expected.len().min(actual.len())))?;
    let context =
        |lines: &[String]| lines[at.saturating_sub(3)..(at + 3).min(lines.len())].join("\n");
    Some(format!(
        "differs at node {at}:\n--- expected\n{}\n--- actual\n{}",
        context(&expected),
        context(&actual)
    ))
}

/// The document as one line per node, in document order: `<name attr="value">` for an
/// element (attributes sorted), `</name>` where it ends, its text with whitespace
/// normalised as a browser shows it.
pub fn outline(html: &str) -> Vec<String> {
    let document = Html::parse_document(html);
    let mut lines = Vec::new();
    walk(document.tree.root(), Whitespace::Collapse, &mut lines);
    lines
}

/// How whitespace in text counts inside an element.
#[derive(Clone, Copy, PartialEq)]
enum Whitespace {
    /// Every character (`pre`, `textarea`, scripts, styles).
    Preserve,
    /// Runs of it are one space.
    Collapse,
}

type NodeRef<'a> = ego_tree::NodeRef<'a, Node>;

fn walk(node: NodeRef, whitespace: Whitespace, lines: &mut Vec<String>) {
    let children = shown_children(node, whitespace);
    for child in &children {
        match child {
            Shown::Text(text) => lines.push(format!("{text:?}")),
            Shown::Node(child) => match child.value() {
                Node::Doctype(doctype) => lines.push(format!("<!DOCTYPE {}>", doctype.name())),
                Node::Element(element) => {
                    let name = element.name.local.to_string();
                    let namespace = element.name.ns.to_string();
                    let mut attributes: Vec<String> = element
                        .attrs
                        .iter()
                        .map(|(name, value)| format!(" {}={:?}", name.local, value.to_string()))
                        .collect();
                    attributes.sort();
                    lines.push(format!("<{namespace} {name}{}>", attributes.concat()));
                    if name == "noscript" {
                        noscript(*child, whitespace, lines);
                        lines.push(format!("</{name}>"));
                        continue;
                    }
                    let inner = if PRESERVING.contains(&name.as_str()) {
                        Whitespace::Preserve
                    } else {
                        whitespace
                    };
                    walk(*child, inner, lines);
                    lines.push(format!("</{name}>"));
                }
                _ => {}
            },
        }
    }
}

/// What a `noscript` element shows: parsed with script on, as browsers do, its content is
/// one text, which a minifier may rewrite; a browser without script shows that text parsed as
/// HTML, so it is compared parsed.
fn noscript(node: NodeRef, whitespace: Whitespace, lines: &mut Vec<String>) {
    let text: String = node
        .children()
        .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
        .collect();
    let shown = Html::parse_fragment(&text);
    walk(*shown.root_element(), whitespace, lines);
}

/// A child as the comparison sees it: an element or doctype, or text already normalised.
enum Shown<'a> {
    Node(NodeRef<'a>),
    Text(String),
}

/// The children of `node` that count: comments left out, adjacent text joined, whitespace
/// normalised and dropped where a browser drops it.
fn shown_children(node: NodeRef, whitespace: Whitespace) -> Vec<Shown> {
    let mut shown: Vec<Shown> = Vec::new();
    for child in node.children() {
        match child.value() {
            Node::Text(text) => match shown.last_mut() {
                Some(Shown::Text(last)) => last.push_str(text),
                _ => shown.push(Shown::Text(text.to_string())),
            },
            Node::Element(_) | Node::Doctype(_) => shown.push(Shown::Node(child)),
            _ => {}
        }
    }
    if whitespace == Whitespace::Preserve {
        return shown;
    }
    let parent_is_block = is_block(node);
    let blocks: Vec<Option<bool>> = shown
        .iter()
        .map(|s| match s {
            Shown::Node(n) => Some(is_block(*n)),
            Shown::Text(_) => None,
        })
        .collect();
    for (i, child) in shown.iter_mut().enumerate() {
        let Shown::Text(text) = child else { continue };
        let mut collapsed = collapse(text);
        // At the start or end of a block, or beside one, a browser drops the space.
        let before = if i == 0 {
            Some(parent_is_block)
        } else {
            blocks[i - 1]
        };
        let after = blocks.get(i + 1).copied().unwrap_or(Some(parent_is_block));
        if before == Some(true) {
            collapsed = collapsed.trim_start_matches(' ').to_string();
        }
        if after == Some(true) {
            collapsed = collapsed.trim_end_matches(' ').to_string();
        }
        *text = collapsed;
    }
    shown.retain(|s| !matches!(s, Shown::Text(t) if t.is_empty()));
    shown
}

/// Runs of ASCII whitespace as one space.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

/// Elements whose text is shown (or run) character for character.
const PRESERVING: &[&str] = &[
    "pre",
    "textarea",
    "listing",
    "plaintext",
    "xmp",
    "script",
    "style",
];

/// Elements that a browser's default style does not lay out inline (blocks, table parts,
/// list items, and what is not shown at all): whitespace beside them is not shown.
const BLOCKS: &[&str] = &[
    "html",
    "head",
    "body",
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "legend",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "optgroup",
    "option",
    "p",
    "plaintext",
    "pre",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "xmp",
    "base",
    "link",
    "meta",
    "noscript",
    "script",
    "style",
    "template",
    "title",
];

/// SVG elements whose text is shown: whitespace elsewhere in an SVG image is not.
const SVG_TEXT: &[&str] = &["text", "tspan", "textPath", "a"];

fn is_block(node: NodeRef) -> bool {
    match node.value() {
        Node::Element(element) => {
            let name = &*element.name.local;
            if &*element.name.ns == "http://www.w3.org/2000/svg" {
                !SVG_TEXT.contains(&name)
            } else {
                BLOCKS.contains(&name)
            }
        }
        // The document itself, and a doctype, are not inline.
        _ => true,
    }
}

/// Every way the page `html` could run script that the theme did not put there: an `on…`
/// attribute, a URL with a script-capable scheme (as a browser finds it), a script that is
/// not the theme's (its JSON-LD, `assets/programme.HASH.js`, `assets/agenda.HASH.js`,
/// `assets/offline.HASH.js`, `assets/search.HASH.js`), an element that loads or submits
/// something else (the theme's search forms, which send their words to the site's own search
/// page, aside).
pub fn script_capable(html: &str) -> Vec<String> {
    let document = Html::parse_document(html);
    let all = Selector::parse("*").expect("a selector");
    let mut found = Vec::new();
    for element in document.select(&all) {
        let element = element.value();
        let name = element.name();
        for (attribute, value) in element.attrs() {
            if attribute.to_ascii_lowercase().starts_with("on") {
                found.push(format!("<{name} {attribute}>"));
            }
            let takes_url = matches!(
                attribute,
                "href" | "src" | "action" | "formaction" | "data" | "poster" | "xlink:href"
            );
            if takes_url && runs_script(value) {
                found.push(format!("<{name} {attribute}={value:?}>"));
            }
        }
        let theme_script = element.attr("type") == Some("application/ld+json")
            || element.attr("src").is_some_and(|src| {
                let file = src.rsplit('/').next().unwrap_or_default();
                let theme_file = |name: &str| {
                    file.strip_prefix(name)
                        .and_then(|rest| rest.strip_suffix(".js"))
                        .is_some_and(|hash| {
                            hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
                        })
                };
                src.contains("assets/")
                    && ["programme.", "agenda.", "offline.", "search."]
                        .into_iter()
                        .any(theme_file)
            });
        let theme_form = name == "form"
            && element.attr("role") == Some("search")
            // A minifier drops `method="get"`, the default.
            && element
                .attr("method")
                .is_none_or(|method| method.eq_ignore_ascii_case("get"))
            && element.attr("action").is_some_and(|a| a.ends_with("/search/"));
        let elsewhere = [
            "iframe", "object", "embed", "base", "form", "frame", "frameset",
        ];
        if (name == "script" && !theme_script) || (elsewhere.contains(&name) && !theme_form) {
            found.push(format!("<{name}>"));
        }
        if name == "meta" && element.attr("http-equiv").is_some() {
            found.push("<meta http-equiv>".into());
        }
    }
    found
}

/// Whether a browser would run script from `url` (a link's or an image's).
fn runs_script(url: &str) -> bool {
    match majlis::links::scheme(url).as_deref() {
        Some("javascript" | "vbscript" | "livescript") => true,
        Some("data") => !majlis::links::is_safe_image(url),
        _ => false,
    }
}
