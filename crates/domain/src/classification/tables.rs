//! The registry itself: every stored table and how each of its columns is kept.

use super::Kind::*;
use super::Retention::*;
use super::Sensitivity::*;
use super::{Backup, Home, Table, col};

/// Every stored table, in the records database and the key store, parents before children (the
/// order a backup is written and restored in).
pub const TABLES: &[Table] = &[
    Table {
        name: "schema_migrations",
        home: Home::Records,
        client: None,
        backup: Backup::LeftOut {
            why: "the backup names its schema version instead",
        },
        columns: &[
            col("version", Int, Operational, System),
            col("name", Text, Operational, System),
            col("applied_at", Int, Operational, System),
        ],
    },
    Table {
        name: "users",
        home: Home::Records,
        client: None,
        backup: Backup::Carried { key: "id" },
        columns: &[
            col("id", Text, Operational, StaffAccount),
            col("username", Text, Staff, StaffAccount),
            col("role", Text, Staff, StaffAccount),
            col("created_at", Int, Operational, StaffAccount),
            col("disabled_at", Int, Operational, StaffAccount),
            col("time_zone", Text, Staff, StaffAccount),
        ],
    },
    Table {
        name: "api_tokens",
        home: Home::Records,
        client: None,
        backup: Backup::Carried { key: "id" },
        columns: &[
            col("id", Text, Operational, StaffAccount),
            col("user_id", Text, Operational, StaffAccount),
            col("token_hash", Blob, Secret, StaffAccount),
            col("label", Text, Staff, StaffAccount),
            col("created_at", Int, Operational, StaffAccount),
            col("expires_at", Int, Operational, StaffAccount),
            col("revoked_at", Int, Operational, StaffAccount),
        ],
    },
    Table {
        name: "credentials",
        home: Home::Records,
        client: None,
        backup: Backup::Carried { key: "user_id" },
        columns: &[
            col("user_id", Text, Operational, StaffAccount),
            col("password_hash", Text, Secret, StaffAccount),
            col("totp_secret", Blob, SealedSecret, StaffAccount),
            col("totp_confirmed_at", Int, Operational, StaffAccount),
            col("totp_last_step", Int, Operational, StaffAccount),
            col("updated_at", Int, Operational, StaffAccount),
        ],
    },
    Table {
        name: "signin_throttle",
        home: Home::Records,
        client: None,
        backup: Backup::LeftOut {
            why: "failed sign-ins, forgotten within a day anyway",
        },
        columns: &[
            col("subject", Text, BlindIndex, SignInFailures),
            col("failures", Int, Operational, SignInFailures),
            col("last_failure_at", Int, Operational, SignInFailures),
        ],
    },
    Table {
        name: "passkeys",
        home: Home::Records,
        client: None,
        backup: Backup::Carried {
            key: "credential_id",
        },
        columns: &[
            col("credential_id", Blob, Staff, StaffAccount),
            col("user_id", Text, Operational, StaffAccount),
            col("public_key", Blob, Staff, StaffAccount),
            col("sign_count", Int, Operational, StaffAccount),
            col("created_at", Int, Operational, StaffAccount),
            col("last_used_at", Int, Operational, StaffAccount),
        ],
    },
    Table {
        name: "sessions",
        home: Home::Records,
        client: None,
        backup: Backup::LeftOut {
            why: "a restore signs everyone out",
        },
        columns: &[
            col("id_hash", Blob, Secret, StaffAccount),
            col("user_id", Text, Operational, StaffAccount),
            col("created_at", Int, Operational, StaffAccount),
            col("last_seen_at", Int, Operational, StaffAccount),
            col("authenticated_at", Int, Operational, StaffAccount),
            col("ended_at", Int, Operational, StaffAccount),
            col("passkey_at", Int, Operational, StaffAccount),
            col("challenge", Blob, Secret, StaffAccount),
            col("challenge_at", Int, Operational, StaffAccount),
        ],
    },
    Table {
        name: "invitations",
        home: Home::Records,
        client: None,
        backup: Backup::LeftOut {
            why: "a restore makes sign-up links void",
        },
        columns: &[
            col("id_hash", Blob, Secret, StaffAccount),
            col("user_id", Text, Operational, StaffAccount),
            col("role", Text, Operational, StaffAccount),
            col("created_at", Int, Operational, StaffAccount),
            col("expires_at", Int, Operational, StaffAccount),
            col("used_at", Int, Operational, StaffAccount),
        ],
    },
    Table {
        name: "clients",
        home: Home::Records,
        client: Some("id"),
        backup: Backup::Carried { key: "id" },
        columns: &[
            col("id", Text, Operational, ClientRecord),
            col("created_at", Int, Operational, ClientRecord),
            col("created_by", Text, Operational, ClientRecord),
            col("preferred_name", Blob, Personal, ClientRecord),
            col("legal_name", Blob, Personal, ClientRecord),
            col("date_of_birth", Blob, Personal, ClientRecord),
            col("contact", Blob, Personal, ClientRecord),
            col("languages", Blob, Personal, ClientRecord),
            col("gender", Text, ReportDimension, ClientRecord),
            col("age_band", Text, ReportDimension, ClientRecord),
            col("name_index", Text, BlindIndex, ClientRecord),
            col("dob_index", Text, BlindIndex, ClientRecord),
            col("safety", Blob, Personal, ClientRecord),
            col("alias_index", Text, BlindIndex, ClientRecord),
            col("erased_at", Int, Operational, ClientRecord),
            col("restricted", Int, Classified, ClientRecord),
            col("aliases", Blob, Personal, ClientRecord),
            col("trafficking_type", Text, ReportDimension, ClientRecord),
            col("citizenship", Text, ReportDimension, ClientRecord),
            col("referral_source", Text, ReportDimension, ClientRecord),
            col("age_at_intake", Text, ReportDimension, ClientRecord),
            // The earliest of their services' days (in the clear there too), kept for reports.
            col("first_served_on", Text, ReportDimension, ClientRecord),
            // Their report dimensions' number in `report_profiles`, kept for reports.
            col("profile_id", Int, ReportDimension, ClientRecord),
        ],
    },
    // Each combination of report dimensions some client has had, once, under a number: the
    // values are those in the clear on the clients' rows, and name no one.
    Table {
        name: "report_profiles",
        home: Home::Records,
        client: None,
        backup: Backup::Carried { key: "id" },
        columns: &[
            col("id", Int, Operational, System),
            col("gender", Text, ReportDimension, System),
            col("age_band", Text, ReportDimension, System),
            col("age_at_intake", Text, ReportDimension, System),
            col("trafficking_type", Text, ReportDimension, System),
            col("citizenship", Text, ReportDimension, System),
            col("referral_source", Text, ReportDimension, System),
            col("key", Text, ReportDimension, System),
        ],
    },
    // The history of changes to a client's details: who changed which fields, and when, kept as
    // bookkeeping (the names of fields say nothing of the person); the values they held before
    // are the person's data, sealed under their key and wiped on erasure.
    Table {
        name: "client_changes",
        home: Home::Records,
        client: Some("client_id"),
        backup: Backup::Carried { key: "id" },
        columns: &[
            col("id", Text, Operational, ClientRecord),
            col("client_id", Text, Operational, ClientRecord),
            col("author", Text, Operational, ClientRecord),
            col("changed_at", Int, Operational, ClientRecord),
            col("fields", Text, Operational, ClientRecord),
            col("previous", Blob, Personal, ClientRecord),
        ],
    },
    Table {
        name: "assignments",
        home: Home::Records,
        client: Some("client_id"),
        backup: Backup::Carried {
            key: "client_id, user_id",
        },
        columns: &[
            col("client_id", Text, Operational, ClientRecord),
            col("user_id", Text, Operational, ClientRecord),
            col("assigned_at", Int, Operational, ClientRecord),
        ],
    },
    Table {
        name: "teams",
        home: Home::Records,
        client: None,
        backup: Backup::Carried { key: "id" },
        columns: &[
            col("id", Text, Operational, StaffAccount),
            col("name", Text, Operational, StaffAccount),
            col("created_at", Int, Operational, StaffAccount),
        ],
    },
    Table {
        name: "team_members",
        home: Home::Records,
        client: None,
        backup: Backup::Carried {
            key: "team_id, user_id",
        },
        columns: &[
            col("team_id", Text, Operational, StaffAccount),
            col("user_id", Text, Operational, StaffAccount),
            col("leads", Int, Operational, StaffAccount),
        ],
    },
    Table {
        name: "cases",
        home: Home::Records,
        client: Some("client_id"),
        backup: Backup::Carried { key: "id" },
        columns: &[
            col("id", Text, Operational, ClientRecord),
            col("client_id", Text, Operational, ClientRecord),
            col("program", Text, Operational, ClientRecord),
            col("opened_on", Text, Operational, ClientRecord),
            col("closed_on", Text, Operational, ClientRecord),
            col("assigned_to", Text, Operational, ClientRecord),
            col("created_at", Int, Operational, ClientRecord),
            col("transferred_from", Text, Operational, ClientRecord),
            // Their client's `profile_id`, kept beside them for reports.
            col("profile_id", Int, ReportDimension, ClientRecord),
        ],
    },
    Table {
        name: "programs",
        home: Home::Records,
        client: None,
        backup: Backup::Carried { key: "code" },
        columns: &[
            col("code", Text, Operational, System),
            col("name", Text, Staff, System),
            col("created_at", Int, Operational, System),
        ],
    },
    Table {
        name: "notes",
        home: Home::Records,
        client: Some("client_id"),
        backup: Backup::Carried { key: "id" },
        columns: &[
            col("id", Text, Operational, ClientRecord),
            col("client_id", Text, Operational, ClientRecord),
            col("author", Text, Operational, ClientRecord),
            col("created_at", Int, Operational, ClientRecord),
            col("body", Blob, Personal, ClientRecord),
            col("kind", Text, Classified, ClientRecord),
        ],
    },
    // A contact's who-was-there and note are the worker's words about the person (wiped on
    // erasure, with the key); when, how, how long and whether the person was reached are coded
    // facts of the work, kept like a case's program and dates.
    Table {
        name: "contacts",
        home: Home::Records,
        client: Some("client_id"),
        backup: Backup::Carried { key: "id" },
        columns: &[
            col("id", Text, Operational, ClientRecord),
            col("client_id", Text, Operational, ClientRecord),
            col("author", Text, Operational, ClientRecord),
            col("created_at", Int, Operational, ClientRecord),
            col("occurred_at", Int, Operational, ClientRecord),
            col("method", Text, Classified, ClientRecord),
            col("reached", Int, ReportDimension, ClientRecord),
            col("minutes", Int, Classified, ClientRecord),
            col("present", Blob, Personal, ClientRecord),
            col("note", Blob, Personal, ClientRecord),
        ],
    },
    // A service's note is the worker's words (wiped on erasure, with the key); its day, type,
    // way, minutes and units are coded facts a funder's report counts.
    Table {
        name: "services",
        home: Home::Records,
        client: Some("client_id"),
        backup: Backup::Carried { key: "id" },
        columns: &[
            col("id", Text, Operational, ClientRecord),
            col("client_id", Text, Operational, ClientRecord),
            col("author", Text, Operational, ClientRecord),
            col("created_at", Int, Operational, ClientRecord),
            col("delivered_on", Text, ReportDimension, ClientRecord),
            col("code", Text, ReportDimension, ClientRecord),
            col("mode", Text, Classified, ClientRecord),
            col("minutes", Int, Classified, ClientRecord),
            col("units", Int, Classified, ClientRecord),
            col("note", Blob, Personal, ClientRecord),
        ],
    },
    // Each type of service's bit in the masks below, fixed by the migration that made the table.
    Table {
        name: "service_bits",
        home: Home::Records,
        client: None,
        backup: Backup::LeftOut {
            why: "written by the migration that made it, the same in every database",
        },
        columns: &[
            col("code", Text, Operational, System),
            col("bit", Int, Operational, System),
        ],
    },
    // What the reports count of a person's services in a fiscal quarter or year: the types and
    // the first day, summed from the services' own report dimensions as each is recorded.
    Table {
        name: "served_periods",
        home: Home::Records,
        client: Some("client_id"),
        backup: Backup::Carried {
            key: "span, starts_on, client_id",
        },
        columns: &[
            col("span", Text, Operational, ClientRecord),
            col("starts_on", Text, ReportDimension, ClientRecord),
            col("client_id", Text, Operational, ClientRecord),
            col("mask", Int, ReportDimension, ClientRecord),
            col("first_on", Text, ReportDimension, ClientRecord),
            // Copies kept beside the sums, so that a report reads the rows alone: the client's
            // `profile_id` and `first_served_on`, and the year's row's `first_on`.
            col("profile_id", Int, ReportDimension, ClientRecord),
            col("first_ever_on", Text, ReportDimension, ClientRecord),
            col("year_first_on", Text, ReportDimension, ClientRecord),
        ],
    },
    // The directory of partners: organisations, not clients.
    Table {
        name: "partners",
        home: Home::Records,
        client: None,
        backup: Backup::Carried { key: "id" },
        columns: &[
            col("id", Text, Operational, System),
            col("name", Text, Operational, System),
            col("services", Text, Operational, System),
            col("languages", Text, Operational, System),
            col("area", Text, Operational, System),
            col("safe_contact", Text, Operational, System),
            col("created_by", Text, Operational, System),
            col("created_at", Int, Operational, System),
        ],
    },
    // A release of information (P22): who may receive what (the recipient, the purpose and a
    // witness are the client's words and people: sealed, wiped on erasure); what it shares, how
    // it was given, from and until when and how it was withdrawn are coded facts every decision
    // to share reads without the client's key, and a report counts.
    Table {
        name: "releases",
        home: Home::Records,
        client: Some("client_id"),
        backup: Backup::Carried { key: "id" },
        columns: &[
            col("id", Text, Operational, ClientRecord),
            col("client_id", Text, Operational, ClientRecord),
            col("partner_id", Text, Classified, ClientRecord),
            col("author", Text, Operational, ClientRecord),
            col("created_at", Int, Operational, ClientRecord),
            col("recipient", Blob, Personal, ClientRecord),
            col("purpose", Blob, Personal, ClientRecord),
            col("shares", Text, Classified, ClientRecord),
            col("method", Text, Classified, ClientRecord),
            col("witness", Blob, Personal, ClientRecord),
            col("cosigner", Text, Classified, ClientRecord),
            col("starts_on", Text, Classified, ClientRecord),
            col("ends_on", Text, Classified, ClientRecord),
            col("withdrawn_at", Int, Operational, ClientRecord),
            col("withdrawn_by", Text, Operational, ClientRecord),
            col("withdrawn_how", Text, Classified, ClientRecord),
        ],
    },
    // A referral to a partner and each of its steps: to whom, for what type of service, sharing
    // which parts, under which release, where it stands are coded facts a report counts (referrals
    // by outcome, time to acceptance); the notes are the worker's words, sealed and wiped.
    Table {
        name: "referrals",
        home: Home::Records,
        client: Some("client_id"),
        backup: Backup::Carried { key: "id" },
        columns: &[
            col("id", Text, Operational, ClientRecord),
            col("client_id", Text, Operational, ClientRecord),
            col("partner_id", Text, Classified, ClientRecord),
            col("release_id", Text, Operational, ClientRecord),
            col("author", Text, Operational, ClientRecord),
            col("created_at", Int, Operational, ClientRecord),
            col("service", Text, Classified, ClientRecord),
            col("shares", Text, Classified, ClientRecord),
            col("status", Text, ReportDimension, ClientRecord),
            col("status_at", Int, Operational, ClientRecord),
            col("note", Blob, Personal, ClientRecord),
        ],
    },
    Table {
        name: "referral_steps",
        home: Home::Records,
        client: Some("client_id"),
        backup: Backup::Carried { key: "id" },
        columns: &[
            col("id", Text, Operational, ClientRecord),
            col("referral_id", Text, Operational, ClientRecord),
            col("client_id", Text, Operational, ClientRecord),
            col("status", Text, ReportDimension, ClientRecord),
            col("at", Int, Operational, ClientRecord),
            col("author", Text, Operational, ClientRecord),
            col("note", Blob, Personal, ClientRecord),
        ],
    },
    // A needs assessment: on what day, who recorded it, and a note on the whole (the worker's
    // words about the person: sealed, wiped on erasure). Its answers, one row per domain: the
    // level is a coded fact a report counts (urgent housing needs), kept like a contact's method;
    // the note on each is sealed and wiped.
    Table {
        name: "need_assessments",
        home: Home::Records,
        client: Some("client_id"),
        backup: Backup::Carried { key: "id" },
        columns: &[
            col("id", Text, Operational, ClientRecord),
            col("client_id", Text, Operational, ClientRecord),
            col("author", Text, Operational, ClientRecord),
            col("created_at", Int, Operational, ClientRecord),
            col("assessed_on", Text, ReportDimension, ClientRecord),
            col("note", Blob, Personal, ClientRecord),
        ],
    },
    Table {
        name: "need_answers",
        home: Home::Records,
        client: Some("client_id"),
        backup: Backup::Carried {
            key: "assessment_id, domain",
        },
        columns: &[
            col("assessment_id", Text, Operational, ClientRecord),
            col("client_id", Text, Operational, ClientRecord),
            col("domain", Text, Operational, ClientRecord),
            col("level", Text, ReportDimension, ClientRecord),
            col("note", Blob, Personal, ClientRecord),
        ],
    },
    // A service plan: when its next review is due, one row per client; its goals (the client's
    // words sealed; the need each answers, its status and days kept as coded facts); the steps
    // towards them (the words sealed; who takes each, by when and where it stands in the clear,
    // so that what is due is listed without a key); and the reviews (the note sealed).
    Table {
        name: "service_plans",
        home: Home::Records,
        client: Some("client_id"),
        backup: Backup::Carried { key: "client_id" },
        columns: &[
            col("client_id", Text, Operational, ClientRecord),
            col("started_on", Text, Classified, ClientRecord),
            col("review_due_on", Text, Classified, ClientRecord),
        ],
    },
    Table {
        name: "plan_goals",
        home: Home::Records,
        client: Some("client_id"),
        backup: Backup::Carried { key: "id" },
        columns: &[
            col("id", Text, Operational, ClientRecord),
            col("client_id", Text, Operational, ClientRecord),
            col("author", Text, Operational, ClientRecord),
            col("created_at", Int, Operational, ClientRecord),
            col("set_on", Text, Classified, ClientRecord),
            col("need", Text, Classified, ClientRecord),
            col("words", Blob, Personal, ClientRecord),
            col("status", Text, Classified, ClientRecord),
            col("status_on", Text, Classified, ClientRecord),
        ],
    },
    Table {
        name: "plan_steps",
        home: Home::Records,
        client: Some("client_id"),
        backup: Backup::Carried { key: "id" },
        columns: &[
            col("id", Text, Operational, ClientRecord),
            col("goal_id", Text, Operational, ClientRecord),
            col("client_id", Text, Operational, ClientRecord),
            col("author", Text, Operational, ClientRecord),
            col("created_at", Int, Operational, ClientRecord),
            col("words", Blob, Personal, ClientRecord),
            col("owner", Text, Classified, ClientRecord),
            col("partner_id", Text, Operational, ClientRecord),
            col("target_on", Text, Classified, ClientRecord),
            col("status", Text, Classified, ClientRecord),
            col("status_at", Int, Operational, ClientRecord),
        ],
    },
    Table {
        name: "plan_reviews",
        home: Home::Records,
        client: Some("client_id"),
        backup: Backup::Carried { key: "id" },
        columns: &[
            col("id", Text, Operational, ClientRecord),
            col("client_id", Text, Operational, ClientRecord),
            col("author", Text, Operational, ClientRecord),
            col("created_at", Int, Operational, ClientRecord),
            col("reviewed_on", Text, Classified, ClientRecord),
            col("next_review_on", Text, Classified, ClientRecord),
            col("note", Blob, Personal, ClientRecord),
        ],
    },
    // A case's closures, the follow-ups after them, and outcome assessments (migration 0029).
    super::closure::CASE_CLOSURES,
    super::closure::FOLLOW_UPS,
    super::closure::OUTCOME_ASSESSMENTS,
    super::closure::OUTCOME_SCORES,
    Table {
        name: "screenings",
        home: Home::Records,
        client: Some("client_id"),
        backup: Backup::Carried { key: "id" },
        columns: &[
            col("id", Text, Operational, ClientRecord),
            col("client_id", Text, Operational, ClientRecord),
            col("instrument", Text, Operational, ClientRecord),
            col("instrument_version", Text, Operational, ClientRecord),
            col("answers", Blob, Personal, ClientRecord),
            col("score", Int, Classified, ClientRecord).wiped(),
            col("result", Text, ReportDimension, ClientRecord).wiped(),
            col("screened_by", Text, Operational, ClientRecord),
            col("created_at", Int, Operational, ClientRecord),
        ],
    },
    Table {
        name: "emergency_access",
        home: Home::Records,
        client: Some("client_id"),
        backup: Backup::Carried { key: "id" },
        columns: &[
            col("id", Text, Operational, ClientRecord),
            col("client_id", Text, Operational, ClientRecord),
            col("user_id", Text, Operational, ClientRecord),
            col("reason", Blob, Personal, ClientRecord),
            col("granted_at", Int, Operational, ClientRecord),
            col("expires_at", Int, Operational, ClientRecord),
            col("reviewed_by", Text, Operational, ClientRecord),
            col("reviewed_at", Int, Operational, ClientRecord),
            col("review_outcome", Text, Operational, ClientRecord),
            col("review_comment", Blob, Personal, ClientRecord),
        ],
    },
    Table {
        name: "determinations",
        home: Home::Records,
        client: Some("client_id"),
        backup: Backup::Carried { key: "id" },
        columns: &[
            col("id", Text, Operational, ClientRecord),
            col("client_id", Text, Operational, ClientRecord),
            col("worksheet", Blob, Personal, ClientRecord),
            col("recorded_by", Text, Operational, ClientRecord),
            col("created_at", Int, Operational, ClientRecord),
        ],
    },
    // What each determination's facts made of each legal definition on the day (migration
    // 0041): the dashboard counts them. A legal conclusion about the person, so wiped with
    // them, as a screening's result is.
    Table {
        name: "determination_outcomes",
        home: Home::Records,
        client: Some("client_id"),
        backup: Backup::Carried {
            key: "determination_id, rule_id",
        },
        columns: &[
            col("determination_id", Text, Operational, ClientRecord),
            col("client_id", Text, Operational, ClientRecord),
            col("rule_id", Text, Operational, ClientRecord),
            col("outcome", Text, ReportDimension, ClientRecord).wiped(),
        ],
    },
    Table {
        name: "screening_drafts",
        home: Home::Records,
        client: Some("client_id"),
        backup: Backup::LeftOut {
            why: "work in progress: a restore returns to the last recorded screenings and determinations",
        },
        columns: &[
            col("client_id", Text, Operational, ClientDraft),
            col("user_id", Text, Operational, ClientDraft),
            col("instrument", Text, Operational, ClientDraft),
            col("answers", Blob, Personal, ClientDraft),
            col("updated_at", Int, Operational, ClientDraft),
        ],
    },
    Table {
        name: "contact_requests",
        home: Home::Records,
        client: None,
        backup: Backup::Carried { key: "id" },
        columns: &[
            col("id", Text, Operational, ContactRequest),
            col("received_at", Int, Operational, ContactRequest),
            col("expires_at", Int, Operational, ContactRequest),
            col("language", Text, Classified, ContactRequest),
            col("details", Blob, Personal, ContactRequest),
            col("claimed_by", Text, Operational, ContactRequest),
            col("claimed_at", Int, Operational, ContactRequest),
            col("closed_at", Int, Operational, ContactRequest),
            col("outcome", Text, Operational, ContactRequest),
        ],
    },
    Table {
        name: "audit_events",
        home: Home::Records,
        client: None,
        backup: Backup::Carried { key: "seq" },
        columns: &[
            col("seq", Int, Operational, Audit),
            col("at", Int, Operational, Audit),
            col("actor", Text, Operational, Audit),
            col("action", Text, Operational, Audit),
            col("target", Text, Operational, Audit),
            col("purpose", Text, Operational, Audit),
            col("mac", Blob, Secret, Audit),
        ],
    },
    Table {
        name: "audit_head",
        home: Home::Records,
        client: None,
        backup: Backup::LeftOut {
            why: "rebuilt from the events on restore",
        },
        columns: &[
            col("id", Int, Operational, Audit),
            col("seq", Int, Operational, Audit),
            col("mac", Blob, Secret, Audit),
            col("tag", Blob, Secret, Audit),
        ],
    },
    Table {
        name: "keystore_migrations",
        home: Home::KeyStore,
        client: None,
        backup: Backup::LeftOut {
            why: "part of the key store",
        },
        columns: &[
            col("version", Int, Operational, System),
            col("name", Text, Operational, System),
            col("applied_at", Int, Operational, System),
        ],
    },
    Table {
        name: "client_keys",
        home: Home::KeyStore,
        client: Some("client_id"),
        backup: Backup::LeftOut {
            why: "the key store is backed up apart from the records (`keys backup`), so that erasure reaches old records backups",
        },
        columns: &[
            col("client_id", Text, Operational, ClientRecord),
            col("dek_version", Int, Operational, ClientRecord),
            col("kek_version", Int, Operational, ClientRecord),
            col("wrapped", Blob, Secret, ClientRecord),
            col("created_at", Int, Operational, ClientRecord),
        ],
    },
];
