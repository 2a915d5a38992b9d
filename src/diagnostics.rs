//! Errors and warnings of a build, each with the place in the site's files it came from.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

/// Where something is in the site's sources: a file relative to the site's root and, when
/// known, a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    /// The file, relative to the site's root.
    pub file: PathBuf,
    /// Line and column, both 1-based.
    pub position: Option<(usize, usize)>,
}

impl Place {
    /// The whole file, with no line.
    pub(crate) fn file(file: impl Into<PathBuf>) -> Place {
        Place {
            file: file.into(),
            position: None,
        }
    }

    /// A line and column of a file.
    pub(crate) fn at(file: impl Into<PathBuf>, line: usize, column: usize) -> Place {
        Place {
            file: file.into(),
            position: Some((line, column)),
        }
    }

    /// The line, when known.
    pub fn line(&self) -> Option<usize> {
        self.position.map(|(line, _)| line)
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display().to_string().replace('\\', "/");
        match self.position {
            Some((line, column)) => write!(f, "{file}:{line}:{column}"),
            None => write!(f, "{file}"),
        }
    }
}

/// What is wrong with a site: one variant per rule of the content model.
// Each variant's `#[error]` message is its documentation, and what the editor reads.
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("cannot read: {0}")]
    Unreadable(String),
    #[error("the file is not valid UTF-8 text")]
    InvalidUtf8,
    #[error("{0}")]
    Yaml(String),
    #[error("the key `{0}` is given twice in the same mapping")]
    DuplicateKey(String),
    #[error("the file is empty")]
    EmptyFile,
    #[error("the control character {} is not allowed in YAML", unicode_name(*.0))]
    ControlCharacter(char),
    #[error("the YAML is nested more than {limit} levels deep")]
    YamlTooDeep { limit: usize },
    #[error("the YAML is larger than {limit_mib} MiB, the most majlis reads")]
    YamlTooLarge { limit_mib: usize },
    #[error("unknown key `{key}`")]
    UnknownKey {
        key: String,
        suggestion: Option<String>,
        expected: Vec<&'static str>,
    },
    #[error("the front matter opened on line 1 is never closed by a `---` line")]
    FrontMatterNotClosed,
    #[error("the file has no front matter (a block between `---` lines at its top)")]
    FrontMatterMissing,
    #[error("`{0}` is not a known time zone")]
    UnknownTimeZone(String),
    #[error("`{0}` is not a date of the form YYYY-MM-DD")]
    BadDate(String),
    #[error("`{0}` is not a time of the form HH:MM (00:00 to 23:59)")]
    BadTime(String),
    #[error("the default language `{0}` is not one of the site's languages")]
    DefaultLanguageNotListed(String),
    #[error("the language `{0}` is listed twice")]
    DuplicateLanguage(String),
    #[error("`{0}` is not a valid BCP 47 language code")]
    BadLanguageCode(String),
    #[error("the site has no languages")]
    NoLanguages,
    #[error("`{0}` is not an absolute http(s) URL")]
    BadBaseUrl(String),
    #[error("`{url}` cannot be a URL as it is written: it holds {character:?}")]
    UrlCharacter { url: String, character: char },
    #[error("`{0}` is not an http, https or mailto URL")]
    BadOrganiserUrl(String),
    #[error("the photo `{photo}` {reason}")]
    BadPhoto { photo: String, reason: &'static str },
    #[error("the event ends ({end}) before it starts ({start})")]
    EventEndsBeforeStart { start: String, end: String },
    #[error("the event would last {days} days; events of more than a year are not supported")]
    EventTooLong { days: i64 },
    #[error("the day {date} is outside the event's dates ({start} to {end})")]
    DayOutsideEvent {
        date: String,
        start: String,
        end: String,
    },
    #[error("the day {0} appears twice in the programme")]
    DuplicateDay(String),
    #[error("{time} does not exist on {date} in {zone}: the clocks go forward from {from} to {to}; the times before {from} and from {to} on exist")]
    TimeSkipped {
        time: String,
        date: String,
        zone: String,
        from: String,
        to: String,
    },
    #[error("the session ends at {end}, which is not after its start at {start}")]
    EndNotAfterStart { start: String, end: String },
    #[error("`{0}` is not a URL-safe id (use lowercase letters, digits and hyphens)")]
    UnsafeId(String),
    #[error("the id `{id}` is already used at {first}")]
    DuplicateId { id: String, first: String },
    #[error("`{name}` differs from `{other}` ({first}) only in case: they would be the same file on most computers and hosts")]
    CaseClash {
        name: String,
        other: String,
        first: String,
    },
    #[error("`{start}…` is {length} characters long; an id or URL segment has at most {limit}")]
    NameTooLong {
        start: String,
        length: usize,
        limit: usize,
    },
    #[error("no speaker `{id}` (the {field} names a speaker with no file content/speakers/{id}.LANG.md)")]
    UnknownSpeaker { id: String, field: &'static str },
    #[error("`{kind}` is not a session kind")]
    UnknownKind {
        kind: String,
        /// Every kind there is, listed in the fix.
        kinds: Vec<&'static str>,
    },
    #[error("session `{id}` overlaps session `{other}` ({other_time}){location}")]
    Overlap {
        id: String,
        other: String,
        other_time: String,
        location: String,
    },
    #[error("the speaker's `name` is empty")]
    EmptyName,
    #[error("the URL segment `{slug}` is already used by {other}")]
    SlugTaken { slug: String, other: String },
    #[error("the theme `{0}` has no folder themes/{0}/")]
    UnknownTheme(String),
    #[error("the output folder holds its own `{0}`, which the build writes: move it to content/static/{0}, where majlis keeps it whole and adds its own rules")]
    HostFileOwned(String),
    #[error("{0} (the _headers format: a path on a line of its own, then its headers on indented lines, `Name: value`)")]
    BadHeaders(&'static str),
    #[error("template error: {0}")]
    Template(String),
    #[error("the output folder {0}")]
    BadOutput(String),
    #[error(
        "the output folder is not empty and was not made by majlis: it holds {entries}; \
         `majlis build --force` builds into it anyway"
    )]
    ForeignOutput { entries: String },
    #[error("the folder that holds the output folder `{name}` cannot be written ({why})")]
    OutputParentUnwritable { name: String, why: String },
    #[error("the symbolic link leads outside the site, to {0}")]
    LinkOutsideSite(String),
    #[error("the symbolic link leads to {0}, hidden in the site, which is never published")]
    LinkToHidden(String),
    #[error("cannot write the output: {0}")]
    Write(String),
}

