//! Reading YAML with the place of every error: serde_yaml for the values, and a locator that
//! finds the line and column of any value by its path, for errors found after parsing.

use std::collections::HashMap;
use std::path::Path;

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostics::{Error, Place, Problem};

/// Reads a source file as text: UTF-8, with a byte-order mark tolerated and dropped.
pub fn read_text(root: &Path, file: &Path) -> Result<String, Error> {
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

/// Parses YAML into `T` with the places of its values; `first_line` is the line of the file
/// the text starts after (for front matter), so that errors name the file's own line. A key
/// given twice in a mapping is an error at its second place (serde would keep either one).
pub fn parse_located<T: DeserializeOwned + Send>(
    text: &str,
    file: &Path,
    first_line: usize,
) -> Result<(T, Locator), Error> {
    // Two parsers read the same text: both at once (the programme of a large event takes
    // each a tenth of a second).
    let (locator, value) = rayon::join(
        || Locator::new(text, first_line),
        || parse(text, file, first_line),
    );
    if let Some((key, (line, column))) = locator.duplicates.first() {
        return Err(Error::new(
            Place::at(file, *line, *column),
            Problem::DuplicateKey(key.clone()),
        ));
    }
    Ok((value?, locator))
}

/// Parses YAML into `T`, without locating its values.
pub fn parse<T: DeserializeOwned>(text: &str, file: &Path, first_line: usize) -> Result<T, Error> {
    if text.trim().is_empty() {
        return Err(Error::new(
            Place::at(file, first_line + 1, 1),
            Problem::EmptyFile,
        ));
    }
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
    /// Keys given a second time in their mapping, with the place of the second.
    duplicates: Vec<(String, (usize, usize))>,
}

impl Locator {
    /// Locates the values of `text`, whose first line is line `first_line + 1` of its file.
    pub fn new(text: &str, first_line: usize) -> Locator {
        let mut walker = Walker {
            first_line,
            ..Walker::default()
        };
        // A document serde_yaml accepted parses here too; if not, places fall back to line 1.
        let _ = Parser::new_from_str(text).load(&mut walker, false);
        Locator {
            places: walker.places,
            duplicates: walker.duplicates,
        }
    }

    /// The place of the value at `path`, or of its nearest located parent.
    pub fn place(&self, file: &Path, path: &str) -> Place {
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

enum Frame {
    Mapping {
        path: String,
        key: Option<String>,
        seen: Vec<String>,
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
    duplicates: Vec<(String, (usize, usize))>,
}

impl Walker {
    /// The path of the value that starts now, or `None` when the scalar is a mapping key.
    fn value_path(&mut self, scalar: Option<&str>, mark: Marker) -> Option<String> {
        let place = (mark.line() + self.first_line, mark.col() + 1);
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Mapping {
                key: key @ None,
                seen,
                ..
            }) => {
                let name = scalar.unwrap_or("?").to_string();
                if scalar.is_some() && seen.contains(&name) {
                    self.duplicates.push((name.clone(), place));
                }
                seen.push(name.clone());
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
}

fn join(path: &str, child: &str) -> String {
    if path.is_empty() {
        child.to_string()
    } else {
        format!("{path}.{child}")
    }
}

impl MarkedEventReceiver for Walker {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => {
                if let Some(path) = self.value_path(Some(&value), mark) {
                    self.record(&path, mark);
                }
            }
            Event::Alias(_) => {
                if let Some(path) = self.value_path(None, mark) {
                    self.record(&path, mark);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let path = self.value_path(None, mark).unwrap_or_else(|| "?".into());
                self.record(&path, mark);
                self.stack.push(match event {
                    Event::MappingStart(..) => Frame::Mapping {
                        path,
                        key: None,
                        seen: Vec::new(),
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
