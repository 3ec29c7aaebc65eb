//! Links between documents: each `[text](other.md#heading)` is checked
//! against the documents and their heading ids, then its placeholder in the
//! HTML is filled with the target's address; shortcode outputs go in at the
//! same time. A document is refilled only when what it was filled with changed.

use super::Document;
use super::markdown::{Heading, LINK_PLACEHOLDER, SUMMARY_MARKER};
use super::resolve::Shortcodes;
use super::shortcodes::Rendered;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, closest};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// What a link may point at: a document's address and heading ids.
pub struct Target {
    permalink: String,
    anchors: HashSet<String>,
}

impl Target {
    pub fn of(doc: &Document, config: &Config) -> Target {
        Target {
            permalink: config.permalink(&doc.path),
            anchors: doc.body.anchors.iter().cloned().collect(),
        }
    }
}

/// The documents `doc` links to, as paths inside content/ (`None` for a
/// link that leaves content/).
pub fn link_targets(doc: &Document) -> Vec<Option<String>> {
    doc.body
        .links
        .iter()
        .map(|link| link_rel(doc, link))
        .collect()
}

fn link_rel(doc: &Document, link: &super::markdown::InternalLink) -> Option<String> {
    let base_dir = doc.rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    if link.target.is_empty() {
        Some(doc.rel.clone())
    } else if let Some(from_root) = link.target.strip_prefix("@/") {
        normalize(from_root, "")
    } else {
        normalize(&link.target, base_dir)
    }
}

/// Fills one document's links from `targets` (which must hold every document
/// it links to), for a document edited in place. Errors mean the caller
/// should resolve the whole site instead, which explains them fully.
pub fn finish_alone(
    doc: &mut Document,
    targets: &HashMap<String, Target>,
    config: &Config,
    shortcodes: &Shortcodes,
) -> Vec<Diagnostic> {
    finish_document(
        doc,
        targets,
        &HashSet::new(),
        &HashSet::new(),
        config,
        shortcodes,
    )
}

