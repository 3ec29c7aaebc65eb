//! Indicator data end to end, through the binary: pages, charts, downloads,
//! shortcodes, the audit of `check`, CSV and XLSX giving the same site, and
//! every validation error at its file, line and column.

mod common;

use common::{anxin, build, copy_dir, copy_fixture, fixture, read, stderr, stdout};
use std::collections::BTreeMap;
use std::path::Path;

fn built_fixture() -> (tempfile::TempDir, std::path::PathBuf) {
    let out = tempfile::tempdir().expect("temporary folder");
    let public = out.path().join("public");
    build(&fixture("indicators"), &public, &[]);
    (out, public)
}

/// Every file of a built site, by path.
fn all_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("readable"))
        })
        .collect()
}

#[test]
fn data_pages_show_published_figures_with_period_notice_and_footnote() {
    let (_tmp, public) = built_fixture();
    let overview = read(&public, "data/index.html");
    assert!(overview.contains("示例数据"), "sample notice on /data/");
    assert!(overview.contains("2025年第4季度"), "the data's period");
    // 378 / 415 = 91.084…% → 91.08%, target 90 met.
    assert!(overview.contains("91.08%"));
    assert!(overview.contains("✓ 达到目标"));
    assert!(overview.contains("≥ 90.00%"));
    // 415 / 90000 = 4.611‰ → 4.61‰.
    assert!(overview.contains("4.61‰"));
    assert!(
        overview.contains("id=\"suppression-note\""),
        "footnote where a withheld figure shows"
    );
    // One neutral mark for every withheld figure, never `<5`.
    assert!(overview.contains("不公布"));
    assert!(!overview.contains("&lt;5"));

    let indicator = read(&public, "data/standard_management_rate/index.html");
    for needed in [
        "示例数据",
        "role=\"img\"",
        "class=\"chart chart-trend\"",
        "class=\"chart chart-ranking\"",
        "按规范管理的患者占在册患者的比例",
        "测试规范",
        "规范管理患者数 ÷ 在册患者数",
        "2025年第3季度",
        "id=\"suppression-note\"",
    ] {
        assert!(indicator.contains(needed), "indicator page lacks {needed}");
    }
    // The one script is the theme's text-size switch: charts need none.
    assert_eq!(
        indicator.matches("<script").count(),
        1,
        "charts need no JavaScript"
    );

    // An area page without any suppressed figure has no footnote.
    let town_a = read(&public, "data/areas/town-a/index.html");
    assert!(town_a.contains("甲镇") && town_a.contains("示例数据"));
    assert!(town_a.contains("92.67%"), "215 / 232");
    assert!(
        !town_a.contains("suppression-note"),
        "no withheld figure shown, no footnote"
    );
    let town_c = read(&public, "data/areas/town-c/index.html");
    assert!(town_c.contains("id=\"suppression-note\""));
    assert!(town_c.contains("上级地区"));

    let sitemap = read(&public, "sitemap.xml");
    assert!(sitemap.contains("https://test.example.org/data/areas/town-c/"));
    assert!(sitemap.contains("https://test.example.org/data/detection_rate/"));
}

#[test]
fn suppressed_values_reach_no_output_file() {
    let (_tmp, public) = built_fixture();
    // town-c's 3 (primary) and town-b's 160 (secondary) in 2025Q4.
    for (path, bytes) in all_files(&public) {
        let text = String::from_utf8_lossy(&bytes);
        for leak in [
            ">160<",
            ",160,",
            "\"value\": 160",
            "160 ÷",
            ">3<",
            ",3,",
            "\"value\": 3,",
        ] {
            assert!(
                !text.contains(leak),
                "{path} shows a suppressed value ({leak})"
            );
        }
        assert!(
            !text.contains("protects the suppressed"),
            "{path} holds the audit"
        );
    }
}

