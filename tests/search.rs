//! Search (issue 22) as the build publishes it: the search page and the header's field on
//! every page, and each language's index (`LANG/search/index.json` and its shards of words),
//! whose every result leads to a page or a session's element that exists, and whose words
//! carry every spelling of a person's name. What the script finds with them, rule by rule, is
//! checked in a browser by `.ci/browser/search.mjs`; the folding both share, by the table
//! tests/search/fold.json (src/render/fold.rs).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{example_root, fixture_root, text};
use majlis::output::Output;
use majlis::Options;
use scraper::{Html, Selector};
use serde_json::Value;

fn build(site: &str) -> Output {
    let root = if site == "example" {
        example_root()
    } else {
        fixture_root(site)
    };
    match majlis::build(&root, &Options::default()) {
        Ok(built) => built.output,
        Err(errors) => panic!("{site} does not build: {errors:?}"),
    }
}

fn json(output: &Output, path: &str) -> Value {
    serde_json::from_str(&text(output, path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The languages of a built site: those with a search page.
fn languages(output: &Output) -> Vec<String> {
    let languages: Vec<String> = output
        .iter()
        .filter_map(|(path, _)| path.strip_suffix("/search/index.html"))
        .map(str::to_string)
        .collect();
    assert!(!languages.is_empty(), "no search page");
    languages
}

/// A language's index: its results, and each folded word with the results it is in.
struct Index {
    results: Vec<Vec<String>>,
    words: BTreeMap<String, BTreeSet<usize>>,
}

fn index(output: &Output, lang: &str) -> Index {
    let head = json(output, &format!("{lang}/search/index.json"));
    assert_eq!(head["lang"], lang);
    let results = serde_json::from_value(head["results"].clone()).unwrap();
    let mut words = BTreeMap::new();
    for n in 0..head["shards"].as_u64().unwrap() {
        let shard = json(output, &format!("{lang}/search/words-{n}.json"));
        for (word, gaps) in shard.as_object().unwrap() {
            let mut at = 0;
            let found: BTreeSet<usize> = gaps
                .as_array()
                .unwrap()
                .iter()
                .map(|gap| {
                    at += gap.as_u64().unwrap();
                    (at >> 1) as usize
                })
                .collect();
            assert!(words.insert(word.clone(), found).is_none(), "{word} twice");
        }
    }
    Index { results, words }
}

impl Index {
    /// The links of the results a folded word is in.
    fn links(&self, word: &str) -> Vec<&str> {
        self.words
            .get(word)
            .into_iter()
            .flatten()
            .map(|&r| self.results[r][1].as_str())
            .collect()
    }
}

#[test]
fn every_page_has_a_search_field_that_opens_the_search_page_without_script() {
    let output = build("multilingual");
    for lang in languages(&output) {
        let pages: Vec<String> = output
            .iter()
            .map(|(path, _)| path.to_string())
            .filter(|path| path.starts_with(&format!("{lang}/")) && path.ends_with(".html"))
            .collect();
        assert!(pages.len() > 5);
        for path in &pages {
            let html = Html::parse_document(&text(&output, path));
            let form = Selector::parse("header form[role=search]").unwrap();
            let form = html
                .select(&form)
                .next()
                .unwrap_or_else(|| panic!("{path}: no search form in the header"));
            // GET, the default, so that the words are in the address.
            let method = form.value().attr("method").unwrap_or("get");
            assert!(method.eq_ignore_ascii_case("get"), "{path}");
            let depth = path.matches('/').count();
            let action = form.value().attr("action").unwrap();
            assert_eq!(
                action,
                format!("{}{lang}/search/", "../".repeat(depth)),
                "{path}"
            );
            let input = Selector::parse("input[type=search][name=q]").unwrap();
            let input = form.select(&input).next().expect("a field named q");
            let id = input.value().attr("id").unwrap();
            let label = Selector::parse(&format!("label[for={id}]")).unwrap();
            assert!(html.select(&label).next().is_some(), "{path}: no label");
        }
        let page = Html::parse_document(&text(&output, &format!("{lang}/search/index.html")));
        let noindex = Selector::parse("meta[name=robots][content=noindex]").unwrap();
        assert!(page.select(&noindex).next().is_some(), "{lang}: indexed");
        let note = Selector::parse(".search-needs-script a").unwrap();
        let links: Vec<&str> = page
            .select(&note)
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert_eq!(
            links,
            ["../../{lang}/programme/", "../../{lang}/speakers/"]
                .map(|l| l.replace("{lang}", &lang))
        );
    }
    assert!(!text(&output, "sitemap.xml").contains("/search/"));
}

#[test]
fn every_result_leads_to_a_page_or_a_session_that_exists() {
    for site in ["example", "multilingual", "turkish"] {
        let output = build(site);
        for lang in languages(&output) {
            let index = index(&output, &lang);
            let kinds: BTreeSet<&str> = index.results.iter().map(|r| r[0].as_str()).collect();
            assert_eq!(
                kinds,
                BTreeSet::from(["page", "session", "speaker"]),
                "{site} {lang}"
            );
            for result in &index.results {
                let (page, anchor) = match result[1].split_once('#') {
                    Some((page, anchor)) => (page, Some(anchor)),
                    None => (result[1].as_str(), None),
                };
                assert!(page.starts_with(&format!("{lang}/")), "{site}: {result:?}");
                let html = text(&output, &format!("{page}index.html"));
                if let Some(id) = anchor {
                    assert_eq!(result[0], "session");
                    let html = Html::parse_document(&html);
                    let element = Selector::parse(&format!("[id=\"{id}\"]")).unwrap();
                    assert!(html.select(&element).next().is_some(), "{site}: no #{id}");
                }
                assert!(!result[2].is_empty(), "{site}: a result without a title");
            }
            // Every word is in some result.
            assert!(index.words.values().all(|found| !found.is_empty()));
        }
    }
}

#[test]
fn a_person_is_found_in_every_spelling_of_their_name_from_every_language() {
    let output = build("example");
    for lang in languages(&output) {
        let index = index(&output, &lang);
        let speaker = format!("{lang}/speakers/varol-dur/");
        for spelling in ["varol", "dur", "فارول", "دور"] {
            assert!(
                index.links(spelling).contains(&speaker.as_str()),
                "{lang}: {spelling} does not find {speaker}"
            );
        }
        // İŞKUR, folded, in the organisation.
        assert!(index.links("iskur").contains(&speaker.as_str()), "{lang}");
        // And their sessions, by their name.
        assert!(
            index
                .links("dur")
                .iter()
                .any(|link| link.starts_with(&format!("{lang}/programme/#"))),
            "{lang}: no session of Varol Dur"
        );
    }
}

#[test]
fn sessions_are_found_by_title_description_people_and_room() {
    let output = build("turkish");
    let turkish = index(&output, "tr");
    let opening = "tr/programme/#acilis";
    // Title, description, speaker, room; folded as Turkish readers type.
    for word in ["acilis", "genclere", "ilknur", "buyuk"] {
        assert!(turkish.links(word).contains(&opening), "{word}");
    }
    assert!(turkish.links("katilimci").contains(&"tr/programme/#kayit"));
    // A speaker by position, organisation and biography; a page by its text.
    let speaker = "tr/speakers/ilknur-isik/";
    for word in ["mudur", "kurumu", "uydurmadir"] {
        assert!(turkish.links(word).contains(&speaker), "{word}");
    }
    assert!(turkish.links("bakanligi").contains(&"tr/about/"));
    // The English index has the English text, and the names as they are.
    let english = index(&output, "en");
    assert!(english
        .links("registration")
        .contains(&"en/programme/#kayit"));
    assert!(english.links("katilimci").is_empty());
    assert!(english.links("isik").contains(&"en/speakers/ilknur-isik/"));
}

#[test]
fn build_and_serve_publish_the_same_index() {
    let built = build("multilingual");
    let root = fixture_root("multilingual");
    let mut cache = majlis::Cache::new();
    let options = Options::default();
    let first = majlis::build_with(&root, &options, &mut cache).unwrap();
    let again = majlis::build_with(&root, &options, &mut cache).unwrap();
    for lang in languages(&built) {
        for path in built
            .iter()
            .map(|(path, _)| path)
            .filter(|path| path.starts_with(&format!("{lang}/search/")))
        {
            assert_eq!(first.output.get(path), built.get(path), "{path}");
            assert_eq!(again.output.get(path), built.get(path), "{path}");
        }
    }
}
