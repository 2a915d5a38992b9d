//! Splitting a Markdown file into its YAML front matter and its body.

use std::path::Path;

use crate::diagnostics::{Error, Place, Problem};

/// A Markdown file cut in two.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// How many lines of the file come before the YAML (the opening `---`), so that a YAML
    /// error's line becomes the file's line.
    pub yaml_first_line: usize,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
}

/// Splits `text` at its front matter: a first line `---`, YAML, then a line `---` (or `...`).
/// Lines may end with CRLF.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Error> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    if first.trim_end() != "---" {
        return Err(Error::new(
            Place::at(file, 1, 1),
            Problem::FrontMatterMissing,
        ));
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for line in lines {
        let marker = line.trim_end();
        if marker == "---" || marker == "..." {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_first_line: 1,
                body: &text[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    Err(Error::new(
        Place::at(file, 1, 1),
        Problem::FrontMatterNotClosed,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_with_crlf_is_split_at_the_closing_line() {
        let s = split("---\r\nname: A\r\n---\r\nBody\r\n", Path::new("a.md")).unwrap();
        assert_eq!(s.yaml, "name: A\r\n");
        assert_eq!(s.body, "Body\r\n");
    }

    #[test]
    fn front_matter_without_a_body_has_an_empty_body() {
        let s = split("---\nname: A\n---", Path::new("a.md")).unwrap();
        assert_eq!((s.yaml, s.body), ("name: A\n", ""));
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let e = split("---\nname: A\nbody", Path::new("a.md")).unwrap_err();
        assert_eq!(*e.problem, Problem::FrontMatterNotClosed);
    }

    #[test]
    fn a_file_without_front_matter_is_an_error() {
        let e = split("# Title\n", Path::new("a.md")).unwrap_err();
        assert_eq!(*e.problem, Problem::FrontMatterMissing);
    }
}
