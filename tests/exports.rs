//! The conference-app exports read as the apps read them, for the example and every fixture
//! site: each session's people found by name, the way each reader looks for them (the code
//! each reader mirrors is named on it), and the organisers a session names shown in every
//! output, pages, exports, calendars and JSON-LD.

mod common;

use std::collections::BTreeMap;

use common::{example_root, fixture_root, Published, Site};
use serde_json::Value;

/// The sites CI publishes (`.ci/run`).
const SITES: [&str; 5] = ["example", "minimal", "multilingual", "ramadan", "hostile"];

/// Each session's people by its id, as one reader finds them.
type People = BTreeMap<String, Vec<String>>;

/// The session id at the end of a session's URL (`…/programme/#opening`).
fn session_id(url: &str) -> String {
    url.rsplit_once('#').expect("a session URL").1.to_string()
}

/// pyfahrplan 1.1 (`Fahrplan.flatten_fahrplans`, pyfahrplan/lib.py): `schedule.json`'s
/// `schedule.conference.days[].rooms{}[]`, each talk's `title`, `id`, `start`, `date`,
/// `duration`, `description`, `abstract` and `track` read with `[]` (a missing key is a
/// `KeyError`, the whole schedule lost), and its speakers as
/// `person.get("public_name", person.get("full_public_name", ""))`.
fn pyfahrplan(json: &Value) -> People {
    let schedule = &json["schedule"];
    let conference = &schedule["conference"];
    for key in ["title", "acronym"] {
        assert!(conference.get(key).is_some(), "pyfahrplan reads {key}");
    }
    let mut people = People::new();
    for day in conference["days"].as_array().unwrap() {
        assert!(day.get("index").is_some(), "pyfahrplan reads a day's index");
        for talks in day["rooms"].as_object().unwrap().values() {
            for talk in talks.as_array().unwrap() {
                for key in [
                    "title",
                    "id",
                    "start",
                    "date",
                    "duration",
                    "description",
                    "abstract",
                    "track",
                ] {
                    assert!(talk.get(key).is_some(), "pyfahrplan reads a talk's {key}");
                }
                let names = talk
                    .get("persons")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|person| {
                        let name = person
                            .get("public_name")
                            .or_else(|| person.get("full_public_name"));
                        name.and_then(Value::as_str).unwrap_or_default().to_string()
                    })
                    .collect();
                people.insert(session_id(talk["url"].as_str().unwrap()), names);
            }
        }
    }
    people
}

/// c3voc's schedule tools (voc/schedule, `Event.persons` in voc/event.py):
/// `p.get("name", p.get("public_name"))` of each of a talk's `persons` in `schedule.json`.
fn c3voc_json(json: &Value) -> People {
    let mut people = People::new();
    for day in json["schedule"]["conference"]["days"].as_array().unwrap() {
        for talks in day["rooms"].as_object().unwrap().values() {
            for talk in talks.as_array().unwrap() {
                let names = talk["persons"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| {
                        let name = p.get("name").or_else(|| p.get("public_name"));
                        name.and_then(Value::as_str).unwrap_or_default().to_string()
                    })
                    .collect();
                people.insert(session_id(talk["url"].as_str().unwrap()), names);
            }
        }
    }
    people
}

/// c3voc's schedule tools on `schedule.xml` (`ScheduleXML.events` and `EventXML.persons` in
/// voc/schedulexml.py): every `day/room/event`, its people the text of each
/// `persons/person`.
fn c3voc_xml(xml: &str) -> People {
    let document = roxmltree::Document::parse(xml).unwrap();
    let mut people = People::new();
    for day in document
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("day"))
    {
        for room in day.children().filter(|n| n.has_tag_name("room")) {
            for event in room.children().filter(|n| n.has_tag_name("event")) {
                let url = child(event, "url").and_then(|u| u.text()).unwrap();
                let names = child(event, "persons")
                    .into_iter()
                    .flat_map(|p| p.children().filter(|c| c.has_tag_name("person")))
                    .map(|p| p.text().unwrap_or_default().to_string())
                    .collect();
                people.insert(session_id(url), names);
            }
        }
    }
    people
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|c| c.has_tag_name(name))
}

