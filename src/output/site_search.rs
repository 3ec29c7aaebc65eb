//! What the site gives its search index, one index per language: every page
//! and section (title, headings, description, tags, text), each hotline of
//! the directory, each indicator of the data pages. A language indexes only
//! what its own site shows: the English index has the hotlines only when
//! the English site has a hotline directory (`hotlines/_index.en.md`), so a
//! result never leads to a page in a language its reader did not ask for.

use crate::config::Config;
use crate::content::Document;
use crate::content::markdown::Heading;
use crate::content::resolve::Resolved;
use crate::data::Data;
use crate::output::OutputFile;
use crate::render::{HOTLINES_DIR, data_section, in_language, indicators};
use crate::search::{Entry, EntryKind, build_index_with};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// The output folder of a language's index: `search/zh-CN`.
pub fn index_dir(config: &Config, lang: usize) -> String {
    format!("search/{}", config.language(lang))
}

/// The site path of the search page of a language: `/search/`, `/en/search/`.
pub fn search_page_path(site: &Resolved, lang: usize) -> String {
    in_language(site, lang, "/search/")
}

/// The site path of the list of all pages of a language (what the search
/// page links to when it cannot run): `/sitemap/`, `/en/sitemap/`.
pub fn all_pages_path(site: &Resolved, lang: usize) -> String {
    in_language(site, lang, "/sitemap/")
}

/// Every language's index files.
pub fn index_files(site: &Resolved, data: &Data, config: &Config) -> Vec<OutputFile> {
    (0..config.languages.len())
        .into_par_iter()
        .flat_map_iter(|lang| language_index(site, data, config, lang))
        .collect()
}

/// One language's index files.
pub fn language_index(
    site: &Resolved,
    data: &Data,
    config: &Config,
    lang: usize,
) -> Vec<OutputFile> {
    let sources = sources(site, data, lang);
    let entry = |i: usize| entry(site, data, config, lang, sources[i]);
    build_index_with(sources.len(), entry, &index_dir(config, lang))
}

/// The entries of the indexes as `serve` last made them, so that after an
/// edit only the documents that changed are turned into text again.
#[derive(Default)]
pub struct EntryCache {
    /// By language, then by source (`page:news/a.md`, `hotline:3`): the
    /// fingerprint of what the entry was made from, and the entry.
    by_language: Vec<HashMap<String, (u64, Arc<Entry>)>>,
}

impl EntryCache {
    /// The entries of one language's index, in the index's order; those of
    /// unchanged documents are the ones made last time.
    pub fn entries(
        &mut self,
        site: &Resolved,
        data: &Data,
        config: &Config,
        lang: usize,
    ) -> Vec<Arc<Entry>> {
        if self.by_language.len() <= lang {
            self.by_language.resize_with(lang + 1, HashMap::new);
        }
        let cache = &self.by_language[lang];
        let made: Vec<(Option<SourcePrint>, Arc<Entry>)> = sources(site, data, lang)
            .into_par_iter()
            .map(|source| {
                let print = source_print(site, source);
                let cached = print
                    .as_ref()
                    .and_then(|(key, print)| cache.get(key).filter(|(old, _)| old == print));
                let entry = match cached {
                    Some((_, entry)) => Arc::clone(entry),
                    None => Arc::new(entry(site, data, config, lang, source)),
                };
                (print, entry)
            })
            .collect();
        let mut fresh = HashMap::with_capacity(made.len());
        let mut entries = Vec::with_capacity(made.len());
        for (print, entry) in made {
            if let Some((key, print)) = print {
                fresh.insert(key, (print, Arc::clone(&entry)));
            }
            entries.push(entry);
        }
        self.by_language[lang] = fresh;
        entries
    }
}

/// The key of the document an entry is made from (`page:news/a.md`) and a
/// fingerprint of all it is made from.
type SourcePrint = (String, u64);

