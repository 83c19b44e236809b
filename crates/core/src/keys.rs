//! Where the database key lives: the OS keyring by default, or an explicit headless alternative.
//!
//! The key is 32 random bytes generated on first run. It is never written next to the database
//! in plain text unless an operator explicitly names a key file, and a key file must be private
//! (mode 0600) or it is refused. There is no silent fallback from one store to another.

use std::fmt;
use std::path::{Path, PathBuf};

use rand::RngCore;
use zeroize::{Zeroize, Zeroizing};

use crate::error::{CoreError, Result};

/// The keyring service name under which database keys are stored.
const KEYRING_SERVICE: &str = "qingfeng-db";

/// A 256-bit SQLCipher key. Wiped from memory when dropped.
#[derive(Clone)]
pub struct DbKey([u8; 32]);

impl DbKey {
    /// A new random key from the operating system's generator.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        DbKey(bytes)
    }

    /// Parses the 64-hex-digit form used in key stores.
    pub fn from_hex(text: &str) -> Result<Self> {
        let text = Zeroizing::new(text.trim().to_owned());
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text.as_bytes(), &mut bytes).map_err(|_| CoreError::KeyMissing {
            detail: "存储的密钥格式不正确（应为 64 位十六进制数字）。请检查密钥文件或钥匙串条目。".into(),
        })?;
        Ok(DbKey(bytes))
    }

    /// The 64-hex-digit form.
    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(self.0))
    }

    /// The `PRAGMA key` value telling SQLCipher to use these bytes as the raw key (no KDF).
    /// A key for sealing the log's checkpoint, derived from this one (domain-separated, so it is
    /// never the database key itself).
    pub(crate) fn checkpoint_key(&self) -> Zeroizing<[u8; 32]> {
        use sha2::Digest as _;
        let mut h = sha2::Sha256::new();
        h.update(b"qingfeng/checkpoint/v1\0");
        h.update(self.0);
        Zeroizing::new(h.finalize().into())
    }

    pub(crate) fn pragma_value(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("x'{}'", hex::encode(self.0)))
    }
}

impl Drop for DbKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for DbKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DbKey(…)")
    }
}

/// Where a database's key is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// The desktop keyring over D-Bus (Secret Service: GNOME Keyring, KWallet).
    SecretService,
    /// The Linux kernel keyring (keyutils), for headless machines with a session keyring.
    KernelKeyring,
    /// A file holding the key in hex, readable only by its owner (mode 0600).
    File(PathBuf),
}

