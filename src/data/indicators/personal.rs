//! Personal data has no place in indicator data (精神卫生法 第4条): a column
//! whose header, or a cell whose value, looks like a name, an ID card number,
//! a phone number or an address is refused. Messages never repeat the value.
//!
//! The checks lean towards refusing: a false alarm costs the data office a
//! renamed column, a miss puts a patient's identity on a public website. The
//! value checks are the safety net under the header checks, so a header is let
//! through when it plainly names a count (`电话随访数`, `phone_calls`).

/// What a header or value looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonalKind {
    Name,
    IdNumber,
    Phone,
    Address,
}

impl PersonalKind {
    /// For messages to data offices, who read Chinese first.
    pub fn describe(self) -> &'static str {
        match self {
            PersonalKind::Name => "姓名 (a name)",
            PersonalKind::IdNumber => "身份证号 (an ID card number)",
            PersonalKind::Phone => "电话号码 (a phone number)",
            PersonalKind::Address => "地址 (an address)",
        }
    }
}

/// The kind of personal data a column header names, if any.
pub fn header_kind(header: &str) -> Option<PersonalKind> {
    let header = header.trim();
    chinese_header_kind(header).or_else(|| english_header_kind(header))
}

/// The kind of personal data a cell value looks like, if any.
pub fn value_kind(value: &str) -> Option<PersonalKind> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if is_id_number(value) {
        Some(PersonalKind::IdNumber)
    } else if is_phone(value) {
        Some(PersonalKind::Phone)
    } else if is_address(value) {
        Some(PersonalKind::Address)
    } else if is_name(value) {
        Some(PersonalKind::Name)
    } else {
        embedded_kind(value)
    }
}

/// A number inside longer text (`张伟 13912345678`, `电话0571-87654321`), or
/// one Excel wrote in scientific notation (`1.10105E+17`: an ID or phone
/// number typed as a number).
fn embedded_kind(value: &str) -> Option<PersonalKind> {
    let upper = value.to_ascii_uppercase();
    if let Some((mantissa, exponent)) = upper.split_once("E+")
        && mantissa.trim().parse::<f64>().is_ok()
        && exponent.trim().parse::<u32>().is_ok_and(|e| e >= 9)
    {
        return Some(PersonalKind::IdNumber);
    }
    let is_part =
        |c: char| c.is_ascii_digit() || matches!(c, '-' | ' ' | '(' | ')' | '+' | 'X' | 'x');
    for segment in value.split(|c: char| !is_part(c)) {
        let segment = segment.trim_matches(|c: char| matches!(c, ' ' | '-'));
        let digits = segment.chars().filter(char::is_ascii_digit).count();
        if digits < 7 || segment == value {
            continue;
        }
        let compact: String = segment
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect();
        if is_id_number(&compact) || digits >= 15 {
            return Some(PersonalKind::IdNumber);
        }
        if is_phone(segment) || is_phone(&compact) {
            return Some(PersonalKind::Phone);
        }
    }
    None
}

/// Whether a cell's text may not be repeated in a message as it is: it looks
/// like personal data, or it mixes Han characters with digits (an address,
/// a name beside a number), or it holds a long run of digits.
pub fn needs_mask(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    value_kind(text).is_some() || digits >= 11 || (digits > 0 && text.chars().any(is_han))
}

/// A cell's text as a message may show it.
pub fn shown(text: &str) -> String {
    if needs_mask(text) {
        mask(text)
    } else {
        text.to_string()
    }
}

/// Masks, in a message or a quoted line of a data file, every quoted text
/// (`…`, “…”) and every comma-separated field that [`needs_mask`], and every
/// run of 11 or more digits.
pub fn scrub(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(['`', '“']) {
        let open = rest[start..].chars().next().unwrap_or('`');
        let close = if open == '`' { '`' } else { '”' };
        let after = start + open.len_utf8();
        let Some(len) = rest[after..].find(close) else {
            break;
        };
        out.push_str(&rest[..after]);
        out.push_str(&shown(&rest[after..after + len]));
        out.push(close);
        rest = &rest[after + len + close.len_utf8()..];
    }
    out.push_str(rest);
    let fields: Vec<String> = out
        .split(',')
        .map(|f| {
            if needs_mask(f.trim()) && !f.contains(' ') {
                mask(f)
            } else {
                f.to_string()
            }
        })
        .collect();
    let joined = fields.join(",");
    // Long digit runs anywhere.
    let mut result = String::with_capacity(joined.len());
    let mut run = String::new();
    for c in joined.chars().chain(std::iter::once('\0')) {
        if c.is_ascii_digit() {
            run.push(c);
            continue;
        }
        if run.len() >= 11 {
            result.push_str(&mask(&run));
        } else {
            result.push_str(&run);
        }
        run.clear();
        if c != '\0' {
            result.push(c);
        }
    }
    result
}

