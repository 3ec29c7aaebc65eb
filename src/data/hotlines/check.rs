//! Reading and checking data/hotlines.toml: the TOML read entry by entry,
//! then each value checked where it is, so every problem of the file is
//! reported at once with its line and column.

use super::{Hotline, NumberKind, Problem, hours, number};
use crate::content::date::Date;
use crate::data::areas::{Areas, NATIONAL};
use crate::diagnostics::{Diagnostic, LineIndex, closest};
use crate::localized::Localized;
use crate::toml_input;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// Parses and checks the directory (`hotlines::parse`). Returns the valid
/// entries and every error of the file, plus a warning for each number not
/// verified within `stale_after_days` of `today`.
pub fn check_file(
    file: &Path,
    text: &str,
    areas: &Areas,
    today: &Date,
    stale_after_days: u32,
) -> (Vec<Hotline>, Vec<Diagnostic>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (entries, diagnostics) = match read_entries(file, text) {
        Ok(read) => read,
        Err(d) => return (Vec::new(), vec![d]),
    };
    let mut checker = Checker {
        file,
        text,
        index: LineIndex::new(text),
        areas,
        today,
        stale_after_days,
        diagnostics,
        seen: HashMap::new(),
    };
    let hotlines = entries
        .into_iter()
        .filter_map(|entry| checker.check(entry))
        .collect();
    // Blocks that failed to read are reported before the checks run; the
    // user reads the file top to bottom.
    let mut diagnostics = checker.diagnostics;
    diagnostics.sort_by_key(|d| d.position);
    (hotlines, diagnostics)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    hotline: Vec<Spanned<toml::Table>>,
}

/// One `[[hotline]]` block read on its own, so that a mistake in one entry
/// does not hide the mistakes in the others.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OneEntry {
    hotline: Vec<RawHotline>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InlineFile {
    #[serde(default)]
    hotline: Vec<Spanned<RawHotline>>,
}

/// An entry as written. Values checked by hand are kept as TOML values with
/// their place in the file, so the error can say more than serde would.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHotline {
    name: Spanned<toml::Value>,
    number: Spanned<toml::Value>,
    hours: Spanned<toml::Value>,
    area: Spanned<String>,
    #[serde(default)]
    services: Vec<String>,
    #[serde(default)]
    languages: Vec<String>,
    organization: Option<String>,
    verified: Spanned<toml::Value>,
    source: Option<Spanned<String>>,
    #[serde(default)]
    example: bool,
}

/// A raw entry and where it is: spans inside `raw` count from `offset`.
struct Entry {
    raw: RawHotline,
    offset: usize,
    header: usize,
}

/// The entries of the file. The usual `[[hotline]]` form is read block by
/// block (each block runs to the next header), so unknown keys and missing
/// keys are reported for every entry; the rare inline-array form is read
/// whole and stops at its first such mistake.
fn read_entries(file: &Path, text: &str) -> Result<(Vec<Entry>, Vec<Diagnostic>), Diagnostic> {
    let whole: RawFile = toml_input::parse(file, text, text, 0, "hotlines.toml")?;
    let starts: Vec<usize> = whole.hotline.iter().map(|t| t.span().start).collect();
    let headers = starts
        .iter()
        .all(|&s| text.get(s..).is_some_and(|rest| rest.starts_with("[[")));
    if !headers {
        let inline: InlineFile = toml_input::parse(file, text, text, 0, "hotline")?;
        let entries = inline
            .hotline
            .into_iter()
            .map(|h| {
                let header = h.span().start;
                Entry {
                    raw: h.into_inner(),
                    offset: 0,
                    header,
                }
            })
            .collect();
        return Ok((entries, Vec::new()));
    }
    let mut entries = Vec::new();
    let mut diagnostics = Vec::new();
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let block = text.get(start..end).unwrap_or_default();
        match toml_input::parse::<OneEntry>(file, text, block, start, "hotline") {
            Ok(one) => entries.extend(one.hotline.into_iter().map(|raw| Entry {
                raw,
                offset: start,
                header: start,
            })),
            Err(d) => diagnostics.push(d),
        }
    }
    Ok((entries, diagnostics))
}

