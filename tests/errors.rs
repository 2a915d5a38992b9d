//! Each rule of the content model, broken once: the build names the file, the line and what
//! is wrong, exits 1, and leaves the last good output byte for byte as it was.

mod common;

use common::{majlis, Site};

/// Builds `site` once (good), lets `break_it` edit it, builds again and checks the failure.
fn assert_rejected(site: &Site, expected_place: &str, expected_message: &str) {
    let run = site.build();
    assert_eq!(run.code, 1, "the build should fail:\n{}", run.stderr);
    assert!(
        run.stderr.contains(expected_place),
        "expected {expected_place:?} in:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(expected_message),
        "expected {expected_message:?} in:\n{}",
        run.stderr
    );
}

/// A minimal site built once, so that a later failure can be checked against its output.
fn built_minimal() -> (Site, Vec<(String, Vec<u8>)>) {
    let site = Site::copy_of("minimal");
    let before = site.built().snapshot();
    (site, before)
}

fn assert_output_untouched(site: &Site, before: &[(String, Vec<u8>)]) {
    let after = common::Published::at(site.out()).snapshot();
    assert!(after == before, "a failed build changed the output");
}

macro_rules! rule {
    ($name:ident, $file:expr, $from:expr, $to:expr, $place:expr, $message:expr) => {
        #[test]
        fn $name() {
            let (site, before) = built_minimal();
            site.edit($file, $from, $to);
            assert_rejected(&site, $place, $message);
            assert_output_untouched(&site, &before);
        }
    };
}

rule!(
    unknown_speaker_in_programme_names_its_line,
    "content/programme.yaml",
    "speakers: [jane-placeholder]\n      - id: talk",
    "speakers: [jane-placeholder, john-nobody]\n      - id: talk",
    "content/programme.yaml:9:38",
    "`john-nobody` is not one of the site's speakers"
);

rule!(
    unknown_moderator_names_its_line,
    "content/programme.yaml",
    "        title: Welcome\n",
    "        title: Welcome\n        moderators:\n          - ghost-moderator\n",
    "content/programme.yaml:10:13",
    "`ghost-moderator` is not one of the site's speakers"
);

rule!(
    end_not_after_start_names_the_end,
    "content/programme.yaml",
    "end: \"09:30\"",
    "end: \"08:30\"",
    "content/programme.yaml:6:14",
    "not after its start"
);

rule!(
    day_outside_the_event_names_the_date,
    "content/programme.yaml",
    "date: 2026-06-01",
    "date: 2026-06-03",
    "content/programme.yaml:2:11",
    "outside the event's dates"
);

rule!(
    duplicate_session_id_names_the_second_one,
    "content/programme.yaml",
    "id: talk",
    "id: welcome",
    "content/programme.yaml:10:13",
    "already used at content/programme.yaml:4:13"
);

rule!(
    id_that_is_not_url_safe_is_refused,
    "content/programme.yaml",
    "id: talk",
    "id: \"talk/../../x\"",
    "content/programme.yaml:10:13",
    "cannot be part of an address"
);

rule!(
    overlapping_sessions_in_one_location_are_refused,
    "content/programme.yaml",
    "start: \"10:00\"",
    "start: \"09:15\"",
    "content/programme.yaml:11:16",
    "overlaps session `welcome`"
);

rule!(
    unknown_time_zone_names_its_line,
    "content/event.yaml",
    "timezone: UTC",
    "timezone: Mars/Olympus_Mons",
    "content/event.yaml:2:11",
    "not a known time zone"
);

rule!(
    default_language_not_in_the_list_is_refused,
    "site-config.yaml",
    "default_language: en",
    "default_language: de",
    "site-config.yaml:2:19",
    "not one of the site's languages"
);

rule!(
    unknown_session_kind_names_its_line,
    "content/programme.yaml",
    "kind: session",
    "kind: keynote-speech",
    "content/programme.yaml:13:15",
    "`keynote-speech` is not a session kind"
);

rule!(
    yaml_syntax_error_names_its_line,
    "content/programme.yaml",
    "kind: ceremony",
    "kind: ceremony: opening",
    "content/programme.yaml:7:",
    "help: put the value between double quotes: `kind: \"ceremony: opening\"`"
);

rule!(
    yaml_type_error_names_the_value,
    "content/programme.yaml",
    "speakers: [jane-placeholder]\n      - id: talk",
    "speakers: {a: b}\n      - id: talk",
    "content/programme.yaml:9:19",
    "`speakers` must be a list, not several `key: value` lines"
);

rule!(
    unknown_key_in_programme_suggests_the_right_one,
    "content/programme.yaml",
    "end: \"11:00\"",
    "ned: \"11:00\"",
    "content/programme.yaml:12:9",
    "unknown key `ned`"
);

