//! Notices issued and their templates (DOMAIN.md §6): document numbers, the register of issued
//! documents (发文登记), the stored PDF of each, and the versioned notice templates.
//!
//! The core knows nothing of Typst or of a template's syntax: `qingfeng-documents` parses and
//! renders templates and hands the core the rendered bytes. What belongs here is what must happen
//! in one transaction with the event log:
//!
//! - **Numbering.** [`issue`] allocates the next serial for (office, kind, year) inside the write
//!   transaction that records `document.issued`, and calls the caller's renderer there with the
//!   allocated number. SQLite's write lock (the transaction is IMMEDIATE) serialises issuers,
//!   including other processes on the same database file, so two notices never share a number;
//!   and since the number is only read from the register, not reserved beforehand, a render that
//!   fails or an issue that is refused rolls back with nothing consumed, so there are no gaps.
//!   The alternative, reserving a number in one transaction and recording the notice in a second,
//!   would leave a gap whenever the render failed between the two. Rendering a notice takes a few
//!   milliseconds once fonts are loaded, so holding the write lock for it costs little.
//!   Across devices the write lock does not reach: two devices of one office issuing while
//!   offline may each take the same serial. When the other's `document.issued` arrives both
//!   documents are kept (the register has no unique number constraint, migration 0010) and both
//!   are marked [`IssuedDocument::duplicate_number`]; the next serial follows the highest known.
//! - **Storage.** The PDF bytes go into `blobs` (content-addressed) in the same transaction, and
//!   the event carries their SHA-256, so a re-print returns exactly the issued bytes, checked
//!   against the hash recorded in the log.
//! - **Duties met.** Issuing the acceptance notice or the result feedback of a complaint also
//!   records `complaint.acceptance_notified` / `complaint.feedback_given` when that duty is still
//!   open, so the deadline closes with the number that met it.
//! - **Templates.** Versions are rows of `notice_templates`; the built-in ones are seeded from the
//!   program ([`seed_builtin_templates`]), an administrator's are saved through
//!   `notice.template_saved`, which carries version and hash so the hub can later publish
//!   province-wide versions in the same shape.
//!
//! Numbers read `<short name>纪<kind code>〔<year>〕<n>号`. DOMAIN.md §6 writes the form as
//! `<short name>纪〔2026〕12号` and numbers each kind separately; two kinds numbered separately
//! under one prefix would give two different notices the same number, so each kind adds its own
//! character to the 机关代字 (受, 函, 改 …), as offices do with 纪发 and 纪函.

use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

use crate::authz::{Action, Actor, ComplaintAct, NoticeAct, PenaltyAct, authorize};
use crate::clock::business_zone;
use crate::complaints::DatedAct;
use crate::complaints::events::ComplaintEvent;
use crate::deadlines::DeadlineKind;
use crate::error::{CoreError, Result};
use crate::events::{Event, NewEvent};
use crate::identity::Role;
use crate::projector::kind;
use crate::store::{Decision, Store};

/// What the core needs to know about a kind of notice: its id (as in the template files), its
/// Chinese name, the character it adds to the document number, and who reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindInfo {
    pub id: &'static str,
    pub name: &'static str,
    /// Added to `<short name>纪` in the number, so each kind's numbers are distinct.
    pub code: &'static str,
    /// Addressed to the reporter (检举控告人): carries the reporter's identity, so only the posts
    /// that may see it issue it.
    pub to_reporter: bool,
    /// Issued once per record (a second copy is a re-print): the notices that meet a step of the
    /// record, as opposed to letters an office may send again.
    pub once_per_record: bool,
}

