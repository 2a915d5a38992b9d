//! Calendar feeds and conference-app exports, checked through parsers: every `.ics` of the
//! example and the fixtures read with a calendar parser, its times resolved to UTC through
//! the feed's own `VTIMEZONE`, its lines and escapes checked octet by octet; `schedule.json`
//! and `schedule.xml` read back for their guids, ids, times and people.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use icalendar::parser::{read_calendar, unfold, Component};
use majlis::output::Output;
use majlis::Options;

/// The fixed `DTSTAMP` of these tests' builds.
fn stamp() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 15, 12, 0, 0).unwrap()
}

fn root(site: &str) -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if site == "example" {
        manifest
    } else {
        manifest.join("tests/sites").join(site)
    }
}

fn build_at(root: &Path, timestamp: Option<DateTime<Utc>>) -> Output {
    let options = Options {
        timestamp,
        ..Options::default()
    };
    match majlis::build(root, &options) {
        Ok(built) => built.output,
        Err(errors) => panic!("{} does not build: {errors:?}", root.display()),
    }
}

fn build(site: &str) -> Output {
    build_at(&root(site), Some(stamp()))
}

fn text(output: &Output, path: &str) -> String {
    let bytes = output
        .get(path)
        .unwrap_or_else(|| panic!("{path} is not published"));
    String::from_utf8(bytes.to_vec()).unwrap_or_else(|_| panic!("{path} is not UTF-8"))
}

fn ics_files(output: &Output) -> Vec<String> {
    output
        .iter()
        .map(|(path, _)| path.to_string())
        .filter(|path| path.ends_with(".ics"))
        .collect()
}

/// A VEVENT as read back: unescaped property values by name, and its start and end in UTC.
#[derive(Debug)]
struct Session {
    props: BTreeMap<String, Vec<String>>,
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
}

impl Session {
    fn one(&self, name: &str) -> &str {
        match self.props.get(name).map(Vec::as_slice) {
            Some([value]) => value,
            other => panic!("{name} should be there once, found {other:?} in {self:?}"),
        }
    }

    fn uid(&self) -> &str {
        self.one("UID")
    }

    /// The session id: the UID before its `@`.
    fn id(&self) -> &str {
        self.uid().split('@').next().unwrap_or_default()
    }
}

/// A feed as read back by the parser.
struct Feed {
    props: Vec<(String, String)>,
    events: Vec<Session>,
}

impl Feed {
    fn event(&self, id: &str) -> &Session {
        self.events
            .iter()
            .find(|e| e.id() == id)
            .unwrap_or_else(|| panic!("no session {id}"))
    }

    fn has(&self, name: &str) -> bool {
        self.props.iter().any(|(n, _)| n == name)
    }
}

/// Parses a feed and resolves every DTSTART and DTEND to UTC through the feed's own
/// VTIMEZONE components (not the tz database), so that a wrong VTIMEZONE fails.
fn parse(path: &str, ics: &str) -> Feed {
    let unfolded = unfold(ics);
    let calendar = read_calendar(&unfolded).unwrap_or_else(|e| panic!("{path}: {e}"));
    let zones: BTreeMap<String, Vec<Observance>> = calendar
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VTIMEZONE")
        .map(|zone| (prop(zone, "TZID").to_string(), observances(path, zone)))
        .collect();
    let events = calendar
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .map(|event| {
            let mut props: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for p in &event.properties {
                props
                    .entry(p.name.as_str().to_string())
                    .or_default()
                    .push(p.val.as_str().to_string());
            }
            let instant = |name: &str| {
                let p = event.find_prop(name)?;
                let tzid = p
                    .params
                    .iter()
                    .find(|param| param.key.as_str() == "TZID")
                    .and_then(|param| param.val.as_ref())
                    .unwrap_or_else(|| panic!("{path}: {name} has no TZID"));
                let zone = zones
                    .get(tzid.as_str())
                    .unwrap_or_else(|| panic!("{path}: no VTIMEZONE {}", tzid.as_str()));
                Some(to_utc(zone, local(p.val.as_str())))
            };
            Session {
                start: instant("DTSTART").unwrap_or_else(|| panic!("{path}: no DTSTART")),
                end: instant("DTEND"),
                props,
            }
        })
        .collect();
    Feed {
        props: calendar
            .properties
            .iter()
            .map(|p| (p.name.as_str().to_string(), p.val.as_str().to_string()))
            .collect(),
        events,
    }
}

fn prop<'a>(component: &'a Component, name: &str) -> &'a str {
    component
        .find_prop(name)
        .map(|p| p.val.as_str())
        .unwrap_or_else(|| panic!("{} has no {name}", component.name.as_str()))
}