rule!(
    unknown_key_in_event_is_refused,
    "content/event.yaml",
    "timezone: UTC",
    "timezone: UTC\nvenu: Somewhere",
    "content/event.yaml:3:1",
    "unknown key `venu`"
);

rule!(
    unknown_key_in_site_config_is_refused,
    "site-config.yaml",
    "default_language: en",
    "default_language: en\nminfy: true",
    "site-config.yaml:3:1",
    "unknown key `minfy`"
);

rule!(
    front_matter_not_closed_names_the_markdown_file,
    "content/speakers/jane-placeholder.en.md",
    "organisation: Nowhere Institute\n---",
    "organisation: Nowhere Institute\n",
    "content/speakers/jane-placeholder.en.md:1:1",
    "never closed"
);

rule!(
    front_matter_error_names_the_line_in_the_markdown_file,
    "content/speakers/jane-placeholder.en.md",
    "role: Example Speaker",
    "role: Example: Speaker",
    "content/speakers/jane-placeholder.en.md:3:",
    "a value with `: ` in it must be in quotes"
);

#[test]
fn front_matter_type_error_is_at_the_file_line() {
    let (site, before) = built_minimal();
    site.edit(
        "content/speakers/jane-placeholder.en.md",
        "role: Example Speaker",
        "role:\n  - Example Speaker",
    );
    assert_rejected(
        &site,
        "content/speakers/jane-placeholder.en.md:4:3",
        "`role` must be a text, not a list",
    );
    assert_output_untouched(&site, &before);
}

#[test]
fn invalid_utf8_names_the_file_and_line() {
    let (site, before) = built_minimal();
    site.write(
        "content/speakers/jane-placeholder.en.md",
        b"---\nname: Jane\nrole: caf\xe9\n---\n",
    );
    assert_rejected(
        &site,
        "content/speakers/jane-placeholder.en.md:3:10",
        "not valid UTF-8",
    );
    assert_output_untouched(&site, &before);
}