/// `schedule-v2.json` as its schema has it: the `name` of each of an event's
/// `participants` (a `MetaEvent`, a break, has none).
fn schedule_v2(json: &Value) -> People {
    let mut people = People::new();
    for event in json["schedule"]["events"].as_array().unwrap() {
        let Some(url) = event.get("url").and_then(Value::as_str) else {
            continue;
        };
        let names = event["participants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect();
        people.insert(session_id(url), names);
    }
    people
}

/// A site's sources, to say who each session names without asking majlis.
struct Sources {
    root: std::path::PathBuf,
    default: String,
    /// Each organiser's name in every language, by id.
    organisers: BTreeMap<String, Vec<String>>,
}

impl Sources {
    fn of(site: &str) -> Sources {
        let root = if site == "example" {
            example_root()
        } else {
            fixture_root(site)
        };
        let config: Value = yaml(&root.join("site-config.yaml"));
        let event: Value = yaml(&root.join("content/event.yaml"));
        let mut organisers = BTreeMap::new();
        for organiser in event["organisers"].as_array().into_iter().flatten() {
            if let Some(id) = organiser["id"].as_str() {
                organisers.insert(id.to_string(), texts(&organiser["name"]));
            }
        }
        Sources {
            root,
            default: config["default_language"].as_str().unwrap().to_string(),
            organisers,
        }
    }

    /// Every session but the cancelled ones, with the ids of its moderators and speakers.
    fn sessions(&self) -> Vec<(String, Vec<String>)> {
        let programme: Value = yaml(&self.root.join("content/programme.yaml"));
        let mut sessions = Vec::new();
        for day in programme["days"].as_array().unwrap() {
            for session in day["sessions"].as_array().into_iter().flatten() {
                if session["cancelled"] == Value::Bool(true) {
                    continue;
                }
                let ids = ["moderators", "speakers"]
                    .iter()
                    .flat_map(|field| session[*field].as_array().cloned().unwrap_or_default())
                    .map(|id| id.as_str().unwrap().to_string())
                    .collect();
                sessions.push((session["id"].as_str().unwrap().to_string(), ids));
            }
        }
        sessions
    }

    /// The names a person may be published under: a speaker's front-matter `name` in the
    /// default language's file (else any), or an organiser's name in any language.
    fn names(&self, id: &str) -> Vec<String> {
        if let Some(names) = self.organisers.get(id) {
            return names.clone();
        }
        let folder = self.root.join("content/speakers");
        let mut files: Vec<_> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let name = p.file_name().unwrap().to_string_lossy();
                name.starts_with(&format!("{id}.")) && name.ends_with(".md")
            })
            .collect();
        files.sort_by_key(|p| !p.ends_with(format!("{id}.{}.md", self.default)));
        let text = std::fs::read_to_string(&files[0]).unwrap();
        let front = text.split("---").nth(1).unwrap();
        let front: Value = serde_yaml::from_str(front).unwrap();
        vec![front["name"].as_str().unwrap().trim().to_string()]
    }
}

