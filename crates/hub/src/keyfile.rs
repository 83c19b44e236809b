//! The hub's signing key file: `<db>.key` beside the database unless given, mode 0600.
//!
//! Format (text, so an administrator can see what it is without tools):
//!
//! ```text
//! qingfeng-hub-key 1
//! alg ed25519
//! secret <hex of SecretKey::to_bytes>
//! ```
//!
//! Whoever reads this file can sign as the hub, so it is created readable by its owner only and
//! refused when others can read it.

use std::io::Write;
use std::path::{Path, PathBuf};

use qingfeng_sync::{Alg, SecretKey};
use zeroize::Zeroizing;

use crate::error::{HubError, Result};

const MAGIC: &str = "qingfeng-hub-key 1";

/// The default key file of a database: the same name with `.key` appended.
pub fn default_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".key");
    db.with_file_name(name)
}

/// Writes a new key file; refuses to overwrite one.
pub fn write(path: &Path, key: &SecretKey) -> Result<()> {
    let secret = key.to_bytes();
    let text = Zeroizing::new(format!("{MAGIC}\nalg {}\nsecret {}\n", key.alg().as_str(), hex::encode(&*secret)));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| HubError::io(path, e))?;
    file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(|e| HubError::io(path, e))?;
    Ok(())
}

/// Reads the hub's key.
pub fn read(path: &Path) -> Result<SecretKey> {
    let bad = |detail: &str| HubError::KeyFile { path: path.to_owned(), detail: detail.to_owned() };
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            bad("文件不存在。密钥由 `qingfeng-hub init` 建立，放在数据库旁（数据库文件名加 .key）")
        }
        _ => HubError::io(path, e),
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            return Err(bad("文件可被其他用户读取。请执行 chmod 600 后再启动"));
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| HubError::io(path, e))?);
    let mut lines = text.lines();
    if lines.next() != Some(MAGIC) {
        return Err(bad("不是清风枢纽密钥文件"));
    }
    let alg: Alg = lines
        .next()
        .and_then(|l| l.strip_prefix("alg "))
        .ok_or_else(|| bad("缺少 alg 行"))?
        .parse()
        .map_err(|_| bad("算法名称不认识"))?;
    let secret = Zeroizing::new(
        hex::decode(lines.next().and_then(|l| l.strip_prefix("secret ")).ok_or_else(|| bad("缺少 secret 行"))?)
            .map_err(|_| bad("密钥不是十六进制"))?,
    );
    SecretKey::from_bytes(alg, &secret).map_err(|e| bad(&e.to_string()))
}

const SEAL_MAGIC: &str = "qingfeng-hub-seal 1";

/// The hub's sealing key file: beside the database, its name with `.seal` appended. Bundles that
/// offices carry to the hub are encrypted to this key.
pub fn seal_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".seal");
    db.with_file_name(name)
}

/// Writes a new sealing key file (mode 0600; text `qingfeng-hub-seal 1` / `suite …` / `secret <hex>`).
pub fn write_seal(path: &Path, key: &qingfeng_seal::SealSecretKey) -> Result<()> {
    let secret = key.to_bytes();
    let text =
        Zeroizing::new(format!("{SEAL_MAGIC}\nsuite {}\nsecret {}\n", key.suite().as_str(), hex::encode(&*secret)));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| HubError::io(path, e))?;
    file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(|e| HubError::io(path, e))?;
    Ok(())
}

/// Reads the hub's sealing key, refusing a file others can read.
pub fn read_seal(path: &Path) -> Result<qingfeng_seal::SealSecretKey> {
    let bad = |detail: &str| HubError::KeyFile { path: path.to_owned(), detail: detail.to_owned() };
    let meta = std::fs::metadata(path).map_err(|e| HubError::io(path, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            return Err(bad("文件可被其他用户读取。请执行 chmod 600 后再启动"));
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| HubError::io(path, e))?);
    let mut lines = text.lines();
    if lines.next() != Some(SEAL_MAGIC) {
        return Err(bad("不是清风枢纽加密密钥文件"));
    }
    let suite: qingfeng_seal::Suite = lines
        .next()
        .and_then(|l| l.strip_prefix("suite "))
        .ok_or_else(|| bad("缺少 suite 行"))?
        .parse()
        .map_err(|_| bad("加密算法名称不认识"))?;
    let secret = Zeroizing::new(
        hex::decode(lines.next().and_then(|l| l.strip_prefix("secret ")).ok_or_else(|| bad("缺少 secret 行"))?)
            .map_err(|_| bad("密钥不是十六进制"))?,
    );
    qingfeng_seal::SealSecretKey::from_bytes(suite, &secret).map_err(|e| bad(&e.to_string()))
}

/// The hub's sealing key: read from `path`, or made and written there the first time (a hub set
/// up before issue #14). Its suite follows the signing algorithm: SM2 with SM4 for an SM2 hub.
pub fn read_or_create_seal(path: &Path, alg: Alg) -> Result<qingfeng_seal::SealSecretKey> {
    if path.exists() {
        return read_seal(path);
    }
    let suite = match alg {
        Alg::Sm2Sm3 => qingfeng_seal::Suite::Sm2Sm4,
        Alg::Ed25519 => qingfeng_seal::Suite::X25519Aes256Gcm,
    };
    let key = qingfeng_seal::SealSecretKey::generate(suite);
    write_seal(path, &key)?;
    Ok(key)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_key_survives_the_file_for_both_algorithms() {
        let dir = tempfile::tempdir().unwrap();
        for alg in [Alg::Ed25519, Alg::Sm2Sm3] {
            let path = dir.path().join(format!("{}.key", alg.as_str()));
            let key = SecretKey::generate(alg);
            write(&path, &key).unwrap();
            assert_eq!(read(&path).unwrap().public_key(), key.public_key());
            assert!(write(&path, &key).is_err(), "never overwritten");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hub.key");
        write(&path, &SecretKey::generate(Alg::Ed25519)).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(read(&path).unwrap_err().to_string().contains("chmod 600"));
    }

    #[test]
    fn a_sealing_key_survives_its_file_and_follows_the_signing_algorithm() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hub.db.seal");
        let made = read_or_create_seal(&path, Alg::Sm2Sm3).unwrap();
        assert_eq!(made.suite(), qingfeng_seal::Suite::Sm2Sm4);
        assert_eq!(read_or_create_seal(&path, Alg::Ed25519).unwrap().public_key(), made.public_key());
        assert!(write_seal(&path, &made).is_err(), "never overwritten");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }

    #[test]
    fn the_default_key_file_sits_beside_the_database() {
        assert_eq!(default_path(Path::new("/srv/hub/hub.db")), Path::new("/srv/hub/hub.db.key"));
    }
}
