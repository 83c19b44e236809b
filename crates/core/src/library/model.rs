//! Library vocabulary: document status and source, the parsed document carried by the import
//! event, the citation payloads, and the requests and views front ends exchange with the core.

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};

/// Whether a document version is the one in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    /// 现行有效.
    InForce,
    /// 已被修订: a later version is in force.
    Amended,
    /// 已废止.
    Repealed,
}

impl DocumentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentStatus::InForce => "in_force",
            DocumentStatus::Amended => "amended",
            DocumentStatus::Repealed => "repealed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DocumentStatus::InForce => "现行有效",
            DocumentStatus::Amended => "已修订",
            DocumentStatus::Repealed => "已废止",
        }
    }

    /// Accepts the stored name or the Chinese label.
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim() {
            "in_force" | "现行有效" | "有效" => Ok(DocumentStatus::InForce),
            "amended" | "已修订" | "已修改" => Ok(DocumentStatus::Amended),
            "repealed" | "已废止" | "废止" | "失效" => Ok(DocumentStatus::Repealed),
            other => Err(CoreError::invalid(format!(
                "不认识的文件状态“{other}”：请填写 in_force（现行有效）、amended（已修订）或 repealed（已废止）。"
            ))),
        }
    }
}

/// Where a document version came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DocumentSource {
    /// Shipped in the program (`library::starter`).
    Starter,
    /// Imported by this office's administrator.
    Import,
    /// Published by the provincial hub (not built yet: the hub will sign the same event).
    Hub,
}

impl DocumentSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentSource::Starter => "starter",
            DocumentSource::Import => "import",
            DocumentSource::Hub => "hub",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "starter" => Ok(DocumentSource::Starter),
            "import" => Ok(DocumentSource::Import),
            "hub" => Ok(DocumentSource::Hub),
            other => Err(CoreError::Encoding(format!("unknown document source {other}"))),
        }
    }
}

/// The level of a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum HeadingLevel {
    /// 编.
    Part,
    /// 章.
    Chapter,
    /// 节.
    Section,
}

impl HeadingLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            HeadingLevel::Part => "part",
            HeadingLevel::Chapter => "chapter",
            HeadingLevel::Section => "section",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "part" => Ok(HeadingLevel::Part),
            "chapter" => Ok(HeadingLevel::Chapter),
            "section" => Ok(HeadingLevel::Section),
            other => Err(CoreError::Encoding(format!("unknown heading level {other}"))),
        }
    }

    /// The character that names the level in a heading (第一章).
    pub fn char(self) -> char {
        match self {
            HeadingLevel::Part => '编',
            HeadingLevel::Chapter => '章',
            HeadingLevel::Section => '节',
        }
    }
}

/// A heading of a parsed document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Heading {
    /// Position among the document's headings, from 1.
    pub ord: u32,
    pub level: HeadingLevel,
    pub number: u32,
    /// As written, e.g. `第二章`.
    pub label: String,
    /// E.g. `政务处分的种类和适用`.
    pub title: String,
}

/// An article of a parsed document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Article {
    pub number: u32,
    /// As written, e.g. `第七条`.
    pub label: String,
    /// The innermost heading above the article (its `ord`), if any.
    pub heading: Option<u32>,
    /// The body: paragraphs separated by `\n`.
    pub text: String,
}

/// A document version as imported: what the event carries and every replica projects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LibraryDocument {
    /// Stable across versions: lower-case ASCII letters, digits and `-`.
    pub id: String,
    pub version: String,
    pub title: String,
    pub issuer: String,
    pub number: Option<String>,
    /// 施行日期, YYYY-MM-DD.
    pub effective: String,
    /// Declared repealed (状态：已废止).
    pub repealed: bool,
    /// Only some articles (节选): the numbering may have gaps.
    pub excerpt: bool,
    /// Text before the first heading or article (e.g. the adopting meeting), paragraphs by `\n`.
    pub preamble: String,
    pub headings: Vec<Heading>,
    pub articles: Vec<Article>,
}

impl LibraryDocument {
    /// SHA-256 of the document's canonical JSON (fields in declaration order): the same text with
    /// the same metadata always hashes the same, here and at the hub.
    pub fn content_hash(&self) -> Result<String> {
        let bytes = serde_json::to_vec(self).map_err(|e| CoreError::Encoding(e.to_string()))?;
        Ok(crate::encoding::sha256_hex(&bytes))
    }
}

/// Payload of `library.document_imported`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentImported {
    pub document: LibraryDocument,
    pub source: DocumentSource,
    /// `LibraryDocument::content_hash`, checked again by the projector.
    pub content_hash: String,
}

/// Payload of `citation.added`, on the cited record's aggregate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitationAdded {
    pub citation_id: String,
    /// The record's aggregate, e.g. `complaint:<id>`; the same as the event's.
    pub record: String,
    /// An execution item or a rectification item of the record, by its number.
    pub item: Option<u32>,
    pub document_id: String,
    pub version: String,
    pub article: u32,
    /// Copied for replicas that do not hold the document.
    pub document_title: String,
    pub article_label: String,
    pub note: Option<String>,
}

/// Payload of `citation.removed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitationRemoved {
    pub citation_id: String,
}

/// What an administrator imports: the file's text, and metadata that overrides its header block.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportRequest {
    pub text: String,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub issuer: Option<String>,
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub effective: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub excerpt: Option<bool>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportOutcome {
    pub document_id: String,
    pub version: String,
    pub title: String,
    pub status: DocumentStatus,
    pub headings: u32,
    pub articles: u32,
    /// The same version with the same content was already in the library: nothing was written.
    pub unchanged: bool,
    pub content_hash: String,
}

/// A citation as a record's page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CitationView {
    pub id: String,
    pub record: String,
    pub item: Option<u32>,
    pub document_id: String,
    pub version: String,
    pub article: u32,
    pub document_title: String,
    pub article_label: String,
    pub note: Option<String>,
    /// The article's text, when this replica holds the document.
    pub text: Option<String>,
    pub added_by: String,
    /// Beijing time, to the minute.
    pub added_at: String,
}

/// A citation an officer adds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CiteRequest {
    /// `complaint:<id>`, `penalty:<id>` or `checklist:<id>`.
    pub record: String,
    pub item: Option<u32>,
    pub document_id: String,
    /// The version cited; the version in force when absent.
    pub version: Option<String>,
    pub article: u32,
    pub note: Option<String>,
}
