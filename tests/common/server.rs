//! A running `majlis serve` for tests: the real binary on a copy of a fixture site, a free
//! port, and plain HTTP over a socket. Every wait is bounded; every server is killed when
//! its value is dropped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::Site;

/// The issue's promise: an edit is on screen within a second.
pub const VISIBLE_WITHIN: Duration = Duration::from_secs(1);

/// How long a test waits before calling something lost (a loaded CI machine is slow; the
/// latency itself is checked against [`VISIBLE_WITHIN`]).
pub const PATIENCE: Duration = Duration::from_secs(5);

/// The first build of a debug binary on a busy machine.
pub const STARTUP: Duration = Duration::from_secs(60);

/// A running `majlis serve`, killed when dropped.
pub struct Server {
    pub child: Child,
    pub address: String,
    pub url: String,
    pub stdout: Arc<Mutex<Vec<String>>>,
    pub stderr: Arc<Mutex<String>>,
}

impl Server {
    /// `majlis serve --port 0` on a site, once it says where it serves.
    pub fn start(root: &Path) -> Server {
        Server::start_with(root, &["--port", "0"])
    }

    pub fn start_with(root: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_majlis"))
            .arg("--root")
            .arg(root)
            .arg("serve")
            .args(args)
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the majlis binary starts");
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let (lines, first_lines) = mpsc::channel();
        let out = BufReader::new(child.stdout.take().unwrap());
        let kept = Arc::clone(&stdout);
        std::thread::spawn(move || {
            for line in out.lines().map_while(Result::ok) {
                kept.lock().unwrap().push(line.clone());
                let _ = lines.send(line);
            }
        });
        let err = BufReader::new(child.stderr.take().unwrap());
        let kept = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in err.lines().map_while(Result::ok) {
                let mut text = kept.lock().unwrap();
                text.push_str(&line);
                text.push('\n');
            }
        });
        let url = wait_for_url(&first_lines, &stderr);
        // The host and port: the site may be served at a path below them.
        let address = url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap()
            .to_string();
        Server {
            child,
            address,
            url,
            stdout,
            stderr,
        }
    }

    /// `GET path`, with `path` sent as it is written.
    pub fn get(&self, path: &str) -> Response {
        request(&self.address, &format!("GET {path} HTTP/1.1"))
    }

    /// What the server printed on standard error so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits until the server has printed `text` on standard error.
    pub fn wait_for_stderr(&self, text: &str) {
        let since = Instant::now();
        while !self.stderr().contains(text) {
            assert!(
                since.elapsed() < PATIENCE,
                "the server never printed {text:?}; it printed:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// How many rebuilds it announced so far.
    pub fn rebuilds(&self) -> usize {
        self.stdout
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.starts_with("rebuilt "))
            .count()
    }

    /// Waits until the server has printed nothing for `quiet`: no rebuild is under way.
    pub fn settle(&self, quiet: Duration) {
        let deadline = Instant::now() + PATIENCE;
        let printed = || (self.stdout.lock().unwrap().len(), self.stderr().len());
        let mut last = printed();
        let mut since = Instant::now();
        while since.elapsed() < quiet {
            assert!(Instant::now() < deadline, "the server never settled");
            std::thread::sleep(Duration::from_millis(20));
            if printed() != last {
                last = printed();
                since = Instant::now();
            }
        }
    }

    /// The page at `path` once `ready` holds for it; how long that took from `since`.
    pub fn wait_for(
        &self,
        path: &str,
        since: Instant,
        ready: impl Fn(&Response) -> bool,
    ) -> Duration {
        loop {
            let response = self.get(path);
            if ready(&response) {
                return since.elapsed();
            }
            assert!(
                since.elapsed() < PATIENCE,
                "{path} never became as expected; last answer {}:\n{}\nserver said:\n{}",
                response.status,
                response.text(),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Replaces `from` with `to` in the site's `file`, then waits until `page` shows `shown`;
    /// how long that took from the edit.
    pub fn edit_until_shown(
        &self,
        site: &Site,
        file: &str,
        edit: (&str, &str),
        page: &str,
        shown: &str,
    ) -> Duration {
        let edited = Instant::now();
        site.edit(file, edit.0, edit.1);
        self.wait_for(page, edited, |r| r.text().contains(shown))
    }

    /// Opens the live-reload event stream.
    pub fn events(&self, version: Option<&str>) -> Events {
        let target = match version {
            Some(v) => format!("/__majlis/events?v={v}"),
            None => "/__majlis/events".to_string(),
        };
        let mut stream = TcpStream::connect(&self.address).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.address
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("the stream's head");
            if line.trim().is_empty() {
                break;
            }
            head.push_str(&line);
        }
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(
            head.to_ascii_lowercase()
                .contains("content-type: text/event-stream"),
            "{head}"
        );
        Events { reader }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn wait_for_url(lines: &Receiver<String>, stderr: &Mutex<String>) -> String {
    let deadline = Instant::now() + STARTUP;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) => {
                if let Some(at) = line.find("http://") {
                    if line.starts_with("serving ") {
                        let url = line[at..].split_whitespace().next().unwrap();
                        return url.to_string();
                    }
                }
            }
            Err(_) => panic!(
                "serve did not say where it serves; it said:\n{}",
                stderr.lock().unwrap()
            ),
        }
    }
}

/// An HTTP response, read whole.
pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body without the live-reload script: what `build` publishes.
    pub fn published(&self) -> Vec<u8> {
        strip_script(&self.body)
    }
}

/// Sends a request line (and a Host naming `address`) to `address`, reads the whole answer.
pub fn request(address: &str, line: &str) -> Response {
    exchange(
        address,
        &format!("{line}\r\nHost: {address}\r\nConnection: close\r\n\r\n"),
    )
}

/// Sends `head` as it is to `address`, reads the whole answer (`head` asks the server to
/// close the connection after it).
pub fn exchange(address: &str, head: &str) -> Response {
    let mut stream = TcpStream::connect(address).expect("connect to serve");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    read_response(&mut stream)
}

/// Reads an answer until the server closes the connection.
pub fn read_response(stream: &mut TcpStream) -> Response {
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).expect("an answer");
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8(bytes[..split].to_vec()).unwrap();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    Response {
        status,
        head,
        body: bytes[split + 4..].to_vec(),
    }
}

