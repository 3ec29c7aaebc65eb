//! Answers one preview request from a [`Snapshot`]: maps the request target
//! to a file of the built site (refusing anything that could leave it), picks
//! the status, headers and body, and adds the live-reload script and the
//! error overlay to HTML. No sockets here, so every rule is unit-tested.

use super::snapshot::Snapshot;
use crate::output::Contents;
use std::borrow::Cow;

/// Where the preview's event stream lives; the injected script connects here.
/// The server answers it before looking at the site, so it would hide a site
/// file of the same name: the `__anxin` prefix keeps that from happening.
pub const EVENTS_PATH: &str = "/__anxin/events";

/// The file a valid request asks for, as a key of [`Snapshot::files`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A folder asked with its trailing slash: `/news/` → `news/index.html`.
    Index(String),
    /// A file, or a folder asked without its slash (`/news`), which is
    /// answered with a redirect when `news/index.html` exists.
    File(String),
}

/// Why a request target was refused. Always 400: a well-behaved browser
/// never sends any of these, so they are bad requests rather than misses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status(pub u16);

impl Status {
    pub const BAD_REQUEST: Status = Status(400);
}

/// What `serve` adds to every HTML response (never to `build` output).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Injection {
    /// The version of the site the page comes from, in the form the event
    /// stream sends it (see `reload::version`): the page reloads itself when
    /// the server announces another one.
    pub version: String,
}

/// A complete answer, ready for any HTTP library to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply<'a> {
    pub status: u16,
    /// Always holds `Content-Length` (also for HEAD, where the body is empty).
    pub headers: Vec<(String, String)>,
    /// Borrowed from the snapshot when nothing is added to it.
    pub body: Cow<'a, [u8]>,
}

impl Reply<'_> {
    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Answers `method raw_url` from `snapshot`. `inject` is `Some` in `serve`:
/// HTML then gets the reload script, and the error overlay while
/// `snapshot.errors` is set.
pub fn respond<'a>(
    method: &str,
    raw_url: &str,
    snapshot: &'a Snapshot,
    inject: Option<&Injection>,
) -> Reply<'a> {
    let head = match method {
        "GET" => false,
        "HEAD" => true,
        _ => {
            let mut reply = text(405, "405 Method Not Allowed\n", false);
            reply.headers.push(("Allow".into(), "GET, HEAD".into()));
            return reply;
        }
    };
    let target = match site_path(raw_url) {
        Ok(target) => target,
        Err(Status(code)) => return text(code, "400 Bad Request\n", head),
    };
    let key = match &target {
        Target::Index(key) => key.as_str(),
        Target::File(key) => {
            if !snapshot.files.contains_key(key)
                && snapshot.files.contains_key(&format!("{key}/index.html"))
            {
                return redirect_to_folder(raw_url, head);
            }
            key.as_str()
        }
    };
    match snapshot.get(key).and_then(readable) {
        Some(body) => file(200, key, body, snapshot, inject, head),
        None => not_found(snapshot, inject, head),
    }
}

/// Maps a request target as sent (`/news/a/?x=1`) to a file of the site, or
/// refuses it. Percent-escapes are decoded strictly into UTF-8 (overlong
/// forms are invalid UTF-8, so they fail here too), and every segment is
/// checked after decoding, so `%2e%2e` is caught like `..`.
pub fn site_path(raw_url: &str) -> Result<Target, Status> {
    let path = path_part(raw_url).ok_or(Status::BAD_REQUEST)?;
    let rest = path.strip_prefix('/').ok_or(Status::BAD_REQUEST)?;
    let raw_segments: Vec<&str> = rest.split('/').collect();
    let last = raw_segments.len() - 1;
    let mut segments = Vec::with_capacity(raw_segments.len());
    for (i, raw) in raw_segments.iter().enumerate() {
        let segment = percent_decode(raw).ok_or(Status::BAD_REQUEST)?;
        // An empty segment is only the trailing slash of a folder; anywhere
        // else it is `//`, which some file APIs read as an absolute path.
        if segment.is_empty() && i != last {
            return Err(Status::BAD_REQUEST);
        }
        if !segment_is_safe(&segment) {
            return Err(Status::BAD_REQUEST);
        }
        segments.push(segment);
    }
    let joined = segments.join("/");
    if joined.is_empty() || joined.ends_with('/') {
        Ok(Target::Index(format!("{joined}index.html")))
    } else {
        Ok(Target::File(joined))
    }
}

