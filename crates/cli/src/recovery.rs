//! `qingfeng recovery …`, `qingfeng backup …` and `qingfeng restore`: the office's recovery code,
//! encrypted backups (on demand, or from cron with `backup run --if-due`), and restoring a
//! machine whose keyring or disk was lost.

use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};
use clap::{Args, Subcommand};
use qingfeng_core::authz::Actor;
use qingfeng_core::recovery::backup::{self, Progress};
use qingfeng_core::recovery::restore::{self, RestoreRequest};
use qingfeng_core::recovery::{self, RecoveryCode, envelope};
use qingfeng_core::{Store, accounts};
use qingfeng_notice::{FontSet, RecoverySheet, render_recovery_sheet};
use serde_json::json;

use crate::{AsUser, Ctx};

#[derive(Subcommand, Debug)]
pub enum RecoveryCmd {
    /// 生成本机关的恢复码（用于启用恢复码之前建立的数据库）
    Create {
        /// 另把可打印的恢复页（PDF）写到此处
        #[arg(long)]
        sheet: Option<PathBuf>,
        #[command(flatten)]
        actor: AsUser,
    },
    /// 更换恢复码（遗失或被他人看到时）；旧恢复码即刻作废
    Replace {
        #[arg(long)]
        sheet: Option<PathBuf>,
        #[command(flatten)]
        actor: AsUser,
    },
    /// 打开密钥环已丢失的数据库：用恢复码打开数据库旁的密钥封套，放回数据库密钥和本设备的签名密钥
    Unlock {
        /// 从标准输入的第一行读取恢复码
        #[arg(long)]
        code_stdin: bool,
    },
    /// 本机关是否有恢复码，最近一次成功备份的时间
    Status {
        #[command(flatten)]
        actor: AsUser,
    },
}

#[derive(Subcommand, Debug)]
pub enum BackupCmd {
    /// 立即备份到本机的备份目录或 --dir 指定的目录（定时任务执行的就是它）
    Run {
        /// 备份到此目录，不用设置的目录
        #[arg(long)]
        dir: Option<PathBuf>,
        /// 只在距上次备份已过设置的间隔（backup.interval_hours）时才备份
        #[arg(long)]
        if_due: bool,
    },
    /// 选择本机的备份目录（可以是 U 盘上的目录）
    Config {
        #[arg(long)]
        dir: PathBuf,
        #[command(flatten)]
        actor: AsUser,
    },
    /// 列出备份目录或 --dir 中本机关的备份，最近的在前
    List {
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// 恢复演练：用恢复码打开一份备份、检验，并说明在此恢复会做什么；不作任何改动
    Check {
        file: PathBuf,
        #[arg(long)]
        code_stdin: bool,
        /// 备份应属的机关
        #[arg(long)]
        office: Option<String>,
    },
}

/// `qingfeng restore backup|hub`: the database named by --db (and its key store) is restored as a
/// new device of the office, from a backup with the recovery code or from the hub's copy.
#[derive(Subcommand, Debug)]
pub enum RestoreCmd {
    /// 用恢复码从备份文件（.qfbak）恢复
    Backup(RestoreArgs),
    /// 在新电脑上从同步中心保存的本机关记录恢复：用同步中心管理员签发的一次性口令登记，下载、重建、核验
    Hub(RestoreHubArgs),
}

#[derive(Args, Debug)]
pub struct RestoreHubArgs {
    /// 同步中心的地址，如 http://10.1.2.3:8443
    #[arg(long)]
    hub: String,
    /// 为本机关签发的一次性登记口令
    #[arg(long)]
    token: String,
    /// 要恢复的机关（六位代码）
    #[arg(long)]
    office: String,
    /// 新设备的签名算法：ed25519（默认）或 sm2-sm3
    #[arg(long, default_value = "ed25519")]
    alg: String,
    /// 从标准输入的第一行读取恢复码（用于打开托管的密封密钥，使恢复后的机关重新能查看举报人身份）；在终端上运行时会提示输入
    #[arg(long)]
    code_stdin: bool,
}

#[derive(Args, Debug)]
pub struct RestoreArgs {
    /// 备份文件（.qfbak）
    file: PathBuf,
    /// 要恢复的机关（六位代码）；其他机关的备份不予恢复
    #[arg(long)]
    office: Option<String>,
    /// 从标准输入的第一行读取恢复码
    #[arg(long)]
    code_stdin: bool,
    /// 确认替换已有的数据库（原数据库改名留存，绝不删除）
    #[arg(long)]
    replace_existing: bool,
}

/// The recovery code: the first line of stdin, or typed at a terminal.
fn read_code(from_stdin: bool) -> anyhow::Result<RecoveryCode> {
    let text = if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).context("读取标准输入失败")?;
        line
    } else if std::io::stdin().is_terminal() {
        eprint!("请输入恢复码（保险柜中恢复页上的九组数字）：");
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).context("读取输入失败")?;
        line
    } else {
        return Err(anyhow!("需要恢复码：请加 --code-stdin 并从标准输入提供，或在终端中运行以输入恢复码。"));
    };
    Ok(RecoveryCode::parse(&text)?)
}

