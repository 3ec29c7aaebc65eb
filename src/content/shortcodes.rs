//! Shortcodes in markdown, written as Zola writes them:
//! `{{ hotline(number="12356") }}`. Each call outside code is cut out of the
//! markdown before it is rendered and replaced by a token of the same byte
//! length (so every position after it stays right for error messages); once
//! the call has been rendered with its template, the token is replaced by the
//! result. A call alone in its paragraph replaces the whole paragraph, so a
//! block such as a chart is not wrapped in `<p>`.

use serde_json::{Map, Value};
use std::ops::Range;

const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

#[derive(Debug, Clone, PartialEq)]
pub struct ShortcodeCall {
    pub name: String,
    pub args: Map<String, Value>,
    /// Byte range of the call in the markdown body.
    pub span: Range<usize>,
}

/// A rendered call: its HTML, and a note the page must carry once at the end
/// of its content (the footnote of a suppressed figure, say).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub note: Option<String>,
}

impl From<String> for Rendered {
    fn from(html: String) -> Self {
        Rendered { html, note: None }
    }
}

/// A call that looks like a shortcode but is not well formed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Range<usize>,
    pub message: String,
}

/// Cuts the shortcode calls out of `body`; returns the body with tokens in
/// their place (same length) and the calls in order.
pub fn extract(body: &str) -> Result<(String, Vec<ShortcodeCall>), SyntaxError> {
    let (has_calls, has_body_calls) = (body.contains("{{"), body.contains("{%"));
    if !has_calls && !has_body_calls {
        return Ok((body.to_string(), Vec::new()));
    }
    let code = code_ranges(body);
    if has_body_calls {
        refuse_body_shortcodes(body, &code)?;
    }
    let mut out = String::with_capacity(body.len());
    let mut calls = Vec::new();
    let mut copied = 0;
    for start in openings(body, "{{", &code) {
        // Inside a call already cut out.
        if start < copied {
            continue;
        }
        let Some((name, args, end)) = parse_call(body, start)? else {
            continue;
        };
        out.push_str(&body[copied..start]);
        out.push_str(&token(calls.len(), end - start));
        calls.push(ShortcodeCall {
            name,
            args,
            span: start..end,
        });
        copied = end;
    }
    out.push_str(&body[copied..]);
    Ok((out, calls))
}

/// Where `open` (`{{`, `{%`) starts outside code.
fn openings<'a>(
    body: &'a str,
    open: &'a str,
    code: &'a [Range<usize>],
) -> impl Iterator<Item = usize> + 'a {
    body.match_indices(open)
        .map(|(at, _)| at)
        .filter(move |at| !code.iter().any(|r| r.contains(at)))
}

/// Zola's shortcodes with a body (`{% note() %}…{% end %}`) are not
/// supported: printed as they are, they would reach readers as code. The
/// first one outside code is refused at its place.
fn refuse_body_shortcodes(body: &str, code: &[Range<usize>]) -> Result<(), SyntaxError> {
    for start in openings(body, "{%", code) {
        let rest = body[start + 2..].trim_start_matches([' ', '\t']);
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        let after = rest[name_len..].trim_start_matches([' ', '\t']);
        let is_call = !name.is_empty() && after.starts_with('(');
        let is_end = name == "end" && after.starts_with("%}");
        if !(is_call || is_end) {
            continue;
        }
        let end = body[start..]
            .find("%}")
            .map_or(start + 2, |i| start + i + 2)
            .min(body[start..].find('\n').map_or(body.len(), |i| start + i));
        let message = if is_end {
            "`{% end %}` closes a shortcode with a body, which anxin does not support".to_string()
        } else {
            format!(
                "shortcodes with a body (`{{% {name}(…) %}}…{{% end %}}`) are not supported: \
                 give the text as an argument instead, {{{{ {name}(text=\"…\") }}}}"
            )
        };
        return Err(SyntaxError {
            span: start..end.max(start + 2),
            message,
        });
    }
    Ok(())
}

/// `OPEN 000…n CLOSE`, padded with zeros to `len` bytes.
fn token(index: usize, len: usize) -> String {
    let digits = index.to_string();
    let width = len
        .saturating_sub(OPEN.len_utf8() + CLOSE.len_utf8())
        .max(digits.len());
    format!("{OPEN}{digits:0>width$}{CLOSE}")
}