fn yaml(path: &std::path::Path) -> Value {
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A translatable text's every value.
fn texts(text: &Value) -> Vec<String> {
    match text {
        Value::String(s) => vec![s.clone()],
        Value::Object(map) => map
            .values()
            .filter_map(|v| v.as_str())
            .map(String::from)
            .collect(),
        _ => Vec::new(),
    }
}

fn built(site: &str) -> (Site, Published) {
    let copy = Site::copy_of(site);
    let published = copy.built();
    (copy, published)
}

#[test]
fn every_reader_of_the_exports_finds_every_speaker_of_every_session_by_name() {
    for site in SITES {
        let (_copy, published) = built(site);
        let sources = Sources::of(site);
        let v1: Value = serde_json::from_str(&published.text("schedule.json")).unwrap();
        let v2: Value = serde_json::from_str(&published.text("schedule-v2.json")).unwrap();
        let readers = [
            ("pyfahrplan", pyfahrplan(&v1)),
            ("c3voc schedule.json", c3voc_json(&v1)),
            (
                "c3voc schedule.xml",
                c3voc_xml(&published.text("schedule.xml")),
            ),
            ("schedule-v2.json", schedule_v2(&v2)),
        ];
        let sessions = sources.sessions();
        let mut named = 0;
        for (reader, people) in &readers {
            for (session, ids) in &sessions {
                let Some(found) = people.get(session) else {
                    // A break is a `MetaEvent` in version 2, without people.
                    assert!(
                        *reader == "schedule-v2.json" && ids.is_empty(),
                        "{site}: {reader} has no session {session}"
                    );
                    continue;
                };
                assert_eq!(
                    found.len(),
                    ids.len(),
                    "{site}: {reader}, {session}: {found:?}"
                );
                for (id, name) in ids.iter().zip(found) {
                    let names = sources.names(id);
                    assert!(
                        names.iter().any(|n| !n.is_empty() && name.ends_with(n.as_str())),
                        "{site}: {reader} shows {name:?} for {id} in {session}, not one of {names:?}"
                    );
                    named += 1;
                }
            }
        }
        if site != "minimal" {
            assert!(named > readers.len(), "{site}: too few people to be a test");
        }
    }
}

/// The multilingual fixture with two organisers named in its panel: one with a website, one
/// without.
fn with_organisers_as_moderators() -> (Site, Published) {
    let site = Site::copy_of("multilingual");
    site.edit(
        "content/event.yaml",
        "organisers:\n  - name:",
        "organisers:\n  - id: cities\n    name:",
    );
    site.edit(
        "content/event.yaml",
        "interpretation:",
        "  - id: secretariat\n    name: {fr: Le Secrétariat, en: The Secretariat}\n    \
         role: {fr: Secrétariat du forum, en: Secretariat of the forum}\ninterpretation:",
    );
    site.edit(
        "content/programme.yaml",
        "        moderators: [amelie-durand]\n",
        "        moderators: [amelie-durand, cities]\n",
    );
    site.edit(
        "content/programme.yaml",
        "        speakers: [lucie-moreau, karim-haddad]\n",
        "        moderators: [secretariat]\n        speakers: [lucie-moreau, karim-haddad]\n",
    );
    let published = site.built();
    (site, published)
}

#[test]
fn an_organiser_moderating_links_to_its_website_or_to_the_home_page_organisers() {
    let (_site, published) = with_organisers_as_moderators();
    for lang in ["fr", "en", "ar"] {
        let path = format!("{lang}/programme/index.html");
        let programme = published.page(&path);
        let links: Vec<(String, String)> = programme
            .select("#panel-climate .moderators a, #panel-mobility .moderators a")
            .iter()
            .map(|a| {
                let text = a.text().collect::<String>();
                (text, a.value().attr("href").unwrap().to_string())
            })
            .collect();
        assert_eq!(links.len(), 3, "{lang}: {links:?}");
        assert!(
            links[0].1.ends_with("/speakers/amelie-durand/"),
            "{links:?}"
        );
        assert_eq!(links[1].1, "https://cities.example.test/");
        let secretariat = if lang == "en" {
            "The Secretariat"
        } else {
            "Le Secrétariat"
        };
        assert_eq!(links[2].0, secretariat);
        // No website: the link leads to the organiser on the home page.
        assert!(links[2].1.ends_with("#organiser-secretariat"), "{links:?}");
        let target = published.resolve(&path, &links[2].1);
        assert_eq!(target, format!("{lang}/index.html"));
        let home = published.page(&format!("{lang}/index.html"));
        let listed = home.text_of("#organiser-secretariat");
        assert!(listed.contains(secretariat), "{listed}");
        assert!(programme.select("#panel-mobility a.organiser").len() == 1);
        // The speakers' page lists speakers only.
        let speakers = published.page(&format!("{lang}/speakers/index.html"));
        assert!(!speakers.text_of("main").contains(secretariat));
    }
}

#[test]
fn an_organiser_is_among_the_persons_of_the_exports_with_its_role() {
    let (_site, published) = with_organisers_as_moderators();
    let v1: Value = serde_json::from_str(&published.text("schedule.json")).unwrap();
    let mobility = v1["schedule"]["conference"]["days"][0]["rooms"]["Salle B"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["slug"] == "fvi_2025-panel-mobility")
        .unwrap()
        .clone();
    let first = &mobility["persons"][0];
    assert_eq!(first["name"], "Le Secrétariat");
    assert_eq!(first["public_name"], "Le Secrétariat");
    assert_eq!(first["role"], "moderator");
    assert_eq!(mobility["persons"][1]["role"], "speaker");
    let description = mobility["description"].as_str().unwrap();
    assert!(
        description.contains("Le Secrétariat (Secrétariat du forum)"),
        "{description}"
    );

    let v2: Value = serde_json::from_str(&published.text("schedule-v2.json")).unwrap();
    let event = v2["schedule"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["slug"] == "fvi_2025-panel-mobility")
        .unwrap()
        .clone();
    assert_eq!(event["participants"][0]["name"], "Le Secrétariat");
    assert_eq!(event["participants"][0]["role"], "MODERATOR");
    assert_eq!(event["participants"][0]["guid"], first["guid"]);
    assert_eq!(event["participants"][1]["role"], "SPEAKER");

    let xml = published.text("schedule.xml");
    let document = roxmltree::Document::parse(&xml).unwrap();
    let person = document
        .descendants()
        .filter(|n| n.has_tag_name("person"))
        .find(|n| n.text() == Some("Le Secrétariat"))
        .expect("the organiser in schedule.xml");
    assert_eq!(person.attribute("guid"), first["guid"].as_str());
    assert!(person.attribute("id").unwrap().parse::<u32>().unwrap() > 0);
}

#[test]
fn an_organiser_is_in_the_calendars_and_the_json_ld_of_its_sessions() {
    let (_site, published) = with_organisers_as_moderators();
    for (lang, name, role) in [
        ("fr", "Le Secrétariat", "Secrétariat du forum"),
        ("en", "The Secretariat", "Secretariat of the forum"),
    ] {
        for feed in [
            format!("{lang}/calendar.ics"),
            format!("{lang}/sessions/panel-mobility.ics"),
        ] {
            let text = published.text(&feed);
            let unfolded = text.replace("\r\n ", "");
            let event = unfolded
                .split("BEGIN:VEVENT")
                .find(|e| e.contains("UID:panel-mobility@"))
                .unwrap();
            let description = event
                .lines()
                .find(|l| l.starts_with("DESCRIPTION"))
                .unwrap();
            assert!(
                description.contains(&format!("{name} ({role})")),
                "{feed}: {description}"
            );
        }
        let programme = published.page(&format!("{lang}/programme/index.html"));
        let ld: Value =
            serde_json::from_str(&programme.text_of("script[type='application/ld+json']")).unwrap();
        let session = find(&ld, &|v| {
            v["url"]
                .as_str()
                .is_some_and(|u| u.ends_with("#panel-mobility"))
                && v.get("performer").is_some()
        })
        .expect("the session in the JSON-LD");
        assert_eq!(
            session["performer"][0],
            serde_json::json!({"@type": "Organization", "name": name}),
            "{lang}"
        );
        assert_eq!(session["performer"][1]["@type"], "Person");
    }
}

/// The first value in `value` (itself included) that `matches`.
fn find<'v>(value: &'v Value, matches: &dyn Fn(&Value) -> bool) -> Option<&'v Value> {
    if matches(value) {
        return Some(value);
    }
    match value {
        Value::Array(items) => items.iter().find_map(|v| find(v, matches)),
        Value::Object(map) => map.values().find_map(|v| find(v, matches)),
        _ => None,
    }
}

