//! The output folder and the static files, tried as a careless publisher and a hostile
//! editor would: builds racing into one folder, an output that is a symbolic link, a folder
//! that majlis did not make, links out of the site and hidden folders in `static/`. Real
//! processes, real files, their modes and owners compared before and after.

#![cfg(unix)]

mod common;

use std::fs;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{majlis, Published, Run, Site};

/// One entry of a folder as a publisher would compare it: its path (`""` for the folder
/// itself), mode, owner and content (a file's bytes, a link's target).
type Entry = (String, u32, u32, u32, Vec<u8>);

/// Every entry under `dir`, links not followed, sorted by path.
fn state(dir: &Path) -> Vec<Entry> {
    let mut entries: Vec<Entry> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .map(|entry| {
            let entry = entry.unwrap();
            let meta = entry.path().symlink_metadata().unwrap();
            let path = entry.path().strip_prefix(dir).unwrap();
            let content = if meta.file_type().is_symlink() {
                fs::read_link(entry.path())
                    .unwrap()
                    .into_os_string()
                    .into_encoded_bytes()
            } else if meta.is_file() {
                fs::read(entry.path()).unwrap()
            } else {
                Vec::new()
            };
            let (mode, uid, gid) = (meta.mode(), meta.uid(), meta.gid());
            (path.to_string_lossy().into_owned(), mode, uid, gid, content)
        })
        .collect();
    entries.sort();
    entries
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `majlis build --output OUT EXTRA…` on `site`.
fn build_into(site: &Site, out: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["build", "--output", out.to_str().unwrap()];
    args.extend(extra);
    majlis(&site.root(), &args)
}

/// What a build from nothing of `site` publishes, with `extra` arguments.
fn fresh(site: &Site, extra: &[&str]) -> Vec<(String, Vec<u8>)> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let run = build_into(site, &out, extra);
    assert_eq!(run.code, 0, "{}", run.stderr);
    Published::at(out).snapshot()
}

/// The `majlis build` command, not started.
fn build_command(site: &Site, out: &Path, extra: &[&str]) -> Command {
    command_of(Path::new(env!("CARGO_BIN_EXE_majlis")), site, out, extra)
}

/// `majlis build` of the binary at `program`, not started.
fn command_of(program: &Path, site: &Site, out: &Path, extra: &[&str]) -> Command {
    let mut command = Command::new(program);
    command
        .arg("--root")
        .arg(site.root())
        .args(["build", "--output"])
        .arg(out)
        .args(extra)
        .env("SOURCE_DATE_EPOCH", "1700000000");
    command
}

/// Whether the tests run as the superuser, whom no mode stops.
fn superuser() -> bool {
    let dir = tempfile::tempdir().unwrap();
    fs::metadata(dir.path()).unwrap().uid() == 0
}

/// `chown -R uid:gid path`, links not followed.
fn give(path: &Path, uid: u32, gid: u32) {
    for entry in walkdir::WalkDir::new(path).follow_links(false) {
        let entry = entry.unwrap();
        std::os::unix::fs::lchown(entry.path(), Some(uid), Some(gid)).unwrap();
    }
}

