//! `qingfeng complaint …`: register, read, list and move complaints through their handling.
//!
//! Every command acts as a logged-in officer (`--as`, with the password from QINGFENG_PASSWORD or
//! a prompt), so the core checks the officer's posts exactly as it does for the desktop, and the
//! log records who did what. JSON output of a single complaint is its `ComplaintDetail` with the
//! status copied to the top level, so scripts can read `status` and `deadlines` side by side.

use std::io::Read;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use qingfeng_core::CoreError;
use qingfeng_core::Store;
use qingfeng_core::authz::Actor;
use qingfeng_core::complaints::attachments;
use qingfeng_core::complaints::ops::{self, Conclusion, Screening};
use qingfeng_core::complaints::query::{self, ComplaintDetail, ComplaintFilter, ComplaintSummary};
use qingfeng_core::complaints::{
    AccusationFinding, ApprovalAction, CaseStage, ComplaintActionKind, ComplaintChannel, ComplaintStatus,
    DisposalMethod, RegisterComplaint, Reporter, ScreeningOutcome, handling_department,
};
use qingfeng_core::deadlines::{DeadlineView, Light};
use qingfeng_core::directory;
use qingfeng_core::identity::Role;
use serde_json::{Value, json};

use crate::{AsUser, Ctx, as_user};

/// The acting officer; accepted anywhere after `complaint`, e.g. after the step of a transition.
#[derive(Args, Debug)]
pub(crate) struct ComplaintUser {
    /// 操作人账号：如 xinfang（信访室）、jiancha（监督检查室）、lingdao（分管领导）等
    #[arg(long = "as", env = "QINGFENG_USER", default_value = "admin", global = true)]
    as_user: String,
}

#[derive(Args, Debug)]
pub(crate) struct ComplaintArgs {
    #[command(flatten)]
    actor: ComplaintUser,
    #[command(subcommand)]
    cmd: ComplaintCmd,
}

