//! The help line of each problem: how an editor fixes it, in the words of the files they
//! write.

use super::{closest, Problem};

impl Problem {
    /// How an editor fixes it, when there is more to say than the message.
    pub(crate) fn hint(&self) -> Option<String> {
        Some(match self {
            Problem::MissingColon { fix, .. } => {
                format!("write `{fix}`: a key and its value are separated by `: `")
            }
            Problem::MissingSpaceAfterColon { fix, .. } => format!("write `{fix}`"),
            Problem::Misaligned => {
                "indent it with spaces, as far as the other keys of the same entry (most often \
                 the line above)"
                    .into()
            }
            Problem::ListItemHere => {
                "remove the `- `, or line it up under the key whose list it belongs to".into()
            }
            Problem::Tab => "replace the tab with spaces, as many as the lines around it".into(),
            Problem::UnclosedQuote { quote } => {
                format!("end the text with `{quote}` on the same line")
            }
            Problem::TextAfterQuote { fix: Some(fix) } => {
                format!("for a `\"` inside a text, put the text between single quotes: `{fix}`")
            }
            Problem::TextAfterQuote { fix: None } => {
                "end the line after the closing quote, or quote the whole text".into()
            }
            Problem::UnclosedBracket { open: '[' } => {
                "close the list with `]` on the line where it starts".into()
            }
            Problem::UnclosedBracket { .. } => {
                "close it with `}` on the line where it starts".into()
            }
            Problem::ColonInValue { fix: Some(fix) } => {
                format!("put the value between double quotes: `{fix}`")
            }
            Problem::ReservedStart { fix: Some(fix), .. } => {
                format!("put the value between double quotes: `{fix}`")
            }
            Problem::ColonInValue { fix: None } | Problem::ReservedStart { fix: None, .. } => {
                "put the value between double quotes".into()
            }
            Problem::Syntax(_) => {
                "compare the line with the ones around it: the indentation, a `: ` after each \
                 key, every quote and bracket closed"
                    .into()
            }
            Problem::DuplicateKey(key) => format!("keep one of the two `{key}:` lines"),
            Problem::EmptyFile => "write the file's content, or delete it".into(),
            Problem::WrongType {
                help: Some(help), ..
            } => help.clone(),
            Problem::EmptyValue { .. } => {
                "write the value after the `: `, or remove the line if the key is optional".into()
            }
            Problem::MissingKey { key, .. } => {
                format!("add a line `{key}: …`, lined up with the other keys")
            }
            Problem::UnknownKey {
                suggestion: Some(s),
                ..
            } => format!("did you mean `{s}`?"),
            Problem::UnknownKey { expected, .. } if !expected.is_empty() => {
                format!("the keys allowed here are: {}", expected.join(", "))
            }
            Problem::FrontMatterNotClosed => {
                "add a line with only `---` after the last key of the front matter".into()
            }
            Problem::FrontMatterMissing => {
                "start the file with a line `---`, the keys (`name:`, `title:` …), and another \
                 `---` line"
                    .into()
            }
            Problem::UnknownTimeZone(_) => {
                "use an IANA time zone name such as Africa/Casablanca or Europe/Paris".into()
            }
            Problem::BadDate(_) => "write year, month and day: 2024-02-29".into(),
            Problem::BadTime(_) => "write the time in quotes, e.g. start: \"09:30\"".into(),
            Problem::TimeSkipped { from, to, .. } => {
                format!("write the time the clocks really show: before {from}, or {to} or later")
            }
            Problem::EndNotAfterStart { .. } => {
                "correct one of the two times; for a session without a known end, remove `end:`"
                    .into()
            }
            Problem::DayOutsideEvent { .. } => {
                "correct the date, or start_date and end_date in content/event.yaml".into()
            }
            Problem::DuplicateDay(_) => {
                "put all the day's sessions under one `- date:`, and remove the other".into()
            }
            Problem::UnknownKind { kind, kinds } => match closest(kind, kinds.iter().copied()) {
                Some(kind) => format!("did you mean `{kind}`?"),
                None => format!("use one of: {}", kinds.join(", ")),
            },
            Problem::UnknownSpeaker {
                suggestion: Some(s),
                ..
            } => format!("did you mean `{s}`?"),
            Problem::UnknownSpeaker {
                id,
                file,
                organisers,
                ..
            } => {
                let mut hint = format!("check the spelling, or add the speaker by creating {file}");
                if !organisers.is_empty() {
                    hint.push_str(&format!(
                        ", or give an organiser of content/event.yaml `id: {id}`; the \
                         organisers' ids are: {}",
                        organisers.join(", ")
                    ));
                }
                hint
            }
            Problem::OrganiserIdOfSpeaker { speaker, .. } => format!(
                "give the organiser another `id` (and use it in content/programme.yaml), or \
                 rename the files content/speakers/{speaker}.LANG.md if the speaker is meant"
            ),
            Problem::BadLocale(_) => "write a language, then a region or script, then Unicode \
                extensions, joined by `-`: locale: en-GB (British forms), locale: ar-EG \
                (Arabic-Indic digits), locale: ar-MA-u-hc-h23 (24-hour times); or remove the line \
                to format as the code does"
                .into(),
            Problem::BadGender(_) => {
                "write `gender: female` or `gender: male`, or leave it out: the labels then take \
                 their neutral form"
                    .into()
            }
            Problem::GenderDiffers { .. } => {
                "give the same gender in every file of the speaker, or leave it out of all but one"
                    .into()
            }
            Problem::UnsafeId(_) => "for example: panel-1, opening, coffee-break".into(),
            Problem::DuplicateId { .. } => "give one of them another id".into(),
            Problem::CaseClash { .. } => {
                "give one of them another name, or write both the same way".into()
            }
            Problem::NameTooLong { .. } => {
                "shorten it: the id appears in addresses and file names (opening, panel-2)".into()
            }
            Problem::Overlap { .. } => {
                "change a time, or give the sessions different `location`s".into()
            }
            Problem::EmptyName => "write the speaker's name after `name: `".into(),
            Problem::SlugTaken { .. } => "give the page another `slug`, or rename its file".into(),
            Problem::InvalidUtf8 => "save the file as UTF-8 in your text editor".into(),
            Problem::ControlCharacter(_) => {
                "delete it (most editors do not show it: delete the characters around the \
                 column and type them again)"
                    .into()
            }
            Problem::YamlTooDeep { .. } => {
                "look for `[` or `{` that are never closed, or lines indented too far".into()
            }
            Problem::YamlTooLarge { .. } => {
                "check that this is the file you meant; split a very large text into several".into()
            }
            Problem::EventTooLong { .. } => "check the years of start_date and end_date".into(),
            Problem::EventEndsBeforeStart { .. } => {
                "correct start_date or end_date, or swap them".into()
            }
            Problem::BadLanguageCode(_) => {
                "write the language's standard (BCP 47) code: en, fr, ar, tr, pt-BR …".into()
            }
            Problem::NoLanguages => {
                "list at least one under `languages:`, with its `code` and `name`".into()
            }
            Problem::DuplicateLanguage(_) => "remove one of the two".into(),
            Problem::UnknownTheme(_) => {
                "write `theme: default`, or check the name of the folder under themes/".into()
            }
            Problem::BadOutput(_) => "choose another folder, such as `public`".into(),
            Problem::ForeignOutput { .. } => {
                "check the folder given; with `--force`, its files are kept (those at the \
                 paths the site publishes are replaced), with their modes and owners"
                    .into()
            }
            Problem::OutputParentUnwritable { .. } => {
                "a build makes the new output beside the last one and swaps the two: let \
                 majlis write in this folder, or give another `--output`"
                    .into()
            }
            Problem::LinkOutsideSite(_) | Problem::LinkToHidden(_) => {
                "copy the file into the site instead of linking to it".into()
            }
            Problem::BadBaseUrl(url) if url.contains(['?', '#']) => {
                "the address of the site's folder cannot have a query (?) or a fragment (#)".into()
            }
            Problem::BadBaseUrl(url)
                if !url
                    .split('/')
                    .nth(2)
                    .is_some_and(|host| host.is_ascii()) =>
            {
                "write an international domain name in its ASCII form (xn--…)".into()
            }
            Problem::BadBaseUrl(_) => {
                "write the whole address, such as https://events.example.org/meeting/".into()
            }
            Problem::UrlCharacter { character, .. } => format!(
                "write it percent-encoded ({}) or leave it out",
                character
                    .to_string()
                    .bytes()
                    .map(|b| format!("%{b:02X}"))
                    .collect::<String>()
            ),
            Problem::BadOrganiserUrl(_) => {
                "write the whole address, such as https://www.example.org/ or mailto:team@example.org"
                    .into()
            }
            Problem::BadSessionUrl { .. } => {
                "write the whole address of the page, such as https://live.example.org/opening".into()
            }
            Problem::BadPhoto { .. } => {
                "put the photo in content/static/ and write its path from there, such as speakers/jane-doe.jpg"
                    .into()
            }
            Problem::DefaultLanguageNotListed(_) => {
                "add it under `languages:` or choose one of the listed codes".into()
            }
            _ => return None,
        })
    }
}
