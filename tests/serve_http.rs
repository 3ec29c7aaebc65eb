//! The preview server over real sockets: a server on an ephemeral loopback
//! port serving a hand-made snapshot, spoken to with raw TCP so that nothing
//! tidies a request before the server sees it. Every wait is bounded.

use anxin::output::Contents;
use anxin::serve::server::{self, Server, SharedState};
use anxin::serve::snapshot::Snapshot;
use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
const WAIT: Duration = Duration::from_secs(5);

const HOME: &str =
    "<!DOCTYPE html><html><head><title>首页</title></head><body><p>home</p></body></html>";
const NEWS: &str = "<!DOCTYPE html><html><body><p>news</p></body></html>";
const TAG: &str = "<!DOCTYPE html><html><body><p>培训</p></body></html>";
const NOT_FOUND: &str = "<!DOCTYPE html><html><body><p>site 404</p></body></html>";
const CSS: &str = "body { color: #222 }";

/// One file per media type the server must label, plus pages.
fn site(build_id: u64) -> Snapshot {
    let mut snapshot = Snapshot {
        build_id,
        ..Snapshot::default()
    };
    let files: &[(&str, &[u8])] = &[
        ("index.html", HOME.as_bytes()),
        ("news/index.html", NEWS.as_bytes()),
        ("tags/培训/index.html", TAG.as_bytes()),
        ("404.html", NOT_FOUND.as_bytes()),
        ("style.css", CSS.as_bytes()),
        ("app.js", b"console.log(1)"),
        ("logo.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        ("data.json", b"{}"),
        ("atom.xml", b"<?xml version=\"1.0\"?><feed/>"),
        ("events.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"),
        ("table.csv", b"a,b\n1,2\n"),
        ("img.png", b"\x89PNG\r\n\x1a\n"),
        ("photo.jpg", b"\xff\xd8\xff"),
        ("photo.webp", b"RIFF....WEBP"),
        ("font.woff2", b"wOF2"),
        ("report.pdf", b"%PDF-1.7"),
        ("robots.txt", b"User-agent: *\n"),
    ];
    for (path, bytes) in files {
        snapshot
            .files
            .insert(path.to_string(), Contents::Bytes((*bytes).into()));
    }
    snapshot
}

fn serve(snapshot: Snapshot) -> (Server, SocketAddr) {
    let state = Arc::new(SharedState::new(Arc::new(snapshot)));
    server::start(LOOPBACK, 0, state).expect("server starts on an ephemeral port")
}

struct Response {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect_timeout(&addr, WAIT).expect("connects");
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.set_write_timeout(Some(WAIT)).unwrap();
    stream
}

/// Sends `bytes` as they are, then reads until the server closes the
/// connection (or the wait runs out).
fn exchange(addr: SocketAddr, bytes: &[u8]) -> Vec<u8> {
    let mut stream = connect(addr);
    // The server may close early on junk; what it answered still counts.
    let _ = stream.write_all(bytes);
    let _ = stream.shutdown(Shutdown::Write);
    let mut out = Vec::new();
    let mut buf = [0; 8192];
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => break,
        }
    }
    out
}

fn parse(raw: &[u8]) -> Option<Response> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some(Response {
        status,
        head,
        body: raw[end + 4..].to_vec(),
    })
}

