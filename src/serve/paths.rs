//! Request paths and what they name: the key of a published file (`/fr/programme/` is
//! `fr/programme/index.html`), refused whatever its encoding when it could climb out of the
//! site, and the `Content-Type` of a file by its extension. Both servers of `serve` (the live
//! build and `--built`) look files up through here.

/// The key of the output a request path names (`/fr/programme/` → `fr/programme/index.html`),
/// or `None` for a path that is refused (400 Bad Request). Paths are decoded once: `%252e`
/// stays the three characters `%2e`, which name no file. A `..` segment, a backslash, a NUL,
/// a drive or a path that does not start with `/` are refused whatever their encoding. The
/// live build is a map in memory that nothing could leave anyway; `--built` joins the key to
/// its folder on disk, where this is what keeps a request inside it.
pub(super) fn locate(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return None;
    }
    let decoded = percent_decode(path)?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            // A drive (`C:`): no published path has one, and on Windows it is absolute.
            s if s.len() == 2 && s.ends_with(':') => return None,
            s => segments.push(s),
        }
    }
    let mut key = segments.join("/");
    if decoded.ends_with('/') || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

/// The folder a path without its final slash names, as a path of this server (`//x/` would
/// be another host's address): where `/en/programme` is sent, so that the page's relative
/// links resolve from the right place.
pub(super) fn folder(path: &str) -> String {
    format!("/{}/", path.trim_start_matches('/'))
}

/// Decodes `%XX` escapes once; `None` for a broken escape or bytes that are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

/// The `Content-Type` of a published file, by its extension.
pub(super) fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match extension.as_deref().unwrap_or_default() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        // XML says its own encoding in its declaration; JSON is always UTF-8 (RFC 8259 §8.1).
        "xml" => "application/xml",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "pdf" => "application/pdf",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_their_index_pages() {
        assert_eq!(locate("/").unwrap(), "index.html");
        assert_eq!(locate("/fr/programme/").unwrap(), "fr/programme/index.html");
        assert_eq!(locate("/fr/programme").unwrap(), "fr/programme");
        assert_eq!(locate("/sitemap.xml").unwrap(), "sitemap.xml");
        assert_eq!(
            locate("//en//./speakers/").unwrap(),
            "en/speakers/index.html"
        );
        assert_eq!(
            locate("/ar/%D8%A8%D8%B1%D9%86%D8%A7%D9%85%D8%AC/").unwrap(),
            "ar/برنامج/index.html"
        );
    }

    #[test]
    fn a_folder_redirect_stays_on_this_server() {
        assert_eq!(folder("/en/programme"), "/en/programme/");
        assert_eq!(folder("//evil.example/x"), "/evil.example/x/");
    }

    #[test]
    fn traversal_is_refused_in_every_encoding() {
        for path in [
            "/../site-config.yaml",
            "/en/../../etc/passwd",
            "/%2e%2e/site-config.yaml",
            "/%2E%2E%2Fsite-config.yaml",
            "/..%2f..%2fetc/passwd",
            "/..\\site-config.yaml",
            "/..%5csite-config.yaml",
            "/en/%5c..%5c..%5cetc",
            "/C:/Windows/win.ini",
            "/%00",
            "/%zz",
            "/%ff",
            "etc/passwd",
            "*",
            "http://localhost/../etc/passwd",
        ] {
            assert!(locate(path).is_none(), "{path} was accepted");
        }
        // Decoded once: a double-encoded `..` is the file name `%2e%2e`, which is no file.
        assert_eq!(
            locate("/%252e%252e/site-config.yaml").unwrap(),
            "%2e%2e/site-config.yaml"
        );
    }

    #[test]
    fn text_types_say_their_charset() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("en/calendar.ics"),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("assets/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("assets/font.woff2"), "font/woff2");
        assert_eq!(content_type("speakers/PHOTO.JPG"), "image/jpeg");
        assert_eq!(content_type("CNAME"), "application/octet-stream");
    }
}
