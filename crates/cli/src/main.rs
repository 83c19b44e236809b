//! `qingfeng`: the command line for every core operation, for scripts, servers and administrators.
//!
//! Output is human-readable Chinese by default and JSON with `--json`. Errors go to stderr with a
//! non-zero exit code: 1 for a refused or failed operation, 2 for a malformed command line.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use clap::{Args, Parser, Subcommand};
use qingfeng_core::accounts::{self, Channel, NewUser};
use qingfeng_core::api::SetupRequest;
use qingfeng_core::authz::Actor;
use qingfeng_core::cal::{self, Calendar, CalendarUpdate, MonthRule};
use qingfeng_core::identity::{OfficeLevel, Role};
use qingfeng_core::{CoreError, KeySource, Store, settings};
use qingfeng_demo as demo;
use qingfeng_documents::DocumentError;
use serde_json::json;

mod complaint;
mod import;
mod integrity;
mod library;
mod notice;
mod penalty;
mod province;
mod recovery;
mod report;
mod supervision;
mod sync;

#[derive(Parser, Debug)]
#[command(name = "qingfeng", version, about = "清风：县级纪委监委检举控告与处分执行管理（命令行）")]
struct Cli {
    /// 数据库文件（默认在本机的数据目录）
    #[arg(long, global = true, env = "QINGFENG_DB")]
    db: Option<PathBuf>,
    /// 密钥文件（十六进制，权限 0600），无桌面密钥环时代替之
    #[arg(long, global = true, env = "QINGFENG_KEY_FILE", conflicts_with = "key_store")]
    key_file: Option<PathBuf>,
    /// 密钥存放处：secret-service（默认）、kernel 或 file:文件路径
    #[arg(long, global = true, env = "QINGFENG_KEY_STORE")]
    key_store: Option<String>,
    /// 以 JSON 输出，不输出文字
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// 建立数据库、本机关及其管理员（首次运行）
    Init(InitArgs),
    /// 建立演示数据库，每个岗位一个账号，并显示各账号的口令
    Demo {
        /// 数据库已存在时，只显示演示账号的口令
        #[arg(long)]
        if_missing: bool,
    },
    /// 显示本机关和数据库的情况
    Status,
    /// 账号和岗位
    #[command(subcommand)]
    User(UserCmd),
    /// 核对用户名和口令（登录一次并随即退出，均留痕）
    Login {
        username: String,
        /// 从标准输入的第一行读取口令
        #[arg(long)]
        password_stdin: bool,
    },
    /// 事件记录
    #[command(subcommand)]
    Events(EventsCmd),
    /// 根据事件记录重新计算全部数据
    Rebuild,
    /// 工作日历
    #[command(subcommand)]
    Calendar(CalendarCmd),
    /// 本机关的设置（登录锁定规则等）
    #[command(subcommand)]
    Settings(SettingsCmd),
    /// 检举控告：登记、查看、查询、办理步骤、待办、期限看板
    Complaint(complaint::ComplaintArgs),
    /// 处分决定：登记、查看、执行看板、待审核、违规受益预警
    Penalty(penalty::PenaltyArgs),
    /// 执行事项和整改清单：报送、审核通过、退回、缴款、延期、清单模板
    Checklist(penalty::ChecklistArgs),
    /// 资料袋：导入、检索、查看法规，在记录中引用条文
    Library(library::LibraryArgs),
    /// 省级平台发布的法规制度和模板：查看新到的，采用省级模板
    Province(province::ProvinceArgs),
    /// 廉政档案和廉政意见回复：干部、单位及其得分，回复请求
    Integrity(integrity::IntegrityArgs),
    /// 监督建议书、提醒函和监督通报：反馈、提醒、统计
    Supervision(supervision::SupervisionArgs),
    /// 数据迁移：从原平台导出的 XLSX 或 CSV 文件导入历史记录（可先试运行）
    Import(import::ImportArgs),
    /// 重点问题目录和综合分析、专题分析报告（PDF、DOCX）
    Report(report::ReportArgs),
    /// 文书（告知书、通知、回执）：预览、编号签发、发文登记、补打、打印、模板
    Notice(notice::NoticeArgs),
    /// 省同步中心公布的全省机关名录（离线可查）：机关和派驻机构
    #[command(subcommand)]
    Directory(DirectoryCmd),
    /// 与省级同步中心同步：登记设备、立即同步、同步情况、冲突
    #[command(subcommand)]
    Sync(sync::SyncCmd),
    /// 无网络机关的 U 盘同步包：导出、导入同步中心的回执包
    #[command(subcommand)]
    Bundle(sync::BundleCmd),
    /// 本机关的恢复码：生成、更换，密钥环丢失时用它打开数据库
    #[command(subcommand)]
    Recovery(recovery::RecoveryCmd),
    /// 加密备份：执行（定时任务用 --if-due）、选择备份目录、列出、检验
    #[command(subcommand)]
    Backup(recovery::BackupCmd),
    /// 把本机关恢复到这台电脑：用恢复码从备份恢复，或从同步中心恢复
    #[command(subcommand)]
    Restore(recovery::RestoreCmd),
}