fn local(value: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S")
        .unwrap_or_else(|_| panic!("{value} is not a local date-time"))
}

/// One STANDARD or DAYLIGHT observance: from `onset` (UTC) on, `offset` seconds east.
struct Observance {
    onset: DateTime<Utc>,
    offset: i64,
}

fn observances(path: &str, zone: &Component) -> Vec<Observance> {
    let seconds = |text: &str| {
        let sign = if text.starts_with('-') { -1 } else { 1 };
        let digits = &text[1..];
        let h: i64 = digits[0..2].parse().unwrap();
        let m: i64 = digits[2..4].parse().unwrap();
        let s: i64 = digits.get(4..6).map_or(0, |s| s.parse().unwrap());
        sign * (h * 3600 + m * 60 + s)
    };
    let mut list: Vec<Observance> = zone
        .components
        .iter()
        .map(|o| {
            assert!(
                o.find_prop("RRULE").is_none() && o.find_prop("RDATE").is_none(),
                "{path}: observances are written one by one"
            );
            let from = seconds(prop(o, "TZOFFSETFROM"));
            Observance {
                onset: (local(prop(o, "DTSTART")) - chrono::Duration::seconds(from)).and_utc(),
                offset: seconds(prop(o, "TZOFFSETTO")),
            }
        })
        .collect();
    assert!(!list.is_empty(), "{path}: an empty VTIMEZONE");
    list.sort_by_key(|o| o.onset);
    list
}

/// The instant of a wall-clock time by the observances: the first whose offset puts the time
/// inside its own period (RFC 5545: the first occurrence of a repeated time).
fn to_utc(zone: &[Observance], local: NaiveDateTime) -> DateTime<Utc> {
    for (i, o) in zone.iter().enumerate() {
        let utc = (local - chrono::Duration::seconds(o.offset)).and_utc();
        let after_onset = i == 0 || utc >= o.onset;
        let before_next = zone.get(i + 1).is_none_or(|next| utc < next.onset);
        if after_onset && before_next {
            return utc;
        }
    }
    panic!("{local} is in no observance");
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn parse_all(output: &Output) -> BTreeMap<String, Feed> {
    ics_files(output)
        .into_iter()
        .map(|path| {
            let feed = parse(&path, &text(output, &path));
            (path, feed)
        })
        .collect()
}

#[test]
fn the_example_opens_at_eight_utc_in_every_feed_of_every_language() {
    let output = build("example");
    let feeds = parse_all(&output);
    for lang in ["en", "fr", "ar"] {
        let calendar = &feeds[&format!("{lang}/calendar.ics")];
        let first = &calendar.events[0];
        assert_eq!(first.id(), "registration");
        assert_eq!(first.start, utc("2024-02-29T08:00:00Z"), "{lang}");
        assert_eq!(first.end, Some(utc("2024-02-29T08:30:00Z")), "{lang}");
        assert_eq!(calendar.events.len(), 16);
        let single = &feeds[&format!("{lang}/sessions/registration.ics")].events[0];
        assert_eq!(single.start, first.start);
    }
    // Every feed of the example, whatever file it is in, says the same instants, and a
    // session without an end has no DTEND.
    for (path, feed) in &feeds {
        for event in &feed.events {
            let same = &feeds["en/calendar.ics"].event(event.id());
            assert_eq!((event.start, event.end), (same.start, same.end), "{path}");
        }
    }
    let dinner = feeds["en/calendar.ics"].event("gala-dinner");
    assert_eq!(dinner.start, utc("2024-02-29T18:30:00Z"));
    assert!(dinner.end.is_none());
}

#[test]
fn paris_sessions_are_one_hour_ahead_before_the_switch_and_two_after() {
    let output = build("multilingual");
    for lang in ["fr", "en", "ar", "tr"] {
        let feed = parse(
            &format!("{lang}/calendar.ics"),
            &text(&output, &format!("{lang}/calendar.ics")),
        );
        assert_eq!(feed.event("opening").start, utc("2025-03-29T08:00:00Z"));
        assert_eq!(feed.event("keynote").start, utc("2025-03-30T07:00:00Z"));
        assert_eq!(feed.event("keynote").end, Some(utc("2025-03-30T08:30:00Z")));
    }
}

#[test]
fn ramadan_sessions_in_casablanca_are_on_utc() {
    let output = build("ramadan");
    for lang in ["ar", "en"] {
        let path = format!("{lang}/calendar.ics");
        let feed = parse(&path, &text(&output, &path));
        assert_eq!(feed.event("opening").start, utc("2025-03-10T10:00:00Z"));
        assert_eq!(feed.event("closing").end, Some(utc("2025-03-11T15:00:00Z")));
    }
}

#[test]
fn every_instant_agrees_with_the_time_zone_database() {
    for site in ["example", "multilingual", "ramadan", "minimal"] {
        let output = build(site);
        let yaml = std::fs::read_to_string(root(site).join("content/event.yaml")).unwrap();
        let zone: chrono_tz::Tz = yaml
            .lines()
            .find_map(|l| l.strip_prefix("timezone:"))
            .map(|z| z.split('#').next().unwrap().trim().parse().unwrap())
            .unwrap();
        for (path, feed) in parse_all(&output) {
            for event in &feed.events {
                let dtstart = local(event.one("DTSTART"));
                let expected = zone.from_local_datetime(&dtstart).earliest().unwrap();
                assert_eq!(event.start, expected.with_timezone(&Utc), "{site} {path}");
            }
        }
    }
}

/// The octet-level rules of RFC 5545 §3.1 on one feed.
fn assert_well_formed(path: &str, bytes: &[u8]) {
    assert!(bytes.ends_with(b"\r\n"), "{path}: last line without CRLF");
    let lines: Vec<&[u8]> = bytes[..bytes.len() - 1].split(|&b| b == b'\n').collect();
    for (n, line) in lines.iter().enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or_else(|| {
            panic!("{path}:{}: a line ends with a bare LF", n + 1);
        });
        assert!(!line.contains(&b'\r'), "{path}:{}: a bare CR", n + 1);
        assert!(
            line.len() <= 75,
            "{path}:{}: {} octets: {:?}",
            n + 1,
            line.len(),
            String::from_utf8_lossy(line)
        );
        assert!(!line.is_empty(), "{path}:{}: an empty line", n + 1);
        // Each physical line is whole UTF-8: no fold inside a character.
        let line = std::str::from_utf8(line)
            .unwrap_or_else(|_| panic!("{path}:{}: a fold splits a character", n + 1));
        // No fold between a backslash and the character it escapes: an odd run of
        // backslashes never ends a line.
        let trailing = line.chars().rev().take_while(|&c| c == '\\').count();
        assert!(
            trailing % 2 == 0,
            "{path}:{}: a fold splits an escape",
            n + 1
        );
        assert!(
            !line.chars().any(|c| c.is_control() && c != '\t'),
            "{path}:{}",
            n + 1
        );
    }
}

