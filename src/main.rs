//! The `majlis` command.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use majlis::config::Config;
use majlis::diagnostics::{describe, Errors};
use majlis::{output, Options};

#[derive(Parser)]
#[command(
    name = "majlis",
    version,
    about = "A static website generator for multilingual events"
)]
struct Cli {
    /// The site's folder (the one with site-config.yaml).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into its output folder.
    Build {
        /// Where to write the site (default: output_dir of site-config.yaml).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Publish at this address instead of base_url.
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Check the site without writing anything; report missing translations.
    Check {
        /// Treat warnings (missing translations) as errors.
        #[arg(long)]
        strict: bool,
        /// Check as if published at this address.
        #[arg(long)]
        base_url: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { output, base_url } => build(&cli.root, output, base_url),
        Command::Check { strict, base_url } => check(&cli.root, strict, base_url),
    }
}

fn build(root: &std::path::Path, output: Option<PathBuf>, base_url: Option<String>) -> ExitCode {
    let started = std::time::Instant::now();
    let options = Options { base_url };
    let built = match majlis::build(root, &options) {
        Ok(built) => built,
        Err(errors) => return report(root, &errors),
    };
    for warning in &built.warnings {
        eprintln!("{warning}");
    }
    let destination = match output {
        Some(dir) => dir,
        None => match Config::load(root) {
            Ok(config) => root.join(config.output_dir),
            Err(errors) => return report(root, &errors),
        },
    };
    if let Err(e) = output::check_destination(root, &destination)
        .and_then(|()| output::write(&built.output, &destination))
    {
        return report(root, &e.into());
    }
    println!(
        "built {} files into {} in {} ms",
        built.output.len(),
        destination.display(),
        started.elapsed().as_millis()
    );
    println!("open {}", destination.join("index.html").display());
    ExitCode::SUCCESS
}

fn check(root: &std::path::Path, strict: bool, base_url: Option<String>) -> ExitCode {
    let options = Options { base_url };
    match majlis::build(root, &options) {
        Ok(built) => {
            for warning in &built.warnings {
                eprintln!("{warning}");
            }
            let count = built.warnings.len();
            if strict && count > 0 {
                eprintln!("{count} warning(s), which --strict makes errors");
                return ExitCode::FAILURE;
            }
            println!("the site is valid ({count} warning(s))");
            ExitCode::SUCCESS
        }
        Err(errors) => report(root, &errors),
    }
}

fn report(root: &std::path::Path, errors: &Errors) -> ExitCode {
    for error in &errors.0 {
        eprint!("{}", describe(error, root));
    }
    eprintln!("{} error(s); nothing was written", errors.0.len());
    ExitCode::FAILURE
}
