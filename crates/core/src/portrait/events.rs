//! The integrity side's events as typed enums: each variant is one event kind with its payload
//! struct, so an unknown kind is refused in one place and every match over them is exhaustive.

use super::model::*;
use crate::error::{CoreError, Result};
use crate::events::{Event, NewEvent};
use crate::projector::kind;

/// The events of one opinion request (`opinion:<id>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpinionEvent {
    /// `opinion.requested`.
    Requested(OpinionRequested),
    /// `opinion.conclusion_edited`.
    ConclusionEdited(ConclusionEdited),
    /// `opinion.submitted`.
    Submitted(OpinionSubmitted),
    /// `opinion.approved`.
    Approved(OpinionDecided),
    /// `opinion.returned`.
    Returned(OpinionDecided),
    /// `opinion.replied`.
    Replied(OpinionReplied),
}

/// Every event the integrity projector applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntegrityEvent {
    /// `cadre.registered` (`cadre:<id>`).
    CadreRegistered(CadreRegistered),
    /// `cadre.match_confirmed` (`cadre:<id>`).
    MatchConfirmed(MatchDecided),
    /// `cadre.match_split` (`cadre:<id>`).
    MatchSplit(MatchDecided),
    /// `unit.registered` (`unit:<id>`).
    UnitRegistered(UnitRegistered),
    /// `integrity.file_viewed` (on the file's subject, `cadre:<id>` or `unit:<id>`).
    FileViewed(FileViewed),
    Opinion(OpinionEvent),
}

impl OpinionEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            OpinionEvent::Requested(_) => kind::OPINION_REQUESTED,
            OpinionEvent::ConclusionEdited(_) => kind::OPINION_CONCLUSION_EDITED,
            OpinionEvent::Submitted(_) => kind::OPINION_SUBMITTED,
            OpinionEvent::Approved(_) => kind::OPINION_APPROVED,
            OpinionEvent::Returned(_) => kind::OPINION_RETURNED,
            OpinionEvent::Replied(_) => kind::OPINION_REPLIED,
        }
    }

    /// The request the event belongs to.
    pub fn request_id(&self) -> &str {
        match self {
            OpinionEvent::Requested(p) => &p.request_id,
            OpinionEvent::ConclusionEdited(p) => &p.request_id,
            OpinionEvent::Submitted(p) => &p.request_id,
            OpinionEvent::Approved(p) | OpinionEvent::Returned(p) => &p.request_id,
            OpinionEvent::Replied(p) => &p.request_id,
        }
    }

    fn encode(&self) -> Result<NewEvent> {
        let aggregate = format!("opinion:{}", self.request_id());
        let k = self.kind();
        Ok(match self {
            OpinionEvent::Requested(p) => NewEvent::new(k, aggregate, p)?,
            OpinionEvent::ConclusionEdited(p) => NewEvent::new(k, aggregate, p)?,
            OpinionEvent::Submitted(p) => NewEvent::new(k, aggregate, p)?,
            OpinionEvent::Approved(p) | OpinionEvent::Returned(p) => NewEvent::new(k, aggregate, p)?,
            OpinionEvent::Replied(p) => NewEvent::new(k, aggregate, p)?,
        })
    }
}

impl IntegrityEvent {
    /// The kind string the log stores (never renamed).
    pub fn kind(&self) -> &'static str {
        match self {
            IntegrityEvent::CadreRegistered(_) => kind::CADRE_REGISTERED,
            IntegrityEvent::MatchConfirmed(_) => kind::CADRE_MATCH_CONFIRMED,
            IntegrityEvent::MatchSplit(_) => kind::CADRE_MATCH_SPLIT,
            IntegrityEvent::UnitRegistered(_) => kind::UNIT_REGISTERED,
            IntegrityEvent::FileViewed(_) => kind::INTEGRITY_FILE_VIEWED,
            IntegrityEvent::Opinion(o) => o.kind(),
        }
    }

    /// The event ready to append, on its own aggregate, its payload in canonical CBOR.
    pub fn encode(&self) -> Result<NewEvent> {
        let k = self.kind();
        Ok(match self {
            IntegrityEvent::CadreRegistered(p) => NewEvent::new(k, format!("cadre:{}", p.cadre_id), p)?,
            IntegrityEvent::MatchConfirmed(p) | IntegrityEvent::MatchSplit(p) => {
                NewEvent::new(k, format!("cadre:{}", p.cadre_id), p)?
            }
            IntegrityEvent::UnitRegistered(p) => NewEvent::new(k, format!("unit:{}", p.unit_id), p)?,
            IntegrityEvent::FileViewed(p) => NewEvent::new(k, p.subject.clone(), p)?,
            IntegrityEvent::Opinion(o) => o.encode()?,
        })
    }

    /// Decodes a stored event of an integrity kind; any other kind is refused here, the one place
    /// that knows the integrity side's kinds.
    pub fn decode(event: &Event) -> Result<IntegrityEvent> {
        use OpinionEvent as O;
        Ok(match event.kind.as_str() {
            kind::CADRE_REGISTERED => IntegrityEvent::CadreRegistered(event.payload()?),
            kind::CADRE_MATCH_CONFIRMED => IntegrityEvent::MatchConfirmed(event.payload()?),
            kind::CADRE_MATCH_SPLIT => IntegrityEvent::MatchSplit(event.payload()?),
            kind::UNIT_REGISTERED => IntegrityEvent::UnitRegistered(event.payload()?),
            kind::INTEGRITY_FILE_VIEWED => IntegrityEvent::FileViewed(event.payload()?),
            kind::OPINION_REQUESTED => IntegrityEvent::Opinion(O::Requested(event.payload()?)),
            kind::OPINION_CONCLUSION_EDITED => IntegrityEvent::Opinion(O::ConclusionEdited(event.payload()?)),
            kind::OPINION_SUBMITTED => IntegrityEvent::Opinion(O::Submitted(event.payload()?)),
            kind::OPINION_APPROVED => IntegrityEvent::Opinion(O::Approved(event.payload()?)),
            kind::OPINION_RETURNED => IntegrityEvent::Opinion(O::Returned(event.payload()?)),
            kind::OPINION_REPLIED => IntegrityEvent::Opinion(O::Replied(event.payload()?)),
            other => return Err(CoreError::Encoding(format!("unknown event kind {other} (event {})", event.id))),
        })
    }
}
