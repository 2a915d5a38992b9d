//! `_headers` (issue 24), read back as Netlify and Cloudflare Pages read it: each published
//! file's request path matched against every rule, the headers of all matching rules
//! gathered, as those hosts gather them.

mod common;

use std::collections::BTreeMap;

use common::Site;

/// The rules of a `_headers` file: paths, then their indented `Name: value` lines.
fn parse(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut rules: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            let (name, value) = trimmed.split_once(':').expect("Name: value");
            let rule = rules.last_mut().expect("a header after a path");
            rule.1
                .push((name.trim().to_lowercase(), value.trim().to_string()));
        } else {
            assert!(trimmed.starts_with('/'), "{line}");
            rules.push((trimmed.to_string(), Vec::new()));
        }
    }
    rules
}

/// Whether a rule's path matches a request path: `*` any run of characters, `:name` one
/// segment.
fn matches(pattern: &str, path: &str) -> bool {
    match pattern.split_once('*') {
        Some((before, after)) => {
            path.starts_with(before)
                && path.len() >= before.len() + after.len()
                && path.ends_with(after)
        }
        None => {
            let (p, q): (Vec<&str>, Vec<&str>) =
                (pattern.split('/').collect(), path.split('/').collect());
            p.len() == q.len()
                && p.iter()
                    .zip(&q)
                    .all(|(a, b)| a == b || (a.starts_with(':') && !b.is_empty()))
        }
    }
}

/// Every header each request path gets, with every value of every rule that matches.
fn served(headers: &str, files: &[String]) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let rules = parse(headers);
    let mut by_path = BTreeMap::new();
    for file in files {
        let path = match file.strip_suffix("index.html") {
            Some(folder) => format!("/{folder}"),
            None => format!("/{file}"),
        };
        let mut got: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (pattern, rule) in &rules {
            if matches(pattern, &path) {
                for (name, value) in rule {
                    got.entry(name.clone()).or_default().push(value.clone());
                }
            }
        }
        by_path.insert(path, got);
    }
    by_path
}

fn one<'a>(got: &'a BTreeMap<String, Vec<String>>, name: &str, path: &str) -> &'a str {
    match got.get(name).map(Vec::as_slice) {
        Some([value]) => value,
        other => panic!("{path}: {name} {other:?}"),
    }
}

#[test]
fn feeds_are_calendars_open_to_apps_and_every_path_has_one_cache_rule() {
    let site = Site::copy_of("multilingual");
    let published = site.built();
    let files = published.files();
    let served = served(&published.text("_headers"), &files);
    let mut feeds = 0;
    let mut hashed_assets = 0;
    for (path, got) in &served {
        if path.ends_with(".ics") {
            feeds += 1;
            assert_eq!(
                one(got, "content-type", path),
                "text/calendar; charset=utf-8"
            );
            assert_eq!(one(got, "access-control-allow-origin", path), "*");
        }
        if path.ends_with(".ics") || path.ends_with('/') || path.starts_with("/schedule.") {
            // Short, and only one value: a host joins the values of two rules.
            assert_eq!(one(got, "cache-control", path), "public, max-age=300");
        }
        if path.starts_with("/schedule.") {
            assert_eq!(one(got, "access-control-allow-origin", path), "*");
        }
        // What is named by its content is kept for good, and nothing else is.
        let file = path.rsplit('/').next().unwrap_or_default();
        let hashed = path.starts_with("/assets/")
            && file.split('.').rev().nth(1).is_some_and(|hash| {
                hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
            });
        if hashed {
            hashed_assets += 1;
            assert_eq!(
                one(got, "cache-control", path),
                "public, max-age=31536000, immutable"
            );
        } else {
            assert!(
                !got.get("cache-control")
                    .is_some_and(|v| v.iter().any(|v| v.contains("immutable"))),
                "{path}"
            );
        }
    }
    assert!(feeds > 20, "{feeds}");
    // The stylesheets, scripts, fonts and icons of the theme.
    assert!(hashed_assets >= 6, "{hashed_assets}");
    assert!(served.contains_key("/en/programme/"));
}

#[test]
fn a_sites_own_headers_are_kept_whole_and_the_rules_added_where_it_sets_none() {
    let site = Site::copy_of("multilingual");
    let own = "# Our host's rules\n/*\n  X-Frame-Options: DENY\n  Cache-Control: no-cache\n\n\
               /en/calendar.ics\n\tAccess-Control-Allow-Origin: https://app.example.org\n";
    site.write("content/static/_headers", own);
    let published = site.built();
    let text = published.text("_headers");
    assert!(text.starts_with(own), "{text}");
    let served = served(&text, &published.files());
    for (path, got) in &served {
        assert_eq!(one(got, "x-frame-options", path), "DENY");
        assert_eq!(one(got, "cache-control", path), "no-cache");
        if path.ends_with(".ics") {
            assert_eq!(
                one(got, "content-type", path),
                "text/calendar; charset=utf-8"
            );
        }
    }
    let subscription = &served["/en/calendar.ics"];
    assert_eq!(
        one(subscription, "access-control-allow-origin", "en"),
        "https://app.example.org"
    );
    assert_eq!(
        one(
            &served["/fr/calendar.ics"],
            "access-control-allow-origin",
            "fr"
        ),
        "*"
    );
}

#[test]
fn a_malformed_headers_file_names_its_line() {
    let site = Site::copy_of("minimal");
    site.write("content/static/_headers", "/*\n  X-Frame-Options DENY\n");
    let run = site.build();
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("content/static/_headers:2"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("`Name: value`"), "{}", run.stderr);
}
