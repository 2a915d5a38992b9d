//! The build, step by step: the configuration, then the content files, then the event they
//! describe (linked and checked), then the theme and the rendered site, which `build` writes
//! into its output folder and `serve` keeps in memory.

use std::path::Path;
use std::time::Instant;

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::content::files::{programme_last_modified, ParsedFiles};
use crate::content::Content;
use crate::diagnostics::{Errors, Warning};
use crate::event::{Event, Translatable};
use crate::history::{self, LastReplay};
use crate::memo::Memo;
use crate::output::{Destination, Made, Memory, Output, Staging};
pub use crate::render::Report;
use crate::render::{self, Memos, Store, Theme};

/// What a build produced: the site, and what it noticed on the way.
#[derive(Debug)]
pub struct Build {
    /// Every published file.
    pub output: Output,
    /// Missing translations and other things worked around.
    pub warnings: Vec<Warning>,
    /// What the editor should know of the output, one line each: why the feeds' sessions
    /// have no history.
    pub notes: Vec<String>,
}

/// Options of a build that the command line can change.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Publish at this URL instead of the configured `base_url`.
    pub base_url: Option<String>,
    /// The date the calendar feeds and schedule exports are stamped with (`DTSTAMP`): the
    /// command line passes `SOURCE_DATE_EPOCH` here, so that two builds are identical.
    pub timestamp: Option<DateTime<Utc>>,
    /// Print how long each stage of the build took, on standard error (`--verbose`).
    pub verbose: bool,
    /// The site is previewed by `majlis serve`, not published: no service worker, which
    /// would keep pages an editor is changing.
    pub preview: bool,
}

/// What a build written to disk did.
#[derive(Debug)]
pub struct Written {
    /// How many files it published.
    pub files: usize,
    /// Missing translations and other things worked around.
    pub warnings: Vec<Warning>,
    /// What the editor should know of the output (see [`Build::notes`]).
    pub notes: Vec<String>,
}

/// What `serve` keeps from one build to the next: parsed content files, rendered Markdown,
/// the sessions' JSON-LD, the sessions' history up to the last commit, and the last site
/// built with the key of what each file was made from, so that a file made from the same
/// inputs is kept rather than made again.
pub struct Cache {
    files: ParsedFiles,
    memos: Memos,
    history: LastReplay,
    /// The last good build's files, when the cache keeps them.
    site: Option<Made>,
}

impl Cache {
    /// An empty cache, filled by the builds it is given to.
    pub fn new() -> Cache {
        Cache {
            files: Memo::new(),
            memos: Memos::new(),
            history: LastReplay::new(),
            site: Some(Made::default()),
        }
    }

    /// A cache that keeps nothing: every piece is made afresh, so that a one-off build holds
    /// no more than it needs.
    pub fn disabled() -> Cache {
        Cache {
            files: Memo::disabled(),
            memos: Memos::disabled(),
            history: LastReplay::disabled(),
            site: None,
        }
    }

    /// Ends a build. After a good one, what it did not use is dropped (so the cache holds
    /// one site's worth) and its files are kept; after a failed one, everything is kept for
    /// when the error is fixed.
    fn finish(&mut self, succeeded: bool, made: &Made) {
        self.files.finish(succeeded);
        self.memos.finish(succeeded);
        if let (true, Some(site)) = (succeeded, self.site.as_mut()) {
            *site = made.clone();
        }
    }
}

impl Default for Cache {
    /// An empty cache (see [`Cache::new`]).
    fn default() -> Cache {
        Cache::new()
    }
}

/// Loads, checks and renders the site at `root`, all in memory.
pub fn build(root: &Path, options: &Options) -> Result<Build, Errors> {
    build_with(root, options, &mut Cache::disabled())
}

/// Like [`build`], reusing what earlier builds given the same `cache` parsed and rendered
/// (`serve` keeps one between rebuilds): the same bytes, only sooner.
pub fn build_with(root: &Path, options: &Options, cache: &mut Cache) -> Result<Build, Errors> {
    let mut stages = Stages::new(options.verbose);
    let memory = Memory::new(cache.site.as_ref());
    let built = check_with(root, options, &cache.files, &mut stages).and_then(|checked| {
        let reuse = (&cache.memos, &cache.history);
        let rendered = render_into(root, options, &checked, reuse, &memory, &mut stages);
        let Checked {
            event, warnings, ..
        } = checked;
        // Freeing a large event's hundred thousand values takes milliseconds, and the edit's
        // page waits for this build: the other core frees them meanwhile.
        rayon::spawn(move || drop(event));
        let (notes, interface) = rendered?;
        Ok((with_warnings(warnings, interface), notes))
    });
    let made = memory.finish();
    cache.finish(built.is_ok(), &made);
    let (warnings, notes) = built?;
    Ok(Build {
        warnings,
        notes,
        output: made.output,
    })
}

