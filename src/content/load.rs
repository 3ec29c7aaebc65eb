//! The load stage for `content/`: find every file, then read and parse the
//! markdown files in parallel. Parsing needs no disk ([`parse_file`]), so
//! tests and the preview server can feed it text directly.

use super::date::Date;
use super::front_matter::{self, Split};
use super::markdown;
use super::shortcodes;
use super::slug::slugify;
use super::structured::{Event, EventMeta, Policy, PolicyMeta};
use super::{Asset, Content, Document, Located, Page, Section};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, LineIndex};
use crate::localized::Localized;
use crate::toml_input;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const CONTENT_DIR: &str = "content";

/// One parsed markdown file. (Pages are bigger than sections, but boxing
/// would cost an allocation per page for no gain: they are moved, not copied.)
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum Parsed {
    Page(Page),
    Section(Section),
}

/// Files and folders anxin never reads: hidden ones and editors' temporaries.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        // JetBrains editors save through these beside the file.
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
}

/// The files under `content/`: markdown files (path inside content/, path
/// on disk) and assets, in file-name order.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub markdown: Vec<(String, PathBuf)>,
    pub assets: Vec<Asset>,
}

/// Lists `content/` under `root`.
pub fn list(root: &Path) -> (Listing, Diagnostics) {
    let content_dir = root.join(CONTENT_DIR);
    let mut diagnostics = Diagnostics::new();
    let mut listing = Listing::default();
    if !content_dir.is_dir() {
        diagnostics.push(
            Diagnostic::error("the site has no content/ folder")
                .in_file(CONTENT_DIR)
                .with_hint("create content/_index.md for the home page"),
        );
        return (listing, diagnostics);
    }
    let walker = walkdir::WalkDir::new(&content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diagnostics.push(Diagnostic::error(format!(
                    "cannot read a file in content/: {e}"
                )));
                continue;
            }
        };
        if entry.path_is_symlink() {
            diagnostics.push(Diagnostic::skipped_link(
                &Path::new(CONTENT_DIR).join(
                    entry
                        .path()
                        .strip_prefix(&content_dir)
                        .unwrap_or(entry.path()),
                ),
            ));
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel_path) = entry.path().strip_prefix(&content_dir) else {
            continue;
        };
        let rel = crate::output::slash_path(rel_path);
        if rel.ends_with(".md") {
            listing.markdown.push((rel, entry.path().to_path_buf()));
        } else {
            listing.assets.push(Asset {
                rel,
                source: entry.path().to_path_buf(),
            });
        }
    }
    (listing, diagnostics)
}

/// The file `content/<rel>` when [`list`] would list it: no part of its path
/// a symbolic link or an ignored name. The preview reads a changed file by
/// its path, and must read exactly what a full build reads.
pub fn listed_source(root: &Path, rel: &str) -> Option<PathBuf> {
    let mut path = root.join(CONTENT_DIR);
    for part in rel.split('/') {
        if part.is_empty() || part == "." || part == ".." || is_ignored(part) {
            return None;
        }
        path.push(part);
        if path.symlink_metadata().ok()?.file_type().is_symlink() {
            return None;
        }
    }
    path.is_file().then_some(path)
}

/// Reads and parses one markdown file.
pub fn read_and_parse(
    rel: &str,
    source: &Path,
    config: &Config,
) -> Result<Option<Parsed>, Diagnostic> {
    let shown = Path::new(CONTENT_DIR).join(rel);
    let text = crate::text_file::read(source, &shown).map_err(|e| {
        e.into_diagnostic(|e| {
            Diagnostic::error(format!("cannot read this file: {e}"))
                .in_file(&shown)
                .with_hint("check that the file exists and that you may read it")
        })
    })?;
    parse_file(rel, &text, config)
}

/// Reads `content/` under `root`: markdown files are parsed (in parallel),
/// other files become assets. Drafts are dropped unless `include_drafts`.
pub fn load(root: &Path, config: &Config, include_drafts: bool) -> (Content, Diagnostics) {
    let (listing, mut diagnostics) = list(root);
    let results: Vec<Result<Option<Parsed>, Diagnostic>> = listing
        .markdown
        .par_iter()
        .map(|(rel, source)| read_and_parse(rel, source, config))
        .collect();
    // Pages are big: growing the list by doubling would hold up to twice
    // their size at the peak.
    let mut content = Content {
        assets: listing.assets,
        pages: Vec::with_capacity(results.len()),
        ..Content::default()
    };
    for ((rel, _), result) in listing.markdown.iter().zip(results) {
        match result {
            Ok(Some(parsed)) => content.add(parsed, include_drafts, &mut diagnostics),
            Ok(None) => {}
            Err(d) => {
                diagnostics.push(d);
                content.unparsed.push(rel.clone());
            }
        }
    }
    (content, diagnostics)
}

