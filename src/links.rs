//! URLs as a browser reads them: their scheme, and whether a link or an image may be
//! published with one (issue 14). What matters is the scheme a browser finds, so it is found
//! the way the WHATWG URL standard's parser finds it, after the characters a browser strips:
//! the `url` crate would parse whole URLs, with IDNA tables this needs none of.

/// The scheme of `url` as a browser finds it, lowercased; `None` for a relative URL.
pub fn scheme(url: &str) -> Option<String> {
    // URL standard, basic URL parser: leading and trailing C0 controls and spaces are
    // stripped, and every tab and newline is removed, before the scheme is read.
    let url = url.trim_matches(|c: char| c <= ' ');
    let mut scheme = String::new();
    for c in url.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')) {
        match c {
            ':' if !scheme.is_empty() => return Some(scheme),
            c if c.is_ascii_alphabetic() => scheme.push(c.to_ascii_lowercase()),
            '0'..='9' | '+' | '-' | '.' if !scheme.is_empty() => scheme.push(c),
            _ => return None,
        }
    }
    None
}

/// Schemes a Markdown link may lead to, besides relative URLs: the web, mail, telephone
/// and messaging, and calendars. DOMPurify's list, with `webcal`. Every other scheme is
/// left out rather than a few forbidden: `javascript:` and `vbscript:` run script, `data:`
/// and `blob:` make documents of the site's origin, and others may yet.
const LINK_SCHEMES: &[&str] = &[
    "http", "https", "mailto", "tel", "callto", "sms", "cid", "xmpp", "ftp", "ftps", "webcal",
];

/// Whether a Markdown link to `url` may be published as a link.
pub(crate) fn is_safe_link(url: &str) -> bool {
    scheme(url).is_none_or(|s| LINK_SCHEMES.contains(&s.as_str()))
}

/// Whether a Markdown image from `url` may be published as an image: what a link may lead
/// to, or an image written in the URL itself (`data:image/png;base64,…`). Not SVG, which
/// can hold script and runs it when opened on its own.
pub fn is_safe_image(url: &str) -> bool {
    if scheme(url).as_deref() != Some("data") {
        return is_safe_link(url);
    }
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    ["png", "gif", "jpeg", "jpg", "webp", "avif", "bmp"]
        .iter()
        .any(|kind| {
            cleaned
                .strip_prefix("data:image/")
                .and_then(|rest| rest.strip_prefix(kind))
                .is_some_and(|rest| rest.starts_with([';', ',']))
        })
}

/// The first character of `url` that a URL cannot hold as it is (the URL standard's
/// validation errors): controls, spaces, quotes, `<`, `>`, backticks, `\`, `^`, `{`, `|`,
/// `}`, and a `%` that does not start a percent-encoded byte.
pub fn invalid_character(url: &str) -> Option<char> {
    let bytes = url.as_bytes();
    url.char_indices().find_map(|(i, c)| {
        let bad = match c {
            '%' => {
                !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
            }
            c => c.is_control() || " \"<>`\\^{|}".contains(c),
        };
        bad.then_some(c)
    })
}

/// A relative file path as a URL path: every byte but letters, digits, `-._~` and the `/`
/// between folders percent-encoded, so that a file named `a b#1.jpg` is found at
/// `a%20b%231.jpg` rather than cut at its `#`.
pub(crate) fn encode_path(path: &str) -> String {
    encode(path, b"-._~/")
}

/// A value of a URL's query (`?text=…`) in an HTML attribute: every ASCII byte but letters,
/// digits and `-._~` percent-encoded (`&`, `=`, `#`, `+`, `/`, spaces and controls among
/// them), and so is any other space or control character; other characters are kept as they
/// are, which browsers encode as UTF-8 when they follow the link (the URL Standard's query
/// state), so that a query in Arabic is a third the size it would be encoded.
pub(crate) fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut buffer = [0; 4];
    for c in value.chars() {
        if c.is_ascii() || c.is_control() || c.is_whitespace() {
            out.push_str(&encode(c.encode_utf8(&mut buffer), b"-._~"));
        } else {
            out.push(c);
        }
    }
    out
}