#[derive(Subcommand, Debug)]
enum ComplaintCmd {
    /// 从 JSON 表单文件登记一件检举控告；--file - 表示从标准输入读取
    Register {
        #[arg(long)]
        file: PathBuf,
        /// 问题类别（可重复），须为现行重点问题目录中的类别（qingfeng report catalogue 列出），加在表单的类别之后
        #[arg(long = "category")]
        categories: Vec<String>,
    },
    /// 检举控告详情：状态、被反映人、期限、审批、办理经过（举报人身份已屏蔽）
    Show {
        /// 检举控告的编号（如 530102-2026-00001）或内部标识
        id: String,
    },
    /// 按条件查询检举控告，最近收到的在前
    List(ListArgs),
    /// 办理检举控告的一个步骤
    Transition {
        /// 检举控告的编号或内部标识
        id: String,
        #[command(subcommand)]
        step: StepCmd,
    },
    /// 当前操作人的待办事项
    Inbox,
    /// 所有未到期的期限，按红黄绿灯分别计数（红灯已逾期，黄灯 5 个工作日内到期）
    Dashboard,
    /// 为检举控告添加附件（扫描件、录音等，不超过 20 MB）
    Attach {
        /// 检举控告的编号或内部标识
        id: String,
        file: std::path::PathBuf,
    },
    /// 把附件保存为文件（信访室或分管领导；每次打开均留痕）
    OpenAttachment {
        /// 检举控告的编号或内部标识
        id: String,
        /// 附件的 SHA-256 摘要，即 show 列出的值
        sha256: String,
        /// 打开的事由
        #[arg(long)]
        purpose: String,
        /// 保存到的文件路径
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// 登记承办部门向信访室报送的季度办结情况
    QuarterlyReport {
        /// 承办部门：supervision（监督检查室）或 investigation（审查调查室）
        #[arg(long, value_parser = parse_department)]
        department: Role,
        /// E.g. 2026Q4.
        #[arg(long)]
        quarter: String,
        #[command(flatten)]
        dated: Dated,
    },
}

#[derive(Args, Debug)]
struct ListArgs {
    /// 办理状态：registered, with_department, repeat, reported_upward, transferred_downward, not_accepted, inquiry, verification, held, case_filed, concluded 之一（也可写中文名称）
    #[arg(long, value_parser = parse_status)]
    status: Option<ComplaintStatus>,
    /// 来源渠道：letter, visit, phone, web（也可写 来信、来访、来电、网络）
    #[arg(long, value_parser = parse_channel)]
    channel: Option<ComplaintChannel>,
    /// 承办部门：supervision（监督检查室）或 investigation（审查调查室）
    #[arg(long, value_parser = parse_role)]
    department: Option<Role>,
    /// 被反映单位（名称的一部分即可）
    #[arg(long)]
    unit: Option<String>,
    /// 收到日期不早于此日
    #[arg(long)]
    from: Option<String>,
    /// 收到日期不晚于此日
    #[arg(long)]
    to: Option<String>,
    /// 只列有逾期期限的检举控告
    #[arg(long)]
    overdue: bool,
    /// 摘要、内容或人名中的字词（一个字及以上）
    #[arg(long)]
    search: Option<String>,
    /// 最多列出多少件（默认 200）
    #[arg(long)]
    limit: Option<u32>,
}

/// A dated act's date and note.
#[derive(Args, Debug)]
struct Dated {
    /// 发生日期（年-月-日），不得晚于今天
    #[arg(long)]
    date: String,
    #[arg(long, default_value = "")]
    note: String,
}

/// Grant or refuse: exactly one.
#[derive(Args, Debug)]
#[group(required = true, multiple = false)]
struct Verdict {
    /// 同意申请
    #[arg(long)]
    grant: bool,
    /// 不同意（须写明理由）
    #[arg(long)]
    refuse: bool,
}

#[derive(Subcommand, Debug)]
enum StepCmd {
    /// 对已登记的检举控告作出受理处理（信访室）
    Screen {
        /// 处理方式：accept_transfer（受理转办）、repeat（重复件）、report_upward（上报）、transfer_downward（转下级）、not_accepted（不予受理）
        #[arg(long, value_parser = parse_outcome)]
        outcome: ScreeningOutcome,
        /// 受理转办时的承办部门：supervision 或 investigation
        #[arg(long, value_parser = parse_department)]
        department: Option<Role>,
        #[arg(long, default_value = "")]
        reason: String,
        /// 不予受理时告诉举报人应向何处反映；上报、下转时为接收机关的名称或代码（须是机关名录中允许的机关）
        #[arg(long)]
        refer_to: Option<String>,
        /// 重复件所重复的前一件（编号或内部标识）
        #[arg(long)]
        repeat_of: Option<String>,
    },
    /// 已向实名举报人告知受理（信访室）
    NotifyAcceptance(Dated),
    /// 已上报或已转下级（信访室）
    Forwarded(Dated),
    /// 请分管领导批准退回信访室（承办部门）
    RequestReturn {
        #[arg(long)]
        reason: String,
    },
    /// 请分管领导批准处置方式（承办部门）
    RequestDisposal {
        /// 处置方式：inquiry（谈话函询）、verification（初步核实）、hold（暂存待查）、close（予以了结）、file_case（立案审查调查）
        #[arg(long, value_parser = parse_method)]
        method: DisposalMethod,
        /// 谈话函询时的发函日期（回复期限为其后 15 个工作日）
        #[arg(long)]
        letter_date: Option<String>,
        /// 集体排查意见
        #[arg(long)]
        reason: String,
    },
    /// 请分管领导批准交办下级机关（信访室，受理前）；下级机关在期限（工作日）内报告结果
    Assign {
        /// 下级机关的名称或代码（须是机关名录中本机关辖区内的机关）
        #[arg(long)]
        to: String,
        /// 报告结果的期限，工作日数（默认为本机关设置，60）
        #[arg(long)]
        report_days: Option<u32>,
        /// 交办事由及对下级机关的要求
        #[arg(long)]
        reason: String,
    },
    /// 请分管领导批准就此件督办下级机关（信访室，或承办机关上级的案件监督管理室）
    Supervise {
        /// 报告结果的期限，工作日数（默认为本机关设置，30）
        #[arg(long)]
        report_days: Option<u32>,
        /// 督办事由及要求
        #[arg(long)]
        reason: String,
    },
    /// 请分管领导批准平级移交给同一上级机关下的同级机关（信访室，受理前）
    Lateral {
        /// 同级机关的名称或代码（须是机关名录中与本机关同属一个上级机关的同级机关）
        #[arg(long)]
        to: String,
        /// 平级移交的理由
        #[arg(long)]
        reason: String,
    },
    /// 向上级机关报告交办或督办件的办理结果（信访室）
    ReportResult(Dated),
    /// 对待审批事项作出同意或不同意（分管领导；下级机关提请本机关批准的留置、延长留置也在此审批）
    Decide {
        /// 审批事项的内部标识（默认为该件待审批的事项）
        #[arg(long)]
        approval: Option<String>,
        #[command(flatten)]
        verdict: Verdict,
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// 已收到函询的书面回复（承办部门）
    InquiryReply(Dated),
    /// 办结并登记结果（承办部门）
    Conclude {
        #[arg(long)]
        date: String,
        #[arg(long)]
        result: String,
        /// 失实情形：none（无）、mistaken（错告）或 false（诬告陷害）
        #[arg(long, value_parser = parse_accusation, default_value = "none")]
        accusation: AccusationFinding,
        /// 已为被错告的干部澄清正名
        #[arg(long)]
        clearance: bool,
    },
    /// 已向实名举报人反馈结果（承办部门）
    Feedback(Dated),
    /// 举报人对结果有异议（信访室）；有新证据的退回重新办理
    Objection {
        #[arg(long)]
        date: String,
        #[arg(long)]
        content: String,
        #[arg(long)]
        new_evidence: bool,
    },
    /// 登记立案案件的下一阶段：filed（立案）、investigation（审查调查）、trial_accepted（审理受理）、decided（作出决定）
    Milestone {
        #[arg(long, value_parser = parse_stage)]
        stage: CaseStage,
        #[command(flatten)]
        dated: Dated,
    },
    /// 开始留置：期限 3 个月，不因节假日顺延，届满前 10 日提醒（有上一级机关的，改用 request-detention 报批）
    Detain(Dated),
    /// 经上级批准延长留置一次，延长 3 个月（有上一级机关的，改用 request-extension 报批）
    ExtendDetention {
        #[arg(long)]
        date: String,
        /// 上级批准文号
        #[arg(long)]
        approval_ref: String,
    },
    /// 解除留置
    Release(Dated),
    /// 提请上一级机关批准采取留置措施（承办部门；本机关在机关名录中有上一级机关时，留置须经其领导在程序中批准，批准之日起算 3 个月）
    RequestDetention {
        /// 提请理由
        #[arg(long)]
        reason: String,
    },
    /// 提请上一级机关批准延长留置一次（承办部门；批准后自原留置开始之日起共 6 个月）
    RequestExtension {
        /// 提请理由
        #[arg(long)]
        reason: String,
    },
    /// 查看举报人身份（信访室或分管领导）；每次查看均留痕
    Reveal {
        /// 需要查看身份的事由
        #[arg(long)]
        purpose: String,
    },
}

// Value parsers: a wrong word on the command line is a usage error (exit 2), in Chinese.

fn parse_outcome(s: &str) -> Result<ScreeningOutcome, String> {
    ScreeningOutcome::parse(s).map_err(|e| e.to_string())
}

fn parse_stage(s: &str) -> Result<CaseStage, String> {
    CaseStage::parse(s).map_err(|e| e.to_string())
}

fn parse_department(s: &str) -> Result<Role, String> {
    Role::parse(s).and_then(handling_department).map_err(|e| e.to_string())
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).map_err(|e| e.to_string())
}

fn parse_method(s: &str) -> Result<DisposalMethod, String> {
    DisposalMethod::parse(s).map_err(|e| e.to_string())
}

fn parse_status(s: &str) -> Result<ComplaintStatus, String> {
    ComplaintStatus::parse(s).map_err(|e| e.to_string())
}

fn parse_channel(s: &str) -> Result<ComplaintChannel, String> {
    ComplaintChannel::parse(s).map_err(|e| e.to_string())
}

fn parse_accusation(s: &str) -> Result<AccusationFinding, String> {
    match s {
        "none" | "无" => Ok(AccusationFinding::None),
        "mistaken" | "错告" => Ok(AccusationFinding::Mistaken),
        "false" | "诬告陷害" | "诬告" => Ok(AccusationFinding::False),
        other => Err(format!("不认识的认定结果“{other}”：可选 none（无）、mistaken（错告）、false（诬告陷害）。")),
    }
}

pub(crate) fn run(ctx: &Ctx, args: ComplaintArgs) -> anyhow::Result<()> {
    let who = AsUser { as_user: args.actor.as_user };
    match args.cmd {
        ComplaintCmd::Register { file, categories } => register(ctx, &who, &file, &categories),
        ComplaintCmd::Show { id } => {
            let mut store = ctx.open()?;
            let detail = as_user(&mut store, &who, |s, a| {
                let id = resolve(s, a, &id)?;
                query::show(s, a, &id)
            })?;
            ctx.out(detail_json(&detail)?, || detail_text(&detail));
            Ok(())
        }
        ComplaintCmd::List(args) => list(ctx, &who, args),
        ComplaintCmd::Transition { id, step } => transition(ctx, &who, &id, step),
        ComplaintCmd::Inbox => {
            let mut store = ctx.open()?;
            let items = as_user(&mut store, &who, query::inbox)?;
            ctx.out(serde_json::to_value(&items)?, || {
                if items.is_empty() {
                    return "没有待办的检举控告。".to_owned();
                }
                let mut tasks: Vec<&str> = Vec::new();
                for i in &items {
                    if !tasks.contains(&i.task.as_str()) {
                        tasks.push(&i.task);
                    }
                }
                let mut out = Vec::new();
                for task in tasks {
                    let of_task: Vec<&ComplaintSummary> =
                        items.iter().filter(|i| i.task == task).map(|i| &i.complaint).collect();
                    out.push(format!("{task}（{} 件）", of_task.len()));
                    out.extend(of_task.into_iter().map(|c| format!("  {}", summary_line(c))));
                }
                out.join("\n")
            });
            Ok(())
        }
        ComplaintCmd::Attach { id, file } => {
            let bytes = std::fs::read(&file).with_context(|| format!("无法读取文件 {}", file.display()))?;
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let mut store = ctx.open()?;
            let added = as_user(&mut store, &who, |s, a| {
                let id = resolve(s, a, &id)?;
                attachments::add(s, a, &id, &name, &bytes)
            })?;
            ctx.out(serde_json::to_value(&added)?, || {
                format!(
                    "已添加附件“{}”（{}，{} 字节，SHA-256 {}）。",
                    added.name, added.kind_label, added.size, added.sha256
                )
            });
            Ok(())
        }
        ComplaintCmd::OpenAttachment { id, sha256, purpose, out } => {
            let mut store = ctx.open()?;
            let opened = as_user(&mut store, &who, |s, a| {
                let id = resolve(s, a, &id)?;
                attachments::open(s, a, &id, &sha256, &purpose)
            })?;
            qingfeng_core::files::write_private(&out, &opened.bytes)
                .with_context(|| format!("无法写入 {}", out.display()))?;
            ctx.out(json!({ "name": opened.name, "media_type": opened.media_type, "out": out }), || {
                format!("已将附件“{}”保存到 {}（查看已留痕）。", opened.name, out.display())
            });
            Ok(())
        }
        ComplaintCmd::QuarterlyReport { department, quarter, dated } => {
            let mut store = ctx.open()?;
            as_user(&mut store, &who, |s, a| {
                ops::submit_quarterly_report(s, a, department, &quarter, &dated.date, &dated.note)
            })?;
            ctx.out(json!({ "department": department, "quarter": quarter, "submitted": true }), || {
                format!("已记录{}报送 {quarter} 办结情况报告。", department.label())
            });
            Ok(())
        }
        ComplaintCmd::Dashboard => {
            let mut store = ctx.open()?;
            let dash = as_user(&mut store, &who, query::dashboard)?;
            ctx.out(serde_json::to_value(&dash)?, || {
                let mut out = vec![format!(
                    "今天 {}：红灯（逾期）{} 项，黄灯（5 个工作日内到期）{} 项，绿灯 {} 项。",
                    dash.today, dash.red, dash.yellow, dash.green
                )];
                for i in &dash.items {
                    let d = &i.deadline;
                    out.push(format!(
                        "  {}  {}  {}  {}  {}  {}",
                        pad(light_label(d.light), 6),
                        d.due,
                        pad(&d.label, 8),
                        i.number,
                        pad(&days_left(d), 16),
                        clip(&i.summary, 40)
                    ));
                }
                out.join("\n")
            });
            Ok(())
        }
    }
}

/// Reads the registration form from a file, or from standard input for `-`.
fn register(ctx: &Ctx, who: &AsUser, file: &std::path::Path, categories: &[String]) -> anyhow::Result<()> {
    let text = if file.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).context("读取标准输入失败")?;
        s
    } else {
        std::fs::read_to_string(file).with_context(|| format!("无法读取登记表文件 {}", file.display()))?
    };
    let mut form: RegisterComplaint = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "登记表不是有效的 JSON（{e}）。应包含 channel、received_at、reporter、real_name、summary、content、categories、subjects 等字段。"
        )
    })?;
    form.categories.extend(categories.iter().cloned());
    let mut store = ctx.open()?;
    let (detail, similar) = as_user(&mut store, who, |s, a| {
        // Look for earlier complaints about the same people before this one is among them.
        let similar = query::similar(s, a, &form)?;
        let id = ops::register(s, a, &form)?;
        Ok((query::show(s, a, &id)?, similar))
    })?;
    let mut value = detail_json(&detail)?;
    value["similar"] = serde_json::to_value(&similar)?;
    ctx.out(value, || {
        let mut out = format!(
            "已登记检举控告 {}（id {}），状态：{}。",
            detail.summary.number, detail.summary.id, detail.summary.status_label
        );
        if !similar.is_empty() {
            out.push_str("\n可能重复的检举控告：");
            for s in &similar {
                out.push_str(&format!(
                    "\n  {}  {}（{}）",
                    s.complaint.number,
                    s.complaint.summary,
                    s.reasons.join("；")
                ));
            }
        }
        out
    });
    Ok(())
}

