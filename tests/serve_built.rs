//! `majlis serve --built`: the output folder of `majlis build` served as it is, at the path
//! of the site's address, as a static host would serve it once uploaded.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::server::{assert_traversal_refused, request, Server};
use common::{linked_asset, majlis, Published, Site};

/// The multilingual fixture is built for `https://events.example.test/forum-2025/`.
const MOUNT: &str = "/forum-2025";

#[test]
fn the_output_folder_is_served_as_it_is_at_the_path_of_the_sites_address() {
    let site = Site::copy_of("multilingual");
    let root = site.root();
    let run = majlis(&root, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let last = run.stdout.lines().last().unwrap_or_default();
    assert!(last.ends_with("serve --built"), "{}", run.stdout);
    let published = Published::at(root.join("public"));
    let server = Server::start_with(&root, &["--built", "--port", "0"]);
    assert!(server.url.ends_with(&format!("{MOUNT}/")), "{}", server.url);

    let files = published.files();
    assert!(files.len() > 20, "{files:?}");
    for file in files.iter().filter(|f| *f != ".majlis-manifest") {
        let served = server.get(&format!("{MOUNT}/{file}"));
        assert_eq!(served.status, 200, "{file}");
        let bytes = std::fs::read(published.dir.join(file)).unwrap();
        assert!(served.body == bytes, "{file} is not served as it is");
    }
    let style = format!(
        "/{}",
        linked_asset(&published.text("fr/index.html"), "style.css")
    );
    for (path, content_type) in [
        ("/fr/", "text/html; charset=utf-8"),
        ("/fr/calendar.ics", "text/calendar; charset=utf-8"),
        ("/sitemap.xml", "application/xml"),
        (style.as_str(), "text/css; charset=utf-8"),
    ] {
        let served = server.get(&format!("{MOUNT}{path}"));
        assert_eq!(served.status, 200, "{path}");
        assert_eq!(served.header("content-type").as_deref(), Some(content_type));
        assert!(!served.text().contains("majlis-dev"), "no script is added");
    }

    let head = request(&server.address, &format!("HEAD {MOUNT}/fr/ HTTP/1.1"));
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let length = std::fs::metadata(published.dir.join("fr/index.html"))
        .unwrap()
        .len();
    assert_eq!(head.header("content-length"), Some(length.to_string()));
    assert_eq!(
        request(&server.address, &format!("POST {MOUNT}/fr/ HTTP/1.1")).status,
        405
    );

    for (path, location) in [
        ("/", format!("{MOUNT}/")),
        (MOUNT, format!("{MOUNT}/")),
        (
            &format!("{MOUNT}/fr/programme"),
            format!("{MOUNT}/fr/programme/"),
        ),
    ] {
        let answer = server.get(path);
        assert_eq!(answer.status, 302, "{path}");
        assert_eq!(answer.header("location"), Some(location), "{path}");
    }
    let not_found = std::fs::read(published.dir.join("404.html")).unwrap();
    for missing in [
        format!("{MOUNT}/fr/no-such-page/"),
        "/elsewhere/".to_string(),
        format!("{MOUNT}/.majlis-manifest"),
        "/__majlis/events".to_string(),
        "/__majlis/files".to_string(),
    ] {
        let answer = server.get(&missing);
        assert_eq!(answer.status, 404, "{missing}");
        assert!(answer.body == not_found, "{missing}: the site's 404 page");
    }
}

#[test]
fn nothing_outside_the_output_folder_is_served_through_a_path_or_a_link() {
    let site = Site::copy_of("multilingual");
    let root = site.root();
    assert_eq!(majlis(&root, &["build"]).code, 0);
    // Beside the output folder (the site's root) and beside the site.
    std::fs::write(root.join("secret.txt"), "TOP-SECRET").unwrap();
    std::fs::write(root.parent().unwrap().join("secret.txt"), "TOP-SECRET").unwrap();
    #[cfg(unix)]
    {
        let public = root.join("public");
        std::os::unix::fs::symlink(root.join("secret.txt"), public.join("leak.txt")).unwrap();
        std::os::unix::fs::symlink(root.parent().unwrap(), public.join("leak")).unwrap();
    }
    let server = Server::start_with(&root, &["--built", "--port", "0"]);
    assert_traversal_refused(&server, MOUNT);
    for path in [
        "/leak.txt",
        "/leak/secret.txt",
        "/leak/site/site-config.yaml",
    ] {
        let answer = server.get(&format!("{MOUNT}{path}"));
        assert_eq!(answer.status, 404, "{path}");
        assert!(!answer.text().contains("TOP-SECRET"), "{path}");
    }
}

#[test]
fn an_edit_is_not_served_until_the_next_build_which_is_served_at_once() {
    let site = Site::copy_of("multilingual");
    let root = site.root();
    let out = site.out();
    let out_arg = out.to_str().unwrap();
    // Built elsewhere and for another address, as a deploy does: `build` says how to see it.
    let build = || {
        majlis(
            &root,
            &[
                "build",
                "--output",
                out_arg,
                "--base-url",
                "https://example.org/other/",
            ],
        )
    };
    let run = build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let last = run.stdout.lines().last().unwrap_or_default();
    let told = format!("serve --built --output {out_arg} --base-url https://example.org/other/");
    assert!(last.ends_with(&told), "{}", run.stdout);
    let server = Server::start_with(
        &root,
        &told
            .split(' ')
            .skip(1)
            .chain(["--port", "0"])
            .collect::<Vec<_>>(),
    );
    assert!(server.url.ends_with("/other/"), "{}", server.url);
    let page = "/other/en/about/";
    let before = server.get(page);
    assert_eq!(before.status, 200);
    assert!(before.text().contains("About"), "{}", before.text());

    site.edit(
        "content/pages/about.en.md",
        "title: About",
        "title: About us",
    );
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(server.get(page).body, before.body, "nothing is rebuilt");
    assert_eq!(build().code, 0);
    assert!(server.get(page).text().contains("About us"));
}

#[test]
fn a_folder_without_a_build_is_refused_with_the_command_that_makes_one() {
    let site = Site::copy_of("minimal");
    let mut child = Command::new(env!("CARGO_BIN_EXE_majlis"))
        .arg("--root")
        .arg(site.root())
        .args(["serve", "--built", "--port", "0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("serve --built served a folder that was never built");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(!status.success());
    assert!(stderr.contains("public"), "{stderr}");
    assert!(stderr.contains("majlis build"), "{stderr}");
}
