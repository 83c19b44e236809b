//! `qingfeng supervision …`: supervision letters and circulars (监督建议书、提醒函、监督通报) from
//! the command line — draft a letter, record the unit's feedback with its evidence, accept it or
//! send it back, remind a late unit, draft a circular from a period's letters, and read the
//! statistics of a period. Letters and circulars are issued with
//! `qingfeng notice issue --kind supervision_suggestion|reminder_letter --letter <id>` and
//! `qingfeng notice issue --kind circular --circular <id>`.
//!
//! JSON output is the core's own views (`LetterRow`, `LetterDetail`, `CircularRow`, `Statistics`).

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use qingfeng_core::penalty::model::EvidenceFile;
use qingfeng_core::supervision::ops::{self, FeedbackForm};
use qingfeng_core::supervision::workflow::{CircularForm, LetterCommand};
use qingfeng_core::supervision::{LetterForm, LetterKind, ReminderTopic, query};
use serde_json::json;

use crate::{AsUser, Ctx, as_user};

#[derive(Args, Debug)]
pub(crate) struct SupervisionArgs {
    /// 操作人员：监督检查室办理，其他业务部门可查看。
    #[arg(long = "as", env = "QINGFENG_USER", default_value = "admin", global = true)]
    as_user: String,
    #[command(subcommand)]
    cmd: SupervisionCmd,
}

