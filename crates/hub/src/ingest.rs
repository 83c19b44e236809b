//! Applying one verified change set inside one storage transaction: chain continuity, authority,
//! ownership changes and routing into the offices' feeds.
//!
//! The caller has already found the device, checked that it is not revoked and checked the
//! signature. What is left depends only on what the hub holds, so it runs over [`HubTx`] and is
//! the same whatever database sits underneath.
//!
//! An authority failure is raised as `HubError::Refused` so that the storage transaction rolls
//! back whatever the set had written so far; the caller then records the set as refused in a
//! second transaction (see [`apply`] with `refuse`).

use std::collections::HashMap;

use qingfeng_log::event::{Event, GENESIS, NewEvent};
use qingfeng_log::kind;
use qingfeng_log::payload::{OfficeCreated, OwnershipChanged, OwnershipDeclined, OwnershipOffered};
use qingfeng_log::route::{self, Handover, RouteOffice};
use qingfeng_seal::{SealPublicKey, SealingKeysPublished};
use qingfeng_sync::ChangeSet;

use crate::chain;
use crate::error::{HubError, Result};
use crate::storage::{Aggregate, Device, EventStatus, Head, HubTx, Office};

/// How the chain of an incoming set relates to what the hub holds of its device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ChainCheck {
    /// The events from this index on are new; those before it are held already, identically.
    New(usize),
    /// Every event is held already, identically.
    AlreadyHeld,
    /// The set starts after `head + 1`: its prerequisite has not arrived.
    Gap { head: u64 },
    /// The set follows the head by seq but its `prev_hash` is not the head's hash.
    BrokenChain { head: u64 },
    /// The hub holds another event at `seq`.
    Equivocation { seq: u64, held: [u8; 32], got: [u8; 32] },
}

/// Compares an incoming set with the hub's copy of its device's chain.
pub(crate) fn check_chain(tx: &mut dyn HubTx, set: &ChangeSet) -> Result<ChainCheck> {
    let head = tx.head(set.origin_device())?.unwrap_or(Head { seq: 0, hash: GENESIS, hlc: 0 });
    let (first, last) = (set.first_seq(), set.last_seq());
    if first > head.seq + 1 {
        return Ok(ChainCheck::Gap { head: head.seq });
    }
    if first == head.seq + 1 {
        return Ok(if *set.prev_hash() == head.hash {
            ChainCheck::New(0)
        } else {
            ChainCheck::BrokenChain { head: head.seq }
        });
    }
    // The set overlaps what the hub holds. Hashes chain, so the overlap is identical exactly when
    // its last event is; only when it is not do we look for the first event that differs.
    let overlap_end = last.min(head.seq);
    let got = set.events()[(overlap_end - first) as usize].hash;
    let held = tx.event_hash(set.origin_device(), overlap_end)?.unwrap_or(GENESIS);
    if held != got {
        for e in set.events().iter().take_while(|e| e.seq <= overlap_end) {
            let held = tx.event_hash(set.origin_device(), e.seq)?.unwrap_or(GENESIS);
            if held != e.hash {
                return Ok(ChainCheck::Equivocation { seq: e.seq, held, got: e.hash });
            }
        }
        return Ok(ChainCheck::Equivocation { seq: overlap_end, held, got });
    }
    if last <= head.seq { Ok(ChainCheck::AlreadyHeld) } else { Ok(ChainCheck::New((head.seq + 1 - first) as usize)) }
}

/// What applying a set did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Applied {
    /// New events were appended (and routed unless refused); `head` is the device's new head.
    Appended { new_events: usize, head: u64 },
    /// Nothing new: every event was held already.
    AlreadyHeld,
    /// Not applied; see [`ChainCheck`].
    Chain(ChainCheck),
}

/// Context of one application.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx<'a> {
    pub hub_device: &'a str,
    pub now_ms: i64,
}

