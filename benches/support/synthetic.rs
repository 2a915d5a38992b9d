//! Synthetic events in the content model's format, deterministic, at several scales, and the
//! same content as a Hugo site, so that both generators are timed on equivalent input.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// How big an event is.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub name: &'static str,
    pub sessions: usize,
    pub speakers: usize,
    pub days: usize,
}

pub const SMALL: Scale = Scale {
    name: "small",
    sessions: 25,
    speakers: 20,
    days: 2,
};
pub const LARGE: Scale = Scale {
    name: "large",
    sessions: 2_000,
    speakers: 1_000,
    days: 5,
};
pub const XL: Scale = Scale {
    name: "xl",
    sessions: 10_000,
    speakers: 5_000,
    days: 10,
};

/// Three languages, one right to left.
const LANGUAGES: [(&str, &str); 3] = [("en", "English"), ("fr", "Français"), ("ar", "العربية")];

/// The event's name and venue in each of the languages.
const EVENT: [(&str, &str, &str); 3] = [
    ("en", "Synthetic Forum", "Lyon"),
    ("fr", "Forum synthétique", "Lyon"),
    ("ar", "المنتدى التجريبي", "ليون"),
];

/// Sessions of a day run in 30-minute slots from 08:00 to 18:00, in as many rooms as needed.
const SLOTS_PER_DAY: usize = 20;

/// A small deterministic generator (an LCG): the same event every run, no dependency.
struct Words(u64);

impl Words {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[(self.next() as usize) % list.len()]
    }

    fn sentence(&mut self, lang: &str, words: usize) -> String {
        let vocabulary: &[&str] = match lang {
            "fr" => &[
                "emploi",
                "réseau",
                "services",
                "publics",
                "compétences",
                "jeunes",
                "coopération",
                "plan",
                "travail",
                "formation",
                "politiques",
                "régional",
            ],
            "ar" => &[
                "التشغيل",
                "الشبكة",
                "الخدمات",
                "العامة",
                "الكفاءات",
                "الشباب",
                "التعاون",
                "خطة",
                "العمل",
                "التكوين",
                "السياسات",
                "الإقليمي",
            ],
            _ => &[
                "employment",
                "network",
                "services",
                "public",
                "skills",
                "youth",
                "cooperation",
                "plan",
                "work",
                "training",
                "policies",
                "regional",
            ],
        };
        let mut text = String::new();
        for i in 0..words {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(self.pick(vocabulary));
        }
        text.push('.');
        text
    }

    fn paragraphs(&mut self, lang: &str, words: usize) -> String {
        let mut text = String::new();
        let mut left = words;
        while left > 0 {
            let n = left.min(60);
            for _ in 0..n / 12 {
                text.push_str(&self.sentence(lang, 12));
                text.push(' ');
            }
            text.push_str("\n\n");
            left -= n;
        }
        text
    }
}

fn speaker_id(i: usize) -> String {
    format!("speaker-{i:05}")
}

struct Session {
    id: String,
    day: usize,
    start: String,
    end: String,
    room: usize,
    moderator: usize,
    speakers: Vec<usize>,
}

fn sessions(scale: Scale) -> Vec<Session> {
    let per_day = scale.sessions.div_ceil(scale.days);
    let rooms = per_day.div_ceil(SLOTS_PER_DAY);
    let mut words = Words(7);
    (0..scale.sessions)
        .map(|i| {
            let day = i / per_day;
            let in_day = i % per_day;
            let slot = in_day / rooms;
            let minutes = 8 * 60 + slot * 30;
            let count = 2 + (words.next() as usize) % 3;
            // Different people, as in a real programme.
            let mut speakers = Vec::with_capacity(count);
            while speakers.len() < count {
                let speaker = (words.next() as usize) % scale.speakers;
                if !speakers.contains(&speaker) {
                    speakers.push(speaker);
                }
            }
            Session {
                id: format!("s{i:05}"),
                day,
                start: format!("{:02}:{:02}", minutes / 60, minutes % 60),
                end: format!("{:02}:{:02}", (minutes + 25) / 60, (minutes + 25) % 60),
                room: in_day % rooms,
                moderator: (words.next() as usize) % scale.speakers,
                speakers,
            }
        })
        .collect()
}

fn date(day: usize) -> String {
    format!("2030-03-{:02}", 1 + day)
}

