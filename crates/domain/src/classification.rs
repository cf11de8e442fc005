//! The data-classification registry (SECURITY.md P1): every table we store and every column in it,
//! how sensitive it is, how long it is kept, whether it is encrypted, and what erasing a client
//! does to it. It is the one list of where client data lives: erasure (`store`'s
//! `Tx::erase_client`) and backups (`store::backup`) are driven by it, and the storage
//! conformance suite reads each engine's real schema and fails on any table or column missing
//! here, or listed but absent, and proves erasure over every table it marks as client data.

mod closure;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sensitivity {
    /// Bookkeeping with no personal content: ids, timestamps, versions.
    Operational,
    /// About staff, not clients: usernames, roles.
    Staff,
    /// Coded facts about a client that a program may leave blank (gender, age band).
    Classified,
    /// A keyed hash that matches equal values without revealing them.
    BlindIndex,
    /// Personal data or narrative about a client: always encrypted.
    Personal,
    /// Key material or credential hashes.
    Secret,
    /// A staff secret that must be readable by the server (a TOTP seed): sealed under a server key.
    SealedSecret,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retention {
    /// Kept while the client's record is kept; purged or erased with it.
    ClientRecord,
    /// A form about a client in progress: deleted when it is recorded, and with the client.
    ClientDraft,
    /// Kept for the audit period, never edited.
    Audit,
    /// Kept while the staff account exists.
    StaffAccount,
    /// Part of the running system.
    System,
    /// Failed sign-ins: forgotten a day after the last one (`domain::signin`).
    SignInFailures,
    /// A safe-contact request's details: wiped when it is closed, turned into a client record,
    /// or left unclaimed for 30 days.
    ContactRequest,
}

/// How a column's values are stored, as a backup carries them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Text,
    Blob,
}

/// Which database a table lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Home {
    /// The records database.
    Records,
    /// The key store, kept apart from the records (the wrapped client keys).
    KeyStore,
}

/// Whether a records backup carries a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backup {
    /// Carried, its rows in the order of `key` (one or more columns).
    Carried { key: &'static str },
    /// Deliberately left out, for the reason given.
    LeftOut { why: &'static str },
}

/// What erasing a client does to a column of a row of theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erasure {
    /// Kept: bookkeeping that says nothing about the person (ids, times, who worked with them).
    Kept,
    /// Set to nothing.
    Wiped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    pub sensitivity: Sensitivity,
    pub retention: Retention,
    pub encrypted: bool,
    pub erasure: Erasure,
}