#[test]
fn every_feed_is_folded_at_75_octets_with_crlf() {
    let mut count = 0;
    for site in ["example", "multilingual", "ramadan", "minimal"] {
        let output = build(site);
        for path in ics_files(&output) {
            assert_well_formed(&path, output.get(&path).unwrap());
            count += 1;
        }
        // Long Arabic and accented text is folded somewhere.
        if site == "example" {
            let ar = text(&output, "ar/calendar.ics");
            assert!(ar.contains("\r\n "), "nothing was folded");
        }
    }
    assert!(count > 100, "only {count} feeds");
}

#[test]
fn uids_are_the_same_in_every_language() {
    let output = build("multilingual");
    let feeds = parse_all(&output);
    let uids = |lang: &str| -> Vec<String> {
        feeds[&format!("{lang}/calendar.ics")]
            .events
            .iter()
            .map(|e| e.uid().to_string())
            .collect()
    };
    assert_eq!(uids("fr").len(), 8);
    assert_eq!(BTreeSet::from_iter(uids("fr")).len(), 8, "UIDs are unique");
    for lang in ["en", "ar", "tr"] {
        assert_eq!(uids(lang), uids("fr"), "{lang}");
        let single = &feeds[&format!("{lang}/sessions/keynote.ics")];
        assert_eq!(
            single.events[0].uid(),
            feeds["fr/sessions/keynote.ics"].events[0].uid()
        );
    }
    assert_eq!(
        feeds["fr/sessions/opening.ics"].events[0].uid(),
        "opening@events.example.test/forum-2025"
    );
}

