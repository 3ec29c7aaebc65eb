//! Building the index files from the entries: postings per token, prefix
//! completions, shards sized to the index, and one fragment per entry.

use super::format::{
    self, Fragment, IN_BODY, IN_META, IN_TAGS, IN_TITLE, Meta, Posting, Shard, VERSION,
    encode_postings, shard_of,
};
use super::tokenize::{Class, class, for_each_index_token, number_tokens};
use super::{Entry, EntryKind};
use crate::output::OutputFile;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

/// How much of the body a fragment keeps: enough for a snippet and for the
/// exact-phrase check on a page's opening, little enough that ten results
/// cost about 30 kB (1,000 Han characters are 3,000 bytes of UTF-8).
pub const EXCERPT_CHARS: usize = 1000;

/// The mean shard size aimed at. The shard count follows the index size, so
/// a query's cost stays the same as a site grows: a few shards of this size.
const SHARD_BYTES: usize = 16 * 1024;

/// Words shorter than this are not expanded as prefixes: "su" would fetch
/// the shards of many words to find little.
pub const PREFIX_MIN: usize = 3;

/// How many longer words a prefix stands for, the most common first. Each is
/// one more shard to fetch, so few.
const COMPLETIONS: usize = 4;

pub fn build_index(entries: &[Entry], dir: &str) -> Vec<OutputFile> {
    build_sized(entries.len(), |i| entries[i].clone(), dir, SHARD_BYTES)
}

/// [`build_index`] of `count` entries made one at a time by `entry(i)`: a
/// chunk of entries is made, indexed and let go before the next, so that a
/// large site's whole text (a 10,000-page site has tens of megabytes) is
/// never in memory at once.
pub fn build_index_with<F>(count: usize, entry: F, dir: &str) -> Vec<OutputFile>
where
    F: Fn(usize) -> Entry + Sync,
{
    build_sized(count, entry, dir, SHARD_BYTES)
}

/// [`build_index_with`] with another shard size: tests use tiny shards so
/// that a handful of entries spreads over many of them.
pub(crate) fn build_sized<F>(
    count: usize,
    entry: F,
    dir: &str,
    shard_bytes: usize,
) -> Vec<OutputFile>
where
    F: Fn(usize) -> Entry + Sync,
{
    let dir = dir.trim_end_matches('/');
    let (postings, fragments) = collect_postings(count, &entry, dir);
    let completions = completions(&postings);

    // Each list is let go once encoded: the lists and their encoding are
    // never both whole in memory.
    let encoded: Vec<(String, String)> = postings
        .into_iter()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(token, list)| {
            let text = encode_postings(&list);
            (token, text)
        })
        .collect();
    // Key, value, quotes, colon and comma; close enough to size the shards.
    let bytes: usize = encoded
        .iter()
        .map(|(k, v)| k.len() + v.len() + 6)
        .chain(
            completions
                .iter()
                .map(|(k, v)| k.len() + 6 + v.iter().map(|s| s.len() + 3).sum::<usize>()),
        )
        .sum();
    let shard_count = u32::try_from(bytes.div_ceil(shard_bytes.max(1)).max(1)).unwrap_or(u32::MAX);

    let mut shards = vec![Shard::default(); shard_count as usize];
    for (token, list) in encoded {
        shards[shard_of(&token, shard_count) as usize]
            .t
            .insert(token, list);
    }
    for (prefix, rest) in completions {
        shards[shard_of(&prefix, shard_count) as usize]
            .p
            .insert(prefix, rest);
    }

    // Serialising is most of the time left after tokenizing; the files do
    // not depend on each other.
    let mut files: Vec<OutputFile> = shards
        .into_par_iter()
        .enumerate()
        .map(|(n, shard)| {
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            OutputFile::text(format::shard_path(dir, n), json(&shard))
        })
        .collect();
    files.extend(fragments);
    let mut digest = Vec::with_capacity(files.len() * 4);
    for file in &files {
        if let Ok(bytes) = file.contents.read() {
            digest.extend(format::fnv1a32(&bytes).to_le_bytes());
        }
    }
    let meta = Meta {
        version: VERSION,
        entries: u32::try_from(count).unwrap_or(u32::MAX),
        shards: shard_count,
        hash: "fnv1a32".into(),
        build: format!("{:08x}", format::fnv1a32(&digest)),
        prefix: PREFIX_MIN as u32,
    };
    files.insert(0, OutputFile::text(format::meta_path(dir), json(&meta)));
    files
}

