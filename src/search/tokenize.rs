//! Cutting text into search tokens. `themes/default/static/search.js` repeats
//! these rules line for line; a change here is a change there (and a new
//! index `VERSION`), or queries stop finding what the index holds.

use crate::content::markdown::is_han;

/// What a character is to the tokenizer, after [`fold`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Han,
    /// A letter or digit of any other script: part of a word.
    Word,
    Separator,
}

pub(crate) fn class(c: char) -> Class {
    // Han first: Han characters are alphabetic too, but they are cut per
    // character, not per word.
    if is_han(c) {
        Class::Han
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Separator
    }
}

/// Full-width ASCII (`Ａ`, `１`, `－`) becomes ASCII, since Chinese input
/// methods type either form; then lower case, where lower case is one
/// character. Per character, not per string, so that a folded text keeps the
/// length of its source and a match maps back onto it (snippets need that),
/// and so that JavaScript's `toLowerCase` on one character agrees.
pub fn fold(c: char) -> char {
    // Fast paths first: most characters are ASCII or Han, and Han has no case.
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    if is_han(c) {
        return c;
    }
    let c = match c as u32 {
        n @ 0xFF01..=0xFF5E => char::from_u32(n - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// A run of Han characters or a word, folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Run {
    pub han: bool,
    pub text: String,
}

/// The runs of a text in order; separators and script changes end a run.
pub(crate) fn runs(text: &str) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    let mut open: Option<Class> = None;
    for c in text.chars().map(fold) {
        let cl = class(c);
        if cl == Class::Separator {
            open = None;
            continue;
        }
        match out.last_mut() {
            Some(run) if open == Some(cl) => run.text.push(c),
            _ => out.push(Run {
                han: cl == Class::Han,
                text: c.to_string(),
            }),
        }
        open = Some(cl);
    }
    out
}

/// Calls `f` with every token the index keeps for `text`: each Han
/// character, each pair of adjacent Han characters, each word. Repeats are
/// passed on; the caller keeps one posting per entry anyway. The hot loop of
/// the index build, so it reuses two buffers instead of building [`runs`].
pub(crate) fn for_each_index_token(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    let mut word_chars = 0;
    let mut han = String::new();
    let mut previous_han: Option<char> = None;
    for c in text.chars().map(fold) {
        let cl = class(c);
        if cl != Class::Word && !word.is_empty() {
            f(&word);
            word.clear();
            word_chars = 0;
        }
        match cl {
            Class::Han => {
                if let Some(p) = previous_han {
                    han.clear();
                    han.push(p);
                    han.push(c);
                    f(&han);
                }
                han.clear();
                han.push(c);
                f(&han);
                previous_han = Some(c);
            }
            Class::Word => {
                if word_chars < MAX_WORD {
                    word.push(c);
                    word_chars += 1;
                }
                previous_han = None;
            }
            Class::Separator => previous_han = None,
        }
    }
    if !word.is_empty() {
        f(&word);
    }
}

/// Characters that may stand between the digit groups of one phone number:
/// spaces, hyphens and dashes, and the `)` after an area code (full-width
/// forms are folded first). An opening bracket ends a number instead, so that
/// `8888 8888（24小时）` does not run on into the 24.
fn joins_digits(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}' | '\u{3000}' | '-' | '\u{2010}'..='\u{2015}' | ')'
    )
}

