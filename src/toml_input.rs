//! TOML parsing shared by `site.toml`, front matter and data files: turns a
//! `toml` error into a [`Diagnostic`] at the right line, and rewrites serde's
//! "unknown field" message into a suggestion of the closest known key.

use crate::diagnostics::{Diagnostic, closest};
use serde::de::DeserializeOwned;
use std::path::Path;

/// Parses `toml_text`, which starts at byte `offset` of `file_text` (front
/// matter sits after the opening `+++`), reporting errors against the file.
pub fn parse<T: DeserializeOwned>(
    file: &Path,
    file_text: &str,
    toml_text: &str,
    offset: usize,
    what: &str,
) -> Result<T, Diagnostic> {
    toml::from_str(toml_text).map_err(|e| to_diagnostic(file, file_text, offset, what, &e))
}

fn to_diagnostic(
    file: &Path,
    file_text: &str,
    offset: usize,
    what: &str,
    e: &toml::de::Error,
) -> Diagnostic {
    let message = e.message().trim().to_string();
    let span = e
        .span()
        .map(|s| s.start + offset..s.end + offset)
        .unwrap_or(offset..offset);
    let source = Source::at(file_text, span.start);
    let (message, hint) = match explain_value(&message, &source) {
        Some(explained) => explained,
        None => explain(&message, what),
    };
    let d = Diagnostic::error(message)
        .in_file(file)
        .at_span(file_text, span);
    match hint {
        Some(h) => d.with_hint(h),
        None => d,
    }
}

/// The line a TOML error points into: its key (`weight` of `weight = "一"`)
/// and the text from the error's position on.
struct Source<'a> {
    key: Option<&'a str>,
    value: &'a str,
}

impl<'a> Source<'a> {
    fn at(text: &'a str, offset: usize) -> Source<'a> {
        let offset = offset.min(text.len());
        let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line = text.get(start..end).unwrap_or("");
        let key = line
            .split_once('=')
            .map(|(k, _)| k.trim().trim_matches('"'))
            .filter(|k| !k.is_empty() && !k.starts_with('['));
        Source {
            key,
            value: text.get(offset..end).unwrap_or("").trim(),
        }
    }

    /// `` `weight` `` or "this value" when the line has no key.
    fn named(&self) -> String {
        self.key.map_or("this value".into(), |k| format!("`{k}`"))
    }

    fn key_or(&self, fallback: &'a str) -> &'a str {
        self.key.unwrap_or(fallback)
    }
}

/// Messages about one value, said in the author's terms: the wrong type,
/// a date that does not exist, text in Chinese quotation marks.
fn explain_value(message: &str, source: &Source) -> Option<(String, Option<String>)> {
    const CHINESE_QUOTES: [char; 8] = ['“', '”', '‘', '’', '「', '」', '＂', '『'];
    if source.value.starts_with(CHINESE_QUOTES) {
        let straight: String = source
            .value
            .chars()
            .map(|c| {
                if CHINESE_QUOTES.contains(&c) || c == '』' {
                    '"'
                } else {
                    c
                }
            })
            .collect();
        return Some((
            format!(
                "{} is in Chinese quotation marks, which TOML does not read as quotes",
                source.named()
            ),
            Some(format!(
                "use straight double quotes (switch the input method to English punctuation): {} = {straight}",
                source.key_or("title")
            )),
        ));
    }
    if message.contains("invalid date") || message.contains("invalid time") {
        let why = message
            .split_once(", expected ")
            .map_or(String::new(), |(_, e)| format!(": expected {e}"));
        return Some((
            format!("{} is not a real date{why}", source.named()),
            Some(format!(
                "write the date as year-month-day, with a month from 01 to 12 and a day the month has, e.g. {} = 2025-10-10",
                source.key_or("date")
            )),
        ));
    }
    let rest = message.strip_prefix("invalid type: ")?;
    let (found, expected) = rest.split_once(", expected ")?;
    let (wanted, example) = match expected.trim_start_matches("a ").trim_start_matches("an ") {
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" => {
            ("a whole number", "1")
        }
        "f32" | "f64" => ("a number", "0.5"),
        "sequence" => ("a list", "[\"…\", \"…\"]"),
        "string" | "borrowed string" => ("text in double quotes", "\"…\""),
        "boolean" | "bool" => ("true or false", "true"),
        "map" => ("a table", "{ key = \"…\" }"),
        _ => return None,
    };
    let found = match found.split(' ').next().unwrap_or(found) {
        "string" => "text",
        "integer" => "a whole number",
        "floating" => "a number with a decimal point",
        "boolean" => "true or false",
        "sequence" => "a list",
        "map" => "a table",
        _ => "something else",
    };
    let key = source.key_or("key");
    let unquoted =
        if found == "text" && matches!(wanted, "a whole number" | "a number" | "true or false") {
            " (without quotes)"
        } else {
            ""
        };
    Some((
        format!("{} must be {wanted}, not {found}", source.named()),
        Some(format!("write it as {key} = {example}{unquoted}")),
    ))
}

/// The names in serde's "expected one of `a`, `b`" list.
fn quoted_names(expected: &str) -> Vec<&str> {
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Rewrites serde's messages into the words a site author uses, with a hint.
fn explain(message: &str, what: &str) -> (String, Option<String>) {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known = quoted_names(expected);
        let hint = match closest(field, known.iter().copied()) {
            Some(k) => format!("did you mean `{k}`?"),
            None if known.is_empty() => format!("remove `{field}`"),
            None => format!("the known keys here are: {}", known.join(", ")),
        };
        return (format!("unknown {what} key `{field}`"), Some(hint));
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known = quoted_names(expected);
        let hint = match closest(value, known.iter().copied()) {
            Some(k) => format!("did you mean \"{k}\"?"),
            None => format!("use one of: {}", known.join(", ")),
        };
        return (format!("`{value}` is not a valid value here"), Some(hint));
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return (
            format!("{what} is missing the required key `{field}`"),
            Some(format!("add a line such as `{field} = \"…\"`")),
        );
    }
    if message.contains("invalid type") || message.contains("invalid value") {
        return (
            format!("invalid {what}: {message}"),
            Some("check the value's type: text needs quotes, dates are written 2025-10-10, lists use [ ]".into()),
        );
    }
    (
        format!("invalid {what}: {message}"),
        Some("each line is `key = value`; text needs double quotes at both ends, e.g. title = \"世界精神卫生日\"".into()),
    )
}

/// TOML values for templates. Done by hand because serialising a TOML date
/// through serde gives an internal wrapper object, not the date.
pub fn to_json(value: &toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s.clone()),
        toml::Value::Integer(i) => J::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(J::Number)
            .unwrap_or(J::Null),
        toml::Value::Boolean(b) => J::Bool(*b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.iter().map(to_json).collect()),
        toml::Value::Table(t) => table_to_json(t),
    }
}

