//! `qingfeng province …`: the regulations and templates the provincial hub published, as this
//! office received them (on sync or by bundle): list them with what is new, and adopt a province
//! template as the office's own next version (administrators).

use clap::{Args, Subcommand};
use qingfeng_core::province::{self, ContentKind};
use serde_json::json;

use crate::{AsUser, Ctx, as_user, as_user_with};

#[derive(Args, Debug)]
pub(crate) struct ProvinceArgs {
    /// 操作人账号：查看任何干部均可，采用由管理员办理
    #[arg(long = "as", env = "QINGFENG_USER", default_value = "admin", global = true)]
    as_user: String,
    #[command(subcommand)]
    cmd: ProvinceCmd,
}

#[derive(Subcommand, Debug)]
enum ProvinceCmd {
    /// 省级平台发布的法规制度和模板（新到的标“新到”），看过后不再标记
    List,
    /// 采用省级发布的模板，作为本机关的新版本（管理员）；本机关原有版本保留
    Adopt {
        /// 类别：notice-template（文书模板）或 checklist-template（执行事项清单模板）
        #[arg(long, value_parser = ["notice-template", "checklist-template"])]
        kind: String,
        /// 编号：文书种类或清单模板编号
        #[arg(long)]
        id: String,
        /// 省级版本号
        #[arg(long)]
        version: u32,
    },
}

pub(crate) fn run(ctx: &Ctx, args: ProvinceArgs) -> anyhow::Result<()> {
    let who = AsUser { as_user: args.as_user };
    let mut store = ctx.open()?;
    match args.cmd {
        ProvinceCmd::List => {
            // The built-in notice templates are recorded on first use; the office's version in
            // force, shown beside the province's, counts them.
            qingfeng_documents::templates::ensure_builtin(&mut store)?;
            let items = as_user(&mut store, &who, |s, a| {
                let items = province::list(s, a)?;
                province::mark_seen(s, a)?;
                Ok(items)
            })?;
            ctx.out(serde_json::to_value(&items)?, || {
                if items.is_empty() {
                    return "尚未收到省级平台发布的法规制度或模板。".to_owned();
                }
                let mut lines = Vec::new();
                for i in &items {
                    let state = if let Some(reason) = &i.refused {
                        format!("本机无法使用：{reason}")
                    } else if let Some(n) = i.adopted_as {
                        format!("已采用为本机关第 {n} 版")
                    } else if i.kind == ContentKind::Regulation {
                        "已列入资料袋".to_owned()
                    } else if i.adoptable {
                        match i.office_version {
                            Some(v) => format!("可采用（本机关现用第 {v} 版）"),
                            None => "可采用（本机关尚未使用此模板）".to_owned(),
                        }
                    } else {
                        "已有更新的省级版本".to_owned()
                    };
                    lines.push(format!(
                        "{}{}《{}》省级第 {} 版：{state}",
                        if i.new { "【新到】" } else { "" },
                        i.kind.label(),
                        i.title,
                        i.version
                    ));
                }
                lines.join("\n")
            });
        }
        ProvinceCmd::Adopt { kind, id, version } => {
            let adopted = if kind == "notice-template" {
                as_user_with(&mut store, &who, |s, a| {
                    qingfeng_documents::templates::adopt_province(s, a, &id, version)
                })?
            } else {
                as_user(&mut store, &who, |s, a| province::adopt(s, a, ContentKind::ChecklistTemplate, &id, version))?
            };
            ctx.out(json!({ "adopted_as": adopted }), || {
                format!("已采用省级第 {version} 版，作为本机关第 {adopted} 版，即日起使用。")
            });
        }
    }
    Ok(())
}
