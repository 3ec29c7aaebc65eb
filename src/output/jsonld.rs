//! schema.org JSON-LD for campaign events, policy explainers and their
//! question-and-answer sections, so that search engines and map apps can show
//! a resident the event's time and place or the service's phone number
//! without them opening the page.
//!
//! Absent facts are left out rather than written as `null` or an empty
//! string: schema.org consumers read a present property as a claim.

use crate::content::date::Date;
use serde_json::{Map, Value, json};

/// What the Event JSON-LD says about a page with `[event]`.
#[derive(Debug, Clone, Copy)]
pub struct EventLd<'a> {
    /// The page title.
    pub name: &'a str,
    pub description: Option<&'a str>,
    /// The page permalink.
    pub url: &'a str,
    /// A date alone is written as a date (an all-day event); a date-time
    /// with its offset, `+08:00` when the front matter gives none.
    pub start: &'a Date,
    pub end: Option<&'a Date>,
    /// Both the place's name and its address: front matter has one `venue`
    /// line, which for a street stall is the address too.
    pub venue: Option<&'a str>,
    pub organizers: &'a [String],
    /// The page's language, e.g. `zh-CN`.
    pub language: &'a str,
}

/// What the GovernmentService JSON-LD says about a page with `[policy]`.
#[derive(Debug, Clone, Copy)]
pub struct ServiceLd<'a> {
    /// The page title, e.g. `严重精神障碍患者监护人以奖代补`.
    pub name: &'a str,
    pub description: Option<&'a str>,
    /// The page permalink.
    pub url: &'a str,
    /// What kind of service it is, e.g. `监护补贴` or `免费服药`.
    pub service_type: Option<&'a str>,
    /// The issuing authority (front matter `issuer`), published as the
    /// providing GovernmentOrganization.
    pub provider: Option<&'a str>,
    /// The area the policy covers, e.g. the site's county.
    pub area: Option<&'a str>,
    /// Who is eligible, one condition per item.
    pub eligibility: &'a [String],
    /// Joins the conditions into one text: `；` in Chinese, `; ` in English.
    pub clause_separator: &'a str,
    /// The policy document number, e.g. `〔2025〕3号`.
    pub document: Option<&'a str>,
    /// A telephone number to ask about the service, if the page gives one.
    pub telephone: Option<&'a str>,
}

const CONTEXT: &str = "https://schema.org";

/// A schema.org `Event` held in person.
pub fn event(e: &EventLd) -> Value {
    let mut ld = object(json!({
        "@context": CONTEXT,
        "@type": "Event",
        "name": e.name,
        "startDate": iso(e.start),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "url": e.url,
        "inLanguage": e.language,
    }));
    insert_some(&mut ld, "description", e.description);
    if let Some(end) = e.end {
        ld.insert("endDate".into(), iso(end).into());
    }
    if let Some(venue) = e.venue {
        ld.insert(
            "location".into(),
            json!({ "@type": "Place", "name": venue, "address": venue }),
        );
    }
    if !e.organizers.is_empty() {
        let organizers = e
            .organizers
            .iter()
            .map(|name| json!({ "@type": "Organization", "name": name }))
            .collect();
        ld.insert("organizer".into(), Value::Array(organizers));
    }
    Value::Object(ld)
}

/// A schema.org `GovernmentService`: what the policy gives, who provides it,
/// who may apply and where to call.
pub fn government_service(p: &ServiceLd) -> Value {
    let mut ld = object(json!({
        "@context": CONTEXT,
        "@type": "GovernmentService",
        "name": p.name,
        "url": p.url,
    }));
    insert_some(&mut ld, "description", p.description);
    insert_some(&mut ld, "serviceType", p.service_type);
    // The document that grants the benefit sets its terms; `identifier`
    // would claim the number names the service itself, which it does not.
    insert_some(&mut ld, "termsOfService", p.document);
    if let Some(provider) = p.provider {
        ld.insert(
            "provider".into(),
            json!({ "@type": "GovernmentOrganization", "name": provider }),
        );
    }
    if let Some(area) = p.area {
        ld.insert(
            "areaServed".into(),
            json!({ "@type": "AdministrativeArea", "name": area }),
        );
    }
    if !p.eligibility.is_empty() {
        ld.insert(
            "audience".into(),
            json!({ "@type": "Audience", "audienceType": p.eligibility.join(p.clause_separator) }),
        );
    }
    if let Some(telephone) = p.telephone {
        ld.insert(
            "availableChannel".into(),
            json!({
                "@type": "ServiceChannel",
                "serviceUrl": p.url,
                "servicePhone": { "@type": "ContactPoint", "telephone": telephone },
            }),
        );
    }
    Value::Object(ld)
}

