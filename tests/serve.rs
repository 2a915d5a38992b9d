//! `majlis serve` as an editor lives with it: the real binary on a copy of a fixture site, a
//! free port, and plain HTTP over a socket. Every wait is bounded; every server is killed at
//! the end of its test.

mod common;

use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::server::{
    assert_traversal_refused, request, version_of, Server, PATIENCE, VISIBLE_WITHIN,
};
use common::{linked_asset, majlis, Published, Site};

fn assert_quick(what: &str, took: Duration) {
    assert!(
        took < VISIBLE_WITHIN,
        "{what} took {} ms to be visible",
        took.as_millis()
    );
}

#[test]
fn a_page_is_served_with_the_live_reload_script() {
    let site = Site::copy_of("minimal");
    let server = Server::start(&site.root());
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );

    let home = server.get("/en/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(home.text().contains("<script id=\"majlis-dev\">"));
    assert!(home.text().contains("/__majlis/events"));
    assert!(
        home.text().contains(&server.address) && !home.text().contains("localhost:8000"),
        "absolute links lead to the server, not to the configured base_url"
    );

    let chooser = server.get("/");
    assert_eq!(chooser.status, 200);
    let folder = server.get("/en/programme");
    assert_eq!(folder.status, 302, "a folder without its slash");
    assert_eq!(folder.header("location").as_deref(), Some("/en/programme/"));
    let head = request(&server.address, "HEAD /en/ HTTP/1.1");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let post = request(&server.address, "POST /en/ HTTP/1.1");
    assert_eq!(post.status, 405);
}

#[test]
fn an_edit_is_visible_within_a_second() {
    let site = Site::copy_of("minimal");
    let server = Server::start(&site.root());
    let page = "/en/speakers/jane-placeholder/";
    assert!(server.get(page).text().contains("Jane Placeholder"));

    let took = server.edit_until_shown(
        &site,
        "content/speakers/jane-placeholder.en.md",
        ("name: Jane Placeholder", "name: Jane Edited-Placeholder"),
        page,
        "Jane Edited-Placeholder",
    );
    assert_quick("an edit", took);
}

#[test]
fn an_atomic_save_is_visible_within_a_second() {
    let site = Site::copy_of("minimal");
    let server = Server::start(&site.root());
    let page = "/en/speakers/jane-placeholder/";
    let file = site.root().join("content/speakers/jane-placeholder.en.md");
    let text = std::fs::read_to_string(&file).unwrap();

    // What editors do: write the whole file beside it under a temporary name, then rename it
    // over the old one.
    let saved = Instant::now();
    let temporary = file.with_file_name(".jane-placeholder.en.md.tmp-4242");
    std::fs::write(
        &temporary,
        text.replace("Nowhere Institute", "Somewhere Institute"),
    )
    .unwrap();
    std::fs::rename(&temporary, &file).unwrap();
    let took = server.wait_for(page, saved, |r| r.text().contains("Somewhere Institute"));
    assert_quick("an atomic save", took);
}

#[test]
fn a_new_page_is_visible_and_a_deleted_page_is_gone_within_a_second() {
    let site = Site::copy_of("minimal");
    let server = Server::start(&site.root());
    assert_eq!(server.get("/en/travel/").status, 404);

    let created = Instant::now();
    site.write(
        "content/pages/travel.en.md",
        "---\ntitle: Getting there\nmenu: 1\n---\nTake the fictional tram.\n",
    );
    let took = server.wait_for("/en/travel/", created, |r| {
        r.status == 200 && r.text().contains("fictional tram")
    });
    assert_quick("a new page", took);
    assert!(
        server.get("/en/").text().contains("Getting there"),
        "the menu of other pages has it too"
    );

    let deleted = Instant::now();
    site.remove("content/pages/travel.en.md");
    let took = server.wait_for("/en/travel/", deleted, |r| r.status == 404);
    assert_quick("a deleted page", took);
    assert!(!server.get("/en/").text().contains("Getting there"));
}

