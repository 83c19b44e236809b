//! `qingfeng notice …`: notices (告知书、通知、回执) previewed, issued, registered, re-printed and
//! printed, and their templates.
//!
//! `render` is a preview: it renders the notice from the record **without a document number**
//! (none is consumed or printed; the JSON says `"numbered": false` and names the number the
//! notice would get if issued now, which is not reserved). `issue` allocates the number, stores
//! the PDF and records `document.issued` in one transaction; `--out` saves it and `--print`
//! prints it through CUPS (`lp`). `reprint` prints or saves the stored bytes of an issued notice,
//! identical to the issued copy (same SHA-256).

use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};
use clap::{Args, Subcommand};
use qingfeng_core::Store;
use qingfeng_core::authz::Actor;
use qingfeng_core::documents::{self as core_docs, DocumentFilter, IssuedDocument, TemplateView};
use qingfeng_documents::print::Cups;
use qingfeng_documents::{DocumentError, NoticeKind, NoticeRequest, Notices, Record, stored_pdf, templates};
use serde_json::json;

use crate::Ctx;

/// The acting officer; accepted anywhere after `notice`.
#[derive(Args, Debug)]
pub(crate) struct NoticeArgs {
    /// 操作人账号：如 xinfang（信访室）、jiancha（监督检查室）、anguan（案件监督管理室）、admin 等
    #[arg(long = "as", env = "QINGFENG_USER", default_value = "admin", global = true)]
    as_user: String,
    #[command(subcommand)]
    cmd: NoticeCmd,
}

/// The record a notice is issued for; none for a notice filled in by hand with `--field`.
#[derive(Args, Debug)]
struct RecordArgs {
    /// 文书种类：受理告知书 (acceptance)、不予受理告知书 (non_acceptance)、结果反馈 (result_feedback)、函询函 (inquiry)、送达回执 (service_receipt)、宣布记录 (announcement)、函告 (notification_letter)、整改通知书 (rectification)、廉政意见回复 (integrity_reply)、监督建议书 (supervision_suggestion)、提醒函 (reminder_letter)、监督通报 (circular)
    #[arg(long)]
    kind: String,
    /// 检举控告，填编号（如 530102-2026-00001）或内部标识
    #[arg(long, conflicts_with_all = ["penalty", "checklist", "opinion"])]
    complaint: Option<String>,
    /// 处分决定，填文号或内部标识
    #[arg(long, conflicts_with_all = ["checklist", "opinion"])]
    penalty: Option<String>,
    /// 整改清单，填内部标识
    #[arg(long, conflicts_with = "opinion")]
    checklist: Option<String>,
    /// 廉政意见回复请求，填内部标识（用于 integrity_reply）
    #[arg(long, conflicts_with_all = ["letter", "circular"])]
    opinion: Option<String>,
    /// 监督建议书或提醒函，填内部标识（用于 supervision_suggestion 或 reminder_letter）
    #[arg(long, conflicts_with = "circular")]
    letter: Option<String>,
    /// 监督通报，填内部标识（用于 circular）
    #[arg(long)]
    circular: Option<String>,
    /// 记录中没有的栏目的值，写作 栏目=值（可多次填写）；日期写作 2026-03-02
    #[arg(long = "field", value_name = "NAME=VALUE")]
    fields: Vec<String>,
}

#[derive(Subcommand, Debug)]
enum NoticeCmd {
    /// 生成预览 PDF（不占用文号，也不印文号）
    Render {
        #[command(flatten)]
        record: RecordArgs,
        /// PDF 保存到的文件路径
        #[arg(long)]
        out: PathBuf,
    },
    /// 签发文书：分配文号、保存 PDF、登记；可同时另存和打印
    Issue {
        #[command(flatten)]
        record: RecordArgs,
        /// 另把签发的 PDF 保存到此处
        #[arg(long)]
        out: Option<PathBuf>,
        /// 通过 CUPS（lp）打印
        #[arg(long)]
        print: bool,
        /// 打印机（默认为系统默认打印机）
        #[arg(long, requires = "print")]
        printer: Option<String>,
    },
    /// 发文登记，最近的在前
    List {
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        kind: Option<String>,
    },
    /// 再次打印（或保存）已签发的文书：按签发时保存的原件
    Reprint {
        /// 文号（如 五纪受〔2026〕1号）或内部标识
        number: String,
        /// 不打印，把 PDF 保存到此处
        #[arg(long)]
        out: Option<PathBuf>,
        /// 打印机（默认为系统默认打印机）
        #[arg(long, conflicts_with = "out")]
        printer: Option<String>,
    },
    /// CUPS 中的打印机
    Printers,
    /// 文书模板：列出各版本、查看一个版本、保存新版本（管理员）
    #[command(subcommand)]
    Template(TemplateCmd),
}

