//! The log crate's one error type, with a Chinese message for the officer at the screen.

/// Everything that can go wrong encoding, decoding or checking events and their payloads.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// A value has no canonical encoding (a float, a duplicate map key) or bytes do not decode.
    #[error("数据编码失败：{0}")]
    Encoding(String),

    /// A value breaks a rule of the shared vocabulary (an office level, a division code, a name).
    #[error("{0}")]
    Invalid(String),

    /// Stored events do not form the chain they claim to.
    #[error("事件日志校验失败：{0}")]
    Tampered(String),
}

impl LogError {
    /// Shorthand for a validation failure.
    pub fn invalid(message: impl Into<String>) -> Self {
        LogError::Invalid(message.into())
    }
}

/// The log crate's result type.
pub type Result<T, E = LogError> = std::result::Result<T, E>;
