//! The real-browser quality gate (issue 6): `anxin serve` on loopback, then
//! `tests/browser/gate.mjs` drives Debian's Chromium through playwright-core
//! over one page of every type of the demo site and checks axe-core (WCAG 2.2
//! A/AA and best practice: 0 violations), keyboard use, a 320 px phone, the
//! page without JavaScript, requests to other hosts, large-text mode and the
//! printed hotline directory, and takes screenshots for a person to look at.
//! A second test serves a fixture site with known violations and checks that
//! the gate fails and names each page and rule.
//!
//! Needs Node.js, `npm ci` at the repository root (playwright-core, axe-core)
//! and Chromium at /usr/bin/chromium (`apt-get install chromium`; ANXIN_CHROMIUM
//! names another binary). Without them the tests skip on a developer's machine
//! but fail on CI (`CI=true`).

mod common;
use common::*;
use serde_json::Value;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One page of every type of the demo site. The tag page is a tag the demo
/// content uses; the missing path is served with the not-found page and 404.
const DEMO_PAGES: &[&str] = &[
    "/",                                        // home
    "/news/",                                   // section listing
    "/about/",                                  // plain page
    "/campaigns/2025-world-mental-health-day/", // campaign / event
    "/campaigns/",                              // campaign listing with events
    "/policies/free-medication/",               // policy explainer
    "/tags/",                                   // tag list
    "/tags/世界精神卫生日/",                    // a tag's pages
    "/hotlines/",                               // hotline directory (printed: one A4 page)
    "/data/",                                   // indicator overview
    "/data/standard_management_rate/",          // indicator: charts and tables
    "/data/areas/yunwu/",                       // area page with suppressed figures
    "/news/2025-management-report/",            // figure and chart shortcodes
    "/no-such-page/=404",                       // the 404 page
    "/search/",                                 // search (the one page with a script)
    "/sitemap/",                                // every page, for readers without JavaScript
    "/en/",                                     // the English home
    "/en/policies/guardian-subsidy/",           // a translated policy explainer
    "/en/hotlines/",                            // the English hotline directory
    "/en/search/",                              // English search
];

/// The screenshots the gate takes of the demo site (home, a policy page and
/// the hotline directory at 360 and 1280 px).
const SCREENSHOTS: &[&str] = &[
    "home-360.png",
    "home-1280.png",
    "policies-free-medication-360.png",
    "policies-free-medication-1280.png",
    "hotlines-360.png",
    "hotlines-1280.png",
];

/// The whole gate is bounded; it normally takes well under a minute.
const GATE_TIMEOUT: Duration = Duration::from_secs(240);

/// One browser at a time: the tests share a 2-core CI machine.
static BROWSER: Mutex<()> = Mutex::new(());

#[test]
fn every_page_type_of_the_demo_site_passes_the_browser_gate() {
    let Some(tools) = Tools::find() else { return };
    let _one_browser = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let server = serve(&repo_root());
    let run = tools.gate(server.port, DEMO_PAGES, &[]);

    assert!(
        run.status == Some(0) && run.report["ok"] == Value::Bool(true),
        "the browser gate failed on the demo site (exit {:?}):\n{}\n\nfull report on stdout:\n{}",
        run.status,
        run.failure_lines(),
        run.stdout
    );
    let pages = run.report["pages"].as_array().expect("a list of pages");
    assert_eq!(pages.len(), DEMO_PAGES.len(), "every page was checked");
    for page in pages {
        let checks = &page["checks"];
        for check in ["axe", "keyboard", "mobile", "noJs", "largeText"] {
            assert!(
                checks.get(check).is_some(),
                "{} has no result for the {check} check:\n{page}",
                page["path"]
            );
        }
    }
    let hotlines = pages
        .iter()
        .find(|p| p["path"] == "/hotlines/")
        .expect("the hotline directory was checked");
    assert_eq!(
        hotlines["checks"]["print"]["pages"], 1,
        "the hotline directory prints on one A4 page"
    );

    let folder = run.report["screenshots"]["folder"]
        .as_str()
        .expect("the gate names its screenshot folder");
    for name in SCREENSHOTS {
        let file = Path::new(folder).join(name);
        assert!(
            file.metadata().is_ok_and(|m| m.len() > 1000),
            "no screenshot {}",
            file.display()
        );
    }
    // Straight to stderr, so that it shows even when the test passes.
    let _ = writeln!(
        std::io::stderr(),
        "browser gate: {} pages passed in {} s; screenshots in {folder}",
        pages.len(),
        run.report["seconds"]
    );
}