/// Shows progress on a terminal's stderr (never in --json mode).
fn progress(ctx: &Ctx) -> impl FnMut(Progress) {
    let show = !ctx.json && std::io::stderr().is_terminal();
    let mut last = None;
    move |p: Progress| {
        if !show {
            return;
        }
        let pct = (p.done * 100).checked_div(p.total).unwrap_or(100);
        if last != Some((p.stage, pct)) {
            eprint!("\r{}：{pct}%   ", p.stage.label());
            if p.done >= p.total {
                eprintln!();
            }
            last = Some((p.stage, pct));
        }
    }
}

/// Writes the recovery page for a code just made, 0600, never over an existing file.
pub(crate) fn write_sheet(store: &Store, code: &RecoveryCode, made_by: &str, path: &Path) -> anyhow::Result<()> {
    let office = accounts::home_office(store)?.ok_or_else(|| anyhow!("本机关尚未建立。"))?;
    let fonts = FontSet::discover()?;
    let sheet = RecoverySheet {
        office_name: office.name,
        office_code: office.code,
        groups: code.groups().to_vec(),
        key_id: code.key_pair().key_id(),
        created: qingfeng_core::clock::display_time(store.clock().now()),
        created_by: made_by.to_owned(),
    };
    let pdf = render_recovery_sheet(&fonts, &sheet)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file =
        options.open(path).with_context(|| format!("无法写入恢复页 {}（文件已存在或没有权限）", path.display()))?;
    std::io::Write::write_all(&mut file, &pdf)?;
    file.sync_all()?;
    Ok(())
}

/// Refuses, before any code is made, a page path that is taken (the code could not be shown again).
pub(crate) fn check_sheet_path(sheet: Option<&Path>) -> anyhow::Result<()> {
    match sheet {
        Some(p) if p.exists() => Err(anyhow!("恢复页文件 {} 已存在，请换一个文件名。", p.display())),
        _ => Ok(()),
    }
}

/// A code just made as JSON, with the text telling what to do with it; writes its page when asked.
pub(crate) fn show_code(
    store: &Store,
    code: &RecoveryCode,
    made_by: &str,
    sheet: Option<&Path>,
) -> anyhow::Result<serde_json::Value> {
    if let Some(path) = sheet {
        write_sheet(store, code, made_by, path)?;
    }
    let key_number = qingfeng_notice::recovery::key_number(&code.key_pair().key_id());
    let mut text = String::from("\n恢复码（只显示这一次，请立即抄写或打印，放入保险柜）：\n\n");
    for row in code.groups().chunks(3) {
        text.push_str(&format!("    {}\n", row.join("  ")));
    }
    text.push_str(&format!("\n恢复码编号：{key_number}\n"));
    match sheet {
        Some(p) => text.push_str(&format!("恢复页已写出：{}（请打印后删除该文件）\n", p.display())),
        None => text.push_str("（加 --sheet 文件名.pdf 可同时写出可打印的恢复页。）\n"),
    }
    text.push_str("没有恢复码，备份文件谁也打不开；恢复码遗失或泄露时，请立即用 qingfeng recovery replace 更换。");
    Ok(json!({
        "recovery_code": code.to_text().as_str(),
        "groups": code.groups().to_vec(),
        "key_number": key_number,
        "sheet": sheet.map(|p| p.display().to_string()),
        "text": text,
    }))
}