/// Takes the live-reload script out of a served page.
pub fn strip_script(page: &[u8]) -> Vec<u8> {
    let start = b"<script id=\"majlis-dev\">";
    let Some(from) = page.windows(start.len()).position(|w| w == start) else {
        return page.to_vec();
    };
    let end = b"</script>";
    let to = from
        + page[from..]
            .windows(end.len())
            .position(|w| w == end)
            .expect("the script ends")
        + end.len();
    [&page[..from], &page[to..]].concat()
}

/// The version a served page was served in (`"version":"…"` of its script).
pub fn version_of(page: &Response) -> String {
    let text = page.text();
    let at = text.find(r#""version":""#).expect("a version") + 11;
    text[at..].split('"').next().unwrap().to_string()
}

/// The live-reload event stream of a page.
pub struct Events {
    pub reader: BufReader<TcpStream>,
}

impl Events {
    /// The next event (name and data), skipping comments.
    pub fn next(&mut self) -> (String, String) {
        let (mut name, mut data) = (String::new(), String::new());
        loop {
            let mut line = String::new();
            let read = self.reader.read_line(&mut line).expect("an event in time");
            assert!(read > 0, "the event stream closed");
            let line = line.trim_end_matches('\n');
            if line.is_empty() {
                if !name.is_empty() {
                    return (name, data);
                }
            } else if let Some(value) = line.strip_prefix("event: ") {
                name = value.to_string();
            } else if let Some(value) = line.strip_prefix("data: ") {
                data.push_str(value);
            }
        }
    }
}

/// `count` requests for `paths` (in turn) in flight at once: every connection is made and its
/// request sent but for the blank line that ends it, so that the server holds them all
/// open together; then every request is ended, then every answer read. The answers, with
/// their paths.
pub fn at_once<'a>(server: &Server, paths: &[&'a str], count: usize) -> Vec<(&'a str, Response)> {
    let mut streams: Vec<(TcpStream, &str)> = (0..count)
        .map(|i| {
            let path = paths[i % paths.len()];
            let mut stream = TcpStream::connect(&server.address).expect("connect");
            stream
                .set_read_timeout(Some(Duration::from_secs(30)))
                .unwrap();
            write!(
                stream,
                "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
                server.address
            )
            .unwrap();
            (stream, path)
        })
        .collect();
    for (stream, _) in &mut streams {
        stream.write_all(b"\r\n").unwrap();
    }
    streams
        .into_iter()
        .map(|(mut stream, path)| (path, read_response(&mut stream)))
        .collect()
}

/// Asks for paths that would climb out of the site served at `prefix` (empty, or a path
/// without its final `/`) in every encoding, towards the site's sources and a `secret.txt`
/// (holding `TOP-SECRET`) beside the site: each must be refused (400, 404) and show none of
/// them.
pub fn assert_traversal_refused(server: &Server, prefix: &str) {
    let climbs = [
        "/../secret.txt",
        "/../../secret.txt",
        "/../../../secret.txt",
        "/en/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/%252e%252e/secret.txt",
        "/%252e%252e%252fsecret.txt",
        "/..\\secret.txt",
        "/..%5csecret.txt",
        "/%5c..%5csecret.txt",
        "/en/..%5c..%5csecret.txt",
        "/C:/secret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/site-config.yaml",
        "/content/event.yaml",
        "/../site/site-config.yaml",
        "/%00",
        "/%00/../secret.txt",
    ];
    let mut targets: Vec<String> = climbs.iter().map(|c| format!("{prefix}{c}")).collect();
    targets.push(format!("http://{}{prefix}/../secret.txt", server.address));
    targets.push("secret.txt".to_string());
    for target in &targets {
        let response = server.get(target);
        assert!(
            response.status == 400 || response.status == 404,
            "{target}: {}",
            response.status
        );
        let text = response.text();
        assert!(!text.contains("TOP-SECRET"), "{target}");
        assert!(!text.contains("root:x:0"), "{target}");
        assert!(!text.contains("base_url:"), "{target}");
    }
}
