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
    let (message, hint) = explain(&message, what);
    let d = Diagnostic::error(message)
        .in_file(file)
        .at_span(file_text, span);
    match hint {
        Some(h) => d.with_hint(h),
        None => d,
    }
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
}
