//! The `qingfeng-hub` binary: administration commands and `serve` as a real process that prints
//! its address and exits cleanly on SIGTERM.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_qingfeng-hub");

fn hub(db: &Path, args: &[&str]) -> Output {
    Command::new(BIN).arg("--db").arg(db).args(args).output().unwrap()
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = hub(db, args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn administration_commands_work_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.db");
    let init = ok(&db, &["init", "--alg", "sm2-sm3"]);
    assert!(init.contains("sm2-sm3"), "{init}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("hub.db.key")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let again = hub(&db, &["init"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("已存在"));

    ok(&db, &["office", "add", "530000", "云南省纪委监委", "--level", "province"]);
    ok(&db, &["office", "add", "530100", "昆明市纪委监委", "--level", "prefecture", "--parent", "530000"]);
    let bad = hub(&db, &["office", "add", "530102", "五华区", "--level", "county", "--parent", "530300"]);
    assert!(!bad.status.success());
    let offices: serde_json::Value = serde_json::from_str(&ok(&db, &["office", "list", "--json"])).unwrap();
    assert_eq!(offices.as_array().unwrap().len(), 2);
    assert_eq!(offices[1]["parent_code"], "530000");

    let token: serde_json::Value =
        serde_json::from_str(&ok(&db, &["token", "issue", "--office", "530100", "--hours", "1", "--json"])).unwrap();
    assert!(token["token"].as_str().unwrap().len() >= 20);
    assert!(ok(&db, &["token", "issue", "--office", "530100"]).contains("中心公钥指纹"));

    // Offline enrollment from a request file.
    let device = qingfeng_sync::SecretKey::generate(qingfeng_sync::Alg::Sm2Sm3);
    let request = qingfeng_sync::EnrollmentRequest {
        office_code: "530100".into(),
        device_id: "kunming-laptop".into(),
        public_key: device.public_key(),
        token: None,
        created_at_ms: qingfeng_hub::now_ms(),
        office_seal_keys: None,
    };
    let signed = qingfeng_sync::Signed::sign(qingfeng_sync::envelope::ENROLLMENT_CONTEXT, &request, &device).unwrap();
    let req_file = dir.path().join("kunming.qfreq");
    std::fs::write(&req_file, signed.encode()).unwrap();
    let cert_file = dir.path().join("kunming.qfcert");
    ok(&db, &["enroll-file", req_file.to_str().unwrap(), "--out", cert_file.to_str().unwrap()]);
    let issued = qingfeng_sync::IssuedCertificate::decode(&std::fs::read(&cert_file).unwrap()).unwrap();
    assert_eq!(issued.open().unwrap().device_id, "kunming-laptop");

    let devices: serde_json::Value = serde_json::from_str(&ok(&db, &["device", "list", "--json"])).unwrap();
    assert_eq!(devices[0]["device_id"], "kunming-laptop");
    ok(&db, &["device", "revoke", "kunming-laptop", "--reason", "设备遗失"]);
    assert!(ok(&db, &["device", "list"]).contains("已吊销"));
    assert!(ok(&db, &["alarm", "list"]).contains("没有告警"));
    assert!(ok(&db, &["events", "verify"]).contains("事件链完好"));
    let verify: serde_json::Value = serde_json::from_str(&ok(&db, &["events", "verify", "--json"])).unwrap();
    assert_eq!(verify["events"], 2);
}

#[test]
fn serve_prints_its_address_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.db");
    ok(&db, &["init"]);
    let pid_file = dir.path().join("hub.pid");
    let mut child = Command::new(BIN)
        .arg("--db")
        .arg(&db)
        .args(["serve", "--listen", "127.0.0.1:0", "--pid-file"])
        .arg(&pid_file)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().to_owned();
    assert!(url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"), "{url}");
    assert_eq!(std::fs::read_to_string(&pid_file).unwrap().trim(), child.id().to_string());

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let health: serde_json::Value =
        runtime.block_on(async { reqwest::get(format!("{url}/health")).await.unwrap().json().await.unwrap() });
    assert_eq!(health["status"], "ok");

    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "graceful shutdown exits 0: {status:?}");
    assert!(!pid_file.exists(), "the pid file is removed on exit");
}

#[test]
fn serve_refuses_plain_http_off_loopback_and_serves_https_with_a_generated_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.db");
    ok(&db, &["init"]);
    ok(&db, &["office", "add", "530000", "云南省纪委监委", "--level", "province"]);
    let out = hub(&db, &["serve", "--listen", "0.0.0.0:0"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--tls-cert") && err.contains("明文"), "{err}");

    let (cert, key) = (dir.path().join("hub.crt"), dir.path().join("hub-tls.pem"));
    let made = ok(
        &db,
        &["tls", "generate", "--cert", cert.to_str().unwrap(), "--key", key.to_str().unwrap(), "--name", "127.0.0.1"],
    );
    let fingerprint = ok(&db, &["--tls-cert", cert.to_str().unwrap(), "tls", "fingerprint"]);
    assert!(made.contains(fingerprint.trim()), "{made}");
    // A token issued with the certificate carries its fingerprint after the secret.
    let issued: serde_json::Value = serde_json::from_str(&ok(
        &db,
        &["--tls-cert", cert.to_str().unwrap(), "token", "issue", "--office", "530000", "--json"],
    ))
    .unwrap();
    let token = issued["token"].as_str().unwrap();
    assert_eq!(token.chars().filter(char::is_ascii_hexdigit).count(), 60, "{token}");
    assert_eq!(issued["tls_sha256"].as_str().unwrap(), fingerprint.trim());

    let mut child = Command::new(BIN)
        .arg("--db")
        .arg(&db)
        .args(["--tls-cert", cert.to_str().unwrap(), "--tls-key", key.to_str().unwrap()])
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().to_owned();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let pin = qingfeng_hub::tls::certificate_sha256(&cert).unwrap();
    let client =
        qingfeng_sync::tls::http_client(std::slice::from_ref(&url), Some(&pin), std::time::Duration::from_secs(10))
            .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let status = runtime.block_on(async { client.get(format!("{url}/health")).send().await.unwrap().status() });
    assert_eq!(status, 200);
    let _ = child.kill();
    let _ = child.wait();
}
