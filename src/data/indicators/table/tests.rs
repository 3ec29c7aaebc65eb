//! Tests of reading CSV and XLSX tables.

use super::*;

fn csv(text: &str) -> Table {
    read_csv(Path::new("data/indicators/x.csv"), text).unwrap_or_else(|d| panic!("{d}"))
}

fn cells(t: &Table) -> Vec<Vec<&str>> {
    t.rows
        .iter()
        .map(|r| r.cells.iter().map(String::as_str).collect())
        .collect()
}

#[test]
fn a_csv_file_is_always_a_table() {
    let t = csv("本表由县疾控填报\n2025Q3\n");
    assert_eq!(t.header, ["本表由县疾控填报"]);
    assert_eq!(cells(&t), [["2025Q3"]]);
    assert!(t.notes.is_empty());
}

#[test]
fn reads_header_and_rows() {
    let t = csv("period,area,registered\n2025Q3,town-a,212\n2025Q3,town-b,98\n");
    assert_eq!(t.header, ["period", "area", "registered"]);
    assert_eq!(t.header_line, 1);
    assert_eq!(
        cells(&t),
        [["2025Q3", "town-a", "212"], ["2025Q3", "town-b", "98"]]
    );
    assert_eq!(t.rows[1].line, 3);
    assert_eq!(t.sheet, None);
}

#[test]
fn strips_a_bom_and_reads_crlf() {
    let t = csv("\u{feff}period,area\r\n2025,town-a\r\n2024,town-b\r\n");
    assert_eq!(t.header, ["period", "area"]);
    assert_eq!(cells(&t), [["2025", "town-a"], ["2024", "town-b"]]);
    assert_eq!(t.rows[1].line, 3);
}

#[test]
fn reads_cr_only_line_ends() {
    let t = csv("period,area\r2025,town-a\r2024,town-b\r");
    assert_eq!(t.rows[1].line, 3);
    let d = t.diagnostic(Some(1), 1, "x".into());
    assert_eq!(d.source_line.as_deref(), Some("2024,town-b"));
}

#[test]
fn quoted_fields_and_trimming() {
    let t = csv("area,note\n town-a ,\"a, b\" \n\"town \"\"b\"\"\",\"two\nlines\"\ntown-c,x\n");
    assert_eq!(
        cells(&t),
        [
            ["town-a", "a, b"],
            ["town \"b\"", "two\nlines"],
            ["town-c", "x"]
        ]
    );
    assert_eq!(t.rows[2].line, 5);
}

#[test]
fn skips_blank_lines_and_empty_rows() {
    let t = csv("\n\nperiod,area\n\n2025,a\n,,\n   \n2024,b\n\n");
    assert_eq!(t.header_line, 3);
    assert_eq!(cells(&t), [["2025", "a"], ["2024", "b"]]);
    assert_eq!(t.rows[0].line, 5);
    assert_eq!(t.rows[1].line, 8);
}

#[test]
fn pads_short_rows_and_allows_trailing_empty_cells() {
    let t = csv("period,area,registered,,\n2025,a\n2024,b,3,,\n");
    assert_eq!(t.header, ["period", "area", "registered"]);
    assert_eq!(cells(&t), [["2025", "a", ""], ["2024", "b", "3"]]);
    // A padded cell points just past the end of its line.
    let d = t.diagnostic(Some(0), 2, "missing".into());
    assert_eq!(d.position, Some(Position { line: 2, column: 7 }));
}

#[test]
fn long_rows_are_an_error_at_the_extra_cell() {
    let d = read_csv(
        Path::new("data/indicators/x.csv"),
        "period,area,registered\n2025,a,1\n2025,\"b\",2,3\n",
    )
    .unwrap_err();
    assert_eq!(d.message, "this row has 4 cells but the header has 3");
    assert_eq!(d.file.as_deref(), Some(Path::new("data/indicators/x.csv")));
    assert_eq!(
        d.position,
        Some(Position {
            line: 3,
            column: 12
        })
    );
    assert_eq!(d.source_line.as_deref(), Some("2025,\"b\",2,3"));
    assert_eq!(d.underline, 1);
    assert!(d.hint.is_some());
}

#[test]
fn empty_file_is_an_error() {
    for text in ["", "\u{feff}", "\n\n", ",,\n"] {
        let d = read_csv(Path::new("x.csv"), text).unwrap_err();
        assert!(d.message.contains("empty"), "{text:?}");
    }
}

