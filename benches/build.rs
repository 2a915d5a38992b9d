//! The benchmark: `cargo bench --bench build`.
//!
//! For each scale (small, large, xl; choose with MAJLIS_BENCH_SCALES=small,large) it generates
//! a synthetic event, then times with the release binary: a full build from nothing, a
//! rebuild with no change, and edit-to-visible in `serve` after a biography edit; it reports
//! peak memory (GNU time's maximum resident set), and times Hugo on the same content when
//! `hugo` is installed, twice: with templates that make the same pages (`benches/hugo/layouts`)
//! and with a skeleton of each page (`benches/hugo/skeleton`), and this machine's floor for
//! majlis's output: writing the same bytes into as many files in a fresh folder, on the disk
//! and in memory. Several runs; median and spread (max − min). Then the search index's share
//! of a full build, from `--verbose`'s stages (issue 22: at most 15%), and the times of `majlis check` on inputs that once cost far more
//! than their size (`support::costly`), each at three sizes (MAJLIS_BENCH_COSTLY=0 skips
//! them).

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::costly;
use support::synthetic::{self, Scale};

const MAJLIS: &str = env!("CARGO_BIN_EXE_majlis");

#[derive(Default)]
struct Measure {
    seconds: Vec<f64>,
    peak_kib: Vec<u64>,
}

impl Measure {
    /// Times `command` once more, after the disk has written out what ran before.
    fn add(&mut self, command: &[&str]) {
        settle();
        let (seconds, peak) = timed(command);
        self.seconds.push(seconds);
        self.peak_kib.push(peak);
    }

    fn median(values: &[f64]) -> f64 {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        sorted[sorted.len() / 2]
    }

    fn time(&self) -> String {
        let spread = self.seconds.iter().cloned().fold(f64::MIN, f64::max)
            - self.seconds.iter().cloned().fold(f64::MAX, f64::min);
        format!(
            "{} ± {}",
            human(Measure::median(&self.seconds)),
            human(spread)
        )
    }

    fn peak_mib(&self) -> f64 {
        *self.peak_kib.iter().max().unwrap_or(&0) as f64 / 1024.0
    }
}

fn human(seconds: f64) -> String {
    if seconds < 1.0 {
        format!("{:.0} ms", seconds * 1000.0)
    } else {
        format!("{seconds:.2} s")
    }
}

/// Runs a command under GNU time, returning its wall time and peak memory.
fn timed(command: &[&str]) -> (f64, u64) {
    let started = Instant::now();
    let output = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .args(command)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("GNU time is installed (Debian package `time`)");
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{command:?} failed:\n{stderr}");
    let peak = stderr
        .lines()
        .rev()
        .find_map(|l| l.trim().parse().ok())
        .unwrap_or(0);
    (seconds, peak)
}

/// Waits until the file system has written out what ran before, so that no build pays for
/// the last one's writes.
fn settle() {
    let _ = Command::new("sync").status();
}

/// A folder for one full build's output that no build has used: nothing is deleted between
/// runs (all outputs go at the end), because on ext4 without a journal, as on the development
/// machine, a file created among thousands of just-deleted ones costs several times as much
/// (ext4 skips over inodes freed in the last minutes), and the figures would depend on what
/// ran before rather than on the generator.
fn fresh_output(work: &Path, name: &str, run: usize) -> PathBuf {
    work.join(format!("{name}-{}-{run}", std::process::id()))
}

/// This machine's floor for an output: the time it takes to write the same bytes into as
/// many files (and their folders) in a fresh folder, on every core, as a build does. What a
/// generator does beyond it is its own work.
fn output_floor(output: &Path, parent: &Path, name: &str, scale: Scale) -> (Measure, Vec<PathBuf>) {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(output)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let path = entry.path().strip_prefix(output).unwrap().to_path_buf();
            (path, std::fs::read(entry.path()).unwrap())
        })
        .collect();
    files.sort();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut measure = Measure::default();
    let mut made = Vec::new();
    for run in 0..runs(scale) {
        let out = fresh_output(parent, name, run);
        settle();
        let started = Instant::now();
        std::thread::scope(|scope| {
            for part in files.chunks(files.len().div_ceil(cores).max(1)) {
                let out = &out;
                scope.spawn(move || {
                    for (path, bytes) in part {
                        let path = out.join(path);
                        if let Some(folder) = path.parent() {
                            std::fs::create_dir_all(folder).unwrap();
                        }
                        std::fs::write(path, bytes).unwrap();
                    }
                });
            }
        });
        measure.seconds.push(started.elapsed().as_secs_f64());
        made.push(out);
    }
    (measure, made)
}

