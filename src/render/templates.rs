//! The tera environment: every template of the theme layers parsed once, and
//! tera's errors turned into diagnostics that name the template file and line.

use crate::diagnostics::{Diagnostic, closest};
use crate::theme::Theme;
use std::collections::BTreeMap;
use std::error::Error as _;
use std::path::PathBuf;
use tera::Tera;

/// Parses every template. A syntax error is reported at its file and line.
pub fn parse_templates(theme: &Theme) -> Result<Tera, Diagnostic> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
    // Tera's own escaping also rewrites `/`, which makes every URL unreadable.
    tera.set_escape_fn(crate::html::escape);
    let all: Vec<(&str, &str)> = theme
        .templates
        .iter()
        .map(|(name, t)| (name.as_str(), t.text.as_str()))
        .collect();
    tera.add_raw_templates(all)
        .map_err(|e| template_error(&e, theme, None))?;
    Ok(tera)
}

/// Checks that a template named in front matter exists, pointing at the
/// `template = "…"` line when it does not.
pub fn check_exists(tera: &Tera, name: &str, at: &Diagnostic) -> Result<(), Diagnostic> {
    if tera.get_template_names().any(|n| n == name) {
        return Ok(());
    }
    let mut names: Vec<&str> = tera
        .get_template_names()
        .filter(|n| !n.starts_with("partials/") && !n.starts_with("macros"))
        .collect();
    names.sort_unstable();
    let hint = match closest(name, names.iter().copied()) {
        Some(near) => format!(
            "did you mean \"{near}\"? Templates live in templates/ of the site or its theme"
        ),
        None => format!(
            "put {name} in the site's templates/ folder, or use one of: {}",
            names.join(", ")
        ),
    };
    Err(Diagnostic {
        message: format!("there is no template named `{name}`"),
        ..at.clone()
    }
    .with_hint(hint))
}

/// Turns a tera error into a diagnostic at the template's file and, where
/// it can be found, line. Tera reports syntax errors with `--> line:col`;
/// for render errors (an unknown variable, a failed filter) the line is found
/// by looking for the offending name in the template's source.
pub fn template_error(e: &tera::Error, theme: &Theme, rendering: Option<&str>) -> Diagnostic {
    let mut chain = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        chain.push(s.to_string());
        source = s.source();
    }
    let template_name = chain.iter().find_map(|m| quoted_template(m, theme));
    let detail = chain.last().cloned().unwrap_or_default();
    let shown = template_name
        .and_then(|n| theme.templates.get(n))
        .map(|t| (t.shown_path.clone(), t.text.as_str()));
    let summary = first_line_of_detail(&detail);
    let message = match rendering {
        Some(page) => format!("template error while rendering {page}: {summary}"),
        None => format!("template error: {summary}"),
    };
    let mut d = Diagnostic::error(message);
    if let Some((path, text)) = shown {
        d = d.in_file(path.clone());
        if let Some((line, col)) = syntax_position(&detail) {
            let index = crate::diagnostics::LineIndex::new(text);
            d.source_line = Some(index.line_text(text, line).to_string());
            d.position = Some(crate::diagnostics::Position { line, column: col });
        } else if let Some(line) = find_name_line(text, &detail, theme, template_name) {
            d = d.at_line(text, line.1);
            if line.0 != path {
                d.file = Some(line.0);
            }
        }
    }
    d.with_hint(hint_for(&detail))
}

fn quoted_template<'a>(message: &str, theme: &'a Theme) -> Option<&'a str> {
    message
        .split(['\'', '"', '`'])
        .skip(1)
        .step_by(2)
        .find_map(|q| theme.templates.get_key_value(q).map(|(k, _)| k.as_str()))
}

fn first_line_of_detail(detail: &str) -> String {
    // Syntax errors come as a multi-line pest report; its last line says what was expected.
    if detail.contains("-->") {
        let expected = detail
            .lines()
            .rev()
            .find(|l| l.trim_start().starts_with('='))
            .map(|l| l.trim_start().trim_start_matches('=').trim().to_string());
        return expected.unwrap_or_else(|| "syntax error".into());
    }
    detail.lines().next().unwrap_or(detail).to_string()
}

fn syntax_position(detail: &str) -> Option<(usize, usize)> {
    let after = detail.split("-->").nth(1)?;
    let coords = after.split_whitespace().next()?;
    let (line, col) = coords.split_once(':')?;
    Some((line.parse().ok()?, col.parse().ok()?))
}

