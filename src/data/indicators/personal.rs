//! Personal data has no place in indicator data (精神卫生法 第4条): a column
//! whose header, or a cell whose value, looks like a name, an ID card number,
//! a phone number, an address, or a record about one person (birth date,
//! sex, medical-record number, diagnosis) is refused. Messages never repeat
//! the value.
//!
//! Everything is checked in its normalised form ([`normalize`]): a data office
//! typing with a Chinese input method writes full-width digits, letters and
//! spaces (`１３８１２３４５６７８`, `姓　名`) as often as ASCII ones.
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
    /// Someone other than the patient named in a column: `监护人`, `guardian`.
    Person,
    BirthDate,
    Sex,
    Age,
    /// A medical-record, inpatient or outpatient number: `病历号`, `ZY2025001`.
    RecordNumber,
    /// A diagnosis per person: `诊断`.
    Diagnosis,
    /// A calendar date in a count column: a birth, admission or visit date.
    Date,
}

impl PersonalKind {
    /// For messages to data offices, who read Chinese first.
    pub fn describe(self) -> &'static str {
        match self {
            PersonalKind::Name => "姓名 (a name)",
            PersonalKind::IdNumber => "身份证号 (an ID card number)",
            PersonalKind::Phone => "电话号码 (a phone number)",
            PersonalKind::Address => "地址 (an address)",
            PersonalKind::Person => "监护人等个人 (a person)",
            PersonalKind::BirthDate => "出生日期 (a birth date)",
            PersonalKind::Sex => "性别 (sex)",
            PersonalKind::Age => "年龄 (an age)",
            PersonalKind::RecordNumber => {
                "病历号、住院号等记录号 (a medical-record or case number)"
            }
            PersonalKind::Diagnosis => "诊断 (a diagnosis)",
            PersonalKind::Date => "日期 (a date, such as a birth or visit date)",
        }
    }

    /// The law that forbids publishing it. Records about a patient's health
    /// are sensitive personal information besides (个人信息保护法 第28条).
    pub fn law(self) -> &'static str {
        match self {
            PersonalKind::RecordNumber
            | PersonalKind::Diagnosis
            | PersonalKind::Date
            | PersonalKind::BirthDate => "精神卫生法 第4条；个人信息保护法 第28条",
            _ => "精神卫生法 第4条",
        }
    }
}

/// Full-width ASCII (U+FF01..U+FF5E) as ASCII and the ideographic space
/// U+3000 as a space, as NFKC would map them; nothing else changes.
pub fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// The kind of personal data a column header names, if any.
pub fn header_kind(header: &str) -> Option<PersonalKind> {
    let header = normalize(header);
    let header = header.trim();
    chinese_header_kind(header).or_else(|| english_header_kind(header))
}

/// The kind of personal data a cell value looks like, if any.
pub fn value_kind(value: &str) -> Option<PersonalKind> {
    let value = normalize(value);
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    // `110101 19900307 1233`, `138-1234-5678`: grouped for reading.
    let compact: String = value.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if is_id_number(value) || (compact.len() >= 15 && is_id_number(&compact)) {
        Some(PersonalKind::IdNumber)
    } else if is_phone(value) {
        Some(PersonalKind::Phone)
    } else if is_address(value) {
        Some(PersonalKind::Address)
    } else if is_name(value)
        || is_spaced_name(value)
        || is_dotted_name(value)
        || is_tibetan_name(value)
        || is_pseudonym(value)
        || is_pinyin_name(value)
    {
        Some(PersonalKind::Name)
    } else {
        embedded_kind(value)
    }
}

