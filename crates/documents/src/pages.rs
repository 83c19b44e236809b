//! A PDF's pages as PNG images (poppler's `pdftoppm`), for screens that cannot show a PDF
//! themselves: the desktop's web view (WebKitGTK) has no PDF viewer, so the preview dialog shows
//! these images instead.

use std::process::Command;

use crate::error::{DocumentError, Result};

/// Renders every page of `pdf` at `dpi` (60–200) and returns the PNG bytes, first page first.
pub fn png_pages(pdf: &[u8], dpi: u32) -> Result<Vec<Vec<u8>>> {
    let dpi = dpi.clamp(60, 200);
    let dir = tempfile::tempdir()?;
    let input = dir.path().join("notice.pdf");
    std::fs::write(&input, pdf)?;
    let out = Command::new("pdftoppm")
        .arg("-png")
        .arg("-r")
        .arg(dpi.to_string())
        .arg(&input)
        .arg(dir.path().join("page"))
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => DocumentError::PdfToolMissing,
            _ => DocumentError::Io(e),
        })?;
    if !out.status.success() {
        return Err(DocumentError::Invalid(format!(
            "无法把文书转换为图片（pdftoppm：{}）。可先“另存为PDF”后查看。",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    // pdftoppm names pages page-1.png … page-10.png (padded to the page count's width), so sort
    // by the number, not the text.
    let mut pages: Vec<(u32, std::path::PathBuf)> = std::fs::read_dir(dir.path())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_owned();
            let n = name.strip_prefix("page-")?.strip_suffix(".png")?.parse().ok()?;
            Some((n, p))
        })
        .collect();
    pages.sort();
    pages.into_iter().map(|(_, p)| Ok(std::fs::read(p)?)).collect()
}
