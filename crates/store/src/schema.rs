//! The shape of the records tables, as the backup sees them: which tables, in what order (parents
//! before children), and what kind of value each column holds.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Text,
    Blob,
}

#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    pub key: &'static str,
    pub columns: &'static [(&'static str, Kind)],
}

use Kind::*;

/// Every records table a backup carries, parents first. The migration ledger is not carried (the
/// backup names its schema version instead), nor the audit head (it is rebuilt from the events),
/// nor the key store (it is not part of the records, see `keystore`), nor sign-in sessions (a
/// restore signs everyone out).
pub const BACKUP_TABLES: &[Table] = &[
    Table {
        name: "users",
        key: "id",
        columns: &[
            ("id", Text),
            ("username", Text),
            ("role", Text),
            ("created_at", Int),
            ("disabled_at", Int),
        ],
    },
    Table {
        name: "api_tokens",
        key: "id",
        columns: &[
            ("id", Text),
            ("user_id", Text),
            ("token_hash", Blob),
            ("label", Text),
            ("created_at", Int),
            ("expires_at", Int),
            ("revoked_at", Int),
        ],
    },
    Table {
        name: "credentials",
        key: "user_id",
        columns: &[
            ("user_id", Text),
            ("password_hash", Text),
            ("totp_secret", Blob),
            ("totp_confirmed_at", Int),
            ("totp_last_step", Int),
            ("failed_attempts", Int),
            ("last_failure_at", Int),
            ("updated_at", Int),
        ],
    },
    Table {
        name: "passkeys",
        key: "credential_id",
        columns: &[
            ("credential_id", Blob),
            ("user_id", Text),
            ("public_key", Blob),
            ("sign_count", Int),
            ("created_at", Int),
            ("last_used_at", Int),
        ],
    },
    Table {
        name: "clients",
        key: "id",
        columns: &[
            ("id", Text),
            ("created_at", Int),
            ("created_by", Text),
            ("preferred_name", Blob),
            ("legal_name", Blob),
            ("date_of_birth", Blob),
            ("contact", Blob),
            ("languages", Blob),
            ("gender", Text),
            ("age_band", Text),
            ("name_index", Text),
            ("dob_index", Text),
            ("safety", Blob),
            ("alias_index", Text),
            ("erased_at", Int),
            ("restricted", Int),
        ],
    },
    Table {
        name: "assignments",
        key: "client_id, user_id",
        columns: &[("client_id", Text), ("user_id", Text), ("assigned_at", Int)],
    },
    Table {
        name: "teams",
        key: "id",
        columns: &[("id", Text), ("name", Text), ("created_at", Int)],
    },
    Table {
        name: "team_members",
        key: "team_id, user_id",
        columns: &[("team_id", Text), ("user_id", Text), ("leads", Int)],
    },
    Table {
        name: "cases",
        key: "id",
        columns: &[
            ("id", Text),
            ("client_id", Text),
            ("program", Text),
            ("opened_on", Text),
            ("closed_on", Text),
            ("assigned_to", Text),
            ("created_at", Int),
        ],
    },
    Table {
        name: "notes",
        key: "id",
        columns: &[
            ("id", Text),
            ("client_id", Text),
            ("author", Text),
            ("created_at", Int),
            ("body", Blob),
        ],
    },
    Table {
        name: "screenings",
        key: "id",
        columns: &[
            ("id", Text),
            ("client_id", Text),
            ("instrument", Text),
            ("instrument_version", Text),
            ("answers", Blob),
            ("score", Int),
            ("result", Text),
            ("screened_by", Text),
            ("created_at", Int),
        ],
    },
    Table {
        name: "emergency_access",
        key: "id",
        columns: &[
            ("id", Text),
            ("client_id", Text),
            ("user_id", Text),
            ("reason", Blob),
            ("granted_at", Int),
            ("expires_at", Int),
            ("reviewed_by", Text),
            ("reviewed_at", Int),
            ("review_outcome", Text),
        ],
    },
    Table {
        name: "determinations",
        key: "id",
        columns: &[
            ("id", Text),
            ("client_id", Text),
            ("worksheet", Blob),
            ("recorded_by", Text),
            ("created_at", Int),
        ],
    },
    Table {
        name: "contact_requests",
        key: "id",
        columns: &[
            ("id", Text),
            ("received_at", Int),
            ("expires_at", Int),
            ("language", Text),
            ("details", Blob),
            ("claimed_by", Text),
            ("claimed_at", Int),
            ("closed_at", Int),
            ("outcome", Text),
        ],
    },
    Table {
        name: "audit_events",
        key: "seq",
        columns: &[
            ("seq", Int),
            ("at", Int),
            ("actor", Text),
            ("action", Text),
            ("target", Text),
            ("purpose", Text),
            ("mac", Blob),
        ],
    },
];

/// Tables that exist but are deliberately not in a backup.
pub const NOT_BACKED_UP: &[&str] = &[
    "schema_migrations",
    "audit_head",
    "client_keys",
    "keystore_migrations",
    "sessions",
    "invitations",
    // Work in progress: a restore returns to the last recorded screenings and determinations.
    "screening_drafts",
];
