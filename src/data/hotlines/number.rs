//! Telephone numbers in mainland China: which kind a written number is, its
//! digits for `tel:` links and duplicate checks, and the readable groups it is
//! shown in ("138 0013 8000", "0571-8888 8888").

use super::Problem;
use serde::Serialize;

/// The kinds of number a hotline can have. The kind decides how the number is
/// grouped for reading; `Example` marks a placeholder that must never be dialled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NumberKind {
    /// 3–5 digits starting with 1 or 9: 110, 120, 12356, 96110, 95xxx.
    Service,
    /// 11 digits, 13x–19x.
    Mobile,
    /// An area code (010, 02x or a four-digit 0xxx) and a 7–8 digit local number.
    Landline,
    /// 400 and 800 numbers, 10 digits.
    NonGeographic,
    /// All zeros: a placeholder in a demo or starter site.
    Example,
}

impl NumberKind {
    /// The name used in `/hotlines.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            NumberKind::Service => "service",
            NumberKind::Mobile => "mobile",
            NumberKind::Landline => "landline",
            NumberKind::NonGeographic => "non-geographic",
            NumberKind::Example => "example",
        }
    }
}

/// A checked number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Number {
    /// Only the digits, as dialled inside China: "057188888888".
    pub digits: String,
    pub kind: NumberKind,
    /// Readable groups: "12356", "138 0013 8000", "0571-8888 8888", "400-123-4567".
    pub display: String,
}

impl Number {
    /// The `tel:` link; none for a placeholder, so that nobody taps it. An
    /// extension follows a `,` (a pause), which phone dialers send after the
    /// call connects: `tel:057187654321,8001`.
    pub fn tel(&self) -> Option<String> {
        (self.kind != NumberKind::Example).then(|| format!("tel:{}", self.digits.replace('-', ",")))
    }
}

/// The words before an extension: `0571-8765 4321 转 8001`, `ext. 8001`.
const EXTENSION_MARKS: [&str; 5] = ["转", "分机", "ext.", "ext", "x"];

/// `0571-87654321转8001` → (`0571-87654321`, Some(`8001`)).
fn split_extension(written: &str) -> Result<(&str, Option<String>), Problem> {
    let lower = written.to_ascii_lowercase();
    let Some((at, mark)) = EXTENSION_MARKS
        .iter()
        .filter_map(|m| lower.find(m).map(|at| (at, *m)))
        .min_by_key(|(at, _)| *at)
    else {
        return Ok((written, None));
    };
    let extension: String = written[at + mark.len()..]
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(ascii_digit)
        .collect();
    if extension.is_empty() || extension.len() > 6 || !extension.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(Problem::new(
            format!(
                "`{}`: an extension is 1 to 6 digits after 转",
                written.trim()
            ),
            "write it as \"0571-8765 4321 转 8001\"",
        ));
    }
    Ok((&written[..at], Some(extension)))
}

const ACCEPTED: &str = "write a service number (12356, 120), a mobile (138 0013 8000), \
a landline with its area code (0571-8888 8888, 010-6512 3456) or a 400/800 number (400-123-4567)";

/// Checks a real number as written in data/hotlines.toml.
pub fn parse(written: &str) -> Result<Number, Problem> {
    let (main, extension) = split_extension(written)?;
    let number = parse_main(main)?;
    if extension.is_some()
        && !matches!(
            number.kind,
            NumberKind::Landline | NumberKind::NonGeographic
        )
    {
        return Err(Problem::new(
            format!(
                "`{}`: only a landline or a 400/800 number has extensions",
                written.trim()
            ),
            "write the menu choice in the name or the services, e.g. services = [\"按1转心理援助\"]",
        ));
    }
    Ok(with_extension(number, extension))
}

/// The number with its extension: two extensions of one switchboard are
/// two lines, and the shortcode names one of them.
fn with_extension(number: Number, extension: Option<String>) -> Number {
    match extension {
        None => number,
        Some(ext) => Number {
            digits: format!("{}-{ext}", number.digits),
            display: format!("{} 转 {ext}", number.display),
            ..number
        },
    }
}

