//! Data files under `data/indicators/` (`*.csv`, `*.xlsx`) read into one
//! shape: a header and rows of cell texts, each cell able to say where it is
//! (file, line/row, column; for a workbook also sheet and cell reference).

use crate::diagnostics::{Diagnostic, Position};
use calamine::{Data, Reader, SheetType, Xlsx, open_workbook};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One table of a data file: a CSV file, or one sheet of a workbook.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file as the user knows it, e.g. `data/indicators/2025.csv`.
    pub file: PathBuf,
    /// The sheet's name for a workbook.
    pub sheet: Option<String>,
    pub header: Vec<String>,
    /// The line (CSV) or row (sheet) of the header, 1-based.
    pub header_line: usize,
    pub rows: Vec<TableRow>,
    /// Warnings about the file found while reading it (a sheet of a workbook
    /// skipped as notes), reported with the table's own errors.
    pub notes: Vec<Diagnostic>,
    origin: Origin,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    /// 1-based line in the CSV file, or row number in the sheet.
    pub line: usize,
    /// Cell texts, trimmed; as many as the header has (missing cells are "").
    pub cells: Vec<String>,
}

/// Where the cells came from, kept so that an error found long after reading
/// can still quote the line. A CSV file's text is kept once, shared by clones,
/// with its line starts; a cell's span is found again by rescanning its
/// record, which costs nothing per row.
#[derive(Clone, Default)]
enum Origin {
    /// Built in code ([`Table::new`]): only lines are known.
    #[default]
    Unknown,
    Csv {
        text: Arc<str>,
        line_starts: Arc<[usize]>,
    },
    Sheet {
        /// 0-based sheet column of the table's first column.
        first_column: usize,
    },
}

impl fmt::Debug for Origin {
    // The text of a national data file is megabytes long.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Unknown => write!(f, "Unknown"),
            Origin::Csv { text, .. } => write!(f, "Csv({} bytes)", text.len()),
            Origin::Sheet { first_column } => write!(f, "Sheet(first_column: {first_column})"),
        }
    }
}

/// Tables are equal when they hold the same cells in the same places; where
/// the text was kept for diagnostics does not matter.
impl PartialEq for Table {
    fn eq(&self, other: &Self) -> bool {
        self.file == other.file
            && self.sheet == other.sheet
            && self.header == other.header
            && self.header_line == other.header_line
            && self.rows == other.rows
    }
}

impl Table {
    /// A table made in code; its diagnostics carry line and column numbers
    /// but no quoted line.
    pub fn new(
        file: impl Into<PathBuf>,
        sheet: Option<String>,
        header: Vec<String>,
        header_line: usize,
        rows: Vec<TableRow>,
    ) -> Self {
        Table {
            file: file.into(),
            sheet,
            header,
            header_line,
            rows,
            notes: Vec::new(),
            origin: Origin::Unknown,
        }
    }

    /// An error at the cell of `row` (index into `rows`, or `None` for the
    /// header) and `column` (index into `header`): file, line and column,
    /// the quoted line for a CSV file, the sheet and cell (`C7`) for a workbook.
    pub fn diagnostic(&self, row: Option<usize>, column: usize, message: String) -> Diagnostic {
        let line = match row {
            None => self.header_line,
            Some(i) => self.rows.get(i).map_or(self.header_line, |r| r.line),
        };
        match &self.origin {
            Origin::Csv { text, line_starts } => {
                csv_cell_diagnostic(text, line_starts, line, column, message).in_file(&self.file)
            }
            Origin::Sheet { first_column } => {
                let sheet_column = first_column + column + 1;
                let sheet = self.sheet.as_deref().unwrap_or("");
                let mut d = Diagnostic::error(format!(
                    "{message} (sheet “{sheet}”, cell {})",
                    cell_ref(line, sheet_column)
                ))
                .in_file(&self.file);
                d.position = Some(Position {
                    line,
                    column: sheet_column,
                });
                d
            }
            Origin::Unknown => {
                let mut d = Diagnostic::error(message).in_file(&self.file);
                d.position = Some(Position {
                    line,
                    column: column + 1,
                });
                d
            }
        }
    }
}

