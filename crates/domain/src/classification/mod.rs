//! The data-classification registry (SECURITY.md P1): every table we store and every column in it,
//! how sensitive it is, how long it is kept, whether it is encrypted, and what erasing a client
//! does to it. It is the one list of where client data lives: erasure (`store`'s
//! `Tx::erase_client`) and backups (`store::backup`) are driven by it, and the storage
//! conformance suite reads each engine's real schema and fails on any table or column missing
//! here, or listed but absent, and proves erasure over every table it marks as client data.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sensitivity {
    /// Bookkeeping with no personal content: ids, timestamps, versions.
    Operational,
    /// About staff, not clients: usernames, roles.
    Staff,
    /// Coded facts about a client that a program may leave blank (a contact's method, a plan
    /// step's status).
    Classified,
    /// A coded, non-identifying fact a report counts (gender, age range, kind of trafficking,
    /// citizenship, referral source, a service's type and day): in the clear, so that the
    /// database can count it without opening any client's key. What a stolen database would then
    /// show is set out in `docs/security.md`.
    ReportDimension,
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
pub(super) const fn col(
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

mod closure;
mod tables;

pub use tables::TABLES;

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
    use Retention::*;
    use Sensitivity::*;

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