fn parse_main(written: &str) -> Result<Number, Problem> {
    let (digits, international) = digits_of(written)?;
    // Written internationally a landline drops its leading 0 ("+86 571 …");
    // mobiles and 400/800 numbers keep their form.
    let digits = if international
        && !digits.starts_with('0')
        && !is_mobile(&digits)
        && !is_non_geographic(&digits)
    {
        format!("0{digits}")
    } else {
        digits
    };
    classify(written.trim(), &digits)
}

/// Checks the number of an `example = true` entry: zeros only, so that a
/// placeholder copied into a real site can never ring a real person.
pub fn parse_example(written: &str) -> Result<Number, Problem> {
    // An extension alone rings nobody: only the main number must be zeros.
    let (main, extension) = split_extension(written)?;
    Ok(with_extension(parse_example_main(main)?, extension))
}

fn parse_example_main(written: &str) -> Result<Number, Problem> {
    let (digits, _) = digits_of(written)?;
    if digits.chars().any(|c| c != '0') {
        return Err(Problem::new(
            format!(
                "an example entry must not carry a number that could be real; use zeros, not `{}`",
                written.trim()
            ),
            "write zeros in the shape of the number, e.g. number = \"0000-0000000\"; \
             or remove `example = true` if this is a real hotline",
        ));
    }
    // The groups as written tell one placeholder from another.
    let ascii: String = written.chars().map(ascii_digit).collect();
    let groups: Vec<&str> = ascii
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    Ok(Number {
        digits: groups.join("-"),
        kind: NumberKind::Example,
        display: written.trim().to_string(),
    })
}

/// The digits of `written` without separators and without a +86 / 0086
/// prefix, and whether there was such a prefix.
fn digits_of(written: &str) -> Result<(String, bool), Problem> {
    let compact: String = written
        .chars()
        .filter(|c| !is_separator(*c))
        .map(ascii_digit)
        .collect();
    if compact.is_empty() {
        return Err(Problem::new("the number is empty", ACCEPTED));
    }
    let (rest, international) = match compact
        .strip_prefix("+86")
        .or_else(|| compact.strip_prefix("0086"))
    {
        Some(rest) => (rest, true),
        None => (compact.as_str(), false),
    };
    if let Some(bad) = rest.chars().find(|c| !c.is_ascii_digit()) {
        let message = if bad == '+' {
            format!(
                "`{}` is not a number in mainland China (+86)",
                written.trim()
            )
        } else {
            format!("the number `{}` contains `{bad}`", written.trim())
        };
        return Err(Problem::new(
            message,
            "write only digits, with spaces or dashes between the groups if you like; \
             put an extension or a note in the name or the organization",
        ));
    }
    if rest.is_empty() {
        return Err(Problem::new("the number has no digits after +86", ACCEPTED));
    }
    Ok((rest.to_string(), international))
}

/// Separators people write between groups; full-width forms come from
/// Chinese input methods.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{3000}' | '-' | '－' | '.' | '(' | ')' | '（' | '）'
    )
}

/// Full-width digits (０–９) as ASCII, as an input method may type them.
fn ascii_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        _ => c,
    }
}

fn is_mobile(d: &str) -> bool {
    d.len() == 11 && d.starts_with('1') && matches!(d.as_bytes()[1], b'3'..=b'9')
}

fn is_non_geographic(d: &str) -> bool {
    d.len() == 10 && (d.starts_with("400") || d.starts_with("800"))
}

