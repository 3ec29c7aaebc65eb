//! Front matter: the TOML between the `+++` lines at the top of a markdown
//! file. Every key is known (a typo is an error with a suggestion) and every
//! value that can be wrong carries its position in the file.

use crate::diagnostics::Diagnostic;
use crate::localized::Localized;
use crate::toml_input;
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

/// A markdown file cut into its front matter and body, with the byte offsets
/// of each in the file, so that errors in either point at the right line.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    pub front_matter: &'a str,
    pub front_matter_offset: usize,
    pub body: &'a str,
    pub body_offset: usize,
}

pub fn split<'a>(file: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[bom..];
    let Some(after_open) = rest.strip_prefix("+++") else {
        if rest.starts_with("---\n") || rest.starts_with("---\r\n") {
            return Err(Diagnostic::error(
                "front matter must be TOML between +++ lines, not YAML between ---",
            )
            .in_file(file)
            .at_span(text, bom..bom + 3)
            .with_hint("write +++ instead of ---, and key = \"value\" instead of key: value"));
        }
        return Ok(Split {
            front_matter: "",
            front_matter_offset: bom,
            body: rest,
            body_offset: bom,
        });
    };
    let open_len = bom + 3 + line_break_len(after_open);
    let fm_start = open_len;
    let mut search = fm_start;
    loop {
        let line_end = text[search..].find('\n').map(|i| search + i + 1);
        let line = &text[search..line_end.unwrap_or(text.len())];
        if line.trim_end() == "+++" {
            let body_offset = line_end.unwrap_or(text.len());
            return Ok(Split {
                front_matter: &text[fm_start..search],
                front_matter_offset: fm_start,
                body: &text[body_offset..],
                body_offset,
            });
        }
        match line_end {
            Some(next) => search = next,
            None => {
                return Err(Diagnostic::error("the front matter is never closed")
                    .in_file(file)
                    .at_span(text, bom..bom + 3)
                    .with_hint("end the front matter with a line that holds only +++"));
            }
        }
    }
}

fn line_break_len(s: &str) -> usize {
    if s.starts_with("\r\n") {
        2
    } else if s.starts_with('\n') {
        1
    } else {
        0
    }
}

/// Front matter of a page or a section. One struct for both, so that a
/// section key on a page (or the reverse) gets its own message rather than
/// "unknown key"; [`Meta::check_kind`] then enforces which keys go where.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub title: Option<Localized>,
    pub description: Option<String>,
    #[serde(default)]
    pub draft: bool,
    pub weight: Option<i64>,
    pub in_menu: Option<bool>,
    pub template: Option<Spanned<String>>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    #[serde(default)]
    pub extra: toml::Table,

    // Pages only.
    pub date: Option<Spanned<toml::Value>>,
    pub updated: Option<Spanned<toml::Value>>,
    pub tags: Option<Spanned<Vec<String>>>,
    /// Zola's `[taxonomies]`: `tags = […]`, `categories = […]`.
    pub taxonomies: Option<Spanned<std::collections::BTreeMap<String, Spanned<Vec<String>>>>>,
    pub slug: Option<Spanned<String>>,
    pub event: Option<Spanned<super::structured::EventMeta>>,
    pub policy: Option<Spanned<super::structured::PolicyMeta>>,

    // Sections only.
    pub sort_by: Option<Spanned<SortBy>>,
    pub paginate_by: Option<Spanned<usize>>,
    pub generate_feed: Option<Spanned<bool>>,
    pub page_template: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Newest first; pages without a date after those with one.
    #[default]
    Date,
    /// Smallest weight first.
    Weight,
    Title,
    /// The order of the file names.
    None,
}

