//! A mistake in the form of a YAML text, as yaml-rust2 reports it, turned into an editor's
//! words with the likely fix, at the place of the mistake. The parser names where it could
//! not go on, which is not always where the mistake is: a key without its `:` is only found
//! wrong on the next line, and a `[` never closed somewhere further on.

use crate::diagnostics::Problem;

/// The line and column (1-based) of the mistake that made yaml-rust2 stop at `line` and
/// `column` of `text` with the message `info`, and what it is.
pub(super) fn mistake(
    text: &str,
    line: usize,
    column: usize,
    info: &str,
) -> (usize, usize, Problem) {
    let lines = lines(text);
    let at = |index: usize| lines.get(index).copied().unwrap_or("");
    let here = line.saturating_sub(1);
    let colon_missing = info == "simple key expect ':'"
        || info.starts_with("mapping values are not allowed")
            && previous_line(&lines, here).is_some_and(|p| indent(at(p)) <= indent(at(here)));
    if colon_missing {
        // The key without its `:` is the last thing before the line the parser stopped at.
        if let Some(previous) = previous_line(&lines, here) {
            if let Some((column, problem)) = key_without_colon(at(previous)) {
                return (previous + 1, column, problem);
            }
        }
    }
    let problem = match info {
        "while parsing a block collection, did not find expected '-' indicator"
        | "while parsing a block mapping, did not find expected key"
        | "invalid indentation"
        | "mapping keys are not allowed in this context" => Problem::Misaligned,
        "block sequence entries are not allowed in this context" => Problem::ListItemHere,
        "invalid indentation in quoted scalar"
        | "while scanning a quoted scalar, found unexpected end of stream"
        | "while scanning a quoted scalar, found unexpected document indicator" => {
            Problem::UnclosedQuote {
                quote: at(here).chars().nth(column - 1).unwrap_or('"'),
            }
        }
        "invalid trailing content after double-quoted scalar" => Problem::TextAfterQuote {
            fix: single_quoted(at(here)),
        },
        "while parsing a flow sequence, expected ',' or ']'" => {
            return unclosed(&lines, here, column, '[', ']');
        }
        "while parsing a flow mapping, did not find expected ',' or '}'" => {
            return unclosed(&lines, here, column, '{', '}');
        }
        // A `: ` after the line's own key is in its value; a line's first `: ` found wrong
        // means the line is read as the rest of the value above it: it is indented too far.
        "mapping values are not allowed in this context" => {
            let before = at(here).chars().take(column - 1).collect::<String>();
            if before.contains(": ") {
                Problem::ColonInValue {
                    fix: quoted_value(at(here)),
                }
            } else {
                Problem::Misaligned
            }
        }
        "':' must be followed by a valid YAML whitespace" => match key_without_colon(at(here)) {
            Some((column, problem)) => return (line, column, problem),
            None => Problem::Syntax(info.to_string()),
        },
        info if info.contains("tab") => Problem::Tab,
        info => match info
            .strip_prefix("unexpected character: `")
            .and_then(|rest| rest.chars().next())
        {
            Some(character) => Problem::ReservedStart {
                character,
                fix: quoted_value(at(here)),
            },
            None => Problem::Syntax(info.to_string()),
        },
    };
    (line, column, problem)
}

/// The lines of `text`, ended as YAML ends them (LF, CR LF or CR alone).
fn lines(text: &str) -> Vec<&str> {
    text.split('\n')
        .flat_map(|l| l.strip_suffix('\r').unwrap_or(l).split('\r'))
        .collect()
}

/// The last line before `index` with something on it but a comment.
fn previous_line(lines: &[&str], index: usize) -> Option<usize> {
    (0..index.min(lines.len())).rev().find(|&i| {
        let line = lines[i].trim();
        !line.is_empty() && !line.starts_with('#')
    })
}

/// How far a line is indented, in characters, list markers (`- `) counted as indentation.
fn indent(line: &str) -> usize {
    let (markers, content) = split_markers(line);
    markers.chars().count() + content.len() - content.trim_start().len()
}

/// A line's indentation and list markers (`    - `), and the rest.
fn split_markers(line: &str) -> (&str, &str) {
    let mut rest = line.trim_start_matches(' ');
    while let Some(after) = rest.strip_prefix("- ") {
        rest = after.trim_start_matches(' ');
    }
    line.split_at(line.len() - rest.len())
}

