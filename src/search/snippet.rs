//! Finding the query in a result's stored text: whether it occurs as an
//! exact phrase (for ranking) and the piece of text to show around it.
//! `search.js` does the same on the same fragment.

use super::tokenize::{Class, class, fold};

/// Text around a match, as plain text: the page shows `matched` marked.
/// With no match in the stored text, `before` holds the text's opening and
/// the other two are empty.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snippet {
    pub before: String,
    pub matched: String,
    pub after: String,
}

/// Characters shown before a match, and in the whole snippet.
const LEAD: usize = 30;
const LENGTH: usize = 110;

/// A text's letters, digits and Han characters, folded, with where each came
/// from: matching ignores separators ("心理 援助" finds "心理援助") and case,
/// and the snippet is cut from the original text.
struct Folded {
    original: Vec<char>,
    chars: Vec<char>,
    at: Vec<usize>,
    /// Whether the character begins a word: a Latin needle only matches
    /// there, so "aid" does not light up inside "said".
    word_start: Vec<bool>,
}

impl Folded {
    fn new(text: &str) -> Folded {
        let original: Vec<char> = text.chars().collect();
        let mut f = Folded {
            original: Vec::new(),
            chars: Vec::new(),
            at: Vec::new(),
            word_start: Vec::new(),
        };
        let mut previous = Class::Separator;
        for (i, &c) in original.iter().enumerate() {
            let c = fold(c);
            let cl = class(c);
            if cl != Class::Separator {
                f.chars.push(c);
                f.at.push(i);
                f.word_start
                    .push(cl != Class::Word || previous != Class::Word);
            }
            previous = cl;
        }
        f.original = original;
        f
    }

    /// The first place `needle` (folded, no separators) occurs.
    fn find(&self, needle: &[char]) -> Option<usize> {
        let first = *needle.first()?;
        let latin = class(first) == Class::Word;
        (0..=self.chars.len().checked_sub(needle.len())?)
            .find(|&i| self.chars[i..i + needle.len()] == *needle && (!latin || self.word_start[i]))
    }

    fn snippet(&self, start: usize, len: usize) -> Snippet {
        let a = self.at[start];
        let b = self.at[start + len - 1] + 1;
        // LEAD characters before the match, or more when the text ends
        // soon after it: a short text is shown whole.
        let from = a
            .saturating_sub(LEAD)
            .min(self.original.len().saturating_sub(LENGTH));
        let mut before: String = self.original[from..a].iter().collect();
        if from > 0 {
            before.insert(0, '…');
        }
        let room = LENGTH.saturating_sub(b - from).max(LEAD);
        let to = (b + room).min(self.original.len());
        let mut after: String = self.original[b..to].iter().collect();
        if to < self.original.len() {
            after.push('…');
        }
        Snippet {
            before,
            matched: self.original[a..b].iter().collect(),
            after,
        }
    }

    fn opening(&self) -> Snippet {
        let mut before: String = self.original.iter().take(LENGTH).collect();
        if self.original.len() > LENGTH {
            before.push('…');
        }
        Snippet {
            before,
            ..Snippet::default()
        }
    }
}

/// Whether `text` holds the query's `phrase` (folded, no separators).
pub(crate) fn has_phrase(text: &str, phrase: &str) -> bool {
    let needle: Vec<char> = phrase.chars().collect();
    Folded::new(text).find(&needle).is_some()
}

/// The snippet for a result: the phrase in the description, else in the
/// body excerpt; else the earliest query token in either, in that order;
/// else the opening of the description (or of the body, if it has none).
pub(crate) fn snippet(description: &str, body: &str, phrase: &str, tokens: &[String]) -> Snippet {
    let texts = [Folded::new(description), Folded::new(body)];
    let phrase: Vec<char> = phrase.chars().collect();
    for text in &texts {
        if let Some(i) = text.find(&phrase) {
            return text.snippet(i, phrase.len());
        }
    }
    let tokens: Vec<Vec<char>> = tokens.iter().map(|t| t.chars().collect()).collect();
    for text in &texts {
        // Earliest first; at the same place the longer token.
        let best = tokens
            .iter()
            .filter_map(|t| text.find(t).map(|i| (i, t.len())))
            .min_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)));
        if let Some((i, len)) = best {
            return text.snippet(i, len);
        }
    }
    match texts.iter().find(|t| !t.original.is_empty()) {
        Some(text) => text.opening(),
        None => Snippet::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_ignore_case_width_and_separators() {
        assert!(has_phrase("Guardian  Subsidy", "guardiansubsidy"));
        assert!(has_phrase("全国心理援助热线", "心理援助"));
        assert!(has_phrase("热线：１２３５６", "12356"));
        assert!(!has_phrase("心理健康与援助", "心理援助"));
    }

    #[test]
    fn latin_needles_match_at_the_start_of_a_word() {
        assert!(!has_phrase("he said so", "aid"));
        assert!(has_phrase("first aid", "aid"));
        // A prefix being typed matches the word it starts.
        assert!(has_phrase("Guardian subsidy", "subsid"));
    }

    #[test]
    fn snippets_mark_the_original_text() {
        let s = snippet("", "拨打全国心理援助热线：12356。", "心理援助", &[]);
        assert_eq!(
            (s.before.as_str(), s.matched.as_str(), s.after.as_str()),
            ("拨打全国", "心理援助", "热线：12356。")
        );
        let s = snippet(
            "",
            "Apply for the Guardian  Subsidy today",
            "guardiansubsidy",
            &[],
        );
        assert_eq!(s.matched, "Guardian  Subsidy");
    }

    #[test]
    fn long_text_is_cut_with_ellipses() {
        let body = format!("{}心理援助{}", "甲".repeat(100), "乙".repeat(200));
        let s = snippet("", &body, "心理援助", &[]);
        assert_eq!(s.before, format!("…{}", "甲".repeat(LEAD)));
        assert!(s.after.ends_with('…'));
        assert_eq!(
            s.before.chars().count() + s.after.chars().count() + 4,
            LENGTH + 2
        );
    }

    #[test]
    fn short_text_is_shown_whole() {
        let body =
            "电话 0571-8888 8888。服务时间：每天8:00-22:00。提供心理疏导、危机干预和转介服务。";
        let s = snippet("", body, "心理", &[]);
        assert!(s.before.starts_with("电话"), "{s:?}");
        assert!(!s.after.ends_with('…'));
    }

    #[test]
    fn falls_back_to_a_token_then_to_the_opening() {
        let tokens = vec!["心理".to_string(), "援助".to_string()];
        let s = snippet("", "提供援助。也有心理咨询。", "心理援助", &tokens);
        assert_eq!(s.matched, "援助");
        let s = snippet("本页说明", "正文", "补贴", &["补贴".to_string()]);
        assert_eq!(s.before, "本页说明");
        assert_eq!(snippet("", "", "x", &[]), Snippet::default());
    }
}
