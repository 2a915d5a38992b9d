//! The attendee's agenda (issue 19) as the build publishes it: the stars of the programme and
//! speaker pages, the agenda page, the data its script reads (`LANG/agenda/sessions.json`,
//! whose events must be the feeds' own), and the Google Calendar and Outlook links, whose
//! instants must be the feeds'. What the script does with them is checked in a browser by
//! `.ci/browser/agenda.mjs`.

mod common;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use common::{example_root, fixture_root, text, Site};
use icalendar::parser::{read_calendar, unfold};
use majlis::output::Output;
use majlis::Options;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

fn build(site: &str) -> Output {
    let root = if site == "example" {
        example_root()
    } else {
        fixture_root(site)
    };
    let options = Options {
        timestamp: Some(Utc.with_ymd_and_hms(2024, 1, 15, 12, 0, 0).unwrap()),
        ..Options::default()
    };
    match majlis::build(&root, &options) {
        Ok(built) => built.output,
        Err(errors) => panic!("{site} does not build: {errors:?}"),
    }
}

/// The languages of a built site: those with an agenda.
fn languages(output: &Output) -> Vec<String> {
    let languages: Vec<String> = output
        .iter()
        .filter_map(|(path, _)| path.strip_suffix("/agenda/index.html"))
        .map(str::to_string)
        .collect();
    assert!(!languages.is_empty(), "no agenda page");
    languages
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

fn words(element: &ElementRef) -> String {
    element.text().collect::<String>().trim().to_string()
}

/// The sessions of a page, by the id of their element: whether they are for everyone
/// (registration, breaks, meals), and their element.
fn sessions<'a>(html: &'a Html, css: &str) -> Vec<(String, bool, ElementRef<'a>)> {
    select(html, css)
        .into_iter()
        .map(|e| {
            let class = e.value().attr("class").unwrap_or_default();
            let everyone = ["kind-break", "kind-meal", "kind-registration"]
                .iter()
                .any(|k| class.split(' ').any(|c| c == *k));
            (e.value().id().unwrap().to_string(), everyone, e)
        })
        .collect()
}

/// One session's feed, `LANG/sessions/ID.ics`, read by the parser: its properties (values
/// unescaped), and its start and end as instants, from their `TZID` by the tz database.
struct Event {
    props: BTreeMap<String, String>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

fn event(output: &Output, lang: &str, id: &str) -> Event {
    let path = format!("{lang}/sessions/{id}.ics");
    let ics = text(output, &path);
    let unfolded = unfold(&ics);
    let calendar = read_calendar(&unfolded).unwrap_or_else(|e| panic!("{path}: {e}"));
    let vevent = calendar
        .components
        .iter()
        .find(|c| c.name.as_str() == "VEVENT")
        .unwrap_or_else(|| panic!("{path} has no VEVENT"));
    let instant = |name: &str| {
        let p = vevent.find_prop(name)?;
        let zone: Tz = p
            .params
            .iter()
            .find(|param| param.key.as_str() == "TZID")
            .and_then(|param| param.val.as_ref())
            .unwrap_or_else(|| panic!("{path}: {name} has no TZID"))
            .as_str()
            .parse()
            .unwrap();
        let local = NaiveDateTime::parse_from_str(p.val.as_str(), "%Y%m%dT%H%M%S").unwrap();
        Some(
            zone.from_local_datetime(&local)
                .earliest()
                .unwrap()
                .to_utc(),
        )
    };
    let start = instant("DTSTART").unwrap();
    let props = vevent
        .properties
        .iter()
        .map(|p| (p.name.as_str().to_string(), unescape(p.val.as_str())))
        .collect();
    Event {
        props,
        start,
        // A session without an end is an instant.
        end: instant("DTEND").unwrap_or(start),
    }
}

/// An iCalendar TEXT value as written (RFC 5545 §3.3.11).
fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            },
            (c, false) => out.push(c),
        }
    }
    out
}

/// A URL's query, decoded: `%XX` bytes, and `+` left as it is (these links never use it).
fn query(url: &str) -> BTreeMap<String, String> {
    let (_, query) = url.split_once('?').unwrap_or_else(|| panic!("{url}"));
    query
        .split('&')
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let bytes = value.as_bytes();
            let mut decoded = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'%' {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                    decoded.push(u8::from_str_radix(hex, 16).unwrap());
                    i += 3;
                } else {
                    decoded.push(bytes[i]);
                    i += 1;
                }
            }
            (key.to_string(), String::from_utf8(decoded).unwrap())
        })
        .collect()
}

fn utc(text: &str, format: &str) -> DateTime<Utc> {
    NaiveDateTime::parse_from_str(text, format)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .and_utc()
}