impl Content {
    /// Adds a parsed file: drafts only by name unless they are included, and
    /// the file's warnings to `diagnostics` when it is published.
    pub fn add(&mut self, parsed: Parsed, include_drafts: bool, diagnostics: &mut Diagnostics) {
        let doc = match &parsed {
            Parsed::Page(p) => &p.doc,
            Parsed::Section(s) => &s.doc,
        };
        if doc.draft && !include_drafts {
            self.drafts.push(doc.rel.clone());
            return;
        }
        diagnostics.extend(doc.warnings.iter().cloned());
        match parsed {
            Parsed::Page(p) => self.pages.push(p),
            Parsed::Section(s) => self.sections.push(s),
        }
    }
}

/// Parses one markdown file given its path inside `content/` and its text.
/// A translation (`page.en.md`, `_index.en.md`, when `en` is one of the
/// site's languages) is a document of that language under its `/en/` URL.
pub fn parse_file(rel: &str, text: &str, config: &Config) -> Result<Option<Parsed>, Diagnostic> {
    let file = Path::new(CONTENT_DIR).join(rel);
    let file_name = rel.rsplit('/').next().unwrap_or(rel);
    let (stem, lang) = config.split_language(file_name.trim_end_matches(".md"));
    // An empty `_index.md` declares a section, as in Zola; an empty page
    // would be published blank, titled after its file name.
    if stem != "_index" && text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(Diagnostic::error("this page is empty: it would be published as a blank page")
            .in_file(&file)
            .at_span(text, 0..0)
            .with_hint("write a title and some text (+++ title = \"…\" +++ then the text), or delete the file"));
    }
    let split = front_matter::split(&file, text)?;
    let (markdown_body, calls) = shortcodes::extract(split.body).map_err(|e| {
        Diagnostic::error(e.message)
            .in_file(&file)
            .at_span(text, e.span.start + split.body_offset..e.span.end + split.body_offset)
            .with_hint("shortcodes are written {{ name(key=\"value\") }}, e.g. {{ hotline(number=\"12356\") }}")
    })?;
    let mut body = markdown::render(&markdown_body);
    let shortcode_sites = spans_in_body(&file, text, &split, calls.iter().map(|c| c.span.clone()));
    body.shortcodes = calls;
    let link_sites = spans_in_body(
        &file,
        text,
        &split,
        body.links.iter().map(|l| l.span.clone()),
    );
    let address_sites = spans_in_body(
        &file,
        text,
        &split,
        body.addresses.iter().map(|a| a.1.clone()),
    );
    let addresses = std::mem::take(&mut body.addresses)
        .into_iter()
        .zip(address_sites)
        .map(|((value, _), at)| Located { value, at })
        .collect();
    let warnings = alt_text_warnings(&file, text, &split, &body);
    let dir = rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let spans = FrontMatterSpans {
        file: &file,
        text,
        offset: split.front_matter_offset,
    };

    let is_section = stem == "_index";
    let mut meta = front_matter::parse_meta(&file, text, &split, is_section)?;
    let (bundle_dir, parent_dir, default_name) = if is_section {
        (None, dir, fallback_title(dir))
    } else if stem == "index" && !dir.is_empty() {
        let (parent, name) = dir.rsplit_once('/').unwrap_or(("", dir));
        (Some(dir.to_string()), parent, name)
    } else {
        (None, dir, stem)
    };
    let path = if is_section {
        language_path(config, lang, url_path(dir, None))
    } else {
        let slug = match &meta.slug {
            Some(s) => {
                let cleaned = slugify(s.get_ref());
                if cleaned.is_empty() {
                    return Err(spans
                        .at(s, "this slug has no letters or digits left once cleaned")
                        .with_hint(
                            "use letters, digits, - and _, e.g. slug = \"guardian-subsidy\"",
                        ));
                }
                cleaned
            }
            None => slugify(default_name),
        };
        language_path(config, lang, url_path(parent_dir, Some(&slug)))
    };
    // A name of punctuation alone leaves nothing for the address: said
    // here, with the file, rather than as a path the writer refuses.
    let named_parts = dir.split('/').filter(|p| !p.is_empty());
    let named_parts =
        named_parts.chain((!is_section && meta.slug.is_none()).then_some(default_name));
    if let Some(empty) = named_parts.into_iter().find(|p| slugify(p).is_empty()) {
        return Err(Diagnostic::error(format!(
            "the name `{empty}` has no letters or digits to make this page's address from"
        ))
        .in_file(&file)
        .with_hint("rename the file or folder with letters or digits (Chinese is fine), or give the page a slug"));
    }
    let (tags, terms) = page_terms(&spans, &mut meta, config)?;
    if let Some((alias, why)) = meta
        .aliases
        .iter()
        .find_map(|a| Some((a, super::resolve::alias_problem(a.get_ref())?)))
    {
        return Err(spans.at(alias, why).with_hint(
            "write the old address from the site root, e.g. aliases = [\"/news/old-name/\"]",
        ));
    }
    let doc = Document {
        rel: rel.to_string(),
        lang,
        file: file.clone(),
        path,
        title: meta
            .title
            .take()
            .unwrap_or_else(|| Localized::from(default_name)),
        description: meta.description.take(),
        draft: meta.draft,
        weight: meta.weight,
        in_menu: meta.in_menu,
        template: spans.located(meta.template.take()),
        aliases: std::mem::take(&mut meta.aliases)
            .into_iter()
            .filter_map(|a| spans.located(Some(a)))
            .collect(),
        extra: toml_input::table_to_json(&meta.extra),
        body,
        link_sites,
        addresses,
        shortcode_sites,
        filled_shortcodes: None,
        warnings,
        source_hash: crate::fingerprint::of(&(rel, text)),
        content: Default::default(),
        filled_urls: None,
        content_hash: 0,
        summary: None,
    };

    if is_section {
        return Ok(Some(Parsed::Section(Section {
            doc,
            sort_by: meta.sort_by.map(|s| s.into_inner()).unwrap_or_default(),
            paginate_by: meta.paginate_by.map(|n| n.into_inner()),
            generate_feed: meta.generate_feed.is_some_and(|g| g.into_inner()),
            page_template: spans.located(meta.page_template),
            dir: dir.to_string(),
        })));
    }
    Ok(Some(Parsed::Page(Page {
        doc,
        date: parse_date(&spans, meta.date.as_ref())?,
        updated: parse_date(&spans, meta.updated.as_ref())?,
        tags,
        terms,
        event: match meta.event {
            Some(e) => Some(event(&spans, e.into_inner())?),
            None => None,
        },
        expires_at: meta
            .policy
            .as_ref()
            .and_then(|p| p.get_ref().expires.as_ref())
            .map(|e| spans.at(e, "")),
        policy: match meta.policy {
            Some(p) => Some(policy(&spans, p.into_inner())?),
            None => None,
        },
        bundle_dir,
    })))
}