fn list(ctx: &Ctx, who: &AsUser, args: ListArgs) -> anyhow::Result<()> {
    let filter = ComplaintFilter {
        status: args.status,
        channel: args.channel,
        department: args.department,
        unit: args.unit,
        received_from: args.from,
        received_to: args.to,
        overdue_only: args.overdue,
        text: args.search,
        limit: args.limit,
    };
    let mut store = ctx.open()?;
    let rows = as_user(&mut store, who, |s, a| query::list(s, a, &filter))?;
    ctx.out(serde_json::to_value(&rows)?, || {
        if rows.is_empty() {
            return "没有符合条件的检举控告。".to_owned();
        }
        let mut out = vec![format!(
            "{}  {}  {}  {}  {}  {}",
            pad("编号", 17),
            pad("收到日期", 10),
            pad("渠道", 4),
            pad("状态", 16),
            pad("最近期限", 16),
            "摘要"
        )];
        out.extend(rows.iter().map(summary_line));
        out.push(format!("共 {} 件。", rows.len()));
        out.join("\n")
    });
    Ok(())
}

/// What a step produced besides the complaint's new state.
#[derive(Debug, Default)]
struct StepResult {
    approval_id: Option<String>,
    /// `Some` after a reveal: the reporter, or `None` for an anonymous complaint.
    reporter: Option<Option<Reporter>>,
}