#[derive(Subcommand, Debug)]
enum SupervisionCmd {
    /// 拟制监督建议书或提醒函。
    Draft {
        /// suggestion（监督建议书）或 reminder（提醒函）。
        #[arg(long, default_value = "suggestion")]
        kind: String,
        /// 提醒函的类别：integrity（廉政提醒）或 duty（履职提醒）。
        #[arg(long)]
        topic: Option<String>,
        /// 被监督单位。
        #[arg(long)]
        unit: String,
        /// 标题。
        #[arg(long)]
        title: String,
        /// 发现的问题（可重复，每个问题一次）。
        #[arg(long = "problem")]
        problems: Vec<String>,
        /// 监督建议或提醒事项。
        #[arg(long)]
        suggestions: String,
        /// 反馈期限（签发后的工作日数，默认 30）。
        #[arg(long)]
        days: Option<u32>,
        /// 或：固定的反馈截止日期（如 2026-10-30）。
        #[arg(long, conflicts_with = "days")]
        due: Option<String>,
    },
    /// 全部监督建议书和提醒函，最新的在前。
    Letters,
    /// 一份文书：问题、反馈、催办记录和可办理的操作。
    Show { letter: String },
    /// 录入被监督单位的反馈。
    Feedback {
        letter: String,
        /// 单位反馈的日期。
        #[arg(long)]
        date: String,
        /// 反馈内容。
        #[arg(long)]
        content: String,
        /// 已整改的问题序号（如 1,3）。
        #[arg(long, value_delimiter = ',')]
        rectified: Vec<u32>,
        /// 证明材料文件（可重复）。
        #[arg(long = "file")]
        files: Vec<PathBuf>,
    },
    /// 采纳反馈，本件办结。
    Accept {
        letter: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// 退回反馈，单位重新反馈。
    SendBack {
        letter: String,
        /// 退回理由（必填）。
        #[arg(long)]
        note: String,
        /// 重新反馈的工作日数（默认 15）。
        #[arg(long)]
        days: Option<u32>,
    },
    /// 对逾期未反馈的单位催办。
    Remind {
        letter: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// 依据一个期间签发的文书拟制监督通报。
    Circular {
        #[arg(long)]
        title: String,
        /// 期间起始日。
        #[arg(long)]
        from: String,
        /// 期间截止日。
        #[arg(long)]
        to: String,
    },
    /// 全部监督通报。
    Circulars,
    /// 一个期间的统计：发送文书、按期反馈、整改问题、通报单位。
    Stats {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
}

fn read_file(path: &PathBuf) -> anyhow::Result<EvidenceFile> {
    let bytes = std::fs::read(path).with_context(|| format!("无法读取证明材料 {}", path.display()))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(EvidenceFile { name, bytes })
}

pub(crate) fn run(ctx: &Ctx, args: SupervisionArgs) -> anyhow::Result<()> {
    let who = AsUser { as_user: args.as_user };
    let mut store = ctx.open()?;
    match args.cmd {
        SupervisionCmd::Draft { kind, topic, unit, title, problems, suggestions, days, due } => {
            let form = LetterForm {
                kind: LetterKind::parse(kind.trim())?,
                topic: topic.as_deref().map(|t| ReminderTopic::parse(t.trim())).transpose()?,
                unit,
                title,
                problems,
                suggestions,
                feedback_working_days: days,
                feedback_due: due,
            };
            let id = as_user(&mut store, &who, |s, a| ops::register_letter(s, a, &form))?;
            let notice = qingfeng_core::supervision::workflow::notice_kind(form.kind);
            ctx.out(json!({ "id": id }), || {
                format!(
                    "已拟制{}《{}》，编号 {id}。签发：qingfeng notice issue --kind {notice} --letter {id}",
                    form.kind.label(),
                    form.title.trim()
                )
            });
        }
        SupervisionCmd::Letters => {
            let list = as_user(&mut store, &who, |s, a| query::letters(s, a))?;
            ctx.out(serde_json::to_value(&list)?, || {
                list.iter()
                    .map(|l| {
                        let due = l
                            .deadline
                            .as_ref()
                            .filter(|d| d.status == "open")
                            .map(|d| format!("  反馈期限 {}", d.due))
                            .unwrap_or_default();
                        format!(
                            "{} {} 《{}》 {}  {}{due}  整改 {}/{}  编号 {}",
                            l.number.as_deref().unwrap_or("（未签发）"),
                            l.kind_label,
                            l.title,
                            l.unit,
                            l.status_label,
                            l.problems_rectified,
                            l.problems_total,
                            l.id
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        SupervisionCmd::Show { letter } => {
            let page = as_user(&mut store, &who, |s, a| query::letter(s, a, &letter))?;
            ctx.out(serde_json::to_value(&page)?, || {
                let r = &page.row;
                let mut lines = vec![format!(
                    "{} 《{}》 {}  {}  {}",
                    r.kind_label,
                    r.title,
                    r.unit,
                    r.status_label,
                    r.number.as_deref().unwrap_or("（未签发）")
                )];
                if let Some(d) = r.deadline.as_ref().filter(|d| d.status == "open") {
                    lines.push(format!(
                        "第 {} 次反馈期限 {}{}",
                        r.round,
                        d.due,
                        if page.late { "（已逾期）" } else { "" }
                    ));
                }
                for (i, p) in page.problems.iter().enumerate() {
                    lines.push(format!("问题 {}：{p}", i + 1));
                }
                for f in &page.feedback {
                    let fixed: Vec<String> = f.rectified.iter().map(u32::to_string).collect();
                    lines.push(format!(
                        "第 {} 次反馈 {}{}：{}  已整改问题 {}  材料 {} 份  {}{}",
                        f.round,
                        f.date,
                        if f.on_time { "" } else { "（超期）" },
                        f.content,
                        if fixed.is_empty() { "无".to_owned() } else { fixed.join("、") },
                        f.evidence.len(),
                        f.outcome_label,
                        f.review_note.as_deref().map(|n| format!("：{n}")).unwrap_or_default()
                    ));
                }
                for m in &page.reminders {
                    lines.push(format!("{} 催办 {}", m.date, m.note));
                }
                lines.join("\n")
            });
        }
        SupervisionCmd::Feedback { letter, date, content, rectified, files } => {
            let files = files.iter().map(read_file).collect::<anyhow::Result<Vec<_>>>()?;
            let form = FeedbackForm { date, content, rectified, files };
            as_user(&mut store, &who, |s, a| ops::record_feedback(s, a, &letter, &form))?;
            ctx.out(json!({ "feedback": letter }), || "已录入反馈，请审核后采纳或退回。".into());
        }
        SupervisionCmd::Accept { letter, note } => {
            as_user(&mut store, &who, |s, a| ops::letter_step(s, a, &letter, &LetterCommand::Accept { note }))?;
            ctx.out(json!({ "accepted": letter }), || "已采纳反馈，本件办结。".into());
        }
        SupervisionCmd::SendBack { letter, note, days } => {
            let c = LetterCommand::SendBack { note, working_days: days };
            as_user(&mut store, &who, |s, a| ops::letter_step(s, a, &letter, &c))?;
            ctx.out(json!({ "sent_back": letter }), || "已退回，单位须重新反馈。".into());
        }
        SupervisionCmd::Remind { letter, note } => {
            as_user(&mut store, &who, |s, a| ops::letter_step(s, a, &letter, &LetterCommand::Remind { note }))?;
            ctx.out(json!({ "reminded": letter }), || "已催办。".into());
        }
        SupervisionCmd::Circular { title, from, to } => {
            let form = CircularForm { title, period_from: from, period_to: to };
            let id = as_user(&mut store, &who, |s, a| ops::draft_circular(s, a, &form))?;
            let list = as_user(&mut store, &who, |s, a| query::circulars(s, a))?;
            let units = list.iter().find(|c| c.id == id).map(|c| c.units.len()).unwrap_or(0);
            ctx.out(json!({ "id": id, "units": units }), || {
                format!("已拟制通报，点名 {units} 个单位，编号 {id}。签发：qingfeng notice issue --kind circular --circular {id}")
            });
        }
        SupervisionCmd::Circulars => {
            let list = as_user(&mut store, &who, |s, a| query::circulars(s, a))?;
            ctx.out(serde_json::to_value(&list)?, || {
                list.iter()
                    .map(|c| {
                        format!(
                            "{} 《{}》 {} 至 {}  点名 {} 个单位  {}  编号 {}",
                            c.number.as_deref().unwrap_or("（未签发）"),
                            c.title,
                            c.period_from,
                            c.period_to,
                            c.units.len(),
                            c.status_label,
                            c.id
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        SupervisionCmd::Stats { from, to } => {
            let s = as_user(&mut store, &who, |st, a| query::statistics(st, a, &from, &to))?;
            ctx.out(serde_json::to_value(s)?, || {
                format!(
                    "{from} 至 {to}：发送监督建议书 {} 份、提醒函 {} 份；收到反馈 {} 份，按期反馈 {} 份，完成反馈 {} 份，退回 {} 次，逾期未反馈 {} 份，催办 {} 次；指出问题 {} 个，已整改 {} 个；签发通报 {} 期，通报单位 {} 个。",
                    s.suggestions_sent,
                    s.reminder_letters_sent,
                    s.feedback_received,
                    s.feedback_on_time,
                    s.feedback_completed,
                    s.feedback_sent_back,
                    s.feedback_overdue,
                    s.reminders_sent,
                    s.problems_total,
                    s.problems_rectified,
                    s.circulars_issued,
                    s.units_named
                )
            });
        }
    }
    Ok(())
}