fn runs(scale: Scale) -> usize {
    if let Some(n) = std::env::var("MAJLIS_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return n;
    }
    match scale.name {
        "small" => 7,
        "large" => 3,
        _ => 2,
    }
}

/// Hugo's full builds of the same content with one set of templates.
struct Hugo {
    /// Its `--layoutDir`.
    layouts: &'static str,
    full: Measure,
    in_memory: Option<Measure>,
}

struct Runs {
    majlis_full: Measure,
    majlis_again: Measure,
    /// Full builds into memory (tmpfs), where the disk's own costs do not count.
    majlis_in_memory: Option<Measure>,
    /// The same pages, then the skeleton; none without Hugo.
    hugo: Vec<Hugo>,
    /// Every output folder made, to remove at the end.
    outputs: Vec<PathBuf>,
}

/// How long `majlis` took for each second `other` took, by their medians.
fn time_ratio(majlis: &Measure, other: &Measure) -> String {
    format!(
        "{:.2}",
        Measure::median(&majlis.seconds) / Measure::median(&other.seconds)
    )
}

/// A folder in memory for outputs, where the system has one (`/dev/shm`, a tmpfs on Linux).
fn in_memory() -> Option<PathBuf> {
    let shm = PathBuf::from("/dev/shm");
    shm.is_dir().then_some(shm)
}

fn majlis_build<'a>(site: &'a str, out: &'a str) -> [&'a str; 6] {
    [MAJLIS, "--root", site, "build", "--output", out]
}

fn hugo_build<'a>(site: &'a str, layouts: &'a str, out: &'a str) -> [&'a str; 8] {
    [
        "hugo",
        "--quiet",
        "--source",
        site,
        "--layoutDir",
        layouts,
        "--destination",
        out,
    ]
}

/// Full builds of majlis and of Hugo in turn, each into a fresh folder, and a majlis rebuild
/// with no change after each of its full builds; then the same full builds into memory.
fn builds(site: &Path, hugo: &Path, work: &Path, scale: Scale) -> Runs {
    let has_hugo = Command::new("hugo").arg("version").output().is_ok();
    let memory = in_memory();
    let templates = |layouts| Hugo {
        layouts,
        full: Measure::default(),
        in_memory: memory.as_ref().map(|_| Measure::default()),
    };
    let mut runs = Runs {
        majlis_full: Measure::default(),
        majlis_again: Measure::default(),
        majlis_in_memory: memory.as_ref().map(|_| Measure::default()),
        hugo: if has_hugo {
            vec![templates("layouts"), templates(synthetic::SKELETON)]
        } else {
            Vec::new()
        },
        outputs: Vec::new(),
    };
    let site_arg = site.display().to_string();
    let hugo_arg = hugo.display().to_string();
    for run in 0..self::runs(scale) {
        let out = fresh_output(work, &format!("{}-out", scale.name), run);
        let out_arg = out.display().to_string();
        runs.majlis_full.add(&majlis_build(&site_arg, &out_arg));
        runs.majlis_again.add(&majlis_build(&site_arg, &out_arg));
        runs.outputs.push(out);
        for hugo in &mut runs.hugo {
            let name = format!("{}-hugo-{}-out", scale.name, hugo.layouts);
            let out = fresh_output(work, &name, run);
            let out_arg = out.display().to_string();
            hugo.full
                .add(&hugo_build(&hugo_arg, hugo.layouts, &out_arg));
            runs.outputs.push(out);
        }
        // In memory, deleting costs nothing later: each output goes as soon as it is timed.
        let Some(memory) = &memory else { continue };
        let out = fresh_output(memory, &format!("majlis-bench-{}", scale.name), run);
        let out_arg = out.display().to_string();
        if let Some(measure) = &mut runs.majlis_in_memory {
            measure.add(&majlis_build(&site_arg, &out_arg));
            let _ = std::fs::remove_dir_all(&out);
        }
        for hugo in &mut runs.hugo {
            if let Some(measure) = &mut hugo.in_memory {
                measure.add(&hugo_build(&hugo_arg, hugo.layouts, &out_arg));
                let _ = std::fs::remove_dir_all(&out);
            }
        }
    }
    runs
}

