//! Every language as its readers write it (issue 27): a `locale` apart from the URL code, the
//! hour cycle and digits it chooses (its `-u-hc-` and `-u-nu-` extensions honoured), the
//! first of a month as a language's strings give it, counted strings in every plural form of
//! the language, and role labels that agree with a speaker's gender. The fixture is
//! `tests/sites/locales`; its calendar text is checked in `tests/calendar.rs`.

mod common;

use common::{Published, Site};

fn texts(site: &Published, page: &str, css: &str) -> Vec<String> {
    site.page(page)
        .select(css)
        .iter()
        .map(|e| e.text().collect::<String>())
        .collect()
}

fn times(site: &Published, lang: &str) -> Vec<String> {
    texts(
        site,
        &format!("{lang}/programme/index.html"),
        ".session-time time",
    )
}

fn days(site: &Published, lang: &str) -> Vec<String> {
    texts(site, &format!("{lang}/programme/index.html"), ".day-date")
}

fn built(site: &Site) -> Published {
    site.built()
}

#[test]
fn english_with_the_locale_en_gb_is_british_under_its_own_code() {
    let site = Site::copy_of("locales");
    let out = built(&site);
    assert_eq!(
        days(&out, "en"),
        ["Friday, 28 February 2025", "Saturday, 1 March 2025"]
    );
    assert_eq!(times(&out, "en")[2..4], ["14:30", "16:05"]);
    assert_eq!(
        out.page("en/index.html").text_of(".dates"),
        "28 February 2025 – 1 March 2025"
    );
    // The code stays the URL segment and the page's language.
    assert_eq!(out.page("en/index.html").attr("html", "lang"), "en");
    // Without the locale, English formats as it always has.
    let site = Site::copy_of("locales");
    site.edit("site-config.yaml", "    locale: en-GB\n", "");
    let us = built(&site);
    assert_eq!(days(&us, "en")[0], "Friday, February 28, 2025");
    assert_eq!(times(&us, "en")[2], "2:30\u{202f}PM");
}

#[test]
fn arabic_takes_its_hour_cycle_from_the_locale_and_its_extension() {
    let site = Site::copy_of("locales");
    let out = built(&site);
    assert_eq!(
        times(&out, "ar"),
        ["09:30", "10:15", "14:30", "16:05", "14:00", "15:00"]
    );
    assert_eq!(days(&out, "ar")[0], "الجمعة، 28 فبراير 2025");
    // The extension asks for 12 hours just as well, in Morocco's Latin digits.
    site.edit("site-config.yaml", "ar-MA-u-hc-h23", "ar-MA-u-hc-h12");
    assert_eq!(times(&built(&site), "ar")[2], "2:30 م");
    // Without a locale, `ar` formats as it always has: Latin digits, 12 hours.
    site.edit("site-config.yaml", "    locale: ar-MA-u-hc-h12\n", "");
    assert_eq!(times(&built(&site), "ar")[2], "2:30 م");
}

#[test]
fn egyptian_arabic_writes_arabic_indic_digits_unless_its_locale_asks_for_latin() {
    let site = Site::copy_of("locales");
    let out = built(&site);
    assert_eq!(times(&out, "ar-EG")[..3], ["٩:٣٠ ص", "١٠:١٥ ص", "٢:٣٠ م"]);
    assert_eq!(
        days(&out, "ar-EG"),
        ["الجمعة، ٢٨ فبراير ٢٠٢٥", "السبت، ١ مارس ٢٠٢٥"]
    );
    assert_eq!(out.page("ar-EG/index.html").attr("html", "dir"), "rtl");
    site.edit(
        "site-config.yaml",
        "    name: العربية (مصر)\n",
        "    name: العربية (مصر)\n    locale: ar-EG-u-nu-latn-hc-h23\n",
    );
    let latin = built(&site);
    assert_eq!(times(&latin, "ar-EG")[2], "14:30");
    assert_eq!(days(&latin, "ar-EG")[0], "الجمعة، 28 فبراير 2025");
}

#[test]
fn french_writes_the_first_of_a_month_as_its_strings_give_it() {
    let site = Site::copy_of("locales");
    let out = built(&site);
    assert_eq!(
        days(&out, "fr"),
        ["vendredi 28 février 2025", "samedi 1er mars 2025"]
    );
    assert_eq!(
        out.page("fr/index.html").text_of(".dates"),
        "28 février 2025 – 1er mars 2025"
    );
    // The rule is a string any language may give, not a branch for French.
    site.write("content/i18n/en.yaml", "first_day_of_month: 1st\n");
    let english = built(&site);
    assert_eq!(days(&english, "en")[1], "Saturday, 1st March 2025");
    assert_eq!(days(&english, "en")[0], "Friday, 28 February 2025");
    // Another language's form is never borrowed: Arabic has none.
    assert_eq!(days(&english, "ar")[1], "السبت، 1 مارس 2025");
}