#[derive(Subcommand, Debug)]
enum DirectoryCmd {
    /// 列出本机关所知的机关和派驻机构（全部，或某机关及其下级）
    List {
        /// 只列此机关及其直接下级机关和派驻机构
        #[arg(long)]
        under: Option<String>,
    },
    /// 按代码显示一个机关
    Show { code: String },
}

#[derive(Args, Debug)]
struct InitArgs {
    /// 六位行政区划代码，如 530102
    #[arg(long)]
    office_code: String,
    /// 机关名称，如 五华区纪委监委
    #[arg(long)]
    office_name: String,
    /// 机关级别：province（省）、prefecture（市）或 county（县）
    #[arg(long, default_value = "county")]
    level: String,
    /// 上级机关的行政区划代码
    #[arg(long)]
    parent: Option<String>,
    /// 管理员的登录名
    #[arg(long, default_value = "admin")]
    admin: String,
    /// 管理员的姓名
    #[arg(long)]
    admin_name: String,
    /// 从标准输入的第一行读取管理员口令
    #[arg(long)]
    password_stdin: bool,
    /// 把可打印的恢复页（PDF，存放于本机关保险柜）写到此处
    #[arg(long)]
    recovery_sheet: Option<PathBuf>,
}

/// The acting user for commands that need one; the password comes from QINGFENG_PASSWORD or a prompt.
#[derive(Args, Debug)]
struct AsUser {
    /// 操作人账号（多数命令须为管理员）
    #[arg(long = "as", env = "QINGFENG_USER", default_value = "admin")]
    as_user: String,
}

#[derive(Subcommand, Debug)]
enum UserCmd {
    /// 新建账号
    Add {
        username: String,
        /// 姓名
        #[arg(long)]
        name: String,
        /// 岗位（可多次填写）：admin, petitions, supervision, investigation, case_management, trial, leader
        #[arg(long = "role")]
        roles: Vec<String>,
        /// 从标准输入的第一行读取新账号的口令
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        actor: AsUser,
    },
    /// 列出账号
    List {
        #[command(flatten)]
        actor: AsUser,
    },
    /// 设置口令（本人的，或由管理员设置任何人的）
    Passwd {
        username: String,
        /// 从标准输入的第一行读取新口令
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        actor: AsUser,
    },
    /// 授予岗位；信访室和分管领导（可查看举报人身份的岗位）只是申请，须另一位管理员或分管领导用 user approve 批准
    Grant {
        username: String,
        role: String,
        #[command(flatten)]
        actor: AsUser,
    },
    /// 列出授予可查看身份岗位的申请（管理员和分管领导）
    Requests {
        #[command(flatten)]
        actor: AsUser,
    },
    /// 批准把岗位 ROLE 授予 USERNAME 的申请（另一位管理员或分管领导）
    Approve {
        username: String,
        role: String,
        #[arg(long, default_value = "")]
        comment: String,
        #[command(flatten)]
        actor: AsUser,
    },
    /// 写明理由，不批准把岗位 ROLE 授予 USERNAME 的申请
    Refuse {
        username: String,
        role: String,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        actor: AsUser,
    },
    /// 收回岗位
    Revoke {
        username: String,
        role: String,
        #[command(flatten)]
        actor: AsUser,
    },
    /// 停用账号
    Deactivate {
        username: String,
        #[command(flatten)]
        actor: AsUser,
    },
    /// 重新启用账号
    Activate {
        username: String,
        #[command(flatten)]
        actor: AsUser,
    },
}

#[derive(Subcommand, Debug)]
enum EventsCmd {
    /// 逐一核对每条哈希链，指出第一条被改动、删除或调换次序的事件
    Verify,
    /// 显示最近的事件（以登录的干部身份：各岗位只看到可看的）
    List {
        #[arg(long, default_value_t = 20)]
        limit: u32,
        #[command(flatten)]
        actor: AsUser,
    },
}

#[derive(Subcommand, Debug)]
enum CalendarCmd {
    /// DATE 之后第 N 个工作日的日期（DATE 当天不计）
    AddDays { date: String, n: u32 },
    /// DATE 是否为工作日
    IsWorkingDay { date: String },
    /// DATE 之后 N 个月的日期；遇节假日顺延到下一个工作日，--fixed 时不顺延（留置等期限）
    AddMonths {
        date: String,
        n: u32,
        #[arg(long)]
        fixed: bool,
    },
    /// 导入日历更新（JSON：year, days_off, makeup_workdays, source）
    Import {
        file: PathBuf,
        #[command(flatten)]
        actor: AsUser,
    },
}

