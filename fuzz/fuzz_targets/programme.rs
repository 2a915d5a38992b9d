//! `content/programme.yaml` of arbitrary bytes in an otherwise valid site: loading and
//! validating it reports errors and never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod harness;

fuzz_target!(|data: &[u8]| {
    harness::Harness::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..").as_ref()).programme(data)
});
