//! Translatable text: the same in every language, or one string per language.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

/// A text field of the content: one string for every language (a person's name, an acronym)
/// or a string per language code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Text {
    /// The same in every language.
    Same(String),
    /// One string per language code.
    PerLanguage(BTreeMap<String, String>),
}

/// The text chosen for a language, and the language it is actually in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chosen<'a> {
    /// The text.
    pub text: &'a str,
    /// The language it is in: the one asked for, or the one it fell back to; `None` when the
    /// text is the same in every language.
    pub lang: Option<&'a str>,
}

impl Text {
    /// The text in `lang`, falling back to `default`, then to the first language it has.
    pub fn get<'a>(&'a self, lang: &str, default: &str) -> Chosen<'a> {
        match self {
            Text::Same(text) => Chosen { text, lang: None },
            Text::PerLanguage(map) => {
                let (code, text) = map
                    .get_key_value(lang)
                    .or_else(|| map.get_key_value(default))
                    .or_else(|| map.iter().next())
                    .map(|(c, t)| (c.as_str(), t.as_str()))
                    .unwrap_or(("", ""));
                Chosen {
                    text,
                    lang: Some(code).filter(|c| !c.is_empty()),
                }
            }
        }
    }

    /// Whether the text has its own version in `lang` (text that is the same everywhere has).
    pub fn has(&self, lang: &str) -> bool {
        match self {
            Text::Same(_) => true,
            Text::PerLanguage(map) => map.contains_key(lang),
        }
    }

    /// The language codes it is written in, when it is written per language.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        let codes: Vec<&str> = match self {
            Text::Same(_) => Vec::new(),
            Text::PerLanguage(map) => map.keys().map(String::as_str).collect(),
        };
        codes.into_iter()
    }

    /// Adds the version in `lang` (used to gather per-language files into one text).
    pub fn insert(&mut self, lang: &str, text: String) {
        match self {
            Text::Same(_) => *self = Text::PerLanguage(BTreeMap::from([(lang.to_string(), text)])),
            Text::PerLanguage(map) => {
                map.insert(lang.to_string(), text);
            }
        }
    }

    /// A text with no version yet, to be filled by [`Text::insert`].
    pub fn empty() -> Text {
        Text::PerLanguage(BTreeMap::new())
    }

    /// Whether it has no version in any language.
    pub fn is_empty(&self) -> bool {
        matches!(self, Text::PerLanguage(map) if map.is_empty())
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a text, or one text per language (en: …, fr: …)")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
        Ok(Text::Same(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
        Ok(Text::Same(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
        Ok(Text::Same(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
        Ok(Text::Same(v.to_string()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Text, A::Error> {
        let mut map = BTreeMap::new();
        while let Some(code) = access.next_key::<String>()? {
            let text: TextValue = access.next_value()?;
            if map.insert(code.clone(), text.0).is_some() {
                return Err(de::Error::custom(format!(
                    "the language `{code}` is given twice"
                )));
            }
        }
        Ok(Text::PerLanguage(map))
    }
}

/// One language's version inside a per-language map: a string (numbers are taken as text).
struct TextValue(String);

impl<'de> Deserialize<'de> for TextValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<TextValue, D::Error> {
        match deserializer.deserialize_any(TextVisitor)? {
            Text::Same(s) => Ok(TextValue(s)),
            Text::PerLanguage(_) => Err(de::Error::custom(
                "expected the text of one language here, not another map",
            )),
        }
    }
}