impl Problem {
    /// How an editor fixes it, when there is more to say than the message.
    pub(crate) fn hint(&self) -> Option<String> {
        Some(match self {
            Problem::UnknownKey {
                suggestion: Some(s),
                ..
            } => format!("did you mean `{s}`?"),
            Problem::UnknownKey { expected, .. } if !expected.is_empty() => {
                format!("the keys allowed here are: {}", expected.join(", "))
            }
            Problem::FrontMatterNotClosed => {
                "add a line with only `---` after the last key of the front matter".into()
            }
            Problem::UnknownTimeZone(_) => {
                "use an IANA time zone name such as Africa/Casablanca or Europe/Paris".into()
            }
            Problem::BadTime(_) => "write the time in quotes, e.g. start: \"09:30\"".into(),
            Problem::TimeSkipped { from, to, .. } => {
                format!("write the time the clocks really show: before {from}, or {to} or later")
            }
            Problem::UnknownKind { kinds, .. } => format!("use one of: {}", kinds.join(", ")),
            Problem::UnknownSpeaker { id, .. } => format!(
                "check the spelling of the id, or create content/speakers/{id}.LANG.md"
            ),
            Problem::UnsafeId(_) => "for example: panel-1, opening, coffee-break".into(),
            Problem::CaseClash { .. } => {
                "give one of them another name, or write both the same way".into()
            }
            Problem::NameTooLong { .. } => {
                "shorten it: the id appears in addresses and file names (opening, panel-2)".into()
            }
            Problem::Overlap { .. } => {
                "change a time, or give the sessions different `location`s".into()
            }
            Problem::InvalidUtf8 => "save the file as UTF-8 in your text editor".into(),
            Problem::ControlCharacter(_) => {
                "delete it (most editors do not show it: delete the characters around the \
                 column and type them again)"
                    .into()
            }
            Problem::YamlTooDeep { .. } => {
                "look for `[` or `{` that are never closed, or lines indented too far".into()
            }
            Problem::YamlTooLarge { .. } => {
                "check that this is the file you meant; split a very large text into several"
                    .into()
            }
            Problem::EventTooLong { .. } => "check the years of start_date and end_date".into(),
            Problem::ForeignOutput { .. } => {
                "check the folder given; with `--force`, its files are kept (those at the \
                 paths the site publishes are replaced), with their modes and owners"
                    .into()
            }
            Problem::OutputParentUnwritable { .. } => {
                "a build makes the new output beside the last one and swaps the two: let \
                 majlis write in this folder, or give another `--output`"
                    .into()
            }
            Problem::LinkOutsideSite(_) | Problem::LinkToHidden(_) => {
                "copy the file into the site instead of linking to it".into()
            }
            Problem::BadBaseUrl(url) if url.contains(['?', '#']) => {
                "the address of the site's folder cannot have a query (?) or a fragment (#)".into()
            }
            Problem::BadBaseUrl(url)
                if !url
                    .split('/')
                    .nth(2)
                    .is_some_and(|host| host.is_ascii()) =>
            {
                "write an international domain name in its ASCII form (xn--…)".into()
            }
            Problem::BadBaseUrl(_) => {
                "write the whole address, such as https://events.example.org/meeting/".into()
            }
            Problem::UrlCharacter { character, .. } => format!(
                "write it percent-encoded ({}) or leave it out",
                character
                    .to_string()
                    .bytes()
                    .map(|b| format!("%{b:02X}"))
                    .collect::<String>()
            ),
            Problem::BadOrganiserUrl(_) => {
                "write the whole address, such as https://www.example.org/ or mailto:team@example.org"
                    .into()
            }
            Problem::BadPhoto { .. } => {
                "put the photo in content/static/ and write its path from there, such as speakers/jane-doe.jpg"
                    .into()
            }
            Problem::DefaultLanguageNotListed(_) => {
                "add it under `languages:` or choose one of the listed codes".into()
            }
            _ => return None,
        })
    }
}

