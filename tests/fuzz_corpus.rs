//! Replays the fuzzers' corpora (`fuzz/corpus/TARGET/`) and every input that ever crashed or
//! stalled a fuzzer (`fuzz/regressions/TARGET/`) through what each target does: whatever the
//! bytes, loading and checking a site reports errors and never panics, and hostile text in
//! its fields keeps every page's meaning when minified and runs no script. Fuzzing itself is
//! `cargo fuzz run TARGET` (README, Robustness); this keeps its findings as tests.

#[path = "../fuzz/fuzz_targets/harness.rs"]
mod harness;

use std::fs;
use std::path::{Path, PathBuf};

use harness::Harness;

/// The repository's root. (The harness brings its own copy of `tests/common/dom.rs`, so
/// `tests/common` is not loaded here too.)
fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every input kept for a fuzz target.
fn inputs(target: &str) -> Vec<Vec<u8>> {
    let fuzz = repository().join("fuzz");
    let mut files: Vec<PathBuf> = ["corpus", "regressions"]
        .iter()
        .filter_map(|kind| fs::read_dir(fuzz.join(kind).join(target)).ok())
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "the {target} corpus is in the repository"
    );
    files.iter().map(|f| fs::read(f).unwrap()).collect()
}

#[test]
fn front_matter_corpus_never_panics() {
    for input in inputs("front_matter") {
        harness::front_matter(&input);
    }
}

#[test]
fn yaml_corpus_never_panics_and_every_error_is_at_a_line_of_the_text() {
    for input in inputs("yaml") {
        harness::yaml(&input);
    }
}

#[test]
fn programme_corpus_never_panics() {
    let harness = Harness::new(repository());
    for input in inputs("programme") {
        harness.programme(&input);
    }
}

#[test]
fn site_corpus_never_panics() {
    let harness = Harness::new(repository());
    for input in inputs("site") {
        harness.site(&input);
    }
}

#[test]
fn hostile_text_corpus_keeps_every_page_s_meaning_minified() {
    let inputs = inputs("hostile_text");
    let built = inputs
        .iter()
        .filter(|input| harness::hostile_text(input))
        .count();
    // Most of the corpus must be sites that build, or little is compared.
    assert!(
        built * 4 >= inputs.len() * 3,
        "{built} of {} built",
        inputs.len()
    );
}
