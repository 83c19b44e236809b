//! The key envelope beside the database (`<database>.recovery`, mode 0600): the database key and
//! this device's signing key, sealed to the office's recovery key.
//!
//! When a machine's keyring is lost (a reinstalled system, a new login, a disk moved to another
//! machine) the database file is intact but nothing on the machine can open it. With the
//! recovery code from the safe, [`unlock`] opens the envelope, checks that the key really opens
//! the database, and puts the keys back into the key store; the device then carries on as itself.
//!
//! The file says in clear which office and database it belongs to and which recovery key it is
//! sealed to (and which keys that one replaced), so a wrong or a replaced code is named as such.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

use super::code::RecoveryCode;
use super::seal::{self, OpenError, RecoveryPublicKey, Sealed};
use crate::error::{CoreError, Result};
use crate::keys::{DbKey, KeySource};
use crate::store::Store;

const MAGIC: &[u8; 8] = b"QFRECOV1";
const CONTEXT: &str = "qingfeng/key-envelope/v1";
/// Larger files are not envelopes (it holds two keys and a few names).
const MAX_LEN: u64 = 64 * 1024;
/// Secrets kept beside the database key that the envelope carries: the device's signing key
/// (`qingfeng_sync::client::SIGNING_SECRET`; a test in that crate checks the two names agree).
pub const CARRIED_SECRETS: &[&str] = &["signing", super::previous::SIGNING_SECRET];

/// The envelope's readable part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvelopeHeader {
    pub version: u32,
    pub office_code: String,
    pub office_name: String,
    pub device_id: String,
    /// The database file's name (the envelope sits beside it).
    pub db_file: String,
    pub written_at_ms: i64,
    /// The recovery key it is sealed to.
    pub key_id: String,
    /// Keys replaced before this one, with when, so their codes are refused by name.
    pub replaced: Vec<ReplacedKey>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplacedKey {
    pub key_id: String,
    pub replaced_at: String,
}

/// An envelope as read from disk, not yet opened.
#[derive(Debug, Clone)]
pub struct EnvelopeFile {
    pub header: EnvelopeHeader,
    header_bytes: Vec<u8>,
    sealed: Sealed,
}

/// What the envelope seals.
#[derive(Serialize, Deserialize)]
pub(crate) struct Secrets {
    pub db_key: String,
    pub named: BTreeMap<String, String>,
}

impl Drop for Secrets {
    fn drop(&mut self) {
        self.db_key.zeroize();
        for v in self.named.values_mut() {
            v.zeroize();
        }
    }
}

/// `<database>.recovery`.
pub fn path_for(db: &Path) -> PathBuf {
    crate::files::with_suffix(db, ".recovery")
}

fn damaged(path: &Path) -> CoreError {
    CoreError::Recovery {
        code: "envelope_damaged",
        message: format!("恢复信息文件 {} 已损坏或被改动，无法使用。请改为从备份文件或省级平台恢复。", path.display()),
    }
}

/// Reads an envelope without opening it.
pub fn read(path: &Path) -> Result<EnvelopeFile> {
    let meta = std::fs::metadata(path).map_err(|_| CoreError::Recovery {
        code: "envelope_missing",
        message: format!(
            "没有找到恢复信息文件 {}（它应与数据库在同一文件夹）。请改为从备份文件或省级平台恢复。",
            path.display()
        ),
    })?;
    if meta.len() > MAX_LEN {
        return Err(damaged(path));
    }
    let bytes = std::fs::read(path)?;
    let rest = bytes.strip_prefix(MAGIC.as_slice()).ok_or_else(|| damaged(path))?;
    let (header_bytes, sealed): (serde_bytes_wrapper::Bytes, Sealed) =
        crate::encoding::from_cbor(rest).map_err(|_| damaged(path))?;
    let header: EnvelopeHeader = crate::encoding::from_cbor(&header_bytes.0).map_err(|_| damaged(path))?;
    Ok(EnvelopeFile { header, header_bytes: header_bytes.0, sealed })
}

