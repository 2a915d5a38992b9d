//! The theme's static files as the site publishes them (issue 23): its stylesheets, scripts,
//! fonts and images under names that carry a hash of their bytes
//! (`assets/style.0f3c9e1a2b4d6c8e.css`), so that a host and the service worker may keep them
//! for good, and a new version of a file is a new name. A stylesheet's `url()`s that name
//! other files of the theme are rewritten to their published names before it is hashed, so
//! that its own name changes with theirs. Any other file (a licence) keeps its name.
//!
//! The `url()`s are found by hand: a stylesheet's references are `url(…)` tokens with an
//! optional quote, and a CSS parser would bring a dependency for the one token.

use std::collections::{BTreeMap, BTreeSet};

use xxhash_rust::xxh3::xxh3_128;

use super::routes;
use crate::links;

/// The files named by their content, by extension: what a page loads.
const HASHED: [&str; 16] = [
    "css", "js", "mjs", "woff", "woff2", "ttf", "otf", "eot", "svg", "png", "jpg", "jpeg", "gif",
    "webp", "avif", "ico",
];

/// A file of the theme's `static/` folder, as published.
pub(crate) struct Asset {
    /// Its path from the site's root, encoded for a URL: `assets/style.0f3c9e1a2b4d6c8e.css`.
    pub(crate) path: String,
    /// Its bytes, a stylesheet's with its references rewritten.
    pub(crate) bytes: Vec<u8>,
    /// Whether its name carries the hash of its bytes.
    pub(crate) hashed: bool,
}