/// Puts the rendered shortcodes in place of their tokens in `html` (given
/// back as it is when it has none).
pub fn substitute(html: String, rendered: &[String]) -> String {
    if rendered.is_empty() || !html.contains(OPEN) {
        return html;
    }
    let html = html.as_str();
    let mut out =
        String::with_capacity(html.len() + rendered.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        let after = &rest[at + OPEN.len_utf8()..];
        let Some(close) = after.find(CLOSE) else {
            break;
        };
        let index: Option<usize> = after[..close].parse().ok();
        let Some(text) = index.and_then(|i| rendered.get(i)) else {
            out.push_str(&rest[..at + OPEN.len_utf8()]);
            rest = after;
            continue;
        };
        let token_end = at + OPEN.len_utf8() + close + CLOSE.len_utf8();
        // Alone in a paragraph: the paragraph goes, the block stands alone.
        let alone = rest[..at].ends_with("<p>") && rest[token_end..].starts_with("</p>");
        if alone {
            out.push_str(&rest[..at - 3]);
            out.push_str(text);
            rest = &rest[token_end + 4..];
        } else {
            out.push_str(&rest[..at]);
            out.push_str(text);
            rest = &rest[token_end..];
        }
    }
    out.push_str(rest);
    out
}

/// Puts the text a reader sees of each rendered shortcode in place of its
/// token in plain `text` (a question's answer, say), so that what a search
/// engine reads says what the page says and never holds a token.
pub fn fill_text(text: &str, rendered: &[Rendered]) -> String {
    if !text.contains(OPEN) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len_utf8()..];
        let Some(close) = after.find(CLOSE) else {
            rest = after;
            break;
        };
        let index: Option<usize> = after[..close].parse().ok();
        if let Some(call) = index.and_then(|i| rendered.get(i)) {
            out.push_str(&crate::html::text_of(&call.html));
        }
        rest = &after[close + CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// A parsed call: name, arguments, and the byte just after its `}}`.
type Call = (String, Map<String, Value>, usize);

/// Parses `{{ name(key=value, …) }}` at `start`. `Ok(None)` when the braces
/// are not a shortcode at all (text such as `{{` in prose).
fn parse_call(body: &str, start: usize) -> Result<Option<Call>, SyntaxError> {
    let bytes = body.as_bytes();
    let mut i = start + 2;
    let skip_space = |i: &mut usize| {
        while *i < bytes.len()
            && (bytes[*i] == b' ' || bytes[*i] == b'\t' || bytes[*i] == b'\n' || bytes[*i] == b'\r')
        {
            *i += 1;
        }
    };
    skip_space(&mut i);
    let name_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
        i += 1;
    }
    if i == name_start || bytes[name_start].is_ascii_digit() || bytes.get(i) != Some(&b'(') {
        return Ok(None);
    }
    let name = body[name_start..i].to_string();
    let error = |at: usize, message: String| SyntaxError {
        span: start..at.max(start + 2),
        message,
    };
    i += 1;
    let mut args = Map::new();
    loop {
        skip_space(&mut i);
        match bytes.get(i) {
            Some(b')') => {
                i += 1;
                break;
            }
            None => {
                return Err(error(
                    i,
                    format!("the shortcode `{name}(` is never closed with `)`"),
                ));
            }
            _ => {}
        }
        let key_start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        if i == key_start {
            return Err(error(
                i + 1,
                format!("expected an argument name in `{name}(…)`"),
            ));
        }
        let key = body[key_start..i].to_string();
        skip_space(&mut i);
        if bytes.get(i) != Some(&b'=') {
            return Err(error(
                i + 1,
                format!("expected `=` after `{key}` in `{name}(…)`"),
            ));
        }
        i += 1;
        skip_space(&mut i);
        let (value, next) = parse_value(body, i).ok_or_else(|| {
            error(
                i + 1,
                format!("the value of `{key}` in `{name}(…)` is not text in quotes, a number or true/false"),
            )
        })?;
        if args.insert(key.clone(), value).is_some() {
            return Err(error(
                next,
                format!("`{key}` is given twice in `{name}(…)`"),
            ));
        }
        i = next;
        skip_space(&mut i);
        match bytes.get(i) {
            Some(b',') => i += 1,
            Some(b')') => {}
            _ => return Err(error(i + 1, format!("expected `,` or `)` in `{name}(…)`"))),
        }
    }
    skip_space(&mut i);
    if !body[i..].starts_with("}}") {
        return Err(error(
            i + 1,
            format!("the shortcode `{name}(…)` must end with `}}}}`"),
        ));
    }
    Ok(Some((name, args, i + 2)))
}

fn parse_value(body: &str, i: usize) -> Option<(Value, usize)> {
    let rest = &body[i..];
    let quote = rest.chars().next()?;
    if quote == '"' || quote == '\'' {
        let mut text = String::new();
        let mut escaped = false;
        for (offset, c) in rest.char_indices().skip(1) {
            match c {
                _ if escaped => {
                    text.push(c);
                    escaped = false;
                }
                '\\' => escaped = true,
                c if c == quote => return Some((Value::String(text), i + offset + c.len_utf8())),
                '\n' => return None,
                c => text.push(c),
            }
        }
        return None;
    }
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(rest.len());
    let word = &rest[..end];
    let value = match word {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => {
            if let Ok(n) = word.parse::<i64>() {
                Value::from(n)
            } else {
                Value::from(word.parse::<f64>().ok()?)
            }
        }
    };
    Some((value, i + end))
}