#[test]
fn schedule_v2_keeps_a_cancelled_session_marked_and_lists_breaks_as_breaks() {
    let (_site, published) = built("multilingual");
    let v2: Value = serde_json::from_str(&published.text("schedule-v2.json")).unwrap();
    let schedule = &v2["schedule"];
    let events = schedule["events"].as_array().unwrap();
    let by_title = |title: &str| {
        events
            .iter()
            .find(|e| e["title"] == title)
            .unwrap_or_else(|| panic!("no {title} in {events:?}"))
    };
    let housing = by_title("Table ronde sur le logement");
    assert_eq!(housing["state"], "CANCELED");
    assert_eq!(housing["type"], "DISCUSSION");
    assert_eq!(housing["slug"], "fvi_2025-roundtable-housing");
    assert_eq!(housing["language"], "fr");
    assert_eq!(housing["start"], "2025-03-30T11:00:00+02:00");
    assert_eq!(housing["end"], "2025-03-30T12:30:00+02:00");
    let keynote = events
        .iter()
        .find(|e| e["slug"] == "fvi_2025-keynote")
        .unwrap();
    assert!(keynote.get("state").is_none());
    let coffee = by_title("Pause café");
    assert_eq!(coffee["type"], "BREAK");
    assert!(coffee.get("participants").is_none() && coffee.get("slug").is_none());
    assert_eq!(by_title("Accueil et inscription")["type"], "META");
    let conference = &schedule["conference"];
    assert_eq!(
        conference["languages"],
        serde_json::json!(["fr", "en", "ar", "tr"])
    );
    assert_eq!(conference["start"], "2025-03-29T08:30:00+01:00");
    assert_eq!(conference["end"], "2025-03-30T15:00:00+02:00");
    assert_eq!(conference["days"][1]["start"], "2025-03-30T09:00:00+02:00");
    // The guids are version 1's.
    let v1: Value = serde_json::from_str(&published.text("schedule.json")).unwrap();
    let v1_keynote = c3voc_guid(&v1, "fvi_2025-keynote");
    assert_eq!(keynote["guid"], v1_keynote);
}

/// The guid of the session with `slug` in `schedule.json`.
fn c3voc_guid(json: &Value, slug: &str) -> Value {
    for day in json["schedule"]["conference"]["days"].as_array().unwrap() {
        for talks in day["rooms"].as_object().unwrap().values() {
            for talk in talks.as_array().unwrap() {
                if talk["slug"] == slug {
                    return talk["guid"].clone();
                }
            }
        }
    }
    panic!("no {slug}")
}