fn transition(ctx: &Ctx, who: &AsUser, id: &str, step: StepCmd) -> anyhow::Result<()> {
    let mut store = ctx.open()?;
    let done = step_done(&step);
    let (detail, result) = as_user(&mut store, who, |s, a| {
        let id = resolve(s, a, id)?;
        let result = take_step(s, a, &id, step)?;
        Ok((query::show(s, a, &id)?, result))
    })?;
    let mut value = detail_json(&detail)?;
    if let Some(approval) = &result.approval_id {
        value["approval_id"] = json!(approval);
    }
    if let Some(reporter) = &result.reporter {
        value["reporter"] = serde_json::to_value(reporter)?;
    }
    ctx.out(value, || {
        let mut out = format!("{done}：{} 现为“{}”。", detail.summary.number, detail.summary.status_label);
        if let Some(approval) = &result.approval_id {
            let upper = detail.approvals.iter().find(|a| a.id == *approval).and_then(|a| a.upper_office.as_ref());
            match upper {
                Some(office) => out.push_str(&format!("\n审批事项 {approval} 已报{office}，等待该机关领导审批。")),
                None => out.push_str(&format!("\n审批事项 {approval} 已提交，等待分管领导审批。")),
            }
        }
        match &result.reporter {
            Some(Some(r)) => {
                out.push_str(&format!("\n检举人：{}", r.name));
                if let Some(unit) = &r.unit {
                    out.push_str(&format!("（{unit}）"));
                }
                out.push_str(&format!("\n联系方式：{}", if r.contact.is_empty() { "（未留）" } else { &r.contact }));
                if let Some(address) = &r.address {
                    out.push_str(&format!("\n地址：{address}"));
                }
                out.push_str("\n本次查看已记入日志。请严格保密，不得向被反映人或无关人员透露。");
            }
            Some(None) => out.push_str("\n该件为匿名检举，没有检举人身份信息。"),
            None => {}
        }
        out
    });
    Ok(())
}

