//! A whole site of arbitrary bytes: the input is cut at NUL bytes into site-config.yaml,
//! event.yaml, programme.yaml, a speaker and a page. Loading, validating and rendering never
//! panic, whatever the content.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod support;

const FILES: [&str; 5] = [
    "site-config.yaml",
    "content/event.yaml",
    "content/programme.yaml",
    "content/speakers/jane-placeholder.en.md",
    "content/pages/info.en.md",
];

fuzz_target!(|data: &[u8]| {
    let site = support::minimal_site();
    for (file, bytes) in FILES.iter().zip(data.split(|b| *b == 0)) {
        std::fs::write(site.path().join(file), bytes).unwrap();
    }
    let _ = majlis::build(site.path(), &majlis::Options::default());
});