/// The [`SourcePrint`] of a source; `None` for hotlines and indicators,
/// which are few and cheap, and are made again each time.
fn source_print(site: &Resolved, source: Source) -> Option<SourcePrint> {
    let doc_print = |doc: &Document, tags: &[String]| {
        crate::fingerprint::of(&(
            &doc.path,
            &doc.title,
            &doc.description,
            doc.content_hash,
            tags,
        ))
    };
    match source {
        Source::Page(i) => {
            let p = &site.pages[i];
            Some((format!("page:{}", p.doc.rel), doc_print(&p.doc, &p.tags)))
        }
        Source::Section(i) => {
            let doc = &site.sections[i].doc;
            Some((format!("section:{}", doc.rel), doc_print(doc, &[])))
        }
        Source::Hotline(..) | Source::Indicator(_) => None,
    }
}

/// What an entry of the index is made from.
#[derive(Debug, Clone, Copy)]
enum Source<'a> {
    Page(usize),
    Section(usize),
    /// A hotline, and the path of the directory that shows it.
    Hotline(usize, &'a str),
    Indicator(usize),
}

/// Every entry of a language's index, in a stable order: pages, sections,
/// hotlines, indicators. The text of each is made only when the index asks
/// for it.
fn sources<'a>(site: &'a Resolved, data: &Data, lang: usize) -> Vec<Source<'a>> {
    let mut sources: Vec<Source> = (0..site.pages.len())
        .filter(|&i| site.pages[i].doc.lang == lang)
        .map(Source::Page)
        .collect();
    sources.extend(
        (0..site.sections.len())
            .filter(|&i| site.sections[i].doc.lang == lang)
            .map(Source::Section),
    );
    let directory = site
        .sections
        .iter()
        .find(|s| s.dir == HOTLINES_DIR && s.doc.lang == lang);
    if let Some(directory) = directory {
        let path = directory.doc.path.as_str();
        sources.extend((0..data.hotlines.len()).map(|h| Source::Hotline(h, path)));
    }
    if let (Some(d), Some(_)) = (&data.indicators, data_section(site, lang)) {
        sources.extend((0..d.definitions.indicators.len()).map(Source::Indicator));
    }
    sources
}

fn entry(site: &Resolved, data: &Data, config: &Config, lang: usize, source: Source) -> Entry {
    let code = config.language(lang);
    let default = &config.default_language;
    let document = |doc: &Document, tags: &[String]| {
        let mut headings = Vec::new();
        flatten_headings(&doc.body.toc, &mut headings);
        Entry {
            url: doc.path.clone(),
            kind: EntryKind::Page,
            title: doc.title.get(code, default).to_string(),
            description: doc.description.clone().unwrap_or_default(),
            headings,
            tags: tags.to_vec(),
            body: crate::html::text_of(&doc.content),
        }
    };
    match source {
        Source::Page(i) => document(&site.pages[i].doc, &site.pages[i].tags),
        Source::Section(i) => document(&site.sections[i].doc, &[]),
        Source::Hotline(i, directory) => {
            let h = &data.hotlines[i];
            let area = data.areas.name(&h.area, code, default);
            let mut body = vec![h.display.clone(), h.digits.clone(), area];
            body.extend(h.services.iter().cloned());
            body.extend(h.organization.iter().cloned());
            Entry {
                url: format!("{directory}#{}", hotline_anchor(&h.digits)),
                kind: EntryKind::Hotline,
                title: h.name.get(code, default).to_string(),
                description: h.number.clone(),
                headings: Vec::new(),
                tags: h.services.clone(),
                body: body.join(" "),
            }
        }
        Source::Indicator(i) => {
            let Some(d) = &data.indicators else {
                return Entry::default();
            };
            let ind = &d.definitions.indicators[i];
            let text = |x: &Option<crate::localized::Localized>| {
                x.as_ref().map(|x| x.get(code, default).to_string())
            };
            let body = [text(&ind.definition), text(&ind.source)]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            Entry {
                url: in_language(site, lang, &indicators::indicator_path(&ind.id)),
                kind: EntryKind::Indicator,
                title: ind.name.get(code, default).to_string(),
                description: String::new(),
                headings: Vec::new(),
                tags: Vec::new(),
                body,
            }
        }
    }
}

/// The fragment of a hotline's card in the directory: `hotline-12356`.
pub fn hotline_anchor(digits: &str) -> String {
    format!("hotline-{digits}")
}

fn flatten_headings(toc: &[Heading], out: &mut Vec<String>) {
    for h in toc {
        out.push(h.title.clone());
        flatten_headings(&h.children, out);
    }
}
