//! `majlis serve`: the site built in memory and served over HTTP; every change of its files
//! rebuilds it whole, and the open pages reload once the new build is in place, or show the
//! errors of a bad edit on top of the last good build.
//!
//! Three parts share one [`State`]: the watcher turns bursts of file events into one list of
//! changes ([`watch`]); the rebuild loop, on the calling thread, builds and swaps the output
//! in; the server, on its own threads, answers requests from whatever output is current
//! ([`http`]) and tells open pages when it changes ([`reload`]). Nothing is written to disk.

mod http;
mod reload;
mod watch;

use std::collections::BTreeSet;
use std::convert::Infallible;
use std::io::{self, Write};
use std::net::{IpAddr, SocketAddr};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::diagnostics::{describe, Warning};
use crate::output::Output;
use crate::{Cache, Options};

/// Where `serve` listens.
#[derive(Debug, Clone)]
pub struct Listen {
    /// The address to bind (127.0.0.1 keeps the site on this computer).
    pub bind: IpAddr,
    /// The first port to try; the next free one is taken when it is in use, and 0 lets the
    /// system choose.
    pub port: u16,
}

/// Why `serve` could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The site's folder is missing or unreadable.
    #[error("cannot open the site at {path}: {source}")]
    Root {
        /// The folder given.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// No port could be bound.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address and first port tried.
        address: SocketAddr,
        /// Why.
        source: io::Error,
    },
    /// The file watcher could not start.
    #[error("cannot watch the site's files: {0}")]
    Watch(#[from] notify::Error),
}

/// Builds the site at `root`, serves it, and rebuilds it on every change until the process
/// is stopped (Ctrl-C). `options` are those of `build`; the base URL is replaced by the
/// server's own address so that absolute links lead back to it.
pub fn serve(root: &Path, options: Options, listen: &Listen) -> Result<Infallible, ServeError> {
    let root = root.canonicalize().map_err(|source| ServeError::Root {
        path: root.to_path_buf(),
        source,
    })?;
    // Nothing is on disk to clean up: Ctrl-C ends the process at once. The handler is there
    // because a program started in the background of a script inherits the signal ignored.
    if let Err(error) = ctrlc::set_handler(|| {
        // Even with the terminal gone (which would make `println!` panic), stop.
        let _ = writeln!(io::stdout(), "stopped");
        std::process::exit(0);
    }) {
        eprintln!("warning: Ctrl-C may not stop the server ({error}); close the terminal instead");
    }
    let (listener, address) = http::bind(listen)?;
    if address.port() != listen.port && listen.port != 0 {
        println!("port {} is in use; taking {}", listen.port, address.port());
    }
    let url = local_url(address);
    let options = Options {
        base_url: Some(url.clone()),
        ..options
    };
    // Watching starts before the first build, so that an edit made while it runs is not
    // missed.
    let mut watcher = watch::Watcher::start(&root)?;
    let state = Arc::new(State::new());
    let mut builder = Builder::new(root, options, Arc::clone(&state));
    builder.rebuild(&[]);

    let server_state = Arc::clone(&state);
    std::thread::spawn(move || http::run(listener, &server_state));
    println!("serving the site at {url} (Ctrl-C stops)");

    while let Some(changes) = watcher.next_changes() {
        // A file saved while the build was reading the sources, or while a folder was being
        // watched anew, may leave no event behind: the build is done again until the sources
        // it read are the sources on disk, so what is served is never older than the files.
        loop {
            let before = watch::fingerprint(&builder.root);
            builder.rebuild(&changes);
            if watch::fingerprint(&builder.root) == before {
                break;
            }
        }
    }
    // The watcher's thread ended (a bug or a system limit): the last build stays served.
    eprintln!("warning: the file watcher stopped; restart `majlis serve` to see new edits");
    loop {
        std::thread::park();
    }
}

