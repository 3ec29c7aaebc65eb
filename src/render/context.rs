//! The values templates see, under Zola's names where the concept is the same
//! (`page.title`, `page.content`, `section.pages`, `paginator`, `config`…) so
//! that a Zola theme ports, and under anxin's own names for the rest.

use crate::config::Config;
use crate::content::markdown::{Heading, reading_time};
use crate::content::resolve::{Resolved, Term};
use crate::content::{Document, Page, structured};
use crate::render::i18n::I18n;
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// Templates of one language see names in that language.
pub struct Lang<'a> {
    pub code: &'a str,
    /// Index into `Config::languages` (0 is the default language).
    pub index: usize,
    pub config: &'a Config,
    /// The theme's words (i18n), for what Rust itself writes for readers.
    pub words: &'a I18n,
}

impl<'a> Lang<'a> {
    pub fn of(config: &'a Config, index: usize, words: &'a I18n) -> Lang<'a> {
        Lang {
            code: config.language(index),
            index,
            config,
            words,
        }
    }

    /// The theme's text of `key` in this language; the key itself if no
    /// layer has it (the built-in theme always does).
    pub fn word(&self, key: &'a str) -> &'a str {
        self.words.text(key, self.code).unwrap_or(key)
    }

    /// A name in this language (or the default one's when not translated).
    pub fn text<'t>(&self, localized: &'t crate::localized::Localized) -> &'t str {
        localized.get(self.code, &self.config.default_language)
    }
}

pub fn config_value(config: &Config, lang: &str) -> Value {
    let default = &config.default_language;
    json!({
        "title": config.title.get(lang, default),
        "description": config.description.as_ref().map(|d| d.get(lang, default)),
        // Zola's base_url has no trailing slash: themes write {{ config.base_url }}/x.
        "base_url": config.base_url.trim_end_matches('/'),
        "default_language": default,
        "languages": config.languages,
        "build_search_index": config.build_search_index,
        "generate_feeds": config.generate_feeds,
        "extra": crate::toml_input::table_to_json(&config.extra),
    })
}

/// The fields of a page or section; `content` and `toc` only `with_body` (a
/// page's are shared, not copied: see [`PageValue`]).
fn document_fields(
    site: &Resolved,
    doc: &Document,
    lang: &Lang,
    with_body: bool,
    map: &mut Map<String, Value>,
) {
    let permalink = lang.config.permalink(&doc.path);
    let word_count = doc.body.han_chars + doc.body.latin_words;
    map.insert(
        "title".into(),
        doc.title
            .get(lang.code, &lang.config.default_language)
            .into(),
    );
    map.insert("description".into(), json!(doc.description));
    map.insert("permalink".into(), permalink.into());
    map.insert("path".into(), doc.path.clone().into());
    map.insert("relative_path".into(), doc.rel.clone().into());
    if with_body {
        insert_body(&doc.content, &doc.body.toc, map);
    }
    map.insert("summary".into(), json!(doc.summary));
    map.insert("word_count".into(), word_count.into());
    map.insert(
        "reading_time".into(),
        reading_time(doc.body.han_chars, doc.body.latin_words).into(),
    );
    map.insert("weight".into(), json!(doc.weight));
    map.insert("draft".into(), doc.draft.into());
    map.insert("extra".into(), doc.extra.clone());
    map.insert("lang".into(), lang.code.into());
    map.insert("translations".into(), translations(site, doc, lang.config));
}

/// Zola's `translations`: every language version of the document, itself
/// included, as `{lang, title, permalink, path}`; empty when it has none.
fn translations(site: &Resolved, doc: &Document, config: &Config) -> Value {
    let versions = site.translations_of(doc);
    Value::Array(
        versions
            .iter()
            .map(|&at| {
                let d = site.doc(at);
                let code = config.language(d.lang);
                json!({
                    "lang": code,
                    "title": d.title.get(code, &config.default_language),
                    "permalink": config.permalink(&d.path),
                    "path": d.path,
                })
            })
            .collect(),
    )
}

/// `translations` of the output's document (the page or section it shows,
/// if any), and `language_links`: one per site language, to the translation
/// when there is one, else to that language's home page, so that switching
/// language never leads to a missing page.
/// A page made from the data rather than a document (a data page, the
/// tags list, search) has its counterpart in another language at
/// `counterpart(lang)`, when that language's site has one.
pub fn insert_language_links(
    ctx: &mut Map<String, Value>,
    site: &Resolved,
    doc: Option<&Document>,
    counterpart: &dyn Fn(usize) -> Option<String>,
    lang: &Lang,
) {
    let config = lang.config;
    let versions = doc.map_or(&[][..], |d| site.translations_of(d));
    let links: Vec<Value> = (0..config.languages.len())
        .filter_map(|l| {
            let home = site.roots.get(l).map(|&r| &site.sections[r].doc.path)?;
            let translated = versions
                .iter()
                .map(|&at| site.doc(at))
                .find(|d| d.lang == l)
                .map(|d| d.path.clone())
                .or_else(|| counterpart(l));
            let path = translated.clone().unwrap_or_else(|| home.clone());
            Some(json!({
                "lang": config.language(l),
                "permalink": config.permalink(&path),
                "path": path,
                "current": l == lang.index,
                "translated": translated.is_some(),
            }))
        })
        .collect();
    ctx.insert("language_links".into(), Value::Array(links));
    let own = match doc {
        Some(d) => translations(site, d, config),
        None => Value::Array(Vec::new()),
    };
    ctx.insert("translations".into(), own);
}