pub fn table_to_json(table: &toml::Table) -> serde_json::Value {
    serde_json::Value::Object(table.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        title: String,
        base_url: Option<String>,
    }

    #[test]
    fn unknown_key_suggests_the_closest_one() {
        let text = "titel = \"x\"\n";
        let err = parse::<Sample>(Path::new("site.toml"), text, text, 0, "site.toml").unwrap_err();
        assert_eq!(err.message, "unknown site.toml key `titel`");
        assert_eq!(err.hint.as_deref(), Some("did you mean `title`?"));
        assert_eq!(err.position.unwrap().line, 1);
    }

    #[test]
    fn errors_are_positioned_in_the_whole_file() {
        let file = "+++\ntitle = \"a\"\nbase_url = 3\n+++\n";
        let toml_text = &file[4..file.len() - 4];
        let err =
            parse::<Sample>(Path::new("a.md"), file, toml_text, 4, "front-matter").unwrap_err();
        assert_eq!(err.position.unwrap().line, 3);
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Typed {
        title: Option<String>,
        weight: Option<i64>,
        tags: Option<Vec<String>>,
        date: Option<toml::value::Datetime>,
    }

    fn error(text: &str) -> Diagnostic {
        parse::<Typed>(Path::new("a.md"), text, text, 0, "front-matter").unwrap_err()
    }

    #[test]
    fn wrong_types_are_said_in_the_authors_words() {
        let e = error("weight = \"一\"\n");
        assert_eq!(e.message, "`weight` must be a whole number, not text");
        assert_eq!(
            e.hint.as_deref(),
            Some("write it as weight = 1 (without quotes)")
        );
        let e = error("tags = \"新闻\"\n");
        assert_eq!(e.message, "`tags` must be a list, not text");
        assert_eq!(e.hint.as_deref(), Some("write it as tags = [\"…\", \"…\"]"));
    }

    #[test]
    fn a_month_13_and_chinese_quotes_get_their_own_words() {
        let e = error("date = 2025-13-01\n");
        assert_eq!(
            e.message,
            "`date` is not a real date: expected month between 01 and 12"
        );
        assert!(
            e.hint
                .as_deref()
                .is_some_and(|h| h.ends_with("date = 2025-10-10"))
        );
        let e = error("title = “关于”\n");
        assert_eq!(
            e.message,
            "`title` is in Chinese quotation marks, which TOML does not read as quotes"
        );
        assert!(
            e.hint
                .as_deref()
                .is_some_and(|h| h.ends_with("title = \"关于\"")),
            "{:?}",
            e.hint
        );
    }
}
