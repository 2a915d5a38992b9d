//! Finding and reading the content files of a site.

use std::any::Any;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use walkdir::WalkDir;

use super::format::{PageMatter, SpeakerMatter};
use super::frontmatter;
use crate::config::Config;
use crate::diagnostics::{Error, Errors, Place, Problem, Warning};
use crate::memo::{Digest, Memo};
use crate::yaml::{self, check_inside_site, Located, Locator};

/// Content files an earlier build parsed (in `serve`), by path, bytes and kind, or by the
/// status of a file that settled: the parsed value of any type, with its warnings.
pub(crate) type ParsedFiles = Memo<Arc<dyn Any + Send + Sync>>;

/// A Markdown file of one language, with its front matter parsed.
#[derive(Debug)]
pub(crate) struct MarkdownFile<T> {
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
    pub(crate) fn place(&self, path: &str) -> Place {
        self.locator.place(&self.file, path)
    }
}

/// Front matter of a kind of Markdown file, and the keys it knows.
pub(crate) trait FrontMatter: DeserializeOwned {
    /// The keys the content model defines; others are reported as warnings.
    const KEYS: &'static [&'static str];
}

impl FrontMatter for SpeakerMatter {
    const KEYS: &'static [&'static str] = &[
        "name",
        "honorific",
        "role",
        "organisation",
        "photo",
        "gender",
    ];
}

impl FrontMatter for PageMatter {
    const KEYS: &'static [&'static str] = &["title", "menu", "slug"];
}

/// Reads and parses one YAML file.
pub(crate) fn load_yaml<T: DeserializeOwned + Send + Sync + 'static>(
    root: &Path,
    file: &Path,
    cache: &ParsedFiles,
) -> Result<Arc<Located<T>>, Error> {
    check_inside_site(root, file)?;
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
///
/// A file whose status (size, times, inode) is the one an earlier build saw is not even
/// read, provided that status had settled: changed more than [`SETTLED`] before. Any write
/// to a file sets its change time to the present, which a settled status cannot have, so
/// a file cannot change without a new status, even within the clock's grain (git's rule
/// for its index, against "racy" files).
fn parse_cached<T: Send + Sync + 'static>(
    root: &Path,
    file: &Path,
    extra: &[&str],
    cache: &ParsedFiles,
    parse: impl FnOnce(String) -> Result<(T, Vec<Warning>), Error>,
) -> Result<(Arc<T>, Vec<Warning>), Error> {
    let unreadable =
        |e: std::io::Error| Error::new(Place::file(file), Problem::Unreadable(e.to_string()));
    let path = root.join(file);
    if !cache.enabled() {
        let bytes = std::fs::read(&path).map_err(unreadable)?;
        return parse(yaml::decode(bytes, file)?)
            .map(|(value, warnings)| (Arc::new(value), warnings));
    }
    let key = |kind: &str, content: &[u8]| {
        let mut digest = Digest::new(kind);
        digest
            .part(std::any::type_name::<T>().as_bytes())
            .part(file.as_os_str().as_encoded_bytes())
            .part(content);
        for part in extra {
            digest.part(part.as_bytes());
        }
        digest.finish()
    };
    let cached = |key| cache.get(key)?.downcast::<Parsed<T>>().ok();
    let status = settled_status(&path).map(|status| key("file status", &status));
    let parsed = match status.and_then(cached) {
        Some(parsed) => parsed,
        None => {
            let bytes = std::fs::read(&path).map_err(unreadable)?;
            let content = key("file", &bytes);
            let parsed = match cached(content) {
                Some(parsed) => parsed,
                None => {
                    let (value, warnings) = parse(yaml::decode(bytes, file)?)?;
                    let parsed = Arc::new((Arc::new(value), warnings));
                    cache.insert(content, parsed.clone());
                    parsed
                }
            };
            if let Some(status) = status {
                cache.insert(status, parsed.clone());
            }
            parsed
        }
    };
    Ok((Arc::clone(&parsed.0), parsed.1.clone()))
}

/// How long before now a file's status must have last changed to be trusted for its content.
const SETTLED: std::time::Duration = std::time::Duration::from_secs(2);