/// The column where a `:` is missing on `line`, when the line is a key without it: a plain
/// word (`title`), a key and its value (`end "09:45"`, `- date 2026-10-15`), or a key with
/// its `:` but no space after it (`kind:meal`).
fn key_without_colon(line: &str) -> Option<(usize, Problem)> {
    let (markers, content) = split_markers(line);
    let content = match content.find(" #") {
        Some(comment) => &content[..comment],
        None => content,
    }
    .trim_end();
    let starts_plain = content
        .chars()
        .next()
        .is_some_and(|c| !"\"'[]{}|>&*!%@`#,?:-".contains(c));
    if !starts_plain || content.contains(": ") || content.ends_with(':') {
        return None;
    }
    let column = |key: &str| markers.chars().count() + key.chars().count() + 1;
    let (first, rest) = content.split_once(' ').unwrap_or((content, ""));
    if let Some((key, value)) = first.split_once(':') {
        let value = format!("{value}{}{rest}", if rest.is_empty() { "" } else { " " });
        let fix = format!("{}{key}: {value}", markers.trim_start());
        return Some((
            column(key) + 1,
            Problem::MissingSpaceAfterColon {
                key: key.to_string(),
                fix,
            },
        ));
    }
    let (key, value) = (first, rest);
    // A lone word in a list (`- amina-rahal`) is an item, not a key.
    if value.is_empty() && !markers.trim().is_empty() {
        return None;
    }
    let fix = format!(
        "{}{key}:{}{}",
        markers.trim_start(),
        if value.is_empty() { "" } else { " " },
        value.trim_start()
    );
    Some((
        column(key),
        Problem::MissingColon {
            key: key.to_string(),
            fix,
        },
    ))
}

/// `line` (`en: Reading: a guide`) with its value between double quotes
/// (`en: "Reading: a guide"`), when it is a key and an unquoted value.
fn quoted_value(line: &str) -> Option<String> {
    let (markers, content) = split_markers(line);
    let (key, value) = match content.split_once(": ") {
        Some((key, value)) if !key.contains(['"', '\'']) => (format!("{key}: "), value),
        _ => (String::new(), content),
    };
    let value = value.trim();
    if value.is_empty() || value.starts_with(['"', '\'']) {
        return None;
    }
    let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
    Some(format!("{}{key}\"{escaped}\"", markers.trim_start()))
}

/// `line` (`en: "Reading "clubs" that last"`) with its value between single quotes, which
/// can hold a `"` as it is (`en: 'Reading "clubs" that last'`).
fn single_quoted(line: &str) -> Option<String> {
    let (markers, content) = split_markers(line);
    let open = content.find('"')?;
    let (key, value) = content.split_at(open);
    let inner = value.trim_end().strip_prefix('"')?.strip_suffix('"')?;
    Some(format!(
        "{}{key}'{}'",
        markers.trim_start(),
        inner.replace('\'', "''")
    ))
}

