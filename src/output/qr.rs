//! QR codes of page addresses as inline SVG, for the print view of campaign
//! and policy pages: staff print a page as a leaflet or poster and residents
//! scan it back to the site.
//!
//! The `qrcode` crate only computes the module matrix; the SVG is drawn here,
//! which keeps its image renderer (and the `image` crate) out of the build and
//! lets us choose accessible, print-sized, byte-stable markup.

use qrcode::{Color, EcLevel, QrCode};
use std::fmt::Write;

/// Light modules around the code, as ISO/IEC 18004 asks, so scanners find
/// its edge even when it is printed next to text.
const QUIET_ZONE: usize = 4;

/// Printed size of one module. At 0.75 mm a phone reads the code from an
/// arm's length; small codes are still printed at `MIN_SIZE_MM`.
const MODULE_MM: f64 = 0.75;
const MIN_SIZE_MM: f64 = 30.0;

/// An SVG QR code of `url` (error correction M, which survives a smudged or
/// folded leaflet), black on white, labelled for screen readers with
/// `label`. The same input always gives the same bytes.
///
/// The URL is percent-encoded first: a Chinese path as raw UTF-8 is misread
/// by some older scanners, while `%E5…` reads everywhere.
pub fn svg(url: &str, label: &str) -> Result<String, String> {
    let data = super::encode_url(url);
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)
        .map_err(|e| format!("cannot make a QR code of `{url}`: {e}"))?;
    let width = code.width();
    let size = width + 2 * QUIET_ZONE;
    let size_mm = (size as f64 * MODULE_MM).max(MIN_SIZE_MM);
    let label = super::escape_xml(label);

    let mut out = String::with_capacity(width * width);
    // `write!` into a String cannot fail; the results are ignored for that reason.
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         width=\"{size_mm}mm\" height=\"{size_mm}mm\" role=\"img\" aria-label=\"{label}\" \
         shape-rendering=\"crispEdges\" class=\"qr\">\
         <title>{label}</title>\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path fill=\"#000\" d=\""
    );
    out.push_str(&dark_path(&code.to_colors(), width));
    out.push_str("\"/></svg>");
    Ok(out)
}

/// One path for all dark modules: a rectangle per horizontal run, which is
/// far shorter than a square per module and leaves no hairline gaps between
/// neighbours when printed.
fn dark_path(colors: &[Color], width: usize) -> String {
    let mut d = String::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < row.len() {
            if row[x] == Color::Light {
                x += 1;
                continue;
            }
            let run = row[x..].iter().take_while(|&&c| c == Color::Dark).count();
            let _ = write!(d, "M{} {}h{run}v1h-{run}z", x + QUIET_ZONE, y + QUIET_ZONE);
            x += run;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_labelled_print_sized_code() {
        let svg = svg(
            "https://example.org/policies/free-medication/",
            "扫码查看 <免费服药>",
        )
        .unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("<title>扫码查看 &lt;免费服药&gt;</title>"));
        assert!(svg.contains("aria-label=\"扫码查看 &lt;免费服药&gt;\""));
        assert!(svg.contains("width=\"30.75mm\" height=\"30.75mm\""));
        assert_eq!(svg.matches("<path").count(), 1);
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn runs_become_rectangles() {
        use Color::{Dark, Light};
        let row = [Dark, Dark, Light, Dark];
        assert_eq!(dark_path(&row, 4), "M4 4h2v1h-2zM7 4h1v1h-1z");
    }

    #[test]
    fn the_path_paints_exactly_the_dark_modules() {
        let code =
            QrCode::with_error_correction_level(b"https://example.org/", EcLevel::M).unwrap();
        let width = code.width();
        let size = width + 2 * QUIET_ZONE;
        let mut painted = vec![false; size * size];
        for run in dark_path(&code.to_colors(), width).split_terminator('z') {
            let (x, rest) = run[1..].split_once(' ').unwrap();
            let (y, rest) = rest.split_once('h').unwrap();
            let len = rest.split_once('v').unwrap().0;
            let (x, y, len): (usize, usize, usize) =
                (x.parse().unwrap(), y.parse().unwrap(), len.parse().unwrap());
            for cell in &mut painted[y * size + x..y * size + x + len] {
                assert!(!*cell, "painted twice");
                *cell = true;
            }
        }
        for (i, color) in code.to_colors().iter().enumerate() {
            let (x, y) = (i % width + QUIET_ZONE, i / width + QUIET_ZONE);
            assert_eq!(
                painted[y * size + x],
                *color == Color::Dark,
                "module {x},{y}"
            );
        }
        let dark = code
            .to_colors()
            .iter()
            .filter(|&&c| c == Color::Dark)
            .count();
        assert_eq!(
            painted.iter().filter(|&&p| p).count(),
            dark,
            "quiet zone stays white"
        );
    }

    #[test]
    fn refuses_what_does_not_fit() {
        assert!(svg(&"x".repeat(3000), "too long").is_err());
    }
}
