//! A session's stream, slides, recording and feedback form (issue 26): each published in
//! every output that has a place for it, labelled in the page's language, escaped for each
//! context, and an address that is not a web page refused at its line.

mod common;

use common::{majlis, Published, Site};
use icalendar::Component;
use serde_json::Value;

const STREAM: &str = "https://live.example.org/talk?a=1&b='2'";
const SLIDES: &str = "https://example.org/slides/talk.pdf";
const RECORDING: &str = "https://video.example.org/vid%C3%A9o/talk";
const FEEDBACK: &str = "https://forms.example.org/?q=talk;x,y";

/// The minimal site in English and French, its talk with the four links (the recording
/// written with a non-ASCII path and an uppercase scheme, published percent-encoded).
fn with_links() -> (Site, Published) {
    let site = Site::copy_of("minimal");
    site.edit(
        "site-config.yaml",
        "    name: English\n",
        "    name: English\n  - code: fr\n    name: Français\n",
    );
    site.edit(
        "content/programme.yaml",
        "        title: \"Talk: nothing in particular\"\n",
        &format!(
            "        title: \"Talk: nothing in particular\"\n        stream: \"{STREAM}\"\n        \
             slides: {SLIDES}\n        recording: HTTPS://video.example.org/vidéo/talk\n        \
             feedback: \"{FEEDBACK}\"\n"
        ),
    );
    let published = site.built();
    (site, published)
}

fn links_of(page: &common::Page, css: &str) -> Vec<(String, String)> {
    page.select(css)
        .iter()
        .map(|a| {
            let label = a
                .text()
                .collect::<String>()
                .split(':')
                .next()
                .unwrap()
                .to_string();
            (a.value().attr("href").unwrap().to_string(), label)
        })
        .collect()
}