/// An envelope written beside its final place, put there by [`Staged::commit`]; dropped
/// uncommitted, it is removed.
#[derive(Debug)]
pub struct Staged {
    tmp: PathBuf,
    target: PathBuf,
    done: bool,
}

impl Staged {
    pub fn commit(mut self) -> Result<()> {
        std::fs::rename(&self.tmp, &self.target)?;
        if let Some(dir) = self.target.parent() {
            super::sync_dir(dir);
        }
        self.done = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Seals the store's keys to `public` into a staged envelope.
/// `just_replaced` names a key being replaced in the same step (its event is not written yet).
pub(crate) fn stage(
    store: &Store,
    keys: &KeySource,
    public: &RecoveryPublicKey,
    just_replaced: Option<&str>,
) -> Result<Staged> {
    let db_key = keys.load(store.path())?;
    let mut named = BTreeMap::new();
    for name in CARRIED_SECRETS {
        if let Some(value) = keys.load_secret(store.path(), name)? {
            named.insert((*name).to_owned(), value.to_string());
        }
    }
    stage_with(store, &db_key, named, public, just_replaced)
}

/// Seals the given keys for the store's database to `public`.
pub(crate) fn stage_with(
    store: &Store,
    db_key: &DbKey,
    named: BTreeMap<String, String>,
    public: &RecoveryPublicKey,
    just_replaced: Option<&str>,
) -> Result<Staged> {
    let office = crate::accounts::home_office(store)?;
    let mut replaced: Vec<ReplacedKey> = super::replaced_keys(store.conn())?
        .into_iter()
        .map(|(key_id, replaced_at)| ReplacedKey { key_id, replaced_at })
        .collect();
    if let Some(key_id) = just_replaced {
        replaced.push(ReplacedKey { key_id: key_id.to_owned(), replaced_at: store.clock().now().to_rfc3339() });
    }
    let header = EnvelopeHeader {
        version: 1,
        office_code: store.office()?,
        office_name: office.map(|o| o.name).unwrap_or_default(),
        device_id: store.device_id().to_owned(),
        db_file: store.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        written_at_ms: store.clock().now().timestamp_millis(),
        key_id: public.key_id(),
        replaced,
    };
    let header_bytes = crate::encoding::to_canonical_cbor(&header)?;
    let secrets = Secrets { db_key: db_key.to_hex().to_string(), named };
    let plain = zeroize::Zeroizing::new(crate::encoding::to_canonical_cbor(&secrets)?);
    let sealed = seal::seal(public, CONTEXT, &header_bytes, &plain)?;
    let mut out = MAGIC.to_vec();
    out.extend(crate::encoding::to_canonical_cbor(&(serde_bytes_wrapper::Bytes(header_bytes), sealed))?);
    let target = path_for(store.path());
    let mut tmp = target.clone().into_os_string();
    tmp.push(format!(".{}.tmp", uuid::Uuid::now_v7()));
    let tmp = PathBuf::from(tmp);
    let mut file = super::create_private(&tmp)?;
    let staged = Staged { tmp, target, done: false };
    file.write_all(&out)?;
    file.sync_all()?;
    Ok(staged)
}

/// Seals the store's current keys to the office's current recovery key again (after
/// enrollment made a signing key, after a restore, before each backup). Does nothing when the
/// office has no recovery code yet.
pub fn refresh(store: &Store, keys: &KeySource) -> Result<bool> {
    match super::current_key(store.conn())? {
        Some(current) => {
            stage(store, keys, &current.public, None)?.commit()?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// What an unlock restored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnlockReport {
    pub office_code: String,
    pub office_name: String,
    pub device_id: String,
    pub db: String,
    /// Where the database key now is.
    pub key_store: String,
    /// The other secrets put back (`signing`).
    pub secrets: Vec<String>,
}

/// Refuses a code that is not the one `sealed_to` names: a replaced code by name and date,
/// another code as wrong. `whose` says what the code was tried on, for the message.
pub(crate) fn check_code(
    code: &RecoveryCode,
    sealed_to: &str,
    replaced: &[ReplacedKey],
    whose: &str,
) -> Result<super::seal::RecoveryKeyPair> {
    let pair = code.key_pair();
    if pair.key_id() == sealed_to {
        return Ok(pair);
    }
    if let Some(r) = replaced.iter().find(|r| r.key_id == pair.key_id()) {
        return Err(CoreError::Recovery {
            code: "recovery_code_replaced",
            message: format!(
                "这是已于 {} 更换作废的旧恢复码，不能再使用。请使用更换后的新恢复码（保险柜中日期较新的恢复页）。",
                crate::clock::display_stored(&r.replaced_at)
            ),
        });
    }
    Err(CoreError::Recovery {
        code: "recovery_code_wrong",
        message: format!(
            "恢复码不对：输入的恢复码格式无误，但不是{whose}的恢复码。请确认使用的是本机关保险柜中的恢复页；如有几份，请用日期最新的一份。"
        ),
    })
}

/// Opens the envelope beside `db` with `code`, checks that the key it holds opens the database,
/// and puts the database key and the device's signing key into `keys`. Nothing is changed
/// unless every check passes.
pub fn unlock(db: &Path, keys: &KeySource, code: &RecoveryCode) -> Result<UnlockReport> {
    let db = std::path::absolute(db)?;
    if !db.exists() {
        return Err(CoreError::DatabaseMissing { path: db.display().to_string() });
    }
    let path = path_for(&db);
    let file = read(&path)?;
    let whose = format!("本机数据库（{}）", file.header.office_name);
    let pair = check_code(code, &file.header.key_id, &file.header.replaced, &whose)?;
    let plain = seal::open(&pair, &file.sealed, CONTEXT, &file.header_bytes).map_err(|e| match e {
        OpenError::OtherKey | OpenError::Damaged => damaged(&path),
    })?;
    let secrets: Secrets = crate::encoding::from_cbor(&plain).map_err(|_| damaged(&path))?;
    let key = DbKey::from_hex(&secrets.db_key).map_err(|_| damaged(&path))?;
    let store = Store::open_with_key(&db, &key, false).map_err(|e| match e {
        CoreError::WrongKeyOrCorrupt { .. } => CoreError::Recovery {
            code: "envelope_mismatch",
            message: format!(
                "恢复信息文件与数据库 {} 对不上（数据库可能被替换或已损坏）。请改为从备份文件恢复。",
                db.display()
            ),
        },
        other => other,
    })?;
    if store.office_code() != Some(file.header.office_code.as_str()) {
        return Err(CoreError::Recovery {
            code: "envelope_mismatch",
            message: "恢复信息文件属于另一个机关的数据库，不能用来打开这个数据库。".into(),
        });
    }
    drop(store);
    keys.install_key(&db, &key)?;
    let mut restored = Vec::new();
    for (name, value) in &secrets.named {
        keys.install_secret(&db, name, value)?;
        restored.push(name.clone());
    }
    Ok(UnlockReport {
        office_code: file.header.office_code.clone(),
        office_name: file.header.office_name.clone(),
        device_id: file.header.device_id.clone(),
        db: db.display().to_string(),
        key_store: keys.describe(),
        secrets: restored,
    })
}

/// A byte string inside CBOR (the header is embedded as its exact bytes, the sealed part's
/// authenticated data).
pub(crate) mod serde_bytes_wrapper {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Debug, Clone)]
    pub struct Bytes(pub Vec<u8>);

    impl Serialize for Bytes {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(&self.0)
        }
    }

    impl<'de> Deserialize<'de> for Bytes {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            qingfeng_seal::serde_bytes::deserialize(d).map(Bytes)
        }
    }
}
