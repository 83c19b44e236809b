//! `qingfeng integrity …`: integrity files and integrity opinions (廉政档案、廉政意见回复) from the
//! command line — enter cadres and units, read a cadre's file (each reading logged with its
//! purpose), confirm or split the records suggested for a cadre, list units with their profile
//! score, and take an opinion request from registration to approval. The reply is issued with
//! `qingfeng notice issue --kind integrity_reply --opinion <id>`.
//!
//! JSON output is the core's own views (`CadreFile`, `UnitRow`, `OpinionRow`, `OpinionPage`).

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use qingfeng_core::CoreError;
use qingfeng_core::portrait::workflow::{MatchStep, OpinionCommand};
use qingfeng_core::portrait::{CadreForm, OpinionRequestForm, UnitCategory, UnitForm, ops, query};
use serde_json::json;

use crate::{AsUser, Ctx, as_user};

#[derive(Args, Debug)]
pub(crate) struct IntegrityArgs {
    /// 操作人账号：监督检查室或案件监督管理室管理档案、办理回复，分管领导审批
    #[arg(long = "as", env = "QINGFENG_USER", default_value = "admin", global = true)]
    as_user: String,
    #[command(subcommand)]
    cmd: IntegrityCmd,
}

#[derive(Subcommand, Debug)]
enum IntegrityCmd {
    /// 录入干部：姓名、单位、职务，可选填公民身份号码（只保存屏蔽后的形式）
    AddCadre {
        #[arg(long)]
        name: String,
        #[arg(long)]
        unit: String,
        #[arg(long, default_value = "")]
        post: String,
        #[arg(long)]
        id_number: Option<String>,
    },
    /// 姓名或单位含有此文字的干部（不填则列出全部）
    Cadres { search: Option<String> },
    /// 干部廉政档案：提及此人的全部记录，已确认的和待确认的；每次查阅均留痕
    File {
        cadre: String,
        /// 查阅事由，随查阅一并记录
        #[arg(long)]
        purpose: String,
    },
    /// 确认一条待确认记录属于此干部（记录名称按档案所示）
    Confirm {
        cadre: String,
        record: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// 把一条待确认记录分出：属于另一位同名人员
    Split {
        cadre: String,
        record: String,
        /// 不属于此干部的理由（必填）
        #[arg(long)]
        note: String,
    },
    /// 录入单位，用于单位档案和画像
    AddUnit {
        #[arg(long)]
        name: String,
        /// 单位类别：party_government（党政机关）、institution（事业单位）、state_enterprise（国有企业）、school（学校）、township（乡镇）或 other（其他）
        #[arg(long, default_value = "party_government")]
        category: String,
        /// 记录中对该单位使用的其他名称（可多次填写）
        #[arg(long = "alias")]
        aliases: Vec<String>,
    },
    /// 各单位的画像得分和颜色，得分低的在前
    Units,
    /// 从 JSON 文件登记廉政意见回复请求（字段：requester, request_ref, purpose, purpose_note, received_date, persons）
    Request { file: PathBuf },
    /// 全部廉政意见回复请求
    Requests,
    /// 一个请求：每人的查核情况和结论、可办理的步骤；查看时会读取每人的档案，因此逐一留痕
    Show { request: String },
    /// 改写一人的结论
    Edit {
        request: String,
        /// 此人在名单中的序号（1、2……）
        #[arg(long)]
        person: u32,
        #[arg(long)]
        text: String,
    },
    /// 把结论报送分管领导
    Submit { request: String },
    /// 同意结论（分管领导，不得是报送人本人）
    Approve {
        request: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// 写明理由，退回结论
    Return {
        request: String,
        #[arg(long)]
        note: String,
    },
}

fn read_json<T: serde::de::DeserializeOwned>(file: &PathBuf) -> anyhow::Result<T> {
    let text = std::fs::read_to_string(file).with_context(|| format!("无法读取文件 {}", file.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        CoreError::invalid(format!("文件 {} 的内容不是有效的征求意见函（第 {} 行）：{e}", file.display(), e.line()))
            .into()
    })
}

pub(crate) fn run(ctx: &Ctx, args: IntegrityArgs) -> anyhow::Result<()> {
    let who = AsUser { as_user: args.as_user };
    let mut store = ctx.open()?;
    match args.cmd {
        IntegrityCmd::AddCadre { name, unit, post, id_number } => {
            let form = CadreForm { name, unit, post, id_number };
            let id = as_user(&mut store, &who, |s, a| ops::register_cadre(s, a, &form))?;
            ctx.out(json!({ "id": id }), || {
                format!("已录入干部 {}（{}），编号 {id}。", form.name.trim(), form.unit.trim())
            });
        }
        IntegrityCmd::Cadres { search } => {
            let list = as_user(&mut store, &who, |s, a| query::cadres(s, a, search.as_deref().unwrap_or("")))?;
            ctx.out(serde_json::to_value(&list)?, || {
                list.iter()
                    .map(|c| {
                        let id = c.id_masked.as_deref().map(|m| format!("  身份证 {m}")).unwrap_or_default();
                        format!("{}  {}{}{id}  编号 {}", c.name, c.unit, c.post, c.id)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        IntegrityCmd::File { cadre, purpose } => {
            let file = as_user(&mut store, &who, |s, a| query::cadre_file(s, a, &cadre, &purpose))?;
            ctx.out(serde_json::to_value(&file)?, || {
                let c = &file.cadre;
                let mut lines = vec![format!("{}  {}{}", c.name, c.unit, c.post)];
                if file.records.is_empty() {
                    lines.push("未发现涉及本人的记录。".into());
                }
                for r in &file.records {
                    lines.push(format!(
                        "{} {} {}  {}  [{}]  {}",
                        r.date, r.kind_label, r.label, r.unit, r.state_label, r.record
                    ));
                }
                if file.split > 0 {
                    lines.push(format!("另有 {} 条同名记录已分开（非本人）。", file.split));
                }
                lines.push(format!(
                    "查阅记录 {} 次，最近：{}",
                    file.readings.len(),
                    file.readings
                        .first()
                        .map(|r| format!("{} {}（{}）", r.read_at, r.read_by, r.purpose))
                        .unwrap_or_default()
                ));
                lines.join("\n")
            });
        }
        IntegrityCmd::Confirm { cadre, record, note } => {
            as_user(&mut store, &who, |s, a| ops::decide_match(s, a, &cadre, &record, MatchStep::Confirm, &note))?;
            ctx.out(json!({ "confirmed": record }), || "已确认为本人的记录。".into());
        }
        IntegrityCmd::Split { cadre, record, note } => {
            as_user(&mut store, &who, |s, a| ops::decide_match(s, a, &cadre, &record, MatchStep::Split, &note))?;
            ctx.out(json!({ "split": record }), || "已分开：该记录不计入本人档案。".into());
        }
        IntegrityCmd::AddUnit { name, category, aliases } => {
            let form = UnitForm { name, category: UnitCategory::parse(category.trim())?, aliases };
            let id = as_user(&mut store, &who, |s, a| ops::register_unit(s, a, &form))?;
            ctx.out(json!({ "id": id }), || format!("已录入单位 {}，编号 {id}。", form.name.trim()));
        }
        IntegrityCmd::Units => {
            let list = as_user(&mut store, &who, |s, a| query::units(s, a))?;
            ctx.out(serde_json::to_value(&list)?, || {
                list.iter()
                    .map(|u| {
                        let d: Vec<String> = u
                            .profile
                            .deductions
                            .iter()
                            .map(|d| format!("{} {} 项扣 {} 分", d.label, d.count, d.points))
                            .collect();
                        format!("{}  {} 分  {}  {}", u.name, u.profile.score, u.profile.band_label, d.join("；"))
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        IntegrityCmd::Request { file } => {
            let form: OpinionRequestForm = read_json(&file)?;
            let id = as_user(&mut store, &who, |s, a| ops::register_opinion(s, a, &form))?;
            ctx.out(json!({ "id": id }), || {
                format!(
                    "已登记{}《{}》，共 {} 人，编号 {id}。",
                    form.requester.trim(),
                    form.request_ref.trim(),
                    form.persons.len()
                )
            });
        }
        IntegrityCmd::Requests => {
            let list = as_user(&mut store, &who, |s, a| query::opinions(s, a))?;
            ctx.out(serde_json::to_value(&list)?, || {
                list.iter()
                    .map(|r| {
                        let due = r.deadline.as_ref().map(|d| format!("  回复期限 {}", d.due)).unwrap_or_default();
                        format!(
                            "{} 收 {}《{}》 {} {} 人  {}{due}  编号 {}",
                            r.received_date,
                            r.requester,
                            r.request_ref,
                            r.purpose_label,
                            r.persons,
                            r.status_label,
                            r.id
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        IntegrityCmd::Show { request } => {
            let page = as_user(&mut store, &who, |s, a| query::opinion_page(s, a, &request))?;
            ctx.out(serde_json::to_value(&page)?, || {
                let mut lines = vec![format!(
                    "{}《{}》 {}  {}",
                    page.requester, page.request_ref, page.purpose_label, page.status_label
                )];
                if let Some(d) = &page.deadline {
                    lines.push(format!("回复期限 {}", d.due));
                }
                for p in &page.persons {
                    lines.push(format!("{}. {}（{}{}）", p.ord, p.name, p.unit, p.post));
                    for f in &p.findings {
                        let mark = if f.confirmed { "" } else { "【疑似，待确认】" };
                        lines.push(format!("   {}{mark}：{}", f.kind_label, f.reason));
                    }
                    if p.unresolved > 0 {
                        lines.push(format!("   有 {} 条疑似记录待在廉政档案中确认或分开。", p.unresolved));
                    }
                    lines.push(format!("   结论：{}", p.conclusion));
                }
                if let Some(w) = &page.waiting {
                    lines.push(w.clone());
                }
                lines.join("\n")
            });
        }
        IntegrityCmd::Edit { request, person, text } => {
            let c = OpinionCommand::Edit { ord: person, text };
            as_user(&mut store, &who, |s, a| ops::opinion_step(s, a, &request, &c))?;
            ctx.out(json!({ "edited": person }), || format!("第 {person} 人的结论已保存。"));
        }
        IntegrityCmd::Submit { request } => {
            as_user(&mut store, &who, |s, a| ops::opinion_step(s, a, &request, &OpinionCommand::Submit))?;
            ctx.out(json!({ "submitted": request }), || "已提交领导审批。".into());
        }
        IntegrityCmd::Approve { request, note } => {
            let c = OpinionCommand::Approve { note };
            as_user(&mut store, &who, |s, a| ops::opinion_step(s, a, &request, &c))?;
            ctx.out(json!({ "approved": request }), || {
                "已批准。请签发回复：qingfeng notice issue --kind integrity_reply --opinion <编号>".into()
            });
        }
        IntegrityCmd::Return { request, note } => {
            let c = OpinionCommand::Return { note };
            as_user(&mut store, &who, |s, a| ops::opinion_step(s, a, &request, &c))?;
            ctx.out(json!({ "returned": request }), || "已退回经办人修改。".into());
        }
    }
    Ok(())
}
