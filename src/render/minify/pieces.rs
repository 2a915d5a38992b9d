//! A large page minified in pieces, to the same bytes as minified whole.
//!
//! minify-html builds a tree of the page before writing it out again: for the programme page
//! of a large event (15 MB of HTML) that tree was most of a build's peak memory. Here the page
//! is cut into its largest elements of at most [`MAX_PIECE`] bytes; each is minified on its own
//! and the rest of the page (the shell) with an empty element of the same name in the place of
//! each, which is then replaced by the piece. No crate does this (minify-html has no streaming
//! mode), and it rests on how minify-html minifies an element: its tags and content are made
//! from its own bytes, its name, whether it is in SVG or in a `<pre>`, and, for its end tag
//! alone, what follows it. So a piece is only ever an element
//!
//! - that ends with its own end tag, every element inside it closed by its own end tag too
//!   (a page whose tags do not pair up is minified whole);
//! - whose tags minify-html never leaves out (not `p`, `li`, `td`…: whether those are written
//!   depends on what follows);
//! - in HTML, outside any `<svg>` and `<pre>`, and not text itself (`script`, `style`,
//!   `textarea`, `title`);
//! - holding no `html`, `head` or `body` tag (which minify-html takes once per page).
//!
//! `tests` below checks, on every page of the example and of the test sites, that the pages
//! minified in pieces of many sizes are the bytes of the pages minified whole.

use std::hash::{BuildHasher, RandomState};
use std::ops::Range;

use memchr::memmem;

/// The most bytes of HTML minified at once: a piece's tree is about ten times its size.
pub(super) const MAX_PIECE: usize = 64 * 1024;

/// Pieces smaller than this stay in the shell: each costs a minify-html call and a
/// placeholder.
const MIN_PIECE: usize = 512;

/// Elements whose start or end tag minify-html can leave out.
const OMISSIBLE: &[&[u8]] = &[
    b"html",
    b"head",
    b"body",
    b"li",
    b"dt",
    b"dd",
    b"p",
    b"rt",
    b"rp",
    b"optgroup",
    b"option",
    b"colgroup",
    b"caption",
    b"thead",
    b"tbody",
    b"tfoot",
    b"tr",
    b"td",
    b"th",
];

/// Elements without content or end tag.
const VOID: &[&[u8]] = &[
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"keygen", b"link",
    b"meta", b"param", b"source", b"track", b"wbr",
];

/// Elements whose content is text up to their end tag, as minify-html reads them.
const TEXT: &[&[u8]] = &[b"script", b"style", b"textarea", b"title"];

/// `html` minified by `minify`, in pieces when it is larger than `max_piece` (see the module's
/// text); whole when it cannot be cut.
pub(super) fn minify(html: &[u8], max_piece: usize, minify: impl Fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
    if html.len() <= max_piece {
        return minify(html);
    }
    let Some(pieces) = pieces(html, max_piece) else {
        return minify(html);
    };
    // A name no page can hold: the placeholders are found by it, and only they have it.
    let nonce = format!(
        "data-majlis-piece-{:016x}=",
        RandomState::new().hash_one(html.len())
    );
    if pieces.is_empty() || memmem::find(html, nonce.as_bytes()).is_some() {
        return minify(html);
    }
    let mut shell = Vec::with_capacity(html.len() / 4);
    let mut at = 0;
    for (k, piece) in pieces.iter().enumerate() {
        shell.extend_from_slice(&html[at..piece.range.start]);
        let name = &piece.name;
        shell.extend_from_slice(format!("<{name} {nonce}{k}></{name}>").as_bytes());
        at = piece.range.end;
    }
    shell.extend_from_slice(&html[at..]);
    let shell = minify(&shell);
    let mut out = Vec::with_capacity(html.len());
    let mut rest = &shell[..];
    for (k, piece) in pieces.iter().enumerate() {
        let placeholder = format!("<{} {nonce}{k}></{}>", piece.name, piece.name);
        let Some(found) = memmem::find(rest, placeholder.as_bytes()) else {
            return minify(html);
        };
        out.extend_from_slice(&rest[..found]);
        out.extend_from_slice(&minify(&html[piece.range.clone()]));
        rest = &rest[found + placeholder.len()..];
    }
    if memmem::find(rest, nonce.as_bytes()).is_some() {
        return minify(html);
    }
    out.extend_from_slice(rest);
    out
}