#[test]
fn downloads_are_tidy_and_agree_with_each_other() {
    let (_tmp, public) = built_fixture();
    let csv_text = read(&public, "data/downloads/indicators.csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(
        header,
        [
            "period",
            "area",
            "area_name",
            "kind",
            "id",
            "name",
            "value",
            "unit",
            "numerator",
            "denominator",
            "suppressed"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let json: serde_json::Value =
        serde_json::from_str(&read(&public, "data/downloads/indicators.json")).expect("json");
    let records = json["records"].as_array().expect("records");
    assert_eq!(rows.len(), records.len());
    // 2 periods × 4 areas × (2 measures + 2 indicators).
    assert_eq!(rows.len(), 32);
    for (row, record) in rows.iter().zip(records) {
        assert_eq!(row[0], record["period"]);
        assert_eq!(row[1], record["area"]);
        assert_eq!(row[4], record["id"]);
        let suppressed = &row[10] == "true";
        assert_eq!(record["suppressed"], suppressed);
        if suppressed {
            assert!(row[6].is_empty() && row[8].is_empty() && row[9].is_empty());
            assert!(record["value"].is_null() && record["numerator"].is_null());
        } else {
            let value: f64 = row[6].parse().expect("a number");
            assert_eq!(record["value"].as_f64(), Some(value));
        }
    }
    let find = |period: &str, area: &str, id: &str| {
        rows.iter()
            .find(|r| &r[0] == period && &r[1] == area && &r[4] == id)
            .unwrap_or_else(|| panic!("no row {period} {area} {id}"))
            .clone()
    };
    let rate = find("2025Q4", "county", "standard_management_rate");
    assert_eq!(
        (&rate[6], &rate[7], &rate[8], &rate[9]),
        ("91.08", "percent", "378", "415")
    );
    assert_eq!(&find("2025Q4", "town-b", "standard_managed")[10], "true");
    assert_eq!(&find("2025Q4", "town-c", "standard_managed")[10], "true");
    assert_eq!(
        &find("2025Q3", "town-c", "standard_management_rate")[10],
        "true"
    );
    assert_eq!(&find("2025Q3", "town-c", "detection_rate")[6], "4.00");

    // Every published rate of the latest period shows on its area's page.
    for row in rows
        .iter()
        .filter(|r| &r[0] == "2025Q4" && &r[3] == "indicator")
    {
        let page = read(&public, &format!("data/areas/{}/index.html", &row[1]));
        let shown = if &row[10] == "true" {
            "不公布".to_string()
        } else {
            let symbol = if &row[7] == "percent" { "%" } else { "‰" };
            format!("{}{symbol}", &row[6])
        };
        assert!(
            page.contains(&shown),
            "{} {} lacks {shown}",
            &row[1],
            &row[4]
        );
    }

    let package: serde_json::Value =
        serde_json::from_str(&read(&public, "data/downloads/datapackage.json")).expect("json");
    assert_eq!(
        package["$schema"],
        "https://datapackage.org/profiles/2.0/datapackage.json"
    );
    assert_eq!(package["licenses"][0]["name"], "CC-BY-4.0");
    let resource = &package["resources"][0];
    assert_eq!(resource["path"], "indicators.csv");
    let fields: Vec<&str> = resource["schema"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        fields,
        header.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert_eq!(resource["schema"]["fields"][10]["type"], "boolean");
    assert!(
        package["description"]
            .as_str()
            .expect("text")
            .contains("below 20")
    );
    assert_eq!(package["anxin:suppression"]["min_count"], 5);
}

#[test]
fn figure_and_chart_shortcodes_pull_numbers_from_the_data() {
    let (_tmp, public) = built_fixture();
    let report = read(&public, "reports/annual/index.html");
    assert!(
        report.contains("<span class=\"figure\">91.08%</span></span>，"),
        "inline, no stray space"
    );
    assert!(report.contains("4.61‰"));
    assert!(report.contains("<span class=\"figure\">12</span>"));
    assert!(report.contains("figure-suppressed\">不公布"));
    assert!(
        report.contains("id=\"suppression-note\""),
        "the page carries the footnote"
    );
    assert_eq!(report.matches("id=\"suppression-note\"").count(), 1);
    assert_eq!(report.matches("role=\"img\"").count(), 2);
}

#[test]
fn shortcodes_naming_unknown_data_fail_at_their_line() {
    let site = copy_fixture("indicators");
    let page = site.path().join("content/reports/annual.md");
    let text = std::fs::read_to_string(&page).expect("page");
    let text = text
        .replace(
            "area=\"county\", period=\"2025Q4\"",
            "area=\"county\", period=\"2025Q2\"",
        )
        .replace(
            "indicator=\"detection_rate\"",
            "indicator=\"detection_rat\"",
        )
        .replace(
            "kind=\"ranking\", period=\"2025Q4\"",
            "kind=\"ranking\", area=\"town-a\"",
        );
    std::fs::write(&page, text).expect("write");
    let out = anxin(&[
        "build",
        "--root",
        site.path().to_str().expect("utf-8"),
        "--output",
        site.path().join("public").to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("content/reports/annual.md:6:"), "{err}");
    assert!(err.contains("there is no period `2025Q2`"), "{err}");
    assert!(err.contains("content/reports/annual.md:7:"), "{err}");
    assert!(err.contains("did you mean \"detection_rate\"?"), "{err}");
    assert!(err.contains("content/reports/annual.md:14:"), "{err}");
    assert!(err.contains("`town-a` has no areas under it"), "{err}");
}

#[test]
fn check_prints_the_suppression_audit() {
    let out = anxin(&[
        "check",
        "--root",
        fixture("indicators").to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("24 figure(s) published, 8 withheld"),
        "{text}"
    );
    assert!(text.contains("audit: 0 count(s)"), "{text}");
    for line in [
        "2025Q4 town-c count `standard_managed`: primary: a count below 5",
        "2025Q4 town-b count `standard_managed`: secondary: so that no count of `county` and the areas under it can be worked out from the others",
        // 12 registered and 11 managed would show one unmanaged patient.
        "2025Q3 town-c count `standard_managed`: secondary: the rate's denominator minus its numerator would be a count below 5",
        "2025Q3 town-c rate `standard_management_rate`: rate rule: its numerator or denominator is suppressed",
        // The width of what a reader can work out, never the value.
        "[a reader cannot narrow it to fewer than",
    ] {
        assert!(text.contains(line), "no `{line}` in:\n{text}");
    }
}

#[test]
fn csv_and_xlsx_versions_of_the_same_data_build_identical_sites() {
    let (_tmp, from_csv) = built_fixture();
    let site = copy_fixture("indicators");
    let data = site.path().join("data/indicators");
    common::xlsx::csv_to_xlsx(&data.join("2025.csv"), &data.join("2025.xlsx"));
    std::fs::remove_file(data.join("2025.csv")).expect("remove csv");
    let public = site.path().join("public");
    build(site.path(), &public, &[]);
    let (a, b) = (all_files(&from_csv), all_files(&public));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between CSV and XLSX");
    }
}

#[test]
fn an_error_in_a_workbook_names_the_sheet_and_cell() {
    let site = copy_fixture("indicators");
    let data = site.path().join("data/indicators");
    std::fs::write(
        data.join("2025.csv"),
        "period,area,registered,standard_managed\n2025Q3,town-a,230,210\n2025Q3,town-b,170,abc\n",
    )
    .expect("write");
    common::xlsx::csv_to_xlsx(&data.join("2025.csv"), &data.join("2025.xlsx"));
    std::fs::remove_file(data.join("2025.csv")).expect("remove csv");
    let out = anxin(&[
        "build",
        "--root",
        site.path().to_str().expect("utf-8"),
        "--output",
        site.path().join("public").to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("data/indicators/2025.xlsx:3:4"), "{err}");
    assert!(err.contains("cell D3"), "{err}");
}

/// Each folder of tests/fixtures/indicators-invalid/ holds files laid over
/// the indicators fixture and `expect.txt`: lines the error output must hold
/// (or, after `!`, must not: a personal value is never repeated).
#[test]
fn every_validation_error_is_reported_at_its_place_with_exit_status_1() {
    let cases = fixture("indicators-invalid");
    let mut names: Vec<_> = std::fs::read_dir(&cases)
        .expect("cases")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert!(names.len() >= 14, "{names:?}");
    for name in names {
        let site = copy_fixture("indicators");
        copy_dir(&cases.join(&name), site.path());
        let public = site.path().join("public");
        std::fs::create_dir_all(public.join("old")).expect("old output");
        std::fs::write(public.join("old/index.html"), "kept").expect("old output");
        let out = anxin(&[
            "build",
            "--root",
            site.path().to_str().expect("utf-8"),
            "--output",
            public.to_str().expect("utf-8"),
        ]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        let expect =
            std::fs::read_to_string(cases.join(&name).join("expect.txt")).expect("expect.txt");
        for line in expect.lines().filter(|l| !l.is_empty()) {
            match line.strip_prefix('!') {
                Some(secret) => assert!(
                    !err.contains(secret),
                    "{name}: the error repeats {secret}:\n{err}"
                ),
                None => assert!(err.contains(line), "{name}: no `{line}` in:\n{err}"),
            }
        }
        assert_eq!(
            read(&public, "old/index.html"),
            "kept",
            "{name}: the old output was touched"
        );
    }
}

#[test]
fn all_errors_of_the_data_are_reported_together() {
    let site = copy_fixture("indicators");
    std::fs::write(
        site.path().join("data/indicators/2025.csv"),
        "period,area,registered,standard_managed\n2025Q9,town-a,230,210\n2025Q3,town-z,170,150\n2025Q3,town-c,12,13\n",
    )
    .expect("write");
    let out = anxin(&["check", "--root", site.path().to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for place in ["2025.csv:2:1", "2025.csv:3:8", "2025.csv:4:18"] {
        assert!(err.contains(place), "no error at {place}:\n{err}");
    }
}

#[test]
fn definitions_without_data_rows_build_a_site_without_data_pages() {
    let site = copy_fixture("indicators");
    std::fs::remove_file(site.path().join("data/indicators/2025.csv")).expect("remove");
    std::fs::remove_file(site.path().join("content/reports/annual.md")).expect("remove");
    let public = site.path().join("public");
    let out = build(site.path(), &public, &[]);
    assert!(
        stderr(&out).contains("has no rows of data yet"),
        "{}",
        stderr(&out)
    );
    assert!(!public.join("data").exists());
}

#[test]
fn measures_split_over_files_build_the_same_site() {
    let (_tmp, whole) = built_fixture();
    let site = copy_fixture("indicators");
    let data = site.path().join("data/indicators");
    let text = std::fs::read_to_string(data.join("2025.csv")).expect("csv");
    let (mut first, mut second) = (String::new(), String::new());
    for line in text.lines() {
        let cells: Vec<&str> = line.split(',').collect();
        first.push_str(&format!("{},{},{}\n", cells[0], cells[1], cells[2]));
        second.push_str(&format!("{},{},{}\n", cells[0], cells[1], cells[3]));
    }
    std::fs::remove_file(data.join("2025.csv")).expect("remove");
    std::fs::write(data.join("registered.csv"), first).expect("write");
    std::fs::write(data.join("standard_managed.csv"), second).expect("write");
    let public = site.path().join("public");
    build(site.path(), &public, &[]);
    let (a, b) = (all_files(&whole), all_files(&public));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "{path} differs when the measures are split"
        );
    }
}
