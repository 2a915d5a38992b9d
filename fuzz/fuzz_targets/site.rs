//! A whole site of arbitrary bytes: the input is cut at NUL bytes into site-config.yaml,
//! event.yaml, programme.yaml, a speaker and a page. Loading, validating and rendering never
//! panic, whatever the content.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod harness;

fuzz_target!(|data: &[u8]| {
    harness::Harness::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..").as_ref()).site(data)
});
