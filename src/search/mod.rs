//! The site search: an index built into static files, and a Rust twin of
//! the browser client (`themes/default/static/search.js`) that tests and the
//! size report run. There is no server, so the index is cut into small files
//! and a query fetches only the few it needs.
//!
//! # Tokens (the same in Rust and JavaScript)
//!
//! Each character is first folded: full-width ASCII (`Ａ１－`) to ASCII, then
//! lower case where that is one character. Then the text splits into runs:
//!
//! - **Han** (the ranges of [`crate::content::markdown::is_han`]): every
//!   character is a token, and so is every pair of adjacent characters. A
//!   query of one Han character looks for that character; a query run of
//!   n ≥ 2 characters looks for its n − 1 pairs, all of which must be in the
//!   entry, so any unbroken piece of two or more characters of a text finds
//!   it. Characters that are not adjacent (心援 against 全国心理援助热线)
//!   find nothing: there is no 心援 pair and no fallback to single
//!   characters. Typing them apart ("心 援") looks for 心 and 援 anywhere.
//! - **Words**: runs of other letters and digits (`char::is_alphanumeric`,
//!   `\p{Alphabetic}\p{N}` in JavaScript), so `12356` and `2400` stay whole.
//!   A word is kept to its first [`tokenize::MAX_WORD`] (32) characters, in
//!   the index and in a query alike (`MAX_WORD` in search.js): no real word
//!   is longer, and a pasted blob of a million letters would otherwise make
//!   a million prefixes of up to a million characters each.
//! - Everything else (Chinese and Latin punctuation, spaces, emoji) separates
//!   runs, and so does a change between Han and a word: `12356热线` is `12356`
//!   and `热线`. Pairs never span a separator.
//! - **Phone numbers** written in groups (`0571-8888 8888`) also give the
//!   digits joined (`057188888888`, and `88888888` without the area code):
//!   see [`number_tokens`]. It runs on every field of every entry, since pages
//!   name numbers too. The groups alone are ordinary words, so a query
//!   written with spaces finds them as well.
//!
//! # Files (under `dir`, for example `search/zh-CN/`)
//!
//! - `meta.json`: version, entry and shard counts, hash name, a build digest
//!   (appended to every other address as `?v=` so that a phone never mixes
//!   two builds), and the shortest prefix expanded.
//! - `t/<n>.json`, the term shards: a token is in shard
//!   `fnv1a32(utf8(token)) % shards`. Each maps token → postings, and word
//!   prefix → completions. The shard count is the index size over 16 kB, so
//!   a shard stays near that size whatever the site's size, and a query costs
//!   one shard per token however large the site grows.
//! - `f/<id>.json`, one fragment per entry: url, title, kind, description and
//!   the first [`EXCERPT_CHARS`] characters of the body. One per entry
//!   because results are scattered over the site: a file of several
//!   neighbours would mostly carry entries nobody asked for.
//!
//! Postings list, per token, the entries holding it (delta-coded, in a
//! compact base-57/34 string: see `format.rs`) and for each a mask of where:
//! title, tags, headings/description, body.
//!
//! # A query
//!
//! 1. Tokens as above; none → no results and no fetch. At most
//!    [`MAX_QUERY_TOKENS`] tokens.
//! 2. Fetch `meta.json`, then the shards of the tokens, all at once.
//! 3. The last word, if the query does not end with a separator and it has
//!    at least `meta.prefix` characters, is being typed: its shard lists up to
//!    four commoner longer words that start with it (`subsid` → `subsidy`),
//!    whose shards are fetched too (a second round), and an entry with any of
//!    them matches it. A sorted term list per shard could not do this: shards
//!    are by hash, so `subsidy` is not beside `subsid`.
//! 4. An entry matches when it holds every token (AND). A token not in the
//!    index ends the query there, before any completion or fragment.
//! 5. Rank: all tokens in the title first, then by score (per token 8 for the
//!    title, 5 for the tags, 3 for headings/description, 1 for the body,
//!    summed; doubled
//!    for the token itself rather than a word it begins), then entry order.
//! 6. Fetch the fragments of the first [`PAGE_SIZE`] (the next ones on "show
//!    more"). Among those, entries holding the query as an exact phrase
//!    (folded, separators ignored) go first: phrase in the title, then all
//!    tokens in the title, then phrase in the description or excerpt, then
//!    score. Only the fetched page is reordered, since the check needs the
//!    text; storing positions would make every posting several times larger
//!    to fix the rare case where an exact phrase ranks below a page of
//!    scattered matches. For Han queries pairs already keep the characters in
//!    order, so scattered matches of three or more characters are rare.
//! 7. A snippet for each: the phrase, else the earliest token, in the
//!    description, else the excerpt; else the opening text ([`Snippet`]).

mod format;
mod index;
mod query;
mod report;
mod snippet;
mod tokenize;

#[cfg(test)]
mod tests;

pub use index::{EXCERPT_CHARS, build_index, build_index_with};
pub use query::{Hit, Traced, search, search_traced};
pub use report::{QueryCost, SizeReport, size_report};
pub use snippet::Snippet;
pub use tokenize::{MAX_QUERY_TOKENS, number_tokens};

/// Results fetched and shown at a time, here and in `search.js`.
pub const PAGE_SIZE: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EntryKind {
    #[default]
    Page,
    Hotline,
    Indicator,
}

/// One searchable thing on the site: a page, a hotline or an indicator.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Entry {
    /// Site path without base_url: `/hotlines/#hotline-12356`.
    pub url: String,
    pub kind: EntryKind,
    pub title: String,
    /// May be empty.
    pub description: String,
    pub headings: Vec<String>,
    pub tags: Vec<String>,
    /// Plain text, no HTML; may be long (only its opening is stored for
    /// display, all of it is indexed).
    pub body: String,
}
