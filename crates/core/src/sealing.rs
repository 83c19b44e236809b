//! The reporter's identity sealed end to end (issue #14): what DOMAIN.md §2 keeps from ordinary
//! records leaves this office only encrypted to the offices entitled to read it.
//!
//! Every office holds one sealing key pair per suite (`qingfeng_seal`). The secret halves live in
//! `sealing_secrets`, inside the encrypted database and nowhere else; the public halves are
//! published in the log as `office.sealing_keys` on the office's own chain, and the hub
//! re-publishes each office's keys on its chain for every office, so whoever seals finds them in
//! the `sealing_keys` projection.
//!
//! A complaint's reporter (name, unit, contact, address) is sealed at registration to the owning
//! office and the offices above it whose keys are known (`complaint.registered` carries
//! `sealed_identity` and no plaintext reporter); attachment file names likewise. The projector
//! opens what it can with this replica's keys and fills the same columns as before, so every
//! screen, mask and logged reading works unchanged; what it cannot open stays empty and marked
//! `identity_sealed`. A hand-over re-seals to the receiving office and the offices above it
//! (`complaint.identity_sealed`, just before the step that hands it over), and is refused while
//! the receiving office has published no key. When keys of an office above arrive later,
//! [`catch_up`] seals what this office owns to it too. Old logs whose payloads carry the
//! reporter in plaintext replay as they always did.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use qingfeng_seal::{Recipient, SealPublicKey, SealSecretKey, SealedBox, SealingKeysPublished, Suite};

use crate::authz::{Action, Actor, ComplaintAct};
use crate::complaints::Reporter;
use crate::error::{CoreError, Result};
use crate::events::{Event, NewEvent};
use crate::ownership::HUB_OFFICE;
use crate::projector::{OwnershipOffered, kind};
use crate::store::{Decision, Store};

/// The setting that makes this office seal with SM2 and SM4 rather than X25519 and AES-GCM.
pub const SETTING_SM: &str = "sealing.sm2";

/// What is sealed of a complaint's reporter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedIdentity {
    pub reporter: Reporter,
}

/// An attachment's file name, sealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedName {
    pub sha256: String,
    pub name: Vec<SealedBox>,
}

/// Payload of `complaint.identity_sealed`: what was already sealed for a complaint, sealed again
/// to offices it was not yet sealed to (a hand-over, or keys of an office above that arrived).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdentitySealed {
    pub complaint_id: String,
    /// The offices this re-sealing adds.
    pub to_offices: Vec<String>,
    #[serde(default)]
    pub identity: Vec<SealedBox>,
    #[serde(default)]
    pub attachments: Vec<SealedName>,
}

/// What a complaint's sealed identity is bound to: a box copied into another record does not open.
pub fn identity_binding(complaint_id: &str) -> String {
    format!("complaint:{complaint_id}#identity")
}

/// What an attachment's sealed name is bound to.
pub fn attachment_binding(complaint_id: &str, sha256: &str) -> String {
    format!("complaint:{complaint_id}#attachment:{sha256}")
}

fn seal_err(e: qingfeng_seal::SealError) -> CoreError {
    match e {
        qingfeng_seal::SealError::NoRecipient(m) | qingfeng_seal::SealError::NotForUs(m) => CoreError::Invalid(m),
        other => CoreError::Invalid(other.to_string()),
    }
}

// ---- this office's keys ----

/// Makes this office's key pairs (one per suite), keeps the secrets in `sealing_secrets`, and
/// returns the `office.sealing_keys` event that publishes the public keys.
pub(crate) fn new_office_keys(tx: &Transaction<'_>, office: &str, now: &str) -> Result<NewEvent> {
    let mut published = Vec::new();
    for suite in Suite::ALL {
        let key = SealSecretKey::generate(suite);
        let public = key.public_key().clone();
        tx.prepare_cached(
            "INSERT INTO sealing_secrets (key_id, office_code, suite, public_key, secret_key, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            public.key_id(),
            office,
            suite.as_str(),
            public.bytes,
            key.to_bytes().as_slice(),
            now
        ])?;
        published.push(public);
    }
    Ok(NewEvent::new(
        kind::OFFICE_SEALING_KEYS,
        format!("office:{office}"),
        &SealingKeysPublished { office_code: office.to_owned(), keys: published },
    )?)
}