/// The Excel reference of a cell, 1-based: `cell_ref(7, 3)` is `C7`,
/// column 27 is `AA`.
pub fn cell_ref(row: usize, column: usize) -> String {
    let mut letters = Vec::new();
    let mut n = column;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.reverse();
    let mut s: String = letters.into_iter().collect();
    s.push_str(&row.to_string());
    s
}

// ---------------------------------------------------------------- CSV

/// Reads a CSV file given as bytes, refusing text that is not UTF-8 with the
/// line of the first bad byte: Excel on Chinese Windows saves CSV in GBK
/// unless told otherwise, and guessing the encoding would corrupt names of
/// places silently.
pub fn read_csv_bytes(file: &Path, bytes: &[u8]) -> Result<Table, Diagnostic> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::error(
            "this file is UTF-16 text (Excel's “Unicode text”), not a UTF-8 CSV file",
        )
        .in_file(file)
        .with_hint(SAVE_AS_UTF8));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => read_csv(file, text),
        Err(_) => match crate::text_file::decode(file, bytes.to_vec(), SAVE_AS_UTF8) {
            Ok(text) => read_csv(file, &text),
            Err(d) => Err(d),
        },
    }
}

const SAVE_AS_UTF8: &str = "save the file as “CSV UTF-8” in Excel (文件 → 另存为 → \
    “CSV UTF-8 (逗号分隔)(*.csv)”), or in WPS choose UTF-8 encoding; any text editor can \
    also re-save it as UTF-8";

/// Reads a CSV file: the first non-empty record is the header, empty lines
/// and rows of only empty cells are skipped, short rows are padded with "".
pub fn read_csv(file: &Path, text: &str) -> Result<Table, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Old Mac Excel ends lines with CR alone. The CSV reader ends records
    // there too but numbers lines by LF only; a lone CR turned into LF (same
    // length, same offsets) makes every record start at the start of a line.
    let has_lone_cr = text
        .bytes()
        .zip(text.bytes().skip(1).map(Some).chain([None]))
        .any(|(b, next)| b == b'\r' && next != Some(b'\n'));
    let text: Arc<str> = if has_lone_cr {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            out.push(if c == '\r' && chars.peek() != Some(&'\n') {
                '\n'
            } else {
                c
            });
        }
        out.into()
    } else {
        text.into()
    };
    let line_starts: Arc<[usize]> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut table = Table {
        file: file.to_path_buf(),
        sheet: None,
        header: Vec::new(),
        header_line: 1,
        rows: Vec::new(),
        notes: Vec::new(),
        origin: Origin::Csv {
            text: Arc::clone(&text),
            line_starts: Arc::clone(&line_starts),
        },
    };

    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut have_header = false;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(1, |p| p.line() as usize);
                return Err(
                    table.diagnostic_at_line(line, format!("cannot read this CSV file: {e}"))
                );
            }
        }
        // The reader's position is where the previous record ended, before
        // the line break and any blank lines; the record starts after them.
        let after_previous = record
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX))
            .min(text.len());
        let start = after_previous
            + text.as_bytes()[after_previous..]
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
        let line = line_starts.partition_point(|&s| s <= start).max(1);
        let Some(used) = (0..record.len())
            .rev()
            .find(|&i| !record[i].is_empty())
            .map(|i| i + 1)
        else {
            continue;
        };
        if !have_header {
            have_header = true;
            table.header = record.iter().take(used).map(str::to_string).collect();
            table.header_line = line;
            continue;
        }
        let width = table.header.len();
        if used > width {
            let index = table.rows.len();
            let extra = record
                .iter()
                .skip(width)
                .position(|c| !c.is_empty())
                .map_or(width, |i| width + i);
            table.rows.push(TableRow {
                line,
                cells: Vec::new(),
            });
            let d = table
                .diagnostic(
                    Some(index),
                    extra,
                    format!("this row has {used} cells but the header has {width}"),
                )
                .with_hint(
                    "remove the extra cells or give their column a header; a value that \
                     contains a comma must be in double quotes",
                );
            return Err(d);
        }
        let mut cells: Vec<String> = record.iter().take(width).map(str::to_string).collect();
        cells.resize(width, String::new());
        table.rows.push(TableRow { line, cells });
    }
    if !have_header {
        return Err(Diagnostic::error("this data file is empty")
            .in_file(file)
            .with_hint("the first line names the columns, e.g. period,area,registered"));
    }
    Ok(table)
}

