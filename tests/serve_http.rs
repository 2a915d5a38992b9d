//! What `majlis serve` promises as an HTTP server, whatever the site: the limit on a request's
//! head, slow clients that hold up no one else, a thousand requests at once all answered.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::server::{at_once, exchange, Server, PATIENCE};
use common::{linked_asset, Site};

/// A request for `path` with a Host naming the server and `extra` header lines.
fn get_with(server: &Server, path: &str, extra: &str) -> String {
    format!(
        "GET {path} HTTP/1.1\r\nHost: {}\r\n{extra}Connection: close\r\n\r\n",
        server.address
    )
}

#[test]
fn a_request_head_over_the_limit_is_refused_and_a_large_one_under_it_answered() {
    let site = Site::copy_of("minimal");
    let server = Server::start(&site.root());

    // Cookies of other local servers make large heads: 6 KiB is served.
    let cookie = format!("Cookie: a={}\r\n", "x".repeat(6 * 1024));
    let served = exchange(&server.address, &get_with(&server, "/en/", &cookie));
    assert_eq!(served.status, 200);

    let padding = format!("X-Padding: {}\r\n", "x".repeat(20 * 1024));
    let refused = exchange(&server.address, &get_with(&server, "/en/", &padding));
    assert_eq!(refused.status, 431);
    assert!(!refused.text().contains("<html"), "{}", refused.text());

    // A head that never ends is not read for ever: the server stops reading it (answers
    // and closes) long before the 64 MiB a client would send, which would otherwise sit in
    // its memory.
    let mut endless = TcpStream::connect(&server.address).unwrap();
    endless.set_write_timeout(Some(PATIENCE)).unwrap();
    write!(endless, "GET /en/ HTTP/1.1\r\nHost: {}\r\n", server.address).unwrap();
    let line = format!("X-Filler: {}\r\n", "y".repeat(1000));
    let mut sent = 0;
    let stopped = loop {
        if sent > 64 << 20 {
            break false;
        }
        match endless.write(line.as_bytes()) {
            Ok(n) => sent += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => break true,
        }
    };
    assert!(stopped, "the server read a head of {sent} bytes");
}

#[test]
fn a_client_sending_a_byte_a_second_delays_no_one_else_and_is_let_go() {
    let site = Site::copy_of("minimal");
    let server = Server::start(&site.root());
    // A head that would be whole only after minutes.
    let head = format!(
        "GET /en/ HTTP/1.1\r\nHost: {}\r\nX-Slow: {}",
        server.address,
        "a".repeat(200)
    );

    // Twenty slow clients, each a byte a second into its request's head.
    let mut slow: Vec<TcpStream> = (0..20)
        .map(|_| {
            let stream = TcpStream::connect(&server.address).unwrap();
            stream.set_write_timeout(Some(PATIENCE)).unwrap();
            stream
        })
        .collect();
    let started = Instant::now();
    let mut written = 0;
    let mut slowest = Duration::ZERO;
    while started.elapsed() < Duration::from_secs(4) {
        if started.elapsed() >= Duration::from_secs(written as u64) {
            for stream in &mut slow {
                stream
                    .write_all(&head.as_bytes()[written..=written])
                    .unwrap();
            }
            written += 1;
        }
        let asked = Instant::now();
        let answer = exchange(&server.address, &get_with(&server, "/en/", ""));
        assert_eq!(answer.status, 200);
        slowest = slowest.max(asked.elapsed());
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        slowest < Duration::from_millis(500),
        "a request took {} ms beside slow clients",
        slowest.as_millis()
    );

    // A client that never finishes its head does not hold its connection for ever: it is
    // closed (with or without a 408) once the server's time for a head is over.
    let mut last = slow.pop().unwrap();
    drop(slow);
    last.set_read_timeout(Some(Duration::from_millis(10)))
        .unwrap();
    let closed = loop {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "a byte-a-second client was still connected after 30 s"
        );
        let byte = &head.as_bytes()[written..=written];
        if last.write_all(byte).is_err() {
            break started.elapsed();
        }
        written += 1;
        let mut answer = [0; 512];
        match last.read(&mut answer) {
            Ok(_) => break started.elapsed(),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => break started.elapsed(),
        }
        std::thread::sleep(Duration::from_secs(1));
    };
    assert!(
        closed > Duration::from_secs(4),
        "closed after {} s, before its time",
        closed.as_secs()
    );
}

