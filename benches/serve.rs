//! Edit-to-visible latency of `majlis serve` on the example site: `cargo bench --bench serve`.
//!
//! Starts the release binary on a copy of the example site, then edits a speaker's file
//! again and again (MAJLIS_BENCH_EDITS times, 30 by default). Each time it measures, from the
//! write, how long until the open page's event stream says `reload` and the reloaded page
//! (fetched as the browser would) shows the edit. Reports the median and the spread. Aim:
//! a median under 50 ms.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const MAJLIS: &str = env!("CARGO_BIN_EXE_majlis");
const PAGE: &str = "/en/speakers/varol-dur/";
const SPEAKER: &str = "content/speakers/varol-dur.en.md";

/// Kills the server however the benchmark ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn main() {
    let edits: usize = std::env::var("MAJLIS_BENCH_EDITS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(30);
    let work = tempfile::tempdir().expect("a temporary folder");
    let site = work.path().join("site");
    let example = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for part in ["site-config.yaml", "content", "themes"] {
        copy(&example.join(part), &site.join(part));
    }

    let mut child = Command::new(MAJLIS)
        .arg("--root")
        .arg(&site)
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("majlis starts");
    let mut lines = BufReader::new(child.stdout.take().expect("its output")).lines();
    let _server = Server(child);
    let address = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            let url = line.strip_prefix("serving the site at http://")?;
            Some(url.split('/').next()?.to_string())
        })
        .expect("serve says where it serves");
    // Rebuild lines are read (and dropped) so that the server never blocks on a full pipe.
    let rebuilds = std::thread::spawn(move || lines.map_while(Result::ok).count());

    let file = site.join(SPEAKER);
    let original = std::fs::read_to_string(&file).expect("the speaker's file");
    let mut events = events(&address);
    let mut latencies = Vec::new();
    for run in 0..edits {
        let marker = format!("Edit number {run} of the benchmark.");
        let written = Instant::now();
        std::fs::write(&file, format!("{original}\n{marker}\n")).expect("write");
        wait_for_reload(&mut events);
        let page = get(&address, PAGE);
        assert!(page.contains(&marker), "the reloaded page shows edit {run}");
        latencies.push(written.elapsed());
        // Apart enough that each edit is its own rebuild.
        std::thread::sleep(Duration::from_millis(150));
    }
    std::fs::write(&file, original).expect("restore");
    drop(_server);
    let _ = rebuilds.join();

    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = latencies[latencies.len() / 2];
    let (fastest, slowest) = (latencies[0], latencies[latencies.len() - 1]);
    let p90 = latencies[(latencies.len() * 9 / 10).min(latencies.len() - 1)];
    println!(
        "serve, example site, edit of {SPEAKER} to reloaded {PAGE} ({edits} edits): \
         median {:.1} ms, fastest {:.1} ms, 90th percentile {:.1} ms, slowest {:.1} ms, \
         spread {:.1} ms",
        ms(median),
        ms(fastest),
        ms(p90),
        ms(slowest),
        ms(slowest - fastest)
    );
}

/// The live-reload event stream, past its head.
fn events(address: &str) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    write!(
        stream,
        "GET /__majlis/events HTTP/1.1\r\nHost: {address}\r\n\r\n"
    )
    .expect("send");
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    while line != "\r\n" {
        line.clear();
        reader.read_line(&mut line).expect("the stream's head");
    }
    reader
}

fn wait_for_reload(events: &mut BufReader<TcpStream>) {
    let mut line = String::new();
    loop {
        line.clear();
        let read = events.read_line(&mut line).expect("an event");
        assert!(read > 0, "the event stream closed");
        if line.trim_end() == "event: reload" {
            return;
        }
    }
}

fn get(address: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer");
    answer
}

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        for entry in std::fs::read_dir(from).expect("a folder").flatten() {
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else if from.is_file() {
        std::fs::create_dir_all(to.parent().expect("a parent")).expect("a folder");
        std::fs::copy(from, to).expect("a copy");
    }
}