/// The words for a step once taken.
fn step_done(step: &StepCmd) -> &'static str {
    match step {
        StepCmd::Screen { .. } => "已筛选",
        StepCmd::NotifyAcceptance(_) => "已记录受理告知",
        StepCmd::Forwarded(_) => "已记录报送或转送",
        StepCmd::RequestReturn { .. } => "已提请退回",
        StepCmd::RequestDisposal { .. } => "已提请处置",
        StepCmd::Assign { .. } => "已提请交办",
        StepCmd::Lateral { .. } => "已提请平级移交",
        StepCmd::Supervise { .. } => "已提请督办",
        StepCmd::ReportResult(_) => "已上报办理结果",
        StepCmd::Decide { verdict, .. } if verdict.grant => "已同意",
        StepCmd::Decide { .. } => "已不同意",
        StepCmd::InquiryReply(_) => "已记录函询回复",
        StepCmd::Conclude { .. } => "已办结",
        StepCmd::Feedback(_) => "已记录结果反馈",
        StepCmd::Objection { .. } => "已记录检举人反馈意见",
        StepCmd::Reveal { .. } => "已查看检举人身份",
        StepCmd::Milestone { .. } => "已记录案件阶段",
        StepCmd::Detain(_) => "已记录留置",
        StepCmd::ExtendDetention { .. } => "已记录延长留置",
        StepCmd::Release(_) => "已记录解除留置",
        StepCmd::RequestDetention { .. } => "已提请上一级机关批准采取留置措施",
        StepCmd::RequestExtension { .. } => "已提请上一级机关批准延长留置",
    }
}

