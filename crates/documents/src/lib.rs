//! Notices issued for Qingfeng's records (DOMAIN.md §6): the glue between the core (records,
//! numbering, the event log) and `qingfeng-notice` (templates, Typst rendering), plus printing.
//!
//! The core stays free of Typst; this crate
//!
//! 1. reads the record a notice is issued for and **refuses a record in the wrong state** with a
//!    Chinese reason (an acceptance notice for a repeat complaint, a feedback notice for an
//!    anonymous one, an announcement record before the decision was served, …);
//! 2. builds the template's **typed fields** from the record, and lets the officer fill in the
//!    rest (the place of service, the people present) but never the fields taken from the record;
//! 3. keeps **confidentiality**: a notice to a reporter names only the people they reported and
//!    none of the handling (department, disposal, content); a notice to a reported person or a
//!    unit never carries the reporter's name, unit, contact or address, checked against the
//!    record without revealing it (DOMAIN.md §2);
//! 4. renders and **issues through the core** ([`qingfeng_core::documents::issue`]), which
//!    allocates the number and calls the renderer with it inside the transaction that records
//!    `document.issued`, so a failed render or a refusal consumes no number;
//! 5. **prints** through CUPS ([`print::Cups`]).
//!
//! ```no_run
//! # fn main() -> Result<(), qingfeng_documents::DocumentError> {
//! # let (mut store, actor): (qingfeng_core::Store, qingfeng_core::authz::Actor) = todo!();
//! use qingfeng_documents::{NoticeKind, NoticeRequest, Notices, Record};
//! let notices = Notices::with_system_fonts()?; // once per program run
//! let req = NoticeRequest::new(NoticeKind::Acceptance, Record::Complaint("…".into()));
//! let preview = notices.preview(&mut store, &actor, &req)?; // no number consumed
//! let issued = notices.issue(&mut store, &actor, &req)?; // 五纪受〔2026〕1号
//! # Ok(()) }
//! ```

pub mod analysis;
mod error;
mod fields;
pub mod pages;
pub mod print;
pub mod templates;

use qingfeng_core::Store;
use qingfeng_core::authz::Actor;
use qingfeng_core::documents::{self as core_docs, IssueRequest, IssuedDocument};
use qingfeng_notice::{Header, Renderer};
use serde::Serialize;

pub use error::{DocumentError, Result};
pub use fields::Prepared;
pub use qingfeng_core::documents::Record;
pub use qingfeng_notice::{FontSet, NoticeKind};

/// What to issue: a kind, the record behind it, and the values the officer typed for the
/// fields the record does not supply (`name`, text), e.g. `("place", "县纪委监委机关")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeRequest {
    pub kind: NoticeKind,
    pub record: Record,
    pub fields: Vec<(String, String)>,
}

impl NoticeRequest {
    /// A request with no hand-entered values.
    pub fn new(kind: NoticeKind, record: Record) -> NoticeRequest {
        NoticeRequest { kind, record, fields: Vec::new() }
    }

    /// Adds a hand-entered value, builder style.
    #[must_use]
    pub fn with_field(mut self, name: &str, value: &str) -> NoticeRequest {
        self.fields.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// A rendered preview: no number is consumed, and none is printed on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preview {
    pub kind: String,
    pub title: String,
    /// The number the notice would get if issued now. It is not reserved: another officer may
    /// issue first.
    pub next_number: String,
    pub template_version: u32,
    #[serde(skip)]
    pub pdf: Vec<u8>,
}

/// Prepares, previews and issues notices with one renderer (fonts loaded once).
#[derive(Debug)]
pub struct Notices {
    renderer: Renderer,
}

impl Notices {
    /// Uses a renderer already built.
    pub fn new(renderer: Renderer) -> Notices {
        Notices { renderer }
    }

    /// Finds the fonts and builds the renderer (about 0.2 s): once per program run.
    pub fn with_system_fonts() -> Result<Notices> {
        Ok(Notices { renderer: Renderer::with_system_fonts()? })
    }

    /// Builds the renderer from fonts in these directories only (a font folder shipped beside
    /// the program, or a test's); a missing role is [`DocumentError::Notice`] naming the font.
    pub fn from_font_dirs(dirs: &[std::path::PathBuf]) -> Result<Notices> {
        Ok(Notices { renderer: Renderer::new(FontSet::from_dirs(dirs)?)? })
    }

