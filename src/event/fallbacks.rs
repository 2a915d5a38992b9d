//! Missing translations: the warnings of text that lacks a version in a language of the site,
//! and the record of everything an editor translates, which the translation report counts.

use crate::config::Config;
use crate::diagnostics::{Place, Warning};
use crate::text::Text;
use crate::yaml::Located;

/// A text or a file written once per language: what `check --translations` counts.
#[derive(Debug, Clone)]
pub(crate) struct Translatable {
    /// The field's key (`title`), or `None` for a whole file (a speaker's, a page's).
    pub field: Option<String>,
    /// The language shown where one is missing, and what is shown there: the text, or the
    /// file it is in, for a translator to start from.
    pub source: (String, String),
    /// Each language it lacks, with where its version goes.
    pub missing: Vec<(String, Place)>,
}

/// What the translation report counts: the texts and files every language has, and those
/// some lack. Only the latter are kept whole, so that a translated site costs a number.
#[derive(Debug, Clone, Default)]
pub(crate) struct Translations {
    /// How many texts and files are in every language of the site.
    pub complete: usize,
    /// Those that lack a language.
    pub gaps: Vec<Translatable>,
}

/// Reports text that lacks a version in one of the site's languages.
pub(super) struct Fallbacks<'a> {
    /// The site's language codes.
    languages: Vec<String>,
    /// The default language's, whose text is shown when a language's is missing.
    default: String,
    warnings: &'a mut Vec<Warning>,
    /// Every text and file checked.
    translations: Translations,
}

impl<'a> Fallbacks<'a> {
    pub(super) fn new(config: &Config, warnings: &'a mut Vec<Warning>) -> Fallbacks<'a> {
        Fallbacks {
            languages: config.languages.iter().map(|l| l.code.clone()).collect(),
            default: config.default_language().code.clone(),
            warnings,
            translations: Translations::default(),
        }
    }

    /// What was checked: the gaps in the order they were found.
    pub(super) fn into_translations(self) -> Translations {
        self.translations
    }

    /// Counts a text or file, keeping it if it lacks a language.
    fn record(&mut self, item: Translatable) {
        if item.missing.is_empty() {
            self.translations.complete += 1;
        } else {
            self.translations.gaps.push(item);
        }
    }

    /// Warns for each language `text` (at `path` of a YAML file) is missing, and for
    /// versions in languages the site does not have (often a typo in the code).
    pub(super) fn check<T>(&mut self, text: &Text, file: &Located<T>, path: &str) {
        for code in text
            .languages()
            .filter(|c| !self.languages.iter().any(|l| l == c))
        {
            self.warnings.push(Warning {
                place: file.place(&format!("{path}.{code}")),
                message: format!(
                    "`{code}` is not a language of the site; this text is never shown"
                ),
            });
        }
        let default = &self.default;
        let missing: Vec<&str> = self
            .languages
            .iter()
            .filter(|l| !text.has(l))
            .map(String::as_str)
            .collect();
        if missing.is_empty() {
            self.translations.complete += 1;
            return;
        }
        let shown = text.get(default, default);
        let shown_lang = shown.lang.unwrap_or(default);
        // The key, not its path (`days.0.sessions.2.title`): the place gives the line.
        let key = path.rsplit('.').next().unwrap_or(path);
        let place = file.place(path);
        self.translations.gaps.push(Translatable {
            field: Some(key.to_string()),
            source: (shown_lang.to_string(), shown.text.to_string()),
            missing: missing
                .iter()
                .map(|l| (l.to_string(), place.clone()))
                .collect(),
        });
        let shown = shown_lang;
        self.warnings.push(Warning {
            place,
            message: format!(
                "missing translation: `{key}` has no {} version; the {shown} text is shown",
                missing.join(", ")
            ),
        });
    }

    /// The code of the site's default language.
    pub(super) fn default_language(&self) -> &str {
        &self.languages[0]
    }

    /// Records a file written once per language (`content/speakers/ID.LANG.md`), which lacks
    /// the languages of `missing`, each at the place its file goes; `shown` is the file shown
    /// instead, in its language. Each missing one is warned of as `what` ("the speaker").
    pub(super) fn file(
        &mut self,
        what: &str,
        missing: Vec<(String, Place)>,
        shown: (String, String),
    ) {
        for (language, place) in &missing {
            self.warnings.push(Warning {
                place: place.clone(),
                message: format!(
                    "missing translation: {what} has no {language} file; the {} one is shown",
                    shown.0
                ),
            });
        }
        self.record(Translatable {
            field: None,
            source: shown,
            missing,
        });
    }

    /// Warns of something else worked around: a Markdown file missing in a language, a
    /// person listed twice.
    pub(super) fn warn(&mut self, place: Place, message: String) {
        self.warnings.push(Warning { place, message });
    }
}
