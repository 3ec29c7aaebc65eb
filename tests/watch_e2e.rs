//! `anxin watch` end to end: the first build is written, each change
//! rewrites only the files whose bytes changed, and a failed rebuild leaves
//! the output as it was.

mod common;
use common::*;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, SystemTime};

struct Watching {
    child: Child,
    lines: Receiver<String>,
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Watching {
    /// Waits for a line (stdout or stderr) that contains `needle`.
    fn wait_for_line(&self, needle: &str) -> String {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(20))
                .unwrap_or_else(|_| panic!("anxin watch never printed {needle:?}"));
            if line.contains(needle) {
                return line;
            }
        }
    }
}

fn watch(root: &std::path::Path, output: &std::path::Path) -> Watching {
    let child = Command::new(env!("CARGO_BIN_EXE_anxin"))
        .args([
            "watch",
            "--root",
            root.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start anxin watch");
    let (tx, lines) = std::sync::mpsc::channel();
    // Owned by the guard at once, so a failing test still ends the process.
    let mut watching = Watching { child, lines };
    let stdout = watching.child.stdout.take().expect("stdout");
    let stderr = watching.child.stderr.take().expect("stderr");
    let tx2 = tx.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx2.send(line);
        }
    });
    watching
}

fn modified(path: &std::path::Path) -> SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .expect("file exists")
}

#[test]
fn watch_rewrites_only_changed_files_and_keeps_the_output_on_errors() {
    let site = copy_fixture("basic");
    let output = site.path().join("public");
    let watching = watch(site.path(), &output);
    watching.wait_for_line("watching for changes");
    let about = output.join("about/index.html");
    let about_written = modified(&about);
    std::thread::sleep(Duration::from_millis(50));

    let post = site.path().join("content/news/post-1.md");
    let text = std::fs::read_to_string(&post).unwrap();
    std::fs::write(
        &post,
        text.replace("第1条新闻的开头。", "监视模式下的新开头。"),
    )
    .unwrap();
    watching.wait_for_line("Rebuilt in");
    assert!(read(&output, "news/post-1/index.html").contains("监视模式下的新开头"));
    assert_eq!(
        modified(&about),
        about_written,
        "an unrelated page is not rewritten"
    );

    let before = snapshot(&output);
    std::fs::write(&post, "+++\ntitle = \"坏\ndate = 2025-01-15\n+++\n").unwrap();
    watching.wait_for_line("error:");
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        snapshot(&output),
        before,
        "a failed rebuild leaves the output as it was"
    );

    std::fs::remove_file(site.path().join("content/guides/b-guide.md")).unwrap();
    std::fs::write(&post, text).unwrap();
    // After the changes settle, the output is what a fresh build gives, and
    // the deleted page's output is gone.
    let fresh = tempfile::tempdir().unwrap();
    build(site.path(), &fresh.path().join("public"), &[]);
    let expected = snapshot(&fresh.path().join("public"));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while snapshot(&output) != expected {
        assert!(
            std::time::Instant::now() < deadline,
            "the output never matched a fresh build"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!output.join("guides/b-guide").exists());
}
