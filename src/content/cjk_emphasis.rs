//! Bold and strikethrough that work the way Chinese is written.
//!
//! CommonMark decides whether `**` may open or close emphasis from the
//! characters beside it, and counts a Han character as a letter: so
//! `**注意：**请携带` never closes (the run follows punctuation and precedes a
//! letter) and `领取**《免费服药卡》**到` never opens. English writers put a
//! space there; Chinese writers do not, and readers see the asterisks.
//!
//! pulldown-cmark has no option for this in any released version (the
//! "CJK-friendly" amendment is merged upstream but unreleased), so this
//! module does what that amendment does with a pre-pass: where a `*` or `~`
//! run fails the standard flanking test only because the character on one
//! side is Chinese, an invisible-in-output punctuation mark ([`MARK`]) is
//! put between them, which makes the run flank by the standard rule. The
//! markdown renderer removes every mark from the text it emits and maps
//! source offsets back with [`Prepared::original`], so messages still point
//! at the author's line and column.
//!
//! Runs are only touched where the parser saw them as inline text or as
//! emphasis delimiters, never in code, raw HTML or link addresses.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// A punctuation character (category Po) that Chinese and English text do
/// not use; if a body contains it, the pre-pass stands aside.
pub const MARK: char = '\u{2E2E}';

/// A body with marks inserted, and where they went.
pub struct Prepared {
    pub text: String,
    /// Byte offsets of each inserted mark in `text`, ascending.
    inserted: Vec<usize>,
}

impl Prepared {
    /// The offset in the author's body of `offset` in the prepared text.
    pub fn original(&self, offset: usize) -> usize {
        let before = self.inserted.partition_point(|&at| at < offset);
        offset - before * MARK.len_utf8()
    }
}

/// The body with marks where emphasis needs them, or `None` when it needs
/// none (English text, and Chinese without `*` or `~` beside punctuation:
/// one scan of the bytes, no extra parse).
pub fn prepare(body: &str) -> Option<Prepared> {
    if body.contains(MARK) || !runs(body).any(|run| fix_for(body, run.clone()).is_some()) {
        return None;
    }
    let mut at: Vec<usize> = Vec::new();
    for range in inline_delimiter_runs(body) {
        if let Some(fix) = fix_for(body, range.clone()) {
            at.push(match fix {
                Fix::Before => range.start,
                Fix::After => range.end,
            });
        }
    }
    if at.is_empty() {
        return None;
    }
    at.sort_unstable();
    at.dedup();
    let mut text = String::with_capacity(body.len() + at.len() * MARK.len_utf8());
    let mut inserted = Vec::with_capacity(at.len());
    let mut copied = 0;
    for pos in at {
        text.push_str(&body[copied..pos]);
        inserted.push(text.len());
        text.push(MARK);
        copied = pos;
    }
    text.push_str(&body[copied..]);
    Some(Prepared { text, inserted })
}

/// Where a mark makes a run flank.
#[derive(Debug, PartialEq, Eq)]
enum Fix {
    /// `取**《`: a mark before the run lets it open.
    Before,
    /// `：**请`: a mark after the run lets it close.
    After,
}

/// The fix a run of `*` or `~` at `run` needs, if the CJK-friendly rule
/// would let it open or close where the standard rule does not.
fn fix_for(body: &str, run: std::ops::Range<usize>) -> Option<Fix> {
    if body[..run.start].ends_with('\\') {
        return None;
    }
    let before = body[..run.start].chars().next_back();
    let after = body[run.end..].chars().next();
    let (Some(p), Some(n)) = (before, after) else {
        return None;
    };
    let space = |c: char| c.is_whitespace();
    // Left-flanking fails only on punctuation after and a letter before; the
    // amendment accepts a Chinese letter there.
    if !space(n) && is_punctuation(n) && !space(p) && !is_punctuation(p) && is_cjk(p) {
        return Some(Fix::Before);
    }
    if !space(p) && is_punctuation(p) && !space(n) && !is_punctuation(n) && is_cjk(n) {
        return Some(Fix::After);
    }
    None
}

/// Every maximal run of `*` or `~` in the body, wherever it is.
fn runs(body: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let bytes = body.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'*' || b == b'~' {
                let start = i;
                while i < bytes.len() && bytes[i] == b {
                    i += 1;
                }
                return Some(start..i);
            }
            i += 1;
        }
        None
    })
}

