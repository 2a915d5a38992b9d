//! Each session's `SEQUENCE` and `LAST-MODIFIED`, derived from the site's git history (issue
//! 24), as Hugo's `enableGitInfo` derives a page's last change: a static build has no memory
//! of the builds before it, and a deploy built in CI from a clone cannot commit a state file
//! back, but every clone of the repository has the same history.
//!
//! The commits that changed the files the sessions' calendar content comes from
//! ([`SOURCES`]) are replayed oldest first: each one's version of those files is loaded by
//! the content loader and checked as an event, as a build would, and the fingerprint of each
//! session in each language ([`render::fingerprints`]) compared with the last one's. A
//! session's `SEQUENCE` is 0 in the commit that added it and one more with each commit that
//! changed its fingerprint; its `LAST-MODIFIED` is that commit's time. The files as they are
//! in the work tree count as one more change where they differ, dated by their modification
//! time (or `SOURCE_DATE_EPOCH`).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use rayon::prelude::*;

use crate::config::Config;
use crate::content::files::{parse_speaker, parse_yaml, speaker_file, MarkdownFile};
use crate::content::{Content, EventFile, ProgrammeFile, SpeakerMatter};
use crate::event::Event;
use crate::git::{Opened, Repository, Unavailable};
use crate::memo::{lock, Digest, Key};
use crate::render::{self, Revision, Revisions};
use crate::yaml::Located;

/// The files and folders of a site whose history counts: the configuration (its languages),
/// the event (its time zone and venue), the programme, and the speakers (their names and
/// positions).
const SOURCES: [&str; 4] = [
    "site-config.yaml",
    "content/event.yaml",
    "content/programme.yaml",
    "content/speakers",
];

/// The speakers' folder, as the start of the paths of its files.
const SPEAKERS: &str = "content/speakers/";

/// What a build knows of the sessions' history.
pub(crate) struct Derived {
    /// Each session's revision in each language.
    pub(crate) revisions: Revisions,
    /// Why the revisions are missing or may be wrong, in one line for the editor.
    pub(crate) note: Option<String>,
}

/// The last history replayed, by the commit it ends at: `serve` replays it again only when
/// a commit is made (or checked out); and the repository as last found, looked for again
/// only when git's files of it change.
pub(crate) struct LastReplay {
    last: Option<Mutex<Option<HeadReplayed>>>,
    opened: Option<Mutex<Option<Opened>>>,
}

/// A commit, and the history up to it replayed.
type HeadReplayed = (String, Arc<Replayed>);

impl LastReplay {
    /// A memory that keeps the last history replayed.
    pub(crate) fn new() -> LastReplay {
        LastReplay {
            last: Some(Mutex::new(None)),
            opened: Some(Mutex::new(None)),
        }
    }

    /// The repository the site at `root` is in.
    fn repository(&self, root: &Path) -> Result<Repository, Unavailable> {
        let Some(opened) = &self.opened else {
            return Repository::open(root);
        };
        let mut opened = lock(opened);
        let again = Opened::again(root, opened.take());
        let found = again.found().clone();
        *opened = Some(again);
        found
    }

    /// A memory that keeps nothing.
    pub(crate) fn disabled() -> LastReplay {
        LastReplay {
            last: None,
            opened: None,
        }
    }
}