/// The path of a request target without query and fragment. The absolute
/// form (`http://host/path`), which HTTP/1.1 servers must accept, is cut
/// down to its path; anything else that does not start with `/` is refused.
fn path_part(raw_url: &str) -> Option<&str> {
    let end = raw_url.find(['?', '#']).unwrap_or(raw_url.len());
    let path = &raw_url[..end];
    if path.starts_with('/') {
        return Some(path);
    }
    let after_scheme = path
        .strip_prefix("http://")
        .or_else(|| path.strip_prefix("https://"))?;
    after_scheme.find('/').map(|slash| &after_scheme[slash..])
}

/// Decodes `%XX` escapes; `None` for a malformed escape or bytes that are
/// not UTF-8 (which includes overlong encodings such as `%c0%ae`).
fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hi = (hex[0] as char).to_digit(16)?;
            let lo = (hex[1] as char).to_digit(16)?;
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// One decoded segment may not step out of its folder or change meaning on
/// another file system: no `.`/`..`, no slash or backslash (so no `%2f` or
/// `%5c`), no control characters (NUL included), no drive letter.
fn segment_is_safe(segment: &str) -> bool {
    if segment == "." || segment == ".." {
        return false;
    }
    if segment
        .chars()
        .any(|c| c == '/' || c == '\\' || c.is_control())
    {
        return false;
    }
    let mut chars = segment.chars();
    let drive = matches!((chars.next(), chars.next()), (Some(letter), Some(':')) if letter.is_ascii_alphabetic());
    !drive
}

/// The bytes of an output file; a copied file that has vanished since the
/// build (the user just deleted it) counts as missing.
fn readable(contents: &Contents) -> Option<Cow<'_, [u8]>> {
    contents.read().ok()
}

fn file<'a>(
    status: u16,
    key: &str,
    body: Cow<'a, [u8]>,
    snapshot: &Snapshot,
    inject: Option<&Injection>,
    head: bool,
) -> Reply<'a> {
    let content_type = content_type(key);
    let body = match inject {
        Some(injection) if content_type.starts_with("text/html") => {
            Cow::Owned(inject_html(&body, injection, snapshot.errors.as_deref()))
        }
        _ => body,
    };
    reply(status, content_type, body, head)
}

fn not_found<'a>(snapshot: &'a Snapshot, inject: Option<&Injection>, head: bool) -> Reply<'a> {
    match snapshot.get("404.html").and_then(readable) {
        Some(body) => file(404, "404.html", body, snapshot, inject, head),
        // HTML rather than plain text, so that a site without 404.html, or a
        // first build that failed and left nothing to serve, still shows the
        // error overlay and reloads once the site is fixed.
        None => file(
            404,
            "404.html",
            Cow::Borrowed(FALLBACK_404.as_bytes()),
            snapshot,
            inject,
            head,
        ),
    }
}

const FALLBACK_404: &str = "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>404</title>\n</head>\n<body>\n<p>404：找不到这个页面 / Not found</p>\n</body>\n</html>\n";

/// `/news` → `/news/`, keeping the escapes and the query as the client sent
/// them, so relative links inside the folder's page resolve.
fn redirect_to_folder(raw_url: &str, head: bool) -> Reply<'static> {
    let end = raw_url.find(['?', '#']).unwrap_or(raw_url.len());
    let (path, query) = raw_url.split_at(end);
    let query = query.split('#').next().unwrap_or("");
    let location = format!("{path}/{query}");
    let mut reply = text(301, &format!("Moved to {location}\n"), head);
    reply.headers.push(("Location".into(), location));
    reply
}

fn text(status: u16, body: &str, head: bool) -> Reply<'static> {
    reply(
        status,
        "text/plain; charset=utf-8",
        Cow::Owned(body.as_bytes().to_vec()),
        head,
    )
}

fn reply<'a>(status: u16, content_type: &str, body: Cow<'a, [u8]>, head: bool) -> Reply<'a> {
    let headers = vec![
        ("Content-Type".to_string(), content_type.to_string()),
        ("Content-Length".to_string(), body.len().to_string()),
        // A preview changes under the reader's eyes: never reuse a copy.
        ("Cache-Control".to_string(), "no-store".to_string()),
        ("X-Content-Type-Options".to_string(), "nosniff".to_string()),
    ];
    let body = if head { Cow::Borrowed(&[][..]) } else { body };
    Reply {
        status,
        headers,
        body,
    }
}