#[test]
fn the_browser_gate_fails_on_known_violations_and_names_each_page_and_rule() {
    let Some(tools) = Tools::find() else { return };
    let _one_browser = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let server = serve(&fixture("browser-gate"));
    let pages = ["/", "/no-alt/", "/low-contrast/", "/more-violations/"];
    let run = tools.gate(server.port, &pages, &["--no-screenshots"]);

    assert_eq!(
        run.status,
        Some(1),
        "the gate must fail on the fixture with known violations:\n{}\n{}",
        run.stderr,
        run.stdout
    );
    let failures = run.report["failures"].as_array().expect("a failure list");
    let found = |page: &str, check: &str, rule: &str| {
        failures
            .iter()
            .any(|f| f["page"] == page && f["check"] == check && f["rule"] == rule)
    };
    for (page, check, rule) in [
        // An <img> without alt (markdown's ![](x.svg) gives alt="", which
        // axe rightly treats as decorative; anxin warns about that one).
        ("/no-alt/", "axe", "image-alt"),
        // #bbb on white.
        ("/low-contrast/", "axe", "color-contrast"),
        // #767676 on white: AA (4.5:1) but not the 7:1 of large-text mode.
        ("/low-contrast/", "large-text", "color-contrast-enhanced"),
        // A 600 px wide box on a 320 px phone.
        ("/more-violations/", "mobile", "no-horizontal-scroll"),
        // An image from https://example.com.
        ("/more-violations/", "requests", "outside-request"),
        // A link with outline and box-shadow switched off.
        ("/more-violations/", "keyboard", "focus-visible"),
    ] {
        assert!(
            found(page, check, rule),
            "the gate did not report {rule} ({check}) on {page}; it reported:\n{}",
            run.failure_lines()
        );
        assert!(
            run.stderr
                .lines()
                .any(|l| l.starts_with(&format!("FAIL {page} {check} {rule}:"))),
            "the gate's summary does not name {page} and {rule}:\n{}",
            run.stderr
        );
    }
    assert!(
        run.report["pages"][0]["ok"] == Value::Bool(true)
            && !failures.iter().any(|f| f["page"] == "/"),
        "the fixture's home page has no violation, and the gate must not blame it:\n{}",
        run.failure_lines()
    );
}

/// A realistic directory (12 entries in 5 groups, issue #20) prints on one
/// A4 page in both languages, and the campaign fixture's pages pass the gate.
#[test]
fn a_campaign_sites_hotline_card_prints_on_one_a4_page() {
    let Some(tools) = Tools::find() else { return };
    let _one_browser = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let server = serve(&fixture("campaign"));
    let pages = [
        "/hotlines/",
        "/en/hotlines/",
        "/campaigns/",
        "/en/campaigns/",
        "/campaigns/wmhd-2025/",
        "/policies/free-medication/",
    ];
    let run = tools.gate(
        server.port,
        &pages,
        &[
            "--no-screenshots",
            "--print-pages",
            "/hotlines/,/en/hotlines/",
        ],
    );
    assert!(
        run.status == Some(0) && run.report["ok"] == Value::Bool(true),
        "the browser gate failed on the campaign fixture (exit {:?}):\n{}",
        run.status,
        run.failure_lines(),
    );
    for path in ["/hotlines/", "/en/hotlines/"] {
        let page = run.report["pages"]
            .as_array()
            .and_then(|p| p.iter().find(|p| p["path"] == path))
            .unwrap_or_else(|| panic!("{path} was checked"));
        assert_eq!(
            page["checks"]["print"]["pages"], 1,
            "{path} prints on one A4 page"
        );
    }
}

// ---------------------------------------------------------------------------

struct Tools {
    chromium: PathBuf,
}