/// `count` speakers named `person-N`, each with a file in English.
fn write_people(site: &Site, count: usize) {
    for n in 0..count {
        site.write(
            &format!("content/speakers/person-{n}.en.md"),
            format!("---\nname: Person {n}\n---\n"),
        );
    }
}

#[test]
fn a_counted_string_takes_each_of_the_six_arabic_plural_forms() {
    let site = Site::copy_of("locales");
    write_people(&site, 100);
    let counts = [1, 2, 3, 10, 11, 99, 100];
    let mut programme = String::from("days:\n  - date: 2025-02-28\n    sessions:\n");
    for (i, count) in counts.iter().enumerate() {
        let ids: Vec<String> = (0..*count).map(|n| format!("person-{n}")).collect();
        programme.push_str(&format!(
            "      - id: s{count}\n        start: \"{:02}:00\"\n        kind: session\n        title: S{count}\n        speakers: [{}]\n",
            8 + i,
            ids.join(", ")
        ));
    }
    site.write("content/programme.yaml", programme);
    site.write(
        "content/i18n/ar.yaml",
        "speakers_zero: صفر\nspeakers_one: واحد\nspeakers_two: اثنان\nspeakers_few: قليل\n\
         speakers_many: كثير\nspeakers_other: آخر\n",
    );
    let out = built(&site);
    let headings = texts(&out, "ar/programme/index.html", ".speakers h4");
    assert_eq!(
        headings,
        ["واحد", "اثنان", "قليل", "قليل", "كثير", "كثير", "آخر"]
    );
    // English has two forms, from the theme's `speaker` and `speakers`; French counts as
    // French does, and Arabic without the site's forms falls back to the theme's.
    let english = texts(&out, "en/programme/index.html", ".speakers h4");
    assert_eq!(english[..2], ["Speaker", "Speakers"]);
    site.remove("content/i18n/ar.yaml");
    let theme = texts(&built(&site), "ar-EG/programme/index.html", ".speakers h4");
    assert_eq!(theme[..3], ["متحدث", "متحدثان", "المتحدثون"]);
}

#[test]
fn role_labels_agree_with_a_speaker_s_gender_and_are_neutral_without_one() {
    let site = Site::copy_of("locales");
    let out = built(&site);
    let role = |lang: &str, id: &str| {
        texts(
            &out,
            &format!("{lang}/speakers/{id}/index.html"),
            ".role-label",
        )
    };
    // Nadia says `gender: female` in every file, Omar `gender: male` in one, Sam nothing.
    assert_eq!(
        role("fr", "nadia-fictive"),
        ["Modératrice", "Intervenante", "Intervenante"]
    );
    assert_eq!(role("fr", "omar-fictif"), ["Intervenant", "Intervenant"]);
    assert_eq!(
        role("fr", "sam-fictional"),
        ["Intervenant·e", "Modérateur·rice", "Intervenant·e"]
    );
    assert_eq!(role("ar", "nadia-fictive")[1], "متحدثة");
    assert_eq!(role("ar", "leila-fictive"), ["متحدثة"]);
    assert_eq!(role("ar", "omar-fictif"), ["متحدث", "متحدث"]);
    assert_eq!(role("en", "nadia-fictive")[1], "Speaker");
    // A session's headings agree with the gender its people share, if they share one.
    let headings = texts(&out, "fr/programme/index.html", ".people h4");
    assert_eq!(
        headings,
        [
            "Modératrice",
            "Intervenants",
            "Intervenantes",
            "Modérateur·rice",
            "Intervenants"
        ]
    );
    let arabic = texts(&out, "ar/programme/index.html", ".people h4");
    assert_eq!(
        arabic,
        [
            "مديرة الجلسة",
            "المتحدثون",
            "متحدثتان",
            "مدير الجلسة",
            "متحدثان"
        ]
    );
}

#[test]
fn a_speaker_whose_files_disagree_on_gender_is_refused_at_the_line() {
    let site = Site::copy_of("locales");
    site.edit(
        "content/speakers/nadia-fictive.fr.md",
        "gender: female",
        "gender: male",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("nadia-fictive.")
            && run.stderr.contains(".md:3:9")
            && run.stderr.contains("differs from"),
        "{}",
        run.stderr
    );
}
