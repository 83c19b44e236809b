//! `qingfeng penalty …` and `qingfeng checklist …`: penalty decisions, their execution items,
//! rectification lists, the influence-period guard and checklist templates.
//!
//! Every command acts as a logged-in officer (`--as`), so the core checks posts exactly as for the
//! desktop. JSON output of `penalty show` is the core's `PenaltyDetail`: `items` (each with `kind`,
//! `status`, `light`, `due`) and `influence_period` (`start`, `end`).

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Subcommand};
use qingfeng_core::Store;
use qingfeng_core::authz::Actor;
use qingfeng_core::deadlines::Light;
use qingfeng_core::penalty::query::{self, BoardFilter, ItemView};
use qingfeng_core::penalty::{
    AppraisalGrade, BenefitForm, BenefitKind, ChecklistScope, EvidenceFile, RegisterPenalty, RegisterRectification,
    SubmitRequest, ops,
};
use qingfeng_core::{CoreError, Result as CoreResult};
use serde_json::json;

use crate::{AsUser, Ctx, as_user};

/// The acting officer; accepted anywhere after `penalty` or `checklist`.
#[derive(Args, Debug)]
pub(crate) struct Officer {
    /// 操作人账号：如 anguan（案件监督管理室）、shenli（案件审理室）、jiancha（监督检查室）、admin 等
    #[arg(long = "as", env = "QINGFENG_USER", default_value = "admin", global = true)]
    as_user: String,
}

#[derive(Args, Debug)]
pub(crate) struct PenaltyArgs {
    #[command(flatten)]
    actor: Officer,
    #[command(subcommand)]
    cmd: PenaltyCmd,
}

#[derive(Args, Debug)]
pub(crate) struct ChecklistArgs {
    #[command(flatten)]
    actor: Officer,
    #[command(subcommand)]
    cmd: ChecklistCmd,
}

#[derive(Subcommand, Debug)]
enum PenaltyCmd {
    /// 从 JSON 表单文件录入处分决定；--file - 表示从标准输入读取
    Register {
        #[arg(long)]
        file: PathBuf,
    },
    /// 处分决定详情：影响期、各执行事项及其红黄绿灯和期限
    Show {
        /// 处分决定的文号或内部标识
        id: String,
    },
    /// 执行看板：每份处分决定及其当前事项和红黄绿灯
    List(BoardArgs),
    /// 待审核的事项
    Queue,
    /// 处分影响期内登记的受益情况
    Flags,
    /// 一人的处分决定、影响期和已登记的受益情况
    Person {
        #[arg(long)]
        name: String,
        #[arg(long)]
        unit: String,
    },
    /// 登记一人的考核等次、晋升、奖励或工资档次变动
    Benefit {
        #[arg(long)]
        name: String,
        #[arg(long)]
        unit: String,
        /// 变动类别：appraisal（考核）、promotion（晋升）、award（奖励）或 pay_step（工资档次）
        #[arg(long, value_parser = parse_benefit)]
        kind: BenefitKind,
        #[arg(long)]
        date: String,
        /// 考核等次：excellent（优秀）、competent（称职）、basically_competent（基本称职）、incompetent（不称职）、undetermined（不确定等次）
        #[arg(long, value_parser = parse_grade)]
        grade: Option<AppraisalGrade>,
        #[arg(long, default_value = "")]
        detail: String,
    },
    /// 按月和按责任单位统计按期完成事项、逾期事项和退回率
    Stats {
        /// 统计整改清单，不统计处分
        #[arg(long)]
        rectification: bool,
    },
}

#[derive(Args, Debug)]
struct BoardArgs {
    /// 执行状态：open（执行中）或 done（已完成）
    #[arg(long)]
    status: Option<String>,
    /// 灯色：green（绿）、yellow（黄）或 red（红）
    #[arg(long, value_parser = parse_light)]
    light: Option<Light>,
    /// 责任单位（名称的一部分即可）
    #[arg(long)]
    unit: Option<String>,
    /// 姓名、处分文号或清单标题的一部分
    #[arg(long)]
    search: Option<String>,
    #[arg(long)]
    limit: Option<u32>,
}

