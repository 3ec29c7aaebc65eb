//! The resolve stage for content: attach pages to sections, sort listings,
//! collect tags, turn internal links into URLs (a missing page or heading is
//! an error at the link), check that no two outputs share a URL, and place
//! assets. Pure: it reads nothing from disk.

use super::front_matter::SortBy;
use super::shortcodes::{Rendered, ShortcodeCall};
use super::{Content, Document, Page, Section};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::addresses::check_unique_urls;
pub use super::addresses::{alias_problem, normalize_alias, pager_path};
use super::assets::place_assets;
use super::taxonomy::collect_tags;
pub use super::taxonomy::{TAG_PAGINATE_BY, Term, taxonomy_path};
use super::translations::translation_groups;
pub use super::translations::{translation_key, translation_key_and_language};

#[derive(Debug, Clone)]
pub struct MenuItem {
    pub title: String,
    pub path: String,
}

/// The content once every cross-reference is known.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    /// For each section, its own pages in the section's order.
    pub section_pages: Vec<Vec<usize>>,
    /// For each section, its direct subsections by weight, then title.
    pub subsections: Vec<Vec<usize>>,
    pub section_parent: Vec<Option<usize>>,
    pub page_section: Vec<usize>,
    /// Each page's place in its section's order (`section_pages`), so that
    /// finding its neighbours does not search a section of thousands.
    pub page_position: Vec<usize>,
    /// The home section of each language, by language index
    /// (`content/_index.md`, `content/_index.en.md`, or one made up).
    pub roots: Vec<usize>,
    /// The terms of every taxonomy, by language, then taxonomy, then name.
    pub tags: Vec<Term>,
    /// The taxonomies' names (`Config::taxonomies`), so that an output's
    /// address is known from the resolved site alone.
    pub taxonomy_names: Vec<String>,
    /// Output path (inside the site) and source of every asset.
    pub assets: Vec<(String, PathBuf)>,
    /// The header navigation of each language, by language index.
    pub menus: Vec<Vec<MenuItem>>,
    /// Whether the site has a search page and index (`build_search_index`).
    pub search: bool,
    /// Documents written in more than one language, by the relative path of
    /// each version: every language's version in language order.
    pub translations: HashMap<String, Vec<DocRef>>,
}

/// A page or a section of [`Resolved`], by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocRef {
    Page(usize),
    Section(usize),
}

impl Resolved {
    pub fn doc(&self, at: DocRef) -> &Document {
        match at {
            DocRef::Page(i) => &self.pages[i].doc,
            DocRef::Section(i) => &self.sections[i].doc,
        }
    }

    /// Where page `i` is in its section's order: the stored place, checked
    /// (the quick path may have moved nothing but edited a page in place),
    /// else searched for.
    pub fn position_in_section(&self, i: usize) -> Option<usize> {
        let siblings = &self.section_pages[self.page_section[i]];
        self.page_position
            .get(i)
            .copied()
            .filter(|&p| siblings.get(p) == Some(&i))
            .or_else(|| siblings.iter().position(|&p| p == i))
    }

    /// Each (language, taxonomy) that has a term, once, in order: the lists
    /// of terms to write.
    pub fn taxonomy_lists(&self) -> Vec<(usize, usize)> {
        let mut lists: Vec<(usize, usize)> =
            self.tags.iter().map(|t| (t.lang, t.taxonomy)).collect();
        lists.dedup();
        lists
    }

    /// Every language version of `doc` (itself included), in language
    /// order; empty when it has no translation.
    pub fn translations_of(&self, doc: &Document) -> &[DocRef] {
        if self.translations.is_empty() {
            return &[];
        }
        self.translations.get(&doc.rel).map_or(&[], Vec::as_slice)
    }
}

impl Resolved {
    /// A one-shot build renders from each document's `content` alone: the
    /// HTML with link placeholders, kept so that the incremental engine can
    /// refill links without parsing again, is let go (a third of a large
    /// site's memory).
    pub fn drop_unfilled_html(&mut self) {
        let docs = self
            .pages
            .iter_mut()
            .map(|p| &mut p.doc)
            .chain(self.sections.iter_mut().map(|s| &mut s.doc));
        for doc in docs {
            doc.body.html = String::new();
        }
    }
}

/// Renders one shortcode call of a document: `Err((what is wrong, hint))`.
/// The render stage provides it, so this stage never touches templates.
pub type Shortcodes<'a> =
    dyn Fn(&Document, &ShortcodeCall) -> Result<Rendered, (String, String)> + Sync + 'a;

/// For content without shortcodes (and tests): every call is an error.
pub fn no_shortcodes(_: &Document, call: &ShortcodeCall) -> Result<Rendered, (String, String)> {
    Err((
        format!("unknown shortcode `{}`", call.name),
        "no shortcodes are available here".into(),
    ))
}

