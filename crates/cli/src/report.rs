//! `qingfeng report …`: the key-problem catalogue the office holds (重点问题目录) and the analysis
//! report of a period (综合分析, or 专题分析 on one category or one unit) written as PDF and DOCX.
//!
//! JSON output is the core's own views (`CatalogueView`, `AnalysisReport`).

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use qingfeng_core::analysis::catalogue;
use qingfeng_core::analysis::report::{ReportRequest, period_bounds};
use qingfeng_documents::Notices;

use crate::{AsUser, Ctx, as_user, as_user_with};

#[derive(Args, Debug)]
pub(crate) struct ReportArgs {
    /// 操作人员：可查看检举控告的岗位。
    #[arg(long = "as", env = "QINGFENG_USER", default_value = "admin", global = true)]
    as_user: String,
    #[command(subcommand)]
    cmd: ReportCmd,
}

#[derive(Subcommand, Debug)]
enum ReportCmd {
    /// 显示现行的重点问题目录及本机关持有的各版本。
    Catalogue,
    /// 生成一个期间的综合分析或专题分析报告（PDF 和可编辑的 DOCX 文档）。
    Analysis {
        /// 期间：年份（2026）、半年（2026H1）、季度（2026Q3）或月份（2026-09）；也可用 --from/--to。
        #[arg(long, conflicts_with_all = ["from", "to"])]
        period: Option<String>,
        /// 起始日期（收到日期，含当日），如 2026-07-01。
        #[arg(long)]
        from: Option<String>,
        /// 截止日期（含当日），如 2026-09-30。
        #[arg(long)]
        to: Option<String>,
        /// 专题分析：重点问题目录中的一个问题类别。
        #[arg(long, conflicts_with = "unit")]
        category: Option<String>,
        /// 专题分析：一个被反映单位。
        #[arg(long)]
        unit: Option<String>,
        /// 写出 PDF 的文件。
        #[arg(long)]
        pdf: Option<PathBuf>,
        /// 写出可编辑 DOCX 文档的文件。
        #[arg(long)]
        docx: Option<PathBuf>,
    },
}

pub(crate) fn run(ctx: &Ctx, args: ReportArgs) -> anyhow::Result<()> {
    let who = AsUser { as_user: args.as_user };
    let mut store = ctx.open()?;
    match args.cmd {
        ReportCmd::Catalogue => {
            let view = as_user(&mut store, &who, catalogue::current)?;
            ctx.out(serde_json::to_value(&view)?, || {
                let mut lines = vec![format!(
                    "{}（第 {} 版，{} 施行，{}）",
                    view.title,
                    view.version,
                    view.effective,
                    if view.builtin { "程序内置" } else { "省级平台发布" }
                )];
                for c in &view.categories {
                    lines.push(if c.parent.is_some() { format!("    {}", c.name) } else { format!("  {}", c.name) });
                }
                let held: Vec<String> = view.versions.iter().map(|v| format!("第 {} 版", v.version)).collect();
                lines.push(format!("本机关持有：{}", held.join("、")));
                lines.join("\n")
            });
        }
        ReportCmd::Analysis { period, from, to, category, unit, pdf, docx } => {
            if pdf.is_none() && docx.is_none() {
                anyhow::bail!("请用 --pdf 或 --docx（或两者）指定报告写到哪个文件。");
            }
            let (from, to) = match period {
                Some(p) => period_bounds(&p)?,
                None => match (from, to) {
                    (Some(f), Some(t)) => (f, t),
                    _ => anyhow::bail!("请用 --period 指定期间，或同时给出 --from 和 --to。"),
                },
            };
            let req = ReportRequest { from, to, theme: category, unit };
            let notices = Notices::with_system_fonts()?;
            let out = as_user_with(&mut store, &who, |s, a| notices.analysis_report(s, a, &req))?;
            for (path, bytes) in [(&pdf, &out.pdf), (&docx, &out.docx)] {
                if let Some(path) = path {
                    qingfeng_core::files::write_private(path, bytes)
                        .with_context(|| format!("无法写入 {}", path.display()))?;
                }
            }
            let r = &out.report;
            ctx.out(serde_json::to_value(r)?, || {
                let mut lines = vec![
                    r.title.clone(),
                    format!(
                        "受理 {} 件，办结 {} 件，超期 {} 件，处分决定 {} 件",
                        r.total, r.concluded, r.overdue, r.penalties
                    ),
                ];
                for (path, what) in [(&pdf, "PDF"), (&docx, "DOCX 文档")] {
                    if let Some(p) = path {
                        lines.push(format!("已写出{what}：{}", p.display()));
                    }
                }
                lines.join("\n")
            });
        }
    }
    Ok(())
}