#[derive(Subcommand, Debug)]
enum SettingsCmd {
    /// 列出各项设置及其值
    List,
    /// 修改一项设置
    Set {
        key: String,
        value: String,
        #[command(flatten)]
        actor: AsUser,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // A malformed command line is echoed back in the message: written plain and with any
            // control character made visible, like everything else this program prints.
            let text = visible(&qingfeng_clap_zh::render(&e));
            if e.use_stderr() {
                eprint!("{text}");
            } else {
                print!("{text}");
            }
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    let json = cli.json;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let (code, message) = match (err.downcast_ref::<CoreError>(), err.downcast_ref::<DocumentError>()) {
                (Some(core), _) => (core.code().to_owned(), core.to_string()),
                (None, Some(doc)) => (doc.code().to_owned(), doc.to_string()),
                // Sync's messages are whole sentences already; the chain beneath them would add
                // SQLite's English ("disk I/O error: Error code 778").
                (None, None) => match err.downcast_ref::<qingfeng_sync::SyncError>() {
                    Some(qingfeng_sync::SyncError::Core(core)) => (core.code().to_owned(), core.to_string()),
                    Some(sync) => ("sync".to_owned(), sync.to_string()),
                    None => ("error".to_owned(), format!("{err:#}")),
                },
            };
            if json {
                eprintln!("{}", visible(&json!({ "error": { "code": code, "message": message } }).to_string()));
            } else {
                eprintln!("错误：{}", visible(&message));
            }
            ExitCode::FAILURE
        }
    }
}

struct Ctx {
    db: PathBuf,
    keys: KeySource,
    json: bool,
}

impl Ctx {
    fn open(&self) -> anyhow::Result<Store> {
        Ok(Store::open(&self.db, &self.keys)?)
    }

    /// Prints `value` as JSON, or `text` for people.
    fn out(&self, value: serde_json::Value, text: impl FnOnce() -> String) {
        let line = if self.json { value.to_string() } else { text() };
        write_stdout(&line);
    }
}

/// Writes a line to standard output. A reader that stopped early (`qingfeng … | head`) is not an
/// error worth a panic: the work is done, so exit quietly; any other write failure is reported.
fn write_stdout(line: &str) {
    use std::io::Write;
    let line = visible(line);
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{line}").and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("错误：无法写入标准输出：{e}");
        std::process::exit(1);
    }
}

/// The text with every character that could act on a terminal instead of showing (control
/// characters such as ESC, BEL or NUL, and the bidirectional overrides that reorder what is
/// shown) written as a visible `\uXXXX`. Line breaks and tabs stay. In JSON output these
/// characters can only sit inside strings, where `\uXXXX` is the same character, so scripts read
/// the same text; a terminal never receives them raw. Old records may hold them: input has
/// refused them only since issue #14.
fn visible(text: &str) -> String {
    if !text.chars().any(qingfeng_core::input::is_unsafe_char) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if c != '\n' && c != '\t' && qingfeng_core::input::is_unsafe_char(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let keys = match (&cli.key_file, &cli.key_store) {
        (Some(path), _) => KeySource::File(path.clone()),
        (None, Some(s)) => KeySource::parse(s)?,
        (None, None) => KeySource::SecretService,
    };
    let ctx = Ctx { db: cli.db.clone().unwrap_or_else(qingfeng_core::paths::default_db_path), keys, json: cli.json };
    match cli.command {
        Command::Init(args) => init(&ctx, args),
        Command::Demo { if_missing } => demo_db(&ctx, if_missing),
        Command::Status => status(&ctx),
        Command::User(cmd) => user(&ctx, cmd),
        Command::Login { username, password_stdin } => login_check(&ctx, &username, password_stdin),
        Command::Events(EventsCmd::Verify) => verify(&ctx),
        Command::Events(EventsCmd::List { limit, actor }) => list_events(&ctx, limit, &actor),
        Command::Rebuild => {
            let mut store = ctx.open()?;
            let report = store.rebuild()?;
            ctx.out(json!(report), || format!("已从事件日志重建全部投影表（共 {} 个事件）。", report.events));
            Ok(())
        }
        Command::Calendar(cmd) => calendar(&ctx, cmd),
        Command::Settings(cmd) => settings_cmd(&ctx, cmd),
        Command::Complaint(args) => complaint::run(&ctx, args),
        Command::Penalty(args) => penalty::run_penalty(&ctx, args),
        Command::Checklist(args) => penalty::run_checklist(&ctx, args),
        Command::Library(args) => library::run(&ctx, args),
        Command::Province(args) => province::run(&ctx, args),
        Command::Integrity(args) => integrity::run(&ctx, args),
        Command::Supervision(args) => supervision::run(&ctx, args),
        Command::Import(args) => import::run(&ctx, args),
        Command::Report(args) => report::run(&ctx, args),
        Command::Notice(args) => notice::run(&ctx, args),
        Command::Directory(cmd) => directory_cmd(&ctx, cmd),
        Command::Sync(cmd) => sync::sync(&ctx, cmd),
        Command::Bundle(cmd) => sync::bundle(&ctx, cmd),
        Command::Recovery(cmd) => recovery::recovery(&ctx, cmd),
        Command::Backup(cmd) => recovery::backup_cmd(&ctx, cmd),
        Command::Restore(cmd) => recovery::restore_cmd(&ctx, cmd),
    }
}

/// Reads one line from standard input (for `--password-stdin`).
fn stdin_line() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("读取标准输入失败")?;
    let line = line.trim_end_matches(['\r', '\n']).to_owned();
    if line.is_empty() {
        return Err(anyhow!("标准输入中没有密码：--password-stdin 需要在第一行提供密码。"));
    }
    Ok(line)
}

