//! Reading the text files of a site (markdown, TOML, templates): UTF-8, and
//! when a file is not, the line and column of the first bad byte with a hint
//! about GBK, the encoding Notepad, WPS and Excel on Chinese Windows often
//! save in. Guessing the encoding instead would corrupt names silently.

use crate::diagnostics::{Diagnostic, Position};
use std::io;
use std::path::Path;

/// How to save a file as UTF-8 in the editors officials use.
pub const SAVE_AS_UTF8: &str = "save the file as UTF-8: in Notepad (记事本) 文件 → 另存为 → 编码 \
    “UTF-8”; in WPS 另存为 → 编码 UTF-8; most editors show the encoding in their status bar";

/// Why a text file could not be read.
#[derive(Debug)]
pub enum TextError {
    Io(io::Error),
    /// Not UTF-8: the diagnostic points at the first bad byte.
    NotUtf8(Diagnostic),
}

impl TextError {
    /// The diagnostic to report: the positioned one for bad encoding, or
    /// `io`'s for a file that could not be read at all.
    pub fn into_diagnostic(self, io: impl FnOnce(io::Error) -> Diagnostic) -> Diagnostic {
        match self {
            TextError::Io(e) => io(e),
            TextError::NotUtf8(d) => d,
        }
    }
}

/// Reads `path` as UTF-8 text; `shown` is the path as messages name it.
pub fn read(path: &Path, shown: &Path) -> Result<String, TextError> {
    let bytes = std::fs::read(path).map_err(TextError::Io)?;
    decode(shown, bytes, SAVE_AS_UTF8).map_err(TextError::NotUtf8)
}

/// `bytes` as text, or an error at the first byte that is not UTF-8.
pub fn decode(shown: &Path, bytes: Vec<u8>, hint: &str) -> Result<String, Diagnostic> {
    let e = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(e) => e,
    };
    let bad = e.utf8_error().valid_up_to();
    let bytes = e.as_bytes();
    let line_start = bytes[..bad]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line_end = bytes[bad..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| bad + i);
    let line = bytes[..bad].iter().filter(|&&b| b == b'\n').count() + 1;
    // The valid prefix of the line is UTF-8 by construction.
    let column = String::from_utf8_lossy(&bytes[line_start..bad])
        .chars()
        .count()
        + 1;
    let quoted = String::from_utf8_lossy(&bytes[line_start..line_end])
        .trim_end_matches(['\r', '\n'])
        .to_string();
    let mut d = Diagnostic::error(format!(
        "this file is not UTF-8 text: the byte 0x{:02X} on line {line} is not valid UTF-8 \
         (the file is probably in GBK, the encoding Chinese Windows often saves in)",
        bytes[bad]
    ))
    .in_file(shown)
    .with_hint(hint);
    d.position = Some(Position { line, column });
    d.source_line = Some(quoted);
    d.underline = 1;
    Err(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_is_refused_at_its_line_and_column() {
        // "+++\ntitle = \"a\"\n+++\n第一行\n" with 第一行 in GBK.
        let mut bytes = b"+++\ntitle = \"a\"\n+++\n".to_vec();
        bytes.extend([0xB5, 0xDA, 0xD2, 0xBB, 0xD0, 0xD0, b'\n']);
        let d = decode(Path::new("content/a.md"), bytes, SAVE_AS_UTF8).expect_err("GBK");
        assert_eq!(d.position, Some(Position { line: 4, column: 1 }));
        assert!(
            d.message.contains("0xB5 on line 4") && d.message.contains("GBK"),
            "{}",
            d.message
        );
        assert_eq!(
            decode(Path::new("a"), "中文".into(), "").as_deref(),
            Ok("中文")
        );
    }
}