impl Table {
    fn diagnostic_at_line(&self, line: usize, message: String) -> Diagnostic {
        let d = Diagnostic::error(message).in_file(&self.file);
        match &self.origin {
            Origin::Csv { text, line_starts } => {
                let start = line_starts
                    .get(line.saturating_sub(1))
                    .copied()
                    .unwrap_or(0);
                let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
                d.at_line(&text[..end], line)
            }
            _ => d,
        }
    }
}

fn csv_cell_diagnostic(
    text: &str,
    line_starts: &[usize],
    record_line: usize,
    column: usize,
    message: String,
) -> Diagnostic {
    let record_start = line_starts
        .get(record_line.saturating_sub(1))
        .copied()
        .unwrap_or(text.len());
    let fields = field_spans(text, record_start);
    let span = match fields.get(column) {
        Some(raw) => {
            let field = &text[raw.clone()];
            let start = raw.start + (field.len() - field.trim_start().len());
            let end = raw.end - (field.len() - field.trim_end().len());
            start..end.max(start)
        }
        // A padded cell: point just past the end of the record.
        None => {
            let end = fields.last().map_or(record_start, |f| f.end);
            end..end
        }
    };
    let line_index = line_starts.partition_point(|&s| s <= span.start).max(1);
    let line_start = line_starts[line_index - 1];
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let line_text = text[line_start..line_end].trim_end_matches('\r');
    let column = text[line_start..span.start].chars().count() + 1;
    let underline = text[span.clone()]
        .lines()
        .next()
        .map_or(0, |l| l.chars().count());
    let mut d = Diagnostic::error(message);
    d.position = Some(Position {
        line: line_index,
        column,
    });
    d.source_line = Some(line_text.to_string());
    d.underline = underline.max(1);
    d
}

/// The byte spans of the fields of the record starting at `start`, quotes
/// included, following the CSV reader's rules: a quote opens a quoted field
/// only at the start of a field, `""` inside one is a quote, and text after
/// the closing quote continues the field.
fn field_spans(text: &str, start: usize) -> Vec<Range<usize>> {
    #[derive(Clone, Copy)]
    enum State {
        StartField,
        InField,
        InQuotes,
        QuoteInQuotes,
    }
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut field_start = start;
    let mut state = State::StartField;
    let mut i = start;
    while i < bytes.len() {
        let b = bytes[i];
        state = match (state, b) {
            (State::StartField, b'"') => State::InQuotes,
            (State::InQuotes, b'"') => State::QuoteInQuotes,
            (State::InQuotes, _) => State::InQuotes,
            (State::QuoteInQuotes, b'"') => State::InQuotes,
            (_, b',') => {
                spans.push(field_start..i);
                field_start = i + 1;
                State::StartField
            }
            (_, b'\n' | b'\r') => break,
            _ => State::InField,
        };
        i += 1;
    }
    spans.push(field_start..i);
    spans
}

// ---------------------------------------------------------------- XLSX