/// A schema.org `FAQPage` from (question, answer) pairs. Answers may be plain
/// text or simple HTML, which is what Google accepts in `Answer.text`.
pub fn faq_page(questions: &[(String, String)]) -> Value {
    let entities: Vec<Value> = questions
        .iter()
        .map(|(question, answer)| {
            json!({
                "@type": "Question",
                "name": question,
                "acceptedAnswer": { "@type": "Answer", "text": answer },
            })
        })
        .collect();
    json!({ "@context": CONTEXT, "@type": "FAQPage", "mainEntity": entities })
}

/// The `<script>` element that carries `value` in a page. `<`, `>` and `&`
/// can only occur inside JSON strings, so writing them as `\u003c`… keeps the
/// same JSON while making sure no text (an answer with `</script>` in it)
/// can end the element early or start markup.
pub fn script(value: &Value) -> String {
    let json = value.to_string();
    let mut out = String::with_capacity(json.len() + 48);
    out.push_str("<script type=\"application/ld+json\">");
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out.push_str("</script>");
    out
}

/// ISO 8601 as schema.org reads it: `2025-10-10` for a date alone,
/// `2025-10-10T09:00:00+08:00` for a date-time.
fn iso(date: &Date) -> String {
    match date.time {
        None => date.ymd(),
        Some(_) => date.rfc3339(),
    }
}

/// The map inside a `json!` object literal, to add the optional properties to.
fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn insert_some(ld: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        ld.insert(key.into(), value.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        Date::from_toml(&toml::Value::String(s.into())).unwrap()
    }

    #[test]
    fn events_carry_offsets_and_leave_out_what_is_unknown() {
        let start = date("2025-10-10T09:00:00");
        let organizers = vec!["县疾控中心".to_string()];
        let ld = event(&EventLd {
            name: "世界精神卫生日",
            description: None,
            url: "https://example.org/campaigns/wmhd/",
            start: &start,
            end: None,
            venue: Some("县政协门口宣传点"),
            organizers: &organizers,
            language: "zh-CN",
        });
        assert_eq!(ld["@type"], "Event");
        assert_eq!(ld["startDate"], "2025-10-10T09:00:00+08:00");
        assert_eq!(ld["location"]["address"], "县政协门口宣传点");
        assert_eq!(ld["organizer"][0]["@type"], "Organization");
        assert!(ld.get("endDate").is_none() && ld.get("description").is_none());
        assert_eq!(iso(&date("2025-10-10")), "2025-10-10");
    }

    #[test]
    fn services_name_their_channel_only_with_a_phone() {
        let eligibility = vec!["本县户籍".to_string(), "在册患者的监护人".to_string()];
        let mut service = ServiceLd {
            name: "以奖代补",
            description: None,
            url: "https://example.org/policies/guardian-subsidy/",
            service_type: Some("监护补贴"),
            provider: Some("县综治办等六部门"),
            area: Some("示例县"),
            eligibility: &eligibility,
            clause_separator: "；",
            document: Some("〔2025〕3号"),
            telephone: None,
        };
        let ld = government_service(&service);
        assert_eq!(ld["provider"]["@type"], "GovernmentOrganization");
        assert_eq!(ld["audience"]["audienceType"], "本县户籍；在册患者的监护人");
        assert!(ld.get("availableChannel").is_none());
        service.telephone = Some("0000-12345678");
        let ld = government_service(&service);
        assert_eq!(
            ld["availableChannel"]["servicePhone"]["telephone"],
            "0000-12345678"
        );
    }

    #[test]
    fn scripts_cannot_be_closed_by_their_content() {
        let faq = faq_page(&[("</script><b>?".into(), "A & B".into())]);
        let html = script(&faq);
        assert_eq!(html.matches("</script>").count(), 1);
        let json = html
            .strip_prefix("<script type=\"application/ld+json\">")
            .and_then(|rest| rest.strip_suffix("</script>"))
            .unwrap();
        assert!(!json.contains(['<', '>', '&']));
        assert_eq!(serde_json::from_str::<Value>(json).unwrap(), faq);
        assert!(html.contains("\\u003c/script\\u003e") && html.contains("A \\u0026 B"));
    }
}