use super::links::finish_document;
pub use super::links::{Target, finish_alone, link_targets};

pub fn resolve(
    content: Content,
    config: &Config,
    shortcodes: &Shortcodes,
) -> (Resolved, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let Content {
        mut pages,
        mut sections,
        assets,
        drafts,
        unparsed,
    } = content;

    // Every language has a home page, so that the language switcher always
    // has somewhere to go.
    for lang in 0..config.languages.len() {
        if !sections
            .iter()
            .any(|s| s.dir.is_empty() && s.doc.lang == lang)
        {
            sections.push(implicit_root(config, lang));
        }
    }
    sections.sort_by(|a, b| (a.doc.lang, &a.dir).cmp(&(b.doc.lang, &b.dir)));
    pages.sort_by(|a, b| a.doc.rel.cmp(&b.doc.rel));
    let roots: Vec<usize> = (0..config.languages.len())
        .map(|lang| {
            sections
                .iter()
                .position(|s| s.dir.is_empty() && s.doc.lang == lang)
                .unwrap_or(0)
        })
        .collect();

    // A language's pages and sections hang off that language's sections only.
    let section_by_dir: HashMap<(usize, &str), usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.doc.lang, s.dir.as_str()), i))
        .collect();
    let owner = |lang: usize, dir: &str| -> usize {
        let mut d = dir;
        loop {
            if let Some(&i) = section_by_dir.get(&(lang, d)) {
                return i;
            }
            match d.rsplit_once('/') {
                Some((parent, _)) => d = parent,
                None if !d.is_empty() => d = "",
                None => return roots.get(lang).copied().unwrap_or(roots[0]),
            }
        }
    };

    let mut section_parent = vec![None; sections.len()];
    let mut subsections = vec![Vec::new(); sections.len()];
    for (i, s) in sections.iter().enumerate() {
        if s.dir.is_empty() {
            continue;
        }
        let parent_dir = s.dir.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
        let parent = owner(s.doc.lang, parent_dir);
        section_parent[i] = Some(parent);
        subsections[parent].push(i);
    }
    for children in &mut subsections {
        children.sort_by(|&a, &b| by_weight_then_title(&sections[a].doc, &sections[b].doc, config));
    }

    // Pages whose section is a draft left out are left out with it (in the
    // draft's language).
    let hidden_sections: Vec<(usize, String)> = drafts
        .iter()
        .filter_map(|d| {
            let (key, lang) = translation_key_and_language(d, config);
            let dir = key.strip_suffix("_index.md")?.trim_end_matches('/');
            Some((lang, dir.to_string()))
        })
        .collect();
    let mut left_out: HashSet<String> = drafts.iter().cloned().collect();
    pages.retain(|p| {
        let dir = page_dir(p);
        let hidden = hidden_sections.iter().any(|(lang, h)| {
            *lang == p.doc.lang && (h.is_empty() || dir == h || dir.starts_with(&format!("{h}/")))
        });
        if hidden {
            left_out.insert(p.doc.rel.clone());
        }
        !hidden
    });

    let page_section: Vec<usize> = pages
        .iter()
        .map(|p| owner(p.doc.lang, page_dir(p)))
        .collect();
    let mut section_pages = vec![Vec::new(); sections.len()];
    for (i, &s) in page_section.iter().enumerate() {
        section_pages[s].push(i);
    }
    for (s, list) in section_pages.iter_mut().enumerate() {
        sort_pages(list, &pages, sections[s].sort_by, config);
    }

    let mut page_position = vec![0; pages.len()];
    for list in &section_pages {
        for (position, &page) in list.iter().enumerate() {
            page_position[page] = position;
        }
    }

    let tags = collect_tags(&pages, config);
    diagnostics.extend(check_unique_urls(
        &pages,
        &sections,
        &tags,
        &section_pages,
        config,
    ));

    // Links: build the table of targets first, then rewrite every document in parallel.
    let targets: HashMap<String, Target> = pages
        .iter()
        .map(|p| &p.doc)
        .chain(sections.iter().map(|s| &s.doc))
        .map(|d| (d.rel.clone(), Target::of(d, config)))
        .collect();
    let unparsed: HashSet<String> = unparsed.into_iter().collect();
    let link_errors: Vec<Diagnostic> = pages
        .par_iter_mut()
        .map(|p| &mut p.doc)
        .chain(sections.par_iter_mut().map(|s| &mut s.doc))
        .flat_map_iter(|doc| {
            finish_document(doc, &targets, &left_out, &unparsed, config, shortcodes)
        })
        .collect();
    diagnostics.extend(link_errors);

    let assets = place_assets(assets, &pages, &left_out);
    let menus = roots
        .iter()
        .map(|&r| {
            build_menu(
                &sections,
                &pages,
                &subsections[r],
                &section_pages[r],
                config,
            )
        })
        .collect();
    let translations = translation_groups(&pages, &sections, config);
    (
        Resolved {
            pages,
            sections,
            section_pages,
            subsections,
            section_parent,
            page_section,
            page_position,
            roots,
            tags,
            taxonomy_names: config.taxonomies.iter().map(|t| t.name.clone()).collect(),
            assets,
            menus,
            translations,
            search: config.build_search_index,
        },
        diagnostics,
    )
}