#[derive(Subcommand, Debug)]
enum ChecklistCmd {
    /// 报送一个事项及其证明材料待审核（案件监督管理室，代责任单位）
    Submit {
        /// 处分决定的文号或内部标识，或整改清单的内部标识
        id: String,
        /// 事项：填序号（1、2……）或种类（serve、announce 等）
        item: String,
        /// 完成日期（年-月-日）
        #[arg(long)]
        date: String,
        #[arg(long)]
        note: String,
        #[arg(long)]
        measures: Option<String>,
        #[arg(long)]
        result: Option<String>,
        /// 证明材料文件（可多次填写）：签收的送达回证、收据等
        #[arg(long = "file")]
        files: Vec<PathBuf>,
    },
    /// 审核通过报送的事项（案件审理室，不得是报送人本人）
    Approve {
        id: String,
        item: String,
        #[arg(long, default_value = "")]
        note: String,
        /// 需评分的事项：所给分数
        #[arg(long)]
        score: Option<String>,
    },
    /// 写明整改意见，退回报送的事项（案件审理室）
    Reject {
        id: String,
        item: String,
        #[arg(long)]
        note: String,
    },
    /// 登记收缴或退赔的一笔缴款（单位元，最多两位小数）
    Pay {
        id: String,
        item: String,
        #[arg(long)]
        amount: String,
        #[arg(long)]
        date: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// 经批准延长事项期限（职务和工资变动最多 6 个月）
    Extend {
        id: String,
        item: String,
        #[arg(long)]
        months: u32,
        #[arg(long)]
        approval_ref: String,
    },
    /// 从 JSON 表单文件录入整改清单
    Register {
        #[arg(long)]
        file: PathBuf,
    },
    /// 按处分决定新建以案促改清单（监督检查室或案件监督管理室），事项取自以案促改模板
    Reform {
        /// 处分决定的文号或内部标识
        decision: String,
        /// 全部任务的完成期限（年-月-日）
        #[arg(long)]
        due: String,
        /// 交办日期（年-月-日），默认今天
        #[arg(long)]
        start: Option<String>,
        /// 责任单位，默认受处分人所在单位
        #[arg(long)]
        unit: Option<String>,
        /// 清单名称，默认“某某以案促改（文号）”
        #[arg(long)]
        title: Option<String>,
    },
    /// 对整改清单的事项提出指导意见（案件审理室）
    Guide {
        id: String,
        item: String,
        /// 指导意见
        #[arg(long)]
        text: String,
    },
    /// 整改清单详情
    Show { id: String },
    /// 各整改清单及其当前事项和红黄绿灯
    List(BoardArgs),
    /// 把清单的证明材料保存为文件（其内容与事件记录核对）
    Evidence {
        id: String,
        /// 文件的 SHA-256 摘要，即 show --json 列出的值
        sha256: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// 清单模板的全部版本
    Templates,
    /// 从 JSON 文件发布清单模板的新版本（管理员）
    PublishTemplate {
        #[arg(long)]
        file: PathBuf,
    },
}

fn parse_light(s: &str) -> Result<Light, String> {
    match s {
        "green" | "绿" | "绿灯" => Ok(Light::Green),
        "yellow" | "黄" | "黄灯" => Ok(Light::Yellow),
        "red" | "红" | "红灯" => Ok(Light::Red),
        other => Err(format!("不认识的灯色“{other}”：可选 green、yellow、red。")),
    }
}

fn parse_benefit(s: &str) -> Result<BenefitKind, String> {
    BenefitKind::parse(s).map_err(|e| e.to_string())
}

fn parse_grade(s: &str) -> Result<AppraisalGrade, String> {
    AppraisalGrade::parse(s).map_err(|e| e.to_string())
}

fn read_input(file: &Path) -> anyhow::Result<String> {
    if file.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).context("无法读取标准输入")?;
        Ok(s)
    } else {
        std::fs::read_to_string(file).with_context(|| format!("无法读取文件 {}", file.display()))
    }
}

fn read_form<T: serde::de::DeserializeOwned>(file: &Path) -> anyhow::Result<T> {
    let text = read_input(file)?;
    serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("表单格式不正确：{e}。请对照示例检查字段名和取值。"))
}

fn light_label(l: Option<Light>) -> &'static str {
    match l {
        None => "—",
        Some(Light::Green) => "绿灯",
        Some(Light::Yellow) => "黄灯",
        Some(Light::Red) => "红灯",
        Some(Light::Done) => "完成",
        Some(Light::Cancelled) => "取消",
    }
}

