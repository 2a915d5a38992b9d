//! The HTTP side of `serve`: a small HTTP/1.1 server on `std::net`, a thread per connection,
//! that answers GET and HEAD from the output in memory. It needs no more: one editor's
//! browser on the same computer, and pages that reload as a whole.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use super::{reload, Listen, ServeError, State};

/// Where the event stream of live reload is served; no page of a site is published under
/// `__majlis/`, since every published path starts with a language, a page or a file name.
pub(super) const EVENTS: &str = "/__majlis/events";

/// Every path the server serves, one a line: what a test compares with a fresh build.
const FILES: &str = "/__majlis/files";

/// How many ports after the asked one are tried when it is taken.
const PORTS_TRIED: u16 = 50;

/// A request head larger than this is refused (no page needs one).
const MAX_HEAD: usize = 16 * 1024;

/// How long a connection may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Binds the asked port, or the next free one after it.
pub(super) fn bind(listen: &Listen) -> Result<(TcpListener, SocketAddr), ServeError> {
    let first = SocketAddr::new(listen.bind, listen.port);
    let last = if listen.port == 0 {
        0
    } else {
        listen.port.saturating_add(PORTS_TRIED)
    };
    let mut failure = None;
    for port in listen.port..=last {
        match TcpListener::bind(SocketAddr::new(listen.bind, port)) {
            Ok(listener) => {
                let address = listener.local_addr().map_err(|source| ServeError::Bind {
                    address: first,
                    source,
                })?;
                return Ok((listener, address));
            }
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => failure = Some(e),
            Err(source) => {
                return Err(ServeError::Bind {
                    address: first,
                    source,
                })
            }
        }
    }
    Err(ServeError::Bind {
        address: first,
        source: failure.unwrap_or_else(|| io::ErrorKind::AddrInUse.into()),
    })
}

/// Accepts connections for ever, each answered on its own thread.
pub(super) fn run(listener: TcpListener, state: &Arc<State>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            // A connection that failed before it was accepted (reset by the browser, or no
            // file descriptor left for now) concerns that connection only.
            continue;
        };
        let state = Arc::clone(state);
        // A thread that cannot be started drops its connection; the browser retries.
        let _ = std::thread::Builder::new()
            .name("majlis-http".into())
            .spawn(move || {
                // A browser that goes away mid-answer is no error of the site's.
                let _ = answer(stream, &state);
            });
    }
}

/// Reads one request and answers it; the connection is then closed.
fn answer(mut stream: TcpStream, state: &State) -> io::Result<()> {
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    let request = match read_request(&mut stream)? {
        Ok(request) => request,
        Err(status) => return respond(&mut stream, &Response::status(status), false),
    };
    let head_only = request.method == "HEAD";
    if request.method != "GET" && !head_only {
        return respond(
            &mut stream,
            &Response::status(Status::MethodNotAllowed),
            false,
        );
    }
    let (path, query) = match request.target.split_once('?') {
        Some((path, query)) => (path, query),
        None => (request.target.as_str(), ""),
    };
    if path == EVENTS {
        return reload::stream_events(stream, state, query);
    }
    let current = state.current();
    let response = if path == FILES {
        let list: String = current
            .output
            .iter()
            .map(|(p, _)| format!("{p}\n"))
            .collect();
        Response::new(Status::Ok, "text/plain; charset=utf-8", list.into_bytes())
    } else {
        match locate(path) {
            Err(status) => Response::status(status),
            Ok(key) => find(&current, &key, path),
        }
    };
    respond(&mut stream, &response, head_only)
}

/// The answer to a path of the site (already made safe by [`locate`]).
fn find(current: &super::Current, key: &str, path: &str) -> Response {
    let html = |status, bytes: &[u8]| {
        Response::new(
            status,
            content_type("x.html"),
            reload::inject(bytes, current),
        )
    };
    if current.output.is_empty() {
        // No good build yet: a page that shows the errors and reloads once they are fixed.
        return html(Status::Unavailable, reload::NO_BUILD_YET.as_bytes());
    }
    if let Some(bytes) = current.output.get(key) {
        return if key.ends_with(".html") {
            html(Status::Ok, bytes)
        } else {
            Response::new(Status::Ok, content_type(key), bytes.to_vec())
        };
    }
    // `/en/programme` is the folder `/en/programme/`: send the browser there, so that the
    // page's relative links resolve from the right place.
    if !path.ends_with('/') && current.output.contains(&format!("{key}/index.html")) {
        let mut response = Response::status(Status::Found);
        response.location = Some(format!("{path}/"));
        return response;
    }
    match current.output.get("404.html") {
        Some(bytes) => html(Status::NotFound, bytes),
        None => Response::status(Status::NotFound),
    }
}

/// A request line, read from the head of a request.
struct Request {
    method: String,
    target: String,
}

/// Reads a request's head, up to its blank line. The outer error is the connection's; the
/// inner one is the answer to a request that cannot be served.
fn read_request(stream: &mut TcpStream) -> io::Result<Result<Request, Status>> {
    let mut head = Vec::with_capacity(1024);
    let mut buffer = [0; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && !head.windows(2).any(|w| w == b"\n\n") {
        if head.len() > MAX_HEAD {
            return Ok(Err(Status::TooLarge));
        }
        let read = stream.read(&mut buffer)?;
        if read == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        head.extend_from_slice(&buffer[..read]);
    }
    let Ok(head) = std::str::from_utf8(&head) else {
        return Ok(Err(Status::BadRequest));
    };
    let mut parts = head.lines().next().unwrap_or_default().split(' ');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(method), Some(target), Some(version), None) if version.starts_with("HTTP/1.") => {
            Ok(Ok(Request {
                method: method.to_string(),
                target: target.to_string(),
            }))
        }
        _ => Ok(Err(Status::BadRequest)),
    }
}

