//! The sealing crate's one error type, with a Chinese message that says what to do.

/// Everything that can go wrong while making, reading or opening sealed data.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    /// A suite name this version does not know.
    #[error("不支持的加密算法“{0}”。请将清风升级到最新版本后再试。")]
    UnknownSuite(String),

    /// Key material is invalid (wrong length, not a point on the curve, …).
    #[error("加密密钥无效：{0}。请重新同步以取得正确的公钥，必要时联系技术支持。")]
    Key(String),

    /// Nothing to seal to: an office on the route has published no key yet.
    #[error("{0}")]
    NoRecipient(String),

    /// None of this office's keys is among the recipients.
    #[error("{0}")]
    NotForUs(String),

    /// The ciphertext or its wrapping does not authenticate: altered, cut, or made for another record.
    #[error("加密数据校验失败：内容被改动、不完整，或并非为此处加密。请勿使用这份数据，请向对方索取原件。")]
    Tampered,

    /// The sealed data is not well formed.
    #[error("加密数据格式不正确（{0}）。数据可能在传输或拷贝中损坏，请重新导出后再试。")]
    Malformed(String),

    /// The file ended before its last block: a cut-off copy.
    #[error("加密文件不完整：文件在最后一段之前就结束了，可能未拷贝完整。请重新拷贝或重新导出后再试。")]
    Truncated,

    /// The file is not a sealed file at all.
    #[error("这不是清风加密文件（文件开头的标识不符）。请确认选择的文件。")]
    NotSealed,

    /// A sealed file made for another purpose (a return bundle offered as an outbound one, …).
    #[error("加密文件用途不符：应为“{expected}”，实际为“{actual}”。请确认选择的文件种类。")]
    WrongPurpose { expected: String, actual: String },

    /// Reading or writing failed.
    #[error("读写加密文件失败：{0}。请检查磁盘空间、文件权限，或存储介质是否已插好。")]
    Io(#[from] std::io::Error),
}

/// The result type of this crate.
pub type Result<T, E = SealError> = std::result::Result<T, E>;