/// A file's size, modification and change times, inode and device, when its last change is
/// [`SETTLED`]; `None` where the system gives no change time.
#[cfg(unix)]
fn settled_status(path: &Path) -> Option<Vec<u8>> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .ok()?
        .saturating_sub(SETTLED);
    let time = |seconds: i64, nanos: i64| {
        Some(std::time::Duration::new(
            u64::try_from(seconds).ok()?,
            u32::try_from(nanos).ok()?,
        ))
    };
    let modified = time(meta.mtime(), meta.mtime_nsec())?;
    let changed = time(meta.ctime(), meta.ctime_nsec())?;
    if modified.max(changed) >= now {
        return None;
    }
    let fields = [
        meta.len(),
        meta.mtime() as u64,
        meta.mtime_nsec() as u64,
        meta.ctime() as u64,
        meta.ctime_nsec() as u64,
        meta.ino(),
        meta.dev(),
    ];
    Some(fields.iter().flat_map(|f| f.to_le_bytes()).collect())
}

#[cfg(not(unix))]
fn settled_status(_path: &Path) -> Option<Vec<u8>> {
    None
}

/// A parsed file and the warnings its parse gave, as the cache keeps them.
type Parsed<T> = (Arc<T>, Vec<Warning>);

/// Reads every `NAME.LANG.md` of a content folder (a missing folder has none), on every
/// core.
pub(crate) fn load_markdown<T: FrontMatter + Send + Sync + 'static>(
    root: &Path,
    folder: &str,
    config: &Config,
    cache: &ParsedFiles,
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
    cache: &ParsedFiles,
) -> Result<Parsed<MarkdownFile<T>>, Error> {
    let extra = [name.clone(), lang.clone()];
    parse_cached(root, file, &[&extra[0], &extra[1]], cache, |text| {
        parse_markdown(file, name, lang, &text)
    })
}

/// Parses the text of `file`, a Markdown file of the language `lang`: its front matter and
/// body, with warnings for the keys `T` does not know.
fn parse_markdown<T: FrontMatter>(
    file: &Path,
    name: String,
    lang: String,
    text: &str,
) -> Result<(MarkdownFile<T>, Vec<Warning>), Error> {
    let split = frontmatter::split(text, file)?;
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
    let front = yaml::deserialize(split.yaml, file, split.yaml_first_line)?;
    let markdown = MarkdownFile {
        file: file.to_path_buf(),
        name,
        lang,
        front,
        body: split.body.to_string(),
        locator,
    };
    Ok((markdown, warnings))
}

/// A YAML file of the site given as bytes (as an earlier commit of the site has it), parsed.
pub(crate) fn parse_yaml<T: DeserializeOwned>(
    file: &Path,
    bytes: Vec<u8>,
) -> Result<Located<T>, Error> {
    let text = yaml::decode(bytes, file)?;
    let (value, locator) = yaml::parse_located(&text, file, 0)?;
    Ok(Located {
        file: file.to_path_buf(),
        value,
        locator,
    })
}

/// The speaker's id and language of `file` in `content/speakers/`, when a build reads it as
/// a speaker's file: Markdown of a language of the site, not an editor's temporary file.
pub(crate) fn speaker_file(config: &Config, file: &Path) -> Option<(String, String)> {
    (!is_temporary(file))
        .then(|| name_and_language(file, config))
        .flatten()
}

/// A speaker's file given as bytes (as an earlier commit of the site has it), parsed.
pub(crate) fn parse_speaker(
    file: &Path,
    (name, lang): (String, String),
    bytes: Vec<u8>,
) -> Result<MarkdownFile<SpeakerMatter>, Error> {
    let text = yaml::decode(bytes, file)?;
    parse_markdown(file, name, lang, &text).map(|(markdown, _)| markdown)
}

