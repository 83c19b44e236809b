//! Office settings that administrators may change (DOMAIN.md's "configurable" rules).

use rusqlite::{Connection, OptionalExtension};

use crate::authz::{Action, Actor};
use crate::error::{CoreError, Result};
use crate::events::NewEvent;
use crate::projector::{SettingChanged, kind};
use crate::store::{Decision, Store};

/// A setting's key, default, allowed range and Chinese description.
#[derive(Debug, Clone, Copy)]
pub struct SettingDef {
    pub key: &'static str,
    pub default: u32,
    pub min: u32,
    pub max: u32,
    pub label: &'static str,
}

/// Every setting the program knows.
pub const SETTINGS: &[SettingDef] = &[
    SettingDef {
        key: "lockout.max_failures", default: 5, min: 3, max: 20, label: "连续输错密码几次后锁定账户"
    },
    SettingDef { key: "lockout.minutes", default: 15, min: 1, max: 1440, label: "账户锁定时长（分钟）" },
    SettingDef {
        key: "complaint.assign_report_working_days",
        default: 60,
        min: 5,
        max: 250,
        label: "交办件默认报告期限（工作日）",
    },
    SettingDef {
        key: "complaint.supervise_report_working_days",
        default: 30,
        min: 5,
        max: 250,
        label: "督办件默认报告期限（工作日）",
    },
    SettingDef {
        key: "complaint.return_report_working_days",
        default: 20,
        min: 5,
        max: 250,
        label: "交办督办件结果被退回后重新报告的默认期限（工作日）",
    },
    // DOMAIN.md §3 leaves open whether an influence period ends on the corresponding date or the
    // day before; 0 (the corresponding date) is the default.
    SettingDef {
        key: "penalty.influence_end_day_before",
        default: 0,
        min: 0,
        max: 1,
        label: "影响期截止日（0：对应日；1：对应日前一日）",
    },
    // Issue #14: which suite seals reporters' identities to offices that publish both.
    SettingDef {
        key: crate::sealing::SETTING_SM,
        default: 0,
        min: 0,
        max: 1,
        label: "检举人身份加密算法（0：X25519 与 AES-GCM；1：国密 SM2 与 SM4）",
    },
    // Issue #13: an event from another office whose clock is further ahead of this machine's
    // than this is held aside (not applied, never moving this machine's clock) until time
    // catches up, and the sync screen names the office whose device sent it.
    SettingDef {
        key: "sync.max_clock_ahead_minutes",
        default: 60,
        min: 5,
        max: 10_080,
        label: "其他单位设备时钟最多可比本机快多少分钟（超过则暂缓接收）",
    },
    // Integrity files (廉政档案): the unit profile's deduction rules (扣分规则) and colour bands, and
    // the periods of opinion replies and supervision letters. `portrait::score` applies them.
    SettingDef {
        key: "integrity.score_window_months",
        default: 36,
        min: 6,
        max: 120,
        label: "单位画像计分期间（最近几个月的记录）",
    },
    SettingDef {
        key: "integrity.deduct_penalty",
        default: 5,
        min: 0,
        max: 100,
        label: "单位画像扣分：每人受党纪政务处分（警告、记过等较轻处分）",
    },
    SettingDef {
        key: "integrity.deduct_penalty_heavy",
        default: 10,
        min: 0,
        max: 100,
        label: "单位画像扣分：每人受撤销党内职务、降级及以上处分",
    },
    SettingDef {
        key: "integrity.deduct_overdue_rectification",
        default: 3,
        min: 0,
        max: 100,
        label: "单位画像扣分：每项逾期未完成的整改事项",
    },
    SettingDef {
        key: "integrity.deduct_repeat_complaint",
        default: 2,
        min: 0,
        max: 100,
        label: "单位画像扣分：每件重复举报",
    },
    SettingDef {
        key: "integrity.deduct_late_feedback",
        default: 2,
        min: 0,
        max: 100,
        label: "单位画像扣分：每份逾期反馈的监督建议书或提醒函",
    },
    SettingDef { key: "integrity.band_green", default: 90, min: 1, max: 100, label: "单位画像绿色的最低分" },
    SettingDef { key: "integrity.band_yellow", default: 80, min: 1, max: 100, label: "单位画像黄色的最低分" },
    SettingDef {
        key: "integrity.band_orange",
        default: 70,
        min: 1,
        max: 100,
        label: "单位画像橙色的最低分（以下为红色）",
    },
    SettingDef {
        key: "integrity.opinion_reply_working_days",
        default: 10,
        min: 1,
        max: 60,
        label: "廉政意见回复默认期限（收到函后工作日）",
    },
    SettingDef {
        key: "supervision.feedback_working_days",
        default: 30,
        min: 5,
        max: 120,
        label: "监督建议书、提醒函默认反馈期限（工作日）",
    },
    SettingDef {
        key: "supervision.resubmit_working_days",
        default: 15,
        min: 3,
        max: 60,
        label: "反馈被退回后重新反馈的期限（工作日）",
    },
    // Backups (`crate::recovery::backup`): how many to keep in the folder, how often the desktop
    // makes one while running, and after how many days without one the administrator is warned.
    SettingDef { key: "backup.keep", default: 10, min: 1, max: 100, label: "备份文件夹中保留的备份份数" },
    SettingDef { key: "backup.interval_hours", default: 24, min: 1, max: 720, label: "自动备份间隔（小时）" },
    SettingDef {
        key: "backup.warn_days", default: 7, min: 1, max: 90, label: "超过几天没有成功备份即提醒管理员"
    },
];