/// Extra tokens for phone numbers written in groups: `0571-8888 8888` gives
/// `057188888888` and `88888888` (the number without its area code), so a
/// resident who types the digits without spaces still finds it. Groups are
/// ASCII digit runs (after [`fold`]) with at most two joining characters
/// between them ([`joins_digits`]); each tail of two or more groups that has
/// at least 7 digits becomes a token. Dates written `2023-2024` give a stray
/// token too, which costs a few bytes and finds nothing wrong.
pub fn number_tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut groups: Vec<String> = Vec::new();
    let mut joiners = 0;
    let mut seen = std::collections::HashSet::new();
    let mut flush = |groups: &mut Vec<String>| {
        // Only the tails of at most 20 digits are tokens: measured from the
        // end, so a run of a million groups costs its length, not its square.
        let mut digits = 0;
        let mut first = groups.len();
        while first > 0 && digits + groups[first - 1].len() <= 20 {
            first -= 1;
            digits += groups[first].len();
        }
        for i in first..groups.len().saturating_sub(1) {
            let tail: String = groups[i..].concat();
            if tail.len() >= 7 && seen.insert(tail.clone()) {
                out.push(tail);
            }
        }
        groups.clear();
    };
    let mut in_group = false;
    for c in text.chars().map(fold) {
        if c.is_ascii_digit() {
            match groups.last_mut() {
                Some(g) if in_group => g.push(c),
                _ => groups.push(c.to_string()),
            }
            in_group = true;
            joiners = 0;
        } else if joins_digits(c) && joiners < 2 && !groups.is_empty() {
            in_group = false;
            joiners += 1;
        } else {
            // Letters glued to digits ("12356热线" is fine, "abc123" is a
            // word of its own) end the number either way.
            in_group = false;
            joiners = 0;
            flush(&mut groups);
        }
    }
    flush(&mut groups);
    out
}

/// The tokens of a query, each once, in order, as the index holds them: a
/// lone Han character as itself, a longer Han run as its adjacent pairs (so
/// the run must occur unbroken), each word. `prefix` is the last word when
/// the query does not end with a separator: the reader may still be typing
/// it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueryTerms {
    pub tokens: Vec<String>,
    pub prefix: Option<String>,
    /// The query's letters, digits and Han characters, folded, without the
    /// separators: what an exact-phrase match looks for.
    pub phrase: String,
}

/// The index keeps a word's first this many characters, and a query is cut
/// the same way: a pasted blob of a million letters is one token of 32, not
/// a million prefixes of up to a million characters each, and no real word
/// is longer.
pub const MAX_WORD: usize = 32;

/// A word as the index keeps it: its first [`MAX_WORD`] characters.
fn kept_word(word: &str) -> String {
    match word.char_indices().nth(MAX_WORD) {
        Some((end, _)) => word[..end].to_string(),
        None => word.to_string(),
    }
}

/// A pasted paragraph must not fetch every shard; the first tokens of a
/// query are specific enough.
pub const MAX_QUERY_TOKENS: usize = 16;

