//! `majlis serve`: the site built in memory and served over HTTP; every change of its files
//! rebuilds it whole, and the open pages reload once the new build is in place, or show the
//! errors of a bad edit on top of the last good build. `majlis serve --built` serves an
//! output folder as it is instead.
//!
//! The parts, from the bottom: [`paths`] says which file a request names; [`http`] is the
//! server (hyper), which answers for a site it knows nothing of; [`watch`] turns bursts of
//! file events into one list of changes. The live site shares one [`state::State`]: the
//! rebuild loop ([`rebuild`]), on the calling thread, builds and swaps the output in; the
//! server's thread answers from whatever output is current ([`live`]) and tells open pages
//! when it changes ([`reload`]). Nothing is written to disk. [`built`] is the other site.

mod built;
mod http;
mod live;
mod paths;
mod rebuild;
mod reload;
mod state;
mod watch;

use std::convert::Infallible;
use std::io::{self, Write};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use http::{BindError, Listen};

use crate::config::BaseUrl;
use crate::pipeline::Options;

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
    /// The output folder to serve as it is holds no built site.
    #[error("{}: no built site here ({reason}); make it with `majlis build`", path.display())]
    NotBuilt {
        /// The folder given.
        path: PathBuf,
        /// What is missing.
        reason: String,
    },
    /// No port could be bound.
    #[error(transparent)]
    Bind(#[from] BindError),
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
    stop_on_ctrl_c();
    let server = bind(listen)?;
    let url = local_url(server.address());
    let options = Options {
        base_url: Some(url.clone()),
        preview: true,
        ..options
    };
    // Watching starts before the first build, so that an edit made while it runs is not
    // missed.
    let mut watcher = watch::Watcher::start(&root)?;
    let state = Arc::new(state::State::new());
    let mut builder = rebuild::Builder::new(root, options, Arc::clone(&state));
    builder.rebuild(&[]);

    std::thread::spawn(move || server.run(live::Live(state)));
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

/// Serves the site built into `folder` for the address `base_url`, as it is, until the
/// process is stopped (Ctrl-C): nothing is watched or rebuilt, and no script is added.
pub fn serve_built(
    folder: &Path,
    base_url: &BaseUrl,
    listen: &Listen,
) -> Result<Infallible, ServeError> {
    let not_built = |reason: &str| ServeError::NotBuilt {
        path: folder.to_path_buf(),
        reason: reason.to_string(),
    };
    if !folder.join("index.html").is_file() {
        return Err(not_built(if folder.is_dir() {
            "it has no index.html"
        } else {
            "no such folder"
        }));
    }
    let site = built::Built::new(folder, base_url).map_err(|e| not_built(&e.to_string()))?;
    stop_on_ctrl_c();
    let server = bind(listen)?;
    let url = local_url(server.address());
    println!(
        "serving the site at {}{} (built in {}, served as it is; Ctrl-C stops)",
        url.trim_end_matches('/'),
        site.mount(),
        folder.display()
    );
    server.run(site)
}

/// Ctrl-C ends the process at once: nothing is on disk to clean up. The handler is there
/// because a program started in the background of a script inherits the signal ignored.
fn stop_on_ctrl_c() {
    if let Err(error) = ctrlc::set_handler(|| {
        // Even with the terminal gone (which would make `println!` panic), stop.
        let _ = writeln!(io::stdout(), "stopped");
        std::process::exit(0);
    }) {
        eprintln!("warning: Ctrl-C may not stop the server ({error}); close the terminal instead");
    }
}

/// The server bound to the asked port, or the next free one, which it says.
fn bind(listen: &Listen) -> Result<http::Server, BindError> {
    let server = http::Server::bind(listen)?;
    let port = server.address().port();
    if port != listen.port && listen.port != 0 {
        println!("port {} is in use; taking {port}", listen.port);
    }
    Ok(server)
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
}
