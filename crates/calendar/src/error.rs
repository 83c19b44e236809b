//! The crate's single error type. Messages are in Chinese because they are shown to the
//! office staff as they are, and each one says what to do next.

use chrono::NaiveDate;
use thiserror::Error;

/// Everything that can go wrong when parsing dates, computing deadlines or importing updates.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// The text is not shaped like a date at all.
    #[error("无法识别日期“{input}”，请按“年-月-日”格式输入，例如 2026-03-01")]
    BadFormat {
        /// The text as the user gave it.
        input: String,
    },

    /// The text is shaped like a date, but no such day exists (e.g. 2026-02-30, 2026-13-01).
    #[error("日期 {input} 不存在，请检查年月日")]
    NoSuchDate {
        /// The text as the user gave it.
        input: String,
    },

    /// A date given to the calendar lies outside 1949-10-01 ..= 2099-12-31.
    #[error("日期 {date} 超出支持范围（1949-10-01 至 2099-12-31），请输入此范围内的日期")]
    OutOfRange {
        /// The offending date.
        date: NaiveDate,
    },

    /// A computation would have to go past 1949-10-01 ..= 2099-12-31 to finish.
    #[error("计算结果超出支持范围（1949-10-01 至 2099-12-31），请减少天数或月数")]
    ResultOutOfRange,

    /// More working days were asked for than the calendar allows in one step.
    #[error("工作日天数 {n} 过大，最多支持 {max} 个工作日，请分段计算或核对输入", max = crate::MAX_WORKING_DAYS)]
    TooManyWorkingDays {
        /// The number that was asked for.
        n: u32,
    },

    /// More months were asked for than the calendar allows in one step.
    #[error("月数 {n} 过大，最多支持 {max} 个月（100 年），请核对输入", max = crate::MAX_MONTHS)]
    TooManyMonths {
        /// The number that was asked for.
        n: u32,
    },

    /// An update's year lies outside the supported range.
    #[error("日历更新的年份 {year} 超出支持范围（1949 至 2099 年），请检查更新文件")]
    UpdateYearOutOfRange {
        /// The year named by the update.
        year: i32,
    },

    /// An update lists a date that does not belong to the year it is for.
    #[error("日历更新中的日期 {date} 不属于 {year} 年，请检查更新文件或向上级重新获取")]
    UpdateDateWrongYear {
        /// The offending date.
        date: NaiveDate,
        /// The year named by the update.
        year: i32,
    },

    /// An update lists the same date twice in the same list.
    #[error("日历更新中日期 {date} 重复出现，请删除重复项后重新导入")]
    UpdateDuplicateDate {
        /// The repeated date.
        date: NaiveDate,
    },

    /// An update lists a date both as a day off and as a make-up working day.
    #[error("日历更新中日期 {date} 既是放假日又是调休上班日，请对照国务院办公厅通知核对")]
    UpdateConflict {
        /// The contradictory date.
        date: NaiveDate,
    },

    /// An update lists a make-up working day that is not a Saturday or Sunday.
    #[error("调休上班日 {date} 不是周末，无法作为调休日，请对照国务院办公厅通知核对")]
    UpdateMakeupNotWeekend {
        /// The offending date.
        date: NaiveDate,
    },

    /// An update lists a day off without saying which holiday it belongs to.
    #[error("日历更新中放假日 {date} 缺少节日名称，请补充（例如“春节”）后重新导入")]
    UpdateMissingName {
        /// The day off without a name.
        date: NaiveDate,
    },

    /// An update file could not be read as JSON of the expected shape.
    #[error("日历更新文件格式错误（{detail}），请向上级重新获取更新文件")]
    UpdateFormat {
        /// What the JSON reader complained about.
        detail: String,
    },
}
