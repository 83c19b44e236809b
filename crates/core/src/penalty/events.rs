//! The penalty side's events as typed enums: each variant is one event kind of today's log with
//! its payload struct, so an unknown kind is refused in one place and every match over them is
//! exhaustive.
//!
//! Encoding goes through the same payload structs the log has always carried (`model`), so an
//! event decoded from an old log and encoded again gives the same bytes (tested against a log
//! written before this module existed, `tests/penalty_log_compat.rs`). Fields added since are
//! optional and left out when absent, which keeps that true.

use super::model::*;
use crate::error::{CoreError, Result};
use crate::events::{Event, NewEvent};
use crate::projector::kind;

/// The events of one checklist aggregate: a penalty decision (`penalty:<id>`) or a rectification
/// list (`checklist:<id>`).
#[derive(Debug, Clone)]
pub enum ChecklistEvent {
    /// `penalty.registered`: the decision with its influence periods and generated items (boxed:
    /// it is many times the size of the other events).
    PenaltyRegistered(Box<PenaltyRegistered>),
    /// `checklist.registered`: a rectification list with its items.
    RectificationRegistered(ChecklistRegistered),
    /// `checklist.item_submitted`.
    ItemSubmitted(ItemSubmitted),
    /// `checklist.item_approved`.
    ItemApproved(ItemApproved),
    /// `checklist.item_rejected`.
    ItemRejected(ItemRejected),
    /// `checklist.payment_recorded`.
    PaymentRecorded(PaymentRecorded),
    /// `checklist.item_extended`.
    ItemExtended(ItemExtended),
    /// `checklist.guidance_given`.
    GuidanceGiven(GuidanceGiven),
}

/// Every event the penalty projector applies: a checklist's own, a template version, and a
/// benefit recorded against a person.
#[derive(Debug, Clone)]
pub enum PenaltyEvent {
    Checklist(ChecklistEvent),
    /// `checklist.template_published` (`template:<id>`).
    TemplatePublished(TemplatePublished),
    /// `person.benefit_recorded` (`person:<id>`).
    BenefitRecorded(BenefitRecorded),
}

impl ChecklistEvent {
    /// The kind string the log stores (never renamed).
    pub fn kind(&self) -> &'static str {
        match self {
            ChecklistEvent::PenaltyRegistered(_) => kind::PENALTY_REGISTERED,
            ChecklistEvent::RectificationRegistered(_) => kind::CHECKLIST_REGISTERED,
            ChecklistEvent::ItemSubmitted(_) => kind::CHECKLIST_ITEM_SUBMITTED,
            ChecklistEvent::ItemApproved(_) => kind::CHECKLIST_ITEM_APPROVED,
            ChecklistEvent::ItemRejected(_) => kind::CHECKLIST_ITEM_REJECTED,
            ChecklistEvent::PaymentRecorded(_) => kind::CHECKLIST_PAYMENT_RECORDED,
            ChecklistEvent::ItemExtended(_) => kind::CHECKLIST_ITEM_EXTENDED,
            ChecklistEvent::GuidanceGiven(_) => kind::CHECKLIST_GUIDANCE_GIVEN,
        }
    }

    /// The checklist the event belongs to.
    pub fn checklist_id(&self) -> &str {
        match self {
            ChecklistEvent::PenaltyRegistered(p) => &p.penalty_id,
            ChecklistEvent::RectificationRegistered(p) => &p.checklist_id,
            ChecklistEvent::ItemSubmitted(p) => &p.checklist_id,
            ChecklistEvent::ItemApproved(p) => &p.checklist_id,
            ChecklistEvent::ItemRejected(p) => &p.checklist_id,
            ChecklistEvent::PaymentRecorded(p) => &p.checklist_id,
            ChecklistEvent::ItemExtended(p) => &p.checklist_id,
            ChecklistEvent::GuidanceGiven(p) => &p.checklist_id,
        }
    }

    /// The event ready to append to `aggregate`, its payload in canonical CBOR.
    pub fn encode(&self, aggregate: &str) -> Result<NewEvent> {
        let k = self.kind();
        Ok(match self {
            ChecklistEvent::PenaltyRegistered(p) => NewEvent::new(k, aggregate, p.as_ref())?,
            ChecklistEvent::RectificationRegistered(p) => NewEvent::new(k, aggregate, p)?,
            ChecklistEvent::ItemSubmitted(p) => NewEvent::new(k, aggregate, p)?,
            ChecklistEvent::ItemApproved(p) => NewEvent::new(k, aggregate, p)?,
            ChecklistEvent::ItemRejected(p) => NewEvent::new(k, aggregate, p)?,
            ChecklistEvent::PaymentRecorded(p) => NewEvent::new(k, aggregate, p)?,
            ChecklistEvent::ItemExtended(p) => NewEvent::new(k, aggregate, p)?,
            ChecklistEvent::GuidanceGiven(p) => NewEvent::new(k, aggregate, p)?,
        })
    }
}

impl PenaltyEvent {
    /// Decodes a stored event of a penalty, checklist, template or person kind; any other kind
    /// is refused here, the one place that knows the penalty side's kinds.
    pub fn decode(event: &Event) -> Result<PenaltyEvent> {
        use ChecklistEvent as C;
        Ok(match event.kind.as_str() {
            kind::PENALTY_REGISTERED => PenaltyEvent::Checklist(C::PenaltyRegistered(Box::new(event.payload()?))),
            kind::CHECKLIST_REGISTERED => PenaltyEvent::Checklist(C::RectificationRegistered(event.payload()?)),
            kind::CHECKLIST_ITEM_SUBMITTED => PenaltyEvent::Checklist(C::ItemSubmitted(event.payload()?)),
            kind::CHECKLIST_ITEM_APPROVED => PenaltyEvent::Checklist(C::ItemApproved(event.payload()?)),
            kind::CHECKLIST_ITEM_REJECTED => PenaltyEvent::Checklist(C::ItemRejected(event.payload()?)),
            kind::CHECKLIST_PAYMENT_RECORDED => PenaltyEvent::Checklist(C::PaymentRecorded(event.payload()?)),
            kind::CHECKLIST_ITEM_EXTENDED => PenaltyEvent::Checklist(C::ItemExtended(event.payload()?)),
            kind::CHECKLIST_GUIDANCE_GIVEN => PenaltyEvent::Checklist(C::GuidanceGiven(event.payload()?)),
            kind::CHECKLIST_TEMPLATE_PUBLISHED => PenaltyEvent::TemplatePublished(event.payload()?),
            kind::PERSON_BENEFIT_RECORDED => PenaltyEvent::BenefitRecorded(event.payload()?),
            other => return Err(CoreError::Encoding(format!("unknown event kind {other} (event {})", event.id))),
        })
    }

    /// The kind string the log stores.
    pub fn kind(&self) -> &'static str {
        match self {
            PenaltyEvent::Checklist(c) => c.kind(),
            PenaltyEvent::TemplatePublished(_) => kind::CHECKLIST_TEMPLATE_PUBLISHED,
            PenaltyEvent::BenefitRecorded(_) => kind::PERSON_BENEFIT_RECORDED,
        }
    }

    /// The event ready to append to `aggregate`.
    pub fn encode(&self, aggregate: &str) -> Result<NewEvent> {
        match self {
            PenaltyEvent::Checklist(c) => c.encode(aggregate),
            PenaltyEvent::TemplatePublished(p) => Ok(NewEvent::new(self.kind(), aggregate, p)?),
            PenaltyEvent::BenefitRecorded(p) => Ok(NewEvent::new(self.kind(), aggregate, p)?),
        }
    }
}
