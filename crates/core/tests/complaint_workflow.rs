//! The rules of the complaint workflow as tables, in given / when / then form and without a
//! database (cqrs-es's `TestFramework` is the model): given a complaint in a state, when a post
//! takes a step, then these events — or this refusal. The table covers every step from every
//! state for every post; the steps the workflow offers (`allowed`, the page's buttons) must be
//! exactly those its check lets through; further tables cover what each event opens and closes,
//! and that a deadline rule travels in its event so a rebuild never moves an old due date.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use qingfeng_core::CoreError;
use qingfeng_core::api::RoleGrant;
use qingfeng_core::authz::{Actor, Principal};
use qingfeng_core::complaints::events::ComplaintEvent;
use qingfeng_core::complaints::workflow::{self, Approval, Command, Complaint, Dated, Duty, Meta, Office, STEPS, Step};
use qingfeng_core::complaints::*;
use qingfeng_core::deadlines::{DeadlineKind, Rule};
use qingfeng_core::identity::Role;

const HERE: &str = "530102";
const PARENT: &str = "530100";
const BELOW: &str = "530102001";
const TODAY: &str = "2026-09-28";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn today() -> NaiveDate {
    d(TODAY)
}

// ---------------------------------------------------------------------------------------------
// The framework: posts, givens, when, then.

/// The columns of every table: one officer per post of the office, and a leader who also heads
/// 监督检查室 and asked for the approval pending in the givens that have one (so may not decide it).
const POSTS: [&str; 8] =
    ["admin", "petitions", "supervision", "investigation", "case_management", "trial", "leader", "requester"];

fn officer(id: &str, roles: &[Role]) -> Actor {
    Actor::User(Principal {
        user_id: id.into(),
        username: id.into(),
        display_name: id.into(),
        office_code: HERE.into(),
        grants: roles.iter().map(|&role| RoleGrant { office_code: HERE.into(), role }).collect(),
        session_id: String::new(),
    })
}

fn post(name: &str) -> Actor {
    match name {
        "requester" => officer("requester", &[Role::Supervision, Role::Leader]),
        other => officer(other, &[Role::parse(other).unwrap()]),
    }
}

fn office() -> Office {
    Office {
        code: HERE.into(),
        parent: Some(PARENT.into()),
        children: vec![BELOW.into()],
        below: vec![BELOW.into()],
        directory: vec![],
    }
}

/// A first real-name complaint received a week ago, registered here and not yet screened: the
/// acceptance notice is owed.
fn registered() -> Complaint {
    Complaint {
        id: "c-1".into(),
        status: ComplaintStatus::Registered,
        department: None,
        anonymous: false,
        real_name: true,
        received_date: d("2026-09-21"),
        disposal: None,
        repeat_of: None,
        owner: HERE.into(),
        owner_name: "五华区纪委监委".into(),
        open: vec![DeadlineKind::AcceptanceNotice],
        approvals: vec![],
        stage: None,
        detention_start: None,
        detention_extended: false,
        detention_ended: None,
    }
}

fn approval(request: ApprovalAction, status: &str, office: &str) -> Approval {
    Approval {
        id: "a-1".into(),
        request,
        requested_by: "requester".into(),
        office: Some(office.into()),
        status: status.into(),
    }
}

/// The states of the table, each built from the one before as the workflow would leave it.
fn givens() -> Vec<(&'static str, Complaint)> {
    use ComplaintStatus as S;
    use DeadlineKind as K;
    let with_department = Complaint { status: S::WithDepartment, department: Some(Role::Supervision), ..registered() };
    let close = ApprovalAction::Dispose { method: DisposalMethod::Close, letter_date: None };
    let supervise = ApprovalAction::Supervise { report_days: Some(15) };
    vec![
        ("registered", registered()),
        ("anonymous", Complaint { anonymous: true, real_name: false, open: vec![], ..registered() }),
        ("with_department", with_department.clone()),
        ("pending", Complaint { approvals: vec![approval(close.clone(), "pending", HERE)], ..with_department.clone() }),
        (
            "inquiry",
            Complaint {
                status: S::Inquiry,
                disposal: Some("inquiry".into()),
                open: vec![K::InquiryReply],
                ..with_department.clone()
            },
        ),
        (
            "closing",
            Complaint {
                disposal: Some("close".into()),
                open: vec![],
                approvals: vec![approval(close, "granted", HERE)],
                ..with_department.clone()
            },
        ),
        (
            "detained",
            Complaint {
                status: S::CaseFiled,
                disposal: Some("file_case".into()),
                stage: Some(CaseStage::Filed),
                detention_start: Some(d("2026-09-22")),
                open: vec![K::DetentionEnd, K::DetentionReminder],
                ..with_department.clone()
            },
        ),
        (
            "decided",
            Complaint {
                status: S::CaseFiled,
                disposal: Some("file_case".into()),
                stage: Some(CaseStage::Decided),
                open: vec![],
                ..with_department.clone()
            },
        ),
        ("concluded", Complaint { status: S::Concluded, open: vec![K::ResultFeedback], ..with_department.clone() }),
        ("reported_upward", Complaint { status: S::ReportedUpward, open: vec![K::ReportUpward], ..registered() }),
        ("assigned_here", Complaint { open: vec![K::AssignmentReport], ..with_department.clone() }),
        (
            "elsewhere",
            Complaint { owner: PARENT.into(), owner_name: "昆明市纪委监委".into(), ..with_department.clone() },
        ),
        ("below", Complaint { owner: BELOW.into(), owner_name: "某乡镇纪委".into(), ..with_department.clone() }),
        (
            "supervising",
            Complaint {
                owner: BELOW.into(),
                owner_name: "某乡镇纪委".into(),
                open: vec![K::SupervisionReport],
                approvals: vec![approval(supervise, "granted", HERE)],
                ..with_department
            },
        ),
    ]
}

fn dated() -> Dated {
    Dated { date: TODAY.into(), note: "已办理".into() }
}

/// The command a table's step stands for, with ordinary entries.
fn command(step: Step, c: &Complaint) -> Command {
    match step {
        Step::Screen => Command::Screen {
            outcome: ScreeningOutcome::AcceptTransfer,
            department: Some(Role::Supervision),
            reason: "属本级管辖".into(),
            refer_to: None,
            repeat_of: None,
        },
        Step::NotifyAcceptance => Command::NotifyAcceptance(dated()),
        Step::RecordForwarded => Command::RecordForwarded(dated()),
        Step::ReportResult => Command::ReportResult(dated()),
        Step::RequestAssignment => Command::Request {
            approval_id: "a-2".into(),
            request: ApprovalAction::Assign { to_office: BELOW.into(), report_days: Some(60) },
            reason: "属乡镇管辖".into(),
        },
        Step::RequestLateral => Command::Request {
            approval_id: "a-2".into(),
            request: ApprovalAction::Lateral { to_office: "530103".into() },
            reason: "属盘龙区管辖".into(),
        },
        Step::RequestSupervision => Command::Request {
            approval_id: "a-2".into(),
            request: ApprovalAction::Supervise { report_days: Some(30) },
            reason: "群众多次反映".into(),
        },
        Step::RequestReturn => {
            Command::Request {
                approval_id: "a-2".into(), request: ApprovalAction::Return, reason: "不属本部门".into()
            }
        }
        Step::RequestDisposal => Command::Request {
            approval_id: "a-2".into(),
            request: ApprovalAction::Dispose { method: DisposalMethod::Verification, letter_date: None },
            reason: "拟初步核实".into(),
        },
        Step::DecideApproval => Command::Decide {
            approval_id: c.pending_at(HERE).map(|a| a.id.clone()).unwrap_or_else(|| "a-1".into()),
            granted: true,
            comment: "同意".into(),
        },
        Step::RecordInquiryReply => Command::RecordInquiryReply(dated()),
        Step::Conclude => Command::Conclude {
            date: TODAY.into(),
            result: "予以了结".into(),
            accusation: AccusationFinding::None,
            clearance: false,
        },
        Step::RecordFeedback => Command::RecordFeedback(dated()),
        Step::RecordObjection => {
            Command::RecordObjection { date: TODAY.into(), content: "对结果有异议".into(), new_evidence: false }
        }
        Step::RecordCaseMilestone => Command::RecordCaseMilestone {
            stage: match c.stage {
                None => CaseStage::Filed,
                Some(CaseStage::Filed) => CaseStage::Investigation,
                Some(CaseStage::Investigation) => CaseStage::TrialAccepted,
                Some(_) => CaseStage::Decided,
            },
            date: TODAY.into(),
            note: String::new(),
        },
        Step::StartDetention => Command::StartDetention(dated()),
        Step::ExtendDetention => {
            Command::ExtendDetention { date: TODAY.into(), approval_ref: "州纪委〔2026〕8号".into() }
        }
        Step::EndDetention => Command::EndDetention(dated()),
        Step::RequestDetention => {
            Command::Request { approval_id: "a-2".into(), request: ApprovalAction::Detain, reason: "拟留置".into() }
        }
        Step::RequestDetentionExtension => Command::Request {
            approval_id: "a-2".into(),
            request: ApprovalAction::ExtendDetention,
            reason: "拟延长留置".into(),
        },
        Step::RevealReporter => Command::RevealReporter { purpose: "核实身份".into() },
    }
}