/// Each session's Google Calendar and Outlook links on a page, by its element's id.
fn one_tap_links(html: &Html, css: &str) -> BTreeMap<String, (String, String)> {
    let mut links = BTreeMap::new();
    for (id, _, element) in sessions(html, css) {
        let hrefs: Vec<String> = element
            .select(&Selector::parse(".add-to-calendar a").unwrap())
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect();
        let find = |start: &str| hrefs.iter().find(|h| h.starts_with(start)).cloned();
        let google = find("https://calendar.google.com/calendar/render?");
        let outlook = find("https://outlook.office.com/calendar/0/deeplink/compose?");
        match (google, outlook) {
            (Some(google), Some(outlook)) => {
                links.insert(id, (google, outlook));
            }
            (None, None) => {}
            other => panic!("#{id} has one of the two links: {other:?}"),
        }
    }
    links
}

#[test]
fn google_and_outlook_links_are_at_the_feeds_utc_instants_in_the_page_s_language() {
    // The example (UTC+1), Ramadan in Casablanca (UTC+0), and four languages with a
    // cancelled session.
    for site in ["example", "ramadan", "multilingual"] {
        let output = build(site);
        for lang in languages(&output) {
            let path = format!("{lang}/programme/index.html");
            let html = Html::parse_document(&text(&output, &path));
            let links = one_tap_links(&html, "article.session");
            for (id, everyone, element) in sessions(&html, "article.session") {
                let cancelled = element.value().attr("class").unwrap().contains("cancelled");
                let expected = !everyone && !cancelled;
                assert_eq!(links.contains_key(&id), expected, "{site} {path}#{id}");
                if everyone {
                    let any = select(&html, &format!("#{id} .add-to-calendar"));
                    assert!(any.is_empty(), "{site} {path}#{id} is for everyone");
                }
            }
            assert!(!links.is_empty(), "{site} {path} has no one-tap link");
            for (id, (google, outlook)) in &links {
                let feed = event(&output, &lang, id);
                let zone = text(&output, &format!("{lang}/calendar.ics"))
                    .lines()
                    .find_map(|l| l.strip_prefix("X-WR-TIMEZONE:").map(str::to_string))
                    .unwrap();
                let g = query(google);
                let (start, end) = g["dates"].split_once('/').unwrap();
                let at = |t| utc(t, "%Y%m%dT%H%M%SZ");
                assert_eq!((at(start), at(end)), (feed.start, feed.end), "{google}");
                assert_eq!(g["action"], "TEMPLATE");
                assert_eq!(g["ctz"], zone);
                let o = query(outlook);
                let at = |t| utc(t, "%Y-%m-%dT%H:%M:%SZ");
                assert_eq!((at(&o["startdt"]), at(&o["enddt"])), (feed.start, feed.end));
                assert_eq!(o["rru"], "addevent");
                // The same words as the feed of the language, which says them in it.
                assert_eq!(g["text"], feed.props["SUMMARY"]);
                assert_eq!(o["subject"], feed.props["SUMMARY"]);
                let url = &feed.props["URL"];
                assert!(url.ends_with(&format!("/{lang}/programme/#{id}")), "{url}");
                let details = match feed.props.get("DESCRIPTION") {
                    Some(d) if d.chars().count() < 280 => format!("{d}\n\n{url}"),
                    _ => g["details"].clone(),
                };
                assert_eq!(g["details"], details, "{site} {lang} {id}");
                assert!(g["details"].ends_with(url.as_str()));
                assert_eq!(o["body"], g["details"]);
                assert_eq!(g.get("location"), feed.props.get("LOCATION"));
                assert_eq!(o.get("location"), feed.props.get("LOCATION"));
            }
            // A speaker's page has the same links for their sessions.
            for (path, _) in output.iter() {
                let Some(rest) = path.strip_prefix(&format!("{lang}/speakers/")) else {
                    continue;
                };
                if rest.matches('/').count() != 1 || !rest.ends_with("/index.html") {
                    continue;
                }
                let page = Html::parse_document(&text(&output, path));
                for (id, pair) in one_tap_links(&page, "li.appearance[id]") {
                    assert_eq!(Some(&pair), links.get(&id), "{path}#{id}");
                }
            }
        }
    }
}

