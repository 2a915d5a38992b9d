//! Nothing an editor writes can become script on a page (issue 14): minifying keeps what
//! every page means, links and images that could run script are not published, and URLs and
//! photos that are not what they must be are errors at their line, in `check` as in `build`.

mod common;

use common::{dom, majlis, Published, Site};

/// Every fixture that builds, and the example.
const SITES: [&str; 5] = ["example", "minimal", "multilingual", "ramadan", "hostile"];

/// Sets `minify` in the site's configuration.
fn set_minify(site: &Site, minify: bool) {
    let path = site.root().join("site-config.yaml");
    let config = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = config
        .lines()
        .filter(|l| !l.starts_with("minify:"))
        .map(str::to_string)
        .collect();
    lines.push(format!("minify: {minify}"));
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

/// The site built unminified, then minified.
fn both_ways(name: &str) -> (Site, Vec<(String, Vec<u8>)>, Published) {
    let site = Site::copy_of(name);
    set_minify(&site, false);
    let plain = site.built().snapshot();
    set_minify(&site, true);
    let minified = site.built();
    (site, plain, minified)
}

fn html_pages(files: &[(String, Vec<u8>)]) -> Vec<&(String, Vec<u8>)> {
    files
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .collect()
}

#[test]
fn every_minified_page_parses_to_the_same_elements_attributes_and_text() {
    for name in SITES {
        let (_site, plain, minified) = both_ways(name);
        let minified_files = minified.snapshot();
        let pages = html_pages(&plain);
        assert!(pages.len() > 3, "{name}: {} pages", pages.len());
        assert_eq!(
            pages.iter().map(|(p, _)| p).collect::<Vec<_>>(),
            html_pages(&minified_files)
                .iter()
                .map(|(p, _)| p)
                .collect::<Vec<_>>(),
            "{name}: the same pages"
        );
        let (mut plain_size, mut minified_size) = (0, 0);
        for ((path, plain), (_, min)) in pages.iter().zip(html_pages(&minified_files)) {
            let (plain, min) = (String::from_utf8_lossy(plain), String::from_utf8_lossy(min));
            if let Some(difference) = dom::difference(&plain, &min) {
                panic!("{name}: {path} minified {difference}");
            }
            plain_size += plain.len();
            minified_size += min.len();
        }
        assert!(
            minified_size < plain_size,
            "{name}: minifying shrinks the pages"
        );
    }
}

#[test]
fn the_comparison_of_pages_sees_what_a_browser_would_show_differently() {
    let page = |body: &str| format!("<!DOCTYPE html><html lang=en><title>t</title>{body}</html>");
    let same = |a: &str, b: &str| dom::difference(&page(a), &page(b)).is_none();
    assert!(same("<p>a  <b>b</b>\n</p>", "<p>a <b>b</b>"));
    assert!(same("<ul>\n  <li>x</li>\n</ul>", "<ul><li>x</ul>"));
    assert!(same(
        "<p title=\"a&quot;b\">x<!-- c --></p>",
        "<p title='a\"b'>x"
    ));
    assert!(
        !same("<p>a <b>b</b></p>", "<p>a<b>b</b></p>"),
        "a space lost"
    );
    assert!(!same(
        "<p><span>a</span> <span>b</span></p>",
        "<p><span>a</span><span>b</span>"
    ));
    assert!(
        !same("<p title=\"l'a\">x</p>", "<p title=l' a>x</p>"),
        "a stray attribute"
    );
    assert!(!same(
        "<img src=\"x&quot; onerror=y\">",
        "<img src=x\" onerror=y>"
    ));
    assert!(!same("<p>&lt;green&gt;</p>", "<p><green></p>"));
    assert!(
        !same("<pre>a  b</pre>", "<pre>a b</pre>"),
        "pre keeps its spaces"
    );
    // What <noscript> holds is one text to a parser with script on: compared as the HTML a
    // browser without script shows.
    assert!(same(
        "<noscript><p class=\"n\">a  <a href=\"x\">b</a></p></noscript>",
        "<noscript><p class=n>a <a href=x>b</a></noscript>"
    ));
    assert!(!same(
        "<noscript><p>a <a href=x>b</a></p></noscript>",
        "<noscript><p>a <a href=y>b</a></p></noscript>"
    ));
    assert!(!same(
        "<noscript><p>a</p></noscript>",
        "<noscript><p>a</p><p>b</p></noscript>"
    ));
}

#[test]
fn with_raw_html_off_nothing_the_hostile_fixture_writes_runs_script() {
    let (_site, _plain, minified) = both_ways("hostile");
    let pages: Vec<String> = minified
        .files()
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    for path in &pages {
        let found = dom::script_capable(&minified.text(path));
        assert!(found.is_empty(), "{path}: {found:?}");
    }
    // The text is all there, as text.
    let programme = minified.page("fr/programme/index.html");
    assert!(programme
        .text_of("#opening .session-description")
        .contains("<script>alert(1)</script>"));
    assert!(programme.select("#opening .session-description img").len() == 1);
    let title = programme.text_of("#panel .session-title");
    assert!(title.contains("<a href=javascript:alert(1)>"), "{title}");
    let home = minified.page("fr/index.html");
    let description = home.text_of(".about .lead");
    assert!(description.contains("ceci"), "{description}");
    assert_eq!(
        home.select(".about .lead a")
            .iter()
            .map(|a| a.value().attr("href").unwrap_or_default().to_string())
            .collect::<Vec<_>>(),
        ["https://example.test/?a=1&b=%222%22"],
    );
    // The name, with its quotes and apostrophe, is one attribute value, not several.
    let name = "L'équipe <Alpha> & « Bêta » : \"guillemets\" `accents graves` a=b";
    assert_eq!(home.attr("meta[property='og:site_name']", "content"), name);
    assert_eq!(home.text_of("h1"), name);
    let speakers = minified.page("en/speakers/index.html");
    assert_eq!(
        speakers.attr(".speaker-card img", "src"),
        "../../speakers/o%27brien%20%26%20co.png"
    );
    assert!(minified.has("speakers/o'brien & co.png"));
    let canonical = home.attr("link[rel=canonical]", "href");
    assert_eq!(canonical, "https://hostile.example.test/o'brien&co/fr/");
}

#[test]
fn a_text_in_a_language_that_is_not_the_sites_cannot_add_an_attribute() {
    let site = Site::copy_of("minimal");
    site.edit(
        "content/programme.yaml",
        "title: Welcome",
        "title: {'x\" onmouseover=\"alert(1)': Welcome}",
    );
    let built = site.built();
    let page = built.page("en/programme/index.html");
    assert!(page.select("[onmouseover]").is_empty());
    assert_eq!(page.text_of("#welcome .session-title"), "Welcome");
}

/// Checks that building and checking `site` both fail at `place` with `message`, and that
/// the last good output (in `before`) is untouched.
fn assert_refused(site: &Site, before: &[(String, Vec<u8>)], place: &str, message: &str) {
    for command in ["build", "check"] {
        let run = match command {
            "build" => site.build(),
            _ => majlis(&site.root(), &["check"]),
        };
        assert_eq!(run.code, 1, "{command} should fail:\n{}", run.stderr);
        assert!(
            run.stderr
                .lines()
                .any(|line| line.contains(&format!("{place}: ")) && line.contains(message)),
            "{command}: expected {place}: …{message} in:\n{}",
            run.stderr
        );
    }
    assert!(
        Published::at(site.out()).snapshot() == before,
        "a failed build changed the output"
    );
}

#[test]
fn an_organiser_url_that_is_not_http_https_or_mailto_is_an_error_at_its_line() {
    for url in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(document.domain)",
        "' javascript:alert(1)'",
        "\"java\\tscript:alert(1)\"",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "www.example.org",
        "https://",
        "\"mailto:\"",
    ] {
        let site = Site::copy_of("minimal");
        let before = site.built().snapshot();
        site.write(
            "content/event.yaml",
            format!(
                "name: Minimal Fictional Meeting\ntimezone: UTC\nstart_date: 2026-06-01\n\
                 end_date: 2026-06-01\norganisers:\n  - name: Org\n    url: {url}\n"
            ),
        );
        assert_refused(
            &site,
            &before,
            "content/event.yaml:7:10",
            "is not an http, https or mailto URL",
        );
    }
}

