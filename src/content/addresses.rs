//! The addresses a site's outputs take besides its pages' own: pager pages
//! and aliases, and the check that no two outputs claim one address.

use super::resolve::translation_key;
use super::taxonomy::{Term, taxonomy_path};
use super::{Document, Page, Section};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use std::collections::HashMap;

/// Pagination pages live at `<section>/page/N/`.
pub fn pager_path(section_path: &str, index: usize) -> String {
    if index <= 1 {
        section_path.to_string()
    } else {
        format!("{section_path}page/{index}/")
    }
}

pub fn check_unique_urls(
    pages: &[Page],
    sections: &[Section],
    tags: &[Term],
    section_pages: &[Vec<usize>],
    config: &Config,
) -> Vec<Diagnostic> {
    let mut owners: HashMap<String, String> = HashMap::new();
    let mut errors = Vec::new();
    let mut claim = |path: String, owner: String, at: Diagnostic| {
        if let Some(first) = owners.get(&path) {
            // `x.md` and `x.en.md` on a site whose default language is en:
            // both are the default language's version.
            let key = |owner: &str| {
                let rel = owner.replace('\\', "/");
                let rel = rel.strip_prefix("content/")?.to_string();
                Some(translation_key(&rel, config))
            };
            let hint = match (key(first), key(&owner)) {
                (Some(a), Some(b)) if a == b => format!(
                    "a file without a language in its name is in the default language ({}): \
                     give the other file its language, e.g. x.{}.md, or remove one",
                    config.default_language,
                    config.languages.get(1).map_or("en", String::as_str)
                ),
                _ => "rename one of the files, or give one a different `slug`".to_string(),
            };
            errors.push(
                Diagnostic {
                    message: format!("two outputs have the URL {path}: {first} and {owner}"),
                    ..at
                }
                .with_hint(hint),
            );
        } else {
            owners.insert(path, owner);
        }
    };
    let file_only = |doc: &Document| Diagnostic::error("").in_file(&doc.file);
    for (i, s) in sections.iter().enumerate() {
        claim(
            s.doc.path.clone(),
            s.doc.file.display().to_string(),
            file_only(&s.doc),
        );
        if let Some(n) = s.paginate_by {
            let pagers = section_pages[i].len().div_ceil(n).max(1);
            for k in 2..=pagers {
                claim(
                    pager_path(&s.doc.path, k),
                    format!("page {k} of {}", s.doc.file.display()),
                    file_only(&s.doc),
                );
            }
        }
    }
    for p in pages {
        claim(
            p.doc.path.clone(),
            p.doc.file.display().to_string(),
            file_only(&p.doc),
        );
    }
    let mut lists: Vec<(usize, usize)> = tags.iter().map(|t| (t.lang, t.taxonomy)).collect();
    lists.dedup();
    for (lang, taxonomy) in lists {
        claim(
            taxonomy_path(config, lang, taxonomy),
            format!("the list of {}", config.taxonomies[taxonomy].name),
            Diagnostic::error(""),
        );
    }
    {
        for t in tags {
            for k in 1..=t.pager_count() {
                claim(
                    pager_path(&t.path, k),
                    format!(
                        "the {} term “{}”",
                        config.taxonomies[t.taxonomy].name, t.name
                    ),
                    Diagnostic::error(""),
                );
            }
        }
    }
    for doc in pages
        .iter()
        .map(|p| &p.doc)
        .chain(sections.iter().map(|s| &s.doc))
    {
        for alias in &doc.aliases {
            let path = normalize_alias(&alias.value);
            claim(
                path,
                format!("an alias in {}", doc.file.display()),
                alias.at.clone(),
            );
        }
    }
    errors
}

/// Why `alias` cannot be an address of this site, if it cannot: it must be
/// a path inside the site, since its redirect page is written there.
pub fn alias_problem(alias: &str) -> Option<&'static str> {
    let path = alias.trim();
    if path.contains("://") || path.starts_with("//") {
        return Some("an alias is an old address on this site, not a link to another one");
    }
    if path.chars().any(|c| c == '\\' || c.is_control()) {
        return Some("an alias may not hold a backslash or a control character");
    }
    if path.contains(['?', '#']) {
        return Some("an alias is a path: it may not hold `?` or `#`");
    }
    let inner = path.trim_matches('/');
    if !inner.is_empty()
        && inner
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return Some(
            "an alias may not hold `.` or `..` parts or an empty part: it would point outside the site",
        );
    }
    None
}

/// `old/path` and `/old/path/index.html` both mean `/old/path/`.
pub fn normalize_alias(alias: &str) -> String {
    let trimmed = alias.trim().trim_start_matches('/');
    let trimmed = trimmed.strip_suffix("index.html").unwrap_or(trimmed);
    if trimmed.is_empty() {
        return "/".into();
    }
    if trimmed.ends_with(".html") || trimmed.ends_with('/') {
        format!("/{trimmed}")
    } else {
        format!("/{trimmed}/")
    }
}
