//! The published site, checked through an HTML parser: every path of the layout, languages
//! and directions, alternates and switchers that resolve, fallbacks marked, text escaped.

mod common;

use std::collections::BTreeSet;

use common::{build_into_temp, example_root, fixture_root, linked_asset, majlis, Published, Site};

const EXAMPLE_LANGUAGES: [&str; 3] = ["en", "fr", "ar"];
const FIXTURE_LANGUAGES: [&str; 4] = ["fr", "en", "ar", "tr"];

fn example() -> (tempfile::TempDir, Published) {
    build_into_temp(&example_root())
}

fn multilingual() -> (tempfile::TempDir, Published) {
    build_into_temp(&fixture_root("multilingual"))
}

/// The HTML pages under a language folder.
fn pages_of(site: &Published, lang: &str) -> Vec<String> {
    site.files()
        .into_iter()
        .filter(|f| f.starts_with(&format!("{lang}/")) && f.ends_with(".html"))
        .collect()
}

#[test]
fn example_publishes_every_path_of_the_layout_in_every_language() {
    let (_dir, site) = example();
    for path in ["index.html", "404.html", "sitemap.xml", "robots.txt"] {
        assert!(site.has(path), "{path} is missing");
    }
    let speakers: Vec<String> = std::fs::read_dir(example_root().join("content/speakers"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|name| name.strip_suffix(".en.md").map(str::to_string))
        .collect();
    assert_eq!(
        speakers.len(),
        15,
        "one speaker per person of the programme"
    );
    for lang in EXAMPLE_LANGUAGES {
        for path in [
            "index.html",
            "programme/index.html",
            "speakers/index.html",
            "agenda/index.html",
            "agenda/sessions.json",
        ] {
            assert!(
                site.has(&format!("{lang}/{path}")),
                "{lang}/{path} is missing"
            );
        }
        for speaker in &speakers {
            assert!(site.has(&format!("{lang}/speakers/{speaker}/index.html")));
        }
    }
    assert!(site.has("en/concept-note/index.html"));
    assert!(
        site.has("fr/note-conceptuelle/index.html"),
        "the French page has its own slug"
    );
    assert!(site.has("ar/concept-note/index.html"));
}

/// Every page: `<html lang dir>`, a canonical URL, hreflang alternates to every language and
/// x-default that are published, and a language switcher leading to the same page.
fn assert_pages_are_linked_to_their_translations(site: &Published, languages: &[&str], base: &str) {
    for lang in languages {
        for path in pages_of(site, lang) {
            let page = site.page(&path);
            let html = page.one("html");
            assert_eq!(html.value().attr("lang"), Some(*lang), "{path}");
            let dir = if *lang == "ar" { "rtl" } else { "ltr" };
            assert_eq!(html.value().attr("dir"), Some(dir), "{path}");

            let canonical = page.attr("link[rel=canonical]", "href");
            let own = path.strip_suffix("index.html").unwrap();
            assert_eq!(canonical, format!("{base}{own}"), "{path}");

            let alternates = page.select("link[rel=alternate][hreflang]");
            let codes: BTreeSet<&str> = alternates
                .iter()
                .filter_map(|a| a.value().attr("hreflang"))
                .collect();
            let mut expected: BTreeSet<&str> = languages.iter().copied().collect();
            expected.insert("x-default");
            assert_eq!(codes, expected, "{path}");
            for alternate in &alternates {
                let href = alternate.value().attr("href").unwrap();
                let target = href.strip_prefix(base).expect("alternates are absolute");
                let file = format!("{target}index.html");
                assert!(site.has(&file), "{path}: alternate {href} is not published");
                let code = alternate.value().attr("hreflang").unwrap();
                if code == "x-default" {
                    continue;
                }
                // The switcher leads to the same page as the alternate of that language.
                let switcher = page.attr(&format!("nav.languages a[hreflang={code}]"), "href");
                assert_eq!(
                    site.resolve(&path, &switcher),
                    file,
                    "{path}: switcher to {code}"
                );
                let lang_attr = page.attr(&format!("nav.languages a[hreflang={code}]"), "lang");
                assert_eq!(lang_attr, code, "each language is named in itself");
                assert_eq!(site.page(&file).attr("link[rel=canonical]", "href"), href);
            }
        }
    }
}

#[test]
fn every_example_page_has_language_direction_alternates_and_switcher() {
    let (_dir, site) = example();
    assert_pages_are_linked_to_their_translations(
        &site,
        &EXAMPLE_LANGUAGES,
        "https://pesnet.example.org/meeting-4/",
    );
}

#[test]
fn every_fixture_page_has_language_direction_alternates_and_switcher() {
    let (_dir, site) = multilingual();
    assert_pages_are_linked_to_their_translations(
        &site,
        &FIXTURE_LANGUAGES,
        "https://events.example.test/forum-2025/",
    );
}

#[test]
fn root_index_chooses_a_language_and_is_the_x_default() {
    let (_dir, site) = multilingual();
    let page = site.page("index.html");
    let choices: Vec<String> = page
        .select("a[hreflang]")
        .iter()
        .map(|a| site.resolve("index.html", a.value().attr("href").unwrap()))
        .collect();
    let expected: Vec<String> = FIXTURE_LANGUAGES
        .iter()
        .map(|l| format!("{l}/index.html"))
        .collect();
    assert_eq!(choices, expected, "the default language (fr) first");
    let home = site.page("ar/index.html");
    assert_eq!(
        home.attr("link[hreflang=x-default]", "href"),
        "https://events.example.test/forum-2025/"
    );
}

#[test]
fn programme_anchors_every_session_and_links_each_person_to_their_page() {
    let (_dir, site) = example();
    for lang in EXAMPLE_LANGUAGES {
        let path = format!("{lang}/programme/index.html");
        let page = site.page(&path);
        let ids: Vec<&str> = page
            .select("article.session")
            .iter()
            .filter_map(|s| s.value().attr("id"))
            .collect();
        assert_eq!(ids.len(), 16, "every item of both days");
        for id in [
            "registration",
            "opening",
            "panel-1",
            "panel-2",
            "gala-dinner",
            "closing",
        ] {
            assert!(ids.contains(&id), "{path} has no #{id}");
        }
        let people = page.select("a.person:not(.organiser)");
        assert_eq!(people.len(), 16, "4 + 2 + 5 + 5 people in the sessions");
        for person in people {
            let target = site.resolve(&path, person.value().attr("href").unwrap());
            assert!(target.starts_with(&format!("{lang}/speakers/")), "{target}");
            assert!(site.has(&target), "{path}: {target} is not published");
        }
        // The work programme: "Moderator: SESRIC / ANAPEC", the two organisers, each linked
        // to its website.
        let organisers: Vec<&str> = page
            .select("#work-plan .moderators a.person.organiser")
            .iter()
            .map(|a| a.value().attr("href").unwrap())
            .collect();
        assert_eq!(
            organisers,
            ["https://www.sesric.org", "https://www.anapec.org"],
            "{path}"
        );
    }
}

#[test]
fn opening_session_lists_its_speakers_in_the_order_of_the_french_document() {
    let (_dir, site) = example();
    let page = site.page("fr/programme/index.html");
    let order: Vec<String> = page
        .select("#opening .speakers a.person")
        .iter()
        .map(|a| {
            a.value()
                .attr("href")
                .unwrap()
                .rsplit('/')
                .nth(1)
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        order,
        [
            "younes-sekkouri",
            "varol-dur",
            "zehra-zumrut-selcuk",
            "imane-belmaati"
        ]
    );
    let times = page.text_of("#opening .session-time");
    assert!(
        times.contains("09:30") && times.contains("11:00"),
        "{times}"
    );
}

#[test]
fn speaker_page_lists_every_session_with_day_time_and_role() {
    let (_dir, site) = example();
    let page = site.page("en/speakers/varol-dur/index.html");
    let sessions: Vec<String> = page
        .select(".appearance .what a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(sessions.len(), 2, "opening and panel 1");
    assert!(sessions[0].ends_with("programme/#opening"));
    assert!(sessions[1].ends_with("programme/#panel-1"));
    for href in &sessions {
        let target = site.resolve(&page.path, href);
        assert_eq!(target, "en/programme/index.html");
    }
    let first = page.select(".appearance")[0].text().collect::<String>();
    assert!(
        first.contains("February 29, 2024") || first.contains("29 February 2024"),
        "{first}"
    );
    assert!(first.contains("Speaker"), "{first}");

    let moderator = site.page("en/speakers/rachid-marouane/index.html");
    let text = moderator.text_of(".appearance");
    assert!(text.contains("Moderator"), "{text}");
}

#[test]
fn arabic_pages_read_right_to_left_and_isolate_latin_names() {
    let (_dir, site) = example();
    let page = site.page("ar/programme/index.html");
    assert_eq!(page.attr("html", "dir"), "rtl");
    for person in page.select("a.person") {
        assert!(person
            .children()
            .any(|c| c.value().as_element().is_some_and(|e| e.name() == "bdi")));
    }
    let dates = page.text_of("#day-2024-02-29 h2 .day-date");
    assert!(dates.contains("فبراير"), "{dates}");
}

/// The page's one JSON-LD block, parsed.
fn json_ld(page: &common::Page) -> serde_json::Value {
    let code = page
        .one("script[type=\"application/ld+json\"]")
        .inner_html();
    serde_json::from_str(&code).unwrap_or_else(|e| panic!("{}: {e}: {code}", page.path))
}

#[test]
fn home_describes_the_event_and_each_session_in_schema_org_json_ld() {
    let (_dir, site) = example();
    let event = json_ld(&site.page("fr/index.html"));
    assert_eq!(event["@context"], "https://schema.org");
    assert_eq!(event["@type"], "Event");
    assert_eq!(event["url"], "https://pesnet.example.org/meeting-4/fr/");
    assert_eq!(event["startDate"], "2024-02-29");
    assert_eq!(event["endDate"], "2024-03-01");
    assert_eq!(event["location"]["name"], "Marrakech, Maroc");
    assert_eq!(event["organizer"][0]["name"], "SESRIC");
    assert_eq!(event["inLanguage"], serde_json::json!(["en", "ar", "fr"]));
    let sessions = event["subEvent"].as_array().unwrap();
    assert_eq!(sessions.len(), 16, "every item of both days");
    let opening = sessions
        .iter()
        .find(|s| {
            s["url"]
                .as_str()
                .unwrap()
                .ends_with("/fr/programme/#opening")
        })
        .unwrap();
    assert_eq!(opening["name"], "Session d'ouverture");
    assert_eq!(opening["startDate"], "2024-02-29T09:30:00+01:00");
    assert_eq!(opening["endDate"], "2024-02-29T11:00:00+01:00");
    let performers: Vec<&str> = opening["performer"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["url"].as_str().unwrap())
        .collect();
    assert_eq!(performers.len(), 4);
    assert_eq!(
        performers[1],
        "https://pesnet.example.org/meeting-4/fr/speakers/varol-dur/"
    );

    let (_dir, fixture) = multilingual();
    let event = json_ld(&fixture.page("en/programme/index.html"));
    let cancelled = event["subEvent"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["url"].as_str().unwrap().ends_with("#roundtable-housing"))
        .unwrap();
    assert_eq!(
        cancelled["eventStatus"],
        "https://schema.org/EventCancelled"
    );
    assert_eq!(cancelled["location"]["name"], "Room A");
    assert_eq!(cancelled["startDate"], "2025-03-30T11:00:00+02:00");
}

#[test]
fn speaker_pages_describe_the_person_and_every_page_has_link_previews() {
    let (_dir, site) = example();
    let person = json_ld(&site.page("ar/speakers/varol-dur/index.html"));
    assert_eq!(person["@type"], "Person");
    assert_eq!(
        person["url"],
        "https://pesnet.example.org/meeting-4/ar/speakers/varol-dur/"
    );
    let sessions = person["performerIn"].as_array().unwrap();
    assert_eq!(sessions.len(), 2, "opening and panel 1");
    assert_eq!(sessions[0]["startDate"], "2024-02-29T09:30:00+01:00");
    for lang in EXAMPLE_LANGUAGES {
        for path in pages_of(&site, lang) {
            let page = site.page(&path);
            json_ld(&page);
            let canonical = page.attr("link[rel=canonical]", "href");
            assert_eq!(page.attr("meta[property=\"og:url\"]", "content"), canonical);
            assert!(!page
                .attr("meta[property=\"og:title\"]", "content")
                .is_empty());
            assert_eq!(
                page.attr("meta[name=\"twitter:card\"]", "content"),
                "summary"
            );
        }
    }
}

#[test]
fn pages_load_nothing_from_elsewhere_and_ship_the_arabic_font_with_its_licence() {
    let (_dir, site) = multilingual();
    for path in site.files().iter().filter(|f| f.ends_with(".html")) {
        let page = site.page(path);
        for (css, attr) in [
            ("link[rel=stylesheet]", "href"),
            ("link[rel=icon]", "href"),
            ("script[src]", "src"),
            ("img", "src"),
        ] {
            for element in page.select(css) {
                let url = element.value().attr(attr).unwrap_or_default();
                assert!(
                    !url.contains("//"),
                    "{path}: {css} loads {url} from elsewhere"
                );
            }
        }
    }
    let style = linked_asset(&site.text("index.html"), "style.css");
    let css = site.text(&style);
    for font in [
        "noto-naskh-arabic-arabic-400-normal",
        "noto-naskh-arabic-arabic-700-normal",
    ] {
        // The stylesheet names the font by its published name, which carries its hash.
        let file = linked_asset(
            &css.replace("url(\"fonts/", "url(\"assets/fonts/"),
            &format!("fonts/{font}.woff2"),
        );
        assert!(
            site.has(&file),
            "{file}, which style.css uses, is not published"
        );
    }
    assert!(site
        .text("assets/fonts/OFL.txt")
        .contains("SIL OPEN FONT LICENSE Version 1.1"));
    let programme = site.text("en/programme/index.html");
    assert!(site.has(&linked_asset(&programme, "programme.js")));
}

#[test]
fn programme_times_are_in_the_event_zone_and_labelled_with_it() {
    let (_dir, site) = example();
    let page = site.page("en/programme/index.html");
    assert!(page
        .text_of("#day-2024-02-29 .timezone-note")
        .contains("GMT+1"));
    assert_eq!(
        page.select("#registration .session-time time")[0]
            .value()
            .attr("datetime")
            .unwrap(),
        "2024-02-29T09:00:00+01:00"
    );
}

#[test]
fn pages_with_times_give_the_script_what_it_needs_to_write_them_in_the_visitors_zone() {
    let (_dir, site) = multilingual();
    for path in [
        "ar/programme/index.html",
        "ar/speakers/karim-haddad/index.html",
        "ar/agenda/index.html",
    ] {
        let page = site.page(path);
        // The event's zone and the language's locale, for Intl; the switch hidden until the
        // script shows it, so that a page without script has none that does nothing.
        let script = r#"script[src*="assets/programme."]"#;
        assert_eq!(page.attr(script, "data-zone"), "Europe/Paris", "{path}");
        assert_eq!(page.attr(script, "data-locale"), "ar", "{path}");
        assert!(page.one(".zone-switch").value().attr("hidden").is_some());
    }
    // Each line that says the zone names its parts, for the script to rewrite.
    let speaker = site.page("fr/speakers/karim-haddad/index.html");
    assert_eq!(
        speaker.text_of(".appearances .timezone-note .zone-name"),
        "Europe/Paris"
    );
    let programme = site.page("fr/programme/index.html");
    assert!(programme
        .text_of("#day-2025-03-30 .timezone-note .zone-name")
        .contains("UTC+2"));
    // The day bar: each day, and a hidden link to the running session.
    let bar: Vec<String> = programme
        .select(".day-bar a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(bar, ["#day-2025-03-29", "#day-2025-03-30", "#"]);
    assert!(programme
        .one(".day-bar .day-now")
        .value()
        .attr("hidden")
        .is_some());
    assert_eq!(programme.select(".grid-switch[hidden]").len(), 1);
    // A programme with no two rooms at once has no switch to show them side by side.
    let (_dir, example) = example();
    let one_room = example.page("fr/programme/index.html");
    assert!(one_room.select(".grid-switch").is_empty());
    assert_eq!(one_room.select(".zone-switch").len(), 1);
}

#[test]
fn dates_are_formatted_from_cldr_in_each_language() {
    let (_dir, site) = multilingual();
    let tr = site.page("tr/index.html").text_of(".hero-facts .dates");
    assert!(tr.contains("29 Mart 2025"), "{tr}");
    let fr = site
        .page("fr/programme/index.html")
        .text_of("#day-2025-03-29 .day-date");
    assert_eq!(fr, "samedi 29 mars 2025");
    let paris = site.page("en/programme/index.html");
    assert!(paris
        .text_of("#day-2025-03-30 .timezone-note")
        .contains("GMT+2"));
    assert_eq!(
        paris.select("#keynote .session-time time")[0]
            .value()
            .attr("datetime")
            .unwrap(),
        "2025-03-30T09:00:00+02:00"
    );
}

#[test]
fn text_that_falls_back_is_marked_with_its_own_language_and_direction() {
    let (_dir, site) = multilingual();
    let ar = site.page("ar/programme/index.html");
    let fallback = ar.one("#panel-climate .session-title span[lang=fr]");
    assert_eq!(fallback.value().attr("dir"), Some("ltr"));
    // Translated text is not marked.
    assert!(ar
        .select("#registration .session-title span[lang]")
        .is_empty());

    let about = site.page("ar/about/index.html");
    let body = about.one("article.prose div[lang=fr]");
    assert_eq!(body.value().attr("dir"), Some("ltr"));

    let speaker = site.page("en/speakers/lucie-moreau/index.html");
    assert!(
        !speaker.select("h1 span[lang=fr]").is_empty(),
        "a French-only speaker's name"
    );
}

#[test]
fn markup_characters_in_titles_are_escaped() {
    let (_dir, site) = multilingual();
    let page = site.page("fr/programme/index.html");
    let title = page.text_of("#panel-climate .session-title");
    assert!(
        title.contains("Villes & climat") && title.contains("<demain>"),
        "{title}"
    );
    assert!(
        page.select("demain").is_empty(),
        "no element made of a title"
    );
}

#[test]
fn a_page_with_its_own_slug_is_published_there_and_switched_to() {
    let (_dir, site) = multilingual();
    assert!(site.has("fr/a-propos/index.html"));
    assert!(site.has("en/about/index.html"));
    assert!(
        site.has("ar/about/index.html"),
        "the fallback keeps the page's name"
    );
    let fr = site.page("fr/a-propos/index.html");
    let to_en = fr.attr("nav.languages a[hreflang=en]", "href");
    assert_eq!(site.resolve(&fr.path, &to_en), "en/about/index.html");
    let nav: Vec<String> = fr
        .select("nav.site-nav a")
        .iter()
        .map(|a| site.resolve(&fr.path, a.value().attr("href").unwrap()))
        .collect();
    assert_eq!(
        nav,
        [
            "fr/index.html",
            "fr/programme/index.html",
            "fr/speakers/index.html",
            "fr/agenda/index.html",
            "fr/a-propos/index.html",
            "fr/venue/index.html"
        ]
    );
}

#[test]
fn markdown_has_tables_footnotes_and_strikethrough() {
    let (_dir, site) = multilingual();
    let page = site.page("fr/venue/index.html");
    assert!(!page.select("article table").is_empty());
    assert!(!page.select("article del").is_empty());
    assert!(!page.select("article .footnote-definition").is_empty());
}

#[test]
fn sitemap_lists_every_page_with_hreflang_alternates() {
    let (_dir, site) = multilingual();
    let xml = site.text("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let base = "https://events.example.test/forum-2025/";
    let urls: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .collect();
    // Every page but the attendee's agenda, which is theirs and empty for a crawler, and the
    // search page, whose results are made in the browser.
    let pages: usize = FIXTURE_LANGUAGES
        .iter()
        .map(|l| {
            let pages = pages_of(&site, l);
            assert!(pages.contains(&format!("{l}/agenda/index.html")));
            assert!(pages.contains(&format!("{l}/search/index.html")));
            pages.len() - 2
        })
        .sum();
    assert_eq!(urls.len(), pages);
    for url in urls {
        let loc = url
            .children()
            .find(|n| n.has_tag_name("loc"))
            .unwrap()
            .text()
            .unwrap();
        assert!(site.has(&format!("{}index.html", loc.strip_prefix(base).unwrap())));
        let links: Vec<_> = url
            .children()
            .filter(|n| n.tag_name().name() == "link")
            .collect();
        assert_eq!(links.len(), FIXTURE_LANGUAGES.len() + 1, "{loc}");
        assert!(links.iter().any(|l| l.attribute("href") == Some(loc)));
        assert!(links
            .iter()
            .all(|l| l.tag_name().namespace() == Some("http://www.w3.org/1999/xhtml")));
    }
    assert!(site
        .text("robots.txt")
        .contains(&format!("Sitemap: {base}sitemap.xml")));
    assert!(site.has("404.html"));
}

#[test]
fn base_url_can_be_given_on_the_command_line() {
    let site = Site::copy_of("minimal");
    let out = site.out();
    let run = majlis(
        &site.root(),
        &[
            "build",
            "--output",
            out.to_str().unwrap(),
            "--base-url",
            "https://other.example/x",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = Published::at(out).page("en/index.html");
    assert_eq!(
        page.attr("link[rel=canonical]", "href"),
        "https://other.example/x/en/"
    );
}

#[test]
fn check_reports_missing_translations_and_strict_makes_them_errors() {
    let root = fixture_root("multilingual");
    let run = majlis(&root, &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/speakers/lucie-moreau.en.md"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/programme.yaml:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("has no tr version"), "{}", run.stderr);
    let strict = majlis(&root, &["check", "--strict"]);
    assert_eq!(strict.code, 1);
    let complete = majlis(&fixture_root("ramadan"), &["check", "--strict"]);
    assert_eq!(complete.code, 0, "{}", complete.stderr);
}

#[test]
fn byte_order_marks_and_crlf_line_endings_are_accepted() {
    let original = Site::copy_of("minimal");
    let plain = original.built();
    let site = Site::copy_of("minimal");
    for file in [
        "site-config.yaml",
        "content/event.yaml",
        "content/programme.yaml",
        "content/speakers/jane-placeholder.en.md",
    ] {
        let text = std::fs::read_to_string(site.root().join(file)).unwrap();
        site.write(file, format!("\u{feff}{}", text.replace('\n', "\r\n")));
    }
    let built = site.built();
    assert_eq!(built.files(), plain.files());
    let page = built.page("en/speakers/jane-placeholder/index.html");
    assert_eq!(page.text_of("h1").trim(), "Jane Placeholder");
}

#[test]
fn files_the_build_did_not_write_are_kept_and_stale_pages_removed() {
    let site = Site::copy_of("multilingual");
    site.built();
    std::fs::write(site.out().join("CNAME"), "events.example.test").unwrap();
    std::fs::create_dir_all(site.out().join(".well-known")).unwrap();
    std::fs::write(site.out().join(".well-known/security.txt"), "x").unwrap();
    // A link to a folder elsewhere: carried over as a link, and the last output's copy of it
    // removed without going through it.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("keep.txt"), "mine").unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.out().join("media")).unwrap();
    site.remove("content/pages/venue.fr.md");
    let built = site.built();
    assert_eq!(built.text("CNAME"), "events.example.test");
    assert!(built.has(".well-known/security.txt"));
    assert_eq!(built.text("media/keep.txt"), "mine");
    assert!(std::fs::symlink_metadata(built.dir.join("media"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(
        !built.has("fr/venue/index.html"),
        "a page whose file is gone is removed"
    );
}

#[test]
fn unchanged_pages_keep_their_modification_time() {
    let site = Site::copy_of("minimal");
    let built = site.built();
    let page = built.dir.join("en/speakers/index.html");
    let before = std::fs::metadata(&page).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.edit(
        "content/programme.yaml",
        "title: Welcome",
        "title: Welcome everyone",
    );
    site.built();
    assert_eq!(
        std::fs::metadata(&page).unwrap().modified().unwrap(),
        before
    );
}

#[test]
fn a_rebuild_with_nothing_changed_leaves_the_output_as_it_is() {
    use std::os::unix::fs::MetadataExt;
    let site = Site::copy_of("multilingual");
    let built = site.built();
    let state = || {
        let folder = std::fs::metadata(&built.dir).unwrap();
        let manifest = std::fs::metadata(built.dir.join(".majlis-manifest")).unwrap();
        (folder.ino(), manifest.modified().unwrap())
    };
    let before = state();
    let files = built.snapshot();
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.built();
    assert_eq!(state(), before, "the output folder was made anew");
    assert!(built.snapshot() == files);
    // A file no longer published, and every other kept: the output is made anew without it.
    site.write("content/static/notes.txt", "to be removed");
    site.built();
    site.remove("content/static/notes.txt");
    let rebuilt = site.built();
    assert!(!rebuilt.has("notes.txt"));
    let (_dir, fresh) = build_into_temp(&site.root());
    assert!(rebuilt.snapshot() == fresh.snapshot());
}

#[test]
fn a_rebuild_after_edits_publishes_what_a_build_from_nothing_does() {
    let site = Site::copy_of("multilingual");
    site.built();
    // Pages the last build made are kept when what they are made from is the same: a
    // biography, a session and a theme string each change some pages and not others.
    site.edit(
        "content/speakers/amelie-durand.en.md",
        "three cities",
        "four cities",
    );
    site.edit(
        "content/programme.yaml",
        "Accueil et inscription",
        "Accueil, café et inscription",
    );
    site.write(
        "content/i18n/fr.yaml",
        "speakers: Intervenantes et intervenants\n",
    );
    let rebuilt = site.built().snapshot();
    let (_dir, fresh) = build_into_temp(&site.root());
    assert!(
        rebuilt == fresh.snapshot(),
        "a rebuild differs from a fresh build"
    );
    // A biography is in no feed: the feeds are kept as a group, and must still be right.
    // A role is in the sessions' descriptions: the feeds are made again.
    for (file, from, to) in [
        (
            "content/speakers/amelie-durand.en.md",
            "four cities",
            "five cities",
        ),
        (
            "content/speakers/amelie-durand.fr.md",
            "role: Urbaniste en chef",
            "role: Urbaniste principale",
        ),
    ] {
        site.edit(file, from, to);
        let rebuilt = site.built().snapshot();
        let (_dir, fresh) = build_into_temp(&site.root());
        assert!(rebuilt == fresh.snapshot(), "after {to}, a rebuild differs");
    }
}

#[test]
fn a_rebuild_in_memory_after_each_kind_of_edit_is_what_a_fresh_build_makes() {
    // `serve` keeps every file whose key, a hash of its inputs, is the last build's: each
    // edit here reaches some pages and not others, through the menu, the links between
    // languages, one language's search index, the feeds, `_headers`, the interface strings,
    // the configuration, the sitemap's template or a page of its own.
    let site = Site::copy_of("multilingual");
    let root = site.root();
    let options = majlis::Options::default();
    let mut cache = majlis::Cache::new();
    majlis::build_with(&root, &options, &mut cache).unwrap();
    for (file, from, to) in [
        (
            "content/pages/about.en.md",
            "title: About",
            "title: About us",
        ),
        (
            "content/pages/about.fr.md",
            "slug: a-propos",
            "slug: le-forum",
        ),
        ("content/pages/venue.fr.md", "menu: 2", "menu: 0"),
        (
            "content/pages/about.en.md",
            "Any resemblance",
            "Every resemblance",
        ),
        (
            "content/speakers/amelie-durand.fr.md",
            "trois villes",
            "quatre villes",
        ),
        ("content/speakers/karim-haddad.ar.md", "منذ", "من"),
        (
            "content/speakers/amelie-durand.fr.md",
            "name: Amélie Durand",
            "name: Amélie Durand-Roy",
        ),
        (
            "content/speakers/amelie-durand.fr.md",
            "honorific: Dr",
            "honorific: Pr",
        ),
        (
            "content/event.yaml",
            "fr: Lyon, France",
            "fr: Lyon (Rhône), France",
        ),
        ("content/i18n/fr.yaml", "", "speakers: Les intervenants\n"),
        ("content/static/_headers", "", "/fr/*\n  X-Own: 1\n"),
        ("content/static/_headers", "X-Own: 1", "X-Own: 2"),
        ("site-config.yaml", "name: Türkçe", "name: Türkçe dili"),
        ("site-config.yaml", "minify: false", "minify: true"),
        // The sitemap is kept until its addresses or its template change.
        (
            "themes/default/templates/sitemap.xml",
            "",
            "{% for page in pages %}{{ page.translations.0.url }}\n{% endfor %}",
        ),
    ] {
        // An empty `from` writes the file anew.
        match from {
            "" => site.write(file, to),
            _ => site.edit(file, from, to),
        }
        let rebuilt = majlis::build_with(&root, &options, &mut cache)
            .unwrap()
            .output;
        let fresh = majlis::build(&root, &options).unwrap().output;
        let differ: Vec<&str> = fresh
            .iter()
            .filter(|(path, _)| !fresh.same_file(path, &rebuilt))
            .map(|(path, _)| path)
            .chain(
                rebuilt
                    .iter()
                    .map(|(p, _)| p)
                    .filter(|p| !fresh.contains(p)),
            )
            .collect();
        assert!(
            differ.is_empty(),
            "after `{to}`, a rebuild differs: {differ:?}"
        );
    }
}

#[test]
fn a_rebuild_in_memory_keeps_the_sitemap_until_an_address_changes() {
    // Kept means the last build's bytes, shared, not made again: at a large event the sitemap
    // was a sixth of `serve`'s rebuild after a biography edit.
    let site = Site::copy_of("multilingual");
    let root = site.root();
    let options = majlis::Options::default();
    let mut cache = majlis::Cache::new();
    let mut rebuild = || {
        majlis::build_with(&root, &options, &mut cache)
            .unwrap()
            .output
    };
    let sitemap = |output: &majlis::output::Output| output.get("sitemap.xml").unwrap().as_ptr();
    // The first build has nothing to keep; the second makes the sitemap with its key.
    rebuild();
    let first = rebuild();
    site.edit(
        "content/speakers/amelie-durand.fr.md",
        "trois villes",
        "quatre villes",
    );
    let biography = rebuild();
    assert_eq!(sitemap(&biography), sitemap(&first), "made again");
    site.edit(
        "content/pages/about.fr.md",
        "slug: a-propos",
        "slug: le-forum",
    );
    let renamed = rebuild();
    assert_ne!(sitemap(&renamed), sitemap(&biography), "kept");
    assert!(String::from_utf8_lossy(renamed.get("sitemap.xml").unwrap()).contains("/le-forum/"));
}

#[test]
fn a_published_file_changed_by_hand_is_written_again() {
    let site = Site::copy_of("minimal");
    let built = site.built();
    // A page, and one of the calendar feeds, which are kept or made again all together.
    let files = ["en/speakers/index.html", "en/calendar.ics"].map(|f| built.dir.join(f));
    let originals = files.clone().map(|f| std::fs::read(f).unwrap());
    std::thread::sleep(std::time::Duration::from_millis(20));
    for (file, original) in files.iter().zip(&originals) {
        // The same size, so that only the file's time tells it changed.
        let mut changed = original.clone();
        let last = changed.len() - 3;
        changed[last] = if changed[last] == b'x' { b'y' } else { b'x' };
        std::fs::write(file, &changed).unwrap();
    }
    let rebuilt = site.built();
    for (file, original) in files.iter().zip(&originals) {
        assert!(&std::fs::read(file).unwrap() == original, "{file:?}");
    }
    let (_dir, fresh) = build_into_temp(&site.root());
    assert!(rebuilt.snapshot() == fresh.snapshot());
}

#[test]
fn minify_shrinks_pages_that_still_parse_the_same() {
    let site = Site::copy_of("multilingual");
    let plain = site.built();
    let plain_size = plain.text("fr/programme/index.html").len();
    let plain_ids = plain
        .page("fr/programme/index.html")
        .select("article.session")
        .len();
    site.edit("site-config.yaml", "minify: false", "minify: true");
    let minified = site.built();
    let text = minified.text("fr/programme/index.html");
    assert!(text.len() < plain_size, "{} >= {plain_size}", text.len());
    // The language and direction stay quoted, to be found by any tool, not only parsers.
    assert!(
        text.contains(r#"<html lang="fr" dir="ltr">"#),
        "{}",
        &text[..100]
    );
    let arabic = minified.text("ar/programme/index.html");
    assert!(arabic.contains(r#"<html lang="ar" dir="rtl">"#));
    assert_eq!(
        minified
            .page("fr/programme/index.html")
            .select("article.session")
            .len(),
        plain_ids
    );
}

#[test]
fn a_page_that_holds_raw_html_is_published_as_rendered_when_minifying() {
    // Raw HTML an editor wrote need not close what it opens: a minifier that does not read
    // it as a browser does could change what it shows, so such a page is not minified. The
    // site's other pages are.
    let site = Site::copy_of("minimal");
    site.edit(
        "site-config.yaml",
        "default_language: en",
        "default_language: en\nminify: true",
    );
    site.write(
        "content/pages/info.en.md",
        "---\ntitle: Info\n---\n<div class=loose>\n\nOpened    and <span>never closed\n\n</em>stray",
    );
    let built = site.built();
    let text = built.text("en/info/index.html");
    assert!(text.contains("Opened    and"), "minified: {text}");
    let page = built.page("en/info/index.html");
    assert!(page.text_of(".loose").contains("never closed"));
    assert_eq!(page.select("footer").len(), 1);
    let programme = built.text("en/programme/index.html");
    assert!(
        programme.contains("<meta charset=utf-8>"),
        "not minified: {programme}"
    );
}

#[test]
fn a_site_theme_file_overrides_the_built_in_one() {
    let site = Site::copy_of("minimal");
    site.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<p id=custom>{{ title.text }}</p>{% endblock %}",
    );
    site.write("content/pages/info.en.md", "---\ntitle: Info\n---\nHello");
    let built = site.built();
    assert_eq!(built.page("en/info/index.html").text_of("#custom"), "Info");
    assert!(!built
        .page("en/programme/index.html")
        .select("main h1")
        .is_empty());
}

#[test]
fn hostile_text_in_names_and_titles_stays_text() {
    let site = Site::copy_of("minimal");
    site.edit(
        "content/speakers/jane-placeholder.en.md",
        "name: Jane Placeholder",
        "name: \"<script>alert(1)</script>\"",
    );
    site.edit(
        "content/programme.yaml",
        "title: Welcome",
        "title: \"<img src=x onerror=alert(1)>\"\n        description: \"<b onclick=alert(1)>raw</b>\"",
    );
    site.edit(
        "content/event.yaml",
        "name: Minimal Fictional Meeting",
        "name: \"Meeting \\\" onload=\\\"alert(1)\"",
    );
    let built = site.built();
    for path in built.files().iter().filter(|f| f.ends_with(".html")) {
        let page = built.page(path);
        assert!(page.select("img[onerror]").is_empty(), "{path}");
        assert!(page.select("[onload]").is_empty(), "{path}");
        for script in page.select("script") {
            let code = script.inner_html();
            if script.value().attr("type") == Some("application/ld+json") {
                // Structured data holds the names as data: escaped so that no `</script>` in
                // them can end the element, and still the same text once parsed.
                assert!(!code.contains('<'), "{path}: {code}");
                serde_json::from_str::<serde_json::Value>(&code)
                    .unwrap_or_else(|e| panic!("{path}: JSON-LD does not parse: {e}"));
            } else {
                assert!(!code.contains("alert(1)"), "{path}");
            }
        }
    }
    let person = json_ld(&built.page("en/speakers/jane-placeholder/index.html"));
    assert_eq!(person["name"], "<script>alert(1)</script>");
    let programme = built.page("en/programme/index.html");
    assert!(programme
        .text_of("#welcome .session-title")
        .contains("<img src=x onerror=alert(1)>"));
    // Raw HTML in Markdown is the editor's choice, kept by default.
    assert_eq!(programme.select("#welcome .session-description b").len(), 1);
    let speaker = built.page("en/speakers/jane-placeholder/index.html");
    assert_eq!(speaker.text_of("h1").trim(), "<script>alert(1)</script>");

    site.edit(
        "site-config.yaml",
        "default_language: en",
        "default_language: en\nmarkdown:\n  raw_html: false",
    );
    let built = site.built();
    let programme = built.page("en/programme/index.html");
    assert!(programme
        .select("#welcome .session-description b")
        .is_empty());
    assert!(programme
        .text_of("#welcome .session-description")
        .contains("<b onclick=alert(1)>raw</b>"));
}

#[test]
fn a_build_killed_midway_leaves_the_last_good_output_whole() {
    let site = Site::copy_of("multilingual");
    let before = site.built().snapshot();
    site.edit(
        "content/programme.yaml",
        "Accueil et inscription",
        "Accueil, café et inscription",
    );
    let elsewhere = site.root().parent().unwrap().join("elsewhere");
    let run = majlis(
        &site.root(),
        &["build", "--output", elsewhere.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = Published::at(elsewhere).snapshot();
    for delay in (0..60).step_by(4) {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_majlis"))
            .arg("--root")
            .arg(site.root())
            .args(["build", "--output", site.out().to_str().unwrap()])
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        let now = Published::at(site.out()).snapshot();
        assert!(
            now == before || now == after,
            "after a kill at {delay} ms the output is neither the last build nor the new one"
        );
    }
    assert!(site.built().snapshot() == after);
}

#[test]
fn tolerated_input_builds() {
    let site = Site::copy_of("minimal");
    // Front matter and no body, front matter and an empty biography, CRLF and a BOM mixed.
    site.write("content/speakers/no-body.en.md", "---\nname: No Body\n---");
    site.write(
        "content/speakers/empty-bio.en.md",
        "\u{feff}---\r\nname: Empty Bio\r\n---\r\n\r\n\r\n",
    );
    site.edit(
        "content/programme.yaml",
        "speakers: [jane-placeholder]\n      - id: talk",
        "speakers: [jane-placeholder, no-body, empty-bio]\n      - id: talk",
    );
    let built = site.built();
    let page = built.page("en/speakers/empty-bio/index.html");
    assert_eq!(page.text_of("h1").trim(), "Empty Bio");
    assert!(
        page.select(".biography").is_empty(),
        "no empty biography block"
    );
    assert!(built.has("en/speakers/no-body/index.html"));
}

#[test]
fn two_builds_of_the_same_files_are_byte_identical() {
    // `majlis` (tests/common) sets SOURCE_DATE_EPOCH, as a reproducible build does.
    let (_first_dir, first) = example();
    let (_second_dir, second) = example();
    let (first, second) = (first.snapshot(), second.snapshot());
    assert!(first.len() > 100, "every page, feed and asset");
    assert!(first == second, "two builds differ");
}

#[test]
fn verbose_prints_how_long_each_stage_of_a_build_took() {
    let site = Site::copy_of("minimal");
    let out = site.out();
    let run = majlis(
        &site.root(),
        &["--verbose", "build", "--output", out.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // `stage: 12.3 ms`, and where the system says it (Linux) `, peak memory so far 40 MiB`.
    let timed = |line: &str, stage: &str| {
        let Some(rest) = line.strip_prefix(&format!("{stage}: ")) else {
            return false;
        };
        let (ms, memory) = rest.split_once(" ms").unwrap_or((rest, "?"));
        let peak = memory
            .strip_prefix(", peak memory so far ")
            .and_then(|m| m.strip_suffix(" MiB"))
            .is_some_and(|m| m.parse::<u64>().is_ok_and(|m| m > 0));
        let memory_ok = if cfg!(target_os = "linux") {
            peak
        } else {
            memory.is_empty() || peak
        };
        ms.parse::<f64>().is_ok() && memory_ok
    };
    for stage in [
        "read the configuration",
        "read the content",
        "checked the event",
        "loaded the theme",
        "rendered the pages, feeds and exports",
        "wrote the search index",
        "published the headers and the site's own files",
        "put the output in place",
    ] {
        assert!(
            run.stderr.lines().any(|l| timed(l, stage)),
            "no time for `{stage}`:\n{}",
            run.stderr
        );
    }
    let quiet = site.build();
    assert!(!quiet.stderr.contains(" ms"), "{}", quiet.stderr);
}