/// `U+0000`: how a character that cannot be shown is named.
fn unicode_name(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// An error: a problem at a place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{place}: {problem}")]
pub struct Error {
    /// Where it is.
    pub place: Place,
    /// What is wrong (boxed: errors travel in `Result`s and should stay small).
    pub problem: Box<Problem>,
}

impl Error {
    /// An error at a place.
    pub(crate) fn new(place: Place, problem: Problem) -> Error {
        Error {
            place,
            problem: Box::new(problem),
        }
    }
}

/// What a build found that it could work around, such as a missing translation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// Where it is.
    pub place: Place,
    /// What is missing or odd.
    pub message: String,
}

impl fmt::Display for Warning {
    /// As the terminal shows it: control characters escaped (see [`printable`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = format!("{}: warning: {}", self.place, self.message);
        f.write_str(&printable(&text))
    }
}

/// Every error of a run, reported together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Errors(pub Vec<Error>);

impl Errors {
    /// Adds one error.
    pub(crate) fn push(&mut self, place: Place, problem: Problem) {
        self.0.push(Error::new(place, problem));
    }

    /// Ok when nothing was found, else every error in file order.
    pub(crate) fn into_result(mut self) -> Result<(), Errors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            self.0.sort_by(|a, b| a.place.cmp(&b.place));
            self.0.dedup();
            Err(self)
        }
    }
}

impl From<Error> for Errors {
    fn from(error: Error) -> Errors {
        Errors(vec![error])
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for error in &self.0 {
            writeln!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

/// Shows an error as an editor reads it: `FILE:LINE:COL: message`, the line itself with a
/// caret under the column, and how to fix it. Control characters of the file's name, the
/// message and the line are shown escaped (see [`printable`]).
pub fn describe(error: &Error, root: &Path) -> String {
    let mut text = format!("error: {}\n", printable(&error.to_string()));
    if let Some((line, column)) = error.place.position {
        if let Some(source) = source_line(&root.join(&error.place.file), line) {
            let (shown, column) = around(&source, column);
            let number = line.to_string();
            let gutter = " ".repeat(number.len());
            let caret_at: String = shown
                .chars()
                .take(column.saturating_sub(1))
                .map(|c| match c {
                    '\t' => "\t".to_string(),
                    c => " ".repeat(printable(c.encode_utf8(&mut [0; 4])).chars().count()),
                })
                .collect();
            text.push_str(&format!(
                "{gutter} |\n{number} | {}\n{gutter} | {caret_at}^\n",
                printable(&shown)
            ));
        }
    }
    if let Some(hint) = error.problem.hint() {
        text.push_str(&format!("  = help: {}\n", printable(&hint)));
    }
    text
}

/// The most characters of a source line an error shows.
const SHOWN: usize = 100;

/// The part of a long `line` around `column` (cut with `…`), and the column in it.
fn around(line: &str, column: usize) -> (String, usize) {
    let length = line.chars().count();
    if length <= SHOWN {
        return (line.to_string(), column);
    }
    let start = column.saturating_sub(SHOWN / 2).min(length - SHOWN);
    let mut shown: String = if start > 0 {
        "…".into()
    } else {
        String::new()
    };
    shown.extend(line.chars().skip(start).take(SHOWN));
    if start + SHOWN < length {
        shown.push('…');
    }
    (shown, column - start + usize::from(start > 0))
}

/// Text safe to print to a terminal: control characters (but tab) and the invisible
/// characters that reorder text (bidirectional overrides and isolates, the "Trojan Source"
/// characters of CVE-2021-42574) written as `<U+001B>`, so that a file cannot move the
/// cursor, recolour the terminal or disguise what it contains.
pub fn printable(text: &str) -> Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.contains(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("<{}>", unicode_name(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Line `line` of a file, counted as YAML counts lines (a CR alone ends one too).
fn source_line(path: &Path, line: usize) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    text.split('\n')
        .flat_map(|l| {
            let l = l.strip_suffix('\r').unwrap_or(l);
            l.split('\r')
        })
        .nth(line.checked_sub(1)?)
        .map(|l| l.trim_start_matches('\u{feff}').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_for_the_terminal_and_text_is_kept() {
        assert_eq!(printable("a\u{1b}[31mb\0"), "a<U+001B>[31mb<U+0000>");
        assert_eq!(printable("x\u{202e}y"), "x<U+202E>y");
        assert!(matches!(printable("مرحبا\tok"), Cow::Borrowed("مرحبا\tok")));
    }

    #[test]
    fn a_long_line_is_shown_around_the_column() {
        let line = format!("{}X{}", "a".repeat(500), "b".repeat(500));
        let (shown, column) = around(&line, 501);
        assert_eq!(shown.chars().count(), SHOWN + 2);
        assert_eq!(shown.chars().nth(column - 1), Some('X'));
        assert_eq!(around("short", 3), ("short".to_string(), 3));
    }
}
