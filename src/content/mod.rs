//! The content model: pages and sections read from `content/`, and what the
//! resolve stage makes of them (URLs, listings, taxonomies, resolved links).

pub mod addresses;
pub mod assets;
pub mod cjk_emphasis;
pub mod date;
pub mod front_matter;
pub mod links;
pub mod load;
pub mod markdown;
pub mod resolve;
pub mod shortcodes;
pub mod slug;
pub mod structured;
pub mod taxonomy;
pub mod translations;

use crate::diagnostics::Diagnostic;
use crate::localized::Localized;
use date::Date;
use front_matter::SortBy;
use markdown::Rendered;
use std::path::PathBuf;
use std::sync::Arc;

/// A value from front matter together with a diagnostic already pointing at
/// it, so a later stage can report "unknown template" at the right line
/// without keeping the whole file in memory.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub value: T,
    pub at: Diagnostic,
}

/// What pages and sections have in common.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path inside `content/` with `/` separators: `news/a.md`.
    pub rel: String,
    /// The document's language, as an index into `Config::languages` (0 is
    /// the default language; `page.en.md` is `en`'s).
    pub lang: usize,
    /// Path as shown in messages: `content/news/a.md`.
    pub file: PathBuf,
    /// URL path, starting and ending with `/`: `/news/a/`.
    pub path: String,
    pub title: Localized,
    pub description: Option<String>,
    pub draft: bool,
    pub weight: Option<i64>,
    pub in_menu: Option<bool>,
    pub template: Option<Located<String>>,
    pub aliases: Vec<Located<String>>,
    pub extra: serde_json::Value,
    pub body: Rendered,
    /// Diagnostics that point at each internal link, in `body.links` order.
    pub link_sites: Vec<Diagnostic>,
    /// Each address written in the body (`/news/`, `poster.png`) with a
    /// diagnostic pointing at it, checked once the outputs are known.
    pub addresses: Vec<Located<String>>,
    /// Diagnostics that point at each shortcode call, in `body.shortcodes` order.
    pub shortcode_sites: Vec<Diagnostic>,
    /// The rendered shortcodes `content` was made with.
    pub filled_shortcodes: Option<Vec<shortcodes::Rendered>>,
    /// Lints found while parsing (images without alt text …): printed by
    /// `build`, errors under `check --strict`.
    pub warnings: Vec<Diagnostic>,
    /// Hash of the file's path and text: equal hashes, equal parse.
    pub source_hash: u64,
    /// The HTML with internal links filled in, set by the resolve stage;
    /// shared with the page's template value rather than copied.
    /// (`body.html` keeps the placeholders, so links can be filled again when
    /// a target moves without parsing the file again.)
    pub content: Arc<str>,
    /// The URLs `content` was filled with; when they are unchanged on a
    /// rebuild, `content` is kept as it is.
    pub filled_urls: Option<Vec<String>>,
    /// Hash of `content`, for the incremental engine's fingerprints.
    pub content_hash: u64,
    /// The part before `<!-- more -->`, set by the resolve stage.
    pub summary: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub doc: Document,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub tags: Vec<String>,
    /// Terms of the site's other taxonomies (`[taxonomies] categories =
    /// […]`): the taxonomy's index in `Config::taxonomies` (never 0, which
    /// is `tags`) and the page's terms.
    pub terms: Vec<(usize, Vec<String>)>,
    pub event: Option<structured::Event>,
    pub policy: Option<structured::Policy>,
    /// Where `expires = …` is written, for the warning once it has passed.
    pub expires_at: Option<Diagnostic>,
    /// `Some(dir)` for a page bundle `dir/index.md`.
    pub bundle_dir: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub doc: Document,
    pub sort_by: SortBy,
    pub paginate_by: Option<usize>,
    pub generate_feed: bool,
    pub page_template: Option<Located<String>>,
    /// Directory inside `content/` ("" for the root section).
    pub dir: String,
}

/// A file under `content/` that is not markdown: copied to the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Path inside `content/`.
    pub rel: String,
    pub source: PathBuf,
}

/// Everything read from `content/`.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    pub assets: Vec<Asset>,
    /// Files left out as drafts, so a link to one can say so.
    pub drafts: Vec<String>,
    /// Files that failed to parse: their own error is reported, so links to
    /// them are not reported again as links to nothing.
    pub unparsed: Vec<String>,
}