fn display_name(store: &Store, actor: &Actor) -> String {
    match actor {
        Actor::User(p) => p.display_name.clone(),
        _ => accounts::home_office(store).ok().flatten().map(|o| o.name).unwrap_or_default(),
    }
}

pub fn recovery(ctx: &Ctx, cmd: RecoveryCmd) -> anyhow::Result<()> {
    match cmd {
        RecoveryCmd::Create { sheet, actor } => make_code(ctx, actor, sheet, false),
        RecoveryCmd::Replace { sheet, actor } => make_code(ctx, actor, sheet, true),
        RecoveryCmd::Unlock { code_stdin } => {
            let code = read_code(code_stdin)?;
            let report = envelope::unlock(&ctx.db, &ctx.keys, &code)?;
            ctx.out(json!(report), || {
                format!(
                    "已用恢复码打开 {}（{}）的数据库 {}，密钥已放回{}{}。本机按原设备继续工作。",
                    report.office_name,
                    report.office_code,
                    report.db,
                    report.key_store,
                    if report.secrets.is_empty() { String::new() } else { "，同步签名密钥一并恢复".into() }
                )
            });
            Ok(())
        }
        RecoveryCmd::Status { actor } => {
            let mut store = ctx.open()?;
            let office = store.office()?;
            let status = crate::as_user(&mut store, &actor, |s, a| {
                qingfeng_core::authz::authorize(
                    a,
                    &qingfeng_core::authz::Action::Recovery { office, act: qingfeng_core::authz::RecoveryAct::View },
                )?;
                recovery::status(s)
            })?;
            ctx.out(json!(status), || {
                let last = match &status.last_backup {
                    Some(b) => format!(
                        "{}（{} 天前，{} 个事件）",
                        qingfeng_core::clock::display_stored(&b.created_at),
                        status.days_since_backup.unwrap_or(0),
                        b.events
                    ),
                    None => "从未".into(),
                };
                let mut t = format!(
                    "恢复码：{}\n上次成功备份：{last}\n备份位置：{}\n自动备份间隔：{} 小时；保留 {} 份；超过 {} 天未备份即提醒",
                    if status.has_code { "已生成" } else { "未生成" },
                    status.backup_dir.as_deref().unwrap_or("（未选择）"),
                    status.interval_hours,
                    status.keep,
                    status.warn_days
                );
                if let Some(w) = &status.warning {
                    t.push_str(&format!("\n提醒：{w}"));
                }
                if let Some(e) = &status.last_error {
                    t.push_str(&format!("\n上次备份失败：{e}"));
                }
                t
            });
            Ok(())
        }
    }
}

fn make_code(ctx: &Ctx, actor: AsUser, sheet: Option<PathBuf>, replace: bool) -> anyhow::Result<()> {
    check_sheet_path(sheet.as_deref())?;
    let mut store = ctx.open()?;
    let keys = ctx.keys.clone();
    let mut made_by = String::new();
    let code = crate::as_user(&mut store, &actor, |s, a| {
        made_by = display_name(s, a);
        if replace { recovery::replace_key(s, a, &keys) } else { recovery::create_key(s, a, &keys) }
    })?;
    let shown = show_code(&store, &code, &made_by, sheet.as_deref())?;
    let text = shown["text"].as_str().unwrap_or_default().to_owned();
    ctx.out(shown, || {
        format!(
            "{}{text}",
            if replace {
                "已更换恢复码，旧恢复码即刻作废。"
            } else {
                "已生成本机关的恢复码。"
            }
        )
    });
    Ok(())
}

