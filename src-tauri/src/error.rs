//! The desktop program's one error type: every library error a command can meet, turned into the
//! `{code, message}` the web page receives (`ErrorView`, declared in `ui/src/bindings.ts`).
//!
//! Yaak's `src-tauri/src/error.rs` is the model: one enum with a `From` for each library's error,
//! so a command writes `?` and never maps an error by hand. The codes and the Chinese messages are
//! exactly those the libraries give; this file adds none of its own beyond the two plain kinds
//! (`Invalid`, `Io`) that a command phrases itself.

use qingfeng_core::CoreError;
use qingfeng_core::api::ErrorView;
use qingfeng_documents::DocumentError;
use qingfeng_sync::SyncError;

/// The result of every IPC command.
pub type CmdResult<T> = Result<T, Error>;

/// Everything a command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The core's refusal or failure, with its own code.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// Anything from syncing with the hub. The screens show all of these under the code `sync`,
    /// including a core error met while syncing, as they always have.
    #[error(transparent)]
    Sync(#[from] SyncError),
    /// Notices: rendering, printing, templates. A core error inside keeps the core's code.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// Why the store is closed (it could not be opened, or a restore is under way), as recorded
    /// when that happened.
    #[error("{}", .0.message)]
    Closed(ErrorView),
    /// Bad input the command itself checks, with a message that says what to do.
    #[error("{0}")]
    Invalid(String),
    /// A file the officer chose could not be read or written; the message names it.
    #[error("{0}")]
    Io(String),
}

impl Error {
    pub fn invalid(message: impl Into<String>) -> Error {
        Error::Invalid(message.into())
    }

    pub fn io(message: impl Into<String>) -> Error {
        Error::Io(message.into())
    }

    /// The error as the page receives it.
    pub fn view(&self) -> ErrorView {
        match self {
            Error::Core(e) | Error::Document(DocumentError::Core(e)) => e.view(),
            Error::Sync(e) => ErrorView { code: "sync".into(), message: e.to_string() },
            Error::Document(e) => ErrorView { code: e.code().into(), message: e.to_string() },
            Error::Closed(view) => view.clone(),
            Error::Invalid(message) => ErrorView { code: "invalid".into(), message: message.clone() },
            Error::Io(message) => ErrorView { code: "io".into(), message: message.clone() },
        }
    }
}

impl From<ErrorView> for Error {
    fn from(view: ErrorView) -> Error {
        Error::Closed(view)
    }
}

/// Tauri sends a command's error to the page as JSON: the `ErrorView` shape the UI's `ApiError`
/// reads.
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.view().serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_library_error_keeps_its_code_and_message() {
        let core = CoreError::NoSession;
        let expected = core.view();
        assert_eq!(Error::from(CoreError::NoSession).view(), expected);
        assert_eq!(Error::from(DocumentError::Core(CoreError::NoSession)).view(), expected);
        let sync = Error::from(SyncError::NotReady("数据库未打开，不能同步。".into())).view();
        assert_eq!(sync, ErrorView { code: "sync".into(), message: "数据库未打开，不能同步。".into() });
        let invalid = serde_json::to_value(Error::invalid("请填写查看事由。")).unwrap_or_default();
        assert_eq!(invalid, serde_json::json!({ "code": "invalid", "message": "请填写查看事由。" }));
    }
}