/// Reads the worksheets of a workbook that hold a table; `file` is the path
/// shown to the user, `path` the one on disk.
///
/// Data offices keep a sheet of notes beside the figures (`说明`: who filled
/// it in, what the columns mean). A sheet is a table when its first row has a
/// `period` or an `area` column; the others are skipped with a note on the
/// first table read. One of the two columns is enough to count as a table, so
/// that a typo in the other (`peroid`) is reported rather than the sheet's
/// figures left out. A workbook without any table has every sheet read, so
/// that its errors say what the header lacks.
pub fn read_xlsx(file: &Path, path: &Path) -> Result<Vec<Table>, Diagnostic> {
    let mut workbook: Xlsx<_> = open_workbook(path).map_err(|e| {
        Diagnostic::error(format!("cannot open this workbook: {e}"))
            .in_file(file)
            .with_hint(
                "close the file in Excel or WPS if it is open, and save it as an Excel workbook \
                 (.xlsx); old .xls files and password-protected workbooks cannot be read",
            )
    })?;
    let sheets: Vec<String> = workbook
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    let mut read = Vec::new();
    for name in sheets {
        let range = workbook.worksheet_range(&name).map_err(|e| {
            Diagnostic::error(format!(
                "cannot read the sheet “{name}” of this workbook: {e}"
            ))
            .in_file(file)
            .with_hint("open the workbook in Excel or WPS and save it again as .xlsx")
        })?;
        let formulas = workbook.worksheet_formula(&name).ok();
        let table = unsaved_formula(file, &name, &range, formulas.as_ref())
            .map_or_else(|| sheet_table(file, &name, &range), Err);
        let first_row = first_row(&range);
        read.push(Sheet {
            is_table: first_row
                .as_ref()
                .is_some_and(|(_, cells)| is_header(cells)),
            first_line: first_row.map(|(line, _)| line),
            name,
            table,
        });
    }
    let any_table = read.iter().any(|s| s.is_table);
    let mut tables = Vec::new();
    let mut notes = Vec::new();
    for sheet in read {
        if sheet.is_table || !any_table {
            tables.extend(sheet.table?);
        } else if let Some(line) = sheet.first_line {
            notes.push(skipped_sheet(file, &sheet.name, line));
        }
    }
    if let Some(first) = tables.first_mut() {
        first.notes = notes;
    }
    Ok(tables)
}

/// A formula saved by a program that does not compute it (or an export
/// script) has no value: read as empty, its figure would silently vanish.
fn unsaved_formula(
    file: &Path,
    name: &str,
    range: &calamine::Range<Data>,
    formulas: Option<&calamine::Range<String>>,
) -> Option<Diagnostic> {
    let formulas = formulas?;
    let (top, left) = formulas.start()?;
    for (r, c, formula) in formulas.used_cells() {
        let (row, column) = (top + r as u32, left + c as u32);
        let empty = matches!(range.get_value((row, column)), None | Some(Data::Empty));
        if !formula.is_empty() && empty {
            let (row, column) = (row as usize + 1, column as usize + 1);
            let mut d = Diagnostic::error(format!(
                "this cell holds a formula whose result was never saved (sheet “{name}”, cell {})",
                cell_ref(row, column)
            ))
            .in_file(file)
            .with_hint("open the workbook in Excel or WPS and save it, or type the figure itself");
            d.position = Some(Position { line: row, column });
            return Some(d);
        }
    }
    None
}

/// A worksheet as read, before it is known whether the workbook holds tables.
struct Sheet {
    name: String,
    /// The 1-based row of its first row with a value.
    first_line: Option<usize>,
    is_table: bool,
    table: Result<Option<Table>, Diagnostic>,
}

/// The first row with a value, and its 1-based row number.
fn first_row(range: &calamine::Range<Data>) -> Option<(usize, Vec<String>)> {
    let (top, _) = range.start()?;
    range.rows().enumerate().find_map(|(i, row)| {
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        let used = cells.iter().any(|c| !c.is_empty());
        used.then(|| (top as usize + i + 1, cells))
    })
}

fn is_header(cells: &[String]) -> bool {
    use super::definitions::{AREA_COLUMN, PERIOD_COLUMN};
    cells.iter().any(|c| c == PERIOD_COLUMN || c == AREA_COLUMN)
}