pub fn backup_cmd(ctx: &Ctx, cmd: BackupCmd) -> anyhow::Result<()> {
    match cmd {
        BackupCmd::Run { dir, if_due } => {
            let mut store = ctx.open()?;
            if if_due && dir.is_none() && !recovery::status(&store)?.due {
                ctx.out(json!({ "skipped": true }), || "还没到备份时间，本次不备份。".into());
                return Ok(());
            }
            let report = backup::run(&mut store, &ctx.keys, &Actor::System, dir.as_deref(), progress(ctx))?;
            ctx.out(json!(report), || {
                let mut t = format!(
                    "已备份到 {}（{} 个事件，{} 字节），已试恢复校验无误。",
                    report.file, report.events, report.bytes
                );
                if !report.removed.is_empty() {
                    t.push_str(&format!("\n按保留份数删除了较早的备份 {} 份。", report.removed.len()));
                }
                t
            });
            Ok(())
        }
        BackupCmd::Config { dir, actor } => {
            let mut store = ctx.open()?;
            crate::as_user(&mut store, &actor, |s, a| recovery::set_backup_dir(s, a, &dir))?;
            ctx.out(json!({ "dir": std::path::absolute(&dir)? }), || format!("备份位置已设为 {}。", dir.display()));
            Ok(())
        }
        BackupCmd::List { dir } => {
            let store = ctx.open()?;
            let dir = match dir {
                Some(d) => d,
                None => PathBuf::from(
                    recovery::status(&store)?
                        .backup_dir
                        .ok_or_else(|| anyhow!("还没有选择备份位置，请用 --dir 指定文件夹。"))?,
                ),
            };
            let list = backup::list(&dir, &store.office()?)?;
            ctx.out(json!(list), || {
                if list.is_empty() {
                    return format!("{} 中没有本机关的备份。", dir.display());
                }
                list.iter()
                    .map(|b| {
                        format!(
                            "{}  {} 个事件  {}",
                            qingfeng_core::clock::display_time(
                                chrono::DateTime::from_timestamp_millis(b.header.created_at_ms).unwrap_or_default()
                            ),
                            b.header.events,
                            b.path
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
            Ok(())
        }
        BackupCmd::Check { file, code_stdin, office } => {
            let code = read_code(code_stdin)?;
            let req = RestoreRequest {
                backup: &file,
                code: &code,
                db: &ctx.db,
                keys: &ctx.keys,
                office: office.as_deref(),
                confirmed: false,
            };
            let preview = restore::preview(&req, progress(ctx))?;
            ctx.out(json!(preview), || format!("备份完好，恢复码正确。\n{}", preview.notes.join("\n")));
            Ok(())
        }
    }
}

pub fn restore_cmd(ctx: &Ctx, cmd: RestoreCmd) -> anyhow::Result<()> {
    match cmd {
        RestoreCmd::Backup(args) => restore_backup(ctx, args),
        RestoreCmd::Hub(args) => restore_hub(ctx, args),
    }
}

fn restore_hub(ctx: &Ctx, args: RestoreHubArgs) -> anyhow::Result<()> {
    use qingfeng_sync::restore::{HubRestoreRequest, restore_from_hub, what_is_lost};
    let alg = args.alg.parse::<qingfeng_sync::Alg>().map_err(|e| anyhow!("{e}"))?;
    if !ctx.json {
        eprintln!("{}", what_is_lost());
    }
    // Asked before anything is sent: the escrow is opened only after the one-time token is used.
    let code = if args.code_stdin || std::io::stdin().is_terminal() { Some(read_code(args.code_stdin)?) } else { None };
    let req = HubRestoreRequest {
        hub_url: &args.hub,
        token: &args.token,
        office_code: &args.office,
        db: &ctx.db,
        keys: &ctx.keys,
        alg,
        code: code.as_ref(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let report = runtime.block_on(restore_from_hub(&req, progress(ctx)))?;
    ctx.out(json!(report), || {
        format!(
            "已从省级平台恢复 {}（{}）：{} 个事件，事件日志校验完好。\n数据库：{}\n{}",
            report.office_name,
            report.office_code,
            report.events,
            report.db,
            report.notes.join("\n")
        )
    });
    Ok(())
}

fn restore_backup(ctx: &Ctx, args: RestoreArgs) -> anyhow::Result<()> {
    let code = read_code(args.code_stdin)?;
    let req = RestoreRequest {
        backup: &args.file,
        code: &code,
        db: &ctx.db,
        keys: &ctx.keys,
        office: args.office.as_deref(),
        confirmed: args.replace_existing,
    };
    let report = restore::restore(&req, progress(ctx))?;
    ctx.out(json!(report), || {
        let mut t = format!(
            "已从备份恢复 {}（{}）：{} 个事件，事件日志校验完好。\n数据库：{}\n密钥保存在：{}\n本机现为本机关的新设备，请重新登记到省级平台后再同步。",
            report.office_name, report.office_code, report.events, report.db, report.key_store
        );
        if let Some(aside) = &report.moved_aside {
            t.push_str(&format!("\n原数据库已改名保存为 {aside}。"));
        }
        t
    });
    Ok(())
}