fn json<T: serde::Serialize>(value: &T) -> String {
    // Maps with string keys and plain structs: serialising cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}

type TokenMap = HashMap<String, Vec<Posting>, BuildHasherDefault<Fnv64>>;

/// Entries tokenized together on one thread. Big enough that merging the
/// chunks' maps costs little next to filling them.
const CHUNK: usize = 512;

/// Every token with the entries it occurs in, in token order (so the output
/// does not depend on hash-map order) and entry order; and each entry's
/// fragment file, in entry order.
fn collect_postings<F>(
    count: usize,
    entry: &F,
    dir: &str,
) -> (BTreeMap<String, Vec<Posting>>, Vec<OutputFile>)
where
    F: Fn(usize) -> Entry + Sync,
{
    // Merged as they finish, in order (rayon's reduce keeps it), rather
    // than all held until the last: common tokens are in every chunk.
    let (all, fragments) = (0..count.div_ceil(CHUNK))
        .into_par_iter()
        .map(|k| {
            let ids = k * CHUNK..((k + 1) * CHUNK).min(count);
            let entries: Vec<Entry> = ids.clone().map(entry).collect();
            let fragments = ids
                .zip(&entries)
                .map(|(id, e)| {
                    let id = u32::try_from(id).unwrap_or(u32::MAX);
                    OutputFile::text(format::fragment_path(dir, id), json(&fragment(e)))
                })
                .collect();
            (collect_chunk(&entries, k * CHUNK), fragments)
        })
        .reduce(
            || (TokenMap::default(), Vec::new()),
            |(mut earlier, mut files), (later, later_files)| {
                // Later entries after earlier ones: each token's postings
                // stay in entry order.
                if earlier.is_empty() {
                    earlier = later;
                } else {
                    for (token, list) in later {
                        earlier.entry(token).or_default().extend(list);
                    }
                }
                files.extend(later_files);
                (earlier, files)
            },
        );
    (all.into_iter().collect(), fragments)
}

fn collect_chunk(entries: &[Entry], first: usize) -> TokenMap {
    let mut map = TokenMap::default();
    let first = u32::try_from(first).unwrap_or(u32::MAX);
    for (id, entry) in (first..).zip(entries) {
        let mut add = |token: &str, mask: u8| match map.get_mut(token) {
            // Entries go in order, so the entry's posting, if any, is last.
            Some(list) => match list.last_mut() {
                Some(last) if last.id == id => last.mask |= mask,
                _ => list.push(Posting { id, mask }),
            },
            None => {
                map.insert(token.to_string(), vec![Posting { id, mask }]);
            }
        };
        let fields = std::iter::once((entry.title.as_str(), IN_TITLE))
            .chain(entry.headings.iter().map(|h| (h.as_str(), IN_META)))
            .chain(entry.tags.iter().map(|t| (t.as_str(), IN_TAGS)))
            .chain([
                (entry.description.as_str(), IN_META),
                (entry.body.as_str(), IN_BODY),
            ]);
        for (text, mask) in fields {
            for_each_index_token(text, |token| add(token, mask));
            for token in number_tokens(text) {
                add(&token, mask);
            }
        }
    }
    map
}

/// FNV-1a (64 bits) for the token map. Tokens are a few bytes, where the
/// default SipHash spends most of its time setting up; its protection
/// against crafted keys is not needed for a site's own text.
struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv64 {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// For each prefix of at least [`PREFIX_MIN`] characters of a word (not of
/// a Han token), the [`COMPLETIONS`] words starting with it that are in the
/// most entries, as their remaining characters.
fn completions(postings: &BTreeMap<String, Vec<Posting>>) -> BTreeMap<String, Vec<String>> {
    let mut by_prefix: BTreeMap<&str, Vec<(usize, &str)>> = BTreeMap::new();
    for (token, list) in postings {
        if token.chars().next().map(class) != Some(Class::Word) {
            continue;
        }
        let ends = token.char_indices().map(|(i, _)| i).skip(PREFIX_MIN);
        for end in ends {
            by_prefix
                .entry(&token[..end])
                .or_default()
                .push((list.len(), token));
        }
    }
    by_prefix
        .into_iter()
        .map(|(prefix, mut words)| {
            words.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
            let rest = words
                .iter()
                .take(COMPLETIONS)
                .map(|(_, w)| w[prefix.len()..].to_string())
                .collect();
            (prefix.to_string(), rest)
        })
        .collect()
}

fn fragment(entry: &Entry) -> Fragment {
    Fragment {
        u: entry.url.clone(),
        t: collapse(&entry.title, usize::MAX),
        k: kind_name(entry.kind).into(),
        d: collapse(&entry.description, usize::MAX),
        b: collapse(&entry.body, EXCERPT_CHARS),
    }
}

pub(crate) fn kind_name(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Page => "page",
        EntryKind::Hotline => "hotline",
        EntryKind::Indicator => "indicator",
    }
}

/// Runs of whitespace become one space (plain text from markdown keeps its
/// line breaks, which a snippet does not want), cut after `max` characters.
fn collapse(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    for word in text.split_whitespace() {
        if count > 0 {
            out.push(' ');
            count += 1;
        }
        for c in word.chars() {
            if count >= max {
                return out.trim_end().to_string();
            }
            out.push(c);
            count += 1;
        }
    }
    out
}