/// The value with all but a few characters replaced by `*`, for messages:
/// enough to find the cell again, not enough to identify anyone.
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    // Han text longer than a name may hold one beside a number or an
    // address: none of it is kept.
    let han = chars.iter().any(|&c| is_han(c));
    let (head, tail) = match n {
        0 | 1 => (0, 0),
        _ if han && n > 4 => (0, 0),
        2..=7 => (1, 0),
        _ => (3, 2),
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| if i < head || i >= n - tail { c } else { '*' })
        .collect()
}

// ---------------------------------------------------------------- headers

const CHINESE_HEADER_WORDS: &[(&str, PersonalKind)] = &[
    ("姓名", PersonalKind::Name),
    ("名字", PersonalKind::Name),
    ("患者名", PersonalKind::Name),
    ("身份证", PersonalKind::IdNumber),
    ("证件号", PersonalKind::IdNumber),
    ("电话", PersonalKind::Phone),
    ("手机", PersonalKind::Phone),
    ("联系方式", PersonalKind::Phone),
    ("住址", PersonalKind::Address),
    ("地址", PersonalKind::Address),
];

/// A header ending in one of these counts or measures something, e.g.
/// `电话随访数` or `热线电话接听量`: it cannot hold a phone number itself.
const CHINESE_COUNT_ENDINGS: &[&str] = &["数", "量", "率", "次", "比例", "占比"];

fn chinese_header_kind(header: &str) -> Option<PersonalKind> {
    let (_, kind) = CHINESE_HEADER_WORDS
        .iter()
        .find(|(word, _)| header.contains(word))?;
    if CHINESE_COUNT_ENDINGS.iter().any(|e| header.ends_with(e)) {
        return None;
    }
    Some(*kind)
}

const ENGLISH_HEADER_WORDS: &[(&str, PersonalKind)] = &[
    ("name", PersonalKind::Name),
    ("surname", PersonalKind::Name),
    ("firstname", PersonalKind::Name),
    ("lastname", PersonalKind::Name),
    ("fullname", PersonalKind::Name),
    ("patientname", PersonalKind::Name),
    ("id", PersonalKind::IdNumber),
    ("idcard", PersonalKind::IdNumber),
    ("idno", PersonalKind::IdNumber),
    ("idnumber", PersonalKind::IdNumber),
    ("ssn", PersonalKind::IdNumber),
    ("identity", PersonalKind::IdNumber),
    ("passport", PersonalKind::IdNumber),
    ("phone", PersonalKind::Phone),
    ("tel", PersonalKind::Phone),
    ("telephone", PersonalKind::Phone),
    ("mobile", PersonalKind::Phone),
    ("cellphone", PersonalKind::Phone),
    ("contact", PersonalKind::Phone),
    ("address", PersonalKind::Address),
    ("addr", PersonalKind::Address),
    ("street", PersonalKind::Address),
    ("residence", PersonalKind::Address),
];

/// Words that make `name` or `id` about a place or a unit, not a person:
/// `area_name`, `region_id`, `indicator_name`.
const NOT_A_PERSON: &[&str] = &[
    "area",
    "region",
    "district",
    "county",
    "town",
    "township",
    "city",
    "province",
    "org",
    "organization",
    "organisation",
    "unit",
    "site",
    "hospital",
    "institution",
    "measure",
    "indicator",
    "period",
    "file",
    "sheet",
    "row",
];

/// Last words that make the header a count or a rate: `phone_calls`,
/// `mobile_visits`.
const ENGLISH_COUNT_WORDS: &[&str] = &[
    "count",
    "counts",
    "calls",
    "rate",
    "total",
    "visits",
    "followups",
    "cases",
];

fn english_header_kind(header: &str) -> Option<PersonalKind> {
    let tokens = tokens(header);
    if tokens.is_empty() {
        return None;
    }
    if tokens
        .last()
        .is_some_and(|t| ENGLISH_COUNT_WORDS.contains(&t.as_str()))
    {
        return None;
    }
    let about_a_place = tokens.iter().any(|t| NOT_A_PERSON.contains(&t.as_str()));
    let (_, kind) = ENGLISH_HEADER_WORDS.iter().find(|(word, _)| {
        tokens.iter().any(|t| t == word)
            // `first name`, `patient_name`, `id no` as one word too.
            || tokens.windows(2).any(|w| format!("{}{}", w[0], w[1]) == *word)
    })?;
    match kind {
        PersonalKind::Name | PersonalKind::IdNumber if about_a_place => None,
        _ => Some(*kind),
    }
}