/// Fills internal links with their targets' URLs, cuts the summary, and
/// gives the table of contents its permalinks.
pub(super) fn finish_document(
    doc: &mut Document,
    targets: &HashMap<String, Target>,
    left_out: &HashSet<String>,
    unparsed: &HashSet<String>,
    config: &Config,
    shortcodes: &Shortcodes,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let own_permalink = config.permalink(&doc.path);
    let mut urls = Vec::with_capacity(doc.body.links.len());
    for (link, site) in doc.body.links.iter().zip(&doc.link_sites) {
        let rel = link_rel(doc, link);
        match resolve_link(rel.as_deref(), link.anchor.as_deref(), targets, left_out) {
            Ok(url) => urls.push(url),
            // The target's own parse error says what is wrong.
            Err(_) if rel.as_ref().is_some_and(|r| unparsed.contains(r)) => urls.push("#".into()),
            Err((message, hint)) => {
                let untranslated = rel
                    .as_deref()
                    .and_then(|r| missing_translation(r, targets, config));
                let hint = hint.or(untranslated).unwrap_or_else(|| match rel.as_deref().and_then(|r| {
                    closest(r, targets.keys().map(String::as_str))
                }) {
                    Some(near) => format!(
                        "links are relative to this file's folder; did you mean content/{near}?"
                    ),
                    None => "links are relative to this file's folder, e.g. ../policies/guardian-subsidy.md".into(),
                });
                errors.push(
                    Diagnostic {
                        message: format!("{message} (link `{}`)", link_text(link)),
                        ..site.clone()
                    }
                    .with_hint(hint),
                );
                urls.push(String::from("#"));
            }
        }
    }
    let mut rendered = Vec::with_capacity(doc.body.shortcodes.len());
    for (call, site) in doc.body.shortcodes.iter().zip(&doc.shortcode_sites) {
        match shortcodes(doc, call) {
            Ok(html) => rendered.push(html),
            Err((message, hint)) => {
                errors.push(
                    Diagnostic {
                        message,
                        ..site.clone()
                    }
                    .with_hint(hint),
                );
                rendered.push(Rendered::default());
            }
        }
    }
    // An incremental rebuild keeps the filled HTML when every link still
    // points where it did and every shortcode gives what it gave: only a
    // moved target or changed data costs a refill.
    if doc.filled_urls.as_ref() != Some(&urls) || doc.filled_shortcodes.as_ref() != Some(&rendered)
    {
        let filled = if urls.is_empty() {
            doc.body.html.clone()
        } else {
            fill_placeholders(&doc.body.html, &urls)
        };
        let html: Vec<String> = rendered.iter().map(|r| r.html.clone()).collect();
        let mut content = super::shortcodes::substitute(filled, &html);
        let mut notes: Vec<&str> = Vec::new();
        for note in rendered.iter().filter_map(|r| r.note.as_deref()) {
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
        for note in notes {
            content.push('\n');
            content.push_str(note);
        }
        // Exactly its length: the string was built with room to spare.
        doc.content = Arc::from(content);
        doc.filled_shortcodes = Some(rendered);
        doc.summary = doc
            .content
            .find(SUMMARY_MARKER)
            .map(|at| doc.content[..at].trim_end().to_string());
        doc.content_hash = crate::fingerprint::of(&doc.content);
        doc.filled_urls = Some(urls);
    }
    set_toc_permalinks(
        std::sync::Arc::make_mut(&mut doc.body.toc).as_mut_slice(),
        &own_permalink,
    );
    errors
}

fn link_text(link: &super::markdown::InternalLink) -> String {
    match &link.anchor {
        Some(a) => format!("{}#{a}", link.target),
        None => link.target.clone(),
    }
}

/// The hint for a link to a translation that was never written
/// (`subsidy.en.md` where only `subsidy.md` exists).
fn missing_translation(
    rel: &str,
    targets: &HashMap<String, Target>,
    config: &Config,
) -> Option<String> {
    let (original, lang) = super::resolve::translation_key_and_language(rel, config);
    if original == rel || !targets.contains_key(&original) {
        return None;
    }
    Some(format!(
        "content/{original} has no {} translation: write content/{rel}, or link to content/{original} instead",
        config.language(lang)
    ))
}

fn resolve_link(
    rel: Option<&str>,
    anchor: Option<&str>,
    targets: &HashMap<String, Target>,
    left_out: &HashSet<String>,
) -> Result<String, (String, Option<String>)> {
    let Some(rel) = rel else {
        return Err(("this link goes above the content/ folder".into(), None));
    };
    if left_out.contains(rel) {
        return Err((
            format!("content/{rel} is a draft, so this link would be broken"),
            Some("publish it (draft = false), remove the link, or preview with --drafts".into()),
        ));
    }
    let Some(target) = targets.get(rel) else {
        return Err((format!("content/{rel} does not exist"), None));
    };
    match anchor {
        None => Ok(target.permalink.clone()),
        Some(a) if target.anchors.contains(a) => Ok(format!("{}#{a}", target.permalink)),
        Some(a) => {
            let mut known: Vec<&str> = target.anchors.iter().map(String::as_str).collect();
            known.sort_unstable();
            let hint = match closest(a, known.iter().copied()) {
                Some(near) => format!("did you mean #{near}?"),
                None if known.is_empty() => "that page has no headings".into(),
                None => format!("its headings are: #{}", known.join(", #")),
            };
            Err((
                format!("content/{rel} has no heading with the id `{a}`"),
                Some(hint),
            ))
        }
    }
}

/// `../b.md` seen from `news` is `b.md`; `None` when it leaves `content/`.
fn normalize(target: &str, base_dir: &str) -> Option<String> {
    let mut parts: Vec<&str> = base_dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

fn fill_placeholders(html: &str, urls: &[String]) -> String {
    let mut out = String::with_capacity(html.len() + urls.len() * 32);
    let mut rest = html;
    while let Some(at) = rest.find(LINK_PLACEHOLDER) {
        out.push_str(&rest[..at]);
        let after = &rest[at + LINK_PLACEHOLDER.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        match after[..digits]
            .parse::<usize>()
            .ok()
            .and_then(|i| urls.get(i))
        {
            Some(url) => crate::html::push_escaped(&mut out, url),
            None => out.push_str(&rest[at..at + LINK_PLACEHOLDER.len() + digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

fn set_toc_permalinks(toc: &mut [Heading], page_permalink: &str) {
    for h in toc {
        h.permalink = format!("{page_permalink}#{}", h.id);
        set_toc_permalinks(&mut h.children, page_permalink);
    }
}
