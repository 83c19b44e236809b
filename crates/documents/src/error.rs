//! The one error type of `qingfeng-documents`, with messages in Chinese that say what to do.

use qingfeng_core::CoreError;
use qingfeng_notice::NoticeError;

/// Everything that can go wrong while preparing, issuing or printing a notice.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The store refused or failed (permissions, a missing record, the database).
    #[error(transparent)]
    Core(#[from] CoreError),

    /// The template or the values were refused, a font is missing, or rendering failed.
    #[error(transparent)]
    Notice(#[from] NoticeError),

    /// The record is not in a state this notice belongs to (an acceptance notice for a repeat
    /// complaint, a feedback notice for an anonymous one, …).
    #[error("不能签发{kind}：{reason}")]
    WrongState {
        /// The notice's Chinese name.
        kind: &'static str,
        /// Why, and what to do instead.
        reason: String,
    },

    /// A value entered by hand was refused (a field taken from the record, a confidential detail).
    #[error("{0}")]
    Invalid(String),

    /// `lp` is not installed.
    #[error(
        "找不到打印命令 lp：请安装 CUPS 客户端（Debian/Ubuntu：apt-get install cups-client），或先“另存为PDF”再用其他程序打印。"
    )]
    LpMissing,

    /// No printer was chosen and the system has no default printer.
    #[error("没有默认打印机：请选择一台打印机后再打印，或先“另存为PDF”。")]
    NoDefaultPrinter,

    /// The printer named does not exist.
    #[error("打印机“{0}”不存在：请从打印机列表中重新选择，或先“另存为PDF”。")]
    UnknownPrinter(String),

    /// The printer is paused (CUPS stops a printer when a job fails); a job sent to it would wait
    /// in the queue without a word.
    #[error(
        "打印机“{printer}”已暂停{reason}，送去的文书只会排队而不会打印：请在系统的打印机设置中恢复该打印机（或 cupsenable {printer}）后重试，或换一台打印机，或先“另存为PDF”。"
    )]
    PrinterPaused {
        /// The printer's name.
        printer: String,
        /// What CUPS says, as "（原因：…）", or empty.
        reason: String,
    },

    /// The CUPS scheduler is not running or cannot be reached.
    #[error("本机的打印服务没有运行，暂时不能打印：请先“另存为PDF”，再请本单位信息管理人员检查打印服务。")]
    SchedulerDown,

    /// `lp` failed for another reason; its own message is included.
    #[error("打印失败（{0}）。请检查打印机是否开机、有纸后重试，或先“另存为PDF”。")]
    LpFailed(String),

    /// A file could not be read or written.
    #[error("文件操作失败：{0}")]
    Io(#[from] std::io::Error),
}

impl DocumentError {
    /// A stable machine-readable code for front ends and scripts.
    pub fn code(&self) -> &'static str {
        match self {
            DocumentError::Core(e) => e.code(),
            DocumentError::Notice(NoticeError::FontMissing { .. } | NoticeError::FontUnreadable { .. }) => {
                "font_missing"
            }
            DocumentError::Notice(NoticeError::Layout(_)) => "render",
            DocumentError::Notice(_) => "template",
            DocumentError::WrongState { .. } => "wrong_state",
            DocumentError::Invalid(_) => "invalid",
            DocumentError::LpMissing => "lp_missing",
            DocumentError::NoDefaultPrinter => "no_default_printer",
            DocumentError::UnknownPrinter(_) => "unknown_printer",
            DocumentError::PrinterPaused { .. } => "printer_paused",
            DocumentError::SchedulerDown => "printing_service_down",
            DocumentError::LpFailed(_) => "print_failed",
            DocumentError::Io(_) => "io",
        }
    }
}

/// This crate's result type.
pub type Result<T, E = DocumentError> = std::result::Result<T, E>;
