//! Keeping this device's sync queue moving (issue #13): every event's size is capped when the
//! record is made, so nothing new can be too large to send; and should an older record ever be
//! (one made by a version without field limits), the queue names it in words an officer
//! understands, while everything before it is sent and the feed keeps arriving.

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::projector::kind;
use crate::store::Store;

/// The largest payload one event may carry when it is recorded. Every event this size or smaller
/// fits in one change set and one feed page with room to spare; the library's largest import
/// (4 MiB of text) stays below it. Forms check each field far below this with the field named;
/// this is the backstop that makes an oversized record impossible, whatever the caller.
pub const MAX_EVENT_PAYLOAD_BYTES: usize = 6 * 1024 * 1024;

/// Refuses an event about to be recorded whose payload is over the cap, before anything is written.
pub(crate) fn check_new_event(event_kind: &str, aggregate: &str, payload_len: usize, conn: &Connection) -> Result<()> {
    if payload_len <= MAX_EVENT_PAYLOAD_BYTES {
        return Ok(());
    }
    Err(CoreError::invalid(format!(
        "这条记录（{}的{}）有 {:.1} MB，超过单条记录 {} MB 的上限，未保存。请精简过长的文字；大段材料请作为附件添加。",
        record_label(conn, aggregate),
        kind_label(event_kind),
        payload_len as f64 / 1024.0 / 1024.0,
        MAX_EVENT_PAYLOAD_BYTES / 1024 / 1024
    )))
}

/// What a step is called, for messages about one record (never the kind's code).
pub fn kind_label(event_kind: &str) -> &'static str {
    match event_kind {
        kind::COMPLAINT_REGISTERED => "登记",
        kind::COMPLAINT_SCREENED => "筛选",
        kind::COMPLAINT_ATTACHMENT_ADDED => "添加附件",
        kind::COMPLAINT_CONCLUDED => "办结",
        kind::COMPLAINT_DISPOSED => "处置",
        kind::COMPLAINT_FORWARDED => "报送或转送",
        kind::COMPLAINT_OBJECTION_RECORDED => "登记反馈意见",
        kind::APPROVAL_REQUESTED => "提请审批",
        kind::APPROVAL_DECIDED => "审批",
        kind::COMPLAINT_ACCEPTANCE_NOTIFIED => "告知受理",
        kind::COMPLAINT_RETURNED => "退回信访室",
        kind::COMPLAINT_INQUIRY_REPLIED => "函询回复",
        kind::COMPLAINT_FEEDBACK_GIVEN => "反馈办理结果",
        kind::COMPLAINT_IDENTITY_VIEWED => "查看检举人身份",
        kind::COMPLAINT_EXPORTED => "导出",
        kind::COMPLAINT_CASE_MILESTONE => "记录案件阶段",
        kind::COMPLAINT_DETENTION_STARTED => "采取留置",
        kind::COMPLAINT_DETENTION_EXTENDED => "延长留置",
        kind::COMPLAINT_DETENTION_ENDED => "解除留置",
        kind::COMPLAINT_QUARTERLY_REPORT_SUBMITTED => "报送季度办结情况",
        kind::COMPLAINT_ATTACHMENT_VIEWED => "查看附件",
        kind::COMPLAINT_ASSIGNED => "交办",
        kind::COMPLAINT_HANDED_LATERALLY => "平级移交",
        kind::COMPLAINT_SUPERVISION_REQUESTED => "提请督办",
        kind::COMPLAINT_SUPERVISION_DECIDED => "审批督办",
        kind::COMPLAINT_SUPERVISED => "督办",
        kind::COMPLAINT_RESULT_REPORTED => "上报办理结果",
        kind::COMPLAINT_RESULT_ACCEPTED => "采纳办理结果",
        kind::COMPLAINT_RESULT_RETURNED => "退回重报",
        kind::COMPLAINT_IDENTITY_SEALED => "加密检举人身份",
        kind::COMPLAINT_HANDOVER_HELD => "移交待发",
        kind::COMPLAINT_UPPER_APPROVAL_REQUESTED => "提请上级批准",
        kind::COMPLAINT_UPPER_APPROVAL_DECIDED => "上级机关批复",
        kind::OWNERSHIP_OFFERED => "提出移交",
        kind::OWNERSHIP_CHANGED => "省级平台确认移交",
        kind::OWNERSHIP_DECLINED => "省级平台未能移交",
        kind::CONFLICT_RESOLVED => "处理冲突",
        kind::OFFICE_CREATED => "机关设立",
        kind::DIRECTORY_IMPORTED => "机关名录更新",
        kind::CALENDAR_UPDATED => "工作日历更新",
        kind::SETTING_CHANGED => "修改设置",
        kind::OFFICER_NAMED => "人员姓名登记",
        kind::OFFICE_SEALING_KEYS => "公布加密公钥",
        kind::BUNDLE_EXPORTED => "导出同步包",
        kind::CONTENT_PUBLISHED => "省级平台发布法规或模板",
        kind::CONTENT_ADOPTED => "采用省级模板",
        kind::IMPORT_MAPPING_SAVED => "保存导入列对应关系",
        kind::IMPORT_RECORD_MIGRATED => "从原平台迁移",
        kind::IMPORT_COMPLETED => "完成数据导入",
        kind::CITATION_ADDED => "引用条文",
        kind::CITATION_REMOVED => "撤销引用",
        kind::ACCESS_DENIED => "越权访问被拒",
        kind::USER_LOGGED_IN => "登录",
        kind::USER_LOGGED_OUT => "退出登录",
        kind::USER_LOGIN_FAILED => "登录失败",
        kind::PENALTY_REGISTERED => "录入",
        kind::CHECKLIST_REGISTERED => "录入",
        kind::CHECKLIST_ITEM_SUBMITTED => "提交事项",
        kind::CHECKLIST_ITEM_APPROVED => "审核通过",
        kind::CHECKLIST_ITEM_REJECTED => "驳回",
        kind::LIBRARY_DOCUMENT_IMPORTED => "导入",
        kind::DOCUMENT_ISSUED => "签发文书",
        kind::NOTICE_TEMPLATE_SAVED => "保存模板",
        k if k.starts_with("user.") => "账户变更",
        _ => "一项操作",
    }
}

