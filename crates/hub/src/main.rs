//! `qingfeng-hub`: runs the hub server and its administration commands.
//!
//! Every command takes `--database URL`: `sqlite:PATH` (the default, `sqlite:qingfeng-hub.db`) or
//! `postgres://user@host:port/db` (several hub processes may share one); `--db PATH` is the older
//! spelling of an SQLite file. The hub's signing key lives beside an SQLite file in `<db>.key`
//! (mode 0600) unless `--key-file` says otherwise; with PostgreSQL `--key-file` is required.
//! Listings take `--json`. Messages are Chinese; errors go to stderr with exit status 1.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use qingfeng_hub::http::serve_until_with;
use qingfeng_hub::postgres::PgOptions;
use qingfeng_hub::{Database, Hub, HubError, bundles};
use qingfeng_log::office::OfficeLevel;
use qingfeng_sync::{Alg, EnrollmentRequest, Signed};

#[derive(Parser, Debug)]
#[command(name = "qingfeng-hub", version, about = "清风省级同步中心：接收、校验并分发各机关的签名变更集。")]
struct Cli {
    /// 枢纽数据库：sqlite:文件路径（默认 sqlite:qingfeng-hub.db），或 postgres://用户@主机:端口/库名
    #[arg(long, global = true, env = "QINGFENG_HUB_DATABASE", conflicts_with = "db")]
    database: Option<String>,
    /// 枢纽数据库文件（SQLite；同 --database sqlite:文件路径）
    #[arg(long, global = true, env = "QINGFENG_HUB_DB")]
    db: Option<PathBuf>,
    /// 枢纽签名密钥文件（默认为数据库文件名加 .key）
    #[arg(long, global = true, env = "QINGFENG_HUB_KEY_FILE")]
    key_file: Option<PathBuf>,
    /// HTTPS 证书（PEM）：serve 用它加密；签发登记口令和证书时写入其指纹，供各机关认定
    #[arg(long, global = true, env = "QINGFENG_HUB_TLS_CERT")]
    tls_cert: Option<PathBuf>,
    /// HTTPS 证书的私钥（PEM）
    #[arg(long, global = true, env = "QINGFENG_HUB_TLS_KEY")]
    tls_key: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// 建立枢纽：新建数据库和签名密钥
    Init {
        /// 签名算法
        #[arg(long, value_enum, default_value = "ed25519")]
        alg: AlgArg,
    },
    /// 启动同步服务（收到 SIGTERM 或 Ctrl-C 时从容退出）
    Serve {
        /// 监听地址；端口为 0 时自动选择，实际地址打印在标准输出第一行
        #[arg(long, default_value = "127.0.0.1:8443")]
        listen: SocketAddr,
        /// 把进程号写入此文件（退出时删除）
        #[arg(long)]
        pid_file: Option<PathBuf>,
        /// 启动时数据库无法访问，最多等待的秒数（期间每隔几秒重试）
        #[arg(long, default_value_t = 60)]
        db_wait: u64,
        /// PostgreSQL 连接池的最大连接数
        #[arg(long, default_value_t = 16)]
        db_pool: usize,
        /// 日志按行输出 JSON（便于日志系统采集）；级别由 RUST_LOG 设定，默认 info
        #[arg(long)]
        log_json: bool,
        /// 不加密、在非本机地址上提供服务（仅限测试网络；正式运行请用 --tls-cert 与 --tls-key）
        #[arg(long)]
        insecure_http: bool,
        /// 记录时间最多可比本中心时钟快多少分钟；超过的变更集暂缓接收并告警
        #[arg(long, env = "QINGFENG_HUB_MAX_CLOCK_AHEAD_MINUTES", default_value_t = 60)]
        max_clock_ahead_minutes: u64,
        /// 客户端停顿多少秒（不发请求头或请求内容）即断开连接
        #[arg(long, default_value_t = 30)]
        stall_timeout_secs: u64,
    },
    /// HTTPS 证书
    Tls {
        #[command(subcommand)]
        command: TlsCommand,
    },
    /// 机关名录
    Office {
        #[command(subcommand)]
        command: OfficeCommand,
    },
    /// 全省机关名录：从 CSV 或 XLSX 文件批量导入（可先试导入），列出
    Directory {
        #[command(subcommand)]
        command: DirectoryCommand,
    },
    /// 全省工作日历
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// 重点问题目录（检举控告问题类别）
    Catalogue {
        #[command(subcommand)]
        command: CatalogueCommand,
    },
    /// 全省统一内容：法规制度、文书模板、执行事项清单模板
    Content {
        #[command(subcommand)]
        command: ContentCommand,
    },
    /// 设备登记口令
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// 已登记的设备
    Device {
        #[command(subcommand)]
        command: DeviceCommand,
    },
    /// 告警
    Alarm {
        #[command(subcommand)]
        command: AlarmCommand,
    },
    /// 离线同步包
    Bundle {
        #[command(subcommand)]
        command: BundleCommand,
    },
    /// 事件链
    Events {
        #[command(subcommand)]
        command: EventsCommand,
    },
    /// 离线登记：校验设备的登记申请文件（.qfreq），签发证书文件（.qfcert）
    EnrollFile {
        /// 登记申请文件
        request: PathBuf,
        /// 证书文件的输出路径
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
enum TlsCommand {
    /// 生成自签名证书和私钥（各机关登记时按指纹认定，无需证书机构）
    Generate {
        /// 证书输出路径（PEM）
        #[arg(long)]
        cert: PathBuf,
        /// 私钥输出路径（PEM，仅本用户可读）
        #[arg(long)]
        key: PathBuf,
        /// 各机关访问本中心所用的主机名或 IP 地址（可多次给出）
        #[arg(long = "name", required = true)]
        names: Vec<String>,
    },
    /// 显示证书指纹（与登记口令中的指纹核对）
    Fingerprint,
}

#[derive(Subcommand, Debug)]
enum OfficeCommand {
    /// 添加机关
    Add {
        /// 6 位行政区划代码
        code: String,
        /// 机关名称
        name: String,
        #[arg(long, value_enum)]
        level: LevelArg,
        /// 上级机关代码（省级机关不填）
        #[arg(long)]
        parent: Option<String>,
    },
    /// 列出机关
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
enum DirectoryCommand {
    /// 导入名录文件（表头：代码、名称、简称、层级、上级代码、类别）；有一行有误则整个文件不导入
    Import {
        /// 名录文件（.csv UTF-8 编码，或 .xlsx）
        file: PathBuf,
        /// 只检查，不导入：列出每一行的问题和将新增、变更的机关数
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// 列出名录中的机关和派驻组
    List {
        /// 只列出此机关及其下级、派驻组
        #[arg(long)]
        under: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
enum CalendarCommand {
    /// 向所有机关发布某年的工作日历（JSON 文件，格式同 `qingfeng calendar import`）
    Publish {
        /// 日历文件
        file: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
enum CatalogueCommand {
    /// 向所有机关发布新版重点问题目录（JSON 文件：title、version、effective、note、categories）
    Publish {
        /// 目录文件
        file: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
enum ContentCommand {
    /// 向所有机关发布一份法规或模板的新版本（已发布的版本号不能再用）
    Publish {
        /// 内容类别：regulation（法规制度，资料袋导入格式的文本）、notice-template（文书模板，TOML）、checklist-template（执行事项清单模板，JSON）
        #[arg(long, value_parser = ["regulation", "notice-template", "checklist-template"])]
        kind: String,
        /// 编号：法规的文件编号、文书种类或清单模板编号，各版本相同
        #[arg(long)]
        id: String,
        /// 省级版本号，从 1 开始
        #[arg(long)]
        version: u32,
        /// 名称（机关看到的标题）
        #[arg(long)]
        title: String,
        /// 文件
        file: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
enum TokenCommand {
    /// 为机关签发一次性登记口令
    Issue {
        #[arg(long)]
        office: String,
        /// 有效小时数
        #[arg(long, default_value_t = 72)]
        hours: u64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
enum DeviceCommand {
    /// 列出设备
    List {
        #[arg(long)]
        json: bool,
    },
    /// 吊销设备
    Revoke {
        device_id: String,
        /// 吊销原因
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand, Debug)]
enum AlarmCommand {
    /// 列出告警
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
enum BundleCommand {
    /// 导入机关的同步包，并生成回执包
    Import {
        /// 机关导出的同步包（.qfb）
        input: PathBuf,
        /// 回执包的输出路径
        #[arg(long)]
        out: PathBuf,
        /// 只放入订阅序号大于此数的事件（默认按同步包中机关已读到的序号，只放入新的；0 为全部）
        #[arg(long)]
        feed_after: Option<u64>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
enum EventsCommand {
    /// 校验所有事件链
    Verify {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum AlgArg {
    Ed25519,
    #[value(name = "sm2-sm3")]
    Sm2Sm3,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LevelArg {
    County,
    Prefecture,
    Province,
}

/// Prints a line to standard output. A reader that stopped early (`qingfeng-hub … | head`) is not
/// worth a panic and a backtrace: the work is done, so the program ends quietly; any other write
/// failure is reported. (`println!` panics on a closed pipe.)
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut stdout = std::io::stdout().lock();
        if let Err(e) = writeln!(stdout, $($arg)*).and_then(|()| stdout.flush()) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            eprintln!("错误：无法写入标准输出：{e}");
            std::process::exit(1);
        }
    }};
}

fn main() {
    if let Err(e) = run(qingfeng_clap_zh::parse::<Cli>()) {
        eprintln!("错误：{e:#}");
        std::process::exit(1);
    }
}

/// The database setting: `--database`, else `--db`, else the default file.
fn database(cli: &Cli) -> Result<Database> {
    Ok(match (&cli.database, &cli.db) {
        (Some(url), _) => Database::parse(url)?,
        (None, Some(path)) => Database::Sqlite(path.clone()),
        (None, None) => Database::Sqlite(PathBuf::from("qingfeng-hub.db")),
    })
}

fn open(cli: &Cli) -> Result<Hub> {
    let hub = Hub::open_database(&database(cli)?, cli.key_file.as_deref())?;
    Ok(hub.with_tls_certificate(tls_sha256(cli)?))
}

/// The SHA-256 of the HTTPS certificate, when one is configured.
fn tls_sha256(cli: &Cli) -> Result<Option<[u8; 32]>> {
    Ok(match &cli.tls_cert {
        Some(cert) => Some(qingfeng_hub::tls::certificate_sha256(cert)?),
        None => None,
    })
}

fn time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(qingfeng_log::clock::display_time).unwrap_or_default()
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    out!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn run(cli: Cli) -> Result<()> {
    match &cli.command {
        Command::Init { alg } => {
            let alg = match alg {
                AlgArg::Ed25519 => Alg::Ed25519,
                AlgArg::Sm2Sm3 => Alg::Sm2Sm3,
            };
            let db = database(&cli)?;
            let hub = Hub::init_database(&db, cli.key_file.as_deref(), alg)?;
            let key_file = match (&cli.key_file, db.sqlite_path()) {
                (Some(path), _) => path.clone(),
                (None, Some(path)) => qingfeng_hub::keyfile::default_path(path),
                (None, None) => PathBuf::new(),
            };
            out!("已建立枢纽：{}", db.describe());
            out!("签名密钥：{}（仅本用户可读，请妥善备份）", key_file.display());
            out!("中心公钥指纹：{} {}", hub.public_key().alg, hub.public_key().key_id());
        }
        Command::Serve {
            listen,
            pid_file,
            db_wait,
            db_pool,
            log_json,
            insecure_http,
            max_clock_ahead_minutes,
            stall_timeout_secs,
        } => {
            init_logs(*log_json);
            serve(
                &cli,
                *listen,
                pid_file.as_deref(),
                ServeOptions {
                    db_wait: Duration::from_secs(*db_wait),
                    db_pool: *db_pool,
                    insecure_http: *insecure_http,
                    max_clock_ahead: Duration::from_secs(max_clock_ahead_minutes.saturating_mul(60)),
                    timeouts: qingfeng_hub::http::Timeouts {
                        stall: Duration::from_secs((*stall_timeout_secs).max(1)),
                        ..Default::default()
                    },
                },
            )?
        }
        Command::Tls { command: TlsCommand::Generate { cert, key, names } } => {
            let sha = qingfeng_hub::tls::generate(cert, key, names)?;
            out!("已生成证书 {} 与私钥 {}（仅本用户可读）。", cert.display(), key.display());
            out!("证书指纹（SHA-256）：{}", qingfeng_sync::tls::fingerprint_text(&sha));
            out!(
                "启动时请加 --tls-cert {} --tls-key {}；签发登记口令时也请给出 --tls-cert。",
                cert.display(),
                key.display()
            );
        }
        Command::Tls { command: TlsCommand::Fingerprint } => {
            let Some(sha) = tls_sha256(&cli)? else { bail!("请用 --tls-cert 指明证书文件") };
            out!("{}", qingfeng_sync::tls::fingerprint_text(&sha));
        }
        Command::Office { command } => match command {
            OfficeCommand::Add { code, name, level, parent } => {
                let level = match level {
                    LevelArg::County => OfficeLevel::County,
                    LevelArg::Prefecture => OfficeLevel::Prefecture,
                    LevelArg::Province => OfficeLevel::Province,
                };
                let office = open(&cli)?.add_office(code, name, level, parent.as_deref())?;
                out!("已添加机关：{} {}（{}）", office.code, office.name, office.level.label());
            }
            OfficeCommand::List { json } => {
                let offices = open(&cli)?.offices()?;
                if *json {
                    return print_json(&offices);
                }
                if offices.is_empty() {
                    out!("名录中还没有机关。请用 `qingfeng-hub office add` 添加。");
                }
                for o in offices {
                    out!(
                        "{}  {}  {}  上级：{}  订阅序号：{}",
                        o.code,
                        o.name,
                        o.level.label(),
                        o.parent_code.as_deref().unwrap_or("—"),
                        o.feed_head
                    );
                }
            }
        },
        Command::Directory { command } => match command {
            DirectoryCommand::Import { file, dry_run, json } => {
                let hub = open(&cli)?;
                let started = std::time::Instant::now();
                let parsed = qingfeng_hub::directory::read_file(file)?;
                let report = hub.import_directory(&parsed, *dry_run)?;
                let elapsed = started.elapsed();
                if *json {
                    print_json(&report)?;
                } else {
                    for p in &report.problems {
                        out!("第 {} 行：{}", p.line, p.reason);
                    }
                    let counts = format!(
                        "共 {} 行：新增 {} 个，变更 {} 个，未变 {} 个",
                        report.rows, report.added, report.changed, report.unchanged
                    );
                    if !report.problems.is_empty() {
                        out!("{counts}。有 {} 行有误，整个文件未导入；请改正后重新导入。", report.problems.len());
                    } else if report.dry_run {
                        out!("试导入通过，{counts}。未写入任何内容；去掉 --dry-run 即正式导入。");
                    } else if report.applied {
                        out!("已导入名录，{counts}，用时 {:.1} 秒。各机关下次同步时收到。", elapsed.as_secs_f64());
                    } else {
                        out!("名录没有变化，{counts}。");
                    }
                }
                if !report.problems.is_empty() {
                    bail!("名录文件有 {} 行有误，未导入", report.problems.len());
                }
            }
            DirectoryCommand::List { under, json } => {
                let mut offices = open(&cli)?.offices()?;
                if let Some(root) = under {
                    let mut keep: std::collections::HashSet<String> = [root.clone()].into();
                    // Parents come before children once sorted by depth, so one pass per level suffices.
                    for _ in 0..4 {
                        for o in &offices {
                            if o.parent_code.as_ref().is_some_and(|p| keep.contains(p)) {
                                keep.insert(o.code.clone());
                            }
                        }
                    }
                    if !offices.iter().any(|o| &o.code == root) {
                        bail!("名录中没有机关 {root}");
                    }
                    offices.retain(|o| keep.contains(&o.code));
                }
                if *json {
                    return print_json(&offices);
                }
                if offices.is_empty() {
                    out!("名录中还没有机关。请用 `qingfeng-hub directory import 文件` 导入。");
                }
                let names: std::collections::HashMap<String, String> =
                    offices.iter().map(|o| (o.code.clone(), o.name.clone())).collect();
                for o in &offices {
                    let above = o
                        .parent_code
                        .as_deref()
                        .map_or("—".to_owned(), |p| names.get(p).map_or(p.to_owned(), |n| format!("{p} {n}")));
                    let relation =
                        if o.unit == qingfeng_log::office::UnitKind::ResidentGroup { "派出机关" } else { "上级" };
                    out!(
                        "{}  {}  简称：{}  {}{}  {}：{}",
                        o.code,
                        o.name,
                        o.short_name.as_deref().unwrap_or("—"),
                        o.level.label(),
                        if o.unit == qingfeng_log::office::UnitKind::ResidentGroup { " 派驻组" } else { "" },
                        relation,
                        above
                    );
                }
            }
        },
        Command::Calendar { command: CalendarCommand::Publish { file } } => {
            let text = std::fs::read_to_string(file).with_context(|| format!("无法读取日历文件 {}", file.display()))?;
            let update = qingfeng_calendar::CalendarUpdate::from_json(&text)
                .map_err(|e| anyhow::anyhow!("日历文件有误：{e}"))?;
            let hub = open(&cli)?;
            let pos = hub.publish_calendar(&update)?;
            out!(
                "已发布 {} 年工作日历（放假 {} 天，调休上班 {} 天），各机关下次同步时收到（中心序号 {pos}）。",
                update.year,
                update.days_off.len(),
                update.makeup_workdays.len()
            );
        }
        Command::Catalogue { command: CatalogueCommand::Publish { file } } => {
            let text = std::fs::read_to_string(file).with_context(|| format!("无法读取目录文件 {}", file.display()))?;
            let doc: qingfeng_log::catalogue::CatalogueDoc = serde_json::from_str(&text).map_err(|e| {
                anyhow::anyhow!(
                    "目录文件不是有效的 JSON（{e}）。应包含 title、version、effective、note、categories 字段。"
                )
            })?;
            let hub = open(&cli)?;
            let pos = hub.publish_catalogue(&doc)?;
            out!(
                "已发布{}第 {} 版（{} 个类别，{} 施行），各机关下次同步时收到（中心序号 {pos}）。",
                doc.title.trim(),
                doc.version,
                doc.categories.len(),
                doc.effective.trim()
            );
        }
        Command::Content { command: ContentCommand::Publish { kind, id, version, title, file } } => {
            let bytes = std::fs::read(file).with_context(|| format!("无法读取文件 {}", file.display()))?;
            let body = String::from_utf8(bytes).map_err(|_| {
                anyhow::anyhow!("文件 {} 不是 UTF-8 编码的文本，请另存为 UTF-8 后再发布。", file.display())
            })?;
            let kind = qingfeng_log::content::ContentKind::parse(&kind.replace('-', "_"))?;
            let doc = qingfeng_log::content::ProvinceDoc {
                kind,
                id: id.clone(),
                version: *version,
                title: title.clone(),
                body,
            };
            let hub = open(&cli)?;
            let pos = hub.publish_content(&doc)?;
            out!("已发布{}，各机关下次同步时收到（中心序号 {pos}）。", doc.describe());
        }
        Command::Token { command: TokenCommand::Issue { office, hours, json } } => {
            if *hours == 0 {
                bail!("有效小时数至少为 1");
            }
            let issued = open(&cli)?.issue_token(office, Duration::from_secs(hours.saturating_mul(3600)))?;
            if *json {
                return print_json(&issued);
            }
            out!("登记口令：{}", issued.token);
            out!("适用机关：{}", issued.office_code);
            out!("有效期至：{}", time(issued.expires_at_ms));
            out!("中心公钥指纹：{} {}（登记时请核对）", issued.hub_alg, issued.hub_key_id);
            match &issued.tls_sha256 {
                Some(sha) => out!("加密连接证书指纹：{sha}（已含在口令中，登记时自动核对）"),
                None => out!("注意：未给出 --tls-cert，口令不含证书指纹，只能用于本机 http 测试。"),
            }
        }
        Command::Device { command } => match command {
            DeviceCommand::List { json } => {
                let devices = open(&cli)?.devices()?;
                if *json {
                    return print_json(&devices);
                }
                if devices.is_empty() {
                    out!("还没有登记的设备。");
                }
                for d in devices {
                    let state = match (d.revoked_at_ms, &d.revoke_reason) {
                        (Some(at), reason) => format!("已吊销（{}，{}）", time(at), reason.as_deref().unwrap_or("")),
                        (None, _) => "有效".to_owned(),
                    };
                    out!(
                        "{}  机关 {}  {} {}  证书序号 {}  登记于 {}  {}",
                        d.device_id,
                        d.office_code,
                        d.alg,
                        d.key_id,
                        d.cert_serial,
                        time(d.enrolled_at_ms),
                        state
                    );
                }
            }
            DeviceCommand::Revoke { device_id, reason } => {
                open(&cli)?.revoke_device(device_id, reason)?;
                out!("已吊销设备 {device_id}。");
            }
        },
        Command::Alarm { command: AlarmCommand::List { json } } => {
            let alarms = open(&cli)?.alarms()?;
            if *json {
                return print_json(&alarms);
            }
            if alarms.is_empty() {
                out!("没有告警。");
            }
            for a in alarms {
                out!(
                    "#{}  {}  {}  机关 {}  设备 {}  {}",
                    a.id,
                    time(a.at_ms),
                    a.kind,
                    a.office_code.as_deref().unwrap_or("—"),
                    a.device_id.as_deref().unwrap_or("—"),
                    a.detail
                );
            }
        }
        Command::Bundle { command: BundleCommand::Import { input, out, feed_after, json } } => {
            let hub = open(&cli)?;
            let file = std::fs::File::open(input).with_context(|| format!("无法打开同步包 {}", input.display()))?;
            let tmp = out.with_extension("qfb.part");
            let output = create_private(&tmp).with_context(|| format!("无法写入回执包 {}", tmp.display()))?;
            let report = bundles::import_bundle(&hub, std::io::BufReader::new(file), output, *feed_after);
            let report = match report {
                Ok(r) => r,
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(e.into());
                }
            };
            std::fs::rename(&tmp, out).with_context(|| format!("无法写入回执包 {}", out.display()))?;
            if *json {
                return print_json(&report);
            }
            out!(
                "已导入机关 {} 设备 {} 的同步包：变更集 {} 个，接收 {}，拒收 {}，等待前序 {}。",
                report.office_code,
                report.device_id,
                report.changesets,
                report.accepted,
                report.rejected,
                report.waiting
            );
            out!("回执包 {}：回执 {} 份，下发事件 {} 条。", out.display(), report.receipts, report.feed_events);
        }
        Command::Events { command: EventsCommand::Verify { json } } => {
            let report = open(&cli)?.verify_events()?;
            if *json {
                print_json(&report)?;
            } else if report.ok {
                out!(
                    "事件链完好：{} 条链，{} 个事件（其中拒收保留 {} 个）。",
                    report.chains,
                    report.events,
                    report.refused_events
                );
            } else {
                for p in &report.problems {
                    out!("问题：{p}");
                }
            }
            if !report.ok {
                bail!("事件链校验未通过");
            }
        }
        Command::EnrollFile { request, out } => {
            let hub = open(&cli)?;
            let bytes = std::fs::read(request).with_context(|| format!("无法读取登记申请 {}", request.display()))?;
            let signed = Signed::<EnrollmentRequest>::decode(&bytes).context("登记申请文件无法解读")?;
            let issued = hub.enroll_offline(&signed)?;
            write_new(out, &issued.encode()?)?;
            let cert = issued.open()?;
            out!(
                "已为机关 {} 的设备 {} 签发证书（序号 {}）：{}",
                cert.office_code,
                cert.device_id,
                cert.serial,
                out.display()
            );
            out!("中心公钥指纹：{} {}", hub.public_key().alg, hub.public_key().key_id());
        }
    }
    Ok(())
}

fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    if path.exists() {
        bail!("文件 {} 已存在，请换一个输出路径", path.display());
    }
    std::fs::write(path, bytes).with_context(|| format!("无法写入 {}", path.display()))
}

/// Opens the hub for serving. A database server that cannot be reached yet (still starting, or
/// failing over to its standby) is waited for, up to `wait`; every other error ends at once.
fn open_waiting(cli: &Cli, wait: Duration, pool_size: usize) -> Result<Hub> {
    let db = database(cli)?;
    let options = PgOptions { pool_size, ..PgOptions::default() };
    let deadline = std::time::Instant::now() + wait;
    loop {
        match Hub::open_database_with(&db, cli.key_file.as_deref(), options) {
            Err(HubError::Unavailable(why)) if std::time::Instant::now() < deadline => {
                tracing::warn!(database = %db.describe(), reason = %why, "数据库暂时无法访问，稍后重试");
                std::thread::sleep(Duration::from_secs(2));
            }
            other => return Ok(other?),
        }
    }
}

/// How `serve` runs, from its options.
struct ServeOptions {
    db_wait: Duration,
    db_pool: usize,
    insecure_http: bool,
    max_clock_ahead: Duration,
    timeouts: qingfeng_hub::http::Timeouts,
}

fn serve(cli: &Cli, listen: SocketAddr, pid_file: Option<&Path>, options: ServeOptions) -> Result<()> {
    let ServeOptions { db_wait, db_pool, insecure_http, max_clock_ahead, timeouts } = options;
    let tls = match (&cli.tls_cert, &cli.tls_key) {
        (Some(cert), Some(key)) => Some(qingfeng_hub::tls::load(cert, key)?),
        (None, None) => None,
        _ => bail!("--tls-cert 与 --tls-key 须同时给出"),
    };
    if tls.is_none() && !listen.ip().is_loopback() && !insecure_http {
        bail!(
            "在 {listen} 上不加密提供服务会让各机关的数据明文经过网络。请用 --tls-cert 与 --tls-key 启用 HTTPS（可用 `qingfeng-hub tls generate` 生成），或仅在测试网络中加 --insecure-http。"
        );
    }
    let hub = open_waiting(cli, db_wait, db_pool)?
        .with_tls_certificate(tls.as_ref().map(|t| t.sha256))
        .with_max_clock_ahead(max_clock_ahead);
    let hub = Arc::new(hub);
    let db = database(cli)?.describe();
    let backend = hub.storage().backend();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let server = serve_until_with(hub, listen, tls.map(|t| t.config), shutdown_signal(), timeouts).await?;
        if let Some(path) = pid_file {
            std::fs::write(path, format!("{}\n", std::process::id()))
                .with_context(|| format!("无法写入进程号文件 {}", path.display()))?;
        }
        // The first line of stdout is the address alone, for scripts and tests to read.
        out!("{}", server.url());
        tracing::info!(url = %server.url(), database = %db, backend, pid = std::process::id(), "清风同步中心已启动（Ctrl-C 或 SIGTERM 退出）");
        let result = server.join().await;
        if let Some(path) = pid_file {
            let _ = std::fs::remove_file(path);
        }
        result?;
        tracing::info!("清风同步中心已退出");
        Ok(())
    })
}

/// Structured logs on stderr (`tracing`): key=value text, or JSON lines with `--log-json`; the
/// level from `RUST_LOG` (default `info`).
fn init_logs(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_target(false);
    let _ = if json { builder.json().try_init() } else { builder.with_ansi(false).try_init() };
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

/// Creates (or truncates) a file only its owner can read: a return bundle holds an office's
/// records, sealed or not, and is carried on a USB stick.
fn create_private(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}