#[test]
fn twenty_pairs_of_builds_racing_into_one_output_each_leave_what_a_fresh_build_makes() {
    let site = Site::copy_of("multilingual");
    let out = site.out();
    let mut waited = 0;
    for round in 0..20 {
        // Another address each round: every page changes, so both builds of a pair write.
        let url = format!("https://events.example.test/round-{round}/");
        let extra = ["--base-url", url.as_str()];
        let expected = fresh(&site, &extra);
        let children: Vec<_> = (0..2)
            .map(|_| {
                build_command(&site, &out, &extra)
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let run = child.wait_with_output().unwrap();
            let (stdout, stderr) = (
                String::from_utf8_lossy(&run.stdout),
                String::from_utf8_lossy(&run.stderr),
            );
            assert!(run.status.success(), "round {round}: {stderr}");
            let built = format!("built {} files", expected.len() - 1);
            assert!(stdout.contains(&built), "round {round}: {stdout}");
            if stderr.contains("waiting for another build into") {
                waited += 1;
            }
        }
        let now = Published::at(out.clone()).snapshot();
        assert!(
            now == expected,
            "round {round}: the output differs from a fresh build's ({} files, {} expected)",
            now.len(),
            expected.len()
        );
        // Nothing left beside it: no staging folder, no last output, no lock file.
        assert_eq!(names(out.parent().unwrap()), ["public", "site"]);
    }
    assert!(waited > 0, "no build of 20 pairs ever waited for the other");
}

#[test]
fn a_build_waits_for_the_lock_another_build_holds_and_says_so() {
    let site = Site::copy_of("minimal");
    let out = site.out();
    let expected = fresh(&site, &[]);
    // The lock a build would hold, taken by the test itself.
    let lock_path = out.parent().unwrap().join(".public.majlis-lock");
    let lock = fs::File::create(&lock_path).unwrap();
    lock.lock().unwrap();
    let mut child = build_command(&site, &out, &[])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (lines, received) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let _ = lines.send(line.unwrap());
        }
    });
    let line = received
        .recv_timeout(Duration::from_secs(60))
        .expect("the build says that it waits");
    assert!(
        line.contains("waiting for another build into")
            && line.contains(&lock_path.display().to_string()),
        "{line}"
    );
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the build did not wait"
    );
    assert!(!out.exists(), "the build wrote while another held the lock");
    drop(lock);
    assert!(child.wait().unwrap().success());
    reader.join().unwrap();
    assert!(Published::at(out.clone()).snapshot() == expected);
    assert!(
        !lock_path.exists(),
        "the lock file is left beside the output"
    );
}

