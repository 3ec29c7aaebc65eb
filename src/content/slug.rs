//! Ids and URL parts made from text, keeping Chinese as it is: `## 申请条件`
//! gets `id="申请条件"`, the tag `Mental Health` gets `/tags/mental-health/`.

/// ASCII letters lower-cased, each run of whitespace turned into `-`, anything
/// that is neither alphanumeric (in any script) nor `-` nor `_` dropped — the
/// rule GitHub uses for heading anchors, which authors already know.
pub fn slugify(text: &str) -> String {
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
