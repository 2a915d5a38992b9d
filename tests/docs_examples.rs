//! Every example of the README and `docs/` works as written in a new site made by
//! `majlis init`: its YAML and Markdown put where its info string says, its commands run, its
//! output printed as shown. The convention is described in docs/development.md ("The docs").

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::docs::{pages, Block};

/// An example: the blocks applied, in order, to one new site.
struct Example {
    /// `PAGE:LINE` of its first block.
    name: String,
    blocks: Vec<Block>,
}

/// The examples of every page: blocks with the same `example=NAME` together, every other
/// checked block alone.
fn examples() -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    for page in pages() {
        let mut named: BTreeMap<String, usize> = BTreeMap::new();
        for block in page.blocks() {
            let checked = block.value("file").is_some()
                || block.lang == "sh" && !block.has("norun")
                || block.lang == "text" && block.has("output");
            if !checked {
                continue;
            }
            let name = format!("{}:{}", page.path, block.line);
            match block.value("example") {
                Some(group) => match named.get(group) {
                    Some(&index) => examples[index].blocks.push(block.clone()),
                    None => {
                        named.insert(group.to_string(), examples.len());
                        examples.push(Example {
                            name,
                            blocks: vec![block.clone()],
                        });
                    }
                },
                None => examples.push(Example {
                    name,
                    blocks: vec![block.clone()],
                }),
            }
        }
    }
    examples
}

#[test]
fn every_yaml_and_markdown_block_of_the_docs_says_where_it_goes() {
    let mut unmarked = Vec::new();
    for page in pages() {
        for block in page.blocks() {
            let content = matches!(block.lang.as_str(), "yaml" | "yml" | "markdown" | "md");
            if content && block.value("file").is_none() && !block.has("norun") {
                unmarked.push(format!("{}:{}", page.path, block.line));
            }
            if block.lang == "sh" && !block.has("norun") && block.value("example").is_none() {
                // A command block on its own runs in a new site: fine, but it must be one.
                assert!(
                    !block.text.trim().is_empty(),
                    "{}:{}",
                    page.path,
                    block.line
                );
            }
        }
    }
    assert!(
        unmarked.is_empty(),
        "blocks with no file= (or norun) to build them with:\n{}",
        unmarked.join("\n")
    );
}

