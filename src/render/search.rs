//! The search index of each language (`LANG/search/`), which the search page's script
//! (themes/default/static/search.js) reads: every session (title, description, people,
//! room), speaker (name, position, organisation, biography) and page (title, text), with
//! the words of each folded as [`fold`] folds them.
//!
//! Written here rather than by Pagefind (the `pagefind` crate, its first candidate; see
//! docs/search.md for the figures): Pagefind brings an HTTP server, a command line and a
//! multi-threaded async runtime into the build (167 crates more than majlis has), its
//! stemmers and word splitting would need to be fed pre-folded text and would then show
//! it in excerpts, and its WebAssembly runtime alone is about 60 kB gzipped of the first
//! search's 150 kB. The index here is two kinds of JSON file a language:
//!
//! - `index.json`: the results (each a kind, a link from the site's root, a title and a
//!   line of detail, with the title's language when it fell back) and the number of shards;
//! - `words-N.json`: the folded words whose first two letters hash to shard N, each with
//!   the results it is in, as gaps between numbers `result × 2 + 1` where the word is in
//!   the result's title or name, `result × 2` elsewhere.
//!
//! A query's word is looked for among the words of its own shard that start with it (see
//! [`shard_of`]), so the first search downloads the script, `index.json` and one shard for
//! each word typed.
//!
//! A person is found in every spelling of their name, from any language's search: the
//! Latin "Dur" finds Varol Dur from the Arabic search, and "دور" from the English one.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;

use super::dates::DayTimes;
use super::fold;
use super::markdown;
use super::routes::{self, PageRef};
use super::views::Sources;
use crate::event::Person;
use crate::memo::{Digest, Memo};
use crate::text::Text;

/// How many postings a shard holds at most, about: at the benchmark's large scale (2,000
/// sessions, 1,000 speakers) a shard of this many weighs 10 to 20 kB gzipped.
const POSTINGS_PER_SHARD: usize = 12_000;
/// At most this many shards a language; a larger site has larger shards.
const MOST_SHARDS: usize = 64;

#[derive(Serialize)]
struct Index<'a> {
    lang: &'a str,
    shards: usize,
    /// `[kind, path, title, detail]`, then the title's language and direction when it fell
    /// back to another; `kind` is `session`, `speaker` or `page`.
    results: Vec<Vec<String>>,
}

/// Words with the results they are in, as they are gathered.
#[derive(Default)]
struct Words {
    /// Each word's postings (see the module's doc), in the order of results; put in order
    /// of words in their shards.
    postings: HashMap<String, Vec<u32>>,
}

impl Words {
    /// Adds the words of result `result` (see [`ResultWords`]).
    fn add(&mut self, result: usize, words: &ResultWords) {
        for (word, title) in words.iter() {
            let posting = (result as u32) << 1 | u32::from(*title);
            let postings = match self.postings.get_mut(word.as_str()) {
                Some(postings) => postings,
                None => self.postings.entry(word.clone()).or_default(),
            };
            match postings.last_mut() {
                // The same result again: in its title wins.
                Some(last) if *last >> 1 == posting >> 1 => *last |= posting,
                _ => postings.push(posting),
            }
        }
    }

    /// The shards, as JSON, `shards` of them.
    fn shards(self, shards: usize) -> Vec<String> {
        let mut split: Vec<BTreeMap<&str, Vec<u32>>> = vec![BTreeMap::new(); shards];
        for (word, postings) in &self.postings {
            let mut last = 0;
            let gaps = postings
                .iter()
                .map(|&p| {
                    let gap = p - last;
                    last = p;
                    gap
                })
                .collect();
            split[shard_of(word, shards)].insert(word, gaps);
        }
        split
            .iter()
            // Maps with string keys and lists of numbers always serialize.
            .map(|shard| serde_json::to_string(shard).unwrap_or_default())
            .collect()
    }
}

/// The folded words of one result's texts, in order, each with whether it is in the
/// result's title or name; an Arabic word with the article also without it, so that `شبكة`
/// finds "الشبكة". Kept by `serve` from one build to the next by its texts: an edit folds
/// again only the texts it changed.
pub(super) type ResultWords = Arc<Vec<(String, bool)>>;

/// The [`ResultWords`] of `texts` (each with whether it is a title), from `memo` when an
/// earlier build folded the same.
fn result_words(texts: &[(&str, bool)], memo: &Memo<ResultWords>) -> ResultWords {
    let key = || {
        let mut digest = Digest::new("search words");
        for (text, title) in texts {
            digest.part(text.as_bytes()).part(&[u8::from(*title)]);
        }
        digest.finish()
    };
    memo.get_or(key, || {
        let mut words = Vec::new();
        for &(text, title) in texts {
            for word in fold::words(text) {
                if let Some(bare) = without_article(&word) {
                    words.push((bare.to_string(), title));
                }
                words.push((word, title));
            }
        }
        Arc::new(words)
    })
}

/// A folded Arabic word without its article, alone or after و ب ف ك ("and", "with", "so",
/// "as"), or after ل ("for", which takes the alef: "للشبكة"), when at least two letters are
/// left.
fn without_article(word: &str) -> Option<&str> {
    ["وال", "بال", "فال", "كال", "ال", "لل"]
        .iter()
        .find_map(|article| word.strip_prefix(article))
        .filter(|rest| rest.chars().count() >= 2)
}

