//! How a language joins and counts, from CLDR data (ICU4X): names joined into a list ("A, B
//! et C", "A وB وC"), and the plural category of a count (Arabic has six), which chooses the
//! form of a counted interface string (see [`super::strings::Strings::form`]).

use icu_list::options::{ListFormatterOptions, ListLength};
use icu_list::ListFormatter;
use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralRules};

/// A language's list patterns and plural rules.
pub(crate) struct Grammar {
    and: ListFormatter,
    plurals: PluralRules,
}

impl Grammar {
    /// The grammar of a locale (ICU4X falls back to a parent locale, then to the root).
    pub(crate) fn new(locale: &Locale) -> Result<Grammar, String> {
        let options = ListFormatterOptions::default().with_length(ListLength::Wide);
        Ok(Grammar {
            and: ListFormatter::try_new_and(locale.into(), options).map_err(|e| e.to_string())?,
            plurals: PluralRules::try_new_cardinal(locale.into()).map_err(|e| e.to_string())?,
        })
    }

    /// Items joined as the language lists them: "A, B and C".
    pub(crate) fn and_list<S: AsRef<str>>(&self, items: &[S]) -> String {
        self.and.format_to_string(items.iter().map(|s| s.as_ref()))
    }

    /// The CLDR plural category of a count, as the suffix of a counted string's form:
    /// `zero`, `one`, `two`, `few`, `many` or `other`.
    pub(crate) fn category(&self, count: usize) -> &'static str {
        match self.plurals.category_for(count) {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grammar(code: &str) -> Grammar {
        Grammar::new(&code.parse().unwrap()).unwrap()
    }

    #[test]
    fn names_are_joined_as_each_language_lists_them() {
        let names = ["A", "B", "C"];
        assert_eq!(grammar("fr").and_list(&names), "A, B et C");
        assert_eq!(grammar("ar").and_list(&names), "A وB وC");
        assert_eq!(grammar("en").and_list(&names), "A, B, and C");
        assert_eq!(grammar("en-GB").and_list(&names), "A, B and C");
        assert_eq!(grammar("fr").and_list(&names[..1]), "A");
    }

    #[test]
    fn arabic_counts_have_six_forms() {
        let ar = grammar("ar");
        let forms: Vec<&str> = [0, 1, 2, 3, 10, 11, 99, 100, 102]
            .into_iter()
            .map(|n| ar.category(n))
            .collect();
        assert_eq!(
            forms,
            ["zero", "one", "two", "few", "few", "many", "many", "other", "other"]
        );
        assert_eq!(grammar("fr").category(0), "one");
        assert_eq!(grammar("en").category(0), "other");
    }
}