fn take_step(store: &mut Store, actor: &Actor, id: &str, step: StepCmd) -> Result<StepResult, CoreError> {
    let mut result = StepResult::default();
    match step {
        StepCmd::Screen { outcome, department, reason, refer_to, repeat_of } => {
            let repeat_of = repeat_of.map(|r| resolve(store, actor, &r)).transpose()?;
            // A hand-over's destination may be named by name or code; the directory's route rule
            // turns it into a code or refuses it with the offices that are allowed.
            let handover = match outcome {
                ScreeningOutcome::ReportUpward => Some(directory::Handover::ReportUpward),
                ScreeningOutcome::TransferDownward => Some(directory::Handover::TransferDownward),
                _ => None,
            };
            let refer_to = match (handover, refer_to) {
                (Some(kind), Some(to)) => Some(directory::resolve_destination(store, kind, &to)?),
                (_, refer_to) => refer_to,
            };
            ops::screen(store, actor, id, &Screening { outcome, department, reason, refer_to, repeat_of })?;
        }
        StepCmd::NotifyAcceptance(d) => ops::record_acceptance_notice(store, actor, id, &d.date, &d.note)?,
        StepCmd::Forwarded(d) => ops::record_forwarded(store, actor, id, &d.date, &d.note)?,
        StepCmd::RequestReturn { reason } => {
            result.approval_id = Some(ops::request_approval(store, actor, id, &ApprovalAction::Return, &reason)?);
        }
        StepCmd::RequestDisposal { method, letter_date, reason } => {
            let action = ApprovalAction::Dispose { method, letter_date };
            result.approval_id = Some(ops::request_approval(store, actor, id, &action, &reason)?);
        }
        StepCmd::Assign { to, report_days, reason } => {
            let to_office = directory::resolve_destination(store, directory::Handover::Assign, &to)?;
            let action = ApprovalAction::Assign { to_office, report_days };
            result.approval_id = Some(ops::request_approval(store, actor, id, &action, &reason)?);
        }
        StepCmd::Supervise { report_days, reason } => {
            let action = ApprovalAction::Supervise { report_days };
            result.approval_id = Some(ops::request_approval(store, actor, id, &action, &reason)?);
        }
        StepCmd::Lateral { to, reason } => {
            let to_office = directory::resolve_destination(store, directory::Handover::Lateral, &to)?;
            let action = ApprovalAction::Lateral { to_office };
            result.approval_id = Some(ops::request_approval(store, actor, id, &action, &reason)?);
        }
        StepCmd::ReportResult(d) => ops::report_result(store, actor, id, &d.date, &d.note)?,
        StepCmd::Decide { approval, verdict, comment } => {
            let approval = match approval {
                Some(a) => a,
                None => query::show(store, actor, id)?
                    .pending_approval
                    .ok_or_else(|| CoreError::invalid("该检举控告没有待审批的事项。"))?,
            };
            ops::decide_approval(store, actor, &approval, verdict.grant, &comment)?;
        }
        StepCmd::InquiryReply(d) => ops::record_inquiry_reply(store, actor, id, &d.date, &d.note)?,
        StepCmd::Conclude { date, result: text, accusation, clearance } => {
            ops::conclude(store, actor, id, &Conclusion { date, result: text, accusation, clearance })?;
        }
        StepCmd::Feedback(d) => ops::record_feedback(store, actor, id, &d.date, &d.note)?,
        StepCmd::Objection { date, content, new_evidence } => {
            ops::record_objection(store, actor, id, &date, &content, new_evidence)?;
        }
        StepCmd::Reveal { purpose } => result.reporter = Some(ops::reveal_reporter(store, actor, id, &purpose)?),
        StepCmd::Milestone { stage, dated } => {
            ops::record_case_milestone(store, actor, id, stage, &dated.date, &dated.note)?
        }
        StepCmd::Detain(d) => ops::start_detention(store, actor, id, &d.date, &d.note)?,
        StepCmd::ExtendDetention { date, approval_ref } => {
            ops::extend_detention(store, actor, id, &date, &approval_ref)?
        }
        StepCmd::Release(d) => ops::end_detention(store, actor, id, &d.date, &d.note)?,
        StepCmd::RequestDetention { reason } => {
            result.approval_id = Some(ops::request_approval(store, actor, id, &ApprovalAction::Detain, &reason)?);
        }
        StepCmd::RequestExtension { reason } => {
            let action = ApprovalAction::ExtendDetention;
            result.approval_id = Some(ops::request_approval(store, actor, id, &action, &reason)?);
        }
    }
    Ok(result)
}