#[test]
fn csv_diagnostics_point_at_the_cell_in_characters() {
    let t = csv("period,area,registered\n2025Q3,城关镇, 212 \n2025Q3,\"青山乡\",98\n");
    let d = t.diagnostic(Some(0), 2, "bad count".into());
    assert_eq!(d.file.as_deref(), Some(Path::new("data/indicators/x.csv")));
    assert_eq!(
        d.position,
        Some(Position {
            line: 2,
            column: 13
        })
    );
    assert_eq!(d.source_line.as_deref(), Some("2025Q3,城关镇, 212 "));
    assert_eq!(d.underline, 3);
    assert_eq!(d.message, "bad count");

    let d = t.diagnostic(Some(1), 1, "unknown area".into());
    assert_eq!(d.position, Some(Position { line: 3, column: 8 }));
    assert_eq!(d.underline, 5);

    let d = t.diagnostic(None, 1, "bad header".into());
    assert_eq!(d.position, Some(Position { line: 1, column: 8 }));
    assert_eq!(d.source_line.as_deref(), Some("period,area,registered"));
    assert_eq!(d.underline, 4);
    let shown = d.to_string();
    assert!(shown.contains("data/indicators/x.csv:1:8"), "{shown}");
}

#[test]
fn diagnostics_after_a_multiline_field_point_at_its_line() {
    let t = csv("area,note,n\na,\"x\ny\",5\n");
    let d = t.diagnostic(Some(0), 2, "bad".into());
    assert_eq!(d.position, Some(Position { line: 3, column: 4 }));
    assert_eq!(d.source_line.as_deref(), Some("y\",5"));
}

#[test]
fn a1_references() {
    assert_eq!(cell_ref(1, 1), "A1");
    assert_eq!(cell_ref(7, 3), "C7");
    assert_eq!(cell_ref(1, 26), "Z1");
    assert_eq!(cell_ref(1, 27), "AA1");
    assert_eq!(cell_ref(1, 52), "AZ1");
    assert_eq!(cell_ref(1, 53), "BA1");
    assert_eq!(cell_ref(1, 702), "ZZ1");
    assert_eq!(cell_ref(10, 703), "AAA10");
}

#[test]
fn gbk_bytes_are_refused_with_the_line() {
    // "period,area\n2025,城关镇\n" with 城关镇 in GBK.
    let mut bytes = b"period,area\n2025,".to_vec();
    bytes.extend_from_slice(&[0xB3, 0xC7, 0xB9, 0xD8, 0xD5, 0xF2]);
    bytes.extend_from_slice(b"\n");
    let d = read_csv_bytes(Path::new("data/indicators/x.csv"), &bytes).unwrap_err();
    assert!(d.message.contains("not UTF-8"), "{}", d.message);
    assert!(d.message.contains("line 2"), "{}", d.message);
    assert!(d.message.contains("GBK"), "{}", d.message);
    assert_eq!(d.position, Some(Position { line: 2, column: 6 }));
    assert!(d.hint.as_deref().is_some_and(|h| h.contains("CSV UTF-8")));

    let ok = read_csv_bytes(Path::new("x.csv"), "period\n2025\n".as_bytes()).unwrap();
    assert_eq!(cells(&ok), [["2025"]]);

    let d = read_csv_bytes(Path::new("x.csv"), &[0xFF, 0xFE, b'a', 0]).unwrap_err();
    assert!(d.message.contains("UTF-16"));
}

#[test]
fn tables_made_in_code_point_at_line_and_column() {
    let t = Table::new(
        "x.csv",
        None,
        vec!["a".into()],
        1,
        vec![TableRow {
            line: 4,
            cells: vec!["1".into()],
        }],
    );
    let d = t.diagnostic(Some(0), 0, "m".into());
    assert_eq!(d.position, Some(Position { line: 4, column: 1 }));
    assert_eq!(t, t.clone());
}

#[test]
fn cell_texts() {
    assert_eq!(float_text(212.0), "212");
    assert_eq!(float_text(212.5), "212.5");
    assert_eq!(float_text(-0.0), "0");
    assert_eq!(float_text(110105199001011232.0), "110105199001011232");
    assert_eq!(float_text(1e20), "100000000000000000000");
    assert_eq!(cell_text(&Data::String("  x ".into())), "x");
    assert_eq!(cell_text(&Data::Int(7)), "7");
    assert_eq!(cell_text(&Data::Bool(true)), "true");
    assert_eq!(
        cell_text(&Data::Error(calamine::CellErrorType::Div0)),
        "#DIV/0!"
    );
    assert_eq!(date_text(2025, 9, 1, (0, 0, 0, 0)), "2025-09");
    assert_eq!(date_text(2025, 9, 2, (0, 0, 0, 0)), "2025-09-02");
    assert_eq!(date_text(2025, 9, 1, (12, 30, 0, 0)), "2025-09-01T12:30:00");
    assert_eq!(iso_date_text("2025-09-01"), "2025-09");
    assert_eq!(iso_date_text("2025-09-01T00:00:00"), "2025-09");
    assert_eq!(iso_date_text("2025-09-15"), "2025-09-15");
    assert_eq!(iso_date_text("2025-09-01T08:00:00"), "2025-09-01T08:00:00");
}

