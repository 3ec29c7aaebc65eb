//! Fingerprints of what each page value and each output is made from: the
//! incremental engine renders an output again exactly when its fingerprint,
//! or that of a document its template asked for by name, changed.

use super::{Job, listed_pages, pager_count};
use crate::content::resolve::Resolved;
use crate::fingerprint;
use std::collections::HashMap;

/// Hashes of the inputs of every page value and section value: when a hash is
/// unchanged, so is the value, and every output made from it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fingerprints {
    pub pages: Vec<u64>,
    /// A section's own value (without its pages).
    pub sections: Vec<u64>,
    /// A section's value with its pages, as `get_section` returns it.
    pub sections_with_pages: Vec<u64>,
    pub menu: u64,
    /// Fingerprints by relative path, for recorded dependencies.
    pub by_rel: HashMap<String, u64>,
    /// Each section's own fingerprint and its pages' in order, by relative
    /// path, for dependencies on the first pages of a section.
    pub listings: HashMap<String, (u64, Vec<u64>)>,
    /// The event pages and the day, for `get_events`.
    pub events: u64,
}

impl Fingerprints {
    pub fn of(site: &Resolved, assets: u64) -> Fingerprints {
        let pages: Vec<u64> = (0..site.pages.len())
            .map(|i| page_print(site, i, assets))
            .collect();
        let sections: Vec<u64> = (0..site.sections.len())
            .map(|i| section_print(site, i))
            .collect();
        // Every output shows the menu, and its language switcher goes to
        // the counterpart of a tags list or a data page where the other
        // language has one: which languages have tags and data pages counts
        // with the menu.
        let menus: Vec<Vec<(&String, &String)>> = site
            .menus
            .iter()
            .map(|menu| menu.iter().map(|m| (&m.title, &m.path)).collect())
            .collect();
        let term_lists = site.taxonomy_lists();
        let data_languages: Vec<Option<usize>> = (0..site.roots.len())
            .map(|l| super::data_section(site, l))
            .collect();
        let menu = fingerprint::of(&(menus, term_lists, data_languages));
        let mut prints = Fingerprints {
            sections_with_pages: vec![0; sections.len()],
            pages,
            sections,
            menu,
            by_rel: HashMap::with_capacity(site.pages.len() + site.sections.len()),
            listings: HashMap::with_capacity(site.sections.len()),
            events: 0,
        };
        prints.refresh_events(site);
        for (i, p) in site.pages.iter().enumerate() {
            prints
                .by_rel
                .insert(format!("page:{}", p.doc.rel), prints.pages[i]);
        }
        for i in 0..site.sections.len() {
            prints.refresh_listing(site, i);
        }
        prints
    }

    /// Updates the fingerprints after pages and sections changed in place
    /// (same URLs, titles, order: the incremental engine's quick path).
    pub fn refresh(&mut self, site: &Resolved, pages: &[usize], sections: &[usize], assets: u64) {
        let mut listings: Vec<usize> = sections.to_vec();
        for &i in pages {
            self.pages[i] = page_print(site, i, assets);
            self.by_rel
                .insert(format!("page:{}", site.pages[i].doc.rel), self.pages[i]);
            listings.push(site.page_section[i]);
        }
        for &s in sections {
            self.sections[s] = section_print(site, s);
        }
        listings.sort_unstable();
        listings.dedup();
        for s in listings {
            self.refresh_listing(site, s);
        }
        self.refresh_events(site);
    }

    fn refresh_events(&mut self, site: &Resolved) {
        let events: Vec<u64> = (0..site.pages.len())
            .filter(|&i| site.pages[i].event.is_some())
            .map(|i| self.pages[i])
            .collect();
        self.events = fingerprint::of(&(crate::content::date::Date::today().days(), events));
    }

    fn refresh_listing(&mut self, site: &Resolved, section: usize) {
        let listed: Vec<u64> = site.section_pages[section]
            .iter()
            .map(|&p| self.pages[p])
            .collect();
        self.sections_with_pages[section] = fingerprint::of(&(self.sections[section], &listed));
        let rel = &site.sections[section].doc.rel;
        self.by_rel
            .insert(format!("section:{rel}"), self.sections_with_pages[section]);
        self.listings
            .insert(rel.clone(), (self.sections[section], listed));
    }