/// `/news/a/` from the folder `news` and the slug `a`; folders are slugified
/// the same way, so `content/News Items/` is `/news-items/`.
pub fn url_path(dir: &str, slug: Option<&str>) -> String {
    let mut path = String::from("/");
    for part in dir.split('/').filter(|p| !p.is_empty()).chain(slug) {
        path.push_str(&slugify(part));
        path.push('/');
    }
    path
}

/// `/about/` of language `lang`: `/en/about/` for English on a Chinese site.
pub fn language_path(config: &Config, lang: usize, path: String) -> String {
    if lang == 0 {
        path
    } else {
        format!("{}{path}", config.language_prefix(lang))
    }
}

fn fallback_title(dir: &str) -> &str {
    dir.rsplit('/').next().unwrap_or(dir)
}

/// Where a front-matter value is in the whole file: toml's spans count from
/// the start of the front matter.
struct FrontMatterSpans<'a> {
    file: &'a Path,
    text: &'a str,
    offset: usize,
}

impl FrontMatterSpans<'_> {
    fn at<T>(&self, spanned: &Spanned<T>, message: &str) -> Diagnostic {
        let span = spanned.span();
        Diagnostic::error(message)
            .in_file(self.file)
            .at_span(self.text, span.start + self.offset..span.end + self.offset)
    }

    fn located(&self, value: Option<Spanned<String>>) -> Option<Located<String>> {
        value.map(|v| Located {
            at: self.at(&v, ""),
            value: v.into_inner(),
        })
    }
}

fn event(spans: &FrontMatterSpans, meta: EventMeta) -> Result<Event, Diagnostic> {
    let start =
        parse_date(spans, Some(&meta.start))?.ok_or_else(|| Diagnostic::error("no start"))?;
    let end = parse_date(spans, meta.end.as_ref())?;
    if let (Some(end_date), Some(written)) = (&end, &meta.end)
        && end_date.unix_seconds() < start.unix_seconds()
    {
        return Err(spans
            .at(written, "the event ends before it starts")
            .with_hint(
                "check the end date and time; times are written 2025-10-10T12:00:00+08:00",
            ));
    }
    Ok(Event {
        start,
        end,
        venue: meta.venue,
        organizers: meta.organizers,
        report: meta.report,
    })
}