/// The first line, in the template or in what it extends or includes, that
/// mentions the name quoted in the error ("Variable `page.titel` not found").
fn find_name_line(
    text: &str,
    detail: &str,
    theme: &Theme,
    template: Option<&str>,
) -> Option<(PathBuf, usize)> {
    let name = detail
        .split('`')
        .nth(1)
        .or_else(|| detail.split('\'').nth(1))?;
    let find = |t: &str| t.lines().position(|l| l.contains(name)).map(|i| i + 1);
    if let Some(line) = find(text) {
        return template
            .and_then(|n| theme.templates.get(n))
            .map(|t| (t.shown_path.clone(), line));
    }
    let others: BTreeMap<&String, _> = theme.templates.iter().collect();
    others
        .into_iter()
        .find_map(|(_, t)| find(&t.text).map(|line| (t.shown_path.clone(), line)))
}

/// tera 1's built-in filters, tests and functions, and anxin's functions:
/// what a misspelt name is compared with.
const FILTERS: &[&str] = &[
    "abs",
    "addslashes",
    "as_str",
    "capitalize",
    "concat",
    "date",
    "default",
    "escape",
    "escape_xml",
    "filesizeformat",
    "filter",
    "first",
    "float",
    "get",
    "group_by",
    "indent",
    "int",
    "join",
    "json_encode",
    "last",
    "length",
    "linebreaksbr",
    "lower",
    "map",
    "nth",
    "pluralize",
    "replace",
    "reverse",
    "round",
    "safe",
    "slice",
    "slugify",
    "sort",
    "spaceless",
    "split",
    "striptags",
    "title",
    "trim",
    "trim_end",
    "trim_end_matches",
    "trim_start",
    "trim_start_matches",
    "truncate",
    "unique",
    "upper",
    "urlencode",
    "urlencode_strict",
    "wordcount",
];
const TESTS: &[&str] = &[
    "containing",
    "defined",
    "divisibleby",
    "ending_with",
    "even",
    "iterable",
    "matching",
    "number",
    "object",
    "odd",
    "starting_with",
    "string",
    "undefined",
];
const FUNCTIONS: &[&str] = &[
    "get_env",
    "get_events",
    "get_page",
    "get_random",
    "get_section",
    "get_taxonomy_url",
    "get_url",
    "now",
    "range",
    "throw",
    "trans",
];

/// For "Filter 'upcase' not found": the closest known name, or the list.
fn unknown_name_hint(detail: &str) -> Option<String> {
    let (kind, known, plural) = [
        ("Filter '", FILTERS, "filters"),
        ("Test '", TESTS, "tests"),
        ("Function '", FUNCTIONS, "functions"),
    ]
    .into_iter()
    .find(|(prefix, _, _)| detail.starts_with(prefix) && detail.contains("' not found"))?;
    let name = detail[kind.len()..].split('\'').next()?;
    Some(
        match crate::diagnostics::closest(name, known.iter().copied()) {
            Some(near) => format!("there is no `{name}`; did you mean `{near}`?"),
            None => format!(
                "there is no `{name}`; the {plural} are: {}",
                known.join(", ")
            ),
        },
    )
}

fn hint_for(detail: &str) -> String {
    if let Some(hint) = unknown_name_hint(detail) {
        return hint;
    }
    if detail.contains("got `Null`") {
        return "the value is empty on this page (a page without a date has page.date = null): \
                wrap it in {% if … %}, or give it a default with | default(value=\"…\")"
            .into();
    }
    if detail.starts_with("trans:") {
        "the theme's texts are in i18n/<language>.toml; a site adds or rewords one in its own i18n/ folder".into()
    } else if detail.contains("not found in context") {
        "check the spelling; the variables are listed in docs/site-format.md (page.title, section.pages, config.title …)".into()
    } else if detail.contains("-->") {
        "check that every {{ has its }} and every {% if %} / {% for %} / {% block %} is closed"
            .into()
    } else if detail.contains("doesn't exist") || detail.contains("not found") {
        "the template named here is not in templates/ of the site or its theme".into()
    } else {
        "see the tera documentation for the filter or tag used on that line".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_filter_gets_the_closest_name() {
        assert_eq!(
            hint_for("Filter 'truncat' not found"),
            "there is no `truncat`; did you mean `truncate`?"
        );
        assert!(hint_for("Function 'get_pag' not found").ends_with("did you mean `get_page`?"));
    }
}
