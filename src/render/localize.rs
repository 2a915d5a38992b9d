//! What templates see: the event's text chosen for one language, with fallbacks marked.

use std::sync::Arc;

use serde::Serialize;

use super::markdown;
use crate::config::{Config, Direction, Language};
use crate::memo::{Digest, Memo};
use crate::text::{Chosen, Text};

/// Text chosen for a page's language. `html` is the escaped text, wrapped in an element with
/// its own `lang` and `dir` when it fell back to another language.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Localized {
    /// The plain text, for attributes.
    pub text: String,
    /// The text as HTML, for content.
    pub html: String,
    /// The language it is in.
    pub lang: String,
    /// Its direction.
    pub dir: &'static str,
    /// Whether it is not in the page's language.
    pub fallback: bool,
}

/// Chooses text for one language of the site.
pub(super) struct Localizer<'a> {
    /// The page's language.
    pub language: &'a Language,
    config: &'a Config,
    /// Markdown rendered by earlier builds.
    rendered: &'a Memo<Arc<str>>,
}

impl<'a> Localizer<'a> {
    /// A localizer for `language`, which takes Markdown already rendered from `rendered`.
    pub(super) fn new(
        config: &'a Config,
        language: &'a Language,
        rendered: &'a Memo<Arc<str>>,
    ) -> Localizer<'a> {
        Localizer {
            language,
            config,
            rendered,
        }
    }

    fn default_code(&self) -> &str {
        &self.config.default_language().code
    }

    /// The language a chosen text is in, if it is not the page's, with its direction. It
    /// may be a key of the editor's that is not one of the site's languages (a text written
    /// only in `xx`), so it is escaped wherever it is written.
    fn foreign(&self, chosen: Chosen) -> Option<(String, Direction)> {
        let code = chosen.lang?;
        if code == self.language.code {
            return None;
        }
        let direction = match self.config.language(code) {
            Some(l) => l.direction,
            None => code
                .parse()
                .map(|l| Direction::of(&l))
                .unwrap_or(Direction::Ltr),
        };
        Some((code.to_string(), direction))
    }

    /// A text field in this language.
    pub(super) fn text(&self, text: &Text) -> Localized {
        let chosen = text.get(&self.language.code, self.default_code());
        let foreign = self.foreign(chosen);
        let direction = foreign.as_ref().map_or(self.language.direction, |f| f.1);
        let escaped = match direction {
            Direction::Rtl => markdown::escape(&markdown::codes_kept_whole(chosen.text)),
            Direction::Ltr => markdown::escape(chosen.text),
        };
        match foreign {
            Some((lang, dir)) => Localized {
                text: chosen.text.to_string(),
                html: format!(
                    r#"<span lang="{}" dir="{}">{escaped}</span>"#,
                    markdown::escape(&lang),
                    dir.as_str()
                ),
                lang,
                dir: dir.as_str(),
                fallback: true,
            },
            None => Localized {
                text: chosen.text.to_string(),
                html: escaped,
                lang: self.language.code.clone(),
                dir: self.language.direction.as_str(),
                fallback: false,
            },
        }
    }

    /// An optional text field.
    pub(super) fn optional(&self, text: &Option<Text>) -> Option<Localized> {
        text.as_ref()
            .filter(|t| !t.is_empty())
            .map(|t| self.text(t))
    }

    /// A Markdown field rendered to HTML in this language, in a `<div lang dir>` when it fell
    /// back.
    pub(super) fn markdown(&self, text: &Text) -> Option<String> {
        if text.is_empty() {
            return None;
        }
        let chosen = text.get(&self.language.code, self.default_code());
        if chosen.text.trim().is_empty() {
            return None;
        }
        let raw_html = self.config.raw_html;
        let foreign = self.foreign(chosen);
        let rtl = foreign.as_ref().map_or(self.language.direction, |f| f.1) == Direction::Rtl;
        let html = self.rendered.get_or(
            || {
                Digest::new("markdown")
                    .part(&[u8::from(raw_html), u8::from(rtl)])
                    .part(chosen.text.as_bytes())
                    .finish()
            },
            || markdown::to_html(chosen.text, raw_html, rtl).into(),
        );
        Some(match foreign {
            Some((lang, dir)) => {
                let lang = markdown::escape(&lang);
                format!(r#"<div lang="{lang}" dir="{}">{html}</div>"#, dir.as_str())
            }
            None => html.to_string(),
        })
    }
}