#[derive(Subcommand, Debug)]
enum TemplateCmd {
    /// 每种文书的每个版本，标明正在使用的
    List,
    /// 某种文书正在使用的版本（或 --version 指定的版本）的模板文本
    Show {
        kind: String,
        #[arg(long)]
        version: Option<u32>,
    },
    /// 从模板文本文件保存新版本（其版本号须高于已有的每个版本）
    Save { file: PathBuf },
}

/// Runs `f` as the acting officer, with the documents crate's errors.
fn as_officer<T>(
    store: &mut Store,
    who: &crate::AsUser,
    f: impl FnOnce(&mut Store, &Actor) -> Result<T, DocumentError>,
) -> anyhow::Result<T> {
    crate::as_user_with(store, who, f)
}

fn kind(text: &str) -> Result<NoticeKind, DocumentError> {
    let text = text.trim();
    NoticeKind::ALL.into_iter().find(|k| k.as_str() == text || k.name_zh() == text).ok_or_else(|| {
        let all: Vec<String> = NoticeKind::ALL.iter().map(|k| format!("{}（{}）", k.as_str(), k.name_zh())).collect();
        DocumentError::Invalid(format!("没有名为“{text}”的文书种类。可选：{}。", all.join("、")))
    })
}

fn request(store: &mut Store, actor: &Actor, args: &RecordArgs) -> Result<NoticeRequest, DocumentError> {
    let record = if let Some(c) = &args.complaint {
        let c = c.trim();
        let looks_like_number = c.split('-').count() == 3 && c.chars().all(|ch| ch.is_ascii_digit() || ch == '-');
        let id = if looks_like_number {
            qingfeng_core::complaints::query::find_by_number(store, actor, c)?
        } else {
            c.to_owned()
        };
        Record::Complaint(id)
    } else if let Some(p) = &args.penalty {
        Record::Penalty(qingfeng_core::penalty::query::find(store, actor, p)?)
    } else if let Some(c) = &args.checklist {
        Record::Checklist(c.trim().to_owned())
    } else if let Some(o) = &args.opinion {
        Record::Opinion(o.trim().to_owned())
    } else if let Some(l) = &args.letter {
        Record::Letter(l.trim().to_owned())
    } else if let Some(c) = &args.circular {
        Record::Circular(c.trim().to_owned())
    } else {
        Record::None
    };
    let mut req = NoticeRequest::new(kind(&args.kind)?, record);
    for pair in &args.fields {
        let (name, value) = pair.split_once('=').ok_or_else(|| {
            DocumentError::Invalid(format!("--field 应写成 字段名=值（例如 place=县纪委监委机关），收到“{pair}”。"))
        })?;
        req = req.with_field(name.trim(), value);
    }
    Ok(req)
}

fn write_pdf(path: &Path, pdf: &[u8]) -> anyhow::Result<()> {
    qingfeng_core::files::write_private(path, pdf).with_context(|| format!("无法写入 {}", path.display()))
}

fn doc_line(d: &IssuedDocument) -> String {
    // Two offline devices of the office issued this number; the id tells the copies apart.
    let duplicate = if d.duplicate_number { format!("  【文号重复，编号 {}】", d.id) } else { String::new() };
    format!(
        "{:<18} {:<14} {}  {}  {}  签发人 {}{duplicate}",
        d.number, d.kind_name, d.issue_date, d.record_label, d.title, d.issued_by
    )
}

fn template_line(t: &TemplateView) -> String {
    format!(
        "{}{:<20} 第{}版  {}  {}  {}",
        if t.active { "* " } else { "  " },
        t.kind,
        t.version,
        t.title,
        if t.builtin { "内置".to_owned() } else { format!("{} 保存于 {}", t.saved_by, t.saved_at) },
        &t.sha256[..12.min(t.sha256.len())]
    )
}