#[test]
fn a_long_description_is_cut_in_the_links_and_ends_with_the_session_s_address() {
    let site = Site::copy_of("minimal");
    let long = "Word ".repeat(600);
    site.edit(
        "content/programme.yaml",
        "        title: Welcome\n",
        &format!("        title: Welcome\n        description: \"{long}\"\n"),
    );
    let output = site.built();
    let html = output.page("en/programme/index.html");
    let google = html.attr("#welcome a[href^='https://calendar.google.com/']", "href");
    let details = &query(&google)["details"];
    assert!(details.chars().count() < 400, "{}", details.len());
    assert!(details.starts_with("Word Word") && details.contains("…"));
    assert!(details.ends_with("/en/programme/#welcome"), "{details}");
}

#[test]
fn the_agenda_s_data_has_every_starrable_session_with_the_feeds_own_events() {
    for site in ["example", "multilingual", "ramadan"] {
        let output = build(site);
        for lang in languages(&output) {
            let path = format!("{lang}/agenda/sessions.json");
            let data: Value = serde_json::from_str(&text(&output, &path)).unwrap();
            let programme =
                Html::parse_document(&text(&output, &format!("{lang}/programme/index.html")));
            let starrable: Vec<String> = sessions(&programme, "article.session")
                .into_iter()
                .filter(|(_, everyone, _)| !everyone)
                .map(|(id, _, _)| id)
                .collect();
            let listed = data["sessions"].as_array().unwrap();
            let ids: Vec<&str> = listed.iter().map(|s| s["id"].as_str().unwrap()).collect();
            assert_eq!(ids, starrable, "{site} {path}");
            assert_eq!(data["lang"], lang.as_str());
            let feed = text(&output, &format!("{lang}/calendar.ics"));
            let mut calendar = data["calendar"]["head"].as_str().unwrap().to_string();
            for session in listed {
                let id = session["id"].as_str().unwrap();
                let vevent = session["vevent"].as_str().unwrap();
                // Byte for byte the feed's, and the session's own file's.
                assert!(feed.contains(vevent), "{site} {path} {id}");
                assert!(
                    vevent.starts_with("BEGIN:VEVENT\r\n") && vevent.ends_with("END:VEVENT\r\n")
                );
                let single = text(&output, &format!("{lang}/sessions/{id}.ics"));
                assert!(single.contains(vevent), "{id}");
                calendar.push_str(vevent);
                let feed_event = event(&output, &lang, id);
                let at = |v: &Value| utc(v.as_str().unwrap(), "%Y-%m-%dT%H:%M:%SZ");
                assert_eq!(at(&session["start_utc"]), feed_event.start, "{id}");
                let end = session["end_utc"]
                    .as_str()
                    .map_or(feed_event.start, |e| utc(e, "%Y-%m-%dT%H:%M:%SZ"));
                assert_eq!(end, feed_event.end, "{id}");
                assert_eq!(
                    session["cancelled"].as_bool().unwrap(),
                    feed_event.props["STATUS"] == "CANCELLED"
                );
                let day = &data["days"][session["day"].as_u64().unwrap() as usize];
                assert!(
                    feed_event.props["DTSTART"]
                        .starts_with(&day["date"].as_str().unwrap().replace('-', "")),
                    "{id} is on its day"
                );
                assert_eq!(
                    session["url"].as_str().unwrap(),
                    format!("{lang}/programme/#{id}")
                );
                assert!(output.contains(session["calendar"].as_str().unwrap()));
                for person in session["speakers"].as_array().unwrap() {
                    let page = format!("{}index.html", person["url"].as_str().unwrap());
                    assert!(output.contains(&page), "{page}");
                }
            }
            calendar.push_str(data["calendar"]["end"].as_str().unwrap());
            // What the script makes of the whole list is a calendar with the feed's UIDs.
            let unfolded = unfold(&calendar);
            let parsed = read_calendar(&unfolded).unwrap_or_else(|e| panic!("{path}: {e}"));
            let uids: Vec<String> = parsed
                .components
                .iter()
                .filter(|c| c.name.as_str() == "VEVENT")
                .map(|c| c.find_prop("UID").unwrap().val.as_str().to_string())
                .collect();
            let expected: Vec<String> = ids
                .iter()
                .map(|id| event(&output, &lang, id).props["UID"].clone())
                .collect();
            assert_eq!(uids, expected);
            assert!(parsed
                .components
                .iter()
                .any(|c| c.name.as_str() == "VTIMEZONE"));
        }
    }
}