/// What a cell of a count column must not be besides [`value_kind`]: a date
/// (`20250312`, `2025-03-12`, `1990/03/07`, `1990年3月7日`) or a record number
/// (`0012345678`: no count is written with leading zeros; `ZY2025001`: letters
/// before a serial). Only count columns are checked: a period column holds
/// `2025-09` rightly.
///
/// An eight-digit count that reads as a date (20 250 312) is refused too: no
/// count of patients of one area comes near it, while a birth date typed into
/// the wrong column is a person's.
pub fn count_cell_kind(value: &str) -> Option<PersonalKind> {
    let value = normalize(value);
    let value = value.trim();
    if is_date(value) {
        return Some(PersonalKind::Date);
    }
    let b = value.as_bytes();
    let all_digits = !b.is_empty() && b.iter().all(u8::is_ascii_digit);
    if all_digits && b.len() >= 5 && b[0] == b'0' {
        return Some(PersonalKind::RecordNumber);
    }
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let digits = b[letters..]
        .iter()
        .filter(|c| c.is_ascii_digit() || **c == b'-')
        .count();
    if (1..=4).contains(&letters)
        && letters + digits == b.len()
        && b[letters..].iter().filter(|c| c.is_ascii_digit()).count() >= 4
    {
        return Some(PersonalKind::RecordNumber);
    }
    None
}