/// A page as templates see it. Its own output sees every field. Listings
/// (`section.pages`, `paginator.pages`, `term.pages`, `get_section`,
/// `get_events`) leave out `content`, `toc` and the fields of
/// [`own_page_fields`]; `get_page` leaves out only the latter. Tera copies
/// every value a template loops over, so a listing of 500 pages would
/// otherwise copy 500 pages' HTML, JSON-LD and neighbours into each output
/// that lists them. The content and headings are the document's own,
/// shared, and the page's own fields are made when its output renders, so a
/// build holds each page's HTML once and little else per page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageValue {
    listed: Value,
    content: Arc<str>,
    toc: Arc<Vec<Heading>>,
}

impl PageValue {
    /// The page as listings show it.
    pub fn listed(&self) -> Value {
        self.listed.clone()
    }

    /// The page with its `content` and `toc`, as `get_page` gives it.
    pub fn with_body(&self) -> Value {
        let mut value = self.listed.clone();
        if let Value::Object(map) = &mut value {
            insert_body(&self.content, &self.toc, map);
        }
        value
    }
}

/// `content` (the HTML) and `toc` (the headings), as every template sees them.
fn insert_body(content: &str, toc: &[Heading], map: &mut Map<String, Value>) {
    map.insert("content".into(), content.into());
    map.insert("toc".into(), json!(toc));
}

/// A page's value, as listings show it and with its body.
pub fn page_values_of(site: &Resolved, index: usize, lang: &Lang) -> PageValue {
    let doc = &site.pages[index].doc;
    PageValue {
        listed: page_value(site, index, lang),
        content: Arc::clone(&doc.content),
        toc: Arc::clone(&doc.body.toc),
    }
}

/// The page's questions and answers with its shortcodes filled in, as text.
fn filled_faq(page: &Page) -> Vec<(String, String)> {
    let rendered = page.doc.filled_shortcodes.as_deref().unwrap_or_default();
    let fill = |text: &str| crate::content::shortcodes::fill_text(text, rendered);
    page.doc
        .body
        .faq
        .iter()
        .map(|(q, a)| (fill(q), fill(a)))
        .collect()
}

/// The fields only a page's own output shows: its questions and answers,
/// JSON-LD, QR code, breadcrumbs and neighbours (Zola's `lower` and
/// `higher`, which Zola too leaves out of listed pages).
pub fn own_page_fields(site: &Resolved, index: usize, lang: &Lang) -> Map<String, Value> {
    let page: &Page = &site.pages[index];
    let mut map = Map::new();
    let permalink = lang.config.permalink(&page.doc.path);
    let title = page.doc.title.get(lang.code, &lang.config.default_language);
    let faq: Vec<Value> = filled_faq(page)
        .iter()
        .map(|(q, a)| json!({ "question": q, "answer": a }))
        .collect();
    map.insert("faq".into(), Value::Array(faq));
    map.insert(
        "jsonld".into(),
        jsonld(page, title, &permalink, lang).into(),
    );
    // A QR code of the page's address for the printed leaflet of an event or
    // a policy; other pages are not handed out on paper.
    // It leads to the published site even from a preview: a leaflet printed
    // from `serve` is handed out like any other.
    let published = lang.config.published_permalink(&page.doc.path);
    let qr = (page.event.is_some() || page.policy.is_some())
        .then(|| {
            let label = lang.word("qr_image_label").replace("{title}", title);
            crate::output::qr::svg(&published, &label).ok()
        })
        .flatten();
    map.insert("qr".into(), json!(qr));
    map.insert("qr_url".into(), json!(published));
    map.insert(
        "breadcrumbs".into(),
        breadcrumbs(site, site.page_section[index], lang),
    );
    let siblings = &site.section_pages[site.page_section[index]];
    let position = site.position_in_section(index);
    let neighbour = |i: Option<usize>| {
        i.and_then(|i| siblings.get(i)).map(|&i| {
            let d = &site.pages[i].doc;
            json!({
                "title": d.title.get(lang.code, &lang.config.default_language),
                "permalink": lang.config.permalink(&d.path),
                "path": d.path,
            })
        })
    };
    // Zola's names: `lower` comes after in the listing, `higher` before it.
    map.insert(
        "higher".into(),
        json!(neighbour(position.and_then(|p| p.checked_sub(1)))),
    );
    map.insert("lower".into(), json!(neighbour(position.map(|p| p + 1))));
    map
}

