//! Running a query against the built files, step for step as `search.js`
//! does in the browser, recording each file it fetches. Tests use it to check
//! what a resident would find, and the size report to count what a query
//! costs.

use super::EntryKind;
use super::format::{
    self, Fragment, IN_BODY, IN_META, IN_TAGS, IN_TITLE, Meta, Posting, Shard, VERSION,
    decode_postings, shard_of,
};
use super::snippet::{Snippet, has_phrase, snippet};
use super::tokenize::{QueryTerms, query_terms};
use crate::output::OutputFile;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// One result as the page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub url: String,
    pub title: String,
    pub kind: EntryKind,
    pub snippet: Snippet,
}

/// A query's results and the index files it fetched (paths, in the order
/// asked for, each once).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Traced {
    pub hits: Vec<Hit>,
    pub fetched: Vec<String>,
}

pub fn search(files: &[OutputFile], dir: &str, query: &str, limit: usize) -> Vec<Hit> {
    search_traced(files, dir, query, limit).hits
}

pub fn search_traced(files: &[OutputFile], dir: &str, query: &str, limit: usize) -> Traced {
    let mut fetch = Fetcher {
        files: files.iter().map(|f| (f.path.as_str(), f)).collect(),
        fetched: Vec::new(),
    };
    let hits = run(&mut fetch, dir.trim_end_matches('/'), query, limit).unwrap_or_default();
    Traced {
        hits,
        fetched: fetch.fetched,
    }
}

/// The built files standing in for the web server; remembers what was asked.
struct Fetcher<'a> {
    files: HashMap<&'a str, &'a OutputFile>,
    fetched: Vec<String>,
}

impl Fetcher<'_> {
    /// Like the browser's session cache: a file asked for twice is fetched
    /// (and counted) once.
    fn json<T: serde::de::DeserializeOwned>(&mut self, path: String) -> Option<T> {
        let file = self.files.get(path.as_str())?;
        if !self.fetched.contains(&path) {
            self.fetched.push(path);
        }
        serde_json::from_slice(&file.contents.read().ok()?).ok()
    }
}

/// A token's entries, with the fields it is in and whether the entry holds
/// the token itself rather than only a longer word it starts.
#[derive(Debug, Clone, Copy)]
struct Match {
    id: u32,
    mask: u8,
    exact: bool,
}

/// An entry that holds every token, with what ranks it.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    id: u32,
    score: u32,
    /// Every token is in the title.
    title: bool,
}

fn run(fetch: &mut Fetcher, dir: &str, query: &str, limit: usize) -> Option<Vec<Hit>> {
    let terms = query_terms(query);
    if terms.tokens.is_empty() {
        return Some(Vec::new());
    }
    let meta: Meta = fetch.json(format::meta_path(dir))?;
    if meta.version != VERSION || meta.hash != "fnv1a32" {
        return None;
    }
    let shards = fetch_shards(fetch, dir, &meta, &terms.tokens)?;
    let mut lists = Vec::with_capacity(terms.tokens.len());
    for token in &terms.tokens {
        let mut list = postings(&shards, &meta, token, true)?;
        if terms.prefix.as_ref() == Some(token) && token.chars().count() >= meta.prefix as usize {
            list = with_completions(fetch, dir, &meta, &shards, token, list)?;
        }
        if list.is_empty() {
            // Every token must match: one without entries ends the query
            // before any completion or fragment is fetched.
            return Some(Vec::new());
        }
        lists.push(list);
    }
    let ranked = rank(&lists);
    let mut hits: Vec<(Candidate, Fragment, bool, bool)> = Vec::new();
    for c in ranked.into_iter().take(limit) {
        let f: Fragment = fetch.json(format::fragment_path(dir, c.id))?;
        let in_title = has_phrase(&f.t, &terms.phrase);
        let anywhere =
            in_title || has_phrase(&f.d, &terms.phrase) || has_phrase(&f.b, &terms.phrase);
        hits.push((c, f, in_title, anywhere));
    }
    // Exact phrases go first among the results fetched; see the module docs
    // for why only among those.
    hits.sort_by(|a, b| {
        (b.2, b.0.title, b.3, b.0.score)
            .cmp(&(a.2, a.0.title, a.3, a.0.score))
            .then(a.0.id.cmp(&b.0.id))
    });
    Some(
        hits.into_iter()
            .map(|(_, f, _, _)| hit(f, &terms))
            .collect(),
    )
}