/// What one post gets for one step: the kinds of the events produced (`a+b`), or the refusal.
fn outcome(c: &Complaint, step: Step, post_name: &str) -> (String, bool) {
    let actor = post(post_name);
    let offered = workflow::allowed(c, &office(), &actor).contains(&step);
    let cell = match workflow::decide(c, &office(), &actor, &command(step, c), today()) {
        Ok(decided) => decided.events.iter().map(ComplaintEvent::kind).collect::<Vec<_>>().join("+"),
        Err(CoreError::Forbidden { .. }) => "post".into(),
        Err(CoreError::Invalid(m)) => format!("!{m}"),
        // Deciding an approval the complaint does not have.
        Err(e @ CoreError::NotFound { .. }) => format!("!{e}"),
        Err(other) => format!("error {other}"),
    };
    (cell, offered)
}

/// One row of the table: given a state, when a step is taken, then what each post named gets;
/// every post not named is refused for its post (`authz`). `*` names every post.
/// - `a+b`: the step produces events of kinds a and b;
/// - `!text`: refused by the check (and so not offered), the refusal containing `text`.
type Row = (&'static str, Step, &'static [(&'static str, &'static str)]);

fn run_table(table: &[Row]) {
    let givens = givens();
    let mut covered = std::collections::BTreeSet::new();
    for &(state_name, step, cells) in table {
        let c = &givens.iter().find(|g| g.0 == state_name).unwrap_or_else(|| panic!("no given {state_name}")).1;
        covered.insert((state_name, format!("{step:?}")));
        for post_name in POSTS {
            let expected =
                cells.iter().find(|(p, _)| *p == post_name || *p == "*").map(|(_, cell)| *cell).unwrap_or("post");
            let at = format!("given {state_name}, when {post_name} takes {step:?}");
            let (got, offered) = outcome(c, step, post_name);
            match expected.strip_prefix('!') {
                Some(text) => {
                    assert!(got.starts_with('!') && got.contains(text), "{at}: expected refusal “{text}”, got {got}");
                    assert!(!offered, "{at}: offered though the check refuses it");
                }
                None => {
                    assert_eq!(got, expected, "{at}");
                    assert_eq!(offered, expected != "post", "{at}: offered must match the check");
                }
            }
        }
    }
    for (state_name, _) in &givens {
        for step in STEPS {
            assert!(
                covered.contains(&(*state_name, format!("{step:?}"))),
                "the table lacks given {state_name}, step {step:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The table.

/// 检举控告 (DOMAIN.md §2): 信访室 registers, screens, tells the reporter, records forwarding and
/// objections, asks to assign (交办) before screening and reports an assigned or supervised
/// complaint's result; the handling department asks a leader to return or dispose of it, and
/// handles it (函询回复、办结、结果反馈、立案后的阶段和留置); a leader decides approvals, never the
/// one who asked; 信访室 or 案件监督管理室 of an office above asks to supervise (督办) a complaint an
/// office below handles; only 信访室 and leaders read the reporter's identity; a complaint handed
/// to another office is that office's to handle (ownership.rs). Posts are in authz.rs.
#[test]
fn complaint_table() {
    use ComplaintActionKind::*;
    let table: &[Row] = &[
        ("registered", Screen, &[("petitions", "complaint.screened")]),
        ("registered", RequestAssignment, &[("petitions", "approval.requested")]),
        ("registered", RequestLateral, &[("petitions", "!还没有机关名录，不能平级移交。")]),
        ("registered", ReportResult, &[("petitions", "!者办理结果已经上报过了。")]),
        ("registered", NotifyAcceptance, &[("petitions", "!先完成筛选再告知检举人。")]),
        ("registered", RecordForwarded, &[("petitions", "!”，不能记录报送或转送。")]),
        (
            "registered",
            RequestSupervision,
            &[("petitions", "!自己办理的件请直接办理。"), ("case_management", "!自己办理的件请直接办理。")],
        ),
        ("registered", RequestReturn, &[("*", "!”，不能由承办部门办理。")]),
        ("registered", RequestDisposal, &[("*", "!”，不能由承办部门办理。")]),
        ("registered", DecideApproval, &[("leader", "!找不到审批事项：a-1"), ("requester", "!找不到审批事项：a-1")]),
        ("registered", RecordInquiryReply, &[("*", "!”，不能由承办部门办理。")]),
        ("registered", Conclude, &[("*", "!”，不能由承办部门办理。")]),
        ("registered", RecordFeedback, &[("*", "!”，不能由承办部门办理。")]),
        ("registered", RecordObjection, &[("petitions", "!录对办理结果的反馈意见。")]),
        ("registered", RecordCaseMilestone, &[("*", "!”，不能由承办部门办理。")]),
        ("registered", StartDetention, &[("*", "!”，不能由承办部门办理。")]),
        ("registered", ExtendDetention, &[("*", "!”，不能由承办部门办理。")]),
        ("registered", RequestDetention, &[("*", "!”，不能由承办部门办理。")]),
        ("registered", RequestDetentionExtension, &[("*", "!”，不能由承办部门办理。")]),
        ("registered", EndDetention, &[("*", "!”，不能由承办部门办理。")]),
        (
            "registered",
            RevealReporter,
            &[
                ("petitions", "complaint.identity_viewed"),
                ("leader", "complaint.identity_viewed"),
                ("requester", "complaint.identity_viewed"),
            ],
        ),
        ("anonymous", Screen, &[("petitions", "complaint.screened")]),
        ("anonymous", RequestAssignment, &[("petitions", "approval.requested")]),
        ("anonymous", RequestLateral, &[("petitions", "!还没有机关名录，不能平级移交。")]),
        ("anonymous", ReportResult, &[("petitions", "!者办理结果已经上报过了。")]),
        ("anonymous", NotifyAcceptance, &[("petitions", "!名、重复举报或已告知）。")]),
        ("anonymous", RecordForwarded, &[("petitions", "!”，不能记录报送或转送。")]),
        (
            "anonymous",
            RequestSupervision,
            &[("petitions", "!自己办理的件请直接办理。"), ("case_management", "!自己办理的件请直接办理。")],
        ),
        ("anonymous", RequestReturn, &[("*", "!”，不能由承办部门办理。")]),
        ("anonymous", RequestDisposal, &[("*", "!”，不能由承办部门办理。")]),
        ("anonymous", DecideApproval, &[("leader", "!找不到审批事项：a-1"), ("requester", "!找不到审批事项：a-1")]),
        ("anonymous", RecordInquiryReply, &[("*", "!”，不能由承办部门办理。")]),
        ("anonymous", Conclude, &[("*", "!”，不能由承办部门办理。")]),
        ("anonymous", RecordFeedback, &[("*", "!”，不能由承办部门办理。")]),
        ("anonymous", RecordObjection, &[("petitions", "!录对办理结果的反馈意见。")]),
        ("anonymous", RecordCaseMilestone, &[("*", "!”，不能由承办部门办理。")]),
        ("anonymous", StartDetention, &[("*", "!”，不能由承办部门办理。")]),
        ("anonymous", ExtendDetention, &[("*", "!”，不能由承办部门办理。")]),
        ("anonymous", RequestDetention, &[("*", "!”，不能由承办部门办理。")]),
        ("anonymous", RequestDetentionExtension, &[("*", "!”，不能由承办部门办理。")]),
        ("anonymous", EndDetention, &[("*", "!”，不能由承办部门办理。")]),
        (
            "anonymous",
            RevealReporter,
            &[
                ("petitions", "!告没有检举人身份可查看。"),
                ("leader", "!告没有检举人身份可查看。"),
                ("requester", "!告没有检举人身份可查看。"),
            ],
        ),
        ("with_department", Screen, &[("petitions", "!办部门”，不能再次筛选。")]),
        ("with_department", RequestAssignment, &[("petitions", "!（交办须在筛选前提请）。")]),
        ("with_department", RequestLateral, &[("petitions", "!（平级移交须在筛选前提请）。")]),
        ("with_department", ReportResult, &[("petitions", "!者办理结果已经上报过了。")]),
        ("with_department", NotifyAcceptance, &[("petitions", "complaint.acceptance_notified")]),
        ("with_department", RecordForwarded, &[("petitions", "!”，不能记录报送或转送。")]),
        (
            "with_department",
            RequestSupervision,
            &[("petitions", "!自己办理的件请直接办理。"), ("case_management", "!自己办理的件请直接办理。")],
        ),
        (
            "with_department",
            RequestReturn,
            &[("supervision", "approval.requested"), ("requester", "approval.requested")],
        ),
        (
            "with_department",
            RequestDisposal,
            &[("supervision", "approval.requested"), ("requester", "approval.requested")],
        ),
        (
            "with_department",
            DecideApproval,
            &[("leader", "!找不到审批事项：a-1"), ("requester", "!找不到审批事项：a-1")],
        ),
        (
            "with_department",
            RecordInquiryReply,
            &[("supervision", "!门”，不能记录函询回复。"), ("requester", "!门”，不能记录函询回复。")],
        ),
        (
            "with_department",
            Conclude,
            &[("supervision", "!确定处置方式，才能办结。"), ("requester", "!确定处置方式，才能办结。")],
        ),
        (
            "with_department",
            RecordFeedback,
            &[("supervision", "!的实名检举且尚未反馈）。"), ("requester", "!的实名检举且尚未反馈）。")],
        ),
        ("with_department", RecordObjection, &[("petitions", "!录对办理结果的反馈意见。")]),
        (
            "with_department",
            RecordCaseMilestone,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "with_department",
            StartDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "with_department",
            ExtendDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "with_department",
            RequestDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "with_department",
            RequestDetentionExtension,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "with_department",
            EndDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "with_department",
            RevealReporter,
            &[
                ("petitions", "complaint.identity_viewed"),
                ("leader", "complaint.identity_viewed"),
                ("requester", "complaint.identity_viewed"),
            ],
        ),
        ("pending", Screen, &[("petitions", "!办部门”，不能再次筛选。")]),
        ("pending", RequestAssignment, &[("petitions", "!（交办须在筛选前提请）。")]),
        ("pending", RequestLateral, &[("petitions", "!（平级移交须在筛选前提请）。")]),
        ("pending", ReportResult, &[("petitions", "!者办理结果已经上报过了。")]),
        ("pending", NotifyAcceptance, &[("petitions", "complaint.acceptance_notified")]),
        ("pending", RecordForwarded, &[("petitions", "!”，不能记录报送或转送。")]),
        (
            "pending",
            RequestSupervision,
            &[("petitions", "!，请等领导审批后再提请。"), ("case_management", "!，请等领导审批后再提请。")],
        ),
        (
            "pending",
            RequestReturn,
            &[("supervision", "!，请等领导审批后再提请。"), ("requester", "!，请等领导审批后再提请。")],
        ),
        (
            "pending",
            RequestDisposal,
            &[("supervision", "!，请等领导审批后再提请。"), ("requester", "!，请等领导审批后再提请。")],
        ),
        (
            "pending",
            DecideApproval,
            &[("leader", "approval.decided+complaint.disposed"), ("requester", "!项，请由另一位领导审批。")],
        ),
        (
            "pending",
            RecordInquiryReply,
            &[("supervision", "!门”，不能记录函询回复。"), ("requester", "!门”，不能记录函询回复。")],
        ),
        (
            "pending",
            Conclude,
            &[("supervision", "!确定处置方式，才能办结。"), ("requester", "!确定处置方式，才能办结。")],
        ),
        (
            "pending",
            RecordFeedback,
            &[("supervision", "!的实名检举且尚未反馈）。"), ("requester", "!的实名检举且尚未反馈）。")],
        ),
        ("pending", RecordObjection, &[("petitions", "!录对办理结果的反馈意见。")]),
        (
            "pending",
            RecordCaseMilestone,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "pending",
            StartDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "pending",
            ExtendDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "pending",
            RequestDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "pending",
            RequestDetentionExtension,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "pending",
            EndDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "pending",
            RevealReporter,
            &[
                ("petitions", "complaint.identity_viewed"),
                ("leader", "complaint.identity_viewed"),
                ("requester", "complaint.identity_viewed"),
            ],
        ),
        ("inquiry", Screen, &[("petitions", "!函询中”，不能再次筛选。")]),
        ("inquiry", RequestAssignment, &[("petitions", "!（交办须在筛选前提请）。")]),
        ("inquiry", RequestLateral, &[("petitions", "!（平级移交须在筛选前提请）。")]),
        ("inquiry", ReportResult, &[("petitions", "!者办理结果已经上报过了。")]),
        ("inquiry", NotifyAcceptance, &[("petitions", "!名、重复举报或已告知）。")]),
        ("inquiry", RecordForwarded, &[("petitions", "!”，不能记录报送或转送。")]),
        (
            "inquiry",
            RequestSupervision,
            &[("petitions", "!自己办理的件请直接办理。"), ("case_management", "!自己办理的件请直接办理。")],
        ),
        (
            "inquiry",
            RequestReturn,
            &[("supervision", "!询中”，不能退回信访室。"), ("requester", "!询中”，不能退回信访室。")],
        ),
        ("inquiry", RequestDisposal, &[("supervision", "approval.requested"), ("requester", "approval.requested")]),
        ("inquiry", DecideApproval, &[("leader", "!找不到审批事项：a-1"), ("requester", "!找不到审批事项：a-1")]),
        (
            "inquiry",
            RecordInquiryReply,
            &[("supervision", "complaint.inquiry_replied"), ("requester", "complaint.inquiry_replied")],
        ),
        ("inquiry", Conclude, &[("supervision", "complaint.concluded"), ("requester", "complaint.concluded")]),
        (
            "inquiry",
            RecordFeedback,
            &[("supervision", "!的实名检举且尚未反馈）。"), ("requester", "!的实名检举且尚未反馈）。")],
        ),
        ("inquiry", RecordObjection, &[("petitions", "!录对办理结果的反馈意见。")]),
        (
            "inquiry",
            RecordCaseMilestone,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "inquiry",
            StartDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "inquiry",
            ExtendDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "inquiry",
            RequestDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "inquiry",
            RequestDetentionExtension,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "inquiry",
            EndDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "inquiry",
            RevealReporter,
            &[
                ("petitions", "complaint.identity_viewed"),
                ("leader", "complaint.identity_viewed"),
                ("requester", "complaint.identity_viewed"),
            ],
        ),
        ("closing", Screen, &[("petitions", "!办部门”，不能再次筛选。")]),
        ("closing", RequestAssignment, &[("petitions", "!（交办须在筛选前提请）。")]),
        ("closing", RequestLateral, &[("petitions", "!（平级移交须在筛选前提请）。")]),
        ("closing", ReportResult, &[("petitions", "!者办理结果已经上报过了。")]),
        ("closing", NotifyAcceptance, &[("petitions", "!名、重复举报或已告知）。")]),
        ("closing", RecordForwarded, &[("petitions", "!”，不能记录报送或转送。")]),
        (
            "closing",
            RequestSupervision,
            &[("petitions", "!自己办理的件请直接办理。"), ("case_management", "!自己办理的件请直接办理。")],
        ),
        ("closing", RequestReturn, &[("supervision", "approval.requested"), ("requester", "approval.requested")]),
        ("closing", RequestDisposal, &[("supervision", "approval.requested"), ("requester", "approval.requested")]),
        (
            "closing",
            DecideApproval,
            &[("leader", "!该审批事项已经审批过了。"), ("requester", "!该审批事项已经审批过了。")],
        ),
        (
            "closing",
            RecordInquiryReply,
            &[("supervision", "!门”，不能记录函询回复。"), ("requester", "!门”，不能记录函询回复。")],
        ),
        ("closing", Conclude, &[("supervision", "complaint.concluded"), ("requester", "complaint.concluded")]),
        (
            "closing",
            RecordFeedback,
            &[("supervision", "!的实名检举且尚未反馈）。"), ("requester", "!的实名检举且尚未反馈）。")],
        ),
        ("closing", RecordObjection, &[("petitions", "!录对办理结果的反馈意见。")]),
        (
            "closing",
            RecordCaseMilestone,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "closing",
            StartDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "closing",
            ExtendDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "closing",
            RequestDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "closing",
            RequestDetentionExtension,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "closing",
            EndDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "closing",
            RevealReporter,
            &[
                ("petitions", "complaint.identity_viewed"),
                ("leader", "complaint.identity_viewed"),
                ("requester", "complaint.identity_viewed"),
            ],
        ),
        ("detained", Screen, &[("petitions", "!查调查”，不能再次筛选。")]),
        ("detained", RequestAssignment, &[("petitions", "!（交办须在筛选前提请）。")]),
        ("detained", RequestLateral, &[("petitions", "!（平级移交须在筛选前提请）。")]),
        ("detained", ReportResult, &[("petitions", "!者办理结果已经上报过了。")]),
        ("detained", NotifyAcceptance, &[("petitions", "!名、重复举报或已告知）。")]),
        ("detained", RecordForwarded, &[("petitions", "!”，不能记录报送或转送。")]),
        (
            "detained",
            RequestSupervision,
            &[("petitions", "!自己办理的件请直接办理。"), ("case_management", "!自己办理的件请直接办理。")],
        ),
        (
            "detained",
            RequestReturn,
            &[("supervision", "!调查”，不能退回信访室。"), ("requester", "!调查”，不能退回信访室。")],
        ),
        (
            "detained",
            RequestDisposal,
            &[("supervision", "!查调查”，不能提请处置。"), ("requester", "!查调查”，不能提请处置。")],
        ),
        ("detained", DecideApproval, &[("leader", "!找不到审批事项：a-1"), ("requester", "!找不到审批事项：a-1")]),
        (
            "detained",
            RecordInquiryReply,
            &[("supervision", "!查”，不能记录函询回复。"), ("requester", "!查”，不能记录函询回复。")],
        ),
        ("detained", Conclude, &[("supervision", "complaint.concluded"), ("requester", "complaint.concluded")]),
        (
            "detained",
            RecordFeedback,
            &[("supervision", "!的实名检举且尚未反馈）。"), ("requester", "!的实名检举且尚未反馈）。")],
        ),
        ("detained", RecordObjection, &[("petitions", "!录对办理结果的反馈意见。")]),
        (
            "detained",
            RecordCaseMilestone,
            &[("supervision", "complaint.case_milestone"), ("requester", "complaint.case_milestone")],
        ),
        (
            "detained",
            StartDetention,
            &[("supervision", "!该案已经采取过留置措施。"), ("requester", "!该案已经采取过留置措施。")],
        ),
        (
            "detained",
            ExtendDetention,
            &[("supervision", "complaint.detention_extended"), ("requester", "complaint.detention_extended")],
        ),
        (
            "detained",
            RequestDetention,
            &[("supervision", "!该案已经采取过留置措施。"), ("requester", "!该案已经采取过留置措施。")],
        ),
        (
            "detained",
            RequestDetentionExtension,
            &[("supervision", "!留置由本机关直接记录。"), ("requester", "!留置由本机关直接记录。")],
        ),
        (
            "detained",
            EndDetention,
            &[("supervision", "complaint.detention_ended"), ("requester", "complaint.detention_ended")],
        ),
        (
            "detained",
            RevealReporter,
            &[
                ("petitions", "complaint.identity_viewed"),
                ("leader", "complaint.identity_viewed"),
                ("requester", "complaint.identity_viewed"),
            ],
        ),
        ("decided", Screen, &[("petitions", "!查调查”，不能再次筛选。")]),
        ("decided", RequestAssignment, &[("petitions", "!（交办须在筛选前提请）。")]),
        ("decided", RequestLateral, &[("petitions", "!（平级移交须在筛选前提请）。")]),
        ("decided", ReportResult, &[("petitions", "!者办理结果已经上报过了。")]),
        ("decided", NotifyAcceptance, &[("petitions", "!名、重复举报或已告知）。")]),
        ("decided", RecordForwarded, &[("petitions", "!”，不能记录报送或转送。")]),
        (
            "decided",
            RequestSupervision,
            &[("petitions", "!自己办理的件请直接办理。"), ("case_management", "!自己办理的件请直接办理。")],
        ),
        (
            "decided",
            RequestReturn,
            &[("supervision", "!调查”，不能退回信访室。"), ("requester", "!调查”，不能退回信访室。")],
        ),
        (
            "decided",
            RequestDisposal,
            &[("supervision", "!查调查”，不能提请处置。"), ("requester", "!查调查”，不能提请处置。")],
        ),
        ("decided", DecideApproval, &[("leader", "!找不到审批事项：a-1"), ("requester", "!找不到审批事项：a-1")]),
        (
            "decided",
            RecordInquiryReply,
            &[("supervision", "!查”，不能记录函询回复。"), ("requester", "!查”，不能记录函询回复。")],
        ),
        ("decided", Conclude, &[("supervision", "complaint.concluded"), ("requester", "complaint.concluded")]),
        (
            "decided",
            RecordFeedback,
            &[("supervision", "!的实名检举且尚未反馈）。"), ("requester", "!的实名检举且尚未反馈）。")],
        ),
        ("decided", RecordObjection, &[("petitions", "!录对办理结果的反馈意见。")]),
        (
            "decided",
            RecordCaseMilestone,
            &[("supervision", "!续阶段）”，不能再记录。"), ("requester", "!续阶段）”，不能再记录。")],
        ),
        (
            "decided",
            StartDetention,
            &[("supervision", "!立案后、移送审理前采取。"), ("requester", "!立案后、移送审理前采取。")],
        ),
        (
            "decided",
            ExtendDetention,
            &[("supervision", "!留置期间，不能延长留置。"), ("requester", "!留置期间，不能延长留置。")],
        ),
        (
            "decided",
            RequestDetention,
            &[("supervision", "!立案后、移送审理前采取。"), ("requester", "!立案后、移送审理前采取。")],
        ),
        (
            "decided",
            RequestDetentionExtension,
            &[("supervision", "!留置期间，不能延长留置。"), ("requester", "!留置期间，不能延长留置。")],
        ),
        (
            "decided",
            EndDetention,
            &[("supervision", "!该案没有采取留置措施。"), ("requester", "!该案没有采取留置措施。")],
        ),
        (
            "decided",
            RevealReporter,
            &[
                ("petitions", "complaint.identity_viewed"),
                ("leader", "complaint.identity_viewed"),
                ("requester", "complaint.identity_viewed"),
            ],
        ),
        ("concluded", Screen, &[("petitions", "!已办结”，不能再次筛选。")]),
        ("concluded", RequestAssignment, &[("petitions", "!（交办须在筛选前提请）。")]),
        ("concluded", RequestLateral, &[("petitions", "!（平级移交须在筛选前提请）。")]),
        ("concluded", ReportResult, &[("petitions", "!者办理结果已经上报过了。")]),
        ("concluded", NotifyAcceptance, &[("petitions", "!名、重复举报或已告知）。")]),
        ("concluded", RecordForwarded, &[("petitions", "!”，不能记录报送或转送。")]),
        (
            "concluded",
            RequestSupervision,
            &[("petitions", "!为“已办结”，不能督办。"), ("case_management", "!为“已办结”，不能督办。")],
        ),
        (
            "concluded",
            RequestReturn,
            &[("supervision", "!办结”，不能退回信访室。"), ("requester", "!办结”，不能退回信访室。")],
        ),
        (
            "concluded",
            RequestDisposal,
            &[("supervision", "!已办结”，不能提请处置。"), ("requester", "!已办结”，不能提请处置。")],
        ),
        ("concluded", DecideApproval, &[("leader", "!找不到审批事项：a-1"), ("requester", "!找不到审批事项：a-1")]),
        (
            "concluded",
            RecordInquiryReply,
            &[("supervision", "!结”，不能记录函询回复。"), ("requester", "!结”，不能记录函询回复。")],
        ),
        (
            "concluded",
            Conclude,
            &[("supervision", "!确定处置方式，才能办结。"), ("requester", "!确定处置方式，才能办结。")],
        ),
        (
            "concluded",
            RecordFeedback,
            &[("supervision", "complaint.feedback_given"), ("requester", "complaint.feedback_given")],
        ),
        ("concluded", RecordObjection, &[("petitions", "complaint.objection_recorded")]),
        (
            "concluded",
            RecordCaseMilestone,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "concluded",
            StartDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "concluded",
            ExtendDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "concluded",
            RequestDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "concluded",
            RequestDetentionExtension,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "concluded",
            EndDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "concluded",
            RevealReporter,
            &[
                ("petitions", "complaint.identity_viewed"),
                ("leader", "complaint.identity_viewed"),
                ("requester", "complaint.identity_viewed"),
            ],
        ),
        ("reported_upward", Screen, &[("petitions", "!上报送”，不能再次筛选。")]),
        ("reported_upward", RequestAssignment, &[("petitions", "!（交办须在筛选前提请）。")]),
        ("reported_upward", RequestLateral, &[("petitions", "!（平级移交须在筛选前提请）。")]),
        ("reported_upward", ReportResult, &[("petitions", "!者办理结果已经上报过了。")]),
        ("reported_upward", NotifyAcceptance, &[("petitions", "!名、重复举报或已告知）。")]),
        ("reported_upward", RecordForwarded, &[("petitions", "complaint.forwarded")]),
        (
            "reported_upward",
            RequestSupervision,
            &[("petitions", "!已向上报送”，不能督办。"), ("case_management", "!已向上报送”，不能督办。")],
        ),
        ("reported_upward", RequestReturn, &[("*", "!”，不能由承办部门办理。")]),
        ("reported_upward", RequestDisposal, &[("*", "!”，不能由承办部门办理。")]),
        (
            "reported_upward",
            DecideApproval,
            &[("leader", "!找不到审批事项：a-1"), ("requester", "!找不到审批事项：a-1")],
        ),
        ("reported_upward", RecordInquiryReply, &[("*", "!”，不能由承办部门办理。")]),
        ("reported_upward", Conclude, &[("*", "!”，不能由承办部门办理。")]),
        ("reported_upward", RecordFeedback, &[("*", "!”，不能由承办部门办理。")]),
        ("reported_upward", RecordObjection, &[("petitions", "!录对办理结果的反馈意见。")]),
        ("reported_upward", RecordCaseMilestone, &[("*", "!”，不能由承办部门办理。")]),
        ("reported_upward", StartDetention, &[("*", "!”，不能由承办部门办理。")]),
        ("reported_upward", ExtendDetention, &[("*", "!”，不能由承办部门办理。")]),
        ("reported_upward", RequestDetention, &[("*", "!”，不能由承办部门办理。")]),
        ("reported_upward", RequestDetentionExtension, &[("*", "!”，不能由承办部门办理。")]),
        ("reported_upward", EndDetention, &[("*", "!”，不能由承办部门办理。")]),
        (
            "reported_upward",
            RevealReporter,
            &[
                ("petitions", "complaint.identity_viewed"),
                ("leader", "complaint.identity_viewed"),
                ("requester", "complaint.identity_viewed"),
            ],
        ),
        ("assigned_here", Screen, &[("petitions", "!办部门”，不能再次筛选。")]),
        ("assigned_here", RequestAssignment, &[("petitions", "!（交办须在筛选前提请）。")]),
        ("assigned_here", RequestLateral, &[("petitions", "!（平级移交须在筛选前提请）。")]),
        ("assigned_here", ReportResult, &[("petitions", "complaint.result_reported")]),
        ("assigned_here", NotifyAcceptance, &[("petitions", "!名、重复举报或已告知）。")]),
        ("assigned_here", RecordForwarded, &[("petitions", "!”，不能记录报送或转送。")]),
        (
            "assigned_here",
            RequestSupervision,
            &[("petitions", "!自己办理的件请直接办理。"), ("case_management", "!自己办理的件请直接办理。")],
        ),
        ("assigned_here", RequestReturn, &[("supervision", "approval.requested"), ("requester", "approval.requested")]),
        (
            "assigned_here",
            RequestDisposal,
            &[("supervision", "approval.requested"), ("requester", "approval.requested")],
        ),
        ("assigned_here", DecideApproval, &[("leader", "!找不到审批事项：a-1"), ("requester", "!找不到审批事项：a-1")]),
        (
            "assigned_here",
            RecordInquiryReply,
            &[("supervision", "!门”，不能记录函询回复。"), ("requester", "!门”，不能记录函询回复。")],
        ),
        (
            "assigned_here",
            Conclude,
            &[("supervision", "!确定处置方式，才能办结。"), ("requester", "!确定处置方式，才能办结。")],
        ),
        (
            "assigned_here",
            RecordFeedback,
            &[("supervision", "!的实名检举且尚未反馈）。"), ("requester", "!的实名检举且尚未反馈）。")],
        ),
        ("assigned_here", RecordObjection, &[("petitions", "!录对办理结果的反馈意见。")]),
        (
            "assigned_here",
            RecordCaseMilestone,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "assigned_here",
            StartDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "assigned_here",
            ExtendDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "assigned_here",
            RequestDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "assigned_here",
            RequestDetentionExtension,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "assigned_here",
            EndDetention,
            &[("supervision", "!（须为已立案审查调查）。"), ("requester", "!（须为已立案审查调查）。")],
        ),
        (
            "assigned_here",
            RevealReporter,
            &[
                ("petitions", "complaint.identity_viewed"),
                ("leader", "complaint.identity_viewed"),
                ("requester", "complaint.identity_viewed"),
            ],
        ),
        ("elsewhere", Screen, &[("petitions", "!举控告页查看其办理情况。")]),
        ("elsewhere", RequestAssignment, &[("petitions", "!举控告页查看其办理情况。")]),
        ("elsewhere", RequestLateral, &[("petitions", "!举控告页查看其办理情况。")]),
        ("elsewhere", ReportResult, &[("petitions", "!举控告页查看其办理情况。")]),
        ("elsewhere", NotifyAcceptance, &[("petitions", "!举控告页查看其办理情况。")]),
        ("elsewhere", RecordForwarded, &[("petitions", "!举控告页查看其办理情况。")]),
        (
            "elsewhere",
            RequestSupervision,
            &[("petitions", "!关的下级机关，不能督办。"), ("case_management", "!关的下级机关，不能督办。")],
        ),
        (
            "elsewhere",
            RequestReturn,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "elsewhere",
            RequestDisposal,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        ("elsewhere", DecideApproval, &[("leader", "!找不到审批事项：a-1"), ("requester", "!找不到审批事项：a-1")]),
        (
            "elsewhere",
            RecordInquiryReply,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "elsewhere",
            Conclude,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "elsewhere",
            RecordFeedback,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        ("elsewhere", RecordObjection, &[("petitions", "!举控告页查看其办理情况。")]),
        (
            "elsewhere",
            RecordCaseMilestone,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "elsewhere",
            StartDetention,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "elsewhere",
            ExtendDetention,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "elsewhere",
            RequestDetention,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "elsewhere",
            RequestDetentionExtension,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "elsewhere",
            EndDetention,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "elsewhere",
            RevealReporter,
            &[
                ("petitions", "!举控告页查看其办理情况。"),
                ("leader", "!举控告页查看其办理情况。"),
                ("requester", "!举控告页查看其办理情况。"),
            ],
        ),
        ("below", Screen, &[("petitions", "!举控告页查看其办理情况。")]),
        ("below", RequestAssignment, &[("petitions", "!举控告页查看其办理情况。")]),
        ("below", RequestLateral, &[("petitions", "!举控告页查看其办理情况。")]),
        ("below", ReportResult, &[("petitions", "!举控告页查看其办理情况。")]),
        ("below", NotifyAcceptance, &[("petitions", "!举控告页查看其办理情况。")]),
        ("below", RecordForwarded, &[("petitions", "!举控告页查看其办理情况。")]),
        (
            "below",
            RequestSupervision,
            &[("petitions", "complaint.supervision_requested"), ("case_management", "complaint.supervision_requested")],
        ),
        (
            "below",
            RequestReturn,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "below",
            RequestDisposal,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        ("below", DecideApproval, &[("leader", "!找不到审批事项：a-1"), ("requester", "!找不到审批事项：a-1")]),
        (
            "below",
            RecordInquiryReply,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "below",
            Conclude,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "below",
            RecordFeedback,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        ("below", RecordObjection, &[("petitions", "!举控告页查看其办理情况。")]),
        (
            "below",
            RecordCaseMilestone,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "below",
            StartDetention,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "below",
            ExtendDetention,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "below",
            RequestDetention,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "below",
            RequestDetentionExtension,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "below",
            EndDetention,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "below",
            RevealReporter,
            &[
                ("petitions", "!举控告页查看其办理情况。"),
                ("leader", "!举控告页查看其办理情况。"),
                ("requester", "!举控告页查看其办理情况。"),
            ],
        ),
        ("supervising", Screen, &[("petitions", "!举控告页查看其办理情况。")]),
        ("supervising", RequestAssignment, &[("petitions", "!举控告页查看其办理情况。")]),
        ("supervising", RequestLateral, &[("petitions", "!举控告页查看其办理情况。")]),
        ("supervising", ReportResult, &[("petitions", "!举控告页查看其办理情况。")]),
        ("supervising", NotifyAcceptance, &[("petitions", "!举控告页查看其办理情况。")]),
        ("supervising", RecordForwarded, &[("petitions", "!举控告页查看其办理情况。")]),
        (
            "supervising",
            RequestSupervision,
            &[("petitions", "!办理结果前不能再次督办。"), ("case_management", "!办理结果前不能再次督办。")],
        ),
        (
            "supervising",
            RequestReturn,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "supervising",
            RequestDisposal,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "supervising",
            DecideApproval,
            &[("leader", "!该审批事项已经审批过了。"), ("requester", "!该审批事项已经审批过了。")],
        ),
        (
            "supervising",
            RecordInquiryReply,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "supervising",
            Conclude,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "supervising",
            RecordFeedback,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        ("supervising", RecordObjection, &[("petitions", "!举控告页查看其办理情况。")]),
        (
            "supervising",
            RecordCaseMilestone,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "supervising",
            StartDetention,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "supervising",
            ExtendDetention,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "supervising",
            RequestDetention,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "supervising",
            RequestDetentionExtension,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "supervising",
            EndDetention,
            &[("supervision", "!举控告页查看其办理情况。"), ("requester", "!举控告页查看其办理情况。")],
        ),
        (
            "supervising",
            RevealReporter,
            &[
                ("petitions", "!举控告页查看其办理情况。"),
                ("leader", "!举控告页查看其办理情况。"),
                ("requester", "!举控告页查看其办理情况。"),
            ],
        ),
    ];
    run_table(table);
}

/// Prints the table as the workflow answers it today, for a reviewer to read against DOMAIN.md
/// before it is pasted into `complaint_table` (`cargo test --test complaint_workflow -- --ignored`).
#[test]
#[ignore]
fn print_the_table() {
    for (state_name, c) in givens() {
        for step in STEPS {
            let mut cells: Vec<(String, String)> = Vec::new();
            for post_name in POSTS {
                let (cell, _) = outcome(&c, step, post_name);
                if cell != "post" {
                    let short = match cell.strip_prefix('!') {
                        Some(m) => {
                            let chars: Vec<char> = m.chars().collect();
                            format!("!{}", chars[chars.len().saturating_sub(12)..].iter().collect::<String>())
                        }
                        None => cell,
                    };
                    cells.push((post_name.to_owned(), short));
                }
            }
            if cells.len() == POSTS.len() && cells.iter().all(|c| c.1 == cells[0].1) {
                cells = vec![("*".into(), cells[0].1.clone())];
            }
            let cells: Vec<String> = cells.iter().map(|(p, c)| format!("(\"{p}\", \"{c}\")")).collect();
            println!("        (\"{state_name}\", {step:?}, &[{}]),", cells.join(", "));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Duties: what each event opens and closes, and the rules that travel in the events.

fn meta() -> Meta<'static> {
    Meta { event_id: "e-1", origin_office: HERE, business_date: today() }
}

fn registration(real_name: bool, repeat_of: Option<&str>, notice_rule: Option<&str>) -> ComplaintEvent {
    ComplaintEvent::Registered(Box::new(Registered {
        complaint_id: "c-1".into(),
        number: "530102-2026-00001".into(),
        office_code: HERE.into(),
        received_at: "2026-09-20T16:00:00+00:00".into(),
        received_date: "2026-09-21".into(),
        form: RegisterComplaint {
            channel: ComplaintChannel::Letter,
            received_at: "2026-09-21".into(),
            reporter: Some(Reporter {
                name: "李四".into(), unit: None, contact: "13800000000".into(), address: None
            }),
            real_name,
            real_name_verified: None,
            summary: "反映某局长".into(),
            content: "反映某局长违规收受工程款。".into(),
            categories: vec![],
            subjects: vec![],
            repeat_of: repeat_of.map(str::to_owned),
        },
        sealed_identity: None,
        notice_rule: notice_rule.map(str::to_owned),
    }))
}

fn open(kind: DeadlineKind, rule: Rule, start: &str) -> Duty {
    Duty::Open {
        id: format!("{}:e-1", kind.as_str()),
        aggregate: None,
        kind,
        rule,
        start: d(start),
        watch_office: None,
        duty_office: None,
    }
}

fn close(kind: DeadlineKind, status: &'static str, date: &str) -> Duty {
    Duty::Close { kind, status, date: date.into() }
}

fn act(date: &str) -> DatedAct {
    DatedAct { complaint_id: "c-1".into(), date: date.into(), note: String::new(), ..DatedAct::default() }
}

fn step(request: ApprovalAction) -> ApprovedStep {
    ApprovedStep { complaint_id: "c-1".into(), approval_id: "a-1".into(), request, rule: None }
}

/// DOMAIN.md §2's deadlines, event by event (the rule of each is `DeadlineKind::rule`; the ones
/// an event carries are tested below).
#[test]
fn duties_table() {
    use ComplaintEvent as E;
    use DeadlineKind as K;
    let before = registered();
    let detained = Complaint { detention_start: Some(d("2026-09-22")), ..registered() };
    let anonymous = Complaint { real_name: false, anonymous: true, ..registered() };
    let screened = |outcome, department| {
        E::Screened(Screened {
            complaint_id: "c-1".into(),
            date: TODAY.into(),
            outcome,
            department,
            reason: String::new(),
            refer_to: None,
            repeat_of: None,
            rule: None,
        })
    };
    let concluded = E::Concluded(Concluded {
        complaint_id: "c-1".into(),
        date: TODAY.into(),
        result: "了结".into(),
        accusation: AccusationFinding::None,
        clearance: false,
        rule: None,
    });
    let milestone = |stage| {
        E::CaseMilestone(CaseMilestone {
            complaint_id: "c-1".into(),
            stage,
            date: TODAY.into(),
            note: String::new(),
            rule: None,
        })
    };
    let rows: Vec<(&str, Option<&Complaint>, ComplaintEvent, Vec<Duty>)> = vec![
        // 受理告知: a first real-name reporter hears within 15 working days of receipt.
        (
            "real name",
            None,
            registration(true, None, None),
            vec![open(K::AcceptanceNotice, Rule::WorkingDays(15), "2026-09-21")],
        ),
        ("not real name", None, registration(false, None, None), vec![]),
        ("a repeat", None, registration(true, Some("c-0"), None), vec![]),
        // Every screening also registers a complaint transferred down to this office (转送件登记);
        // none is open at the office that registered it first, so closing it there does nothing.
        (
            "accepted and transferred",
            Some(&before),
            screened(ScreeningOutcome::AcceptTransfer, Some(Role::Supervision)),
            vec![
                Duty::Open {
                    id: "quarterly_report:530102:supervision:2026Q3".into(),
                    aggregate: Some("quarterly:530102:supervision".into()),
                    kind: K::QuarterlyReport,
                    rule: Rule::AfterQuarter(10),
                    start: d("2026-09-30"),
                    watch_office: None,
                    duty_office: None,
                },
                close(K::TransferRegistration, "done", TODAY),
            ],
        ),
        (
            "a repeat screened",
            Some(&before),
            screened(ScreeningOutcome::Repeat, None),
            vec![close(K::AcceptanceNotice, "cancelled", TODAY), close(K::TransferRegistration, "done", TODAY)],
        ),
        (
            "not accepted",
            Some(&before),
            screened(ScreeningOutcome::NotAccepted, None),
            vec![close(K::AcceptanceNotice, "cancelled", TODAY), close(K::TransferRegistration, "done", TODAY)],
        ),
        (
            "reported upward",
            Some(&before),
            screened(ScreeningOutcome::ReportUpward, None),
            vec![
                close(K::AcceptanceNotice, "cancelled", TODAY),
                open(K::ReportUpward, Rule::WorkingDays(5), "2026-09-21"),
                close(K::TransferRegistration, "done", TODAY),
            ],
        ),
        (
            "transferred downward",
            Some(&before),
            screened(ScreeningOutcome::TransferDownward, None),
            vec![
                close(K::AcceptanceNotice, "cancelled", TODAY),
                open(K::TransferDownward, Rule::WorkingDays(5), "2026-09-21"),
                close(K::TransferRegistration, "done", TODAY),
            ],
        ),
        ("notified", Some(&before), E::AcceptanceNotified(act(TODAY)), vec![close(K::AcceptanceNotice, "done", TODAY)]),
        (
            "forwarded",
            Some(&before),
            E::Forwarded(act(TODAY)),
            vec![close(K::ReportUpward, "done", TODAY), close(K::TransferDownward, "done", TODAY)],
        ),
        (
            "assigned below",
            Some(&before),
            E::Assigned(step(ApprovalAction::Assign { to_office: BELOW.into(), report_days: Some(20) })),
            vec![
                close(K::AcceptanceNotice, "cancelled", TODAY),
                Duty::Open {
                    id: "assignment_report:e-1".into(),
                    aggregate: None,
                    kind: K::AssignmentReport,
                    rule: Rule::WorkingDays(20),
                    start: today(),
                    watch_office: Some(HERE.into()),
                    duty_office: Some(BELOW.into()),
                },
            ],
        ),
        (
            "handed laterally",
            Some(&before),
            E::HandedLaterally(step(ApprovalAction::Lateral { to_office: "530103".into() })),
            vec![close(K::AcceptanceNotice, "cancelled", TODAY)],
        ),
        (
            "supervised",
            Some(&before),
            E::Supervised(step(ApprovalAction::Supervise { report_days: None })),
            vec![Duty::Open {
                id: "supervision_report:e-1".into(),
                aggregate: None,
                kind: K::SupervisionReport,
                rule: Rule::WorkingDays(30),
                start: today(),
                watch_office: Some(HERE.into()),
                duty_office: None,
            }],
        ),
        (
            "result reported",
            Some(&before),
            E::ResultReported(act(TODAY)),
            vec![close(K::AssignmentReport, "done", TODAY), close(K::SupervisionReport, "done", TODAY)],
        ),
        // 函询: the written reply is due 15 working days from the letter.
        (
            "inquiry",
            Some(&before),
            E::Disposed(step(ApprovalAction::Dispose {
                method: DisposalMethod::Inquiry,
                letter_date: Some("2026-09-25".into()),
            })),
            vec![open(K::InquiryReply, Rule::WorkingDays(15), "2026-09-25")],
        ),
        (
            "verification",
            Some(&before),
            E::Disposed(step(ApprovalAction::Dispose { method: DisposalMethod::Verification, letter_date: None })),
            vec![],
        ),
        ("reply", Some(&before), E::InquiryReplied(act(TODAY)), vec![close(K::InquiryReply, "done", TODAY)]),
        // 结果反馈: to a real-name reporter within 15 working days of the conclusion.
        (
            "concluded, real name",
            Some(&before),
            concluded.clone(),
            vec![close(K::InquiryReply, "cancelled", TODAY), open(K::ResultFeedback, Rule::WorkingDays(15), TODAY)],
        ),
        ("concluded, anonymous", Some(&anonymous), concluded, vec![close(K::InquiryReply, "cancelled", TODAY)]),
        ("fed back", Some(&before), E::FeedbackGiven(act(TODAY)), vec![close(K::ResultFeedback, "done", TODAY)]),
        // 审理: one month from acceptance for trial; met by the decision.
        (
            "trial accepted",
            Some(&before),
            milestone(CaseStage::TrialAccepted),
            vec![open(K::TrialReview, Rule::Months(1), TODAY)],
        ),
        ("decided", Some(&before), milestone(CaseStage::Decided), vec![close(K::TrialReview, "done", TODAY)]),
        ("filed", Some(&before), milestone(CaseStage::Filed), vec![]),
        // 留置: three fixed months, reminded ten days before; once extended, six from the start.
        (
            "detention started",
            Some(&before),
            E::DetentionStarted(act("2026-09-22")),
            vec![
                open(K::DetentionEnd, Rule::MonthsFixed(3), "2026-09-22"),
                open(K::DetentionReminder, Rule::DaysBeforeMonthsFixed(10, 3), "2026-09-22"),
            ],
        ),
        (
            "detention extended",
            Some(&detained),
            E::DetentionExtended(DetentionExtended {
                complaint_id: "c-1".into(),
                date: TODAY.into(),
                approval_ref: "州纪委〔2026〕8号".into(),
                rule: None,
                reminder_rule: None,
            }),
            vec![
                close(K::DetentionEnd, "cancelled", TODAY),
                close(K::DetentionReminder, "cancelled", TODAY),
                open(K::DetentionEnd, Rule::MonthsFixed(6), "2026-09-22"),
                open(K::DetentionReminder, Rule::DaysBeforeMonthsFixed(10, 6), "2026-09-22"),
            ],
        ),
        (
            "detention ended",
            Some(&detained),
            E::DetentionEnded(act(TODAY)),
            vec![close(K::DetentionEnd, "done", TODAY), close(K::DetentionReminder, "done", TODAY)],
        ),
        (
            "quarterly report",
            None,
            E::QuarterlyReportSubmitted(QuarterlyReportSubmitted {
                department: Role::Supervision,
                quarter: "2026Q3".into(),
                date: "2026-10-08".into(),
                note: String::new(),
            }),
            vec![Duty::CloseId {
                id: "quarterly_report:530102:supervision:2026Q3".into(),
                status: "done",
                date: "2026-10-08".into(),
            }],
        ),
    ];
    for (name, before, event, expected) in rows {
        assert_eq!(workflow::duties(before, &event, &meta()).unwrap(), expected, "{name}");
    }
}

/// Issue #15: changing a deadline rule must never move an old due date on rebuild. An event
/// written before the rule travelled keeps today's rule; an event that carries its rule keeps
/// its own, whatever `DeadlineKind::rule` says now.
#[test]
fn a_deadline_rule_travels_with_the_event_that_opens_it() {
    use DeadlineKind as K;
    let rule_of = |event: &ComplaintEvent, before: Option<&Complaint>| -> Vec<Rule> {
        workflow::duties(before, event, &meta())
            .unwrap()
            .into_iter()
            .filter_map(|d| match d {
                Duty::Open { rule, .. } => Some(rule),
                _ => None,
            })
            .collect()
    };
    // The acceptance notice: absent (an old event) → today's 15 working days; carried → its own.
    assert_eq!(rule_of(&registration(true, None, None), None), [K::AcceptanceNotice.rule()]);
    assert_eq!(rule_of(&registration(true, None, Some("working_days:20")), None), [Rule::WorkingDays(20)]);
    // The result feedback.
    let concluded = |rule: Option<&str>| {
        ComplaintEvent::Concluded(Concluded {
            complaint_id: "c-1".into(),
            date: TODAY.into(),
            result: "了结".into(),
            accusation: AccusationFinding::None,
            clearance: false,
            rule: rule.map(str::to_owned),
        })
    };
    let c = registered();
    assert_eq!(rule_of(&concluded(None), Some(&c)), [K::ResultFeedback.rule()]);
    assert_eq!(rule_of(&concluded(Some("working_days:10")), Some(&c)), [Rule::WorkingDays(10)]);
    // Detention: both the end and its reminder.
    let started = ComplaintEvent::DetentionStarted(DatedAct {
        rule: Some("months_fixed:2".into()),
        reminder_rule: Some("days_before_months_fixed:5:2".into()),
        ..act(TODAY)
    });
    assert_eq!(rule_of(&started, Some(&c)), [Rule::MonthsFixed(2), Rule::DaysBeforeMonthsFixed(5, 2)]);

    // And a step decided today carries today's rule, so its due date is fixed from then on.
    let here = office();
    let screened = Complaint { status: ComplaintStatus::Concluded, ..c.clone() };
    let feedback = workflow::decide(
        &Complaint {
            status: ComplaintStatus::WithDepartment,
            department: Some(Role::Supervision),
            disposal: Some("close".into()),
            ..c
        },
        &here,
        &post("supervision"),
        &command(Step::Conclude, &screened),
        today(),
    )
    .unwrap();
    let ComplaintEvent::Concluded(p) = &feedback.events[0] else { panic!("{:?}", feedback.events) };
    assert_eq!(p.rule.as_deref(), Some(K::ResultFeedback.rule().code().as_str()));
}

/// The acceptance notice document (受理告知书) goes only to a first real-name reporter of a
/// complaint accepted here; the refusals are the workflow's (`acceptance_notice_refusal`).
#[test]
fn who_is_owed_an_acceptance_notice() {
    use ComplaintStatus as S;
    let accepted = Complaint { status: S::WithDepartment, department: Some(Role::Supervision), ..registered() };
    let rows: Vec<(&str, Complaint, Option<&str>)> = vec![
        ("accepted, real name", accepted.clone(), None),
        ("not yet screened", registered(), Some("尚未筛选受理")),
        ("a repeat", Complaint { repeat_of: Some("c-0".into()), ..accepted.clone() }, Some("重复举报")),
        ("named but not real-name", Complaint { real_name: false, ..accepted.clone() }, Some("实名检举控告人")),
        ("not accepted", Complaint { status: S::NotAccepted, ..accepted.clone() }, Some("不予受理告知书")),
        ("reported upward", Complaint { status: S::ReportedUpward, ..accepted.clone() }, Some("由受理机关告知")),
        ("assigned below", Complaint { status: S::Assigned, ..accepted }, Some("由受理机关告知")),
    ];
    for (name, c, refusal) in rows {
        let got = workflow::acceptance_notice_refusal(&c);
        match refusal {
            None => assert_eq!(got, None, "{name}"),
            Some(text) => assert!(got.as_deref().is_some_and(|m| m.contains(text)), "{name}: {got:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Routing: with the office in the directory, every hand-over's destination is checked by the
// route rule before anything is recorded (issue #16's misroutes among them).

fn province_directory() -> Vec<qingfeng_log::route::RouteOffice> {
    use qingfeng_log::office::{OfficeLevel as L, UnitKind};
    let o = |code: &str, name: &str, level, parent: Option<&str>| qingfeng_log::route::RouteOffice {
        code: code.into(),
        name: name.into(),
        level,
        unit: UnitKind::Office,
        parent: parent.map(Into::into),
    };
    vec![
        o("530000", "云南省纪委监委", L::Province, None),
        o("530100", "昆明市纪委监委", L::Prefecture, Some("530000")),
        o("530300", "曲靖市纪委监委", L::Prefecture, Some("530000")),
        o("530102", "五华区纪委监委", L::County, Some("530100")),
        o("530103", "盘龙区纪委监委", L::County, Some("530100")),
        o("530302", "麒麟区纪委监委", L::County, Some("530300")),
    ]
}

fn office_in_directory(code: &str) -> Office {
    let directory = province_directory();
    let parent = directory.iter().find(|o| o.code == code).and_then(|o| o.parent.clone());
    let below: Vec<String> =
        directory.iter().filter(|o| o.parent.as_deref() == Some(code)).map(|o| o.code.clone()).collect();
    Office { code: code.into(), parent, children: below.clone(), below, directory }
}

fn screening(outcome: ScreeningOutcome, refer_to: Option<&str>) -> Command {
    Command::Screen {
        outcome,
        department: None,
        reason: "属于其他机关管辖".into(),
        refer_to: refer_to.map(Into::into),
        repeat_of: None,
    }
}

#[test]
fn hand_overs_are_routed_by_the_directory_before_anything_is_recorded() {
    use ScreeningOutcome as O;
    let petitions_of = |code: &str| {
        Actor::User(Principal {
            user_id: "petitions".into(),
            username: "petitions".into(),
            display_name: "petitions".into(),
            office_code: code.into(),
            grants: vec![RoleGrant { office_code: code.into(), role: Role::Petitions }],
            session_id: String::new(),
        })
    };
    let at = |code: &str| Complaint { owner: code.into(), ..registered() };
    // (office, command, refusal it must name) — each a misroute that main recorded and never delivered.
    let refused: Vec<(&str, Command, &str)> = vec![
        ("530100", screening(O::TransferDownward, Some("530300")), "平级移交"),
        ("530102", screening(O::TransferDownward, Some("530103")), "平级移交"),
        ("530100", screening(O::TransferDownward, Some("530199")), "名录中没有代码为 530199"),
        ("530100", screening(O::TransferDownward, Some("530102001")), "格式不正确"),
        ("530100", screening(O::TransferDownward, None), "须从机关名录中选择"),
        ("530100", screening(O::TransferDownward, Some("530100")), "本机关自己"),
        ("530102", screening(O::TransferDownward, Some("530100")), "不是本机关辖区内的下级机关"),
        ("530102", screening(O::ReportUpward, Some("530103")), "平级移交"),
        ("530102", screening(O::ReportUpward, Some("530000")), "只能报送本机关的上级机关"),
        ("530000", screening(O::ReportUpward, None), "没有上级机关"),
        (
            "530100",
            Command::Request {
                approval_id: "a-9".into(),
                request: ApprovalAction::Assign { to_office: "530302".into(), report_days: Some(30) },
                reason: "请依规办理".into(),
            },
            "不是本机关辖区内的下级机关",
        ),
    ];
    for (code, command, why) in refused {
        let here = office_in_directory(code);
        let e = workflow::decide(&at(code), &here, &petitions_of(code), &command, today()).unwrap_err().to_string();
        assert!(e.contains(why), "{code} {command:?}: {e}");
    }
    // The allowed routes offer the hand-over to exactly the office named (the parent when a
    // report upward names none), and a province may send straight to a county.
    for (code, command, to) in [
        ("530102", screening(O::ReportUpward, None), "530100"),
        ("530102", screening(O::ReportUpward, Some("530100")), "530100"),
        ("530100", screening(O::TransferDownward, Some("530103")), "530103"),
        ("530000", screening(O::TransferDownward, Some("530302")), "530302"),
    ] {
        let here = office_in_directory(code);
        let decided = workflow::decide(&at(code), &here, &petitions_of(code), &command, today()).unwrap();
        assert_eq!(decided.offer.map(|o| o.to_office).as_deref(), Some(to), "{code} {command:?}");
    }
    // A lateral hand-over goes to a sibling under the same office above, with a leader's approval:
    // asked, it offers nothing; granted, it offers the case to that sibling by the `lateral`
    // route, and the acceptance notice moves with it (`duties`).
    let lateral = |to: &str| Command::Request {
        approval_id: "a-9".into(),
        request: ApprovalAction::Lateral { to_office: to.into() },
        reason: "属盘龙区管辖".into(),
    };
    for (code, to, why) in [
        ("530102", "530302", "不是同一上级机关下的同级机关"),
        ("530102", "530100", "不是同一上级机关下的同级机关"),
        ("530102", "530199", "名录中没有代码为 530199"),
        ("530102", "", "请从机关名录中选择平级移交给哪个机关"),
        ("530000", "530100", "没有与本机关同属一个上级机关的同级机关"),
    ] {
        let e = workflow::decide(&at(code), &office_in_directory(code), &petitions_of(code), &lateral(to), today())
            .unwrap_err()
            .to_string();
        assert!(e.contains(why), "lateral {code} → {to}: {e}");
    }
    let here = office_in_directory("530102");
    let asked = workflow::decide(&at("530102"), &here, &petitions_of("530102"), &lateral("530103"), today()).unwrap();
    assert!(asked.offer.is_none(), "asking for a lateral hand-over hands nothing over");
    assert_eq!(asked.events.iter().map(ComplaintEvent::kind).collect::<Vec<_>>(), ["approval.requested"]);
    assert!(
        workflow::allowed(&at("530102"), &here, &petitions_of("530102")).contains(&Step::RequestLateral),
        "a county with a sibling is offered 平级移交"
    );
    let pending = Complaint {
        approvals: vec![approval(ApprovalAction::Lateral { to_office: "530103".into() }, "pending", "530102")],
        ..at("530102")
    };
    let granted = workflow::decide(
        &pending,
        &here,
        &post("leader"),
        &Command::Decide { approval_id: "a-1".into(), granted: true, comment: "同意".into() },
        today(),
    )
    .unwrap();
    assert_eq!(
        granted.events.iter().map(ComplaintEvent::kind).collect::<Vec<_>>(),
        ["approval.decided", "complaint.handed_laterally"]
    );
    let offer = granted.offer.expect("a granted lateral hand-over offers the case");
    assert_eq!((offer.to_office.as_str(), offer.reason.as_str()), ("530103", "lateral"));

    // Supervision names the office handling the case: only one within this office's jurisdiction.
    let supervisor = petitions_of("530100");
    let elsewhere = Complaint { owner: "530302".into(), ..registered() };
    let e = workflow::check(&elsewhere, &office_in_directory("530100"), &supervisor, Step::RequestSupervision)
        .unwrap_err()
        .to_string();
    assert!(e.contains("不是本机关辖区内的下级机关"), "{e}");
}
