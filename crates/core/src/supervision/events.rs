//! The supervision side's events as typed enums: each variant is one event kind with its payload
//! struct, so an unknown kind is refused in one place and every match over them is exhaustive.

use super::model::*;
use crate::error::{CoreError, Result};
use crate::events::{Event, NewEvent};
use crate::projector::kind;

/// The events of one letter (`letter:<id>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LetterEvent {
    /// `letter.registered`.
    Registered(LetterRegistered),
    /// `letter.issued`.
    Issued(LetterIssued),
    /// `letter.feedback_recorded`.
    FeedbackRecorded(FeedbackRecorded),
    /// `letter.feedback_accepted`.
    FeedbackAccepted(FeedbackReviewed),
    /// `letter.feedback_sent_back`.
    FeedbackSentBack(FeedbackReviewed),
    /// `letter.reminded`.
    Reminded(LetterReminded),
}

/// The events of one circular (`circular:<id>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CircularEvent {
    /// `circular.drafted`.
    Drafted(CircularDrafted),
    /// `circular.issued`.
    Issued(CircularIssued),
}

/// Every event the supervision projector applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SupervisionEvent {
    Letter(LetterEvent),
    Circular(CircularEvent),
}

impl LetterEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            LetterEvent::Registered(_) => kind::LETTER_REGISTERED,
            LetterEvent::Issued(_) => kind::LETTER_ISSUED,
            LetterEvent::FeedbackRecorded(_) => kind::LETTER_FEEDBACK_RECORDED,
            LetterEvent::FeedbackAccepted(_) => kind::LETTER_FEEDBACK_ACCEPTED,
            LetterEvent::FeedbackSentBack(_) => kind::LETTER_FEEDBACK_SENT_BACK,
            LetterEvent::Reminded(_) => kind::LETTER_REMINDED,
        }
    }

    /// The letter the event belongs to.
    pub fn letter_id(&self) -> &str {
        match self {
            LetterEvent::Registered(p) => &p.letter_id,
            LetterEvent::Issued(p) => &p.letter_id,
            LetterEvent::FeedbackRecorded(p) => &p.letter_id,
            LetterEvent::FeedbackAccepted(p) | LetterEvent::FeedbackSentBack(p) => &p.letter_id,
            LetterEvent::Reminded(p) => &p.letter_id,
        }
    }

    /// The event ready to append, on `letter:<id>`, its payload in canonical CBOR.
    pub fn encode(&self) -> Result<NewEvent> {
        let aggregate = format!("letter:{}", self.letter_id());
        let k = self.kind();
        Ok(match self {
            LetterEvent::Registered(p) => NewEvent::new(k, aggregate, p)?,
            LetterEvent::Issued(p) => NewEvent::new(k, aggregate, p)?,
            LetterEvent::FeedbackRecorded(p) => NewEvent::new(k, aggregate, p)?,
            LetterEvent::FeedbackAccepted(p) | LetterEvent::FeedbackSentBack(p) => NewEvent::new(k, aggregate, p)?,
            LetterEvent::Reminded(p) => NewEvent::new(k, aggregate, p)?,
        })
    }
}

impl CircularEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            CircularEvent::Drafted(_) => kind::CIRCULAR_DRAFTED,
            CircularEvent::Issued(_) => kind::CIRCULAR_ISSUED,
        }
    }

    pub fn circular_id(&self) -> &str {
        match self {
            CircularEvent::Drafted(p) => &p.circular_id,
            CircularEvent::Issued(p) => &p.circular_id,
        }
    }

    /// The event ready to append, on `circular:<id>`.
    pub fn encode(&self) -> Result<NewEvent> {
        let aggregate = format!("circular:{}", self.circular_id());
        let k = self.kind();
        Ok(match self {
            CircularEvent::Drafted(p) => NewEvent::new(k, aggregate, p)?,
            CircularEvent::Issued(p) => NewEvent::new(k, aggregate, p)?,
        })
    }
}

impl SupervisionEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            SupervisionEvent::Letter(e) => e.kind(),
            SupervisionEvent::Circular(e) => e.kind(),
        }
    }

    pub fn encode(&self) -> Result<NewEvent> {
        match self {
            SupervisionEvent::Letter(e) => e.encode(),
            SupervisionEvent::Circular(e) => e.encode(),
        }
    }

    /// Decodes a stored event of a supervision kind; any other kind is refused here, the one place
    /// that knows the supervision side's kinds.
    pub fn decode(event: &Event) -> Result<SupervisionEvent> {
        use CircularEvent as C;
        use LetterEvent as L;
        Ok(match event.kind.as_str() {
            kind::LETTER_REGISTERED => SupervisionEvent::Letter(L::Registered(event.payload()?)),
            kind::LETTER_ISSUED => SupervisionEvent::Letter(L::Issued(event.payload()?)),
            kind::LETTER_FEEDBACK_RECORDED => SupervisionEvent::Letter(L::FeedbackRecorded(event.payload()?)),
            kind::LETTER_FEEDBACK_ACCEPTED => SupervisionEvent::Letter(L::FeedbackAccepted(event.payload()?)),
            kind::LETTER_FEEDBACK_SENT_BACK => SupervisionEvent::Letter(L::FeedbackSentBack(event.payload()?)),
            kind::LETTER_REMINDED => SupervisionEvent::Letter(L::Reminded(event.payload()?)),
            kind::CIRCULAR_DRAFTED => SupervisionEvent::Circular(C::Drafted(event.payload()?)),
            kind::CIRCULAR_ISSUED => SupervisionEvent::Circular(C::Issued(event.payload()?)),
            other => return Err(CoreError::Encoding(format!("unknown event kind {other} (event {})", event.id))),
        })
    }
}
