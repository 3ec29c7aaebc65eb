//! Rendering one shortcode call with its template, and the data the
//! `hotline`, `figure` and `chart` shortcodes look up.

use super::*;

impl Renderer {
    /// Renders one shortcode call with `templates/shortcodes/<name>.html`.
    /// The arguments are the template's variables; `hotline` also gets the
    /// directory entry of its `number`, `figure` and `chart` their published
    /// figures (and the page the footnote when one is suppressed).
    pub fn render_shortcode(
        &self,
        config: &Config,
        data: &Data,
        doc: &crate::content::Document,
        call: &crate::content::shortcodes::ShortcodeCall,
    ) -> Result<crate::content::shortcodes::Rendered, (String, String)> {
        let template = format!("shortcodes/{}.html", call.name);
        if !self.tera.get_template_names().any(|n| n == template) {
            let mut known: Vec<&str> = self
                .tera
                .get_template_names()
                .filter_map(|n| n.strip_prefix("shortcodes/")?.strip_suffix(".html"))
                .collect();
            known.sort_unstable();
            let hint = match crate::diagnostics::closest(&call.name, known.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the shortcodes are: {}", known.join(", ")),
            };
            return Err((format!("unknown shortcode `{}`", call.name), hint));
        }
        let lang = config.language(doc.lang);
        let default_lang = &config.default_language;
        let mut ctx = Context::new();
        ctx.insert("config", &context::config_value(config, lang));
        ctx.insert("lang", lang);
        for (key, value) in &call.args {
            ctx.insert(key.as_str(), value);
        }
        if call.name == "hotline" {
            let asked = match call.args.get("number") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => {
                    return Err((
                        "the hotline shortcode needs the number to show".into(),
                        "write it as {{ hotline(number=\"12356\") }}".into(),
                    ));
                }
            };
            // The same number written another way (+86, spaces) is the same
            // number; a placeholder is matched by its zeros in their groups.
            use crate::data::hotlines::number;
            let digits = number::parse(&asked)
                .map(|n| n.digits)
                .unwrap_or_else(|_| asked.chars().filter(char::is_ascii_digit).collect());
            let example = number::parse_example(&asked).ok().map(|n| n.digits);
            let found = data.hotlines.iter().find(|h| match &example {
                Some(zeros) if h.example => &h.digits == zeros,
                _ => !h.example && h.digits == digits,
            });
            let Some(hotline) = found else {
                if data.hotlines_failed {
                    // The entry may be one left out for its errors, which are
                    // reported at data/hotlines.toml: say the cause once.
                    return Ok(Default::default());
                }
                let known: Vec<&str> = data.hotlines.iter().map(|h| h.number.as_str()).collect();
                return Err((
                    format!("there is no hotline with the number {asked} in data/hotlines.toml"),
                    if known.is_empty() {
                        "add it to data/hotlines.toml first".into()
                    } else {
                        format!(
                            "add it to data/hotlines.toml, or use one of: {}",
                            known.join(", ")
                        )
                    },
                ));
            };
            let area_name = |id: &str| data.areas.name(id, lang, default_lang);
            ctx.insert("hotline", &hotline.value(lang, default_lang, &area_name));
        }
        let mut note = None;
        if call.name == "figure" || call.name == "chart" {
            let Some(indicators) = &data.indicators else {
                if data.indicators_failed {
                    return Ok(Default::default());
                }
                return Err((
                    format!("the {} shortcode needs indicator data", call.name),
                    "add data/indicators/definitions.toml and a data file".into(),
                ));
            };
            let figures =
                indicators::Figures::new(indicators, &data.areas, config, lang, &self.theme.i18n);
            let value = if call.name == "figure" {
                figures.figure_shortcode(call)?
            } else {
                figures.chart_shortcode(call)?
            };
            ctx.insert(call.name.as_str(), &value);
            ctx.insert("data", &figures.common());
            if figures.shows_suppressed() {
                let mut note_ctx = Context::new();
                note_ctx.insert("footnote", &figures.footnote());
                note_ctx.insert("lang", lang);
                note = Some(
                    self.tera
                        .render("partials/suppression_note.html", &note_ctx)
                        .map_err(|e| {
                            let d = templates::template_error(&e, &self.theme, None);
                            (d.message, d.hint.unwrap_or_default())
                        })?,
                );
            }
        }
        let html = self.tera.render(&template, &ctx).map_err(|e| {
            let d = templates::template_error(&e, &self.theme, None);
            (
                format!("the shortcode `{}` failed: {}", call.name, d.message),
                d.hint.unwrap_or_default(),
            )
        })?;
        // A template file ends with a newline; inline in a sentence it would
        // show as a space before the next character.
        let html = html.trim_end().to_string();
        Ok(crate::content::shortcodes::Rendered { html, note })
    }
}