/// A setting's definition, or a Chinese message listing the known keys.
pub(crate) fn def(key: &str) -> Result<&'static SettingDef> {
    SETTINGS.iter().find(|d| d.key == key).ok_or_else(|| {
        let keys: Vec<&str> = SETTINGS.iter().map(|d| d.key).collect();
        CoreError::invalid(format!("没有名为“{key}”的设置。可选：{}。", keys.join("、")))
    })
}

/// A setting's current value.
pub fn get(conn: &Connection, key: &str) -> Result<u32> {
    let d = def(key)?;
    let stored: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?;
    Ok(stored.and_then(|v| v.parse().ok()).unwrap_or(d.default))
}

/// Every setting with its current value.
pub fn all(store: &Store) -> Result<Vec<(SettingDef, u32)>> {
    SETTINGS.iter().map(|d| Ok((*d, get(store.conn(), d.key)?))).collect()
}

/// Changes a setting (administrators only).
pub fn set(store: &mut Store, actor: &Actor, key: &str, value: &str) -> Result<()> {
    let d = def(key)?;
    let parsed: u32 = value
        .trim()
        .parse()
        .ok()
        .filter(|v| (d.min..=d.max).contains(v))
        .ok_or_else(|| CoreError::invalid(format!("“{}”应为 {} 到 {} 之间的整数。", d.label, d.min, d.max)))?;
    let office = store.office()?;
    store.execute(actor, Action::ChangeSettings { office: office.clone() }, |_tx, _ctx| {
        Ok(Decision::events(vec![NewEvent::new(
            kind::SETTING_CHANGED,
            format!("office:{office}"),
            &SettingChanged { key: d.key.into(), value: parsed.to_string() },
        )?]))
    })?;
    Ok(())
}

/// The lock-out policy in force.
#[derive(Debug, Clone, Copy)]
pub struct Lockout {
    pub max_failures: u32,
    pub lock_minutes: u32,
}

/// Reads the lock-out policy.
pub fn lockout(conn: &Connection) -> Result<Lockout> {
    Ok(Lockout { max_failures: get(conn, "lockout.max_failures")?, lock_minutes: get(conn, "lockout.minutes")? })
}