#[test]
fn an_output_that_is_a_link_is_built_where_it_leads_and_stays_a_link_to_the_new_site() {
    let site = Site::copy_of("minimal");
    let place = tempfile::tempdir().unwrap();
    let (link, target) = (place.path().join("public"), place.path().join("www/site"));
    fs::create_dir(place.path().join("www")).unwrap();
    // A link not yet leading anywhere: the first build makes the folder it names.
    std::os::unix::fs::symlink("www/site", &link).unwrap();
    let run = build_into(&site, &link, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(Published::at(target.clone()).snapshot() == fresh(&site, &[]));
    // The publisher's own file in the folder the link leads to is kept by the next build.
    fs::write(target.join("CNAME"), "events.example.test").unwrap();
    site.edit(
        "content/programme.yaml",
        "title: Welcome",
        "title: Welcome all",
    );
    let run = build_into(&site, &link, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read_link(&link).unwrap(), Path::new("www/site"));
    let mut published = Published::at(link.clone()).snapshot();
    let cname = published.iter().position(|(path, _)| path == "CNAME");
    let cname = published.remove(cname.expect("CNAME is kept"));
    assert_eq!(cname.1, b"events.example.test");
    assert!(
        published == fresh(&site, &[]),
        "the link leads to the new site"
    );
    // The new output was made and swapped beside the folder, not beside the link.
    assert_eq!(names(place.path()), ["public", "www"]);
    assert_eq!(names(&place.path().join("www")), ["site"]);
}

#[test]
fn an_output_link_to_a_folder_in_a_read_only_folder_is_refused_before_anything_is_rendered() {
    let site = Site::copy_of("minimal");
    let place = tempfile::tempdir().unwrap();
    let (link, read_only) = (place.path().join("public"), place.path().join("ro"));
    let target = read_only.join("site");
    fs::create_dir(&read_only).unwrap();
    assert_eq!(build_into(&site, &target, &[]).code, 0);
    std::os::unix::fs::symlink(&target, &link).unwrap();
    // A template that fails while pages are rendered: its error must not be reached.
    site.write(
        "themes/default/templates/speaker.html",
        "{% extends \"base.html\" %}{% block main %}{{ speaker.no_such_field }}{% endblock %}",
    );
    fs::set_permissions(&read_only, fs::Permissions::from_mode(0o555)).unwrap();
    let mut command = build_command(&site, &link, &[]);
    if superuser() {
        // Modes do not stop the superuser: the build runs as nobody, on files given to it.
        let binary = place.path().join("majlis");
        fs::copy(env!("CARGO_BIN_EXE_majlis"), &binary).unwrap();
        give(place.path(), 65534, 65534);
        give(site.root().parent().unwrap(), 65534, 65534);
        command = command_of(&binary, &site, &link, &[]);
        command.uid(65534).gid(65534);
    }
    let before = state(place.path());
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    fs::set_permissions(&read_only, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("error: {}:", read_only.display()))
            && stderr.contains("cannot be written"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("no_such_field"),
        "rendered first: {stderr}"
    );
    fs::set_permissions(&read_only, fs::Permissions::from_mode(0o555)).unwrap();
    assert!(
        state(place.path()) == before,
        "the build changed the output or its folder"
    );
    fs::set_permissions(&read_only, fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn a_folder_majlis_did_not_make_is_refused_unless_forced_and_keeps_its_files_modes_and_owners() {
    let site = Site::copy_of("multilingual");
    let home = site.root().parent().unwrap().join("home");
    let file = |path: &str, mode: u32, text: &str| {
        let path = home.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
    };
    let folder = |path: &str, mode: u32| {
        fs::set_permissions(home.join(path), fs::Permissions::from_mode(mode)).unwrap();
    };
    file("notes.txt", 0o640, "mine");
    file(".ssh/id_rsa", 0o600, "a key");
    file("shared/drop.txt", 0o664, "for everyone");
    file("archive/2023.txt", 0o444, "kept as it is");
    file("run.sh", 0o4755, "#!/bin/sh\n");
    // A folder the site publishes into as well: it is the build's from then on, and keeps
    // its mode still.
    file("en/my-notes.txt", 0o600, "mine too");
    std::os::unix::fs::symlink("notes.txt", home.join("notes-link")).unwrap();
    folder(".ssh", 0o700);
    folder("shared", 0o1777);
    folder("archive", 0o500);
    folder("en", 0o700);
    folder("", 0o2750);
    if superuser() {
        // Owners only the superuser can give, and keep.
        std::os::unix::fs::lchown(home.join("notes.txt"), Some(4321), Some(4321)).unwrap();
        std::os::unix::fs::lchown(home.join("shared"), Some(4321), Some(4322)).unwrap();
        std::os::unix::fs::lchown(home.join("notes-link"), Some(4321), Some(4321)).unwrap();
        std::os::unix::fs::lchown(&home, Some(4323), Some(4323)).unwrap();
        folder("", 0o2750);
    }
    let before = state(&home);

    let refused = build_into(&site, &home, &[]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("--force")
            && refused.stderr.contains("not made by majlis")
            && refused.stderr.contains("`notes.txt`")
            && refused.stderr.contains(&home.display().to_string()),
        "{}",
        refused.stderr
    );
    assert!(state(&home) == before, "a refused build changed the folder");
    assert_eq!(names(home.parent().unwrap()), ["home", "site"]);

    let forced = build_into(&site, &home, &["--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    let after = state(&home);
    for entry in &before {
        assert!(after.contains(entry), "changed or lost: {:?}", entry.0);
    }
    let published = Published::at(home.clone());
    for (path, bytes) in fresh(&site, &[]) {
        assert!(
            fs::read(published.dir.join(&path)).unwrap() == bytes,
            "{path}"
        );
    }
    // Now it holds a manifest: the next build needs no `--force`, and keeps it all still.
    site.edit(
        "content/programme.yaml",
        "Accueil et inscription",
        "Accueil",
    );
    let rebuilt = build_into(&site, &home, &[]);
    assert_eq!(rebuilt.code, 0, "{}", rebuilt.stderr);
    let after = state(&home);
    for entry in &before {
        assert!(after.contains(entry), "changed or lost: {:?}", entry.0);
    }
}

#[test]
fn a_folder_of_hidden_files_and_host_files_only_is_built_into_and_they_are_kept() {
    let site = Site::copy_of("minimal");
    let out = site.out();
    for file in [
        "CNAME",
        ".nojekyll",
        "_redirects",
        ".well-known/security.txt",
        ".git/HEAD",
        ".env",
    ] {
        let path = out.join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, file).unwrap();
    }
    let before = state(&out);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = state(&out);
    for entry in before.iter().filter(|e| !e.0.is_empty()) {
        assert!(after.contains(entry), "changed or lost: {:?}", entry.0);
    }
    // The build writes `_headers`: one the publisher put there first is refused, not lost.
    let theirs = site.root().parent().unwrap().join("theirs");
    fs::create_dir_all(&theirs).unwrap();
    fs::write(theirs.join("_headers"), "/*\n  X-Frame-Options: DENY\n").unwrap();
    let before = state(&theirs);
    let refused = build_into(&site, &theirs, &[]);
    assert_ne!(refused.code, 0);
    assert!(
        refused
            .stderr
            .contains("move it to content/static/_headers"),
        "{}",
        refused.stderr
    );
    assert_eq!(state(&theirs), before);
    // Any other hidden folder is someone's (`.cache/`, `.config/` of a home folder).
    let other = site.root().parent().unwrap().join("other");
    fs::create_dir_all(other.join(".cache")).unwrap();
    fs::write(other.join("CNAME"), "x").unwrap();
    let refused = build_into(&site, &other, &[]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(refused.stderr.contains("`.cache/`"), "{}", refused.stderr);
    assert!(!refused.stderr.contains("CNAME"), "{}", refused.stderr);
    assert_eq!(names(&other), [".cache", "CNAME"]);
}

/// A site built once, and a folder beside it, outside the site, with a secret in it.
fn site_and_secret() -> (Site, Vec<(String, Vec<u8>)>, PathBuf) {
    let site = Site::copy_of("minimal");
    let before = site.built().snapshot();
    let outside = site.root().parent().unwrap().join("outside");
    fs::create_dir_all(outside.join(".ssh")).unwrap();
    fs::write(outside.join("shadow"), "root:$6$secret").unwrap();
    fs::set_permissions(outside.join("shadow"), fs::Permissions::from_mode(0o600)).unwrap();
    fs::write(outside.join(".ssh/id_rsa"), "a key").unwrap();
    (site, before, outside)
}

fn assert_refused(site: &Site, before: &[(String, Vec<u8>)], expected: &[&str]) {
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    for text in expected {
        assert!(run.stderr.contains(text), "{text:?} in:\n{}", run.stderr);
    }
    assert!(!run.stderr.contains("root:$6$secret"), "{}", run.stderr);
    assert!(Published::at(site.out()).snapshot() == before);
}

#[test]
fn a_static_link_out_of_the_site_is_an_error_naming_it_and_nothing_is_published() {
    let (site, before, outside) = site_and_secret();
    let link = |target: &Path, at: &str| {
        let at = site.root().join(at);
        fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, at).unwrap();
    };
    link(&outside.join("shadow"), "content/static/shadow.txt");
    link(&outside, "content/static/keys");
    assert_refused(
        &site,
        &before,
        &[
            "error: content/static/shadow.txt: the symbolic link leads outside the site, to",
            "error: content/static/keys: the symbolic link leads outside the site",
            &fs::canonicalize(outside.join("shadow"))
                .unwrap()
                .display()
                .to_string(),
        ],
    );
    fs::remove_file(site.root().join("content/static/shadow.txt")).unwrap();
    fs::remove_file(site.root().join("content/static/keys")).unwrap();

    // A theme's static files are published too; any file the build reads is the site's.
    link(&outside.join("shadow"), "themes/default/static/shadow.css");
    assert_refused(
        &site,
        &before,
        &["error: themes/default/static/shadow.css: the symbolic link leads outside the site"],
    );
    fs::remove_file(site.root().join("themes/default/static/shadow.css")).unwrap();
    link(&outside.join("shadow"), "content/speakers/shadow.en.md");
    assert_refused(
        &site,
        &before,
        &["error: content/speakers/shadow.en.md: the symbolic link leads outside the site"],
    );
    fs::remove_file(site.root().join("content/speakers/shadow.en.md")).unwrap();

    // A link into the site's hidden `.git/` would publish it as well.
    fs::create_dir_all(site.root().join(".git")).unwrap();
    fs::write(site.root().join(".git/config"), "[remote] token").unwrap();
    link(Path::new("../../.git"), "content/static/repository");
    assert_refused(
        &site,
        &before,
        &["error: content/static/repository: the symbolic link leads to .git, hidden"],
    );
    fs::remove_file(site.root().join("content/static/repository")).unwrap();

    // A link within the site is followed.
    site.write("content/files/programme.pdf", "%PDF-1.4");
    link(
        Path::new("../files/programme.pdf"),
        "content/static/programme.pdf",
    );
    let built = site.built();
    assert_eq!(built.text("programme.pdf"), "%PDF-1.4");
}

#[test]
fn hidden_folders_of_static_files_are_never_published_but_well_known() {
    let site = Site::copy_of("minimal");
    site.write("content/static/.git/config", "[remote] token");
    site.write("content/static/.git/HEAD", "ref: refs/heads/main");
    site.write("content/static/docs/.svn/entries", "x");
    site.write("content/static/docs/guide.txt", "a guide");
    site.write("content/static/.well-known/security.txt", "Contact: x");
    site.write("themes/default/static/.git/HEAD", "ref: refs/heads/main");
    let built = site.built();
    let files = built.files();
    assert!(
        files
            .iter()
            .all(|f| !f.contains(".git") && !f.contains(".svn")),
        "{files:?}"
    );
    assert_eq!(built.text(".well-known/security.txt"), "Contact: x");
    assert_eq!(built.text("docs/guide.txt"), "a guide");
}

#[test]
fn published_files_get_the_modes_the_umask_gives_new_files_whatever_their_sources_have() {
    let site = Site::copy_of("minimal");
    let sources = [
        ("content/static/run.sh", 0o4755),
        ("content/static/private.txt", 0o600),
        ("content/static/docs/guide.txt", 0o666),
        ("themes/default/static/extra.txt", 0o600),
    ];
    for (file, mode) in sources {
        site.write(file, "x");
        let path = site.root().join(file);
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    }
    fs::set_permissions(
        site.root().join("content/static/docs"),
        fs::Permissions::from_mode(0o700),
    )
    .unwrap();
    let build_with_umask = |umask: &str| {
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_majlis"))
            .arg("--root")
            .arg(site.root())
            .args(["build", "--output"])
            .arg(site.out())
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    };
    let mode = |path: &str| fs::metadata(site.out().join(path)).unwrap().mode() & 0o7777;
    let published = [
        "run.sh",
        "private.txt",
        "docs/guide.txt",
        "assets/extra.txt",
        "en/index.html",
    ];
    build_with_umask("027");
    for path in published {
        assert_eq!(mode(path), 0o640, "{path}");
    }
    assert_eq!(mode("docs"), 0o750);
    // Files kept from the last output are the umask's too: another umask, or a file whose
    // mode was changed by hand, and they are written anew.
    fs::set_permissions(
        site.out().join("en/index.html"),
        fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    build_with_umask("027");
    assert_eq!(mode("en/index.html"), 0o640);
    build_with_umask("022");
    for path in published {
        assert_eq!(mode(path), 0o644, "{path}");
    }
}

#[test]
fn a_reader_who_stops_reading_the_messages_leaves_the_build_done_and_unbroken() {
    // `majlis build | head -1`: the pipe is closed before the build says what it did.
    let site = Site::copy_of("minimal");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let mut child = build_command(&site, &out, &[])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let done = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.join("index.html").is_file() || out.join("en/index.html").is_file());
}