/// Applies `set` from `device`. With `refuse` set, the new events are stored as refused (kept in
/// the chain, routed nowhere) instead of being checked and routed.
pub(crate) fn apply(
    tx: &mut dyn HubTx,
    ctx: Ctx<'_>,
    set: &ChangeSet,
    device: &Device,
    refuse: bool,
) -> Result<Applied> {
    let start = match check_chain(tx, set)? {
        ChainCheck::New(start) => start,
        ChainCheck::AlreadyHeld => return Ok(Applied::AlreadyHeld),
        other => return Ok(Applied::Chain(other)),
    };
    let new = &set.events()[start..];
    if refuse {
        tx.insert_events(&new.iter().collect::<Vec<_>>(), EventStatus::Refused, ctx.now_ms)?;
    } else {
        if set.origin_office() != device.office_code {
            return Err(HubError::Refused(format!(
                "设备 {} 属于机关 {}，不能以机关 {} 的名义提交事件",
                device.device_id,
                device.office_code,
                set.origin_office()
            )));
        }
        let mut router = Router::default();
        // Every aggregate the set writes, read (and, on a store with many writers, locked) in
        // one statement before any is looked at.
        let owned: Vec<String> = new
            .iter()
            .filter(|e| scope_of(&e.kind, &e.aggregate) == Scope::Owned)
            .map(|e| e.aggregate.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        router.preload(tx, owned)?;
        for e in new {
            router.accept(tx, ctx, e)?;
        }
        // The head is written before the feeds are appended to, so that the feed locks (shared
        // with every other writer) are held for as little as possible.
        let Some(head) = set_head(tx, device, new)? else {
            return Ok(Applied::AlreadyHeld);
        };
        router.flush(tx, ctx)?;
        return Ok(Applied::Appended { new_events: new.len(), head });
    }
    let Some(last) = set_head(tx, device, new)? else {
        return Ok(Applied::AlreadyHeld);
    };
    Ok(Applied::Appended { new_events: new.len(), head: last })
}

/// Writes the device's head after `new`; returns its seq, or `None` if `new` is empty.
fn set_head(tx: &mut dyn HubTx, device: &Device, new: &[Event]) -> Result<Option<u64>> {
    let Some(last) = new.last() else {
        return Ok(None);
    };
    tx.set_head(&device.device_id, &device.office_code, &Head { seq: last.seq, hash: last.hash, hlc: last.hlc })?;
    Ok(Some(last.seq))
}

/// Where events go and which rules they follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Accounts, sessions, settings, the office's own directory entry and local calendar imports:
    /// they belong to the origin office alone (its other devices) and take no part in ownership.
    Office,
    /// Aggregates without an owner (`quarterly:…`, …): the origin office and the offices above it.
    Jurisdiction,
    /// Workflow aggregates (`complaint:`, `penalty:`, `checklist:`): their owners, former owners
    /// and the offices above any of them, under the ownership rules.
    Owned,
    /// Officers' names (`officer.named`): every office, so wherever a case goes its timeline can
    /// say who took each step.
    Province,
}

/// The scope of an event of `kind` on `aggregate`.
pub fn scope_of(event_kind: &str, aggregate: &str) -> Scope {
    if kind::is_office_private(event_kind)
        || event_kind == kind::OFFICE_CREATED
        || event_kind == kind::CALENDAR_UPDATED
        || aggregate.starts_with("office:")
    {
        Scope::Office
    } else if kind::is_province_wide(event_kind) {
        Scope::Province
    } else if kind::is_workflow_aggregate(aggregate) {
        Scope::Owned
    } else {
        Scope::Jurisdiction
    }
}

/// The directory entry the route rule reads.
fn route_office(o: &Office) -> RouteOffice {
    RouteOffice {
        code: o.code.clone(),
        name: o.name.clone(),
        level: o.level,
        unit: o.unit,
        parent: o.parent_code.clone(),
    }
}