struct Checker<'a> {
    file: &'a Path,
    text: &'a str,
    index: LineIndex,
    areas: &'a Areas,
    today: &'a Date,
    stale_after_days: u32,
    diagnostics: Vec<Diagnostic>,
    /// Digits already listed, with the line of their entry.
    seen: HashMap<String, usize>,
}

impl Checker<'_> {
    fn at(&self, d: Diagnostic, span: Range<usize>, offset: usize) -> Diagnostic {
        d.in_file(self.file).at_span_indexed(
            &self.index,
            self.text,
            span.start + offset..span.end + offset,
        )
    }

    fn error<T>(&mut self, value: &Spanned<T>, offset: usize, problem: Problem) {
        let d = Diagnostic::error(problem.message).with_hint(problem.hint);
        let d = self.at(d, value.span(), offset);
        self.diagnostics.push(d);
    }

    /// Checks one entry; `None` when it has errors, which are recorded.
    fn check(&mut self, entry: Entry) -> Option<Hotline> {
        let Entry {
            raw,
            offset,
            header,
        } = entry;
        let errors_before = self.diagnostics.len();
        let line = self.index.position(self.text, header).line;

        let name = self.checked(&raw.name, offset, localized_name);
        let number = self.checked(&raw.number, offset, |v| {
            let written = text_value(v, "number", "\"12356\"")?;
            let checked = if raw.example {
                number::parse_example(written)
            } else {
                number::parse(written)
            };
            checked.map(|n| (written.to_string(), n))
        });
        let hours = self.checked(&raw.hours, offset, |v| {
            hours::parse(text_value(v, "hours", "\"24/7\"")?)
        });
        let area_ok = self.check_area(&raw.area, offset);
        if let Some(source) = &raw.source {
            self.check_source(source, offset);
        }
        let verified = self.check_verified(&raw.verified, offset);

        if let Some((_, n)) = &number
            && n.kind != NumberKind::Example
        {
            // Example entries all share zeros; only real numbers must be unique.
            match self.seen.get(&n.digits) {
                Some(&first) => self.error(
                    &raw.number,
                    offset,
                    Problem::new(
                        format!("the number {} is listed twice", n.display),
                        format!("the entry at line {first} has it already; keep one of the two"),
                    ),
                ),
                None => {
                    self.seen.insert(n.digits.clone(), line);
                }
            }
        }

        if self.diagnostics.len() > errors_before || !area_ok {
            return None;
        }
        let (name, (written, number), hours, verified) = (name?, number?, hours?, verified?);
        // Nobody can call a placeholder to check it, so it never goes stale.
        let stale =
            !raw.example && self.warn_if_stale(&raw.verified, offset, &verified, &number.display);
        Some(Hotline {
            name,
            number: written,
            tel: number.tel(),
            digits: number.digits,
            kind: number.kind,
            display: number.display,
            hours,
            area: raw.area.into_inner(),
            services: raw.services,
            languages: raw.languages,
            organization: raw.organization,
            verified,
            stale,
            source: raw.source.map(Spanned::into_inner),
            example: raw.example,
            line,
        })
    }

    /// Runs `check` on a value, recording its problem at the value.
    fn checked<T>(
        &mut self,
        value: &Spanned<toml::Value>,
        offset: usize,
        check: impl FnOnce(&toml::Value) -> Result<T, Problem>,
    ) -> Option<T> {
        match check(value.get_ref()) {
            Ok(v) => Some(v),
            Err(problem) => {
                self.error(value, offset, problem);
                None
            }
        }
    }

    fn check_area(&mut self, area: &Spanned<String>, offset: usize) -> bool {
        let id = area.get_ref().as_str();
        if id == NATIONAL || self.areas.get(id).is_some() {
            return true;
        }
        let known: Vec<&str> = std::iter::once(NATIONAL)
            .chain(self.areas.iter().map(|a| a.id.as_str()))
            .collect();
        let hint = match closest(id, known.iter().copied()) {
            Some(near) => format!("did you mean \"{near}\"?"),
            None if self.areas.is_empty() => {
                "use \"national\", or add the area to data/areas.toml first".into()
            }
            None => format!(
                "use \"national\" or an id from data/areas.toml: {}",
                known[1..].join(", ")
            ),
        };
        self.error(
            area,
            offset,
            Problem::new(format!("there is no area `{id}`"), hint),
        );
        false
    }

    /// The page that lists the number, copied into /hotlines.json for other
    /// apps: only a web address, never `javascript:` or a file path.
    fn check_source(&mut self, source: &Spanned<String>, offset: usize) {
        let address = source.get_ref().trim();
        let web = ["http://", "https://"].iter().any(|scheme| {
            address
                .get(..scheme.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
                && address.len() > scheme.len()
        });
        if !web || address.contains(char::is_whitespace) {
            self.error(
                source,
                offset,
                Problem::new(
                    format!("`source` must be a web address starting with https:// or http://, not `{address}`"),
                    "write the address of the page that lists the number, e.g. source = \"https://www.nhc.gov.cn/\", or leave source out",
                ),
            );
        }
    }

    fn check_verified(&mut self, value: &Spanned<toml::Value>, offset: usize) -> Option<Date> {
        let today = self.today;
        self.checked(value, offset, |v| {
            let date = Date::from_toml(v).map_err(|why| {
                Problem::new(
                    format!("invalid date: {why}"),
                    "write the day the number was last checked, e.g. verified = 2025-10-10",
                )
            })?;
            if date.days() > today.days() {
                return Err(Problem::new(
                    format!(
                        "verified {} is in the future (today is {})",
                        date.ymd(),
                        today.ymd()
                    ),
                    "write the day someone last called the number and checked it",
                ));
            }
            Ok(date)
        })
    }

    fn warn_if_stale(
        &mut self,
        value: &Spanned<toml::Value>,
        offset: usize,
        verified: &Date,
        display: &str,
    ) -> bool {
        let age = self.today.days() - verified.days();
        if age <= i64::from(self.stale_after_days) {
            return false;
        }
        let d = Diagnostic::warning(format!(
            "hotline {display} not verified since {}, {age} days ago",
            verified.ymd()
        ))
        .with_hint(format!(
            "call the number, then update verified (a number is stale after {} days: \
             [hotlines] stale_after_days in site.toml)",
            self.stale_after_days
        ));
        let d = self.at(d, value.span(), offset);
        self.diagnostics.push(d);
        true
    }
}

