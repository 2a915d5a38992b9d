//! The template contract (docs/themes.md): what each template of a theme sees. Each kind of
//! page of the minimal fixture is built with a template that prints its whole context, which
//! is snapshotted (a change of the contract shows as a diff in `tests/snapshots/`) and checked
//! against the variables and types docs/themes.md lists.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{example_root, Site};
use serde_json::Value;

/// Each template, and a page of the minimal fixture made from it.
const TEMPLATES: [(&str, &str); 12] = [
    ("home.html", "en/index.html"),
    ("programme.html", "en/programme/index.html"),
    ("speakers.html", "en/speakers/index.html"),
    ("speaker.html", "en/speakers/jane-placeholder/index.html"),
    ("page.html", "en/about/index.html"),
    ("agenda.html", "en/agenda/index.html"),
    ("chooser.html", "index.html"),
    ("404.html", "404.html"),
    ("sitemap.xml", "sitemap.xml"),
    ("robots.txt", "robots.txt"),
    ("manifest.webmanifest", "en/manifest.webmanifest"),
    ("service-worker.js", "service-worker.js"),
];

/// `text` with each hash of an asset's name (`.0f3c9e1a2b4d6c8e.`) and the worker's version
/// (32 hexadecimal digits) written `HASH`: the snapshots stay the same when a theme file
/// changes.
fn without_hashes(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_hexdigit()) {
        out.push_str(&rest[..start]);
        let run = rest[start..]
            .find(|c: char| !c.is_ascii_hexdigit())
            .map_or(rest.len() - start, |n| n);
        let digits = &rest[start..start + run];
        let dotted = out.ends_with('.') && rest[start + run..].starts_with('.');
        let quoted = out.ends_with('"') && rest[start + run..].starts_with('"');
        if (run == 16 && dotted) || (run == 32 && quoted) {
            out.push_str("HASH");
        } else {
            out.push_str(digits);
        }
        rest = &rest[start + run..];
    }
    out.push_str(rest);
    out
}

/// The context of every template, as Tera's `__tera_context` prints it, for the minimal
/// fixture with one page added (it has none of its own).
fn contexts() -> Vec<(&'static str, Value)> {
    let site = Site::copy_of("minimal");
    site.write(
        "content/pages/about.en.md",
        "---\ntitle: About\nmenu: 1\n---\nA page *of the fixture*.\n",
    );
    for (template, _) in TEMPLATES {
        site.write(
            &format!("themes/default/templates/{template}"),
            "{{ __tera_context | safe }}",
        );
    }
    let published = site.built();
    TEMPLATES
        .iter()
        .map(|&(template, path)| {
            let text = without_hashes(&published.text(path));
            let context = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{path} is not the context as JSON: {e}\n{text}"));
            (template, context)
        })
        .collect()
}

#[test]
fn every_template_context_is_as_snapshotted() {
    for (template, context) in contexts() {
        insta::assert_json_snapshot!(template, context);
    }
}

#[test]
fn every_variable_of_every_template_is_documented_with_its_type() {
    let doc = Doc::read();
    let mut problems = Vec::new();
    for (template, context) in contexts() {
        let variables = doc.variables(template);
        assert!(
            !variables.is_empty(),
            "docs/themes.md has no section for {template}"
        );
        problems.extend(doc.check_fields(template, &context, &variables));
    }
    assert!(
        problems.is_empty(),
        "docs/themes.md does not say what templates see:\n{}",
        problems.join("\n")
    );
}

/// docs/themes.md, read as its tables: the variables of each section (whose heading names
/// the templates it is about, or says "every page"), and the fields of each type.
struct Doc {
    /// Each section's templates and variables.
    sections: Vec<(Vec<String>, BTreeMap<String, String>)>,
    /// Each type's fields, by the type's name.
    types: BTreeMap<String, BTreeMap<String, String>>,
}

/// The HTML templates, which "every page" is about (a heading may name others besides).
const PAGES: [&str; 8] = [
    "home.html",
    "programme.html",
    "speakers.html",
    "speaker.html",
    "page.html",
    "agenda.html",
    "chooser.html",
    "404.html",
];

