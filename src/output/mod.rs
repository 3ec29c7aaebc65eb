//! The built site as a list of files in memory, and the files made from the
//! model rather than templates: sitemap, robots.txt, feeds, redirects.

pub mod feed;
pub mod folder;
pub mod ics;
pub mod jsonld;
pub mod opendata;
pub mod qr;
pub mod site_search;
pub mod sitemap;
pub mod swap;
pub mod writer;

use std::path::PathBuf;
use std::sync::Arc;

/// What goes into one output file. Static files and assets are not read into
/// memory: they are copied (or served) straight from their source. Rendered
/// bytes are shared, so the preview server's snapshot and the incremental
/// engine hold the same page without copying it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    Bytes(Arc<[u8]>),
    Static(&'static [u8]),
    Copy(PathBuf),
}

impl Contents {
    /// The bytes, reading a copied file from disk if need be.
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            Contents::Bytes(b) => Ok(b.as_ref().into()),
            Contents::Static(b) => Ok((*b).into()),
            Contents::Copy(p) => std::fs::read(p).map(Into::into),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path inside the output folder, `/`-separated, no leading slash:
    /// `news/a/index.html`.
    pub path: String,
    pub contents: Contents,
}

impl OutputFile {
    pub fn text(path: impl Into<String>, text: String) -> Self {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(Arc::from(text.into_bytes())),
        }
    }
}

/// A relative path with `/` between its parts on every system, as output
/// paths and paths inside `content/` are written.
pub fn slash_path(rel: &std::path::Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The output file of a URL path: `/news/a/` → `news/a/index.html`.
pub fn index_file(url_path: &str) -> String {
    let trimmed = url_path.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

/// A page that sends the reader on to `target`: for `aliases` and for
/// `/page/1/` of a paginated section. Works without JavaScript.
pub fn redirect_page(target: &str) -> String {
    let target = escape_xml(target);
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>页面已移动</title>\n<link rel=\"canonical\" href=\"{target}\">\n<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n<meta name=\"robots\" content=\"noindex\">\n</head>\n<body>\n<p>本页已移至 <a href=\"{target}\">{target}</a>。</p>\n</body>\n</html>\n"
    )
}

pub use crate::html::escape as escape_xml;

/// Percent-encodes what a URL may not hold as it is (Chinese path parts
/// included), for XML files whose readers expect RFC 3986 addresses.
pub fn encode_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths_map_to_index_files() {
        assert_eq!(index_file("/"), "index.html");
        assert_eq!(index_file("/news/a/"), "news/a/index.html");
        assert_eq!(index_file("/404.html"), "404.html");
    }

    #[test]
    fn encodes_chinese_in_urls() {
        assert_eq!(
            encode_url("https://example.org/tags/培训/"),
            "https://example.org/tags/%E5%9F%B9%E8%AE%AD/"
        );
    }
}
