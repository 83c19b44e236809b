//! `qingfeng library …`: the reference library (资料袋) from the command line — import a law or
//! rule from a text or Markdown file, search it, read a document, and cite an article from a
//! complaint, a penalty decision (or one of its execution items) or a rectification list.
//!
//! The starter set shipped in the program is loaded the first time any of these commands runs.
//! JSON output is the core's own views: `search` prints `SearchResults` (`hits` with
//! `document_title`, `article_label`, `text`, `highlights` in characters, `segments`, `rank`).

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use qingfeng_core::Store;
use qingfeng_core::authz::Actor;
use qingfeng_core::library::query::{self, SearchQuery};
use qingfeng_core::library::{CiteRequest, DocumentStatus, ImportRequest, ops};
use qingfeng_core::{CoreError, Result as CoreResult};
use serde_json::json;

use crate::{AsUser, Ctx, as_user};

#[derive(Args, Debug)]
pub(crate) struct LibraryArgs {
    /// 操作人账号：导入由管理员办理；查阅和引用任何干部均可
    #[arg(long = "as", env = "QINGFENG_USER", default_value = "admin", global = true)]
    as_user: String,
    #[command(subcommand)]
    cmd: LibraryCmd,
}

#[derive(Subcommand, Debug)]
enum LibraryCmd {
    /// 从 UTF-8 文本或 Markdown 文件导入法规（管理员）；命令中的选项优先于文件开头的信息块（标题：… 制定机关：… 施行日期：… 版本：…）
    Import {
        file: PathBuf,
        /// 文件的固定标识（小写字母、数字、-）；不填则由标题生成
        #[arg(long)]
        id: Option<String>,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        issuer: Option<String>,
        /// 文号
        #[arg(long)]
        number: Option<String>,
        /// 施行日期（年-月-日）
        #[arg(long)]
        effective: Option<String>,
        /// 版本名称；不填则用施行日期
        #[arg(long)]
        version: Option<String>,
        /// 只收录部分条文（节选）：条号可以跳过，不得重复或倒退
        #[arg(long)]
        excerpt: bool,
    },
    /// 载入程序自带的基础法规（已有的不再载入）
    Starter,
    /// 资料袋中全部法规的各个版本
    List,
    /// 检索条文：正文中的任意字词，两个字及以上（一个字也可以）
    Search {
        query: String,
        /// 只在此法规中检索（填其标识）
        #[arg(long)]
        document: Option<String>,
        /// 效力状态：in_force（现行有效）、amended（已修改）或 repealed（已废止）
        #[arg(long, value_parser = parse_status)]
        status: Option<DocumentStatus>,
        #[arg(long, default_value_t = 20)]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u32,
    },
    /// 一部法规的章节和条文（默认为现行有效版本，可用 --version 指定）
    Show {
        /// 法规的标识或完整标题
        doc: String,
        #[arg(long)]
        version: Option<String>,
    },
    /// 在一条记录中引用一条条文
    Cite {
        #[command(flatten)]
        record: RecordArgs,
        /// 条文写作 法规:条号 或 法规@版本:条号，如 gongzhi-renyuan-zhengwu-chufen-fa:8
        #[arg(long)]
        article: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// 按引用的标识撤销引用
    Uncite { citation: String },
    /// 一条记录的全部引用
    Citations {
        #[command(flatten)]
        record: RecordArgs,
    },
}

/// Which record: exactly one of --complaint, --penalty, --checklist, with --item for one item.
#[derive(Args, Debug)]
struct RecordArgs {
    /// 检举控告的编号或内部标识
    #[arg(long, group = "record")]
    complaint: Option<String>,
    /// 处分决定的文号或内部标识
    #[arg(long, group = "record")]
    penalty: Option<String>,
    /// 整改清单的内部标识
    #[arg(long, group = "record")]
    checklist: Option<String>,
    /// 执行事项或整改事项的序号（1、2……）
    #[arg(long)]
    item: Option<u32>,
}

fn parse_status(s: &str) -> Result<DocumentStatus, String> {
    DocumentStatus::parse(s).map_err(|e| e.to_string())
}

/// The record's aggregate, resolving numbers to ids as the other commands do.
fn record_of(store: &mut Store, actor: &Actor, r: &RecordArgs) -> CoreResult<String> {
    if let Some(c) = &r.complaint {
        let id = match qingfeng_core::complaints::query::find_by_number(store, actor, c) {
            Ok(id) => id,
            Err(CoreError::NotFound { .. }) => c.trim().to_owned(),
            Err(e) => return Err(e),
        };
        return Ok(format!("complaint:{id}"));
    }
    if let Some(p) = &r.penalty {
        return Ok(format!("penalty:{}", qingfeng_core::penalty::query::find(store, actor, p)?));
    }
    if let Some(c) = &r.checklist {
        return Ok(format!("checklist:{}", c.trim()));
    }
    Err(CoreError::invalid("请用 --complaint、--penalty 或 --checklist 指明要引用条款的记录。"))
}

/// `DOC:N` or `DOC@VERSION:N`.
fn article_ref(s: &str) -> CoreResult<(String, Option<String>, u32)> {
    let bad = || {
        CoreError::invalid(format!(
            "条款“{s}”的写法不对：应为 文件标识:条号，例如 gongzhi-renyuan-zhengwu-chufen-fa:8。"
        ))
    };
    let (doc, n) = s.trim().rsplit_once(':').ok_or_else(bad)?;
    let n: u32 = n.trim().parse().map_err(|_| bad())?;
    let (doc, version) = match doc.split_once('@') {
        Some((d, v)) => (d.to_owned(), Some(v.to_owned())),
        None => (doc.to_owned(), None),
    };
    Ok((doc, version, n))
}

pub(crate) fn run(ctx: &Ctx, args: LibraryArgs) -> anyhow::Result<()> {
    let who = AsUser { as_user: args.as_user };
    let mut store = ctx.open()?;
    // The starter set arrives the first time the library is used on this database.
    ops::ensure_starter(&mut store)?;
    match args.cmd {
        LibraryCmd::Import { file, id, title, issuer, number, effective, version, excerpt } => {
            let bytes = std::fs::read(&file).with_context(|| format!("无法读取文件 {}", file.display()))?;
            let text = String::from_utf8(bytes).map_err(|_| {
                CoreError::invalid(format!(
                    "文件 {} 不是 UTF-8 编码的文本。请用文本编辑器另存为 UTF-8 后再导入。",
                    file.display()
                ))
            })?;
            let req =
                ImportRequest { text, id, title, issuer, number, effective, version, excerpt: excerpt.then_some(true) };
            let out = as_user(&mut store, &who, |s, a| ops::import(s, a, &req))?;
            ctx.out(serde_json::to_value(&out)?, || {
                if out.unchanged {
                    format!("《{}》（版本 {}）已在资料袋中，内容相同，未作改动。", out.title, out.version)
                } else {
                    format!(
                        "已导入《{}》（版本 {}，{}）：{} 个章节标题，{} 条。文件标识 {}。",
                        out.title,
                        out.version,
                        out.status.label(),
                        out.headings,
                        out.articles,
                        out.document_id
                    )
                }
            });
        }
        LibraryCmd::Starter => {
            let loaded = ops::load_starter(&mut store)?;
            ctx.out(json!(loaded), || {
                loaded
                    .iter()
                    .map(|d| format!("《{}》（版本 {}）{} 条  标识 {}", d.title, d.version, d.articles, d.document_id))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        LibraryCmd::List => {
            let docs = as_user(&mut store, &who, |s, a| query::documents(s, a))?;
            ctx.out(json!(docs), || {
                docs.iter()
                    .map(|d| {
                        format!(
                            "{}  《{}》 版本 {}  {}  {} 条{}",
                            d.id,
                            d.title,
                            d.version,
                            d.status.label(),
                            d.articles,
                            if d.excerpt { "（节选）" } else { "" }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        LibraryCmd::Search { query: text, document, status, limit, offset } => {
            let q = SearchQuery { text, document, status, limit: Some(limit), offset: Some(offset) };
            let r = as_user(&mut store, &who, |s, a| query::search(s, a, &q))?;
            ctx.out(serde_json::to_value(&r)?, || {
                let mut out = vec![format!("共找到 {} 条：", r.total)];
                for h in &r.hits {
                    let marked: String = h
                        .segments
                        .iter()
                        .map(|s| if s.hit { format!("【{}】", s.text) } else { s.text.clone() })
                        .collect();
                    out.push(format!(
                        "《{}》{}（{}）\n  {}",
                        h.document_title,
                        h.article_label,
                        h.status.label(),
                        marked.replace('\n', "\n  ")
                    ));
                }
                out.join("\n")
            });
        }
        LibraryCmd::Show { doc, version } => {
            let d = as_user(&mut store, &who, |s, a| query::show(s, a, &doc, version.as_deref()))?;
            ctx.out(serde_json::to_value(&d)?, || {
                let s = &d.summary;
                let mut out = vec![
                    format!("《{}》{}", s.title, if s.excerpt { "（节选）" } else { "" }),
                    format!(
                        "{}{}  施行日期 {}  版本 {}  {}",
                        s.issuer,
                        s.number.as_deref().map(|n| format!(" {n}")).unwrap_or_default(),
                        s.effective,
                        s.version,
                        s.status.label()
                    ),
                ];
                if !d.preamble.is_empty() {
                    out.push(d.preamble.clone());
                }
                let mut shown = 0;
                for a in &d.articles {
                    let from = shown;
                    for h in d.headings.iter().filter(|h| h.ord > from && Some(h.ord) <= a.heading) {
                        out.push(format!("{} {}", h.label, h.title));
                        shown = h.ord;
                    }
                    out.push(format!("{} {}", a.label, a.text.replace('\n', "\n    ")));
                }
                out.join("\n")
            });
        }
        LibraryCmd::Cite { record, article, note } => {
            let (document_id, version, number) = article_ref(&article)?;
            let (id, list) = as_user(&mut store, &who, |s, a| {
                let record_id = record_of(s, a, &record)?;
                let req = CiteRequest {
                    record: record_id.clone(),
                    item: record.item,
                    document_id,
                    version,
                    article: number,
                    note,
                };
                let id = ops::cite(s, a, &req)?;
                Ok((id, query::citations(s, a, &record_id, None)?))
            })?;
            let cited = list.iter().find(|c| c.id == id).cloned();
            ctx.out(json!({ "id": id, "citation": cited }), || match &cited {
                Some(c) => format!(
                    "已引用《{}》{}（版本 {}），引用编号 {}。",
                    c.document_title, c.article_label, c.version, c.id
                ),
                None => format!("已引用，引用编号 {id}。"),
            });
        }
        LibraryCmd::Uncite { citation } => {
            as_user(&mut store, &who, |s, a| ops::uncite(s, a, &citation))?;
            ctx.out(json!({ "id": citation, "removed": true }), || format!("已撤销引用 {citation}。"));
        }
        LibraryCmd::Citations { record } => {
            let list = as_user(&mut store, &who, |s, a| {
                let record_id = record_of(s, a, &record)?;
                query::citations(s, a, &record_id, record.item)
            })?;
            ctx.out(json!(list), || {
                if list.is_empty() {
                    return "尚未引用任何条款。".to_owned();
                }
                list.iter()
                    .map(|c| {
                        let item = c.item.map(|i| format!("第 {i} 项  ")).unwrap_or_default();
                        let note = c.note.as_deref().map(|n| format!("（{n}）")).unwrap_or_default();
                        format!(
                            "{}  {item}《{}》{}{note}  {} {}",
                            c.id, c.document_title, c.article_label, c.added_by, c.added_at
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}
