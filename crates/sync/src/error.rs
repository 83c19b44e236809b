//! The sync crate's one error type, with a Chinese message for the officer at the screen.
//!
//! Every message says what went wrong and what to do next. Details meant for technical support
//! (byte offsets, field names) go into the variant's payload and appear after the plain words.

/// Everything that can go wrong while signing, encoding, decoding or checking sync data.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The bytes are not a well-formed message of the expected kind.
    #[error("同步数据格式不正确（{0}）。数据可能在传输或拷贝中损坏，请重新同步或重新导出后再试。")]
    Malformed(String),

    /// A message or file is larger than the protocol allows.
    #[error("同步数据超过上限：{what}为 {actual}，上限为 {limit}。请分批导出或同步。")]
    TooLarge { what: &'static str, actual: u64, limit: u64 },

    /// The data ended before the message did: a cut-off transfer or a partly copied file.
    #[error("同步数据不完整：读取{0}时数据已结束，文件可能未拷贝完整。请重新拷贝或重新导出后再试。")]
    Truncated(&'static str),

    /// The signature does not match the signed bytes.
    #[error("签名校验失败：数据被改动过，或并非由声称的设备签发。请勿使用这份数据，请重新同步或重新导出。")]
    BadSignature,

    /// The data was signed by another key than the one it is checked against.
    #[error("签名密钥不符：数据由密钥 {actual} 签发，而本机认可的是 {expected}。请确认设备证书和中心公钥是否为最新。")]
    WrongKey { expected: String, actual: String },

    /// A signed message of one kind was presented as another kind.
    #[error("数据用途不符：应为“{expected}”，实际为“{actual}”。请确认导入的文件种类是否正确。")]
    WrongContext { expected: String, actual: String },

    /// A signature algorithm this version does not know.
    #[error("不支持的签名算法“{0}”。请将清风升级到最新版本后再试。")]
    UnknownAlgorithm(String),

    /// A format version this version does not know.
    #[error("不支持的数据版本 {0}。请将清风升级到最新版本后再试。")]
    UnknownVersion(u64),

    /// The events do not form one unbroken hash chain.
    #[error("事件链断裂：序号 {seq}，{reason}。这份数据不完整或被改动过，请勿导入，并请联系技术支持。")]
    BrokenChain { seq: u64, reason: String },

    /// A signed request header does not cover this request, or is too old or too new.
    #[error("请求认证未通过：{0}。")]
    Auth(String),

    /// The file is not a Qingfeng bundle at all.
    #[error("这不是清风同步包（文件开头的标识不符）。请确认选择的是清风导出的同步包文件。")]
    NotABundle,

    /// The bundle's closing signature does not match its content.
    #[error(
        "同步包已被改动或损坏：末尾的签名与内容不符，或并非由声称的一方签发。请勿导入，请向对方索取重新导出的同步包。"
    )]
    BundleTampered,

    /// Key material is invalid (wrong length, not a point on the curve, and so on).
    #[error("密钥无效：{0}。请检查密钥文件是否完整，必要时重新登记本设备。")]
    Key(String),

    /// Reading or writing a file or stream failed.
    #[error("读写同步文件失败：{0}。请检查磁盘空间、文件权限，或存储介质是否已插好。")]
    Io(#[from] std::io::Error),

    /// The hub could not be reached or the link broke; nothing local was changed.
    #[error("{0}")]
    Transport(String),

    /// The hub answered with an error of its own (already in Chinese).
    #[error("省级平台拒绝了请求：{0}")]
    Hub(String),

    /// Sync is not set up yet (not enrolled, no hub address, office not set up).
    #[error("{0}")]
    NotReady(String),

    /// The local store refused (e.g. a page of events that does not fit this replica).
    #[cfg(feature = "client")]
    #[error(transparent)]
    Core(#[from] qingfeng_core::CoreError),

    /// An event or payload did not encode or decode canonically.
    #[error(transparent)]
    Log(#[from] qingfeng_log::LogError),
}

/// The result type of this crate.
pub type Result<T, E = SyncError> = std::result::Result<T, E>;

impl SyncError {
    /// A chain problem at `seq`.
    pub(crate) fn chain(seq: u64, reason: impl Into<String>) -> Self {
        SyncError::BrokenChain { seq, reason: reason.into() }
    }

    /// A format problem.
    pub(crate) fn malformed(detail: impl Into<String>) -> Self {
        SyncError::Malformed(detail.into())
    }
}