proptest::proptest! {
    /// Whatever the quoting, a diagnostic underlines exactly the cell the
    /// reader returned.
    #[test]
    fn diagnostics_underline_the_cell_read(
        rows in proptest::collection::vec(
            proptest::collection::vec("[a-z城关 ,\"]{0,4}", 3),
            1..6,
        )
    ) {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(["a", "b", "c"]).unwrap();
        for row in &rows {
            writer.write_record(row).unwrap();
        }
        let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        let t = read_csv(Path::new("x.csv"), &text).unwrap();
        let kept: Vec<&Vec<String>> = rows
            .iter()
            .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
            .collect();
        proptest::prop_assert_eq!(t.rows.len(), kept.len());
        for (i, row) in t.rows.iter().enumerate() {
            for (c, cell) in row.cells.iter().enumerate() {
                proptest::prop_assert_eq!(cell, kept[i][c].trim());
                if cell.is_empty() {
                    continue;
                }
                let d = t.diagnostic(Some(i), c, String::new());
                let column = d.position.unwrap().column;
                let shown: String = d
                    .source_line
                    .unwrap()
                    .chars()
                    .skip(column - 1)
                    .take(d.underline)
                    .collect();
                let unquoted = match shown.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
                    Some(inner) => inner.replace("\"\"", "\""),
                    None => shown.clone(),
                };
                proptest::prop_assert_eq!(unquoted.trim(), cell.as_str(), "{}", text);
            }
        }
    }
}

mod xlsx {
    use super::*;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