/// The key of the output a request path names (`/fr/programme/` → `fr/programme/index.html`),
/// or why there is none. Paths are decoded once: `%252e` stays the three characters `%2e`,
/// which name no file. A `..` segment, a backslash, a NUL or a path that does not start with
/// `/` are refused whatever their encoding. The output is a map in memory, so nothing could
/// leave it anyway; refusing them plainly keeps it obvious.
fn locate(path: &str) -> Result<String, Status> {
    let path = match path
        .strip_prefix("http://")
        .or(path.strip_prefix("https://"))
    {
        // The absolute form of a request target: the path starts after the authority.
        Some(rest) => rest.find('/').map_or("/", |at| &rest[at..]),
        None => path,
    };
    let path = path.split('#').next().unwrap_or_default();
    if !path.starts_with('/') {
        return Err(Status::BadRequest);
    }
    let decoded = percent_decode(path).ok_or(Status::BadRequest)?;
    if decoded.contains(['\\', '\0']) {
        return Err(Status::BadRequest);
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Err(Status::BadRequest),
            // A drive (`C:`): no published path has one, and on Windows it is absolute.
            s if s.len() == 2 && s.ends_with(':') => return Err(Status::BadRequest),
            s => segments.push(s),
        }
    }
    let mut key = segments.join("/");
    if decoded.ends_with('/') || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Ok(key)
}

/// Decodes `%XX` escapes once; `None` for a broken escape or bytes that are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

/// The `Content-Type` of a published file, by its extension.
fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match extension.as_deref().unwrap_or_default() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        // XML says its own encoding in its declaration; JSON is always UTF-8 (RFC 8259 §8.1).
        "xml" => "application/xml",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "pdf" => "application/pdf",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

/// The statuses the server answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Status {
    Ok,
    Found,
    BadRequest,
    NotFound,
    MethodNotAllowed,
    TooLarge,
    Unavailable,
}

impl Status {
    fn line(self) -> &'static str {
        match self {
            Status::Ok => "200 OK",
            Status::Found => "302 Found",
            Status::BadRequest => "400 Bad Request",
            Status::NotFound => "404 Not Found",
            Status::MethodNotAllowed => "405 Method Not Allowed",
            Status::TooLarge => "431 Request Header Fields Too Large",
            Status::Unavailable => "503 Service Unavailable",
        }
    }
}

/// A whole response, sent at once.
struct Response {
    status: Status,
    content_type: &'static str,
    body: Vec<u8>,
    location: Option<String>,
}

impl Response {
    fn new(status: Status, content_type: &'static str, body: Vec<u8>) -> Response {
        Response {
            status,
            content_type,
            body,
            location: None,
        }
    }

    /// A response that is only its status.
    fn status(status: Status) -> Response {
        let body = format!("{}\n", status.line()).into_bytes();
        Response::new(status, "text/plain; charset=utf-8", body)
    }
}

fn respond(stream: &mut TcpStream, response: &Response, head_only: bool) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        response.status.line(),
        response.content_type,
        response.body.len()
    );
    if let Some(location) = &response.location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    if !head_only {
        bytes.extend_from_slice(&response.body);
    }
    stream.write_all(&bytes)?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_their_index_pages() {
        assert_eq!(locate("/").unwrap(), "index.html");
        assert_eq!(locate("/fr/programme/").unwrap(), "fr/programme/index.html");
        assert_eq!(locate("/fr/programme").unwrap(), "fr/programme");
        assert_eq!(locate("/sitemap.xml").unwrap(), "sitemap.xml");
        assert_eq!(
            locate("//en//./speakers/").unwrap(),
            "en/speakers/index.html"
        );
        assert_eq!(
            locate("/ar/%D8%A8%D8%B1%D9%86%D8%A7%D9%85%D8%AC/").unwrap(),
            "ar/برنامج/index.html"
        );
        assert_eq!(
            locate("http://localhost:1111/en/").unwrap(),
            "en/index.html"
        );
    }

    #[test]
    fn traversal_is_refused_in_every_encoding() {
        for path in [
            "/../site-config.yaml",
            "/en/../../etc/passwd",
            "/%2e%2e/site-config.yaml",
            "/%2E%2E%2Fsite-config.yaml",
            "/..%2f..%2fetc/passwd",
            "/..\\site-config.yaml",
            "/..%5csite-config.yaml",
            "/en/%5c..%5c..%5cetc",
            "/C:/Windows/win.ini",
            "/%00",
            "/%zz",
            "/%ff",
            "etc/passwd",
            "*",
            "http://localhost/../etc/passwd",
        ] {
            assert!(locate(path).is_err(), "{path} was accepted");
        }
        // Decoded once: a double-encoded `..` is the file name `%2e%2e`, which is no file.
        assert_eq!(
            locate("/%252e%252e/site-config.yaml").unwrap(),
            "%2e%2e/site-config.yaml"
        );
    }

    #[test]
    fn text_types_say_their_charset() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("en/calendar.ics"),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("assets/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("assets/font.woff2"), "font/woff2");
        assert_eq!(content_type("speakers/PHOTO.JPG"), "image/jpeg");
        assert_eq!(content_type("CNAME"), "application/octet-stream");
    }
}
