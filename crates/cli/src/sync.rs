//! `qingfeng sync …` and `qingfeng bundle …`: enrolling with the provincial hub, syncing over the
//! network, and carrying change sets on a USB stick where no network ever exists.

use std::path::PathBuf;
use std::sync::Mutex;

use anyhow::Context;
use clap::Subcommand;
use qingfeng_sync::client::{self, SyncClient};
use qingfeng_sync::{Alg, IssuedCertificate};
use serde_json::json;

use crate::Ctx;

#[derive(Subcommand, Debug)]
pub enum SyncCmd {
    /// 用同步中心管理员签发的一次性口令，在线向同步中心登记本设备
    Enroll {
        /// 同步中心的地址，如 http://10.1.2.3:8443
        #[arg(long)]
        hub: String,
        #[arg(long)]
        token: String,
        /// 新设备密钥的签名算法：ed25519（默认）或 sm2-sm3
        #[arg(long, default_value = "ed25519")]
        alg: String,
    },
    /// 为无网络的机关写出登记申请文件（带到同步中心办理）
    Request {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value = "ed25519")]
        alg: String,
    },
    /// 安装同步中心管理员为本设备签发的证书文件
    InstallCert {
        file: PathBuf,
        /// 同步中心的地址（如本机关也要通过网络同步）
        #[arg(long)]
        hub: Option<String>,
    },
    /// 立即同步：上传同步中心尚未回执的记录，下载发给本机关的记录
    Now {
        /// 使用此地址，不用保存的地址
        #[arg(long)]
        hub: Option<String>,
    },
    /// 显示待同步的记录、最近一次成功和最近一次错误
    Status,
    /// 列出冲突：已记录但因案件已移交他人而未生效的步骤
    Conflicts {
        #[command(flatten)]
        who: crate::AsUser,
    },
    /// 处理一个冲突（现在负责该案件的机关的分管领导）
    Resolve {
        /// 检举控告的编号（其唯一未处理的冲突），或冲突事件的标识（见 sync conflicts --json）
        event_id: String,
        /// 处理结果：adopted（由本机关重新办理）或 dismissed（不予采纳）
        #[arg(long)]
        resolution: String,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        who: crate::AsUser,
    },
}

#[derive(Subcommand, Debug)]
pub enum BundleCmd {
    /// 把同步中心尚未回执的全部记录写成一个签名的同步包文件，只有同步中心能打开（管理员；留痕）
    Export {
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        who: crate::AsUser,
    },
    /// 导入同步中心写出的回执包（本机关的回执和记录）（管理员）
    Import {
        file: PathBuf,
        #[command(flatten)]
        who: crate::AsUser,
    },
}

fn alg(text: &str) -> anyhow::Result<Alg> {
    text.parse::<Alg>().map_err(|e| anyhow::anyhow!("{e}"))
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread().enable_all().build()?)
}

