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

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::Serialize;

use super::dates::DayTimes;
use super::fold;
use super::markdown;
use super::routes::{self, PageRef};
use super::views::Sources;
use crate::event::Person;
use crate::memo::{lock, Digest, Key, Memo};
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

/// What the search index keeps from one build to the next (in `serve`): every folded word
/// it has met, numbered, and the words of each result by its texts, so that an edit folds
/// again only the texts it changed and no word is hashed again.
pub(crate) struct SearchMemo {
    vocabulary: Vocabulary,
    words: Memo<ResultWords>,
    /// The words of each language's results as its index was last made by a good build, by
    /// key: when a language's index is kept whole, its results' words are kept with it, for
    /// its next edit.
    languages: HashMap<String, Arc<LanguageWords>>,
    /// Those of the build running now, which become `languages` if it succeeds.
    made: Mutex<HashMap<String, Arc<LanguageWords>>>,
}

/// The words of every result of a language's index, each by its key.
type LanguageWords = Vec<(Key, ResultWords)>;

impl SearchMemo {
    /// A memo that keeps what builds fold.
    pub(crate) fn new() -> SearchMemo {
        SearchMemo {
            vocabulary: Vocabulary::default(),
            words: Memo::new(),
            languages: HashMap::new(),
            made: Mutex::default(),
        }
    }

    /// A memo for one build: its words are numbered, but nothing is kept after it.
    pub(crate) fn disabled() -> SearchMemo {
        SearchMemo {
            vocabulary: Vocabulary::default(),
            words: Memo::disabled(),
            languages: HashMap::new(),
            made: Mutex::default(),
        }
    }

    /// Ends a build (see [`Memo::finish`]). The vocabulary only grows: the words a kept
    /// result holds are its numbers.
    pub(crate) fn finish(&mut self, succeeded: bool) {
        self.words.finish(succeeded);
        let made = std::mem::take(self.made.get_mut().unwrap_or_else(|p| p.into_inner()));
        if succeeded {
            self.languages = made;
        }
    }

    /// Keeps the words of the results of `lang`'s index as the last good build made it,
    /// which this build keeps as it is.
    pub(super) fn keep(&self, lang: &str) {
        let Some(last) = self.languages.get(lang) else {
            return;
        };
        for (key, words) in last.iter() {
            self.words.insert(*key, Arc::clone(words));
        }
        lock(&self.made).insert(lang.to_string(), Arc::clone(last));
    }
}

/// Every folded word met, each numbered once, for every language: the index of a language
/// then gathers postings by number, in a list, rather than by word in a map.
#[derive(Default)]
struct Vocabulary {
    numbered: Mutex<Numbered>,
}

/// The words of a [`Vocabulary`]: each word's number, and the words by number.
#[derive(Default)]
struct Numbered {
    numbers: HashMap<Arc<str>, u32>,
    words: Vec<Arc<str>>,
}

impl Vocabulary {
    /// The numbers of `words`, in order, each numbered anew when it is new; one lock for all.
    fn numbers(&self, words: impl IntoIterator<Item = (String, bool)>) -> Vec<u32> {
        let mut numbered = lock(&self.numbered);
        let Numbered {
            numbers,
            words: all,
        } = &mut *numbered;
        words
            .into_iter()
            .map(|(word, title)| {
                let number = match numbers.get(word.as_str()) {
                    Some(&number) => number,
                    None => {
                        let word: Arc<str> = word.into();
                        let number = all.len() as u32;
                        all.push(Arc::clone(&word));
                        numbers.insert(word, number);
                        number
                    }
                };
                number << 1 | u32::from(title)
            })
            .collect()
    }

    /// The words numbered `numbers`, each with its number.
    fn words(&self, numbers: impl Iterator<Item = usize>) -> Vec<(usize, Arc<str>)> {
        let numbered = lock(&self.numbered);
        numbers
            .map(|n| (n, Arc::clone(&numbered.words[n])))
            .collect()
    }
}

