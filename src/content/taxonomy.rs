//! Taxonomies: `tags` and those a site declares (`categories`), their
//! terms per language, and the addresses of their lists and term pages.

use super::Page;
use super::slug::slugify;
use crate::config::Config;
use std::collections::{BTreeMap, HashSet};

/// The list of a taxonomy's terms in language `lang`: `/tags/`,
/// `/en/categories/`.
pub fn taxonomy_path(config: &Config, lang: usize, taxonomy: usize) -> String {
    let name = config
        .taxonomies
        .get(taxonomy)
        .map_or(crate::config::TAGS, |t| t.name.as_str());
    super::load::language_path(config, lang, format!("/{name}/"))
}

/// Pages listed on one page of a tag, as Hugo does by default: a tag on a
/// large site lists hundreds of pages, too many for one page on a phone.
pub const TAG_PAGINATE_BY: usize = 20;

impl Term {
    pub fn pager_count(&self) -> usize {
        self.pages.len().div_ceil(TAG_PAGINATE_BY).max(1)
    }

    /// The pages on listing page `pager` (1-based) of this tag.
    pub fn listed(&self, pager: usize) -> &[usize] {
        let start = ((pager - 1) * TAG_PAGINATE_BY).min(self.pages.len());
        &self.pages[start..(start + TAG_PAGINATE_BY).min(self.pages.len())]
    }
}

#[derive(Debug, Clone)]
pub struct Term {
    /// Tags are per language: `/tags/心理健康/` and `/en/tags/mental-health/`.
    pub lang: usize,
    /// Index into `Config::taxonomies`: 0 is `tags`.
    pub taxonomy: usize,
    pub name: String,
    pub slug: String,
    pub path: String,
    /// Page indices, newest first.
    pub pages: Vec<usize>,
}

/// The terms of every taxonomy, by language, then taxonomy, then slug.
pub fn collect_tags(pages: &[Page], config: &Config) -> Vec<Term> {
    let mut terms: BTreeMap<(usize, usize, String), Term> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        let lang = p.doc.lang;
        let written = std::iter::once((0, &p.tags)).chain(p.terms.iter().map(|(t, v)| (*t, v)));
        for (taxonomy, names) in written {
            let mut seen = HashSet::new();
            for name in names {
                let slug = slugify(name);
                if slug.is_empty() || !seen.insert(slug.clone()) {
                    continue;
                }
                terms
                    .entry((lang, taxonomy, slug.clone()))
                    .or_insert_with(|| Term {
                        lang,
                        taxonomy,
                        name: name.trim().to_string(),
                        path: format!("{}{slug}/", taxonomy_path(config, lang, taxonomy)),
                        slug,
                        pages: Vec::new(),
                    })
                    .pages
                    .push(i);
            }
        }
    }
    let mut terms: Vec<Term> = terms.into_values().collect();
    for t in &mut terms {
        t.pages.sort_by(|&a, &b| {
            pages[b]
                .date
                .cmp(&pages[a].date)
                .then_with(|| pages[a].doc.rel.cmp(&pages[b].doc.rel))
        });
    }
    terms
}