pub fn sync(ctx: &Ctx, cmd: SyncCmd) -> anyhow::Result<()> {
    match cmd {
        SyncCmd::Enroll { hub, token, alg: a } => {
            let mut store = ctx.open()?;
            let key = client::device_key(&ctx.keys, store.path(), alg(&a)?)?;
            let request = client::enrollment_request(&store, &key, Some(token.trim()))?;
            let issued = runtime()?.block_on(SyncClient::enroll(&hub, &request))?;
            client::install_certificate(&mut store, &key, &issued, Some(&hub))?;
            ctx.out(
                json!({ "enrolled": true, "device_id": store.device_id(), "hub_key_id": issued.hub_key.key_id() }),
                || {
                    format!(
                        "本机（设备 {}）已登记到省级平台 {hub}。平台公钥指纹 {}，请与平台管理员核对。",
                        store.device_id(),
                        issued.hub_key.key_id()
                    )
                },
            );
        }
        SyncCmd::Request { out, alg: a } => {
            let store = ctx.open()?;
            let key = client::device_key(&ctx.keys, store.path(), alg(&a)?)?;
            let request = client::enrollment_request(&store, &key, None)?;
            std::fs::write(&out, request.encode()).with_context(|| format!("无法写入 {}", out.display()))?;
            ctx.out(json!({ "request": out, "device_id": store.device_id(), "key_id": key.public_key().key_id() }), || {
                format!(
                    "已写出登记申请 {}（设备 {}，公钥指纹 {}）。请带到省级平台，由管理员签发证书后带回，用 qingfeng sync install-cert 导入。",
                    out.display(),
                    store.device_id(),
                    key.public_key().key_id()
                )
            });
        }
        SyncCmd::InstallCert { file, hub } => {
            let mut store = ctx.open()?;
            let bytes = std::fs::read(&file).with_context(|| format!("无法读取证书文件 {}", file.display()))?;
            let issued = IssuedCertificate::decode(&bytes)?;
            let key = client::device_key(&ctx.keys, store.path(), issued.certificate.peek()?.public_key.alg)?;
            client::install_certificate(&mut store, &key, &issued, hub.as_deref())?;
            ctx.out(json!({ "enrolled": true, "hub_key_id": issued.hub_key.key_id() }), || {
                format!("已导入设备证书。平台公钥指纹 {}，请与平台管理员核对。", issued.hub_key.key_id())
            });
        }
        SyncCmd::Now { hub } => {
            let store = ctx.open()?;
            let key = client::device_key(&ctx.keys, store.path(), client::key_alg(&store, Alg::Ed25519)?)?;
            let client = SyncClient::new(&store, key, hub.as_deref())?;
            let store = Mutex::new(store);
            let runtime = runtime()?;
            let report = runtime.block_on(client.sync_once(&store))?;
            // A database restored from a backup still owes the hub what the device it replaced
            // never sent.
            let previous =
                runtime.block_on(qingfeng_sync::restore::send_previous_device(&client, &store, &ctx.keys))?;
            let mut value = json!(report);
            value["previous_device_events"] = json!(previous.events);
            value["previous_device_stopped"] = json!(previous.stopped);
            ctx.out(value, || {
                let mut text = format!(
                    "同步完成：上传 {} 个事件（{} 批被接收，{} 批被拒），下载 {} 个事件，新增冲突 {} 件。",
                    report.uploaded_events,
                    report.changesets_accepted,
                    report.changesets_rejected,
                    report.downloaded_events,
                    report.conflicts
                );
                for r in &report.rejections {
                    text.push_str(&format!("\n  被拒：{r}"));
                }
                if report.blobs_sent + report.blobs_received > 0 {
                    text.push_str(&format!(
                        "\n附件和材料：上传 {} 个，接收 {} 个。",
                        report.blobs_sent, report.blobs_received
                    ));
                }
                if let Some(b) = &report.blocked {
                    text.push_str(&format!("\n  上传受阻：{b}"));
                }
                if previous.events > 0 {
                    text.push_str(&format!("\n补报了恢复前原电脑尚未报送的 {} 个事件。", previous.events));
                }
                if let Some(why) = &previous.stopped {
                    text.push_str(&format!("\n{why}"));
                }
                text
            });
        }
        SyncCmd::Status => {
            let store = ctx.open()?;
            let s = store.sync_status()?;
            ctx.out(json!(s), || {
                format!(
                    "设备：{}\n登记：{}\n平台地址：{}\n待上传事件：{}\n最近成功：{}\n最近错误：{}\n被拒批次：{}\n待处理冲突：{}",
                    s.device_id,
                    if s.enrolled { "已登记" } else { "未登记" },
                    s.hub_url.as_deref().unwrap_or("（未设置）"),
                    s.pending,
                    s.last_success.as_deref().unwrap_or("（从未）"),
                    s.last_error.as_deref().unwrap_or("无"),
                    s.rejected,
                    s.open_conflicts
                )
            });
        }
        SyncCmd::Resolve { event_id, resolution, note, who } => {
            let mut store = ctx.open()?;
            // A complaint's number names its one open conflict, so people need not copy an id.
            let event_id = {
                let open: Vec<_> = qingfeng_core::complaints::query::conflicts_report(&store)?
                    .into_iter()
                    .filter(|c| c.number == event_id.trim() && c.status == "open")
                    .collect();
                match open.as_slice() {
                    [] => event_id,
                    [one] => one.event_id.clone(),
                    many => anyhow::bail!(
                        "案件 {} 有 {} 个待处理的冲突，请用 --json 列出冲突，按事件编号逐个处理。",
                        event_id.trim(),
                        many.len()
                    ),
                }
            };
            crate::as_user(&mut store, &who, |s, a| {
                qingfeng_core::ownership::resolve_conflict(s, a, &event_id, &resolution, &note)
            })?;
            ctx.out(json!({ "resolved": event_id }), || "冲突已处理。".to_owned())
        }
        SyncCmd::Conflicts { who } => {
            let mut store = ctx.open()?;
            // Conflicts are steps of cases: listed, in words, to the posts that read cases.
            let words = crate::as_user(&mut store, &who, qingfeng_core::complaints::query::conflicts)?;
            // Scripts keep the stored record (kinds, ids); people read the words.
            let list = store.conflicts(None)?;
            ctx.out(json!(list), || {
                if words.is_empty() {
                    return "没有冲突。".to_owned();
                }
                words
                    .iter()
                    .map(|c| {
                        let status = match (c.status.as_str(), c.resolution.as_deref()) {
                            ("open", _) => "待本单位领导处理".to_owned(),
                            (_, Some("adopted")) => "已处理：由本单位重新办理".to_owned(),
                            (_, Some("dismissed")) => "已处理：不予采纳".to_owned(),
                            _ => "已处理".to_owned(),
                        };
                        format!(
                            "{}（{}）  {}  {} {}  {}  {status}",
                            c.number, c.summary, c.step, c.office, c.actor, c.time
                        )
                    })
                    .chain(std::iter::once(
                        "处理冲突：qingfeng sync resolve 案件编号 --resolution adopted|dismissed --as 领导账号"
                            .to_owned(),
                    ))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}

pub fn bundle(ctx: &Ctx, cmd: BundleCmd) -> anyhow::Result<()> {
    match cmd {
        BundleCmd::Export { out, who } => {
            let mut store = ctx.open()?;
            // The administrator's, and recorded before anything is written (the record travels in
            // the bundle itself). A device not yet enrolled is told so before the record is made.
            let key = client::device_key(&ctx.keys, store.path(), client::key_alg(&store, Alg::Ed25519)?)?;
            crate::as_user(&mut store, &who, |s, a| {
                qingfeng_core::replication::authorize_bundle_exchange(s, a)?;
                if s.sync_config()?.is_none() {
                    return Err(qingfeng_core::CoreError::invalid(
                        "本机尚未登记到省级平台，不能导出同步包。请先申请并导入设备证书。",
                    ));
                }
                qingfeng_core::replication::record_bundle_export(s, a)
            })?;
            let store = Mutex::new(store);
            // Write beside the target and rename, so a pulled USB stick never holds half a bundle
            // under the final name; readable by its owner only, and sealed to the hub.
            let partial = out.with_extension("part");
            let show = !ctx.json && std::io::IsTerminal::is_terminal(&std::io::stderr());
            let written = (|| -> anyhow::Result<_> {
                let file = qingfeng_core::files::create_private(&partial)
                    .with_context(|| format!("无法写入 {}", partial.display()))?;
                let (file, report) =
                    client::export_bundle(&store, &key, std::io::BufWriter::new(file), |done, total| {
                        if show {
                            eprint!("\r正在导出：{done}/{total} 个事件");
                        }
                    })?;
                file.into_inner().map_err(|e| e.into_error())?.sync_all()?;
                std::fs::rename(&partial, &out)?;
                Ok(report)
            })();
            if show {
                eprintln!();
            }
            // Nothing half-written is left beside the target when the export fails.
            let report = written.inspect_err(|_| {
                let _ = std::fs::remove_file(&partial);
            })?;
            ctx.out(json!(report), || {
                let mut text = format!(
                    "已导出同步包 {}：{} 批变更集，共 {} 个事件，{} 个附件或材料。",
                    out.display(),
                    report.changesets,
                    report.events,
                    report.blobs
                );
                if let Some(b) = &report.blocked {
                    text.push_str(&format!("\n未能写入：{b}"));
                }
                text
            });
        }
        BundleCmd::Import { file, who } => {
            let mut store = ctx.open()?;
            crate::as_user(&mut store, &who, qingfeng_core::replication::authorize_bundle_exchange)?;
            let store = Mutex::new(store);
            let input = std::fs::File::open(&file).with_context(|| format!("无法读取 {}", file.display()))?;
            let report = client::import_return_bundle(&store, std::io::BufReader::new(input), |_, _| {})?;
            ctx.out(json!(report), || {
                format!(
                    "已导入回执包：回执 {} 份，收到事件 {} 个（新应用 {} 个），新增冲突 {} 件。{}",
                    report.receipts,
                    report.events,
                    report.applied_events,
                    report.conflicts,
                    if report.rejections.is_empty() {
                        String::new()
                    } else {
                        format!("被拒：{}", report.rejections.join("；"))
                    }
                )
            });
        }
    }
    Ok(())
}
