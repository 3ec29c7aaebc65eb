//! Workbooks made from CSV text, so that a test can check that the same data
//! reads the same from `.csv` and `.xlsx`.

use rust_xlsxwriter::Workbook;
use std::path::Path;

/// Writes the CSV file at `csv_path` as a workbook at `xlsx_path` with one
/// sheet named after the file stem; see [`csv_text_to_xlsx`].
pub fn csv_to_xlsx(csv_path: &Path, xlsx_path: &Path) {
    let text = std::fs::read_to_string(csv_path)
        .unwrap_or_else(|e| panic!("read {}: {e}", csv_path.display()));
    let stem = csv_path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("Sheet1");
    csv_text_to_xlsx(&text, stem, xlsx_path);
}

/// Writes CSV `text` as a one-sheet workbook, the way a data office's
/// spreadsheet holds it: a cell whose text is a whole number of at most 15
/// digits (what Excel keeps exactly) is a number, unless it has a leading
/// zero or is in the `period` column, where `2025` stays the text the user
/// typed; everything else, `2025Q3` and `2025-09` included, is a string.
/// Empty cells are left empty.
pub fn csv_text_to_xlsx(text: &str, sheet_name: &str, xlsx_path: &Path) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet
        .set_name(sheet_title(sheet_name))
        .expect("valid sheet name");
    let mut period_column = None;
    for (r, record) in reader.records().enumerate() {
        let record = record.expect("readable CSV");
        if r == 0 {
            period_column = record.iter().position(|h| h.trim() == "period");
        }
        let row = u32::try_from(r).expect("row fits a sheet");
        for (c, cell) in record.iter().enumerate() {
            let column = u16::try_from(c).expect("column fits a sheet");
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            match as_number(cell) {
                Some(n) if r > 0 && Some(c) != period_column => {
                    sheet.write_number(row, column, n).expect("write number");
                }
                _ => {
                    sheet.write_string(row, column, cell).expect("write string");
                }
            }
        }
    }
    workbook
        .save(xlsx_path)
        .unwrap_or_else(|e| panic!("save {}: {e}", xlsx_path.display()));
}

fn as_number(cell: &str) -> Option<f64> {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let whole = !digits.is_empty()
        && digits.len() <= 15
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    if whole { cell.parse().ok() } else { None }
}

/// Excel refuses sheet names over 31 characters or with `[]:*?/\`.
fn sheet_title(name: &str) -> String {
    name.chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect()
}
