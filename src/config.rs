//! `site-config.yaml`: the site's languages, address, theme and output.

use std::path::{Path, PathBuf};

use icu_locale_core::Locale;
use serde::Deserialize;

use crate::diagnostics::{Error, Errors, Place, Problem};
use crate::links;
use crate::yaml::{self, Locator};

/// The name of the configuration file at the root of a site.
pub(crate) const CONFIG_FILE: &str = "site-config.yaml";

/// Writing direction of a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Left to right.
    Ltr,
    /// Right to left.
    Rtl,
}

impl Direction {
    /// The value of an HTML `dir` attribute.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }

    /// The direction of a language code when none is given: right to left for the scripts
    /// that are written so (as mdBook's `realized_text_direction`).
    pub(crate) fn of(locale: &Locale) -> Direction {
        const RTL: [&str; 10] = ["ar", "fa", "ur", "he", "ps", "sd", "ug", "yi", "dv", "ckb"];
        let script = locale.id.script.map(|s| s.to_string());
        match script.as_deref() {
            Some("Arab" | "Hebr" | "Thaa" | "Syrc" | "Nkoo" | "Adlm" | "Rohg") => Direction::Rtl,
            Some(_) => Direction::Ltr,
            None if RTL.contains(&locale.id.language.as_str()) => Direction::Rtl,
            None => Direction::Ltr,
        }
    }
}

/// A language of the site.
#[derive(Debug, Clone, Hash)]
pub struct Language {
    /// Its BCP 47 code, as written in the configuration and used in URLs.
    pub code: String,
    /// Its name in itself ("Français", "العربية").
    pub name: String,
    /// Its writing direction.
    pub direction: Direction,
    /// Its locale, which chooses its formats (dates, times, digits, lists, plurals): the
    /// `locale` of its entry (`en-GB`, `ar-MA-u-hc-h23`), or else its code.
    pub locale: Locale,
}

/// Where the site is published: an absolute http(s) URL of a folder, ending with `/`, parsed
/// once here so that every part of the build takes its host or its path from one place.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl {
    url: String,
    /// Where the host starts, after `://`.
    host: usize,
    /// Where the path starts, at the `/` after the host.
    path: usize,
}

impl BaseUrl {
    /// Checks and normalises a base URL (see [`normalise_base_url`]).
    pub(crate) fn parse(url: &str) -> Result<BaseUrl, Problem> {
        let url = normalise_base_url(url)?;
        let host = url.find("://").map_or(0, |at| at + 3);
        let path = url[host..].find('/').map_or(url.len(), |at| host + at);
        Ok(BaseUrl { url, host, path })
    }

    /// The whole URL: `https://pesnet.example.org/meeting-4/`.
    pub(crate) fn as_str(&self) -> &str {
        &self.url
    }

    /// The URL without its scheme: `pesnet.example.org/meeting-4/`.
    pub(crate) fn without_scheme(&self) -> &str {
        &self.url[self.host..]
    }

    /// The host, with its port if it has one: `pesnet.example.org`.
    pub(crate) fn host(&self) -> &str {
        &self.url[self.host..self.path]
    }

    /// The path, from the `/` after the host to the final `/`: `/meeting-4/`.
    pub(crate) fn path(&self) -> &str {
        &self.url[self.path..]
    }
}

impl std::fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.url)
    }
}

impl serde::Serialize for BaseUrl {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.url)
    }
}

/// The site's configuration.
#[derive(Debug, Clone, Hash)]
pub struct Config {
    /// Where the site is published.
    pub base_url: BaseUrl,
    /// The languages, in the order of the language switcher; the default one first.
    pub languages: Vec<Language>,
    /// The theme's name.
    pub theme: String,
    /// The output folder, relative to the site's root unless absolute.
    pub output_dir: PathBuf,
    /// Whether HTML is minified.
    pub minify: bool,
    /// Whether raw HTML written in Markdown is kept.
    pub raw_html: bool,
}

impl Config {
    /// The default language.
    pub(crate) fn default_language(&self) -> &Language {
        &self.languages[0]
    }

    /// The language with this code, if the site has it.
    pub(crate) fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// The base URL with another address in place of the configured one (`--base-url`).
    pub fn with_base_url(mut self, base_url: &str) -> Result<Config, Errors> {
        self.base_url = BaseUrl::parse(base_url)
            .map_err(|problem| Error::new(Place::file("--base-url"), problem))?;
        Ok(self)
    }

    /// The place of a value of `site-config.yaml` in `root` (`output_dir`), for an error
    /// found outside the configuration; the file's place when it cannot be read.
    pub fn place_of(root: &Path, path: &str) -> Place {
        let file = PathBuf::from(CONFIG_FILE);
        yaml::read_text(root, &file)
            .and_then(|text| Locator::read(&text, &file, 0))
            .map_or_else(|_| Place::file(&file), |locator| locator.place(&file, path))
    }