/// Loads, checks and renders the site at `root` into the folder `out`, each file written as
/// soon as it is rendered, so that the whole site is never in memory. Nothing of the folder
/// changes unless the build succeeds (see [`Staging`]). A build holds the folder's lock from
/// before it reads the site to after its output is in place: another build into the same
/// folder waits for it, calling `waiting` with the lock file first.
pub fn build_into(
    root: &Path,
    options: &Options,
    out: &Destination,
    waiting: impl FnOnce(&Path),
) -> Result<Written, Errors> {
    let mut stages = Stages::new(options.verbose);
    let staging = Staging::open(out, waiting)?;
    stages.done("opened the output folder");
    let checked = check_with(root, options, &Memo::disabled(), &mut stages)?;
    let reuse = (&Memos::disabled(), &LastReplay::disabled());
    let (notes, interface) = render_into(root, options, &checked, reuse, &staging, &mut stages)?;
    let files = staging.commit()?;
    stages.done("put the output in place");
    Ok(Written {
        files,
        warnings: with_warnings(checked.warnings, interface),
        notes,
    })
}

/// Loads and checks the site at `root` without rendering it; what it noticed.
pub fn check(root: &Path, options: &Options) -> Result<Vec<Warning>, Errors> {
    let mut stages = Stages::new(options.verbose);
    check_with(root, options, &Memo::disabled(), &mut stages).map(|checked| checked.warnings)
}

/// Loads and checks the site at `root`, and reports what each of its languages lacks: its
/// texts, files and interface strings not yet translated (`check --translations`).
pub fn translations(root: &Path, options: &Options) -> Result<Report, Errors> {
    let mut stages = Stages::new(options.verbose);
    let checked = check_with(root, options, &Memo::disabled(), &mut stages)?;
    let theme = Theme::load(root, &checked.config)?;
    Ok(Report::new(&checked.config, &checked.event, &theme))
}

/// The warnings of the content, then one for each interface string a language shows in
/// another, at the file its translation goes in.
fn with_warnings(mut warnings: Vec<Warning>, interface: Vec<Translatable>) -> Vec<Warning> {
    for string in interface {
        let key = string.field.unwrap_or_default();
        let shown = string.source.0;
        for (language, place) in string.missing {
            warnings.push(Warning {
                place,
                message: format!(
                    "missing translation: interface string `{key}` has no {language} version; \
                     the {shown} text is shown"
                ),
            });
        }
    }
    warnings
}

/// A site loaded and checked.
struct Checked {
    config: Config,
    event: Event,
    warnings: Vec<Warning>,
}

/// [`check`], taking the files `files` holds parsed.
fn check_with(
    root: &Path,
    options: &Options,
    files: &ParsedFiles,
    stages: &mut Stages,
) -> Result<Checked, Errors> {
    let mut config = Config::load(root)?; // site-config.yaml
    if let Some(url) = &options.base_url {
        config = config.with_base_url(url)?;
    }
    stages.done("read the configuration");
    let content = Content::load(root, &config, files)?; // event, programme, speakers, pages
    stages.done("read the content");
    let (event, warnings) = Event::assemble(&config, content)?; // linked and checked
    stages.done("checked the event");
    Ok(Checked {
        config,
        event,
        warnings,
    })
}

/// Renders a checked site into `store`, reusing what `memos` and `history` kept; the notes
/// for the editor, and the theme's interface strings, with the languages that lack each.
fn render_into(
    root: &Path,
    options: &Options,
    checked: &Checked,
    (memos, history): (&Memos, &LastReplay),
    store: &dyn Store,
    stages: &mut Stages,
) -> Result<(Vec<String>, Vec<Translatable>), Errors> {
    let Checked { config, event, .. } = checked;
    let theme = memos.theme(root, config)?;
    stages.done("loaded the theme");
    let interface = render::untranslated(config, event, &theme);
    // Without a timestamp, the newest change to the files the programme is made from stands
    // in for it rather than the time of the build: rebuilding after any other edit (a
    // biography, a page, the style) then rewrites no feed, deploys upload none, and
    // subscribed calendars see nothing new. The epoch stands in when no file can be read.
    let timestamp = options.timestamp.unwrap_or_else(|| {
        programme_last_modified(root).map_or(DateTime::UNIX_EPOCH, DateTime::<Utc>::from)
    });
    let derived = history::derive(root, config, event, options.timestamp, timestamp, history);
    stages.done("read the sessions' history");
    let revisions = &derived.revisions;
    let mut done = |stage: &str| stages.done(stage);
    render::render(
        root,
        config,
        event,
        &theme,
        timestamp,
        revisions,
        memos,
        options.preview,
        store,
        &mut done,
    )?;
    stages.done("published the headers and the site's own files");
    Ok((derived.note.into_iter().collect(), interface))
}

/// The time each stage of a build took, printed on standard error with `--verbose` (as
/// Zola's `log_time`).
struct Stages {
    verbose: bool,
    last: Instant,
}

impl Stages {
    fn new(verbose: bool) -> Stages {
        Stages {
            verbose,
            last: Instant::now(),
        }
    }

    /// Ends a stage, named by what it did.
    fn done(&mut self, stage: &str) {
        let now = Instant::now();
        if self.verbose {
            let ms = (now - self.last).as_secs_f64() * 1000.0;
            match peak_memory_mib() {
                Some(peak) => eprintln!("{stage}: {ms:.1} ms, peak memory so far {peak} MiB"),
                None => eprintln!("{stage}: {ms:.1} ms"),
            }
        }
        self.last = now;
    }
}

/// The most memory the build has held so far (the resident set's high-water mark), where the
/// system says it (Linux's `/proc`): which stage makes the peak, for the benchmark's
/// figure (docs/performance.md).
fn peak_memory_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}
