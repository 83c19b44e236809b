//! The core crate's one error type, with a stable code and a Chinese message for every case.
//!
//! Messages are written for the officer at the screen: what went wrong and what to do next.

use crate::api::ErrorView;

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

    #[error("数据库操作失败：{0}")]
    Sqlite(#[from] rusqlite::Error),

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
            CoreError::Sqlite(_) => "database",
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
