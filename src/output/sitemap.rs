//! `sitemap.xml` and `robots.txt`.

use super::{encode_url, escape_xml};

pub struct SitemapEntry {
    pub permalink: String,
    /// RFC 3339 or `YYYY-MM-DD`.
    pub lastmod: Option<String>,
}

/// Entries are sorted by address so the file is the same on every build.
pub fn sitemap(mut entries: Vec<SitemapEntry>) -> String {
    entries.sort_by(|a, b| a.permalink.cmp(&b.permalink));
    entries.dedup_by(|a, b| a.permalink == b.permalink);
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for e in entries {
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&escape_xml(&encode_url(&e.permalink)));
        xml.push_str("</loc>\n");
        if let Some(lastmod) = e.lastmod {
            xml.push_str(&format!(
                "    <lastmod>{}</lastmod>\n",
                escape_xml(&lastmod)
            ));
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

pub fn robots(sitemap_permalink: &str) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        encode_url(sitemap_permalink)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_is_sorted_and_encoded() {
        let xml = sitemap(vec![
            SitemapEntry {
                permalink: "https://e.org/tags/培训/".into(),
                lastmod: None,
            },
            SitemapEntry {
                permalink: "https://e.org/a/".into(),
                lastmod: Some("2025-10-10".into()),
            },
        ]);
        let a = xml.find("https://e.org/a/").unwrap();
        let t = xml.find("https://e.org/tags/%E5%9F%B9%E8%AE%AD/").unwrap();
        assert!(a < t);
        assert!(xml.contains("<lastmod>2025-10-10</lastmod>"));
    }
}
