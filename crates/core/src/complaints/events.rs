//! The complaint side's events as one typed enum: each variant is one event kind of today's log
//! with its payload struct, so an unknown kind is refused in one place and every match over them
//! is exhaustive.
//!
//! Encoding goes through the same payload structs the log has always carried (`model`), so an
//! event decoded from an old log and encoded again gives the same bytes (tested against a log
//! written before this module existed, `tests/complaint_log_compat.rs`). Fields added since (the
//! deadline rules an event opens) are optional and left out when absent, which keeps that true.

use super::attachments::{AttachmentAdded, AttachmentViewed};
use super::model::*;
use super::stats::Exported;
use crate::error::{CoreError, Result};
use crate::events::{Event, NewEvent};
use crate::projector::kind;

/// Every event the complaint projector applies: a complaint's own (`complaint:<id>`), its
/// approvals, a department's quarterly report (`quarterly:<office>:<department>`) and the audit
/// record of an export (`export:<id>`).
#[derive(Debug, Clone)]
pub enum ComplaintEvent {
    /// `complaint.registered` (boxed: it carries the whole form).
    Registered(Box<Registered>),
    /// `complaint.screened`.
    Screened(Screened),
    /// `complaint.acceptance_notified`.
    AcceptanceNotified(DatedAct),
    /// `complaint.forwarded`: sent up or forwarded down.
    Forwarded(DatedAct),
    /// `approval.requested`: a return, a disposal or an assignment asked of this office's leader.
    ApprovalRequested(ApprovalRequested),
    /// `complaint.supervision_requested`: a supervision asked of the leader of an office above.
    SupervisionRequested(ApprovalRequested),
    /// `approval.decided`.
    ApprovalDecided(ApprovalDecided),
    /// `complaint.supervision_decided`.
    SupervisionDecided(ApprovalDecided),
    /// `complaint.returned`: a granted return to petitions.
    Returned(ApprovedStep),
    /// `complaint.disposed`: a granted disposal.
    Disposed(ApprovedStep),
    /// `complaint.assigned`: a granted assignment to an office below.
    Assigned(ApprovedStep),
    /// `complaint.handed_laterally`: a granted lateral hand-over (平级移交) to a sibling office.
    HandedLaterally(ApprovedStep),
    /// `complaint.supervised`: a granted supervision of an office below.
    Supervised(ApprovedStep),
    /// `complaint.result_reported`: the result of an assigned or supervised complaint, reported up.
    ResultReported(DatedAct),
    /// `complaint.inquiry_replied`.
    InquiryReplied(DatedAct),
    /// `complaint.concluded`.
    Concluded(Concluded),
    /// `complaint.feedback_given`.
    FeedbackGiven(DatedAct),
    /// `complaint.objection_recorded`.
    ObjectionRecorded(Objection),
    /// `complaint.case_milestone`.
    CaseMilestone(CaseMilestone),
    /// `complaint.detention_started`.
    DetentionStarted(DatedAct),
    /// `complaint.detention_extended`.
    DetentionExtended(DetentionExtended),
    /// `complaint.detention_ended`.
    DetentionEnded(DatedAct),
    /// `complaint.quarterly_report_submitted`.
    QuarterlyReportSubmitted(QuarterlyReportSubmitted),
    /// `complaint.attachment_added`.
    AttachmentAdded(AttachmentAdded),
    /// `complaint.attachment_viewed` (an audit record).
    AttachmentViewed(AttachmentViewed),
    /// `complaint.identity_viewed` (an audit record).
    IdentityViewed(IdentityViewed),
    /// `complaint.exported` (an audit record).
    Exported(Exported),
    /// `complaint.identity_sealed`: the reporter (and attachment names) sealed to more offices.
    IdentitySealed(crate::sealing::IdentitySealed),
    /// `complaint.handover_held`: a hand-over waiting until the receiving office has a key.
    HandoverHeld(crate::projector::OwnershipOffered),
    /// `complaint.upper_approval_requested`: detention or its extension asked of the office above.
    UpperApprovalRequested(UpperApprovalRequested),
    /// `complaint.upper_approval_decided`: the office above grants or refuses it.
    UpperApprovalDecided(UpperApprovalDecided),
}