/// A new password: from stdin, or typed twice at a terminal.
fn new_password(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin {
        return stdin_line();
    }
    if !std::io::stdin().is_terminal() {
        return Err(anyhow!("无法交互输入密码：请加 --password-stdin 并从标准输入提供新密码。"));
    }
    let first = rpassword::prompt_password("新密码：")?;
    let second = rpassword::prompt_password("再次输入新密码：")?;
    if first != second {
        return Err(anyhow!("两次输入的密码不一致，请重试。"));
    }
    Ok(first)
}

/// The acting user's password: QINGFENG_PASSWORD, or a prompt at a terminal.
fn acting_password(username: &str) -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("QINGFENG_PASSWORD") {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(anyhow!(
            "需要用户 {username} 的密码：请设置环境变量 QINGFENG_PASSWORD，或在终端中运行以输入密码。"
        ));
    }
    Ok(rpassword::prompt_password(format!("用户 {username} 的密码："))?)
}

/// Logs the acting user in, runs `f`, and logs out again, so the log shows who did it.
fn as_user<T>(
    store: &mut Store,
    who: &AsUser,
    f: impl FnOnce(&mut Store, &Actor) -> Result<T, CoreError>,
) -> anyhow::Result<T> {
    as_user_with(store, who, f)
}

/// [`as_user`] for an operation with another crate's error type (the documents crate's); the
/// error stays itself inside the anyhow error, so `main` still finds its code.
fn as_user_with<T, E: std::error::Error + Send + Sync + 'static>(
    store: &mut Store,
    who: &AsUser,
    f: impl FnOnce(&mut Store, &Actor) -> Result<T, E>,
) -> anyhow::Result<T> {
    let password = acting_password(&who.as_user)?;
    let session = accounts::login(store, &who.as_user, &password, Channel::Cli)?;
    let actor = Actor::User(accounts::principal(store, &session.session_id)?);
    let result = f(store, &actor);
    accounts::logout(store, &session.session_id)?;
    Ok(result?)
}

fn init(ctx: &Ctx, args: InitArgs) -> anyhow::Result<()> {
    let level = OfficeLevel::parse(&args.level)?;
    let password = new_password(args.password_stdin)?;
    let req = SetupRequest {
        office_code: args.office_code,
        office_name: args.office_name,
        office_level: level,
        parent_code: args.parent,
        admin_username: args.admin,
        admin_display_name: args.admin_name,
        admin_password: password,
    };
    // Validate before creating the file, so a typo leaves no half-made database behind.
    qingfeng_core::identity::validate_division_code(req.office_code.trim(), req.office_level)?;
    qingfeng_core::identity::validate_password(&req.admin_password)?;
    recovery::check_sheet_path(args.recovery_sheet.as_deref())?;
    let mut store = Store::create(&ctx.db, &ctx.keys)?;
    // The office and its recovery code are made together: a database without a code is one
    // lost keyring away from losing everything not yet at the hub.
    let made = accounts::setup_office(&mut store, &req, Channel::Cli).and_then(|session| {
        let admin = Actor::User(accounts::principal(&store, &session.session_id)?);
        let code = qingfeng_core::recovery::create_key(&mut store, &admin, &ctx.keys)?;
        Ok((session, code))
    });
    let (session, code) = match made {
        Ok(made) => made,
        Err(e) => {
            drop(store);
            remove_db_files(&ctx.db);
            return Err(e.into());
        }
    };
    // The code exists now and is shown only here: a page that cannot be written (fonts
    // missing, say) must not hide it, so it is printed anyway and the failure said after it.
    let name = &session.user.display_name;
    let (shown, sheet_error) = match recovery::show_code(&store, &code, name, args.recovery_sheet.as_deref()) {
        Ok(shown) => (shown, None),
        Err(e) => (recovery::show_code(&store, &code, name, None)?, Some(format!("{e:#}"))),
    };
    accounts::logout(&mut store, &session.session_id)?;
    let mut text = shown["text"].as_str().unwrap_or_default().to_owned();
    if let Some(e) = &sheet_error {
        text.push_str(&format!("\n恢复页未能写出：{e}。请务必手工抄写上面的恢复码。"));
    }
    let out = json!({
        "db": store.path(), "office": session.office, "admin": session.user, "recovery": shown,
        "recovery_sheet_error": sheet_error,
    });
    ctx.out(out, || {
        format!(
            "已建立 {}（{}），管理员账号 {}。\n数据库：{}\n密钥保存在：{}{text}",
            session.office.name,
            session.office.code,
            session.user.username,
            store.path().display(),
            ctx.keys.describe()
        )
    });
    Ok(())
}