/// The `open` bracket never closed that made the parser stop at line `here` (0-based),
/// `column`: the last one on the lines up to there that has no `close` after it. Brackets in
/// quotes do not count.
fn unclosed(
    lines: &[&str],
    here: usize,
    column: usize,
    open: char,
    close: char,
) -> (usize, usize, Problem) {
    let problem = Problem::UnclosedBracket { open };
    for index in (0..=here.min(lines.len().saturating_sub(1))).rev() {
        let mut opened: Vec<usize> = Vec::new();
        let mut quote = None;
        for (at, c) in lines[index].chars().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, c) if c == open => opened.push(at),
                (None, c) if c == close => {
                    opened.pop();
                }
                _ => {}
            }
        }
        if let Some(&at) = opened.last() {
            return (index + 1, at + 1, problem);
        }
    }
    (here + 1, column, problem)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mistake yaml-rust2 finds in `text`, as `mistake` reports it.
    fn found(text: &str) -> (usize, usize, Problem) {
        let mut parser = yaml_rust2::parser::Parser::new_from_str(text);
        loop {
            match parser.next_token() {
                Err(e) => {
                    let mark = e.marker();
                    return mistake(text, mark.line(), mark.col() + 1, e.info());
                }
                Ok((yaml_rust2::Event::StreamEnd, _)) => panic!("no mistake in {text:?}"),
                Ok(_) => {}
            }
        }
    }

    const SESSION: &str = "days:\n  - date: 2026-10-14\n    sessions:\n      - id: opening\n        start: \"09:00\"\n        end: \"09:45\"\n        kind: ceremony\n        title:\n          en: Opening\n        speakers: [amina-rahal]\n";

    fn with(from: &str, to: &str) -> String {
        assert!(SESSION.contains(from), "{from}");
        SESSION.replacen(from, to, 1)
    }

    #[test]
    fn a_key_without_its_colon_is_reported_on_its_own_line_with_the_fix() {
        let (line, column, problem) = found(&with("end: \"09:45\"", "end \"09:45\""));
        assert_eq!((line, column), (6, 12));
        assert_eq!(
            problem,
            Problem::MissingColon {
                key: "end".into(),
                fix: "end: \"09:45\"".into()
            }
        );
        let (line, _, problem) = found(&with("        title:\n", "        title\n"));
        assert_eq!(line, 8);
        assert!(matches!(problem, Problem::MissingColon { fix, .. } if fix == "title:"));
        let (line, _, problem) = found(&with("  - date: 2026", "  - date 2026"));
        assert_eq!(line, 2);
        assert!(
            matches!(&problem, Problem::MissingColon { fix, .. } if fix == "- date: 2026-10-14"),
            "{problem:?}"
        );
        let (line, column, problem) = found(&with("kind: ceremony", "kind:ceremony"));
        assert_eq!((line, column), (7, 14));
        assert!(
            matches!(problem, Problem::MissingSpaceAfterColon { fix, .. } if fix == "kind: ceremony")
        );
    }

    #[test]
    fn a_line_out_of_line_is_misaligned_at_its_line() {
        for to in ["       kind: ceremony", "         kind: ceremony"] {
            let (line, _, problem) = found(&with("        kind: ceremony", to));
            assert_eq!((line, problem), (7, Problem::Misaligned), "{to:?}");
        }
        let (line, _, problem) = found(&with("\n        kind", "\n\tkind"));
        assert_eq!((line, problem), (7, Problem::Tab));
    }

    #[test]
    fn quotes_and_brackets_left_open_are_reported_where_they_open() {
        let (line, column, problem) = found(&with("en: Opening", "en: \"Opening"));
        assert_eq!((line, column), (9, 15));
        assert_eq!(problem, Problem::UnclosedQuote { quote: '"' });
        let (line, column, problem) = found(&with("[amina-rahal]", "[amina-rahal"));
        assert_eq!((line, column), (10, 19));
        assert_eq!(problem, Problem::UnclosedBracket { open: '[' });
        let (line, column, problem) =
            found(&with("          en: Opening\n", "          {en: Opening\n"));
        assert_eq!(
            (line, column, problem),
            (9, 11, Problem::UnclosedBracket { open: '{' })
        );
    }

    #[test]
    fn values_that_need_quotes_get_them_in_the_fix() {
        let (line, _, problem) = found(&with("en: Opening", "en: Opening: day one"));
        assert_eq!(line, 9);
        assert_eq!(
            problem,
            Problem::ColonInValue {
                fix: Some("en: \"Opening: day one\"".into())
            }
        );
        let (_, _, problem) = found(&with("en: Opening", "en: @opening"));
        assert_eq!(
            problem,
            Problem::ReservedStart {
                character: '@',
                fix: Some("en: \"@opening\"".into())
            }
        );
        let (_, _, problem) = found(&with("en: Opening", "en: \"The \"big\" opening\""));
        assert_eq!(
            problem,
            Problem::TextAfterQuote {
                fix: Some("en: 'The \"big\" opening'".into())
            }
        );
    }

    #[test]
    fn a_line_indented_under_a_value_is_misaligned_not_a_colon_in_a_value() {
        let (line, _, problem) = found(&with("        title:\n", "          title:\n"));
        assert_eq!((line, problem), (8, Problem::Misaligned));
    }

    #[test]
    fn a_lone_word_of_a_list_is_not_taken_for_a_key() {
        assert_eq!(key_without_colon("        - amina-rahal"), None);
        assert!(key_without_colon("        title").is_some());
        assert_eq!(key_without_colon("        \"quoted\""), None);
        assert_eq!(key_without_colon("        title: x"), None);
    }
}
