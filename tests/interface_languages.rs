//! The theme's interface languages and the translation report (issue 28): every key in every
//! language the theme ships, with the plural forms each language's CLDR rules call for; a
//! site in Persian and Urdu whose header and navigation are wholly in each page's language;
//! `check` naming every interface string that falls back; `check --translations` listing a
//! fixture's known gaps, as text and as CSV a spreadsheet reads.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use common::{fixture_root, majlis, Site};
use icu_plurals::{PluralCategory, PluralRules};

const SHIPPED: [&str; 11] = [
    "en", "fr", "ar", "tr", "fa", "ur", "id", "ms", "bn", "es", "de",
];

/// The suffixes a form of a key may have (as src/render/strings.rs reads them).
const PLURALS: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];
const GENDERS: [&str; 2] = ["female", "male"];

/// Keys of one language only, never asked of the others: French's "1er".
const OWN: [&str; 1] = ["first_day_of_month"];

/// The strings the people headings are counted in.
const COUNTED: [&str; 2] = ["speakers", "moderators"];

fn strings(lang: &str) -> BTreeMap<String, String> {
    let path = common::example_root().join(format!("themes/default/i18n/{lang}.yaml"));
    let text = fs::read_to_string(&path).unwrap_or_else(|_| panic!("{} exists", path.display()));
    serde_yaml::from_str(&text).unwrap()
}

/// The key `key` is a form of, with its plural category if it has one: `speakers_two_female`
/// is (`speakers`, Some("two")).
fn form_of<'k>(
    key: &'k str,
    keys: &BTreeMap<String, String>,
) -> Option<(&'k str, Option<&'k str>)> {
    let mut base = key;
    let mut category = None;
    for _ in 0..2 {
        let (rest, suffix) = base.rsplit_once('_')?;
        if PLURALS.contains(&suffix) {
            category = Some(suffix);
        } else if !GENDERS.contains(&suffix) {
            return None;
        }
        base = rest;
        if keys.contains_key(base) {
            return Some((base, category));
        }
    }
    None
}

