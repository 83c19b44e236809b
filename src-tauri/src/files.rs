//! The platform's own save and open dialogs (Tauri's dialog plugin, GTK's file chooser on Linux)
//! for every file the officer takes out of the program or brings into it: exports, saved PDFs,
//! attachments and evidence, USB bundles, enrollment files, library imports.
//!
//! The dialogs are opened from the Rust side, inside the command that writes or reads the file,
//! so the web page never handles a path it did not get from the officer's own choice, and the
//! window's capability grants no file access of its own. A cancelled dialog is not an error: the
//! command answers `None` and nothing is written.

use std::path::{Path, PathBuf};

use crate::error::Error;
use qingfeng_sync::client::Replica as _;
use tauri::{State, Window};
use tauri_plugin_dialog::DialogExt as _;

use crate::state::AppState;

/// What kinds of file a dialog offers: a name in Chinese and the extensions.
pub type Filter<'a> = (&'a str, &'a [&'a str]);

pub const PDF: Filter<'static> = ("PDF 文件", &["pdf"]);
pub const XLSX: Filter<'static> = ("Excel 工作簿", &["xlsx"]);
pub const DOCX: Filter<'static> = ("Word 文档", &["docx"]);
pub const CSV: Filter<'static> = ("CSV 表格（逗号分隔）", &["csv"]);
pub const BUNDLE: Filter<'static> = ("清风同步包", &["qfb"]);
pub const ENROLLMENT: Filter<'static> = ("登记申请文件", &["qfreq"]);
pub const CERTIFICATE: Filter<'static> = ("省级平台签发的证书文件", &["qfcert"]);
pub const TEMPLATE: Filter<'static> = ("文书模板文件", &["toml"]);
pub const TEXT: Filter<'static> = ("文本或 Markdown 文件", &["txt", "md"]);
pub const ATTACHMENT: Filter<'static> = (
    "扫描件、照片、录音、文档",
    &["pdf", "jpg", "jpeg", "png", "tif", "tiff", "mp3", "wav", "m4a", "amr", "doc", "docx", "txt"],
);

fn io_error(message: String) -> Error {
    Error::io(message)
}

/// The folder the dialogs open in: Downloads, or home when there is none.
fn start_folder() -> Option<PathBuf> {
    directories::UserDirs::new()
        .and_then(|u| u.download_dir().map(Path::to_path_buf).or_else(|| Some(u.home_dir().to_path_buf())))
}

/// A name that is only a file name (a record's title may hold characters a path may not).
fn clean_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if matches!(c, '/' | '\\' | '\0' | ':' | '*' | '?' | '"' | '<' | '>' | '|') { '_' } else { c })
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.');
    if trimmed.is_empty() { "文件".to_owned() } else { trimmed.to_owned() }
}

/// Asks where to save, proposing `name` in the Downloads folder; `None` when the officer cancels.
pub fn ask_save(window: &Window, title: &str, name: &str, filter: Filter<'_>) -> Result<Option<PathBuf>, Error> {
    let mut dialog = window.dialog().file().set_parent(window).set_title(title).set_file_name(clean_name(name));
    if let Some(dir) = start_folder() {
        dialog = dialog.set_directory(dir);
    }
    dialog = dialog.add_filter(filter.0, filter.1);
    match dialog.blocking_save_file() {
        None => Ok(None),
        Some(p) => {
            let path = p.into_path().map_err(|e| io_error(format!("所选位置无法使用（{e}），请另选一个文件夹。")))?;
            // The filter names the type; a name typed without its extension gets it.
            let path = match (path.extension(), filter.1.first()) {
                (None, Some(ext)) => path.with_extension(ext),
                _ => path,
            };
            Ok(Some(path))
        }
    }
}

/// Asks which file(s) to open; empty when the officer cancels.
pub fn ask_open(window: &Window, title: &str, filter: Filter<'_>, multiple: bool) -> Result<Vec<PathBuf>, Error> {
    let mut dialog = window.dialog().file().set_parent(window).set_title(title).add_filter(filter.0, filter.1);
    if let Some(dir) = start_folder() {
        dialog = dialog.set_directory(dir);
    }
    let picked = if multiple {
        dialog.blocking_pick_files().unwrap_or_default()
    } else {
        dialog.blocking_pick_file().into_iter().collect()
    };
    picked
        .into_iter()
        .map(|p| p.into_path().map_err(|e| io_error(format!("所选文件无法使用（{e}），请另选一个。"))))
        .collect()
}

/// Writes `bytes` to `path` readable by its owner only (`qingfeng_core::files`, the one place that
/// decides how a file holding records is written), through a temporary file beside it that is
/// renamed into place, so a failed write never leaves half a file under the chosen name.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let fail = |e: &dyn std::fmt::Display| {
        io_error(format!("无法保存到 {}：{e}。请另选一个有写入权限的文件夹，或检查U盘是否插好。", path.display()))
    };
    let part = path.with_file_name(format!(".{}.qingfeng-part", file_name(path)));
    let written = qingfeng_core::files::write_private(&part, bytes)
        .map_err(|e| fail(&e))
        .and_then(|()| std::fs::rename(&part, path).map_err(|e| fail(&e)));
    if written.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    written
}