/// Gives an office set up before sealing existed its keys (once, at open).
pub(crate) fn ensure_own_keys(store: &mut Store) -> Result<()> {
    let Some(office) = store.office_code().map(str::to_owned) else {
        return Ok(());
    };
    let held: i64 =
        store
            .conn()
            .query_row("SELECT count(*) FROM sealing_secrets WHERE office_code = ?1", [&office], |r| r.get(0))?;
    if held > 0 {
        return Ok(());
    }
    store.execute(&Actor::System, Action::SealingKeys { office: office.clone() }, |tx, ctx| {
        Ok(Decision::events(vec![new_office_keys(tx, &office, &ctx.now.to_rfc3339())?]))
    })?;
    Ok(())
}

fn secret_from_row(suite: &str, secret: &[u8]) -> Result<SealSecretKey> {
    let suite: Suite = suite.parse().map_err(seal_err)?;
    SealSecretKey::from_bytes(suite, secret).map_err(seal_err)
}

/// This office's secret sealing keys: to open return bundles, and for a restore to carry them to
/// a new device. They come out of the encrypted database only into memory.
pub fn secret_keys(store: &Store) -> Result<Vec<SealSecretKey>> {
    secret_keys_in(store.conn())
}

/// The same, inside a transaction (the recovery escrow is written in the step that needs it).
pub(crate) fn secret_keys_in(conn: &Connection) -> Result<Vec<SealSecretKey>> {
    let mut stmt = conn.prepare("SELECT suite, secret_key FROM sealing_secrets ORDER BY created_at, key_id")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (suite, secret) = row?;
        out.push(secret_from_row(&suite, &zeroize::Zeroizing::new(secret))?);
    }
    Ok(out)
}

/// Adds secret keys restored from elsewhere (a backup or the recovery path) for `office`, keeping
/// any already held. Returns how many were new.
pub fn install_secret_keys(store: &mut Store, office: &str, keys: &[SealSecretKey]) -> Result<usize> {
    let now = store.clock().now().to_rfc3339();
    let tx = store.conn_mut().transaction()?;
    let mut added = 0;
    for key in keys {
        let public = key.public_key();
        added += tx.execute(
            "INSERT OR IGNORE INTO sealing_secrets (key_id, office_code, suite, public_key, secret_key, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![public.key_id(), office, key.suite().as_str(), public.bytes, key.to_bytes().as_slice(), now],
        )?;
    }
    tx.commit()?;
    Ok(added)
}

