//! Markdown → HTML in one pass: heading ids (Chinese kept, de-duplicated), the
//! table of contents, word counts for reading time, and every link to another
//! `.md` file recorded with its position and replaced by a placeholder that
//! the resolve stage fills with the target's URL once all pages are known.

use super::slug::{UniqueIds, slugify};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;
use std::ops::Range;

/// Prefix of the placeholder written in place of an internal link's URL. It
/// contains only characters the HTML writer leaves unescaped.
pub const LINK_PLACEHOLDER: &str = "anxin-internal-link:";

/// Where `<!-- more -->` splits the summary from the rest, as Zola does.
pub const SUMMARY_MARKER: &str = "<!-- more -->";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalLink {
    /// The path part, relative to the page's file (empty: the same page).
    pub target: String,
    /// The heading id after `#`, percent-decoded.
    pub anchor: Option<String>,
    /// Byte range of the link in the markdown body.
    pub span: Range<usize>,
}

/// A heading in the table of contents, with Zola's field names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u32,
    pub id: String,
    pub title: String,
    /// Filled in by the resolve stage, when the page's URL is known.
    pub permalink: String,
    pub children: Vec<Heading>,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// Shared with the page's template value rather than copied.
    pub toc: std::sync::Arc<Vec<Heading>>,
    pub anchors: Vec<String>,
    pub links: Vec<InternalLink>,
    /// Byte ranges of images with no alt text: screen-reader users hear
    /// nothing (or the file name) for them.
    pub images_without_alt: Vec<Range<usize>>,
    /// Links and images written as addresses inside the site (`/news/`,
    /// `family.html`, `poster.png`), with their byte ranges: checked against
    /// the files the build writes.
    pub addresses: Vec<(String, Range<usize>)>,
    /// Questions and answers: headings written `### 问：…` (or `Q:`), each
    /// with the plain text up to the next heading as high or higher.
    pub faq: Vec<(String, String)>,
    /// Shortcode calls, in order; their tokens are in `html`.
    pub shortcodes: Vec<super::shortcodes::ShortcodeCall>,
    pub han_chars: usize,
    pub latin_words: usize,
}

/// A heading being read: level, explicit `{#id}`, classes, inner events.
type OpenHeading<'a> = (
    HeadingLevel,
    Option<CowStr<'a>>,
    Vec<CowStr<'a>>,
    Vec<Event<'a>>,
);

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

pub fn render(body: &str) -> Rendered {
    let (rendered, literal_delimiters) = render_with(body, None);
    // Only a body whose text kept a `*` or `~` can have Chinese emphasis the
    // standard rule left unread: it alone pays for a second pass.
    if literal_delimiters && let Some(prepared) = super::cjk_emphasis::prepare(body) {
        return render_with(body, Some(&prepared)).0;
    }
    rendered
}

