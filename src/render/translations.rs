//! The translation report (`majlis check --translations`): for each language of the site,
//! what it lacks (a text of a content file, a whole file, an interface string) and how much of
//! it is translated, as text for the terminal or as CSV for a translator's spreadsheet.

use crate::config::Config;
use crate::diagnostics::{printable, Place};
use crate::event::{Event, Translatable};

use super::strings::untranslated;
use super::theme::Theme;

/// What a missing translation is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A text of `content/event.yaml` or `content/programme.yaml`.
    Text,
    /// A speaker's or a page's file.
    File,
    /// One of the theme's interface strings.
    Interface,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::File => "file",
            Kind::Interface => "interface string",
        }
    }
}

/// One translation a language lacks.
#[derive(Debug)]
struct Missing {
    kind: Kind,
    /// Where its translation goes.
    place: Place,
    /// The field's or the string's key; none for a file.
    field: Option<String>,
    /// The language shown instead, and what is shown (a text, or the file it is in).
    source: (String, String),
}

/// One language's part of the report.
#[derive(Debug)]
struct Language {
    code: String,
    name: String,
    /// How many texts, files and interface strings the site has for each language.
    total: usize,
    missing: Vec<Missing>,
}

impl Language {
    /// The share translated, in whole percent, rounded down: 100% only when nothing lacks.
    fn completeness(&self) -> usize {
        match self.total {
            0 => 100,
            total => (total - self.missing.len()) * 100 / total,
        }
    }
}

/// The translation report of a site.
#[derive(Debug)]
pub struct Report {
    languages: Vec<Language>,
}

/// The columns of the CSV report, its first row.
const COLUMNS: [&str; 9] = [
    "language",
    "completeness",
    "kind",
    "file",
    "line",
    "field",
    "source_language",
    "source",
    "translated_of_total",
];

impl Report {
    /// The report of a checked site, whose interface strings are `theme`'s.
    pub(crate) fn new(config: &Config, event: &Event, theme: &Theme) -> Report {
        let interface = untranslated(config, event, theme);
        // The content's in file order (by the place of its first missing language, where
        // its line is), then the interface strings by key.
        let mut content: Vec<(Kind, &Translatable)> = event
            .translations
            .gaps
            .iter()
            .map(|t| match t.field {
                Some(_) => (Kind::Text, t),
                None => (Kind::File, t),
            })
            .collect();
        content.sort_by_key(|(_, t)| t.missing.first().map(|m| m.1.clone()));
        let items: Vec<(Kind, &Translatable)> = content
            .into_iter()
            .chain(interface.iter().map(|t| (Kind::Interface, t)))
            .collect();
        let languages = config
            .languages
            .iter()
            .map(|language| {
                let missing = items
                    .iter()
                    .filter_map(|(kind, item)| {
                        let (_, place) = item.missing.iter().find(|m| m.0 == language.code)?;
                        Some(Missing {
                            kind: *kind,
                            place: place.clone(),
                            field: item.field.clone(),
                            source: item.source.clone(),
                        })
                    })
                    .collect();
                Language {
                    code: language.code.clone(),
                    name: language.name.clone(),
                    total: event.translations.complete + items.len(),
                    missing,
                }
            })
            .collect();
        Report { languages }
    }

    /// Whether every language has everything.
    pub fn is_complete(&self) -> bool {
        self.languages.iter().all(|l| l.missing.is_empty())
    }

    /// The report as the terminal shows it: a line per language with its figure, then what
    /// it lacks, one line each, the text shown instead cut short.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for language in &self.languages {
            line(
                &mut out,
                &format!(
                    "{} ({}): {}% translated, {} of {}",
                    language.code,
                    language.name,
                    language.completeness(),
                    language.total - language.missing.len(),
                    language.total
                ),
            );
            for missing in &language.missing {
                let what = match (&missing.field, missing.kind) {
                    (Some(key), Kind::Interface) => format!("interface string `{key}`"),
                    (Some(key), _) => format!("`{key}`"),
                    (None, _) => "the file".to_string(),
                };
                let (lang, shown) = &missing.source;
                line(
                    &mut out,
                    &format!("  {}: {what} ({lang}: {})", missing.place, excerpt(shown)),
                );
            }
        }
        out
    }

    /// The report as CSV: a row per missing translation, and a row with no file for a
    /// language that lacks nothing, each with its language's figure.
    pub fn csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let mut rows: Vec<[String; 9]> = Vec::new();
        for language in &self.languages {
            let figure = format!("{}%", language.completeness());
            let counts = format!(
                "{} of {}",
                language.total - language.missing.len(),
                language.total
            );
            if language.missing.is_empty() {
                rows.push([
                    language.code.clone(),
                    figure.clone(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    counts.clone(),
                ]);
            }
            for missing in &language.missing {
                rows.push([
                    language.code.clone(),
                    figure.clone(),
                    missing.kind.name().to_string(),
                    missing.place.file.display().to_string().replace('\\', "/"),
                    missing
                        .place
                        .line()
                        .map(|l| l.to_string())
                        .unwrap_or_default(),
                    missing.field.clone().unwrap_or_default(),
                    missing.source.0.clone(),
                    missing.source.1.clone(),
                    counts.clone(),
                ]);
            }
        }
        let written = std::iter::once(COLUMNS.map(String::from))
            .chain(rows)
            .try_for_each(|row| writer.write_record(row.iter().map(|cell| inert(cell))));
        // Writing into memory cannot fail, nor can taking the bytes back.
        written.expect("CSV into memory");
        let bytes = writer.into_inner().expect("CSV into memory");
        String::from_utf8(bytes).expect("CSV of UTF-8 text is UTF-8")
    }
}

/// A cell as a spreadsheet takes it as text: one that begins as a formula would (`=`, `+`,
/// `-`, `@`, a tab or a carriage return) gets an apostrophe first, which spreadsheets read as
/// "text follows", so that a text an editor wrote (`=HYPERLINK(…)`, or a Markdown list's
/// `- `) is never run when the translator opens the file (OWASP's "CSV injection").
fn inert(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// Adds a line of the report, its control characters escaped as a terminal must see them
/// (see [`printable`]).
fn line(out: &mut String, text: &str) {
    out.push_str(&printable(text));
    out.push('\n');
}

/// A text on one line, cut at 60 characters.
fn excerpt(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line,
    }
}