fn implicit_root(config: &Config, lang: usize) -> Section {
    made_up_section("", config.title.clone(), config, lang)
}

/// A section no file in content/ describes (the home page of a site without
/// content/_index.md, the hotline directory): empty, with default settings.
pub fn made_up_section(
    dir: &str,
    title: crate::localized::Localized,
    config: &Config,
    lang: usize,
) -> Section {
    let index = if lang == 0 {
        "_index.md".to_string()
    } else {
        format!("_index.{}.md", config.language(lang))
    };
    let rel = if dir.is_empty() {
        index
    } else {
        format!("{dir}/{index}")
    };
    Section {
        doc: Document {
            file: PathBuf::from("content").join(&rel),
            rel,
            lang,
            path: super::load::language_path(config, lang, super::load::url_path(dir, None)),
            title,
            description: None,
            draft: false,
            weight: None,
            in_menu: None,
            template: None,
            aliases: Vec::new(),
            extra: serde_json::Value::Object(Default::default()),
            body: Default::default(),
            link_sites: Vec::new(),
            addresses: Vec::new(),
            shortcode_sites: Vec::new(),
            filled_shortcodes: None,
            warnings: Vec::new(),
            source_hash: 0,
            content: Default::default(),
            filled_urls: None,
            content_hash: 0,
            summary: None,
        },
        sort_by: SortBy::Date,
        paginate_by: None,
        generate_feed: false,
        page_template: None,
        dir: dir.to_string(),
    }
}

/// The folder whose section a page belongs to: a bundle belongs to the
/// section around its own folder.
fn page_dir(p: &Page) -> &str {
    let dir = p.bundle_dir.as_deref().unwrap_or(&p.doc.rel);
    match dir.rsplit_once('/') {
        Some((parent, _)) if p.bundle_dir.is_some() => parent,
        None if p.bundle_dir.is_some() => "",
        Some((parent, _)) => parent,
        None => "",
    }
}

fn title_of<'a>(doc: &'a Document, config: &Config) -> &'a str {
    doc.title
        .get(config.language(doc.lang), &config.default_language)
}

fn by_weight_then_title(a: &Document, b: &Document, config: &Config) -> std::cmp::Ordering {
    (a.weight.unwrap_or(i64::MAX), title_of(a, config), &a.rel).cmp(&(
        b.weight.unwrap_or(i64::MAX),
        title_of(b, config),
        &b.rel,
    ))
}

