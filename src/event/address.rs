//! The web addresses an editor writes that are published as links: an organiser's website
//! and a session's stream, slides, recording and feedback form. One check for all of them,
//! since each ends up in an `href`, in JSON-LD, in the schedule exports and in calendars.

use crate::diagnostics::Problem;
use crate::links;

/// What an address may lead to.
#[derive(Clone, Copy)]
pub(super) enum Reach {
    /// A web page or a mail address (an organiser's `url`).
    WebOrMail,
    /// A web page only (a session's links, which players and apps open).
    Web,
}

/// What is wrong with `url`, if anything: it must be a web page (or, where `reach` allows, a
/// mail address) written in full (`javascript:` would run script), and hold only what a URL
/// can. `field` names it in the error of a session's link.
pub(super) fn problem(url: &str, reach: Reach, field: &'static str) -> Option<Problem> {
    // The scheme a browser would find first: `java\tscript:` is `javascript:` to it.
    let after_scheme = |scheme: &str| url.get(scheme.len() + 1..).unwrap_or_default();
    let valid = match (links::scheme(url).as_deref(), reach) {
        (Some(scheme @ ("http" | "https")), _) => after_scheme(scheme)
            .strip_prefix("//")
            .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/')),
        (Some("mailto"), Reach::WebOrMail) => !after_scheme("mailto").is_empty(),
        _ => false,
    };
    if !valid {
        return Some(match reach {
            Reach::WebOrMail => Problem::BadOrganiserUrl(url.to_string()),
            Reach::Web => Problem::BadSessionUrl {
                field,
                url: url.to_string(),
            },
        });
    }
    links::invalid_character(url).map(|character| Problem::UrlCharacter {
        url: url.to_string(),
        character,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_full_web_addresses_are_links_of_a_session() {
        for url in ["https://example.org/live", "http://example.org"] {
            assert!(problem(url, Reach::Web, "stream").is_none(), "{url}");
        }
        for url in [
            "javascript:alert(1)",
            "java\tscript:alert(1)",
            "mailto:a@b.c",
            "data:text/html,x",
            "https:///x",
            "https:",
            "//example.org/",
            "example.org",
        ] {
            assert!(
                matches!(
                    problem(url, Reach::Web, "stream"),
                    Some(Problem::BadSessionUrl { .. })
                ),
                "{url}"
            );
        }
        assert!(problem("mailto:a@b.c", Reach::WebOrMail, "url").is_none());
        assert!(matches!(
            problem("https://x/\"onmouseover=1", Reach::Web, "slides"),
            Some(Problem::UrlCharacter { .. })
        ));
    }
}