/// The eight kinds of DOMAIN.md §6, the integrity reply, the two supervision letters and the
/// circular (issue #19), in the order of `qingfeng_notice::NoticeKind::ALL`.
pub const KINDS: [KindInfo; 12] = [
    KindInfo { id: "acceptance", name: "受理告知书", code: "受", to_reporter: true, once_per_record: true },
    KindInfo {
        id: "non_acceptance", name: "不予受理告知书", code: "不受", to_reporter: true, once_per_record: true
    },
    KindInfo {
        id: "result_feedback",
        name: "实名检举控告处理结果反馈",
        code: "馈",
        to_reporter: true,
        once_per_record: true,
    },
    KindInfo { id: "inquiry", name: "函询函", code: "询", to_reporter: false, once_per_record: false },
    KindInfo {
        id: "service_receipt", name: "处分决定送达回执", code: "达", to_reporter: false, once_per_record: true
    },
    KindInfo {
        id: "announcement", name: "处分决定宣布记录", code: "宣", to_reporter: false, once_per_record: true
    },
    KindInfo { id: "notification_letter", name: "函告", code: "函", to_reporter: false, once_per_record: false },
    KindInfo { id: "rectification", name: "整改通知书", code: "改", to_reporter: false, once_per_record: false },
    KindInfo {
        id: "integrity_reply", name: "廉政意见回复", code: "廉", to_reporter: false, once_per_record: true
    },
    KindInfo {
        id: "supervision_suggestion",
        name: "监督建议书",
        code: "建",
        to_reporter: false,
        once_per_record: true,
    },
    KindInfo { id: "reminder_letter", name: "提醒函", code: "提", to_reporter: false, once_per_record: true },
    KindInfo { id: "circular", name: "监督通报", code: "通", to_reporter: false, once_per_record: true },
];

/// A kind's facts, or a Chinese message listing the kinds.
pub fn kind_info(id: &str) -> Result<&'static KindInfo> {
    KINDS.iter().find(|k| k.id == id).ok_or_else(|| {
        let all: Vec<String> = KINDS.iter().map(|k| format!("{}（{}）", k.id, k.name)).collect();
        CoreError::invalid(format!("没有名为“{id}”的文书种类。可选：{}。", all.join("、")))
    })
}

/// The short name an office signs its numbers with: the first character of its name after the
/// party prefix, so 五华区纪委监委 gives 五 and 中共某某县纪律检查委员会 gives 某.
pub fn office_short_name(office_name: &str) -> String {
    let name = office_name.trim();
    let name = name.strip_prefix("中国共产党").or_else(|| name.strip_prefix("中共")).unwrap_or(name);
    name.chars().find(|c| !c.is_whitespace()).map(String::from).unwrap_or_else(|| "本".into())
}

/// A document number in the national form: year in 〔〕, no 第, no leading zeros.
pub fn format_number(short_name: &str, kind: &KindInfo, year: i32, serial: u32) -> String {
    format!("{short_name}纪{}〔{year}〕{serial}号", kind.code)
}

/// Payload of `notice.template_saved` (aggregate `notice_template:<office>:<kind>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSaved {
    pub office_code: String,
    pub kind: String,
    pub version: u32,
    pub title: String,
    /// The template's TOML text.
    pub source: String,
    /// SHA-256 of `source`, hex: how a version published by the hub will be recognised.
    pub sha256: String,
    /// `office` for an office's own version; `province` is reserved for versions the hub
    /// publishes later.
    pub scope: String,
}

/// Payload of `document.issued`, on the record's aggregate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentIssued {
    pub document_id: String,
    pub office_code: String,
    pub kind: String,
    pub title: String,
    pub year: i32,
    pub serial: u32,
    pub number: String,
    /// The record's aggregate, or `document:<id>` for a notice filled in by hand.
    pub record: String,
    /// How the register shows the record (a complaint's or a decision's number).
    pub record_label: String,
    pub template_version: u32,
    pub template_sha256: String,
    pub pdf_sha256: String,
    pub pdf_size: u64,
    /// The date printed on the notice (YYYY-MM-DD, Beijing time).
    pub issue_date: String,
}

/// A template version as screens and scripts see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TemplateView {
    pub kind: String,
    pub kind_name: String,
    pub version: u32,
    pub title: String,
    pub sha256: String,
    /// Shipped with the program (as opposed to saved by this office's administrator).
    pub builtin: bool,
    /// The version used for new notices of this kind.
    pub active: bool,
    pub saved_by: String,
    pub saved_at: String,
    pub source: String,
}

/// One line of the register of issued documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IssuedDocument {
    pub id: String,
    pub kind: String,
    pub kind_name: String,
    pub title: String,
    pub number: String,
    pub year: i32,
    pub serial: u32,
    /// The record's aggregate (`complaint:<id>`, `penalty:<id>`, `checklist:<id>`, `document:<id>`).
    pub aggregate: String,
    pub record_label: String,
    pub template_version: u32,
    pub pdf_sha256: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub pdf_size: u64,
    pub issue_date: String,
    /// The issuing officer's name.
    pub issued_by: String,
    /// Beijing time, to the minute.
    pub issued_at: String,
    /// Another document of this office carries the same number: two devices of the office each
    /// issued it while offline. The register shows it, so the office can withdraw one copy.
    pub duplicate_number: bool,
}

