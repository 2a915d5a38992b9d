//! YAML of any shape, as each kind of YAML file and as any value: reading it never panics,
//! reports every error at a line of the text, and takes time in proportion to its length
//! (libFuzzer's `-timeout` finds what does not).
#![no_main]

use libfuzzer_sys::fuzz_target;

mod harness;

fuzz_target!(|data: &[u8]| harness::yaml(data));
