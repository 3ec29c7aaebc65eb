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

/// The text a reader sees in an HTML fragment: tags dropped, entities
/// decoded, runs of whitespace made one space. What is never read as text
/// (scripts, styles, SVG drawings) is left out; block boundaries become a
/// space so that two paragraphs never run into one word.
pub fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    let mut skip_until: Option<&str> = None;
    while let Some(lt) = rest.find('<') {
        if skip_until.is_none() {
            push_decoded(&mut out, &rest[..lt]);
        }
        let after = &rest[lt..];
        let Some(gt) = after.find('>') else {
            rest = "";
            break;
        };
        let tag = &after[1..gt];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        match skip_until {
            Some(end) if tag.starts_with('/') && name == end => skip_until = None,
            Some(_) => {}
            None => match name.as_str() {
                "script" | "style" | "svg" | "template" if !tag.ends_with('/') => {
                    skip_until = Some(match name.as_str() {
                        "script" => "script",
                        "style" => "style",
                        "svg" => "svg",
                        _ => "template",
                    })
                }
                // Inline elements join their text to the words around them.
                "a" | "em" | "strong" | "b" | "i" | "code" | "span" | "mark" | "abbr" | "sub"
                | "sup" | "small" | "time" | "del" | "s" | "u" | "q" | "kbd" => {}
                _ => out.push(' '),
            },
        }
        rest = &after[gt + 1..];
    }
    if skip_until.is_none() {
        push_decoded(&mut out, rest);
    }
    let mut text = String::with_capacity(out.len());
    for word in out.split_whitespace() {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(word);
    }
    text
}

fn push_decoded(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let entity = after
            .find(';')
            .filter(|&end| end <= 10)
            .and_then(|end| Some((decode_entity(&after[1..end])?, end)));
        match entity {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_of_drops_tags_scripts_and_decodes_entities() {
        let html = "<h2 id=\"a\">申请<em>条件</em></h2><p>拨打 <a href=\"tel:12356\">12356</a> &amp; 110&#65281;</p>\
                    <script>var x = \"<p>no</p>\";</script><svg><text>图</text></svg><p>a&lt;b</p>";
        assert_eq!(text_of(html), "申请条件 拨打 12356 & 110！ a<b");
        assert_eq!(text_of("x & y <br/>z"), "x & y z");
        assert_eq!(text_of(""), "");
    }

    #[test]
    fn escapes_markup_but_not_slashes_or_chinese() {
        assert_eq!(
            escape("<a href=\"x\">'申请' & 查询</a>/"),
            "&lt;a href=&quot;x&quot;&gt;&#39;申请&#39; &amp; 查询&lt;/a&gt;/"
        );
    }
}
