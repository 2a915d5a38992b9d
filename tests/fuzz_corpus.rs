//! Replays the fuzzers' corpora (`fuzz/corpus/TARGET/`) and every input that ever crashed or
//! stalled a fuzzer (`fuzz/regressions/TARGET/`) through what each target does: whatever the
//! bytes, loading and checking a site reports errors and never panics. Fuzzing itself is
//! `cargo fuzz run TARGET` (README, Robustness); this keeps its findings as tests.

mod common;

#[path = "../fuzz/fuzz_targets/harness.rs"]
mod harness;

use std::fs;
use std::path::PathBuf;

use harness::Harness;

/// Every input kept for a fuzz target.
fn inputs(target: &str) -> Vec<Vec<u8>> {
    let fuzz = common::example_root().join("fuzz");
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
    let harness = Harness::new(&common::example_root());
    for input in inputs("programme") {
        harness.programme(&input);
    }
}

#[test]
fn site_corpus_never_panics() {
    let harness = Harness::new(&common::example_root());
    for input in inputs("site") {
        harness.site(&input);
    }
}