/// The search index's share of a full build, as `--verbose` times the build's stages (the
/// index is a stage of its own): a table row, median of the runs.
fn search_share(site: &Path, work: &Path, scale: Scale) -> String {
    let mut shares = Vec::new();
    let mut index_ms = Vec::new();
    let mut bytes = 0;
    for run in 0..runs(scale) {
        let out = fresh_output(work, &format!("{}-search", scale.name), run);
        settle();
        let output = Command::new(MAJLIS)
            .args(["--verbose", "--root"])
            .arg(site)
            .args(["build", "--output"])
            .arg(&out)
            .output()
            .expect("majlis runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stages: Vec<(&str, f64)> = stderr
            .lines()
            .filter_map(|line| {
                let (stage, ms) = line.rsplit_once(": ")?;
                Some((stage, ms.split_once(" ms")?.0.parse().ok()?))
            })
            .collect();
        let total: f64 = stages.iter().map(|(_, ms)| ms).sum();
        let index = stages
            .iter()
            .find(|(stage, _)| *stage == "wrote the search index")
            .map_or(0.0, |(_, ms)| *ms);
        shares.push(index / total);
        index_ms.push(index / 1000.0);
        bytes = search_bytes(&out);
        let _ = std::fs::remove_dir_all(&out);
    }
    format!(
        "| {} | {} | {:.1}% | {:.0} kB |",
        scale.name,
        human(Measure::median(&index_ms)),
        Measure::median(&shares) * 100.0,
        bytes as f64 / 1000.0
    )
}

/// The bytes of every `LANG/search/` file of a built site.
fn search_bytes(out: &Path) -> u64 {
    let Ok(languages) = std::fs::read_dir(out) else {
        return 0;
    };
    let mut bytes = 0;
    for language in languages.flatten() {
        let Ok(files) = std::fs::read_dir(language.path().join("search")) else {
            continue;
        };
        for file in files.flatten() {
            let is_index = file.path().extension().is_some_and(|e| e == "json");
            if is_index {
                bytes += file.metadata().map_or(0, |m| m.len());
            }
        }
    }
    bytes
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut body = String::new();
    stream.read_to_string(&mut body).ok()?;
    Some(body)
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Edits a speaker's biography in `serve` and waits until the served page shows it.
fn edit_to_visible(site: &Path, scale: Scale) -> Option<Measure> {
    let port = free_port();
    let child = Command::new(MAJLIS)
        .args([
            "--root",
            &site.display().to_string(),
            "serve",
            "--port",
            &port.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let _server = Server(child);
    let page = "/en/speakers/speaker-00000/";
    let deadline = Instant::now() + Duration::from_secs(600);
    while !get(port, page).is_some_and(|r| r.starts_with("HTTP/1.1 200")) {
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let file = site.join("content/speakers/speaker-00000.en.md");
    let original = std::fs::read_to_string(&file).unwrap();
    let mut measure = Measure::default();
    for run in 0..runs(scale).max(5) {
        let marker = format!("edit-marker-{run}-{}", std::process::id());
        let started = Instant::now();
        std::fs::write(&file, format!("{original}\n{marker}\n")).unwrap();
        loop {
            if get(port, page).is_some_and(|r| r.contains(&marker)) {
                break;
            }
            if started.elapsed() > Duration::from_secs(120) {
                return None;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        measure.seconds.push(started.elapsed().as_secs_f64());
    }
    std::fs::write(&file, original).unwrap();
    Some(measure)
}

/// `majlis check` of a small site with one file replaced by each costly input, at each size:
/// the median of a few runs, and how much longer the largest took than the smallest (4 for
/// time in proportion to the size).
fn costly_inputs(work: &Path) {
    println!("\nCostly inputs (`majlis check` of the small site with one file replaced):\n");
    println!("| input | size | result | check | largest vs smallest |");
    println!("| --- | --- | --- | --- | --- |");
    let site = work.join("costly-site");
    for input in costly::INPUTS {
        let mut medians = Vec::new();
        for n in input.sizes {
            let _ = std::fs::remove_dir_all(&site);
            synthetic::majlis_site(&site, synthetic::SMALL);
            let path = site.join(input.file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let content = (input.make)(n);
            std::fs::write(&path, &content).unwrap();
            let mut measure = Measure::default();
            let mut result = String::new();
            for _ in 0..3 {
                let started = Instant::now();
                let output = Command::new(MAJLIS)
                    .args(["--root", &site.display().to_string(), "check"])
                    .output()
                    .unwrap();
                measure.seconds.push(started.elapsed().as_secs_f64());
                let stderr = String::from_utf8_lossy(&output.stderr);
                assert_eq!(
                    !output.status.success(),
                    input.refused,
                    "{}: {stderr}",
                    input.name
                );
                result = match stderr.lines().find(|l| l.starts_with("error: ")) {
                    Some(error) => error.trim_start_matches("error: ").to_string(),
                    None => "builds".into(),
                };
            }
            medians.push(Measure::median(&measure.seconds));
            println!(
                "| {} | {:.1} MB | {} | {} | |",
                input.name.replace("{n}", &n.to_string()),
                content.len() as f64 / 1e6,
                result.replace('|', "\\|"),
                measure.time(),
            );
        }
        println!("| | | | | {:.1} |", medians[medians.len() - 1] / medians[0]);
    }
    let _ = std::fs::remove_dir_all(&site);
}

fn main() {
    // `cargo bench` passes `--bench`; this harness has no options of its own.
    let scales: Vec<Scale> = std::env::var("MAJLIS_BENCH_SCALES")
        .unwrap_or_else(|_| "small,large,xl".into())
        .split(',')
        .filter_map(|name| {
            [synthetic::SMALL, synthetic::LARGE, synthetic::XL]
                .into_iter()
                .find(|s| s.name == name.trim())
        })
        .collect();
    // MAJLIS_BENCH_DIR keeps the generated sites (for profiling); by default they are removed.
    let kept = std::env::var_os("MAJLIS_BENCH_DIR").map(PathBuf::from);
    let work = kept.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("majlis-bench-{}", std::process::id()))
    });
    println!("| scale | sessions | full build | rebuild, no change | edit-to-visible (serve) | peak memory | output floor | time vs floor | Hugo full build | Hugo peak memory | time vs Hugo | memory vs Hugo | time vs Hugo skeleton | memory vs Hugo skeleton |");
    println!(
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    );
    let mut outputs = Vec::new();
    let mut in_memory_rows = Vec::new();
    let mut search_rows = Vec::new();
    for scale in scales {
        let site = work.join(format!("{}-site", scale.name));
        let hugo = work.join(format!("{}-hugo", scale.name));
        synthetic::majlis_site(&site, scale);
        synthetic::hugo_site(&hugo, scale);
        let runs = builds(&site, &hugo, &work, scale);
        // The floor of majlis's own output, on the disk and in memory.
        let first = runs.outputs[0].clone();
        let (floor, made) = output_floor(&first, &work, &format!("{}-floor", scale.name), scale);
        outputs.extend(made);
        let floor_in_memory = in_memory().map(|memory| {
            let name = format!("majlis-bench-floor-{}", scale.name);
            let (floor, made) = output_floor(&first, &memory, &name, scale);
            for out in made {
                let _ = std::fs::remove_dir_all(out);
            }
            floor
        });
        outputs.extend(runs.outputs);
        if let Some(majlis) = &runs.majlis_in_memory {
            let mut row = format!("| {} | {} |", scale.name, majlis.time());
            if let Some(floor) = &floor_in_memory {
                row += &format!(" {} | {} |", floor.time(), time_ratio(majlis, floor));
            }
            for hugo in runs.hugo.iter().filter_map(|h| h.in_memory.as_ref()) {
                row += &format!(" {} | {} |", hugo.time(), time_ratio(majlis, hugo));
            }
            if runs.hugo.is_empty() {
                row += " no hugo | – | – | – |";
            }
            in_memory_rows.push(row);
        }
        let (full, again) = (runs.majlis_full, runs.majlis_again);
        let visible = edit_to_visible(&site, scale);
        search_rows.push(search_share(&site, &work, scale));
        let mut row = format!(
            "| {} | {} | {} | {} | {} | {:.0} MiB | {} | {} |",
            scale.name,
            scale.sessions,
            full.time(),
            again.time(),
            visible.map_or("–".into(), |m| m.time()),
            full.peak_mib(),
            floor.time(),
            time_ratio(&full, &floor),
        );
        match runs.hugo.as_slice() {
            [same, skeleton] => {
                let memory = |hugo: &Measure| format!("{:.2}", full.peak_mib() / hugo.peak_mib());
                row += &format!(
                    " {} | {:.0} MiB | {} | {} | {} | {} |",
                    same.full.time(),
                    same.full.peak_mib(),
                    time_ratio(&full, &same.full),
                    memory(&same.full),
                    time_ratio(&full, &skeleton.full),
                    memory(&skeleton.full),
                );
            }
            _ => row += " no hugo | – | – | – | – | – |",
        }
        println!("{row}");
    }
    if !in_memory_rows.is_empty() {
        println!("\nFull builds with the output in memory (/dev/shm), without the disk's costs:\n");
        println!("| scale | full build | output floor | time vs floor | Hugo full build | time vs Hugo | Hugo skeleton | time vs Hugo skeleton |");
        println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
        for row in in_memory_rows {
            println!("{row}");
        }
    }
    println!("\nThe search index (issue 22), a stage of its own in `--verbose`:\n");
    println!("| scale | search index | share of the full build | index files, every language |");
    println!("| --- | --- | --- | --- |");
    for row in search_rows {
        println!("{row}");
    }
    if std::env::var("MAJLIS_BENCH_COSTLY").as_deref() != Ok("0") {
        costly_inputs(&work);
    }
    for out in outputs {
        let _ = std::fs::remove_dir_all(out);
    }
    if kept.is_none() {
        let _ = std::fs::remove_dir_all(&work);
    }
}