/// Checks an offer by `owner` to `to` under the route rule every office applies before recording
/// a hand-over (`qingfeng_log::route`), by the kind its reason names. `known` holds the directory
/// entries the rule may read: both offices, their ancestors and the owner's parent. An offer whose
/// reason names no kind (none is written so today) may go one way or the other, up or down.
pub fn route_offer(reason: &str, owner: &str, to: &str, known: &[Office]) -> std::result::Result<(), String> {
    let entries: Vec<RouteOffice> = known.iter().map(route_office).collect();
    let lookup = |c: &str| entries.iter().find(|o| o.code == c).cloned();
    let kinds: Vec<Handover> = match Handover::from_offer_reason(reason) {
        Some(kind) => vec![kind],
        None => vec![Handover::ReportUpward, Handover::TransferDownward],
    };
    let mut refusal = String::new();
    for kind in kinds {
        match route::check(kind, owner, to, &lookup) {
            Ok(_) => return Ok(()),
            Err(e) => refusal = e.to_string(),
        }
    }
    Err(refusal)
}

/// The ancestors of `code`, nearest first.
pub(crate) fn ancestors(tx: &mut dyn HubTx, code: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut next = tx.office(code)?.and_then(|o| o.parent_code);
    while let Some(parent) = next {
        // A cycle cannot be built through `office add` (a parent must exist first); the bound
        // keeps an edited file from looping forever.
        if out.contains(&parent) || out.len() > 16 {
            break;
        }
        next = tx.office(&parent)?.and_then(|o| o.parent_code);
        out.push(parent);
    }
    Ok(out)
}

/// What the hub does with an owner's offer.
enum Offer {
    /// The route rule allows it: order the change, with the target's ancestors.
    Route(OwnershipOffered, Vec<String>),
    /// The route rule refuses it: tell the owner why (`ownership.declined`).
    Decline(OwnershipOffered, String),
}

/// Where an event sits in the hub: stored at a position, or the index of an accepted event the
/// router holds back to store with the rest of its set in one statement.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Stored(i64),
    Pending(usize),
}

/// Checks, stores and routes the events of one set. The set's events are stored together, feed
/// appends are batched per office, and aggregates and ancestors are cached, so that a set of
/// thousands of events costs a few statements, not a few per event (a database server answers
/// each statement over the network).
#[derive(Default)]
struct Router<'e> {
    aggregates: HashMap<String, Aggregate>,
    /// Aggregate ids read up front, present or not: no need to ask the store again.
    preloaded: std::collections::HashSet<String>,
    ancestors: HashMap<String, Vec<String>>,
    /// Feed appends per office, in event order.
    routes: HashMap<String, Vec<Slot>>,
    /// Accepted events not stored yet, in order, and the positions of those stored since.
    pending: Vec<&'e Event>,
    stored: Vec<i64>,
    /// Every office's code, read once per change set for the province-wide kinds.
    all_offices: Option<Vec<String>>,
}

impl<'e> Router<'e> {
    fn route(&mut self, office: &str, slot: Slot) {
        match self.routes.get_mut(office) {
            Some(list) => list.push(slot),
            None => {
                self.routes.insert(office.to_owned(), vec![slot]);
            }
        }
    }

    fn preload(&mut self, tx: &mut dyn HubTx, ids: Vec<String>) -> Result<()> {
        for a in tx.aggregates(&ids)? {
            self.aggregates.insert(a.id.clone(), a);
        }
        self.preloaded.extend(ids);
        Ok(())
    }

    /// Holds an accepted event back to be stored with the rest of its set.
    fn stage(&mut self, e: &'e Event) -> Slot {
        self.pending.push(e);
        Slot::Pending(self.pending.len() - 1)
    }

    /// Stores the events held back so far (before anything reads the events table or appends
    /// after them); a reused event id refuses the set.
    fn store_pending(&mut self, tx: &mut dyn HubTx, ctx: Ctx<'_>) -> Result<()> {
        let batch = &self.pending[self.stored.len()..];
        if batch.is_empty() {
            return Ok(());
        }
        match tx.insert_events(batch, EventStatus::Accepted, ctx.now_ms) {
            Ok(positions) => {
                // The blobs each event names are recorded in the same transaction, so who may
                // send or fetch a blob is known as soon as its event is.
                for (e, pos) in batch.iter().zip(&positions) {
                    for r in qingfeng_log::blob::refs_of(&e.kind, &e.payload) {
                        let mut sha = [0u8; 32];
                        if hex::decode_to_slice(&r.sha256, &mut sha).is_ok() {
                            tx.add_blob_ref(&sha, r.size, *pos)?;
                        }
                    }
                }
                self.stored.extend(positions);
                Ok(())
            }
            Err(HubError::DuplicateEventId { id }) => {
                let seq = batch.iter().find(|e| e.id == id).map_or(0, |e| e.seq);
                Err(HubError::Refused(format!("事件 {id}（序号 {seq}）：事件编号 {id} 已被另一事件使用")))
            }
            Err(other) => Err(other),
        }
    }