#[test]
fn every_error_of_a_run_is_reported_at_once() {
    let (site, before) = built_minimal();
    site.edit("content/programme.yaml", "end: \"09:30\"", "end: \"08:30\"");
    site.edit("content/programme.yaml", "kind: session", "kind: nap");
    site.edit(
        "content/event.yaml",
        "timezone: UTC",
        "timezone: Nowhere/City",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    for expected in [
        "content/programme.yaml:6:14",
        "content/programme.yaml:13:15",
        "content/event.yaml:2:11",
    ] {
        assert!(
            run.stderr.contains(expected),
            "{expected} missing in:\n{}",
            run.stderr
        );
    }
    assert_output_untouched(&site, &before);
}

#[test]
fn check_reports_the_same_errors_and_writes_nothing() {
    let site = Site::copy_of("minimal");
    site.edit("content/programme.yaml", "kind: session", "kind: nap");
    let run = majlis(&site.root(), &["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content/programme.yaml:13:15"),
        "{}",
        run.stderr
    );
    assert!(!site.root().join("public").exists());
    assert!(!site.out().exists());
}

#[test]
fn output_that_is_the_site_inside_content_or_an_ancestor_is_refused() {
    let site = Site::copy_of("minimal");
    let root = site.root();
    for output in [
        root.clone(),
        root.join("content"),
        root.join("content/public"),
        root.parent().unwrap().to_path_buf(),
    ] {
        let run = majlis(&root, &["build", "--output", output.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{} was accepted", output.display());
        assert!(run.stderr.contains("output folder"), "{}", run.stderr);
    }
    assert!(root.join("content/programme.yaml").is_file());
    assert!(!root.join("content/public").exists());
}

/// Cases that replace a whole file of the minimal site.
macro_rules! bad_file {
    ($name:ident, $file:expr, $content:expr, $place:expr, $message:expr) => {
        #[test]
        fn $name() {
            let (site, before) = built_minimal();
            site.write($file, $content);
            assert_rejected(&site, $place, $message);
            assert_output_untouched(&site, &before);
        }
    };
}

rule!(
    a_string_where_a_list_is_expected_is_a_type_error,
    "content/programme.yaml",
    "speakers: [jane-placeholder]\n      - id: talk",
    "speakers: jane-placeholder\n      - id: talk",
    "content/programme.yaml:9:19",
    "`speakers` must be a list, not the text \"jane-placeholder\""
);

bad_file!(
    an_empty_programme_is_refused,
    "content/programme.yaml",
    "",
    "content/programme.yaml:1:1",
    "the file is empty"
);

bad_file!(
    an_empty_event_file_is_refused,
    "content/event.yaml",
    "\n\n",
    "content/event.yaml:1:1",
    "the file is empty"
);

bad_file!(
    a_key_given_twice_names_its_second_place,
    "content/event.yaml",
    "name: A\ntimezone: UTC\nstart_date: 2026-06-01\nname: B\nend_date: 2026-06-01\n",
    "content/event.yaml:4:1",
    "the key `name` is given a second time here"
);

rule!(
    a_language_given_twice_in_a_text_is_refused,
    "content/programme.yaml",
    "title: Welcome",
    "title: {en: Welcome, en: Hello}",
    "content/programme.yaml:8:30",
    "the key `en` is given a second time here"
);

rule!(
    hour_25_is_not_a_time,
    "content/programme.yaml",
    "start: \"10:00\"",
    "start: \"25:00\"",
    "content/programme.yaml:11:16",
    "`25:00` is not a time"
);

rule!(
    minute_61_is_not_a_time,
    "content/programme.yaml",
    "end: \"11:00\"",
    "end: \"10:61\"",
    "content/programme.yaml:12:14",
    "`10:61` is not a time"
);

rule!(
    an_unquoted_number_is_not_a_time,
    "content/programme.yaml",
    "start: \"10:00\"",
    "start: 1000",
    "content/programme.yaml:11:16",
    "`1000` is not a time"
);

rule!(
    an_event_ending_before_it_starts_is_refused,
    "content/event.yaml",
    "end_date: 2026-06-01",
    "end_date: 2026-05-30",
    "content/event.yaml:4:11",
    "before it starts"
);

rule!(
    month_13_is_not_a_date,
    "content/event.yaml",
    "start_date: 2026-06-01",
    "start_date: 2026-13-01",
    "content/event.yaml:3:13",
    "not a date"
);

rule!(
    a_day_given_twice_is_refused,
    "content/programme.yaml",
    "      - id: talk\n",
    "  - date: 2026-06-01\n    sessions:\n      - id: talk\n",
    "content/programme.yaml:10:11",
    "appears twice"
);

rule!(
    a_session_without_a_title_is_refused,
    "content/programme.yaml",
    "        title: Welcome\n",
    "",
    "content/programme.yaml:4:9",
    "has no `title`, which it must have"
);

rule!(
    a_language_listed_twice_is_refused,
    "site-config.yaml",
    "    name: English\n",
    "    name: English\n  - code: en\n    name: Again\n",
    "site-config.yaml:6:11",
    "listed twice"
);

rule!(
    a_language_code_that_is_not_bcp47_is_refused,
    "site-config.yaml",
    "    name: English\n",
    "    name: English\n  - code: \"not a code!\"\n    name: X\n",
    "site-config.yaml:6:11",
    "is not a language code"
);

rule!(
    a_locale_that_is_not_bcp47_is_refused_with_examples,
    "site-config.yaml",
    "    name: English\n",
    "    name: English\n    locale: en_GB\n",
    "site-config.yaml:6:13",
    "`en_GB` is not a locale: a BCP 47 tag such as en-GB, fr-CA or ar-MA-u-hc-h23"
);

rule!(
    a_locale_s_fix_names_the_forms_it_chooses,
    "site-config.yaml",
    "    name: English\n",
    "    name: English\n    locale: \"gb-!\"\n",
    "site-config.yaml:6:13",
    "locale: ar-MA-u-hc-h23 (24-hour times)"
);

rule!(
    a_gender_other_than_female_or_male_is_refused,
    "content/speakers/jane-placeholder.en.md",
    "name: Jane Placeholder\n",
    "name: Jane Placeholder\ngender: femme\n",
    "content/speakers/jane-placeholder.en.md:3:9",
    "write `gender: female` or `gender: male`, or leave it out"
);

rule!(
    a_base_url_that_is_not_absolute_is_refused,
    "site-config.yaml",
    "base_url: http://localhost:8000/",
    "base_url: localhost/site",
    "site-config.yaml:1:11",
    "is not a full web address starting with https://"
);

rule!(
    an_unknown_theme_is_refused,
    "site-config.yaml",
    "default_language: en",
    "default_language: en\ntheme: fancy",
    "site-config.yaml",
    "the theme `fancy` has no folder"
);

bad_file!(
    a_page_slug_with_dot_dot_is_refused,
    "content/pages/info.en.md",
    "---\ntitle: Info\nslug: ../../outside\n---\nText\n",
    "content/pages/info.en.md:3:7",
    "cannot be part of an address"
);

bad_file!(
    a_page_slug_with_a_slash_is_refused,
    "content/pages/info.en.md",
    "---\ntitle: Info\nslug: a/b\n---\nText\n",
    "content/pages/info.en.md:3:7",
    "cannot be part of an address"
);

bad_file!(
    a_page_slug_taken_by_the_programme_is_refused,
    "content/pages/info.en.md",
    "---\ntitle: Info\nslug: programme\n---\nText\n",
    "content/pages/info.en.md:3:7",
    "already used by the site's own programme page"
);

bad_file!(
    a_page_without_front_matter_is_refused,
    "content/pages/info.en.md",
    "# Info\n\nText\n",
    "content/pages/info.en.md:1:1",
    "has no front matter"
);

bad_file!(
    a_page_without_a_title_is_refused,
    "content/pages/info.en.md",
    "---\nmenu: 1\n---\nText\n",
    "content/pages/info.en.md:2:1",
    "has no `title`, which it must have"
);

bad_file!(
    a_speaker_without_a_name_is_refused,
    "content/speakers/jane-placeholder.en.md",
    "---\nrole: Example Speaker\n---\n",
    "content/speakers/jane-placeholder.en.md:2:1",
    "has no `name`, which it must have"
);

bad_file!(
    a_speaker_with_an_empty_name_is_refused,
    "content/speakers/jane-placeholder.en.md",
    "---\nname: \"  \"\nrole: Example Speaker\n---\n",
    "content/speakers/jane-placeholder.en.md:2:7",
    "`name` is empty"
);

bad_file!(
    a_speaker_file_name_that_is_not_url_safe_is_refused,
    "content/speakers/Jane Doe.en.md",
    "---\nname: Jane Doe\n---\n",
    "content/speakers/Jane Doe.en.md",
    "cannot be part of an address"
);

bad_file!(
    a_speaker_written_twice_for_one_language_is_refused,
    "content/speakers/jane-placeholder.md",
    "---\nname: Jane\n---\n",
    "content/speakers/jane-placeholder.md",
    "already used at content/speakers/jane-placeholder.en.md"
);

bad_file!(
    invalid_utf8_in_the_programme_names_its_line,
    "content/programme.yaml",
    b"days:\n  - date: 2026-06-01\n    sessions: [\xff]\n".as_slice(),
    "content/programme.yaml:3:16",
    "not valid UTF-8"
);

bad_file!(
    an_interface_string_that_is_not_text_is_refused,
    "content/i18n/en.yaml",
    "programme:\n  - a list\n",
    "content/i18n/en.yaml:2:3",
    "`programme` must be a text, not a list"
);

bad_file!(
    a_broken_theme_template_names_the_template_and_line,
    "themes/default/templates/page.html",
    "{% extends \"base.html\" %}\n{% block main %}\n{{ title.text \n{% endblock %}\n",
    "themes/default/templates/page.html:4:1",
    "Failed to parse 'page.html'"
);

#[test]
fn a_template_error_met_while_rendering_leaves_no_half_written_output_anywhere() {
    let (site, before) = built_minimal();
    site.write(
        "themes/default/templates/speaker.html",
        "{% extends \"base.html\" %}\n{% block main %}{{ speaker.no_such_field }}{% endblock %}\n",
    );
    assert_rejected(
        &site,
        "themes/default/templates/speaker.html",
        "no_such_field",
    );
    assert_output_untouched(&site, &before);
    // Pages are written as they are rendered, into a folder beside the output: a failed
    // build removes it.
    let beside: Vec<String> = std::fs::read_dir(site.out().parent().unwrap())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("majlis"))
        .collect();
    assert!(beside.is_empty(), "left beside the output: {beside:?}");
}

#[test]
fn a_symlink_loop_inside_content_is_reported_without_hanging() {
    let (site, before) = built_minimal();
    std::fs::create_dir_all(site.root().join("content/static/a")).unwrap();
    std::os::unix::fs::symlink("..", site.root().join("content/static/a/loop")).unwrap();
    std::os::unix::fs::symlink("..", site.root().join("content/pages-loop")).unwrap();
    std::os::unix::fs::symlink(".", site.root().join("content/speakers/loop")).unwrap();
    let started = std::time::Instant::now();
    assert_rejected(&site, "content/static/a/loop", "loop");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_output_untouched(&site, &before);
}

#[test]
fn a_file_for_a_language_the_site_lacks_is_a_warning_and_the_build_goes_on() {
    let site = Site::copy_of("minimal");
    site.write(
        "content/speakers/jane-placeholder.de.md",
        "---\nname: Jane\n---\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/speakers/jane-placeholder.de.md: warning"),
        "{}",
        run.stderr
    );
}

rule!(
    a_mistyped_year_that_makes_the_event_centuries_long_is_refused,
    "content/event.yaml",
    "start_date: 2026-06-01",
    "start_date: 0506-06-01",
    "content/event.yaml:3:13",
    "events of more than a year are not supported"
);

#[test]
fn a_speaker_listed_twice_in_a_session_is_a_warning_and_shown_once() {
    let site = Site::copy_of("multilingual");
    site.edit(
        "content/programme.yaml",
        "speakers: [karim-haddad, lucie-moreau]",
        "speakers: [karim-haddad, lucie-moreau, karim-haddad]",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/programme.yaml:29:")
            && run.stderr.contains("`karim-haddad` is listed twice"),
        "{}",
        run.stderr
    );
    let built = common::Published::at(site.out());
    let programme = built.page("en/programme/index.html");
    let names = programme.select("#opening .speakers li");
    assert_eq!(names.len(), 2);
}

/// A fixture built once, then edited with every `(file, from, to)` of `edits`: the build
/// fails naming `place` and `message`, and leaves the first output as it was. The whole
/// error output is returned for more checks.
fn rejected_after(
    fixture: &str,
    edits: &[(&str, &str, &str)],
    place: &str,
    message: &str,
) -> String {
    let site = Site::copy_of(fixture);
    let before = site.built().snapshot();
    for (file, from, to) in edits {
        site.edit(file, from, to);
    }
    let run = site.build();
    assert_rejected(&site, place, message);
    assert_output_untouched(&site, &before);
    run.stderr
}

// A YAML syntax error is reported at its own line, before or instead of what follows from it.

#[test]
fn a_key_without_its_colon_is_reported_once_at_its_own_line_with_the_fix() {
    // Issue 16: a missing `:` after `end` on line 12 was reported at line 13, in the parser's
    // words, with the place twice and no help.
    let stderr = rejected_after(
        "minimal",
        &[("content/programme.yaml", "end: \"11:00\"", "end \"11:00\"")],
        "error: content/programme.yaml:12:12: a `:` is missing after `end`\n",
        "  = help: write `end: \"11:00\"`: a key and its value are separated by `: `\n",
    );
    assert_eq!(stderr.matches(":12:").count(), 1, "{stderr}");
    assert!(!stderr.contains("line 1"), "{stderr}");
    assert!(stderr.contains("12 |         end \"11:00\"\n"), "{stderr}");
}

#[test]
fn an_unknown_speaker_close_to_a_known_one_is_suggested_and_another_gets_its_file_to_create() {
    rejected_after(
        "minimal",
        &[(
            "content/programme.yaml",
            "speakers: [jane-placeholder]\n      - id: talk",
            "speakers: [jane-placeholdr]\n      - id: talk",
        )],
        "content/programme.yaml:9:20: `jane-placeholdr` is not one of the site's speakers",
        "  = help: did you mean `jane-placeholder`?\n",
    );
    rejected_after(
        "minimal",
        &[(
            "content/programme.yaml",
            "speakers: [jane-placeholder]\n      - id: talk",
            "speakers: [karim-benalli]\n      - id: talk",
        )],
        "content/programme.yaml:9:20: `karim-benalli` is not one of the site's speakers",
        "  = help: check the spelling, or add the speaker by creating \
         content/speakers/karim-benalli.en.md\n",
    );
}

#[test]
fn a_misindented_line_is_a_syntax_error_at_its_line_not_a_missing_field() {
    let stderr = rejected_after(
        "minimal",
        &[(
            "content/programme.yaml",
            "        title: Welcome\n",
            "       title: Welcome\n",
        )],
        "content/programme.yaml:8:",
        "this line is not lined up with the lines around it",
    );
    assert!(!stderr.contains("has no `title`"), "{stderr}");
}

#[test]
fn a_colon_inside_a_value_of_the_event_is_a_syntax_error_at_its_line() {
    let stderr = rejected_after(
        "minimal",
        &[(
            "content/event.yaml",
            "timezone: UTC",
            "timezone: Europe: Paris",
        )],
        "content/event.yaml:2:17",
        "a value with `: ` in it must be in quotes",
    );
    assert!(!stderr.contains("must be a text"), "{stderr}");
}

#[test]
fn a_misindented_key_in_front_matter_is_a_syntax_error_at_the_file_line() {
    rejected_after(
        "minimal",
        &[(
            "content/speakers/jane-placeholder.en.md",
            "role: Example Speaker",
            "role: Example Speaker\n  - organisation: Elsewhere",
        )],
        "content/speakers/jane-placeholder.en.md:4:",
        "this line is not lined up with the lines around it",
    );
}

// Input that costs too much is refused at the place a limit is passed, at once.

#[test]
fn brackets_nested_100000_deep_are_refused_at_the_level_past_the_limit() {
    let (site, before) = built_minimal();
    site.write(
        "content/programme.yaml",
        format!("days:\n  - {}", "[".repeat(100_000)),
    );
    let started = std::time::Instant::now();
    assert_rejected(
        &site,
        "content/programme.yaml:2:",
        "lists and brackets are nested more than 64 levels deep here",
    );
    // Not a benchmark: only far from the minute it once took (the benchmark times it).
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_output_untouched(&site, &before);
}

#[test]
fn a_key_given_twice_after_80000_others_names_its_line() {
    let (site, before) = built_minimal();
    let mut strings: String = (0..80_000).map(|i| format!("key{i}: text\n")).collect();
    strings.push_str("key7: again\n");
    site.write("content/i18n/en.yaml", strings);
    assert_rejected(
        &site,
        "content/i18n/en.yaml:80001:1",
        "the key `key7` is given a second time here",
    );
    assert_output_untouched(&site, &before);
}

#[test]
fn a_yaml_file_over_64_mib_is_refused_at_the_line_past_the_limit() {
    let (site, before) = built_minimal();
    // 1 KiB lines of a comment: the limit is passed on line 65,537.
    let line = format!("#{}\n", "x".repeat(1022));
    site.write("content/i18n/en.yaml", line.repeat(65 * 1024));
    assert_rejected(&site, "content/i18n/en.yaml:65537:1", "larger than 64 MiB");
    assert_output_untouched(&site, &before);
}

// Names too long, or that differ only in case, are refused where they are written.

rule!(
    a_session_id_over_100_characters_is_refused_at_its_line,
    "content/programme.yaml",
    "id: talk",
    &format!("id: {}", "t".repeat(101)),
    "content/programme.yaml:10:13",
    "is 101 characters long; an id or URL segment has at most 100"
);

rule!(
    session_ids_that_differ_only_in_case_are_refused,
    "content/programme.yaml",
    "id: talk",
    "id: Welcome",
    "content/programme.yaml:10:13",
    "`Welcome` differs from `welcome` (content/programme.yaml:4:13) only in case"
);

bad_file!(
    speaker_files_that_differ_only_in_case_are_refused,
    "content/speakers/Jane-Placeholder.en.md",
    "---\nname: Jane\n---\n",
    "content/speakers/jane-placeholder.en.md: ",
    "`jane-placeholder` differs from `Jane-Placeholder` (content/speakers/Jane-Placeholder.en.md) only in case"
);

bad_file!(
    a_speaker_file_name_over_100_characters_is_refused,
    &format!("content/speakers/{}.en.md", "j".repeat(120)),
    "---\nname: Jane\n---\n",
    &format!("content/speakers/{}.en.md", "j".repeat(120)),
    "is 120 characters long"
);

#[test]
fn page_slugs_that_differ_only_in_case_are_refused_at_the_slug() {
    let (site, before) = built_minimal();
    site.write(
        "content/pages/info.en.md",
        "---\ntitle: Info\nslug: Venue\n---\n",
    );
    site.write("content/pages/venue.en.md", "---\ntitle: Venue\n---\n");
    assert_rejected(
        &site,
        "content/pages/venue.en.md: ",
        "`venue` differs from `Venue` (content/pages/info.en.md:3:7) only in case",
    );
    assert_output_untouched(&site, &before);
}

bad_file!(
    a_page_slug_of_the_agenda_the_site_publishes_is_refused_in_any_case,
    "content/pages/info.en.md",
    "---\ntitle: Info\nslug: Agenda\n---\nText\n",
    "content/pages/info.en.md:3:7",
    "`Agenda` is already used by the site's own agenda page"
);

bad_file!(
    a_page_called_search_is_refused_at_its_file,
    "content/pages/search.en.md",
    "---\ntitle: Search\n---\n",
    "content/pages/search.en.md: ",
    "the site's own search page"
);

bad_file!(
    a_page_slug_of_the_manifest_is_refused,
    "content/pages/info.en.md",
    "---\ntitle: Info\nslug: manifest.webmanifest\n---\n",
    "content/pages/info.en.md:3:7",
    "cannot be part of an address"
);

#[test]
fn a_page_called_sessions_is_reported_against_its_own_file_in_every_language() {
    let site = Site::copy_of("multilingual");
    let before = site.built().snapshot();
    site.write(
        "content/pages/sessions.en.md",
        "---\ntitle: Sessions\n---\n",
    );
    let run = site.build();
    assert_rejected(
        &site,
        "error: content/pages/sessions.en.md: the URL segment `sessions` is already used by the \
         site's own sessions page",
        "sessions",
    );
    for missing in ["fr", "ar", "tr"] {
        let file = format!("sessions.{missing}.md: the URL");
        assert!(!run.stderr.contains(&file), "{}", run.stderr);
    }
    assert_output_untouched(&site, &before);
}

rule!(
    language_codes_that_differ_only_in_case_are_refused,
    "site-config.yaml",
    "    name: English\n",
    "    name: English\n  - code: EN\n    name: Again\n",
    "site-config.yaml:6:11",
    "the language `EN` is listed twice"
);

// Times that do not exist, or exist twice.

#[test]
fn a_session_at_a_time_the_clocks_skip_is_refused_saying_which_times_exist() {
    let stderr = rejected_after(
        "multilingual",
        &[(
            "content/programme.yaml",
            "      - id: keynote\n        start: \"09:00\"",
            "      - id: keynote\n        start: \"02:30\"",
        )],
        "content/programme.yaml:62:16",
        "02:30 does not exist on 2025-03-30 in Europe/Paris: the clocks go forward from 02:00 \
         to 03:00; the times before 02:00 and from 03:00 on exist",
    );
    assert!(
        stderr.contains("before 02:00, or 03:00 or later"),
        "{stderr}"
    );
}

#[test]
fn a_session_at_a_time_the_clocks_show_twice_is_a_warning_and_the_first_is_published() {
    let site = Site::copy_of("multilingual");
    site.edit(
        "content/event.yaml",
        "start_date: 2025-03-29\nend_date: 2025-03-30",
        "start_date: 2025-10-25\nend_date: 2025-10-26",
    );
    site.edit(
        "content/programme.yaml",
        "date: 2025-03-29",
        "date: 2025-10-25",
    );
    site.edit(
        "content/programme.yaml",
        "date: 2025-03-30",
        "date: 2025-10-26",
    );
    site.edit(
        "content/programme.yaml",
        "      - id: keynote\n        start: \"09:00\"",
        "      - id: keynote\n        start: \"02:30\"",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/programme.yaml:62:16: warning: 02:30 happens twice on 2025-10-26 in \
             Europe/Paris, at UTC+02:00 and again at UTC+01:00 once the clocks go back; the \
             first, at UTC+02:00, is meant"
        ),
        "{}",
        run.stderr
    );
    let built = common::Published::at(site.out());
    let programme = built.page("en/programme/index.html");
    let times: Vec<String> = programme
        .select("#keynote time[datetime]")
        .iter()
        .filter_map(|t| t.value().attr("datetime").map(str::to_string))
        .collect();
    assert!(
        times.iter().any(|t| t == "2025-10-26T02:30:00+02:00"),
        "{times:?}"
    );
}

