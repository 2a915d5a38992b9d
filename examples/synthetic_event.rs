//! Writes the benchmark's synthetic event to a folder, for the checks that need a large event
//! in a browser (.ci/run measures the programme's script work at load on it, issue 21):
//!
//!     cargo run --example synthetic_event -- large DIR
//!
//! The scales are the benchmark's: small, large (2,000 sessions), xl.

// The benchmark's own generator, not a copy of it; what only the benchmark uses (the Hugo
// site) is dead code here.
#[allow(dead_code)]
#[path = "../benches/support/synthetic.rs"]
mod synthetic;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let scale = match args.first().map(String::as_str) {
        Some("small") => synthetic::SMALL,
        Some("large") => synthetic::LARGE,
        Some("xl") => synthetic::XL,
        _ => return usage(),
    };
    let Some(dir) = args.get(1).map(PathBuf::from) else {
        return usage();
    };
    if dir.exists() {
        eprintln!("{} exists: give a folder that does not", dir.display());
        return ExitCode::FAILURE;
    }
    synthetic::majlis_site(&dir, scale);
    println!(
        "{}: {} sessions, {} speakers, {} days",
        dir.display(),
        scale.sessions,
        scale.speakers,
        scale.days
    );
    ExitCode::SUCCESS
}

fn usage() -> ExitCode {
    eprintln!("usage: cargo run --example synthetic_event -- small|large|xl DIR");
    ExitCode::from(2)
}
