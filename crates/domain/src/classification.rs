//! The data-classification registry (SECURITY.md P1): every column we store, how sensitive it is,
//! how long it is kept and whether it is encrypted. A test in the storage conformance suite reads
//! each engine's real schema and fails on any column that is missing here, or listed but absent.

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
    /// Kept for the audit period, never edited.
    Audit,
    /// Kept while the staff account exists.
    StaffAccount,
    /// Part of the running system.
    System,
    /// A safe-contact request's details: wiped when it is closed, turned into a client record,
    /// or left unclaimed for 30 days.
    ContactRequest,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub table: &'static str,
    pub column: &'static str,
    pub sensitivity: Sensitivity,
    pub retention: Retention,
    pub encrypted: bool,
}

const fn col(
    table: &'static str,
    column: &'static str,
    sensitivity: Sensitivity,
    retention: Retention,
) -> Column {
    let encrypted = matches!(
        sensitivity,
        Sensitivity::Personal | Sensitivity::SealedSecret
    );
    Column {
        table,
        column,
        sensitivity,
        retention,
        encrypted,
    }
}

use Retention::*;
use Sensitivity::*;

/// Every stored column, in the data database and the key store.
pub const REGISTRY: &[Column] = &[
    col("schema_migrations", "version", Operational, System),
    col("schema_migrations", "name", Operational, System),
    col("schema_migrations", "applied_at", Operational, System),
    col("keystore_migrations", "version", Operational, System),
    col("keystore_migrations", "name", Operational, System),
    col("keystore_migrations", "applied_at", Operational, System),
    col("users", "id", Operational, StaffAccount),
    col("users", "username", Staff, StaffAccount),
    col("users", "role", Staff, StaffAccount),
    col("users", "created_at", Operational, StaffAccount),
    col("users", "disabled_at", Operational, StaffAccount),
    col("api_tokens", "id", Operational, StaffAccount),
    col("api_tokens", "user_id", Operational, StaffAccount),
    col("api_tokens", "token_hash", Secret, StaffAccount),
    col("api_tokens", "label", Staff, StaffAccount),
    col("api_tokens", "created_at", Operational, StaffAccount),
    col("api_tokens", "expires_at", Operational, StaffAccount),
    col("api_tokens", "revoked_at", Operational, StaffAccount),
    col("credentials", "user_id", Operational, StaffAccount),
    col("credentials", "password_hash", Secret, StaffAccount),
    col("credentials", "totp_secret", SealedSecret, StaffAccount),
    col(
        "credentials",
        "totp_confirmed_at",
        Operational,
        StaffAccount,
    ),
    col("credentials", "totp_last_step", Operational, StaffAccount),
    col("credentials", "failed_attempts", Operational, StaffAccount),
    col("credentials", "last_failure_at", Operational, StaffAccount),
    col("credentials", "updated_at", Operational, StaffAccount),
    col("sessions", "id_hash", Secret, StaffAccount),
    col("sessions", "user_id", Operational, StaffAccount),
    col("sessions", "created_at", Operational, StaffAccount),
    col("sessions", "last_seen_at", Operational, StaffAccount),
    col("sessions", "authenticated_at", Operational, StaffAccount),
    col("sessions", "ended_at", Operational, StaffAccount),
    col("sessions", "passkey_at", Operational, StaffAccount),
    col("sessions", "challenge", Secret, StaffAccount),
    col("sessions", "challenge_at", Operational, StaffAccount),
    col("passkeys", "credential_id", Staff, StaffAccount),
    col("passkeys", "user_id", Operational, StaffAccount),
    col("passkeys", "public_key", Staff, StaffAccount),
    col("passkeys", "sign_count", Operational, StaffAccount),
    col("passkeys", "created_at", Operational, StaffAccount),
    col("passkeys", "last_used_at", Operational, StaffAccount),
    col("invitations", "id_hash", Secret, StaffAccount),
    col("invitations", "user_id", Operational, StaffAccount),
    col("invitations", "role", Operational, StaffAccount),
    col("invitations", "created_at", Operational, StaffAccount),
    col("invitations", "expires_at", Operational, StaffAccount),
    col("invitations", "used_at", Operational, StaffAccount),
    col("screening_drafts", "client_id", Operational, ClientRecord),
    col("screening_drafts", "user_id", Operational, ClientRecord),
    col("screening_drafts", "instrument", Operational, ClientRecord),
    col("screening_drafts", "answers", Personal, ClientRecord),
    col("screening_drafts", "updated_at", Operational, ClientRecord),
    col("contact_requests", "id", Operational, ContactRequest),
    col(
        "contact_requests",
        "received_at",
        Operational,
        ContactRequest,
    ),
    col(
        "contact_requests",
        "expires_at",
        Operational,
        ContactRequest,
    ),
    col("contact_requests", "language", Classified, ContactRequest),
    col("contact_requests", "details", Personal, ContactRequest),
    col(
        "contact_requests",
        "claimed_by",
        Operational,
        ContactRequest,
    ),
    col(
        "contact_requests",
        "claimed_at",
        Operational,
        ContactRequest,
    ),
    col("contact_requests", "closed_at", Operational, ContactRequest),
    col("contact_requests", "outcome", Operational, ContactRequest),
    col("clients", "id", Operational, ClientRecord),
    col("clients", "created_at", Operational, ClientRecord),
    col("clients", "created_by", Operational, ClientRecord),
    col("clients", "preferred_name", Personal, ClientRecord),
    col("clients", "legal_name", Personal, ClientRecord),
    col("clients", "date_of_birth", Personal, ClientRecord),
    col("clients", "contact", Personal, ClientRecord),
    col("clients", "languages", Personal, ClientRecord),
    col("clients", "gender", Classified, ClientRecord),
    col("clients", "age_band", Classified, ClientRecord),
    col("clients", "name_index", BlindIndex, ClientRecord),
    col("clients", "dob_index", BlindIndex, ClientRecord),
    col("clients", "safety", Personal, ClientRecord),
    col("clients", "alias_index", BlindIndex, ClientRecord),
    col("clients", "erased_at", Operational, ClientRecord),
    col("clients", "restricted", Classified, ClientRecord),
    col("assignments", "client_id", Operational, ClientRecord),
    col("assignments", "user_id", Operational, ClientRecord),
    col("assignments", "assigned_at", Operational, ClientRecord),
    col("emergency_access", "id", Operational, ClientRecord),
    col("emergency_access", "client_id", Operational, ClientRecord),
    col("emergency_access", "user_id", Operational, ClientRecord),
    col("emergency_access", "reason", Personal, ClientRecord),
    col("emergency_access", "granted_at", Operational, ClientRecord),
    col("emergency_access", "expires_at", Operational, ClientRecord),
    col("emergency_access", "reviewed_by", Operational, ClientRecord),
    col("emergency_access", "reviewed_at", Operational, ClientRecord),
    col(
        "emergency_access",
        "review_outcome",
        Operational,
        ClientRecord,
    ),
    col("teams", "id", Operational, StaffAccount),
    col("teams", "name", Operational, StaffAccount),
    col("teams", "created_at", Operational, StaffAccount),
    col("team_members", "team_id", Operational, StaffAccount),
    col("team_members", "user_id", Operational, StaffAccount),
    col("team_members", "leads", Operational, StaffAccount),
    col("cases", "id", Operational, ClientRecord),
    col("cases", "client_id", Operational, ClientRecord),
    col("cases", "program", Operational, ClientRecord),
    col("cases", "opened_on", Operational, ClientRecord),
    col("cases", "closed_on", Operational, ClientRecord),
    col("cases", "assigned_to", Operational, ClientRecord),
    col("cases", "created_at", Operational, ClientRecord),
    col("notes", "id", Operational, ClientRecord),
    col("notes", "client_id", Operational, ClientRecord),
    col("notes", "author", Operational, ClientRecord),
    col("notes", "created_at", Operational, ClientRecord),
    col("notes", "body", Personal, ClientRecord),
    col("screenings", "id", Operational, ClientRecord),
    col("screenings", "client_id", Operational, ClientRecord),
    col("screenings", "instrument", Operational, ClientRecord),
    col(
        "screenings",
        "instrument_version",
        Operational,
        ClientRecord,
    ),
    col("screenings", "answers", Personal, ClientRecord),
    col("screenings", "score", Classified, ClientRecord),
    col("screenings", "result", Classified, ClientRecord),
    col("screenings", "screened_by", Operational, ClientRecord),
    col("screenings", "created_at", Operational, ClientRecord),
    col("determinations", "id", Operational, ClientRecord),
    col("determinations", "client_id", Operational, ClientRecord),
    col("determinations", "worksheet", Personal, ClientRecord),
    col("determinations", "recorded_by", Operational, ClientRecord),
    col("determinations", "created_at", Operational, ClientRecord),
    col("audit_events", "seq", Operational, Audit),
    col("audit_events", "at", Operational, Audit),
    col("audit_events", "actor", Operational, Audit),
    col("audit_events", "action", Operational, Audit),
    col("audit_events", "target", Operational, Audit),
    col("audit_events", "purpose", Operational, Audit),
    col("audit_events", "mac", Secret, Audit),
    col("audit_head", "id", Operational, Audit),
    col("audit_head", "seq", Operational, Audit),
    col("audit_head", "mac", Secret, Audit),
    col("client_keys", "client_id", Operational, ClientRecord),
    col("client_keys", "dek_version", Operational, ClientRecord),
    col("client_keys", "kek_version", Operational, ClientRecord),
    col("client_keys", "wrapped", Secret, ClientRecord),
    col("client_keys", "created_at", Operational, ClientRecord),
];

/// The registry entry for a column, if it has one.
pub fn lookup(table: &str, column: &str) -> Option<&'static Column> {
    REGISTRY
        .iter()
        .find(|c| c.table == table && c.column == column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_personal_column_is_encrypted_and_nothing_is_listed_twice() {
        for (i, c) in REGISTRY.iter().enumerate() {
            assert_eq!(
                c.encrypted,
                matches!(c.sensitivity, Personal | SealedSecret),
                "{}.{}",
                c.table,
                c.column
            );
            assert!(
                REGISTRY[..i]
                    .iter()
                    .all(|d| (d.table, d.column) != (c.table, c.column)),
                "{}.{} listed twice",
                c.table,
                c.column
            );
        }
    }
}