fn remove_db_files(db: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(qingfeng_core::files::with_suffix(db, suffix));
    }
}

fn demo_db(ctx: &Ctx, if_missing: bool) -> anyhow::Result<()> {
    let whole = if if_missing && ctx.db.exists() {
        let store = ctx.open()?;
        if demo::is_complete(&store)? {
            Some(store)
        } else {
            // A demo whose seeding was cut short (the program killed, the power lost) lacks
            // the mark seeding writes last: it is made again rather than shown half-built.
            drop(store);
            eprintln!("演示数据库上次没有建立完整（建立过程被中断），正在重新建立……");
            remove_db_files(&ctx.db);
            None
        }
    } else {
        None
    };
    let (store, accounts) = if let Some(store) = whole {
        (store, demo::accounts())
    } else {
        let mut store = Store::create(&ctx.db, &ctx.keys)?;
        let accounts = demo::seed(&mut store)?;
        (store, accounts)
    };
    let counts = demo::complaint_counts(&store)?;
    let total: u64 = counts.iter().map(|(_, n)| n).sum();
    let by_status: serde_json::Map<String, serde_json::Value> =
        counts.iter().map(|(status, n)| (status.as_str().to_owned(), json!(n))).collect();
    ctx.out(
        json!({ "db": store.path(), "accounts": accounts, "complaints": total, "complaints_by_status": by_status }),
        || {
            let mut s =
                format!("演示数据库：{}\n演示账号（密码均为 {}）：\n", store.path().display(), demo::DEMO_PASSWORD);
            for a in &accounts {
                s.push_str(&format!("  {:<10} {}  {}\n", a.username, a.display_name, a.role.label()));
            }
            let parts: Vec<String> = counts.iter().map(|(status, n)| format!("{} {n} 件", status.label())).collect();
            s.push_str(&format!("演示检举控告：共 {total} 件（{}）。", parts.join("、")));
            s
        },
    );
    Ok(())
}

fn status(ctx: &Ctx) -> anyhow::Result<()> {
    let store = ctx.open()?;
    let office = accounts::home_office(&store)?;
    let report = store.verify()?;
    ctx.out(
        json!({ "db": store.path(), "device_id": store.device_id(), "office": office, "events": report.events }),
        || match &office {
            Some(o) => format!(
                "机关：{}（{}，{}）\n数据库：{}\n设备：{}\n事件：{} 个",
                o.name,
                o.code,
                o.level.label(),
                store.path().display(),
                store.device_id(),
                report.events
            ),
            None => format!("数据库 {} 尚未完成首次设置。", store.path().display()),
        },
    );
    Ok(())
}

fn directory_line(o: &qingfeng_core::directory::DirectoryOffice) -> String {
    let relation = if o.unit == qingfeng_core::directory::UnitKind::ResidentGroup { "派出机关" } else { "上级" };
    let above = match (&o.parent_code, &o.parent_name) {
        (Some(code), Some(name)) => format!("{name}（{code}）"),
        (Some(code), None) => code.clone(),
        (None, _) => "—".to_owned(),
    };
    format!(
        "{}  {}  简称：{}  {}{}  {relation}：{above}",
        o.code,
        o.name,
        o.short_name.as_deref().unwrap_or("—"),
        o.level_label,
        if o.unit == qingfeng_core::directory::UnitKind::ResidentGroup { " 派驻组" } else { "" },
    )
}

