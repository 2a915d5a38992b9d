//! The event's organisers, as `event.yaml` lists them; one with an `id` can moderate or
//! speak in a session, named there like a speaker (organisers and speakers share one set of
//! ids).

use std::collections::HashMap;

use super::address::{self, Reach};
use super::fallbacks::Fallbacks;
use super::names::{self, Folder};
use super::speaker::Speakers;
use crate::content::EventFile;
use crate::diagnostics::{Errors, Problem};
use crate::text::Text;
use crate::yaml::Located;

/// An organiser of the event.
#[derive(Debug, Hash)]
pub(crate) struct Organiser {
    /// Its id, by which a session names it among its moderators or speakers.
    pub id: Option<String>,
    /// Its name.
    pub name: Text,
    /// What it does for the event.
    pub role: Option<Text>,
    /// Its website.
    pub url: Option<String>,
}

/// The organisers, and the index of each by its id.
pub(super) struct Organisers {
    pub(super) list: Vec<Organiser>,
    pub(super) by_id: HashMap<String, usize>,
}

/// Reads the organisers of `event.yaml`, checking their addresses and ids: an id is
/// URL-safe and used by no speaker and no other organiser (`speakers` hold the speakers'
/// ids, which the organisers' join).
pub(super) fn gather(
    event_file: &Located<EventFile>,
    speakers: &mut Speakers,
    fallbacks: &mut Fallbacks,
    errors: &mut Errors,
) -> Organisers {
    let mut organisers = Organisers {
        list: Vec::new(),
        by_id: HashMap::new(),
    };
    for (i, entry) in event_file.value.organisers.iter().enumerate() {
        let at = |field: &str| event_file.place(&format!("organisers.{i}.{field}"));
        fallbacks.check(&entry.name, event_file, &format!("organisers.{i}.name"));
        if let Some(role) = &entry.role {
            fallbacks.check(role, event_file, &format!("organisers.{i}.role"));
        }
        let url = entry.url.as_deref().map(str::trim);
        if let Some(problem) = url.and_then(|url| address::problem(url, Reach::WebOrMail, "url")) {
            errors.push(at("url"), problem);
        }
        let id = entry.id.as_deref().map(str::trim).map(str::to_string);
        if let Some(id) = &id {
            if let Some(problem) = names::check(id) {
                errors.push(at("id"), problem);
            } else if let Err(taken) = speakers.id_set.add(id, at("id")) {
                let clash = Folder::clash(id, &taken);
                let (first, file) = (taken.name.to_string(), taken.place.to_string());
                let problem = match speakers.find(&first) {
                    Some(_) => Problem::OrganiserIdOfSpeaker {
                        id: id.clone(),
                        speaker: first,
                        file,
                    },
                    None => clash,
                };
                errors.push(at("id"), problem);
            } else {
                organisers.by_id.insert(id.clone(), organisers.list.len());
            }
        }
        organisers.list.push(Organiser {
            id,
            name: entry.name.clone(),
            role: entry.role.clone(),
            url: url.map(str::to_string),
        });
    }
    organisers
}