    /// Everything `job` reads but what its template asks for by name.
    pub fn of_job(&self, site: &Resolved, job: Job, template: &str) -> u64 {
        match job {
            Job::Page(i) => fingerprint::of(&(template, self.menu, self.pages[i])),
            Job::Section(i, k) => {
                let listed: Vec<u64> = listed_pages(site, i, k)
                    .iter()
                    .map(|&p| self.pages[p])
                    .collect();
                fingerprint::of(&(
                    template,
                    self.menu,
                    self.sections[i],
                    k,
                    pager_count(site, i),
                    listed,
                ))
            }
            Job::TagList(lang, taxonomy) => {
                let terms: Vec<(&str, &str, usize)> = site
                    .tags
                    .iter()
                    .filter(|t| t.lang == lang && t.taxonomy == taxonomy)
                    .map(|t| (t.name.as_str(), t.slug.as_str(), t.pages.len()))
                    .collect();
                fingerprint::of(&(template, self.menu, terms))
            }
            Job::Tag(t, k) => {
                let term = &site.tags[t];
                let listed: Vec<u64> = term.listed(k).iter().map(|&p| self.pages[p]).collect();
                let shape = (k, term.pager_count(), term.pages.len());
                fingerprint::of(&(template, self.menu, &term.name, &term.slug, shape, listed))
            }
            Job::NotFound | Job::Search(_) => fingerprint::of(&(template, self.menu, job)),
            Job::AllPages(lang) => {
                let listed: Vec<(&crate::localized::Localized, &str)> = site
                    .pages
                    .iter()
                    .map(|p| &p.doc)
                    .chain(site.sections.iter().map(|s| &s.doc))
                    .filter(|d| d.lang == lang)
                    .map(|d| (&d.title, d.path.as_str()))
                    .collect();
                fingerprint::of(&(template, self.menu, &site.section_pages, listed))
            }
            // The figures themselves change only with data/, which renders
            // every output again; the data section's title shows in breadcrumbs.
            Job::DataIndicator(_, lang) | Job::DataArea(_, lang) => {
                let section = super::data_section(site, lang).map(|i| self.sections[i]);
                fingerprint::of(&(template, self.menu, section))
            }
        }
    }

    /// The recorded dependencies of an output, as they are now. A document
    /// that no longer exists hashes differently from any that does.
    pub fn of_dependencies(&self, dependencies: &[String]) -> u64 {
        let hashes: Vec<Option<u64>> = dependencies.iter().map(|d| self.of_dependency(d)).collect();
        fingerprint::of(&hashes)
    }

    fn of_dependency(&self, key: &str) -> Option<u64> {
        if key == "events:" {
            return Some(self.events);
        }
        if let Some(head) = key.strip_prefix("section-head:") {
            let (n, rel) = head.split_once(':')?;
            let n: usize = n.parse().ok()?;
            let (section, pages) = self.listings.get(rel)?;
            return Some(fingerprint::of(&(section, &pages[..n.min(pages.len())])));
        }
        self.by_rel.get(key).copied()
    }
}

fn doc_hash(d: &crate::content::Document) -> (u64, u64) {
    (d.source_hash, d.content_hash)
}

/// Breadcrumbs and `ancestors` show each section above by title, address
/// and path only.
fn chain(site: &Resolved, mut section: Option<usize>) -> Vec<u64> {
    let mut hashes = Vec::new();
    while let Some(s) = section {
        let d = &site.sections[s].doc;
        hashes.push(fingerprint::of(&(&d.title, &d.path, &d.rel)));
        section = site.section_parent[s];
    }
    hashes
}

/// Everything a page's value is made from.
fn page_print(site: &Resolved, i: usize, assets: u64) -> u64 {
    let siblings = &site.section_pages[site.page_section[i]];
    let at = site.position_in_section(i);
    // A neighbour shows only its title and address (page.lower/higher).
    let neighbour = |p: Option<usize>| {
        p.and_then(|p| siblings.get(p)).map(|&n| {
            let d = &site.pages[n].doc;
            fingerprint::of(&(&d.title, &d.path))
        })
    };
    let bundle_assets = site.pages[i].bundle_dir.as_ref().map(|_| assets);
    fingerprint::of(&(
        doc_hash(&site.pages[i].doc),
        chain(site, Some(site.page_section[i])),
        neighbour(at.and_then(|a| a.checked_sub(1))),
        neighbour(at.map(|a| a + 1)),
        bundle_assets,
        translations_print(site, &site.pages[i].doc),
    ))
}

/// The language versions a document links to (their titles and addresses).
fn translations_print(site: &Resolved, doc: &crate::content::Document) -> u64 {
    let versions: Vec<_> = site
        .translations_of(doc)
        .iter()
        .map(|&at| {
            let d = site.doc(at);
            (&d.title, &d.path)
        })
        .collect();
    fingerprint::of(&versions)
}

/// Everything a section's own value (without its pages) is made from.
fn section_print(site: &Resolved, i: usize) -> u64 {
    let subsections: Vec<&str> = site.subsections[i]
        .iter()
        .map(|&s| site.sections[s].doc.rel.as_str())
        .collect();
    fingerprint::of(&(
        doc_hash(&site.sections[i].doc),
        chain(site, site.section_parent[i]),
        subsections,
        translations_print(site, &site.sections[i].doc),
    ))
}