/// The items of a decision (by id or number) or of a rectification list.
fn items_of(s: &Store, a: &Actor, id: &str) -> CoreResult<(String, Vec<ItemView>)> {
    match query::find(s, a, id) {
        Ok(pid) => Ok((pid.clone(), query::show(s, a, &pid)?.items)),
        Err(CoreError::NotFound { .. }) => {
            let d = query::show_checklist(s, a, id)?;
            Ok((d.id, d.items))
        }
        Err(e) => Err(e),
    }
}

/// The checklist id and item number named on the command line (a number or a kind).
fn resolve(s: &Store, a: &Actor, id: &str, item: &str) -> CoreResult<(String, u32)> {
    let (cid, items) = items_of(s, a, id)?;
    let ord = match item.trim().parse::<u32>() {
        Ok(n) => n,
        Err(_) => items.iter().find(|i| i.kind == item.trim()).map(|i| i.ord).ok_or_else(|| {
            CoreError::invalid(format!("该清单没有“{item}”这一事项，请用事项序号或 penalty show 列出的 kind。"))
        })?,
    };
    Ok((cid, ord))
}

fn items_text(items: &[ItemView]) -> Vec<String> {
    items
        .iter()
        .map(|i| {
            let mut line = format!(
                "  {:>2}. [{}] {}  {}  期限 {}  {}",
                i.ord,
                light_label(i.light),
                i.title,
                i.status_label,
                i.due.as_deref().unwrap_or("—"),
                i.responsible_unit
            );
            if let (Some(due), Some(left)) = (&i.amount_due, &i.amount_remaining) {
                line.push_str(&format!("  应缴 {due} 元，尚余 {left} 元"));
            }
            if let Some(note) =
                i.review_note.as_deref().filter(|_| i.status == qingfeng_core::penalty::ItemStatus::Rejected)
            {
                line.push_str(&format!("  驳回意见：{note}"));
            }
            for g in &i.guidance {
                line.push_str(&format!("\n      指导意见（{} {}）：{}", g.date, g.given_by, g.text));
            }
            line
        })
        .collect()
}

fn board_filter(args: BoardArgs, scope: ChecklistScope) -> BoardFilter {
    BoardFilter {
        scope: Some(scope),
        status: args.status,
        light: args.light,
        unit: args.unit,
        text: args.search,
        limit: args.limit,
    }
}

fn board(ctx: &Ctx, who: &AsUser, filter: BoardFilter) -> anyhow::Result<()> {
    let mut store = ctx.open()?;
    let b = as_user(&mut store, who, |s, a| query::board(s, a, &filter))?;
    ctx.out(serde_json::to_value(&b)?, || {
        let mut out =
            vec![format!("红灯 {} 件，黄灯 {} 件，绿灯 {} 件。", b.counts.red, b.counts.yellow, b.counts.green)];
        for r in &b.rows {
            let who = match (&r.person_name, &r.decision_number) {
                (Some(name), Some(number)) => {
                    format!("{name}（{number}，{}）", r.penalty_label.as_deref().unwrap_or(""))
                }
                _ => r.title.clone(),
            };
            let current = r.current.as_ref().map_or("全部完成".to_owned(), |c| {
                format!("第 {} 项 {}（{}，期限 {}）", c.ord, c.title, c.status.label(), c.due.as_deref().unwrap_or("—"))
            });
            out.push(format!(
                "  [{}] {}  {}/{}  {}  {}",
                light_label(r.light),
                r.id,
                r.items_done,
                r.items_total,
                who,
                current
            ));
        }
        out.join("\n")
    });
    Ok(())
}