/// `content/i18n/LANG.yaml`: flat maps of interface strings.
pub(crate) fn load_strings(
    root: &Path,
    config: &Config,
    cache: &ParsedFiles,
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

/// Every file under `content/static/`, relative to it, in a stable order (see
/// [`list_published_tree`]).
pub(crate) fn list_statics(root: &Path) -> Result<Vec<PathBuf>, Errors> {
    list_published_tree(root, Path::new("content/static"))
}

/// Every file under `folder` of the site at `root` (a missing folder has none), relative to
/// `folder`, sorted: a folder whose files a build publishes (`content/static/`, a theme and
/// its `static/`). Symbolic links are followed within the
/// site; one that leads out of it, or into a hidden folder of it, is an error, as the files
/// there are not the site's to publish (`/etc/shadow`, a `.git/` folder). Hidden folders
/// are skipped, but `.well-known/` (RFC 8615), and so are editors' temporary and hidden
/// files.
pub(crate) fn list_published_tree(root: &Path, folder: &Path) -> Result<Vec<PathBuf>, Errors> {
    let top = root.join(folder);
    let mut errors = Errors::default();
    let mut files = Vec::new();
    if !top.is_dir() {
        return Ok(files);
    }
    // The folder itself, as any link on the way to it (`content` linked elsewhere).
    check_inside_site(root, folder)?;
    let published = |entry: &walkdir::DirEntry| {
        entry.depth() == 0
            || !entry.file_type().is_dir()
            || entry.file_name() == ".well-known"
            || !entry.file_name().to_string_lossy().starts_with('.')
    };
    let walk = WalkDir::new(&top)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(published);
    for entry in walk {
        let relative = |path: &Path| folder.join(path.strip_prefix(&top).unwrap_or(path));
        match entry {
            Ok(entry) if is_temporary(entry.path()) && entry.depth() > 0 => {}
            Ok(entry) => {
                if entry.path_is_symlink() && entry.depth() > 0 {
                    if let Err(e) = check_inside_site(root, &relative(entry.path())) {
                        errors.0.push(e);
                        continue;
                    }
                }
                if entry.file_type().is_file() {
                    if let Ok(path) = entry.path().strip_prefix(&top) {
                        files.push(path.to_path_buf());
                    }
                }
            }
            Err(e) => {
                let path = e.path().map_or_else(|| folder.to_path_buf(), relative);
                errors.push(Place::file(path), Problem::Unreadable(e.to_string()));
            }
        }
    }
    errors.into_result()?;
    Ok(files)
}

/// When the files that the calendar feeds are made from last changed: the site's
/// configuration, the event and its programme, and the interface strings (which name the
/// kinds of session). A speaker's biography, a page or the theme's style edited leaves
/// every feed as it was.
pub(crate) fn programme_last_modified(root: &Path) -> Option<SystemTime> {
    let files = [
        "site-config.yaml",
        "content/event.yaml",
        "content/programme.yaml",
    ]
    .iter()
    .filter_map(|file| std::fs::metadata(root.join(file)).ok()?.modified().ok());
    // Interface strings are the files of `content/i18n/` and of each theme's `i18n/`.
    let themes = std::fs::read_dir(root.join("themes"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|theme| theme.path().join("i18n"));
    let strings = std::iter::once(root.join("content/i18n"))
        .chain(themes)
        .flat_map(|folder| std::fs::read_dir(folder).into_iter().flatten().flatten())
        .filter(|e| !is_temporary(&e.path()))
        .filter_map(|e| std::fs::metadata(e.path()).ok())
        .filter(|meta| meta.is_file())
        .filter_map(|meta| meta.modified().ok());
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
    if let Err(e) = check_inside_site(root, folder) {
        errors.0.push(e);
        return Vec::new();
    }
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| !is_temporary(Path::new(&e.file_name())))
        // The entry's type comes with the listing; only a link needs a look at its target.
        .filter(|e| match e.file_type() {
            Ok(kind) if !kind.is_symlink() => kind.is_file(),
            _ => {
                let file = folder.join(e.file_name());
                match check_inside_site(root, &file) {
                    Ok(()) => e.path().is_file(),
                    Err(error) => {
                        errors.0.push(error);
                        false
                    }
                }
            }
        })
        .map(|e| folder.join(e.file_name()))
        .collect();
    files.sort();
    files
}

/// Editors' backups and swap files, and hidden files, which are never content.
pub(crate) fn is_temporary(path: &Path) -> bool {
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
