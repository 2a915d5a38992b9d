//! QR codes for the printed programme (issue 26): each day's page leads back to the live
//! programme and to the calendar subscription, for the attendee holding the paper.
//!
//! The `qrcode` crate encodes and lays out the code (its renderer adds the quiet zone); the
//! SVG is drawn by [`Path`], a canvas of our own: the crate's `svg` canvas writes one
//! rectangle a module, some 12 kB a code at these lengths, where one rectangle a run of dark
//! modules is a quarter of it, on a page attendees open on weak Wi-Fi.

use qrcode::render::{Canvas, Pixel};
use qrcode::{Color, EcLevel, QrCode};
use serde::Serialize;

/// An address as the printed programme gives it: written out, and as a QR code.
#[derive(Serialize)]
pub(crate) struct Printed {
    /// The address, printed beside its code.
    pub(crate) url: String,
    /// Its QR code, an `<svg>` element to stand in the page as it is; none for an address too
    /// long for any QR code.
    pub(crate) qr: Option<String>,
}

impl Printed {
    pub(crate) fn new(url: String) -> Printed {
        Printed { qr: svg(&url), url }
    }
}

/// The QR code of `text` as an inline `<svg>`: one unit a module, its quiet zone included,
/// sized by the stylesheet; hidden from screen readers, which read the address beside it.
/// Error correction M (15 %), the usual level for print that may be creased or smudged.
fn svg(text: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    Some(
        code.render::<Dark>()
            .module_dimensions(1, 1)
            .quiet_zone(true)
            .build(),
    )
}

/// A dark module: the only colour [`Path`] draws (black on the paper's white).
#[derive(Clone, Copy)]
struct Dark;

impl Pixel for Dark {
    type Image = String;
    type Canvas = Path;

    fn default_unit_size() -> (u32, u32) {
        (1, 1)
    }

    fn default_color(_: Color) -> Dark {
        Dark
    }
}

/// The dark modules as one SVG path, a rectangle for each run of them in a row. The
/// renderer draws them row by row, left to right.
struct Path {
    size: u32,
    d: String,
    /// The run being drawn: its row, first column and length.
    run: Option<(u32, u32, u32)>,
}

impl Path {
    fn end_run(&mut self) {
        if let Some((y, x, length)) = self.run.take() {
            self.d.push_str(&format!("M{x} {y}h{length}v1h-{length}z"));
        }
    }
}

impl Canvas for Path {
    type Pixel = Dark;
    type Image = String;

    fn new(width: u32, _height: u32, _dark: Dark, _light: Dark) -> Path {
        Path {
            size: width,
            d: String::new(),
            run: None,
        }
    }

    fn draw_dark_pixel(&mut self, x: u32, y: u32) {
        self.draw_dark_rect(x, y, 1, 1);
    }

    fn draw_dark_rect(&mut self, left: u32, top: u32, width: u32, _height: u32) {
        match &mut self.run {
            Some((y, x, length)) if *y == top && *x + *length == left => *length += width,
            _ => {
                self.end_run();
                self.run = Some((top, left, width));
            }
        }
    }

    fn into_image(mut self) -> String {
        self.end_run();
        let size = self.size;
        format!(
            "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
             width=\"{size}\" height=\"{size}\" shape-rendering=\"crispEdges\" aria-hidden=\"true\">\
             <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{}\"/></svg>",
            self.d
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_dark_modules_are_one_rectangle() {
        let mut path = Path::new(5, 5, Dark, Dark);
        for (x, y) in [(1, 1), (2, 1), (3, 1), (1, 2), (3, 2)] {
            path.draw_dark_pixel(x, y);
        }
        let svg = path.into_image();
        assert!(
            svg.contains("d=\"M1 1h3v1h-3zM1 2h1v1h-1zM3 2h1v1h-1z\""),
            "{svg}"
        );
        assert!(svg.starts_with("<svg class=\"qr\"") && svg.ends_with("</svg>"));
    }
}
