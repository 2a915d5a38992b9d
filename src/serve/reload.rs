//! Live reload: the script `serve` adds to every page it serves, and the stream of
//! Server-Sent Events that tells the page to reload, or to show the errors of a bad edit on
//! top of the last good build. `build` never carries any of it.

use std::time::Duration;

use bytes::Bytes;
use serde::Serialize;
use tokio::sync::mpsc;

use super::http::Body;
use super::state::{Current, Reported, State};

/// Where the event stream of live reload is served; no page of a site is published under
/// `__majlis/`, since every published path starts with a language, a page or a file name.
pub(super) const EVENTS: &str = "/__majlis/events";

/// Marks the added script, so that it is one block to find (and for tests, to take out).
const SCRIPT_START: &str = "<script id=\"majlis-dev\">";

/// What `serve` answers while the site has never built: a page for the overlay to cover.
pub(super) const NO_BUILD_YET: &str = "<!DOCTYPE html><html lang=\"en\"><head>\
<meta charset=\"utf-8\"><title>majlis: the site has errors</title></head><body>\
<p>The site could not be built. Fix the errors listed in the terminal; this page reloads \
by itself once it builds.</p></body></html>";

/// The script: the overlay, the event stream, and the scroll position kept across reloads.
/// `MAJLIS_DATA` is replaced by the state the page was served in.
const SCRIPT: &str = r#"(() => {
  const served = MAJLIS_DATA;
  let version = served.version;
  const key = "majlis-scroll " + location.pathname;
  const saved = sessionStorage.getItem(key);
  if (saved) {
    sessionStorage.removeItem(key);
    const [x, y] = JSON.parse(saved);
    const restore = () => window.scrollTo(x, y);
    restore();
    addEventListener("load", restore);
  }
  const show = (errors) => {
    document.getElementById("majlis-errors")?.remove();
    if (!errors.length) return;
    const box = document.createElement("div");
    box.id = "majlis-errors";
    box.setAttribute("role", "alert");
    box.lang = "en";
    box.dir = "ltr";
    // Over the last good build, a glimpse of it shows through; with none, only the errors.
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      `background:rgba(24,24,27,${served.built ? ".94" : "1"});color:#f4f4f5;` +
      "padding:clamp(1rem,5vw,2rem);" +
      "text-align:left;" +
      "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
    const element = (tag, text, css) => {
      const e = document.createElement(tag);
      e.textContent = text;
      e.style.cssText = css;
      return e;
    };
    const close = element("button", "×", "float:right;font-size:24px;background:none;" +
      "border:0;color:inherit;cursor:pointer");
    close.setAttribute("aria-label", "Hide");
    close.onclick = () => box.remove();
    const what = errors.length === 1 ? "an error" : `${errors.length} errors`;
    box.append(close, element("h2", served.built ? `The last edit has ${what}`
      : `The site has ${what}`,
      "font:bold 20px system-ui,sans-serif;margin:0 0 .5rem;color:#fca5a5"),
      element("p", (served.built ? "Below is the last good build. "
        : "It has not built yet, so there is no page to show. ") +
        "Fix the file and save it: the page reloads by itself.",
        "font:15px system-ui,sans-serif;margin:0 0 1.5rem"));
    // The message and the fix wrap; the line of the file does not, so that the caret stays
    // under its column: a narrow screen scrolls it sideways.
    for (const error of errors) {
      const where = !error.line ? error.file : error.column
        ? `${error.file}, line ${error.line}, column ${error.column}`
        : `${error.file}, line ${error.line}`;
      box.append(element("h3", where, "font:bold 16px system-ui,sans-serif;margin:1rem 0 .25rem;" +
        "overflow-wrap:anywhere"), element("p", error.message, "margin:0 0 .5rem;" +
        "overflow-wrap:anywhere"));
      if (error.source) {
        box.append(element("pre", error.source, "white-space:pre;overflow-x:auto;margin:0;" +
          "padding:.75rem 1rem;background:#000;border-radius:4px;max-width:100%;" +
          "box-sizing:border-box"));
      }
      if (error.help) {
        box.append(element("p", "help: " + error.help, "margin:.5rem 0 0;color:#86efac;" +
          "overflow-wrap:anywhere"));
      }
    }
    document.body.append(box);
  };
  show(served.errors);
  let source = null;
  const connect = () => {
    if (source) return;
    source = new EventSource(MAJLIS_EVENTS + "?v=" + encodeURIComponent(version));
    source.addEventListener("reload", () => {
      sessionStorage.setItem(key, JSON.stringify([scrollX, scrollY]));
      location.reload();
    });
    source.addEventListener("errors", (event) => {
      const now = JSON.parse(event.data);
      version = now.version;
      show(now.errors);
    });
  };
  // A browser opens about six connections to one server: a hidden tab lets go of its
  // stream, and asks for what it missed when it is shown again.
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) {
      source?.close();
      source = null;
    } else {
      connect();
    }
  });
  if (!document.hidden) connect();
})();"#;