/// Lowercase words of a header split on `_`, `-`, space, `.`, camelCase and
/// letter/digit boundaries: `patientName` → `patient`, `name`;
/// `IDCard2` → `id`, `card`, `2`.
fn tokens(header: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    for part in header.split(|c: char| !c.is_alphanumeric()) {
        let chars: Vec<char> = part.chars().collect();
        let mut start = 0;
        for i in 1..chars.len() {
            let (prev, cur) = (chars[i - 1], chars[i]);
            let next_is_lower = chars.get(i + 1).is_some_and(|c| c.is_lowercase());
            let boundary = (prev.is_lowercase() && cur.is_uppercase())
                || (prev.is_uppercase() && cur.is_uppercase() && next_is_lower)
                || (prev.is_alphabetic() != cur.is_alphabetic());
            if boundary {
                tokens.push(chars[start..i].iter().collect::<String>().to_lowercase());
                start = i;
            }
        }
        if start < chars.len() {
            tokens.push(chars[start..].iter().collect::<String>().to_lowercase());
        }
    }
    tokens
}

// ---------------------------------------------------------------- values

/// 18-character resident ID (GB 11643) or the old 15-digit form, known by
/// its birth date. The check character is not required: a mistyped number,
/// or one Excel rounded to 15 significant digits, is still someone's.
fn is_id_number(value: &str) -> bool {
    let b = value.as_bytes();
    match b.len() {
        18 => {
            let last = b[17].to_ascii_uppercase();
            b[..17].iter().all(u8::is_ascii_digit)
                && (last.is_ascii_digit() || last == b'X')
                && plausible_date(&value[6..10], &value[10..12], &value[12..14])
        }
        15 if b.iter().all(u8::is_ascii_digit) => {
            let year = format!("19{}", &value[6..8]);
            plausible_date(&year, &value[8..10], &value[10..12])
        }
        _ => false,
    }
}

fn plausible_date(year: &str, month: &str, day: &str) -> bool {
    let (Ok(y), Ok(m), Ok(d)) = (
        year.parse::<u32>(),
        month.parse::<u32>(),
        day.parse::<u32>(),
    ) else {
        return false;
    };
    if !(1900..=2099).contains(&y) || !(1..=12).contains(&m) || d == 0 {
        return false;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    d <= days
}

/// Mainland mobile numbers (`13812345678`, `+86 138-1234-5678`) and landlines
/// with an area code (`0571-87654321`, `(010)12345678`). Service numbers such
/// as `400-161-9995` are not personal and not matched.
fn is_phone(value: &str) -> bool {
    let allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')');
    // Counts are short; most cells leave here.
    if value.len() < 7 {
        return false;
    }
    let rest = value.strip_prefix('+').unwrap_or(value);
    if !rest.chars().all(allowed) {
        return false;
    }
    let groups: Vec<&str> = rest
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let digits = groups.concat();
    let national = ["0086", "86"]
        .iter()
        .find_map(|cc| digits.strip_prefix(cc).filter(|n| n.len() == 11))
        .unwrap_or(&digits);
    let b = national.as_bytes();
    if b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) {
        return true;
    }
    let area_code = |area: &str| {
        let a = area.as_bytes();
        (3..=4).contains(&a.len()) && a[0] == b'0' && a[1] != b'0'
    };
    let number = |n: &str| (7..=8).contains(&n.len());
    match groups.as_slice() {
        // Without a separator only the leading 0 of the area code tells a
        // landline from a count.
        [whole] => (10..=12).contains(&whole.len()) && area_code(&whole[..3]),
        [area, n] => area_code(area) && number(n),
        [cc, area, n] if ["86", "0086"].contains(cc) => {
            area_code(&format!("0{}", area.trim_start_matches('0'))) && number(n)
        }
        _ => false,
    }
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// A street address or a flat: a number followed by 号, 室, 栋, 幢, 单元 or 楼
/// (`人民路12号`, `幸福小区3栋2单元`), or a village group (`何家村3组`). A bare
/// place name such as `城关镇` has no house number and is not matched.
fn is_address(value: &str) -> bool {
    if !value.chars().any(is_han) {
        return false;
    }
    let chars: Vec<char> = value
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '-') {
            i += 1;
        }
        let after = &chars[i..];
        let unit = ["号", "室", "栋", "幢", "单元", "楼", "弄"]
            .iter()
            .any(|u| starts_with_str(after, u));
        let village_group = starts_with_str(after, "组") && chars[..start].contains(&'村');
        if unit || village_group {
            return true;
        }
    }
    false
}