fn directory_cmd(ctx: &Ctx, cmd: DirectoryCmd) -> anyhow::Result<()> {
    use qingfeng_core::directory;
    let store = ctx.open()?;
    match cmd {
        DirectoryCmd::List { under } => {
            let offices = match &under {
                None => directory::list(&store)?,
                Some(code) => {
                    let Some(root) = directory::lookup(&store, code)? else {
                        anyhow::bail!("名录中没有代码为 {code} 的机关。请核对代码，或同步后再查。");
                    };
                    std::iter::once(root).chain(directory::children(&store, code)?).collect()
                }
            };
            ctx.out(json!(offices), || {
                if offices.is_empty() {
                    return "本机还没有全省机关名录：与省级平台同步（或导入同步包）后即可查看。".to_owned();
                }
                let mut lines: Vec<String> = offices.iter().map(directory_line).collect();
                lines.push(format!("共 {} 个。", offices.len()));
                lines.join("\n")
            });
        }
        DirectoryCmd::Show { code } => {
            let Some(office) = directory::lookup(&store, &code)? else {
                anyhow::bail!("名录中没有代码为 {code} 的机关。请核对代码，或同步后再查。");
            };
            ctx.out(json!(office), || directory_line(&office));
        }
    }
    Ok(())
}

fn parse_roles(roles: &[String]) -> anyhow::Result<Vec<Role>> {
    Ok(roles.iter().map(|r| Role::parse(r)).collect::<Result<_, _>>()?)
}

fn user_line(u: &qingfeng_core::api::UserView) -> String {
    let roles: Vec<&str> = u.grants.iter().map(|g| g.role.label()).collect();
    let state = if !u.active {
        "（已停用）".to_owned()
    } else if let Some(until) = &u.locked_until {
        format!("（锁定至 {until}）")
    } else {
        String::new()
    };
    let pending: Vec<&str> = u.pending_roles.iter().map(|r| r.label()).collect();
    let pending = if pending.is_empty() {
        String::new()
    } else {
        format!("（待另一位系统管理员或分管领导批准：{}）", pending.join("、"))
    };
    format!("{:<12} {}  [{}]{}{}", u.username, u.display_name, roles.join("、"), state, pending)
}

fn request_line(r: &qingfeng_core::api::RoleRequestView) -> String {
    let state = match r.status.as_str() {
        "pending" => "待审批".to_owned(),
        "approved" => {
            format!("已批准（{}，{}）", r.decided_by.as_deref().unwrap_or(""), r.decided_at.as_deref().unwrap_or(""))
        }
        _ => format!(
            "未批准（{}，{}）：{}",
            r.decided_by.as_deref().unwrap_or(""),
            r.decided_at.as_deref().unwrap_or(""),
            r.comment.as_deref().unwrap_or("")
        ),
    };
    format!(
        "{:<12} {}  申请授予“{}”，{} 于 {} 提出，{state}",
        r.username,
        r.display_name,
        r.role.label(),
        r.requested_by,
        r.requested_at
    )
}

/// The pending request to grant `role` to `username`, for `user approve` and `user refuse`.
fn pending_request(store: &mut Store, actor: &Actor, username: &str, role: Role) -> Result<String, CoreError> {
    accounts::role_requests(store, actor)?
        .into_iter()
        .find(|r| r.status == "pending" && r.username == username && r.role == role)
        .map(|r| r.id)
        .ok_or_else(|| CoreError::invalid(format!("没有为 {username} 申请“{}”角色的待审批事项。", role.label())))
}

