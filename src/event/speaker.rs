//! Speakers: one Markdown file per language gathered into one person, and linked to the
//! sessions they speak in or moderate.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::fallbacks::Fallbacks;
use super::names::{self, Folder};
use super::photo::StaticFiles;
use crate::config::Config;
use crate::content::files::MarkdownFile;
use crate::content::SpeakerMatter;
use crate::diagnostics::{Errors, Place, Problem};
use crate::text::Text;

/// A person of the programme.
#[derive(Debug, Hash)]
pub(crate) struct Speaker {
    /// Their id: the file name, used in URLs.
    pub id: String,
    /// Their name, as written in each language's file.
    pub name: Text,
    /// "Dr.", "H.E."...
    pub honorific: Option<Text>,
    /// Their position.
    pub role: Option<Text>,
    /// Their organisation.
    pub organisation: Option<Text>,
    /// Their photo, relative to `content/static/`.
    pub photo: Option<String>,
    /// Their grammatical gender, if their files give it: the labels that agree with it
    /// (Arabic متحدثة, French Intervenante) take its form, the neutral one otherwise.
    pub gender: Option<Gender>,
    /// Their biography (Markdown), in the languages that have one.
    pub biography: Text,
    /// The sessions they speak in or moderate, in programme order.
    pub appearances: Vec<Appearance>,
}

impl Speaker {
    /// The sessions they are in, each once (as day and session indexes), in programme order:
    /// someone who both moderates and speaks in a session appears twice in it.
    pub(crate) fn sessions(&self) -> Vec<(usize, usize)> {
        let mut sessions: Vec<(usize, usize)> = Vec::new();
        for appearance in &self.appearances {
            if !sessions.contains(&(appearance.day, appearance.session)) {
                sessions.push((appearance.day, appearance.session));
            }
        }
        sessions
    }
}

/// A person's grammatical gender, as a speaker's file may give it (`gender: female`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Gender {
    /// `female`.
    Female,
    /// `male`.
    Male,
}

impl Gender {
    /// As the files write it, and as the suffix of a string's form (`role_speaker_female`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Gender::Female => "female",
            Gender::Male => "male",
        }
    }

    /// The gender people have in common, if they all have one and the same.
    pub(crate) fn common(genders: impl IntoIterator<Item = Option<Gender>>) -> Option<Gender> {
        let mut genders = genders.into_iter();
        let first = genders.next()??;
        genders.all(|g| g == Some(first)).then_some(first)
    }
}

/// A speaker's part in a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Appearance {
    /// The day's index in the programme.
    pub day: usize,
    /// The session's index in its day.
    pub session: usize,
    /// What they do there.
    pub role: Role,
}

/// What a person does in a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Role {
    /// Chairs it.
    Moderator,
    /// Speaks in it.
    Speaker,
}

/// The speakers while the programme is being linked to them.
#[derive(Debug, Default)]
pub(super) struct Speakers {
    pub(super) list: Vec<Speaker>,
    by_id: HashMap<String, usize>,
    /// Every id given so far: the speakers', which the organisers' join (one set).
    pub(super) id_set: Folder,
}

impl Speakers {
    /// The index of the speaker with this id.
    pub(super) fn find(&self, id: &str) -> Option<usize> {
        self.by_id.get(id.trim()).copied()
    }

    /// Every speaker's id.
    pub(super) fn ids(&self) -> impl Iterator<Item = &str> {
        self.by_id.keys().map(String::as_str)
    }

    /// Gives each speaker the biographies [`biographies`] copied.
    pub(super) fn add_biographies(&mut self, biographies: Vec<Biography>) {
        for (index, lang, body) in biographies {
            self.list[index].biography.insert(&lang, body);
        }
    }
}

/// A speaker's biography in one language: the speaker's index, the language, the text.
pub(super) type Biography = (usize, String, String);