    fn position(&self, slot: Slot) -> Result<i64> {
        match slot {
            Slot::Stored(pos) => Ok(pos),
            Slot::Pending(i) => {
                self.stored.get(i).copied().ok_or_else(|| HubError::Internal("事件尚未写入即被分发".into()))
            }
        }
    }

    fn ancestors_of(&mut self, tx: &mut dyn HubTx, code: &str) -> Result<Vec<String>> {
        if let Some(found) = self.ancestors.get(code) {
            return Ok(found.clone());
        }
        let found = ancestors(tx, code)?;
        self.ancestors.insert(code.to_owned(), found.clone());
        Ok(found)
    }

    fn load(&mut self, tx: &mut dyn HubTx, id: &str) -> Result<Option<Aggregate>> {
        if let Some(a) = self.aggregates.get(id) {
            return Ok(Some(a.clone()));
        }
        if self.preloaded.contains(id) {
            return Ok(None);
        }
        let found = tx.aggregate(id)?;
        if let Some(a) = &found {
            self.aggregates.insert(id.to_owned(), a.clone());
        }
        Ok(found)
    }

    fn accept(&mut self, tx: &mut dyn HubTx, ctx: Ctx<'_>, e: &'e Event) -> Result<()> {
        let origin = e.origin_office.as_str();
        if !qingfeng_log::clock::is_valid_hlc(e.hlc) {
            // Zero, or beyond a signed 64-bit integer (read back as negative): no time at all. Kept
            // in the chain as refused, routed to no office, so it can shift nobody's timeline.
            return Err(HubError::Refused(format!("事件 {}（序号 {}）：时间戳无效（为零或超出范围）", e.id, e.seq)));
        }
        if e.kind == kind::OWNERSHIP_CHANGED {
            return Err(HubError::Refused(format!("事件 {}（序号 {}）：只有中心可以发出所有权变更", e.id, e.seq)));
        }
        let scope = scope_of(&e.kind, &e.aggregate);
        if scope != Scope::Owned && e.kind == kind::OWNERSHIP_OFFERED {
            return Err(HubError::Refused(format!(
                "事件 {}（序号 {}）：{} 不是可移交的案件类事项",
                e.id, e.seq, e.aggregate
            )));
        }
        match scope {
            Scope::Office => {
                check_office_scope(e)?;
                let pos = self.stage(e);
                self.route(origin, pos);
                if e.kind == kind::OFFICE_SEALING_KEYS {
                    self.publish_keys(tx, ctx, e)?;
                }
                return Ok(());
            }
            Scope::Jurisdiction => {
                let pos = self.stage(e);
                self.route(origin, pos);
                for office in self.ancestors_of(tx, origin)? {
                    self.route(&office, pos);
                }
                return Ok(());
            }
            Scope::Province => {
                // An office names its own officers only, on the officer's own aggregate.
                let named: qingfeng_log::payload::OfficerNamed = e
                    .payload()
                    .map_err(|_| HubError::Refused(format!("事件 {}（序号 {}）：人员姓名记录无法解读", e.id, e.seq)))?;
                if named.office_code != origin || e.aggregate != format!("officer:{}", named.user_id) {
                    return Err(HubError::Refused(format!(
                        "事件 {}（序号 {}）：机关 {origin} 只能登记本机关人员的姓名",
                        e.id, e.seq
                    )));
                }
                let pos = self.stage(e);
                if self.all_offices.is_none() {
                    self.all_offices = Some(tx.offices()?.into_iter().map(|o| o.code).collect());
                }
                for office in self.all_offices.clone().unwrap_or_default() {
                    self.route(&office, pos);
                }
                return Ok(());
            }
            Scope::Owned => {}
        }
        let aggregate = match self.load(tx, &e.aggregate)? {
            Some(a) => a,
            None => {
                let mut access = vec![origin.to_owned()];
                access.extend(self.ancestors_of(tx, origin)?);
                Aggregate {
                    id: e.aggregate.clone(),
                    owner: origin.to_owned(),
                    epoch: 1,
                    owners: vec![origin.to_owned()],
                    access,
                }
            }
        };
        let allowed = aggregate.owner == origin
            || aggregate.owners.iter().any(|o| o == origin)
            || (kind::is_grow_only(&e.kind) && aggregate.access.iter().any(|o| o == origin));
        if !allowed {
            return Err(HubError::Refused(format!(
                "事件 {}（序号 {}，{}）：{} 归机关 {} 所有，机关 {} 从未承办，无权写入",
                e.id, e.seq, e.kind, e.aggregate, aggregate.owner, origin
            )));
        }
        let offer = if e.kind == kind::OWNERSHIP_OFFERED { Some(self.check_offer(tx, e, &aggregate)?) } else { None };
        let pos = self.stage(e);
        for office in &aggregate.access {
            self.route(office, pos);
        }
        self.aggregates.insert(aggregate.id.clone(), aggregate);
        match offer {
            Some(Offer::Route(offer, to_ancestors)) => self.change_owner(tx, ctx, e, offer, to_ancestors)?,
            Some(Offer::Decline(offer, refusal)) => self.decline(tx, ctx, e, offer, refusal)?,
            None => {}
        }
        Ok(())
    }

