//! A PDF's pages as PNG images, drawn in-process with hayro (a PDF rasteriser in pure Rust), for
//! screens that cannot show a PDF themselves: the desktop's web view (WebKitGTK) has no PDF
//! viewer, so the preview dialog shows these images instead. Drawing the PDF itself, rather than
//! the Typst document it came from, means a stored notice (issued under an older template) looks
//! exactly as it was issued, and no program outside ours (poppler's pdftoppm) is needed.

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::Pdf;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{PixmapSettings, RenderCache, RenderSettings, render};

use crate::error::{DocumentError, Result};

/// Renders every page of `pdf` at `dpi` (60–200) and returns the PNG bytes, first page first.
pub fn png_pages(pdf: &[u8], dpi: u32) -> Result<Vec<Vec<u8>>> {
    let dpi = dpi.clamp(60, 200);
    let unreadable = |why: String| {
        DocumentError::Invalid(format!("无法显示文书预览：PDF 无法读取（{why}）。可先“另存为PDF”后查看。"))
    };
    let pdf = Pdf::new(pdf.to_vec()).map_err(|e| unreadable(format!("{e:?}")))?;
    let scale = dpi as f32 / 72.0;
    let settings = PixmapSettings { x_scale: scale, y_scale: scale, bg_color: WHITE };
    let cache = RenderCache::new();
    let interpreter = InterpreterSettings::default();
    let pages = pdf.pages();
    if pages.is_empty() {
        return Err(unreadable("没有页面".into()));
    }
    pages
        .iter()
        .map(|page| {
            let pixmap = render(page, &cache, &interpreter, &RenderSettings::default(), &settings);
            pixmap.into_png().map_err(|e| unreadable(format!("{e:?}")))
        })
        .collect()
}
