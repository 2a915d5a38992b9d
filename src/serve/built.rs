//! `serve --built`: the output folder of a build, served as it is, as a static host would
//! serve it once uploaded: no watching, no rebuild, no script added. It is served at the
//! path of the site's address (`/meeting-4/` for `https://example.org/meeting-4/`), where
//! the links of its 404 page lead; a new `majlis build` is served from the next request on.

use std::fs::File;
use std::path::{Path, PathBuf};

use hyper::StatusCode;

use super::http::{Answer, Asked, Body, Site};
use super::paths::{content_type, folder, locate};
use crate::config::BaseUrl;

/// A built site on disk.
pub(super) struct Built {
    /// The output folder, with every link in its path followed.
    folder: PathBuf,
    /// The path it is served at, from `/` to its final `/`.
    mount: String,
}

impl Built {
    /// The site built into `folder` for the address `base_url`.
    pub(super) fn new(folder: &Path, base_url: &BaseUrl) -> std::io::Result<Built> {
        Ok(Built {
            folder: folder.canonicalize()?,
            mount: mount(base_url.path()),
        })
    }

    /// The path the site is served at.
    pub(super) fn mount(&self) -> &str {
        &self.mount
    }

    /// The file of the folder that `key` names, when it is one: not a folder, not a hidden
    /// file (`.majlis-manifest`, a `.git` kept in the output) but for `.well-known/`, and not
    /// outside the folder through a link.
    fn open(&self, key: &str) -> Option<File> {
        let hidden = key
            .split('/')
            .any(|segment| segment.starts_with('.') && segment != ".well-known");
        if hidden {
            return None;
        }
        let path = self.folder.join(key).canonicalize().ok()?;
        if !path.starts_with(&self.folder) || !path.is_file() {
            return None;
        }
        File::open(path).ok()
    }

    /// The site's 404 page, with its status.
    fn not_found(&self) -> Answer {
        match self.open("404.html").and_then(|file| Body::file(file).ok()) {
            Some(page) => Answer::new(StatusCode::NOT_FOUND, content_type("404.html"), page),
            None => Answer::status(StatusCode::NOT_FOUND),
        }
    }
}

impl Site for Built {
    fn answer(&self, asked: &Asked<'_>) -> Answer {
        let base = self.mount.trim_end_matches('/');
        let Some(within) = asked.path.strip_prefix(base).filter(|p| p.starts_with('/')) else {
            // `/` and `/meeting-4` lead to the site; any other path is not in it.
            return if asked.path == "/" || asked.path == base {
                Answer::redirect(self.mount.clone())
            } else {
                self.not_found()
            };
        };
        let Some(key) = locate(within) else {
            return Answer::status(StatusCode::BAD_REQUEST);
        };
        if let Some(file) = self.open(&key) {
            return match Body::file(file) {
                Ok(body) => Answer::new(StatusCode::OK, content_type(&key), body),
                Err(_) => Answer::status(StatusCode::INTERNAL_SERVER_ERROR),
            };
        }
        if !within.ends_with('/') && self.open(&format!("{key}/index.html")).is_some() {
            return Answer::redirect(folder(asked.path));
        }
        self.not_found()
    }
}

/// Where a site built for the path `path` of its address is served: `path` with one final
/// `/`.
fn mount(path: &str) -> String {
    match path.trim_end_matches('/') {
        "" => "/".to_string(),
        path => format!("{path}/"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_is_served_at_the_path_of_its_address() {
        let mount = |url: &str| mount(BaseUrl::parse(url).unwrap().path());
        assert_eq!(mount("https://example.org/"), "/");
        assert_eq!(mount("https://example.org"), "/");
        assert_eq!(mount("https://example.org/meeting-4/"), "/meeting-4/");
        assert_eq!(mount("https://example.org/a/b"), "/a/b/");
        assert_eq!(mount("https://example.org//"), "/");
        assert_eq!(mount("http://localhost:8000/"), "/");
    }
}
