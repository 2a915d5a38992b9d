//! The `majlis` command.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

use majlis::config::Config;
use majlis::diagnostics::{counted, describe, Errors};
use majlis::serve::Listen;
use majlis::{output, Options};

/// A line on standard output, for the reader of the command's messages. A reader who stops
/// reading (`majlis build | head -1`) is no error of the build, whose output is already in
/// place: `println!` would panic on the closed pipe, so what cannot be written is dropped.
macro_rules! say {
    ($($line:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($line)*);
    }};
}

/// A build allocates millions of small values (template contexts, views) on every core at
/// once, where glibc's allocator spent about a third of the time; mimalloc's per-thread heaps
/// do not contend.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Print how long each stage of a build takes, on standard error.
    #[arg(long, global = true)]
    verbose: bool,
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
        /// Build into an output folder that majlis did not make and that is not empty,
        /// keeping its files.
        #[arg(long)]
        force: bool,
    },
    /// Check the site without writing anything; report missing translations.
    Check {
        /// Treat warnings (missing translations) as errors.
        #[arg(long)]
        strict: bool,
        /// Check as if published at this address.
        #[arg(long)]
        base_url: Option<String>,
        /// Print, for each language, what is not translated and how much is.
        #[arg(long)]
        translations: bool,
        /// With --translations: as text, or as CSV for a spreadsheet.
        #[arg(long, value_enum, default_value_t = Format::Text, requires = "translations")]
        format: Format,
    },
    /// Build the site in memory and serve it; rebuild and reload the browser on every change.
    Serve {
        /// The port to listen on; the next free one is taken if it is in use.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on (0.0.0.0 opens the site to other devices of the network).
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Serve the site `build` made, as it is: no rebuild, no reload.
        #[arg(long)]
        built: bool,
        /// With --built: the folder to serve (default: output_dir of site-config.yaml).
        #[arg(long, requires = "built")]
        output: Option<PathBuf>,
        /// With --built: the address it was built for, whose path it is served at (default:
        /// base_url of site-config.yaml).
        #[arg(long, requires = "built")]
        base_url: Option<String>,
    },
    /// Write a new site, in three languages, into DIR (a new or empty folder).
    Init {
        /// The folder to create the site in.
        dir: PathBuf,
    },
}

/// How `check --translations` prints its report.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Lines for the terminal.
    Text,
    /// CSV, on standard output.
    Csv,
}

/// mimalloc's `mi_option_purge_delay` (the 16th of `mi_option_e` in its v2 `mimalloc.h`, which
/// `libmimalloc-sys` does not name).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory a build frees goes back to the system after 1 ms rather than mimalloc's 10: the
/// pages of a large event are rendered faster than that, and the freed memory of one held on
/// to while the next ones are made was a tenth of the peak. Not at once (0 ms): the system
/// would then clear pages given back and asked for again between two pages, which cost a
/// eighth of a large build's time. Only for `build`: `serve` would pay for it on every
/// rebuild, which is what an editor waits for.
fn return_freed_memory_soon() {
    // SAFETY: setting an option is safe at any time, from any thread.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 1) }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let timestamp = match source_date_epoch() {
        Ok(timestamp) => timestamp,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    match cli.command {
        Command::Build {
            output,
            base_url,
            force,
        } => {
            return_freed_memory_soon();
            let options = Options {
                base_url,
                timestamp,
                verbose: cli.verbose,
                preview: false,
            };
            build(&cli.root, output, force, &options)
        }
        Command::Check {
            strict,
            base_url,
            translations,
            format,
        } => {
            let options = Options {
                base_url,
                timestamp,
                verbose: cli.verbose,
                preview: false,
            };
            if translations {
                report_translations(&cli.root, strict, format, &options)
            } else {
                check(&cli.root, strict, &options)
            }
        }
        Command::Serve {
            port,
            bind,
            built: false,
            ..
        } => {
            let options = Options {
                timestamp,
                verbose: cli.verbose,
                ..Default::default()
            };
            serve(&cli.root, options, &Listen { bind, port })
        }
        Command::Serve {
            port,
            bind,
            built: true,
            output,
            base_url,
        } => serve_built(&cli.root, output, base_url, &Listen { bind, port }),
        Command::Init { dir } => init(&dir),
    }
}

