//! Names that become paths of the published site: session and speaker ids, pages' URL
//! segments. Each must be safe in a URL and a file name, short enough for every file system,
//! and different from every other name of its folder, even in another case: Windows, macOS
//! and many hosts take `Welcome` and `welcome` for the same file.

use std::collections::HashMap;

use crate::diagnostics::{Place, Problem};

/// The longest id or URL segment, in characters. File systems allow 255 bytes per name, and
/// a name is also written with `.ics` after it and inside longer folder names while the
/// site is written; 100 leaves room for all of them, and for an address that still reads.
pub(super) const MAX_LENGTH: usize = 100;

/// Whether an id can be used as it is in a URL and a file name.
pub(super) fn is_url_safe(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !id.starts_with(['-', '_'])
}

/// What is wrong with `name` as an id or URL segment, if anything.
pub(super) fn check(name: &str) -> Option<Problem> {
    if !is_url_safe(name) {
        Some(Problem::UnsafeId(name.to_string()))
    } else if name.len() > MAX_LENGTH {
        Some(Problem::NameTooLong {
            start: name.chars().take(24).collect(),
            length: name.chars().count(),
            limit: MAX_LENGTH,
        })
    } else {
        None
    }
}

/// The names given so far to paths of one published folder.
#[derive(Debug, Default)]
pub(super) struct Folder {
    /// By their lowercase form: each as written, and where.
    names: HashMap<String, (String, Place)>,
}

/// A name already in the folder.
#[derive(Debug)]
pub(super) struct Taken<'a> {
    /// As it was written there.
    pub name: &'a str,
    /// Where.
    pub place: &'a Place,
    /// Whether it is written the same (else it differs in case only).
    pub same: bool,
}

impl Folder {
    /// Adds `name`, written at `place`, unless the folder has it already, in any case.
    pub(super) fn add(&mut self, name: &str, place: Place) -> Result<(), Taken<'_>> {
        // Names are URL-safe, so ASCII: ASCII case is all the case there is.
        let folded = name.to_ascii_lowercase();
        if self.names.contains_key(&folded) {
            let (first, place) = &self.names[&folded];
            return Err(Taken {
                name: first,
                place,
                same: first == name,
            });
        }
        self.names.insert(folded, (name.to_string(), place));
        Ok(())
    }

    /// The problem of a name that is `taken`, as an id.
    pub(super) fn clash(id: &str, taken: &Taken) -> Problem {
        if taken.same {
            Problem::DuplicateId {
                id: id.to_string(),
                first: taken.place.to_string(),
            }
        } else {
            Problem::CaseClash {
                name: id.to_string(),
                other: taken.name.to_string(),
                first: taken.place.to_string(),
            }
        }
    }
}