    /// Re-publishes an office's sealing keys on the hub's chain for every office (an office's own
    /// event would reach only its own devices), and keeps them for sealing its return bundles.
    fn publish_keys(&mut self, tx: &mut dyn HubTx, ctx: Ctx<'_>, e: &Event) -> Result<()> {
        let refuse = |why: String| HubError::Refused(format!("事件 {}（序号 {}，公布加密公钥）：{why}", e.id, e.seq));
        let published: SealingKeysPublished = e.payload().map_err(|err| refuse(format!("内容无法读取（{err}）")))?;
        if published.office_code != e.origin_office {
            return Err(refuse(format!("机关 {} 不能公布机关 {} 的公钥", e.origin_office, published.office_code)));
        }
        published.validate().map_err(|err| refuse(err.to_string()))?;
        // The hub's own event goes after the set's events held back so far, as in change_owner.
        self.store_pending(tx, ctx)?;
        if let Some(pos) = record_office_keys(tx, ctx, &published)? {
            for office in tx.offices()? {
                self.route(&office.code, Slot::Stored(pos));
            }
        }
        Ok(())
    }

    /// Checks an offer by the current owner: one the route rule allows is returned with the
    /// target's ancestors; one it refuses (a destination the hub's directory does not hold, or no
    /// longer allows) is declined with the rule's reason, never refused silently with its set.
    /// An offer not from the owner, or not readable, is refused like any unauthorized event.
    fn check_offer(&mut self, tx: &mut dyn HubTx, e: &Event, aggregate: &Aggregate) -> Result<Offer> {
        let refuse =
            |why: String| HubError::Refused(format!("事件 {}（序号 {}，移交 {}）：{why}", e.id, e.seq, e.aggregate));
        if aggregate.owner != e.origin_office {
            return Err(refuse(format!("只有当前承办机关 {} 可以移交", aggregate.owner)));
        }
        let offer: OwnershipOffered = e.payload().map_err(|err| refuse(format!("内容无法读取（{err}）")))?;
        if offer.aggregate != e.aggregate {
            return Err(refuse(format!("内容所指 {} 与事件对象不符", offer.aggregate)));
        }
        // The same route rule the office applied before recording the hand-over, asked again
        // over the hub's directory: an edited, older or misled office cannot route around it.
        let to_ancestors = self.ancestors_of(tx, &offer.to_office)?;
        let owner_ancestors = self.ancestors_of(tx, &aggregate.owner)?;
        let mut known = Vec::new();
        for code in
            [&offer.to_office, &aggregate.owner].into_iter().chain(to_ancestors.iter()).chain(owner_ancestors.iter())
        {
            if let Some(o) = tx.office(code)? {
                known.push(o);
            }
        }
        match route_offer(&offer.reason, &aggregate.owner, &offer.to_office, &known) {
            Ok(()) => Ok(Offer::Route(offer, to_ancestors)),
            Err(refusal) => Ok(Offer::Decline(offer, refusal)),
        }
    }