/// A record as people name it: a complaint by its number, a decision by its document number, a
/// list by its title; never an id.
pub fn record_label(conn: &Connection, aggregate: &str) -> String {
    let one = |sql: &str, id: &str| -> Option<String> {
        conn.query_row(sql, [id], |r| r.get::<_, String>(0)).optional().ok().flatten()
    };
    if let Some(id) = aggregate.strip_prefix("complaint:") {
        return match one("SELECT number FROM complaints WHERE id = ?1", id) {
            Some(n) => format!("检举控告 {n}"),
            None => "一件检举控告".into(),
        };
    }
    if let Some(id) = aggregate.strip_prefix("penalty:") {
        return match one("SELECT decision_number FROM penalties WHERE id = ?1", id) {
            Some(n) => format!("处分决定 {n}"),
            None => "一份处分决定".into(),
        };
    }
    if aggregate.starts_with("checklist:") {
        return match one("SELECT title FROM checklists WHERE aggregate = ?1", aggregate) {
            Some(t) => format!("整改清单“{t}”"),
            None => "一份整改清单".into(),
        };
    }
    if aggregate.starts_with("library:") {
        return "资料袋中的一份文件".into();
    }
    if aggregate.starts_with("user:") || aggregate.starts_with("actor:") {
        return "一个账户".into();
    }
    "一条记录".into()
}

/// The event that stops this device's queue, as the sync screen and `sync status` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BlockedEvent {
    /// The record and the step, in words, e.g. "检举控告 530102-2026-00001 的登记".
    pub record: String,
    /// Why it cannot be sent and what to do, in Chinese.
    pub reason: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub limit: u64,
    /// Later events of this device waiting behind it (the chain's order cannot skip it).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub waiting: u64,
    /// Its position in this device's chain, for the administrator.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seq: u64,
}

const BLOCKED_KEY: &str = "blocked";

impl Store {
    /// Describes `event` (one of this device's) as the record that blocks the queue: it is
    /// `size` bytes where a change set carries at most `limit`.
    pub fn describe_blocked(&self, event: &Event, size: u64, limit: u64) -> Result<BlockedEvent> {
        let head = self.sync_status()?.head_seq;
        let record = format!("{}的{}", record_label(self.conn(), &event.aggregate), kind_label(&event.kind));
        Ok(BlockedEvent {
            reason: format!(
                "这条记录有 {:.1} MB，超过同步一次能传送的 {:.0} MB，是旧版本程序在没有长度限制时保存的。它之后的记录要按顺序上传，只能等在它后面；本机的其他工作和接收上级、下级的记录不受影响。请联系系统管理员处理。",
                size as f64 / 1024.0 / 1024.0,
                limit as f64 / 1024.0 / 1024.0
            ),
            record,
            size,
            limit,
            waiting: head.saturating_sub(event.seq),
            seq: event.seq,
        })
    }

    /// Records (or, with `None`, clears) the event that blocks the queue.
    pub fn note_blocked(&mut self, blocked: Option<&BlockedEvent>) -> Result<()> {
        let value = match blocked {
            Some(b) => serde_json::to_vec(b).map_err(|e| CoreError::Encoding(e.to_string()))?,
            None => Vec::new(),
        };
        self.conn().execute(
            "INSERT INTO sync_state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            rusqlite::params![BLOCKED_KEY, value],
        )?;
        Ok(())
    }

    /// The event that blocks the queue, if the last sync or export found one.
    pub fn blocked(&self) -> Result<Option<BlockedEvent>> {
        let value: Option<Vec<u8>> = self
            .conn()
            .query_row("SELECT value FROM sync_state WHERE key = ?1", [BLOCKED_KEY], |r| r.get(0))
            .optional()?;
        Ok(value.filter(|v| !v.is_empty()).and_then(|v| serde_json::from_slice(&v).ok()))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn an_event_over_the_cap_is_refused_with_the_record_named() {
        let conn = Connection::open_in_memory().unwrap();
        assert!(check_new_event(kind::COMPLAINT_REGISTERED, "complaint:x", MAX_EVENT_PAYLOAD_BYTES, &conn).is_ok());
        let err = check_new_event(kind::COMPLAINT_REGISTERED, "complaint:x", MAX_EVENT_PAYLOAD_BYTES + 1, &conn)
            .unwrap_err()
            .to_string();
        assert!(err.contains("检举控告") && err.contains("登记") && err.contains("上限"), "{err}");
    }
}
