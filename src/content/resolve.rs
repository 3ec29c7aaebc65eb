//! The resolve stage for content: attach pages to sections, sort listings,
//! collect tags, turn internal links into URLs (a missing page or heading is
//! an error at the link), check that no two outputs share a URL, and place
//! assets. Pure: it reads nothing from disk.

use super::front_matter::SortBy;
use super::markdown::{Heading, LINK_PLACEHOLDER, SUMMARY_MARKER};
use super::shortcodes::ShortcodeCall;
use super::slug::slugify;
use super::{Content, Document, Page, Section};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, closest};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

/// URL prefix of the tags taxonomy.
pub const TAGS_PATH: &str = "/tags/";

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
    pub name: String,
    pub slug: String,
    pub path: String,
    /// Page indices, newest first.
    pub pages: Vec<usize>,
}

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
    /// Index of the root section (`content/_index.md`, or one made up).
    pub root: usize,
    pub tags: Vec<Term>,
    /// Output path (inside the site) and source of every asset.
    pub assets: Vec<(String, PathBuf)>,
    pub menu: Vec<MenuItem>,
}

/// Renders one shortcode call of a document: `Err((what is wrong, hint))`.
/// The render stage provides it, so this stage never touches templates.
pub type Shortcodes<'a> =
    dyn Fn(&Document, &ShortcodeCall) -> Result<String, (String, String)> + Sync + 'a;