/// Parses front matter; `is_section` says whether the file is an `_index.md`.
pub fn parse_meta(
    file: &Path,
    text: &str,
    split: &Split,
    is_section: bool,
) -> Result<Meta, Diagnostic> {
    let meta: Meta = toml_input::parse(
        file,
        text,
        split.front_matter,
        split.front_matter_offset,
        "front-matter",
    )?;
    let at = |span: std::ops::Range<usize>, message: String, hint: &str| {
        Diagnostic::error(message)
            .in_file(file)
            .at_span(
                text,
                span.start + split.front_matter_offset..span.end + split.front_matter_offset,
            )
            .with_hint(hint.to_string())
    };
    let misplaced = if is_section {
        [
            meta.date.as_ref().map(|v| ("date", v.span())),
            meta.updated.as_ref().map(|v| ("updated", v.span())),
            meta.tags.as_ref().map(|v| ("tags", v.span())),
            meta.taxonomies.as_ref().map(|v| ("taxonomies", v.span())),
            meta.slug.as_ref().map(|v| ("slug", v.span())),
            meta.event.as_ref().map(|v| ("event", v.span())),
            meta.policy.as_ref().map(|v| ("policy", v.span())),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|(key, span)| {
            at(
                span,
                format!("`{key}` is a page setting, and this file is a section (_index.md)"),
                "move it to a page, or remove it: a section lists pages and has no date, tags or slug of its own",
            )
        })
    } else {
        [
            meta.sort_by.as_ref().map(|v| ("sort_by", v.span())),
            meta.paginate_by.as_ref().map(|v| ("paginate_by", v.span())),
            meta.generate_feed
                .as_ref()
                .map(|v| ("generate_feed", v.span())),
            meta.page_template
                .as_ref()
                .map(|v| ("page_template", v.span())),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|(key, span)| {
            at(
                span,
                format!("`{key}` is a section setting, and this file is a page"),
                "put it in the _index.md of the folder whose pages it should order or list",
            )
        })
    };
    if let Some(d) = misplaced {
        return Err(d);
    }
    if let Some(n) = meta.paginate_by.as_ref().filter(|n| *n.get_ref() == 0) {
        return Err(at(
            n.span(),
            "paginate_by must be at least 1".into(),
            "remove paginate_by to list every page on one page",
        ));
    }
    Ok(meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body_with_offsets() {
        let text = "\u{feff}+++\r\ntitle = \"a\"\r\n+++\r\n正文\n";
        let s = split(Path::new("a.md"), text).unwrap();
        assert_eq!(s.front_matter, "title = \"a\"\r\n");
        assert_eq!(s.body, "正文\n");
        assert_eq!(&text[s.body_offset..], "正文\n");
        assert_eq!(
            &text[s.front_matter_offset..s.front_matter_offset + 5],
            "title"
        );
    }

    #[test]
    fn a_file_without_front_matter_is_all_body() {
        let s = split(Path::new("a.md"), "# hi\n").unwrap();
        assert_eq!(s.body, "# hi\n");
        assert!(s.front_matter.is_empty());
    }

    #[test]
    fn yaml_front_matter_is_refused_with_a_hint() {
        let err = split(Path::new("a.md"), "---\ntitle: a\n---\n").unwrap_err();
        assert!(err.message.contains("not YAML"));
        assert!(err.hint.unwrap().contains("+++"));
    }

    #[test]
    fn unclosed_front_matter_is_an_error_at_line_one() {
        let err = split(Path::new("a.md"), "+++\ntitle = \"a\"\n正文\n").unwrap_err();
        assert!(err.message.contains("never closed"));
        assert_eq!(err.position.unwrap().line, 1);
    }

    #[test]
    fn unknown_page_key_is_reported_with_a_suggestion() {
        let text = "+++\ntitle = \"a\"\ndescripton = \"b\"\n+++\n";
        let s = split(Path::new("a.md"), text).unwrap();
        let err = parse_meta(Path::new("a.md"), text, &s, false).unwrap_err();
        assert_eq!(err.message, "unknown front-matter key `descripton`");
        assert_eq!(err.hint.as_deref(), Some("did you mean `description`?"));
        assert_eq!(err.position.unwrap().line, 3);
    }

    #[test]
    fn bad_sort_by_suggests_a_value() {
        let text = "+++\nsort_by = \"dat\"\n+++\n";
        let s = split(Path::new("_index.md"), text).unwrap();
        let err = parse_meta(Path::new("_index.md"), text, &s, true).unwrap_err();
        assert_eq!(err.hint.as_deref(), Some("did you mean \"date\"?"));
        assert_eq!(err.position.unwrap().line, 2);
    }

    #[test]
    fn page_keys_in_a_section_and_section_keys_in_a_page_are_errors() {
        let text = "+++\ntitle = \"栏目\"\ndate = 2025-10-10\n+++\n";
        let s = split(Path::new("_index.md"), text).unwrap();
        let err = parse_meta(Path::new("_index.md"), text, &s, true).unwrap_err();
        assert!(
            err.message.contains("`date` is a page setting"),
            "{}",
            err.message
        );
        assert_eq!(err.position.unwrap().line, 3);

        let text = "+++\ntitle = \"页\"\npaginate_by = 5\n+++\n";
        let s = split(Path::new("a.md"), text).unwrap();
        let err = parse_meta(Path::new("a.md"), text, &s, false).unwrap_err();
        assert!(
            err.message.contains("`paginate_by` is a section setting"),
            "{}",
            err.message
        );
    }
}
