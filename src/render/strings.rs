//! A language's interface strings ("Programme", "Add to calendar"), as every renderer of the
//! language borrows them: the pages (as the template value `ui`), the calendar feeds and the
//! exports (as plain text).

use std::collections::BTreeMap;

use serde::Serialize;

use super::grammar::Grammar;
use super::localize::{Localized, Localizer};
use super::theme::Theme;
use crate::config::Config;
use crate::diagnostics::Place;
use crate::event::{Event, Gender, Translatable};
use crate::text::Text;

/// The suffixes of a string's forms: `speakers_two`, `role_speaker_female`,
/// `speakers_few_female`. The plural categories are CLDR's, as [`Grammar::category`] names
/// them; the genders those a speaker's file may give.
const FORMS: [&str; 8] = [
    "zero", "one", "two", "few", "many", "other", "female", "male",
];

/// The theme's key a form is of (`speakers` for `speakers_two_female`), if `key` is one.
fn form_of<'k>(key: &'k str, theme_keys: &[&String]) -> Option<&'k str> {
    let mut base = key;
    for _ in 0..2 {
        let (rest, suffix) = base.rsplit_once('_')?;
        if !FORMS.contains(&suffix) {
            return None;
        }
        base = rest;
        if theme_keys
            .binary_search_by(|k| k.as_str().cmp(base))
            .is_ok()
        {
            return Some(base);
        }
    }
    None
}

/// The language whose interface strings are the ones every other language translates: the
/// theme's English, as docs/languages.md tells editors.
const REFERENCE: &str = "en";

/// The theme's interface strings that a language of the site has in none of its own files (the
/// site's `content/i18n/LANG.yaml`, the theme's, or those of the language without its
/// region), and so shows in another language: one for each of the reference language's
/// keys, with the languages that lack it, each at the file its translation goes in, and the
/// text they show instead.
pub(crate) fn untranslated(config: &Config, event: &Event, theme: &Theme) -> Vec<Translatable> {
    let reference = match theme.strings.get(REFERENCE) {
        Some(strings) => (REFERENCE, strings),
        None => {
            let default = config.default_language().code.as_str();
            match theme.strings.get(default) {
                Some(strings) => (default, strings),
                None => return Vec::new(),
            }
        }
    };
    let own = |code: &str, key: &str| {
        let base = code.split('-').next().unwrap_or(code);
        [code, base].into_iter().find_map(|code| {
            [&event.strings, &theme.strings]
                .iter()
                .find_map(|strings| strings.get(code).and_then(|m| m.get(key)))
                .map(|text| (code.to_string(), text.clone()))
        })
    };
    let default = &config.default_language().code;
    reference
        .1
        .iter()
        .map(|(key, text)| Translatable {
            field: Some(key.clone()),
            // What a language without it shows: the default language's, else the reference's.
            source: own(default, key).unwrap_or_else(|| (reference.0.to_string(), text.clone())),
            missing: config
                .languages
                .iter()
                .filter(|l| own(&l.code, key).is_none())
                .map(|l| {
                    let file = format!("content/i18n/{}.yaml", l.code);
                    (l.code.clone(), Place::file(file))
                })
                .collect(),
        })
        .collect()
}

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
        // And the site's forms of the theme's keys (`speakers_two` where the theme has
        // `speakers`), which it may give for a language the theme does not have.
        let mut forms: Vec<&String> = event
            .strings
            .values()
            .flat_map(|m| m.keys())
            .filter(|k| keys.binary_search(k).is_err() && form_of(k, &keys).is_some())
            .collect();
        forms.sort();
        forms.dedup();
        keys.extend(forms);
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

    /// The form of the counted, gendered string `key` for `count` people whose common gender
    /// is `gender` (none when they have none in common, or none is given): the first of
    /// `KEY_CATEGORY_GENDER`, `KEY_CATEGORY` (the count's plural category in the language,
    /// [`Grammar::category`]), then, for one person, `singular` and its `_GENDER` form,
    /// then `KEY_other`, `KEY_GENDER` and `KEY` that the strings have. `speakers_two` is the
    /// heading of two speakers in Arabic, `role_speaker_female` a woman's role.
    pub(crate) fn form(
        &self,
        grammar: &Grammar,
        key: &str,
        singular: Option<&str>,
        count: usize,
        gender: Option<Gender>,
    ) -> Option<&Localized> {
        let category = grammar.category(count);
        let mut bases = vec![format!("{key}_{category}")];
        if count == 1 {
            bases.extend(singular.map(str::to_string));
        }
        bases.push(format!("{key}_other"));
        bases.push(key.to_string());
        self.first_form(&bases, gender)
    }

    /// A person's role in a session ("Intervenante"), in the form of their gender.
    pub(crate) fn role(&self, key: &str, gender: Option<Gender>) -> Option<&Localized> {
        self.first_form(&[key.to_string()], gender)
    }

    /// The first of `bases` the strings have, each in the form of `gender` first. A form in
    /// the page's language wins over one that fell back to another language: a site's
    /// Turkish `role_speaker` over the French `role_speaker_female`.
    fn first_form(&self, bases: &[String], gender: Option<Gender>) -> Option<&Localized> {
        let keys: Vec<String> = bases
            .iter()
            .flat_map(|base| {
                let gendered = gender.map(|g| format!("{base}_{}", g.name()));
                gendered.into_iter().chain([base.clone()])
            })
            .collect();
        let found = |own: bool| {
            keys.iter()
                .filter_map(|key| self.get(key))
                .find(|s| !own || !s.fallback)
        };
        found(true).or_else(|| found(false))
    }

    /// The string of `key`, or `fallback` when the theme has none.
    pub(crate) fn get_or(&self, key: &str, fallback: &str, localizer: &Localizer) -> Localized {
        self.get(key)
            .cloned()
            .unwrap_or_else(|| localizer.text(&Text::Same(fallback.into())))
    }
}