/// Words with the results they are in, as they are gathered.
#[derive(Default)]
struct Words {
    /// The postings (see the module's doc) of each word, by its number in the
    /// [`Vocabulary`], in the order of results.
    postings: Vec<Vec<u32>>,
}

impl Words {
    /// Adds the words of result `result` (see [`ResultWords`]).
    fn add(&mut self, result: usize, words: &ResultWords) {
        for &word in words.iter() {
            let (number, title) = ((word >> 1) as usize, word & 1);
            let posting = (result as u32) << 1 | title;
            if number >= self.postings.len() {
                self.postings.resize_with(number + 1, Vec::new);
            }
            let postings = &mut self.postings[number];
            match postings.last_mut() {
                // The same result again: in its title wins.
                Some(last) if *last >> 1 == posting >> 1 => *last |= posting,
                _ => postings.push(posting),
            }
        }
    }

    /// How many postings there are.
    fn count(&self) -> usize {
        self.postings.iter().map(Vec::len).sum()
    }

    /// The shards, as JSON, `shards` of them: each an object of its words, in order, with
    /// their postings as gaps.
    fn shards(self, shards: usize, vocabulary: &Vocabulary) -> Vec<String> {
        let used = (0..self.postings.len()).filter(|&n| !self.postings[n].is_empty());
        let mut split: Vec<Vec<(Arc<str>, Gaps)>> = vec![Vec::new(); shards];
        for (n, word) in vocabulary.words(used) {
            split[shard_of(&word, shards)].push((word, Gaps(&self.postings[n])));
        }
        split
            .into_par_iter()
            .map(|mut shard| {
                shard.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
                let shard = Shard(&shard);
                // Words and lists of numbers always serialize.
                serde_json::to_string(&shard).unwrap_or_default()
            })
            .collect()
    }
}

/// A shard's words, in order, as a JSON object.
struct Shard<'a>(&'a [(Arc<str>, Gaps<'a>)]);

impl Serialize for Shard<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(word, gaps)| (&**word, gaps)))
    }
}

/// A word's postings, written as the gaps between them.
#[derive(Clone, Copy)]
struct Gaps<'a>(&'a [u32]);

impl Serialize for Gaps<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut last = 0;
        serializer.collect_seq(self.0.iter().map(|&posting| {
            let gap = posting - last;
            last = posting;
            gap
        }))
    }
}

/// The words of one result's texts, in order, each as its number in the [`Vocabulary`]
/// shifted left by one, with the low bit set where it is in the result's title or name; an
/// Arabic word with the article also without it, so that `شبكة` finds "الشبكة". Kept by
/// `serve` from one build to the next by its texts: an edit folds again only the texts it
/// changed.
pub(super) type ResultWords = Arc<Vec<u32>>;