/// A built-in template as the program ships it.
#[derive(Debug, Clone, Copy)]
pub struct BuiltinTemplate<'a> {
    pub kind: &'a str,
    pub version: u32,
    pub title: &'a str,
    pub source: &'a str,
}

pub use crate::encoding::sha256_hex;

/// Records the program's built-in templates, once per version (INSERT OR IGNORE). They are the
/// same text on every replica, compiled into the program, so they need no event: the row only
/// lets the register and the template screen name them like any other version.
pub fn seed_builtin_templates(store: &mut Store, templates: &[BuiltinTemplate<'_>]) -> Result<()> {
    let fresh = {
        let conn = store.conn();
        let mut missing = false;
        for t in templates {
            let held: bool = conn
                .prepare_cached(
                    "SELECT count(*) > 0 FROM notice_templates WHERE office_code = '' AND kind = ?1 AND version = ?2",
                )?
                .query_row(params![t.kind, t.version], |r| r.get(0))?;
            missing |= !held;
        }
        missing
    };
    if !fresh {
        return Ok(());
    }
    let tx = store.conn_mut().transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    for t in templates {
        kind_info(t.kind)?;
        tx.prepare_cached(
            // One row per built-in version: a program whose built-in text changed without a new
            // version number must not add a second text under the same number.
            "INSERT INTO notice_templates
                (office_code, kind, version, title, source, sha256, origin, saved_by, saved_at, active)
             SELECT '', ?1, ?2, ?3, ?4, ?5, 'builtin', 'system', '2026-01-01T00:00:00+00:00', 0
             WHERE NOT EXISTS (SELECT 1 FROM notice_templates WHERE office_code = '' AND kind = ?1 AND version = ?2)",
        )?
        .execute(params![t.kind, t.version, t.title, t.source, sha256_hex(t.source.as_bytes())])?;
        set_active(&tx, "", t.kind)?;
    }
    tx.commit()?;
    Ok(())
}

/// Marks the newest version of (office, kind) active and the others not, so the outcome does not
/// depend on the order in which saves arrived. Two texts under one version number (saved on two
/// devices while offline) are told apart by the later save, then by hash, so every replica picks
/// the same one.
fn set_active(tx: &Transaction<'_>, office: &str, kind: &str) -> Result<()> {
    tx.prepare_cached(
        "UPDATE notice_templates SET active = ((version, saved_at, sha256) = (SELECT version, saved_at, sha256
            FROM notice_templates WHERE office_code = ?1 AND kind = ?2
            ORDER BY version DESC, saved_at DESC, sha256 DESC LIMIT 1))
         WHERE office_code = ?1 AND kind = ?2",
    )?
    .execute(params![office, kind])?;
    Ok(())
}

const TEMPLATE_COLUMNS: &str = "t.kind, t.version, t.title, t.sha256, t.office_code = '', t.active,
    coalesce(u.display_name, t.saved_by), t.saved_at, t.source";

fn template_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TemplateView> {
    let kind: String = r.get(0)?;
    let saved_at: String = r.get(7)?;
    Ok(TemplateView {
        kind_name: kind_info(&kind).map(|k| k.name).unwrap_or("").to_owned(),
        kind,
        version: r.get(1)?,
        title: r.get(2)?,
        sha256: r.get(3)?,
        builtin: r.get(4)?,
        active: r.get(5)?,
        saved_by: r.get(6)?,
        saved_at: crate::clock::display_stored(&saved_at),
        source: r.get(8)?,
    })
}

/// The template version in use for `kind` at this office: its own newest, else the built-in one.
pub fn active_template(store: &Store, kind: &str) -> Result<TemplateView> {
    kind_info(kind)?;
    let office = store.office()?;
    store
        .conn()
        .prepare_cached(&format!(
            "SELECT {TEMPLATE_COLUMNS} FROM notice_templates t LEFT JOIN users u ON u.id = t.saved_by
             WHERE t.kind = ?1 AND t.active = 1 AND t.office_code IN (?2, '')
             ORDER BY t.office_code = '' LIMIT 1"
        ))?
        .query_row(params![kind, office], template_from_row)
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "文书模板", id: kind.to_owned() })
}