/// A copy of a fixture site in a temporary folder.
fn copy_site(site: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = root(site);
    for part in ["site-config.yaml", "content"] {
        for entry in walkdir::WalkDir::new(from.join(part)) {
            let entry = entry.unwrap();
            let target = dir.path().join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
    dir
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn uids_survive_an_edit_of_title_time_and_speakers() {
    let site = copy_site("multilingual");
    let before = parse_all(&build_at(site.path(), Some(stamp())));
    edit(
        site.path(),
        "content/programme.yaml",
        "          fr: Cérémonie d'ouverture",
        "          fr: Ouverture solennelle du forum",
    );
    edit(
        site.path(),
        "content/programme.yaml",
        "      - id: opening\n        start: \"09:00\"\n        end: \"10:00\"",
        "      - id: opening\n        start: \"09:15\"\n        end: \"10:15\"",
    );
    edit(
        site.path(),
        "content/programme.yaml",
        "speakers: [karim-haddad, lucie-moreau]",
        "speakers: [lucie-moreau]",
    );
    let after = parse_all(&build_at(site.path(), Some(stamp())));
    let (old, new) = (
        &before["fr/sessions/opening.ics"].events[0],
        &after["fr/sessions/opening.ics"].events[0],
    );
    assert_eq!(new.one("SUMMARY"), "Ouverture solennelle du forum");
    assert_eq!(new.start, utc("2025-03-29T08:15:00Z"));
    assert_ne!(old.one("DESCRIPTION"), new.one("DESCRIPTION"));
    assert_eq!(old.uid(), new.uid());
    for lang in ["fr", "en", "ar", "tr"] {
        let path = format!("{lang}/calendar.ics");
        let uids = |feeds: &BTreeMap<String, Feed>| -> Vec<String> {
            feeds[&path]
                .events
                .iter()
                .map(|e| e.uid().to_string())
                .collect()
        };
        assert_eq!(uids(&before), uids(&after), "{lang}");
    }
}

#[test]
fn text_with_line_breaks_and_separators_cannot_inject_a_property() {
    let site = copy_site("minimal");
    let title = "Welcome\r\nDTSTART:19700101T000000Z\nX-INJECTED:1;a,b\\\\c\rEND:VEVENT";
    edit(
        site.path(),
        "content/programme.yaml",
        "title: Welcome",
        &format!(
            "title: \"{}\"",
            title.replace('\r', "\\r").replace('\n', "\\n")
        ),
    );
    edit(
        site.path(),
        "content/speakers/jane-placeholder.en.md",
        "name: ",
        "name: \"Jane;\\nLOCATION:nowhere\" #",
    );
    // A text in a language the site lacks, under a key that is no language tag.
    edit(
        site.path(),
        "content/programme.yaml",
        "title: \"Talk: nothing in particular\"",
        "title: {'x:y;\"z': \"Talk\"}",
    );
    let output = build_at(site.path(), Some(stamp()));
    for path in ics_files(&output) {
        let ics = text(&output, &path);
        assert_well_formed(&path, ics.as_bytes());
        assert!(!ics.contains("\nX-INJECTED"), "{path}");
        assert!(!ics.contains("\nLOCATION:nowhere"), "{path}");
        assert_eq!(
            ics.matches("BEGIN:VEVENT").count(),
            ics.matches("END:VEVENT").count()
        );
    }
    let feed = parse("en/calendar.ics", &text(&output, "en/calendar.ics"));
    let welcome = feed.event("welcome");
    assert_eq!(
        welcome.one("SUMMARY"),
        "Welcome\nDTSTART:19700101T000000Z\nX-INJECTED:1;a,b\\c\nEND:VEVENT"
    );
    assert_eq!(welcome.props["DTSTART"].len(), 1);
    assert!(!welcome.props.contains_key("X-INJECTED"));
    assert!(welcome
        .one("DESCRIPTION")
        .contains("Jane;\nLOCATION:nowhere"));
    assert_eq!(feed.events.len(), 2);
    assert_eq!(feed.event("talk").one("SUMMARY"), "Talk");
}

#[test]
fn the_calendar_says_what_it_is_before_any_event() {
    let output = build("multilingual");
    let calendar = text(&output, "en/calendar.ics");
    let head: Vec<&str> = calendar
        .lines()
        .take_while(|l| !l.starts_with("BEGIN:VTIMEZONE"))
        .map(|l| l.split([':', ';']).next().unwrap())
        .collect();
    assert_eq!(
        head,
        [
            "BEGIN",
            "VERSION",
            "PRODID",
            "CALSCALE",
            "METHOD",
            "NAME",
            "X-WR-CALNAME",
            "X-WR-TIMEZONE",
            "REFRESH-INTERVAL",
            "X-PUBLISHED-TTL"
        ]
    );
    let feed = parse("en/calendar.ics", &calendar);
    let props: BTreeMap<&str, &str> = feed
        .props
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    assert_eq!(props["NAME"], "Forum of Fictional Cities 2025");
    assert_eq!(props["X-WR-CALNAME"], "Forum of Fictional Cities 2025");
    assert_eq!(props["X-WR-TIMEZONE"], "Europe/Paris");
    assert_eq!(props["METHOD"], "PUBLISH");
    assert!(calendar.contains("\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n"));
    // A single session is imported into a calendar, not made one of its own.
    let single = parse(
        "en/sessions/keynote.ics",
        &text(&output, "en/sessions/keynote.ics"),
    );
    assert!(!single.has("NAME") && !single.has("X-WR-CALNAME"));
    assert_eq!(single.events.len(), 1);
}

#[test]
fn a_session_says_what_where_when_and_who_in_its_language() {
    let output = build("multilingual");
    let fr = parse("fr/calendar.ics", &text(&output, "fr/calendar.ics"));
    let panel = fr.event("panel-climate");
    assert_eq!(panel.one("SUMMARY"), "Villes & climat : <demain>");
    assert_eq!(panel.one("LOCATION"), "Salle A, Lyon, France");
    assert_eq!(
        panel.one("URL"),
        "https://events.example.test/forum-2025/fr/programme/#panel-climate"
    );
    assert_eq!(panel.one("CATEGORIES"), "Panel");
    assert_eq!(panel.one("STATUS"), "CONFIRMED");
    assert_eq!(panel.one("DTSTAMP"), "20240115T120000Z");
    let description = panel.one("DESCRIPTION");
    assert!(
        description.starts_with("Modérateur·rice: Dr Amélie Durand (Urbaniste en chef, "),
        "{description}"
    );
    // Names joined as French lists them (CLDR, through ICU4X).
    assert!(
        description.contains(
            "\nIntervenants: Tomas Berger (Architecte, Atelier Nulle Part) et Mme Selin Aydın ("
        ),
        "{description}"
    );
    let opening = fr.event("opening");
    assert!(opening
        .one("DESCRIPTION")
        .starts_with("- Mot de bienvenue\n- Présentation du forum\n\n"));
    let ar = parse("ar/calendar.ics", &text(&output, "ar/calendar.ics"));
    assert_eq!(ar.event("opening").one("SUMMARY"), "حفل الافتتاح");
    assert_eq!(ar.event("opening").one("CATEGORIES"), "حفل");
}

#[test]
fn a_cancelled_session_stays_in_every_feed_as_cancelled() {
    let output = build("multilingual");
    let feeds = parse_all(&output);
    let mut seen = 0;
    for (path, feed) in &feeds {
        for event in &feed.events {
            let expected = if event.id() == "roundtable-housing" {
                seen += 1;
                "CANCELLED"
            } else {
                "CONFIRMED"
            };
            assert_eq!(event.one("STATUS"), expected, "{path}");
        }
    }
    // The four calendars, the four session files, and the two speakers' feeds.
    assert_eq!(seen, 4 + 4 + 2 * 4);
    let fr = &feeds["fr/speakers/tomas-berger.ics"];
    assert_eq!(
        fr.event("roundtable-housing").one("SUMMARY"),
        "Annulé — Table ronde sur le logement"
    );
    // The programme shows it struck through, with its label.
    let html = text(&output, "fr/programme/index.html");
    let page = scraper::Html::parse_document(&html);
    let selector = scraper::Selector::parse("#roundtable-housing.cancelled del").unwrap();
    assert_eq!(page.select(&selector).count(), 1);
    let label = scraper::Selector::parse("#roundtable-housing .cancelled-label").unwrap();
    let label: String = page.select(&label).flat_map(|e| e.text()).collect();
    assert_eq!(label, "Annulé");
}

#[test]
fn a_speaker_feed_holds_each_of_their_sessions_once() {
    let output = build("multilingual");
    let feed = parse(
        "en/speakers/karim-haddad.ics",
        &text(&output, "en/speakers/karim-haddad.ics"),
    );
    let ids: Vec<&str> = feed.events.iter().map(Session::id).collect();
    assert_eq!(ids, ["opening", "panel-mobility", "closing"]);
    assert!(feed
        .props
        .iter()
        .any(|(n, v)| n == "NAME" && v == "Mr. Karim Haddad · Forum of Fictional Cities 2025"));

    // Moderating and speaking in one session puts it in the feed once.
    let site = copy_site("multilingual");
    edit(
        site.path(),
        "content/programme.yaml",
        "speakers: [tomas-berger, selin-aydin]",
        "speakers: [tomas-berger, selin-aydin, amelie-durand]",
    );
    let output = build_at(site.path(), Some(stamp()));
    let feed = parse(
        "en/speakers/amelie-durand.ics",
        &text(&output, "en/speakers/amelie-durand.ics"),
    );
    let ids: Vec<&str> = feed.events.iter().map(Session::id).collect();
    assert_eq!(ids, ["panel-climate", "keynote"]);
}

#[test]
fn pages_offer_subscription_download_and_each_session_calendar() {
    let output = build("example");
    let select = |html: &str, css: &str| -> Vec<String> {
        let page = scraper::Html::parse_document(html);
        let selector = scraper::Selector::parse(css).unwrap();
        page.select(&selector)
            .filter_map(|e| e.value().attr("href").map(str::to_string))
            .collect()
    };
    for lang in ["en", "fr", "ar"] {
        for page in ["index.html", "programme/index.html"] {
            let html = text(&output, &format!("{lang}/{page}"));
            let links = select(&html, ".calendar-links a");
            assert_eq!(
                links,
                [
                    format!("webcal://pesnet.example.org/meeting-4/{lang}/calendar.ics"),
                    format!(
                        "../{}{lang}/calendar.ics",
                        "../".repeat(page.matches('/').count())
                    ),
                ],
                "{lang}/{page}"
            );
        }
        let programme = text(&output, &format!("{lang}/programme/index.html"));
        // Breaks, meals and registration have none (issue 19); every other session its .ics.
        let adds = select(
            &programme,
            ".session .add-to-calendar a[type='text/calendar']",
        );
        let chosen = select(
            &programme,
            "article.session:not(.kind-break, .kind-meal, .kind-registration) .anchor",
        );
        assert_eq!(adds.len(), chosen.len());
        assert_eq!(adds.len(), 10);
        assert!(select(
            &programme,
            ":is(.kind-break, .kind-meal, .kind-registration) .add-to-calendar a"
        )
        .is_empty());
        for href in &adds {
            let path = href.trim_start_matches("../../");
            assert!(path.starts_with(&format!("{lang}/sessions/")), "{href}");
            assert!(output.contains(path), "{href} is not published");
        }
        let speaker = text(&output, &format!("{lang}/speakers/varol-dur/index.html"));
        let own = select(&speaker, ".calendar-links a");
        assert_eq!(own, [format!("../../../{lang}/speakers/varol-dur.ics")]);
        let appearances = select(
            &speaker,
            ".appearance .add-to-calendar a[type='text/calendar']",
        );
        assert_eq!(
            appearances,
            [
                format!("../../../{lang}/sessions/opening.ics"),
                format!("../../../{lang}/sessions/panel-1.ics")
            ]
        );
        let home = text(&output, &format!("{lang}/index.html"));
        assert_eq!(
            select(&home, ".site-footer .for-apps a"),
            ["../schedule.xml", "../schedule.json", "../schedule-v2.json"]
        );
    }
}

#[test]
fn two_builds_with_a_timestamp_are_identical() {
    let first = build("multilingual");
    let second = build("multilingual");
    assert_eq!(first, second);
}

#[test]
fn without_a_timestamp_rebuilding_unchanged_files_changes_no_feed() {
    let site = copy_site("minimal");
    let first = build_at(site.path(), None);
    let second = build_at(site.path(), None);
    assert_eq!(first, second);
    let feed = parse("en/calendar.ics", &text(&first, "en/calendar.ics"));
    let mtime = std::fs::metadata(site.path().join("content/programme.yaml"))
        .and_then(|m| m.modified())
        .map(DateTime::<Utc>::from)
        .unwrap();
    let dtstamp = local(feed.events[0].one("DTSTAMP").trim_end_matches('Z')).and_utc();
    assert!(
        (dtstamp - mtime).num_seconds().abs() <= 1 || dtstamp > mtime,
        "DTSTAMP {dtstamp} is not the newest change ({mtime} or later)"
    );
}

#[test]
fn a_biography_edited_changes_no_feed_and_the_programme_or_its_strings_move_their_stamp() {
    let site = copy_site("minimal");
    let before = build_at(site.path(), None);
    // An hour ahead, so that the edits are the newest changes whatever the clock's grain.
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    // Appends to a file (made if missing) and dates the change at `when`.
    let edit = |file: &str, addition: &str, when: std::time::SystemTime| {
        let path = site.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        std::fs::write(&path, format!("{text}{addition}")).unwrap();
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        file.set_modified(when).unwrap();
    };
    let stamp_of_feed = || {
        let built = build_at(site.path(), None);
        let feed = parse("en/calendar.ics", &text(&built, "en/calendar.ics"));
        feed.events[0].one("DTSTAMP").to_string()
    };
    let stamp = |when: std::time::SystemTime| {
        DateTime::<Utc>::from(when)
            .format("%Y%m%dT%H%M%SZ")
            .to_string()
    };

    edit(
        "content/speakers/jane-placeholder.en.md",
        "\nShe also chairs the network's working group.\n",
        later,
    );
    let after = build_at(site.path(), None);
    assert!(text(&after, "en/speakers/jane-placeholder/index.html").contains("working group"));
    let feeds = ics_files(&before);
    assert!(!feeds.is_empty());
    for feed in &feeds {
        assert_eq!(text(&before, feed), text(&after, feed), "{feed} changed");
    }

    edit("content/programme.yaml", "\n# moved\n", later);
    assert_eq!(stamp_of_feed(), stamp(later));

    // Interface strings name the kinds of session in the feeds.
    let latest = later + std::time::Duration::from_secs(3600);
    edit("content/i18n/en.yaml", "cancelled: Called off\n", latest);
    assert_eq!(stamp_of_feed(), stamp(latest));
}

#[test]
fn the_command_takes_its_timestamp_from_source_date_epoch() {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_majlis"))
        .args(["--root"])
        .arg(root("minimal"))
        .arg("build")
        .arg("--output")
        .arg(out.path().join("public"))
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let ics = std::fs::read_to_string(out.path().join("public/en/calendar.ics")).unwrap();
    assert!(ics.contains("\r\nDTSTAMP:20231114T221320Z\r\n"));

    let bad = Command::new(env!("CARGO_BIN_EXE_majlis"))
        .args(["--root"])
        .arg(root("minimal"))
        .arg("build")
        .arg("--output")
        .arg(out.path().join("other"))
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("SOURCE_DATE_EPOCH"));
    assert!(!out.path().join("other").exists());
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_str(&text(output, "schedule.json")).unwrap()
}

/// Every session (event, in the format's words) of schedule.json, by slug.
fn talks_of(schedule: &serde_json::Value) -> BTreeMap<String, serde_json::Value> {
    let mut talks = BTreeMap::new();
    for day in schedule["schedule"]["conference"]["days"]
        .as_array()
        .unwrap()
    {
        for room in day["rooms"].as_object().unwrap().values() {
            for talk in room.as_array().unwrap() {
                talks.insert(talk["slug"].as_str().unwrap().to_string(), talk.clone());
            }
        }
    }
    talks
}

#[test]
fn schedule_json_has_stable_guids_ids_offsets_people_rooms_and_days() {
    let output = build("multilingual");
    let schedule = json(&output);
    let conference = &schedule["schedule"]["conference"];
    assert_eq!(conference["acronym"], "fvi_2025");
    assert_eq!(conference["title"], "Forum des villes imaginaires 2025");
    assert_eq!(conference["time_zone_name"], "Europe/Paris");
    assert_eq!(conference["daysCount"], 2);
    let talks = talks_of(&schedule);
    // The cancelled round table is left out: the apps show a session gone from a new
    // version of the schedule as cancelled.
    assert_eq!(talks.len(), 7);
    assert!(!talks.contains_key("fvi_2025-roundtable-housing"));

    let site = uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        b"https://events.example.test/forum-2025/",
    );
    let keynote = &talks["fvi_2025-keynote"];
    assert_eq!(
        keynote["guid"],
        uuid::Uuid::new_v5(&site, b"keynote").to_string()
    );
    assert_eq!(keynote["date"], "2025-03-30T09:00:00+02:00");
    assert_eq!(keynote["start"], "09:00");
    assert_eq!(keynote["duration"], "01:30");
    assert_eq!(keynote["room"], "Grand amphithéâtre");
    assert_eq!(keynote["language"], serde_json::Value::Null);
    let ids: BTreeSet<u64> = talks.values().map(|t| t["id"].as_u64().unwrap()).collect();
    assert_eq!(ids.len(), 7);
    assert!(ids.iter().all(|&id| id >= 1));

    let panel = &talks["fvi_2025-panel-climate"];
    assert_eq!(panel["title"], "Villes & climat : <demain>");
    let people: Vec<(&str, &str)> = panel["persons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["role"].as_str().unwrap()))
        .collect();
    assert_eq!(people[0].1, "moderator");
    assert!(people[0].0.ends_with("Amélie Durand"), "{people:?}");
    assert_eq!(
        people[1..].iter().map(|p| p.1).collect::<Vec<_>>(),
        ["speaker"; 2]
    );

    let days = conference["days"].as_array().unwrap();
    assert_eq!(days[0]["day_start"], "2025-03-29T08:30:00+01:00");
    assert_eq!(days[0]["day_end"], "2025-03-29T12:00:00+01:00");
    assert_eq!(days[1]["day_start"], "2025-03-30T09:00:00+02:00");
    assert_eq!(days[1]["day_end"], "2025-03-30T15:00:00+02:00");
    let rooms: Vec<&str> = conference["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(
        rooms.contains(&"Salle A") && rooms.contains(&"Salle B"),
        "{rooms:?}"
    );

    // Stable through an edit of another session, and through a rebuild.
    let site_dir = copy_site("multilingual");
    edit(
        site_dir.path(),
        "content/programme.yaml",
        "      - id: registration\n        start: \"08:30\"",
        "      - id: welcome-coffee\n        start: \"08:00\"\n        end: \"08:15\"\n        kind: break\n        title: Café\n      - id: registration\n        start: \"08:30\"",
    );
    let edited = talks_of(&json(&build_at(site_dir.path(), Some(stamp()))));
    assert_eq!(edited.len(), 8);
    for (slug, talk) in &talks {
        assert_eq!(edited[slug]["guid"], talk["guid"], "{slug}");
        assert_eq!(edited[slug]["id"], talk["id"], "{slug}");
    }
}

#[test]
fn schedule_xml_says_the_same_as_schedule_json() {
    let output = build("example");
    let talks = talks_of(&json(&output));
    assert_eq!(talks.len(), 16);
    let xml = text(&output, "schedule.xml");
    let document = roxmltree::Document::parse(&xml).unwrap();
    let events: Vec<roxmltree::Node> = document
        .descendants()
        .filter(|n| n.has_tag_name("event"))
        .collect();
    assert_eq!(events.len(), 16);
    let child = |node: &roxmltree::Node, name: &str| -> String {
        node.children()
            .find(|c| c.has_tag_name(name))
            .and_then(|c| c.text())
            .unwrap_or_default()
            .to_string()
    };
    for event in &events {
        let json = talks
            .values()
            .find(|t| t["guid"] == event.attribute("guid").unwrap())
            .unwrap();
        assert_eq!(
            json["id"].as_u64().unwrap().to_string(),
            event.attribute("id").unwrap()
        );
        assert_eq!(json["date"], child(event, "date").as_str());
        assert_eq!(json["title"], child(event, "title").as_str());
        assert_eq!(json["room"], child(event, "room").as_str());
    }
    let registration = events
        .iter()
        .find(|e| child(e, "url").ends_with("#registration"))
        .unwrap();
    assert_eq!(child(registration, "date"), "2024-02-29T09:00:00+01:00");
    let day = document
        .descendants()
        .find(|n| n.has_tag_name("day"))
        .unwrap();
    assert_eq!(day.attribute("index"), Some("1"));
    assert_eq!(day.attribute("start"), Some("2024-02-29T09:00:00+01:00"));
    assert_eq!(day.attribute("end"), Some("2024-02-29T19:30:00+01:00"));
}

/// The Latin letters of `text` outside an isolate (U+2068 … U+2069).
fn latin_outside_isolates(text: &str) -> String {
    let mut depth = 0usize;
    let mut outside = String::new();
    for c in text.chars() {
        match c {
            '\u{2068}' => depth += 1,
            '\u{2069}' => depth = depth.saturating_sub(1),
            c if depth == 0 && c.is_ascii_alphabetic() => outside.push(c),
            _ => {}
        }
    }
    outside
}

#[test]
fn arabic_calendar_text_isolates_latin_runs_and_writes_the_arabic_comma() {
    let output = build("locales");
    for lang in ["ar", "ar-EG"] {
        let path = format!("{lang}/calendar.ics");
        let feed = parse(&path, &text(&output, &path));
        for event in &feed.events {
            for name in ["SUMMARY", "DESCRIPTION", "LOCATION"] {
                for value in event.props.get(name).into_iter().flatten() {
                    assert_eq!(latin_outside_isolates(value), "", "{path} {name}: {value}");
                    assert!(!value.contains(", "), "{path} {name}: {value}");
                }
            }
        }
        let opening = feed.event("opening").one("DESCRIPTION");
        assert!(
            opening.starts_with(
                "مديرة الجلسة: \u{2068}Nadia Fictive\u{2069} (مديرة، الوكالة الخيالية (\u{2068}FAKE\u{2069}))\n"
            ),
            "{opening}"
        );
        // Names joined as Arabic lists them: "A وB وC".
        assert!(
            opening.contains("(\u{2068}FAKE\u{2069})) و\u{2068}Omar Fictif\u{2069} ("),
            "{opening}"
        );
        assert_eq!(
            feed.event("opening").one("LOCATION"),
            "القاعة الخيالية، الرباط"
        );
        let speaker = format!("{lang}/speakers/omar-fictif.ics");
        let calendar = parse(&speaker, &text(&output, &speaker));
        let name = &calendar.props.iter().find(|(n, _)| n == "NAME").unwrap().1;
        assert!(name.starts_with("\u{2068}Omar Fictif\u{2069} · "), "{name}");
    }
    // English text has nothing of the other direction: no isolate, the Latin comma, and the
    // list of British English (no comma before "and").
    let en = text(&output, "en/calendar.ics");
    assert!(!en.contains('\u{2068}'));
    let opening = parse("en/calendar.ics", &en);
    let description = opening.event("opening").one("DESCRIPTION");
    assert!(
        description.contains(
            "(Director, Fictional Agency (FAKE)), Omar Fictif (Adviser, Imaginary Office (IMO)) and Sam Fictional ("
        ),
        "{description}"
    );
}
