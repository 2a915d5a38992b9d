//! The theme: Tera templates, static files and interface strings. The default theme is
//! compiled into the binary; a site's own `themes/NAME/` overrides it file by file.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use include_dir::{include_dir, Dir};
use tera::Tera;

use super::assets::{self, Asset};
use crate::config::{Config, CONFIG_FILE};
use crate::content::files::list_published_tree;
use crate::diagnostics::{Error, Errors, Place, Problem};
use crate::memo::{Digest, Key, Memo};
use crate::yaml;

static DEFAULT_THEME: Dir = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A theme's files: by path in the theme, the file each came from and its bytes.
type ThemeFiles = BTreeMap<String, (PathBuf, Vec<u8>)>;

/// A loaded theme.
pub(crate) struct Theme {
    /// The templates, parsed once.
    pub tera: Tera,
    /// A hash of the templates' names and text: a page rendered from the same context by a
    /// theme with the same id is the same page.
    pub id: Key,
    /// Where each template came from, to name it in errors.
    pub sources: BTreeMap<String, PathBuf>,
    /// Static files, published under `assets/`, by their path in the theme's `static/`.
    pub assets: BTreeMap<String, Asset>,
    /// Interface strings by language.
    pub strings: BTreeMap<String, BTreeMap<String, String>>,
    /// The largest page each template has made, the room its next page starts with: a large
    /// programme grows to megabytes, and each time a buffer outgrows its room it is copied
    /// into one twice its size, both held at once.
    largest: Mutex<HashMap<String, usize>>,
}

impl Theme {
    /// Loads the theme named in the configuration.
    pub(crate) fn load(root: &Path, config: &Config) -> Result<Theme, Errors> {
        Theme::from_files(Theme::files(root, config)?)
    }

    /// Loads the theme named in the configuration, or takes it from `memo` when an earlier
    /// build loaded the same files: `serve` then parses its templates only after an edit to
    /// one of them (a fifth of an edit-to-visible on the example).
    pub(crate) fn load_with(
        root: &Path,
        config: &Config,
        memo: &Memo<Arc<Theme>>,
    ) -> Result<Arc<Theme>, Errors> {
        let files = Theme::files(root, config)?;
        let mut digest = Digest::new("theme files");
        for (key, (source, bytes)) in &files {
            digest
                .part(key.as_bytes())
                .part(source.as_os_str().as_encoded_bytes())
                .part(bytes);
        }
        let key = digest.finish();
        memo.get_or_try(|| key, || Theme::from_files(files).map(Arc::new))
    }

    /// The theme's files, the default theme's overridden by the site's own: each by its path
    /// in the theme, with the file it came from and its bytes.
    fn files(root: &Path, config: &Config) -> Result<ThemeFiles, Errors> {
        let mut files: ThemeFiles = BTreeMap::new();
        collect_embedded(&DEFAULT_THEME, &mut files);
        let folder = Path::new("themes").join(&config.theme);
        if root.join(&folder).is_dir() {
            // Its static files are published: the same rules as the site's own (links within
            // the site only, no hidden folder).
            for relative in list_published_tree(root, &folder)? {
                let source = folder.join(&relative);
                let key = relative.to_string_lossy().replace('\\', "/");
                let bytes = std::fs::read(root.join(&source)).map_err(|e| {
                    Error::new(Place::file(&source), Problem::Unreadable(e.to_string()))
                })?;
                files.insert(key, (source, bytes));
            }
        } else if config.theme != "default" {
            return Err(Error::new(
                Place::file(CONFIG_FILE),
                Problem::UnknownTheme(config.theme.clone()),
            )
            .into());
        }
        Ok(files)
    }