    /// Checks the record and builds the notice's fields, without rendering.
    pub fn prepare(&self, store: &mut Store, actor: &Actor, req: &NoticeRequest) -> Result<Prepared> {
        fields::prepare(store, actor, req, true)
    }

    /// The notice's form as it stands: the record checked and its fields filled, but required
    /// fields the officer has yet to enter allowed to be missing (for a form on screen).
    pub fn draft(&self, store: &mut Store, actor: &Actor, req: &NoticeRequest) -> Result<Prepared> {
        fields::prepare(store, actor, req, false)
    }

    /// Renders the notice without a number, for the officer to check before issuing. Reading
    /// the reporter's name for a notice to the reporter is logged like any identity reading.
    pub fn preview(&self, store: &mut Store, actor: &Actor, req: &NoticeRequest) -> Result<Preview> {
        let prepared = self.prepare(store, actor, req)?;
        let header = Header {
            office_name: core_docs::our_office_name(store)?,
            doc_number: None,
            date: store.clock().today(),
            seal_guide: true,
        };
        let pdf = self.renderer.render(&prepared.template, &prepared.fields, &header)?;
        Ok(Preview {
            kind: req.kind.as_str().into(),
            title: prepared.template.title().into(),
            next_number: core_docs::next_number(store, req.kind.as_str())?,
            template_version: prepared.template.version(),
            pdf,
        })
    }

    /// Renders a template being edited (not yet saved) with sample values, so the administrator
    /// sees the change before saving it: no record is read, no number is used.
    pub fn preview_form(
        &self,
        store: &mut Store,
        actor: &Actor,
        form: &qingfeng_notice::TemplateForm,
    ) -> Result<Preview> {
        let kind = NoticeKind::parse(&form.kind)
            .ok_or_else(|| DocumentError::Invalid("不认识这种文书：请从模板列表中重新选择。".into()))?;
        let version = templates::next_version(store, actor, kind.as_str())?;
        let template = qingfeng_notice::Template::from_form(form, version)?;
        let values = qingfeng_notice::templates::sample_fields(&template);
        let header = Header {
            office_name: core_docs::our_office_name(store)?,
            doc_number: None,
            date: store.clock().today(),
            seal_guide: true,
        };
        let pdf = self.renderer.render(&template, &values, &header)?;
        Ok(Preview {
            kind: kind.as_str().into(),
            title: template.title().into(),
            next_number: core_docs::next_number(store, kind.as_str())?,
            template_version: version,
            pdf,
        })
    }

    /// Issues the notice: the core allocates the number, this renders it with that number inside
    /// the same transaction, and the PDF and `document.issued` are committed together.
    pub fn issue(&self, store: &mut Store, actor: &Actor, req: &NoticeRequest) -> Result<IssuedDocument> {
        let prepared = self.prepare(store, actor, req)?;
        self.issue_prepared(store, actor, &prepared)
    }

    /// Issues a notice already prepared (its fields checked against the record).
    pub fn issue_prepared(&self, store: &mut Store, actor: &Actor, prepared: &Prepared) -> Result<IssuedDocument> {
        let request = IssueRequest {
            kind: prepared.template.kind().as_str().into(),
            title: prepared.template.title().into(),
            record: prepared.record.clone(),
            record_label: prepared.record_label.clone(),
            template_version: prepared.template.version(),
            template_sha256: prepared.template_sha256.clone(),
        };
        core_docs::issue(store, actor, &request, |allocated| -> Result<Vec<u8>> {
            let header = Header {
                office_name: allocated.office_name.clone(),
                doc_number: Some(allocated.number.clone()),
                date: allocated.date,
                seal_guide: false,
            };
            Ok(self.renderer.render(&prepared.template, &prepared.fields, &header)?)
        })
    }
}

/// The stored PDF of an issued notice, for re-printing (the issued bytes, hash checked).
pub fn stored_pdf(store: &mut Store, actor: &Actor, id_or_number: &str) -> Result<(IssuedDocument, Vec<u8>)> {
    Ok(core_docs::pdf(store, actor, id_or_number)?)
}
