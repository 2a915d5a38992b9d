//! The README and the pages of `docs/`, read as Markdown: their links, headings and code
//! blocks, for the tests that check the docs work as written.

use std::fs;
use std::path::{Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// A Markdown page of the repository.
pub struct Page {
    /// Relative to the repository's root, with `/`.
    pub path: String,
    pub text: String,
}

impl Page {
    /// The 1-based line of a byte offset of the page.
    pub fn line_of(&self, offset: usize) -> usize {
        self.text[..offset].matches('\n').count() + 1
    }

    fn parser(&self) -> impl Iterator<Item = (Event<'_>, std::ops::Range<usize>)> {
        Parser::new_ext(&self.text, Options::all()).into_offset_iter()
    }

    /// Every link and image target, with its line.
    pub fn links(&self) -> Vec<(usize, String)> {
        self.parser()
            .filter_map(|(event, range)| match event {
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    Some((self.line_of(range.start), dest_url.to_string()))
                }
                _ => None,
            })
            .collect()
    }

    /// The anchors of the page's headings, as GitHub makes them.
    pub fn anchors(&self) -> Vec<String> {
        let mut anchors: Vec<String> = Vec::new();
        let mut heading: Option<String> = None;
        for (event, _) in self.parser() {
            match event {
                Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
                Event::Text(text) | Event::Code(text) => {
                    if let Some(heading) = &mut heading {
                        heading.push_str(&text);
                    }
                }
                Event::End(TagEnd::Heading(_)) => {
                    let slug = slug(&heading.take().unwrap_or_default());
                    // A second heading of the same text gets `-1`, a third `-2` …
                    let same = anchors
                        .iter()
                        .filter(|a| **a == slug || a.starts_with(&format!("{slug}-")))
                        .count();
                    anchors.push(if same == 0 {
                        slug
                    } else {
                        format!("{slug}-{same}")
                    });
                }
                _ => {}
            }
        }
        anchors
    }

    /// Every fenced code block.
    pub fn blocks(&self) -> Vec<Block> {
        let mut blocks = Vec::new();
        let mut open: Option<Block> = None;
        for (event, range) in self.parser() {
            match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                    let mut words = info.split_whitespace();
                    let lang = words.next().unwrap_or_default().to_string();
                    let attributes = words
                        .map(|word| match word.split_once('=') {
                            Some((key, value)) => (key.to_string(), Some(value.to_string())),
                            None => (word.to_string(), None),
                        })
                        .collect();
                    open = Some(Block {
                        line: self.line_of(range.start),
                        lang,
                        attributes,
                        text: String::new(),
                    });
                }
                Event::Text(text) => {
                    if let Some(block) = &mut open {
                        block.text.push_str(&text);
                    }
                }
                Event::End(TagEnd::CodeBlock) => blocks.extend(open.take()),
                _ => {}
            }
        }
        blocks
    }
}

/// A fenced code block: ```` ```LANG KEY=VALUE WORD ````.
#[derive(Debug, Clone)]
pub struct Block {
    /// The line of its opening fence.
    pub line: usize,
    pub lang: String,
    pub attributes: Vec<(String, Option<String>)>,
    pub text: String,
}

impl Block {
    /// The value of `key=VALUE`.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.as_deref())
    }

    /// Whether the bare word is given.
    pub fn has(&self, word: &str) -> bool {
        self.attributes
            .iter()
            .any(|(k, v)| k == word && v.is_none())
    }
}

/// The anchor GitHub gives a heading: lowercase, punctuation dropped (but `-` and `_`),
/// each space a `-`.
pub fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The repository's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The README and every page under `docs/`.
pub fn pages() -> Vec<Page> {
    let root = root();
    let mut paths = vec![root.join("README.md")];
    let mut folders = vec![root.join("docs")];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).expect("docs/").flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| Page {
            text: fs::read_to_string(&path).expect("a page"),
            path: relative(&path, &root),
        })
        .collect()
}

/// `path` relative to `root`, with `/`.
pub fn relative(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
        .replace('\\', "/")
}

/// Whether `text` is written by `pattern`, where `…` stands for any value; backticks are not
/// compared (a message's code spans cannot be written inside the docs' own), nor how many
/// spaces stand between two words.
pub fn matches(pattern: &str, text: &str) -> bool {
    let plain = |s: &str| {
        s.replace('`', "")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (pattern, text) = (plain(pattern), plain(text));
    let parts: Vec<&str> = pattern.split('…').collect();
    let (first, rest) = parts.split_first().expect("split gives one part at least");
    let Some(mut remaining) = text.strip_prefix(first) else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return remaining.is_empty();
    };
    for part in middle {
        match remaining.find(part) {
            Some(at) => remaining = &remaining[at + part.len()..],
            None => return false,
        }
    }
    remaining.len() >= last.len() && remaining.ends_with(last)
}