fn classify(written: &str, d: &str) -> Result<Number, Problem> {
    let number = |kind, display| {
        Ok(Number {
            digits: d.to_string(),
            kind,
            display,
        })
    };
    let Some(&first) = d.as_bytes().first() else {
        return Err(Problem::new("the number is empty", ACCEPTED));
    };
    if (3..=5).contains(&d.len()) && matches!(first, b'1' | b'9') {
        return number(NumberKind::Service, d.to_string());
    }
    if is_mobile(d) {
        return number(
            NumberKind::Mobile,
            format!("{} {} {}", &d[..3], &d[3..7], &d[7..]),
        );
    }
    if is_non_geographic(d) {
        return number(
            NumberKind::NonGeographic,
            format!("{}-{}-{}", &d[..3], &d[3..6], &d[6..]),
        );
    }
    if first == b'0' {
        let code = area_code(written, d)?;
        let local = &d[code.len()..];
        if !(7..=8).contains(&local.len()) {
            return Err(Problem::new(
                format!(
                    "after the area code {code} a landline has 7 or 8 digits, `{written}` has {}",
                    local.len()
                ),
                "check the number digit by digit, e.g. \"0571-8888 8888\"",
            ));
        }
        if local.starts_with(['0', '1']) {
            return Err(Problem::new(
                format!("`{written}`: a local number never starts with 0 or 1"),
                "check the number digit by digit, e.g. \"0571-8888 8888\"",
            ));
        }
        let grouped = if local.len() == 8 {
            format!("{} {}", &local[..4], &local[4..])
        } else {
            format!("{} {}", &local[..3], &local[3..])
        };
        return number(NumberKind::Landline, format!("{code}-{grouped}"));
    }
    Err(explain_unknown(written, d))
}

/// 010 and 020–029 are three digits, every other area code four (0571, 0991).
fn area_code<'d>(written: &str, d: &'d str) -> Result<&'d str, Problem> {
    let len = if d.starts_with("010") || d.starts_with("02") {
        3
    } else if d.len() > 1 && matches!(d.as_bytes()[1], b'3'..=b'9') {
        4
    } else {
        let hint = if d.bytes().all(|b| b == b'0') {
            "if this is a placeholder in a demo site, mark the entry `example = true`"
        } else {
            "area codes are 010, 020–029 or four digits such as 0571, e.g. \"0571-8888 8888\""
        };
        return Err(Problem::new(
            format!("`{written}` does not start with an area code"),
            hint,
        ));
    };
    d.get(..len).ok_or_else(|| {
        Problem::new(
            format!("`{written}` is too short for a landline"),
            "a landline has an area code and 7 or 8 digits, e.g. \"0571-8888 8888\"",
        )
    })
}