/// Renders `body`, or its `prepared` form (with marks for Chinese emphasis);
/// also says whether any text outside code kept a `*` or `~`.
fn render_with(body: &str, prepared: Option<&super::cjk_emphasis::Prepared>) -> (Rendered, bool) {
    let source = prepared.map_or(body, |p| p.text.as_str());
    // Spans are reported in the author's text, whatever marks were added.
    let original = |r: Range<usize>| match prepared {
        Some(p) => p.original(r.start)..p.original(r.end),
        None => r,
    };
    let mut literal_delimiters = false;
    let mut in_code_block = false;
    let mut out = Rendered::default();
    let mut events: Vec<Event> = Vec::with_capacity(body.len() / 16);
    let mut ids = UniqueIds::default();
    let mut flat: Vec<(u32, String, String)> = Vec::new();
    // While inside a heading, its events wait here until its text (and so its id) is known.
    let mut heading: Option<OpenHeading> = None;
    // The question heading whose answer is being collected: level, question, answer.
    let mut question: Option<(u32, String, String)> = None;

    // An image's alt text arrives as the text events between its start and end.
    let mut image: Option<(Range<usize>, bool)> = None;

    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        let event = match event {
            Event::Text(t) if prepared.is_some() && t.contains(super::cjk_emphasis::MARK) => {
                let t = t.replace(super::cjk_emphasis::MARK, "");
                count_words(&t, &mut out.han_chars, &mut out.latin_words);
                if let Some((_, has_alt)) = &mut image {
                    *has_alt |= !t.trim().is_empty();
                }
                Event::Text(CowStr::from(t))
            }
            Event::Text(t) => {
                literal_delimiters |= !in_code_block && t.contains(['*', '~']);
                count_words(&t, &mut out.han_chars, &mut out.latin_words);
                if let Some((_, has_alt)) = &mut image {
                    *has_alt |= !t.trim().is_empty();
                }
                Event::Text(t)
            }
            Event::Start(Tag::CodeBlock(_)) => {
                in_code_block = true;
                event
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                event
            }
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                if is_site_address(dest_url) {
                    out.addresses
                        .push((dest_url.to_string(), original(range.clone())));
                }
                image = Some((original(range.clone()), false));
                event
            }
            Event::End(TagEnd::Image) => {
                if let Some((span, false)) = image.take() {
                    out.images_without_alt.push(span);
                }
                event
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match internal_target(&dest_url) {
                    Some((target, anchor)) => {
                        out.links.push(InternalLink {
                            target,
                            anchor,
                            span: original(range.clone()),
                        });
                        CowStr::from(format!("{LINK_PLACEHOLDER}{}", out.links.len() - 1))
                    }
                    None => {
                        if is_site_address(&dest_url) {
                            out.addresses
                                .push((dest_url.to_string(), original(range.clone())));
                        }
                        dest_url
                    }
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            other => other,
        };
        match (&mut heading, event) {
            (
                None,
                Event::Start(Tag::Heading {
                    level, id, classes, ..
                }),
            ) => heading = Some((level, id, classes, Vec::new())),
            (Some(_), Event::End(TagEnd::Heading(_))) => {
                let Some((level, explicit_id, classes, inner)) = heading.take() else {
                    continue;
                };
                let title = plain_text(&inner);
                let id = ids.claim(match explicit_id {
                    Some(id) => id.to_string(),
                    None => slugify(&title),
                });
                let level_number = level as u32;
                let class_attr = if classes.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"{}\"", crate::html::escape(&classes.join(" ")))
                };
                events.push(Event::Html(CowStr::from(format!(
                    "<h{level_number} id=\"{}\"{class_attr}>",
                    crate::html::escape(&id)
                ))));
                events.extend(inner);
                events.push(Event::Html(CowStr::from(format!("</h{level_number}>\n"))));
                out.anchors.push(id.clone());
                if let Some((open_level, _, _)) = &question
                    && level_number <= *open_level
                    && let Some((_, q, a)) = question.take()
                {
                    out.faq.push((q, a.trim().to_string()));
                }
                if let Some(q) = question_text(&title) {
                    question = Some((level_number, q, String::new()));
                }
                flat.push((level_number, id, title));
            }
            (Some((_, _, _, inner)), event) => inner.push(event),
            (None, event) => {
                if let Some((_, _, answer)) = &mut question {
                    match &event {
                        Event::Text(t) | Event::Code(t) => answer.push_str(t),
                        Event::SoftBreak | Event::HardBreak => answer.push(' '),
                        Event::End(TagEnd::Paragraph | TagEnd::Item) => answer.push('\n'),
                        _ => {}
                    }
                }
                events.push(event)
            }
        }
    }
    if let Some((_, q, a)) = question.take() {
        out.faq.push((q, a.trim().to_string()));
    }
    out.html.reserve(body.len() + body.len() / 2);
    html::push_html(&mut out.html, events.into_iter());
    out.toc = std::sync::Arc::new(nest(flat));
    (out, literal_delimiters)
}

/// An address that names a file of this site: no scheme (`https:`, `tel:`,
/// `mailto:`, `data:`), not protocol-relative, not only a `#fragment`.
fn is_site_address(dest: &str) -> bool {
    let before_path = dest.split(['/', '?', '#']).next().unwrap_or("");
    !dest.is_empty()
        && !dest.starts_with('#')
        && !dest.starts_with("//")
        && !before_path.contains(':')
}

/// `guardian-subsidy.md#申请` → (`guardian-subsidy.md`, `申请`); `#申请` → ("", `申请`).
/// Anything else (web addresses, site paths, images, files) is left alone.
fn internal_target(dest: &str) -> Option<(String, Option<String>)> {
    if dest.contains("://")
        || dest.starts_with("//")
        || dest.starts_with("mailto:")
        || dest.starts_with("tel:")
        || dest.starts_with('/')
    {
        return None;
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(percent_decode(a))),
        None => (dest, None),
    };
    let path = percent_decode(path);
    if path.ends_with(".md") || (path.is_empty() && anchor.is_some()) {
        Some((path, anchor))
    } else {
        None
    }
}

pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|&b| hex(b)),
                bytes.get(i + 2).and_then(|&b| hex(b)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `问：谁可以申请？` → `谁可以申请？`
fn question_text(title: &str) -> Option<String> {
    ["问：", "问:", "Q：", "Q:", "Q. "]
        .iter()
        .find_map(|prefix| title.strip_prefix(prefix))
        .map(|q| q.trim().to_string())
        .filter(|q| !q.is_empty())
}

fn plain_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

/// Turns the flat list of headings into a tree: a heading's children are the
/// deeper headings that follow it.
fn nest(flat: Vec<(u32, String, String)>) -> Vec<Heading> {
    fn take(
        items: &mut std::iter::Peekable<std::vec::IntoIter<(u32, String, String)>>,
        above: u32,
    ) -> Vec<Heading> {
        let mut level_nodes = Vec::new();
        while let Some((level, _, _)) = items.peek() {
            if *level <= above {
                break;
            }
            let Some((level, id, title)) = items.next() else {
                break;
            };
            let children = take(items, level);
            level_nodes.push(Heading {
                level,
                id,
                title,
                permalink: String::new(),
                children,
            });
        }
        level_nodes
    }
    let mut items = flat.into_iter().peekable();
    let mut roots = Vec::new();
    while items.peek().is_some() {
        roots.extend(take(&mut items, 0));
    }
    roots
}

/// Chinese is read by the character and English by the word, so both are
/// counted: a page of 600 Han characters and 200 English words takes as long
/// as 1.5 + 1 minutes, not the 0.5 a word count would suggest.
pub fn count_words(text: &str, han: &mut usize, latin: &mut usize) {
    let mut in_word = false;
    for c in text.chars() {
        if is_han(c) {
            *han += 1;
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word {
                *latin += 1;
                in_word = true;
            }
        } else if !(in_word && (c == '\'' || c == '-')) {
            in_word = false;
        }
    }
}

pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Minutes to read: 300 Han characters or 200 English words a minute,
/// rounded up; at least one minute for any non-empty page.
pub fn reading_time(han: usize, latin: usize) -> usize {
    let minutes = han as f64 / 300.0 + latin as f64 / 200.0;
    if han + latin == 0 {
        0
    } else {
        (minutes.ceil() as usize).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_ids_keep_chinese_and_are_unique() {
        let r = render("## 申请条件\n\n## 申请条件\n\n### Who *can* apply?\n");
        assert!(
            r.html.contains("<h2 id=\"申请条件\">申请条件</h2>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h2 id=\"申请条件-1\">"), "{}", r.html);
        assert!(
            r.html
                .contains("<h3 id=\"who-can-apply\">Who <em>can</em> apply?</h3>"),
            "{}",
            r.html
        );
        assert_eq!(r.anchors, ["申请条件", "申请条件-1", "who-can-apply"]);
    }

    #[test]
    fn collects_questions_and_answers() {
        let r = render(
            "## 常见问题\n\n### 问：谁可以申请？\n\n在册患者。\n\n- 带上身份证\n\n### 问：要钱吗？\n\n不要。\n\n## 联系\n\n电话\n",
        );
        assert_eq!(r.faq.len(), 2);
        assert_eq!(r.faq[0].0, "谁可以申请？");
        assert_eq!(r.faq[0].1, "在册患者。\n带上身份证");
        assert_eq!(r.faq[1], ("要钱吗？".to_string(), "不要。".to_string()));
    }

    #[test]
    fn explicit_heading_ids_win() {
        let r = render("## 申请 {#apply}\n");
        assert!(r.html.contains("<h2 id=\"apply\">申请</h2>"), "{}", r.html);
    }

    #[test]
    fn toc_nests_deeper_headings() {
        let r = render("## 一\n### 一点一\n### 一点二\n## 二\n");
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[0].children.len(), 2);
        assert_eq!(r.toc[0].children[1].title, "一点二");
        assert_eq!(r.toc[1].id, "二");
    }

    #[test]
    fn links_to_markdown_files_become_placeholders() {
        let body = "见[补贴](../policies/guardian-subsidy.md#%E7%94%B3%E8%AF%B7)和[上文](#概述)，\n[外部](https://example.org/a.md)、![图](poster.svg)。\n";
        let r = render(body);
        assert_eq!(r.links.len(), 2);
        assert_eq!(r.links[0].target, "../policies/guardian-subsidy.md");
        assert_eq!(r.links[0].anchor.as_deref(), Some("申请"));
        assert_eq!(
            &body[r.links[0].span.clone()],
            "[补贴](../policies/guardian-subsidy.md#%E7%94%B3%E8%AF%B7)"
        );
        assert_eq!(r.links[1].target, "");
        assert!(
            r.html.contains(&format!("href=\"{LINK_PLACEHOLDER}0\"")),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"https://example.org/a.md\""));
        assert!(r.html.contains("src=\"poster.svg\""));
    }

    #[test]
    fn finds_images_without_alt_text() {
        let r = render("![](a.png)\n\n![海报](b.svg)\n\n![ ](c.png)\n");
        assert_eq!(r.images_without_alt.len(), 2);
        assert_eq!(r.images_without_alt[0], 0..10);
    }

    #[test]
    fn renders_the_commonmark_extensions() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~旧~~\n\n- [x] 完成\n\n注[^1]\n\n[^1]: 脚注\n",
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>旧</del>"));
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(r.html.contains("footnote"));
    }

    #[test]
    fn counts_han_characters_and_latin_words_separately() {
        let (mut han, mut latin) = (0, 0);
        count_words(
            "心理援助热线 12356 is open 24/7, it's free.",
            &mut han,
            &mut latin,
        );
        assert_eq!(han, 6);
        assert_eq!(latin, 7); // 12356 is open 24 7 it's free
        assert_eq!(reading_time(600, 0), 2);
        assert_eq!(reading_time(300, 200), 2);
        assert_eq!(reading_time(1, 0), 1);
        assert_eq!(reading_time(0, 0), 0);
    }
}