/// A page as listings show it.
pub fn page_value(site: &Resolved, index: usize, lang: &Lang) -> Value {
    let page: &Page = &site.pages[index];
    let mut map = Map::new();
    document_fields(site, &page.doc, lang, false, &mut map);
    let slug = page
        .doc
        .path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    map.insert("slug".into(), slug.into());
    map.insert("date".into(), json!(page.date));
    map.insert("updated".into(), json!(page.updated));
    map.insert("tags".into(), json!(page.tags));
    // Zola's `page.taxonomies` (every taxonomy's names), and for themes
    // the other taxonomies with their titles and addresses.
    let mut taxonomies = Map::new();
    taxonomies.insert("tags".into(), json!(page.tags));
    let mut other_terms = Vec::new();
    for (t, names) in &page.terms {
        let taxonomy = &lang.config.taxonomies[*t];
        taxonomies.insert(taxonomy.name.clone(), json!(names));
        let list = crate::content::resolve::taxonomy_path(lang.config, lang.index, *t);
        let terms: Vec<Value> = names
            .iter()
            .map(|n| {
                let slug = crate::content::slug::slugify(n);
                json!({ "name": n, "permalink": lang.config.permalink(&format!("{list}{slug}/")) })
            })
            .collect();
        let title = taxonomy
            .title
            .as_ref()
            .map_or(taxonomy.name.as_str(), |t| lang.text(t));
        other_terms.push(json!({ "name": taxonomy.name, "title": title, "terms": terms }));
    }
    map.insert("taxonomies".into(), Value::Object(taxonomies));
    map.insert("other_taxonomies".into(), Value::Array(other_terms));
    let permalink = lang.config.permalink(&page.doc.path);
    map.insert("event".into(), event_value(page, &permalink, lang.code));
    map.insert("policy".into(), json!(page.policy));
    let components: Vec<&str> = page.doc.path.split('/').filter(|c| !c.is_empty()).collect();
    map.insert("components".into(), json!(components));
    map.insert(
        "ancestors".into(),
        json!(ancestors(site, site.page_section[index], true)),
    );
    let section = &site.sections[site.page_section[index]];
    map.insert("section".into(), section.doc.rel.clone().into());
    let assets: Vec<String> = site
        .assets
        .iter()
        .filter(|(dest, _)| {
            page.bundle_dir.is_some() && dest.starts_with(page.doc.path.trim_start_matches('/'))
        })
        .map(|(dest, _)| dest[page.doc.path.len() - 1..].to_string())
        .collect();
    map.insert("assets".into(), json!(assets));
    Value::Object(map)
}

/// A section as templates see it. `pages` holds the precomputed page values
/// (empty on paginated sections, where they are in `paginator.pages`, as in Zola).
pub fn section_value(site: &Resolved, index: usize, lang: &Lang, pages: Vec<Value>) -> Value {
    let section = &site.sections[index];
    let mut map = Map::new();
    document_fields(site, &section.doc, lang, true, &mut map);
    map.insert("pages".into(), Value::Array(pages));
    let subsections: Vec<&str> = site.subsections[index]
        .iter()
        .map(|&i| site.sections[i].doc.rel.as_str())
        .collect();
    map.insert("subsections".into(), json!(subsections));
    map.insert("ancestors".into(), json!(ancestors(site, index, false)));
    map.insert("breadcrumbs".into(), breadcrumbs(site, index, lang));
    map.insert("generate_feed".into(), section.generate_feed.into());
    if section.generate_feed {
        map.insert(
            "feed_permalink".into(),
            lang.config
                .permalink(&format!("{}atom.xml", section.doc.path))
                .into(),
        );
    }
    Value::Object(map)
}

/// `page.event`: the front matter's fields, the time written the way of the
/// page's language, and the address of its calendar file.
fn event_value(page: &Page, permalink: &str, lang: &str) -> Value {
    let Some(event) = &page.event else {
        return Value::Null;
    };
    let mut value = json!(event);
    if let Value::Object(map) = &mut value {
        map.insert(
            "when".into(),
            structured::time_range(lang, &event.start, event.end.as_ref()).into(),
        );
        map.insert("all_day".into(), event.start.time.is_none().into());
        map.insert("ics".into(), format!("{permalink}event.ics").into());
    }
    value
}