pub fn query_terms(query: &str) -> QueryTerms {
    let mut terms = QueryTerms::default();
    let runs = runs(query);
    let push = |terms: &mut QueryTerms, t: String| {
        if terms.tokens.len() < MAX_QUERY_TOKENS && !terms.tokens.contains(&t) {
            terms.tokens.push(t);
        }
    };
    for run in &runs {
        terms.phrase.push_str(&run.text);
        let chars: Vec<char> = run.text.chars().collect();
        if run.han && chars.len() > 1 {
            for pair in chars.windows(2) {
                push(&mut terms, pair.iter().collect());
            }
        } else if run.han {
            push(&mut terms, run.text.clone());
        } else {
            push(&mut terms, kept_word(&run.text));
        }
    }
    let ends_open = query
        .chars()
        .last()
        .is_some_and(|c| class(fold(c)) == Class::Word);
    if let Some(last) = runs.last().filter(|r| !r.han && ends_open)
        && terms.tokens.contains(&kept_word(&last.text))
    {
        terms.prefix = Some(kept_word(&last.text));
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_tokens(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_index_token(text, |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn cuts_han_into_characters_and_pairs() {
        assert_eq!(
            index_tokens("心理援助"),
            ["心", "心理", "理", "理援", "援", "援助", "助"]
        );
    }

    #[test]
    fn splits_digits_from_han_and_keeps_numbers_whole() {
        assert_eq!(index_tokens("12356热线"), ["12356", "热", "热线", "线"]);
        assert_eq!(
            index_tokens("补贴2400元"),
            ["补", "补贴", "贴", "2400", "元"]
        );
    }

    #[test]
    fn folds_full_width_and_case() {
        assert_eq!(index_tokens("１２３５６"), ["12356"]);
        assert_eq!(index_tokens("ＡＢＣ Subsidy"), ["abc", "subsidy"]);
        assert_eq!(fold('Ｚ'), 'z');
        // İ lower-cases to two characters: it stays as it is.
        assert_eq!(fold('İ'), 'İ');
    }

    #[test]
    fn punctuation_and_emoji_separate_and_pairs_never_span_them() {
        assert_eq!(
            index_tokens("心理，援助"),
            ["心", "心理", "理", "援", "援助", "助"]
        );
        assert_eq!(
            index_tokens("热线😀服务"),
            ["热", "热线", "线", "服", "服务", "务"]
        );
        assert_eq!(index_tokens("don't-stop"), ["don", "t", "stop"]);
        assert_eq!(index_tokens("😀"), Vec::<String>::new());
    }

    #[test]
    fn empty_and_blank_text_has_no_tokens() {
        assert!(index_tokens("").is_empty());
        assert!(index_tokens(" ，。！ ").is_empty());
        assert_eq!(query_terms(""), QueryTerms::default());
        assert!(query_terms("？？").tokens.is_empty());
    }

    #[test]
    fn a_word_is_indexed_and_queried_by_its_first_characters() {
        let long = "a".repeat(100_000);
        assert_eq!(
            index_tokens(&format!("x {long} y")),
            ["x".to_string(), "a".repeat(MAX_WORD), "y".to_string()]
        );
        let terms = query_terms(&long);
        assert_eq!(terms.tokens, ["a".repeat(MAX_WORD)]);
        assert_eq!(terms.prefix.as_deref(), Some("a".repeat(MAX_WORD).as_str()));
        let word = "supercalifragilisticexpialidocious-and-more";
        assert_eq!(query_terms(word).tokens[0], &word[..MAX_WORD]);
    }

    #[test]
    fn many_digit_groups_give_only_the_short_tails() {
        let groups = "1 ".repeat(200_000);
        let tokens = number_tokens(&groups);
        assert!(
            tokens.iter().all(|t| (7..=20).contains(&t.len())),
            "{tokens:?}"
        );
        assert_eq!(tokens.len(), 20 - 7 + 1);
    }

    #[test]
    fn joins_grouped_phone_numbers() {
        assert_eq!(
            number_tokens("电话 0571-8888 8888（24小时）"),
            ["057188888888", "88888888"]
        );
        assert_eq!(
            number_tokens("（０５７１）８８８８－８８８８"),
            ["057188888888", "88888888"]
        );
        assert_eq!(number_tokens("400-161-9995"), ["4001619995", "1619995"]);
        // One group is already a token; short groups make no token.
        assert!(number_tokens("拨打12356").is_empty());
        assert!(number_tokens("第 3 - 4 条").is_empty());
    }

    #[test]
    fn queries_use_pairs_for_han_runs_and_characters_alone() {
        let q = query_terms("心理援助");
        assert_eq!(q.tokens, ["心理", "理援", "援助"]);
        assert_eq!(q.phrase, "心理援助");
        assert_eq!(query_terms("药").tokens, ["药"]);
        assert_eq!(query_terms("心理 心理").tokens, ["心理"]);
        assert_eq!(query_terms("12356热线").tokens, ["12356", "热线"]);
    }

    #[test]
    fn the_last_word_is_a_prefix_while_typing() {
        assert_eq!(
            query_terms("Guardian subsid").prefix.as_deref(),
            Some("subsid")
        );
        assert_eq!(query_terms("subsid ").prefix, None);
        assert_eq!(query_terms("补贴").prefix, None);
        assert_eq!(query_terms("subsid补贴").prefix, None);
    }

    #[test]
    fn caps_the_tokens_of_a_long_query() {
        let long = "如何申请监护人以奖代补补贴以及免费服药政策的具体办理流程";
        assert_eq!(query_terms(long).tokens.len(), MAX_QUERY_TOKENS);
    }
}