fn write(root: &Path, file: &str, text: &str) {
    let path = root.join(file);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Writes a majlis site for `scale` into `root`.
pub fn majlis_site(root: &Path, scale: Scale) {
    let mut words = Words(42);
    let mut config =
        String::from("base_url: https://bench.example.org/\ndefault_language: en\nlanguages:\n");
    for (code, name) in LANGUAGES {
        let _ = writeln!(config, "  - code: {code}\n    name: {name}");
    }
    config.push_str("minify: true\n");
    write(root, "site-config.yaml", &config);
    let in_each = |text: fn(&(&str, &'static str, &'static str)) -> &'static str| {
        let each: Vec<String> = EVENT
            .iter()
            .map(|event| format!("{}: {}", event.0, text(event)))
            .collect();
        format!("{{{}}}", each.join(", "))
    };
    write(
        root,
        "content/event.yaml",
        &format!(
            "name: {}\ntimezone: Europe/Paris\nstart_date: {}\nend_date: {}\nvenue: {}\n",
            in_each(|event| event.1),
            date(0),
            date(scale.days - 1),
            in_each(|event| event.2),
        ),
    );
    let mut programme = String::from("days:\n");
    let all = sessions(scale);
    for day in 0..scale.days {
        let _ = writeln!(programme, "  - date: {}\n    sessions:", date(day));
        for s in all.iter().filter(|s| s.day == day) {
            let _ =
                write!(
                programme,
                "      - id: {}\n        start: \"{}\"\n        end: \"{}\"\n        kind: panel\n\
                 \x20       title: {{en: \"{}\", fr: \"{}\", ar: \"{}\"}}\n\
                 \x20       description: {{en: \"{}\", fr: \"{}\", ar: \"{}\"}}\n\
                 \x20       location: {{en: Room {}, fr: Salle {}, ar: القاعة {}}}\n\
                 \x20       moderators: [{}]\n        speakers: [{}]\n",
                s.id,
                s.start,
                s.end,
                words.sentence("en", 6),
                words.sentence("fr", 6),
                words.sentence("ar", 6),
                words.sentence("en", 30),
                words.sentence("fr", 30),
                words.sentence("ar", 30),
                s.room + 1,
                s.room + 1,
                s.room + 1,
                speaker_id(s.moderator),
                s.speakers.iter().map(|&i| speaker_id(i)).collect::<Vec<_>>().join(", "),
            );
        }
    }
    write(root, "content/programme.yaml", &programme);
    for i in 0..scale.speakers {
        for (code, _) in LANGUAGES {
            write(
                root,
                &format!("content/speakers/{}.{code}.md", speaker_id(i)),
                &format!(
                    "---\nname: Person {i}\nrole: \"{}\"\norganisation: \"{}\"\n---\n{}",
                    words.sentence(code, 3),
                    words.sentence(code, 4),
                    words.paragraphs(code, 250)
                ),
            );
        }
    }
    for (code, _) in LANGUAGES {
        write(
            root,
            &format!("content/pages/concept-note.{code}.md"),
            &format!(
                "---\ntitle: Concept note\nmenu: 1\n---\n{}",
                words.paragraphs(code, 3_000)
            ),
        );
    }
}

/// The Hugo site's second set of templates (`hugo --layoutDir`): a skeleton of each page,
/// without the header, metadata, speakers' sessions or structured data majlis's pages have.
pub const SKELETON: &str = "skeleton";

/// Writes the same event as a Hugo site: languages with `languageDirection: rtl`, speaker
/// pages from Markdown, the programme rendered from a data file with each person looked up.
/// Its templates (`benches/hugo/layouts`) make the pages majlis's default theme makes, in
/// Hugo's idiom: the same head, header and footer, each speaker's sessions (indexed once, in a
/// cached partial), the same JSON-LD; not the calendar files and schedule exports.
pub fn hugo_site(root: &Path, scale: Scale) {
    let majlis = root.join("majlis-source");
    majlis_site(&majlis, scale);
    let mut config = String::from(
        "baseURL: https://bench.example.org/\ndefaultContentLanguage: en\n\
         defaultContentLanguageInSubdir: true\ndisableKinds: [taxonomy, term, RSS]\nminify:\n  minifyOutput: true\nlanguages:\n",
    );
    for (i, (code, name)) in LANGUAGES.iter().enumerate() {
        let direction = if *code == "ar" { "rtl" } else { "ltr" };
        let _ = writeln!(
            config,
            "  {code}:\n    languageName: {name}\n    languageDirection: {direction}\n    weight: {}\n    contentDir: content/{code}",
            i + 1
        );
    }
    write(root, "hugo.yaml", &config);
    let programme = fs::read_to_string(majlis.join("content/programme.yaml")).unwrap();
    write(root, "data/programme.yaml", &programme);
    for entry in fs::read_dir(majlis.join("content/speakers")).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let (id, rest) = name.split_once('.').unwrap();
        let code = rest.trim_end_matches(".md");
        let text = fs::read_to_string(entry.path()).unwrap();
        write(root, &format!("content/{code}/speakers/{id}.md"), &text);
    }
    for (code, _) in LANGUAGES {
        let text = fs::read_to_string(majlis.join(format!("content/pages/concept-note.{code}.md")))
            .unwrap();
        write(root, &format!("content/{code}/concept-note.md"), &text);
        write(
            root,
            &format!("content/{code}/programme/_index.md"),
            "---\ntitle: Programme\n---\n",
        );
        write(
            root,
            &format!("content/{code}/speakers/_index.md"),
            "---\ntitle: Speakers\n---\n",
        );
        write(
            root,
            &format!("content/{code}/_index.md"),
            "---\ntitle: Synthetic Forum\n---\n",
        );
    }
    fs::remove_dir_all(&majlis).unwrap();
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/hugo");
    copy_folder(&templates.join("layouts"), &root.join("layouts"));
    copy_folder(&templates.join("skeleton"), &root.join(SKELETON));
    // The interface's words are the default theme's, and the event's own are added to them.
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n");
    for (code, name, venue) in EVENT {
        let mut words = fs::read_to_string(theme.join(format!("{code}.yaml"))).unwrap();
        let _ = write!(words, "\nevent_name: {name}\nevent_venue: {venue}\n");
        write(root, &format!("i18n/{code}.yaml"), &words);
    }
}

fn copy_folder(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            fs::create_dir_all(to).unwrap();
            fs::copy(entry.path(), target).unwrap();
        }
    }
}
