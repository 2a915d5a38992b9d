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
    "no speaker `john-nobody`"
);

rule!(
    unknown_moderator_names_its_line,
    "content/programme.yaml",
    "        title: Welcome\n",
    "        title: Welcome\n        moderators:\n          - ghost-moderator\n",
    "content/programme.yaml:10:13",
    "no speaker `ghost-moderator`"
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
    "not a URL-safe id"
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
    "mapping values are not allowed"
);

rule!(
    yaml_type_error_names_the_value,
    "content/programme.yaml",
    "speakers: [jane-placeholder]\n      - id: talk",
    "speakers: {a: b}\n      - id: talk",
    "content/programme.yaml:9:19",
    "invalid type"
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
    "mapping values are not allowed"
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
        "invalid type",
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
    "invalid type: string"
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
    "the key `name` is given twice"
);

rule!(
    a_language_given_twice_in_a_text_is_refused,
    "content/programme.yaml",
    "title: Welcome",
    "title: {en: Welcome, en: Hello}",
    "content/programme.yaml:8:30",
    "the key `en` is given twice"
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
    "missing field `title`"
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
    "not a valid BCP 47 language code"
);

rule!(
    a_base_url_that_is_not_absolute_is_refused,
    "site-config.yaml",
    "base_url: http://localhost:8000/",
    "base_url: localhost/site",
    "site-config.yaml:1:11",
    "not an absolute http(s) URL"
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
    "not a URL-safe id"
);

bad_file!(
    a_page_slug_with_a_slash_is_refused,
    "content/pages/info.en.md",
    "---\ntitle: Info\nslug: a/b\n---\nText\n",
    "content/pages/info.en.md:3:7",
    "not a URL-safe id"
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
    "missing field `title`"
);

bad_file!(
    a_speaker_without_a_name_is_refused,
    "content/speakers/jane-placeholder.en.md",
    "---\nrole: Example Speaker\n---\n",
    "content/speakers/jane-placeholder.en.md:2:1",
    "missing field `name`"
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
    "not a URL-safe id"
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
    "invalid type"
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