impl ComplaintEvent {
    /// Decodes a stored event of a complaint or approval kind; any other kind is refused here,
    /// the one place that knows the complaint side's kinds.
    pub fn decode(event: &Event) -> Result<ComplaintEvent> {
        use ComplaintEvent as E;
        Ok(match event.kind.as_str() {
            kind::COMPLAINT_REGISTERED => E::Registered(Box::new(event.payload()?)),
            kind::COMPLAINT_SCREENED => E::Screened(event.payload()?),
            kind::COMPLAINT_ACCEPTANCE_NOTIFIED => E::AcceptanceNotified(event.payload()?),
            kind::COMPLAINT_FORWARDED => E::Forwarded(event.payload()?),
            kind::APPROVAL_REQUESTED => E::ApprovalRequested(event.payload()?),
            kind::COMPLAINT_SUPERVISION_REQUESTED => E::SupervisionRequested(event.payload()?),
            kind::APPROVAL_DECIDED => E::ApprovalDecided(event.payload()?),
            kind::COMPLAINT_SUPERVISION_DECIDED => E::SupervisionDecided(event.payload()?),
            kind::COMPLAINT_RETURNED => E::Returned(event.payload()?),
            kind::COMPLAINT_DISPOSED => E::Disposed(event.payload()?),
            kind::COMPLAINT_ASSIGNED => E::Assigned(event.payload()?),
            kind::COMPLAINT_HANDED_LATERALLY => E::HandedLaterally(event.payload()?),
            kind::COMPLAINT_SUPERVISED => E::Supervised(event.payload()?),
            kind::COMPLAINT_RESULT_REPORTED => E::ResultReported(event.payload()?),
            kind::COMPLAINT_INQUIRY_REPLIED => E::InquiryReplied(event.payload()?),
            kind::COMPLAINT_CONCLUDED => E::Concluded(event.payload()?),
            kind::COMPLAINT_FEEDBACK_GIVEN => E::FeedbackGiven(event.payload()?),
            kind::COMPLAINT_OBJECTION_RECORDED => E::ObjectionRecorded(event.payload()?),
            kind::COMPLAINT_CASE_MILESTONE => E::CaseMilestone(event.payload()?),
            kind::COMPLAINT_DETENTION_STARTED => E::DetentionStarted(event.payload()?),
            kind::COMPLAINT_DETENTION_EXTENDED => E::DetentionExtended(event.payload()?),
            kind::COMPLAINT_DETENTION_ENDED => E::DetentionEnded(event.payload()?),
            kind::COMPLAINT_QUARTERLY_REPORT_SUBMITTED => E::QuarterlyReportSubmitted(event.payload()?),
            kind::COMPLAINT_ATTACHMENT_ADDED => E::AttachmentAdded(event.payload()?),
            kind::COMPLAINT_ATTACHMENT_VIEWED => E::AttachmentViewed(event.payload()?),
            kind::COMPLAINT_IDENTITY_VIEWED => E::IdentityViewed(event.payload()?),
            kind::COMPLAINT_EXPORTED => E::Exported(event.payload()?),
            kind::COMPLAINT_IDENTITY_SEALED => E::IdentitySealed(event.payload()?),
            kind::COMPLAINT_HANDOVER_HELD => E::HandoverHeld(event.payload()?),
            kind::COMPLAINT_UPPER_APPROVAL_REQUESTED => E::UpperApprovalRequested(event.payload()?),
            kind::COMPLAINT_UPPER_APPROVAL_DECIDED => E::UpperApprovalDecided(event.payload()?),
            other => return Err(CoreError::Encoding(format!("unknown event kind {other} (event {})", event.id))),
        })
    }