#[test]
fn every_starrable_session_has_a_star_named_in_the_page_s_language() {
    let output = build("example");
    for lang in ["en", "fr", "ar"] {
        let strings: BTreeMap<String, String> = serde_yaml::from_str(
            &std::fs::read_to_string(
                example_root().join(format!("themes/default/i18n/{lang}.yaml")),
            )
            .unwrap(),
        )
        .unwrap();
        let star = &strings["star"];
        let check = |path: &str, css: &str, title_css: &str| {
            let html = Html::parse_document(&text(&output, path));
            let mut stars = 0;
            for (id, everyone, element) in sessions(&html, css) {
                let buttons: Vec<ElementRef> = element
                    .select(&Selector::parse("button").unwrap())
                    .collect();
                if everyone {
                    assert!(buttons.is_empty(), "{path}#{id} is for everyone");
                    continue;
                }
                let [button] = buttons.as_slice() else {
                    panic!("{path}#{id} has {} buttons", buttons.len());
                };
                let b = button.value();
                assert_eq!(b.attr("aria-pressed"), Some("false"), "{path}#{id}");
                assert_eq!(b.attr("type"), Some("button"));
                assert_eq!(b.attr("data-session"), Some(id.as_str()));
                // Hidden until the script, which keeps the stars, shows it.
                assert!(b.attr("hidden").is_some(), "{path}#{id}");
                let title = words(
                    &element
                        .select(&Selector::parse(title_css).unwrap())
                        .next()
                        .unwrap(),
                );
                assert_eq!(words(button), format!("{star}: {title}"), "{path}#{id}");
                stars += 1;
            }
            assert!(stars > 0, "{path} has no star");
        };
        check(
            &format!("{lang}/programme/index.html"),
            "article.session",
            ".session-title",
        );
        check(
            &format!("{lang}/speakers/varol-dur/index.html"),
            "li.appearance[id]",
            ".what a",
        );
    }
}

#[test]
fn a_session_someone_moderates_and_speaks_in_has_one_element_on_their_page() {
    let site = Site::copy_of("minimal");
    site.edit(
        "content/programme.yaml",
        "        title: Welcome\n        speakers: [jane-placeholder]\n",
        "        title: Welcome\n        moderators: [jane-placeholder]\n        speakers: [jane-placeholder]\n",
    );
    let output = site.built();
    let page = output.page("en/speakers/jane-placeholder/index.html");
    assert_eq!(page.select("li.appearance").len(), 3);
    assert_eq!(page.select("[id='welcome']").len(), 1);
    assert_eq!(page.select("#welcome button.star").len(), 1);
    assert_eq!(page.select("button.star").len(), 2);
}

#[test]
fn the_agenda_page_says_it_needs_script_and_is_kept_from_search_engines() {
    let output = build("example");
    let sitemap = text(&output, "sitemap.xml");
    assert!(
        !sitemap.contains("/agenda/"),
        "the agenda is in the sitemap"
    );
    for lang in languages(&output) {
        let path = format!("{lang}/agenda/index.html");
        let html = Html::parse_document(&text(&output, &path));
        let resolve = |href: &str| {
            let mut parts: Vec<&str> = path.split('/').collect();
            parts.pop();
            for piece in href.split('/') {
                match piece {
                    ".." => {
                        parts.pop();
                    }
                    "" | "." => {}
                    piece => parts.push(piece),
                }
            }
            parts.join("/")
        };
        let needs = select(&html, ".agenda-needs-script a");
        assert_eq!(needs.len(), 1, "{path}");
        assert_eq!(
            resolve(needs[0].value().attr("href").unwrap()),
            format!("{lang}/programme")
        );
        let agenda = select(&html, "#agenda[hidden]");
        assert_eq!(agenda.len(), 1, "{path}: the agenda shows only with script");
        let data = resolve(agenda[0].value().attr("data-sessions").unwrap());
        assert_eq!(data, format!("{lang}/agenda/sessions.json"));
        assert!(output.contains(&data));
        // Beside programme.js, which writes the agenda's times in the visitor's zone.
        let script = select(&html, r#"script[src*="assets/agenda."]"#);
        let src = resolve(script[0].value().attr("src").unwrap());
        // Named by its content: `assets/agenda.HASH.js`.
        let file = src.rsplit('/').next().unwrap_or_default();
        assert!(
            src.starts_with("assets/") && file.starts_with("agenda.") && file.ends_with(".js"),
            "{src}"
        );
        assert!(output.contains(&src), "{src}");
        assert_eq!(
            select(&html, "meta[name=robots]")[0]
                .value()
                .attr("content"),
            Some("noindex")
        );
        let current = select(&html, "nav.site-nav a[aria-current=page]");
        assert_eq!(
            resolve(current[0].value().attr("href").unwrap()),
            format!("{lang}/agenda")
        );
        // Every page leads to it.
        let home = Html::parse_document(&text(&output, &format!("{lang}/index.html")));
        let nav: Vec<&str> = select(&home, "nav.site-nav a")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert!(
            nav.contains(&"../{lang}/agenda/".replace("{lang}", &lang).as_str()),
            "{nav:?}"
        );
    }
}
