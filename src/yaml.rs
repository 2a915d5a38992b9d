//! Reading the site's YAML with the place of every error: a first pass with yaml-rust2 that
//! reports mistakes of form at their own place and finds the line and column of every value
//! by its path (for errors found after parsing), then serde_yaml for the values. Below the
//! configuration and the content, which both read YAML files of the site.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostics::{Error, Place, Problem};

/// A parsed YAML file with the places of its values.
#[derive(Debug)]
pub(crate) struct Located<T> {
    /// The file, relative to the site's root.
    pub(crate) file: PathBuf,
    /// Its content.
    pub(crate) value: T,
    /// Where each value is.
    pub(crate) locator: Locator,
}

impl<T> Located<T> {
    /// The place of the value at `path` (`days.0.sessions.1.end`).
    pub(crate) fn place(&self, path: &str) -> Place {
        self.locator.place(&self.file, path)
    }
}

/// Refuses a file of the site at `root` (`file`, relative to it) that is, once symbolic
/// links are followed, outside the site or hidden in it (a hidden file, or in a hidden
/// folder but `.well-known/`). A file that does not exist is left to whoever reads it to
/// report.
pub(crate) fn check_inside_site(root: &Path, file: &Path) -> Result<(), Error> {
    let (Ok(site), Ok(real)) = (
        std::fs::canonicalize(root),
        std::fs::canonicalize(root.join(file)),
    ) else {
        return Ok(());
    };
    let Ok(inside) = real.strip_prefix(&site) else {
        let problem = Problem::LinkOutsideSite(real.display().to_string());
        return Err(Error::new(Place::file(file), problem));
    };
    let hidden = inside.components().any(|part| {
        let name = part.as_os_str().to_string_lossy();
        name.starts_with('.') && name != ".well-known"
    });
    if hidden {
        let problem = Problem::LinkToHidden(inside.display().to_string());
        return Err(Error::new(Place::file(file), problem));
    }
    Ok(())
}

/// Reads a source file as text: UTF-8, with a byte-order mark tolerated and dropped.
pub(crate) fn read_text(root: &Path, file: &Path) -> Result<String, Error> {
    let bytes = std::fs::read(root.join(file))
        .map_err(|e| Error::new(Place::file(file), Problem::Unreadable(e.to_string())))?;
    decode(bytes, file)
}

/// Decodes UTF-8, naming the line and column of the first invalid byte.
pub fn decode(bytes: Vec<u8>, file: &Path) -> Result<String, Error> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        }),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let valid = String::from_utf8_lossy(valid);
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Err(Error::new(
                Place::at(file, line, column),
                Problem::InvalidUtf8,
            ))
        }
    }
}

/// The deepest nesting a YAML file may have. The content model needs six levels (a day's
/// session's title per language); nothing an editor means goes near this, and libyaml, under
/// serde_yaml, slows down with the square of the depth of nested `[` (100,000 took a minute).
pub(crate) const MAX_DEPTH: usize = 64;

/// The largest YAML text majlis reads, in bytes: a programme of 10,000 sessions in three
/// languages is about a tenth of it (the example's is 700 bytes a session). More is a file
/// that is not a programme (a log saved under its name).
pub(crate) const MAX_BYTES: usize = 64 << 20;

/// Parses YAML into `T` with the places of its values; `first_line` is the line of the file
/// the text starts after (for front matter), so that errors name the file's own line.
///
/// The text is first read once through yaml-rust2 ([`Locator::read`]), which reports the
/// first syntax error at its own place, a key given twice, a control character, and text too
/// deep or too large, before serde_yaml sees it: serde_yaml turns the events it had before a
/// syntax error into a value and reports what that value lacks ("missing field `title`" at
/// the session's first line) rather than the syntax error a few lines lower.
pub fn parse_located<T: DeserializeOwned>(
    text: &str,
    file: &Path,
    first_line: usize,
) -> Result<(T, Locator), Error> {
    let locator = Locator::read(text, file, first_line)?;
    Ok((deserialize(text, file, first_line)?, locator))
}

/// Parses YAML into `T`, checked as [`parse_located`] does, without keeping the places.
pub(crate) fn parse<T: DeserializeOwned>(
    text: &str,
    file: &Path,
    first_line: usize,
) -> Result<T, Error> {
    parse_located(text, file, first_line).map(|(value, _)| value)
}