type Shards = HashMap<u32, Shard>;

/// The shards of `tokens`, each once, in the order the tokens need them.
fn fetch_shards(fetch: &mut Fetcher, dir: &str, meta: &Meta, tokens: &[String]) -> Option<Shards> {
    let mut shards = Shards::new();
    for token in tokens {
        let n = shard_of(token, meta.shards);
        if let Entry::Vacant(slot) = shards.entry(n) {
            slot.insert(fetch.json(format::shard_path(dir, n))?);
        }
    }
    Some(shards)
}

fn postings(shards: &Shards, meta: &Meta, token: &str, exact: bool) -> Option<Vec<Match>> {
    let shard = shards.get(&shard_of(token, meta.shards))?;
    let list = match shard.t.get(token) {
        Some(text) => decode_postings(text)?,
        None => Vec::new(),
    };
    Some(
        list.into_iter()
            .map(|Posting { id, mask }| Match { id, mask, exact })
            .collect(),
    )
}

/// Adds to a token's entries those of the longer words it is a prefix of,
/// fetching their shards (the second and last round of fetches).
fn with_completions(
    fetch: &mut Fetcher,
    dir: &str,
    meta: &Meta,
    shards: &Shards,
    prefix: &str,
    mut list: Vec<Match>,
) -> Option<Vec<Match>> {
    let own = shards.get(&shard_of(prefix, meta.shards))?;
    let words: Vec<String> = match own.p.get(prefix) {
        Some(rest) => rest.iter().map(|r| format!("{prefix}{r}")).collect(),
        None => return Some(list),
    };
    let more = fetch_shards(fetch, dir, meta, &words)?;
    for word in &words {
        list.extend(postings(&more, meta, word, false)?);
    }
    list.sort_by_key(|m| m.id);
    // One match per entry: fields together, exact if any is.
    let mut merged: Vec<Match> = Vec::with_capacity(list.len());
    for m in list {
        match merged.last_mut() {
            Some(last) if last.id == m.id => {
                last.mask |= m.mask;
                last.exact |= m.exact;
            }
            _ => merged.push(m),
        }
    }
    Some(merged)
}

/// A token's worth to an entry: by the fields it is in, twice as much for
/// the token itself as for a word it only begins.
fn weight(m: &Match) -> u32 {
    let mut w = 0;
    if m.mask & IN_TITLE != 0 {
        w += 8;
    }
    if m.mask & IN_TAGS != 0 {
        w += 5;
    }
    if m.mask & IN_META != 0 {
        w += 3;
    }
    if m.mask & IN_BODY != 0 {
        w += 1;
    }
    if m.exact { w * 2 } else { w }
}

/// The entries in every list, best first: all tokens in the title, then by
/// score, then in entry order (the integrator's order).
fn rank(lists: &[Vec<Match>]) -> Vec<Candidate> {
    // Walk the shortest list and look each entry up in the others.
    let Some(shortest) = (0..lists.len()).min_by_key(|&i| lists[i].len()) else {
        return Vec::new();
    };
    let others: Vec<&Vec<Match>> = (0..lists.len())
        .filter(|&i| i != shortest)
        .map(|i| &lists[i])
        .collect();
    let mut out = Vec::new();
    'entries: for m in &lists[shortest] {
        let mut c = Candidate {
            id: m.id,
            score: weight(m),
            title: m.mask & IN_TITLE != 0,
        };
        for list in &others {
            let Ok(i) = list.binary_search_by_key(&m.id, |x| x.id) else {
                continue 'entries;
            };
            c.score += weight(&list[i]);
            c.title &= list[i].mask & IN_TITLE != 0;
        }
        out.push(c);
    }
    out.sort_by(|a, b| {
        (b.title, b.score)
            .cmp(&(a.title, a.score))
            .then(a.id.cmp(&b.id))
    });
    out
}

fn hit(f: Fragment, terms: &QueryTerms) -> Hit {
    let kind = match f.k.as_str() {
        "hotline" => EntryKind::Hotline,
        "indicator" => EntryKind::Indicator,
        _ => EntryKind::Page,
    };
    Hit {
        snippet: snippet(&f.d, &f.b, &terms.phrase, &terms.tokens),
        url: f.u,
        title: f.t,
        kind,
    }
}