/// A value that must be text: numbers in quotes keep their leading zeros.
fn text_value<'v>(value: &'v toml::Value, key: &str, example: &str) -> Result<&'v str, Problem> {
    value.as_str().ok_or_else(|| {
        Problem::new(
            format!("`{key}` must be text in quotes, not {}", value.type_str()),
            format!("write it as {key} = {example}"),
        )
    })
}

/// A non-empty name, as text or as a table of languages.
fn localized_name(value: &toml::Value) -> Result<Localized, Problem> {
    const HINT: &str = "write name = \"全国心理援助热线\", or on a multilingual site \
        name = { \"zh-CN\" = \"全国心理援助热线\", en = \"National psychological assistance hotline\" }";
    let non_empty = |v: &toml::Value| {
        v.as_str()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    match value {
        toml::Value::Table(table) if !table.is_empty() => {
            let mut names = BTreeMap::new();
            for (lang, v) in table {
                let Some(text) = non_empty(v) else {
                    return Err(Problem::new(
                        format!("the name in `{lang}` is empty or not text"),
                        HINT,
                    ));
                };
                names.insert(lang.clone(), text);
            }
            Ok(Localized::ByLanguage(names))
        }
        v => non_empty(v)
            .map(Localized::Plain)
            .ok_or_else(|| Problem::new("a hotline needs a name", HINT)),
    }
}

#[cfg(test)]
mod tests;
