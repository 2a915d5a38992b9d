//! `_headers`, the file Netlify and Cloudflare Pages read for the HTTP headers of each path
//! (issue 24): the calendar feeds typed `text/calendar; charset=utf-8`, the feeds and the
//! schedule exports open to other origins (apps fetch them from theirs), pages and feeds
//! cached briefly, and assets named by their content cached for good. A site's own
//! `content/static/_headers` is kept whole, and a generated header is added only where none
//! of its rules already sets that header for that path. docs/hosting.md gives the same rules
//! for nginx and Apache.
//!
//! Written by hand: the format is a few lines of text (a path, then its indented headers),
//! and no crate reads and writes it with the line of each mistake.

use crate::config::Config;
use crate::event::Event;

use super::routes;

/// Pages and feeds: a programme changes during the event itself, so five minutes at most,
/// yet a phone on weak Wi-Fi moving from page to page does not ask again each time.
const SHORT: &str = "public, max-age=300";

/// An asset whose name changes with its content can never be stale.
const LONG: &str = "public, max-age=31536000, immutable";

/// A rule of a `_headers` file: a path, or a pattern of paths, and its headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rule {
    /// The path (`/en/calendar.ics`), or pattern (`/en/*`, `/speakers/:id`).
    pub(crate) path: String,
    /// The headers, by name and value, in the file's order.
    pub(crate) headers: Vec<(String, String)>,
}

/// A line of a `_headers` file that is not in its format, and why.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct BadLine {
    /// 1-based.
    pub(crate) line: usize,
    /// What is wrong.
    pub(crate) why: &'static str,
}

/// Reads a `_headers` file: a path on a line of its own, its headers on the indented lines
/// after it (`Name: value`), `#` starting a comment line, blank lines between rules.
pub(crate) fn parse(text: &str) -> Result<Vec<Rule>, BadLine> {
    let mut rules: Vec<Rule> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let bad = |why| BadLine { line: n + 1, why };
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if !line.starts_with([' ', '\t']) {
            if !(trimmed.starts_with('/') || trimmed.starts_with("https://")) {
                return Err(bad(
                    "a path must start with `/` (or be an https:// address)",
                ));
            }
            rules.push(Rule {
                path: trimmed.to_string(),
                headers: Vec::new(),
            });
            continue;
        }
        let Some(rule) = rules.last_mut() else {
            return Err(bad("a header comes before any path: write the path first"));
        };
        let Some((name, value)) = trimmed.split_once(':') else {
            return Err(bad("a header is written `Name: value`"));
        };
        let name = name.trim();
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(bad(
                "a header's name is letters, digits and `-`, before the `:`",
            ));
        }
        rule.headers
            .push((name.to_string(), value.trim().to_string()));
    }
    Ok(rules)
}

/// The rules the build publishes for the site, `hashed` being the published paths of the
/// assets named by their content.
pub(crate) fn generated(config: &Config, event: &Event, hashed: &[String]) -> Vec<Rule> {
    let rule = |path: String, headers: &[(&str, &str)]| Rule {
        path: format!("/{path}"),
        headers: headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
    };
    let short = [("Cache-Control", SHORT)];
    let open = [("Access-Control-Allow-Origin", "*")];
    let feed = [
        ("Content-Type", "text/calendar; charset=utf-8"),
        ("Access-Control-Allow-Origin", "*"),
    ];
    // Each path is under one rule that sets Cache-Control at most: a host that finds a
    // header in two rules joins their values (Cloudflare), which would make it mean nothing.
    // The feeds are in the languages' folders, whose rule caches them briefly.
    let mut rules = Vec::new();
    for language in &config.languages {
        rules.push(rule(format!("{}/*", language.code), &short));
    }
    for page in [
        "",
        routes::CHOOSER,
        routes::NOT_FOUND,
        routes::SITEMAP,
        routes::SERVICE_WORKER,
    ] {
        rules.push(rule(page.to_string(), &short));
    }
    for export in [
        routes::SCHEDULE_JSON,
        routes::SCHEDULE_V2_JSON,
        routes::SCHEDULE_XML,
    ] {
        rules.push(rule(export.to_string(), &[short[0], open[0]]));
    }
    for asset in hashed {
        rules.push(rule(asset.clone(), &[("Cache-Control", LONG)]));
    }
    // Cloudflare reads the first 100 rules: the subscriptions come before each session's
    // feed (and the host's own type for `.ics` is text/calendar, without the charset).
    let mut feeds = Vec::new();
    for language in &config.languages {
        feeds.push(routes::calendar(&language.code));
    }
    for language in &config.languages {
        for speaker in event.speakers.iter().filter(|s| !s.appearances.is_empty()) {
            feeds.push(routes::speaker_calendar(&language.code, &speaker.id));
        }
    }
    for language in &config.languages {
        for (_, session) in event.sessions() {
            feeds.push(routes::session_calendar(&language.code, &session.id));
        }
    }
    rules.extend(feeds.into_iter().map(|path| rule(path, &feed)));
    // A path line ends at its first space, and a line break would start another rule.
    rules.retain(|rule| {
        !rule
            .path
            .contains(|c: char| c.is_whitespace() || c.is_control())
    });
    rules
}