/// Every version of every kind held for this office (its own and the built-in ones), by kind
/// and newest first.
pub fn templates(store: &Store, actor: &Actor) -> Result<Vec<TemplateView>> {
    let office = store.office()?;
    // Officers read templates; the administrator who keeps them needs no business post to.
    authorize(actor, &Action::Notice { office: office.clone(), act: NoticeAct::View }).or_else(|denied| {
        authorize(actor, &Action::Notice { office: office.clone(), act: NoticeAct::SaveTemplate }).map_err(|_| denied)
    })?;
    let mut stmt = store.conn().prepare_cached(&format!(
        "SELECT {TEMPLATE_COLUMNS} FROM notice_templates t LEFT JOIN users u ON u.id = t.saved_by
         WHERE t.office_code IN (?1, '') ORDER BY t.kind, t.office_code = '', t.version DESC, t.saved_at DESC"
    ))?;
    let mut rows: Vec<TemplateView> = stmt.query_map([&office], template_from_row)?.collect::<Result<_, _>>()?;
    // An office's own version replaces the built-in one in use; only one is active per kind.
    let own_active: Vec<String> = rows.iter().filter(|t| t.active && !t.builtin).map(|t| t.kind.clone()).collect();
    for t in rows.iter_mut().filter(|t| t.builtin && own_active.contains(&t.kind)) {
        t.active = false;
    }
    rows.sort_by_key(|t| {
        (KINDS.iter().position(|k| k.id == t.kind).unwrap_or(usize::MAX), std::cmp::Reverse(t.version))
    });
    Ok(rows)
}

/// A new template version, already checked by the caller against the template syntax
/// (`qingfeng_documents::save_template` parses it with `qingfeng_notice::Template::parse`).
#[derive(Debug, Clone)]
pub struct NewTemplate {
    pub kind: String,
    pub version: u32,
    pub title: String,
    pub source: String,
}

/// Saves a new version of a notice template for this office (administrators). The version must
/// be above every version held for the kind, so a number always names one text.
pub fn save_template(store: &mut Store, actor: &Actor, t: &NewTemplate) -> Result<TemplateView> {
    let info = kind_info(&t.kind)?;
    let office = store.office()?;
    if t.source.len() > 64 * 1024 {
        return Err(CoreError::invalid("模板过长（超过 64 KB），请精简后再保存。"));
    }
    let title = crate::input::required("模板标题", &t.title, 60)?;
    store.execute(actor, Action::Notice { office: office.clone(), act: NoticeAct::SaveTemplate }, |tx, _ctx| {
        let newest: Option<u32> = tx
            .prepare_cached("SELECT max(version) FROM notice_templates WHERE kind = ?1 AND office_code IN (?2, '')")?
            .query_row(params![info.id, office], |r| r.get(0))?;
        if let Some(n) = newest
            && t.version <= n
        {
            return Err(CoreError::invalid(format!(
                "“{}”模板已有第 {n} 版：新版本的 version 应大于 {n}（例如 {}），请改正后再保存。",
                info.name,
                n + 1
            )));
        }
        Ok(Decision::events(vec![NewEvent::new(
            kind::NOTICE_TEMPLATE_SAVED,
            format!("notice_template:{office}:{}", info.id),
            &TemplateSaved {
                office_code: office.clone(),
                kind: info.id.into(),
                version: t.version,
                title: title.clone(),
                source: t.source.clone(),
                sha256: sha256_hex(t.source.as_bytes()),
                scope: "office".into(),
            },
        )?]))
    })?;
    active_template(store, info.id)
}

/// The record a notice is issued for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// A complaint, by id.
    Complaint(String),
    /// A penalty decision, by id.
    Penalty(String),
    /// A rectification list, by id.
    Checklist(String),
    /// An integrity opinion request, by id: its reply.
    Opinion(String),
    /// A supervision suggestion or reminder letter, by id.
    Letter(String),
    /// A circular (监督通报), by id.
    Circular(String),
    /// None: an officer filled in every field.
    None,
}

impl Record {
    /// The record's aggregate id, if it has one.
    pub fn aggregate(&self) -> Option<String> {
        match self {
            Record::Complaint(id) => Some(format!("complaint:{id}")),
            Record::Penalty(id) => Some(format!("penalty:{id}")),
            Record::Checklist(id) => Some(format!("checklist:{id}")),
            Record::Opinion(id) => Some(format!("opinion:{id}")),
            Record::Letter(id) => Some(format!("letter:{id}")),
            Record::Circular(id) => Some(format!("circular:{id}")),
            Record::None => None,
        }
    }
}