/// Reads a file the officer chose, with a message that says what to do when it cannot be read.
pub fn read_chosen(path: &Path, limit: u64) -> Result<Vec<u8>, Error> {
    let meta = std::fs::metadata(path)
        .map_err(|e| io_error(format!("无法读取 {}：{e}。请确认文件还在原处。", path.display())))?;
    if meta.len() > limit {
        return Err(Error::invalid(format!(
            "文件 {} 有 {:.1} MB，超过 {} MB 的上限，请压缩或分成几个文件后再添加。",
            path.display(),
            meta.len() as f64 / 1_048_576.0,
            limit / 1_048_576
        )));
    }
    std::fs::read(path)
        .map_err(|e| io_error(format!("无法读取 {}：{e}。请确认文件没有损坏、有权限读取。", path.display())))
}

/// The file's name as shown (its last component).
pub fn file_name(path: &Path) -> String {
    path.file_name().and_then(|n| n.to_str()).map_or_else(|| "文件".to_owned(), str::to_owned)
}

/// Asks for the library file to import (系统管理员), answering its path for the import form.
#[tauri::command(async)]
pub fn library_pick_file(window: Window) -> Result<Option<String>, Error> {
    Ok(ask_open(&window, "选择要导入资料袋的文件", TEXT, false)?.pop().map(|p| p.display().to_string()))
}

/// Asks where to write an outbound USB bundle, proposing the office and today's date as its name;
/// the 同步 screen then exports to that path with its progress bar.
#[tauri::command(async)]
pub fn bundle_pick_save(window: Window, state: State<'_, AppState>) -> Result<Option<String>, Error> {
    let office = crate::session::as_user(&state, |s, _| s.office())?;
    let name = format!("{office}-{}.qfb", qingfeng_core::clock::Clock::system().today());
    Ok(ask_save(&window, "导出同步包", &name, BUNDLE)?.map(|p| p.display().to_string()))
}

/// Asks for the hub's return bundle to import.
#[tauri::command(async)]
pub fn bundle_pick_open(window: Window) -> Result<Option<String>, Error> {
    Ok(ask_open(&window, "选择省级平台的回执包", BUNDLE, false)?.pop().map(|p| p.display().to_string()))
}

/// Offline enrollment, step one: writes this device's enrollment request (`.qfreq`) where the
/// administrator chooses (a USB stick), to be carried to the hub. Answers the path, or `None`.
#[tauri::command(async)]
pub fn enrollment_request_save(window: Window, state: State<'_, AppState>) -> Result<Option<String>, Error> {
    crate::session::as_user(&state, |s, a| {
        let office = s.office()?;
        qingfeng_core::authz::authorize(a, &qingfeng_core::authz::Action::ManageUsers { office })
    })?;
    let key = crate::sync::device_key(&state, qingfeng_sync::Alg::Ed25519)?;
    let request = state.with_store(|s| Ok(qingfeng_sync::client::enrollment_request(s, &key, None)))??;
    let office = crate::session::as_user(&state, |s, _| s.office())?;
    let Some(path) = ask_save(&window, "保存登记申请文件", &format!("{office}-登记申请.qfreq"), ENROLLMENT)?
    else {
        return Ok(None);
    };
    write_private(&path, &request.encode())?;
    Ok(Some(path.display().to_string()))
}

/// Offline enrollment, step two: installs the certificate file (`.qfcert`) the hub issued for the
/// request; the hub's key is pinned from it. Answers the sync status, or `None` when cancelled.
#[tauri::command(async)]
pub fn enrollment_certificate_install(
    window: Window,
    state: State<'_, AppState>,
) -> Result<Option<qingfeng_core::replication::SyncStatus>, Error> {
    crate::session::as_user(&state, |s, a| {
        let office = s.office()?;
        qingfeng_core::authz::authorize(a, &qingfeng_core::authz::Action::ManageUsers { office })
    })?;
    let Some(path) = ask_open(&window, "选择省级平台签发的证书文件", CERTIFICATE, false)?.pop() else {
        return Ok(None);
    };
    let bytes = read_chosen(&path, 1_048_576)?;
    let issued = qingfeng_sync::IssuedCertificate::decode(&bytes)?;
    let alg = issued.certificate.peek()?.public_key.alg;
    let key = crate::sync::device_key(&state, alg)?;
    state.with_store(|s| Ok(qingfeng_sync::client::install_certificate(s, &key, &issued, None)))??;
    state.sync_wake.notify_one();
    state.with_store(|s| s.sync_status()).map(Some).map_err(Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_never_leave_their_folder() {
        assert_eq!(clean_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(clean_name("受理告知书-五纪受〔2026〕1号.pdf"), "受理告知书-五纪受〔2026〕1号.pdf");
        assert_eq!(clean_name("   "), "文件");
    }

    #[test]
    #[allow(clippy::unwrap_used)]
    fn writes_are_private_and_whole() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("导出.xlsx");
        write_private(&path, b"abc").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"abc");
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        write_private(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file is left behind");
        let err = write_private(&dir.path().join("missing/x.pdf"), b"x").unwrap_err();
        assert!(err.to_string().contains("无法保存到"), "{err}");
        let big = dir.path().join("big.bin");
        std::fs::write(&big, vec![0u8; 2_000_000]).unwrap();
        assert!(read_chosen(&big, 1_048_576).unwrap_err().to_string().contains("超过 1 MB"));
    }
}