/// What a page or an event says of the state of the site.
#[derive(Serialize)]
struct Served<'a> {
    version: &'a str,
    /// Whether a good build is served under the overlay.
    built: bool,
    errors: &'a [Reported],
}

/// `current` as JSON that can stand inside a `<script>` element and on one event line:
/// `<` is escaped, so no `</script>` can end the element early, and JSON has no raw newline.
fn json(current: &Current) -> String {
    let served = Served {
        version: &current.version,
        built: !current.output.is_empty(),
        errors: &current.errors,
    };
    serde_json::to_string(&served)
        .unwrap_or_else(|_| r#"{"version":"","built":false,"errors":[]}"#.to_string())
        .replace('<', "\\u003c")
}

/// A page with the live-reload script added before `</body>` (or at its end, where the
/// minifier left the optional closing tag out): the page's own bytes around the script, in
/// pieces, so that they are not copied.
pub(super) fn inject(page: Bytes, current: &Current) -> [Bytes; 3] {
    // The JSON goes in last, so that no text of an error is taken for a placeholder.
    let script = SCRIPT
        .replace("MAJLIS_EVENTS", &format!("\"{EVENTS}\""))
        .replacen("MAJLIS_DATA", &json(current), 1);
    let at = find_last_ignoring_case(&page, b"</body").unwrap_or(page.len());
    let script = format!("{SCRIPT_START}{script}</script>");
    [page.slice(..at), Bytes::from(script), page.slice(at..)]
}

fn find_last_ignoring_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window.eq_ignore_ascii_case(needle))
}

/// How often an idle stream says it is still there: a closed tab is then noticed, and its
/// connection ends.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The body of `GET /__majlis/events?v=VERSION`, a stream of Server-Sent Events: `reload`
/// after each good build, `errors` (the JSON of the overlay) after each bad one. A page that
/// gives the version it was served in is told at once if the site changed since.
pub(super) fn events(state: &State, query: &str) -> Body {
    let mut current = state.watch();
    let mut seen = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("v="))
        .map(str::to_string)
        .unwrap_or_else(|| current.borrow().version.clone());
    let (sender, receiver) = mpsc::channel(2);
    tokio::spawn(async move {
        let mut message = "retry: 1000\n\n".to_string();
        // Each turn sends one message; a send fails once the page has gone.
        while sender.send(Bytes::from(message)).await.is_ok() {
            message = loop {
                let now = current.borrow_and_update().clone();
                if now.version != seen {
                    seen.clone_from(&now.version);
                    break if now.errors.is_empty() {
                        format!("event: reload\ndata: {}\n\n", now.version)
                    } else {
                        format!("event: errors\ndata: {}\n\n", json(&now))
                    };
                }
                match tokio::time::timeout(KEEP_ALIVE, current.changed()).await {
                    Ok(Ok(())) => {}
                    // The server is stopping.
                    Ok(Err(_)) => return,
                    Err(_) => break ": still here\n\n".to_string(),
                }
            };
        }
    });
    Body::stream(receiver)
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::diagnostics::{Errors, Place, Problem};

    /// A page with the script, whole.
    fn injected(page: &'static [u8], current: &Current) -> String {
        String::from_utf8(inject(Bytes::from_static(page), current).concat()).unwrap()
    }

    fn current(errors: Vec<Reported>) -> Current {
        Current {
            output: Arc::default(),
            errors: errors.into(),
            version: "abc.3".into(),
        }
    }

    #[test]
    fn the_script_goes_before_the_last_closing_body_tag() {
        let page = injected(b"<html><body><p>x</p></BODY></html>", &current(Vec::new()));
        let script = page.find(SCRIPT_START).unwrap();
        assert!(script > page.find("<p>x</p>").unwrap());
        assert!(page[script..].contains("</script></BODY></html>"));
        assert!(page.contains(r#""version":"abc.3""#));
        assert!(page.contains(r#"new EventSource("/__majlis/events" + "?v=""#));
    }

    #[test]
    fn a_page_without_a_closing_body_tag_gets_the_script_at_its_end() {
        let page = injected(b"<!doctype html><p>minified", &current(Vec::new()));
        assert!(page.starts_with("<!doctype html><p>minified<script id=\"majlis-dev\">"));
        assert!(page.ends_with("</script>"));
    }

    #[test]
    fn error_text_cannot_close_the_script() {
        let mut errors = Errors::default();
        errors.push(
            Place::at("content/pages/a.en.md", 3, 1),
            Problem::Yaml("</script><script>alert(1)</script>".into()),
        );
        let reported = Reported::all(&errors, Path::new("/nowhere"));
        assert_eq!(reported[0].line, Some(3));
        let page = injected(b"<body></body>", &current(reported));
        assert_eq!(page.matches("</script>").count(), 1, "{page}");
        assert!(page.contains(r#""file":"content/pages/a.en.md","line":3"#));
    }
}