/// Deserialises YAML text that [`Locator::read`] accepted into `T`.
pub(crate) fn deserialize<T: DeserializeOwned>(
    text: &str,
    file: &Path,
    first_line: usize,
) -> Result<T, Error> {
    serde_yaml::from_str(text).map_err(|e| {
        let place = match e.location() {
            Some(l) => Place::at(file, l.line() + first_line, l.column()),
            None => Place::at(file, first_line + 1, 1),
        };
        Error::new(place, problem_of(&e))
    })
}

/// Turns serde's message into a problem an editor can act on.
fn problem_of(error: &serde_yaml::Error) -> Problem {
    let message = error.to_string();
    // serde_yaml appends " at line L column C": the place is reported separately.
    let message = match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    if let Some(rest) = message.split("unknown field `").nth(1) {
        let key = rest.split('`').next().unwrap_or_default().to_string();
        let expected: Vec<&'static str> = KNOWN_KEYS
            .iter()
            .copied()
            .filter(|k| rest.contains(&format!("`{k}`")))
            .collect();
        let suggestion = expected
            .iter()
            .map(|k| (strsim::damerau_levenshtein(k, &key), *k))
            .filter(|(d, k)| *d <= 2.max(k.len() / 3))
            .min()
            .map(|(_, k)| k.to_string());
        return Problem::UnknownKey {
            key,
            suggestion,
            expected,
        };
    }
    Problem::Yaml(message)
}

/// Every key of the content model, so that an unknown key's message can list and suggest them
/// with static names.
const KNOWN_KEYS: &[&str] = &[
    "base_url",
    "default_language",
    "languages",
    "code",
    "name",
    "direction",
    "theme",
    "output_dir",
    "minify",
    "markdown",
    "raw_html",
    "short_name",
    "description",
    "timezone",
    "start_date",
    "end_date",
    "venue",
    "organisers",
    "role",
    "url",
    "interpretation",
    "days",
    "date",
    "title",
    "sessions",
    "id",
    "start",
    "end",
    "kind",
    "moderators",
    "speakers",
    "location",
    "cancelled",
    "honorific",
    "organisation",
    "photo",
    "menu",
    "slug",
];

/// The line and column of each value of a YAML document, by path (`days.0.sessions.2.end`).
#[derive(Debug, Default)]
pub struct Locator {
    places: HashMap<String, (usize, usize)>,
}

impl Locator {
    /// Reads `text`, whose first line is line `first_line + 1` of `file`, in one pass that
    /// takes time in proportion to its length, and locates its values; the first mistake in
    /// its form is an error at its place.
    pub(crate) fn read(text: &str, file: &Path, first_line: usize) -> Result<Locator, Error> {
        let at = |line: usize, column: usize| Place::at(file, line + first_line, column);
        if text.len() > MAX_BYTES {
            let (line, column) = line_and_column(text, MAX_BYTES);
            return Err(Error::new(
                at(line, column),
                Problem::YamlTooLarge {
                    limit_mib: MAX_BYTES >> 20,
                },
            ));
        }
        if let Some((offset, c)) = text.char_indices().find(|&(_, c)| !is_printable(c)) {
            let (line, column) = line_and_column(text, offset);
            return Err(Error::new(at(line, column), Problem::ControlCharacter(c)));
        }
        if text.trim().is_empty() {
            return Err(Error::new(at(1, 1), Problem::EmptyFile));
        }
        let mut walker = Walker {
            first_line,
            ..Walker::default()
        };
        // Event by event rather than with `Parser::load`, which recurses once per level of
        // nesting: the walk stops at the first level too deep.
        let mut parser = Parser::new_from_str(text);
        loop {
            let (event, mark) = parser.next_token().map_err(|e| {
                let mark = e.marker();
                // yaml-rust2 refuses 256 levels of `[` or `{` itself, when it reads them
                // ahead within one key's reach: the limit is passed there too.
                let problem = match e.info() {
                    "recursion limit exceeded" => Problem::YamlTooDeep { limit: MAX_DEPTH },
                    info => Problem::Yaml(info.to_string()),
                };
                Error::new(at(mark.line(), mark.col() + 1), problem)
            })?;
            if event == Event::StreamEnd {
                break;
            }
            walker.on_event(event, mark);
            if let Some(problem) = walker.problem.take() {
                return Err(Error::new(at(mark.line(), mark.col() + 1), problem));
            }
        }
        Ok(Locator {
            places: walker.places,
        })
    }