impl KeySource {
    /// Parses the `--key-store` option: `secret-service`, `kernel`, or `file:PATH`.
    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "secret-service" | "keyring" => Ok(KeySource::SecretService),
            "kernel" | "keyutils" => Ok(KeySource::KernelKeyring),
            other => match other.strip_prefix("file:") {
                Some(path) if !path.is_empty() => Ok(KeySource::File(PathBuf::from(path))),
                _ => Err(CoreError::invalid(format!(
                    "不认识的密钥存储“{other}”：可选 secret-service（桌面钥匙串）、kernel（内核钥匙串）或 file:路径（权限 0600 的密钥文件）。"
                ))),
            },
        }
    }

    /// A short description for messages.
    pub fn describe(&self) -> String {
        match self {
            KeySource::SecretService => "系统钥匙串（Secret Service）".into(),
            KeySource::KernelKeyring => "内核钥匙串（keyutils）".into(),
            KeySource::File(p) => format!("密钥文件 {}", p.display()),
        }
    }

    /// Reads the key for the database at `db_path`.
    pub fn load(&self, db_path: &Path) -> Result<DbKey> {
        match self {
            KeySource::File(path) => load_file(path),
            _ => {
                let entry = self.entry(db_path)?;
                match entry.get_password() {
                    Ok(hex) => DbKey::from_hex(&Zeroizing::new(hex)),
                    Err(keyring::Error::NoEntry) => Err(CoreError::KeyMissing {
                        detail: format!(
                            "{}中没有数据库 {} 的密钥。若数据库是用密钥文件建立的，请加 --key-file 指定该文件；否则请从备份恢复密钥。",
                            self.describe(),
                            db_path.display()
                        ),
                    }),
                    Err(e) => Err(keyring_error(self, e)),
                }
            }
        }
    }

    /// Loads the key if one is stored, otherwise generates and stores a new one (first run).
    pub fn load_or_create(&self, db_path: &Path) -> Result<DbKey> {
        match self {
            KeySource::File(path) if path.exists() => load_file(path),
            KeySource::File(path) => {
                let key = DbKey::generate();
                write_private_file(path, key.to_hex().as_bytes())?;
                Ok(key)
            }
            _ => {
                let entry = self.entry(db_path)?;
                // A database that does not exist yet may still have a stale entry from a file that
                // was removed; a fresh database always gets a fresh key so no old key is reused.
                let key = DbKey::generate();
                entry.set_password(&key.to_hex()).map_err(|e| keyring_error(self, e))?;
                Ok(key)
            }
        }
    }

    /// Reads another secret kept beside the database key (the device's signing key for sync):
    /// the same keyring under `<db path>#<name>`, or a 0600 file `<key file>.<name>`.
    pub fn load_secret(&self, db_path: &Path, name: &str) -> Result<Option<Zeroizing<String>>> {
        match self {
            KeySource::File(path) => {
                let path = secret_file(path, name);
                if !path.exists() {
                    return Ok(None);
                }
                check_private(&path)?;
                let text = std::fs::read_to_string(&path).map_err(|e| CoreError::KeyMissing {
                    detail: format!("无法读取密钥文件 {}：{e}", path.display()),
                })?;
                Ok(Some(Zeroizing::new(text.trim().to_owned())))
            }
            _ => match self.entry_for(&format!("{}#{name}", db_path.to_string_lossy()))?.get_password() {
                Ok(text) => Ok(Some(Zeroizing::new(text))),
                Err(keyring::Error::NoEntry) => Ok(None),
                Err(e) => Err(keyring_error(self, e)),
            },
        }
    }

    /// Stores a secret beside the database key; an existing one is never overwritten, because a
    /// device's signing key is its identity at the hub.
    pub fn store_secret(&self, db_path: &Path, name: &str, value: &str) -> Result<()> {
        if self.load_secret(db_path, name)?.is_some() {
            return Err(CoreError::invalid(format!("{}中已有本机的{name}密钥，不能覆盖。", self.describe())));
        }
        match self {
            KeySource::File(path) => write_private_file(&secret_file(path, name), value.as_bytes()),
            _ => self
                .entry_for(&format!("{}#{name}", db_path.to_string_lossy()))?
                .set_password(value)
                .map_err(|e| keyring_error(self, e)),
        }
    }

    /// Puts a database key recovered with the office's recovery code (or made for a restored
    /// database) where [`KeySource::load`] will find it. A key file that already holds another
    /// key is refused rather than overwritten, since it may be the only key of another database;
    /// a keyring entry is replaced, because the caller has just shown it does not open this one.
    pub fn install_key(&self, db_path: &Path, key: &DbKey) -> Result<()> {
        match self {
            KeySource::File(path) if path.exists() => {
                if load_file(path)?.0 == key.0 {
                    return Ok(());
                }
                Err(CoreError::KeyStore {
                    detail: format!(
                        "密钥文件 {} 已存在，且其中是另一把密钥。请先把它移到别处保存（它可能是另一个数据库的密钥），再重试。",
                        path.display()
                    ),
                })
            }
            KeySource::File(path) => write_private_file(path, key.to_hex().as_bytes()),
            _ => self.entry(db_path)?.set_password(&key.to_hex()).map_err(|e| keyring_error(self, e)),
        }
    }

    /// Stores a recovered secret beside the database key: stored when absent, nothing done when
    /// the same value is there already, refused when another value is (a device's signing key is
    /// its identity at the hub and is never silently replaced).
    pub fn install_secret(&self, db_path: &Path, name: &str, value: &str) -> Result<()> {
        match self.load_secret(db_path, name)? {
            None => self.store_secret(db_path, name, value),
            Some(existing) if existing.as_str() == value.trim() => Ok(()),
            Some(_) => Err(CoreError::KeyStore {
                detail: format!("{}中已有另一把本机的{name}密钥，恢复时不会覆盖它。请联系技术支持。", self.describe()),
            }),
        }
    }

    fn entry(&self, db_path: &Path) -> Result<keyring::Entry> {
        self.entry_for(&db_path.to_string_lossy())
    }

    fn entry_for(&self, user: &str) -> Result<keyring::Entry> {
        let credential: Box<keyring::credential::Credential> = match self {
            KeySource::SecretService => Box::new(
                keyring::secret_service::SsCredential::new_with_target(None, KEYRING_SERVICE, user)
                    .map_err(|e| keyring_error(self, e))?,
            ),
            KeySource::KernelKeyring => Box::new(
                keyring::keyutils::KeyutilsCredential::new_with_target(None, KEYRING_SERVICE, user)
                    .map_err(|e| keyring_error(self, e))?,
            ),
            // Key files are read directly; callers never ask the keyring for them.
            KeySource::File(path) => {
                return Err(CoreError::KeyStore {
                    detail: format!("密钥文件 {} 不是钥匙串条目", path.display())
                });
            }
        };
        Ok(keyring::Entry::new_with_credential(credential))
    }
}