/// The closest thing to a helpful message for a number of no known kind.
fn explain_unknown(written: &str, d: &str) -> Problem {
    if (7..=8).contains(&d.len()) {
        return Problem::new(
            format!("`{written}` is a landline without its area code"),
            "write it with the area code, e.g. \"0571-8888 8888\", so it works from a mobile and from other cities",
        );
    }
    if d.len() == 11 && d.starts_with('1') {
        return Problem::new(
            format!("`{written}` is not a mobile number: mobiles start with 13 to 19"),
            "check the second digit",
        );
    }
    if d.starts_with("400") || d.starts_with("800") {
        return Problem::new(
            format!(
                "400 and 800 numbers have 10 digits, `{written}` has {}",
                d.len()
            ),
            "check the number digit by digit, e.g. \"400-123-4567\"",
        );
    }
    Problem::new(
        format!("`{written}` is not a telephone number in mainland China"),
        ACCEPTED,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_kinds_of_number_and_groups_them_for_reading() {
        let cases = [
            ("12356", NumberKind::Service, "12356", "12356"),
            ("110", NumberKind::Service, "110", "110"),
            ("120", NumberKind::Service, "120", "120"),
            ("96110", NumberKind::Service, "96110", "96110"),
            ("95105", NumberKind::Service, "95105", "95105"),
            (
                "13800138000",
                NumberKind::Mobile,
                "13800138000",
                "138 0013 8000",
            ),
            (
                "138-0013-8000",
                NumberKind::Mobile,
                "13800138000",
                "138 0013 8000",
            ),
            (
                "+86 138 0013 8000",
                NumberKind::Mobile,
                "13800138000",
                "138 0013 8000",
            ),
            (
                "0571-88888888",
                NumberKind::Landline,
                "057188888888",
                "0571-8888 8888",
            ),
            (
                "(0571) 8888 8888",
                NumberKind::Landline,
                "057188888888",
                "0571-8888 8888",
            ),
            (
                "0991-8888888",
                NumberKind::Landline,
                "09918888888",
                "0991-888 8888",
            ),
            (
                "010-65123456",
                NumberKind::Landline,
                "01065123456",
                "010-6512 3456",
            ),
            (
                "021.6432.1234",
                NumberKind::Landline,
                "02164321234",
                "021-6432 1234",
            ),
            (
                "+86 571 8888 8888",
                NumberKind::Landline,
                "057188888888",
                "0571-8888 8888",
            ),
            (
                "0086-10-65123456",
                NumberKind::Landline,
                "01065123456",
                "010-6512 3456",
            ),
            (
                "+86 (0)571 8888 8888",
                NumberKind::Landline,
                "057188888888",
                "0571-8888 8888",
            ),
            (
                "０５７１－８８８８８８８８",
                NumberKind::Landline,
                "057188888888",
                "0571-8888 8888",
            ),
            (
                "400-123-4567",
                NumberKind::NonGeographic,
                "4001234567",
                "400-123-4567",
            ),
            (
                "8008101117",
                NumberKind::NonGeographic,
                "8008101117",
                "800-810-1117",
            ),
        ];
        for (written, kind, digits, display) in cases {
            let n = parse(written).unwrap_or_else(|p| panic!("{written}: {p:?}"));
            assert_eq!(
                (n.kind, n.digits.as_str(), n.display.as_str()),
                (kind, digits, display),
                "{written}"
            );
            assert_eq!(n.tel(), Some(format!("tel:{digits}")));
        }
    }

    #[test]
    fn rejects_numbers_of_no_known_kind_and_says_why() {
        let cases = [
            ("", "the number is empty"),
            ("12", "is not a telephone number"),
            ("123456", "is not a telephone number"),
            ("88888888", "landline without its area code"),
            ("8888888", "landline without its area code"),
            ("12000138000", "mobiles start with 13 to 19"),
            ("400-123-456", "400 and 800 numbers have 10 digits"),
            ("0571-888888", "7 or 8 digits"),
            ("0571-888888888", "7 or 8 digits"),
            ("0571-08888888", "never starts with 0 or 1"),
            ("011-88888888", "does not start with an area code"),
            ("0000-0000000", "does not start with an area code"),
            (
                "12356 转 1",
                "only a landline or a 400/800 number has extensions",
            ),
            ("12356 转", "an extension is 1 to 6 digits"),
            ("+852 2389 2222", "not a number in mainland China"),
            ("+86", "no digits after +86"),
        ];
        for (written, expected) in cases {
            let p = parse(written).expect_err(written);
            assert!(p.message.contains(expected), "{written}: {}", p.message);
            assert!(!p.hint.is_empty(), "{written}");
        }
    }

    #[test]
    fn hints_at_example_for_an_all_zero_number() {
        let p = parse("0000-0000000").unwrap_err();
        assert!(p.hint.contains("example = true"), "{}", p.hint);
    }

    #[test]
    fn example_numbers_are_zeros_shown_as_written_and_never_dialled() {
        for written in ["0000-0000000", "000 0000 0000", "00000", " 0000-00000000 "] {
            let n = parse_example(written).unwrap_or_else(|p| panic!("{written}: {p:?}"));
            assert_eq!(n.kind, NumberKind::Example);
            assert_eq!(n.display, written.trim());
            assert_eq!(n.tel(), None);
        }
        for written in ["0571-8888 8888", "12356", "0000-0000001"] {
            let p = parse_example(written).expect_err(written);
            assert!(
                p.message
                    .starts_with("an example entry must not carry a number that could be real"),
                "{}",
                p.message
            );
        }
        assert!(parse_example("").is_err());
        assert!(parse_example("0000-x").is_err());
    }

    #[test]
    fn an_extension_is_part_of_the_number_and_dialled_after_a_pause() {
        for written in [
            "0571-87654321转8001",
            "0571-8765 4321 转 8001",
            "0571 87654321 ext. 8001",
        ] {
            let n = parse(written).unwrap_or_else(|p| panic!("{written}: {p:?}"));
            assert_eq!(n.digits, "057187654321-8001");
            assert_eq!(n.display, "0571-8765 4321 转 8001");
            assert_eq!(n.tel().as_deref(), Some("tel:057187654321,8001"));
        }
        assert!(parse("0571-87654321转").is_err());
        assert!(parse("0571-87654321转分机").is_err());
        assert_eq!(parse("12356").map(|n| n.digits).as_deref(), Ok("12356"));
    }
}