/// A complaint named by its id or by its number (530102-2026-00001).
fn resolve(store: &mut Store, actor: &Actor, text: &str) -> Result<String, CoreError> {
    let text = text.trim();
    let parts: Vec<&str> = text.split('-').collect();
    let is_number = parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    if !is_number {
        return Ok(text.to_owned());
    }
    query::find_by_number(store, actor, text)
}

/// The detail as JSON, with the status (and id and number) also at the top level.
fn detail_json(detail: &ComplaintDetail) -> anyhow::Result<Value> {
    let mut value = serde_json::to_value(detail)?;
    if let Value::Object(map) = &mut value {
        map.insert("id".into(), json!(detail.summary.id));
        map.insert("number".into(), json!(detail.summary.number));
        map.insert("status".into(), json!(detail.summary.status));
        map.insert("status_label".into(), json!(detail.summary.status_label));
    }
    Ok(value)
}

fn light_label(light: Light) -> &'static str {
    match light {
        Light::Green => "绿灯",
        Light::Yellow => "黄灯",
        Light::Red => "红灯",
        Light::Done => "已完成",
        Light::Cancelled => "已取消",
    }
}

fn days_left(d: &DeadlineView) -> String {
    match (d.status.as_str(), d.working_days_left) {
        ("open", n) if n < 0 => format!("逾期 {} 个工作日", -n),
        ("open", 0) => "今天到期".to_owned(),
        ("open", n) => format!("剩 {n} 个工作日"),
        ("done", _) => format!("{} 已完成", d.closed_date.as_deref().unwrap_or("")),
        _ => "不再需要".to_owned(),
    }
}

fn action_label(a: ComplaintActionKind) -> &'static str {
    use ComplaintActionKind as A;
    match a {
        A::Screen => "筛选（screen）",
        A::NotifyAcceptance => "受理告知（notify-acceptance）",
        A::RecordForwarded => "报送或转送（forwarded）",
        A::RequestReturn => "提请退回（request-return）",
        A::RequestDisposal => "提请处置（request-disposal）",
        A::DecideApproval => "审批（decide）",
        A::RecordInquiryReply => "函询回复（inquiry-reply）",
        A::Conclude => "办结（conclude）",
        A::RecordFeedback => "结果反馈（feedback）",
        A::RecordObjection => "反馈意见（objection）",
        A::RevealReporter => "查看检举人身份（reveal）",
        A::RecordCaseMilestone => "案件阶段（milestone）",
        A::StartDetention => "采取留置（detain）",
        A::ExtendDetention => "延长留置（extend-detention）",
        A::EndDetention => "解除留置（release）",
        A::RequestAssignment => "交办下级（assign）",
        A::RequestLateral => "平级移交（lateral）",
        A::RequestSupervision => "督办（supervise）",
        A::ReportResult => "上报办理结果（report-result）",
        A::RequestDetention => "提请上级批准留置（request-detention）",
        A::RequestDetentionExtension => "提请上级批准延长留置（request-extension）",
    }
}

