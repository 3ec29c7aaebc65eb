//! Errors and warnings that point at the input: file, line, column, the quoted
//! source line, what is wrong and how to fix it.
//!
//! Every stage of the build reports through [`Diagnostic`] so that `build`,
//! `check` and `serve` print errors the same way, and all errors of a build are
//! collected before anything is printed.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column (in characters, as an editor counts them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as the user knows it: relative to the site root where possible.
    pub file: Option<PathBuf>,
    pub position: Option<Position>,
    /// The offending line of the input, quoted under the message: all of
    /// it, or a window around the position when it is long.
    pub source_line: Option<String>,
    /// Where `source_line` starts in the line: the character at column `c`
    /// is character `c - quoted_from` of the quote (0 when the line is
    /// quoted from its start; a window cut from a long line starts with `…`).
    pub quoted_from: usize,
    /// How many characters of `source_line` to underline from `position.column`.
    pub underline: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            position: None,
            source_line: None,
            quoted_from: 0,
            underline: 1,
            message: message.into(),
            hint: None,
        }
    }

    /// An error at a byte range of a whole data file, with a hint: what
    /// every check of a TOML data file reports.
    pub fn error_in(
        file: &Path,
        text: &str,
        span: std::ops::Range<usize>,
        message: String,
        hint: String,
    ) -> Self {
        Diagnostic::error(message)
            .in_file(file)
            .at_span(text, span)
            .with_hint(hint)
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Points the diagnostic at a byte range of `text`, the whole content of the file.
    pub fn at_span(self, text: &str, span: std::ops::Range<usize>) -> Self {
        let index = LineIndex::new(text);
        self.at_span_indexed(&index, text, span)
    }

    /// Like [`Diagnostic::at_span`], reusing a line index built once per file.
    pub fn at_span_indexed(
        mut self,
        index: &LineIndex,
        text: &str,
        span: std::ops::Range<usize>,
    ) -> Self {
        let mut start = span.start.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let position = index.position(text, start);
        let line_text = index.line_text(text, position.line);
        let end = span.end.clamp(start, text.len());
        let underline_chars = text
            .get(start..end)
            .map(|s| {
                let first_line = s.split('\n').next().unwrap_or("");
                first_line.chars().take(QUOTE_AFTER).count()
            })
            .unwrap_or(1);
        let line_start = index.line_start(position.line);
        let (quote, quoted_from) = excerpt(
            line_text,
            start.saturating_sub(line_start),
            position.column - 1,
        );
        self.position = Some(position);
        self.source_line = Some(quote);
        self.quoted_from = quoted_from;
        self.underline = underline_chars.max(1);
        self
    }

    /// Points the diagnostic at a whole line (1-based) of `text`.
    pub fn at_line(mut self, text: &str, line: usize) -> Self {
        let index = LineIndex::new(text);
        let line_text = index.line_text(text, line);
        let indent = line_text.chars().take_while(|c| c.is_whitespace()).count();
        self.position = Some(Position {
            line,
            column: indent + 1,
        });
        let indent_bytes = line_text.len() - line_text.trim_start().len();
        let (quote, quoted_from) = excerpt(line_text, indent_bytes, indent);
        self.underline = quote
            .trim()
            .trim_end_matches('…')
            .chars()
            .count()
            .min(line_text.trim().chars().count())
            .max(1);
        self.source_line = Some(quote);
        self.quoted_from = quoted_from;
        self
    }

    /// Symbolic links in a site's folders are not followed: what they point to
    /// may lie anywhere on the disk, and a site is what its folder holds.
    pub fn skipped_link(shown: &Path) -> Diagnostic {
        Diagnostic::warning(format!(
            "{} is a symbolic link: anxin does not follow links, so it is left out",
            shown.display()
        ))
        .in_file(shown)
        .with_hint("copy the file or folder into the site instead of linking to it")
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        if let Some(file) = &self.file {
            match self.position {
                Some(p) => writeln!(f, "  --> {}:{}:{}", file.display(), p.line, p.column)?,
                None => writeln!(f, "  --> {}", file.display())?,
            }
        }
        if let (Some(line), Some(p)) = (&self.source_line, self.position) {
            let number = p.line.to_string();
            let pad = " ".repeat(number.len());
            let shown = line.replace('\t', " ");
            let column = p.column.saturating_sub(1).saturating_sub(self.quoted_from);
            let lead: String = shown
                .chars()
                .take(column)
                .map(|c| if is_wide(c) { "  " } else { " " })
                .collect();
            let marks: String = shown
                .chars()
                .skip(column)
                .take(self.underline)
                .map(|c| if is_wide(c) { "^^" } else { "^" })
                .collect();
            let marks = if marks.is_empty() {
                "^".to_string()
            } else {
                marks
            };
            writeln!(f, "{pad} |")?;
            writeln!(f, "{number} | {shown}")?;
            writeln!(f, "{pad} | {lead}{marks}")?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "  = help: {hint}")?;
        }
        Ok(())
    }
}

/// East Asian wide characters take two terminal columns; the caret line must
/// account for them or it points at the wrong character in Chinese text.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF |
        0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF |
        0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// How many characters of a long line are quoted before the position, and
/// after it: a diagnostic stays readable, and a file with many errors or
/// links on one huge line (a pasted blob) costs memory in proportion to the
/// diagnostics, not to diagnostics times the line.
const QUOTE_BEFORE: usize = 60;
const QUOTE_AFTER: usize = 100;