/// The media type of a site file, from its extension.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let extension = match name.rsplit_once('.') {
        Some((_, extension)) => extension.to_ascii_lowercase(),
        None => return "application/octet-stream",
    };
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
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
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

/// Adds the reload script before `</body>` (or at the end) and, when the last
/// rebuild failed, the error overlay right after the `<body>` tag (or at the
/// end, where `position: fixed` shows it just the same).
fn inject_html(html: &[u8], injection: &Injection, errors: Option<&str>) -> Vec<u8> {
    let script = reload_script(&injection.version);
    let overlay = errors.map(error_overlay).unwrap_or_default();
    let mut out = Vec::with_capacity(html.len() + script.len() + overlay.len());
    let body_close = rfind_ignore_case(html, b"</body").unwrap_or(html.len());
    match body_open_end(&html[..body_close]) {
        Some(after_body) => {
            out.extend_from_slice(&html[..after_body]);
            out.extend_from_slice(overlay.as_bytes());
            out.extend_from_slice(&html[after_body..body_close]);
        }
        None => {
            out.extend_from_slice(&html[..body_close]);
            out.extend_from_slice(overlay.as_bytes());
        }
    }
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[body_close..]);
    out
}

/// The script reloads the page when the server names a version other than the
/// one the page was built from: on `reload` after a rebuild, and on `hello`
/// after (re)connecting, which covers server restarts and rebuilds missed
/// while disconnected. EventSource reconnects by itself.
fn reload_script(version: &str) -> String {
    // `version` is digits, letters and dashes (see reload::version); escaping
    // it anyway keeps the script intact whatever it becomes.
    let version: String = version
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '.')
        .collect();
    format!(
        "<script>(function(){{var v=\"{version}\",s=new EventSource(\"{EVENTS_PATH}\");\
         function f(e){{if(e.data!==v){{s.close();location.reload()}}}}\
         s.addEventListener(\"hello\",f);s.addEventListener(\"reload\",f)}})()</script>"
    )
}

/// A box fixed over the top of the page, readable without JavaScript; the
/// `<details>` lets the reader fold it away to see the page beneath.
fn error_overlay(errors: &str) -> String {
    format!(
        "<div id=\"anxin-build-error\" role=\"alert\" style=\"position:fixed;top:0;left:0;right:0;\
         z-index:2147483647;max-height:60vh;overflow:auto;margin:0;padding:12px 16px;\
         background:#fff;color:#111;border-bottom:4px solid #b00020;\
         box-shadow:0 2px 12px rgba(0,0,0,.5);font:16px/1.5 system-ui,sans-serif;text-align:left\">\
         <details open><summary style=\"cursor:pointer;font-weight:bold;color:#b00020\">构建失败 / Build failed</summary>\
         <p style=\"margin:8px 0\">下面的页面是上一次成功构建的版本。/ The page below is the last good version.</p>\
         <pre style=\"margin:0;white-space:pre-wrap;overflow-wrap:anywhere;font:14px/1.4 ui-monospace,monospace;color:#111;background:#f6f6f6;padding:8px\">{}</pre>\
         </details></div>",
        crate::html::escape(errors)
    )
}

/// Where the content of `<body …>` starts: just past the `>` of the first
/// `<body` tag, skipping `>` inside quoted attribute values.
fn body_open_end(html: &[u8]) -> Option<usize> {
    let mut from = 0;
    let start = loop {
        let at = from + find_ignore_case(&html[from..], b"<body")?;
        // `<bodyx>` is not a body tag.
        match html.get(at + 5) {
            Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') => break at + 5,
            _ => from = at + 5,
        }
    };
    let mut quote = None;
    for (i, &b) in html[start..].iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => return Some(start + i + 1),
            _ => {}
        }
    }
    None
}

fn find_ignore_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