    fn write(build: impl FnOnce(&mut Workbook)) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.xlsx");
        let mut workbook = Workbook::new();
        build(&mut workbook);
        workbook.save(&path).unwrap();
        (dir, path)
    }

    fn read(path: &Path) -> Result<Vec<Table>, Diagnostic> {
        read_xlsx(Path::new("data/indicators/data.xlsx"), path)
    }

    #[test]
    fn reads_strings_numbers_and_dates() {
        let (_dir, path) = write(|wb| {
            let ws = wb.add_worksheet();
            ws.set_name("2025年").unwrap();
            let date = Format::new().set_num_format("yyyy-mm");
            for (c, h) in ["period", "area", "registered", "rate", "id"]
                .iter()
                .enumerate()
            {
                ws.write_string(0, c as u16, *h).unwrap();
            }
            ws.write_string(1, 0, "2025Q3").unwrap();
            ws.write_string(1, 1, " 城关镇 ").unwrap();
            ws.write_number(1, 2, 212).unwrap();
            ws.write_number(1, 3, 212.5).unwrap();
            ws.write_string(1, 4, "110105199001011232").unwrap();
            let sept = ExcelDateTime::from_ymd(2025, 9, 1).unwrap();
            ws.write_datetime_with_format(2, 0, &sept, &date).unwrap();
            ws.write_number(2, 2, 110105199001011232.0).unwrap();
            ws.write_boolean(2, 3, false).unwrap();
            let day = ExcelDateTime::from_ymd(2025, 9, 15).unwrap();
            ws.write_datetime_with_format(2, 4, &day, &date).unwrap();
            // An empty second sheet is left out.
            wb.add_worksheet();
        });
        let tables = read(&path).unwrap();
        assert_eq!(tables.len(), 1);
        let t = &tables[0];
        assert_eq!(t.sheet.as_deref(), Some("2025年"));
        assert_eq!(t.header, ["period", "area", "registered", "rate", "id"]);
        assert_eq!(t.header_line, 1);
        assert_eq!(
            cells(t),
            [
                ["2025Q3", "城关镇", "212", "212.5", "110105199001011232"],
                ["2025-09", "", "110105199001011232", "false", "2025-09-15"],
            ]
        );
        assert_eq!(t.rows[1].line, 3);
    }

    #[test]
    fn rows_and_columns_follow_the_sheet() {
        let (_dir, path) = write(|wb| {
            let ws = wb.add_worksheet();
            ws.set_name("数据").unwrap();
            // The table starts at C3, after a blank area.
            ws.write_string(2, 2, "period").unwrap();
            ws.write_string(2, 3, "area").unwrap();
            ws.write_string(4, 2, "2025").unwrap();
            ws.write_string(4, 3, "town-a").unwrap();
            ws.write_string(5, 2, "2024").unwrap();
        });
        let tables = read(&path).unwrap();
        let t = &tables[0];
        assert_eq!(t.header_line, 3);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].line, 5);
        assert_eq!(cells(t), [["2025", "town-a"], ["2024", ""]]);
        let d = t.diagnostic(Some(1), 1, "missing area".into());
        assert_eq!(d.message, "missing area (sheet “数据”, cell D6)");
        assert_eq!(d.position, Some(Position { line: 6, column: 4 }));
        assert_eq!(d.source_line, None);
        assert_eq!(
            d.file.as_deref(),
            Some(Path::new("data/indicators/data.xlsx"))
        );
    }

    #[test]
    fn a_value_without_a_header_is_an_error() {
        let (_dir, path) = write(|wb| {
            let ws = wb.add_worksheet();
            ws.write_string(0, 0, "period").unwrap();
            ws.write_string(1, 0, "2025").unwrap();
            ws.write_number(1, 27, 5).unwrap();
        });
        let d = read(&path).unwrap_err();
        assert!(d.message.contains("no header"), "{}", d.message);
        assert!(d.message.contains("cell AB2"), "{}", d.message);
    }

    fn notes_sheet(wb: &mut Workbook) {
        let ws = wb.add_worksheet();
        ws.set_name("说明").unwrap();
        ws.write_string(0, 0, "本表由县疾控填报").unwrap();
        // Wider than its one-cell first row: as a table it would be an error.
        ws.write_string(2, 0, "联系人").unwrap();
        ws.write_string(2, 4, "见通知").unwrap();
    }

    fn data_sheet(wb: &mut Workbook, name: &str, header: [&str; 3]) {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        for (c, h) in header.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_string(1, 0, "2025Q3").unwrap();
        ws.write_string(1, 1, "town-a").unwrap();
        ws.write_number(1, 2, 12).unwrap();
    }

    #[test]
    fn a_sheet_of_notes_is_skipped_with_a_note() {
        let (_dir, path) = write(|wb| {
            notes_sheet(wb);
            data_sheet(wb, "数据", ["period", "area", "registered"]);
        });
        let tables = read(&path).unwrap();
        assert_eq!(tables.len(), 1);
        let t = &tables[0];
        assert_eq!(t.sheet.as_deref(), Some("数据"));
        assert_eq!(cells(t), [["2025Q3", "town-a", "12"]]);
        assert_eq!(t.notes.len(), 1);
        let note = &t.notes[0];
        assert!(!note.is_error());
        assert!(
            note.message.contains("skipped the sheet “说明”"),
            "{}",
            note.message
        );
        assert!(!note.message.contains("本表"), "{}", note.message);
        assert_eq!(note.position, Some(Position { line: 1, column: 1 }));
        assert_eq!(
            note.file.as_deref(),
            Some(Path::new("data/indicators/data.xlsx"))
        );
    }

    #[test]
    fn a_workbook_without_a_table_is_read_as_before() {
        let (_dir, path) = write(|wb| {
            let ws = wb.add_worksheet();
            ws.set_name("说明").unwrap();
            ws.write_string(0, 0, "本表由县疾控填报").unwrap();
        });
        let tables = read(&path).unwrap();
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].header, ["本表由县疾控填报"]);
        assert!(tables[0].notes.is_empty());
        // Its wider rows are the error they always were.
        let (_dir, path) = write(notes_sheet);
        assert!(read(&path).unwrap_err().message.contains("no header"));
    }

    #[test]
    fn a_sheet_with_one_of_period_and_area_is_read_so_its_typo_is_reported() {
        let (_dir, path) = write(|wb| {
            data_sheet(wb, "Q3", ["period", "area", "registered"]);
            data_sheet(wb, "Q4", ["peroid", "area", "registered"]);
            notes_sheet(wb);
        });
        let tables = read(&path).unwrap();
        let sheets: Vec<_> = tables.iter().map(|t| t.sheet.as_deref()).collect();
        assert_eq!(sheets, [Some("Q3"), Some("Q4")]);
        assert_eq!(tables[0].notes.len(), 1);
        assert!(tables[1].notes.is_empty());
    }

    #[test]
    fn an_unsaved_formula_on_a_notes_sheet_is_skipped_with_it() {
        let (_dir, path) = write(|wb| {
            data_sheet(wb, "数据", ["period", "area", "registered"]);
            let ws = wb.add_worksheet();
            ws.set_name("说明").unwrap();
            ws.write_string(0, 0, "合计").unwrap();
            ws.write_formula(0, 1, "=1+1").unwrap();
        });
        let tables = read(&path).unwrap();
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].notes.len(), 1);
    }

    #[test]
    fn a_file_that_is_not_a_workbook_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.xlsx");
        std::fs::write(&path, "period,area\n").unwrap();
        let d = read(&path).unwrap_err();
        assert_eq!(
            d.file.as_deref(),
            Some(Path::new("data/indicators/data.xlsx"))
        );
        assert!(d.message.contains("cannot open"), "{}", d.message);
        assert!(d.hint.is_some());
    }
}