pub(crate) fn run(ctx: &Ctx, args: NoticeArgs) -> anyhow::Result<()> {
    let who = crate::AsUser { as_user: args.as_user };
    match args.cmd {
        NoticeCmd::Render { record, out } => {
            let notices = Notices::with_system_fonts()?;
            let mut store = ctx.open()?;
            let preview = as_officer(&mut store, &who, |s, a| {
                let req = request(s, a, &record)?;
                notices.preview(s, a, &req)
            })?;
            write_pdf(&out, &preview.pdf)?;
            ctx.out(
                json!({
                    "kind": preview.kind, "title": preview.title, "numbered": false,
                    "next_number": preview.next_number, "template_version": preview.template_version,
                    "out": out, "bytes": preview.pdf.len(),
                }),
                || {
                    format!(
                        "已生成预览（未编号、未签发）：{}。签发时将按顺序编号（当前下一个为 {}，不预留）。",
                        out.display(),
                        preview.next_number
                    )
                },
            );
            Ok(())
        }
        NoticeCmd::Issue { record, out, print, printer } => {
            let notices = Notices::with_system_fonts()?;
            let mut store = ctx.open()?;
            let (doc, pdf) = as_officer(&mut store, &who, |s, a| {
                let req = request(s, a, &record)?;
                let doc = notices.issue(s, a, &req)?;
                let (_, pdf) = stored_pdf(s, a, &doc.id)?;
                Ok((doc, pdf))
            })?;
            if let Some(path) = &out {
                write_pdf(path, &pdf)?;
            }
            // The notice is issued whatever happens at the printer: a printing failure is
            // reported after the number, so the officer re-prints rather than issues again.
            let printed = if print {
                match Cups::system().print_bytes(&pdf, printer.as_deref(), &doc.number) {
                    Ok(job) => Some(job),
                    Err(e) => {
                        return Err(anyhow!(
                            "已签发 {}，但打印失败：{e}（可用 `qingfeng notice reprint {}` 重新打印）",
                            doc.number,
                            doc.number
                        ));
                    }
                }
            } else {
                None
            };
            let mut value = serde_json::to_value(&doc)?;
            value["out"] = json!(out);
            value["print_job"] = json!(printed);
            ctx.out(value, || {
                let mut s = format!("已签发 {}（{}），PDF SHA-256 {}", doc.number, doc.title, doc.pdf_sha256);
                if let Some(p) = &out {
                    s.push_str(&format!("\n已保存到 {}", p.display()));
                }
                if let Some(job) = &printed {
                    s.push_str(&format!("\n已送打印：{}", job.job_id.as_deref().unwrap_or("(无作业号)")));
                }
                s
            });
            Ok(())
        }
        NoticeCmd::List { year, kind: k } => {
            let mut store = ctx.open()?;
            let filter = DocumentFilter {
                year,
                kind: k.as_deref().map(|t| kind(t).map(|k| k.as_str().to_owned())).transpose()?,
                aggregate: None,
            };
            let docs = as_officer(&mut store, &who, |s, a| Ok(core_docs::list(s, a, &filter)?))?;
            ctx.out(serde_json::to_value(&docs)?, || {
                if docs.is_empty() {
                    "没有已签发的文书。".to_owned()
                } else {
                    docs.iter().map(doc_line).collect::<Vec<_>>().join("\n")
                }
            });
            Ok(())
        }
        NoticeCmd::Reprint { number, out, printer } => {
            let mut store = ctx.open()?;
            let (doc, pdf) = as_officer(&mut store, &who, |s, a| stored_pdf(s, a, &number))?;
            let job = match &out {
                Some(path) => {
                    write_pdf(path, &pdf)?;
                    None
                }
                None => Some(Cups::system().print_bytes(&pdf, printer.as_deref(), &doc.number)?),
            };
            ctx.out(
                json!({ "number": doc.number, "pdf_sha256": doc.pdf_sha256, "out": out, "print_job": job }),
                || match (&out, &job) {
                    (Some(p), _) => format!(
                        "已将 {} 保存到 {}（与签发时相同，SHA-256 {}）",
                        doc.number,
                        p.display(),
                        doc.pdf_sha256
                    ),
                    (None, Some(j)) => {
                        format!("已重新打印 {}：{}", doc.number, j.job_id.as_deref().unwrap_or("(无作业号)"))
                    }
                    (None, None) => String::new(),
                },
            );
            Ok(())
        }
        NoticeCmd::Printers => {
            let printers = Cups::system().printers()?;
            ctx.out(serde_json::to_value(&printers)?, || {
                if printers.is_empty() {
                    "没有已添加的打印机。".to_owned()
                } else {
                    printers
                        .iter()
                        .map(|p| format!("{}{}", p.name, if p.is_default { "（默认）" } else { "" }))
                        .collect::<Vec<_>>()
                        .join("\n")
                }
            });
            Ok(())
        }
        NoticeCmd::Template(cmd) => {
            let mut store = ctx.open()?;
            match cmd {
                TemplateCmd::List => {
                    let list = as_officer(&mut store, &who, templates::list)?;
                    ctx.out(serde_json::to_value(&list)?, || {
                        list.iter().map(template_line).collect::<Vec<_>>().join("\n")
                    });
                }
                TemplateCmd::Show { kind: k, version } => {
                    let k = kind(&k)?;
                    let list = as_officer(&mut store, &who, templates::list)?;
                    let t = list
                        .into_iter()
                        .find(|t| t.kind == k.as_str() && version.map_or(t.active, |v| t.version == v))
                        .ok_or_else(|| anyhow!("没有“{}”模板的第 {} 版。", k.name_zh(), version.unwrap_or_default()))?;
                    let source = t.source.clone();
                    ctx.out(serde_json::to_value(&t)?, || source);
                }
                TemplateCmd::Save { file } => {
                    let text =
                        std::fs::read_to_string(&file).with_context(|| format!("无法读取 {}", file.display()))?;
                    let saved = as_officer(&mut store, &who, |s, a| templates::save(s, a, &text))?;
                    let line = template_line(&saved);
                    ctx.out(serde_json::to_value(&saved)?, || format!("已保存：{line}"));
                }
            }
            Ok(())
        }
    }
}
