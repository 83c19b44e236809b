//! The office's secret sealing keys escrowed to its recovery code, in its own log
//! (`recovery.sealing_escrow`, office-private).
//!
//! The secret halves of the office's sealing keys (`crate::sealing`) live only in the encrypted
//! database, and the hub never holds them. A backup carries them, but a machine restored from the
//! hub's copy of the log would have none and could read no reporter's identity the office ever
//! sealed. So the office seals those secret keys to the recovery code's public half and writes
//! the sealed value into its own log: the hub keeps it with the office's other office-private
//! events and cannot open it, and only the code in the office's safe can. A new sealing key or a
//! replaced recovery code writes a new escrow ([`ensure`] runs at every open and after a code is
//! made); a restore opens the latest one ([`open_latest`]).

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use qingfeng_seal::{SealSecretKey, Suite};

use super::envelope::{ReplacedKey, check_code};
use super::seal::{self, OpenError, RecoveryPublicKey, Sealed};
use super::{RecoveryCode, current_key, replaced_keys};
use crate::authz::{Action, Actor, RecoveryAct};
use crate::error::{CoreError, Result};
use crate::events::NewEvent;
use crate::store::{Decision, Store};

/// The event kind (its name lives in the log crate's catalogue).
pub use qingfeng_log::kind::RECOVERY_SEALING_ESCROW as KIND;

/// What the sealed keys are bound to, so an escrow can be opened as nothing else.
const CONTEXT: &str = "qingfeng/sealing-escrow/v1";

/// Payload of `recovery.sealing_escrow`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealingEscrow {
    pub office_code: String,
    /// The recovery key the keys are sealed to.
    pub recovery_key_id: String,
    /// The sealing keys inside, by their public ids: a key not among them makes a new escrow.
    pub sealing_key_ids: Vec<String>,
    pub sealed: Sealed,
}

/// One secret key as sealed (suite and raw bytes).
#[derive(Serialize, Deserialize)]
struct EscrowedKey {
    suite: String,
    #[serde(with = "qingfeng_seal::serde_bytes")]
    secret: Vec<u8>,
}

impl Drop for EscrowedKey {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.secret);
    }
}

/// The authenticated data: the office and the keys named in the clear are bound to what is sealed.
fn aad(office: &str, recovery_key_id: &str, ids: &[String]) -> Vec<u8> {
    format!("{office}\n{recovery_key_id}\n{}", ids.join(",")).into_bytes()
}

fn aggregate(office: &str) -> String {
    format!("office:{office}")
}

/// The escrow event sealing `office`'s secret sealing keys to `recovery`; none while the office
/// holds no secret key.
pub(crate) fn escrow_event(conn: &Connection, office: &str, recovery: &RecoveryPublicKey) -> Result<Option<NewEvent>> {
    let keys = crate::sealing::secret_keys_in(conn)?;
    if keys.is_empty() {
        return Ok(None);
    }
    let ids: Vec<String> = keys.iter().map(|k| k.public_key().key_id()).collect();
    let plain: Vec<EscrowedKey> = keys
        .iter()
        .map(|k| EscrowedKey { suite: k.suite().as_str().to_owned(), secret: k.to_bytes().to_vec() })
        .collect();
    let plain = Zeroizing::new(crate::encoding::to_canonical_cbor(&plain)?);
    let recovery_key_id = recovery.key_id();
    let sealed = seal::seal(recovery, CONTEXT, &aad(office, &recovery_key_id, &ids), &plain)?;
    let payload = SealingEscrow { office_code: office.to_owned(), recovery_key_id, sealing_key_ids: ids, sealed };
    Ok(Some(NewEvent::new(KIND, aggregate(office), &payload)?))
}

/// The latest escrow of `office` in this log, if any.
pub fn latest(store: &Store, office: &str) -> Result<Option<SealingEscrow>> {
    latest_in(store.conn(), office)
}

fn latest_in(conn: &Connection, office: &str) -> Result<Option<SealingEscrow>> {
    let bytes: Option<Vec<u8>> = conn
        .query_row(
            "SELECT payload FROM events WHERE kind = ?1 AND aggregate = ?2 ORDER BY hlc DESC, pos DESC LIMIT 1",
            [KIND, &aggregate(office)],
            |r| r.get(0),
        )
        .optional()?;
    bytes.map(|b| crate::encoding::from_cbor(&b).map_err(CoreError::from)).transpose()
}

/// Writes a new escrow when the office has a recovery code and its latest escrow is not sealed to
/// that code or lacks one of the office's secret keys (a first code, a replaced code, a new
/// sealing key, or an office whose code was made before escrows existed).
pub fn ensure(store: &mut Store) -> Result<bool> {
    let Some(office) = store.office_code().map(str::to_owned) else {
        return Ok(false);
    };
    let Some(current) = current_key(store.conn())? else {
        return Ok(false);
    };
    let held: Vec<String> =
        crate::sealing::secret_keys_in(store.conn())?.iter().map(|k| k.public_key().key_id()).collect();
    if held.is_empty() {
        return Ok(false);
    }
    let covered = latest_in(store.conn(), &office)?.is_some_and(|last| {
        last.recovery_key_id == current.public.key_id() && held.iter().all(|id| last.sealing_key_ids.contains(id))
    });
    if covered {
        return Ok(false);
    }
    let public = current.public;
    store.execute(
        &Actor::System,
        Action::Recovery { office: office.clone(), act: RecoveryAct::ManageKey },
        |tx, _| Ok(Decision::events(escrow_event(tx, &office, &public)?.into_iter().collect())),
    )?;
    Ok(true)
}

/// Opens the latest escrow of `office` with `code` and installs its keys into `store`; returns how
/// many keys were new. A wrong or replaced code is refused in Chinese before anything changes.
pub fn open_latest(store: &mut Store, office: &str, code: &RecoveryCode) -> Result<usize> {
    let Some(escrow) = latest_in(store.conn(), office)? else {
        return Ok(0);
    };
    let replaced: Vec<ReplacedKey> = replaced_keys(store.conn())?
        .into_iter()
        .map(|(key_id, replaced_at)| ReplacedKey { key_id, replaced_at })
        .collect();
    let pair = check_code(code, &escrow.recovery_key_id, &replaced, "本机关当前")?;
    let damaged = || {
        CoreError::Recovery {
        code: "sealing_escrow_damaged",
        message: "省级平台保存的本机关身份加密密钥托管记录已损坏，无法用恢复码打开。恢复已停止，本机没有任何改动；请改用“从备份恢复”，或联系技术支持。".into(),
    }
    };
    let plain = seal::open(
        &pair,
        &escrow.sealed,
        CONTEXT,
        &aad(&escrow.office_code, &escrow.recovery_key_id, &escrow.sealing_key_ids),
    )
    .map_err(|e: OpenError| match e {
        OpenError::OtherKey | OpenError::Damaged => damaged(),
    })?;
    if escrow.office_code != office {
        return Err(damaged());
    }
    let escrowed: Vec<EscrowedKey> = crate::encoding::from_cbor(&plain).map_err(|_| damaged())?;
    let mut keys = Vec::with_capacity(escrowed.len());
    for k in &escrowed {
        let suite: Suite = k.suite.parse().map_err(|_| damaged())?;
        keys.push(SealSecretKey::from_bytes(suite, &k.secret).map_err(|_| damaged())?);
    }
    crate::sealing::install_secret_keys(store, office, &keys)
}