fn request(addr: SocketAddr, method: &str, target: &str) -> Response {
    let raw = exchange(
        addr,
        format!("{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    );
    parse(&raw).unwrap_or_else(|| panic!("no HTTP answer to {method} {target}: {raw:?}"))
}

fn get(addr: SocketAddr, target: &str) -> Response {
    request(addr, "GET", target)
}

/// The version a served page will compare the event stream against.
fn page_version(html: &str) -> String {
    let start = html.find("var v=\"").expect("reload script") + 7;
    let len = html[start..].find('"').expect("end of version");
    html[start..start + len].to_string()
}

/// Reads from an event stream until `wanted` has arrived or `within` passed.
fn read_until(stream: &mut TcpStream, seen: &mut String, wanted: &str, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    let mut buf = [0; 1024];
    while !seen.contains(wanted) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        stream.set_read_timeout(Some(left)).unwrap();
        match stream.read(&mut buf) {
            Ok(0) => return false,
            Ok(n) => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return false,
        }
    }
    true
}

fn open_event_stream(addr: SocketAddr) -> (TcpStream, String) {
    let mut stream = connect(addr);
    stream
        .write_all(
            b"GET /__anxin/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n",
        )
        .unwrap();
    let mut seen = String::new();
    assert!(
        read_until(&mut stream, &mut seen, "event: hello\ndata: ", WAIT)
            && read_until(&mut stream, &mut seen, "\n\n", WAIT),
        "no hello event: {seen:?}"
    );
    (stream, seen)
}

#[test]
fn serves_the_index_file_of_the_home_page_and_of_folders() {
    let (_server, addr) = serve(site(1));
    let home = get(addr, "/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("<p>home</p>"));
    let news = get(addr, "/news/?page=1");
    assert_eq!(news.status, 200);
    assert!(news.text().contains("<p>news</p>"));
    assert_eq!(news.header("Cache-Control"), Some("no-store"));
}

#[test]
fn redirects_a_folder_asked_without_its_trailing_slash() {
    let (_server, addr) = serve(site(1));
    let reply = get(addr, "/news");
    assert!(matches!(reply.status, 301 | 308), "{}", reply.status);
    assert_eq!(reply.header("Location"), Some("/news/"));
}

#[test]
fn answers_unknown_paths_with_the_sites_404_page() {
    let (_server, addr) = serve(site(1));
    let reply = get(addr, "/no/such/page/");
    assert_eq!(reply.status, 404);
    assert!(reply.text().contains("<p>site 404</p>"));
    assert_eq!(
        reply.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
}

#[test]
fn head_answers_with_the_headers_of_get_and_no_body() {
    let (_server, addr) = serve(site(1));
    let reply = request(addr, "HEAD", "/style.css");
    assert_eq!(reply.status, 200);
    assert!(reply.body.is_empty(), "{:?}", reply.text());
    assert_eq!(
        reply.header("Content-Length"),
        Some(CSS.len().to_string().as_str())
    );
    assert_eq!(
        reply.header("Content-Type"),
        Some("text/css; charset=utf-8")
    );
}

#[test]
fn refuses_methods_other_than_get_and_head() {
    let (_server, addr) = serve(site(1));
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
        let reply = request(addr, method, "/");
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(reply.header("Allow"), Some("GET, HEAD"));
    }
}

#[test]
fn labels_each_kind_of_file_with_its_content_type() {
    let (_server, addr) = serve(site(1));
    for (path, expected) in [
        ("/", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/logo.svg", "image/svg+xml"),
        ("/data.json", "application/json"),
        ("/atom.xml", "application/xml; charset=utf-8"),
        ("/events.ics", "text/calendar; charset=utf-8"),
        ("/table.csv", "text/csv; charset=utf-8"),
        ("/img.png", "image/png"),
        ("/photo.jpg", "image/jpeg"),
        ("/photo.webp", "image/webp"),
        ("/font.woff2", "font/woff2"),
        ("/report.pdf", "application/pdf"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ] {
        let reply = get(addr, path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("Content-Type"), Some(expected), "{path}");
    }
}

#[test]
fn serves_chinese_paths_sent_percent_encoded() {
    let (_server, addr) = serve(site(1));
    let reply = get(addr, "/tags/%E5%9F%B9%E8%AE%AD/");
    assert_eq!(reply.status, 200);
    assert!(reply.text().contains("<p>培训</p>"));
    let reply = get(addr, "/tags/%E5%9F%B9%E8%AE%AD");
    assert_eq!(reply.header("Location"), Some("/tags/%E5%9F%B9%E8%AE%AD/"));
}

#[test]
fn serves_copied_files_from_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, b"%PDF-1.7 copied").unwrap();
    let mut snapshot = site(1);
    snapshot
        .files
        .insert("files/report.pdf".into(), Contents::Copy(path));
    let (_server, addr) = serve(snapshot);
    let reply = get(addr, "/files/report.pdf");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, b"%PDF-1.7 copied");
}

#[test]
fn never_serves_a_byte_from_outside_the_site() {
    let (_server, addr) = serve(site(1));
    let long_path = format!("/{}", "a".repeat(10 * 1024));
    let targets = [
        "/../Cargo.toml",
        "/..%2fCargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F",
        "/%2e./%2e./Cargo.toml",
        "/..\\..\\",
        "/%5c..%5c",
        "/news/..%5c..%5cCargo.toml",
        "//etc/passwd",
        "/C:/Windows",
        "/c%3A/Windows/win.ini",
        "/a%00.html",
        "/index.html%00",
        "/%c0%ae%c0%ae/",
        "/%c0%af",
        "/%ff",
        "/%",
        "/%0d%0aX-Injected:%20yes",
        "../Cargo.toml",
        "*",
        &long_path,
    ];
    for target in targets {
        let raw = exchange(
            addr,
            format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        );
        let text = String::from_utf8_lossy(&raw);
        assert!(
            !text.contains("[package]") && !text.contains("root:"),
            "{target}: {text}"
        );
        assert!(!text.contains("X-Injected"), "{target}: {text}");
        let reply = parse(&raw).unwrap_or_else(|| panic!("{target}: no answer"));
        match reply.status {
            400 => {}
            404 => assert!(reply.text().contains("<p>site 404</p>"), "{target}"),
            status => panic!("{target}: {status}"),
        }
    }

    let junk: [&[u8]; 7] = [
        b"GET\r\n\r\n",
        b"\x00\xff\xfe\x01binary junk\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        b"BREW / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET / HTTP/1.1\r\nBroken header line\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999999999999999\r\n\r\n",
    ];
    for bytes in junk {
        let raw = exchange(addr, bytes);
        if let Some(reply) = parse(&raw) {
            assert!(
                matches!(reply.status, 400 | 404 | 405 | 505)
                    || reply.text().contains("<p>home</p>"),
                "{bytes:?}: {}",
                reply.status
            );
        }
    }

    let reply = get(addr, "/");
    assert_eq!(
        reply.status, 200,
        "the server still answers after the corpus"
    );
}

#[test]
fn html_responses_carry_the_reload_script_and_nothing_else_changes() {
    let (_server, addr) = serve(site(1));
    let page = get(addr, "/").text();
    assert!(page.contains("new EventSource(\"/__anxin/events\")"));
    assert!(page.ends_with("</script></body></html>"), "{page}");
    assert!(!page.contains("构建失败"));
    assert_eq!(get(addr, "/style.css").text(), CSS);
    assert_eq!(get(addr, "/img.png").body, b"\x89PNG\r\n\x1a\n");
}

#[test]
fn a_failed_rebuild_shows_the_escaped_errors_over_every_page() {
    let mut snapshot = site(1);
    snapshot.errors = Some("error: content/news/a.md:3:1: bad <front> matter & more".into());
    let (_server, addr) = serve(snapshot);
    for target in ["/", "/news/", "/missing/"] {
        let page = get(addr, target).text();
        assert!(page.contains("role=\"alert\""), "{target}");
        assert!(page.contains("构建失败 / Build failed"), "{target}");
        assert!(
            page.contains("bad &lt;front&gt; matter &amp; more"),
            "{target}: {page}"
        );
        assert!(!page.contains("<front>"), "{target}");
    }
    assert_eq!(get(addr, "/style.css").text(), CSS);
}

#[test]
fn an_event_stream_client_hears_hello_then_reload_after_a_rebuild() {
    let (server, addr) = serve(site(1));
    let version = page_version(&get(addr, "/").text());
    let (mut stream, mut seen) = open_event_stream(addr);
    assert!(seen.starts_with("HTTP/1.1 200"), "{seen}");
    assert!(seen.contains("Content-Type: text/event-stream"), "{seen}");
    assert!(
        seen.contains(&format!("event: hello\ndata: {version}\n\n")),
        "the page and the stream agree on the version: {seen}"
    );

    assert!(server.set_snapshot(Arc::new(site(2))));
    assert!(
        read_until(
            &mut stream,
            &mut seen,
            "event: reload\n",
            Duration::from_secs(2)
        ),
        "no reload event: {seen:?}"
    );
    let new_version = page_version(&get(addr, "/").text());
    assert_ne!(new_version, version);
    assert!(read_until(
        &mut stream,
        &mut seen,
        &format!("data: {new_version}\n\n"),
        WAIT
    ));
}

#[test]
fn a_failed_rebuild_reloads_tabs_to_show_the_errors_but_an_unchanged_one_does_not() {
    let (server, addr) = serve(site(1));
    let (mut stream, mut seen) = open_event_stream(addr);
    assert!(!server.set_snapshot(Arc::new(site(1))), "nothing changed");

    let mut failed = site(1);
    failed.errors = Some("error: broken".into());
    assert!(server.set_snapshot(Arc::new(failed)));
    assert!(read_until(
        &mut stream,
        &mut seen,
        "event: reload\n",
        Duration::from_secs(2)
    ));
    assert!(get(addr, "/").text().contains("error: broken"));
}

#[test]
fn a_tab_connecting_after_a_rebuild_hears_the_new_version() {
    let (server, addr) = serve(site(1));
    let old = page_version(&get(addr, "/").text());
    server.set_snapshot(Arc::new(site(2)));
    let (_stream, seen) = open_event_stream(addr);
    assert!(!seen.contains(&format!("data: {old}\n")), "{seen}");
}

#[test]
fn moves_to_the_next_port_when_the_asked_one_is_taken() {
    let taken = TcpListener::bind((LOOPBACK, 0)).unwrap();
    let port = taken.local_addr().unwrap().port();
    let state = Arc::new(SharedState::new(Arc::new(site(1))));
    let (_server, addr) = server::start(LOOPBACK, port, state).expect("falls back to a free port");
    // Usually port + 1; a port taken meanwhile by another test moves it on.
    assert!(
        addr.port() > port && addr.port() <= port + 20,
        "{port} → {addr}"
    );
    assert_eq!(get(addr, "/").status, 200);
}

#[test]
fn shuts_down_promptly_and_stops_listening() {
    let (server, addr) = serve(site(1));
    // An open event stream must not hold the shutdown up.
    let (_stream, _) = open_event_stream(addr);
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        server.shutdown();
        let _ = done.send(());
    });
    finished
        .recv_timeout(WAIT)
        .expect("shutdown within the wait");
    // tiny_http closes its listener from its own thread, a moment later.
    let deadline = Instant::now() + WAIT;
    while TcpStream::connect_timeout(&addr, WAIT).is_ok() {
        assert!(Instant::now() < deadline, "still listening on {addr}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// One request the way a browser makes it: `Connection: keep-alive`, the
/// answer read as far as its `Content-Length`, and the connection kept open
/// for the next request unless the server said `Connection: close`.
fn browser_get(addr: SocketAddr, target: &str) -> (Response, Option<TcpStream>) {
    let mut stream = connect(addr);
    let ask = format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n");
    stream.write_all(ask.as_bytes()).expect("send");
    let mut raw = Vec::new();
    let mut buf = [0; 8192];
    loop {
        if let Some(reply) = parse(&raw) {
            let length: usize = reply
                .header("Content-Length")
                .and_then(|l| l.parse().ok())
                .expect("a Content-Length");
            if reply.body.len() >= length {
                let keep = reply.header("Connection") != Some("close");
                return (reply, keep.then_some(stream));
            }
        }
        let n = stream.read(&mut buf).expect("an answer in time");
        assert!(n > 0, "the server closed without a whole answer");
        raw.extend_from_slice(&buf[..n]);
    }
}

#[test]
fn waves_of_parallel_requests_are_answered_at_once() {
    // A search page fetches ten files at once, and a browser keeps its
    // connections open for the next page. The server says `Connection:
    // close`, so no new connection waits behind an idle kept-alive one
    // (tiny_http gives each connection a thread of its pool while it is open).
    let (_server, addr) = serve(site(1));
    // Each read gives up after WAIT: a request queued behind a kept
    // connection fails the test rather than hanging it.
    let mut kept = Vec::new();
    for _wave in 0..4 {
        let wave: Vec<_> = (0..10)
            .map(|_| std::thread::spawn(move || browser_get(addr, "/")))
            .collect();
        for handle in wave {
            let (reply, stream) = handle.join().expect("the request ends");
            assert_eq!(reply.status, 200);
            assert_eq!(reply.header("Connection"), Some("close"));
            kept.extend(stream);
        }
    }
    assert_eq!(kept.len(), 0, "every answer closed its connection");
}