fn rfind_ignore_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Snapshot {
        let mut snapshot = Snapshot::default();
        for (path, text) in [
            ("index.html", "<html><body><p>home</p></body></html>"),
            (
                "news/index.html",
                "<html><body class=\"a>b\"><p>news</p></body></html>",
            ),
            ("tags/培训/index.html", "<html><body>培训</body></html>"),
            ("style.css", "body{}"),
            ("404.html", "<html><body>missing</body></html>"),
        ] {
            snapshot
                .files
                .insert(path.into(), Contents::Bytes(text.as_bytes().into()));
        }
        snapshot.build_id = 7;
        snapshot
    }

    fn get<'a>(snapshot: &'a Snapshot, url: &str) -> Reply<'a> {
        respond("GET", url, snapshot, None)
    }

    #[test]
    fn folders_map_to_their_index_file() {
        assert_eq!(site_path("/"), Ok(Target::Index("index.html".into())));
        assert_eq!(
            site_path("/news/a/?x=1#y"),
            Ok(Target::Index("news/a/index.html".into()))
        );
        assert_eq!(
            site_path("/style.css"),
            Ok(Target::File("style.css".into()))
        );
        assert_eq!(
            site_path("http://localhost:1111/news/"),
            Ok(Target::Index("news/index.html".into()))
        );
    }

    #[test]
    fn decodes_chinese_paths() {
        assert_eq!(
            site_path("/tags/%E5%9F%B9%E8%AE%AD/"),
            Ok(Target::Index("tags/培训/index.html".into()))
        );
        let snapshot = site();
        let reply = get(&snapshot, "/tags/%e5%9f%b9%e8%ae%ad/");
        assert_eq!(reply.status, 200);
        assert_eq!(&*reply.body, "<html><body>培训</body></html>".as_bytes());
    }

    #[test]
    fn refuses_targets_that_could_leave_the_site() {
        for url in [
            "/..",
            "/../Cargo.toml",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E./x",
            "/.%2e/",
            "/./x",
            "/..%2fCargo.toml",
            "/a%2Fb",
            "/%5c..%5c",
            "/..\\..\\",
            "/a\\b",
            "//etc/passwd",
            "/a//b",
            "/C:/Windows",
            "/c%3a/x",
            "/a%00.html",
            "/a%0d%0aSet-Cookie:x",
            "/%7f",
            "/%c2%85",
            "/%c0%ae%c0%ae/",
            "/%ed%a0%80",
            "/%ff",
            "/%",
            "/%2",
            "/%zz",
            "*",
            "",
            "news/",
            "http://host",
        ] {
            assert_eq!(site_path(url), Err(Status::BAD_REQUEST), "{url}");
        }
    }

    #[test]
    fn redirects_a_folder_asked_without_its_slash() {
        let snapshot = site();
        let reply = get(&snapshot, "/news?page=2");
        assert_eq!(reply.status, 301);
        assert_eq!(reply.header("Location"), Some("/news/?page=2"));
        let reply = get(&snapshot, "/tags/%E5%9F%B9%E8%AE%AD");
        assert_eq!(reply.header("Location"), Some("/tags/%E5%9F%B9%E8%AE%AD/"));
    }

    #[test]
    fn answers_unknown_paths_with_the_sites_404_page() {
        let snapshot = site();
        let reply = get(&snapshot, "/nope/");
        assert_eq!(reply.status, 404);
        assert_eq!(&*reply.body, b"<html><body>missing</body></html>");
        assert_eq!(
            reply.header("Content-Type"),
            Some("text/html; charset=utf-8")
        );

        let empty = Snapshot::default();
        let reply = get(&empty, "/nope/");
        assert_eq!(reply.status, 404);
        assert!(String::from_utf8_lossy(&reply.body).contains("404"));
    }

    #[test]
    fn head_sends_the_headers_of_get_without_a_body() {
        let snapshot = site();
        let reply = respond("HEAD", "/style.css", &snapshot, None);
        assert_eq!(reply.status, 200);
        assert!(reply.body.is_empty());
        assert_eq!(reply.header("Content-Length"), Some("6"));
        assert_eq!(
            reply.header("Content-Type"),
            Some("text/css; charset=utf-8")
        );
    }

    #[test]
    fn other_methods_are_not_allowed() {
        let snapshot = site();
        for method in ["POST", "PUT", "DELETE", "OPTIONS", "BREW"] {
            let reply = respond(method, "/", &snapshot, None);
            assert_eq!(reply.status, 405);
            assert_eq!(reply.header("Allow"), Some("GET, HEAD"));
        }
    }

    #[test]
    fn bad_requests_get_400() {
        let snapshot = site();
        assert_eq!(get(&snapshot, "/%2e%2e/x").status, 400);
    }

    #[test]
    fn every_reply_says_not_to_cache() {
        let snapshot = site();
        for url in ["/", "/news", "/nope", "/%ff"] {
            assert_eq!(
                get(&snapshot, url).header("Cache-Control"),
                Some("no-store")
            );
        }
    }

    #[test]
    fn knows_the_media_types_of_site_files() {
        for (path, expected) in [
            ("a/index.html", "text/html; charset=utf-8"),
            ("main.css", "text/css; charset=utf-8"),
            ("app.js", "text/javascript; charset=utf-8"),
            ("logo.svg", "image/svg+xml"),
            ("data.json", "application/json"),
            ("sitemap.xml", "application/xml; charset=utf-8"),
            ("events.ics", "text/calendar; charset=utf-8"),
            ("table.csv", "text/csv; charset=utf-8"),
            ("a.PNG", "image/png"),
            ("a.jpg", "image/jpeg"),
            ("a.jpeg", "image/jpeg"),
            ("a.webp", "image/webp"),
            ("f.woff2", "font/woff2"),
            ("report.pdf", "application/pdf"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("favicon.ico", "image/x-icon"),
            ("a.gif", "image/gif"),
            ("LICENSE", "application/octet-stream"),
            ("v.1/file", "application/octet-stream"),
        ] {
            assert_eq!(content_type(path), expected, "{path}");
        }
    }

    #[test]
    fn injects_the_reload_script_before_the_closing_body_tag() {
        let snapshot = site();
        let injection = Injection {
            version: "1-7".into(),
        };
        let reply = respond("GET", "/", &snapshot, Some(&injection));
        let html = String::from_utf8(reply.body.to_vec()).unwrap();
        assert!(
            html.starts_with("<html><body><p>home</p><script>"),
            "{html}"
        );
        assert!(html.ends_with("</script></body></html>"), "{html}");
        assert!(html.contains("new EventSource(\"/__anxin/events\")"));
        assert!(html.contains("var v=\"1-7\""));
        assert!(!html.contains("anxin-build-error"));
        assert_eq!(
            reply.header("Content-Length"),
            Some(html.len().to_string().as_str())
        );
    }

    #[test]
    fn leaves_everything_but_html_untouched() {
        let snapshot = site();
        let injection = Injection {
            version: "1-7".into(),
        };
        let reply = respond("GET", "/style.css", &snapshot, Some(&injection));
        assert_eq!(&*reply.body, b"body{}");
        assert!(matches!(reply.body, Cow::Borrowed(_)));
    }

    #[test]
    fn shows_the_escaped_errors_after_the_body_tag() {
        let mut snapshot = site();
        snapshot.errors = Some("error: bad <front> matter & \"quotes\"".into());
        let injection = Injection {
            version: "1-7".into(),
        };
        let reply = respond("GET", "/news/", &snapshot, Some(&injection));
        let html = String::from_utf8(reply.body.into_owned()).unwrap();
        let overlay_at = html
            .find("<div id=\"anxin-build-error\" role=\"alert\"")
            .unwrap();
        assert_eq!(overlay_at, "<html><body class=\"a>b\">".len(), "{html}");
        assert!(html.contains("构建失败 / Build failed"));
        assert!(html.contains("bad &lt;front&gt; matter &amp; &quot;quotes&quot;"));
        assert!(!html.contains("<front>"));
        assert!(html.find("<script>").unwrap() > overlay_at);
    }

    #[test]
    fn injects_into_pages_without_body_tags() {
        let injection = Injection {
            version: "9".into(),
        };
        let out = inject_html(b"<p>bare", &injection, Some("oops"));
        let html = String::from_utf8(out).unwrap();
        assert!(html.starts_with("<p>bare<div id=\"anxin-build-error\""));
        assert!(html.ends_with("</script>"));
        let out = inject_html(b"<BODY><p>x</p></BODY>", &injection, Some("oops"));
        let html = String::from_utf8(out).unwrap();
        assert!(html.starts_with("<BODY><div id=\"anxin-build-error\""));
        assert!(html.ends_with("</script></BODY>"));
        assert_eq!(body_open_end(b"<bodyx><body>"), Some(13));
    }

    #[test]
    fn serves_the_404_page_with_the_overlay_when_the_first_build_failed() {
        let snapshot = Snapshot {
            errors: Some("error: broken".into()),
            ..Snapshot::default()
        };
        let injection = Injection {
            version: "0".into(),
        };
        let reply = respond("GET", "/", &snapshot, Some(&injection));
        assert_eq!(reply.status, 404);
        let html = String::from_utf8(reply.body.into_owned()).unwrap();
        assert!(html.contains("error: broken"));
        assert!(html.contains("EventSource"));
    }
}
