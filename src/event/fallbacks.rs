//! Missing translations: the warnings of text that lacks a version in a language of the site.

use crate::config::Config;
use crate::diagnostics::{Place, Warning};
use crate::text::Text;
use crate::yaml::Located;

/// Reports text that lacks a version in one of the site's languages.
pub(super) struct Fallbacks<'a> {
    /// The site's language codes.
    languages: Vec<String>,
    /// The default language's, whose text is shown when a language's is missing.
    default: String,
    warnings: &'a mut Vec<Warning>,
}

impl<'a> Fallbacks<'a> {
    pub(super) fn new(config: &Config, warnings: &'a mut Vec<Warning>) -> Fallbacks<'a> {
        Fallbacks {
            languages: config.languages.iter().map(|l| l.code.clone()).collect(),
            default: config.default_language().code.clone(),
            warnings,
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
            return;
        }
        let shown = text.get(default, default).lang.unwrap_or(default);
        self.warnings.push(Warning {
            place: file.place(path),
            message: format!(
                "missing translation: `{path}` has no {} version; the {shown} text is shown",
                missing.join(", ")
            ),
        });
    }

    /// Warns of something else worked around: a Markdown file missing in a language, a
    /// person listed twice.
    pub(super) fn warn(&mut self, place: Place, message: String) {
        self.warnings.push(Warning { place, message });
    }
}