/// The note for a sheet of notes. It names the sheet, never its text, which
/// may hold a contact's name and number.
fn skipped_sheet(file: &Path, name: &str, line: usize) -> Diagnostic {
    let mut d = Diagnostic::warning(format!(
        "skipped the sheet “{name}”: its first row is not a header of period, area and measures"
    ))
    .in_file(file)
    .with_hint(
        "a sheet of notes may stay; a sheet of figures starts with a row naming the columns: period,area, then one column per measure",
    );
    d.position = Some(Position { line, column: 1 });
    d
}

fn sheet_table(
    file: &Path,
    name: &str,
    range: &calamine::Range<Data>,
) -> Result<Option<Table>, Diagnostic> {
    let Some((first_row, first_column)) = range.start() else {
        return Ok(None);
    };
    let (first_row, first_column) = (first_row as usize, first_column as usize);
    let mut table = Table {
        file: file.to_path_buf(),
        sheet: Some(name.to_string()),
        header: Vec::new(),
        header_line: 0,
        rows: Vec::new(),
        notes: Vec::new(),
        origin: Origin::Sheet { first_column },
    };
    for (i, row) in range.rows().enumerate() {
        let line = first_row + i + 1;
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        let Some(used) = cells.iter().rposition(|c| !c.is_empty()).map(|i| i + 1) else {
            continue;
        };
        if table.header_line == 0 {
            table.header = cells.into_iter().take(used).collect();
            table.header_line = line;
            continue;
        }
        let width = table.header.len();
        if used > width {
            let index = table.rows.len();
            table.rows.push(TableRow {
                line,
                cells: Vec::new(),
            });
            return Err(table
                .diagnostic(
                    Some(index),
                    used - 1,
                    "this cell has a value but its column has no header".to_string(),
                )
                .with_hint("give the column a header in the first row, or clear the cell"));
        }
        let mut cells = cells;
        cells.truncate(width);
        cells.resize(width, String::new());
        table.rows.push(TableRow { line, cells });
    }
    Ok((table.header_line != 0).then_some(table))
}

/// The text of a cell as it would read in a CSV file saved by Excel, except
/// that large whole numbers keep all their digits (an ID card number typed as
/// a number must still be recognised) and month dates read as `2025-09`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) if dt.is_duration() => float_text(dt.as_f64()),
        Data::DateTime(dt) => {
            let (y, m, d, h, min, s, ms) = dt.to_ymd_hms_milli();
            date_text(y, m, d, (h, min, s, ms))
        }
        Data::DateTimeIso(s) => iso_date_text(s.trim()),
        Data::DurationIso(s) => s.trim().to_string(),
        Data::Error(e) => e.to_string(),
    }
}

fn float_text(f: f64) -> String {
    if f == 0.0 {
        // Also -0.0, which `{:.0}` writes as "-0".
        "0".to_string()
    } else if f.is_finite() && f.fract() == 0.0 {
        format!("{f:.0}")
    } else {
        f.to_string()
    }
}

/// Excel turns `2025-09` typed into a cell into the date 2025-09-01, so the
/// first of a month at midnight reads back as the month.
fn date_text(y: u16, m: u8, d: u8, time: (u8, u8, u8, u16)) -> String {
    match time {
        (0, 0, 0, 0) if d == 1 => format!("{y:04}-{m:02}"),
        (0, 0, 0, 0) => format!("{y:04}-{m:02}-{d:02}"),
        (h, min, s, _) => format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}"),
    }
}

fn iso_date_text(s: &str) -> String {
    let date = s.get(..10).unwrap_or(s);
    let time = s.get(10..).unwrap_or("");
    let b = date.as_bytes();
    let is_date = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    let midnight = time
        .trim_start_matches(['T', ' '])
        .trim_end_matches('Z')
        .chars()
        .all(|c| matches!(c, '0' | ':' | '.'));
    if is_date && midnight && date.ends_with("-01") {
        date[..7].to_string()
    } else if is_date && midnight {
        date.to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests;
