//! What the pages of every language are made from, hashed once a build ([`EventKeys`],
//! [`links_key`]), and what their views keep from one build to the next in `serve`
//! ([`ViewMemos`]): the keys by which a page the last build made from the same inputs is
//! kept rather than made again (see `pages`).

use std::sync::Arc;

use rayon::prelude::*;

use super::dates::DayTimes;
use super::structured::Sessions;
use super::views::PersonView;
use crate::event::Event;
use crate::memo::{Digest, Key, Memo};

/// The hashes of what the pages of every language are made from, taken once for all: the
/// programme's (see `render::programme_key`) and each speaker's and page's, whole.
pub(crate) struct EventKeys {
    pub(crate) programme: Key,
    pub(super) speakers: Vec<Key>,
    pub(super) pages: Vec<Key>,
}

impl EventKeys {
    pub(crate) fn new(programme: Key, event: &Event) -> EventKeys {
        fn whole(kind: &str, model: &impl std::hash::Hash) -> Key {
            Digest::new(kind).hash(model).finish()
        }
        EventKeys {
            programme,
            speakers: (event.speakers.par_iter())
                .map(|speaker| whole("speaker", speaker))
                .collect(),
            pages: event.pages.iter().map(|page| whole("page", page)).collect(),
        }
    }
}

/// What the views of every language keep from one build to the next in `serve`, each by
/// what it is made from.
pub(crate) struct ViewMemos {
    /// Markdown rendered to HTML, by text and options.
    pub(super) markdown: Memo<Arc<str>>,
    /// The JSON-LD of every session of a language.
    pub(super) sessions: Memo<Arc<Sessions>>,
    /// When each day and session of a language is, as it writes dates and times.
    pub(super) times: Memo<Arc<Vec<DayTimes>>>,
    /// The speakers as a language shows them.
    pub(super) people: Memo<Arc<Vec<PersonView>>>,
}

impl ViewMemos {
    /// Memos that keep what builds make.
    pub(crate) fn new() -> ViewMemos {
        ViewMemos {
            markdown: Memo::new(),
            sessions: Memo::new(),
            times: Memo::new(),
            people: Memo::new(),
        }
    }

    /// Memos that keep nothing.
    pub(crate) fn disabled() -> ViewMemos {
        ViewMemos {
            markdown: Memo::disabled(),
            sessions: Memo::disabled(),
            times: Memo::disabled(),
            people: Memo::disabled(),
        }
    }

    /// Ends a build (see [`Memo::finish`]).
    pub(crate) fn finish(&mut self, succeeded: bool) {
        self.markdown.finish(succeeded);
        self.sessions.finish(succeeded);
        self.times.finish(succeeded);
        self.people.finish(succeeded);
    }
}

/// A hash of the site's pages as every page's links and menu show them: their names, titles,
/// places in the menu and URL segments, but not their bodies, which only their own pages
/// show. A page is taken apart field by field, so that a field added to it must be placed
/// here, in the key or out of it.
pub(super) fn links_key(event: &Event) -> Key {
    let mut digest = Digest::new("links");
    for page in &event.pages {
        let crate::event::Page {
            name,
            title,
            menu,
            slugs,
            body: _,
        } = page;
        digest.hash(&(name, title, menu, slugs));
    }
    digest.finish()
}
