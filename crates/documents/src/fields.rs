//! From a record to a notice's fields: the state checks that say whether the notice belongs to
//! the record now, the values taken from the record, the values the officer may add, and the
//! confidentiality rules of DOMAIN.md §2.

use chrono::NaiveDate;
use qingfeng_core::Store;
use qingfeng_core::authz::Actor;
use qingfeng_core::complaints::query::ComplaintDetail;
use qingfeng_core::complaints::{ComplaintChannel, ComplaintStatus, ops, query};
use qingfeng_core::deadlines::DeadlineKind;
use qingfeng_core::documents::{self as core_docs, Record};
use qingfeng_core::library::model::CitationView;
use qingfeng_core::library::query as library_query;
use qingfeng_core::penalty::query::{self as penalty_query, PenaltyDetail};
use qingfeng_core::penalty::{ItemStatus, RectificationSource};
use qingfeng_notice::{Fields, NoticeKind, Template};

use crate::error::{DocumentError, Result};
use crate::templates;

/// A notice ready to render: its template, its fields, and what the register records.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub template: Template,
    pub template_sha256: String,
    pub fields: Fields,
    pub record: Record,
    /// How the register names the record (the complaint's or the decision's number).
    pub record_label: String,
    /// The fields taken from the record, which the officer may not change.
    pub locked: Vec<String>,
}

fn wrong(kind: NoticeKind, reason: impl Into<String>) -> DocumentError {
    DocumentError::WrongState { kind: kind.name_zh(), reason: reason.into() }
}

fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| DocumentError::Invalid(format!("记录中的日期“{s}”无效，请联系系统管理员。")))
}

/// How the channel reads after 通过 in a notice.
fn channel_phrase(c: ComplaintChannel) -> &'static str {
    match c {
        ComplaintChannel::Letter => "来信",
        ComplaintChannel::Visit => "来访",
        ComplaintChannel::Phone => "12388举报电话",
        ComplaintChannel::Web => "网络举报平台",
    }
}

/// What a reporter is told they reported: the names they gave (or units, for a unit reported
/// on), never the officer's notes on post, level or handling. The reporter knows whom they
/// reported; nothing else of the case reaches them through a notice.
fn reported_matter(detail: &ComplaintDetail) -> String {
    let names: Vec<&str> = detail
        .subject_details
        .iter()
        .map(|s| if s.name.trim().is_empty() { s.unit.trim() } else { s.name.trim() })
        .filter(|s| !s.is_empty())
        .collect();
    match names.as_slice() {
        [] => "有关问题".into(),
        [one] => format!("{one}有关问题"),
        [first, second] => format!("{first}、{second}有关问题"),
        [first, rest @ ..] => format!("{first}等{}人（单位）有关问题", rest.len() + 1),
    }
}

/// Removes the full stop an officer's note usually ends with, for text spliced into a sentence.
fn clause(s: &str) -> String {
    s.trim().trim_end_matches(['。', '；', '，', '.', ';']).to_owned()
}

