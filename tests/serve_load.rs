//! `majlis serve` under load on the loopback: bursts of a thousand connections at once, and
//! the server's memory (its resident set, from `/proc/PID/status`) before, during and after
//! them. Run with `--nocapture` to see the figures.

#![cfg(target_os = "linux")]

mod common;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::server::{at_once, Server};
use common::{linked_asset, Site};

/// Bursts, and connections in each.
const BURSTS: usize = 4;
const CONNECTIONS: usize = 1000;

/// The resident memory of a process, in KiB.
fn resident_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("its status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

/// A burst: a thousand connections open at once, every answer read.
fn burst(server: &Server) {
    let style = format!("/{}", linked_asset(&server.get("/en/").text(), "style.css"));
    let paths = ["/en/", "/fr/programme/", "/en/speakers/", style.as_str()];
    for (path, answer) in at_once(server, &paths, CONNECTIONS) {
        assert_eq!(answer.status, 200, "{path}");
    }
}

/// How the memory settles after a burst: the lowest of its samples over a second, since the
/// server gives freed memory back to the system within milliseconds, not at once.
fn settled_kib(pid: u32) -> u64 {
    let mut lowest = u64::MAX;
    for _ in 0..20 {
        std::thread::sleep(Duration::from_millis(50));
        lowest = lowest.min(resident_kib(pid));
    }
    lowest
}

#[test]
fn memory_stays_bounded_under_bursts_and_comes_back_after_them() {
    let site = Site::copy_of("multilingual");
    let server = Server::start(&site.root());
    let pid = server.child.id();
    // Warm: the pages served once, the first build's memory given back.
    assert_eq!(server.get("/en/").status, 200);
    let idle = settled_kib(pid);

    let started = Instant::now();
    let mut rows = Vec::new();
    for _ in 0..BURSTS {
        let peak = Arc::new(AtomicU64::new(0));
        let done = Arc::new(AtomicBool::new(false));
        let sampler = {
            let (peak, done) = (Arc::clone(&peak), Arc::clone(&done));
            std::thread::spawn(move || {
                while !done.load(Ordering::Relaxed) {
                    peak.fetch_max(resident_kib(pid), Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(2));
                }
            })
        };
        let took = Instant::now();
        burst(&server);
        let took = took.elapsed();
        done.store(true, Ordering::Relaxed);
        sampler.join().unwrap();
        rows.push((took, peak.load(Ordering::Relaxed), settled_kib(pid)));
    }
    let mib = |kib: u64| kib as f64 / 1024.0;
    eprintln!("serve's resident memory, {BURSTS} bursts of {CONNECTIONS} connections:");
    eprintln!("  idle before: {:.1} MiB", mib(idle));
    for (i, (took, peak, after)) in rows.iter().enumerate() {
        eprintln!(
            "  burst {}: {} ms, peak {:.1} MiB, after {:.1} MiB",
            i + 1,
            took.as_millis(),
            mib(*peak),
            mib(*after)
        );
    }
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "bursts too slow"
    );
    let highest = rows.iter().map(|r| r.1).max().unwrap();
    let last = rows.last().unwrap().2;
    assert!(
        highest < idle + 32 * 1024,
        "memory rose from {:.1} MiB to {:.1} MiB during the bursts",
        mib(idle),
        mib(highest)
    );
    assert!(
        last < idle + 8 * 1024,
        "memory stayed at {:.1} MiB after the bursts ({:.1} MiB idle)",
        mib(last),
        mib(idle)
    );
}