/// A checked web address as every format can carry it (an `http(s)` URI of RFC 3986): its
/// scheme lowercased (frab's XML schema matches `https?://`), and each character beyond
/// ASCII percent-encoded as UTF-8, as a browser sends it (`/vidéo/` → `/vid%C3%A9o/`).
pub(crate) fn normalized(url: &str) -> String {
    let (scheme, rest) = url.split_once(':').unwrap_or(("", url));
    let mut out = scheme.to_ascii_lowercase();
    if !scheme.is_empty() {
        out.push(':');
    }
    let mut buffer = [0; 4];
    for c in rest.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&encode(c.encode_utf8(&mut buffer), b""));
        }
    }
    out
}

fn encode(text: &str, kept: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || kept.contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_is_read_as_a_browser_reads_it() {
        assert_eq!(scheme("https://example.org/").as_deref(), Some("https"));
        assert_eq!(scheme("JaVaScRiPt:alert(1)").as_deref(), Some("javascript"));
        assert_eq!(
            scheme(" \u{1}java\tscr\nipt:x").as_deref(),
            Some("javascript")
        );
        assert_eq!(scheme("web+cal.x-y:z").as_deref(), Some("web+cal.x-y"));
        assert_eq!(scheme("../speakers/"), None);
        assert_eq!(scheme("/x:y"), None);
        assert_eq!(scheme("a b:c"), None);
        assert_eq!(scheme("1abc:x"), None);
        assert_eq!(scheme("#top"), None);
        assert_eq!(scheme("java%0ascript:x"), None);
        assert_eq!(scheme(":x"), None);
    }

    #[test]
    fn file_paths_are_percent_encoded_for_urls() {
        assert_eq!(
            encode_path("speakers/jane-doe_1.jpg"),
            "speakers/jane-doe_1.jpg"
        );
        assert_eq!(encode_path("a b#1?.jpg"), "a%20b%231%3F.jpg");
        assert_eq!(encode_path("x\"onerror=y'.png"), "x%22onerror%3Dy%27.png");
        assert_eq!(encode_path("é.png"), "%C3%A9.png");
    }

    #[test]
    fn web_addresses_are_normalized_to_ascii_with_a_lowercase_scheme() {
        assert_eq!(
            normalized("HTTPS://example.org/vidéo/ب?a='1'&b=%20"),
            "https://example.org/vid%C3%A9o/%D8%A8?a='1'&b=%20"
        );
        assert_eq!(normalized("http://x/"), "http://x/");
    }

    #[test]
    fn characters_a_url_cannot_hold_are_found() {
        assert_eq!(
            invalid_character("https://example.org/a-b_c~d/%C3%A9/'x'&y=1"),
            None
        );
        assert_eq!(invalid_character("https://example.org/é/"), None);
        assert_eq!(invalid_character("https://x/\"onmouseover=1"), Some('"'));
        assert_eq!(invalid_character("https://x/a b"), Some(' '));
        assert_eq!(invalid_character("https://x/a\nb"), Some('\n'));
        assert_eq!(invalid_character("https://x/<b>"), Some('<'));
        assert_eq!(invalid_character("https://x/`"), Some('`'));
        assert_eq!(invalid_character("https://x/100%"), Some('%'));
        assert_eq!(invalid_character("https://x/%zz"), Some('%'));
    }

    #[test]
    fn links_and_images_with_script_capable_schemes_are_refused() {
        for url in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "\tjavascript:alert(1)",
            "java\nscript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "blob:https://example.org/x",
        ] {
            assert!(!is_safe_link(url), "{url}");
            assert!(!is_safe_image(url), "{url}");
        }
        assert!(!is_safe_image("data:image/svg+xml,<svg onload=alert(1)>"));
        assert!(!is_safe_link("data:image/png;base64,AAAA"));
        for url in [
            "https://example.org/",
            "mailto:a@b.c",
            "../programme/#x",
            "x.html",
        ] {
            assert!(is_safe_link(url), "{url}");
            assert!(is_safe_image(url), "{url}");
        }
        assert!(is_safe_image("data:image/png;base64,AAAA"));
        assert!(is_safe_image(" DATA:Image/JPEG,xyz"));
    }
}