impl Column {
    /// Wiped on erasure although not personal data itself (a screening's score and result).
    const fn wiped(self) -> Self {
        Column {
            erasure: Erasure::Wiped,
            ..self
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    pub name: &'static str,
    pub home: Home,
    /// The column naming the client a row is about, for a table that holds client data.
    pub client: Option<&'static str>,
    pub backup: Backup,
    pub columns: &'static [Column],
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The columns erasure wipes.
    pub fn wiped(&self) -> impl Iterator<Item = &'static Column> {
        self.columns.iter().filter(|c| c.erasure == Erasure::Wiped)
    }

    /// Whether erasing a client deletes their rows here outright (forms in progress).
    pub fn deleted_on_erasure(&self) -> bool {
        self.client.is_some()
            && self
                .columns
                .iter()
                .all(|c| c.retention == Retention::ClientDraft)
    }
}

/// A column. Personal data and sealed secrets are encrypted; personal data and blind indexes of a
/// client's record are wiped when the client is erased.
const fn col(
    name: &'static str,
    kind: Kind,
    sensitivity: Sensitivity,
    retention: Retention,
) -> Column {
    let encrypted = matches!(
        sensitivity,
        Sensitivity::Personal | Sensitivity::SealedSecret
    );
    let of_a_client = matches!(retention, Retention::ClientRecord);
    let erasure =
        if of_a_client && matches!(sensitivity, Sensitivity::Personal | Sensitivity::BlindIndex) {
            Erasure::Wiped
        } else {
            Erasure::Kept
        };
    Column {
        name,
        kind,
        sensitivity,
        retention,
        encrypted,
        erasure,
    }
}

use Kind::*;
use Retention::*;
use Sensitivity::*;

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
            col("gender", Text, Classified, ClientRecord),
            col("age_band", Text, Classified, ClientRecord),
            col("name_index", Text, BlindIndex, ClientRecord),
            col("dob_index", Text, BlindIndex, ClientRecord),
            col("safety", Blob, Personal, ClientRecord),
            col("alias_index", Text, BlindIndex, ClientRecord),
            col("erased_at", Int, Operational, ClientRecord),
            col("restricted", Int, Classified, ClientRecord),
            col("aliases", Blob, Personal, ClientRecord),
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
            col("reached", Int, Classified, ClientRecord),
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
            col("delivered_on", Text, Classified, ClientRecord),
            col("code", Text, Classified, ClientRecord),
            col("mode", Text, Classified, ClientRecord),
            col("minutes", Int, Classified, ClientRecord),
            col("units", Int, Classified, ClientRecord),
            col("note", Blob, Personal, ClientRecord),
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
            col("status", Text, Classified, ClientRecord),
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
            col("status", Text, Classified, ClientRecord),
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
            col("assessed_on", Text, Classified, ClientRecord),
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
            col("level", Text, Classified, ClientRecord),
            col("note", Blob, Personal, ClientRecord),
        ],
    },
    // A case's closures, the follow-ups after them, and outcome assessments (migration 0029).
    closure::CASE_CLOSURES,
    closure::FOLLOW_UPS,
    closure::OUTCOME_ASSESSMENTS,
    closure::OUTCOME_SCORES,
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
            col("result", Text, Classified, ClientRecord).wiped(),
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

/// The registry entry for a table, if it has one.
pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

/// The registry entry for a column, if it has one.
pub fn lookup(table: &str, column: &str) -> Option<&'static Column> {
    self::table(table)?.column(column)
}

/// The tables a records backup carries, parents first.
pub fn backed_up() -> impl Iterator<Item = (&'static Table, &'static str)> {
    TABLES.iter().filter_map(|t| match t.backup {
        Backup::Carried { key } => Some((t, key)),
        Backup::LeftOut { .. } => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_personal_column_is_encrypted_and_nothing_is_listed_twice() {
        for (i, t) in TABLES.iter().enumerate() {
            assert!(
                TABLES[..i].iter().all(|u| u.name != t.name),
                "{} twice",
                t.name
            );
            for (j, c) in t.columns.iter().enumerate() {
                assert_eq!(
                    c.encrypted,
                    matches!(c.sensitivity, Personal | SealedSecret),
                    "{}.{}",
                    t.name,
                    c.name
                );
                assert!(
                    t.columns[..j].iter().all(|d| d.name != c.name),
                    "{}.{} listed twice",
                    t.name,
                    c.name
                );
            }
        }
    }

    #[test]
    fn client_data_is_in_tables_that_name_their_client_and_is_wiped_on_erasure() {
        for t in TABLES {
            for c in t.columns {
                if matches!(c.retention, ClientRecord | ClientDraft) {
                    assert!(t.client.is_some(), "{}.{} names no client", t.name, c.name);
                }
                if c.retention == ClientRecord && c.sensitivity == Personal {
                    assert_eq!(c.erasure, Erasure::Wiped, "{}.{}", t.name, c.name);
                }
            }
            if let Some(client) = t.client {
                assert!(t.column(client).is_some(), "{}.{client}", t.name);
            }
        }
        assert!(table("screening_drafts").is_some_and(Table::deleted_on_erasure));
        assert!(!table("notes").is_some_and(Table::deleted_on_erasure));
    }
}