/// An element cut out of a page.
#[derive(Debug, PartialEq)]
struct Piece {
    /// Its lower-case name.
    name: String,
    /// From its start tag's `<` to its end tag's `>`.
    range: Range<usize>,
}

/// An element open at the place the page is read to.
struct Open {
    name: Vec<u8>,
    start: usize,
    /// Whether it can be a piece, as far as what is around it and in it goes.
    cuttable: bool,
    /// Whether what is in it can be a piece: it is neither `svg` nor `pre`, nor in one.
    inside_cuttable: bool,
    /// Whether it is `svg` or in one, where a tag can close itself (`<path/>`).
    svg: bool,
}

/// The pieces to cut `html` into, in order; none when its tags do not pair up or it holds
/// something this reading does not know (then it is minified whole).
fn pieces(html: &[u8], max_piece: usize) -> Option<Vec<Piece>> {
    let mut open: Vec<Open> = Vec::new();
    let mut pieces: Vec<Piece> = Vec::new();
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &html[at..]) {
        let start = at + found;
        let rest = &html[start..];
        if rest.starts_with(b"<!--") {
            at = start + 4 + memmem::find(&rest[4..], b"-->")? + 3;
            continue;
        }
        if rest.len() >= 9 && rest[..9].eq_ignore_ascii_case(b"<!doctype") {
            at = start + memchr::memchr(b'>', rest)? + 1;
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            return None;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        let name_len = html[name_start..]
            .iter()
            .take_while(|&&c| c.is_ascii_alphanumeric() || c == b':' || c == b'-')
            .count();
        if name_len == 0 {
            if closing {
                // minify-html drops a `</` without a name, up to the next `>`.
                return None;
            }
            at = start + 1;
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let (end, self_closing) = tag_end(html, name_start + name_len)?;
        at = end;
        if matches!(name.as_slice(), b"html" | b"head" | b"body") {
            for element in &mut open {
                element.cuttable = false;
            }
        }
        if closing {
            let element = open.pop()?;
            if element.name != name {
                return None;
            }
            let range = element.start..end;
            if element.cuttable && range.len() <= max_piece {
                // Its own pieces are in it: it replaces them.
                while pieces.last().is_some_and(|p| p.range.start > element.start) {
                    pieces.pop();
                }
                pieces.push(Piece {
                    name: String::from_utf8(name).ok()?,
                    range,
                });
            }
            continue;
        }
        let inside = open.last().is_none_or(|parent| parent.inside_cuttable);
        let svg = name == b"svg" || open.last().is_some_and(|parent| parent.svg);
        // In HTML, `<span/>` opens a span, as a browser reads it.
        if VOID.contains(&name.as_slice()) || (self_closing && svg) {
            continue;
        }
        // In SVG, only a script and a style are text (minify-html's reading).
        if TEXT.contains(&name.as_slice())
            && (!svg || matches!(name.as_slice(), b"script" | b"style"))
        {
            let close = [b"</".as_slice(), &name].concat();
            let text_end = find_ignoring_case(&html[at..], &close)?;
            at += text_end;
        }
        open.push(Open {
            cuttable: inside
                && !OMISSIBLE.contains(&name.as_slice())
                && !TEXT.contains(&name.as_slice()),
            inside_cuttable: inside && name != b"svg" && name != b"pre",
            svg,
            name,
            start,
        });
    }
    if !open.is_empty() {
        return None;
    }
    pieces.retain(|p| p.range.len() >= MIN_PIECE);
    Some(pieces)
}

/// Where the tag whose name ends at `at` ends (after its `>`), and whether it ends with `/>`,
/// read as minify-html reads a tag's attributes: a name up to a space, `/`, `=` or `>`, and
/// a value quoted or up to a space or `>`.
fn tag_end(html: &[u8], mut at: usize) -> Option<(usize, bool)> {
    let space = |c: u8| matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ');
    loop {
        let mut last = None;
        while let Some(&c) = html.get(at).filter(|&&c| space(c) || c == b'/') {
            last = Some(c);
            at += 1;
        }
        match html.get(at)? {
            b'>' => return Some((at + 1, last == Some(b'/'))),
            _ => at += 1,
        }
        while html
            .get(at)
            .is_some_and(|&c| !space(c) && !matches!(c, b'/' | b'=' | b'>'))
        {
            at += 1;
        }
        while html.get(at).is_some_and(|&c| space(c)) {
            at += 1;
        }
        if html.get(at) != Some(&b'=') {
            continue;
        }
        at += 1;
        while html.get(at).is_some_and(|&c| space(c)) {
            at += 1;
        }
        match html.get(at) {
            Some(&quote @ (b'"' | b'\'')) => {
                at += 1 + memchr::memchr(quote, &html[at + 1..])? + 1;
            }
            _ => {
                while html.get(at).is_some_and(|&c| !space(c) && c != b'>') {
                    at += 1;
                }
            }
        }
    }
}

/// Where `needle` (ASCII) first is in `haystack`, in any case.
fn find_ignoring_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(html: &[u8]) -> Vec<u8> {
        super::super::minified(html)
    }

    #[test]
    fn the_largest_elements_that_fit_are_the_pieces() {
        let session = format!(
            "<article id=a><h3>T</h3><p>{}</p></article>",
            "x".repeat(600)
        );
        let page = format!("<main><ul><li>{session}</li><li>{session}</li></ul></main>");
        let pieces = pieces(page.as_bytes(), 1000).unwrap();
        let names: Vec<&str> = pieces.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["article", "article"]);
        let first = &pieces[0].range;
        assert_eq!(&page.as_bytes()[first.clone()], session.as_bytes());
    }

    #[test]
    fn a_page_whose_tags_do_not_pair_up_is_not_cut() {
        let text = "y".repeat(700);
        for page in [
            format!("<div><span>{text}</div>"),
            format!("<div>{text}</span></div>"),
            format!("<div>{text}<!-- open"),
            format!("<div>{text}<? instruction ?></div>"),
        ] {
            assert_eq!(pieces(page.as_bytes(), 100), None, "{page}");
            assert_eq!(minify(page.as_bytes(), 100, whole), whole(page.as_bytes()));
        }
    }

    #[test]
    fn nothing_is_cut_inside_svg_pre_or_text_nor_around_html_and_body() {
        let text = "z ".repeat(400);
        for page in [
            format!("<svg><g><text>{text}</text></g></svg>"),
            format!("<pre><span>{text}</span>\n  </pre>"),
            format!("<script><div>{text}</div></script>"),
        ] {
            let cut = pieces(page.as_bytes(), 100_000).unwrap();
            assert!(
                cut.iter().all(|p| p.name == "svg" || p.name == "pre"),
                "{page}: {cut:?}"
            );
        }
        let page = format!("<div><span>{text}<head></head></span></div>");
        assert_eq!(pieces(page.as_bytes(), 100_000), Some(Vec::new()));
    }

    #[test]
    fn a_tag_closes_itself_only_in_svg() {
        let text = "v ".repeat(400);
        // The span stays open to the end of the page, as minify-html reads it: nothing
        // after it is cut, since its end tag never comes.
        let page = format!("<pre><span/></pre><div><b>{text}</b></div>");
        assert_eq!(pieces(page.as_bytes(), 100_000), None);
        assert_eq!(minify(page.as_bytes(), 700, whole), whole(page.as_bytes()));
        let page = format!("<svg><path d=\"M0 0\"/><title>{text}</title></svg><div>{text}</div>");
        let cut = pieces(page.as_bytes(), 100_000).unwrap();
        assert_eq!(
            cut.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
            ["svg", "div"]
        );
    }

    #[test]
    fn attributes_with_angle_brackets_and_quotes_do_not_end_a_tag() {
        let text = "w".repeat(700);
        let page =
            format!("<div title='a > b' data-x=\"</div>\" data-y=c/d><span>{text}</span></div>");
        let cut = pieces(page.as_bytes(), 100_000).unwrap();
        assert_eq!(cut.len(), 1);
        assert_eq!(cut[0].range, 0..page.len());
        assert_eq!(minify(page.as_bytes(), 800, whole), whole(page.as_bytes()));
    }

    /// The pages of the site at `root` as rendered, not minified: the site copied into a
    /// folder of its own, its configuration's `minify` turned off.
    fn pages_unminified(root: &std::path::Path) -> Vec<(String, Vec<u8>)> {
        let copy = tempfile::tempdir().unwrap();
        let skipped = ["target", "public", "tests", "fuzz"];
        let walk = walkdir::WalkDir::new(root).into_iter().filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !(name.starts_with('.') || skipped.contains(&name.as_ref()))
        });
        for entry in walk {
            let entry = entry.unwrap();
            let to = copy.path().join(entry.path().strip_prefix(root).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        let config = copy.path().join(crate::config::CONFIG_FILE);
        let text = std::fs::read_to_string(&config).unwrap();
        let text: String = text
            .lines()
            .filter(|l| !l.starts_with("minify:"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&config, text + "minify: false\n").unwrap();
        let built = crate::pipeline::build(copy.path(), &Default::default()).unwrap();
        built
            .output
            .iter()
            .filter(|(path, _)| path.ends_with(".html"))
            .map(|(path, bytes)| (path.to_string(), bytes.to_vec()))
            .collect()
    }

    #[test]
    fn every_page_of_the_example_and_the_test_sites_minifies_in_pieces_to_its_bytes_whole() {
        let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut roots = vec![manifest.to_path_buf()];
        for entry in std::fs::read_dir(manifest.join("tests/sites")).unwrap() {
            roots.push(entry.unwrap().path());
        }
        let mut cut = 0;
        for root in roots {
            for (path, page) in pages_unminified(&root) {
                let expected = whole(&page);
                for size in [600, 2_000, 16_000, MAX_PIECE] {
                    cut += usize::from(pieces(&page, size).is_some_and(|p| !p.is_empty()));
                    assert!(
                        minify(&page, size, whole) == expected,
                        "{}: {path} in pieces of {size} bytes differs from it minified whole",
                        root.display()
                    );
                }
            }
        }
        // The pages are cut, not minified whole because they could not be.
        assert!(cut > 100, "only {cut} pages were cut into pieces");
    }

    /// A page made of random pieces of HTML, well formed or not: tags the minifier treats
    /// apart (omissible, void, text, SVG, `pre`), attributes quoted and not, comments,
    /// spaces and stray brackets.
    fn random_page(seed: &mut u64) -> String {
        let mut next = |n: usize| {
            *seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (*seed >> 33) as usize % n
        };
        let names = [
            "div", "span", "p", "li", "ul", "a", "b", "pre", "svg", "path", "title", "script",
            "textarea", "td", "tr", "table", "br", "img", "article", "section", "body", "i",
        ];
        let bits = [
            " ",
            "  \n ",
            "text",
            "a < b",
            "&amp;",
            "x&gt;y",
            "<!-- c -->",
            "é ش",
            "/>",
            ">",
        ];
        let mut page = String::new();
        let mut open: Vec<&str> = Vec::new();
        for _ in 0..600 {
            // In text (a script, a title), only text and its end tag.
            let in_text = open
                .last()
                .is_some_and(|name| ["script", "title", "textarea"].contains(name));
            match next(10) {
                0..=3 if in_text => page += "text",
                0..=3 => {
                    let name = names[next(names.len())];
                    let attribute = match next(5) {
                        0 => " class=\"a b\"",
                        1 => " title='x > y'",
                        2 => " data-x=y/",
                        3 => " hidden",
                        _ => "",
                    };
                    let close = if next(8) == 0 { "/>" } else { ">" };
                    page += &format!("<{name}{attribute}{close}");
                    // Void, or closed by itself in SVG: no end tag to come.
                    let in_svg = name == "svg" || open.contains(&"svg");
                    if !(VOID.contains(&name.as_bytes()) || (close == "/>" && in_svg)) {
                        open.push(name);
                    }
                }
                4..=6 => {
                    if let Some(name) = open.pop() {
                        page += &format!("</{name}>");
                    }
                }
                _ => page += bits[next(bits.len())],
            }
        }
        while let Some(name) = open.pop() {
            if next(6) != 0 {
                page += &format!("</{name}>");
            }
        }
        page
    }

    #[test]
    fn random_pages_minify_in_pieces_to_their_bytes_whole() {
        let mut seed = 29;
        let mut cut = 0;
        for _ in 0..1000 {
            let page = random_page(&mut seed);
            let expected = whole(page.as_bytes());
            for size in [600, 1_500, 4_000] {
                cut += usize::from(pieces(page.as_bytes(), size).is_some_and(|p| !p.is_empty()));
                assert!(
                    minify(page.as_bytes(), size, whole) == expected,
                    "in pieces of {size} bytes:\n{page}"
                );
            }
        }
        assert!(cut > 50, "only {cut} random pages were cut");
    }
}