/// A text of a result, as the index reads it.
#[derive(Clone, Copy)]
enum Part<'t> {
    /// Its title or name, plain text.
    Title(&'t str),
    /// Plain text that is not its title.
    Text(&'t str),
    /// Markdown (a biography, a description, a page's body), read as its text.
    Markdown(&'t str),
}

impl<'t> Part<'t> {
    /// Its kind, for the key of a result's words, and its text as written.
    fn written(self) -> (u8, &'t str) {
        match self {
            Part::Title(text) => (0, text),
            Part::Text(text) => (1, text),
            Part::Markdown(text) => (2, text),
        }
    }

    /// Its text as the index reads it, and whether it is the result's title.
    fn read(self) -> (Cow<'t, str>, bool) {
        match self {
            Part::Title(text) => (Cow::Borrowed(text), true),
            Part::Text(text) => (Cow::Borrowed(text), false),
            Part::Markdown(text) => (Cow::Owned(markdown::to_text(text)), false),
        }
    }
}

/// The [`ResultWords`] of `parts`, from `memo` when an earlier build folded the same, and
/// their key when `memo` keeps them.
fn result_words(parts: &[Part], memo: &SearchMemo) -> (Option<Key>, ResultWords) {
    let fold = || {
        let mut words = Vec::new();
        for part in parts {
            let (text, title) = part.read();
            for word in fold::words(&text) {
                if let Some(bare) = without_article(&word) {
                    words.push((bare.to_string(), title));
                }
                words.push((word, title));
            }
        }
        Arc::new(memo.vocabulary.numbers(words))
    };
    if !memo.words.enabled() {
        return (None, fold());
    }
    let mut digest = Digest::new("search words");
    for part in parts {
        let (kind, text) = part.written();
        digest.part(&[kind]).part(text.as_bytes());
    }
    let key = digest.finish();
    (Some(key), memo.words.get_or(|| key, fold))
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

/// A hash of everything the search files of the language of `sources` are made from: the
/// programme (`programme`, see `render::programme_key`), and what it leaves out, the
/// biographies as this language reads them and the pages (the hash of each, `pages`). An edit of one language's
/// biography leaves the other languages' indexes as they are.
pub(super) fn key(sources: &Sources, programme: Key, pages: &[Key]) -> Key {
    let plain = sources.plain;
    let mut digest = Digest::new("search");
    digest
        .part(&programme.to_le_bytes())
        .part(plain.lang.as_bytes());
    for speaker in &sources.event.speakers {
        digest.part(plain.text(&speaker.biography).as_bytes());
    }
    digest.hash(pages);
    digest.finish()
}

/// The search files of the language of `sources`: each path and its JSON. The words of each
/// result come from `memo` when an earlier build folded the same texts.
pub(super) fn files(
    sources: &Sources,
    times: &[DayTimes],
    memo: &SearchMemo,
) -> Vec<(String, String)> {
    let (event, localizer, plain) = (sources.event, sources.localizer, sources.plain);
    let lang = plain.lang;
    // A result's row of `index.json`, and its words.
    let result = |kind: &str, path: String, title: &Text, detail: String, parts: &[Part]| {
        let title = localizer.text(title);
        let mut row = vec![kind.to_string(), path, title.text, detail];
        if title.fallback {
            row.extend([title.lang, title.dir.to_string()]);
        }
        (row, result_words(parts, memo))
    };
    // Every spelling of a person's name, in every language.
    let names = |person: &Person| -> Vec<&str> {
        match *person {
            Person::Speaker(i) => spellings(&event.speakers[i].name),
            Person::Organiser(i) => spellings(&event.organisers[i].name),
        }
    };
    let sessions: Vec<_> = event
        .programme
        .days
        .iter()
        .zip(times)
        .flat_map(|(day, day_times)| {
            let sessions = day.sessions.iter().zip(&day_times.sessions);
            sessions.map(move |(session, times)| (day_times, session, times))
        })
        .collect();
    // Each result on every core (most of a language's are kept from the last build, but each
    // is looked for by its texts), gathered in the site's order.
    let mut made: Vec<_> = sessions
        .par_iter()
        .map(|&(day_times, session, times)| {
            let when = match &times.end {
                Some(end) => format!("{}–{end}", times.start),
                None => times.start.clone(),
            };
            let mut detail = vec![day_times.date.as_str(), &when];
            detail.extend(plain.room(session));
            let path = routes::session(lang, &session.id);
            let mut parts = vec![Part::Title(plain.text(&session.title))];
            let description = session.description.as_ref().map(|d| plain.text(d));
            parts.extend(description.map(Part::Markdown));
            for person in session.moderators.iter().chain(&session.speakers) {
                parts.extend(names(person).into_iter().map(Part::Text));
            }
            parts.extend(plain.room(session).map(Part::Text));
            result("session", path, &session.title, detail.join(" · "), &parts)
        })
        .collect();
    made.par_extend(event.speakers.par_iter().map(|speaker| {
        let position: Vec<&str> = [&speaker.role, &speaker.organisation]
            .into_iter()
            .flatten()
            .map(|text| plain.text(text).trim())
            .filter(|text| !text.is_empty())
            .collect();
        let position = position.join(plain.ui("comma", ", "));
        let path = routes::speaker(lang, &speaker.id);
        let mut parts: Vec<Part> = spellings(&speaker.name)
            .into_iter()
            .map(Part::Title)
            .collect();
        parts.extend([
            Part::Text(&position),
            Part::Markdown(plain.text(&speaker.biography)),
        ]);
        result("speaker", path, &speaker.name, position.clone(), &parts)
    }));
    made.extend(event.pages.iter().enumerate().map(|(i, page)| {
        let path = PageRef::Page(i).dir(event, lang);
        let parts = [
            Part::Title(plain.text(&page.title)),
            Part::Markdown(plain.text(&page.body)),
        ];
        result("page", path, &page.title, String::new(), &parts)
    }));
    let mut results: Vec<Vec<String>> = Vec::with_capacity(made.len());
    let mut words = Words::default();
    let mut used: Vec<(Key, ResultWords)> = Vec::new();
    for (r, (row, (key, folded))) in made.into_iter().enumerate() {
        results.push(row);
        words.add(r, &folded);
        used.extend(key.map(|key| (key, folded)));
    }
    if memo.words.enabled() {
        lock(&memo.made).insert(lang.to_string(), Arc::new(used));
    }
    let shards = words
        .count()
        .div_ceil(POSTINGS_PER_SHARD)
        .clamp(1, MOST_SHARDS);
    let index = Index {
        lang,
        shards,
        results,
    };
    let (index, shards) = rayon::join(
        // Strings and lists of strings always serialize.
        || serde_json::to_string(&index).unwrap_or_default(),
        || words.shards(shards, &memo.vocabulary),
    );
    let mut files = vec![(routes::search_index(lang), index)];
    for (n, shard) in shards.into_iter().enumerate() {
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
    use std::sync::Arc;

    use super::{result_words, shard_of, without_article, Part, SearchMemo, Words};
    use crate::memo::lock;

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
        let memo = SearchMemo::disabled();
        let mut words = Words::default();
        let first = [Part::Text("Emploi et *emploi*"), Part::Title("Emploi")];
        words.add(0, &result_words(&first, &memo).1);
        words.add(
            3,
            &result_words(&[Part::Markdown("**emploi** \"quoi\"")], &memo).1,
        );
        let shards = words.shards(1, &memo.vocabulary);
        assert_eq!(shards[0], r#"{"emploi":[1,5],"et":[0],"quoi":[6]}"#);
    }

    #[test]
    fn a_kept_result_keeps_its_numbers_and_a_new_word_gets_its_own() {
        let mut memo = SearchMemo::new();
        let (_, before) = result_words(&[Part::Text("réseau emploi")], &memo);
        memo.finish(true);
        let (_, again) = result_words(&[Part::Text("réseau emploi")], &memo);
        assert!(Arc::ptr_eq(&before, &again));
        let (_, other) = result_words(&[Part::Text("emploi public")], &memo);
        let mut words = Words::default();
        words.add(0, &again);
        words.add(1, &other);
        let shards = words.shards(1, &memo.vocabulary);
        assert_eq!(shards[0], r#"{"emploi":[0,2],"public":[2],"reseau":[0]}"#);
    }

    #[test]
    fn a_language_kept_whole_keeps_its_results_words_for_its_next_edit() {
        let mut memo = SearchMemo::new();
        let (key, before) = result_words(&[Part::Text("réseau emploi")], &memo);
        // As `files` leaves it once the French index is made.
        let made = vec![(key.unwrap(), Arc::clone(&before))];
        lock(&memo.made).insert("fr".into(), Arc::new(made));
        memo.finish(true);
        // The next build keeps the French index whole, folding none of its results.
        memo.keep("fr");
        memo.finish(true);
        let (_, again) = result_words(&[Part::Text("réseau emploi")], &memo);
        assert!(Arc::ptr_eq(&before, &again));
    }
}