    /// The kind string the log stores (never renamed).
    pub fn kind(&self) -> &'static str {
        use ComplaintEvent as E;
        match self {
            E::Registered(_) => kind::COMPLAINT_REGISTERED,
            E::Screened(_) => kind::COMPLAINT_SCREENED,
            E::AcceptanceNotified(_) => kind::COMPLAINT_ACCEPTANCE_NOTIFIED,
            E::Forwarded(_) => kind::COMPLAINT_FORWARDED,
            E::ApprovalRequested(_) => kind::APPROVAL_REQUESTED,
            E::SupervisionRequested(_) => kind::COMPLAINT_SUPERVISION_REQUESTED,
            E::ApprovalDecided(_) => kind::APPROVAL_DECIDED,
            E::SupervisionDecided(_) => kind::COMPLAINT_SUPERVISION_DECIDED,
            E::Returned(_) => kind::COMPLAINT_RETURNED,
            E::Disposed(_) => kind::COMPLAINT_DISPOSED,
            E::Assigned(_) => kind::COMPLAINT_ASSIGNED,
            E::HandedLaterally(_) => kind::COMPLAINT_HANDED_LATERALLY,
            E::Supervised(_) => kind::COMPLAINT_SUPERVISED,
            E::ResultReported(_) => kind::COMPLAINT_RESULT_REPORTED,
            E::InquiryReplied(_) => kind::COMPLAINT_INQUIRY_REPLIED,
            E::Concluded(_) => kind::COMPLAINT_CONCLUDED,
            E::FeedbackGiven(_) => kind::COMPLAINT_FEEDBACK_GIVEN,
            E::ObjectionRecorded(_) => kind::COMPLAINT_OBJECTION_RECORDED,
            E::CaseMilestone(_) => kind::COMPLAINT_CASE_MILESTONE,
            E::DetentionStarted(_) => kind::COMPLAINT_DETENTION_STARTED,
            E::DetentionExtended(_) => kind::COMPLAINT_DETENTION_EXTENDED,
            E::DetentionEnded(_) => kind::COMPLAINT_DETENTION_ENDED,
            E::QuarterlyReportSubmitted(_) => kind::COMPLAINT_QUARTERLY_REPORT_SUBMITTED,
            E::AttachmentAdded(_) => kind::COMPLAINT_ATTACHMENT_ADDED,
            E::AttachmentViewed(_) => kind::COMPLAINT_ATTACHMENT_VIEWED,
            E::IdentityViewed(_) => kind::COMPLAINT_IDENTITY_VIEWED,
            E::Exported(_) => kind::COMPLAINT_EXPORTED,
            E::IdentitySealed(_) => kind::COMPLAINT_IDENTITY_SEALED,
            E::HandoverHeld(_) => kind::COMPLAINT_HANDOVER_HELD,
            E::UpperApprovalRequested(_) => kind::COMPLAINT_UPPER_APPROVAL_REQUESTED,
            E::UpperApprovalDecided(_) => kind::COMPLAINT_UPPER_APPROVAL_DECIDED,
        }
    }

    /// The complaint the event concerns; `None` for a quarterly report or an export.
    pub fn complaint_id(&self) -> Option<&str> {
        use ComplaintEvent as E;
        Some(match self {
            E::Registered(p) => &p.complaint_id,
            E::Screened(p) => &p.complaint_id,
            E::AcceptanceNotified(p)
            | E::Forwarded(p)
            | E::ResultReported(p)
            | E::InquiryReplied(p)
            | E::FeedbackGiven(p)
            | E::DetentionStarted(p)
            | E::DetentionEnded(p) => &p.complaint_id,
            E::ApprovalRequested(p) | E::SupervisionRequested(p) => &p.complaint_id,
            E::ApprovalDecided(p) | E::SupervisionDecided(p) => &p.complaint_id,
            E::Returned(p) | E::Disposed(p) | E::Assigned(p) | E::HandedLaterally(p) | E::Supervised(p) => {
                &p.complaint_id
            }
            E::Concluded(p) => &p.complaint_id,
            E::ObjectionRecorded(p) => &p.complaint_id,
            E::CaseMilestone(p) => &p.complaint_id,
            E::DetentionExtended(p) => &p.complaint_id,
            E::AttachmentAdded(p) => &p.complaint_id,
            E::AttachmentViewed(p) => &p.complaint_id,
            E::IdentityViewed(p) => &p.complaint_id,
            E::IdentitySealed(p) => &p.complaint_id,
            E::HandoverHeld(p) => return p.aggregate.strip_prefix("complaint:"),
            E::UpperApprovalRequested(p) => &p.complaint_id,
            E::UpperApprovalDecided(p) => &p.complaint_id,
            E::QuarterlyReportSubmitted(_) | E::Exported(_) => return None,
        })
    }

    /// The event ready to append to `aggregate`, its payload in canonical CBOR.
    pub fn encode(&self, aggregate: &str) -> Result<NewEvent> {
        use ComplaintEvent as E;
        let k = self.kind();
        Ok(match self {
            E::Registered(p) => NewEvent::new(k, aggregate, p.as_ref())?,
            E::Screened(p) => NewEvent::new(k, aggregate, p)?,
            E::AcceptanceNotified(p)
            | E::Forwarded(p)
            | E::ResultReported(p)
            | E::InquiryReplied(p)
            | E::FeedbackGiven(p)
            | E::DetentionStarted(p)
            | E::DetentionEnded(p) => NewEvent::new(k, aggregate, p)?,
            E::ApprovalRequested(p) | E::SupervisionRequested(p) => NewEvent::new(k, aggregate, p)?,
            E::ApprovalDecided(p) | E::SupervisionDecided(p) => NewEvent::new(k, aggregate, p)?,
            E::Returned(p) | E::Disposed(p) | E::Assigned(p) | E::HandedLaterally(p) | E::Supervised(p) => {
                NewEvent::new(k, aggregate, p)?
            }
            E::Concluded(p) => NewEvent::new(k, aggregate, p)?,
            E::ObjectionRecorded(p) => NewEvent::new(k, aggregate, p)?,
            E::CaseMilestone(p) => NewEvent::new(k, aggregate, p)?,
            E::DetentionExtended(p) => NewEvent::new(k, aggregate, p)?,
            E::QuarterlyReportSubmitted(p) => NewEvent::new(k, aggregate, p)?,
            E::AttachmentAdded(p) => NewEvent::new(k, aggregate, p)?,
            E::AttachmentViewed(p) => NewEvent::new(k, aggregate, p)?,
            E::IdentityViewed(p) => NewEvent::new(k, aggregate, p)?,
            E::Exported(p) => NewEvent::new(k, aggregate, p)?,
            E::IdentitySealed(p) => NewEvent::new(k, aggregate, p)?,
            E::HandoverHeld(p) => NewEvent::new(k, aggregate, p)?,
            E::UpperApprovalRequested(p) => NewEvent::new(k, aggregate, p)?,
            E::UpperApprovalDecided(p) => NewEvent::new(k, aggregate, p)?,
        })
    }

    /// The event on its complaint's aggregate (`complaint:<id>`); for the two kinds that are not
    /// on a complaint, the caller names the aggregate with `encode`.
    pub fn encode_on_complaint(&self) -> Result<NewEvent> {
        let id =
            self.complaint_id().ok_or_else(|| CoreError::Encoding(format!("{} is not on a complaint", self.kind())))?;
        self.encode(&super::workflow::aggregate(id))
    }
}