    /// Answers an offer the route rule refuses: the hub's `ownership.declined`, with the reason,
    /// to every office of the aggregate (its owner first of all). The owner keeps the case; its
    /// replica takes it back into its own hands when the decline arrives on its next sync.
    fn decline(
        &mut self,
        tx: &mut dyn HubTx,
        ctx: Ctx<'_>,
        offer_event: &Event,
        offer: OwnershipOffered,
        refusal: String,
    ) -> Result<()> {
        let Some(aggregate) = self.aggregates.get(&offer.aggregate).cloned() else {
            return Err(HubError::Internal(format!("移交对象 {} 未载入", offer.aggregate)));
        };
        let declined = OwnershipDeclined {
            aggregate: aggregate.id.clone(),
            offer_event: offer_event.id.clone(),
            to_office: offer.to_office,
            reason: offer.reason,
            refusal,
        };
        // The hub's event goes after the set's events held back so far, as in change_owner.
        self.store_pending(tx, ctx)?;
        let event = NewEvent::new(kind::OWNERSHIP_DECLINED, aggregate.id.clone(), &declined)?;
        let (_, pos) = chain::append(tx, ctx.hub_device, event, ctx.now_ms)?;
        for office in &aggregate.access {
            self.route(office, Slot::Stored(pos));
        }
        Ok(())
    }

    /// Orders the change an accepted offer asks for: the hub's `ownership.changed`, the new owner
    /// and its ancestors given access, and the aggregate's earlier events put into their feeds.
    fn change_owner(
        &mut self,
        tx: &mut dyn HubTx,
        ctx: Ctx<'_>,
        offer_event: &Event,
        offer: OwnershipOffered,
        to_ancestors: Vec<String>,
    ) -> Result<()> {
        let Some(mut aggregate) = self.aggregates.get(&offer.aggregate).cloned() else {
            return Err(HubError::Internal(format!("移交对象 {} 未载入", offer.aggregate)));
        };
        // The cut names every device of both offices: replicas count the old owner's tenure up
        // to it and the new owner's from after it. The offering device's own head is not
        // written until the set ends, so its cut is the offer itself; the other devices' cuts
        // are what the hub holds of them now.
        let mut cut: Vec<(String, u64)> = tx
            .heads_of_office(&aggregate.owner)?
            .into_iter()
            .chain(tx.heads_of_office(&offer.to_office)?)
            .filter(|(device, _)| *device != offer_event.origin_device)
            .collect();
        cut.push((offer_event.origin_device.clone(), offer_event.seq));
        cut.sort();
        let changed = OwnershipChanged {
            aggregate: aggregate.id.clone(),
            from_office: aggregate.owner.clone(),
            to_office: offer.to_office.clone(),
            epoch: aggregate.epoch + 1,
            reason: offer.reason.clone(),
            offer_event: offer_event.id.clone(),
            cut,
        };
        let gained: Vec<String> = std::iter::once(offer.to_office.clone())
            .chain(to_ancestors)
            .filter(|o| !aggregate.access.contains(o))
            .collect();
        // Earlier events first (read before the change is written, so it is not among them;
        // the set's own events so far are stored first, so they are), then the change itself to
        // everyone who now has access.
        self.store_pending(tx, ctx)?;
        let earlier = if gained.is_empty() { Vec::new() } else { tx.aggregate_positions(&aggregate.id)? };
        let change = NewEvent::new(kind::OWNERSHIP_CHANGED, aggregate.id.clone(), &changed)?;
        let (_, pos) = chain::append(tx, ctx.hub_device, change, ctx.now_ms)?;
        let pos = Slot::Stored(pos);
        for office in &gained {
            for p in &earlier {
                self.route(office, Slot::Stored(*p));
            }
        }
        aggregate.access.extend(gained);
        for office in &aggregate.access {
            self.route(office, pos);
        }
        aggregate.owner = offer.to_office.clone();
        aggregate.epoch += 1;
        if !aggregate.owners.contains(&offer.to_office) {
            aggregate.owners.push(offer.to_office);
        }
        self.aggregates.insert(aggregate.id.clone(), aggregate);
        Ok(())
    }