/// Every file of the theme's `static/` folder (by its path there) as published.
pub(crate) fn publish(statics: BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Asset> {
    let mut naming = Naming {
        sources: statics,
        done: BTreeMap::new(),
        pending: BTreeSet::new(),
    };
    let names: Vec<String> = naming.sources.keys().cloned().collect();
    for name in &names {
        naming.name(name);
    }
    naming.done
}

/// The files still to name, and those named.
struct Naming {
    sources: BTreeMap<String, Vec<u8>>,
    done: BTreeMap<String, Asset>,
    /// The stylesheets being named, whose references are being named first: a stylesheet
    /// met again here imports itself, and the reference keeps its name.
    pending: BTreeSet<String>,
}

impl Naming {
    /// Names the file `name` (and first the files it refers to); its published file name.
    fn name(&mut self, name: &str) -> Option<String> {
        if let Some(asset) = self.done.get(name) {
            return Some(file_name(&asset.path).to_string());
        }
        if self.pending.contains(name) {
            return None;
        }
        let mut bytes = self.sources.remove(name)?;
        let extension = extension(name);
        if extension.as_deref() == Some("css") {
            self.pending.insert(name.to_string());
            bytes = self.rewrite(name, &bytes);
            self.pending.remove(name);
        }
        let hashed = extension.is_some_and(|e| HASHED.contains(&e.as_str()));
        let published = if hashed {
            with_hash(name, &bytes)
        } else {
            name.to_string()
        };
        let path = routes::asset(&links::encode_path(&published));
        let file = file_name(&path).to_string();
        self.done.insert(
            name.to_string(),
            Asset {
                path,
                bytes,
                hashed,
            },
        );
        Some(file)
    }

    /// The stylesheet `name`'s bytes with each `url()` naming a file of the theme written
    /// with that file's published name.
    fn rewrite(&mut self, name: &str, css: &[u8]) -> Vec<u8> {
        let Ok(text) = std::str::from_utf8(css) else {
            return css.to_vec();
        };
        let folder = name.rsplit_once('/').map_or("", |(folder, _)| folder);
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some((before, reference, after)) = next_url(rest) {
            out.push_str(before);
            let target = resolve(folder, reference);
            match target.and_then(|target| self.name(&target)) {
                Some(published) => {
                    // The reference's own folders stay: only its file's name changes.
                    let path_end = reference.find(['?', '#']).unwrap_or(reference.len());
                    let start = reference[..path_end].rfind('/').map_or(0, |i| i + 1);
                    out.push_str(&reference[..start]);
                    out.push_str(&published);
                    out.push_str(&reference[path_end..]);
                }
                None => out.push_str(reference),
            }
            rest = after;
        }
        out.push_str(rest);
        out.into_bytes()
    }
}

/// The next `url(…)` of a stylesheet: the text before its reference, the reference (quotes
/// excluded), and the text from its end.
fn next_url(text: &str) -> Option<(&str, &str, &str)> {
    let mut from = 0;
    loop {
        let at = from + find_ignoring_case(&text[from..], "url(")?;
        let open = at + 4;
        let inner = &text[open..];
        let skipped = inner.len() - inner.trim_start().len();
        let start = open + skipped;
        let (start, end) = match text[start..].chars().next() {
            Some(quote @ ('"' | '\'')) => {
                let end = text[start + 1..].find(quote).map(|e| start + 1 + e);
                (start + 1, end)
            }
            _ => (start, text[start..].find(')').map(|e| start + e)),
        };
        match end {
            Some(end) => {
                let reference = text[start..end].trim_end();
                return Some((&text[..start], reference, &text[start + reference.len()..]));
            }
            None => from = open,
        }
    }
}

fn find_ignoring_case(text: &str, needle: &str) -> Option<usize> {
    text.as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The theme's file a stylesheet's reference names, from the stylesheet's folder: none for
/// an address (`https:`, `data:`), a path from the host's root or a fragment.
fn resolve(folder: &str, reference: &str) -> Option<String> {
    let path = &reference[..reference.find(['?', '#']).unwrap_or(reference.len())];
    if path.is_empty() || path.starts_with('/') || links::scheme(path).is_some() {
        return None;
    }
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// `fonts/a.woff2` → `fonts/a.HASH.woff2`: the hash before the last extension.
fn with_hash(name: &str, bytes: &[u8]) -> String {
    let hash = format!("{:032x}", xxh3_128(bytes));
    // 64 bits: a file that changes gets another name but for a chance no site meets.
    let hash = &hash[..16];
    match name.rsplit_once('.') {
        Some((stem, extension)) if !stem.ends_with('/') && !stem.is_empty() => {
            format!("{stem}.{hash}.{extension}")
        }
        _ => format!("{name}.{hash}"),
    }
}

fn extension(name: &str) -> Option<String> {
    let file = file_name(name);
    let (stem, extension) = file.rsplit_once('.')?;
    (!stem.is_empty()).then(|| extension.to_ascii_lowercase())
}

fn file_name(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, file)| file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn published(files: &[(&str, &str)]) -> BTreeMap<String, Asset> {
        publish(
            files
                .iter()
                .map(|(n, t)| (n.to_string(), t.as_bytes().to_vec()))
                .collect(),
        )
    }

    #[test]
    fn what_a_page_loads_is_named_by_its_bytes_and_a_licence_is_not() {
        let one = published(&[("style.css", "a{}"), ("fonts/OFL.txt", "licence")]);
        let two = published(&[("style.css", "b{}"), ("fonts/OFL.txt", "licence")]);
        let css = &one["style.css"];
        assert!(css.hashed);
        assert!(css.path.starts_with("assets/style.") && css.path.ends_with(".css"));
        assert_eq!(css.path.len(), "assets/style..css".len() + 16);
        assert_ne!(css.path, two["style.css"].path);
        assert_eq!(one["fonts/OFL.txt"].path, "assets/fonts/OFL.txt");
        assert!(!one["fonts/OFL.txt"].hashed);
    }

    #[test]
    fn a_stylesheet_names_the_published_fonts_and_its_hash_follows_theirs() {
        let css = "@font-face{src:url(\"fonts/a.woff2\") format(\"woff2\")}\
                   b{background:URL( ../img/b.png?v=1#x )}c{d:url(data:x)}e{f:url(/abs.png)}";
        let one = published(&[
            ("css/site.css", css),
            ("css/fonts/a.woff2", "font one"),
            ("img/b.png", "png"),
        ]);
        let two = published(&[
            ("css/site.css", css),
            ("css/fonts/a.woff2", "font two"),
            ("img/b.png", "png"),
        ]);
        let font = file_name(&one["css/fonts/a.woff2"].path);
        let image = file_name(&one["img/b.png"].path);
        let text = String::from_utf8(one["css/site.css"].bytes.clone()).unwrap();
        assert_eq!(
            text,
            format!(
                "@font-face{{src:url(\"fonts/{font}\") format(\"woff2\")}}\
                 b{{background:URL( ../img/{image}?v=1#x )}}c{{d:url(data:x)}}e{{f:url(/abs.png)}}"
            )
        );
        assert_ne!(one["css/site.css"].path, two["css/site.css"].path);
    }

    #[test]
    fn a_stylesheet_that_imports_itself_is_still_named() {
        let one = published(&[
            ("a.css", "@import url(b.css);"),
            ("b.css", "@import url(a.css);"),
        ]);
        assert!(one["a.css"].hashed && one["b.css"].hashed);
        let a = String::from_utf8(one["a.css"].bytes.clone()).unwrap();
        assert_eq!(
            a,
            format!("@import url({});", file_name(&one["b.css"].path))
        );
    }
}
