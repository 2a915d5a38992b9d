//! The live site: answers from the build in memory, with the live-reload script in every
//! page, the event stream that reloads them, and the list of served files for tests.

use std::sync::Arc;

use bytes::Bytes;
use hyper::StatusCode;

use super::http::{Answer, Asked, Body, Site};
use super::paths::{content_type, folder, locate};
use super::reload;
use super::state::{Current, State};
use crate::output::Output;

/// Every path the server serves, one a line: what a test compares with a fresh build.
const FILES: &str = "/__majlis/files";

/// The site of `serve`, as the rebuild loop last published it.
pub(super) struct Live(pub(super) Arc<State>);

impl Site for Live {
    fn answer(&self, asked: &Asked<'_>) -> Answer {
        if asked.path == reload::EVENTS {
            let events = reload::events(&self.0, asked.query);
            return Answer::new(StatusCode::OK, "text/event-stream; charset=utf-8", events);
        }
        let current = self.0.current();
        if asked.path == FILES {
            let list: String = current
                .output
                .iter()
                .map(|(p, _)| format!("{p}\n"))
                .collect();
            return Answer::new(StatusCode::OK, content_type("x.txt"), Body::bytes(list));
        }
        match locate(asked.path) {
            None => Answer::status(StatusCode::BAD_REQUEST),
            Some(key) => find(&current, &key, asked.path),
        }
    }
}

/// The answer to a path of the site, `key` being the file it names.
fn find(current: &Current, key: &str, path: &str) -> Answer {
    let html = |status, page: Bytes| {
        let page = reload::inject(page, current);
        Answer::new(status, content_type("x.html"), Body::pieces(page))
    };
    if current.output.is_empty() {
        // No good build yet: a page that shows the errors and reloads once they are fixed.
        return html(
            StatusCode::SERVICE_UNAVAILABLE,
            Bytes::from_static(reload::NO_BUILD_YET.as_bytes()),
        );
    }
    if let Some(bytes) = shared(&current.output, key) {
        return if key.ends_with(".html") {
            html(StatusCode::OK, bytes)
        } else {
            Answer::new(StatusCode::OK, content_type(key), Body::bytes(bytes))
        };
    }
    // `/en/programme` is the folder `/en/programme/`: send the browser there, so that the
    // page's relative links resolve from the right place.
    if !path.ends_with('/') && current.output.contains(&format!("{key}/index.html")) {
        return Answer::redirect(folder(path));
    }
    match shared(&current.output, "404.html") {
        Some(page) => html(StatusCode::NOT_FOUND, page),
        None => Answer::status(StatusCode::NOT_FOUND),
    }
}

/// A published file, sharing the output it is in: a thousand requests for a large page hold
/// one copy of it.
fn shared(output: &Arc<Output>, path: &str) -> Option<Bytes> {
    /// Keeps the output alive as long as the bytes are sent.
    struct File(Arc<Output>, String);
    impl AsRef<[u8]> for File {
        fn as_ref(&self) -> &[u8] {
            self.0.get(&self.1).unwrap_or_default()
        }
    }
    output
        .contains(path)
        .then(|| Bytes::from_owner(File(Arc::clone(output), path.to_string())))
}
