//! The index files as the browser reads them: their JSON shapes, where each
//! lives, the shard hash and the postings code. The builder writes through
//! these types and the Rust client reads through them, so the two cannot
//! drift apart; `search.js` reads the same shapes.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Raised whenever a file's shape or a tokenizer rule changes, so an old
/// `search.js` cached by a phone refuses a new index rather than misreading it.
pub const VERSION: u32 = 2;

/// `meta.json`: everything a query needs before it fetches a shard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub version: u32,
    pub entries: u32,
    pub shards: u32,
    /// Always `"fnv1a32"`; named so that a client can check it.
    pub hash: String,
    /// A digest of every other file of the index: the client adds it to the
    /// addresses it fetches (`?v=…`) so that a cached shard of the last build
    /// is never read with this build's entry numbers.
    pub build: String,
    /// Shortest last word that is expanded to longer words ([`Shard::p`]).
    pub prefix: u32,
}

/// `t/<n>.json`: the tokens whose hash falls in shard `n`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// Token → postings ([`encode_postings`]).
    pub t: BTreeMap<String, String>,
    /// Word prefix → the most common longer words that start with it, as the
    /// rest of each word (`"subsid": ["y", "ies"]`). Kept under the hash of
    /// the prefix, so it comes in the shard a query fetches for the prefix
    /// itself.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub p: BTreeMap<String, Vec<String>>,
}

/// `f/<id>.json`: what a result shows, and the text its phrase and snippet
/// are looked for in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fragment {
    /// Site path, without base_url.
    pub u: String,
    pub t: String,
    /// `page`, `hotline` or `indicator`.
    pub k: String,
    pub d: String,
    /// The start of the body, whitespace collapsed ([`super::index::EXCERPT_CHARS`]).
    pub b: String,
}

pub fn meta_path(dir: &str) -> String {
    format!("{dir}/meta.json")
}

pub fn shard_path(dir: &str, shard: u32) -> String {
    format!("{dir}/t/{shard}.json")
}

pub fn fragment_path(dir: &str, id: u32) -> String {
    format!("{dir}/f/{id}.json")
}

/// FNV-1a, 32 bits, over the UTF-8 bytes: a few lines in JavaScript
/// (`Math.imul`), stable across builds and platforms.
pub use crate::fingerprint::fnv1a32;

pub fn shard_of(token: &str, shards: u32) -> u32 {
    fnv1a32(token.as_bytes()) % shards.max(1)
}

/// Where a token was found in an entry, one bit per field group. Tags are
/// apart from headings and description: an author's word for what the page
/// is about (a page tagged 监护补贴 is about the subsidy, whatever its text
/// calls it).
pub const IN_TITLE: u8 = 1;
pub const IN_META: u8 = 2;
pub const IN_BODY: u8 = 4;
pub const IN_TAGS: u8 = 8;
/// How many masks there are (1..=15), the factor of the gap below.
const MASKS: u64 = 15;

/// One entry in a token's postings: the entry number and the fields
/// (a nonzero mask of `IN_*` bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub id: u32,
    pub mask: u8,
}

// Postings are a string of base-57/34 digits. Each posting is one number,
// `gap * 15 + (mask - 1)`, where `gap` is the id for the first posting and
// the distance to the previous id minus one after it. A number is written
// as its quotient by 57 in "continuation" digits `]`..`~` (base 34, most
// significant first, none when the quotient is 0), then its remainder as one
// "final" digit `#`..`[` (base 57). Neither range holds `"` or `\`, so the
// string needs no JSON escapes. A common token (gap 0–7) costs one
// character per entry; one in every 100th entry about two. On the
// 10,000-entry corpus of examples/search_size the shards are 7.0 MB (3.6 MB
// gzipped); JSON arrays of [gap, mask, …] would be 21.7 MB (4.2 MB), arrays
// of the combined numbers 14.4 MB (4.1 MB), comma-separated base 36 12.0 MB
// (4.0 MB). Phones pay for the raw bytes too: parsing and memory.
const FINAL_BASE: u32 = 57;
const FINAL_FIRST: u32 = 0x23;
const CONT_BASE: u32 = 34;
const CONT_FIRST: u32 = 0x5D;

pub fn encode_postings(postings: &[Posting]) -> String {
    let mut out = String::with_capacity(postings.len() * 2);
    let mut next = 0;
    let mut digits = Vec::new();
    for p in postings {
        let gap = p.id.saturating_sub(next);
        next = p.id + 1;
        let n = u64::from(gap) * MASKS + u64::from(p.mask.clamp(1, 15) - 1);
        let mut q = n / u64::from(FINAL_BASE);
        digits.clear();
        while q > 0 {
            digits.push((q % u64::from(CONT_BASE)) as u32);
            q /= u64::from(CONT_BASE);
        }
        for &d in digits.iter().rev() {
            out.push(char::from_u32(CONT_FIRST + d).unwrap_or('~'));
        }
        let r = (n % u64::from(FINAL_BASE)) as u32;
        out.push(char::from_u32(FINAL_FIRST + r).unwrap_or('#'));
    }
    out
}

/// The postings of a string from [`encode_postings`]; `None` if it is not
/// one (a damaged or foreign file).
pub fn decode_postings(text: &str) -> Option<Vec<Posting>> {
    let mut out = Vec::new();
    let mut q: u64 = 0;
    let mut pending = false;
    let mut next: u64 = 0;
    for c in text.chars() {
        let c = c as u32;
        if (CONT_FIRST..CONT_FIRST + CONT_BASE).contains(&c) {
            q = q
                .checked_mul(u64::from(CONT_BASE))?
                .checked_add(u64::from(c - CONT_FIRST))?;
            pending = true;
        } else if (FINAL_FIRST..FINAL_FIRST + FINAL_BASE).contains(&c) {
            let n = q
                .checked_mul(u64::from(FINAL_BASE))?
                .checked_add(u64::from(c - FINAL_FIRST))?;
            let id = next.checked_add(n / MASKS)?;
            out.push(Posting {
                id: u32::try_from(id).ok()?,
                mask: (n % MASKS) as u8 + 1,
            });
            next = id + 1;
            q = 0;
            pending = false;
        } else {
            return None;
        }
    }
    (!pending).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_round_trip() {
        let postings: Vec<Posting> = [(0, 1), (1, 7), (2, 4), (60, 2), (5000, 3), (5001, 5)]
            .iter()
            .map(|&(id, mask)| Posting { id, mask })
            .collect();
        let text = encode_postings(&postings);
        assert_eq!(decode_postings(&text), Some(postings));
        assert!(!text.contains('"') && !text.contains('\\'), "{text}");
    }

    #[test]
    fn consecutive_entries_cost_one_character_each() {
        let postings: Vec<Posting> = (0..100).map(|id| Posting { id, mask: 4 }).collect();
        assert_eq!(encode_postings(&postings).len(), 100);
    }

    #[test]
    fn rejects_foreign_postings() {
        assert_eq!(decode_postings("\"x"), None);
        // A continuation digit with no final digit after it.
        assert_eq!(decode_postings("#]"), None);
    }

    #[test]
    fn fnv1a_matches_the_reference_values() {
        assert_eq!(fnv1a32(b""), 0x811c_9dc5);
        assert_eq!(fnv1a32(b"a"), 0xe40c_292c);
        assert_eq!(fnv1a32(b"foobar"), 0xbf9c_f968);
    }
}
