//! Front-matter splitting and parsing on arbitrary bytes: never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod harness;

fuzz_target!(|data: &[u8]| harness::front_matter(data));
