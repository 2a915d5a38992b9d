//! Free pages (concept note, practical information): one Markdown file per language.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::fallbacks::Fallbacks;
use super::names::{self, Folder};
use crate::config::Config;
use crate::content::files::MarkdownFile;
use crate::content::PageMatter;
use crate::diagnostics::{Errors, Place, Problem};
use crate::text::Text;

/// URL segments under `LANG/` that the build itself publishes (content model, published
/// paths), in any case.
pub(super) const RESERVED_SEGMENTS: &[&str] = &[
    "programme",
    "speakers",
    "sessions",
    "calendar.ics",
    "agenda",
    "search",
    "manifest.webmanifest",
];

/// A free page.
#[derive(Debug, Hash)]
pub(crate) struct Page {
    /// Its name: the file name without language.
    pub name: String,
    /// Its title in each language that has a file.
    pub title: Text,
    /// Its position in the navigation, if it is in it.
    pub menu: Option<i64>,
    /// Its URL segment in every language of the site.
    pub slugs: BTreeMap<String, String>,
    /// Its body (Markdown) in each language that has a file.
    pub body: Text,
}

/// Gathers the pages' files, one page per name, checking their URL segments.
pub(super) fn gather(
    files: &[Arc<MarkdownFile<PageMatter>>],
    config: &Config,
    fallbacks: &mut Fallbacks,
    errors: &mut Errors,
) -> Vec<Page> {
    let mut pages: Vec<Page> = Vec::new();
    let mut own_slugs: BTreeMap<(String, String), Place> = BTreeMap::new();
    // Each page's file in each language.
    let mut sources: BTreeMap<(String, String), Place> = BTreeMap::new();
    let default = &config.default_language().code;
    for file in files {
        sources.insert(
            (file.name.clone(), file.lang.clone()),
            Place::file(&file.file),
        );
        let index = match pages.iter().position(|p| p.name == file.name) {
            Some(i) => i,
            None => {
                if let Some(problem) = names::check(&file.name) {
                    errors.push(Place::file(&file.file), problem);
                }
                pages.push(Page {
                    name: file.name.clone(),
                    title: Text::empty(),
                    menu: None,
                    slugs: BTreeMap::new(),
                    body: Text::empty(),
                });
                pages.len() - 1
            }
        };
        let page = &mut pages[index];
        page.title
            .insert(&file.lang, file.front.title.trim().to_string());
        page.body.insert(&file.lang, file.body.clone());
        if file.front.menu.is_some()
            && (page.menu.is_none() || file.lang == config.default_language().code)
        {
            page.menu = file.front.menu;
        }
        if let Some(slug) = &file.front.slug {
            let slug = slug.trim().trim_matches('/').to_string();
            if let Some(problem) = names::check(&slug) {
                errors.push(file.place("slug"), problem);
            }
            own_slugs.insert((file.name.clone(), file.lang.clone()), file.place("slug"));
            page.slugs.insert(file.lang.clone(), slug);
        }
    }
    for page in &mut pages {
        let file = |code: &str| format!("content/pages/{}.{code}.md", page.name);
        let missing = config
            .languages
            .iter()
            .filter(|l| !page.title.has(&l.code))
            .map(|l| (l.code.clone(), Place::file(file(&l.code))))
            .collect();
        let shown = page.title.get(default, default).lang.unwrap_or_default();
        let source = (shown.to_string(), file(shown));
        fallbacks.file("the page", missing, source);
        for language in &config.languages {
            page.slugs
                .entry(language.code.clone())
                .or_insert_with(|| page.name.clone());
        }
    }
    for language in &config.languages {
        // Each page is published as LANG/SLUG/, beside the build's own paths.
        let mut folder = Folder::default();
        for page in &pages {
            let slug = page.slugs[&language.code].as_str();
            // Where the segment comes from: its `slug:` line, else the file whose name it is
            // (the language's own file, or the one shown in its place).
            let place = own_slugs
                .get(&(page.name.clone(), language.code.clone()))
                .or_else(|| sources.get(&(page.name.clone(), language.code.clone())))
                .or_else(|| sources.get(&(page.name.clone(), default.clone())))
                .or_else(|| {
                    sources
                        .range((page.name.clone(), String::new())..)
                        .next()
                        .map(|(_, place)| place)
                })
                .cloned()
                .unwrap_or_else(|| Place::file("content/pages"));
            if let Some(own) = RESERVED_SEGMENTS
                .iter()
                .find(|own| own.eq_ignore_ascii_case(slug))
            {
                errors.push(
                    place,
                    Problem::SlugTaken {
                        slug: slug.into(),
                        other: format!("the site's own {own} page"),
                    },
                );
            } else if let Err(taken) = folder.add(slug, place.clone()) {
                let problem = if taken.same {
                    Problem::SlugTaken {
                        slug: slug.into(),
                        other: format!("the page at {} in {}", taken.place, language.code),
                    }
                } else {
                    Folder::clash(slug, &taken)
                };
                errors.push(place, problem);
            }
        }
    }
    pages.sort_by(|a, b| {
        (a.menu.is_none(), a.menu, &a.name).cmp(&(b.menu.is_none(), b.menu, &b.name))
    });
    pages
}
