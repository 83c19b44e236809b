//! The core crate's one error type, with a stable code and a Chinese message for every case.
//!
//! Messages are written for the officer at the screen: what went wrong and what to do next.

use serde::{Deserialize, Serialize};

/// An error as a front end receives it: a stable code for programs, a Chinese message for people.
/// It is defined here rather than in `api` so that this module depends on nothing of the crate's
/// (`api` uses `identity`, which uses this error: the view living in `api` made a circle).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ErrorView {
    pub code: String,
    pub message: String,
}

/// Everything that can go wrong in the core. Each variant's message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("数据库文件不存在：{path}。请先运行 `qingfeng init` 建立本机关的数据库，或用 --db 指定正确的路径。")]
    DatabaseMissing { path: String },

    #[error("数据库已存在：{path}。如需重新建立，请先备份并移走该文件。")]
    DatabaseExists { path: String },

    #[error(
        "无法打开数据库 {path}：密钥不正确，或文件不是清风数据库、已损坏。请确认使用的是该数据库对应的密钥（钥匙串或 --key-file），必要时从备份恢复。"
    )]
    WrongKeyOrCorrupt { path: String },

    #[error("数据库结构与本程序不符：{detail}。请使用与该数据库匹配的清风版本，或联系技术支持。")]
    SchemaMismatch { detail: String },

    #[error("找不到数据库密钥：{detail}")]
    KeyMissing { detail: String },

    #[error("无法使用密钥存储：{detail}")]
    KeyStore { detail: String },

    #[error("本机关尚未建立。请先完成首次设置（建立机关和管理员）。")]
    NotInitialized,

    #[error("本机关已经建立，不能重复进行首次设置。")]
    AlreadyInitialized,

    #[error("{0}")]
    Invalid(String),

    #[error("账号或密码不正确。连续输错 {max_failures} 次账户将被锁定 {lock_minutes} 分钟（本次为第 {failures} 次）。")]
    WrongPassword { failures: u32, max_failures: u32, lock_minutes: u32 },

    #[error("账号或密码不正确。")]
    UnknownUser,

    #[error("账户已锁定（连续输错密码），请于 {until} 之后再试，或请管理员协助。")]
    Locked { until: String },

    #[error("账户已停用，请联系本机关管理员。")]
    Inactive,

    #[error("登录已失效，请重新登录。")]
    NoSession,

    #[error("无权执行“{action}”：需要{needed}。如确需办理，请联系本机关管理员授权。")]
    Forbidden { action: String, needed: String },

    #[error("找不到{what}：{id}")]
    NotFound { what: &'static str, id: String },

    #[error("事件日志校验失败：{0}")]
    Tampered(String),

    #[error(transparent)]
    Calendar(#[from] qingfeng_calendar::CalendarError),

    #[error("{}", sqlite_message(.0))]
    Sqlite(#[from] rusqlite::Error),

    /// The file's pages failed the integrity check at open (or a page failed to read later).
    #[error(
        "数据库文件 {path} 已损坏（{detail}）。为免损坏扩大，清风没有向其中写入任何内容。请：一、从最近的备份恢复本机数据库，恢复后联网同步，省级平台会补回备份之后上报过的记录；二、如没有备份，请联系技术支持从省级平台为本机关重建数据库。在此之前请勿继续使用这个文件。"
    )]
    Damaged { path: String, detail: String },

    #[error("数据编码失败：{0}")]
    Encoding(String),

    #[error("文件操作失败：{0}")]
    Io(#[from] std::io::Error),

    /// Recovery codes, backups and restores (`crate::recovery`); `code` names the case for
    /// scripts and tests, the message says what to do.
    #[error("{message}")]
    Recovery { code: &'static str, message: String },
}

impl CoreError {
    /// A stable machine-readable code for front ends and scripts.
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::DatabaseMissing { .. } => "database_missing",
            CoreError::DatabaseExists { .. } => "database_exists",
            CoreError::WrongKeyOrCorrupt { .. } => "wrong_key_or_corrupt",
            CoreError::SchemaMismatch { .. } => "schema_mismatch",
            CoreError::KeyMissing { .. } => "key_missing",
            CoreError::KeyStore { .. } => "key_store",
            CoreError::NotInitialized => "not_initialized",
            CoreError::AlreadyInitialized => "already_initialized",
            CoreError::Invalid(_) => "invalid",
            CoreError::WrongPassword { .. } | CoreError::UnknownUser => "wrong_credentials",
            CoreError::Locked { .. } => "locked",
            CoreError::Inactive => "inactive",
            CoreError::NoSession => "no_session",
            CoreError::Forbidden { .. } => "forbidden",
            CoreError::NotFound { .. } => "not_found",
            CoreError::Tampered(_) => "tampered",
            CoreError::Calendar(_) => "calendar",
            CoreError::Sqlite(e) if is_corrupt(e) => "damaged",
            CoreError::Sqlite(_) => "database",
            CoreError::Damaged { .. } => "damaged",
            CoreError::Encoding(_) => "encoding",
            CoreError::Io(_) => "io",
            CoreError::Recovery { code, .. } => code,
        }
    }

    /// Shorthand for a validation failure.
    pub fn invalid(message: impl Into<String>) -> Self {
        CoreError::Invalid(message.into())
    }

    /// The error as a front end receives it.
    pub fn view(&self) -> ErrorView {
        ErrorView { code: self.code().to_owned(), message: self.to_string() }
    }
}

/// Whether SQLite reports the file itself as damaged.
fn is_corrupt(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase))
}

/// SQLite's failure in words an officer can act on: a damaged file says what to do, not
/// "database disk image is malformed".
fn sqlite_message(e: &rusqlite::Error) -> String {
    if is_corrupt(e) {
        return "数据库文件已损坏，读取时发现坏页。请立即停止在本机办理：从最近的备份恢复本机数据库，恢复后联网同步即可补回备份之后上报过的记录；如没有备份，请联系技术支持从省级平台为本机关重建数据库。".into();
    }
    // A write the disk refused (full, or failing): the transaction was rolled back, nothing is
    // half-written, and what was committed before is kept.
    if matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DiskFull | rusqlite::ErrorCode::SystemIoFailure)) {
        return "写入磁盘失败（磁盘空间已满，或磁盘出错），这一步没有保存，之前保存的记录不受影响。请清理磁盘空间后重试；如反复出现，请联系技术支持检查磁盘。".into();
    }
    format!("数据库操作失败：{e}")
}

impl From<qingfeng_log::LogError> for CoreError {
    /// The log crate's errors keep their meaning (and their stable code) in the core's terms.
    fn from(e: qingfeng_log::LogError) -> Self {
        match e {
            qingfeng_log::LogError::Encoding(m) => CoreError::Encoding(m),
            qingfeng_log::LogError::Invalid(m) => CoreError::Invalid(m),
            qingfeng_log::LogError::Tampered(m) => CoreError::Tampered(m),
        }
    }
}

/// The core crate's result type.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;
