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
        "区精神卫生中心",
        "合计",
    ] {
        assert_eq!(value_kind(v), None, "{v}");
    }
}

#[test]
fn names_the_common_surnames_miss() {
    for v in [
        "扎西多吉",
        "卓玛",
        "次仁多布杰",
        "买买提·艾力",
        "买买提・艾力",
        "买买提•艾力",
        "Zhang Wei",
        "ZHANG Wei",
        "Wei Zhang",
        "Ouyang Nana",
        "张 伟",
        "张\u{3000}伟",
        "禤国强",
        "亓小明",
        "患者李某某",
        "李某",
        "王某某",
        "张某甲",
    ] {
        assert_eq!(value_kind(v), Some(Name), "{v}");
    }
}

#[test]
fn what_is_not_a_name() {
    for v in [
        "2025Q3",
        "2025-09",
        "2025",
        "0",
        "212",
        "",
        "   ",
        "town-a",
        "chengguan",
        "county",
        "Total Count",
        "Q3 2025",
        "某某",
        "某县",
        "某某镇",
        "合计",
        "说明",
        "康复患者",
        "常住人口",
        "卫生院",
        "扎西乡",
        "本表由县疾控填报",
        "1.5",
    ] {
        assert_eq!(value_kind(v), None, "{v:?}");
    }
}

#[test]
fn full_width_and_spaced_numbers() {
    assert_eq!(value_kind("１３８１２３４５６７８"), Some(Phone));
    assert_eq!(value_kind("138 1234 5678"), Some(Phone));
    assert_eq!(value_kind("138-1234-5678"), Some(Phone));
    assert_eq!(value_kind("１３８　１２３４　５６７８"), Some(Phone));
    assert_eq!(value_kind("110101 19900307 1233"), Some(IdNumber));
    assert_eq!(value_kind("110101-19900307-1233"), Some(IdNumber));
    assert_eq!(
        value_kind("１１０１０５１９９００１０１１２３２"),
        Some(IdNumber)
    );
    assert_eq!(
        value_kind("１１０１０５１９９００１０１００７Ｘ"),
        Some(IdNumber)
    );
    // Full-width counts are counts, not personal data.
    assert_eq!(value_kind("２１２"), None);
}

#[test]
fn normalize_maps_full_width_ascii_and_the_ideographic_space() {
    assert_eq!(normalize("ＡＢｃ１２３！～"), "ABc123!~");
    assert_eq!(normalize("姓\u{3000}名"), "姓 名");
    assert_eq!(normalize("城关镇·2025"), "城关镇·2025");
}

#[test]
fn headers_about_a_person_or_a_record_about_one() {
    for (h, k) in [
        ("姓 名", Name),
        ("姓\u{3000}名", Name),
        ("ｐｈｏｎｅ", Phone),
        ("监护人", Person),
        ("监护人姓名", Name),
        ("监护人电话", Phone),
        ("出生日期", BirthDate),
        ("出生年月", BirthDate),
        ("生日", BirthDate),
        ("性别", Sex),
        ("性 别", Sex),
        ("病历号", RecordNumber),
        ("病案号", RecordNumber),
        ("住院号", RecordNumber),
        ("门诊号", RecordNumber),
        ("住 院 号", RecordNumber),
        ("诊断", Diagnosis),
        ("主要诊断", Diagnosis),
        ("年龄", Age),
        ("患者年龄", Age),
        ("guardian", Person),
        ("birth_date", BirthDate),
        ("date_of_birth", BirthDate),
        ("dob", BirthDate),
        ("DOB", BirthDate),
        ("sex", Sex),
        ("gender", Sex),
        ("mrn", RecordNumber),
        ("medical_record", RecordNumber),
        ("medical_record_no", RecordNumber),
        ("inpatient_no", RecordNumber),
        ("outpatientNo", RecordNumber),
        ("diagnosis", Diagnosis),
        ("age", Age),
        ("patient_age", Age),
    ] {
        assert_eq!(header_kind(h), Some(k), "{h}");
    }
}

#[test]
fn headers_that_name_a_count_pass() {
    for h in [
        "电话随访数",
        "诊断人数",
        "监护人数",
        "住院人数",
        "门诊人次",
        "出生人数",
        "年龄60岁以上患者数",
        "phone_calls",
        "diagnosis_count",
        "gender_male_count",
        "age_60_plus",
        "births",
        "diagnosed",
        "registered",
    ] {
        assert_eq!(header_kind(h), None, "{h}");
    }
}

#[test]
fn count_cells_that_are_dates_or_record_numbers() {
    for (v, k) in [
        ("20250312", Date),
        ("2025-03-12", Date),
        ("1990/03/07", Date),
        ("1990/3/7", Date),
        ("1990.03.07", Date),
        ("1990年3月7日", Date),
        ("２０２５－０３－１２", Date),
        ("0012345678", RecordNumber),
        ("00123", RecordNumber),
        ("ZY2025001", RecordNumber),
        ("zy2025001", RecordNumber),
        ("MZ-2025-0012", RecordNumber),
    ] {
        assert_eq!(count_cell_kind(v), Some(k), "{v}");
    }
    for v in [
        "0", "212", "", "05", "0012", "20251340", "12345678", "2025", "2025-09", "2025Q3", "abc",
    ] {
        assert_eq!(count_cell_kind(v), None, "{v}");
    }
}

#[test]
fn sensitive_records_cite_the_personal_information_law_too() {
    assert!(Diagnosis.law().contains("个人信息保护法 第28条"));
    assert!(RecordNumber.law().contains("第28条"));
    assert_eq!(Name.law(), "精神卫生法 第4条");
}

#[test]
fn messages_and_quoted_lines_never_keep_the_new_patterns() {
    for secret in [
        "扎西多吉",
        "买买提·艾力",
        "Zhang Wei",
        "张 伟",
        "禤国强",
        "患者李某某",
        "１３８１２３４５６７８",
        "138 1234 5678",
        "110101 19900307 1233",
        "ZY2025001",
        "0012345678",
        "2025-03-12",
    ] {
        assert!(needs_mask(secret), "{secret}");
        let message = format!("`{secret}` is not a count");
        assert!(!scrub(&message).contains(secret), "{}", scrub(&message));
        let line = format!("2025Q3,town-a,{secret},12");
        let scrubbed = scrub(&line);
        assert!(!scrubbed.contains(secret), "{scrubbed}");
        assert!(scrubbed.starts_with("2025Q3,town-a,"), "{scrubbed}");
        assert!(scrubbed.ends_with(",12"), "{scrubbed}");
    }
    let prose = "the areas are: town-a, town-b, chengguan";
    assert_eq!(scrub(prose), prose);
}

#[test]
fn masking_never_shows_the_whole_value() {
    assert_eq!(mask("Zhang Wei"), "Z********");
    assert_eq!(mask("１３８１２３４５６７８"), "１３８******７８");
    assert_eq!(mask("买买提·艾力"), "******");
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