    /// Stores what is held back, writes the aggregates back and appends to the feeds. Offices
    /// are appended to in descending code order, so writers that share offices (every set
    /// reaches the province's feed) always take their feed locks in the same order, and the
    /// province (the smallest code, the row every writer waits for) is locked last: from there
    /// to the commit is all the time another writer has to wait for it.
    fn flush(mut self, tx: &mut dyn HubTx, ctx: Ctx<'_>) -> Result<()> {
        self.store_pending(tx, ctx)?;
        let aggregates: Vec<Aggregate> = self.aggregates.values().cloned().collect();
        tx.put_aggregates(&aggregates)?;
        let mut offices: Vec<&String> = self.routes.keys().collect();
        offices.sort_unstable();
        offices.reverse();
        for office in offices {
            let positions =
                self.routes[office].iter().map(|slot| self.position(*slot)).collect::<Result<Vec<i64>>>()?;
            tx.feed_append(office, &positions)?;
        }
        Ok(())
    }
}

/// Where the hub keeps each office's published sealing keys: `meta` under this prefix and the
/// office's code, hex of the canonical CBOR of the list.
const SEAL_KEYS_META: &str = "seal_keys:";

/// The sealing keys `office` has published, as the hub keeps them.
pub(crate) fn office_seal_keys(tx: &mut dyn HubTx, office: &str) -> Result<Vec<SealPublicKey>> {
    let Some(text) = tx.meta(&format!("{SEAL_KEYS_META}{office}"))? else {
        return Ok(Vec::new());
    };
    let bytes = hex::decode(text).map_err(|e| HubError::Internal(format!("机关 {office} 的公钥记录损坏：{e}")))?;
    Ok(qingfeng_log::encoding::from_cbor(&bytes)?)
}

/// Keeps an office's (checked) published keys and, when any of them is new to the hub, appends
/// the hub's re-publication to its chain; returns that event's position for the caller to route
/// to every office. Keys the hub already holds (the same keys at enrollment and again in the
/// office's log) are published once.
pub(crate) fn record_office_keys(
    tx: &mut dyn HubTx,
    ctx: Ctx<'_>,
    published: &SealingKeysPublished,
) -> Result<Option<i64>> {
    let mut keys = office_seal_keys(tx, &published.office_code)?;
    let before = keys.len();
    for key in &published.keys {
        if !keys.contains(key) {
            keys.push(key.clone());
        }
    }
    if keys.len() == before {
        return Ok(None);
    }
    let stored = qingfeng_log::encoding::to_canonical_cbor(&keys)?;
    tx.set_meta(&format!("{SEAL_KEYS_META}{}", published.office_code), &hex::encode(stored))?;
    let aggregate = format!("office:{}", published.office_code);
    let publication = NewEvent::new(kind::OFFICE_SEALING_KEYS, aggregate, published)?;
    let (_, pos) = chain::append(tx, ctx.hub_device, publication, ctx.now_ms)?;
    Ok(Some(pos))
}

