//! What each common mistake is called (issue #20, item 10): wrong value
//! types, a month 13, Chinese quotation marks, a misspelt template filter, a
//! file saved in GBK, and the address `serve --bind ::1` prints. Each message
//! says what is wrong in the author's terms and how to fix it; the whole
//! report of every case is pinned in tests/golden/wording.txt.

mod common;

use common::*;

/// One mistake: the file it is written into, and the file's new text.
struct Case {
    name: &'static str,
    file: &'static str,
    text: &'static [u8],
}

const CASES: &[Case] = &[
    Case {
        name: "text where a number goes",
        file: "content/about.md",
        text: "+++\ntitle = \"关于我们\"\nweight = \"一\"\n+++\n正文。\n".as_bytes(),
    },
    Case {
        name: "text where a list goes",
        file: "content/about.md",
        text: "+++\ntitle = \"关于我们\"\ntags = \"新闻\"\n+++\n正文。\n".as_bytes(),
    },
    Case {
        name: "a month 13",
        file: "content/about.md",
        text: "+++\ntitle = \"关于我们\"\ndate = 2025-13-01\n+++\n正文。\n".as_bytes(),
    },
    Case {
        name: "Chinese quotation marks",
        file: "content/about.md",
        text: "+++\ntitle = “关于我们”\n+++\n正文。\n".as_bytes(),
    },
    Case {
        name: "Chinese quotation marks in site.toml",
        file: "site.toml",
        text: "title = “示例县精神卫生”\nbase_url = \"https://example.org\"\n".as_bytes(),
    },
    Case {
        name: "a misspelt filter",
        file: "templates/page.html",
        text: b"{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title | truncat(length=10) }}</h1>\n{% endblock content %}\n",
    },
    Case {
        name: "a page saved in GBK",
        file: "content/about.md",
        // "+++\ntitle = \"a\"\n+++\n第一行\n" with 第一行 in GBK.
        text: b"+++\ntitle = \"a\"\n+++\n\xB5\xDA\xD2\xBB\xD0\xD0\n",
    },
    Case {
        name: "site.toml saved in GBK",
        file: "site.toml",
        // title = "示例" in GBK.
        text: b"base_url = \"https://example.org\"\ntitle = \"\xCA\xBE\xC0\xFD\"\n",
    },
];

#[test]
fn every_common_mistake_is_named_in_the_authors_terms() {
    let mut report = String::new();
    for case in CASES {
        let site = copy_fixture("wording");
        let file = site.path().join(case.file);
        std::fs::create_dir_all(file.parent().expect("a folder")).expect("mkdir");
        std::fs::write(&file, case.text).expect("write");
        let root = site.path().to_str().expect("utf-8 path");
        let out = anxin(&["check", "--root", root]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}: {}",
            case.name,
            stderr(&out)
        );
        let err = stderr(&out);
        for jargon in [
            "expected i64",
            "expected a sequence",
            "literal string",
            "tera documentation",
        ] {
            assert!(
                !err.contains(jargon),
                "{}: says {jargon:?}:\n{err}",
                case.name
            );
        }
        report.push_str(&format!("## {}\n{err}\n", case.name));
    }
    assert_golden("wording.txt", &report);
}

#[test]
fn serve_on_ipv6_prints_an_address_a_browser_opens() {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_anxin"))
        .args(["serve", "--root"])
        .arg(fixture("wording"))
        .args(["--bind", "::1", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start anxin serve");
    let mut child = Guard(child);
    let stdout = child.0.stdout.take().expect("stdout");
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line).expect("read");
    if line.contains("cannot start the preview server") || line.is_empty() {
        // No IPv6 loopback on this machine: nothing to print.
        return;
    }
    assert!(
        line.starts_with("Serving the site at http://[::1]:"),
        "{line}"
    );
}

/// Kills the server when the test ends, however it ends.
struct Guard(std::process::Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