#[test]
fn renamed_folders_are_followed() {
    let site = Site::copy_of("minimal");
    let root = site.root();
    site.write(
        "content/pages/travel.en.md",
        "---\ntitle: Getting there\n---\nBy tram.\n",
    );
    let server = Server::start(&root);
    assert_eq!(server.get("/en/travel/").status, 200);

    let renamed = Instant::now();
    std::fs::rename(root.join("content/pages"), root.join("content/drafts")).unwrap();
    server.wait_for("/en/travel/", renamed, |r| r.status == 404);
    std::fs::rename(root.join("content/drafts"), root.join("content/pages")).unwrap();
    server.wait_for("/en/travel/", renamed, |r| r.status == 200);

    // The whole content folder swapped for a copy (as some sync tools do): the watcher must
    // follow the new folder, not the old one.
    let swapped = Instant::now();
    std::fs::rename(root.join("content"), root.join("content-old")).unwrap();
    copy_folder(&root.join("content-old"), &root.join("content"));
    std::fs::remove_dir_all(root.join("content-old")).unwrap();
    server.settle(Duration::from_millis(300));
    site.edit("content/pages/travel.en.md", "By tram.", "By bicycle.");
    let took = server.wait_for("/en/travel/", swapped, |r| r.text().contains("By bicycle."));
    assert!(took < PATIENCE);
    let took = server.edit_until_shown(
        &site,
        "content/pages/travel.en.md",
        ("By bicycle.", "On foot."),
        "/en/travel/",
        "On foot.",
    );
    assert_quick("an edit in a replaced folder", took);
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_bad_edit_keeps_the_last_good_page_and_names_the_file_and_line_until_it_is_fixed() {
    let site = Site::copy_of("minimal");
    let server = Server::start(&site.root());
    let page = "/en/programme/";
    let good = server.get(page);
    let mut events = server.events(Some(&version_of(&good)));

    let file = "content/programme.yaml";
    let text = std::fs::read_to_string(site.root().join(file)).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("end: \"09:30\""))
        .unwrap()
        + 1;
    site.edit(file, "end: \"09:30\"", "end: \"08:00\"");

    let (name, data) = events.next();
    assert_eq!(name, "errors", "{data}");
    assert!(
        data.contains(&format!(r#""file":"{file}","line":{line}"#)),
        "the overlay names the file and line: {data}"
    );
    assert!(data.contains("not after its start"), "{data}");
    server.wait_for_stderr(&format!("error: {file}:{line}:"));
    server.wait_for_stderr("still serving the last good build");

    let during = server.get(page);
    assert_eq!(during.status, 200);
    assert_eq!(
        during.published(),
        good.published(),
        "the last good page is served"
    );
    assert!(
        during
            .text()
            .contains(&format!(r#""file":"{file}","line":{line}"#)),
        "a page loaded while the error stands shows the overlay at once"
    );
    assert!(
        during.text().contains(r#""built":true"#),
        "the overlay says the last good build is under it"
    );

    let fixed = Instant::now();
    site.edit(file, "end: \"08:00\"", "end: \"09:45\"");
    let (name, _) = events.next();
    assert_eq!(name, "reload");
    let took = server.wait_for(page, fixed, |r| r.text().contains(r#""errors":[]"#));
    assert_quick("a fix", took);
    assert_ne!(server.get(page).published(), good.published());
}

#[test]
fn the_first_build_failing_shows_the_errors_until_it_is_fixed() {
    let site = Site::copy_of("minimal");
    site.edit(
        "content/event.yaml",
        "timezone: UTC",
        "timezone: Mars/Olympus",
    );
    let server = Server::start(&site.root());
    let page = server.get("/en/");
    assert_eq!(page.status, 503);
    assert!(page
        .text()
        .contains(r#""file":"content/event.yaml","line":"#));
    assert!(
        page.text().contains(r#""built":false"#),
        "the overlay does not speak of a last good build when there is none"
    );
    server.wait_for_stderr("error: content/event.yaml:");

    let fixed = Instant::now();
    site.edit(
        "content/event.yaml",
        "timezone: Mars/Olympus",
        "timezone: UTC",
    );
    server.wait_for("/en/", fixed, |r| r.status == 200);
}

#[test]
fn served_bytes_equal_a_fresh_build_after_a_sequence_of_edits() {
    let site = Site::copy_of("multilingual");
    let root = site.root();
    let server = Server::start(&root);

    server.edit_until_shown(
        &site,
        "content/pages/about.en.md",
        ("title: About", "title: About us"),
        "/en/about/",
        "About us",
    );

    let now = Instant::now();
    let programme = root.join("content/programme.yaml");
    let text = std::fs::read_to_string(&programme).unwrap();
    let temporary = root.join("content/.programme.yaml.swp");
    std::fs::write(
        &temporary,
        text.replace("Welcome and registration", "Welcome, registration"),
    )
    .unwrap();
    std::fs::rename(&temporary, &programme).unwrap();
    server.settle(Duration::from_millis(300));
    assert!(now.elapsed() < PATIENCE);

    let now = Instant::now();
    site.write(
        "content/pages/travel.en.md",
        "---\ntitle: Travel\nmenu: 2\n---\nTrains.\n",
    );
    server.wait_for("/en/travel/", now, |r| r.status == 200);

    let now = Instant::now();
    site.remove("content/pages/venue.fr.md");
    server.settle(Duration::from_millis(300));
    assert!(now.elapsed() < PATIENCE);

    site.edit("content/event.yaml", "start_date:", "start_dat:");
    server.wait_for_stderr("error: content/event.yaml:");
    site.edit("content/event.yaml", "start_dat:", "start_date:");

    // A name is in the calendar feeds too (the sessions' descriptions).
    server.edit_until_shown(
        &site,
        "content/speakers/amelie-durand.en.md",
        ("role: Chief Urban Planner", "role: Chief Urban Designer"),
        "/en/speakers/amelie-durand/",
        "Chief Urban Designer",
    );

    // A burst without waiting, as a checkout or a search-and-replace would make.
    for speaker in ["amelie-durand", "selin-aydin", "tomas-berger"] {
        let file = format!("content/speakers/{speaker}.en.md");
        let text = std::fs::read_to_string(root.join(&file)).unwrap();
        site.write(&file, format!("{text}\nEdited in a burst.\n"));
    }
    site.write(
        "content/pages/travel.en.md",
        "---\ntitle: Travel\nmenu: 2\n---\nBuses.\n",
    );
    let now = Instant::now();
    server.wait_for("/en/travel/", now, |r| r.text().contains("Buses."));
    server.settle(Duration::from_millis(500));

    assert_serves_a_fresh_build(&server, &root);
}

/// Builds the site afresh (at the server's address) and waits until the server serves exactly
/// that. The server may still be rebuilding after the last edits (a loaded machine is slow):
/// what must hold is that it comes to serve exactly the build, and a server that went stale
/// never would.
fn assert_serves_a_fresh_build(server: &Server, root: &Path) {
    let out = root.parent().unwrap().join("fresh");
    let run = majlis(
        root,
        &[
            "build",
            "--output",
            out.to_str().unwrap(),
            "--base-url",
            &server.url,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let fresh = Published::at(out);
    let since = Instant::now();
    while let Some(difference) = compare(server, &fresh) {
        assert!(since.elapsed() < PATIENCE, "{difference}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The first difference between what the server serves and a build, if any.
/// A built page as `serve` previews it: without the offline notice and the script that
/// registers the worker (each on a line of its own in the default theme's pages).
fn without_worker(bytes: Vec<u8>) -> Vec<u8> {
    let Ok(text) = String::from_utf8(bytes.clone()) else {
        return bytes;
    };
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        if !(line.starts_with("<p class=\"offline-notice\"") || line.contains("data-worker=")) {
            out.push_str(line);
        }
    }
    out.into_bytes()
}

fn compare(server: &Server, fresh: &Published) -> Option<String> {
    // `serve` previews the site: it publishes no service worker, and its pages neither
    // register one nor carry its offline notice (issue 23), which a build's have.
    let built: Vec<String> = fresh
        .files()
        .into_iter()
        .filter(|f| f != ".majlis-manifest" && f != "service-worker.js")
        .collect();
    let served: Vec<String> = server
        .get("/__majlis/files")
        .text()
        .lines()
        .map(str::to_string)
        .collect();
    if served != built {
        return Some(format!(
            "serve serves other files than the build:\nserved: {served:?}\nbuilt: {built:?}"
        ));
    }
    for path in &built {
        let response = server.get(&format!("/{path}"));
        let bytes = without_worker(std::fs::read(fresh.dir.join(path)).unwrap());
        if response.status != 200 || response.published() != bytes {
            return Some(format!(
                "{path} differs from a fresh build:\nserved ({}):\n{}\nbuilt:\n{}",
                response.status,
                String::from_utf8_lossy(&response.published()),
                String::from_utf8_lossy(&bytes)
            ));
        }
    }
    None
}

#[test]
fn path_traversal_is_refused_in_every_encoding() {
    let site = Site::copy_of("minimal");
    let root = site.root();
    std::fs::write(root.parent().unwrap().join("secret.txt"), "TOP-SECRET").unwrap();
    let server = Server::start(&root);
    assert_traversal_refused(&server, "");
}

#[test]
fn the_event_stream_announces_a_rebuild_once_the_new_page_is_in_place() {
    let site = Site::copy_of("minimal");
    let server = Server::start(&site.root());
    let page = "/en/speakers/jane-placeholder/";
    let before = server.get(page);
    let mut events = server.events(Some(&version_of(&before)));

    site.edit(
        "content/speakers/jane-placeholder.en.md",
        "role: Example Speaker",
        "role: Announced Speaker",
    );
    let (name, data) = events.next();
    assert_eq!(name, "reload", "{data}");
    let after = server.get(page);
    assert!(
        after.text().contains("Announced Speaker"),
        "the reload comes only once the new page is served"
    );

    // A page that connects late, with the version it was served in, is told at once.
    let mut late = server.events(Some(&version_of(&before)));
    assert_eq!(late.next().0, "reload");
}

#[test]
fn content_types_say_their_charset_and_a_missing_page_is_the_sites_404() {
    let site = Site::copy_of("minimal");
    let server = Server::start(&site.root());
    let files = server.get("/__majlis/files").text();
    let style = format!("/{}", linked_asset(&server.get("/en/").text(), "style.css"));
    let mut expected = vec![
        ("/sitemap.xml", "application/xml"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        (style.as_str(), "text/css; charset=utf-8"),
        ("/404.html", "text/html; charset=utf-8"),
    ];
    if files.lines().any(|f| f == "en/calendar.ics") {
        expected.push(("/en/calendar.ics", "text/calendar; charset=utf-8"));
    }
    for (path, content_type) in expected {
        let response = server.get(path);
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(
            response.header("content-type").as_deref(),
            Some(content_type),
            "{path}"
        );
    }
    let missing = server.get("/en/no-such-page/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(missing.published(), server.get("/404.html").published());
}

#[test]
fn editor_temporaries_make_no_rebuild() {
    let site = Site::copy_of("minimal");
    let server = Server::start(&site.root());
    server.settle(Duration::from_millis(200));
    let before = server.rebuilds();
    for temporary in [
        ".jane-placeholder.en.md.swp",
        "jane-placeholder.en.md~",
        ".#jane-placeholder.en.md",
        "4913",
        "#jane-placeholder.en.md#",
    ] {
        site.write(&format!("content/speakers/{temporary}"), "scratch");
    }
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(server.rebuilds(), before, "temporaries rebuilt the site");

    server.edit_until_shown(
        &site,
        "content/speakers/jane-placeholder.en.md",
        ("Nowhere", "Elsewhere"),
        "/en/speakers/jane-placeholder/",
        "Elsewhere",
    );
}

#[test]
fn a_checkout_of_500_files_rebuilds_once() {
    let site = Site::copy_of("minimal");
    site.write("content/static/docs/.keep", "");
    let server = Server::start(&site.root());
    server.settle(Duration::from_millis(200));
    let before = server.rebuilds();
    let started = Instant::now();
    for i in 0..500 {
        site.write(
            &format!("content/static/docs/file-{i:03}.txt"),
            format!("{i}"),
        );
    }
    server.wait_for("/docs/file-499.txt", started, |r| r.status == 200);
    server.settle(Duration::from_millis(500));
    let printed = server.stdout.lock().unwrap().join("\n");
    assert_eq!(
        server.rebuilds() - before,
        1,
        "one rebuild for the burst:\n{printed}"
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_within_a_second() {
    let site = Site::copy_of("minimal");
    let mut server = Server::start(&site.root());
    // An open event stream must not hold the server up.
    let _events = server.events(None);
    let interrupted = Instant::now();
    let sent = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    loop {
        if server.child.try_wait().unwrap().is_some() {
            break;
        }
        assert!(
            interrupted.elapsed() < VISIBLE_WITHIN,
            "still running after a second"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_port_in_use_makes_way_for_the_next_free_one() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let site = Site::copy_of("minimal");
    let server = Server::start_with(&site.root(), &["--port", &port.to_string()]);
    assert!(!server.url.contains(&format!(":{port}/")), "{}", server.url);
    assert!(server
        .stdout
        .lock()
        .unwrap()
        .iter()
        .any(|l| l.contains(&format!("port {port} is in use"))));
    assert_eq!(server.get("/en/").status, 200);
}

#[test]
fn a_published_build_never_carries_the_reload_script() {
    let site = Site::copy_of("multilingual");
    let published = site.built();
    for file in published.files() {
        let bytes = std::fs::read(published.dir.join(&file)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("majlis-dev"), "{file}");
        assert!(!text.contains("__majlis"), "{file}");
    }
}

#[test]
fn two_hundred_mixed_edits_in_ten_seconds_leave_it_serving_a_fresh_build() {
    let site = Site::copy_of("minimal");
    let root = site.root();
    let server = Server::start(&root);
    let programme = root.join("content/programme.yaml");
    let original = std::fs::read_to_string(&programme).unwrap();
    let started = Instant::now();
    for i in 0..200 {
        let good = original.replace("title: Welcome", &format!("title: Welcome {i}"));
        match i % 4 {
            // A typo that breaks the build.
            0 => {
                std::fs::write(&programme, good.replace("kind: session", "kidn: session")).unwrap()
            }
            // An editor's atomic save: a temporary file renamed over the original.
            1 => {
                let temporary = root.join("content/.programme.yaml.tmp");
                std::fs::write(&temporary, &good).unwrap();
                std::fs::rename(&temporary, &programme).unwrap();
            }
            // A new page, then its removal.
            2 => site.write(
                "content/pages/extra.en.md",
                format!("---\ntitle: Extra {i}\n---\n"),
            ),
            _ => {
                std::fs::write(&programme, &good).unwrap();
                let _ = std::fs::remove_file(root.join("content/pages/extra.en.md"));
            }
        }
        if i % 20 == 0 {
            let response = server.get("/en/");
            assert!(
                matches!(response.status, 200 | 503),
                "status {}",
                response.status
            );
        }
        std::thread::sleep(Duration::from_millis(45));
    }
    assert!(started.elapsed() < Duration::from_secs(15));
    // The last edit (199) was good: the site must come to serve exactly its fresh build.
    server.wait_for("/en/programme/", Instant::now(), |r| {
        r.text().contains("Welcome 199")
    });
    server.settle(Duration::from_millis(500));
    assert_serves_a_fresh_build(&server, &root);
    assert_eq!(server.get("/en/").status, 200);
}

#[test]
fn a_file_rewritten_with_its_old_size_and_time_is_read_again() {
    // serve trusts a file's status (size, times, inode) for its content once it is a few
    // seconds old. A tool that restores the old modification time (rsync -t, touch -d)
    // over new bytes of the same size still moves the change time, which the status holds.
    let site = Site::copy_of("minimal");
    let root = site.root();
    let file = root.join("content/speakers/jane-placeholder.en.md");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("Example Speaker"));
    let old = std::time::SystemTime::now() - Duration::from_secs(3600);
    let backdate = || {
        let opened = std::fs::File::options().append(true).open(&file).unwrap();
        opened.set_modified(old).unwrap();
    };
    backdate();
    let options = majlis::Options::default();
    let mut cache = majlis::Cache::new();
    let page = "en/speakers/jane-placeholder/index.html";
    let first = majlis::build_with(&root, &options, &mut cache).unwrap();
    // Settled: the next build trusts the status it sees.
    std::thread::sleep(Duration::from_millis(2100));
    let second = majlis::build_with(&root, &options, &mut cache).unwrap();
    assert_eq!(first.output.get(page), second.output.get(page));

    let same_size = text.replace("Example Speaker", "Example SPEAKER");
    assert_eq!(same_size.len(), text.len());
    std::fs::write(&file, &same_size).unwrap();
    backdate();
    let third = majlis::build_with(&root, &options, &mut cache).unwrap();
    let html = String::from_utf8_lossy(third.output.get(page).unwrap()).into_owned();
    assert!(
        html.contains("Example SPEAKER"),
        "the old content was served"
    );
}
