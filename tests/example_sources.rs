//! The example site against its source documents (/work/shared/seeds, issue 28): the names,
//! honorifics and words the documents use, and their dates and 24-hour times in every
//! language.

mod common;

use common::{build_into_temp, example_root, Published};

/// The text of every published page of a language, with its attributes' text left out.
fn texts(site: &Published, lang: &str) -> Vec<(String, String)> {
    site.files()
        .into_iter()
        .filter(|f| f.starts_with(&format!("{lang}/")) && f.ends_with(".html"))
        .map(|f| {
            let text = site
                .page(&f)
                .select("body")
                .iter()
                .flat_map(|e| e.text())
                .collect();
            (f, text)
        })
        .collect()
}

#[test]
fn the_example_writes_names_and_titles_as_its_sources_do() {
    let (_dir, site) = build_into_temp(&example_root());
    // Arabic names ANAPEC as Moroccans write it, the regional agency among them.
    for (page, text) in texts(&site, "ar") {
        assert!(
            !text.contains("ANAPEC"),
            "{page} writes ANAPEC in Latin letters"
        );
    }
    let kasbaoui = site
        .page("ar/speakers/hicham-kasbaoui/index.html")
        .text_of("main");
    assert!(kasbaoui.contains("الوكالة الجهوية لأنابيك"), "{kasbaoui}");
    let programme = site.page("ar/programme/index.html");
    assert_eq!(programme.text_of("#gala-dinner .session-title"), "حفل عشاء");
    assert!(programme.text_of("main").contains("يُحدَّث التقويم"));
    assert!(!programme.text_of("main").contains("يتحدّث"));
    // English names the agency one way, as the source does.
    for (page, text) in texts(&site, "en") {
        assert!(!text.contains("Agency for the Promotion"), "{page}");
    }
    let en = site.page("en/index.html").text_of("main");
    assert!(
        en.contains("National Agency of the Promotion of Employment and Skills"),
        "{en}"
    );
    // "Dr." for each doctor, as the French document gives it.
    for (person, name) in [
        ("younes-sekkouri", "S.E. Dr. Younes Sekkouri"),
        ("varol-dur", "Dr. Varol Dur"),
        ("imane-belmaati", "Dr. Imane Belmaati"),
    ] {
        let page = site.page(&format!("fr/speakers/{person}/index.html"));
        let shown = page.text_of("h1");
        assert_eq!(shown.split_whitespace().collect::<Vec<_>>().join(" "), name);
    }
    let fr = site.page("fr/programme/index.html").text_of("#opening");
    assert!(
        fr.contains("Dr. Varol Dur") && fr.contains("Dr. Imane Belmaati"),
        "{fr}"
    );
    assert!(!fr.contains("Dr Varol") && !fr.contains("Dr Imane"), "{fr}");
}

#[test]
fn the_example_dates_and_times_are_those_of_its_sources() {
    let (_dir, site) = build_into_temp(&example_root());
    let first = |lang: &str, css: &str| {
        let page = site.page(&format!("{lang}/programme/index.html"));
        page.select(css)
            .iter()
            .map(|e| e.text().collect::<String>())
            .collect::<Vec<_>>()
    };
    // "Day 1: Thursday, 29 February 2024", "Jour 2 : Vendredi 1er mars 2024"; 24-hour times
    // ("14:00 – 15:30") in Latin digits in all three.
    assert_eq!(
        first("en", ".day-date"),
        ["Thursday, 29 February 2024", "Friday, 1 March 2024"]
    );
    assert_eq!(
        first("fr", ".day-date"),
        ["jeudi 29 février 2024", "vendredi 1er mars 2024"]
    );
    for lang in ["en", "fr", "ar"] {
        let times = first(lang, ".session-time time");
        assert_eq!(times[..2], ["09:00", "09:30"], "{lang}");
        assert!(times.contains(&"14:00".to_string()), "{lang}: {times:?}");
    }
}