impl Doc {
    fn read() -> Doc {
        let text = std::fs::read_to_string(example_root().join("docs/themes.md")).unwrap();
        let mut doc = Doc {
            sections: Vec::new(),
            types: BTreeMap::new(),
        };
        // Where the rows of the table being read go.
        enum Into {
            Nowhere,
            Section,
            Type(String),
        }
        let mut into = Into::Nowhere;
        let mut in_types = false;
        for line in text.lines() {
            if let Some(heading) = line.strip_prefix("## ") {
                in_types = heading.trim() == "Types";
                let mut templates: Vec<String> = quoted(heading)
                    .into_iter()
                    .filter(|name| TEMPLATES.iter().any(|(t, _)| t == name))
                    .collect();
                if heading.to_lowercase().contains("every page") {
                    templates.extend(PAGES.iter().map(|t| t.to_string()));
                }
                into = if templates.is_empty() {
                    Into::Nowhere
                } else {
                    doc.sections.push((templates, BTreeMap::new()));
                    Into::Section
                };
            } else if let Some(heading) = line.strip_prefix("### ") {
                into = match quoted(heading).first() {
                    Some(name) if in_types => {
                        doc.types.insert(name.clone(), BTreeMap::new());
                        Into::Type(name.clone())
                    }
                    _ => Into::Nowhere,
                };
            } else if let Some(row) = line.strip_prefix('|') {
                let cells: Vec<&str> = row.split('|').map(str::trim).collect();
                let (Some(name), Some(kind)) = (cells.first(), cells.get(1)) else {
                    continue;
                };
                let Some(name) = quoted(name).first().cloned() else {
                    continue;
                };
                let kind = kind.replace('`', "");
                match &into {
                    Into::Section => {
                        doc.sections.last_mut().unwrap().1.insert(name, kind);
                    }
                    Into::Type(t) => {
                        doc.types.get_mut(t).unwrap().insert(name, kind);
                    }
                    Into::Nowhere => {}
                }
            }
        }
        doc
    }

    /// The variables `template` sees, with their types.
    fn variables(&self, template: &str) -> BTreeMap<String, String> {
        self.sections
            .iter()
            .filter(|(templates, _)| templates.iter().any(|t| t == template))
            .flat_map(|(_, variables)| variables.clone())
            .collect()
    }

    /// What is wrong with the fields of `object` (at `path`) for the documented `fields`.
    fn check_fields(
        &self,
        path: &str,
        object: &Value,
        fields: &BTreeMap<String, String>,
    ) -> Vec<String> {
        let Some(object) = object.as_object() else {
            return vec![format!("{path}: not an object")];
        };
        let mut problems = Vec::new();
        for (key, value) in object {
            match fields.get(key) {
                Some(kind) => problems.extend(self.check(&format!("{path}: {key}"), value, kind)),
                None => problems.push(format!("{path}: `{key}` is not documented")),
            }
        }
        for (key, kind) in fields {
            if !object.contains_key(key) && !kind.contains("absent") {
                problems.push(format!(
                    "{path}: `{key}` is documented ({kind}) but not there, nor said to be absent"
                ));
            }
        }
        problems
    }

    /// What is wrong with `value` (at `path`) for the type expression `kind`: `string`,
    /// `number`, `boolean`, a type's name, `list of T`, `map of T`, each possibly `or null`
    /// or `or absent`.
    fn check(&self, path: &str, value: &Value, kind: &str) -> Vec<String> {
        let kind = kind.trim();
        let alternatives: Vec<&str> = kind
            .split(" or ")
            .map(str::trim)
            .filter(|k| *k != "absent")
            .collect();
        if value.is_null() && alternatives.contains(&"null") {
            return Vec::new();
        }
        let mut problems = Vec::new();
        for alternative in alternatives.iter().filter(|k| **k != "null") {
            let found = self.check_one(path, value, alternative);
            if found.is_empty() {
                return found;
            }
            problems.extend(found);
        }
        if problems.is_empty() {
            problems.push(format!("{path}: {value} is not {kind}"));
        }
        problems
    }