/// Office-scoped events may only speak of the origin office itself.
fn check_office_scope(e: &Event) -> Result<()> {
    let refuse = |why: String| HubError::Refused(format!("事件 {}（序号 {}，{}）：{why}", e.id, e.seq, e.kind));
    if let Some(code) = e.aggregate.strip_prefix("office:")
        && code != e.origin_office
    {
        return Err(refuse(format!("机关 {} 不能写入机关 {} 的记录", e.origin_office, code)));
    }
    if e.kind == kind::OFFICE_CREATED {
        let created: OfficeCreated = e.payload().map_err(|err| refuse(format!("内容无法读取（{err}）")))?;
        if created.code != e.origin_office {
            return Err(refuse(format!("机关 {} 只能建立本机关，不能建立 {}", e.origin_office, created.code)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use qingfeng_log::office::OfficeLevel;

    fn office(code: &str, level: OfficeLevel, parent: Option<&str>) -> Office {
        Office {
            code: code.into(),
            name: code.into(),
            level,
            parent_code: parent.map(str::to_owned),
            created_at_ms: 0,
            feed_head: 0,
            short_name: None,
            unit: qingfeng_log::office::UnitKind::Office,
        }
    }

    #[test]
    fn offers_follow_the_route_rule_of_their_kind() {
        let dir = [
            office("530000", OfficeLevel::Province, None),
            office("530100", OfficeLevel::Prefecture, Some("530000")),
            office("530300", OfficeLevel::Prefecture, Some("530000")),
            office("530102", OfficeLevel::County, Some("530100")),
            office("530103", OfficeLevel::County, Some("530100")),
            office("530302", OfficeLevel::County, Some("530300")),
        ];
        let ok = |reason: &str, from: &str, to: &str| route_offer(reason, from, to, &dir);
        assert!(ok("report_upward", "530102", "530100").is_ok(), "report upward");
        assert!(ok("transfer_downward", "530100", "530102").is_ok(), "transfer downward");
        assert!(ok("assign", "530000", "530302").is_ok(), "the province assigns in its jurisdiction");
        assert!(ok("lateral", "530102", "530103").is_ok(), "lateral between counties of one prefecture");
        assert!(
            ok("transfer_downward", "530100", "530302")
                .err()
                .unwrap_or_default()
                .contains("不是本机关辖区内的下级机关")
        );
        assert!(ok("report_upward", "530102", "530000").err().unwrap_or_default().contains("只能报送本机关的上级机关"));
        assert!(ok("report_upward", "530102", "530103").err().unwrap_or_default().contains("平级移交"));
        assert!(ok("transfer_downward", "530102", "530103").err().unwrap_or_default().contains("平级移交"));
        assert!(ok("lateral", "530102", "530302").err().unwrap_or_default().contains("不是同一上级机关下的同级机关"));
        assert!(ok("transfer_downward", "530100", "530199").err().unwrap_or_default().contains("名录中没有"));
        assert!(ok("transfer_downward", "530100", "530102001").err().unwrap_or_default().contains("格式不正确"));
        assert!(ok("transfer_downward", "530102", "530102").err().unwrap_or_default().contains("本机关自己"));
        // An offer naming no kind may still go one level up or down, as before the rule.
        assert!(ok("", "530102", "530100").is_ok());
        assert!(ok("", "530100", "530103").is_ok());
    }

    #[test]
    fn accounts_settings_and_the_office_record_stay_with_their_office() {
        assert_eq!(scope_of(kind::USER_CREATED, "user:1"), Scope::Office);
        assert_eq!(scope_of(kind::SETTING_CHANGED, "office:530102"), Scope::Office);
        assert_eq!(scope_of(kind::ACCESS_DENIED, "actor:u1"), Scope::Office);
        assert_eq!(scope_of(kind::OFFICE_CREATED, "office:530102"), Scope::Office);
        assert_eq!(scope_of(kind::CALENDAR_UPDATED, "calendar:2026"), Scope::Office);
        assert_eq!(scope_of(kind::COMPLAINT_REGISTERED, "complaint:1"), Scope::Owned);
        assert_eq!(scope_of(kind::COMPLAINT_IDENTITY_VIEWED, "complaint:1"), Scope::Owned);
        assert_eq!(scope_of(kind::COMPLAINT_QUARTERLY_REPORT_SUBMITTED, "quarterly:530102:trial"), Scope::Jurisdiction);
    }
}