impl Tools {
    /// Node.js, the npm packages and Chromium, or `None` (after saying why)
    /// when they are missing on a developer's machine. On CI a missing tool
    /// fails the test.
    fn find() -> Option<Tools> {
        let chromium = std::env::var_os("ANXIN_CHROMIUM")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
        let node = Command::new("node").arg("--version").output();
        let modules = repo_root().join("node_modules");
        let reason = if !node.is_ok_and(|o| o.status.success()) {
            "`node` is not installed or not on PATH".to_string()
        } else if let Some(missing) = ["playwright-core", "axe-core"]
            .into_iter()
            .find(|p| !modules.join(p).join("package.json").is_file())
        {
            format!("the npm package {missing} is not in {}", modules.display())
        } else if !chromium.is_file() {
            format!("there is no Chromium at {}", chromium.display())
        } else {
            return Some(Tools { chromium });
        };
        let hint = "install Node.js and Chromium (Debian: apt-get install nodejs npm chromium) \
                    and run `npm ci` at the repository root, or set ANXIN_CHROMIUM to a \
                    Chromium binary; `bash .ci/run` does all of it";
        let on_ci = matches!(std::env::var("CI").as_deref(), Ok("true" | "1"));
        assert!(
            !on_ci,
            "cannot run the browser tests on CI: {reason}; {hint}"
        );
        let _ = writeln!(
            std::io::stderr(),
            "skipping browser tests: {reason} ({hint})"
        );
        None
    }

    /// Runs the gate over `pages` of the site served on `port`.
    fn gate(&self, port: u16, pages: &[&str], extra: &[&str]) -> GateRun {
        let mut args: Vec<&str> = extra.to_vec();
        args.extend_from_slice(pages);
        self.script("tests/browser/gate.mjs", port, &args)
    }

    /// Runs a browser script of tests/browser/ against the server on `port`,
    /// within [`GATE_TIMEOUT`]; it must print a JSON report.
    fn script(&self, script: &str, port: u16, args: &[&str]) -> GateRun {
        let mut child = Command::new("node")
            .current_dir(repo_root())
            .arg(script)
            .arg("--base")
            .arg(format!("http://127.0.0.1:{port}"))
            .args(args)
            .env("ANXIN_CHROMIUM", &self.chromium)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start node {script}: {e}"));
        let stdout = drain(child.stdout.take().expect("stdout"));
        let stderr = drain(child.stderr.take().expect("stderr"));
        let deadline = Instant::now() + GATE_TIMEOUT;
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for the gate") {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "{script} did not finish within {GATE_TIMEOUT:?}:\n{}",
                    stderr.join().unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let stdout = stdout.join().expect("script stdout");
        let stderr = stderr.join().expect("script stderr");
        let report = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!("{script} did not print a JSON report ({status}, {e}):\n{stderr}\n{stdout}")
        });
        GateRun {
            status: status.code(),
            report,
            stdout,
            stderr,
        }
    }
}

struct GateRun {
    status: Option<i32>,
    report: Value,
    stdout: String,
    stderr: String,
}

impl GateRun {
    /// The gate's own summary: one `FAIL page check rule: …` line per failure.
    fn failure_lines(&self) -> String {
        self.stderr
            .lines()
            .filter(|l| !l.starts_with("screenshots:"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    })
}

/// What a resident types into the demo site's search page, and the result
/// they should see first (`null`: none).
const SEARCH_CASES: &str = r#"[
  {"page": "/search/", "query": "心理援助", "type": true,
   "first": "/hotlines/#hotline-12356", "title": "全国心理援助热线"},
  {"page": "/search/", "query": "援助", "type": true,
   "first": "/hotlines/#hotline-12356", "title": "全国心理援助热线"},
  {"page": "/search/", "query": "免费服药", "type": true,
   "first": "/policies/free-medication/", "title": "严重精神障碍患者免费基本服药"},
  {"page": "/search/", "query": "12356", "type": false, "first": "/hotlines/#hotline-12356"},
  {"page": "/en/search/", "query": "subsidy", "type": true,
   "first": "/en/policies/guardian-subsidy/"},
  {"page": "/search/", "query": "量子物理", "type": true, "first": null}
]"#;

#[test]
fn typing_into_the_search_page_shows_the_expected_first_result() {
    let Some(tools) = Tools::find() else { return };
    let _one_browser = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let server = serve(&repo_root());
    let cases = tempfile::NamedTempFile::new().expect("a temporary file");
    std::fs::write(cases.path(), SEARCH_CASES).expect("write the cases");
    let cases_path = cases.path().to_str().expect("utf-8 path");
    let run = tools.script(
        "tests/browser/search.mjs",
        server.port,
        &["--cases", cases_path],
    );
    assert!(
        run.status == Some(0) && run.report["ok"] == Value::Bool(true),
        "search in the browser failed (exit {:?}):\n{}\n\nfull report:\n{}",
        run.status,
        run.stderr,
        run.stdout
    );
    let results = run.report["results"].as_array().expect("a list of results");
    assert_eq!(results.len(), 6, "every case ran: {}", run.stdout);
}