/// What the caller asks to issue.
#[derive(Debug, Clone)]
pub struct IssueRequest {
    pub kind: String,
    /// The title printed on the notice (the template's).
    pub title: String,
    pub record: Record,
    pub record_label: String,
    pub template_version: u32,
    pub template_sha256: String,
}

/// The number and date allocated to a notice, given to the renderer inside the transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocated {
    pub number: String,
    pub year: i32,
    pub serial: u32,
    pub date: NaiveDate,
    /// The office's name as signed on the notice.
    pub office_name: String,
}

/// The office's name as signed on notices.
pub fn office_name(conn: &Connection, office: &str) -> Result<String> {
    conn.prepare_cached("SELECT name FROM offices WHERE code = ?1")?
        .query_row([office], |r| r.get(0))
        .optional()?
        .ok_or(CoreError::NotInitialized)
}

/// The posts that may issue `kind` for `record`: the step of the record the notice belongs to.
fn issue_action(conn: &Connection, office: &str, info: &KindInfo, record: &Record) -> Result<Action> {
    let office = office.to_owned();
    Ok(match record {
        // Notices to the reporter name them: only petitions, who may read the identity, issue
        // them (DOMAIN.md §2, confidentiality).
        Record::Complaint(_) if info.to_reporter => Action::Complaint { office, act: ComplaintAct::Notify },
        Record::Complaint(id) => {
            let department: Option<String> = conn
                .prepare_cached("SELECT department FROM complaints WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?
                .flatten();
            let department = department
                .as_deref()
                .map(Role::parse)
                .transpose()?
                .ok_or_else(|| CoreError::invalid("该检举控告尚未移送承办部门，不能由承办部门签发文书。"))?;
            Action::Complaint { office, act: ComplaintAct::Handle { department } }
        }
        Record::Penalty(_) => Action::Penalty { office, act: PenaltyAct::Submit { rectification: false } },
        Record::Checklist(_) => Action::Penalty { office, act: PenaltyAct::Submit { rectification: true } },
        Record::Opinion(_) => {
            crate::portrait::workflow::step_action(&office, crate::portrait::workflow::OpinionStep::Reply)
        }
        Record::Letter(_) | Record::Circular(_) => {
            crate::supervision::workflow::action(&office, crate::authz::SupervisionAct::Handle)
        }
        Record::None => Action::Notice { office, act: NoticeAct::IssueFree },
    })
}

/// The number the next notice of `kind` would get today (for a preview; it is not reserved).
pub fn next_number(store: &Store, kind: &str) -> Result<String> {
    let info = kind_info(kind)?;
    let office = store.office()?;
    let year = store.clock().today().year();
    let serial = next_serial(store.conn(), &office, info.id, year)?;
    Ok(format_number(&office_short_name(&office_name(store.conn(), &office)?), info, year, serial))
}

fn next_serial(conn: &Connection, office: &str, kind: &str, year: i32) -> Result<u32> {
    let last: Option<u32> = conn
        .prepare_cached("SELECT max(serial) FROM issued_documents WHERE office_code = ?1 AND kind = ?2 AND year = ?3")?
        .query_row(params![office, kind, year], |r| r.get(0))?;
    Ok(last.unwrap_or(0) + 1)
}

/// Issues a notice: in one write transaction, checks the actor's post for the record, allocates
/// the next number for (office, kind, year), calls `render` with it, stores the PDF, records
/// `document.issued` on the record's aggregate (and the duty it meets), and commits. An error
/// from `render`, a refusal or any failure rolls everything back: no number is consumed.
pub fn issue<E: From<CoreError>>(
    store: &mut Store,
    actor: &Actor,
    req: &IssueRequest,
    render: impl FnOnce(&Allocated) -> std::result::Result<Vec<u8>, E>,
) -> std::result::Result<IssuedDocument, E> {
    let info = kind_info(&req.kind)?;
    let office = store.office()?;
    let action = issue_action(store.conn(), &office, info, &req.record)?;
    let document_id = uuid::Uuid::now_v7().to_string();
    let aggregate = req.record.aggregate().unwrap_or_else(|| format!("document:{document_id}"));
    // The renderer's own error is kept here and returned as itself; the core only sees that the
    // decision failed, which rolls the transaction back.
    let mut render_error: Option<E> = None;
    let outcome = store.execute(actor, action, |tx, ctx| {
        if info.once_per_record {
            let earlier: Option<String> = tx
                .prepare_cached("SELECT number FROM issued_documents WHERE aggregate = ?1 AND kind = ?2 LIMIT 1")?
                .query_row(params![aggregate, info.id], |r| r.get(0))
                .optional()?;
            if let Some(n) = earlier {
                return Err(CoreError::invalid(format!(
                    "该记录已签发{}（{n}），不能重复签发；如需再次打印，请在发文登记中“重新打印”。",
                    info.name
                )));
            }
        }
        let date = ctx.now.with_timezone(&business_zone()).date_naive();
        let year = date.year();
        let serial = next_serial(tx, &office, info.id, year)?;
        let name = office_name(tx, &office)?;
        let allocated = Allocated {
            number: format_number(&office_short_name(&name), info, year, serial),
            year,
            serial,
            date,
            office_name: name,
        };
        let pdf = match render(&allocated) {
            Ok(pdf) => pdf,
            Err(e) => {
                render_error = Some(e);
                return Err(CoreError::invalid("文书生成失败，未签发。"));
            }
        };
        if pdf.is_empty() {
            return Err(CoreError::invalid("文书生成结果为空，未签发。"));
        }
        let pdf_sha256 = crate::blobs::put(tx, &pdf)?;
        let mut events = vec![NewEvent::new(
            kind::DOCUMENT_ISSUED,
            aggregate.clone(),
            &DocumentIssued {
                document_id: document_id.clone(),
                office_code: office.clone(),
                kind: info.id.into(),
                title: req.title.clone(),
                year,
                serial,
                number: allocated.number.clone(),
                record: aggregate.clone(),
                record_label: req.record_label.clone(),
                template_version: req.template_version,
                template_sha256: req.template_sha256.clone(),
                pdf_sha256,
                pdf_size: pdf.len() as u64,
                issue_date: date.to_string(),
            },
        )?];
        // The reply to an opinion request is the request's last step: the workflow checks it (the
        // leader approved, no conclusion reveals a reporter) and it is recorded with the number.
        if let Record::Opinion(id) = &req.record {
            use crate::portrait::{events::IntegrityEvent, state, workflow};
            let o = state::existing_opinion(tx, id, date)?;
            let command =
                workflow::OpinionCommand::Reply { number: allocated.number.clone(), document_id: document_id.clone() };
            for e in workflow::decide(&o, &office, actor, &command, date)? {
                events.push(IntegrityEvent::Opinion(e).encode()?);
            }
        }
        // Issuing a letter is its first step after drafting (its feedback then falls due); issuing
        // a circular is its only one. Both are checked by the workflow and recorded with the number.
        if let Record::Letter(id) = &req.record {
            use crate::supervision::{events::LetterEvent, state, workflow};
            let l = state::existing_letter(tx, id)?;
            let expected = workflow::notice_kind(l.kind);
            if info.id != expected {
                return Err(CoreError::invalid(format!(
                    "该文书是{}，请以“{}”签发，不能签发为{}。",
                    l.kind.label(),
                    l.kind.label(),
                    info.name
                )));
            }
            let command =
                workflow::LetterCommand::Issue { number: allocated.number.clone(), document_id: document_id.clone() };
            for e in workflow::decide(&l, &office, actor, &command, date)? {
                events.push(LetterEvent::encode(&e)?);
            }
        }
        if let Record::Circular(id) = &req.record {
            use crate::supervision::{events::SupervisionEvent, state, workflow};
            let status = state::circular_status(tx, id)?;
            let e =
                workflow::issue_circular(status.as_deref(), id, &office, actor, &allocated.number, &document_id, date)?;
            events.push(SupervisionEvent::Circular(e).encode()?);
        }
        if let Record::Complaint(id) = &req.record {
            // Issuing the acceptance notice or the result feedback meets that duty when the
            // workflow says it is still owed (`workflow::owes`, the rule the step itself reads).
            let duty = match info.id {
                "acceptance" => Some(DeadlineKind::AcceptanceNotice),
                "result_feedback" => Some(DeadlineKind::ResultFeedback),
                _ => None,
            };
            if let Some(deadline) = duty
                && crate::complaints::workflow::owes(&crate::complaints::state::existing(tx, id)?, deadline).is_ok()
            {
                let act = DatedAct {
                    complaint_id: id.clone(),
                    date: date.to_string(),
                    note: format!("签发{} {}", info.name, allocated.number),
                    ..DatedAct::default()
                };
                let event = match deadline {
                    DeadlineKind::AcceptanceNotice => ComplaintEvent::AcceptanceNotified(act),
                    _ => ComplaintEvent::FeedbackGiven(act),
                };
                events.push(event.encode(&aggregate)?);
            }
        }
        Ok(Decision::events(events))
    });
    match outcome {
        Ok(_) => Ok(find_by_id(store.conn(), &document_id)?),
        Err(e) => Err(render_error.take().unwrap_or_else(|| E::from(e))),
    }
}

const DOCUMENT_COLUMNS: &str = "d.id, d.kind, d.title, d.number, d.year, d.serial, d.aggregate, d.record_label,
    d.template_version, d.pdf_sha256, d.pdf_size, d.issue_date, coalesce(u.display_name, d.issued_by), d.issued_at,
    EXISTS (SELECT 1 FROM issued_documents o WHERE o.office_code = d.office_code AND o.kind = d.kind
            AND o.year = d.year AND o.serial = d.serial AND o.id <> d.id)";

fn document_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<IssuedDocument> {
    let kind: String = r.get(1)?;
    let issued_at: String = r.get(13)?;
    Ok(IssuedDocument {
        id: r.get(0)?,
        kind_name: kind_info(&kind).map(|k| k.name).unwrap_or("").to_owned(),
        kind,
        title: r.get(2)?,
        number: r.get(3)?,
        year: r.get(4)?,
        serial: r.get(5)?,
        aggregate: r.get(6)?,
        record_label: r.get(7)?,
        template_version: r.get(8)?,
        pdf_sha256: r.get(9)?,
        pdf_size: r.get::<_, i64>(10)? as u64,
        issue_date: r.get(11)?,
        issued_by: r.get(12)?,
        issued_at: crate::clock::display_stored(&issued_at),
        duplicate_number: r.get(14)?,
    })
}

fn find_by_id(conn: &Connection, id: &str) -> Result<IssuedDocument> {
    conn.prepare_cached(&format!(
        "SELECT {DOCUMENT_COLUMNS} FROM issued_documents d LEFT JOIN users u ON u.id = d.issued_by WHERE d.id = ?1"
    ))?
    .query_row([id], document_from_row)
    .optional()?
    .ok_or_else(|| CoreError::NotFound { what: "已签发文书", id: id.to_owned() })
}

/// Filters for the register.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DocumentFilter {
    pub year: Option<i32>,
    pub kind: Option<String>,
    /// Only the notices of one record (`complaint:<id>`, …).
    pub aggregate: Option<String>,
}