/// The revisions of the sessions of `event` (the site at `root`, as it is in the work tree).
/// A change not committed is dated `uncommitted_at` when given, else by the modification
/// time of the files changed, else `stamp`.
pub(crate) fn derive(
    root: &Path,
    config: &Config,
    event: &Event,
    uncommitted_at: Option<DateTime<Utc>>,
    stamp: DateTime<Utc>,
    last_replay: &LastReplay,
) -> Derived {
    let unknown = |note: &str| Derived {
        revisions: Revisions::default(),
        note: Some(format!(
            "{note}: every session's SEQUENCE is 0 and its LAST-MODIFIED the feeds' DTSTAMP \
             (see docs/calendar.md)"
        )),
    };
    let repository = match last_replay.repository(root) {
        Ok(repository) => Some(repository),
        Err(Unavailable::NoGit) => return unknown("git is not installed"),
        Err(Unavailable::NotARepository) => return unknown("the site is not in a git repository"),
        // Nothing committed yet: every session is a change of the work tree.
        Err(Unavailable::NoCommit) => None,
    };
    let replayed = match &repository {
        Some(repository) => match remembered(repository, last_replay) {
            Ok(replayed) => replayed,
            Err(e) => return unknown(&format!("the git history could not be read ({e})")),
        },
        None => Arc::new(Replayed::default()),
    };
    let mut dated = None;
    let mut uncommitted = || {
        *dated.get_or_insert_with(|| {
            uncommitted_at
                .or_else(|| repository.as_ref().and_then(|r| newest_change(root, r)))
                .unwrap_or(stamp)
        })
    };
    let mut revisions = Revisions::default();
    for ((lang, id), fingerprint) in render::fingerprints(config, event) {
        let revision = match replayed.sessions.get(&(lang.clone(), id.clone())) {
            Some((known, revision)) if *known == fingerprint => *revision,
            Some((_, revision)) => Revision {
                sequence: revision.sequence + 1,
                modified: uncommitted(),
            },
            None => Revision {
                sequence: 0,
                modified: uncommitted(),
            },
        };
        revisions.insert(&lang, &id, revision);
    }
    let note = repository.filter(|r| r.shallow).map(|_| {
        "this clone is shallow: SEQUENCE and LAST-MODIFIED count only the commits it has; \
         fetch the whole history (`git fetch --unshallow`, or `fetch-depth: 0` in GitHub \
         Actions)"
            .to_string()
    });
    Derived { revisions, note }
}

/// The history up to the commit checked out, replayed, or as `kept` kept it.
fn remembered(repository: &Repository, kept: &LastReplay) -> std::io::Result<Arc<Replayed>> {
    let Some(last) = &kept.last else {
        return replay(repository).map(Arc::new);
    };
    if let Some((head, replayed)) = lock(last).as_ref() {
        if *head == repository.head {
            return Ok(Arc::clone(replayed));
        }
    }
    let replayed = Arc::new(replay(repository)?);
    *lock(last) = Some((repository.head.clone(), Arc::clone(&replayed)));
    Ok(replayed)
}

/// When the newest of the site's changed source files was modified.
fn newest_change(root: &Path, repository: &Repository) -> Option<DateTime<Utc>> {
    let changed = repository.changed(&SOURCES).ok()?;
    changed
        .iter()
        .filter_map(|file| std::fs::metadata(root.join(file)).ok()?.modified().ok())
        .max()
        .map(DateTime::<Utc>::from)
}

/// The sessions of the last commit, each with its fingerprint and revision; and those of
/// earlier commits that a later one removed, so that a session put back as it was is the
/// same session.
#[derive(Debug, Default)]
struct Replayed {
    sessions: HashMap<(String, String), (Key, Revision)>,
}

