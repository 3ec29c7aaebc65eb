//! `anxin serve` end to end, as a publicity officer uses it: the real binary
//! on an ephemeral loopback port with a real watcher on a temporary site. An
//! edit is served within a bounded wait, an open event stream hears the
//! reload, a broken page shows the error overlay while the other pages keep
//! serving, and fixing it brings the site back.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

#[test]
fn an_edit_is_served_and_open_tabs_hear_the_reload() {
    let site = copy_fixture("basic");
    let server = serve(site.path());
    let (status, body) = get(server.port, "/news/post-1/");
    assert_eq!(status, 200);
    assert!(body.contains("第1条新闻"));
    assert!(
        body.contains("EventSource"),
        "serve injects the reload script"
    );

    // An open tab's event stream.
    let mut events = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(
        events,
        "GET /__anxin/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(events);
    let mut head = String::new();
    while !head.contains("event: hello") {
        let mut line = String::new();
        reader
            .read_line(&mut line)
            .expect("the hello event arrives");
        head.push_str(&line);
    }
    assert!(head.contains("text/event-stream"), "{head}");

    let path = site.path().join("content/news/post-1.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("第1条新闻的开头。", "刚刚保存的新内容。"),
    )
    .unwrap();
    wait_for(server.port, "/news/post-1/", Duration::from_secs(10), |b| {
        b.contains("刚刚保存的新内容")
    });

    let mut heard = String::new();
    while !heard.contains("event: reload") {
        let mut line = String::new();
        reader
            .read_line(&mut line)
            .expect("the reload event arrives within 5 s");
        heard.push_str(&line);
    }
}

#[test]
fn a_broken_page_shows_the_overlay_and_the_rest_keeps_serving() {
    let site = copy_fixture("basic");
    let server = serve(site.path());
    let about = site.path().join("content/about.md");
    let good = std::fs::read_to_string(&about).unwrap();
    std::fs::write(&about, "+++\ntitle = \"没有结束的引号\nweight = 5\n+++\n").unwrap();

    let page = wait_for(server.port, "/news/post-2/", Duration::from_secs(10), |b| {
        b.contains("anxin-build-error")
    });
    assert!(
        page.contains("content/about.md:2:"),
        "the overlay names the file and line:\n{page}"
    );
    assert!(
        page.contains("第2条新闻"),
        "the last good page is still there under the overlay"
    );
    let (status, about_page) = get(server.port, "/about/");
    assert_eq!(
        status, 200,
        "the last good version of the broken page is served"
    );
    assert!(about_page.contains("关于"));
    let (status, css) = get(server.port, "/style.css");
    assert_eq!(status, 200);
    assert!(
        !css.contains("anxin-build-error"),
        "only HTML carries the overlay"
    );

    std::fs::write(&about, good.replace("第二个同名标题。", "修好了。")).unwrap();
    let fixed = wait_for(server.port, "/about/", Duration::from_secs(10), |b| {
        b.contains("修好了")
    });
    assert!(
        !fixed.contains("anxin-build-error"),
        "the overlay goes with the next good build"
    );
}

#[test]
fn the_server_never_serves_a_file_outside_the_site() {
    let site = copy_fixture("basic");
    std::fs::write(site.path().join("secret.txt"), "do not serve").unwrap();
    let server = serve(site.path());
    for path in [
        "/../site.toml",
        "/..%2fsite.toml",
        "/%2e%2e/site.toml",
        "/%2e%2e%2fsecret.txt",
        "/..\\secret.txt",
        "/news/../../secret.txt",
        "//etc/passwd",
        "/%00",
        "/%c0%ae%c0%ae/secret.txt",
    ] {
        let (status, body) = get(server.port, path);
        assert!(matches!(status, 400 | 404), "{path} answered {status}");
        assert!(
            !body.contains("do not serve") && !body.contains("base_url"),
            "{path} leaked a file"
        );
    }
    let (status, _) = get(server.port, "/");
    assert_eq!(status, 200, "the server still answers");
}

#[test]
fn the_search_index_follows_an_edit_once_changes_pause() {
    let site = copy_fixture("basic");
    let server = serve(site.path());
    // Made on another thread while the first pages are served.
    let before = wait_for(
        server.port,
        "/search/zh-CN/meta.json",
        Duration::from_secs(10),
        |b| b.contains("\"build\""),
    );
    let post = site.path().join("content/news/post-2.md");
    let text = std::fs::read_to_string(&post).unwrap();
    std::fs::write(&post, format!("{text}\n新加的一段：社区康复站开放日。\n")).unwrap();
    let after = wait_for(
        server.port,
        "/search/zh-CN/meta.json",
        Duration::from_secs(10),
        |b| b.contains("\"build\"") && b != before,
    );
    assert_ne!(before, after, "the index was made again after the edit");
}
