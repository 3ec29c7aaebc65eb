//! What a prober found (issue #20, items 13–16): a page of one huge word, a
//! reader of `public/` during the swap, idle connections to the preview
//! server, a hotline `source` that is not a web address, and links in
//! `static/`.

mod common;

use common::*;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Runs `anxin` with `args`, killed after `limit`: a hang fails the test
/// instead of the CI job. The limit guards against a hang only; it is far
/// above what the work takes.
fn anxin_within(args: &[&str], limit: Duration) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_anxin"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run anxin");
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("anxin {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

#[test]
fn a_page_of_one_five_megabyte_word_builds() {
    let site = copy_fixture("wording");
    // A pasted base64 blob: one "word" of 5 MB.
    let word: String = (0..5_000_000u32)
        .map(|i| {
            char::from(
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                    [(i.wrapping_mul(2_654_435_761) >> 26) as usize],
            )
        })
        .collect();
    std::fs::write(
        site.path().join("content/blob.md"),
        format!("+++\ntitle = \"附件\"\n+++\n{word}\n"),
    )
    .expect("write");
    let root = site.path().to_str().expect("utf-8 path");
    let out = anxin_within(&["build", "--root", root], Duration::from_secs(120));
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(site.path().join("public/blob/index.html")).expect("page");
    assert!(page.contains(&word[..1000]));
}

#[test]
fn a_reader_of_public_never_finds_it_missing_while_builds_replace_it() {
    let site = copy_fixture("wording");
    let root = site.path().to_path_buf();
    let public = root.join("public");
    build(&root, &public, &[]);
    let stop = Arc::new(AtomicBool::new(false));
    let (missing, looks) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let reader = {
        let (stop, missing, looks) = (stop.clone(), missing.clone(), looks.clone());
        let index = public.join("index.html");
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if !index.is_file() {
                    missing.fetch_add(1, Ordering::Relaxed);
                }
                looks.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    for i in 0..25 {
        std::fs::write(
            root.join("content/about.md"),
            format!("+++\ntitle = \"关于我们\"\n+++\n第{i}版。\n"),
        )
        .expect("write");
        build(&root, &public, &[]);
    }
    stop.store(true, Ordering::Relaxed);
    reader.join().expect("reader");
    assert!(
        looks.load(Ordering::Relaxed) > 1000,
        "the reader looked too rarely"
    );
    assert_eq!(
        missing.load(Ordering::Relaxed),
        0,
        "public/index.html was missing during a swap"
    );
    // Beside public/: at most the one spare tree, no build's leftovers.
    let beside: Vec<String> = std::fs::read_dir(&root)
        .expect("list")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("anxin"))
        .collect();
    assert!(
        beside.iter().all(|n| n == ".public.anxin-spare"),
        "left beside public/: {beside:?}"
    );
    assert!(read(&public, "about/index.html").contains("第24版"));
}

#[test]
fn a_hotline_source_must_be_a_web_address() {
    let site = copy_fixture("campaign");
    let file = site.path().join("data/hotlines.toml");
    let text = std::fs::read_to_string(&file).expect("read");
    let text = text.replacen(
        "verified = 2026-11-01\n",
        "verified = 2026-11-01\nsource = \"javascript:alert(1)\"\n",
        1,
    );
    std::fs::write(&file, text).expect("write");
    let root = site.path().to_str().expect("utf-8 path");
    let out = anxin(&["check", "--root", root]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_golden("hotline-source.txt", &stderr(&out));
}

#[cfg(unix)]
#[test]
fn links_in_static_are_named_in_a_warning() {
    let site = copy_fixture("wording");
    let static_dir = site.path().join("static");
    std::fs::create_dir_all(&static_dir).expect("mkdir");
    std::fs::write(static_dir.join("real.txt"), "x").expect("write");
    std::os::unix::fs::symlink("real.txt", static_dir.join("leaflet.pdf")).expect("symlink");
    let out = tempfile::tempdir().expect("temporary folder");
    let built = build(site.path(), out.path(), &[]);
    let err = stderr(&built);
    assert!(
        err.contains("static/leaflet.pdf") && err.contains("warning:"),
        "no warning names the link:\n{err}"
    );
    assert!(out.path().join("real.txt").is_file());
    assert!(!Path::new(&out.path().join("leaflet.pdf")).exists());
}

/// The number of threads of process `pid`.
fn threads_of(pid: u32) -> usize {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("process status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a thread count")
}

#[cfg(target_os = "linux")]
#[test]
fn idle_connections_to_the_preview_are_closed_and_their_threads_end() {
    // 2 s instead of 30 s, so the test need not wait long.
    let server = serve_with(&fixture("wording"), &[("ANXIN_SERVE_IDLE_MS", "2000")]);
    let pid = server.child.id();
    let before = threads_of(pid);
    let idle: Vec<std::net::TcpStream> = (0..100)
        .map(|_| std::net::TcpStream::connect(("127.0.0.1", server.port)).expect("connect"))
        .collect();
    // Each idle socket was closed by the server: reading gives end of file.
    let mut closed = 0;
    for mut s in idle {
        // Under load tiny_http's pool reads a queued connection only once a
        // thread is free, so the last may be closed a few timeouts late.
        s.set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        let mut byte = [0u8; 1];
        // End of file, or a reset if the kernel let it go from its queue.
        match std::io::Read::read(&mut s, &mut byte) {
            Ok(0) => closed += 1,
            Err(e)
                if !matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                closed += 1
            }
            _ => {}
        }
    }
    assert_eq!(closed, 100);
    assert_eq!(server.get("/").0, 200);
    // Timed out after 2 s; tiny_http's pool lets an idle thread go 5 s
    // later. Waited for, with room for a loaded machine.
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut after = threads_of(pid);
    // With the test's short timeout tiny_http is restarted every 2 s of
    // quiet, and each restart's 4 pool threads linger 5 s: some 15 threads.
    while after >= before + 40 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(250));
        after = threads_of(pid);
    }
    assert!(
        after < before + 40,
        "threads after the idle connections timed out: {after} (before {before})"
    );
    // After a quiet spell longer than the timeout the server still answers
    // (its accept loop is started again).
    std::thread::sleep(Duration::from_millis(4500));
    assert_eq!(server.get("/about/").0, 200);
}
