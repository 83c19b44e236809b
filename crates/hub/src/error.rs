//! The hub's one error type, with a Chinese message for every case and the HTTP status it maps to.

use std::path::PathBuf;

/// Everything that can go wrong in the hub. Each message says what happened and what to do.
#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error("{}", database_message(.0))]
    Database(#[from] rusqlite::Error),

    #[error("读写文件 {path} 出错：{source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("枢纽数据库已存在：{path}。如需重新建立，请先备份并移走该文件及其密钥文件。")]
    AlreadyInitialized { path: PathBuf },

    #[error("枢纽数据库不存在：{path}。请先运行 `qingfeng-hub init --db {path}` 建立枢纽。")]
    NotInitialized { path: PathBuf },

    #[error("枢纽数据库（PostgreSQL）出错：{0}")]
    Postgres(String),

    /// The database server cannot be reached now (down, restarting, network cut). Requests are
    /// answered 503; clients retry, and the hub reconnects when the server is back.
    #[error("枢纽数据库暂时无法访问（{0}）。请确认 PostgreSQL 正在运行且网络畅通；各机关的同步会自动重试。")]
    Unavailable(String),

    /// A write lost a race with another writer and was rolled back; it is run again, and only
    /// surfaces when that keeps happening.
    #[error("数据库繁忙，多个写入相互冲突（{0}），请稍后重试。")]
    Contention(String),

    #[error("数据库地址有误：{0}")]
    BadDatabaseUrl(String),

    #[error("数据库 {0} 中已有清风枢纽。如需重新建立，请先备份后换用一个空数据库。")]
    DatabaseInitialized(String),

    #[error(
        "数据库 {0} 中还没有清风枢纽。请先运行 `qingfeng-hub --database <地址> --key-file <密钥文件> init` 建立枢纽。"
    )]
    DatabaseNotInitialized(String),

    #[error("枢纽数据库结构与本程序不符：{0}。请使用与该数据库匹配的清风枢纽版本。")]
    SchemaMismatch(String),

    #[error("枢纽签名密钥文件有问题（{path}）：{detail}")]
    KeyFile { path: PathBuf, detail: String },

    /// The request or the command's input is wrong; the message says how.
    #[error("{0}")]
    Invalid(String),

    #[error("找不到{what}：{id}")]
    NotFound { what: &'static str, id: String },

    /// The request contradicts what the hub already holds (a second office with one code, …).
    #[error("{0}")]
    Conflict(String),

    /// The caller could not be identified (a missing, malformed or badly signed auth header).
    #[error("{0}")]
    Unauthenticated(String),

    /// The caller is known but may not do this (a revoked device).
    #[error("{0}")]
    Forbidden(String),

    /// A signature, encoding or bundle problem reported by qingfeng-sync.
    #[error("{0}")]
    Sync(#[from] qingfeng_sync::SyncError),

    /// An event or payload that does not encode or decode canonically, or an office that breaks
    /// the shared office rules.
    #[error("{0}")]
    Log(#[from] qingfeng_log::LogError),

    /// An accepted event would reuse the id of another accepted event. Storage reports it so that
    /// the change set is refused as unauthorized instead of failing the whole request.
    #[error("事件编号 {id} 已被另一事件使用")]
    DuplicateEventId { id: String },

    /// A change set breaks an authority rule. Raised inside a storage transaction so that the
    /// partial work is rolled back before the set is recorded as refused.
    #[error("{0}")]
    Refused(String),

    /// A request body over the limit.
    #[error("{0}")]
    TooLarge(String),

    /// The client stopped sending (or sent too slowly) before the request was whole.
    #[error("{0}")]
    Timeout(String),

    /// The hub holds as much request data in memory as it allows; the client retries later.
    #[error("{0}")]
    Busy(String),

    #[error("枢纽内部错误：{0}")]
    Internal(String),
}

/// SQLite's failure in words the operations team can act on: a damaged file says what to do.
fn database_message(e: &rusqlite::Error) -> String {
    if matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)) {
        return "枢纽数据库文件已损坏（读取时发现坏页）。请停止枢纽服务，从最近的备份恢复数据库文件后再启动；各机关设备会在下次同步时补交备份之后的记录。".into();
    }
    if matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DiskFull | rusqlite::ErrorCode::SystemIoFailure)) {
        return "枢纽写入磁盘失败（磁盘空间已满，或磁盘出错），本次请求没有保存，已保存的不受影响。请清理服务器磁盘空间；各机关设备会自动重试。".into();
    }
    format!("枢纽数据库出错：{e}")
}

/// The hub's result type.
pub type Result<T, E = HubError> = std::result::Result<T, E>;

impl HubError {
    /// The HTTP status a route answers with for this error.
    pub fn http_status(&self) -> u16 {
        match self {
            HubError::Invalid(_) | HubError::Sync(_) => 400,
            HubError::Unauthenticated(_) => 401,
            HubError::Forbidden(_) | HubError::Refused(_) => 403,
            HubError::NotFound { .. } => 404,
            HubError::Conflict(_) | HubError::DuplicateEventId { .. } => 409,
            HubError::TooLarge(_) => 413,
            HubError::Timeout(_) => 408,
            HubError::Unavailable(_) | HubError::Contention(_) | HubError::Busy(_) => 503,
            _ => 500,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        HubError::Io { path: path.into(), source }
    }
}