    fn check_one(&self, path: &str, value: &Value, kind: &str) -> Vec<String> {
        let wrong = || vec![format!("{path}: {value} is not {kind}")];
        if let Some(item) = kind.strip_prefix("list of ") {
            let Some(items) = value.as_array() else {
                return wrong();
            };
            return items
                .iter()
                .flat_map(|v| self.check(&format!("{path}[]"), v, item))
                .collect();
        }
        if let Some(item) = kind.strip_prefix("map of ") {
            let Some(map) = value.as_object() else {
                return wrong();
            };
            return map
                .values()
                .flat_map(|v| self.check(&format!("{path}.*"), v, item))
                .collect();
        }
        let ok = match kind {
            "string" => value.is_string(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            name => match self.types.get(name) {
                Some(fields) => return self.check_fields(path, value, fields),
                None => return vec![format!("{path}: the type `{name}` is not documented")],
            },
        };
        if ok {
            Vec::new()
        } else {
            wrong()
        }
    }
}

/// The names between backticks in a line of Markdown.
fn quoted(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

#[test]
fn a_site_s_own_robots_txt_is_published_in_place_of_the_built_in_one() {
    let site = Site::copy_of("minimal");
    let built = site.built();
    assert!(built
        .text("robots.txt")
        .contains("Sitemap: http://localhost:8000/sitemap.xml"));
    let ours = "User-agent: *\nDisallow: /drafts/\n";
    site.write("content/static/robots.txt", ours);
    let built = site.built();
    assert_eq!(built.text("robots.txt"), ours);
    assert!(built.text("sitemap.xml").contains("<urlset"));
}

#[test]
fn a_site_s_theme_overrides_the_sitemap_and_robots_txt_templates() {
    let site = Site::copy_of("minimal");
    site.write(
        "themes/default/templates/robots.txt",
        "User-agent: *\nDisallow: /\n# {{ sitemap }}\n",
    );
    site.write(
        "themes/default/templates/sitemap.xml",
        "{% for page in pages %}{{ page.translations.0.url }}\n{% endfor %}",
    );
    let built = site.built();
    assert_eq!(
        built.text("robots.txt"),
        "User-agent: *\nDisallow: /\n# http://localhost:8000/sitemap.xml\n"
    );
    let sitemap = built.text("sitemap.xml");
    assert!(sitemap.starts_with("http://localhost:8000/en/\nhttp://localhost:8000/en/programme/\n"));
}

#[test]
fn asset_gives_the_published_path_of_a_theme_file_and_refuses_one_it_lacks() {
    let site = Site::copy_of("minimal");
    let built = site.built();
    let page = built.page("en/speakers/index.html");
    let style = page.attr(r#"link[rel="stylesheet"]"#, "href");
    let hash = style
        .strip_prefix("../../assets/style.")
        .and_then(|rest| rest.strip_suffix(".css"))
        .unwrap_or_else(|| panic!("{style}"));
    assert!(
        hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        "{style}"
    );
    assert!(built.has(&style[6..]), "{style} is published");
    site.write(
        "themes/default/templates/speakers.html",
        r#"{% extends "base.html" %}{% block main %}<img src="{{ root }}{{ asset(path="logo.svg") }}" alt="">{% endblock %}"#,
    );
    let run = site.build();
    assert_ne!(run.code, 0);
    assert!(
        run.stderr
            .contains("themes/default/templates/speakers.html")
            && run.stderr.contains("the theme has no static/logo.svg"),
        "{}",
        run.stderr
    );
    site.write(
        "themes/default/static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let built = site.built();
    let page = built.page("en/speakers/index.html");
    let logo = page.attr("main img", "src");
    assert!(
        logo.starts_with("../../assets/logo.") && logo.ends_with(".svg"),
        "{logo}"
    );
    assert!(built.has(&logo[6..]), "{logo} is published");
}