#[test]
fn an_organiser_url_with_a_quote_or_a_space_is_an_error_at_its_line() {
    for (url, character) in [
        ("'https://example.org/\"onmouseover=alert(1)'", "'\"'"),
        ("\"https://example.org/a b\"", "' '"),
        ("https://example.org/<b>", "'<'"),
    ] {
        let site = Site::copy_of("minimal");
        let before = site.built().snapshot();
        site.write(
            "content/event.yaml",
            format!(
                "name: Minimal Fictional Meeting\ntimezone: UTC\nstart_date: 2026-06-01\n\
                 end_date: 2026-06-01\norganisers:\n  - name: Org\n    url: {url}\n"
            ),
        );
        assert_refused(
            &site,
            &before,
            "content/event.yaml:7:10",
            &format!("it holds {character}"),
        );
    }
}

#[test]
fn organiser_urls_to_the_web_and_to_mail_are_published() {
    let site = Site::copy_of("minimal");
    site.write(
        "content/event.yaml",
        "name: Minimal Fictional Meeting\ntimezone: UTC\nstart_date: 2026-06-01\n\
         end_date: 2026-06-01\norganisers:\n  - name: Web\n    url: HTTPS://example.org/a?b=1&c='d'\n\
         \x20 - name: Mail\n    url: mailto:team@example.org\n",
    );
    let home = site.built().page("en/index.html");
    let hrefs: Vec<String> = home
        .select(".organisers a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        hrefs,
        ["HTTPS://example.org/a?b=1&c='d'", "mailto:team@example.org"]
    );
}