/// Builds the notice for `req`: checks the record's state, fills the fields, adds the officer's
/// values and checks the whole against the template.
/// With `check` false the values are not checked against the template's required fields: a
/// form being filled in may still lack them.
pub(crate) fn prepare(store: &mut Store, actor: &Actor, req: &crate::NoticeRequest, check: bool) -> Result<Prepared> {
    let (template, view) = templates::active(store, req.kind)?;
    let kind = req.kind;
    // Values taken from the record; `locked` ones may not be replaced by hand, because the
    // register must match the record (who was told, which decision was served).
    let mut fields = Fields::new();
    let mut locked: Vec<&str> = Vec::new();
    let mut record_label = String::new();
    // For notices to the people reported on or to units: texts that must not carry the reporter.
    let mut guard_complaint: Option<String> = None;
    // For notices to the reporter: the complaint whose reporter's name is needed.
    let mut reveal_for: Option<String> = None;
    match (&req.record, kind) {
        (Record::Complaint(id), NoticeKind::Acceptance | NoticeKind::NonAcceptance | NoticeKind::ResultFeedback) => {
            let detail = query::show(store, actor, id)?;
            let s = &detail.summary;
            record_label = s.number.clone();
            if s.anonymous {
                return Err(wrong(
                    kind,
                    match kind {
                        NoticeKind::ResultFeedback => {
                            "匿名检举控告无法反馈处理结果（结果反馈只向实名检举控告人作出）。"
                        }
                        _ => "匿名检举控告没有可告知的检举控告人。",
                    },
                ));
            }
            match kind {
                NoticeKind::Acceptance => {
                    // Who is owed an acceptance notice is the workflow's rule, written once there.
                    let state = qingfeng_core::complaints::state::of(store, id)?;
                    if let Some(refusal) = qingfeng_core::complaints::workflow::acceptance_notice_refusal(&state) {
                        return Err(wrong(kind, refusal));
                    }
                }
                NoticeKind::NonAcceptance => {
                    if s.status != ComplaintStatus::NotAccepted {
                        return Err(wrong(
                            kind,
                            format!("该检举控告当前状态为“{}”，只有筛选为“不予受理”的才签发本告知书。", s.status_label),
                        ));
                    }
                    let reason = detail.outcome_note.as_deref().map(clause).unwrap_or_default();
                    if !reason.is_empty() {
                        fields.set("reason", reason);
                    }
                    if let Some(r) = detail.refer_to.as_deref().filter(|r| !r.trim().is_empty()) {
                        fields.set("redirect_to", r.trim());
                    }
                }
                _ => {
                    if !s.real_name {
                        return Err(wrong(kind, "结果反馈只向实名检举控告人作出；本件不是实名检举控告。"));
                    }
                    if s.status != ComplaintStatus::Concluded {
                        return Err(wrong(
                            kind,
                            format!("该检举控告当前状态为“{}”，办结后才能反馈处理结果。", s.status_label),
                        ));
                    }
                    if let Some(r) = detail.result.as_deref() {
                        fields.set("result", r.trim());
                    }
                }
            }
            // The name is read last, once everything else is known to be in order, because
            // the reading is logged.
            reveal_for = Some(id.clone());
            fields.set("received_date", date(&s.received_date)?);
            fields.set("subject", reported_matter(&detail));
            locked.extend(["reporter_name", "received_date", "subject"]);
            if kind != NoticeKind::ResultFeedback {
                fields.set("channel", channel_phrase(s.channel));
                locked.push("channel");
            }
        }
        (Record::Complaint(id), NoticeKind::Inquiry) => {
            let detail = query::show(store, actor, id)?;
            let s = &detail.summary;
            record_label = s.number.clone();
            if s.status != ComplaintStatus::Inquiry {
                return Err(wrong(
                    kind,
                    format!("该检举控告当前状态为“{}”，经领导批准采取谈话函询方式处置后才能发函询函。", s.status_label),
                ));
            }
            // The letter goes to a person reported on: it names them and nothing of the
            // complaint (its content and the reporter never reach them).
            let person = detail
                .subject_details
                .iter()
                .map(|p| p.name.trim())
                .find(|n| !n.is_empty())
                .ok_or_else(|| wrong(kind, "被反映的只有单位，没有可函询的个人；请按对单位的方式处理。"))?;
            fields.set("person_name", person);
            let due = detail
                .deadlines
                .iter()
                .find(|d| d.kind == DeadlineKind::InquiryReply && d.status == "open")
                .map(|d| date(&d.due))
                .transpose()?;
            if let Some(due) = due
                && template.fields().iter().any(|f| f.name == "reply_due")
            {
                fields.set("reply_due", due);
                locked.push("reply_due");
            }
            // The officer may address another person reported in the same complaint.
            let names: Vec<String> = detail.subject_details.iter().map(|p| p.name.trim().to_owned()).collect();
            if let Some((_, v)) = req.fields.iter().find(|(n, _)| n == "person_name")
                && !names.iter().any(|n| n == v.trim())
            {
                return Err(DocumentError::Invalid(format!(
                    "被函询人“{}”不是本件的被反映人，请从被反映人中选择（{}）。",
                    v.trim(),
                    names.join("、")
                )));
            }
            guard_complaint = Some(id.clone());
        }
        (
            Record::Penalty(id),
            NoticeKind::ServiceReceipt | NoticeKind::Announcement | NoticeKind::NotificationLetter,
        ) => {
            let detail = penalty_query::show(store, actor, id)?;
            record_label = detail.decision_number.clone();
            if detail.status == "executed" {
                return Err(wrong(kind, "该处分决定已执行完毕。"));
            }
            let person = detail.form.person.name.trim().to_owned();
            let title = decision_title(&detail);
            // The person penalised was often reported by someone: nothing of the reporter may
            // reach them or the bodies told of the decision.
            guard_complaint = detail.form.complaint_id.clone();
            match kind {
                NoticeKind::ServiceReceipt => {
                    let serve = item(&detail, "serve");
                    if serve.is_some_and(|s| s == ItemStatus::Approved) {
                        return Err(wrong(
                            kind,
                            "送达事项已审核通过，送达回执已无需再制作；如需副本请重新打印已签发的回执。",
                        ));
                    }
                    fields.set("document_title", title);
                    fields.set("document_number", detail.decision_number.trim());
                    fields.set("recipient", person);
                    fields.set("serving_office", detail.form.deciding_body.trim());
                    locked.extend(["document_title", "document_number", "recipient"]);
                }
                NoticeKind::Announcement => {
                    match item(&detail, "announce") {
                        None => return Err(wrong(kind, "该处分决定的执行清单没有“宣布”事项。")),
                        Some(ItemStatus::Pending) => {
                            return Err(wrong(kind, "须先送达处分决定（送达事项审核通过）后才能宣布。"));
                        }
                        Some(ItemStatus::Approved) => {
                            return Err(wrong(kind, "宣布事项已审核通过；如需副本请重新打印已签发的宣布记录。"));
                        }
                        Some(_) => {}
                    }
                    fields.set("person", person);
                    fields.set("decision_title", format!("《{title}》"));
                    fields.set("decision_number", detail.decision_number.trim());
                    locked.extend(["person", "decision_title", "decision_number"]);
                }
                _ => {
                    if item(&detail, "notify_bodies").is_none() {
                        return Err(wrong(
                            kind,
                            "被处分人不是人大代表、政协委员或党外干部，执行清单中没有“函告”事项。",
                        ));
                    }
                    let p = &detail.form.person;
                    let who = format!("{}{}{}", p.unit.trim(), p.post.trim(), p.name.trim());
                    let mut status = Vec::new();
                    if p.deputy {
                        status.push("人大代表");
                    }
                    if p.cppcc_member {
                        status.push("政协委员");
                    }
                    if p.non_party_cadre {
                        status.push("党外干部");
                    }
                    fields.set(
                        "content",
                        format!(
                            "{who}系{}。经{}研究，决定给予其{}处分（{}）。\n根据有关规定，现将有关情况函告你们。",
                            status.join("、"),
                            detail.form.deciding_body.trim(),
                            sanction_phrase(&detail),
                            detail.decision_number.trim()
                        ),
                    );
                }
            }
        }
        (Record::Checklist(id), NoticeKind::Rectification) => {
            let detail = penalty_query::show_checklist(store, actor, id)?;
            record_label = detail.title.clone();
            if detail.status == "done" {
                return Err(wrong(kind, "该整改清单的事项已全部完成。"));
            }
            let open: Vec<_> = detail.items.iter().filter(|i| i.status != ItemStatus::Approved).collect();
            let mut units: Vec<&str> = open.iter().map(|i| i.responsible_unit.trim()).collect();
            units.dedup();
            if let [unit] = units.as_slice() {
                fields.set("unit", *unit);
            }
            let source = RectificationSource::parse(&detail.source).map_or(detail.source.as_str(), |s| s.label());
            fields.set("source", source);
            let numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
            let problems: Vec<String> = open
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let n = numerals.get(i).map(|s| (*s).to_owned()).unwrap_or_else(|| (i + 1).to_string());
                    format!("（{n}）{}", clause(&item.title))
                })
                .collect();
            fields.set("problems", problems.join("。\n") + "。");
            if let Some(due) = open.iter().filter_map(|i| i.due.as_deref()).max() {
                fields.set("deadline", date(due)?);
            }
        }
        (Record::Opinion(id), NoticeKind::IntegrityReply) => {
            let draft = qingfeng_core::portrait::query::reply_draft(store, actor, id)?;
            if draft.status != qingfeng_core::portrait::OpinionStatus::Approved {
                return Err(wrong(kind, format!("本件当前为“{}”，领导批准后才能签发回复。", draft.status.label())));
            }
            record_label = draft.request_ref.clone();
            fields.set("recipient_org", draft.requester);
            fields.set("request_ref", draft.request_ref);
            fields.set("purpose", draft.purpose);
            fields.set("persons", draft.persons);
            locked.extend(["recipient_org", "request_ref", "persons"]);
        }
        (Record::Letter(id), NoticeKind::SupervisionSuggestion | NoticeKind::ReminderLetter) => {
            let draft = qingfeng_core::supervision::query::letter_draft(store, actor, id)?;
            if draft.status != qingfeng_core::supervision::LetterStatus::Drafted {
                return Err(wrong(kind, format!("本件当前为“{}”，已签发过，不能重复签发。", draft.status.label())));
            }
            let expected = qingfeng_core::supervision::workflow::notice_kind(draft.kind);
            if kind.as_str() != expected {
                return Err(wrong(kind, format!("该文书是{}，请以“{}”签发。", draft.kind.label(), draft.kind.label())));
            }
            record_label = format!("{}（{}）", draft.title, draft.unit);
            fields.set("unit", draft.unit);
            fields.set("problems", draft.problems);
            fields.set("suggestions", draft.suggestions);
            fields.set("feedback_period", draft.feedback_period);
            locked.extend(["unit", "problems", "feedback_period"]);
            if let Some(topic) = draft.topic {
                fields.set("topic", topic.label());
                locked.push("topic");
            }
        }
        (Record::Circular(id), NoticeKind::Circular) => {
            let draft = qingfeng_core::supervision::query::circular_draft(store, actor, id)?;
            if draft.issued {
                return Err(wrong(kind, "该通报已签发，不能重复签发。"));
            }
            record_label = draft.title.clone();
            fields.set("period", draft.period);
            fields.set("count", draft.count.to_string());
            fields.set("units", draft.units);
            locked.extend(["period", "count", "units"]);
        }
        (Record::None, _) => {}
        (record, _) => {
            let what = match record {
                Record::Complaint(_) => "检举控告",
                Record::Penalty(_) => "处分决定",
                Record::Checklist(_) => "整改清单",
                Record::Opinion(_) => "廉政意见征求函",
                Record::Letter(_) => "监督建议或提醒函",
                Record::Circular(_) => "监督通报",
                Record::None => "",
            };
            return Err(DocumentError::Invalid(format!(
                "{}不能依{what}签发。检举控告可签发受理告知书、不予受理告知书、结果反馈和函询函；处分决定可签发送达回执、宣布记录和函告；整改清单可签发整改通知书；廉政意见征求函可签发廉政意见回复；监督建议或提醒函签发为监督建议书或提醒函；监督通报签发为监督通报。",
                kind.name_zh()
            )));
        }
    }
    if matches!(req.record, Record::None) {
        record_label = "手工填写".into();
    }
    // The articles cited on the record (资料袋) are the notice's basis where the template has one
    // (DOMAIN.md §3: a citation shows in the printed notice where it belongs). Not locked: the
    // officer may reword it, and a value typed in replaces it below.
    if template.fields().iter().any(|f| f.name == "basis")
        && let Some(aggregate) = req.record.aggregate()
    {
        let cited = library_query::citations(store, actor, &aggregate, None)?;
        if let Some(basis) = basis_of(&cited) {
            fields.set("basis", basis);
        }
    }
    for (name, value) in &req.fields {
        if locked.contains(&name.as_str()) {
            let label = template.fields().iter().find(|f| &f.name == name).map(|f| f.label.clone()).unwrap_or_default();
            return Err(DocumentError::Invalid(format!(
                "“{label}”（{name}）取自记录，不能手工填写；如记录有误，请先更正记录。"
            )));
        }
        fields.set(name, template.parse_value(name, value)?);
    }
    if let Some(id) = reveal_for {
        let purpose = format!("签发{}", kind.name_zh());
        let reporter = ops::reveal_reporter(store, actor, &id, &purpose)?
            .ok_or_else(|| wrong(kind, "该检举控告没有检举控告人信息。"))?;
        let name = match reporter.name.trim() {
            "" => reporter.unit.as_deref().unwrap_or_default().trim().to_owned(),
            n => n.to_owned(),
        };
        fields.set("reporter_name", name);
    }
    if let Some(complaint_id) = guard_complaint {
        let texts: Vec<String> = fields
            .0
            .values()
            .filter_map(|v| match v {
                qingfeng_notice::FieldValue::Text(t) => Some(t.clone()),
                _ => None,
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        if core_docs::reveals_reporter(store, &complaint_id, &refs)? {
            return Err(DocumentError::Invalid(
                "文书中出现了检举控告人的姓名、单位、联系方式或住址：发给被反映人的文书不得透露检举控告人的任何信息，请删除后再生成。"
                    .into(),
            ));
        }
    }
    if check {
        template.check(&fields)?;
    }
    Ok(Prepared {
        template,
        template_sha256: view.sha256,
        fields,
        record: req.record.clone(),
        record_label,
        locked: locked.into_iter().map(str::to_owned).collect(),
    })
}

/// The status of a penalty's execution item of this kind, if the checklist has one.
fn item(detail: &PenaltyDetail, code: &str) -> Option<ItemStatus> {
    detail.items.iter().find(|i| i.kind == code).map(|i| i.status)
}

/// The penalties as a decision's title says them: 党内警告、政务记过.
fn sanction_phrase(detail: &PenaltyDetail) -> String {
    let mut parts = Vec::new();
    if let Some(p) = detail.form.party_penalty {
        parts.push(match (p, detail.form.probation_years) {
            (qingfeng_core::penalty::PartyPenalty::Probation, Some(y)) => format!("留党察看{y}年"),
            _ => p.label().to_owned(),
        });
    }
    if let Some(s) = detail.form.government_sanction {
        let label = s.label();
        parts.push(if label.starts_with("政务") { label.to_owned() } else { format!("政务{label}") });
    }
    if parts.is_empty() { detail.penalty_label.clone() } else { parts.join("、") }
}

/// The decision's title as served: 关于给予刘某某党内警告处分的决定.
fn decision_title(detail: &PenaltyDetail) -> String {
    format!("关于给予{}{}处分的决定", detail.form.person.name.trim(), sanction_phrase(detail))
}

/// The cited articles as a notice names them: "《A》第七条、第八条、《B》第八条", each article
/// once, documents in the order first cited.
fn basis_of(cited: &[CitationView]) -> Option<String> {
    let mut documents: Vec<(&str, Vec<&str>)> = Vec::new();
    for c in cited {
        match documents.iter_mut().find(|(title, _)| *title == c.document_title) {
            Some((_, articles)) if articles.contains(&c.article_label.as_str()) => {}
            Some((_, articles)) => articles.push(&c.article_label),
            None => documents.push((&c.document_title, vec![&c.article_label])),
        }
    }
    (!documents.is_empty()).then(|| {
        documents
            .iter()
            .map(|(title, articles)| format!("《{title}》{}", articles.join("、")))
            .collect::<Vec<_>>()
            .join("、")
    })
}