fn policy(spans: &FrontMatterSpans, meta: PolicyMeta) -> Result<Policy, Diagnostic> {
    Ok(Policy {
        effective: parse_date(spans, meta.effective.as_ref())?,
        reviewed: parse_date(spans, meta.reviewed.as_ref())?,
        expires: parse_date(spans, meta.expires.as_ref())?,
        issuer: meta.issuer,
        document: meta.document,
        eligibility: meta.eligibility,
        benefits: meta.benefits,
        steps: meta.steps,
        documents: meta.documents,
        contact: meta.contact,
    })
}

fn parse_date(
    spans: &FrontMatterSpans,
    value: Option<&Spanned<toml::Value>>,
) -> Result<Option<Date>, Diagnostic> {
    let Some(value) = value else { return Ok(None) };
    Date::from_toml(value.get_ref()).map(Some).map_err(|why| {
        spans
            .at(value, &format!("invalid date: {why}"))
            .with_hint("write dates as 2025-10-10, or 2025-10-10T09:00:00+08:00 with a time")
    })
}

/// A diagnostic skeleton at each internal link, made while the text is at
/// hand; the resolve stage fills in the message if the link is broken.
fn spans_in_body(
    file: &Path,
    text: &str,
    split: &Split,
    spans: impl ExactSizeIterator<Item = std::ops::Range<usize>>,
) -> Vec<Diagnostic> {
    if spans.len() == 0 {
        return Vec::new();
    }
    let index = LineIndex::new(text);
    spans
        .map(|s| {
            Diagnostic::error("").in_file(file).at_span_indexed(
                &index,
                text,
                s.start + split.body_offset..s.end + split.body_offset,
            )
        })
        .collect()
}

/// Terms of taxonomies other than tags: (taxonomy index, names).
type Terms = Vec<(usize, Vec<String>)>;

/// The page's tags (`tags = […]` and `[taxonomies] tags`) and its terms of
/// the site's other taxonomies, each checked where it is written.
fn page_terms(
    spans: &FrontMatterSpans,
    meta: &mut front_matter::Meta,
    config: &Config,
) -> Result<(Vec<String>, Terms), Diagnostic> {
    let mut written: Vec<(usize, Spanned<Vec<String>>)> = Vec::new();
    if let Some(tags) = meta.tags.take() {
        written.push((0, tags));
    }
    for (name, values) in meta
        .taxonomies
        .take()
        .map(Spanned::into_inner)
        .unwrap_or_default()
    {
        let Some(index) = config.taxonomies.iter().position(|t| t.name == name) else {
            let known = config.taxonomies.iter().map(|t| t.name.as_str());
            let hint = match crate::diagnostics::closest(&name, known) {
                Some(near) => format!("did you mean `{near}`?"),
                None => {
                    format!("declare it in site.toml first: taxonomies = [{{ name = \"{name}\" }}]")
                }
            };
            return Err(spans
                .at(&values, &format!("the site has no taxonomy `{name}`"))
                .with_hint(hint));
        };
        written.push((index, values));
    }
    let mut tags = Vec::new();
    let mut terms: Vec<(usize, Vec<String>)> = Vec::new();
    for (index, values) in written {
        if values.get_ref().iter().any(|t| slugify(t).is_empty()) {
            let what = match index {
                0 => "a tag".to_string(),
                i => format!("a term of `{}`", config.taxonomies[i].name),
            };
            return Err(spans
                .at(&values, &format!("{what} has no letters or digits to make its address from"))
                .with_hint("write each tag with letters or digits (Chinese is fine), e.g. tags = [\"世界精神卫生日\"]"));
        }
        let values = values.into_inner();
        match index {
            0 => tags.extend(values),
            i => match terms.iter_mut().find(|(t, _)| *t == i) {
                Some((_, known)) => known.extend(values),
                None => terms.push((i, values)),
            },
        }
    }
    terms.sort_by_key(|(i, _)| *i);
    Ok((tags, terms))
}

fn alt_text_warnings(
    file: &Path,
    text: &str,
    split: &Split,
    body: &markdown::Rendered,
) -> Vec<Diagnostic> {
    body.images_without_alt
        .iter()
        .map(|span| {
            Diagnostic::warning("this image has no alt text")
                .in_file(file)
                .at_span(text, span.start + split.body_offset..span.end + split.body_offset)
                .with_hint("describe the image between the brackets, e.g. ![宣传海报：10月10日义诊活动](poster.svg)")
        })
        .collect()
}

#[cfg(test)]
mod tests;
