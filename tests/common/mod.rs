//! Helpers shared by the integration tests: fixture sites, the built binary,
//! and reading what a build wrote.
#![allow(dead_code)]

pub mod xlsx;

use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of a fixture site in a temporary folder, so a test may build into
/// it or change it without touching the repository.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temporary folder");
    copy_dir(&fixture(name), tmp.path());
    tmp
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("readable fixture");
        let dest = to.join(entry.path().strip_prefix(from).expect("inside fixture"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("create folder");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy file");
        }
    }
}

/// Runs the `anxin` binary with `args`.
pub fn anxin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anxin"))
        .args(args)
        .output()
        .expect("run anxin")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Builds the site at `root` into `output` with the binary, asserting success.
pub fn build(root: &Path, output: &Path, extra: &[&str]) -> Output {
    let out = try_build(root, output, extra);
    assert!(
        out.status.success(),
        "build of {} failed:\n{}",
        root.display(),
        stderr(&out)
    );
    out
}

/// Builds the site at `root` into `output` with the binary, however it ends.
pub fn try_build(root: &Path, output: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().expect("utf-8 path"),
        "--output",
        output.to_str().expect("utf-8 path"),
    ];
    args.extend_from_slice(extra);
    anxin(&args)
}

pub fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path))
        .unwrap_or_else(|e| panic!("cannot read {path} in {}: {e}", dir.display()))
}

/// Every file under `dir`, relative, sorted.
pub fn tree(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

/// Every file under `dir` with its bytes, for byte-for-byte comparisons.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    tree(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).expect("read");
            (f, bytes)
        })
        .collect()
}

/// Every link and source in the HTML files under `dir` that points into the
/// site (an address under `base_url`, or a path starting with `/`) but to
/// no file the build wrote: `(file, address)`. Fragments and queries are
/// left off; a folder means its `index.html`; addresses are percent-decoded.
pub fn broken_links(dir: &Path, base_url: &str) -> Vec<(String, String)> {
    let base = base_url.trim_end_matches('/');
    let mut broken = Vec::new();
    for file in tree(dir).into_iter().filter(|f| f.ends_with(".html")) {
        let html = read(dir, &file);
        for attr in ["href=\"", "src=\""] {
            for piece in html.split(attr).skip(1) {
                let Some(address) = piece.split('"').next() else {
                    continue;
                };
                let path = match address.strip_prefix(base) {
                    Some(rest) if rest.is_empty() || rest.starts_with('/') => rest.to_string(),
                    Some(_) => continue,
                    None if address.starts_with('/') && !address.starts_with("//") => {
                        address.to_string()
                    }
                    None => continue,
                };
                let path = path.split(['#', '?']).next().unwrap_or("").to_string();
                let path = percent_decode(path.trim_start_matches('/'));
                let target = if path.is_empty() || path.ends_with('/') {
                    format!("{path}index.html")
                } else {
                    path
                };
                if !dir.join(&target).is_file() {
                    broken.push((file.clone(), address.to_string()));
                }
            }
        }
    }
    broken
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `anxin serve` on an ephemeral loopback port, killed when dropped.
pub struct Serving {
    pub child: std::process::Child,
    pub port: u16,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn serve(root: &Path) -> Serving {
    serve_with(root, &[])
}

/// `serve`, with environment variables set for the server.
pub fn serve_with(root: &Path, env: &[(&str, &str)]) -> Serving {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_anxin"))
        .envs(env.iter().copied())
        .arg("serve")
        .arg("--root")
        .arg(root)
        .args(["--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start anxin serve");
    let mut serving = Serving { child, port: 0 };
    let stdout = serving.child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let remaining = deadline.saturating_duration_since(std::time::Instant::now());
        let line = rx
            .recv_timeout(remaining)
            .unwrap_or_else(|_| panic!("anxin serve --root {} printed no address", root.display()));
        if let Some(rest) = line.strip_prefix("Serving the site at http://127.0.0.1:") {
            serving.port = rest.trim_end_matches('/').parse().expect("a port number");
            // Keep reading stdout so the server never blocks on a full pipe.
            std::thread::spawn(move || while rx.recv().is_ok() {});
            return serving;
        }
    }
}

/// A plain HTTP/1.1 GET: (status, body).
pub fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("read response");
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Polls `path` until its body satisfies `done`, for at most `limit`.
pub fn wait_for(
    port: u16,
    path: &str,
    limit: std::time::Duration,
    done: impl Fn(&str) -> bool,
) -> String {
    let deadline = std::time::Instant::now() + limit;
    loop {
        let (_, body) = get(port, path);
        if done(&body) {
            return body;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{path} did not change within {limit:?}:\n{body}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

impl Serving {
    pub fn get(&self, path: &str) -> (u16, String) {
        get(self.port, path)
    }

    /// Polls `path` for at most 20 s until its body satisfies `done`.
    pub fn wait_for(&self, path: &str, done: impl Fn(&str) -> bool) -> String {
        wait_for(self.port, path, std::time::Duration::from_secs(20), done)
    }
}

/// Compares `actual` with the golden file `tests/golden/<name>`, whole.
/// `ANXIN_BLESS=1` writes `actual` there instead, for a reviewed change.
pub fn assert_golden(name: &str, actual: &str) {
    let file = repo_root().join("tests/golden").join(name);
    if std::env::var_os("ANXIN_BLESS").is_some() {
        std::fs::create_dir_all(file.parent().expect("golden folder")).expect("create folder");
        std::fs::write(&file, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&file).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e} (ANXIN_BLESS=1 writes it)",
            file.display()
        )
    });
    assert!(
        expected == actual,
        "{} differs from the output (ANXIN_BLESS=1 rewrites it after review):\n--- expected\n{expected}\n--- actual\n{actual}",
        file.display()
    );
}