/// The address a browser opens: the bound one, or the loopback for a wildcard bind.
fn local_url(address: SocketAddr) -> String {
    match address.ip() {
        ip if ip.is_unspecified() && ip.is_ipv6() => format!("http://[::1]:{}/", address.port()),
        ip if ip.is_unspecified() => format!("http://127.0.0.1:{}/", address.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", address.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}/", address.port()),
    }
}

/// What the server serves right now.
#[derive(Debug, Clone)]
struct Current {
    /// The last good build (empty while there has been none).
    output: Arc<Output>,
    /// The errors of the last build when it failed, as the overlay shows them; the output is
    /// then the good one before it.
    errors: Arc<[reload::Reported]>,
    /// Names this state, so that an open page knows whether it shows the current one: the
    /// server's start time (a restarted server is another one) and a count of changes.
    version: String,
}

/// The state shared by the rebuild loop and the server: the current output and errors,
/// swapped whole, and a signal for the event streams waiting for the next one.
struct State {
    current: Mutex<Current>,
    changed: Condvar,
    /// When this server started, in hexadecimal nanoseconds: the first part of versions.
    instance: String,
}

impl State {
    fn new() -> State {
        let instance = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| format!("{:x}", d.as_nanos()))
            .unwrap_or_default();
        State {
            current: Mutex::new(Current {
                output: Arc::default(),
                errors: Arc::new([]),
                version: format!("{instance}.0"),
            }),
            changed: Condvar::new(),
            instance,
        }
    }

    /// The current output and errors.
    fn current(&self) -> Current {
        self.lock().clone()
    }

    /// Puts a new output or new errors in place, then wakes the event streams: a page is told
    /// to reload only once what it will load is there (mdBook #862).
    fn publish(&self, output: Option<Output>, errors: Vec<reload::Reported>, count: u64) {
        let mut current = self.lock();
        if let Some(output) = output {
            current.output = Arc::new(output);
        }
        current.errors = errors.into();
        current.version = format!("{}.{count}", self.instance);
        drop(current);
        self.changed.notify_all();
    }

    /// Waits until the version is no longer `seen`, at most `timeout`; the new state, or
    /// `None` when nothing changed.
    fn wait_for_change(&self, seen: &str, timeout: Duration) -> Option<Current> {
        let guard = self.lock();
        let (current, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |c| c.version == seen)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        (current.version != seen).then(|| current.clone())
    }

    fn lock(&self) -> MutexGuard<'_, Current> {
        // The value is only ever replaced whole, so even a lock poisoned by a panicking
        // request thread holds a consistent one: serving goes on.
        self.current
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The rebuild loop's side: builds the site and publishes the outcome.
struct Builder {
    root: PathBuf,
    options: Options,
    state: Arc<State>,
    /// How many outcomes were published: the second part of versions.
    published: u64,
    /// Warnings of the last good build, so that a rebuild prints only new ones.
    warnings: BTreeSet<Warning>,
    /// What the last builds parsed and rendered, reused where the inputs are the same.
    cache: Cache,
}

impl Builder {
    fn new(root: PathBuf, options: Options, state: Arc<State>) -> Builder {
        Builder {
            root,
            options,
            state,
            published: 0,
            warnings: BTreeSet::new(),
            cache: Cache::new(),
        }
    }

