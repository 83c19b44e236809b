//! Notice documents (告知书、通知、回执): templates as data and their rendering to PDF in the national
//! official-document layout, GB/T 9704-2012.
//!
//! This crate knows nothing of complaints or the database: the program fills a [`Template`]'s
//! [`Fields`] from the record a notice is issued for, gives a [`Header`] (issuing office, document
//! number, date), and gets PDF bytes back. Numbering, storing, recording `document.issued` and
//! printing belong to the caller.
//!
//! ```no_run
//! use qingfeng_notice::{Fields, FontSet, Header, NoticeKind, Renderer, templates};
//! # fn main() -> Result<(), qingfeng_notice::NoticeError> {
//! let renderer = Renderer::new(FontSet::discover()?)?; // once per run: loads fonts (~0.2 s)
//! let template = templates::default_for(NoticeKind::Acceptance);
//! let fields = Fields::new()
//!     .with("reporter_name", "张三")
//!     .with("received_date", chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap())
//!     .with("subject", "某某同志有关问题");
//! let header = Header {
//!     office_name: "中共某某县纪律检查委员会".into(),
//!     doc_number: Some("某纪告〔2026〕12号".into()),
//!     date: chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap(),
//!     seal_guide: false,
//! };
//! let pdf: Vec<u8> = renderer.render(&template, &fields, &header)?;
//! # Ok(()) }
//! ```
//!
//! **Templates** are TOML text (see [`templates`] for the format and the body syntax); the eight
//! built-in ones live in `templates/*.toml` and are compiled in. A template naming an undeclared
//! field, a missing required value, or a value of the wrong type is refused with a
//! [`NoticeError`] whose message (in Chinese) says what to fix.
//!
//! **Safety of text**: no text from a template or a field is ever parsed as Typst. The layout
//! (`src/layout.typ`) is fixed; it receives the notice as one JSON string and prints its strings.
//!
//! **Fonts**: open-licence fonts only, chosen per GB/T 9704 role in [`fonts`] (Noto Serif CJK SC
//! Bold for 小标宋, Noto Serif CJK SC or 朱雀仿宋 for 仿宋, Noto Sans CJK SC Bold for 黑体, LXGW
//! WenKai for 楷体); a missing font is an error naming it and the package to install.
//!
//! **Determinism**: the same input gives the same PDF bytes (no timestamp, a content-derived
//! document ID), so a re-print matches the hash recorded at issue.

mod error;
mod fields;
pub mod fonts;
pub mod form;
pub mod recovery;
mod render;
pub mod report;
pub mod templates;

pub use error::{NoticeError, Result};
pub use fields::{FieldValue, Fields, Header, check_doc_number, format_date};
pub use fonts::{FontRole, FontSet, RoleFont};
pub use form::{FieldRef, FormBlock, FormField, FormRow, Piece, TemplateForm};
pub use recovery::{RecoverySheet, render_recovery_sheet};
pub use render::Renderer;
pub use report::{Report, render_report_docx, render_report_pdf};
pub use templates::{FieldSpec, FieldType, NoticeKind, Template};