// Control characters: reported at their real place, never printed raw to the terminal.

#[test]
fn a_nul_in_yaml_names_its_line_and_column_and_is_shown_escaped() {
    let (site, before) = built_minimal();
    site.edit(
        "content/programme.yaml",
        "title: Welcome",
        "title: Wel\0come",
    );
    assert_rejected(
        &site,
        "content/programme.yaml:8:19",
        "an invisible character (U+0000) is here, which YAML does not allow",
    );
    let run = site.build();
    assert!(
        run.stderr.contains("title: Wel<U+0000>come"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains('\0'), "{}", run.stderr);
    assert_output_untouched(&site, &before);
}

#[test]
fn escape_bytes_in_a_file_name_and_its_line_never_reach_the_terminal() {
    let (site, before) = built_minimal();
    site.write(
        "content/speakers/x\u{1b}[2J.en.md",
        "---\nname: \"\u{1b}]0;owned\u{7}\"\n---\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
    assert!(!run.stderr.contains('\u{7}'), "{:?}", run.stderr);
    assert!(
        run.stderr.contains("content/speakers/x<U+001B>[2J.en.md"),
        "{}",
        run.stderr
    );
    assert_output_untouched(&site, &before);
}

#[test]
fn a_nul_in_markdown_becomes_the_replacement_character_on_the_page() {
    let site = Site::copy_of("minimal");
    site.write(
        "content/speakers/jane-placeholder.en.md",
        "---\nname: Jane Placeholder\n---\nBio\0graphy\n",
    );
    let built = site.built();
    let page = built.page("en/speakers/jane-placeholder/index.html");
    let text: String = page.select("main").iter().flat_map(|e| e.text()).collect();
    assert!(text.contains("Bio\u{fffd}graphy"), "{text}");
    for (path, bytes) in built.snapshot() {
        let text = path.ends_with(".html") || path.ends_with(".ics") || path.ends_with(".json");
        assert!(!text || !bytes.contains(&0), "a NUL in {path}");
    }
}

// Errors name a file that exists, at the line of the value.

#[test]
fn an_output_dir_refused_is_reported_at_its_line_of_site_config() {
    let site = Site::copy_of("minimal");
    let root = site.root();
    let run = majlis(&root, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = common::Published::at(root.join("public")).snapshot();
    site.edit(
        "site-config.yaml",
        "default_language: en",
        "default_language: en\noutput_dir: content",
    );
    let run = majlis(&root, &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: site-config.yaml:3:13: the output folder"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("--output"), "{}", run.stderr);
    assert!(common::Published::at(root.join("public")).snapshot() == before);
}

#[test]
fn block_nesting_past_64_levels_is_refused_at_the_level_past_the_limit() {
    let (site, before) = built_minimal();
    let deep: String = (0..100)
        .map(|i| format!("{}- \n", "  ".repeat(i)))
        .collect();
    site.write("content/programme.yaml", format!("days:\n{deep}"));
    // `days` is a mapping (1), each `-` a list inside the last: the 64th list is on line 65.
    assert_rejected(
        &site,
        "content/programme.yaml:65:",
        "lists and brackets are nested more than 64 levels deep here",
    );
    assert_output_untouched(&site, &before);
}

/// The minimal fixture with organisers (`entries`, YAML list items) added to its event.
fn with_organisers(entries: &str) -> (Site, Vec<(String, Vec<u8>)>) {
    let (site, before) = built_minimal();
    site.edit(
        "content/event.yaml",
        "end_date: 2026-06-01\n",
        &format!("end_date: 2026-06-01\norganisers:\n{entries}"),
    );
    (site, before)
}

#[test]
fn an_organiser_id_that_is_a_speaker_id_is_an_error_at_its_line_with_the_fix() {
    let (site, before) = with_organisers("  - id: jane-placeholder\n    name: Org\n");
    assert_rejected(
        &site,
        "content/event.yaml:6:9",
        "the organiser's id `jane-placeholder` is already the speaker `jane-placeholder` \
         (content/speakers/jane-placeholder.en.md): organisers and speakers share one set of ids",
    );
    let run = site.build();
    assert!(
        run.stderr.contains(
            "help: give the organiser another `id` (and use it in content/programme.yaml)"
        ),
        "{}",
        run.stderr
    );
    assert_output_untouched(&site, &before);
}

#[test]
fn an_organiser_id_that_differs_from_a_speaker_id_only_in_case_is_refused_too() {
    let (site, before) = with_organisers("  - id: Jane-Placeholder\n    name: Org\n");
    assert_rejected(
        &site,
        "content/event.yaml:6:9",
        "is already the speaker `jane-placeholder`",
    );
    assert_output_untouched(&site, &before);
}

#[test]
fn two_organisers_with_one_id_or_an_id_not_url_safe_are_errors_at_their_lines() {
    let (site, before) = with_organisers(
        "  - id: org\n    name: One\n  - id: org\n    name: Two\n  - id: \"a/b\"\n    name: Three\n",
    );
    assert_rejected(
        &site,
        "content/event.yaml:8:9",
        "the id `org` is already used at content/event.yaml:6:9",
    );
    assert_rejected(
        &site,
        "content/event.yaml:10:9",
        "`a/b` cannot be part of an address",
    );
    assert_output_untouched(&site, &before);
}

#[test]
fn an_unknown_moderator_id_suggests_the_organisers_ids() {
    let (site, before) = with_organisers(
        "  - id: secretariat\n    name: The Secretariat\n  - id: host\n    name: The Host\n",
    );
    site.edit(
        "content/programme.yaml",
        "        title: Welcome\n",
        "        title: Welcome\n        moderators: [secretariats, nobody-at-all]\n",
    );
    assert_rejected(
        &site,
        "content/programme.yaml:9:22",
        "`secretariats` is not one of the site's speakers or organisers",
    );
    let run = site.build();
    assert!(
        run.stderr.contains("help: did you mean `secretariat`?"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "help: check the spelling, or add the speaker by creating \
             content/speakers/nobody-at-all.en.md, or give an organiser of content/event.yaml \
             `id: nobody-at-all`; the organisers' ids are: host, secretariat"
        ),
        "{}",
        run.stderr
    );
    assert_output_untouched(&site, &before);
}

#[test]
fn a_session_may_name_an_organiser_as_moderator_and_as_speaker() {
    let (site, _) = with_organisers("  - id: secretariat\n    name: The Secretariat\n");
    site.edit(
        "content/programme.yaml",
        "        speakers: [jane-placeholder]\n      - id: talk",
        "        moderators: [secretariat]\n        speakers: [jane-placeholder, secretariat]\n      - id: talk",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
}
