//! Hostile text (quotes, apostrophes, `<`, `&`, `=`, backticks, spaces, newlines) in every
//! field of a site that reaches a page: minified, each page parses to the same elements,
//! attributes and text as unminified, and with raw HTML off no page runs script the theme
//! did not put there.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod harness;

fuzz_target!(|data: &[u8]| {
    harness::hostile_text(data);
});