fn sort_pages(list: &mut [usize], pages: &[Page], sort_by: SortBy, config: &Config) {
    match sort_by {
        SortBy::Date => list.sort_by(|&a, &b| {
            let (pa, pb) = (&pages[a], &pages[b]);
            match (&pa.date, &pb.date) {
                (Some(da), Some(db)) => db.cmp(da).then_with(|| pa.doc.rel.cmp(&pb.doc.rel)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => by_weight_then_title(&pa.doc, &pb.doc, config),
            }
        }),
        SortBy::Weight => {
            list.sort_by(|&a, &b| by_weight_then_title(&pages[a].doc, &pages[b].doc, config))
        }
        SortBy::Title => list.sort_by(|&a, &b| {
            (title_of(&pages[a].doc, config), &pages[a].doc.rel)
                .cmp(&(title_of(&pages[b].doc, config), &pages[b].doc.rel))
        }),
        SortBy::None => list.sort_by(|&a, &b| pages[a].doc.rel.cmp(&pages[b].doc.rel)),
    }
}

/// Header navigation: the top-level sections and the pages at the root of
/// `content/`, by weight then title, unless they say `in_menu = false`.
fn build_menu(
    sections: &[Section],
    pages: &[Page],
    top_sections: &[usize],
    root_pages: &[usize],
    config: &Config,
) -> Vec<MenuItem> {
    let mut docs: Vec<&Document> = top_sections
        .iter()
        .map(|&i| &sections[i].doc)
        .chain(root_pages.iter().map(|&i| &pages[i].doc))
        .filter(|d| d.in_menu != Some(false))
        .collect();
    docs.sort_by(|a, b| by_weight_then_title(a, b, config));
    docs.into_iter()
        .map(|d| MenuItem {
            title: title_of(d, config).to_string(),
            path: d.path.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::load::{Parsed, parse_file};
    use std::path::Path;

    fn config() -> Config {
        Config::parse(
            Path::new("site.toml"),
            "title = \"t\"\nbase_url = \"https://example.org\"\n",
        )
        .unwrap()
    }

    fn content(files: &[(&str, &str)]) -> Content {
        let mut c = Content::default();
        for (rel, text) in files {
            match parse_file(rel, text, &config()).unwrap() {
                Some(Parsed::Page(p)) if p.doc.draft => c.drafts.push(p.doc.rel),
                Some(Parsed::Page(p)) => c.pages.push(p),
                Some(Parsed::Section(s)) => c.sections.push(s),
                None => {}
            }
        }
        c
    }

    #[test]
    fn links_become_urls_with_anchors() {
        let (r, d) = resolve(
            content(&[
                (
                    "news/a.md",
                    "[补贴](../policies/b.md#申请)和[本页](#概述)\n\n## 概述\n",
                ),
                ("policies/b.md", "## 申请\n"),
            ]),
            &config(),
            &no_shortcodes,
        );
        assert!(d.is_empty(), "{d}");
        let a = &r
            .pages
            .iter()
            .find(|p| p.doc.rel == "news/a.md")
            .unwrap()
            .doc;
        assert!(
            a.content
                .contains("href=\"https://example.org/policies/b/#申请\""),
            "{}",
            a.content
        );
        assert!(
            a.content
                .contains("href=\"https://example.org/news/a/#概述\"")
        );
    }

    #[test]
    fn broken_links_are_errors_at_the_link() {
        let (_, d) = resolve(
            content(&[
                (
                    "news/a.md",
                    "+++\ntitle = \"a\"\n+++\n[x](../policies/c.md)\n[y](../policies/b.md#申请条件)\n[z](d.md)\n",
                ),
                ("news/d.md", "+++\ndraft = true\n+++\n"),
                ("policies/b.md", "## 申请\n"),
            ]),
            &config(),
            &no_shortcodes,
        );
        let msgs: Vec<String> = d.iter().map(|e| e.to_string()).collect();
        assert_eq!(msgs.len(), 3, "{msgs:#?}");
        assert!(
            msgs[0].contains("content/policies/c.md does not exist"),
            "{}",
            msgs[0]
        );
        assert!(msgs[0].contains("content/news/a.md:4:1"), "{}", msgs[0]);
        assert!(
            msgs[0].contains("did you mean content/policies/b.md?"),
            "{}",
            msgs[0]
        );
        assert!(
            msgs[1].contains("has no heading with the id `申请条件`"),
            "{}",
            msgs[1]
        );
        assert!(msgs[1].contains("did you mean #申请?"), "{}", msgs[1]);
        assert!(msgs[2].contains("is a draft"), "{}", msgs[2]);
    }

    #[test]
    fn duplicate_urls_are_errors() {
        let (_, d) = resolve(
            content(&[("a.md", "正文"), ("a/index.md", "正文")]),
            &config(),
            &no_shortcodes,
        );
        assert_eq!(d.error_count(), 1);
        assert!(
            d.to_string().contains("two outputs have the URL /a/"),
            "{d}"
        );
    }

    #[test]
    fn pages_sort_by_date_and_summaries_are_cut() {
        let (r, _) = resolve(
            content(&[
                ("news/_index.md", "+++\nsort_by = \"date\"\n+++\n"),
                ("news/old.md", "+++\ndate = 2024-01-01\n+++\n"),
                (
                    "news/new.md",
                    "+++\ndate = 2025-01-01\n+++\n开头\n\n<!-- more -->\n\n其余\n",
                ),
            ]),
            &config(),
            &no_shortcodes,
        );
        let news = r.sections.iter().position(|s| s.dir == "news").unwrap();
        let order: Vec<&str> = r.section_pages[news]
            .iter()
            .map(|&i| r.pages[i].doc.rel.as_str())
            .collect();
        assert_eq!(order, ["news/new.md", "news/old.md"]);
        let new = r.pages.iter().find(|p| p.doc.rel == "news/new.md").unwrap();
        assert_eq!(new.doc.summary.as_deref(), Some("<p>开头</p>"));
    }

    #[test]
    fn bundle_assets_go_beside_their_page() {
        let mut c = content(&[("campaigns/x/index.md", "+++\nslug = \"y\"\n+++\n")]);
        c.assets.push(super::super::Asset {
            rel: "campaigns/x/poster.svg".into(),
            source: "p".into(),
        });
        c.assets.push(super::super::Asset {
            rel: "files/a.pdf".into(),
            source: "a".into(),
        });
        let (r, _) = resolve(c, &config(), &no_shortcodes);
        let dests: Vec<&str> = r.assets.iter().map(|(d, _)| d.as_str()).collect();
        assert_eq!(dests, ["campaigns/y/poster.svg", "files/a.pdf"]);
    }
}