/// A calendar date: `yyyymmdd`, `yyyy-mm-dd`, `yyyy/m/d`, `yyyy.mm.dd` or
/// `yyyy年m月d日`, with a real day of a year 1900–2099.
fn is_date(value: &str) -> bool {
    let b = value.as_bytes();
    if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        return plausible_date(&value[..4], &value[4..6], &value[6..]);
    }
    let parts: Vec<&str> = value
        .trim_end_matches('日')
        .split(['-', '/', '.', '年', '月'])
        .collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && (1..=2).contains(&m.len()) && (1..=2).contains(&d.len()) => {
            plausible_date(y, m, d)
        }
        _ => false,
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
    let normal = normalize(text);
    let digits = normal.chars().filter(char::is_ascii_digit).count();
    value_kind(text).is_some()
        || count_cell_kind(text).is_some()
        || digits >= 11
        || (digits > 0 && normal.chars().any(is_han))
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
    // A field with spaces is mostly prose (`the areas are: a, b`), unless it
    // is a value written with spaces (`Zhang Wei`, `138 1234 5678`).
    let fields: Vec<String> = out
        .split(',')
        .map(|f| {
            let value = f.trim().trim_matches('"');
            if needs_mask(value) && (!f.contains(' ') || value_kind(value).is_some()) {
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
        if c.is_ascii_digit() || ('０'..='９').contains(&c) {
            run.push(c);
            continue;
        }
        if run.chars().count() >= 11 {
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
    // The ends of a long number find the cell again; the ends of a written
    // name (`Zhang Wei`) would give it away.
    let digits = normalize(value)
        .chars()
        .filter(char::is_ascii_digit)
        .count();
    let (head, tail) = match n {
        0 | 1 => (0, 0),
        _ if han && n > 4 => (0, 0),
        8.. if digits * 2 >= n => (3, 2),
        _ => (1, 0),
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
    ("监护人", PersonalKind::Person),
    ("联系人", PersonalKind::Person),
    ("出生", PersonalKind::BirthDate),
    ("生日", PersonalKind::BirthDate),
    ("性别", PersonalKind::Sex),
    ("病历", PersonalKind::RecordNumber),
    ("病案", PersonalKind::RecordNumber),
    ("住院号", PersonalKind::RecordNumber),
    ("门诊号", PersonalKind::RecordNumber),
    ("就诊号", PersonalKind::RecordNumber),
    ("档案号", PersonalKind::RecordNumber),
    ("诊断", PersonalKind::Diagnosis),
];

/// A header ending in one of these counts or measures something, e.g.
/// `电话随访数`, `诊断人数`, `监护人数` or `热线电话接听量`: it cannot hold a
/// phone number, a diagnosis or a person itself. The rule is the ending, not
/// the word inside: `住院号` is refused, `住院人数` is a count.
const CHINESE_COUNT_ENDINGS: &[&str] = &["数", "量", "率", "次", "比例", "占比"];

fn chinese_header_kind(header: &str) -> Option<PersonalKind> {
    // `姓 名`, `姓　名`: spaced out to fill a cell.
    let header: String = header.chars().filter(|c| !c.is_whitespace()).collect();
    if CHINESE_COUNT_ENDINGS.iter().any(|e| header.ends_with(e)) {
        return None;
    }
    // An age is refused as a column of its own (`年龄`, `患者年龄`); an age
    // band (`年龄60岁以上`) names a group that is counted.
    if header.ends_with("年龄") {
        return Some(PersonalKind::Age);
    }
    let (_, kind) = CHINESE_HEADER_WORDS
        .iter()
        .find(|(word, _)| header.contains(word))?;
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
    ("guardian", PersonalKind::Person),
    ("caregiver", PersonalKind::Person),
    ("birthdate", PersonalKind::BirthDate),
    ("birthday", PersonalKind::BirthDate),
    ("dob", PersonalKind::BirthDate),
    ("born", PersonalKind::BirthDate),
    ("birth", PersonalKind::BirthDate),
    ("sex", PersonalKind::Sex),
    ("gender", PersonalKind::Sex),
    ("mrn", PersonalKind::RecordNumber),
    ("medicalrecord", PersonalKind::RecordNumber),
    ("recordno", PersonalKind::RecordNumber),
    ("inpatientno", PersonalKind::RecordNumber),
    ("outpatientno", PersonalKind::RecordNumber),
    ("admissionno", PersonalKind::RecordNumber),
    ("caseno", PersonalKind::RecordNumber),
    ("diagnosis", PersonalKind::Diagnosis),
    ("icd", PersonalKind::Diagnosis),
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
    // As for `年龄`: `age` or `patient_age` is refused, `age_60_plus` is a band.
    if tokens.last().is_some_and(|t| t == "age") {
        return Some(PersonalKind::Age);
    }
    let (_, kind) = ENGLISH_HEADER_WORDS.iter().find(|(word, _)| {
        tokens.iter().any(|t| t == word)
            // `first name`, `patient_name`, `id no`, `birth_date` as one word too.
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

/// Chinese surnames: the common ones, which cover the great majority of
/// people, then rarer ones (禤, 亓, 仝, …) that a data office's list of
/// patients holds as surely. Surnames that also begin the words of this
/// trade (常住, 康复, 卫生, 管理, 安置) are left out: a header such as `康复患者`
/// must not read as a name. The first line is the older, shorter list.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤\
    温施樊葛邢乔伍庞颜倪庄聂鲁岳翟殷詹耿焦俞柳阮柯纪梅裴霍涂翁冉骆蓝靳柴鲍喻祁蒲滕饶牟艾尤穆卓缪芦麦褚娄窦戚岑晏瞿桂佟臧闵苟邬卞姬仇栾隋刁巫寇甄虞敖巩佘邝\
    禤亓仝訾郜逯厍靖隗蔺芮钭檀茹鞠璩谯晁蒯鄢邰笪郦郗郄禚頡揭琚粟闻冀郏扈";
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "司徒", "尉迟", "长孙", "宇文",
    "夏侯",
];

/// Endings of places and organisations, so that `龙泉镇`, `何家村` and
/// `高新区` are not taken for people. Given names hardly ever end in these.
const PLACE_ENDINGS: &[&str] = &[
    "街道", "社区", "中心", "镇", "乡", "县", "村", "区", "市", "省", "州", "旗", "盟", "街", "路",
    "站", "院", "所", "组", "场", "局", "委", "办", "队", "科", "处", "会", "庄", "屯", "营", "寨",
    "堡", "湾", "港",
];

/// Two to four Han characters starting with a surname and not ending like a
/// place.
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

/// A name spaced out to fill a cell: `张 伟`, `张　伟` (already normalised to
/// a space).
fn is_spaced_name(value: &str) -> bool {
    value.contains(' ') && is_name(&value.split_whitespace().collect::<String>())
}

/// Middle dots between the parts of a Uyghur, Kazakh or transliterated name:
/// `买买提·艾力`, with `・`, `•`, `‧` or `･` typed for `·`.
fn is_dotted_name(value: &str) -> bool {
    let parts: Vec<&str> = value
        .split(['·', '・', '•', '‧', '･', '.'])
        .map(str::trim)
        .collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| (1..=6).contains(&p.chars().count()) && p.chars().all(is_han))
}

/// Tibetan names have no surname: two or more of the common two-character
/// parts, or one alone (`扎西多吉`, `卓玛`).
const TIBETAN_NAME_PARTS: &[&str] = &[
    "扎西", "多吉", "次仁", "卓玛", "央金", "格桑", "达瓦", "尼玛", "拉姆", "德吉", "平措", "旦增",
    "丹增", "索朗", "巴桑", "边巴", "普布", "顿珠", "洛桑", "益西", "强巴", "白玛", "桑杰", "仁增",
    "曲珍", "央宗", "次旦", "罗布", "群培", "措姆", "阿旺", "贡布", "拉巴", "琼达", "次珍", "多布",
    "才让", "卓嘎", "普琼", "旺堆", "欧珠", "米玛", "仓决", "布琼",
];

fn is_tibetan_name(value: &str) -> bool {
    if PLACE_ENDINGS.iter().any(|e| value.ends_with(e)) {
        return false;
    }
    let mut rest = value;
    let mut parts = 0;
    while let Some(part) = TIBETAN_NAME_PARTS.iter().find(|p| rest.starts_with(*p)) {
        rest = &rest[part.len()..];
        parts += 1;
    }
    // A part of three characters (`多布杰`) ends some names.
    parts >= 1 && (rest.is_empty() || (rest.chars().count() == 1 && rest.chars().all(is_han)))
}

/// A name made anonymous the way case reports do, which still points at one
/// person of a small place: `李某`, `王某某`, `患者李某某`, `张某甲`.
fn is_pseudonym(value: &str) -> bool {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() > 8 || !chars.iter().all(|&c| is_han(c)) {
        return false;
    }
    let Some(first) = chars.iter().position(|&c| c == '某') else {
        return false;
    };
    let run = chars[first..].iter().take_while(|&&c| c == '某').count();
    let after = chars.len() - first - run;
    first >= 1 && SURNAMES.contains(chars[first - 1]) && run <= 2 && after <= 1
}

/// Common surnames in pinyin, for names written in Latin letters.
const PINYIN_SURNAMES: &[&str] = &[
    "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma",
    "zhu", "hu", "guo", "he", "gao", "lin", "luo", "zheng", "liang", "xie", "song", "tang", "han",
    "feng", "deng", "cao", "peng", "zeng", "xiao", "tian", "dong", "yuan", "pan", "yu", "jiang",
    "cai", "du", "ye", "cheng", "su", "wei", "lv", "lu", "ding", "ren", "shen", "yao", "cui",
    "zhong", "tan", "fan", "jin", "shi", "liao", "jia", "xia", "fang", "bai", "zou", "meng",
    "xiong", "qin", "qiu", "yin", "xue", "yan", "duan", "lei", "hou", "long", "tao", "gu", "mao",
    "hao", "gong", "shao", "wan", "qian", "dai", "mo", "kong", "xiang", "ouyang", "niu", "kang",
    "qi", "ge", "an", "qiao", "pang", "ni", "zhuang", "nie", "lan", "bao", "ning",
];

/// Two or three capitalised words of letters, one of them a pinyin surname,
/// the family name first or last: `Zhang Wei`, `ZHANG Wei`, `Wei Zhang`,
/// `Ouyang Nana`. A place in pinyin (`Cheng Guan`) matches too; an area's
/// own name is let through where areas are known.
fn is_pinyin_name(value: &str) -> bool {
    let words: Vec<&str> = value.split_whitespace().collect();
    let capitalised = |w: &&str| {
        let mut chars = w.chars();
        chars.next().is_some_and(|c| c.is_ascii_uppercase())
            && w.len() <= 12
            && chars.all(|c| c.is_ascii_alphabetic())
            && (w.chars().skip(1).all(|c| c.is_ascii_lowercase())
                || w.chars().all(|c| c.is_ascii_uppercase()))
    };
    let surname = |w: &str| PINYIN_SURNAMES.contains(&w.to_ascii_lowercase().as_str());
    (2..=3).contains(&words.len())
        && words.iter().all(capitalised)
        && (words.first().is_some_and(|w| surname(w)) || words.last().is_some_and(|w| surname(w)))
}

#[cfg(test)]
mod tests;