fn user(ctx: &Ctx, cmd: UserCmd) -> anyhow::Result<()> {
    let mut store = ctx.open()?;
    match cmd {
        UserCmd::Add { username, name, roles, password_stdin, actor } => {
            let roles = parse_roles(&roles)?;
            let password = new_password(password_stdin)?;
            let new = NewUser { username, display_name: name, password, roles };
            let u = as_user(&mut store, &actor, |s, a| accounts::add_user(s, a, &new))?;
            ctx.out(json!(u), || format!("已创建账号：{}", user_line(&u)));
        }
        UserCmd::List { actor } => {
            let users = as_user(&mut store, &actor, accounts::list_users)?;
            ctx.out(json!(users), || users.iter().map(user_line).collect::<Vec<_>>().join("\n"));
        }
        UserCmd::Passwd { username, password_stdin, actor } => {
            let password = new_password(password_stdin)?;
            as_user(&mut store, &actor, |s, a| accounts::set_password(s, a, &username, &password))?;
            ctx.out(json!({ "username": username, "password_changed": true }), || {
                format!("已更新 {username} 的密码。")
            });
        }
        UserCmd::Grant { username, role, actor } => {
            let role = Role::parse(&role)?;
            let u = as_user(&mut store, &actor, |s, a| accounts::set_role(s, a, &username, role, true))?;
            ctx.out(json!(u), || {
                if u.pending_roles.contains(&role) {
                    format!(
                        "已提出授权申请：{}\n“{}”岗位可查看检举人身份，须由另一位系统管理员或分管领导用 qingfeng user approve 批准后生效。",
                        user_line(&u),
                        role.label()
                    )
                } else {
                    format!("已授予角色：{}", user_line(&u))
                }
            });
        }
        UserCmd::Requests { actor } => {
            let list = as_user(&mut store, &actor, accounts::role_requests)?;
            ctx.out(json!(list), || {
                if list.is_empty() {
                    "没有授权申请。".to_owned()
                } else {
                    list.iter().map(request_line).collect::<Vec<_>>().join("\n")
                }
            });
        }
        UserCmd::Approve { username, role, comment, actor } => {
            let role = Role::parse(&role)?;
            let r = as_user(&mut store, &actor, |s, a| {
                let id = pending_request(s, a, &username, role)?;
                accounts::decide_role_request(s, a, &id, true, &comment)
            })?;
            ctx.out(json!(r), || format!("已批准：{}", request_line(&r)));
        }
        UserCmd::Refuse { username, role, reason, actor } => {
            let role = Role::parse(&role)?;
            let r = as_user(&mut store, &actor, |s, a| {
                let id = pending_request(s, a, &username, role)?;
                accounts::decide_role_request(s, a, &id, false, &reason)
            })?;
            ctx.out(json!(r), || format!("未批准：{}", request_line(&r)));
        }
        UserCmd::Revoke { username, role, actor } => {
            let role = Role::parse(&role)?;
            let u = as_user(&mut store, &actor, |s, a| accounts::set_role(s, a, &username, role, false))?;
            ctx.out(json!(u), || format!("已撤销角色：{}", user_line(&u)));
        }
        UserCmd::Deactivate { username, actor } => {
            let u = as_user(&mut store, &actor, |s, a| accounts::set_active(s, a, &username, false))?;
            ctx.out(json!(u), || format!("已停用：{}", user_line(&u)));
        }
        UserCmd::Activate { username, actor } => {
            let u = as_user(&mut store, &actor, |s, a| accounts::set_active(s, a, &username, true))?;
            ctx.out(json!(u), || format!("已启用：{}", user_line(&u)));
        }
    }
    Ok(())
}

fn login_check(ctx: &Ctx, username: &str, password_stdin: bool) -> anyhow::Result<()> {
    let mut store = ctx.open()?;
    let password = if password_stdin { stdin_line()? } else { acting_password(username)? };
    let session = accounts::login(&mut store, username, &password, Channel::Cli)?;
    accounts::logout(&mut store, &session.session_id)?;
    ctx.out(json!({ "ok": true, "user": session.user, "office": session.office }), || {
        format!("登录成功：{}，{}", user_line(&session.user), session.office.name)
    });
    Ok(())
}

/// `events verify`: the file's pages, every chain, the local anchors and the hub's receipt, the
/// projections against a replay in a scratch copy, and the blobs; every finding named.
fn verify(ctx: &Ctx) -> anyhow::Result<()> {
    let store = ctx.open()?;
    let key = ctx.keys.load(store.path())?;
    let mut all = store.verify_all(&key)?;
    all.anchors.extend(qingfeng_sync::client::verify_receipts(&store)?);
    all.ok &= all.anchors.is_empty();
    let report = &all.log;
    let mut findings: Vec<String> = all.pages.iter().map(|p| format!("文件损坏：{p}")).collect();
    if let Some(p) = &report.problem {
        findings.push(format!("设备 {} 序号 {}（事件 {}）：{}", p.origin_device, p.seq, p.event_id, p.reason));
    }
    findings.extend(all.anchors.iter().cloned());
    findings.extend(all.projections.iter().cloned());
    findings.extend(all.blobs.damaged.iter().map(|s| format!("文件 {s} 的内容与其哈希不符（已损坏或被改动）")));
    let mut value = json!(report);
    value["ok"] = json!(all.ok);
    value["anchors"] = json!(all.anchors);
    value["projections"] = json!(all.projections);
    value["blobs"] = json!(all.blobs);
    value["pages"] = json!(all.pages);
    ctx.out(value, || {
        if findings.is_empty() {
            format!(
                "事件日志完好：{} 条链，共 {} 个事件；各表与日志重放一致；附件和材料 {} 个完好{}。",
                report.chains.len(),
                report.events,
                all.blobs.held,
                if all.blobs.missing > 0 { format!("，{} 个传输中", all.blobs.missing) } else { String::new() }
            )
        } else {
            format!("发现 {} 处问题：\n{}", findings.len(), findings.join("\n"))
        }
    });
    if findings.is_empty() { Ok(()) } else { Err(CoreError::Tampered(findings.join("；")).into()) }
}