/// The register of issued documents (发文登记) of this office, newest first.
pub fn list(store: &Store, actor: &Actor, filter: &DocumentFilter) -> Result<Vec<IssuedDocument>> {
    let office = store.office()?;
    authorize(actor, &Action::Notice { office: office.clone(), act: NoticeAct::View })?;
    if let Some(k) = filter.kind.as_deref() {
        kind_info(k)?;
    }
    let mut stmt = store.conn().prepare_cached(&format!(
        "SELECT {DOCUMENT_COLUMNS} FROM issued_documents d LEFT JOIN users u ON u.id = d.issued_by
         WHERE d.office_code = ?1 AND (?2 IS NULL OR d.year = ?2) AND (?3 IS NULL OR d.kind = ?3)
            AND (?4 IS NULL OR d.aggregate = ?4)
         ORDER BY d.issued_at DESC, d.kind, d.serial DESC"
    ))?;
    let rows = stmt.query_map(params![office, filter.year, filter.kind, filter.aggregate], document_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One issued document, by id or by its number.
pub fn find(store: &Store, actor: &Actor, id_or_number: &str) -> Result<IssuedDocument> {
    let office = store.office()?;
    authorize(actor, &Action::Notice { office: office.clone(), act: NoticeAct::View })?;
    let key = id_or_number.trim();
    let ids: Vec<String> = store
        .conn()
        .prepare_cached(
            "SELECT id FROM issued_documents WHERE office_code = ?1 AND (id = ?2 OR number = ?2) ORDER BY id = ?2 DESC",
        )?
        .query_map(params![office, key], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    match ids.as_slice() {
        [] => Err(CoreError::NotFound { what: "已签发文书（编号或文号）", id: key.to_owned() }),
        // An id is unique; a number names two documents only when two devices issued it offline.
        [one] => find_by_id(store.conn(), one),
        [first, ..] if first == key => find_by_id(store.conn(), first),
        several => Err(CoreError::invalid(format!(
            "文号 {key} 对应 {} 份文书（本单位两台设备离线时各自签发了同一文号）。请在发文登记中按编号选择其中一份：{}。",
            several.len(),
            several.join("、")
        ))),
    }
}

/// The stored PDF of an issued document, checked against the hash recorded when it was issued,
/// for re-printing: the same bytes as the issued copy. A notice to the reporter names them, so
/// its PDF is given only to the posts that may read the reporter's identity, and the reading is
/// logged like any other (DOMAIN.md §2); the register itself shows no name.
pub fn pdf(store: &mut Store, actor: &Actor, id_or_number: &str) -> Result<(IssuedDocument, Vec<u8>)> {
    let doc = find(store, actor, id_or_number)?;
    if kind_info(&doc.kind)?.to_reporter
        && let Some(complaint) = doc.aggregate.strip_prefix("complaint:")
    {
        let purpose = format!("重新打印{}（{}）", doc.title, doc.number);
        crate::complaints::ops::reveal_reporter(store, actor, complaint, &purpose)?;
    }
    let bytes = crate::blobs::get(store.conn(), &doc.pdf_sha256, || {
        format!("文书 {} 的PDF与签发时记录的哈希不符，已拒绝使用。", doc.number)
    })?
    .ok_or_else(|| {
        CoreError::invalid(format!(
            "文书 {} 的PDF传输中：它在另一台设备上签发，内容随同步而来。联网同步后即可重新打印。",
            doc.number
        ))
    })?;
    Ok((doc, bytes))
}

/// Applies `notice.template_saved` and `document.issued` to their tables.
pub(crate) fn project(tx: &Transaction<'_>, event: &Event, at: &str) -> Result<()> {
    match event.kind.as_str() {
        kind::NOTICE_TEMPLATE_SAVED => {
            let p: TemplateSaved = event.payload()?;
            tx.prepare_cached(
                "INSERT OR IGNORE INTO notice_templates
                    (office_code, kind, version, title, source, sha256, origin, saved_by, saved_at, active)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0)",
            )?
            .execute(params![
                p.office_code,
                p.kind,
                p.version,
                p.title,
                p.source,
                p.sha256,
                event.id,
                event.actor,
                at
            ])?;
            set_active(tx, &p.office_code, &p.kind)?;
        }
        kind::DOCUMENT_ISSUED => {
            let p: DocumentIssued = event.payload()?;
            // INSERT OR REPLACE: re-projecting an aggregate after an ownership change replays
            // its events over rows it already holds.
            tx.prepare_cached(
                "INSERT OR REPLACE INTO issued_documents
                    (id, office_code, kind, title, year, serial, number, aggregate, record_label, template_version,
                     template_sha256, pdf_sha256, pdf_size, issue_date, issued_by, issued_at, event_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            )?
            .execute(params![
                p.document_id,
                p.office_code,
                p.kind,
                p.title,
                p.year,
                p.serial,
                p.number,
                event.aggregate,
                p.record_label,
                p.template_version,
                p.template_sha256,
                p.pdf_sha256,
                p.pdf_size as i64,
                p.issue_date,
                event.actor,
                at,
                event.id,
            ])?;
        }
        other => return Err(CoreError::Encoding(format!("unknown event kind {other} (event {})", event.id))),
    }
    Ok(())
}

/// This office's name as signed on notices.
pub fn our_office_name(store: &Store) -> Result<String> {
    office_name(store.conn(), &store.office()?)
}

/// Whether any of `texts` contains the reporter's name, unit, contact or address (of a
/// complaint that has a reporter), without telling the caller what they are: a notice to the
/// people reported on must carry none of them (DOMAIN.md §2), and the officers who write such
/// notices may not read the identity themselves.
pub fn reveals_reporter(store: &Store, complaint_id: &str, texts: &[&str]) -> Result<bool> {
    let row: Option<Vec<Option<String>>> = store
        .conn()
        .prepare_cached(
            "SELECT reporter_name, reporter_unit, reporter_contact, reporter_address FROM complaints
             WHERE id = ?1 AND anonymous = 0",
        )?
        .query_row([complaint_id], |r| (0..4).map(|i| r.get(i)).collect())
        .optional()?;
    let Some(details) = row else {
        return Ok(false);
    };
    // A single character would match unrelated words; two-character names (王五) are checked.
    let secrets: Vec<String> =
        details.into_iter().flatten().map(|s| s.trim().to_owned()).filter(|s| s.chars().count() >= 2).collect();
    Ok(texts.iter().any(|t| secrets.iter().any(|s| t.contains(s.as_str()))))
}