/// `<key file>.<name>`: beside the database key file, with the same permissions.
fn secret_file(key_file: &Path, name: &str) -> PathBuf {
    crate::files::with_suffix(key_file, &format!(".{name}"))
}

fn keyring_error(source: &KeySource, e: keyring::Error) -> CoreError {
    let hint = match (&e, source) {
        (keyring::Error::NoStorageAccess(_), KeySource::SecretService)
        | (keyring::Error::PlatformFailure(_), KeySource::SecretService) => {
            "桌面钥匙串不可用或未解锁。请登录桌面会话并解锁钥匙串；无桌面的服务器或脚本请改用权限 0600 的密钥文件（命令行 --key-file PATH，桌面程序设置环境变量 QINGFENG_KEY_FILE）。"
        }
        (_, KeySource::KernelKeyring) => {
            "内核钥匙串不可用。请在会话钥匙串中运行（如 keyctl session - 命令），或改用密钥文件（--key-file PATH 或环境变量 QINGFENG_KEY_FILE）。"
        }
        _ => "请检查密钥存储，或改用密钥文件（--key-file PATH 或环境变量 QINGFENG_KEY_FILE）。",
    };
    CoreError::KeyStore { detail: format!("{}：{e}。{hint}", source.describe()) }
}

fn load_file(path: &Path) -> Result<DbKey> {
    check_private(path)?;
    let text =
        Zeroizing::new(std::fs::read_to_string(path).map_err(|e| CoreError::KeyMissing {
            detail: format!("无法读取密钥文件 {}：{e}", path.display()),
        })?);
    DbKey::from_hex(&text)
}

#[cfg(unix)]
fn check_private(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path)
        .map_err(|e| CoreError::KeyMissing { detail: format!("无法读取密钥文件 {}：{e}", path.display()) })?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(CoreError::KeyStore {
            detail: format!(
                "密钥文件 {} 的权限为 {mode:o}，其他用户可读。请执行 chmod 600 {} 后重试。",
                path.display(),
                path.display()
            ),
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path) -> Result<()> {
    Ok(())
}

/// Creates `path` with mode 0600 from the start, so the key is never briefly world-readable.
fn write_private_file(path: &Path, contents: &[u8]) -> Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()?;
    Ok(())
}
