//! A language's interface strings ("Programme", "Add to calendar"), as every renderer of the
//! language borrows them: the pages (as the template value `ui`), the calendar feeds and the
//! exports (as plain text).

use std::collections::BTreeMap;

use serde::Serialize;

use super::localize::{Localized, Localizer};
use super::theme::Theme;
use crate::config::Config;
use crate::event::Event;
use crate::text::Text;

/// The interface strings of one language, by key, each marked with the language it is in.
#[derive(Serialize)]
#[serde(transparent)]
pub(crate) struct Strings(BTreeMap<String, Localized>);

impl Strings {
    /// The theme's strings for the language of `localizer`, overridden key by key by the
    /// site's `content/i18n/`; a missing string falls back to the language without its
    /// region (`fr` for `fr-CA`), then to the default language, then to English.
    pub(crate) fn new(
        config: &Config,
        event: &Event,
        theme: &Theme,
        localizer: &Localizer,
    ) -> Strings {
        let language = &localizer.language.code;
        let mut chain: Vec<&str> = vec![language];
        if let Some(base) = language.split('-').next() {
            chain.push(base);
        }
        chain.push(&config.default_language().code);
        chain.push("en");
        // The theme's keys only: `content/i18n/` overrides them (content model), and a key no
        // template reads would otherwise be copied into every page's context (80,000 of them
        // made a small site take 15 s).
        let mut keys: Vec<&String> = theme.strings.values().flat_map(|m| m.keys()).collect();
        keys.sort();
        keys.dedup();
        let mut strings = BTreeMap::new();
        for key in keys {
            let found = chain.iter().find_map(|code| {
                let text = event
                    .strings
                    .get(*code)
                    .and_then(|m| m.get(key))
                    .or_else(|| theme.strings.get(*code).and_then(|m| m.get(key)))?;
                Some((code, text))
            });
            if let Some((code, text)) = found {
                // The language's own regional variant counts as the language itself.
                let lang = if language.starts_with(*code) {
                    language.clone()
                } else {
                    code.to_string()
                };
                let per_language = Text::PerLanguage(BTreeMap::from([(lang, text.clone())]));
                strings.insert(key.clone(), localizer.text(&per_language));
            }
        }
        Strings(strings)
    }

    /// No strings at all: every text falls back to the renderer's own.
    pub(super) fn none() -> Strings {
        Strings(BTreeMap::new())
    }

    /// The string of `key`, if the theme has one.
    pub(crate) fn get(&self, key: &str) -> Option<&Localized> {
        self.0.get(key)
    }

    /// The string of `key` as plain text, if the theme has one.
    pub(crate) fn text(&self, key: &str) -> Option<&str> {
        self.get(key).map(|l| l.text.as_str())
    }

    /// The string of `key`, or `fallback` when the theme has none.
    pub(crate) fn get_or(&self, key: &str, fallback: &str, localizer: &Localizer) -> Localized {
        self.get(key)
            .cloned()
            .unwrap_or_else(|| localizer.text(&Text::Same(fallback.into())))
    }
}