/// The schema.org JSON-LD of a page, as `<script>` elements: Event for an
/// event, GovernmentService for a policy, FAQPage for questions and answers.
fn jsonld(page: &Page, title: &str, permalink: &str, lang: &Lang) -> String {
    use crate::output::jsonld;
    let description = page.doc.description.as_deref();
    let mut out = String::new();
    if let Some(event) = &page.event {
        out.push_str(&jsonld::script(&jsonld::event(&jsonld::EventLd {
            name: title,
            description,
            url: permalink,
            start: &event.start,
            end: event.end.as_ref(),
            venue: event.venue.as_deref(),
            organizers: &event.organizers,
            language: lang.code,
        })));
    }
    if let Some(policy) = &page.policy {
        out.push_str(&jsonld::script(&jsonld::government_service(
            &jsonld::ServiceLd {
                name: title,
                description,
                url: permalink,
                service_type: Some(lang.word("policy_service_type")),
                clause_separator: lang.word("clause_separator"),
                provider: policy.issuer.as_deref(),
                document: policy.document.as_deref(),
                eligibility: &policy.eligibility,
                area: None,
                telephone: None,
            },
        )));
    }
    if !page.doc.body.faq.is_empty() {
        out.push_str(&jsonld::script(&jsonld::faq_page(&filled_faq(page))));
    }
    out
}

/// The `.ics` file of an event page. Its address is the published one: the
/// file leaves the browser for a phone's calendar, even from a preview.
pub fn calendar(page: &Page, event: &structured::Event, config: &Config, words: &I18n) -> String {
    let words = Lang::of(config, page.doc.lang, words);
    let lang = words.code;
    let permalink = config.published_permalink(&page.doc.path);
    let uid = format!(
        "{}@anxin",
        permalink
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/')
    );
    crate::output::ics::calendar(
        &crate::output::ics::CalendarEvent {
            uid: &uid,
            title: page.doc.title.get(lang, &config.default_language),
            description: page.doc.description.as_deref(),
            url: &permalink,
            start: &event.start,
            end: event.end.as_ref(),
            location: event.venue.as_deref(),
            organizers: &event.organizers,
            words: crate::output::ics::CalendarWords {
                organized_by: words.word("calendar_organized_by"),
                details: words.word("calendar_details"),
                list_separator: words.word("list_separator"),
            },
            stamp: page.date.as_ref().unwrap_or(&event.start),
        },
        // The last part names the language of the file's texts.
        &format!(
            "-//anxin//anxin//{}",
            lang.split('-').next().unwrap_or(lang).to_uppercase()
        ),
    )
}

/// Zola's `ancestors`: the relative paths of the sections above, root first.
fn ancestors(site: &Resolved, section: usize, include_self: bool) -> Vec<String> {
    let mut chain = Vec::new();
    let mut current = if include_self {
        Some(section)
    } else {
        site.section_parent[section]
    };
    while let Some(i) = current {
        chain.push(site.sections[i].doc.rel.clone());
        current = site.section_parent[i];
    }
    chain.reverse();
    chain
}

/// The same chain with titles and links, ready for a breadcrumb trail.
fn breadcrumbs(site: &Resolved, section: usize, lang: &Lang) -> Value {
    let mut chain = Vec::new();
    let mut current = Some(section);
    while let Some(i) = current {
        let d = &site.sections[i].doc;
        chain.push(json!({
            "title": d.title.get(lang.code, &lang.config.default_language),
            "permalink": lang.config.permalink(&d.path),
            "path": d.path,
        }));
        current = site.section_parent[i];
    }
    chain.reverse();
    Value::Array(chain)
}

/// `json!` would serialise `pages` again (a deep copy); they are moved in.
fn with_pages(mut value: Value, pages: Vec<Value>) -> Value {
    if let Value::Object(map) = &mut value {
        map.insert("pages".into(), Value::Array(pages));
    }
    value
}

pub fn term_value(term: &Term, lang: &Lang, pages: Vec<Value>) -> Value {
    let value = json!({
        "name": term.name,
        "slug": term.slug,
        "permalink": lang.config.permalink(&term.path),
        "path": term.path,
        "page_count": term.pages.len(),
    });
    with_pages(value, pages)
}

/// Zola's paginator, for page `current` (1-based) of `total`.
pub fn paginator_value(
    section_path: &str,
    lang: &Lang,
    paginate_by: usize,
    current: usize,
    total: usize,
    pages: Vec<Value>,
) -> Value {
    use crate::content::resolve::pager_path;
    let link = |k: usize| lang.config.permalink(&pager_path(section_path, k));
    let value = json!({
        "paginate_by": paginate_by,
        "current_index": current,
        "number_pagers": total,
        "total_pages": total,
        "first": link(1),
        "last": link(total),
        "previous": (current > 1).then(|| link(current - 1)),
        "next": (current < total).then(|| link(current + 1)),
        "base_url": lang.config.permalink(&format!("{section_path}page/")),
    });
    with_pages(value, pages)
}