/// Replays the history of the site's [`SOURCES`].
fn replay(repository: &Repository) -> std::io::Result<Replayed> {
    let commits = repository.log(&SOURCES)?;
    let mut ids: Vec<&str> = commits
        .iter()
        .flat_map(|c| c.changes.iter().filter_map(|c| c.blob.as_deref()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let blobs = repository.blobs(&ids)?;
    // First, in order, the commits whose sources differ from the last one's in anything the
    // sessions are made from: a biography edited, or a commit the site did not build at,
    // is none.
    let mut files: BTreeMap<&str, &str> = BTreeMap::new();
    let mut parsed = Parsed::default();
    let mut last = None;
    let mut versions = Vec::new();
    for commit in &commits {
        for change in &commit.changes {
            match &change.blob {
                Some(blob) => files.insert(&change.path, blob),
                None => files.remove(change.path.as_str()),
            };
        }
        let Some((key, content)) = parsed.version(&files, &blobs) else {
            continue;
        };
        if last.replace(key) != Some(key) {
            versions.push((commit.time, content));
        }
    }
    // Then each version checked as an event and fingerprinted (on every core), and the
    // fingerprints compared in order.
    let fingerprints: Vec<_> = versions
        .into_par_iter()
        .filter_map(|(time, (config, content))| {
            let (event, _) = Event::assemble(&config, content).ok()?;
            Some((time, render::fingerprints(&config, &event)))
        })
        .collect();
    let mut replayed = Replayed::default();
    for (time, sessions) in fingerprints {
        let modified = DateTime::from_timestamp(time, 0).unwrap_or_default();
        for (session, fingerprint) in sessions {
            let revision = match replayed.sessions.get(&session) {
                Some((known, _)) if *known == fingerprint => continue,
                Some((_, revision)) => Revision {
                    sequence: revision.sequence + 1,
                    modified,
                },
                None => Revision {
                    sequence: 0,
                    modified,
                },
            };
            replayed.sessions.insert(session, (fingerprint, revision));
        }
    }
    Ok(replayed)
}

/// The source files parsed, by blob: a blob is parsed once however many commits have it.
#[derive(Default)]
struct Parsed<'b> {
    configs: HashMap<&'b str, Option<Arc<Config>>>,
    events: HashMap<&'b str, Option<Arc<Located<EventFile>>>>,
    programmes: HashMap<&'b str, Option<Arc<Located<ProgrammeFile>>>>,
    /// By path and blob: the path is the speaker's id and language. Emptied when the
    /// configuration changes, since its languages say which files are speakers'.
    speakers: HashMap<(&'b str, &'b str), Option<Speaker>>,
    speakers_config: Option<&'b str>,
}

/// A speaker's file, without its photo (which the calendar does not show, and whose file
/// the replay does not have), and the key of what the calendar shows of it.
type Speaker = (Arc<MarkdownFile<SpeakerMatter>>, Key);

/// A version of the site's sources, as the content loader reads it.
type Version = (Arc<Config>, Content);

impl<'b> Parsed<'b> {
    /// The version of the sources `files` (path to blob) and the key of what the sessions
    /// are made from; `None` when a file is missing or does not parse.
    fn version(
        &mut self,
        files: &BTreeMap<&'b str, &'b str>,
        blobs: &'b HashMap<String, Vec<u8>>,
    ) -> Option<(Key, Version)> {
        let text = |blob: &str| blobs.get(blob).cloned();
        let config_blob = *files.get(SOURCES[0])?;
        let config = self
            .configs
            .entry(config_blob)
            .or_insert_with(|| {
                let text = String::from_utf8(text(config_blob)?).ok()?;
                Config::parse(&text).ok().map(Arc::new)
            })
            .clone()?;
        let event_blob = *files.get(SOURCES[1])?;
        let event = self
            .events
            .entry(event_blob)
            .or_insert_with(|| {
                parse_yaml(Path::new(SOURCES[1]), text(event_blob)?)
                    .ok()
                    .map(Arc::new)
            })
            .clone()?;
        let programme_blob = *files.get(SOURCES[2])?;
        let programme = self
            .programmes
            .entry(programme_blob)
            .or_insert_with(|| {
                parse_yaml(Path::new(SOURCES[2]), text(programme_blob)?)
                    .ok()
                    .map(Arc::new)
            })
            .clone()?;
        if self.speakers_config.replace(config_blob) != Some(config_blob) {
            self.speakers.clear();
        }
        let mut digest = Digest::new("calendar sources");
        digest.part(config_blob.as_bytes());
        digest.part(event_blob.as_bytes());
        digest.part(programme_blob.as_bytes());
        let mut speakers = Vec::new();
        for (&path, &blob) in files.range(SPEAKERS..) {
            let Some(name) = path.strip_prefix(SPEAKERS) else {
                break;
            };
            if name.contains('/') {
                continue; // not a file of the folder itself
            }
            let Some(id) = speaker_file(&config, Path::new(path)) else {
                continue;
            };
            let (file, key) = self
                .speakers
                .entry((path, blob))
                .or_insert_with(|| speaker(path, id, text(blob)?))
                .as_ref()?;
            digest.part(&key.to_le_bytes());
            speakers.push(Arc::clone(file));
        }
        let content = Content::of_programme(event, programme, speakers);
        Some((digest.finish(), (config, content)))
    }
}

/// A speaker's file parsed; `None` when it does not parse.
fn speaker(path: &str, id: (String, String), bytes: Vec<u8>) -> Option<Speaker> {
    let mut file = parse_speaker(Path::new(path), id, bytes).ok()?;
    file.front.photo = None;
    let front = &file.front;
    let key = Digest::new("speaker")
        .hash(&(&file.name, &file.lang, &front.name, &front.honorific))
        .hash(&(&front.role, &front.organisation))
        .finish();
    Some((Arc::new(file), key))
}