/// The minimal site, with a photo for its speaker (line 5 of the file, value at column 8).
fn with_photo(photo: &str) -> (Site, Vec<(String, Vec<u8>)>) {
    let site = Site::copy_of("minimal");
    site.write("content/static/speakers/jane.png", b"png");
    let before = site.built().snapshot();
    site.edit(
        "content/speakers/jane-placeholder.en.md",
        "organisation: Nowhere Institute\n",
        &format!("organisation: Nowhere Institute\nphoto: {photo}\n"),
    );
    (site, before)
}

#[test]
fn a_photo_that_is_not_a_file_of_content_static_is_an_error_at_its_line() {
    let place = "content/speakers/jane-placeholder.en.md:5:8";
    for (photo, reason) in [
        ("speakers/missing.png", "is not a file in content/static/"),
        ("speakers", "is not a file in content/static/"),
        ("../../../../etc/passwd", "leads out of content/static/"),
        ("speakers/../../event.yaml", "leads out of content/static/"),
        ("/etc/passwd", "must be written relative to content/static/"),
        (
            "https://example.org/jane.png",
            "must be written relative to content/static/",
        ),
        (
            "\"speakers\\\\jane.png\"",
            "must be written relative to content/static/",
        ),
    ] {
        let (site, before) = with_photo(photo);
        assert_refused(
            &site,
            &before,
            place,
            &format!(
                "the photo `{}` {reason}",
                photo.trim_matches('"').replace("\\\\", "\\")
            ),
        );
    }
}