    /// The theme made of `files`.
    fn from_files(files: ThemeFiles) -> Result<Theme, Errors> {
        let mut errors = Errors::default();
        let mut templates = Vec::new();
        let mut sources = BTreeMap::new();
        let mut statics = BTreeMap::new();
        let mut strings = BTreeMap::new();
        for (key, (source, bytes)) in files {
            if let Some(name) = key.strip_prefix("templates/") {
                match yaml::decode(bytes, &source) {
                    Ok(text) => templates.push((name.to_string(), text)),
                    Err(e) => errors.0.push(e),
                }
                sources.insert(name.to_string(), source);
            } else if let Some(name) = key.strip_prefix("static/") {
                statics.insert(name.to_string(), bytes);
            } else if let Some(lang) = key
                .strip_prefix("i18n/")
                .and_then(|f| f.strip_suffix(".yaml"))
            {
                let parsed = yaml::decode(bytes, &source)
                    .and_then(|text| yaml::parse::<BTreeMap<String, String>>(&text, &source, 0));
                match parsed {
                    Ok(map) => {
                        strings.insert(lang.to_string(), map);
                    }
                    Err(e) => errors.0.push(e),
                }
            }
        }
        errors.into_result()?;
        let assets = assets::publish(statics);
        // Pages name the assets by their published names, which change with their bytes.
        let mut digest = Digest::new("templates");
        for (name, text) in &templates {
            digest.part(name.as_bytes()).part(text.as_bytes());
        }
        for (name, asset) in &assets {
            digest.part(name.as_bytes()).part(asset.path.as_bytes());
        }
        let mut tera = Tera::default();
        // The site's own escaping, as for every text's `html`: Tera's also writes each `/` of
        // a URL as `&#x2F;`, which HTML does not ask for and a page of links is full of.
        tera.set_escape_fn(super::markdown::escape);
        let published = assets.iter().map(|(n, a)| (n.clone(), a.path.clone()));
        tera.register_function("asset", AssetUrl(published.collect()));
        tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| template_error(&e, &sources))?;
        Ok(Theme {
            tera,
            id: digest.finish(),
            sources,
            assets,
            strings,
            largest: Mutex::default(),
        })
    }

    /// Renders a template with a context.
    pub(crate) fn render(&self, template: &str, context: &tera::Context) -> Result<String, Error> {
        self.tera
            .render(template, context)
            .map_err(|e| template_error(&e, &self.sources))
    }

    /// Renders a template with a context, as UTF-8 bytes.
    pub(crate) fn render_to(
        &self,
        template: &str,
        context: &tera::Context,
    ) -> Result<Vec<u8>, Error> {
        let room = self
            .largest
            .lock()
            .ok()
            .and_then(|sizes| sizes.get(template).copied());
        // A quarter more than the largest yet: the same page in another language.
        let mut html = Vec::with_capacity(room.map_or(16 * 1024, |n| n + n / 4));
        self.tera
            .render_to(template, context, &mut html)
            .map_err(|e| template_error(&e, &self.sources))?;
        if room.is_none_or(|n| html.len() > n) {
            if let Ok(mut sizes) = self.largest.lock() {
                sizes.insert(template.to_string(), html.len());
            }
        }
        Ok(html)
    }
}

/// The template function `asset(path="style.css")`: the published path of a file of the
/// theme's `static/` folder, from the site's root (`assets/style.0f3c9e1a2b4d6c8e.css`),
/// which templates write after `root`. Templates never write the path themselves: an asset's
/// name carries a hash of its content (issue 23). A file the theme does not have is an error
/// of the template that asks for it.
struct AssetUrl(BTreeMap<String, String>);

impl tera::Function for AssetUrl {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let path = match args.get("path") {
            Some(tera::Value::String(path)) => path,
            _ => return Err("asset() takes the file's path in the theme's static/ folder: asset(path=\"style.css\")".into()),
        };
        match self.0.get(path) {
            Some(published) => Ok(published.clone().into()),
            None => Err(format!("asset(path=\"{path}\"): the theme has no static/{path}").into()),
        }
    }

    fn is_safe(&self) -> bool {
        true
    }
}

fn collect_embedded(dir: &Dir, files: &mut BTreeMap<String, (PathBuf, Vec<u8>)>) {
    for file in dir.files() {
        let key = file.path().to_string_lossy().replace('\\', "/");
        let source = Path::new("themes/default").join(file.path());
        files.insert(key, (source, file.contents().to_vec()));
    }
    for sub in dir.dirs() {
        collect_embedded(sub, files);
    }
}

/// A Tera error with the template's file and, for syntax errors, its line and column.
pub(super) fn template_error(error: &tera::Error, sources: &BTreeMap<String, PathBuf>) -> Error {
    let mut messages = vec![error.to_string()];
    let mut cause = std::error::Error::source(error);
    while let Some(e) = cause {
        messages.push(e.to_string());
        cause = e.source();
    }
    let template = messages.iter().find_map(|m| {
        let start = m.find(['\'', '"'])? + 1;
        let quote = m[start - 1..].chars().next()?;
        let end = start + m[start..].find(quote)?;
        let name = &m[start..end];
        sources.contains_key(name).then(|| name.to_string())
    });
    let position = messages.iter().find_map(|m| {
        let rest = &m[m.find("--> ")? + 4..];
        let (line, rest) = rest.split_once(':')?;
        let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some((line.trim().parse().ok()?, column.parse().ok()?))
    });
    let file = template
        .and_then(|t| sources.get(&t).cloned())
        .unwrap_or_else(|| PathBuf::from("themes"));
    // Tera's syntax errors carry pest's drawing of the line; the place is reported apart, so
    // keep only what was expected there.
    let detail = messages
        .iter()
        .map(|m| match m.find("= ") {
            Some(i) if m.contains("--> ") => m[i + 2..].trim().to_string(),
            _ => m.trim().to_string(),
        })
        .collect::<Vec<_>>()
        .join(": ");
    Error::new(Place { file, position }, Problem::Template(detail))
}
