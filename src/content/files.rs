//! Finding and reading the content files of a site.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use walkdir::WalkDir;

use super::frontmatter;
use super::yaml::{self, Locator};
use super::{Located, PageMatter, SpeakerMatter};
use crate::cache::{Cache, Digest};
use crate::config::Config;
use crate::diagnostics::{Error, Errors, Place, Problem, Warning};

/// A Markdown file of one language, with its front matter parsed.
#[derive(Debug)]
pub struct MarkdownFile<T> {
    /// The file, relative to the site's root.
    pub file: PathBuf,
    /// The part of the file name before the language: a speaker id or a page name.
    pub name: String,
    /// The language code.
    pub lang: String,
    /// The front matter.
    pub front: T,
    /// The Markdown body.
    pub body: String,
    /// Where each front-matter value is.
    pub locator: Locator,
}

impl<T> MarkdownFile<T> {
    /// The place of a front-matter value.
    pub fn place(&self, path: &str) -> Place {
        self.locator.place(&self.file, path)
    }
}

/// Front matter of a kind of Markdown file, and the keys it knows.
pub trait FrontMatter: DeserializeOwned {
    /// The keys the content model defines; others are reported as warnings.
    const KEYS: &'static [&'static str];
}

impl FrontMatter for SpeakerMatter {
    const KEYS: &'static [&'static str] = &["name", "honorific", "role", "organisation", "photo"];
}

impl FrontMatter for PageMatter {
    const KEYS: &'static [&'static str] = &["title", "menu", "slug"];
}

/// Reads and parses one YAML file.
pub fn load_yaml<T: DeserializeOwned + Send + Sync + 'static>(
    root: &Path,
    file: &Path,
    cache: &Cache,
) -> Result<Arc<Located<T>>, Error> {
    parse_cached(root, file, &[], cache, |text| {
        let (value, locator) = yaml::parse_located(&text, file, 0)?;
        let located = Located {
            file: file.to_path_buf(),
            value,
            locator,
        };
        Ok((located, Vec::new()))
    })
    .map(|(located, _)| located)
}

/// Reads `file` and parses it with `parse`, unless an earlier build (in `serve`) parsed the
/// same bytes at the same path, as the same type and with the same `extra` parts (what else
/// the parse depends on). The warnings of the parse come back with the value.
fn parse_cached<T: Send + Sync + 'static>(
    root: &Path,
    file: &Path,
    extra: &[&str],
    cache: &Cache,
    parse: impl FnOnce(String) -> Result<(T, Vec<Warning>), Error>,
) -> Result<(Arc<T>, Vec<Warning>), Error> {
    let bytes = std::fs::read(root.join(file))
        .map_err(|e| Error::new(Place::file(file), Problem::Unreadable(e.to_string())))?;
    if !cache.files.enabled() {
        return parse(yaml::decode(bytes, file)?)
            .map(|(value, warnings)| (Arc::new(value), warnings));
    }
    let mut digest = Digest::new("file");
    digest
        .part(std::any::type_name::<T>().as_bytes())
        .part(file.as_os_str().as_encoded_bytes())
        .part(&bytes);
    for part in extra {
        digest.part(part.as_bytes());
    }
    let key = digest.finish();
    if let Some(parsed) = cache
        .files
        .get(key)
        .and_then(|hit| hit.downcast::<Parsed<T>>().ok())
    {
        return Ok((Arc::clone(&parsed.0), parsed.1.clone()));
    }
    let (value, warnings) = parse(yaml::decode(bytes, file)?)?;
    let parsed = Arc::new((Arc::new(value), warnings));
    cache.files.insert(key, parsed.clone());
    Ok((Arc::clone(&parsed.0), parsed.1.clone()))
}

/// A parsed file and the warnings its parse gave, as the cache keeps them.
type Parsed<T> = (Arc<T>, Vec<Warning>);

/// Reads every `NAME.LANG.md` of a content folder (a missing folder has none), on every
/// core.
pub fn load_markdown<T: FrontMatter + Send + Sync + 'static>(
    root: &Path,
    folder: &str,
    config: &Config,
    cache: &Cache,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Arc<MarkdownFile<T>>>, Errors> {
    let mut errors = Errors::default();
    let mut wanted = Vec::new();
    let mut first_of: HashMap<(String, String), PathBuf> = HashMap::new();
    for file in list_folder(root, Path::new(folder), &mut errors) {
        let Some((name, lang)) = name_and_language(&file, config) else {
            if is_markdown(&file) {
                warnings.push(Warning {
                    place: Place::file(&file),
                    message: "the language in the file name is not one of the site's \
                              languages; the file is ignored"
                        .into(),
                });
            }
            continue;
        };
        match first_of.entry((name.clone(), lang.clone())) {
            Entry::Occupied(first) => errors.push(
                Place::file(&file),
                Problem::DuplicateId {
                    id: format!("{name}.{lang}"),
                    first: first.get().display().to_string(),
                },
            ),
            Entry::Vacant(slot) => {
                slot.insert(file.clone());
                wanted.push((file, name, lang));
            }
        }
    }
    let read: Vec<_> = wanted
        .into_par_iter()
        .map(|(file, name, lang)| read_markdown::<T>(root, &file, name, lang, cache))
        .collect();
    let mut files = Vec::with_capacity(read.len());
    for result in read {
        match result {
            Ok((markdown, noticed)) => {
                files.push(markdown);
                warnings.extend(noticed);
            }
            Err(e) => errors.0.push(e),
        }
    }
    errors.into_result()?;
    Ok(files)
}