/// The part of `line` to quote around byte `at` (character `column`,
/// 0-based), with `…` where it is cut, and its `quoted_from`.
fn excerpt(line: &str, at: usize, column: usize) -> (String, usize) {
    let at = at.min(line.len());
    let (before, after) = line.split_at(at);
    let from = before
        .char_indices()
        .rev()
        .take(QUOTE_BEFORE)
        .last()
        .map_or(at, |(i, _)| i);
    let to = after
        .char_indices()
        .nth(QUOTE_AFTER)
        .map_or(line.len(), |(i, _)| at + i);
    if from == 0 && to == line.len() {
        return (line.to_string(), 0);
    }
    let skipped = column.saturating_sub(before[from..].chars().count());
    let mut quote = String::with_capacity(to - from + 6);
    if from > 0 {
        quote.push('…');
    }
    quote.push_str(&line[from..to]);
    if to < line.len() {
        quote.push('…');
    }
    // The `…` in front takes the place of one character left out.
    (quote, skipped.saturating_sub(usize::from(from > 0)))
}

/// Byte offsets of line starts, so that many spans of one file map to
/// line/column without rescanning the file each time. The last position
/// asked for is remembered: spans asked for in order along one long line
/// then cost the distance between them, not the distance from the line's
/// start.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    last: std::cell::Cell<(usize, Position)>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            starts,
            last: std::cell::Cell::new((0, Position { line: 1, column: 1 })),
        }
    }

    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let (last_offset, last) = self.last.get();
        let (from, column) = if last.line == line && (start..=offset).contains(&last_offset) {
            (last_offset, last.column - 1)
        } else {
            (start, 0)
        };
        let column = text
            .get(from..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0)
            + column
            + 1;
        let position = Position { line, column };
        self.last.set((offset, position));
        position
    }

    /// The byte offset where line `line` (1-based) starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0)
    }

    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self.starts.get(line).copied().unwrap_or(text.len());
        text.get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}

/// All diagnostics of a run, in a stable order (by file, then position).
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorts errors first, then by file and position, so output does not depend
    /// on which thread finished first.
    pub fn sorted(mut self) -> Self {
        self.items.sort_by(|a, b| {
            (a.severity, &a.file, a.position, &a.message)
                .cmp(&(b.severity, &b.file, b.position, &b.message))
        });
        self.items.dedup();
        self
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics { items: vec![d] }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.items {
            writeln!(f, "{d}")?;
        }
        let errors = self.error_count();
        let warnings = self.warning_count();
        if errors > 0 {
            write!(f, "{errors} error{}", if errors == 1 { "" } else { "s" })?;
            if warnings > 0 {
                write!(
                    f,
                    ", {warnings} warning{}",
                    if warnings == 1 { "" } else { "s" }
                )?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Shows `path` relative to `root` when it is inside it: users know their
/// files as `content/news/a.md`, not as an absolute path.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// The known name closest to `unknown`, if it is close enough to be a typo.
pub fn closest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_quoted_as_a_window_with_the_caret_on_the_right_character() {
        let text = format!("{}[链接](x.md){}\n", "字".repeat(500), "b".repeat(500));
        let start = "字".repeat(500).len();
        let d = Diagnostic::error("broken link")
            .in_file("content/a.md")
            .at_span(&text, start..start + "[链接](x.md)".len());
        assert_eq!(
            d.position,
            Some(Position {
                line: 1,
                column: 501
            })
        );
        let quote = d.source_line.clone().unwrap();
        assert!(
            quote.chars().count() <= QUOTE_BEFORE + QUOTE_AFTER + 2,
            "{quote}"
        );
        assert_eq!(
            d.to_string(),
            format!(
                "error: broken link\n  --> content/a.md:1:501\n  |\n1 | …{}[链接](x.md){}…\n  | {}^^^^^^^^^^^^\n",
                "字".repeat(60),
                "b".repeat(90),
                " ".repeat(1 + 60 * 2)
            )
        );
    }

    #[test]
    fn short_lines_are_quoted_whole() {
        let text = "title = 1\n";
        let d = Diagnostic::error("x").in_file("a.md").at_span(text, 8..9);
        assert_eq!(d.source_line.as_deref(), Some("title = 1"));
        assert_eq!(d.quoted_from, 0);
    }

    #[test]
    fn positions_asked_for_in_any_order_agree_with_counting_from_the_line_start() {
        let text = "ab字\ncd字字e\n\nfg".repeat(50);
        let index = LineIndex::new(&text);
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let mut order: Vec<usize> = offsets.clone();
        order.extend(offsets.iter().rev().step_by(3));
        order.extend(offsets.iter().step_by(7));
        for &offset in &order {
            let fresh = LineIndex::new(&text).position(&text, offset);
            assert_eq!(index.position(&text, offset), fresh, "at {offset}");
        }
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "第一行\n标题 = 1\n";
        let index = LineIndex::new(text);
        let offset = text.find('=').unwrap();
        assert_eq!(
            index.position(text, offset),
            Position { line: 2, column: 4 }
        );
        assert_eq!(index.line_text(text, 2), "标题 = 1");
    }

    #[test]
    fn display_quotes_the_line_and_the_hint() {
        let text = "+++\ntitel = \"x\"\n+++\n";
        let d = Diagnostic::error("unknown front-matter key `titel`")
            .in_file("content/a.md")
            .at_span(text, 4..9)
            .with_hint("did you mean `title`?");
        let shown = d.to_string();
        assert!(shown.contains("--> content/a.md:2:1"), "{shown}");
        assert!(shown.contains("2 | titel = \"x\""), "{shown}");
        assert!(shown.contains("  | ^^^^^"), "{shown}");
        assert!(shown.contains("help: did you mean `title`?"), "{shown}");
    }

    #[test]
    fn suggests_the_closest_known_name() {
        assert_eq!(
            closest("titel", ["title", "base_url", "theme"]),
            Some("title")
        );
        assert_eq!(closest("zzz", ["title", "base_url"]), None);
    }
}