fn starts_with_str(chars: &[char], s: &str) -> bool {
    let mut it = chars.iter();
    s.chars().all(|c| it.next() == Some(&c))
}

/// The most common Chinese surnames, which cover the great majority of people.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
const COMPOUND_SURNAMES: &[&str] = &["欧阳", "司马", "诸葛", "上官"];

/// Endings of places and organisations, so that `龙泉镇`, `何家村` and
/// `高新区` are not taken for people. Given names hardly ever end in these.
const PLACE_ENDINGS: &[&str] = &[
    "街道", "社区", "中心", "镇", "乡", "县", "村", "区", "市", "省", "州", "旗", "盟", "街", "路",
    "站", "院", "所", "组", "场", "局", "委", "办", "队", "科", "处", "会", "庄", "屯", "营", "寨",
    "堡", "湾", "港",
];

/// Two to four Han characters starting with a common surname and not ending
/// like a place.
fn is_name(value: &str) -> bool {
    let n = value.chars().count();
    if !(2..=4).contains(&n) || !value.chars().all(is_han) {
        return false;
    }
    if PLACE_ENDINGS.iter().any(|e| value.ends_with(e)) {
        return false;
    }
    if COMPOUND_SURNAMES.iter().any(|s| value.starts_with(s)) {
        return n >= 3;
    }
    value.chars().next().is_some_and(|c| SURNAMES.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use PersonalKind::*;

    /// Synthetic: area 110105, born 1990-01-01, sequence 123, valid check.
    const TEST_ID: &str = "110105199001011232";
    /// Synthetic, check character X.
    const TEST_ID_X: &str = "11010519900101007X";

    #[test]
    fn chinese_headers() {
        for (h, k) in [
            ("姓名", Name),
            ("患者姓名", Name),
            ("名字", Name),
            ("患者名", Name),
            ("身份证号", IdNumber),
            ("证件号码", IdNumber),
            ("联系电话", Phone),
            ("手机号", Phone),
            ("联系方式", Phone),
            ("住址", Address),
            ("家庭住址", Address),
            ("户籍地址", Address),
            ("现住址", Address),
            ("地址", Address),
        ] {
            assert_eq!(header_kind(h), Some(k), "{h}");
        }
        for h in [
            "地区",
            "在册患者数",
            "电话随访数",
            "热线电话接听量",
            "规范管理率",
        ] {
            assert_eq!(header_kind(h), None, "{h}");
        }
    }

    #[test]
    fn english_headers() {
        for (h, k) in [
            ("name", Name),
            ("Name", Name),
            ("patient_name", Name),
            ("patientName", Name),
            ("first name", Name),
            ("FullName", Name),
            ("surname", Name),
            ("id", IdNumber),
            ("ID", IdNumber),
            ("id_card", IdNumber),
            ("IDCard", IdNumber),
            ("id-no", IdNumber),
            ("idno", IdNumber),
            ("patient.id", IdNumber),
            ("SSN", IdNumber),
            ("passport", IdNumber),
            ("phone", Phone),
            ("phoneNumber", Phone),
            ("tel", Phone),
            ("mobile", Phone),
            ("contact", Phone),
            ("address", Address),
            ("home_addr", Address),
            ("street", Address),
            ("residence", Address),
        ] {
            assert_eq!(header_kind(h), Some(k), "{h}");
        }
    }

    #[test]
    fn headers_that_only_contain_the_letters() {
        for h in [
            "area",
            "period",
            "area_name",
            "areaName",
            "population",
            "identified",
            "named_entities",
            "telemedicine",
            "phoneme",
            "addressed",
            "registered",
            "managed",
            "standard_managed",
            "on_medication",
            "region_id",
            "indicator_name",
            "phone_calls",
            "mobile_visits",
            "",
        ] {
            assert_eq!(header_kind(h), None, "{h}");
        }
    }

    #[test]
    fn tokens_split_words() {
        assert_eq!(tokens("patientName"), ["patient", "name"]);
        assert_eq!(tokens("IDCard2"), ["id", "card", "2"]);
        assert_eq!(tokens("home-addr.line 1"), ["home", "addr", "line", "1"]);
    }

    #[test]
    fn id_numbers() {
        assert_eq!(value_kind(TEST_ID), Some(IdNumber));
        assert_eq!(value_kind(&format!("  {TEST_ID} ")), Some(IdNumber));
        assert_eq!(value_kind(TEST_ID_X), Some(IdNumber));
        assert_eq!(value_kind(&TEST_ID_X.to_lowercase()), Some(IdNumber));
        // 15-digit form: area 110105, born (19)90-01-01.
        assert_eq!(value_kind("110105900101123"), Some(IdNumber));
    }

    #[test]
    fn id_numbers_with_a_wrong_check_are_still_ids_but_wrong_dates_are_not() {
        // Last digit changed: mistyped, or rounded by Excel, still someone's.
        assert_eq!(value_kind("110105199001011233"), Some(IdNumber));
        assert_eq!(value_kind("110105199001010018"), Some(IdNumber));
        // Birth date 1990-13-01 and 1990-02-30.
        assert_eq!(value_kind("110105199013011234"), None);
        assert_eq!(value_kind("110105199002301234"), None);
        assert_eq!(value_kind("110105901301123"), None);
        assert_eq!(value_kind("1101051990010112"), None);
    }

    #[test]
    fn id_numbers_rounded_by_excel_are_still_ids() {
        // Excel keeps 15 significant digits: 110105199001011232 → …011000.
        assert_eq!(value_kind("110105199001011000"), Some(IdNumber));
        let as_float = format!("{:.0}", 110105199001011000_f64);
        assert_eq!(value_kind(&as_float), Some(IdNumber), "{as_float}");
    }

    #[test]
    fn phone_numbers() {
        for v in [
            "13812345678",
            "19912345678",
            "138 1234 5678",
            "138-1234-5678",
            "+86 13812345678",
            "+86-138-1234-5678",
            "8613812345678",
            "0571-87654321",
            "010-12345678",
            "0571 8765432",
            "(0571)87654321",
            "057187654321",
            "+86-571-87654321",
        ] {
            assert_eq!(value_kind(v), Some(Phone), "{v}");
        }
    }

    #[test]
    fn counts_and_service_numbers_are_not_phones() {
        for v in [
            "12356",
            "212",
            "0",
            "12812345678",
            "1234567890",
            "400-161-9995",
            "12356-1",
            "2025-09",
            "010-123",
            "110105",
            "110105001000",
            "212.5",
        ] {
            assert_eq!(value_kind(v), None, "{v}");
        }
    }

    #[test]
    fn addresses() {
        for v in [
            "城关镇人民路12号",
            "幸福小区3栋2单元",
            "建设街5号楼301室",
            "和平巷7弄",
            "何家村3组",
            "光明路１２号",
        ] {
            assert_eq!(value_kind(v), Some(Address), "{v}");
        }
        for v in ["城关镇", "青山乡", "人民路街道", "第3网格", "12"] {
            assert_ne!(value_kind(v), Some(Address), "{v}");
        }
    }

    #[test]
    fn names() {
        for v in ["张三", "王小明", "欧阳娜娜", "司马光", "李四"] {
            assert_eq!(value_kind(v), Some(Name), "{v}");
        }
        for v in [
            "高新区",
            "龙泉镇",
            "石门乡",
            "何家村",
            "城关镇",
            "青山乡",
            "张家港",
            "王府井街道",
            "司马",
            "张",
            "张三丰大侠客",
            "Zhang San",
            "区精神卫生中心",
            "合计",
        ] {
            assert_eq!(value_kind(v), None, "{v}");
        }
    }

    #[test]
    fn masking_never_shows_the_whole_value() {
        assert_eq!(mask("13812345678"), "138******78");
        assert_eq!(mask(TEST_ID), "110*************32");
        assert_eq!(mask("张三"), "张*");
        assert_eq!(mask("王小明"), "王**");
        assert_eq!(mask("人民路12号"), "******");
        assert_eq!(mask("城关镇人民路12号"), "*********");
        assert_eq!(mask("张伟 13912345678"), "*".repeat(14));
        assert_eq!(mask("x"), "*");
        assert_eq!(mask(""), "");
    }

    proptest::proptest! {
        #[test]
        fn a_mask_never_shows_the_whole_value(value in "\\PC{1,20}") {
            proptest::prop_assume!(!value.contains('*'));
            let masked = mask(&value);
            proptest::prop_assert_ne!(&masked, &value);
            proptest::prop_assert_eq!(masked.chars().count(), value.chars().count());
        }

        #[test]
        fn counts_are_never_personal(n in 0u64..10_000_000_000) {
            proptest::prop_assert_eq!(value_kind(&n.to_string()), None);
        }
    }

    #[test]
    fn kinds_are_described_in_both_languages() {
        assert!(Name.describe().contains("姓名"));
        assert!(Phone.describe().contains("phone"));
    }
}
