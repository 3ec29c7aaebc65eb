//! Where the files of `content/` that are not markdown are published: a
//! bundle's beside its page, the others at their place in the folder tree.

use super::Page;
use std::collections::HashSet;
use std::path::PathBuf;

/// Bundle files go beside their page (under its URL, slug included); other
/// files keep their place in the folder tree.
pub fn place_assets(
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
        let deepest = bundles
            .iter()
            .filter(|(dir, _)| asset.rel.starts_with(&format!("{dir}/")))
            .map(|(dir, _)| dir.len())
            .max();
        match deepest {
            // Beside each language's version of the bundle's page, so that
            // `poster.svg` in `index.en.md` works as it does in `index.md`.
            Some(len) => {
                for (dir, path) in bundles.iter().filter(|(dir, _)| {
                    dir.len() == len && asset.rel.starts_with(&format!("{dir}/"))
                }) {
                    let dest = format!(
                        "{}{}",
                        path.trim_start_matches('/'),
                        &asset.rel[dir.len() + 1..]
                    );
                    placed.push((dest, asset.source.clone()));
                }
            }
            None => {
                let (dir, name) = asset.rel.rsplit_once('/').unwrap_or(("", &asset.rel));
                let dir_path = super::load::url_path(dir, None);
                placed.push((
                    format!("{}{name}", dir_path.trim_start_matches('/')),
                    asset.source,
                ));
            }
        }
    }
    placed
}