fn category_name(category: PluralCategory) -> &'static str {
    match category {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

#[test]
fn every_shipped_language_has_every_key_and_the_forms_its_plurals_need() {
    let folder = common::example_root().join("themes/default/i18n");
    let shipped: BTreeSet<String> = fs::read_dir(&folder)
        .unwrap()
        .map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.trim_end_matches(".yaml").to_string()
        })
        .collect();
    for lang in SHIPPED {
        assert!(shipped.contains(lang), "the theme ships no {lang}.yaml");
    }
    let english = strings("en");
    let mut wrong = Vec::new();
    for lang in &shipped {
        let own = strings(lang);
        for key in english.keys() {
            match own.get(key) {
                None => wrong.push(format!("{lang}: no `{key}`")),
                Some(text) if text.trim().is_empty() => {
                    wrong.push(format!("{lang}: `{key}` empty"))
                }
                Some(_) => {}
            }
        }
        let rules =
            PluralRules::try_new_cardinal(lang.parse::<icu_locale_core::Locale>().unwrap().into())
                .unwrap();
        // The categories of the numbers of people a session may have.
        let categories: BTreeSet<&str> = (0..=1000u32)
            .map(|n| category_name(rules.category_for(n)))
            .collect();
        for key in own.keys() {
            if english.contains_key(key) || OWN.contains(&key.as_str()) {
                continue;
            }
            match form_of(key, &english) {
                None => wrong.push(format!("{lang}: `{key}` is no key of the theme's, nor a form of one")),
                Some((_, Some(category))) if !categories.contains(category) => wrong.push(format!(
                    "{lang}: `{key}` is for the plural category `{category}`, which {lang} does not have"
                )),
                Some(_) => {}
            }
        }
        // A language with a dual (Arabic) names two people in a form of its own; its other
        // categories (few, many) differ only after a numeral, which a heading has not.
        if categories.contains("two") {
            for key in COUNTED {
                if !own.contains_key(&format!("{key}_two")) {
                    wrong.push(format!("{lang}: no `{key}_two`, though {lang} has a dual"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn persian_and_urdu_are_written_in_their_own_letters() {
    // Arabic's yeh and kaf (ي ك) are not Persian's or Urdu's (ی ک); nor is Arabic's heh (ه)
    // Urdu's, which writes ہ and ھ.
    for (lang, foreign) in [("fa", "\u{64a}\u{643}"), ("ur", "\u{64a}\u{643}\u{647}")] {
        for (key, text) in strings(lang) {
            let wrong: Vec<char> = text.chars().filter(|c| foreign.contains(*c)).collect();
            assert!(wrong.is_empty(), "{lang}: `{key}` has {wrong:?}: {text}");
        }
    }
}

#[test]
fn persian_and_urdu_pages_have_their_header_and_navigation_in_their_own_language() {
    let (_dir, site) = common::build_into_temp(&fixture_root("persian-urdu"));
    for lang in ["fa", "ur"] {
        let own = strings(lang);
        for page in [
            "index.html",
            "programme/index.html",
            "speakers/index.html",
            "agenda/index.html",
        ] {
            let path = format!("{lang}/{page}");
            let html = site.page(&path);
            assert_eq!(html.attr("html", "lang"), lang, "{path}");
            assert_eq!(html.attr("html", "dir"), "rtl", "{path}");
            // A string that fell back is marked with its own language: none in the header
            // but the language switcher's names of the other languages.
            let marked: Vec<String> = html
                .select(".skip-link [lang], .site-header [lang]")
                .iter()
                .filter(|e| e.value().attr("hreflang").is_none())
                .map(|e| e.html())
                .collect();
            assert!(marked.is_empty(), "{path}: {marked:?}");
            assert_eq!(html.text_of(".skip-link"), own["skip_to_content"], "{path}");
            assert_eq!(
                html.attr(".languages", "aria-label"),
                own["languages"],
                "{path}"
            );
            assert_eq!(
                html.attr(".site-nav", "aria-label"),
                own["main_navigation"],
                "{path}"
            );
            let nav: Vec<String> = html
                .select(".site-nav a")
                .iter()
                .map(|e| e.text().collect::<String>().trim().to_string())
                .collect();
            assert_eq!(
                nav,
                [
                    &own["home"],
                    &own["programme"],
                    &own["speakers"],
                    &own["agenda"]
                ]
                .map(String::clone),
                "{path}"
            );
        }
    }
    // Persian writes its own digits, Urdu Latin ones (CLDR).
    let times = |lang: &str| {
        site.page(&format!("{lang}/programme/index.html"))
            .select(".session-time time")
            .iter()
            .map(|e| e.text().collect::<String>())
            .collect::<Vec<_>>()
    };
    assert_eq!(times("fa")[2], "۱۴:۰۰");
    assert_eq!(times("ur")[2], "2:00 PM");
}

#[test]
fn check_names_each_interface_string_that_falls_back_and_its_language() {
    let site = Site::copy_of("persian-urdu");
    let run = majlis(&site.root(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("interface string"), "{}", run.stderr);
    // Swahili, which the theme does not ship, with one word of its own.
    site.edit(
        "site-config.yaml",
        "    name: اردو\n",
        "    name: اردو\n  - code: sw\n    name: Kiswahili\n",
    );
    site.write("content/i18n/sw.yaml", "programme: Ratiba\n");
    let run = majlis(&site.root(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let english = strings("en");
    for key in english.keys() {
        let line = format!(
            "content/i18n/sw.yaml: warning: missing translation: interface string `{key}` has no sw version; the fa text is shown"
        );
        assert_eq!(
            run.stderr.contains(&line),
            key != "programme",
            "{key}:\n{}",
            run.stderr
        );
    }
    assert!(!run.stderr.contains("has no fa version"), "{}", run.stderr);
    assert!(!run.stderr.contains("has no ur version"), "{}", run.stderr);
}

/// The fixture with three gaps in Urdu: the title of a session, the venue, and a speaker's
/// file; and a word of the interface changed for Persian, which is no gap.
fn site_with_gaps() -> Site {
    let site = Site::copy_of("persian-urdu");
    site.edit(
        "content/programme.yaml",
        "title: {fa: کتابخانه‌های سیار, ur: چلتی پھرتی کتب خانے}",
        "title: {fa: \"=کتابخانه‌های سیار, با «نقل‌قول»\"}",
    );
    site.edit("content/event.yaml", "  ur: نمونہ ہال، تہران\n", "");
    site.remove("content/speakers/sara-nemune.ur.md");
    site.write("content/i18n/fa.yaml", "programme: برنامهٔ نشست\n");
    site
}

#[test]
fn the_translation_report_lists_each_gap_with_its_place_and_a_figure() {
    let site = site_with_gaps();
    let run = majlis(&site.root(), &["check", "--translations"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let total = 5 + strings("en").len(); // name, venue, two titles, a speaker; the strings
    let expected = format!(
        "fa (فارسی): 100% translated, {total} of {total}\n\
         ur (اردو): {}% translated, {} of {total}\n\
         \x20 content/event.yaml:8:5: `venue` (fa: تالار نمونه، تهران)\n\
         \x20 content/programme.yaml:14:16: `title` (fa: =کتابخانه‌های سیار, با «نقل‌قول»)\n\
         \x20 content/speakers/sara-nemune.ur.md: the file (fa: content/speakers/sara-nemune.fa.md)\n",
        (total - 3) * 100 / total,
        total - 3
    );
    assert_eq!(run.stdout, expected);
    // --strict fails while anything is missing, and only then.
    let strict = majlis(&site.root(), &["check", "--translations", "--strict"]);
    assert_eq!(strict.code, 1);
    assert!(strict
        .stderr
        .contains("translations are missing, which --strict makes an error"));
    let complete = majlis(
        &fixture_root("persian-urdu"),
        &["check", "--translations", "--strict"],
    );
    assert_eq!(complete.code, 0, "{}", complete.stdout);
}

#[test]
fn the_csv_report_is_the_same_gaps_as_a_spreadsheet_reads_them() {
    let site = site_with_gaps();
    let run = majlis(
        &site.root(),
        &["check", "--translations", "--format", "csv"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "language",
            "completeness",
            "kind",
            "file",
            "line",
            "field",
            "source_language",
            "source",
            "translated_of_total"
        ]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let total = 5 + strings("en").len();
    let figure = format!("{}%", (total - 3) * 100 / total);
    let counts = format!("{} of {total}", total - 3);
    let row = |cells: [&str; 9]| cells.map(String::from).to_vec();
    assert_eq!(
        rows,
        [
            row([
                "fa",
                "100%",
                "",
                "",
                "",
                "",
                "",
                "",
                &format!("{total} of {total}")
            ]),
            row([
                "ur",
                &figure,
                "text",
                "content/event.yaml",
                "8",
                "venue",
                "fa",
                "تالار نمونه، تهران",
                &counts
            ]),
            // The comma and the quotes stay in their cell; the `=` cannot start a formula.
            row([
                "ur",
                &figure,
                "text",
                "content/programme.yaml",
                "14",
                "title",
                "fa",
                "'=کتابخانه‌های سیار, با «نقل‌قول»",
                &counts
            ]),
            row([
                "ur",
                &figure,
                "file",
                "content/speakers/sara-nemune.ur.md",
                "",
                "",
                "fa",
                "content/speakers/sara-nemune.fa.md",
                &counts
            ]),
        ]
    );
}