fn detail_text(d: &ComplaintDetail) -> String {
    let s = &d.summary;
    let mut out = vec![format!("检举控告 {}（id {}）", s.number, s.id)];
    let department = s.department.map(|r| format!("（{}）", r.label())).unwrap_or_default();
    out.push(format!("状态：{}{department}", s.status_label));
    if !d.handled_here {
        out.push(format!("现由 {}（{}）办理，本机关仅存档备查。", d.owner.name, d.owner.code));
    }
    out.push(format!("收到：{}  {}  检举人：{}", s.received_date, s.channel.label(), s.reporter_display));
    out.push(format!("摘要：{}", s.summary));
    let subjects: Vec<String> = d
        .subject_details
        .iter()
        .map(|p| {
            let what = [p.unit.as_str(), p.post.as_str()].concat();
            let level = if p.level.is_empty() { String::new() } else { format!("，{}", p.level) };
            if p.name.is_empty() { format!("{what}{level}") } else { format!("{}（{what}{level}）", p.name) }
        })
        .collect();
    out.push(format!("被反映人：{}", subjects.join("、")));
    if !d.categories.is_empty() {
        out.push(format!("问题类别：{}", d.categories.join("、")));
    }
    out.push(format!("内容：{}", d.content));
    if let Some(r) = &d.repeat_of {
        out.push(format!("重复举报，关联：{r}"));
    }
    if let Some(r) = d.refer_to_name.as_ref().or(d.refer_to.as_ref()) {
        out.push(format!("去向：{r}"));
    }
    if let Some(r) = &d.result {
        out.push(format!("办理结果：{r}"));
    }
    if !d.deadlines.is_empty() {
        out.push("期限：".into());
        for x in &d.deadlines {
            out.push(format!(
                "  {}  {}  {}  {}（{}）",
                pad(&x.label, 8),
                x.due,
                pad(light_label(x.light), 6),
                days_left(x),
                x.basis
            ));
        }
    }
    if !d.approvals.is_empty() {
        out.push("审批：".into());
        for a in &d.approvals {
            let status = match a.status.as_str() {
                "pending" => "待审批",
                "granted" => "同意",
                "refused" => "不同意",
                other => other,
            };
            let decided = match (&a.decided_by, &a.comment) {
                (Some(by), Some(c)) if !c.is_empty() => format!("，{by}：{c}"),
                (Some(by), _) => format!("，{by}"),
                _ => String::new(),
            };
            out.push(format!("  {}  {}（{} 提请{decided}）  id {}", a.action, status, a.requested_by, a.id));
        }
    }
    out.push("办理经过：".into());
    for t in &d.timeline {
        out.push(format!("  {}  {}  {}", t.time, pad(&t.actor, 8), t.text));
    }
    if !d.actions.is_empty() {
        let actions: Vec<&str> = d.actions.iter().map(|a| action_label(*a)).collect();
        out.push(format!("您现在可以：{}", actions.join("、")));
    }
    out.join("\n")
}

fn summary_line(c: &ComplaintSummary) -> String {
    let due = match (&c.next_due, c.light) {
        (Some(d), Some(l)) => format!("{d} {}", light_label(l)),
        _ => String::new(),
    };
    format!(
        "{}  {}  {}  {}  {}  {}",
        pad(&c.number, 17),
        c.received_date,
        pad(c.channel.label(), 4),
        pad(&c.status_label, 16),
        pad(&due, 16),
        clip(&c.summary, 48)
    )
}

/// Terminal columns a character takes: two for CJK and full-width characters.
fn width(c: char) -> usize {
    if c.len_utf8() >= 3 { 2 } else { 1 }
}

/// Pads to `columns` terminal columns, so Chinese and Latin text line up.
fn pad(s: &str, columns: usize) -> String {
    let w: usize = s.chars().map(width).sum();
    format!("{s}{}", " ".repeat(columns.saturating_sub(w)))
}

/// Cuts to at most `columns` terminal columns, marking the cut.
fn clip(s: &str, columns: usize) -> String {
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        if w + width(c) > columns {
            out.push('…');
            return out;
        }
        w += width(c);
        out.push(c);
    }
    out
}