#[test]
fn every_example_of_the_readme_and_docs_works_in_a_new_init_site() {
    let examples = examples();
    assert!(
        examples.len() >= 15,
        "only {} examples found",
        examples.len()
    );
    let failures: Vec<String> = examples
        .iter()
        .filter_map(|example| {
            try_example(example)
                .err()
                .map(|why| format!("{}: {why}", example.name))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "examples that do not work as written:\n\n{}",
        failures.join("\n\n")
    );
}

#[test]
fn an_example_that_does_not_build_is_found() {
    let block = |info: &str, text: &str| {
        let page = common::docs::Page {
            path: "docs/x.md".into(),
            text: format!("```{info}\n{text}```\n"),
        };
        page.blocks().remove(0)
    };
    let bad = Example {
        name: "bad".into(),
        blocks: vec![block(
            "yaml file=content/programme.yaml append",
            "      - id: x\n        start: \"25:00\"\n        kind: panel\n        title: X\n",
        )],
    };
    let why = try_example(&bad).unwrap_err();
    assert!(why.contains("is not a time"), "{why}");
    let wrong_output = Example {
        name: "wrong output".into(),
        blocks: vec![
            block(
                "yaml file=content/programme.yaml line=10",
                "        ned: \"09:00\"\n",
            ),
            block(
                "text output",
                "error: content/programme.yaml:10:9: unknown key `end`\n",
            ),
        ],
    };
    assert!(try_example(&wrong_output).is_err());
    let good = Example {
        name: "good".into(),
        blocks: vec![
            block("yaml file=content/event.yaml merge", "short_name: OSF 26\n"),
            block("sh", "majlis check --strict\n"),
        ],
    };
    try_example(&good).unwrap();
}

/// Makes a new site, applies the example's blocks to it, and builds it (or, with an output
/// block, compares what `majlis check` prints).
fn try_example(example: &Example) -> Result<(), String> {
    let temp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let site = temp.path().join("site");
    let init = run(temp.path(), &["init", site.to_str().unwrap()])?;
    if !init.0 {
        return Err(format!("init failed: {}", init.1));
    }
    let mut checked = false;
    for block in &example.blocks {
        if let Some(file) = block.value("file") {
            put(&site, file, block)?;
        } else if block.lang == "sh" {
            commands(&site, &block.text)?;
        } else if block.has("output") {
            checked = true;
            let (_, printed) = run(&site, &["check"])?;
            if !contains_lines(&printed, &block.text) {
                return Err(format!(
                    "`majlis check` prints:\n{printed}\nnot the lines:\n{}",
                    block.text
                ));
            }
        }
    }
    if !checked {
        let out = temp.path().join("out");
        let (ok, printed) = run(&site, &["build", "--output", out.to_str().unwrap()])?;
        if !ok {
            return Err(format!("the site does not build:\n{printed}"));
        }
    }
    Ok(())
}

/// Puts a block into `file` of the site, as its info string says.
fn put(site: &Path, file: &str, block: &Block) -> Result<(), String> {
    let path = site.join(file);
    let old = fs::read_to_string(&path).unwrap_or_default();
    let new = if block.has("append") {
        let mut text = old;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text + &block.text
    } else if block.has("merge") {
        merge(&old, &block.text)?
    } else if let Some(line) = block.value("line") {
        let line: usize = line.parse().map_err(|_| format!("line={line}"))?;
        let mut lines: Vec<&str> = old.lines().collect();
        if line == 0 || line > lines.len() {
            return Err(format!("{file} has no line {line}"));
        }
        lines.splice(line - 1..line, block.text.lines());
        lines.join("\n") + "\n"
    } else {
        block.text.clone()
    };
    fs::create_dir_all(path.parent().unwrap()).map_err(|e| e.to_string())?;
    fs::write(&path, new).map_err(|e| e.to_string())
}

/// `old` with the top-level keys of `block` replaced by the block (the others kept).
fn merge(old: &str, block: &str) -> Result<String, String> {
    let keys: serde_yaml::Mapping =
        serde_yaml::from_str(block).map_err(|e| format!("not a YAML mapping: {e}"))?;
    let keys: Vec<String> = keys
        .keys()
        .filter_map(|k| k.as_str().map(str::to_string))
        .collect();
    let mut kept = String::new();
    let mut skipping = false;
    for line in old.lines() {
        let top = !line.starts_with([' ', '#', '\t']) && !line.trim().is_empty();
        if top {
            skipping = keys.iter().any(|k| line.starts_with(&format!("{k}:")));
        }
        if !skipping {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    Ok(kept + block)
}

/// Whether `expected`'s lines appear in `printed` one after the other.
fn contains_lines(printed: &str, expected: &str) -> bool {
    let printed: Vec<&str> = printed.lines().collect();
    let expected: Vec<&str> = expected.lines().collect();
    !expected.is_empty()
        && printed
            .windows(expected.len())
            .any(|w| w == expected.as_slice())
}

/// Runs the `majlis` and `cd` lines of a shell block, each `majlis` one to success; `serve`
/// is started and stopped once it serves.
fn commands(site: &Path, text: &str) -> Result<(), String> {
    let mut folder: PathBuf = site.to_path_buf();
    for line in text.lines() {
        let line = match line.find(" #") {
            Some(comment) => &line[..comment],
            None => line,
        }
        .trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["cd", dir] => folder = folder.join(dir),
            ["majlis", args @ ..] if args.contains(&"serve") => serves(&folder, args)?,
            ["majlis", args @ ..] => {
                let (ok, printed) = run(&folder, args)?;
                if !ok {
                    return Err(format!("`{line}` failed:\n{printed}"));
                }
            }
            _ => {
                return Err(format!(
                    "`{line}` is not a majlis command: mark the block `norun`"
                ))
            }
        }
    }
    Ok(())
}

/// Runs `majlis ARGS` in `folder`: whether it succeeded, and what it printed.
fn run(folder: &Path, args: &[&str]) -> Result<(bool, String), String> {
    let output = Command::new(env!("CARGO_BIN_EXE_majlis"))
        .args(args)
        .current_dir(folder)
        .output()
        .map_err(|e| format!("majlis {args:?} in {}: {e}", folder.display()))?;
    Ok((
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr),
    ))
}

/// Starts `majlis serve …` in `folder`, waits until it says it serves, and stops it.
fn serves(folder: &Path, args: &[&str]) -> Result<(), String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_majlis"))
        .args(args)
        .current_dir(folder)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let (lines, received) = mpsc::channel();
    for stream in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let lines = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = lines.send(line);
            }
        });
    }
    drop(lines);
    let mut printed = String::new();
    let served = loop {
        match received.recv_timeout(Duration::from_secs(60)) {
            Ok(line) => {
                let serving = line.starts_with("serving the site at ");
                printed.push_str(&line);
                printed.push('\n');
                if serving {
                    break true;
                }
            }
            Err(_) => break false,
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    if served {
        Ok(())
    } else {
        Err(format!(
            "`majlis {}` did not serve:\n{printed}",
            args.join(" ")
        ))
    }
}
