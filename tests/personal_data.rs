//! Personal data planted in indicator data files, a CSV file and a workbook,
//! is refused: every planted value is reported at its cell, none is repeated
//! in full anywhere in what anxin prints, and the build fails with status 1.
//! A workbook's sheet of notes is skipped with a note; its data sheet is read.
//!
//! Every value here is made up.

mod common;
use common::*;
use rust_xlsxwriter::Workbook;

/// Planted in the CSV file, each in a count column of its own row.
const IN_CSV: &[&str] = &[
    "扎西多吉",
    "买买提·艾力",
    "买买提・艾力",
    "Zhang Wei",
    "张 伟",
    "张\u{3000}伟",
    "禤国强",
    "患者李某某",
    "李某",
    "王某某",
    "１３８１２３４５６７８",
    "138 1234 5678",
    "139-1234-5678",
    "110101 19900307 1233",
    "１１０１０５１９９００１０１１２３２",
    "20250312",
    "2025-03-12",
    "1990/03/07",
    "0012345678",
    "ZY2025001",
];

/// Planted in the workbook's data sheet, in the same way.
const IN_XLSX: &[&str] = &["买买提•艾力", "Wei Zhang", "亓小明", "MZ2025017"];

/// On the sheet of notes, which is never read: it must not be printed either.
const ON_NOTES_SHEET: &[&str] = &["本表由县疾控填报", "联系人 赵某 13900001111"];

fn planted_site() -> tempfile::TempDir {
    let site = copy_fixture("indicators");
    let data = site.path().join("data/indicators");
    // Following the old hint, the data office declared `inpatient_no` as a
    // measure: the column is refused all the same.
    let mut definitions = read(&data, "definitions.toml");
    definitions.push_str("\n[[measure]]\nid = \"inpatient_no\"\nname = \"住院号\"\n");
    std::fs::write(data.join("definitions.toml"), definitions).expect("write");

    let mut csv = String::from("period,area,registered,standard_managed\n");
    for (i, value) in IN_CSV.iter().enumerate() {
        let area = ["town-a", "town-b", "town-c"][i % 3];
        csv.push_str(&format!("{},{area},{value},1\n", 2000 + i));
    }
    // A name in the area and period columns too, where other messages
    // would quote the cell.
    csv.push_str("2030,Zhang Wei,5,1\n王某某,town-a,5,1\n");
    std::fs::write(data.join("2025.csv"), csv).expect("write");
    std::fs::write(
        data.join("records.csv"),
        "period,area,inpatient_no,住院号,姓　名,registered\n2031,town-a,7,8,,3\n",
    )
    .expect("write");

    let mut workbook = Workbook::new();
    let notes = workbook.add_worksheet();
    notes.set_name("说明").expect("sheet name");
    notes.write_string(0, 0, ON_NOTES_SHEET[0]).expect("write");
    notes.write_string(2, 0, ON_NOTES_SHEET[1]).expect("write");
    notes.write_string(2, 3, "多列的说明").expect("write");
    let sheet = workbook.add_worksheet();
    sheet.set_name("数据").expect("sheet name");
    for (c, header) in ["period", "area", "registered", "standard_managed"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *header).expect("write");
    }
    for (i, value) in IN_XLSX.iter().enumerate() {
        let row = i as u32 + 1;
        sheet
            .write_string(row, 0, format!("{}", 2040 + i))
            .expect("write");
        sheet.write_string(row, 1, "town-a").expect("write");
        sheet.write_number(row, 2, 3).expect("write");
        sheet.write_string(row, 3, *value).expect("write");
    }
    // A row read well, and a phone number typed as a number.
    let row = IN_XLSX.len() as u32 + 1;
    sheet.write_string(row, 0, "2050").expect("write");
    sheet.write_string(row, 1, "town-b").expect("write");
    sheet.write_number(row, 2, 13712345678.0).expect("write");
    workbook
        .save(data.join("2026.xlsx"))
        .expect("save workbook");
    site
}

#[test]
fn personal_data_is_reported_masked_and_the_notes_sheet_is_skipped() {
    let site = planted_site();
    let out = try_build(site.path(), &site.path().join("public"), &[]);
    let (stdout, stderr) = (stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let all = format!("{stdout}{stderr}");
    for secret in IN_CSV
        .iter()
        .chain(IN_XLSX)
        .chain(ON_NOTES_SHEET)
        .chain(&["13712345678"])
    {
        assert!(!all.contains(secret), "`{secret}` is printed:\n{all}");
    }
    // Each planted cell has its error, at its line, as personal data.
    for (i, _) in IN_CSV.iter().enumerate() {
        let at = format!("data/indicators/2025.csv:{}:", i + 2);
        let reported = stderr
            .split("\nerror")
            .any(|e| e.contains(&at) && e.contains("looks like personal data"));
        assert!(reported, "no personal-data error at {at}:\n{stderr}");
    }
    for (i, _) in IN_XLSX.iter().enumerate() {
        let at = format!("cell D{}", i + 2);
        assert!(stderr.contains(&at), "no error at {at}:\n{stderr}");
    }
    assert!(stderr.contains("skipped the sheet “说明”"), "{stderr}");
    assert!(!stderr.contains("sheet “说明”, cell"), "{stderr}");
    assert!(stderr.contains("个人信息保护法 第28条"), "{stderr}");
    assert!(!stderr.contains("is not a measure"), "{stderr}");
    let shown = stderr.replace(&site.path().display().to_string(), "<site>");
    assert_golden("personal-data.txt", &shown);
}

#[test]
fn a_workbook_without_any_table_keeps_its_header_error() {
    let site = copy_fixture("indicators");
    let data = site.path().join("data/indicators");
    let mut workbook = Workbook::new();
    let notes = workbook.add_worksheet();
    notes.set_name("说明").expect("sheet name");
    notes.write_string(0, 0, "本表由县疾控填报").expect("write");
    workbook
        .save(data.join("notes.xlsx"))
        .expect("save workbook");
    let out = try_build(site.path(), &site.path().join("public"), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("the header has no `period` column"), "{err}");
    assert!(err.contains("sheet “说明”"), "{err}");
    assert!(!err.contains("skipped the sheet"), "{err}");
}