/// For content without shortcodes (and tests): every call is an error.
pub fn no_shortcodes(_: &Document, call: &ShortcodeCall) -> Result<String, (String, String)> {
    Err((
        format!("unknown shortcode `{}`", call.name),
        "no shortcodes are available here".into(),
    ))
}

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

    if !sections.iter().any(|s| s.dir.is_empty()) {
        sections.push(implicit_root(config));
    }
    sections.sort_by(|a, b| a.dir.cmp(&b.dir));
    pages.sort_by(|a, b| a.doc.rel.cmp(&b.doc.rel));
    let root = sections.iter().position(|s| s.dir.is_empty()).unwrap_or(0);

    let section_by_dir: HashMap<&str, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.dir.as_str(), i))
        .collect();
    let owner = |dir: &str| -> usize {
        let mut d = dir;
        loop {
            if let Some(&i) = section_by_dir.get(d) {
                return i;
            }
            match d.rsplit_once('/') {
                Some((parent, _)) => d = parent,
                None if !d.is_empty() => d = "",
                None => return root,
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
        let parent = owner(parent_dir);
        section_parent[i] = Some(parent);
        subsections[parent].push(i);
    }
    for children in &mut subsections {
        children.sort_by(|&a, &b| by_weight_then_title(&sections[a].doc, &sections[b].doc, config));
    }

    // Pages whose section is a draft left out are left out with it.
    let hidden_sections: Vec<&str> = drafts
        .iter()
        .filter_map(|d| d.strip_suffix("_index.md"))
        .map(|d| d.trim_end_matches('/'))
        .collect();
    let mut left_out: HashSet<String> = drafts.iter().cloned().collect();
    pages.retain(|p| {
        let dir = page_dir(p);
        let hidden = hidden_sections
            .iter()
            .any(|h| h.is_empty() || dir == *h || dir.starts_with(&format!("{h}/")));
        if hidden {
            left_out.insert(p.doc.rel.clone());
        }
        !hidden
    });

    let page_section: Vec<usize> = pages.iter().map(|p| owner(page_dir(p))).collect();
    let mut section_pages = vec![Vec::new(); sections.len()];
    for (i, &s) in page_section.iter().enumerate() {
        section_pages[s].push(i);
    }
    for (s, list) in section_pages.iter_mut().enumerate() {
        sort_pages(list, &pages, sections[s].sort_by, config);
    }

    let tags = collect_tags(&pages);
    diagnostics.extend(check_unique_urls(&pages, &sections, &tags, &section_pages));

    // Links: build the table of targets first, then rewrite every document in parallel.
    let targets: HashMap<String, Target> = pages
        .iter()
        .map(|p| &p.doc)
        .chain(sections.iter().map(|s| &s.doc))
        .map(|d| {
            (
                d.rel.clone(),
                Target {
                    permalink: config.permalink(&d.path),
                    anchors: d.body.anchors.iter().cloned().collect(),
                },
            )
        })
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
    let menu = build_menu(
        &sections,
        &pages,
        &subsections[root],
        &section_pages[root],
        config,
    );
    (
        Resolved {
            pages,
            sections,
            section_pages,
            subsections,
            section_parent,
            page_section,
            root,
            tags,
            assets,
            menu,
        },
        diagnostics,
    )
}

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

fn implicit_root(config: &Config) -> Section {
    made_up_section("", config.title.clone())
}

/// A section no file in content/ describes (the home page of a site without
/// content/_index.md, the hotline directory): empty, with default settings.
pub fn made_up_section(dir: &str, title: crate::localized::Localized) -> Section {
    let rel = if dir.is_empty() {
        "_index.md".to_string()
    } else {
        format!("{dir}/_index.md")
    };
    Section {
        doc: Document {
            file: PathBuf::from("content").join(&rel),
            rel,
            path: super::load::url_path(dir, None),
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
            shortcode_sites: Vec::new(),
            filled_shortcodes: None,
            warnings: Vec::new(),
            source_hash: 0,
            content: String::new(),
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
        .get(&config.default_language, &config.default_language)
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

fn collect_tags(pages: &[Page]) -> Vec<Term> {
    let mut terms: BTreeMap<String, Term> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        let mut seen = HashSet::new();
        for name in &p.tags {
            let slug = slugify(name);
            if slug.is_empty() || !seen.insert(slug.clone()) {
                continue;
            }
            terms
                .entry(slug.clone())
                .or_insert_with(|| Term {
                    name: name.trim().to_string(),
                    path: format!("{TAGS_PATH}{slug}/"),
                    slug,
                    pages: Vec::new(),
                })
                .pages
                .push(i);
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

/// Pagination pages live at `<section>/page/N/`.
pub fn pager_path(section_path: &str, index: usize) -> String {
    if index <= 1 {
        section_path.to_string()
    } else {
        format!("{section_path}page/{index}/")
    }
}

fn check_unique_urls(
    pages: &[Page],
    sections: &[Section],
    tags: &[Term],
    section_pages: &[Vec<usize>],
) -> Vec<Diagnostic> {
    let mut owners: HashMap<String, String> = HashMap::new();
    let mut errors = Vec::new();
    let mut claim = |path: String, owner: String, at: Diagnostic| {
        if let Some(first) = owners.get(&path) {
            errors.push(
                Diagnostic {
                    message: format!("two outputs have the URL {path}: {first} and {owner}"),
                    ..at
                }
                .with_hint("rename one of the files, or give one a different `slug`"),
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
    if !tags.is_empty() {
        claim(
            TAGS_PATH.into(),
            "the tags list".into(),
            Diagnostic::error(""),
        );
        for t in tags {
            for k in 1..=t.pager_count() {
                claim(
                    pager_path(&t.path, k),
                    format!("the tag “{}”", t.name),
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

/// Fills internal links with their targets' URLs, cuts the summary, and
/// gives the table of contents its permalinks.
fn finish_document(
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
                let hint = hint.unwrap_or_else(|| match rel.as_deref().and_then(|r| {
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
                rendered.push(String::new());
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
        doc.content = super::shortcodes::substitute(&filled, &rendered);
        doc.filled_shortcodes = Some(rendered);
        doc.summary = doc
            .content
            .find(SUMMARY_MARKER)
            .map(|at| doc.content[..at].trim_end().to_string());
        doc.content_hash = crate::fingerprint::of(&doc.content);
        doc.filled_urls = Some(urls);
    }
    set_toc_permalinks(&mut doc.body.toc, &own_permalink);
    errors
}

fn link_text(link: &super::markdown::InternalLink) -> String {
    match &link.anchor {
        Some(a) => format!("{}#{a}", link.target),
        None => link.target.clone(),
    }
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

/// Bundle files go beside their page (under its URL, slug included); other
/// files keep their place in the folder tree.
fn place_assets(
    assets: Vec<super::Asset>,
    pages: &[Page],
    left_out: &HashSet<String>,
) -> Vec<(String, PathBuf)> {
    let bundles: Vec<(&str, &str)> = pages
        .iter()
        .filter_map(|p| p.bundle_dir.as_deref().map(|d| (d, p.doc.path.as_str())))
        .collect();
    let hidden_bundles: Vec<&str> = left_out
        .iter()
        .filter_map(|rel| rel.strip_suffix("/index.md"))
        .collect();
    let mut placed = Vec::with_capacity(assets.len());
    for asset in assets {
        if hidden_bundles
            .iter()
            .any(|b| asset.rel.starts_with(&format!("{b}/")))
        {
            continue;
        }
        let bundle = bundles
            .iter()
            .filter(|(dir, _)| asset.rel.starts_with(&format!("{dir}/")))
            .max_by_key(|(dir, _)| dir.len());
        let dest = match bundle {
            Some((dir, path)) => format!(
                "{}{}",
                path.trim_start_matches('/'),
                &asset.rel[dir.len() + 1..]
            ),
            None => {
                let (dir, name) = asset.rel.rsplit_once('/').unwrap_or(("", &asset.rel));
                let dir_path = super::load::url_path(dir, None);
                format!("{}{name}", dir_path.trim_start_matches('/'))
            }
        };
        placed.push((dest, asset.source));
    }
    placed
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
            content(&[("a.md", ""), ("a/index.md", "")]),
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
