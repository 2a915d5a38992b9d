//! A small builder for integration tests: copies a fixture site into a temporary folder,
//! runs the `majlis` binary on it, and gives typed access to what it published.

#![allow(dead_code)] // each test binary uses its own part of this module

pub mod docs;
pub mod dom;
pub mod server;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{Html, Selector};

/// The repository root: the example event's site.
/// A file of a build made in memory (`majlis::build`), as text; a test fails if it is not
/// published.
pub fn text(output: &majlis::output::Output, path: &str) -> String {
    let bytes = output
        .get(path)
        .unwrap_or_else(|| panic!("{path} is not published"));
    String::from_utf8(bytes.to_vec()).unwrap()
}

pub fn example_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture site under `tests/sites/`.
pub fn fixture_root(name: &str) -> PathBuf {
    example_root().join("tests/sites").join(name)
}

/// The theme's file `name` (`style.css`) as a page links it, from the site's root: its
/// published name carries a hash of its bytes (`assets/style.0f3c9e1a2b4d6c8e.css`).
pub fn linked_asset(page: &str, name: &str) -> String {
    let (stem, extension) = name
        .rsplit_once('.')
        .expect("a file name with an extension");
    let start = page
        .find(&format!("assets/{stem}."))
        .unwrap_or_else(|| panic!("the page links no assets/{stem}.HASH.{extension}"));
    let rest = &page[start..];
    let end = rest
        .find(&format!(".{extension}"))
        .expect("the asset's extension")
        + extension.len()
        + 1;
    rest[..end].to_string()
}

/// A site copied into a temporary folder, to be edited and built.
pub struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    /// A copy of a fixture (`"example"` is the repository's own site).
    pub fn copy_of(name: &str) -> Site {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let source = if name == "example" {
            example_root()
        } else {
            fixture_root(name)
        };
        for part in ["site-config.yaml", "content", "themes"] {
            copy_tree(&source.join(part), &dir.path().join("site").join(part));
        }
        Site { dir }
    }

    /// The site's root.
    pub fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    /// The default output folder of tests: beside the site, not inside it.
    pub fn out(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    /// Replaces `from` by `to` in a file of the site; the text must be there.
    pub fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.root().join(file);
        let text = fs::read_to_string(&path).expect("the file to edit");
        assert!(text.contains(from), "{file} does not contain {from:?}");
        fs::write(&path, text.replacen(from, to, 1)).expect("write");
    }

    /// Writes a file of the site.
    pub fn write(&self, file: &str, bytes: impl AsRef<[u8]>) {
        let path = self.root().join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    /// Removes a file of the site.
    pub fn remove(&self, file: &str) {
        fs::remove_file(self.root().join(file)).unwrap();
    }

    /// `majlis build --output OUT`.
    pub fn build(&self) -> Run {
        majlis(
            &self.root(),
            &["build", "--output", self.out().to_str().unwrap()],
        )
    }

    /// `majlis build` that must succeed; the published site.
    pub fn built(&self) -> Published {
        let run = self.build();
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        Published::at(self.out())
    }
}

/// What a run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `majlis --root ROOT ARGS…`.
pub fn majlis(root: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_majlis"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("the majlis binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Builds a site in place (read-only: output goes to a new temporary folder).
pub fn build_into_temp(root: &Path) -> (tempfile::TempDir, Published) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let run = majlis(root, &["build", "--output", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
    (dir, Published::at(out))
}

/// A published site on disk.
pub struct Published {
    pub dir: PathBuf,
}

impl Published {
    pub fn at(dir: PathBuf) -> Published {
        Published { dir }
    }

    /// Whether the site has this file.
    pub fn has(&self, path: &str) -> bool {
        self.dir.join(path).is_file()
    }

    /// A published text file.
    pub fn text(&self, path: &str) -> String {
        fs::read_to_string(self.dir.join(path)).unwrap_or_else(|_| panic!("{path} is published"))
    }

    /// A published HTML page, parsed.
    pub fn page(&self, path: &str) -> Page {
        Page {
            path: path.to_string(),
            html: Html::parse_document(&self.text(path)),
        }
    }

    /// Every published file, relative and with `/`, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut files: Vec<String> = walk(&self.dir)
            .into_iter()
            .map(|p| {
                p.strip_prefix(&self.dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        files.sort();
        files
    }

    /// Every file's bytes, for before/after comparisons.
    pub fn snapshot(&self) -> Vec<(String, Vec<u8>)> {
        self.files()
            .into_iter()
            .map(|f| {
                let bytes = fs::read(self.dir.join(&f)).unwrap();
                (f, bytes)
            })
            .collect()
    }

    /// The published file a link on `from` leads to (`../../fr/programme/#x` → `fr/programme/index.html`).
    pub fn resolve(&self, from: &str, href: &str) -> String {
        let href = href.split('#').next().unwrap();
        let mut parts: Vec<&str> = from.split('/').collect();
        parts.pop();
        for segment in href.split('/') {
            match segment {
                ".." => {
                    parts.pop();
                }
                "." | "" => {}
                s => parts.push(s),
            }
        }
        let mut path = parts.join("/");
        if href.ends_with('/') || href.is_empty() || !path.contains('.') {
            if !path.is_empty() {
                path.push('/');
            }
            path.push_str("index.html");
        }
        path
    }
}

/// A parsed page.
pub struct Page {
    pub path: String,
    pub html: Html,
}

impl Page {
    /// Every element matching a CSS selector.
    pub fn select(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let selector = Selector::parse(css).unwrap_or_else(|_| panic!("selector {css}"));
        self.html.select(&selector).collect()
    }

    /// The one element matching a selector.
    pub fn one(&self, css: &str) -> scraper::ElementRef<'_> {
        let found = self.select(css);
        assert_eq!(
            found.len(),
            1,
            "{}: expected one {css}, found {}",
            self.path,
            found.len()
        );
        found[0]
    }

    /// An attribute of the one element matching a selector.
    pub fn attr(&self, css: &str, name: &str) -> String {
        self.one(css)
            .value()
            .attr(name)
            .unwrap_or_else(|| panic!("{}: {css} has no {name}", self.path))
            .to_string()
    }

    /// The text of the one element matching a selector.
    pub fn text_of(&self, css: &str) -> String {
        self.one(css).text().collect::<String>()
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(walk(&path));
            } else {
                files.push(path);
            }
        }
    }
    files
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_file() {
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(from, to).unwrap();
    } else if from.is_dir() {
        for entry in fs::read_dir(from).unwrap().flatten() {
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    }
}