/// The biographies of the speakers' files, by [`gather`]'s speakers: the bulk of their text,
/// copied apart from the rest, so that it can be on another core while the programme is
/// assembled.
pub(super) fn biographies(
    files: &[Arc<MarkdownFile<SpeakerMatter>>],
    speakers: &Speakers,
) -> Vec<Biography> {
    files
        .par_iter()
        .filter(|file| !file.body.trim().is_empty())
        .filter_map(|file| {
            let index = speakers.by_id.get(&file.name)?;
            Some((*index, file.lang.clone(), file.body.clone()))
        })
        .collect()
}

/// Gathers the speakers' files, one speaker per id; each photo must be one of `statics`.
pub(super) fn gather(
    files: &[Arc<MarkdownFile<SpeakerMatter>>],
    config: &Config,
    statics: &StaticFiles,
    fallbacks: &mut Fallbacks,
    errors: &mut Errors,
) -> Speakers {
    let mut speakers = Speakers::default();
    // Each speaker is published as LANG/speakers/ID/ and LANG/speakers/ID.ics.
    for file in files {
        let index = match speakers.by_id.get(&file.name) {
            Some(&i) => i,
            None => {
                let place = Place::file(&file.file);
                if let Some(problem) = names::check(&file.name) {
                    errors.push(place, problem);
                } else if let Err(taken) = speakers.id_set.add(&file.name, place.clone()) {
                    errors.push(place, Folder::clash(&file.name, &taken));
                }
                speakers
                    .by_id
                    .insert(file.name.clone(), speakers.list.len());
                speakers.list.push(Speaker {
                    id: file.name.clone(),
                    name: Text::empty(),
                    honorific: None,
                    role: None,
                    organisation: None,
                    photo: None,
                    gender: None,
                    biography: Text::empty(),
                    appearances: Vec::new(),
                });
                speakers.list.len() - 1
            }
        };
        let speaker = &mut speakers.list[index];
        let front = &file.front;
        let lang = file.lang.as_str();
        if front.name.trim().is_empty() {
            errors.push(file.place("name"), Problem::EmptyName);
        }
        speaker.name.insert(lang, front.name.trim().to_string());
        for (field, value) in [
            (&mut speaker.honorific, &front.honorific),
            (&mut speaker.role, &front.role),
            (&mut speaker.organisation, &front.organisation),
        ] {
            if let Some(value) = value.as_ref().filter(|v| !v.trim().is_empty()) {
                field
                    .get_or_insert_with(Text::empty)
                    .insert(lang, value.trim().to_string());
            }
        }
        let photo = front
            .photo
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty());
        if let Some(photo) = photo {
            if let Some(reason) = statics.problem(photo) {
                let photo = photo.to_string();
                errors.push(file.place("photo"), Problem::BadPhoto { photo, reason });
            }
            if speaker.photo.is_none() || lang == config.default_language().code {
                speaker.photo = Some(photo.to_string());
            }
        }
        if let Some(written) = front.gender.as_deref().map(str::trim) {
            let gender = match written {
                "female" => Some(Gender::Female),
                "male" => Some(Gender::Male),
                _ => None,
            };
            match (gender, speaker.gender) {
                (None, _) => errors.push(
                    file.place("gender"),
                    Problem::BadGender(written.to_string()),
                ),
                (Some(g), Some(other)) if g != other => errors.push(
                    file.place("gender"),
                    Problem::GenderDiffers {
                        written: g.name(),
                        other: other.name(),
                    },
                ),
                (Some(g), _) => speaker.gender = Some(g),
            }
        }
    }
    let default = &config.default_language().code;
    for speaker in &speakers.list {
        let present: Vec<&str> = speaker.name.languages().collect();
        let file = |code: &str| format!("content/speakers/{}.{code}.md", speaker.id);
        let missing = config
            .languages
            .iter()
            .filter(|l| !present.contains(&l.code.as_str()))
            .map(|l| (l.code.clone(), Place::file(file(&l.code))))
            .collect();
        let shown = speaker.name.get(default, default).lang.unwrap_or_default();
        let source = (shown.to_string(), file(shown));
        fallbacks.file("the speaker", missing, source);
    }
    speakers
}
