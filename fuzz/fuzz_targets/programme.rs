//! `content/programme.yaml` of arbitrary bytes in an otherwise valid site: loading and
//! validating it reports errors and never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod support;

fuzz_target!(|data: &[u8]| {
    let site = support::minimal_site();
    std::fs::write(site.path().join("content/programme.yaml"), data).unwrap();
    let _ = majlis::check(site.path(), &majlis::Options::default());
});