fn read_markdown<T: FrontMatter + Send + Sync + 'static>(
    root: &Path,
    file: &Path,
    name: String,
    lang: String,
    cache: &Cache,
) -> Result<Parsed<MarkdownFile<T>>, Error> {
    let extra = [name.clone(), lang.clone()];
    parse_cached(root, file, &[&extra[0], &extra[1]], cache, |text| {
        let split = frontmatter::split(&text, file)?;
        let (keys, locator): (BTreeMap<String, serde_yaml::Value>, _) =
            yaml::parse_located(split.yaml, file, split.yaml_first_line)?;
        let warnings = keys
            .keys()
            .filter(|k| !T::KEYS.contains(&k.as_str()))
            .map(|key| Warning {
                place: locator.place(file, key),
                message: format!(
                    "unknown front-matter key `{key}` is ignored (known keys: {})",
                    T::KEYS.join(", ")
                ),
            })
            .collect();
        let front = yaml::parse(split.yaml, file, split.yaml_first_line)?;
        let markdown = MarkdownFile {
            file: file.to_path_buf(),
            name,
            lang,
            front,
            body: split.body.to_string(),
            locator,
        };
        Ok((markdown, warnings))
    })
}

/// `content/i18n/LANG.yaml`: flat maps of interface strings.
pub fn load_strings(
    root: &Path,
    config: &Config,
    cache: &Cache,
    warnings: &mut Vec<Warning>,
) -> Result<BTreeMap<String, BTreeMap<String, String>>, Errors> {
    let mut errors = Errors::default();
    let mut strings = BTreeMap::new();
    for file in list_folder(root, Path::new("content/i18n"), &mut errors) {
        if file.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        let lang = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        if config.language(&lang).is_none() {
            warnings.push(Warning {
                place: Place::file(&file),
                message: format!("`{lang}` is not a language of the site; the file is ignored"),
            });
            continue;
        }
        match load_yaml::<BTreeMap<String, String>>(root, &file, cache) {
            Ok(located) => {
                strings.insert(lang, located.value.clone());
            }
            Err(e) => errors.0.push(e),
        }
    }
    errors.into_result()?;
    Ok(strings)
}

/// Every file under `content/static/`, relative to it, in a stable order.
pub fn list_statics(root: &Path) -> Result<Vec<PathBuf>, Errors> {
    let folder = root.join("content/static");
    let mut errors = Errors::default();
    let mut statics = Vec::new();
    if !folder.is_dir() {
        return Ok(statics);
    }
    for entry in WalkDir::new(&folder).follow_links(true).sort_by_file_name() {
        match entry {
            Ok(entry) if entry.file_type().is_file() && !is_temporary(entry.path()) => {
                if let Ok(relative) = entry.path().strip_prefix(&folder) {
                    statics.push(relative.to_path_buf());
                }
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().unwrap_or(&folder);
                let relative = path.strip_prefix(root).unwrap_or(path);
                errors.push(Place::file(relative), Problem::Unreadable(e.to_string()));
            }
        }
    }
    errors.into_result()?;
    Ok(statics)
}

/// When the files that the calendar feeds are made from last changed: the site's
/// configuration, the event and its programme, and the interface strings (which name the
/// kinds of session). A speaker's biography, a page or the theme's style edited leaves
/// every feed as it was.
pub fn programme_last_modified(root: &Path) -> Option<SystemTime> {
    let files = [
        "site-config.yaml",
        "content/event.yaml",
        "content/programme.yaml",
    ]
    .iter()
    .filter_map(|file| std::fs::metadata(root.join(file)).ok()?.modified().ok());
    let strings = ["content/i18n", "themes"]
        .iter()
        .flat_map(|folder| WalkDir::new(root.join(folder)).follow_links(true))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !is_temporary(e.path()))
        .filter(|e| {
            let path = e.path().strip_prefix(root).unwrap_or(e.path());
            path.components().any(|c| c.as_os_str() == "i18n")
        })
        .filter_map(|e| e.metadata().ok()?.modified().ok());
    files.chain(strings).max()
}

/// The files of a content folder (not its subfolders), relative to the root, sorted.
fn list_folder(root: &Path, folder: &Path, errors: &mut Errors) -> Vec<PathBuf> {
    let entries = match std::fs::read_dir(root.join(folder)) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            errors.push(Place::file(folder), Problem::Unreadable(e.to_string()));
            return Vec::new();
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| root.join(folder).join(e.file_name()).is_file())
        .map(|e| folder.join(e.file_name()))
        .filter(|p| !is_temporary(p))
        .collect();
    files.sort();
    files
}

/// Editors' backups and swap files, and hidden files, which are never content.
pub fn is_temporary(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || (name.starts_with('#') && name.ends_with('#'))
}

fn is_markdown(file: &Path) -> bool {
    file.extension().and_then(|e| e.to_str()) == Some("md")
}

/// `varol-dur.fr.md` → (`varol-dur`, `fr`); a name without a language is in the default one.
fn name_and_language(file: &Path, config: &Config) -> Option<(String, String)> {
    if !is_markdown(file) {
        return None;
    }
    let stem = file.file_stem()?.to_str()?;
    match stem.rsplit_once('.') {
        Some((name, lang)) => config
            .language(lang)
            .map(|l| (name.to_string(), l.code.clone())),
        None => Some((stem.to_string(), config.default_language().code.clone())),
    }
}
