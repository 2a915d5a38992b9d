//! Errors and warnings of a build, each with the place in the site's files it came from.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

// How an editor fixes each problem: the help line under its message.
mod hint;

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
// Each variant's `#[error]` message is what the editor reads, and `docs/errors.md` lists every
// one of them with its fix (a test checks it does).
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("cannot read the file: {0}")]
    Unreadable(String),
    #[error("the file is not valid UTF-8 text")]
    InvalidUtf8,
    // serde_yaml's words, for what `WrongType`, `EmptyValue`, `MissingKey` and `BadValue`
    // do not cover.
    #[error("{0}")]
    Yaml(String),
    // The form of YAML (yaml-rust2's findings, in an editor's words: see content::yaml).
    #[error("a `:` is missing after `{key}`")]
    MissingColon { key: String, fix: String },
    #[error("a space is missing after `{key}:`")]
    MissingSpaceAfterColon { key: String, fix: String },
    #[error("this line is not lined up with the lines around it")]
    Misaligned,
    #[error("a list item (`- `) cannot start here")]
    ListItemHere,
    #[error("a tab is used here: YAML is indented with spaces only")]
    Tab,
    #[error("the text in quotes that starts here is never closed")]
    UnclosedQuote { quote: char },
    #[error("the text goes on after its closing quote")]
    TextAfterQuote { fix: Option<String> },
    #[error("the `{open}` opened here is never closed")]
    UnclosedBracket { open: char },
    #[error("a value with `: ` in it must be in quotes")]
    ColonInValue { fix: Option<String> },
    #[error("a value that starts with `{character}` must be in quotes")]
    ReservedStart {
        character: char,
        fix: Option<String>,
    },
    // yaml-rust2's words, for the rarer mistakes.
    #[error("this is not valid YAML ({0})")]
    Syntax(String),
    #[error("the key `{0}` is given a second time here")]
    DuplicateKey(String),
    #[error("the file is empty")]
    EmptyFile,
    #[error("an invisible character ({}) is here, which YAML does not allow", unicode_name(*.0))]
    ControlCharacter(char),
    #[error("lists and brackets are nested more than {limit} levels deep here")]
    YamlTooDeep { limit: usize },
    #[error("the file is larger than {limit_mib} MiB, the most majlis reads")]
    YamlTooLarge { limit_mib: usize },
    // Values of the wrong shape (serde_yaml's findings, in an editor's words).
    #[error("{subject} must be {expected}, not {found}")]
    WrongType {
        subject: String,
        expected: String,
        found: String,
        help: Option<String>,
    },
    #[error("{subject} has no value; it must be {expected}")]
    EmptyValue { subject: String, expected: String },
    #[error("{subject} has no `{key}`, which it must have")]
    MissingKey { subject: String, key: String },
    #[error("{subject} cannot be `{value}`: it is {expected}")]
    BadValue {
        subject: String,
        value: String,
        expected: String,
    },
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
    #[error("`{0}` is not a language code (such as en, fr, ar or pt-BR)")]
    BadLanguageCode(String),
    #[error("`{0}` is not a locale: a BCP 47 tag such as en-GB, fr-CA or ar-MA-u-hc-h23")]
    BadLocale(String),
    #[error("`gender: {0}` is not a gender a label can agree with")]
    BadGender(String),
    #[error(
        "`gender: {written}` differs from `gender: {other}` in another of the speaker's files"
    )]
    GenderDiffers {
        written: &'static str,
        other: &'static str,
    },
    #[error("the site has no languages")]
    NoLanguages,
    #[error("`{0}` is not a full web address starting with https:// (or http://)")]
    BadBaseUrl(String),
    #[error("`{url}` cannot be a URL as it is written: it holds {character:?}")]
    UrlCharacter { url: String, character: char },
    #[error("`{0}` is not an http, https or mailto URL")]
    BadOrganiserUrl(String),
    #[error("the {field} `{url}` is not an http or https URL")]
    BadSessionUrl { field: &'static str, url: String },
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
    #[error(
        "`{0}` cannot be part of an address: an id or slug has only letters, digits, `-` and `_`"
    )]
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
    #[error(
        "`{id}` is not one of the site's speakers or organisers: content/speakers/ has no file \
         for it, and no organiser of content/event.yaml has it as its `id`"
    )]
    UnknownSpeaker {
        id: String,
        /// The closest id of a speaker or an organiser, when one is close.
        suggestion: Option<String>,
        /// The file that would add the speaker, in the default language.
        file: String,
        /// The organisers' ids, which a session may name too.
        organisers: Vec<String>,
    },
    #[error("the organiser's id `{id}` is already the speaker `{speaker}` ({file}): organisers and speakers share one set of ids")]
    OrganiserIdOfSpeaker {
        id: String,
        speaker: String,
        file: String,
    },
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

/// `count` things in words: "no warnings", "1 error", "3 errors".
pub fn counted(count: usize, thing: &str) -> String {
    match count {
        0 => format!("no {thing}s"),
        1 => format!("1 {thing}"),
        n => format!("{n} {thing}s"),
    }
}

/// The name in `names` closest to `name`, if one is close enough to be a typo of it.
pub fn closest<'a>(name: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    names
        .into_iter()
        .map(|candidate| (strsim::damerau_levenshtein(candidate, name), candidate))
        .filter(|&(distance, candidate)| distance > 0 && distance <= 2.max(candidate.len() / 3))
        .min()
        .map(|(_, candidate)| candidate)
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

/// An error as an editor reads it, in its parts: what is wrong and where, the line of the
/// file with a caret under the column, and how to fix it. Control characters of the file's
/// name, the message and the line are shown escaped (see [`printable`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description {
    /// Where: `FILE:LINE:COL`.
    pub place: String,
    /// What is wrong.
    pub message: String,
    /// The line of the file, numbered, with a caret under the column: three lines meant for
    /// a fixed-width font, which must not wrap.
    pub source: Option<String>,
    /// How to fix it, when there is more to say than the message.
    pub help: Option<String>,
}

impl Description {
    /// Describes `error`, whose file is relative to `root`.
    pub fn of(error: &Error, root: &Path) -> Description {
        Description {
            place: printable(&error.place.to_string()).into_owned(),
            message: printable(&error.problem.to_string()).into_owned(),
            source: error.place.position.and_then(|(line, column)| {
                source_excerpt(&root.join(&error.place.file), line, column)
            }),
            help: error
                .problem
                .hint()
                .map(|hint| printable(&hint).into_owned()),
        }
    }
}

/// Shows an error as the terminal does: `error: FILE:LINE:COL: message`, the line itself
/// with a caret under the column, and `= help:` with the fix.
pub fn describe(error: &Error, root: &Path) -> String {
    let description = Description::of(error, root);
    let mut text = format!("error: {}: {}\n", description.place, description.message);
    if let Some(source) = &description.source {
        text.push_str(source);
    }
    if let Some(help) = &description.help {
        text.push_str(&format!("  = help: {help}\n"));
    }
    text
}

/// Line `line` of the file at `path`, numbered, with a caret under `column`.
fn source_excerpt(path: &Path, line: usize, column: usize) -> Option<String> {
    let source = source_line(path, line)?;
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
    Some(format!(
        "{gutter} |\n{number} | {}\n{gutter} | {caret_at}^\n",
        printable(&shown)
    ))
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