/// The shard of a folded word: a hash of its first two characters (of its only one), which
/// the script computes the same way (`shardOf`), so that every word a query's word begins
/// is in the same shard.
fn shard_of(word: &str, shards: usize) -> usize {
    let mut chars = word.chars().map(|c| c as usize);
    let first = chars.next().unwrap_or(0);
    let second = chars.next().unwrap_or(0);
    (first * 31 + second) % shards
}

/// The search files of the language of `sources`: each path and its JSON. The words of each
/// result come from `memo` when an earlier build folded the same texts.
pub(super) fn files(
    sources: &Sources,
    times: &[DayTimes],
    memo: &Memo<ResultWords>,
) -> Vec<(String, String)> {
    let (event, localizer, plain) = (sources.event, sources.localizer, sources.plain);
    let lang = plain.lang;
    let mut results: Vec<Vec<String>> = Vec::new();
    let mut words = Words::default();
    let mut result = |kind: &str, path: String, title: &Text, detail: String| {
        let title = localizer.text(title);
        let mut row = vec![kind.to_string(), path, title.text, detail];
        if title.fallback {
            row.extend([title.lang, title.dir.to_string()]);
        }
        results.push(row);
        results.len() - 1
    };
    // Every spelling of a person's name, in every language.
    let names = |person: &Person| -> Vec<&str> {
        match *person {
            Person::Speaker(i) => spellings(&event.speakers[i].name),
            Person::Organiser(i) => spellings(&event.organisers[i].name),
        }
    };
    for (day, day_times) in event.programme.days.iter().zip(times) {
        for (session, times) in day.sessions.iter().zip(&day_times.sessions) {
            let when = match &times.end {
                Some(end) => format!("{}–{end}", times.start),
                None => times.start.clone(),
            };
            let mut detail = vec![day_times.date.as_str(), &when];
            detail.extend(plain.room(session));
            let path = routes::session(lang, &session.id);
            let r = result("session", path, &session.title, detail.join(" · "));
            let description = plain.description(session).map(|(text, _)| text);
            let mut texts = vec![(plain.text(&session.title), true)];
            texts.extend(description.as_deref().map(|text| (text, false)));
            for person in session.moderators.iter().chain(&session.speakers) {
                texts.extend(names(person).into_iter().map(|name| (name, false)));
            }
            texts.extend(plain.room(session).map(|room| (room, false)));
            words.add(r, &result_words(&texts, memo));
        }
    }
    for speaker in &event.speakers {
        let position: Vec<&str> = [&speaker.role, &speaker.organisation]
            .into_iter()
            .flatten()
            .map(|text| plain.text(text).trim())
            .filter(|text| !text.is_empty())
            .collect();
        let position = position.join(plain.ui("comma", ", "));
        let path = routes::speaker(lang, &speaker.id);
        let r = result("speaker", path, &speaker.name, position.clone());
        let biography = markdown::to_text(plain.text(&speaker.biography));
        let mut texts: Vec<(&str, bool)> = spellings(&speaker.name)
            .into_iter()
            .map(|name| (name, true))
            .collect();
        texts.extend([(position.as_str(), false), (biography.as_str(), false)]);
        words.add(r, &result_words(&texts, memo));
    }
    for (i, page) in event.pages.iter().enumerate() {
        let path = PageRef::Page(i).dir(event, lang);
        let r = result("page", path, &page.title, String::new());
        let body = markdown::to_text(plain.text(&page.body));
        let texts = [(plain.text(&page.title), true), (body.as_str(), false)];
        words.add(r, &result_words(&texts, memo));
    }
    let postings: usize = words.postings.values().map(Vec::len).sum();
    let shards = postings.div_ceil(POSTINGS_PER_SHARD).clamp(1, MOST_SHARDS);
    let index = Index {
        lang,
        shards,
        results,
    };
    let mut files = vec![(
        routes::search_index(lang),
        // Strings and lists of strings always serialize.
        serde_json::to_string(&index).unwrap_or_default(),
    )];
    for (n, shard) in words.shards(shards).into_iter().enumerate() {
        files.push((routes::search_shard(lang, n), shard));
    }
    files
}

/// Every spelling of a text: one, or one per language.
fn spellings(text: &Text) -> Vec<&str> {
    match text {
        Text::Same(text) => vec![text.as_str()],
        Text::PerLanguage(map) => map.values().map(String::as_str).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::{result_words, shard_of, without_article, Memo, Words};

    #[test]
    fn an_arabic_word_is_found_without_its_article() {
        assert_eq!(without_article("الشبكه"), Some("شبكه"));
        assert_eq!(without_article("والتشغيل"), Some("تشغيل"));
        assert_eq!(without_article("للشبكه"), Some("شبكه"));
        assert_eq!(without_article("ال"), None);
        assert_eq!(without_article("شبكه"), None);
        assert_eq!(without_article("alliance"), None);
    }

    #[test]
    fn a_word_and_every_word_it_begins_are_in_one_shard() {
        for shards in [1, 7, 64] {
            let shard = shard_of("ka", shards);
            for word in ["katilimci", "kalkinma", "ka"] {
                assert_eq!(shard_of(word, shards), shard);
            }
            assert!(shard_of("x", shards) < shards);
        }
    }

    #[test]
    fn postings_are_gaps_with_the_title_flag() {
        let memo = Memo::disabled();
        let mut words = Words::default();
        words.add(
            0,
            &result_words(&[("Emploi et emploi", false), ("Emploi", true)], &memo),
        );
        words.add(3, &result_words(&[("emploi", false)], &memo));
        let shards = words.shards(1);
        assert_eq!(shards[0], r#"{"emploi":[1,5],"et":[0]}"#);
    }
}