#[test]
fn each_link_is_shown_on_the_programme_and_the_speakers_page_in_the_pages_language() {
    let (_site, published) = with_links();
    for (lang, labels) in [
        (
            "en",
            ["Live stream", "Slides", "Recording", "Give feedback"],
        ),
        (
            "fr",
            [
                "Direct vidéo",
                "Présentation",
                "Enregistrement",
                "Donner votre avis",
            ],
        ),
    ] {
        let expected: Vec<(String, String)> = [STREAM, SLIDES, RECORDING, FEEDBACK]
            .iter()
            .zip(labels)
            .map(|(url, label)| (url.to_string(), label.to_string()))
            .collect();
        let programme = published.page(&format!("{lang}/programme/index.html"));
        assert_eq!(
            links_of(&programme, "#talk .session-links a"),
            expected,
            "{lang}"
        );
        assert!(programme.select("#welcome .session-links").is_empty());
        assert_eq!(
            programme.attr("#talk .link-stream a", "data-live"),
            if lang == "en" { "Live" } else { "En direct" }
        );
        // The agenda page's script writes them from its data, the label from the page.
        let agenda: Value =
            serde_json::from_str(&published.text(&format!("{lang}/agenda/sessions.json"))).unwrap();
        let talk = agenda["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == "talk")
            .unwrap();
        assert_eq!(
            talk["links"],
            serde_json::json!([
                {"kind": "stream", "url": STREAM},
                {"kind": "slides", "url": SLIDES},
                {"kind": "recording", "url": RECORDING},
                {"kind": "feedback", "url": FEEDBACK},
            ])
        );
        let agenda_page = published.text(&format!("{lang}/agenda/index.html"));
        for label in labels {
            assert!(agenda_page.contains(&format!(">{label}</span>")), "{label}");
        }
        let speaker = published.page(&format!("{lang}/speakers/jane-placeholder/index.html"));
        assert_eq!(
            links_of(&speaker, "#talk .session-links a"),
            expected,
            "{lang}"
        );
    }
}

/// The `VEVENT` of `uid` in a feed, unfolded.
fn vevent(feed: &str, id: &str) -> String {
    feed.replace("\r\n ", "")
        .split("BEGIN:VEVENT")
        .find(|e| e.contains(&format!("UID:{id}@")))
        .unwrap()
        .to_string()
}

#[test]
fn each_link_is_in_the_calendars_description_and_the_stream_is_the_conference() {
    let (_site, published) = with_links();
    for feed in [
        "fr/sessions/talk.ics",
        "fr/calendar.ics",
        "fr/speakers/jane-placeholder.ics",
    ] {
        let text = published.text(feed);
        let calendar: icalendar::Calendar = text.parse().unwrap();
        let event = calendar
            .components
            .iter()
            .filter_map(|c| c.as_event())
            .find(|e| e.get_uid().is_some_and(|u| u.starts_with("talk@")))
            .unwrap();
        let description = event.get_description().unwrap();
        for line in [
            format!("Direct vidéo: {STREAM}"),
            format!("Présentation: {SLIDES}"),
            format!("Enregistrement: {RECORDING}"),
            format!("Donner votre avis: {FEEDBACK}"),
        ] {
            assert!(
                description.lines().any(|l| l.contains(&line)),
                "{feed}: {line} in {description:?}"
            );
        }
        assert_eq!(
            event.get_url(),
            Some("http://localhost:8000/fr/programme/#talk")
        );
        let raw = vevent(&text, "talk");
        let conference = raw
            .lines()
            .find(|l| l.starts_with("CONFERENCE"))
            .expect("CONFERENCE");
        assert!(
            conference.contains("VALUE=URI") && conference.ends_with(&format!(":{STREAM}")),
            "{conference}"
        );
        if feed == "fr/calendar.ics" {
            assert!(!vevent(&text, "welcome").contains("CONFERENCE"));
        }
    }
}

#[test]
fn each_link_is_in_the_schedule_exports() {
    let (_site, published) = with_links();
    let v1: Value = serde_json::from_str(&published.text("schedule.json")).unwrap();
    let talk = &v1["schedule"]["conference"]["days"][0]["rooms"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|talks| talks.as_array().unwrap())
        .find(|t| t["slug"].as_str().unwrap().ends_with("talk"))
        .unwrap()
        .clone();
    let links: Vec<(&str, &str)> = talk["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["type"].as_str().unwrap(), l["url"].as_str().unwrap()))
        .collect();
    assert_eq!(
        links,
        [("media", STREAM), ("slides", SLIDES), ("media", RECORDING)]
    );
    assert_eq!(talk["links"][0]["title"], "Live stream");
    assert_eq!(talk["feedback_url"], FEEDBACK);

    let v2: Value = serde_json::from_str(&published.text("schedule-v2.json")).unwrap();
    let talk = common_events(&v2)
        .into_iter()
        .find(|t| t["slug"].as_str().is_some_and(|s| s.ends_with("talk")))
        .unwrap()
        .clone();
    let links: Vec<(&str, &str)> = talk["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["type"].as_str().unwrap(), l["url"].as_str().unwrap()))
        .collect();
    assert_eq!(
        links,
        [
            ("MEDIA", STREAM),
            ("SLIDES", SLIDES),
            ("MEDIA", RECORDING),
            ("FEEDBACK", FEEDBACK)
        ]
    );

    let xml = published.text("schedule.xml");
    let document = roxmltree::Document::parse(&xml).unwrap();
    let event = document
        .descendants()
        .find(|n| {
            n.has_tag_name("event")
                && n.children()
                    .any(|c| c.has_tag_name("slug") && c.text().unwrap().ends_with("talk"))
        })
        .unwrap();
    let links: Vec<(&str, &str, &str)> = event
        .descendants()
        .filter(|n| n.has_tag_name("link"))
        .map(|n| {
            (
                n.attribute("type").unwrap(),
                n.attribute("href").unwrap(),
                n.text().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            ("media", STREAM, "Live stream"),
            ("slides", SLIDES, "Slides"),
            ("media", RECORDING, "Recording")
        ]
    );
    let feedback = event
        .children()
        .find(|n| n.has_tag_name("feedback_url"))
        .unwrap();
    assert_eq!(feedback.text(), Some(FEEDBACK));
}

/// Every object of schedule v2 with a `links` list.
fn common_events(v2: &Value) -> Vec<&Value> {
    let mut found = Vec::new();
    fn walk<'v>(value: &'v Value, found: &mut Vec<&'v Value>) {
        match value {
            Value::Object(map) => {
                if map.contains_key("links") && map.contains_key("slug") {
                    found.push(value);
                }
                map.values().for_each(|v| walk(v, found));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    walk(v2, &mut found);
    found
}

#[test]
fn each_link_is_in_the_json_ld_as_schema_org_has_it() {
    let (_site, published) = with_links();
    let programme = published.page("fr/programme/index.html");
    let ld: Value =
        serde_json::from_str(&programme.text_of("script[type='application/ld+json']")).unwrap();
    let talk = common_events_ld(&ld)
        .into_iter()
        .find(|v| v["url"].as_str().is_some_and(|u| u.ends_with("#talk")))
        .expect("the talk in the JSON-LD");
    assert_eq!(talk["recordedIn"]["url"], RECORDING);
    assert_eq!(talk["recordedIn"]["name"], "Enregistrement");
    assert_eq!(talk["workFeatured"]["url"], SLIDES);
    assert_eq!(talk["workFeatured"]["@type"], "PresentationDigitalDocument");
    assert_eq!(talk["potentialAction"]["target"]["urlTemplate"], FEEDBACK);
    assert_eq!(
        talk["eventAttendanceMode"],
        "https://schema.org/MixedEventAttendanceMode"
    );
    let locations: Vec<&Value> = match &talk["location"] {
        Value::Array(items) => items.iter().collect(),
        one => vec![one],
    };
    assert!(
        locations
            .iter()
            .any(|l| l["@type"] == "VirtualLocation" && l["url"] == STREAM),
        "{locations:?}"
    );
    let welcome = common_events_ld(&ld)
        .into_iter()
        .find(|v| v["url"].as_str().is_some_and(|u| u.ends_with("#welcome")))
        .unwrap();
    for key in [
        "recordedIn",
        "workFeatured",
        "potentialAction",
        "eventAttendanceMode",
    ] {
        assert!(welcome.get(key).is_none(), "{key}");
    }
}

/// Every `Event` of the JSON-LD.
fn common_events_ld(value: &Value) -> Vec<&Value> {
    let mut found = Vec::new();
    fn walk<'v>(value: &'v Value, found: &mut Vec<&'v Value>) {
        match value {
            Value::Object(map) => {
                if map.get("@type").is_some_and(|t| t == "Event") {
                    found.push(value);
                }
                map.values().for_each(|v| walk(v, found));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    walk(value, &mut found);
    found
}

#[test]
fn a_session_link_that_is_not_a_web_page_is_an_error_at_its_line() {
    for field in ["stream", "slides", "recording", "feedback"] {
        for url in [
            "javascript:alert(1)",
            "\"java\\tscript:alert(1)\"",
            "data:text/html,x",
            "mailto:team@example.org",
            "www.example.org",
        ] {
            let site = Site::copy_of("minimal");
            let before = site.built().snapshot();
            site.edit(
                "content/programme.yaml",
                "        title: \"Talk: nothing in particular\"\n",
                &format!(
                    "        title: \"Talk: nothing in particular\"\n        {field}: {url}\n"
                ),
            );
            // The talk's title is on line 14; the field follows it.
            let column = field.len() + 11;
            let place = format!("content/programme.yaml:15:{column}");
            for command in ["build", "check"] {
                let run = match command {
                    "build" => site.build(),
                    _ => majlis(&site.root(), &["check"]),
                };
                assert_eq!(run.code, 1, "{command} {field}: {url}:\n{}", run.stderr);
                assert!(
                    run.stderr
                        .lines()
                        .any(|line| line.contains(&format!("{place}: "))
                            && line.contains(&format!("the {field} "))
                            && line.contains("is not an http or https URL")),
                    "{command}: expected {place}: … in:\n{}",
                    run.stderr
                );
            }
            assert!(
                Published::at(site.out()).snapshot() == before,
                "a failed build changed the output"
            );
        }
    }
}

/// The text of the QR code `svg` as a phone would read it: drawn at 8 pixels a module
/// (resvg), then found and decoded (rqrr).
fn decode(svg: &str) -> String {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).unwrap();
    let size = tree.size().to_int_size();
    let scale = 8.0;
    let (width, height) = (size.width() * 8, size.height() * 8);
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let pixels = pixmap.data();
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width as usize, height as usize, |x, y| {
            let i = (y * width as usize + x) * 4;
            // Transparent is the paper.
            if pixels[i + 3] == 0 {
                255
            } else {
                pixels[i]
            }
        });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one code");
    grids[0].decode().unwrap().1
}

#[test]
fn each_days_printed_page_has_qr_codes_of_the_live_programme_and_the_calendar() {
    let (_site, published) = with_links();
    for lang in ["en", "fr"] {
        let programme = published.page(&format!("{lang}/programme/index.html"));
        let days = programme.select("section.day");
        assert!(!days.is_empty());
        for day in days {
            let codes: Vec<(String, String)> = day
                .select(&scraper::Selector::parse(".print-online .qr-link").unwrap())
                .map(|link| {
                    let svg = link
                        .select(&scraper::Selector::parse("svg").unwrap())
                        .next()
                        .unwrap()
                        .html();
                    let printed = link
                        .select(&scraper::Selector::parse(".qr-url").unwrap())
                        .next()
                        .unwrap()
                        .text()
                        .collect::<String>();
                    (decode(&svg), printed)
                })
                .collect();
            assert_eq!(
                codes,
                [
                    (
                        format!("http://localhost:8000/{lang}/programme/"),
                        format!("http://localhost:8000/{lang}/programme/")
                    ),
                    (
                        format!("webcal://localhost:8000/{lang}/calendar.ics"),
                        format!("webcal://localhost:8000/{lang}/calendar.ics")
                    ),
                ],
                "{lang}"
            );
        }
    }
}

#[test]
fn the_hostile_fixtures_links_are_the_same_addresses_in_every_output() {
    let site = Site::copy_of("hostile");
    let published = site.built();
    let stream = "https://live.example.test/o'brien&co/?a=1&b=2;c,d=e#l'direct";
    let slides = "https://example.test/diapos/l'%C3%A9galit%C3%A9.pdf?x=/&y=1";
    let recording = "https://example.test/vid%C3%A9o/1?t=1&u='2'";
    let feedback = "https://forms.example.test/?q=a&copy=c,d;e&amp;f&lt;g&gt";
    let all = [stream, slides, recording, feedback];
    // The page is minified: its attributes still parse to the addresses as written.
    let programme = published.page("fr/programme/index.html");
    let hrefs: Vec<String> = programme
        .select("#opening .session-links a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(hrefs, all);
    assert_eq!(
        programme.text_of("#opening .link-stream a"),
        "Le \"direct\" <live> & l'écran;,: Ouverture : <demain> & l'\"avenir\""
    );
    let ld: Value =
        serde_json::from_str(&programme.text_of("script[type='application/ld+json']")).unwrap();
    let opening = common_events_ld(&ld)
        .into_iter()
        .find(|v| v["url"].as_str().is_some_and(|u| u.ends_with("#opening")))
        .unwrap();
    assert_eq!(opening["recordedIn"]["url"], recording);
    assert_eq!(opening["recordedIn"]["name"], "L'<enregistrement> & \"co\"");
    assert_eq!(
        opening["potentialAction"]["target"]["urlTemplate"],
        feedback
    );

    let xml = published.text("schedule.xml");
    let document = roxmltree::Document::parse(&xml).unwrap();
    let hrefs: Vec<&str> = document
        .descendants()
        .filter(|n| n.has_tag_name("link"))
        .map(|n| n.attribute("href").unwrap())
        .collect();
    assert_eq!(hrefs, [stream, slides, recording]);
    let label = document
        .descendants()
        .find(|n| n.has_tag_name("link"))
        .and_then(|n| n.text());
    assert_eq!(label, Some("Le \"direct\" <live> & l'écran;,"));
    let feedback_urls: Vec<&str> = document
        .descendants()
        .filter(|n| n.has_tag_name("feedback_url"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(feedback_urls, [feedback]);

    let v2: Value = serde_json::from_str(&published.text("schedule-v2.json")).unwrap();
    let urls: Vec<&str> = common_events(&v2)
        .iter()
        .flat_map(|e| e["links"].as_array().unwrap())
        .map(|l| l["url"].as_str().unwrap())
        .collect();
    assert_eq!(urls, all);

    let feed: icalendar::Calendar = published.text("fr/calendar.ics").parse().unwrap();
    let event = feed
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .find(|e| e.get_uid().is_some_and(|u| u.starts_with("opening@")))
        .unwrap();
    let description = event.get_description().unwrap();
    for url in all {
        assert!(description.contains(url), "{url} in {description}");
    }
    let raw = vevent(&published.text("fr/calendar.ics"), "opening");
    let conference: Vec<&str> = raw
        .lines()
        .filter(|l| l.starts_with("CONFERENCE"))
        .collect();
    assert_eq!(
        conference,
        [format!(
            "CONFERENCE;FEATURE=VIDEO;LABEL=\"Le direct <live> & l'écran;,\";VALUE=URI:{stream}"
        )]
    );
}