/// The `_headers` file: the site's own (`site`) kept whole, then each generated rule with
/// the headers that none of the site's rules for that path sets.
pub(crate) fn file(site: Option<(&str, &[Rule])>, generated: &[Rule]) -> String {
    let mut out = String::new();
    let own: &[Rule] = match site {
        Some((text, rules)) => {
            out.push_str(text);
            if !text.ends_with('\n') {
                out.push('\n');
            }
            out.push_str("\n# Added by majlis where the rules above set no such header\n");
            rules
        }
        None => {
            out.push_str("# Made by majlis for Netlify and Cloudflare Pages (docs/hosting.md)\n");
            &[]
        }
    };
    for rule in generated {
        let headers: Vec<&(String, String)> = rule
            .headers
            .iter()
            .filter(|(name, _)| {
                !own.iter().any(|mine| {
                    covers(&mine.path, &rule.path)
                        && mine
                            .headers
                            .iter()
                            .any(|(n, _)| n.eq_ignore_ascii_case(name))
                })
            })
            .collect();
        if headers.is_empty() {
            continue;
        }
        out.push_str(&rule.path);
        out.push('\n');
        for (name, value) in headers {
            out.push_str(&format!("  {name}: {value}\n"));
        }
    }
    out
}

/// Whether the pattern `mine` (a rule's path: `*` matches any run of characters, `/`
/// included, `:name` one segment) matches every path that `path` matches; `path` may be a
/// pattern too (`/en/*`).
fn covers(mine: &str, path: &str) -> bool {
    let mine: Vec<&str> = mine.split('/').collect();
    let theirs: Vec<&str> = path.split('/').collect();
    for (i, segment) in mine.iter().enumerate() {
        if let Some(star) = segment.find('*') {
            let Some(rest) = theirs.get(i..).map(|rest| rest.join("/")) else {
                return false;
            };
            let before = &segment[..star];
            let after: Vec<&str> = std::iter::once(&segment[star + 1..])
                .chain(mine[i + 1..].iter().copied())
                .collect();
            let after = after.join("/");
            let Some(tail) = rest.strip_prefix(before) else {
                return false;
            };
            // After the splat, what `path` may match must end as `mine` does.
            return after.is_empty()
                || (!tail.contains(['*', ':'])
                    && tail.ends_with(&after)
                    && tail.len() >= after.len());
        }
        match theirs.get(i) {
            Some(s) if s.contains('*') => return false,
            Some(_) if segment.starts_with(':') => {}
            Some(s) if s == segment && !s.starts_with(':') => {}
            _ => return false,
        }
    }
    mine.len() == theirs.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_is_paths_then_indented_headers_with_comments_between() {
        let text = "# the site's own\n/*\n  X-Frame-Options: DENY\n\n  # a comment\n\
                    /en/calendar.ics\n\tCache-Control: no-cache\n  Link: <a:b>; rel=x\n";
        let rules = parse(text).unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].path, "/*");
        assert_eq!(
            rules[0].headers,
            [("X-Frame-Options".to_string(), "DENY".to_string())]
        );
        assert_eq!(rules[1].headers[1].1, "<a:b>; rel=x");
        assert_eq!(parse("  X-A: b\n").unwrap_err().line, 1);
        assert_eq!(parse("/a\n  no colon\n").unwrap_err().line, 2);
        assert_eq!(parse("/a\nen/b\n").unwrap_err().line, 2);
    }

    #[test]
    fn a_pattern_covers_the_paths_it_matches() {
        assert!(covers("/*", "/en/calendar.ics"));
        assert!(covers("/*", "/en/*"));
        assert!(covers("/en/*", "/en/*"));
        assert!(covers("/en/*", "/en/sessions/a.ics"));
        assert!(covers("/en/:file", "/en/calendar.ics"));
        assert!(covers("/en/calendar.ics", "/en/calendar.ics"));
        assert!(!covers("/en/calendar.ics", "/en/*"));
        assert!(!covers("/en/sessions/*", "/en/*"));
        assert!(!covers("/en/:file", "/en/*"));
        assert!(!covers("/fr/*", "/en/calendar.ics"));
        assert!(!covers("/en/:file", "/en/sessions/a.ics"));
        assert!(!covers("/en", "/en/calendar.ics"));
    }

    #[test]
    fn the_sites_own_rules_are_kept_whole_and_win_for_their_headers() {
        let own = "/*\n  Cache-Control: no-store\n# mine\n";
        let rules = parse(own).unwrap();
        let generated = vec![
            Rule {
                path: "/en/*".into(),
                headers: vec![("Cache-Control".into(), SHORT.into())],
            },
            Rule {
                path: "/en/calendar.ics".into(),
                headers: vec![
                    ("cache-control".into(), SHORT.into()),
                    ("Access-Control-Allow-Origin".into(), "*".into()),
                ],
            },
        ];
        let file = file(Some((own, &rules)), &generated);
        assert!(file.starts_with(own));
        let merged = parse(&file).unwrap();
        assert_eq!(merged[0], rules[0]);
        assert_eq!(merged.len(), 2, "{file}");
        assert_eq!(merged[1].path, "/en/calendar.ics");
        assert_eq!(
            merged[1].headers,
            [("Access-Control-Allow-Origin".to_string(), "*".to_string())]
        );
    }
}
