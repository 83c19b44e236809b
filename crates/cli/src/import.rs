//! `qingfeng import …`: bringing an older platform's records over from an XLSX or CSV export
//! (数据迁移) — a dry run that reports every bad row by number, or the import itself, all or
//! nothing per file and adding nothing on a re-run. Progress goes to stderr; the report (or with
//! `--json` the core's `MigrationReport`) to stdout.

use std::path::PathBuf;

use clap::Args;
use qingfeng_core::migration::{
    self, model::Limits, model::MigrationKind, model::MigrationOutcome, model::MigrationPhase,
};

use crate::{AsUser, Ctx, as_user};

#[derive(Args, Debug)]
pub(crate) struct ImportArgs {
    /// 导入的类别：complaints（检举控告）、penalties（处分决定，连同各执行事项的办理情况）或 rectifications（整改清单，每行一个问题）。
    kind: String,
    /// 原平台导出的 .xlsx 或 .csv 文件。
    file: PathBuf,
    /// 使用已保存的列对应关系（按名称）；不指定时按表头自动对应。
    #[arg(long)]
    mapping: Option<String>,
    /// 只校验每一行并报告，不写入。
    #[arg(long)]
    dry_run: bool,
    /// 把本次使用的列对应关系以此名称保存，供以后的导入使用。
    #[arg(long)]
    save_mapping: Option<String>,
    /// 操作人员：须有登记该类记录的岗位（检举控告为信访室，处分决定为案件监督管理室或案件审理室，整改清单为监督检查室或案件监督管理室）。
    #[arg(long = "as", env = "QINGFENG_USER", default_value = "admin")]
    as_user: String,
}

pub(crate) fn run(ctx: &Ctx, args: ImportArgs) -> anyhow::Result<()> {
    let kind = MigrationKind::parse(args.kind.trim())?;
    let who = AsUser { as_user: args.as_user };
    let mut store = ctx.open()?;
    let mut mapping = match &args.mapping {
        Some(name) => migration::mapping(&store, kind, name)?,
        None => migration::suggested(&args.file, kind)?,
    };
    let quiet = ctx.json;
    // A line on stderr every tenth of the way, so a long import shows it is moving.
    let mut shown: Option<(MigrationPhase, u64)> = None;
    let mut progress = move |phase: MigrationPhase, done: u64, total: u64| {
        if quiet || total == 0 {
            return;
        }
        let tenth = done * 10 / total;
        if shown == Some((phase, tenth)) {
            return;
        }
        shown = Some((phase, tenth));
        let what = match phase {
            MigrationPhase::Checking => "正在校验",
            MigrationPhase::Writing => "正在写入",
        };
        eprintln!("{what}：{}%", tenth * 10);
    };
    let file = args.file.clone();
    let dry = args.dry_run;
    let save = args.save_mapping.clone();
    let report = as_user(&mut store, &who, |s, actor| {
        if let Some(name) = &save {
            mapping.name = name.clone();
            migration::save_mapping(s, actor, &mapping)?;
        }
        if dry {
            migration::dry_run(s, actor, &file, kind, &mapping, &Limits::default(), &mut progress)
        } else {
            migration::import(s, actor, &file, kind, &mapping, &Limits::default(), &mut progress)
        }
    })?;
    ctx.out(serde_json::to_value(&report)?, || report.lines().join("\n"));
    if report.outcome == MigrationOutcome::Refused {
        anyhow::bail!("文件有 {} 行有问题，未导入任何记录。请按上面的行号改正后重新导入。", report.problem_count);
    }
    Ok(())
}
