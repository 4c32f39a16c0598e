//! Charts drawn at build time become SVG files of their own under `assets/figures/`,
//! each shown by an `<img>`. Inline, the article's figures in both themes made an 820 KB
//! page that a phone spent most of a second parsing before any widget could start; as
//! images, a browser fetches only the theme it shows, and only as the reader nears it.

use chart::Palette;
use html_escape::encode_double_quoted_attribute as attr;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::assets::{hashed_name, OutputFile};

/// The folder of the output that holds the charts' files.
pub const FOLDER: &str = "assets/figures/";

/// Where a page's build-time charts go: their address prefix and the files they need.
pub struct ImageFiles<'a> {
    pub base: &'a str,
    pub files: &'a mut Vec<OutputFile>,
}

/// A chart drawn in both themes, an image each (the page's style shows the reader's
/// theme, and a browser fetches only that one): their HTML. `draw` draws one theme.
pub fn in_both_themes<F>(
    label: &str,
    (width, height): (u32, u32),
    figures: &mut ImageFiles,
    mut draw: F,
) -> String
where
    F: FnMut(
        &DrawingArea<SVGBackend, Shift>,
        &'static Palette,
    ) -> Result<(), DrawingAreaErrorKind<std::io::Error>>,
{
    let mut html = String::new();
    for (theme, palette) in chart::THEMES {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
            // Drawing into a String cannot fail.
            let _ = draw(&area, palette);
        }
        let (image, file) = image(
            svg,
            &format!("widget-chart theme-{theme}"),
            label,
            (width, height),
            figures.base,
        );
        html.push_str(&image);
        figures.files.push(file);
    }
    html
}

/// The `<img>` that shows `svg`, addressed under `base`, and the file it needs.
/// `class` names the theme (`theme-light`, `theme-dark`) for the page's style; `label`
/// is the text a screen reader gives for the chart.
fn image(
    svg: String,
    class: &str,
    label: &str,
    (width, height): (u32, u32),
    base: &str,
) -> (String, OutputFile) {
    let path = format!("{FOLDER}{}", hashed_name("figure.svg", svg.as_bytes()));
    let html = format!(
        "<img class=\"{class}\" src=\"{base}{path}\" alt=\"{}\" width=\"{width}\" \
         height=\"{height}\" loading=\"lazy\" decoding=\"async\">",
        attr(label)
    );
    (html, OutputFile::one_of_many(path, svg.into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_chart_is_the_same_file() {
        let svg = || "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>".to_string();
        let (a, file) = image(svg(), "widget-chart", "a \"chart\"", (640, 240), "/sub/");
        let (b, _) = image(svg(), "widget-chart", "a \"chart\"", (640, 240), "/sub/");
        assert_eq!(a, b);
        assert!(a.contains(&format!("src=\"/sub/{}\"", file.path)), "{a}");
        assert!(a.contains("alt=\"a &quot;chart&quot;\""), "{a}");
        assert!(file.path.starts_with("assets/figures/figure.") && file.path.ends_with(".svg"));
    }
}