    /// Reads and checks `site-config.yaml` in `root`.
    pub fn load(root: &Path) -> Result<Config, Errors> {
        let file = PathBuf::from(CONFIG_FILE);
        yaml::check_inside_site(root, &file)?;
        Config::parse(&yaml::read_text(root, &file)?)
    }

    /// Checks the text of a `site-config.yaml` (as an earlier commit of the site has it).
    pub(crate) fn parse(text: &str) -> Result<Config, Errors> {
        let file = PathBuf::from(CONFIG_FILE);
        let (raw, locator): (ConfigFile, Locator) = yaml::parse_located(text, &file, 0)?;
        let at = |path: &str| locator.place(&file, path);
        let mut errors = Errors::default();

        let base_url = BaseUrl::parse(&raw.base_url).unwrap_or_else(|problem| {
            errors.push(at("base_url"), problem);
            BaseUrl {
                url: String::new(),
                host: 0,
                path: 0,
            }
        });
        if raw.languages.is_empty() {
            errors.push(at("languages"), Problem::NoLanguages);
        }
        let mut languages: Vec<Language> = Vec::new();
        for (i, entry) in raw.languages.iter().enumerate() {
            let place = at(&format!("languages.{i}.code"));
            // Each language is a folder of the site: `fr` and `FR` would be one on most
            // computers and hosts.
            if languages
                .iter()
                .any(|l| l.code.eq_ignore_ascii_case(&entry.code))
            {
                errors.push(place, Problem::DuplicateLanguage(entry.code.clone()));
                continue;
            }
            let Ok(locale) = entry.code.parse::<Locale>() else {
                errors.push(place, Problem::BadLanguageCode(entry.code.clone()));
                continue;
            };
            if entry.code.contains('/') || entry.code.contains('.') || entry.code.is_empty() {
                errors.push(place, Problem::BadLanguageCode(entry.code.clone()));
                continue;
            }
            let locale = match entry.locale.as_deref().map(str::trim) {
                None => locale,
                Some(written) => match written.parse::<Locale>() {
                    Ok(chosen) if !written.is_empty() => chosen,
                    _ => {
                        let place = at(&format!("languages.{i}.locale"));
                        errors.push(place, Problem::BadLocale(written.to_string()));
                        continue;
                    }
                },
            };
            languages.push(Language {
                code: entry.code.clone(),
                name: entry.name.clone(),
                direction: entry.direction.unwrap_or_else(|| Direction::of(&locale)),
                locale,
            });
        }
        match languages
            .iter()
            .position(|l| l.code == raw.default_language)
        {
            Some(i) => {
                let default = languages.remove(i);
                languages.insert(0, default);
            }
            None if languages.len() == raw.languages.len() => errors.push(
                at("default_language"),
                Problem::DefaultLanguageNotListed(raw.default_language.clone()),
            ),
            None => {}
        }
        errors.into_result()?;
        Ok(Config {
            base_url,
            languages,
            theme: raw.theme,
            output_dir: raw.output_dir,
            minify: raw.minify,
            raw_html: raw.markdown.raw_html,
        })
    }
}

/// The base URL as the site uses it: an absolute http(s) URL of a folder, ending with `/`.
/// It is written into attributes, feeds, exports and the sitemap, so a character a URL
/// cannot hold (a quote, a space) is an error rather than something to escape in each; a
/// path that is not ASCII is percent-encoded, since calendar feeds and the sitemap take
/// only ASCII URIs.
fn normalise_base_url(url: &str) -> Result<String, Problem> {
    let url = url.trim();
    let bad = || Problem::BadBaseUrl(url.to_string());
    if let Some(character) = links::invalid_character(url) {
        return Err(Problem::UrlCharacter {
            url: url.to_string(),
            character,
        });
    }
    let scheme = links::scheme(url)
        .filter(|s| s == "http" || s == "https")
        .ok_or_else(bad)?;
    let rest = url[scheme.len() + 1..].strip_prefix("//").ok_or_else(bad)?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host_ok = host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':' | '[' | ']'));
    if host.is_empty() || !host_ok || path.contains(['?', '#']) {
        return Err(bad());
    }
    let mut normalised = url[..url.len() - path.len()].to_string();
    for c in path.chars() {
        if c.is_ascii() {
            normalised.push(c);
        } else {
            for byte in c.to_string().bytes() {
                normalised.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    if !normalised.ends_with('/') {
        normalised.push('/');
    }
    Ok(normalised)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    base_url: String,
    default_language: String,
    languages: Vec<LanguageEntry>,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default = "default_output")]
    output_dir: PathBuf,
    #[serde(default)]
    minify: bool,
    #[serde(default)]
    markdown: MarkdownOptions,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguageEntry {
    code: String,
    name: String,
    direction: Option<Direction>,
    locale: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MarkdownOptions {
    #[serde(default = "yes")]
    raw_html: bool,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions { raw_html: true }
    }
}

fn yes() -> bool {
    true
}

fn default_theme() -> String {
    "default".into()
}

fn default_output() -> PathBuf {
    "public".into()
}
