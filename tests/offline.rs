//! The site offline and installed (issue 23), as the build publishes it: the service worker at
//! the site's root and what it names, each language's manifest and the pages that link it;
//! and `majlis serve`, which publishes neither worker nor notice. The worker itself runs in
//! Chromium in CI (`.ci/browser/offline.mjs`).

mod common;

use common::server::Server;
use common::{Published, Site};
use serde_json::Value;

/// The JSON value the service worker's script gives the constant `name`.
fn constant(script: &str, name: &str) -> Value {
    let start = format!("const {name} = ");
    let line = script
        .lines()
        .find_map(|line| line.strip_prefix(&start))
        .unwrap_or_else(|| panic!("the worker has no {name}"));
    serde_json::from_str(line.trim_end_matches(';')).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The published file at `path` from the site's root (a folder is its `index.html`).
fn file_of(site: &Published, path: &str) -> String {
    site.resolve("index.html", path)
}

#[test]
fn the_worker_names_the_assets_and_each_languages_pages_that_the_build_publishes() {
    let site = Site::copy_of("multilingual");
    let published = site.built();
    let script = published.text("service-worker.js");
    let assets = constant(&script, "ASSETS");
    let assets: Vec<&str> = assets
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    for asset in &assets {
        assert!(published.has(asset), "{asset}");
    }
    let style = common::linked_asset(&published.text("fr/index.html"), "style.css");
    assert!(assets.contains(&style.as_str()), "{assets:?}");
    assert!(!assets.iter().any(|a| a.ends_with(".txt")), "{assets:?}");
    let languages = constant(&script, "LANGUAGES");
    let codes: Vec<&str> = languages
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["fr", "en", "ar", "tr"]);
    for language in languages.as_array().unwrap() {
        let code = language["code"].as_str().unwrap();
        let pages: Vec<&str> = language["pages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        for expected in [
            "",
            "programme/",
            "speakers/",
            "agenda/",
            "agenda/sessions.json",
        ] {
            assert!(
                pages.contains(&format!("{code}/{expected}").as_str()),
                "{code}: {pages:?}"
            );
        }
        for page in &pages {
            assert!(page.starts_with(&format!("{code}/")), "{page}");
            assert!(published.has(&file_of(&published, page)), "{page}");
        }
        // Speakers' pages are kept as they are opened, not ahead.
        assert!(
            !pages.iter().any(|p| p.matches('/').count() > 2),
            "{pages:?}"
        );
    }
    // The cache is named by what the build is made from: a biography changes it.
    let version = constant(&script, "VERSION");
    let speaker = "content/speakers/lucie-moreau.fr.md";
    let text = std::fs::read_to_string(site.root().join(speaker)).unwrap();
    site.write(speaker, format!("{text}\nChercheuse, et autrice.\n"));
    let again = site.built();
    assert_ne!(
        constant(&again.text("service-worker.js"), "VERSION"),
        version
    );
}

#[test]
fn every_page_links_its_languages_manifest_which_opens_on_its_home() {
    let site = Site::copy_of("multilingual");
    let published = site.built();
    let mut pages = 0;
    for path in published.files() {
        let Some((code, _)) = path.split_once('/') else {
            continue;
        };
        if !path.ends_with(".html") || code == "assets" {
            continue;
        }
        pages += 1;
        let page = published.page(&path);
        let href = page.attr(r#"link[rel="manifest"]"#, "href");
        let manifest_path = published.resolve(&path, &href);
        assert_eq!(
            manifest_path,
            format!("{code}/manifest.webmanifest"),
            "{path}"
        );
        assert!(!page.text_of(".offline-notice").is_empty(), "{path}");
        let script = page.attr(r#"script[data-worker]"#, "data-worker");
        assert_eq!(
            published.resolve(&path, &script),
            "service-worker.js",
            "{path}"
        );
    }
    assert!(pages > 20, "{pages}");
    for (code, dir) in [("fr", "ltr"), ("ar", "rtl")] {
        let path = format!("{code}/manifest.webmanifest");
        let manifest: Value = serde_json::from_str(&published.text(&path)).unwrap();
        assert_eq!(manifest["lang"], code);
        assert_eq!(manifest["dir"], dir);
        let at = |key: &str| published.resolve(&path, manifest[key].as_str().unwrap());
        assert_eq!(at("start_url"), format!("{code}/index.html"));
        assert_eq!(at("scope"), "index.html", "the scope is the site's root");
        assert!(!manifest["name"].as_str().unwrap().is_empty());
        assert!(!manifest["short_name"].as_str().unwrap().is_empty());
        let sizes: Vec<&str> = manifest["icons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|icon| {
                let file = published.resolve(&path, icon["src"].as_str().unwrap());
                let png = std::fs::read(published.dir.join(&file)).unwrap();
                let side = u32::from_be_bytes(png[16..20].try_into().unwrap());
                assert_eq!(icon["sizes"], format!("{side}x{side}"), "{file}");
                icon["sizes"].as_str().unwrap()
            })
            .collect();
        assert_eq!(sizes, ["192x192", "512x512"]);
    }
    let notice = published.page("ar/programme/index.html");
    assert!(
        notice.text_of(".offline-notice").contains("2023"),
        "the programme's date"
    );
}

#[test]
fn serve_publishes_no_worker_and_its_pages_register_none() {
    let site = Site::copy_of("minimal");
    let server = Server::start(&site.root());
    let files = server.get("/__majlis/files").text();
    assert!(
        files.lines().any(|f| f == "en/manifest.webmanifest"),
        "{files}"
    );
    assert!(
        !files.lines().any(|f| f.contains("service-worker")),
        "{files}"
    );
    assert_eq!(server.get("/service-worker.js").status, 404);
    let page = server.get("/en/programme/").text();
    assert!(!page.contains("data-worker"), "{page}");
    assert!(!page.contains("offline-notice"), "{page}");
}