/// Byte ranges of fenced code blocks and inline code spans, where `{{` is
/// text to show, not a call.
fn code_ranges(body: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut fence: Option<(usize, char, usize)> = None;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker
            .map(|m| trimmed.chars().take_while(|c| *c == m).count())
            .unwrap_or(0);
        match fence {
            Some((start, m, len)) if indent < 4 && marker == Some(m) && run >= len => {
                ranges.push(start..offset + line.len());
                fence = None;
            }
            Some(_) => {}
            None if indent < 4 && run >= 3 => fence = marker.map(|m| (offset, m, run)),
            None => {
                // Inline code: a run of backticks up to the same run.
                let mut i = 0;
                let bytes = line.as_bytes();
                while i < bytes.len() {
                    if bytes[i] != b'`' {
                        i += 1;
                        continue;
                    }
                    let open = bytes[i..].iter().take_while(|b| **b == b'`').count();
                    let tick_run = "`".repeat(open);
                    match line[i + open..].find(&tick_run) {
                        Some(close) => {
                            ranges.push(offset + i..offset + i + open + close + open);
                            i += open + close + open;
                        }
                        None => i += open,
                    }
                }
            }
        }
        offset += line.len();
    }
    if let Some((start, _, _)) = fence {
        ranges.push(start..body.len());
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_gets_what_a_reader_sees_of_each_call() {
        let (replaced, _) = extract("拨打 {{ hotline(number=\"12356\") }} 或 {{ x() }}。").unwrap();
        let rendered = [
            Rendered::from(
                "<a href=\"tel:12356\"><strong>12356</strong> 心理援助热线</a>".to_string(),
            ),
            Rendered::default(),
        ];
        assert_eq!(
            fill_text(&replaced, &rendered),
            "拨打 12356 心理援助热线 或 。"
        );
        assert_eq!(fill_text("无", &rendered), "无");
    }

    #[test]
    fn cuts_calls_out_keeping_every_offset() {
        let body = "拨打 {{ hotline(number=\"12356\") }} 咨询。\n\n{{ chart(indicator='rate', kind=\"trend\", n=3, big=true) }}\n";
        let (replaced, calls) = extract(body).unwrap();
        assert_eq!(replaced.len(), body.len());
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].name, "hotline");
        assert_eq!(calls[0].args["number"], "12356");
        assert_eq!(
            &body[calls[0].span.clone()],
            "{{ hotline(number=\"12356\") }}"
        );
        assert_eq!(calls[1].args["n"], 3);
        assert_eq!(calls[1].args["big"], true);
        assert_eq!(replaced.find("咨询"), body.find("咨询"));
    }

    #[test]
    fn leaves_code_and_plain_braces_alone() {
        let body = "`{{ hotline(number=\"1\") }}` 和 {{ 不是 }}\n\n```\n{{ hotline(number=\"1\") }}\n```\n";
        let (replaced, calls) = extract(body).unwrap();
        assert!(calls.is_empty());
        assert_eq!(replaced, body);
    }

    #[test]
    fn reports_malformed_calls() {
        let err = extract("见 {{ hotline(number=12 356) }}").unwrap_err();
        assert!(
            err.message.contains("expected `,` or `)`"),
            "{}",
            err.message
        );
        assert!(extract("{{ hotline(number=\"1\" }}").is_err());
        assert!(extract("{{ hotline(number=\"1\") }").is_err());
    }

    #[test]
    fn blocks_replace_their_paragraph_and_inline_calls_stay_inline() {
        let (replaced, _) = extract("打 {{ a() }} 吧\n\n{{ b() }}\n").unwrap();
        let html = crate::content::markdown::render(&replaced).html;
        let out = substitute(
            html,
            &[
                "<a href=\"tel:12356\">12356</a>".into(),
                "<figure>图</figure>".into(),
            ],
        );
        assert_eq!(
            out,
            "<p>打 <a href=\"tel:12356\">12356</a> 吧</p>\n<figure>图</figure>\n"
        );
    }

    #[test]
    fn shortcodes_with_a_body_are_refused_at_their_place_outside_code() {
        let body = "第一段。\n\n{% note(kind=\"tip\") %}\n提示\n{% end %}\n";
        let err = extract(body).expect_err("refused");
        assert_eq!(&body[err.span.clone()], "{% note(kind=\"tip\") %}");
        assert!(
            err.message.contains("{{ note(text=\"…\") }}"),
            "{}",
            err.message
        );
        let err = extract("x {% end %}").expect_err("refused");
        assert!(
            err.message.starts_with("`{% end %}` closes"),
            "{}",
            err.message
        );
        assert!(extract("`{% note() %}`\n\n```\n{% end %}\n```\n百分比 {% 不是").is_ok());
    }
}
