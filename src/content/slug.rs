//! Ids and URL parts made from text, keeping Chinese as it is: `## 申请条件`
//! gets `id="申请条件"`, the tag `Mental Health` gets `/tags/mental-health/`.

/// ASCII letters lower-cased, each run of whitespace turned into `-`, anything
/// that is neither alphanumeric (in any script) nor `-` nor `_` dropped — the
/// rule GitHub uses for heading anchors, which authors already know.
pub fn slugify(text: &str) -> String {
    fit(clean(text))
}

/// The longest slug kept whole, in bytes. A slug becomes a folder name, and
/// file systems allow 255 bytes: 86 Han characters are 258.
pub const MAX_SLUG_BYTES: usize = 180;

/// A slug longer than [`MAX_SLUG_BYTES`] cut at a character boundary, with
/// a hash of the whole slug appended so that two long slugs that start alike
/// stay apart; the same text always gives the same slug.
fn fit(slug: String) -> String {
    if slug.len() <= MAX_SLUG_BYTES {
        return slug;
    }
    let hash = crate::fingerprint::fnv1a32(slug.as_bytes());
    let mut cut = MAX_SLUG_BYTES - 9;
    while !slug.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{hash:08x}", &slug[..cut])
}

fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.trim().chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push('-');
            }
            in_space = true;
            continue;
        }
        in_space = false;
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// Hands out unique ids within one page: the second `概述` becomes `概述-1`.
#[derive(Debug, Default)]
pub struct UniqueIds {
    seen: std::collections::HashMap<String, usize>,
}

impl UniqueIds {
    pub fn claim(&mut self, wanted: String) -> String {
        let wanted = if wanted.is_empty() {
            "heading".to_string()
        } else {
            wanted
        };
        let Some(&start) = self.seen.get(&wanted) else {
            self.seen.insert(wanted.clone(), 0);
            return wanted;
        };
        let mut count = start;
        let unique = loop {
            count += 1;
            let candidate = format!("{wanted}-{count}");
            if !self.seen.contains_key(&candidate) {
                break candidate;
            }
        };
        self.seen.insert(wanted, count);
        self.seen.insert(unique.clone(), 0);
        unique
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_slugs_are_cut_with_a_hash_and_fit_a_file_name() {
        let tag = "心理健康".repeat(30);
        let slug = slugify(&tag);
        assert!(slug.len() <= MAX_SLUG_BYTES, "{}", slug.len());
        assert!(slug.starts_with("心理健康心理健康"));
        assert_eq!(slug, slugify(&tag), "the same text, the same slug");
        let other = slugify(&format!("{tag}x"));
        assert_ne!(slug, other, "texts alike at the start stay apart");
        let short = "心理健康".repeat(15);
        assert_eq!(slugify(&short), short, "180 bytes are kept whole");
    }

    #[test]
    fn keeps_chinese_and_lowercases_ascii() {
        assert_eq!(slugify("申请条件"), "申请条件");
        assert_eq!(
            slugify("  Mental  Health Day 2025 "),
            "mental-health-day-2025"
        );
        assert_eq!(slugify("问：谁可以申请？"), "问谁可以申请");
        assert_eq!(slugify("a_b-c!"), "a_b-c");
        assert_eq!(slugify("Peer support — 同伴支持"), "peer-support--同伴支持");
    }

    #[test]
    fn deduplicates_ids_within_a_page() {
        let mut ids = UniqueIds::default();
        assert_eq!(ids.claim("概述".into()), "概述");
        assert_eq!(ids.claim("概述".into()), "概述-1");
        assert_eq!(ids.claim("概述-1".into()), "概述-1-1");
        assert_eq!(ids.claim("概述".into()), "概述-2");
        assert_eq!(ids.claim(String::new()), "heading");
    }
}
