//! IPC commands for the reference library (资料袋): list, search and read documents, import one
//! from a file the administrator names, and cite articles from a complaint or a penalty decision.
//! Each runs as the session's user and calls `qingfeng_core::library`; the core decides every rule.

use qingfeng_core::CoreError;
use qingfeng_core::library::query::{self, DocumentSummary, DocumentView, SearchQuery, SearchResults};
use qingfeng_core::library::{CitationView, CiteRequest, ImportOutcome, ImportRequest, ops};
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::error::CmdResult;
use crate::session::as_user;
use crate::state::AppState;

/// What the import form sends: the file's path and metadata that overrides its header block.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
pub struct ImportForm {
    pub path: String,
    pub title: Option<String>,
    pub issuer: Option<String>,
    pub number: Option<String>,
    pub effective: Option<String>,
    pub version: Option<String>,
    pub excerpt: bool,
}

/// Reads the chosen file as UTF-8 text, saying what to do when it cannot.
fn read_text(path: &str) -> Result<String, CoreError> {
    let path = path.trim();
    if path.is_empty() {
        return Err(CoreError::invalid("请填写要导入的文件路径（.txt 或 .md 文件）。"));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| CoreError::invalid(format!("无法读取文件 {path}：{e}。请确认文件位置和访问权限。")))?;
    String::from_utf8(bytes).map_err(|_| {
        CoreError::invalid(format!("文件 {path} 不是 UTF-8 编码的文本。请用文本编辑器另存为 UTF-8 后再导入。"))
    })
}

/// Every document version; the starter set is loaded the first time the library is opened.
#[tauri::command(async)]
pub fn library_documents(state: State<'_, AppState>) -> CmdResult<Vec<DocumentSummary>> {
    as_user(&state, |s, a| {
        ops::ensure_starter(s)?;
        query::documents(s, a)
    })
}

#[tauri::command(async)]
pub fn library_search(state: State<'_, AppState>, query: SearchQuery) -> CmdResult<SearchResults> {
    as_user(&state, |s, a| query::search(s, a, &query))
}

#[tauri::command(async)]
pub fn library_show(state: State<'_, AppState>, doc: String, version: Option<String>) -> CmdResult<DocumentView> {
    as_user(&state, |s, a| query::show(s, a, &doc, version.as_deref()))
}

#[tauri::command(async)]
pub fn library_import(state: State<'_, AppState>, form: ImportForm) -> CmdResult<ImportOutcome> {
    as_user(&state, |s, a| {
        let text = read_text(&form.path)?;
        let blank = |v: Option<String>| v.filter(|t| !t.trim().is_empty());
        let req = ImportRequest {
            text,
            id: None,
            title: blank(form.title),
            issuer: blank(form.issuer),
            number: blank(form.number),
            effective: blank(form.effective),
            version: blank(form.version),
            excerpt: form.excerpt.then_some(true),
        };
        ops::import(s, a, &req)
    })
}

/// Cites an article and returns the record's citations as they now stand.
#[tauri::command(async)]
pub fn library_cite(state: State<'_, AppState>, request: CiteRequest) -> CmdResult<Vec<CitationView>> {
    as_user(&state, |s, a| {
        ops::cite(s, a, &request)?;
        query::citations(s, a, &request.record, None)
    })
}

/// Withdraws a citation and returns the record's remaining citations.
#[tauri::command(async)]
pub fn library_uncite(state: State<'_, AppState>, record: String, citation: String) -> CmdResult<Vec<CitationView>> {
    as_user(&state, |s, a| {
        ops::uncite(s, a, &citation)?;
        query::citations(s, a, &record, None)
    })
}

/// A record's citations (every item's, each naming its item).
#[tauri::command(async)]
pub fn library_citations(state: State<'_, AppState>, record: String) -> CmdResult<Vec<CitationView>> {
    as_user(&state, |s, a| query::citations(s, a, &record, None))
}

/// The regulations and templates the provincial hub published, newest first, with what is new
/// for this officer (the screen calls [`province_mark_seen`] once it has shown them).
#[tauri::command(async)]
pub fn province_content(state: State<'_, AppState>) -> CmdResult<Vec<qingfeng_core::province::ProvinceItem>> {
    // The built-in notice templates are recorded on first use; the office's version in force,
    // shown beside the province's, counts them.
    crate::notices::as_officer(&state, |s, a| {
        qingfeng_documents::templates::ensure_builtin(s)?;
        Ok(qingfeng_core::province::list(s, a)?)
    })
}

/// How many province versions arrived since this officer last looked (the menu's count).
#[tauri::command(async)]
pub fn province_new_count(state: State<'_, AppState>) -> CmdResult<u32> {
    as_user(&state, |s, a| qingfeng_core::province::new_count(s, a))
}

#[tauri::command(async)]
pub fn province_mark_seen(state: State<'_, AppState>) -> CmdResult<()> {
    as_user(&state, |s, a| qingfeng_core::province::mark_seen(s, a))
}

/// Adopts a province template as the office's next own version (administrators); a notice
/// template is parsed by the notice crate first. Returns the office's new version number.
#[tauri::command(async)]
pub fn province_adopt(
    state: State<'_, AppState>,
    kind: qingfeng_core::province::ContentKind,
    id: String,
    version: u32,
) -> CmdResult<u32> {
    use qingfeng_core::province::{self, ContentKind};
    if kind == ContentKind::NoticeTemplate {
        crate::notices::as_officer(&state, |s, a| qingfeng_documents::templates::adopt_province(s, a, &id, version))
    } else {
        as_user(&state, |s, a| province::adopt(s, a, kind, &id, version))
    }
}
