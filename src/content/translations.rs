//! Which documents are translations of one another: the key every language
//! version of a file shares (`a.md` for `a.en.md`), and the groups of them.

use super::resolve::DocRef;
use super::{Page, Section};
use crate::config::Config;
use std::collections::HashMap;

/// The file name every language version of a document shares: `a.md` for
/// `a.en.md`, `x/_index.md` for `x/_index.en.md`.
pub fn translation_key(rel: &str, config: &Config) -> String {
    translation_key_and_language(rel, config).0
}

/// [`translation_key`] and the language the file is in.
pub fn translation_key_and_language(rel: &str, config: &Config) -> (String, usize) {
    let (dir, name) = match rel.rsplit_once('/') {
        Some((d, n)) => (Some(d), n),
        None => (None, rel),
    };
    let whole = name.trim_end_matches(".md");
    let (stem, lang) = config.split_language(whole);
    let key = match dir {
        _ if stem.len() == whole.len() => rel.to_string(),
        Some(d) => format!("{d}/{stem}.md"),
        None => format!("{stem}.md"),
    };
    (key, lang)
}

/// Pages and sections that exist in more than one language, grouped by
/// their translation key. A single-language site has none, and pays nothing.
pub fn translation_groups(
    pages: &[Page],
    sections: &[Section],
    config: &Config,
) -> HashMap<String, Vec<DocRef>> {
    let mut groups: HashMap<String, Vec<DocRef>> = HashMap::new();
    if config.languages.len() < 2 {
        return groups;
    }
    let docs = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (&p.doc, DocRef::Page(i)))
        .chain(
            sections
                .iter()
                .enumerate()
                .map(|(i, s)| (&s.doc, DocRef::Section(i))),
        );
    for (doc, at) in docs {
        groups
            .entry(translation_key(&doc.rel, config))
            .or_default()
            .push(at);
    }
    let doc = |at: DocRef| match at {
        DocRef::Page(i) => &pages[i].doc,
        DocRef::Section(i) => &sections[i].doc,
    };
    let mut by_version = HashMap::new();
    for (_, mut versions) in groups.into_iter().filter(|(_, v)| v.len() > 1) {
        versions.sort_by_key(|&at| doc(at).lang);
        for &at in &versions {
            by_version.insert(doc(at).rel.clone(), versions.clone());
        }
    }
    by_version
}
