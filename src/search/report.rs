//! What the index weighs, and what each query costs a phone: the files the
//! client fetches for the first page of results and their bytes. Sizes are
//! raw (uncompressed): anxin has no compression crate of its own, and the
//! server's gzip or brotli only makes them smaller.

use super::PAGE_SIZE;
use super::query::search_traced;
use crate::output::OutputFile;
use std::collections::HashMap;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SizeReport {
    pub files: usize,
    pub bytes: usize,
    pub shards: usize,
    pub shard_bytes: usize,
    pub largest_shard: usize,
    pub fragments: usize,
    pub fragment_bytes: usize,
    pub queries: Vec<QueryCost>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryCost {
    pub query: String,
    pub hits: usize,
    /// Path (inside `dir`) and raw size of each file fetched.
    pub fetched: Vec<(String, usize)>,
    pub bytes: usize,
}

pub fn size_report(files: &[OutputFile], dir: &str, queries: &[&str]) -> SizeReport {
    let dir = dir.trim_end_matches('/');
    let size = |f: &OutputFile| f.contents.read().map_or(0, |b| b.len());
    let ours: Vec<&OutputFile> = files
        .iter()
        .filter(|f| f.path.starts_with(&format!("{dir}/")))
        .collect();
    let under = |folder: &str| {
        let prefix = format!("{dir}/{folder}/");
        ours.iter()
            .filter(move |f| f.path.starts_with(&prefix))
            .map(|f| size(f))
    };
    let sizes: HashMap<&str, usize> = files.iter().map(|f| (f.path.as_str(), size(f))).collect();
    let queries = queries
        .iter()
        .map(|&q| {
            let traced = search_traced(files, dir, q, PAGE_SIZE);
            let fetched: Vec<(String, usize)> = traced
                .fetched
                .iter()
                .map(|p| {
                    let short = p.strip_prefix(&format!("{dir}/")).unwrap_or(p);
                    (
                        short.to_string(),
                        sizes.get(p.as_str()).copied().unwrap_or(0),
                    )
                })
                .collect();
            QueryCost {
                query: q.to_string(),
                hits: traced.hits.len(),
                bytes: fetched.iter().map(|f| f.1).sum(),
                fetched,
            }
        })
        .collect();
    SizeReport {
        files: ours.len(),
        bytes: ours.iter().map(|f| size(f)).sum(),
        shards: under("t").count(),
        shard_bytes: under("t").sum(),
        largest_shard: under("t").max().unwrap_or(0),
        fragments: under("f").count(),
        fragment_bytes: under("f").sum(),
        queries,
    }
}

impl fmt::Display for SizeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kb = |b: usize| b as f64 / 1000.0;
        writeln!(
            f,
            "index: {} files, {:.1} kB raw",
            self.files,
            kb(self.bytes)
        )?;
        writeln!(
            f,
            "  shards: {} files, {:.1} kB (mean {:.1} kB, largest {:.1} kB)",
            self.shards,
            kb(self.shard_bytes),
            kb(self.shard_bytes / self.shards.max(1)),
            kb(self.largest_shard)
        )?;
        writeln!(
            f,
            "  fragments: {} files, {:.1} kB",
            self.fragments,
            kb(self.fragment_bytes)
        )?;
        for q in &self.queries {
            writeln!(
                f,
                "query {:?}: {} results shown, {} files, {:.1} kB",
                q.query,
                q.hits,
                q.fetched.len(),
                kb(q.bytes)
            )?;
            let list: Vec<String> = q
                .fetched
                .iter()
                .map(|(p, b)| format!("{p} {:.1}", kb(*b)))
                .collect();
            writeln!(f, "  {}", list.join(", "))?;
        }
        Ok(())
    }
}
