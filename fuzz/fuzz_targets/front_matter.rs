//! Front-matter splitting and parsing on arbitrary bytes: never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use majlis::content::{frontmatter, yaml, PageMatter, SpeakerMatter};

fuzz_target!(|data: &[u8]| {
    let file = Path::new("content/speakers/x.en.md");
    let Ok(text) = yaml::decode(data.to_vec(), file) else {
        return;
    };
    if let Ok(split) = frontmatter::split(&text, file) {
        let _ = yaml::parse_located::<SpeakerMatter>(split.yaml, file, split.yaml_first_line);
        let _ = yaml::parse_located::<PageMatter>(split.yaml, file, split.yaml_first_line);
    }
});