fn secret_by_id(conn: &Connection, key_id: &str) -> Result<Option<SealSecretKey>> {
    let row: Option<(String, Vec<u8>)> = conn
        .prepare_cached("SELECT suite, secret_key FROM sealing_secrets WHERE key_id = ?1")?
        .query_row([key_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    row.map(|(suite, secret)| secret_from_row(&suite, &zeroize::Zeroizing::new(secret))).transpose()
}

// ---- offices' published keys ----

/// The public keys an office has published, as this replica knows them.
pub fn published_keys(conn: &Connection, office: &str) -> Result<Vec<SealPublicKey>> {
    let mut stmt = conn.prepare_cached(
        "SELECT suite, public_key FROM sealing_keys WHERE office_code = ?1 ORDER BY published_at, key_id",
    )?;
    let rows = stmt.query_map([office], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (suite, bytes) = row?;
        let Ok(suite) = suite.parse::<Suite>() else { continue };
        out.push(SealPublicKey { suite, bytes });
    }
    Ok(out)
}

/// This office's own published keys, as its enrollment request carries them to the hub.
pub fn own_published_keys(store: &Store) -> Result<SealingKeysPublished> {
    let office = store.office()?;
    let keys = published_keys(store.conn(), &office)?;
    if keys.is_empty() {
        return Err(CoreError::invalid("本机关尚未生成身份加密密钥，请重新打开程序后再登记。"));
    }
    Ok(SealingKeysPublished { office_code: office, keys })
}

/// The public keys every office has published, by office (for the hub's return bundles and for
/// screens that say which offices can read what).
pub fn offices_with_keys(store: &Store) -> Result<Vec<String>> {
    let mut stmt = store.conn().prepare("SELECT DISTINCT office_code FROM sealing_keys ORDER BY office_code")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// `office` and the offices above it, nearest first, as far as the directory here knows them.
pub(crate) fn route(conn: &Connection, office: &str) -> Result<Vec<String>> {
    let mut out = vec![office.to_owned()];
    let mut next = office.to_owned();
    while out.len() < 16 {
        let parent: Option<String> = conn
            .prepare_cached("SELECT parent_code FROM offices WHERE code = ?1")?
            .query_row([&next], |r| r.get(0))
            .optional()?
            .flatten();
        match parent {
            Some(p) if !out.contains(&p) => {
                out.push(p.clone());
                next = p;
            }
            _ => break,
        }
    }
    Ok(out)
}

fn preferred_suite(conn: &Connection) -> Result<Suite> {
    Ok(if crate::settings::get(conn, SETTING_SM)? == 1 { Suite::Sm2Sm4 } else { Suite::X25519Aes256Gcm })
}

/// Recipients for `offices`: each office's keys of this office's preferred suite, or of the
/// other suite when it published none of that. Offices without any published key come back apart.
pub(crate) fn recipients(conn: &Connection, offices: &[String]) -> Result<(Vec<Recipient>, Vec<String>)> {
    let preferred = preferred_suite(conn)?;
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for office in offices {
        let keys = published_keys(conn, office)?;
        let suite = if keys.iter().any(|k| k.suite == preferred) {
            preferred
        } else if let Some(k) = keys.first() {
            k.suite
        } else {
            missing.push(office.clone());
            continue;
        };
        found
            .extend(keys.into_iter().filter(|k| k.suite == suite).map(|key| Recipient { office: office.clone(), key }));
    }
    Ok((found, missing))
}

/// Seals `value` (canonical CBOR) to the offices in `offices` that have keys, bound to `binding`.
/// Returns the boxes and the offices that could not be sealed to. Refuses when none has a key.
pub(crate) fn seal_value<T: Serialize>(
    conn: &Connection,
    value: &T,
    offices: &[String],
    binding: &str,
) -> Result<(Vec<SealedBox>, Vec<String>)> {
    let (to, missing) = recipients(conn, offices)?;
    let plain = zeroize::Zeroizing::new(crate::encoding::to_canonical_cbor(value)?);
    let boxes = qingfeng_seal::seal(&plain, &to, binding).map_err(seal_err)?;
    Ok((boxes, missing))
}

/// Opens `boxes` with this replica's keys. `None` when none of its keys is a recipient, or when a
/// box that names one does not authenticate: the projector then records the value as unreadable
/// here rather than refusing the whole log.
pub(crate) fn open_value<T: DeserializeOwned>(
    conn: &Connection,
    boxes: &[SealedBox],
    binding: &str,
) -> Result<Option<T>> {
    let mut keys = Vec::new();
    for b in boxes {
        for w in &b.recipients {
            if let Some(k) = secret_by_id(conn, &w.key_id)? {
                keys.push(k);
            }
        }
    }
    if keys.is_empty() {
        return Ok(None);
    }
    match qingfeng_seal::open(boxes, &keys, binding) {
        Ok(Some(plain)) => Ok(crate::encoding::from_cbor(&plain).ok()),
        _ => Ok(None),
    }
}

// ---- the projector's part ----

/// Projects `office.sealing_keys`: an office's own publication, or any office's as the hub
/// re-published it. A publication by one office of another office's keys is ignored.
pub(crate) fn project_keys(tx: &Transaction<'_>, event: &Event, at: &str) -> Result<()> {
    let p: SealingKeysPublished = event.payload()?;
    if event.origin_office != HUB_OFFICE && event.origin_office != p.office_code {
        return Ok(());
    }
    for key in &p.keys {
        if key.validate().is_err() {
            continue;
        }
        tx.prepare_cached(
            "INSERT OR IGNORE INTO sealing_keys (office_code, key_id, suite, public_key, published_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![p.office_code, key.key_id(), key.suite.as_str(), key.bytes, at])?;
    }
    Ok(())
}

/// Records the offices `boxes` are sealed to.
pub(crate) fn note_recipients(tx: &Transaction<'_>, aggregate: &str, boxes: &[SealedBox]) -> Result<()> {
    for office in boxes.iter().flat_map(|b| b.offices()) {
        tx.prepare_cached("INSERT OR IGNORE INTO sealed_recipients (aggregate, office_code) VALUES (?1, ?2)")?
            .execute(params![aggregate, office])?;
    }
    Ok(())
}

/// Projects `complaint.identity_sealed`: notes the new recipients and, where this replica could
/// not read the identity or a file name before and can now, fills them in.
pub(crate) fn project_identity_sealed(tx: &Transaction<'_>, event: &Event) -> Result<()> {
    let p: IdentitySealed = event.payload()?;
    note_recipients(tx, &event.aggregate, &p.identity)?;
    for a in &p.attachments {
        note_recipients(tx, &event.aggregate, &a.name)?;
    }
    let unreadable: Option<bool> = tx
        .prepare_cached("SELECT identity_sealed FROM complaints WHERE id = ?1")?
        .query_row([&p.complaint_id], |r| r.get(0))
        .optional()?;
    if unreadable == Some(true)
        && let Some(identity) = open_value::<SealedIdentity>(tx, &p.identity, &identity_binding(&p.complaint_id))?
    {
        let r = identity.reporter;
        tx.prepare_cached(
            "UPDATE complaints SET reporter_name = ?2, reporter_unit = ?3, reporter_contact = ?4,
                reporter_address = ?5, identity_sealed = 0 WHERE id = ?1",
        )?
        .execute(params![p.complaint_id, r.name, r.unit, r.contact, r.address])?;
    }
    for a in &p.attachments {
        let sealed: Option<bool> = tx
            .prepare_cached("SELECT name_sealed FROM complaint_attachments WHERE complaint_id = ?1 AND sha256 = ?2")?
            .query_row([&p.complaint_id, &a.sha256], |r| r.get(0))
            .optional()?;
        if sealed == Some(true)
            && let Some(name) = open_value::<String>(tx, &a.name, &attachment_binding(&p.complaint_id, &a.sha256))?
        {
            tx.prepare_cached(
                "UPDATE complaint_attachments SET name = ?3, name_sealed = 0 WHERE complaint_id = ?1 AND sha256 = ?2",
            )?
            .execute(params![p.complaint_id, a.sha256, name])?;
        }
    }
    Ok(())
}

// ---- re-sealing ----

fn recipients_of(conn: &Connection, aggregate: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT office_code FROM sealed_recipients WHERE aggregate = ?1")?;
    let rows = stmt.query_map([aggregate], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What this replica can read of a complaint's sealed parts, or why it cannot hand them on.
struct Readable {
    identity: Option<SealedIdentity>,
    attachments: Vec<(String, String)>,
}

fn readable(conn: &Connection, complaint_id: &str) -> Result<Readable> {
    let (anonymous, unreadable, name, unit, contact, address): (
        bool,
        bool,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) = conn
        .query_row(
            "SELECT anonymous, identity_sealed, reporter_name, reporter_unit, reporter_contact, reporter_address
             FROM complaints WHERE id = ?1",
            [complaint_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "检举控告", id: complaint_id.to_owned() })?;
    if unreadable {
        return Err(CoreError::invalid(
            "本机关没有解开该件检举人身份的密钥，不能把它移交或转交其他机关。请先同步，取得交办机关重新加密给本机关的身份信息后再办理。",
        ));
    }
    let identity = (!anonymous).then(|| SealedIdentity {
        reporter: Reporter { name: name.unwrap_or_default(), unit, contact: contact.unwrap_or_default(), address },
    });
    let mut stmt = conn.prepare_cached(
        "SELECT sha256, name, name_sealed FROM complaint_attachments WHERE complaint_id = ?1 ORDER BY sha256",
    )?;
    let rows =
        stmt.query_map([complaint_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, bool>(2)?)))?;
    let mut attachments = Vec::new();
    for row in rows {
        let (sha, name, sealed) = row?;
        if sealed {
            return Err(CoreError::invalid(
                "本机关没有解开该件附件文件名的密钥，不能把它移交或转交其他机关。请先同步后再办理。",
            ));
        }
        attachments.push((sha, name));
    }
    Ok(Readable { identity, attachments })
}

/// The `complaint.identity_sealed` event that seals a complaint's identity and file names to
/// those of `offices` not yet among its recipients and holding keys, or None if nothing is to do.
/// Only complaints whose identity was sealed at registration (or which have sealed file names) take
/// part: an old complaint registered in plaintext has nothing left to protect in the log.
fn reseal_event(conn: &Connection, complaint_id: &str, offices: &[String]) -> Result<Option<NewEvent>> {
    let aggregate = format!("complaint:{complaint_id}");
    let have = recipients_of(conn, &aggregate)?;
    if have.is_empty() {
        return Ok(None);
    }
    let wanted: Vec<String> = offices.iter().filter(|o| !have.contains(o)).cloned().collect();
    let (to, _missing) = recipients(conn, &wanted)?;
    if to.is_empty() {
        return Ok(None);
    }
    let what = readable(conn, complaint_id)?;
    let mut identity = Vec::new();
    if let Some(id) = &what.identity {
        let plain = zeroize::Zeroizing::new(crate::encoding::to_canonical_cbor(id)?);
        identity = qingfeng_seal::seal(&plain, &to, &identity_binding(complaint_id)).map_err(seal_err)?;
    }
    let mut attachments = Vec::new();
    for (sha, name) in &what.attachments {
        let plain = zeroize::Zeroizing::new(crate::encoding::to_canonical_cbor(name)?);
        let boxes = qingfeng_seal::seal(&plain, &to, &attachment_binding(complaint_id, sha)).map_err(seal_err)?;
        attachments.push(SealedName { sha256: sha.clone(), name: boxes });
    }
    if identity.is_empty() && attachments.is_empty() {
        return Ok(None);
    }
    let mut to_offices: Vec<String> = to.iter().map(|r| r.office.clone()).collect();
    to_offices.dedup();
    Ok(Some(NewEvent::new(
        kind::COMPLAINT_IDENTITY_SEALED,
        aggregate,
        &IdentitySealed { complaint_id: complaint_id.to_owned(), to_offices, identity, attachments },
    )?))
}

/// How a hand-over goes ahead: the re-sealing to append before the step that hands the case
/// over, and after it the offer, or, while the receiving office has published no key, the held
/// hand-over that [`catch_up`] turns into the offer once the key arrives.
pub(crate) struct HandOver {
    pub reseal: Option<NewEvent>,
    pub offer: NewEvent,
}

/// Prepares handing a complaint to `offer.to_office`: re-sealing its reporter and file names to
/// that office and the offices above it. A reporter's identity is never handed to an office that
/// could not read it (nor, worse, sent in plaintext): while the receiving office has no key, the
/// hand-over is held (`complaint.handover_held`) and nothing leaves.
pub(crate) fn hand_over(tx: &Transaction<'_>, complaint_id: &str, offer: OwnershipOffered) -> Result<HandOver> {
    let aggregate = format!("complaint:{complaint_id}");
    if !recipients_of(tx, &aggregate)?.is_empty() && published_keys(tx, &offer.to_office)?.is_empty() {
        return Ok(HandOver { reseal: None, offer: NewEvent::new(kind::COMPLAINT_HANDOVER_HELD, aggregate, &offer)? });
    }
    let reseal = reseal_event(tx, complaint_id, &route(tx, &offer.to_office)?)?;
    Ok(HandOver { reseal, offer: NewEvent::new(kind::OWNERSHIP_OFFERED, aggregate, &offer)? })
}

/// Projects `complaint.handover_held`.
pub(crate) fn project_held(tx: &Transaction<'_>, event: &Event, at: &str) -> Result<()> {
    let p: OwnershipOffered = event.payload()?;
    tx.prepare_cached(
        "INSERT OR REPLACE INTO held_handovers (aggregate, to_office, reason, basis, held_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![event.aggregate, p.to_office, p.reason, p.basis, at])?;
    Ok(())
}

/// Hand-overs waiting for the receiving office's key, as the complaint page and the sync screen
/// name them: (complaint id, receiving office).
pub fn held_handovers(store: &Store) -> Result<Vec<(String, String)>> {
    let mut stmt = store
        .conn()
        .prepare("SELECT substr(aggregate, 11), to_office FROM held_handovers ORDER BY held_at, aggregate")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What [`catch_up`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CatchUp {
    /// Complaints sealed again to offices above this one whose keys arrived.
    pub resealed: usize,
    /// Held hand-overs released now that the receiving office has a key.
    pub released: usize,
}

/// Seals what this office owns to offices above it whose keys arrived since it was registered (a
/// county registers before its prefecture's keys reach it), and releases held hand-overs whose
/// receiving office has published a key. Run after each sync or bundle import.
pub fn catch_up(store: &mut Store) -> Result<CatchUp> {
    let Some(office) = store.office_code().map(str::to_owned) else {
        return Ok(CatchUp::default());
    };
    let conn = store.conn();
    let route = route(conn, &office)?;
    let with_keys: Vec<String> =
        route.iter().filter(|o| published_keys(conn, o).is_ok_and(|k| !k.is_empty())).cloned().collect();
    let mut stmt = conn.prepare(
        "SELECT c.id FROM complaints c WHERE c.owner_office = ?1 AND c.identity_sealed = 0
           AND EXISTS (SELECT 1 FROM sealed_recipients r WHERE r.aggregate = 'complaint:' || c.id)
         ORDER BY c.id",
    )?;
    let candidates: Vec<String> = stmt.query_map([&office], |r| r.get(0))?.collect::<Result<_, _>>()?;
    drop(stmt);
    let mut reseal = Vec::new();
    for id in candidates {
        let have = recipients_of(conn, &format!("complaint:{id}"))?;
        if with_keys.iter().any(|o| !have.contains(o)) {
            reseal.push(id);
        }
    }
    let mut stmt = conn.prepare(
        "SELECT h.aggregate, h.to_office, h.reason, h.basis FROM held_handovers h
         JOIN ownership o ON o.aggregate = h.aggregate AND o.owner_office = ?1
         WHERE EXISTS (SELECT 1 FROM sealing_keys k WHERE k.office_code = h.to_office) ORDER BY h.held_at",
    )?;
    let release: Vec<OwnershipOffered> = stmt
        .query_map([&office], |r| {
            Ok(OwnershipOffered { aggregate: r.get(0)?, to_office: r.get(1)?, reason: r.get(2)?, basis: r.get(3)? })
        })?
        .collect::<Result<_, _>>()?;
    drop(stmt);
    if reseal.is_empty() && release.is_empty() {
        return Ok(CatchUp::default());
    }
    let mut done = CatchUp::default();
    store.execute(
        &Actor::System,
        Action::Complaint { office: office.clone(), act: ComplaintAct::SealIdentity },
        |tx, _ctx| {
            let mut events = Vec::new();
            for id in &reseal {
                // A complaint this replica cannot read is left for the office that can.
                if let Ok(Some(e)) = reseal_event(tx, id, &with_keys) {
                    events.push(e);
                    done.resealed += 1;
                }
            }
            for offer in &release {
                let Some(id) = offer.aggregate.strip_prefix("complaint:") else { continue };
                let h = hand_over(tx, id, offer.clone())?;
                events.extend(h.reseal);
                events.push(h.offer);
                done.released += 1;
            }
            Ok(Decision::events(events))
        },
    )?;
    Ok(done)
}

/// Seals an attachment's file name to the offices the complaint is already sealed to and to this
/// office's route (`complaint.attachment_added` then carries no plaintext name).
pub(crate) fn seal_attachment_name(
    tx: &Transaction<'_>,
    complaint_id: &str,
    sha256: &str,
    name: &str,
) -> Result<Vec<SealedBox>> {
    let own: String = tx.query_row("SELECT value FROM meta WHERE key = 'office_code'", [], |r| r.get(0))?;
    let mut offices = route(tx, &own)?;
    for o in recipients_of(tx, &format!("complaint:{complaint_id}"))? {
        if !offices.contains(&o) {
            offices.push(o);
        }
    }
    let (boxes, _missing) = seal_value(tx, &name.to_owned(), &offices, &attachment_binding(complaint_id, sha256))?;
    Ok(boxes)
}
