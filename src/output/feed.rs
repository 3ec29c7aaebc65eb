//! Atom feeds (RFC 4287) for sections with `generate_feed = true`. The feed's
//! `updated` is its newest entry's date, never the build time, so that two
//! builds of the same input are identical.

use super::{encode_url, escape_xml};

pub struct FeedEntry {
    pub title: String,
    pub permalink: String,
    /// RFC 3339.
    pub updated: String,
    pub summary: Option<String>,
    /// HTML of the whole page.
    pub content: String,
}

pub struct Feed {
    pub title: String,
    pub feed_permalink: String,
    pub site_permalink: String,
    pub author: String,
    pub lang: String,
    pub entries: Vec<FeedEntry>,
}

/// Only the newest entries are listed, as feed readers expect.
pub const FEED_LIMIT: usize = 20;

pub fn atom(feed: &Feed) -> String {
    let updated = feed
        .entries
        .iter()
        .map(|e| e.updated.as_str())
        .max()
        .unwrap_or("1970-01-01T00:00:00Z");
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <id>{}</id>\n  <updated>{}</updated>\n  <author><name>{}</name></author>\n",
        escape_xml(&feed.lang),
        escape_xml(&feed.title),
        escape_xml(&encode_url(&feed.feed_permalink)),
        escape_xml(&encode_url(&feed.site_permalink)),
        escape_xml(&encode_url(&feed.feed_permalink)),
        escape_xml(updated),
        escape_xml(&feed.author),
    );
    for e in feed.entries.iter().take(FEED_LIMIT) {
        let link = escape_xml(&encode_url(&e.permalink));
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n    <id>{link}</id>\n    <updated>{}</updated>\n",
            escape_xml(&e.title),
            escape_xml(&e.updated),
        ));
        if let Some(s) = &e.summary {
            xml.push_str(&format!(
                "    <summary type=\"html\">{}</summary>\n",
                escape_xml(s)
            ));
        }
        xml.push_str(&format!(
            "    <content type=\"html\">{}</content>\n  </entry>\n",
            escape_xml(&e.content)
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_is_dated_by_its_newest_entry_and_escaped() {
        let xml = atom(&Feed {
            title: "新闻 & 动态".into(),
            feed_permalink: "https://e.org/news/atom.xml".into(),
            site_permalink: "https://e.org/news/".into(),
            author: "示例县疾控中心".into(),
            lang: "zh-CN".into(),
            entries: vec![
                FeedEntry {
                    title: "a".into(),
                    permalink: "https://e.org/news/a/".into(),
                    updated: "2025-03-01T00:00:00+08:00".into(),
                    summary: None,
                    content: "<p>x</p>".into(),
                },
                FeedEntry {
                    title: "b".into(),
                    permalink: "https://e.org/news/b/".into(),
                    updated: "2025-05-01T00:00:00+08:00".into(),
                    summary: Some("<p>s</p>".into()),
                    content: "<p>y</p>".into(),
                },
            ],
        });
        assert!(xml.contains("<title>新闻 &amp; 动态</title>"));
        assert!(xml.contains("<updated>2025-05-01T00:00:00+08:00</updated>\n  <author>"));
        assert!(xml.contains("&lt;p&gt;y&lt;/p&gt;"));
    }
}