/// Runs the parser saw as text or as emphasis delimiters: not code, raw
/// HTML, link addresses or list bullets.
fn inline_delimiter_runs(body: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = body.as_bytes();
    let run_at = |pos: usize| {
        let b = bytes[pos];
        let mut start = pos;
        while start > 0 && bytes[start - 1] == b {
            start -= 1;
        }
        let mut end = pos;
        while end < bytes.len() && bytes[end] == b {
            end += 1;
        }
        start..end
    };
    let mut found = Vec::new();
    let mut in_code_block = false;
    for (event, range) in Parser::new_ext(body, super::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(_) if !in_code_block => {
                for (i, b) in body[range.clone()].bytes().enumerate() {
                    if b == b'*' || b == b'~' {
                        found.push(run_at(range.start + i));
                    }
                }
            }
            Event::Start(Tag::Strong | Tag::Emphasis | Tag::Strikethrough)
                if range.end > range.start =>
            {
                found.push(run_at(range.start));
                found.push(run_at(range.end - 1));
            }
            _ => {}
        }
    }
    found.sort_by_key(|r| r.start);
    found.dedup();
    found
}

/// CommonMark's Unicode punctuation: general categories P and S. The ranges
/// cover ASCII and the blocks Chinese text draws its punctuation from.
fn is_punctuation(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    matches!(c as u32,
        0x00A1..=0x00BF | 0x00D7 | 0x00F7
        | 0x2010..=0x2027 | 0x2030..=0x205E
        | 0x2100..=0x214F | 0x2190..=0x23FF | 0x25A0..=0x27BF | 0x2E00..=0x2E5D
        | 0x3001..=0x3004 | 0x3008..=0x3020 | 0x3030 | 0x303D
        | 0x30FB
        | 0xFE10..=0xFE19 | 0xFE30..=0xFE6B
        | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65
        | 0xFFE0..=0xFFEE)
}

/// Characters of Chinese, Japanese and Korean text, wide in East Asian
/// typesetting: ideographs, kana, hangul, CJK and fullwidth punctuation.
fn is_cjk(c: char) -> bool {
    super::markdown::is_han(c)
        || matches!(c as u32,
            0x2E80..=0x2FFF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x31FF
            | 0xAC00..=0xD7AF | 0xFF00..=0xFFEF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        crate::content::markdown::render(md).html
    }

    #[test]
    fn chinese_bold_beside_punctuation_renders_as_bold() {
        assert_eq!(
            html("**注意：**请携带身份证。"),
            "<p><strong>注意：</strong>请携带身份证。</p>\n"
        );
        assert_eq!(
            html("到现场领取**《免费服药卡》**到村卫生室登记"),
            "<p>到现场领取<strong>《免费服药卡》</strong>到村卫生室登记</p>\n"
        );
        assert_eq!(
            html("了解**监护补贴（以奖代补）**的申请办法"),
            "<p>了解<strong>监护补贴（以奖代补）</strong>的申请办法</p>\n"
        );
        assert_eq!(
            html("先看~~旧规定（作废）~~再看"),
            "<p>先看<del>旧规定（作废）</del>再看</p>\n"
        );
    }

    #[test]
    fn leaves_code_escapes_and_english_alone() {
        assert_eq!(html("`**注意：**请`"), "<p><code>**注意：**请</code></p>\n");
        assert_eq!(
            html("```\n**注意：**请\n```\n"),
            "<pre><code>**注意：**请\n</code></pre>\n"
        );
        assert_eq!(html(r"\*\*注意：\*\*请"), "<p>**注意：**请</p>\n");
        assert_eq!(
            html("a **b.**c and 2*3*4"),
            "<p>a **b.**c and 2<em>3</em>4</p>\n"
        );
        assert_eq!(
            html("主题是**人人享有心理健康服务**。**早求助**，早治疗"),
            "<p>主题是<strong>人人享有心理健康服务</strong>。<strong>早求助</strong>，早治疗</p>\n"
        );
        assert!(prepare("plain **bold** English").is_none());
    }

    #[test]
    fn offsets_map_back_to_the_authors_text() {
        let body = "**注意：**请看[政策](a.md)";
        let prepared = prepare(body).expect("needs a mark");
        let link = prepared.text.find('[').expect("link");
        assert_eq!(prepared.original(link), body.find('[').expect("link"));
        let r = crate::content::markdown::render(body);
        assert_eq!(r.links[0].span, body.find('[').expect("link")..body.len());
    }
}