    /// The place of the value at `path`, or of its nearest located parent.
    pub(crate) fn place(&self, file: &Path, path: &str) -> Place {
        let mut path = path;
        loop {
            if let Some(&(line, column)) = self.places.get(path) {
                return Place::at(file, line, column);
            }
            match path.rfind('.') {
                Some(i) => path = &path[..i],
                None => {
                    return match self.places.get("") {
                        Some(&(line, column)) => Place::at(file, line, column),
                        None => Place::at(file, 1, 1),
                    }
                }
            }
        }
    }
}

/// Whether YAML allows the character in a file (YAML 1.2 §5.1, `c-printable`): every
/// control character but tab and line breaks is refused, as libyaml refuses them, but with
/// the line and column libyaml does not give ("position 225"). yaml-rust2 would take a NUL
/// for the end of the text.
fn is_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{85}')
        || ('\u{a0}'..='\u{10ffff}').contains(&c) && !matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// The 1-based line and column (in characters) of the byte at `offset` of `text`; lines end
/// as YAML ends them (YAML 1.2 §5.4: LF, CR LF, or CR alone), as both parsers count them.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let mut line = 1;
    let mut line_start = 0;
    for at in memchr::memchr2_iter(b'\n', b'\r', before.as_bytes()) {
        // The CR of a CR LF is counted with its LF.
        if before.as_bytes()[at] == b'\r' && text.as_bytes().get(at + 1) == Some(&b'\n') {
            continue;
        }
        line += 1;
        line_start = at + 1;
    }
    (line, before[line_start..].chars().count() + 1)
}

enum Frame {
    Mapping {
        path: String,
        key: Option<String>,
        seen: HashSet<String>,
    },
    Sequence {
        path: String,
        index: usize,
    },
}

#[derive(Default)]
struct Walker {
    first_line: usize,
    stack: Vec<Frame>,
    places: HashMap<String, (usize, usize)>,
    /// What is wrong at the last event: a key given twice, a level too deep.
    problem: Option<Problem>,
}

impl Walker {
    /// The path of the value that starts now, or `None` when the scalar is a mapping key.
    fn value_path(&mut self, scalar: Option<&str>) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Mapping {
                key: key @ None,
                seen,
                ..
            }) => {
                let name = scalar.unwrap_or("?").to_string();
                // A key given twice is an error at its second place (serde would keep
                // either one).
                if !seen.insert(name.clone()) && scalar.is_some() {
                    self.problem = Some(Problem::DuplicateKey(name.clone()));
                }
                *key = Some(name);
                None
            }
            Some(Frame::Mapping { path, key, .. }) => {
                let key = key.take().unwrap_or_default();
                Some(join(path, &key))
            }
            Some(Frame::Sequence { path, index }) => {
                let child = join(path, &index.to_string());
                *index += 1;
                Some(child)
            }
        }
    }

    fn record(&mut self, path: &str, mark: Marker) {
        self.places
            .entry(path.to_string())
            .or_insert((mark.line() + self.first_line, mark.col() + 1));
    }

    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => {
                if let Some(path) = self.value_path(Some(&value)) {
                    self.record(&path, mark);
                }
            }
            Event::Alias(_) => {
                if let Some(path) = self.value_path(None) {
                    self.record(&path, mark);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if self.stack.len() == MAX_DEPTH {
                    self.problem = Some(Problem::YamlTooDeep { limit: MAX_DEPTH });
                    return;
                }
                let path = self.value_path(None).unwrap_or_else(|| "?".into());
                self.record(&path, mark);
                self.stack.push(match event {
                    Event::MappingStart(..) => Frame::Mapping {
                        path,
                        key: None,
                        seen: HashSet::new(),
                    },
                    _ => Frame::Sequence { path, index: 0 },
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

fn join(path: &str, child: &str) -> String {
    if path.is_empty() {
        child.to_string()
    } else {
        format!("{path}.{child}")
    }
}