#[test]
fn a_thousand_requests_at_once_are_all_answered() {
    let site = Site::copy_of("minimal");
    let server = Server::start(&site.root());
    let style = format!("/{}", linked_asset(&server.get("/en/").text(), "style.css"));
    let paths = ["/en/", "/en/programme/", style.as_str(), "/sitemap.xml"];
    let started = Instant::now();
    for (path, answer) in at_once(&server, &paths, 1000) {
        assert_eq!(answer.status, 200, "{path}");
        assert!(!answer.body.is_empty(), "{path}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "1,000 requests took {} s",
        started.elapsed().as_secs()
    );
}

/// A GET of `path` that gives `host` as its Host.
fn get_for_host(path: &str, host: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
}

/// The port of a server's address.
fn port(server: &Server) -> &str {
    server.address.rsplit(':').next().unwrap()
}

#[test]
fn only_the_names_of_the_bound_address_are_answered() {
    let site = Site::copy_of("minimal");
    let server = Server::start(&site.root());
    let port = port(&server);
    for host in ["localhost", "LOCALHOST", "127.0.0.1", "[::1]"] {
        let host = format!("{host}:{port}");
        let answer = exchange(&server.address, &get_for_host("/en/", &host));
        assert_eq!(answer.status, 200, "{host}");
    }
    // What a page of another site reaches the server with after DNS rebinding (its own name
    // made to resolve to 127.0.0.1), or with a name the server was not started on.
    let other_port = if port == "1" { "2" } else { "1" };
    for host in [
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("localhost:{other_port}"),
        "127.0.0.1".to_string(),
        format!("127.0.0.2:{port}"),
        String::new(),
    ] {
        for path in [
            "/en/",
            "/__majlis/files",
            "/__majlis/events",
            "/no-such-page/",
        ] {
            let answer = exchange(&server.address, &get_for_host(path, &host));
            assert_eq!(answer.status, 421, "{host} {path}");
            let text = answer.text();
            assert!(!text.contains("<html"), "{host} {path}: {text}");
            assert!(!text.contains("index.html"), "{host} {path}: {text}");
        }
    }
    // HTTP/1.0 may leave the Host out: the request cannot be told from a rebound one.
    let bare = exchange(&server.address, "GET /en/ HTTP/1.0\r\n\r\n");
    assert_eq!(bare.status, 400);
    // An absolute target names its host itself (RFC 9112 §3.2.2), whatever the Host says.
    let absolute = exchange(
        &server.address,
        &get_for_host(&format!("http://evil.example:{port}/en/"), &server.address),
    );
    assert_eq!(absolute.status, 421);
    let absolute = exchange(
        &server.address,
        &get_for_host(&format!("http://{}/en/", server.address), &server.address),
    );
    assert_eq!(absolute.status, 200);
}

/// Bound to every address (`--bind 0.0.0.0`), a phone of the network opens the computer's
/// address, which is then the Host; on Linux every address of 127.0.0.0/8 is the computer's
/// own, so 127.0.0.2 stands for it.
#[cfg(target_os = "linux")]
#[test]
fn bound_to_every_address_it_answers_the_address_it_was_reached_at() {
    let site = Site::copy_of("minimal");
    let server = Server::start_with(&site.root(), &["--port", "0", "--bind", "0.0.0.0"]);
    let port = port(&server);
    let reached = format!("127.0.0.2:{port}");
    for (host, status) in [
        (reached.clone(), 200),
        (format!("localhost:{port}"), 200),
        (format!("127.0.0.1:{port}"), 200),
        // Another address than the one this connection was made to.
        (format!("127.0.0.3:{port}"), 421),
        // A name, which DNS rebinding would give.
        (format!("my-laptop.local:{port}"), 421),
    ] {
        let answer = exchange(&reached, &get_for_host("/en/", &host));
        assert_eq!(answer.status, status, "{host}");
    }
}