    /// Builds the whole site, as `build` would, and serves the result: every rebuild is a
    /// full one, so what is served is always what a fresh build gives (Zola #401, #757).
    fn rebuild(&mut self, changes: &[PathBuf]) {
        let started = Instant::now();
        // A bug of majlis that panics on some content must not end the editor's session: the
        // panic is printed, and the last good build stays served until the next change.
        let Ok(built) = std::panic::catch_unwind(AssertUnwindSafe(|| {
            crate::build_with(&self.root, &self.options, &mut self.cache)
        })) else {
            eprintln!(
                "the build stopped on an internal error (above); still serving the last good build"
            );
            return;
        };
        let took = started.elapsed().as_millis();
        let current = self.state.current();
        match built {
            Ok(build) => {
                for warning in &build.warnings {
                    if !self.warnings.contains(warning) {
                        eprintln!("{warning}");
                    }
                }
                self.warnings = build.warnings.into_iter().collect();
                let changed = changed_files(&current.output, &build.output);
                let pages = build
                    .output
                    .iter()
                    .filter(|(path, _)| path.ends_with(".html"))
                    .count();
                // An unchanged site is not announced: open pages would reload for nothing.
                if changed > 0 || !current.errors.is_empty() {
                    self.published += 1;
                    self.state
                        .publish(Some(build.output), Vec::new(), self.published);
                }
                let verb = if changes.is_empty() {
                    "built"
                } else {
                    "rebuilt"
                };
                println!(
                    "{verb} {pages} pages in {took} ms ({}; {})",
                    what_changed(&self.root, changes),
                    match changed {
                        1 => "1 published file changed".to_string(),
                        n => format!("{n} published files changed"),
                    }
                );
            }
            Err(errors) => {
                for error in &errors.0 {
                    eprint!("{}", describe(error, &self.root));
                }
                eprintln!(
                    "{} error(s) ({}); {}",
                    errors.0.len(),
                    what_changed(&self.root, changes),
                    if current.output.is_empty() {
                        "nothing to serve until they are fixed"
                    } else {
                        "still serving the last good build"
                    }
                );
                let reported = reload::Reported::all(&errors, &self.root);
                if *current.errors != *reported {
                    self.published += 1;
                    self.state.publish(None, reported, self.published);
                }
            }
        }
    }
}

/// How many published files differ between two outputs (added, removed or changed).
fn changed_files(before: &Output, after: &Output) -> usize {
    let changed_or_added = after
        .iter()
        .filter(|(path, _)| !after.same_file(path, before))
        .count();
    let removed = before.iter().filter(|(p, _)| !after.contains(p)).count();
    changed_or_added + removed
}

/// The source files that changed, for the terminal: those that are still there first, as a
/// tool's temporary file (`sed -i` writes `sedXXXXXX`) is no news.
fn what_changed(root: &Path, changes: &[PathBuf]) -> String {
    let mut changes: Vec<&PathBuf> = changes.iter().collect();
    changes.sort_by_key(|path| !root.join(path).exists());
    let name = |path: &PathBuf| path.display().to_string().replace('\\', "/");
    match changes[..] {
        [] => "first build".to_string(),
        [one] => name(one),
        [first, ref rest @ ..] => format!("{} and {} more", name(first), rest.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wildcard_bind_is_opened_on_the_loopback() {
        let any: SocketAddr = "0.0.0.0:1111".parse().unwrap();
        assert_eq!(local_url(any), "http://127.0.0.1:1111/");
        let any6: SocketAddr = "[::]:1111".parse().unwrap();
        assert_eq!(local_url(any6), "http://[::1]:1111/");
        let lan: SocketAddr = "192.0.2.7:8000".parse().unwrap();
        assert_eq!(local_url(lan), "http://192.0.2.7:8000/");
    }

    #[test]
    fn every_change_gets_a_new_version_and_wakes_waiters() {
        let state = Arc::new(State::new());
        let seen = state.current().version;
        let waiter = {
            let state = Arc::clone(&state);
            let seen = seen.clone();
            std::thread::spawn(move || state.wait_for_change(&seen, Duration::from_secs(5)))
        };
        let mut output = Output::default();
        output.insert("index.html", "<p>hello</p>");
        state.publish(Some(output), Vec::new(), 1);
        let woken = waiter.join().unwrap().expect("a change");
        assert_ne!(woken.version, seen);
        assert!(woken.output.contains("index.html"));
        assert!(state
            .wait_for_change(&woken.version, Duration::from_millis(10))
            .is_none());
    }

    #[test]
    fn changed_files_counts_additions_removals_and_edits() {
        let mut before = Output::default();
        before.insert("a", "1");
        before.insert("b", "2");
        before.insert("c", "3");
        let mut after = Output::default();
        after.insert("a", "1");
        after.insert("b", "changed");
        after.insert("d", "new");
        assert_eq!(changed_files(&before, &after), 3);
    }
}
