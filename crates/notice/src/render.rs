//! Rendering a filled template to PDF with Typst used as a library, in the GB/T 9704 layout.

use std::fmt;

use serde::Serialize;
use typst::diag::SourceDiagnostic;
use typst::foundations::{Dict, Smart, Value};
use typst_as_lib::{TypstEngine, TypstTemplateMainFile};
use typst_layout::PagedDocument;

use crate::error::{NoticeError, Result};
use crate::fields::{Fields, Header, check_doc_number, format_date};
use crate::fonts::{FontRole, FontSet};
use crate::templates::{DocBlock, Template};

/// The fixed layout; the only Typst source ever compiled.
const LAYOUT: &str = include_str!("layout.typ");

/// Renders notices. Building one loads the fonts and prepares Typst (the slow part, done once per
/// program run); each [`Renderer::render`] after that takes milliseconds. It is `Send + Sync`, so
/// one renderer can serve the whole program.
pub struct Renderer {
    engine: TypstEngine<TypstTemplateMainFile>,
    fonts: FontSet,
}

impl fmt::Debug for Renderer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Renderer").field("fonts", &self.fonts.roles()).finish_non_exhaustive()
    }
}

#[derive(Serialize)]
struct RoleJson<'a> {
    family: &'a str,
    weight: u16,
}

#[derive(Serialize)]
struct FontsJson<'a> {
    title: RoleJson<'a>,
    body: RoleJson<'a>,
    heading: RoleJson<'a>,
    subheading: RoleJson<'a>,
}

/// What the layout receives: every piece of text already resolved.
#[derive(Serialize)]
struct DocJson<'a> {
    title: &'a str,
    doc_number: Option<&'a str>,
    addressee: Option<&'a str>,
    blocks: &'a [DocBlock],
    office: &'a str,
    date: String,
    signature: bool,
    seal_guide: bool,
    fonts: FontsJson<'a>,
}

impl Renderer {
    /// Prepares Typst with the given fonts.
    pub fn new(fonts: FontSet) -> Result<Renderer> {
        Ok(Renderer { engine: engine(LAYOUT, &fonts), fonts })
    }

    /// Finds the fonts ([`FontSet::discover`]) and prepares Typst.
    pub fn with_system_fonts() -> Result<Renderer> {
        Renderer::new(FontSet::discover()?)
    }

    /// The fonts in use, per role.
    pub fn fonts(&self) -> &FontSet {
        &self.fonts
    }

    /// Renders one notice to PDF bytes. The same template, fields, header and fonts always give
    /// the same bytes, so a re-print is identical to the issued copy (and to its recorded hash).
    pub fn render(&self, template: &Template, fields: &Fields, header: &Header) -> Result<Vec<u8>> {
        let office = header.office_name.trim();
        if office.is_empty() || office.contains('\n') {
            return Err(NoticeError::InvalidValue {
                label: "发文机关署名".into(),
                reason: "不能为空，也不能换行".into(),
            });
        }
        let doc_number = header.doc_number.as_deref().map(str::trim).filter(|s| !s.is_empty());
        if let Some(number) = doc_number {
            check_doc_number("发文字号", number)?;
        }
        let resolved = template.resolve(fields)?;

        // Typst is told never to fall back to another font, so check coverage first and name the
        // character instead of printing an empty box.
        self.check_glyphs(FontRole::Title, &resolved.title)?;
        let mut body_text = String::new();
        for s in [resolved.addressee.as_deref(), doc_number, Some(office)].into_iter().flatten() {
            body_text.push_str(s);
        }
        body_text.push_str("0123456789年月日—");
        for b in &resolved.blocks {
            match b {
                DocBlock::Para { text } => body_text.push_str(text),
                DocBlock::Heading { text } => self.check_glyphs(FontRole::Heading, text)?,
                DocBlock::Subheading { text } => self.check_glyphs(FontRole::Subheading, text)?,
                DocBlock::Table { rows, .. } => rows.iter().flatten().for_each(|c| body_text.push_str(c)),
                DocBlock::Blank => {}
            }
        }
        self.check_glyphs(FontRole::Body, &body_text)?;

        let role = |r: FontRole| {
            let rf = self.fonts.role(r);
            RoleJson { family: &rf.family, weight: rf.weight }
        };
        let doc = DocJson {
            title: &resolved.title,
            doc_number,
            addressee: resolved.addressee.as_deref(),
            blocks: &resolved.blocks,
            office,
            date: format_date(header.date),
            signature: resolved.signature,
            seal_guide: header.seal_guide,
            fonts: FontsJson {
                title: role(FontRole::Title),
                body: role(FontRole::Body),
                heading: role(FontRole::Heading),
                subheading: role(FontRole::Subheading),
            },
        };
        let json = serde_json::to_string(&doc).map_err(|e| NoticeError::Layout(e.to_string()))?;
        // The PDF's document ID is derived from the content, so identical input gives identical bytes.
        let ident = format!("qingfeng-notice/{}/{}/{json}", template.kind().as_str(), template.version());
        compile_pdf(&self.engine, &self.fonts, "notice", &json, ident)
    }

    fn check_glyphs(&self, role: FontRole, text: &str) -> Result<()> {
        match self.fonts.first_missing_glyph(role, text) {
            Some(ch) => {
                Err(NoticeError::GlyphMissing { ch, code: ch as u32, font: self.fonts.role(role).family.clone() })
            }
            None => Ok(()),
        }
    }
}

/// The Typst engine for one of the crate's fixed layouts, with the office's fonts.
pub(crate) fn engine(layout: &'static str, fonts: &FontSet) -> TypstEngine<TypstTemplateMainFile> {
    TypstEngine::builder().main_file(layout).fonts(fonts.fonts().iter().cloned()).build()
}

/// Compiles a layout with its one input (`sys.inputs.<input>`, a JSON text) into PDF bytes: the
/// one place the crate's documents (notices, the recovery sheet, analysis reports) become PDFs.
/// The layouts are ours and compile without warnings, so a warning (an unknown font family, say)
/// means the output would be wrong and is an error. No creation time is written, and `ident`
/// fixes the document ID, so the same input gives the same bytes. The fonts' pages are released
/// afterwards (`FontSet::release_pages`), whether or not the compile succeeded.
pub(crate) fn compile_pdf(
    engine: &TypstEngine<TypstTemplateMainFile>,
    fonts: &FontSet,
    input: &str,
    json: &str,
    ident: String,
) -> Result<Vec<u8>> {
    let mut inputs = Dict::new();
    inputs.insert(input.into(), Value::Str(json.into()));
    let pdf = (|| {
        let warned = engine.compile_with_input::<_, PagedDocument>(inputs);
        let document = warned.output.map_err(|e| NoticeError::Layout(e.to_string()))?;
        if let Some(w) = warned.warnings.first() {
            return Err(NoticeError::Layout(diagnostic(w)));
        }
        let options = typst_pdf::PdfOptions {
            ident: Smart::Custom(ident),
            creator: Smart::Custom(Some("Qingfeng 清风".into())),
            timestamp: None,
            ..Default::default()
        };
        typst_pdf::pdf(&document, &options)
            .map_err(|errs| NoticeError::Layout(errs.iter().map(diagnostic).collect::<Vec<_>>().join("; ")))
    })();
    fonts.release_pages();
    pdf
}

fn diagnostic(d: &SourceDiagnostic) -> String {
    let mut s = d.message.to_string();
    for h in &d.hints {
        s.push_str(" (");
        s.push_str(h.v.as_str());
        s.push(')');
    }
    s
}