pub(crate) fn run_penalty(ctx: &Ctx, args: PenaltyArgs) -> anyhow::Result<()> {
    let who = AsUser { as_user: args.actor.as_user };
    match args.cmd {
        PenaltyCmd::Register { file } => {
            let form: RegisterPenalty = read_form(&file)?;
            let mut store = ctx.open()?;
            let detail = as_user(&mut store, &who, |s, a| {
                let id = ops::register(s, a, &form)?;
                query::show(s, a, &id)
            })?;
            ctx.out(serde_json::to_value(&detail)?, || {
                let mut out = vec![format!(
                    "已录入处分决定 {}（{}，{}），编号 {}，生成执行事项 {} 项：",
                    detail.decision_number,
                    detail.form.person.name,
                    detail.penalty_label,
                    detail.id,
                    detail.items.len()
                )];
                out.extend(items_text(&detail.items));
                out.join("\n")
            });
            Ok(())
        }
        PenaltyCmd::Show { id } => {
            let mut store = ctx.open()?;
            let d = as_user(&mut store, &who, |s, a| query::show(s, a, &id))?;
            ctx.out(serde_json::to_value(&d)?, || {
                let p = &d.form.person;
                let mut out = vec![
                    format!("处分决定 {}（{}）  编号 {}", d.decision_number, d.form.deciding_body, d.id),
                    format!(
                        "受处分人：{}，{}{}",
                        p.name,
                        p.unit,
                        if p.post.is_empty() { String::new() } else { format!("，{}", p.post) }
                    ),
                    format!(
                        "处分：{}  决定日期 {}  状态：{}",
                        d.penalty_label,
                        d.form.decision_date,
                        if d.status == "executed" { "已执行完毕" } else { "执行中" }
                    ),
                ];
                if let Some(span) = &d.influence_period {
                    out.push(format!("影响期：{} 至 {}", span.start, span.end.as_deref().unwrap_or("长期")));
                }
                if let Some(due) = &d.report_due {
                    out.push(format!("执行情况报告期限：{due}（{}）", light_label(d.report_light)));
                }
                out.push("执行事项：".into());
                out.extend(items_text(&d.items));
                for f in &d.flags {
                    out.push(format!("  ⚠ {} {}：{}", f.date, f.kind_label, f.reason));
                }
                if let Some(r) = &d.reform {
                    out.push(format!(
                        "以案促改：“{}”（{}），已完成 {} / {} 项，指导意见 {} 条",
                        r.title,
                        if r.status == "done" { "已完成" } else { "进行中" },
                        r.items_done,
                        r.items_total,
                        r.guidance
                    ));
                }
                out.join("\n")
            });
            Ok(())
        }
        PenaltyCmd::List(args) => board(ctx, &who, board_filter(args, ChecklistScope::Penalty)),
        PenaltyCmd::Queue => {
            let mut store = ctx.open()?;
            let q = as_user(&mut store, &who, |s, a| query::review_queue(s, a))?;
            ctx.out(serde_json::to_value(&q)?, || {
                if q.is_empty() {
                    return "没有待审核的事项。".into();
                }
                q.iter()
                    .map(|r| {
                        format!(
                            "  [{}] {} 第 {} 项 {}  提交人 {}{}",
                            light_label(r.light),
                            r.checklist_title,
                            r.ord,
                            r.title,
                            r.submitted_by,
                            if r.can_review { "" } else { "（须由他人审核）" }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
            Ok(())
        }
        PenaltyCmd::Flags => {
            let mut store = ctx.open()?;
            let flags = as_user(&mut store, &who, |s, a| query::flags(s, a))?;
            ctx.out(serde_json::to_value(&flags)?, || {
                if flags.is_empty() {
                    return "没有发现影响期内的考核、晋升、评优或工资档次记录。".into();
                }
                flags
                    .iter()
                    .map(|f| {
                        format!("  ⚠ {}（{}）{} {}：{}", f.person_name, f.person_unit, f.date, f.kind_label, f.reason)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
            Ok(())
        }
        PenaltyCmd::Person { name, unit } => {
            let mut store = ctx.open()?;
            let page = as_user(&mut store, &who, |s, a| query::person(s, a, &name, &unit))?;
            ctx.out(serde_json::to_value(&page)?, || {
                let mut out = vec![format!(
                    "{}（{}）{}",
                    page.name,
                    page.unit,
                    if page.in_influence_period { "：处于影响期内" } else { "" }
                )];
                for p in &page.penalties {
                    out.push(format!("  {} {}（{}）", p.decision_date, p.penalty_label, p.decision_number));
                }
                for b in &page.benefits {
                    let flag =
                        if b.flags.is_empty() { String::new() } else { format!("  ⚠ {}", b.flags.join("；")) };
                    out.push(format!("  {} {} {}{flag}", b.date, b.kind_label, b.detail));
                }
                out.join("\n")
            });
            Ok(())
        }
        PenaltyCmd::Benefit { name, unit, kind, date, grade, detail } => {
            let form = BenefitForm { person_name: name, person_unit: unit, kind, date, grade, detail };
            let mut store = ctx.open()?;
            let (id, flags) = as_user(&mut store, &who, |s, a| ops::record_benefit(s, a, &form))?;
            ctx.out(json!({ "id": id, "flags": flags }), || {
                if flags.is_empty() {
                    "已登记。".into()
                } else {
                    format!("已登记，但该记录处于影响期内：\n  ⚠ {}", flags.join("\n  ⚠ "))
                }
            });
            Ok(())
        }
        PenaltyCmd::Stats { rectification } => {
            let scope = if rectification { ChecklistScope::Rectification } else { ChecklistScope::Penalty };
            let mut store = ctx.open()?;
            let st = as_user(&mut store, &who, |s, a| query::stats(s, a, scope))?;
            ctx.out(serde_json::to_value(&st)?, || {
                let mut out = vec![format!(
                    "已通过 {} 项，其中按期完成 {} 项；逾期未完成 {} 项。",
                    st.items_approved, st.approved_on_time, st.open_overdue
                )];
                if rectification {
                    out.push(format!(
                        "以案促改清单 {} 份，已完成 {} 份；指导意见 {} 条。",
                        st.reform_lists, st.reform_done, st.guidance_given
                    ));
                }
                out.push("按月驳回率：".into());
                out.extend(
                    st.by_month.iter().map(|r| format!("  {}  审核 {}，驳回 {}", r.key, r.reviewed, r.rejected)),
                );
                out.push("按责任单位驳回率：".into());
                out.extend(st.by_unit.iter().map(|r| format!("  {}  审核 {}，驳回 {}", r.key, r.reviewed, r.rejected)));
                out.join("\n")
            });
            Ok(())
        }
    }
}

pub(crate) fn run_checklist(ctx: &Ctx, args: ChecklistArgs) -> anyhow::Result<()> {
    let who = AsUser { as_user: args.actor.as_user };
    let mut store = ctx.open()?;
    match args.cmd {
        ChecklistCmd::Submit { id, item, date, note, measures, result, files } => {
            let mut evidence = Vec::new();
            for path in &files {
                let bytes = std::fs::read(path).with_context(|| format!("无法读取文件 {}", path.display()))?;
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                evidence.push(EvidenceFile { name, bytes });
            }
            let req = SubmitRequest { date, note, measures, result, files: evidence };
            let (cid, ord) = as_user(&mut store, &who, |s, a| {
                let (cid, ord) = resolve(s, a, &id, &item)?;
                ops::submit(s, a, &cid, ord, &req)?;
                Ok((cid, ord))
            })?;
            ctx.out(json!({ "id": cid, "item": ord, "status": "submitted" }), || {
                format!("已提交第 {ord} 项，等待案件审理室审核。")
            });
        }
        ChecklistCmd::Approve { id, item, note, score } => {
            let (cid, ord) = as_user(&mut store, &who, |s, a| {
                let (cid, ord) = resolve(s, a, &id, &item)?;
                ops::approve(s, a, &cid, ord, &note, score.as_deref())?;
                Ok((cid, ord))
            })?;
            ctx.out(json!({ "id": cid, "item": ord, "status": "approved" }), || format!("第 {ord} 项审核通过。"));
        }
        ChecklistCmd::Reject { id, item, note } => {
            let (cid, ord) = as_user(&mut store, &who, |s, a| {
                let (cid, ord) = resolve(s, a, &id, &item)?;
                ops::reject(s, a, &cid, ord, &note)?;
                Ok((cid, ord))
            })?;
            ctx.out(json!({ "id": cid, "item": ord, "status": "rejected" }), || {
                format!("第 {ord} 项已驳回，退回责任单位整改后重新提交。")
            });
        }
        ChecklistCmd::Pay { id, item, amount, date, note } => {
            let (cid, ord, outcome) = as_user(&mut store, &who, |s, a| {
                let (cid, ord) = resolve(s, a, &id, &item)?;
                let outcome = ops::record_payment(s, a, &cid, ord, &amount, &date, &note)?;
                Ok((cid, ord, outcome))
            })?;
            let mut v = serde_json::to_value(&outcome)?;
            v["id"] = json!(cid);
            v["item"] = json!(ord);
            ctx.out(v, || {
                format!(
                    "已登记缴款。应缴 {} 元，已缴 {} 元，尚余 {} 元。",
                    outcome.amount_due, outcome.amount_paid, outcome.amount_remaining
                )
            });
        }
        ChecklistCmd::Extend { id, item, months, approval_ref } => {
            let (cid, ord) = as_user(&mut store, &who, |s, a| {
                let (cid, ord) = resolve(s, a, &id, &item)?;
                ops::extend(s, a, &cid, ord, months, &approval_ref)?;
                Ok((cid, ord))
            })?;
            ctx.out(json!({ "id": cid, "item": ord, "months": months }), || {
                format!("第 {ord} 项期限已延长至自起算日 {months} 个月。")
            });
        }
        ChecklistCmd::Register { file } => {
            let form: RegisterRectification = read_form(&file)?;
            let d = as_user(&mut store, &who, |s, a| {
                let id = ops::register_rectification(s, a, &form)?;
                query::show_checklist(s, a, &id)
            })?;
            ctx.out(serde_json::to_value(&d)?, || {
                let mut out = vec![format!("已录入整改清单“{}”，编号 {}，共 {} 项：", d.title, d.id, d.items.len())];
                out.extend(items_text(&d.items));
                out.join("\n")
            });
        }
        ChecklistCmd::Reform { decision, due, start, unit, title } => {
            let form = RegisterRectification {
                title: title.unwrap_or_default(),
                source: qingfeng_core::penalty::RectificationSource::ReformByCase,
                start_date: start.unwrap_or_else(|| store.clock().today().to_string()),
                items: vec![],
                template: None,
                responsible_unit: unit,
                due_date: Some(due),
                sequential: false,
                penalty_id: Some(decision),
            };
            let d = as_user(&mut store, &who, |s, a| {
                let id = ops::register_rectification(s, a, &form)?;
                query::show_checklist(s, a, &id)
            })?;
            ctx.out(serde_json::to_value(&d)?, || {
                let mut out =
                    vec![format!("已新建以案促改清单“{}”，编号 {}，共 {} 项：", d.title, d.id, d.items.len())];
                out.extend(items_text(&d.items));
                out.join("\n")
            });
        }
        ChecklistCmd::Guide { id, item, text } => {
            let (cid, ord) = as_user(&mut store, &who, |s, a| {
                let (cid, ord) = resolve(s, a, &id, &item)?;
                ops::guide(s, a, &cid, ord, &text)?;
                Ok((cid, ord))
            })?;
            ctx.out(json!({ "id": cid, "item": ord }), || format!("已对第 {ord} 项提出指导意见。"));
        }
        ChecklistCmd::Show { id } => {
            let d = as_user(&mut store, &who, |s, a| query::show_checklist(s, a, &id))?;
            ctx.out(serde_json::to_value(&d)?, || {
                let mut out = vec![format!("整改清单“{}”（{}）  自 {}", d.title, d.id, d.start_date)];
                if let Some(of) = &d.reform_of {
                    out.push(format!(
                        "以案促改：处分决定 {}（{}，{}）",
                        of.decision_number, of.person_name, of.person_unit
                    ));
                }
                if let (Some(total), Some(max)) = (&d.total_score, &d.max_score) {
                    out.push(format!("得分 {total} / {max}"));
                }
                out.extend(items_text(&d.items));
                out.join("\n")
            });
        }
        ChecklistCmd::List(args) => return board(ctx, &who, board_filter(args, ChecklistScope::Rectification)),
        ChecklistCmd::Evidence { id, sha256, out } => {
            let (evidence, bytes) = as_user(&mut store, &who, |s, a| {
                let (cid, _) = items_of(s, a, &id)?;
                query::open_evidence(s, a, &cid, &sha256)
            })?;
            qingfeng_core::files::write_private(&out, &bytes).with_context(|| format!("无法写入 {}", out.display()))?;
            ctx.out(json!({ "name": evidence.name, "media_type": evidence.media_type, "out": out }), || {
                format!("已将证明材料“{}”保存到 {}。", evidence.name, out.display())
            });
        }
        ChecklistCmd::Templates => {
            let list = as_user(&mut store, &who, |s, a| query::templates(s, a))?;
            ctx.out(serde_json::to_value(&list)?, || {
                list.iter()
                    .map(|t| format!("  {} 第 {} 版  {}（{}）", t.id, t.version, t.name, t.source))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        ChecklistCmd::PublishTemplate { file } => {
            let body = read_input(&file)?;
            let (id, version) = as_user(&mut store, &who, |s, a| ops::publish_template(s, a, &body))?;
            ctx.out(json!({ "id": id, "version": version }), || format!("已发布模板 {id} 第 {version} 版。"));
        }
    }
    Ok(())
}