fn list_events(ctx: &Ctx, limit: u32, who: &AsUser) -> anyhow::Result<()> {
    let mut store = ctx.open()?;
    let list = as_user(&mut store, who, |s, a| qingfeng_core::log_view::list_events(s, a, limit))?;
    ctx.out(json!(list), || {
        list.iter()
            .map(|e| format!("{:>6}  {}  {:<12} {:<44} 操作人 {}", e.seq, e.time, e.kind_label, e.aggregate, e.actor))
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}

/// The calendar: built in, plus the database's imported updates when a database exists.
fn load_calendar(ctx: &Ctx) -> anyhow::Result<(Calendar, bool)> {
    if ctx.db.exists() { Ok((ctx.open()?.calendar().clone(), true)) } else { Ok((Calendar::builtin(), false)) }
}

fn weekday_cn(d: cal::NaiveDate) -> &'static str {
    use chrono::Datelike;
    ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"][d.weekday().num_days_from_monday() as usize]
}

fn provisional_note(p: bool) -> &'static str {
    if p { "（该年份未收录官方日历，仅按周末推算，结果为暂定）" } else { "" }
}

fn calendar(ctx: &Ctx, cmd: CalendarCmd) -> anyhow::Result<()> {
    match cmd {
        CalendarCmd::AddDays { date, n } => {
            let (cal, _) = load_calendar(ctx)?;
            let from = cal::parse_date(&date).map_err(CoreError::from)?;
            let a = cal.add_working_days(from, n).map_err(CoreError::from)?;
            ctx.out(json!({ "from": from, "working_days": n, "date": a.value, "provisional": a.provisional }), || {
                format!(
                    "{from} 之后第 {n} 个工作日：{}（{}）{}",
                    a.value,
                    weekday_cn(a.value),
                    provisional_note(a.provisional)
                )
            });
        }
        CalendarCmd::IsWorkingDay { date } => {
            let (cal, _) = load_calendar(ctx)?;
            let d = cal::parse_date(&date).map_err(CoreError::from)?;
            let info = cal.day_info(d).map_err(CoreError::from)?;
            ctx.out(
                json!({ "date": d, "working_day": info.working_day, "kind": info.kind, "note": info.note, "provisional": info.provisional }),
                || {
                    let verdict = if info.working_day { "工作日" } else { "休息日" };
                    format!("{d}（{}）是{verdict}：{}{}", weekday_cn(d), info.note, provisional_note(info.provisional))
                },
            );
        }
        CalendarCmd::AddMonths { date, n, fixed } => {
            let (cal, _) = load_calendar(ctx)?;
            let d = cal::parse_date(&date).map_err(CoreError::from)?;
            let rule = if fixed { MonthRule::Fixed } else { MonthRule::MoveToWorkingDay };
            let a = cal.add_months(d, n, rule).map_err(CoreError::from)?;
            ctx.out(
                json!({ "from": d, "months": n, "fixed": fixed, "date": a.value, "provisional": a.provisional }),
                || {
                    let how = if fixed { "不顺延" } else { "遇休息日顺延" };
                    format!(
                        "{d} 之后 {n} 个月（{how}）：{}（{}）{}",
                        a.value,
                        weekday_cn(a.value),
                        provisional_note(a.provisional)
                    )
                },
            );
        }
        CalendarCmd::Import { file, actor } => {
            let text =
                std::fs::read_to_string(&file).with_context(|| format!("无法读取日历文件 {}", file.display()))?;
            let update = CalendarUpdate::from_json(&text).map_err(CoreError::from)?;
            let mut store = ctx.open()?;
            as_user(&mut store, &actor, |s, a| qingfeng_core::calendar::import_update(s, a, &update))?;
            ctx.out(json!({ "year": update.year, "imported": true }), || {
                format!(
                    "已导入 {} 年工作日历：放假 {} 天，调休上班 {} 天（来源：{}）。",
                    update.year,
                    update.days_off.len(),
                    update.makeup_workdays.len(),
                    update.source
                )
            });
        }
    }
    Ok(())
}

fn settings_cmd(ctx: &Ctx, cmd: SettingsCmd) -> anyhow::Result<()> {
    let mut store = ctx.open()?;
    match cmd {
        SettingsCmd::List => {
            let all = settings::all(&store)?;
            let value: serde_json::Map<String, serde_json::Value> =
                all.iter().map(|(d, v)| (d.key.to_owned(), json!(v))).collect();
            ctx.out(serde_json::Value::Object(value), || {
                all.iter().map(|(d, v)| format!("{:<24} {:>5}  {}", d.key, v, d.label)).collect::<Vec<_>>().join("\n")
            });
        }
        SettingsCmd::Set { key, value, actor } => {
            as_user(&mut store, &actor, |s, a| settings::set(s, a, &key, &value))?;
            ctx.out(json!({ "key": key, "value": value }), || format!("已将 {key} 设为 {value}。"));
        }
    }
    Ok(())
}
