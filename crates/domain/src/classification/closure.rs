//! The records of closure and outcomes (migration 0029), classified: a case's closures, the
//! follow-ups after them, and outcome assessments with their scores.

use super::Kind::{Blob, Int, Text};
use super::Retention::ClientRecord;
use super::Sensitivity::{Classified, Operational, Personal, ReportDimension};
use super::{Backup, Home, Table, col};

// A case's closures (migration 0029): the day, the coded reason and the follow-up consent
// and method are coded facts a report counts; the note and the safe way to reach the person
// are their words about the person: sealed, wiped on erasure. Who closed, re-opened or
// recorded a withdrawal of consent, and when, is bookkeeping.
pub(super) const CASE_CLOSURES: Table = Table {
    name: "case_closures",
    home: Home::Records,
    client: Some("client_id"),
    backup: Backup::Carried { key: "id" },
    columns: &[
        col("id", Text, Operational, ClientRecord),
        col("client_id", Text, Operational, ClientRecord),
        col("case_id", Text, Operational, ClientRecord),
        col("closed_on", Text, ReportDimension, ClientRecord),
        col("reason", Text, ReportDimension, ClientRecord),
        col("note", Blob, Personal, ClientRecord),
        col("follow_up", Text, Classified, ClientRecord),
        col("reach_method", Text, Classified, ClientRecord),
        col("reach_how", Blob, Personal, ClientRecord),
        col("closed_by", Text, Operational, ClientRecord),
        col("created_at", Int, Operational, ClientRecord),
        col("reopened_on", Text, ReportDimension, ClientRecord),
        col("reopened_by", Text, Operational, ClientRecord),
        col("reopened_at", Int, Operational, ClientRecord),
        col("withdrawn_by", Text, Operational, ClientRecord),
        col("withdrawn_at", Int, Operational, ClientRecord),
        // Their client's `profile_id`, kept beside them for reports.
        col("profile_id", Int, ReportDimension, ClientRecord),
    ],
};

// A follow-up made after a closure: which one, whether the person was reached, and the
// contact in the log it was (whose words are sealed there).
pub(super) const FOLLOW_UPS: Table = Table {
    name: "follow_ups",
    home: Home::Records,
    client: Some("client_id"),
    backup: Backup::Carried { key: "id" },
    columns: &[
        col("id", Text, Operational, ClientRecord),
        col("client_id", Text, Operational, ClientRecord),
        col("closure_id", Text, Operational, ClientRecord),
        col("at", Text, Classified, ClientRecord),
        col("reached", Int, Classified, ClientRecord),
        col("contact_id", Text, Operational, ClientRecord),
        col("author", Text, Operational, ClientRecord),
        col("created_at", Int, Operational, ClientRecord),
    ],
};

// An outcome assessment: the point it was taken at and its day (coded), its note (sealed,
// wiped); its scores, one row per domain, coded facts a report counts.
pub(super) const OUTCOME_ASSESSMENTS: Table = Table {
    name: "outcome_assessments",
    home: Home::Records,
    client: Some("client_id"),
    backup: Backup::Carried { key: "id" },
    columns: &[
        col("id", Text, Operational, ClientRecord),
        col("client_id", Text, Operational, ClientRecord),
        col("author", Text, Operational, ClientRecord),
        col("created_at", Int, Operational, ClientRecord),
        col("point", Text, Classified, ClientRecord),
        col("assessed_on", Text, ReportDimension, ClientRecord),
        col("note", Blob, Personal, ClientRecord),
    ],
};

pub(super) const OUTCOME_SCORES: Table = Table {
    name: "outcome_scores",
    home: Home::Records,
    client: Some("client_id"),
    backup: Backup::Carried {
        key: "assessment_id, domain",
    },
    columns: &[
        col("assessment_id", Text, Operational, ClientRecord),
        col("client_id", Text, Operational, ClientRecord),
        col("domain", Text, Operational, ClientRecord),
        col("score", Text, ReportDimension, ClientRecord),
    ],
};