#[cfg(unix)]
#[test]
fn a_photo_that_links_out_of_content_static_is_an_error_at_its_line() {
    let (site, before) = with_photo("speakers/link.png");
    let outside = site.root().join("content/event.yaml");
    std::os::unix::fs::symlink(
        outside,
        site.root().join("content/static/speakers/link.png"),
    )
    .unwrap();
    assert_refused(
        &site,
        &before,
        "content/speakers/jane-placeholder.en.md:5:8",
        "the photo `speakers/link.png` is a link that leads out of content/static/",
    );
}

#[test]
fn a_photo_is_published_at_its_percent_encoded_address() {
    let site = Site::copy_of("minimal");
    site.write("content/static/speakers/jane doe#1.png", b"png");
    site.edit(
        "content/speakers/jane-placeholder.en.md",
        "organisation: Nowhere Institute\n",
        "organisation: Nowhere Institute\nphoto: \"speakers/jane doe#1.png\"\n",
    );
    let built = site.built();
    let page = built.page("en/speakers/jane-placeholder/index.html");
    let src = page.attr(".speaker-header img", "src");
    assert_eq!(src, "../../../speakers/jane%20doe%231.png");
    assert!(built.has("speakers/jane doe#1.png"));
    let script = page.one("script[type='application/ld+json']").inner_html();
    let json: serde_json::Value = serde_json::from_str(&script).unwrap();
    assert_eq!(
        json["image"],
        "http://localhost:8000/speakers/jane%20doe%231.png"
    );
}

#[test]
fn a_base_url_that_is_not_a_clean_address_is_an_error_at_its_line() {
    for (url, message) in [
        (
            "'http://localhost:8000/\"onmouseover=alert(1)//'",
            "it holds '\"'",
        ),
        ("\"http://localhost:8000/a b/\"", "it holds ' '"),
        ("http://localhost:8000/<x>/", "it holds '<'"),
        (
            "http://localhost:8000/?a=b",
            "is not a full web address starting with https://",
        ),
        (
            "http://localhost:8000/#x",
            "is not a full web address starting with https://",
        ),
        (
            "javascript://localhost/",
            "is not a full web address starting with https://",
        ),
        ("http://a\"b/", "it holds '\"'"),
        (
            "http://user@host/",
            "is not a full web address starting with https://",
        ),
    ] {
        let site = Site::copy_of("minimal");
        let before = site.built().snapshot();
        site.edit(
            "site-config.yaml",
            "base_url: http://localhost:8000/",
            &format!("base_url: {url}"),
        );
        assert_refused(&site, &before, "site-config.yaml:1:11", message);
    }
    let site = Site::copy_of("minimal");
    let out = site.out();
    let run = majlis(
        &site.root(),
        &[
            "build",
            "--output",
            out.to_str().unwrap(),
            "--base-url",
            "https://x/\"y",
        ],
    );
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("--base-url: "), "{}", run.stderr);
}

#[test]
fn a_base_url_path_that_is_not_ascii_is_published_percent_encoded() {
    let site = Site::copy_of("minimal");
    site.edit(
        "site-config.yaml",
        "base_url: http://localhost:8000/",
        "base_url: https://example.org/réunion",
    );
    let built = site.built();
    let page = built.page("en/index.html");
    assert_eq!(
        page.attr("link[rel=canonical]", "href"),
        "https://example.org/r%C3%A9union/en/"
    );
    assert!(built
        .text("sitemap.xml")
        .contains("https://example.org/r%C3%A9union/en/"));
}

#[test]
fn an_interpretation_language_that_is_not_a_language_code_is_an_error_at_its_line() {
    let site = Site::copy_of("minimal");
    let before = site.built().snapshot();
    site.edit(
        "content/event.yaml",
        "end_date: 2026-06-01",
        "end_date: 2026-06-01\ninterpretation: [en, 'x\" onmouseover=\"alert(1)']",
    );
    assert_refused(
        &site,
        &before,
        "content/event.yaml:5:22",
        "is not a language code (such as en, fr, ar or pt-BR)",
    );
}
