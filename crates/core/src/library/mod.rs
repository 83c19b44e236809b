//! The reference library (资料袋, DOMAIN.md §3): laws and rules as documents → chapters →
//! articles, imported from plain text or Markdown, searched in Chinese, and cited from records.
//!
//! `parse` turns a text into a checked document (numbering refused with its line); `ops` imports
//! it through `Store::execute` as one `library.document_imported` event carrying the whole parsed
//! document, loads the starter set shipped in the binary, and adds or removes citations;
//! `project` writes the tables from those events; `query` searches (trigram FTS5, with a scan for
//! one- and two-character queries), shows a document and lists a record's citations.

pub mod model;
pub mod ops;
pub mod parse;
pub mod project;
pub mod query;
pub mod starter;

pub use model::*;