/// `SOURCE_DATE_EPOCH` (reproducible-builds.org): seconds since 1970 that date the calendar
/// feeds and schedule exports, so that two builds of the same sources are identical. A
/// malformed value is an error, as the specification asks, rather than silently ignored.
fn source_date_epoch() -> Result<Option<DateTime<Utc>>, String> {
    let Some(value) = std::env::var_os("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    let text = value.to_string_lossy();
    text.trim()
        .parse::<i64>()
        .ok()
        .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
        .map(Some)
        .ok_or_else(|| {
            format!("SOURCE_DATE_EPOCH: `{text}` is not a number of seconds since 1970-01-01")
        })
}

fn build(
    root: &std::path::Path,
    output: Option<PathBuf>,
    force: bool,
    options: &Options,
) -> ExitCode {
    let started = std::time::Instant::now();
    let from_config = output.is_none();
    let destination = match &output {
        Some(dir) => dir.clone(),
        None => match Config::load(root) {
            Ok(config) => root.join(config.output_dir),
            Err(errors) => return report(root, &errors),
        },
    };
    let out = match output::Destination::new(root, &destination, force) {
        Ok(out) => out,
        Err(mut e) => {
            // The folder refused is the configuration's, not one given with --output.
            if from_config {
                e.place = Config::place_of(root, "output_dir");
            }
            return report(root, &e.into());
        }
    };
    let waiting = |lock: &std::path::Path| {
        eprintln!(
            "waiting for another build into {} to finish (it holds {})",
            destination.display(),
            lock.display()
        );
    };
    let built = match majlis::build_into(root, options, &out, waiting) {
        Ok(built) => built,
        Err(errors) => return report(root, &errors),
    };
    for warning in &built.warnings {
        eprintln!("{warning}");
    }
    for note in &built.notes {
        eprintln!("note: {note}");
    }
    say!(
        "built {} files into {} in {} ms",
        built.files,
        destination.display(),
        started.elapsed().as_millis()
    );
    // Opened from the file system, a folder-style site lists a folder at its first click.
    let mut see = String::from("majlis");
    if root != std::path::Path::new(".") {
        see.push_str(&format!(
            " --root {}",
            shell_word(&root.display().to_string())
        ));
    }
    see.push_str(" serve --built");
    if let Some(dir) = &output {
        see.push_str(&format!(
            " --output {}",
            shell_word(&dir.display().to_string())
        ));
    }
    if let Some(url) = &options.base_url {
        see.push_str(&format!(" --base-url {}", shell_word(url)));
    }
    say!("see it as it will be published: {see}");
    ExitCode::SUCCESS
}

fn check(root: &std::path::Path, strict: bool, options: &Options) -> ExitCode {
    match majlis::build(root, options) {
        Ok(built) => {
            for warning in &built.warnings {
                eprintln!("{warning}");
            }
            let count = built.warnings.len();
            let warnings = counted(count, "warning");
            if strict && count > 0 {
                eprintln!("{warnings}, which --strict makes errors");
                return ExitCode::FAILURE;
            }
            say!("the site is valid ({warnings})");
            ExitCode::SUCCESS
        }
        Err(errors) => report(root, &errors),
    }
}

/// `check --translations`: the report on standard output; with `--strict`, a failure while
/// anything is missing.
fn report_translations(
    root: &std::path::Path,
    strict: bool,
    format: Format,
    options: &Options,
) -> ExitCode {
    let report = match majlis::translations(root, options) {
        Ok(report) => report,
        Err(errors) => return report(root, &errors),
    };
    let written = match format {
        Format::Text => report.text(),
        Format::Csv => report.csv(),
    };
    // As `say!`: a reader who stops reading (`| head`) is no error.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), written.as_bytes());
    if strict && !report.is_complete() {
        eprintln!("translations are missing, which --strict makes an error");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn serve(root: &std::path::Path, options: Options, listen: &Listen) -> ExitCode {
    let Err(error) = majlis::serve::serve(root, options, listen);
    eprintln!("error: {error}");
    ExitCode::FAILURE
}

/// `text` as one word of a shell command: quoted when it holds anything but plain characters.
fn shell_word(text: &str) -> String {
    let plain = |c: char| {
        c.is_ascii_alphanumeric() || "/._-:=@%+,".contains(c) || (cfg!(windows) && c == '\\')
    };
    if !text.is_empty() && text.chars().all(plain) {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

fn serve_built(
    root: &std::path::Path,
    output: Option<PathBuf>,
    base_url: Option<String>,
    listen: &Listen,
) -> ExitCode {
    // The folder is where `build` writes (its --output, or output_dir), served at the path of
    // the address the site is built for (its --base-url, or base_url).
    let config = match Config::load(root) {
        Ok(config) => config,
        Err(errors) => return report(root, &errors),
    };
    let folder = output.unwrap_or_else(|| root.join(&config.output_dir));
    let config = match base_url {
        Some(url) => match config.with_base_url(&url) {
            Ok(config) => config,
            Err(errors) => return report(root, &errors),
        },
        None => config,
    };
    let Err(error) = majlis::serve::serve_built(&folder, &config.base_url, listen);
    eprintln!("error: {error}");
    ExitCode::FAILURE
}

fn init(dir: &std::path::Path) -> ExitCode {
    match majlis::init::init(dir) {
        Ok(files) => {
            say!("wrote a new site of {} files into {}", files, dir.display());
            say!("see it with: majlis --root {} serve", dir.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn report(root: &std::path::Path, errors: &Errors) -> ExitCode {
    for error in &errors.0 {
        eprint!("{}", describe(error, root));
    }
    eprintln!("{}; nothing was written", counted(errors.0.len(), "error"));
    ExitCode::FAILURE
}
