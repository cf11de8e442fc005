//! The Safe Harbor domain: the types every other crate speaks, the parsing of untrusted input into
//! them, the access policy and the audit event. Nothing here does IO; time and randomness come in
//! as parameters so that tests control them.

pub mod audit;
pub mod audit_checkpoint;
pub mod audit_words;
pub mod case;
pub mod caseload;
pub mod classification;
pub mod client;
pub mod closure;
pub mod contact;
pub mod contact_request;
pub mod emergency;
pub mod fiscal;
pub mod ids;
pub mod instrument;
pub mod legal;
pub mod needs;
pub mod note;
pub mod outcome;
pub mod partner;
pub mod plan;
pub mod policy;
pub mod profile;
pub mod referral;
pub mod release;
pub mod role;
pub mod service;
pub mod sharing;
pub mod signin;
pub mod text;
pub mod time;
pub mod timeline;

pub use ids::{
    CaseId, ClientChangeId, ClientId, ClosureId, ContactId, ContactRequestId, DeterminationId,
    EmergencyAccessId, FollowUpId, GoalId, NeedsAssessmentId, NoteId, OutcomeAssessmentId,
    PartnerId, PlanReviewId, PlanStepId, ReferralId, ReferralStepId, ReleaseId, ScreeningId,
    ServiceId, TeamId, TokenId, UserId,
};
pub use role::Role;
pub use time::Timestamp;

/// A value a person typed that could not become a domain value. The message names the field and
/// the rule, never the value itself: values may be personal data (SECURITY.md P5).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct InvalidInput {
    pub field: &'static str,
    pub problem: &'static str,
}

impl InvalidInput {
    pub const fn new(field: &'static str, problem: &'static str) -> Self {
        Self { field, problem }
    }
}
