//! Escaping text for HTML and XML, in one place: the same rule serves the
//! markdown pass, the link resolver, tera's autoescape and the feeds.

/// Appends `text` with `& < > " '` escaped, which is safe in element content
/// and in quoted attributes of HTML and XML. `/` is left alone so addresses
/// stay readable.
pub fn push_escaped(out: &mut String, text: &str) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(entity);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_escaped(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_but_not_slashes_or_chinese() {
        assert_eq!(
            escape("<a href=\"x\">'申请' & 查询</a>/"),
            "&lt;a href=&quot;x&quot;&gt;&#39;申请&#39; &amp; 查询&lt;/a&gt;/"
        );
    }
}
