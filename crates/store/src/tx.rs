//! A transaction and every query the application runs in one. Parameterised SQL only (P15).

use std::collections::HashMap;

use crypto::SecretKey;
use domain::audit::NewAuditEvent;
use domain::policy::Relationship;
use domain::{ClientId, ContactRequestId, EmergencyAccessId, TeamId, Timestamp, TokenId, UserId};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::rows::{
    AuditRow, CaseRow, CaseloadPage, ClientLine, ClientRow, ContactRequestRow, CredentialsRow,
    DeterminationRow, EmergencyAccessRow, InvitationRow, NoteRow, PasskeyRow, RecordRows,
    ScreeningRow, SessionRow, TeamRow, TokenRow, UserRow,
};
use crate::{Result, StoreError};

/// A transaction: the queries that only read (`Reads`, which a `Tx` derefs to) and those that
/// write. Work that shares a group-committed transaction is handed only `Reads`, so the type
/// system keeps it from writing anything but the audit events it hands back.
pub struct Tx {
    reads: Reads,
    /// The writer's turn (SQLite), held until commit or rollback.
    turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

/// The reading half of a transaction.
pub struct Reads {
    inner: Transaction<'static, Any>,
    dialect: crate::Dialect,
}

impl std::ops::Deref for Tx {
    type Target = Reads;
    fn deref(&self) -> &Reads {
        &self.reads
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Reads {
        &mut self.reads
    }
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tx")
    }
}

impl std::fmt::Debug for Reads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Reads")
    }
}

pub(crate) fn ts(row: &AnyRow, col: &str) -> Result<Timestamp> {
    Ok(Timestamp::from_unix_millis(row.try_get(col)?))
}

pub(crate) fn opt_ts(row: &AnyRow, col: &str) -> Result<Option<Timestamp>> {
    Ok(row
        .try_get::<Option<i64>, _>(col)?
        .map(Timestamp::from_unix_millis))
}

pub(crate) fn parsed<T: std::str::FromStr>(row: &AnyRow, col: &str) -> Result<T> {
    row.try_get::<String, _>(col)?
        .parse()
        .map_err(|_| StoreError::Corrupt("an id or code column"))
}

fn opt_parsed<T: std::str::FromStr>(row: &AnyRow, col: &str) -> Result<Option<T>> {
    row.try_get::<Option<String>, _>(col)?
        .map(|s| {
            s.parse()
                .map_err(|_| StoreError::Corrupt("an id or code column"))
        })
        .transpose()
}

fn user(row: &AnyRow) -> Result<UserRow> {
    Ok(UserRow {
        id: parsed(row, "id")?,
        username: row.try_get("username")?,
        role: parsed(row, "role")?,
        created_at: ts(row, "created_at")?,
        disabled_at: opt_ts(row, "disabled_at")?,
    })
}

pub(crate) fn session(row: &AnyRow) -> Result<SessionRow> {
    Ok(SessionRow {
        user_id: parsed(row, "user_id")?,
        created_at: ts(row, "created_at")?,
        last_seen_at: ts(row, "last_seen_at")?,
        authenticated_at: ts(row, "authenticated_at")?,
        ended_at: opt_ts(row, "ended_at")?,
        passkey_at: opt_ts(row, "passkey_at")?,
    })
}

/// The account joined to a token or session row (its columns named as `live_token` names them).
pub(crate) fn joined_user(row: &AnyRow) -> Result<UserRow> {
    Ok(UserRow {
        id: parsed(row, "user_id")?,
        username: row.try_get("username")?,
        role: parsed(row, "role")?,
        created_at: ts(row, "user_created_at")?,
        disabled_at: opt_ts(row, "disabled_at")?,
    })
}

pub(crate) fn token(row: &AnyRow) -> Result<TokenRow> {
    Ok(TokenRow {
        id: parsed(row, "id")?,
        user_id: parsed(row, "user_id")?,
        label: row.try_get("label")?,
        created_at: ts(row, "created_at")?,
        expires_at: ts(row, "expires_at")?,
        revoked_at: opt_ts(row, "revoked_at")?,
    })
}

fn client(row: &AnyRow) -> Result<ClientRow> {
    Ok(ClientRow {
        id: parsed(row, "id")?,
        created_at: ts(row, "created_at")?,
        created_by: row.try_get("created_by")?,
        preferred_name: row.try_get("preferred_name")?,
        legal_name: row.try_get("legal_name")?,
        date_of_birth: row.try_get("date_of_birth")?,
        contact: row.try_get("contact")?,
        languages: row.try_get("languages")?,
        gender: row.try_get("gender")?,
        age_band: row.try_get("age_band")?,
        name_index: row.try_get("name_index")?,
        dob_index: row.try_get("dob_index")?,
        safety: row.try_get("safety")?,
        alias_index: row.try_get("alias_index")?,
        erased_at: opt_ts(row, "erased_at")?,
        restricted: row.try_get::<i64, _>("restricted")? == 1,
    })
}

fn client_line(row: &AnyRow) -> Result<ClientLine> {
    Ok(ClientLine {
        id: parsed(row, "id")?,
        created_at: ts(row, "created_at")?,
        preferred_name: row.try_get("preferred_name")?,
        age_band: row.try_get("age_band")?,
    })
}

/// The lines of a caseload page as `Dialect::lines_as_json` gives them, put in the page's order:
/// newest assignment first, ties by id, descending (ids are lowercase UUIDs, whose text orders
/// the same byte by byte as under either database's collation).
fn json_lines(json: &str) -> Result<Vec<ClientLine>> {
    type Line = (String, i64, Option<String>, Option<String>, i64);
    let mut lines: Vec<Line> =
        serde_json::from_str(json).map_err(|_| StoreError::Corrupt("a caseload line"))?;
    lines.sort_by(|a, b| (b.4, &b.0).cmp(&(a.4, &a.0)));
    lines
        .into_iter()
        .map(|(id, created_at, preferred_name, age_band, _)| {
            Ok(ClientLine {
                id: id.parse().map_err(|_| StoreError::Corrupt("a client id"))?,
                created_at: Timestamp::from_unix_millis(created_at),
                preferred_name: preferred_name
                    .map(hex::decode)
                    .transpose()
                    .map_err(|_| StoreError::Corrupt("a caseload line"))?,
                age_band,
            })
        })
        .collect()
}

/// The newest rows of `table` for each client in `$1`, at most `$2` each, newest first.
fn newest_of(columns: &str, table: &str, dialect: crate::Dialect) -> String {
    format!(
        "SELECT {columns} FROM (SELECT {columns}, ROW_NUMBER() OVER \
         (PARTITION BY client_id ORDER BY created_at DESC, id) AS place \
         FROM {table} WHERE client_id IN ({})) AS ranked \
         WHERE place <= $2 ORDER BY created_at DESC, id",
        dialect.each_of("$1")
    )
}

/// One client's rows out of rows grouped by client.
fn one<T>(mut grouped: HashMap<ClientId, Vec<T>>, client: ClientId) -> Vec<T> {
    grouped.remove(&client).unwrap_or_default()
}

fn note(row: &AnyRow) -> Result<NoteRow> {
    Ok(NoteRow {
        id: parsed(row, "id")?,
        client_id: parsed(row, "client_id")?,
        author: row.try_get("author")?,
        created_at: ts(row, "created_at")?,
        body: row.try_get("body")?,
    })
}

fn case(row: &AnyRow) -> Result<CaseRow> {
    Ok(CaseRow {
        id: parsed(row, "id")?,
        client_id: parsed(row, "client_id")?,
        program: row.try_get("program")?,
        opened_on: row.try_get("opened_on")?,
        closed_on: row.try_get("closed_on")?,
        assigned_to: opt_parsed(row, "assigned_to")?,
        created_at: ts(row, "created_at")?,
    })
}

fn screening(row: &AnyRow) -> Result<ScreeningRow> {
    Ok(ScreeningRow {
        id: parsed(row, "id")?,
        client_id: parsed(row, "client_id")?,
        instrument: row.try_get("instrument")?,
        instrument_version: row.try_get("instrument_version")?,
        answers: row.try_get("answers")?,
        score: row.try_get("score")?,
        result: row.try_get("result")?,
        screened_by: row.try_get("screened_by")?,
        created_at: ts(row, "created_at")?,
    })
}

fn determination(row: &AnyRow) -> Result<DeterminationRow> {
    Ok(DeterminationRow {
        id: parsed(row, "id")?,
        client_id: parsed(row, "client_id")?,
        worksheet: row.try_get("worksheet")?,
        recorded_by: row.try_get("recorded_by")?,
        created_at: ts(row, "created_at")?,
    })
}

pub(crate) fn audit(row: &AnyRow) -> Result<AuditRow> {
    Ok(AuditRow {
        seq: row.try_get("seq")?,
        at: ts(row, "at")?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        target: row.try_get("target")?,
        purpose: row.try_get("purpose")?,
        mac: row.try_get("mac")?,
    })
}

fn contact_request(row: &AnyRow) -> Result<ContactRequestRow> {
    Ok(ContactRequestRow {
        id: parsed(row, "id")?,
        received_at: ts(row, "received_at")?,
        expires_at: ts(row, "expires_at")?,
        language: row.try_get("language")?,
        details: row.try_get("details")?,
        claimed_by: opt_parsed(row, "claimed_by")?,
        claimed_at: opt_ts(row, "claimed_at")?,
        closed_at: opt_ts(row, "closed_at")?,
        outcome: row.try_get("outcome")?,
    })
}

/// The audit columns events are looked up by (each with an index).
#[derive(Debug, Clone, Copy)]
enum AuditColumn {
    Target,
    Actor,
    Action,
}

const CONTACT_REQUEST_COLUMNS: &str = "id, received_at, expires_at, language, details, claimed_by, \
     claimed_at, closed_at, outcome";

const CLIENT_COLUMNS: &str = "id, created_at, created_by, preferred_name, legal_name, date_of_birth, \
     contact, languages, gender, age_band, name_index, dob_index, safety, alias_index, erased_at, \
     restricted";
/// What a list of clients shows (see `ClientLine`), of a client table named `c`: a page of a
/// caseload copies no more than it needs.
const LINE_COLUMNS: &str = "c.id, c.created_at, c.preferred_name, c.age_band";

/// The most caseload pages one statement reads (`Reads::caseloads`); a group-committed batch
/// asks for no more.
const MAX_PAGES_AT_ONCE: usize = 64;

/// Assignments seen from the supervisors who lead a team the assigned worker is on (`a` the
/// assignment, `lead` the supervisor's membership), for a `SELECT` to put in front and `AND ...`
/// conditions to follow.
const SUPERVISED_FROM: &str = "FROM assignments a \
     JOIN team_members member ON member.user_id = a.user_id \
     JOIN team_members lead ON lead.team_id = member.team_id AND lead.leads = 1 \
     WHERE lead.user_id <> a.user_id";

/// How someone stands to a client, from whether they are assigned, lead a team one of whose
/// members is, or hold emergency access: the closest standing wins. A restricted client is
/// reached only by assignment.
fn standing(client: &ClientRow, assigned: bool, supervises: bool, emergency: bool) -> Relationship {
    if assigned {
        Relationship::Assigned
    } else if client.restricted {
        Relationship::Unassigned
    } else if supervises {
        Relationship::Supervises
    } else if emergency {
        Relationship::Emergency
    } else {
        Relationship::Unassigned
    }
}

impl Tx {
    pub(crate) fn new(
        inner: Transaction<'static, Any>,
        turn: Option<tokio::sync::OwnedMutexGuard<()>>,
        dialect: crate::Dialect,
    ) -> Self {
        Self {
            reads: Reads::new(inner, dialect),
            turn,
        }
    }

    /// The transaction and the writer's turn, for code in this crate that runs its own SQL.
    pub(crate) fn into_parts(
        self,
    ) -> (
        Transaction<'static, Any>,
        Option<tokio::sync::OwnedMutexGuard<()>>,
    ) {
        (self.reads.inner, self.turn)
    }

    pub async fn commit(self) -> Result<()> {
        Ok(self.reads.inner.commit().await?)
    }

    pub async fn rollback(self) -> Result<()> {
        Ok(self.reads.inner.rollback().await?)
    }

    // --- staff accounts and tokens -------------------------------------------------------------

    pub async fn insert_user(&mut self, user: &UserRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO users (id, username, role, created_at, disabled_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user.id.to_string())
        .bind(&user.username)
        .bind(user.role.as_str())
        .bind(user.created_at.unix_millis())
        .bind(user.disabled_at.map(Timestamp::unix_millis))
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Switches an account off (`Some(when)`) or back on (`None`); false if there is no such
    /// account.
    pub async fn set_user_disabled(
        &mut self,
        user: UserId,
        disabled_at: Option<Timestamp>,
    ) -> Result<bool> {
        let done = sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2")
            .bind(disabled_at.map(Timestamp::unix_millis))
            .bind(user.to_string())
            .execute(&mut *self.reads.inner)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn insert_token(&mut self, row: &TokenRow, hash: &[u8; 32]) -> Result<()> {
        sqlx::query(
            "INSERT INTO api_tokens (id, user_id, token_hash, label, created_at, expires_at, revoked_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(row.id.to_string())
        .bind(row.user_id.to_string())
        .bind(hash.to_vec())
        .bind(&row.label)
        .bind(row.created_at.unix_millis())
        .bind(row.expires_at.unix_millis())
        .bind(row.revoked_at.map(Timestamp::unix_millis))
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Revokes a token; false if it does not exist or was already revoked.
    pub async fn revoke_token(&mut self, id: TokenId, now: Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(now.unix_millis())
        .bind(id.to_string())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    // --- sign-in --------------------------------------------------------------------------------

    /// Writes a staff member's credentials whole (creating the row the first time).
    pub async fn put_credentials(
        &mut self,
        user: UserId,
        c: &CredentialsRow,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO credentials (user_id, password_hash, totp_secret, totp_confirmed_at, totp_last_step, \
             failed_attempts, last_failure_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (user_id) DO UPDATE SET password_hash = excluded.password_hash, \
             totp_secret = excluded.totp_secret, totp_confirmed_at = excluded.totp_confirmed_at, \
             totp_last_step = excluded.totp_last_step, failed_attempts = excluded.failed_attempts, \
             last_failure_at = excluded.last_failure_at, updated_at = excluded.updated_at",
        )
        .bind(user.to_string())
        .bind(c.password_hash.clone())
        .bind(c.totp_secret.clone())
        .bind(c.totp_confirmed_at.map(Timestamp::unix_millis))
        .bind(c.totp_last_step)
        .bind(c.failed_attempts)
        .bind(c.last_failure_at.map(Timestamp::unix_millis))
        .bind(now.unix_millis())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    pub async fn insert_session(&mut self, id_hash: &[u8; 32], s: &SessionRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, authenticated_at, ended_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id_hash.to_vec())
        .bind(s.user_id.to_string())
        .bind(s.created_at.unix_millis())
        .bind(s.last_seen_at.unix_millis())
        .bind(s.authenticated_at.unix_millis())
        .bind(s.ended_at.map(Timestamp::unix_millis))
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    pub async fn touch_session(&mut self, id_hash: &[u8; 32], now: Timestamp) -> Result<()> {
        self.stamp_session(
            "UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2 AND ended_at IS NULL",
            id_hash,
            now,
        )
        .await
    }

    /// Runs an `UPDATE` of a live session that sets `now` ($1) on the session hashed `id_hash` ($2).
    async fn stamp_session(
        &mut self,
        sql: &'static str,
        id_hash: &[u8; 32],
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(sql)
            .bind(now.unix_millis())
            .bind(id_hash.to_vec())
            .execute(&mut *self.reads.inner)
            .await?;
        Ok(())
    }

    /// Keeps a one-time passkey challenge on the session, replacing any earlier one.
    pub async fn set_session_challenge(
        &mut self,
        id_hash: &[u8; 32],
        challenge: &[u8],
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE sessions SET challenge = $1, challenge_at = $2 WHERE id_hash = $3 AND ended_at IS NULL",
        )
        .bind(challenge.to_vec())
        .bind(now.unix_millis())
        .bind(id_hash.to_vec())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Takes the session's passkey challenge and when it was issued: it can be answered once.
    pub async fn take_session_challenge(
        &mut self,
        id_hash: &[u8; 32],
    ) -> Result<Option<(Vec<u8>, Timestamp)>> {
        let row = sqlx::query(
            "SELECT challenge, challenge_at FROM sessions \
             WHERE id_hash = $1 AND ended_at IS NULL AND challenge IS NOT NULL",
        )
        .bind(id_hash.to_vec())
        .fetch_optional(&mut *self.reads.inner)
        .await?;
        sqlx::query("UPDATE sessions SET challenge = NULL, challenge_at = NULL WHERE id_hash = $1")
            .bind(id_hash.to_vec())
            .execute(&mut *self.reads.inner)
            .await?;
        row.map(|r| Ok((r.try_get("challenge")?, ts(&r, "challenge_at")?)))
            .transpose()
    }

    /// Records that the session just proved a passkey.
    pub async fn set_session_passkey(&mut self, id_hash: &[u8; 32], now: Timestamp) -> Result<()> {
        self.stamp_session(
            "UPDATE sessions SET passkey_at = $1 WHERE id_hash = $2 AND ended_at IS NULL",
            id_hash,
            now,
        )
        .await
    }

    /// Stores a new passkey; `false` if that credential is already registered.
    pub async fn insert_passkey(&mut self, row: &PasskeyRow) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO passkeys (credential_id, user_id, public_key, sign_count, created_at, last_used_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (credential_id) DO NOTHING",
        )
        .bind(row.credential_id.clone())
        .bind(row.user_id.to_string())
        .bind(row.public_key.clone())
        .bind(i64::from(row.sign_count))
        .bind(row.created_at.unix_millis())
        .bind(row.last_used_at.map(Timestamp::unix_millis))
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Forgets every passkey of a member of staff; how many there were.
    pub async fn delete_passkeys_of(&mut self, user: UserId) -> Result<u64> {
        let done = sqlx::query("DELETE FROM passkeys WHERE user_id = $1")
            .bind(user.to_string())
            .execute(&mut *self.reads.inner)
            .await?;
        Ok(done.rows_affected())
    }

    /// Records a passkey's use: its new counter and when.
    pub async fn passkey_used(
        &mut self,
        credential_id: &[u8],
        sign_count: u32,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE passkeys SET sign_count = $1, last_used_at = $2 WHERE credential_id = $3",
        )
        .bind(i64::from(sign_count))
        .bind(now.unix_millis())
        .bind(credential_id.to_vec())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Records that the session's owner proved who they are again just now.
    pub async fn reauthenticate_session(
        &mut self,
        id_hash: &[u8; 32],
        now: Timestamp,
    ) -> Result<()> {
        self.stamp_session(
            "UPDATE sessions SET authenticated_at = $1, last_seen_at = $1 \
             WHERE id_hash = $2 AND ended_at IS NULL",
            id_hash,
            now,
        )
        .await
    }

    pub async fn end_session(&mut self, id_hash: &[u8; 32], now: Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE sessions SET ended_at = $1 WHERE id_hash = $2 AND ended_at IS NULL",
        )
        .bind(now.unix_millis())
        .bind(id_hash.to_vec())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Ends every open session of a member of staff; returns how many.
    pub async fn end_sessions_of(&mut self, user: UserId, now: Timestamp) -> Result<u64> {
        let done = sqlx::query(
            "UPDATE sessions SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL",
        )
        .bind(now.unix_millis())
        .bind(user.to_string())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected())
    }

    // --- sign-up links --------------------------------------------------------------------------

    pub async fn insert_invitation(
        &mut self,
        id_hash: &[u8; 32],
        row: &InvitationRow,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO invitations (id_hash, user_id, role, created_at, expires_at, used_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id_hash.to_vec())
        .bind(row.user_id.map(|u| u.to_string()))
        .bind(row.role.as_str())
        .bind(row.created_at.unix_millis())
        .bind(row.expires_at.unix_millis())
        .bind(row.used_at.map(Timestamp::unix_millis))
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Ties a sign-up link to the account it made (the first administrator's).
    pub async fn bind_invitation(&mut self, id_hash: &[u8; 32], user: UserId) -> Result<()> {
        sqlx::query("UPDATE invitations SET user_id = $1 WHERE id_hash = $2 AND user_id IS NULL")
            .bind(user.to_string())
            .bind(id_hash.to_vec())
            .execute(&mut *self.reads.inner)
            .await?;
        Ok(())
    }

    /// Marks a link used; false if it already was.
    pub async fn use_invitation(&mut self, id_hash: &[u8; 32], now: Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE invitations SET used_at = $1 WHERE id_hash = $2 AND used_at IS NULL",
        )
        .bind(now.unix_millis())
        .bind(id_hash.to_vec())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    // --- clients -------------------------------------------------------------------------------

    pub async fn insert_client(&mut self, row: &ClientRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO clients (id, created_at, created_by, preferred_name, legal_name, date_of_birth, \
             contact, languages, gender, age_band, name_index, dob_index, safety, alias_index, erased_at, \
             restricted) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        )
        .bind(row.id.to_string())
        .bind(row.created_at.unix_millis())
        .bind(&row.created_by)
        .bind(row.preferred_name.clone())
        .bind(row.legal_name.clone())
        .bind(row.date_of_birth.clone())
        .bind(row.contact.clone())
        .bind(row.languages.clone())
        .bind(row.gender.clone())
        .bind(row.age_band.clone())
        .bind(row.name_index.clone())
        .bind(row.dob_index.clone())
        .bind(row.safety.clone())
        .bind(row.alias_index.clone())
        .bind(row.erased_at.map(Timestamp::unix_millis))
        .bind(i64::from(row.restricted))
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Restricts a client to the people assigned, or lifts that; whether the client exists.
    pub async fn set_client_restricted(&mut self, id: ClientId, restricted: bool) -> Result<bool> {
        let done =
            sqlx::query("UPDATE clients SET restricted = $1 WHERE id = $2 AND erased_at IS NULL")
                .bind(i64::from(restricted))
                .bind(id.to_string())
                .execute(&mut *self.reads.inner)
                .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Replaces a client's sealed safety flags.
    pub async fn set_client_safety(&mut self, id: ClientId, sealed: Option<&[u8]>) -> Result<bool> {
        let done =
            sqlx::query("UPDATE clients SET safety = $1 WHERE id = $2 AND erased_at IS NULL")
                .bind(sealed.map(<[u8]>::to_vec))
                .bind(id.to_string())
                .execute(&mut *self.reads.inner)
                .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Wipes a client's sealed fields and indexes and marks the record erased.
    pub async fn erase_client(&mut self, id: ClientId, now: Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE clients SET preferred_name = NULL, legal_name = NULL, date_of_birth = NULL, contact = NULL, \
             languages = NULL, name_index = NULL, dob_index = NULL, safety = NULL, alias_index = NULL, \
             erased_at = $1 \
             WHERE id = $2 AND erased_at IS NULL",
        )
        .bind(now.unix_millis())
        .bind(id.to_string())
        .execute(&mut *self.reads.inner)
        .await?;
        for sql in [
            "DELETE FROM screening_drafts WHERE client_id = $1",
            "UPDATE notes SET body = NULL WHERE client_id = $1",
            "UPDATE screenings SET answers = NULL, score = NULL, result = NULL WHERE client_id = $1",
            "UPDATE determinations SET worksheet = NULL WHERE client_id = $1",
            "UPDATE emergency_access SET reason = NULL WHERE client_id = $1",
        ] {
            sqlx::query(sql)
                .bind(id.to_string())
                .execute(&mut *self.reads.inner)
                .await?;
        }
        Ok(done.rows_affected() == 1)
    }

    pub async fn assign(&mut self, client: ClientId, user: UserId, now: Timestamp) -> Result<()> {
        sqlx::query(
            "INSERT INTO assignments (client_id, user_id, assigned_at) VALUES ($1, $2, $3)",
        )
        .bind(client.to_string())
        .bind(user.to_string())
        .bind(now.unix_millis())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Takes a client's assignment to `user` away; whether there was one.
    pub async fn unassign(&mut self, client: ClientId, user: UserId) -> Result<bool> {
        self.delete_pair(
            "DELETE FROM assignments WHERE client_id = $1 AND user_id = $2",
            client.to_string(),
            user.to_string(),
        )
        .await
    }

    /// Runs a `DELETE` of one row keyed by two values; whether there was such a row.
    async fn delete_pair(
        &mut self,
        sql: &'static str,
        first: String,
        second: String,
    ) -> Result<bool> {
        let done = sqlx::query(sql)
            .bind(first)
            .bind(second)
            .execute(&mut *self.reads.inner)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn insert_emergency_access(&mut self, row: &EmergencyAccessRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO emergency_access (id, client_id, user_id, reason, granted_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(row.id.to_string())
        .bind(row.client_id.to_string())
        .bind(row.user_id.to_string())
        .bind(row.reason.clone())
        .bind(row.granted_at.unix_millis())
        .bind(row.expires_at.unix_millis())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Records a supervisor's review of an emergency access; `false` if it was reviewed already
    /// (or does not exist).
    pub async fn review_emergency_access(
        &mut self,
        id: EmergencyAccessId,
        reviewer: UserId,
        outcome: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE emergency_access SET reviewed_by = $1, reviewed_at = $2, review_outcome = $3 \
             WHERE id = $4 AND reviewed_at IS NULL",
        )
        .bind(reviewer.to_string())
        .bind(now.unix_millis())
        .bind(outcome)
        .bind(id.to_string())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Makes a team; `false` when the name is taken.
    pub async fn create_team(&mut self, id: TeamId, name: &str, now: Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO teams (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
        )
        .bind(id.to_string())
        .bind(name)
        .bind(now.unix_millis())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Puts someone on a team, as a member or as one who leads it (replacing what they were).
    pub async fn put_team_member(&mut self, team: TeamId, user: UserId, leads: bool) -> Result<()> {
        sqlx::query(
            "INSERT INTO team_members (team_id, user_id, leads) VALUES ($1, $2, $3) \
             ON CONFLICT (team_id, user_id) DO UPDATE SET leads = excluded.leads",
        )
        .bind(team.to_string())
        .bind(user.to_string())
        .bind(i64::from(leads))
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Takes someone off a team; whether they were on it.
    pub async fn remove_team_member(&mut self, team: TeamId, user: UserId) -> Result<bool> {
        self.delete_pair(
            "DELETE FROM team_members WHERE team_id = $1 AND user_id = $2",
            team.to_string(),
            user.to_string(),
        )
        .await
    }

    // --- notes and cases -----------------------------------------------------------------------

    pub async fn insert_note(&mut self, row: &NoteRow) -> Result<()> {
        sqlx::query("INSERT INTO notes (id, client_id, author, created_at, body) VALUES ($1, $2, $3, $4, $5)")
            .bind(row.id.to_string())
            .bind(row.client_id.to_string())
            .bind(&row.author)
            .bind(row.created_at.unix_millis())
            .bind(row.body.clone())
            .execute(&mut *self.reads.inner)
            .await?;
        Ok(())
    }

    pub async fn insert_case(&mut self, row: &CaseRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO cases (id, client_id, program, opened_on, closed_on, assigned_to, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(row.id.to_string())
        .bind(row.client_id.to_string())
        .bind(&row.program)
        .bind(&row.opened_on)
        .bind(row.closed_on.clone())
        .bind(row.assigned_to.map(|u| u.to_string()))
        .bind(row.created_at.unix_millis())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    pub async fn insert_screening(&mut self, row: &ScreeningRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO screenings (id, client_id, instrument, instrument_version, answers, score, result, \
             screened_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(row.id.to_string())
        .bind(row.client_id.to_string())
        .bind(&row.instrument)
        .bind(&row.instrument_version)
        .bind(row.answers.clone())
        .bind(row.score)
        .bind(row.result.clone())
        .bind(&row.screened_by)
        .bind(row.created_at.unix_millis())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    pub async fn insert_determination(&mut self, row: &DeterminationRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO determinations (id, client_id, worksheet, recorded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(row.id.to_string())
        .bind(row.client_id.to_string())
        .bind(row.worksheet.clone())
        .bind(&row.recorded_by)
        .bind(row.created_at.unix_millis())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    // --- audit ---------------------------------------------------------------------------------

    /// Saves a form in progress, replacing any earlier draft of the same one. `form` is what is
    /// being filled in: an instrument's id, or `determination` for the worksheet (the table's
    /// `instrument` column holds it).
    pub async fn put_draft(
        &mut self,
        client: ClientId,
        user: UserId,
        form: &str,
        sealed: &[u8],
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO screening_drafts (client_id, user_id, instrument, answers, updated_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (client_id, user_id, instrument) \
             DO UPDATE SET answers = excluded.answers, updated_at = excluded.updated_at",
        )
        .bind(client.to_string())
        .bind(user.to_string())
        .bind(form)
        .bind(sealed.to_vec())
        .bind(now.unix_millis())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    pub async fn delete_draft(&mut self, client: ClientId, user: UserId, form: &str) -> Result<()> {
        sqlx::query(
            "DELETE FROM screening_drafts WHERE client_id = $1 AND user_id = $2 AND instrument = $3",
        )
        .bind(client.to_string())
        .bind(user.to_string())
        .bind(form)
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    // --- safe-contact requests ------------------------------------------------------------------

    pub async fn insert_contact_request(&mut self, row: &ContactRequestRow) -> Result<()> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO contact_requests ({CONTACT_REQUEST_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        )))
        .bind(row.id.to_string())
        .bind(row.received_at.unix_millis())
        .bind(row.expires_at.unix_millis())
        .bind(&row.language)
        .bind(row.details.clone())
        .bind(row.claimed_by.map(|u| u.to_string()))
        .bind(row.claimed_at.map(Timestamp::unix_millis))
        .bind(row.closed_at.map(Timestamp::unix_millis))
        .bind(row.outcome.clone())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Claims a waiting, unclaimed request for `user`; false if someone else was first.
    pub async fn claim_contact_request(
        &mut self,
        id: ContactRequestId,
        user: UserId,
        now: Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE contact_requests SET claimed_by = $1, claimed_at = $2 \
             WHERE id = $3 AND claimed_by IS NULL AND closed_at IS NULL",
        )
        .bind(user.to_string())
        .bind(now.unix_millis())
        .bind(id.to_string())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Hands back every open request `user` claimed (they are leaving, or were switched off), so
    /// that someone else can claim them; each gets at least until `until` before it expires.
    pub async fn release_contact_claims(
        &mut self,
        user: UserId,
        until: Timestamp,
    ) -> Result<Vec<ContactRequestId>> {
        sqlx::query(
            "UPDATE contact_requests SET claimed_by = NULL, claimed_at = NULL, \
             expires_at = CASE WHEN expires_at < $2 THEN $2 ELSE expires_at END \
             WHERE claimed_by = $1 AND closed_at IS NULL RETURNING id",
        )
        .bind(user.to_string())
        .bind(until.unix_millis())
        .fetch_all(&mut *self.reads.inner)
        .await?
        .iter()
        .map(|r| parsed(r, "id"))
        .collect()
    }

    /// Closes a waiting request with its outcome and wipes its details.
    pub async fn close_contact_request(
        &mut self,
        id: ContactRequestId,
        outcome: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE contact_requests SET details = NULL, closed_at = $1, outcome = $2 \
             WHERE id = $3 AND closed_at IS NULL",
        )
        .bind(now.unix_millis())
        .bind(outcome)
        .bind(id.to_string())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Appends an event to the audit chain, in this transaction; its sequence number.
    pub async fn append_audit(&mut self, event: &NewAuditEvent, key: &SecretKey) -> Result<i64> {
        self.append_audit_events(std::slice::from_ref(event), key)
            .await
    }

    /// Appends events to the audit chain in order, in this transaction, with one read of the head
    /// and one insert; the last one's sequence number. The head row is read locked (a row lock on
    /// PostgreSQL, the write lock on SQLite) until commit, so events from every process form one
    /// chain.
    pub async fn append_audit_events(
        &mut self,
        events: &[NewAuditEvent],
        key: &SecretKey,
    ) -> Result<i64> {
        let head = sqlx::query(self.reads.dialect.lock_audit_head())
            .fetch_one(&mut *self.reads.inner)
            .await?;
        let first: i64 = head.try_get("next")?;
        let mut previous: Vec<u8> = head.try_get("mac")?;
        if events.is_empty() {
            return Ok(first - 1);
        }
        let mut rows = Vec::with_capacity(events.len());
        for (seq, event) in (first..).zip(events) {
            let actor = event.actor.encode();
            let canonical = domain::audit::canonical_bytes(
                seq,
                event.at,
                &actor,
                event.action.as_str(),
                event.target.as_deref(),
                &event.purpose,
            );
            let mac = crypto::audit_mac::chain_mac(key, &previous, &canonical).to_vec();
            rows.push(serde_json::json!([
                seq,
                event.at.unix_millis(),
                actor,
                event.action.as_str(),
                event.target,
                event.purpose,
                hex::encode(&mac),
            ]));
            previous = mac;
        }
        // All the events as one bound value (P15), in one statement whatever their number.
        sqlx::query(self.reads.dialect.append_audit_rows())
            .bind(serde_json::Value::from(rows).to_string())
            .execute(&mut *self.reads.inner)
            .await?;
        // The insert trigger (migration 3) has moved the head to the last event.
        Ok(first - 1 + i64::try_from(events.len()).unwrap_or(i64::MAX))
    }
}

impl Reads {
    pub(crate) fn new(inner: Transaction<'static, Any>, dialect: crate::Dialect) -> Self {
        Self { inner, dialect }
    }

    /// Ends a transaction that only read.
    pub async fn commit(self) -> Result<()> {
        Ok(self.inner.commit().await?)
    }

    pub async fn user_by_username(&mut self, username: &str) -> Result<Option<UserRow>> {
        sqlx::query("SELECT * FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&mut *self.inner)
            .await?
            .as_ref()
            .map(user)
            .transpose()
    }

    pub async fn users(&mut self) -> Result<Vec<UserRow>> {
        sqlx::query("SELECT * FROM users ORDER BY username")
            .fetch_all(&mut *self.inner)
            .await?
            .iter()
            .map(user)
            .collect()
    }

    pub async fn tokens(&mut self) -> Result<Vec<TokenRow>> {
        sqlx::query(
            "SELECT id, user_id, label, created_at, expires_at, revoked_at FROM api_tokens ORDER BY created_at, id",
        )
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(token)
        .collect()
    }

    pub async fn user(&mut self, id: UserId) -> Result<Option<UserRow>> {
        sqlx::query("SELECT * FROM users WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *self.inner)
            .await?
            .as_ref()
            .map(user)
            .transpose()
    }

    /// The usernames of `users`, in one query; an account that is gone has no entry.
    pub async fn usernames_of(&mut self, users: &[UserId]) -> Result<HashMap<UserId, String>> {
        if users.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT id, username FROM users WHERE id IN ({})",
            self.dialect.each_of("$1")
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(crate::json_list(users))
            .fetch_all(&mut *self.inner)
            .await?
            .iter()
            .map(|row| Ok((parsed(row, "id")?, row.try_get("username")?)))
            .collect()
    }

    pub async fn credentials(&mut self, user: UserId) -> Result<CredentialsRow> {
        let row = sqlx::query(
            "SELECT password_hash, totp_secret, totp_confirmed_at, totp_last_step, failed_attempts, last_failure_at \
             FROM credentials WHERE user_id = $1",
        )
        .bind(user.to_string())
        .fetch_optional(&mut *self.inner)
        .await?;
        let Some(row) = row else {
            return Ok(CredentialsRow::default());
        };
        Ok(CredentialsRow {
            password_hash: row.try_get("password_hash")?,
            totp_secret: row.try_get("totp_secret")?,
            totp_confirmed_at: opt_ts(&row, "totp_confirmed_at")?,
            totp_last_step: row.try_get("totp_last_step")?,
            failed_attempts: row.try_get("failed_attempts")?,
            last_failure_at: opt_ts(&row, "last_failure_at")?,
        })
    }

    pub async fn session(&mut self, id_hash: &[u8; 32]) -> Result<Option<SessionRow>> {
        let row = sqlx::query(
            "SELECT user_id, created_at, last_seen_at, authenticated_at, ended_at, passkey_at FROM sessions WHERE id_hash = $1",
        )
        .bind(id_hash.to_vec())
        .fetch_optional(&mut *self.inner)
        .await?;
        row.as_ref().map(session).transpose()
    }

    /// A member of staff's sessions that have not been ended, newest first, with their hashes.
    pub async fn open_sessions_of(&mut self, user: UserId) -> Result<Vec<(Vec<u8>, SessionRow)>> {
        sqlx::query(
            "SELECT id_hash, user_id, created_at, last_seen_at, authenticated_at, ended_at, passkey_at \
             FROM sessions WHERE user_id = $1 AND ended_at IS NULL ORDER BY created_at DESC LIMIT 100",
        )
        .bind(user.to_string())
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(|row| {
            Ok((row.try_get("id_hash")?, session(row)?))
        })
        .collect()
    }

    pub async fn invitation(&mut self, id_hash: &[u8; 32]) -> Result<Option<InvitationRow>> {
        let row = sqlx::query(
            "SELECT user_id, role, created_at, expires_at, used_at FROM invitations WHERE id_hash = $1",
        )
        .bind(id_hash.to_vec())
        .fetch_optional(&mut *self.inner)
        .await?;
        row.map(|row| {
            let user_id: Option<String> = row.try_get("user_id")?;
            Ok(InvitationRow {
                user_id: user_id
                    .map(|u| {
                        u.parse()
                            .map_err(|_| StoreError::Corrupt("invitations.user_id"))
                    })
                    .transpose()?,
                role: parsed(&row, "role")?,
                created_at: ts(&row, "created_at")?,
                expires_at: ts(&row, "expires_at")?,
                used_at: opt_ts(&row, "used_at")?,
            })
        })
        .transpose()
    }

    pub async fn count_users(&mut self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM users")
            .fetch_one(&mut *self.inner)
            .await?;
        Ok(row.try_get("n")?)
    }

    pub async fn client(&mut self, id: ClientId) -> Result<Option<ClientRow>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CLIENT_COLUMNS} FROM clients WHERE id = $1"
        )))
        .bind(id.to_string())
        .fetch_optional(&mut *self.inner)
        .await?
        .as_ref()
        .map(client)
        .transpose()
    }

    /// The clients assigned to a member of staff, most recently assigned first, a page at a time;
    /// each row holds only what a list shows.
    pub async fn caseload(&mut self, page: CaseloadPage) -> Result<Vec<ClientLine>> {
        Ok(self.caseloads(&[page]).await?.pop().unwrap_or_default())
    }

    /// `caseload` for many pages at once, answered in the order asked, in one statement. A
    /// group-committed batch then makes one round trip for all its caseload pages, not one each:
    /// on a busy server each round trip to SQLite's worker thread waits its turn for the CPU, and
    /// the batch holds the writer's turn meanwhile.
    pub async fn caseloads(&mut self, pages: &[CaseloadPage]) -> Result<Vec<Vec<ClientLine>>> {
        let mut answers = Vec::with_capacity(pages.len());
        for chunk in pages.chunks(MAX_PAGES_AT_ONCE) {
            answers.extend(self.caseload_chunk(chunk).await?);
        }
        Ok(answers)
    }

    async fn caseload_chunk(&mut self, pages: &[CaseloadPage]) -> Result<Vec<Vec<ClientLine>>> {
        // One row, with a column for each page: a subquery with the page's own three
        // parameters, planned as a single page is (a UNION ALL of the pages cost SQLite itself a
        // third more), giving the page's lines as one JSON array. Rows and values are what cost
        // most on the way back from SQLite's thread, so one row of 30 values costs far less than
        // 30 pages of 26 rows. The pages come in powers of two, padded with pages that read
        // nothing, so that only a few statement texts are ever prepared.
        let columns = pages.len().next_power_of_two();
        let lines = self.dialect.lines_as_json();
        let sql = (0..columns)
            .map(|k| {
                let (user, limit, offset) = (3 * k + 1, 3 * k + 2, 3 * k + 3);
                // Driven from the worker's assignments in time order (an index by user and
                // time), not by scanning or sorting every client: a page reads only its own rows.
                format!(
                    "(SELECT {lines} FROM \
                     (SELECT assignments.assigned_at, {LINE_COLUMNS} \
                     FROM assignments JOIN clients c ON c.id = assignments.client_id \
                     WHERE assignments.user_id = ${user} AND c.erased_at IS NULL \
                     ORDER BY assignments.assigned_at DESC, assignments.client_id DESC \
                     LIMIT ${limit} OFFSET ${offset}) AS p) AS page{k}"
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let mut query = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {sql}")));
        for k in 0..columns {
            query = match pages.get(k) {
                Some(page) => query
                    .bind(page.user.to_string())
                    .bind(page.limit)
                    .bind(page.offset),
                None => query.bind(String::new()).bind(0_i64).bind(0_i64),
            };
        }
        let row = query.fetch_one(&mut *self.inner).await?;
        (0..pages.len())
            .map(|k| json_lines(&row.try_get::<String, _>(k)?))
            .collect()
    }

    /// Clients whose name or date-of-birth blind index matches, among those assigned to `user`
    /// (at most 50), read whole in one query.
    pub async fn matching_clients(
        &mut self,
        user: UserId,
        name_index: Option<&str>,
        dob_index: Option<&str>,
    ) -> Result<Vec<ClientRow>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CLIENT_COLUMNS} FROM clients \
             JOIN assignments ON assignments.client_id = clients.id AND assignments.user_id = $1 \
             WHERE clients.erased_at IS NULL \
             AND (clients.name_index = $2 OR clients.alias_index = $2 OR clients.dob_index = $3) \
             ORDER BY clients.id LIMIT 50"
        )))
        .bind(user.to_string())
        .bind(name_index.map(str::to_owned))
        .bind(dob_index.map(str::to_owned))
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(client)
        .collect()
    }

    /// A client and how `user` stands to them at `now` (assigned, leading a team whose member is
    /// assigned, holding emergency access, or none of these), in one query.
    pub async fn client_for(
        &mut self,
        id: ClientId,
        user: UserId,
        now: Timestamp,
    ) -> Result<Option<(ClientRow, Relationship)>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CLIENT_COLUMNS}, \
             CAST(CASE WHEN EXISTS (SELECT 1 FROM assignments a \
                 WHERE a.client_id = clients.id AND a.user_id = $2) THEN 1 ELSE 0 END AS BIGINT) AS assigned, \
             CAST(CASE WHEN EXISTS (SELECT 1 {SUPERVISED_FROM} AND a.client_id = clients.id AND lead.user_id = $2) \
                 THEN 1 ELSE 0 END AS BIGINT) AS supervised, \
             CAST(CASE WHEN EXISTS (SELECT 1 FROM emergency_access e WHERE e.client_id = clients.id \
                 AND e.user_id = $2 AND e.expires_at > $3) THEN 1 ELSE 0 END AS BIGINT) AS emergency \
             FROM clients WHERE id = $1"
        )))
        .bind(id.to_string())
        .bind(user.to_string())
        .bind(now.unix_millis())
        .fetch_optional(&mut *self.inner)
        .await?;
        row.map(|row| {
            let flag = |column: &str| -> Result<bool> { Ok(row.try_get::<i64, _>(column)? == 1) };
            let found = client(&row)?;
            let relationship = standing(
                &found,
                flag("assigned")?,
                flag("supervised")?,
                flag("emergency")?,
            );
            Ok((found, relationship))
        })
        .transpose()
    }

    /// A member of staff's passkeys, oldest first.
    pub async fn passkeys_of(&mut self, user: UserId) -> Result<Vec<PasskeyRow>> {
        sqlx::query(
            "SELECT credential_id, user_id, public_key, sign_count, created_at, last_used_at \
             FROM passkeys WHERE user_id = $1 ORDER BY created_at, credential_id",
        )
        .bind(user.to_string())
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(|row| {
            Ok(PasskeyRow {
                credential_id: row.try_get("credential_id")?,
                user_id: parsed(row, "user_id")?,
                public_key: row.try_get("public_key")?,
                sign_count: u32::try_from(row.try_get::<i64, _>("sign_count")?)
                    .map_err(|_| StoreError::Corrupt("a passkey counter"))?,
                created_at: ts(row, "created_at")?,
                last_used_at: opt_ts(row, "last_used_at")?,
            })
        })
        .collect()
    }

    /// The leads of the teams each of `members` is on, leaving out the member themselves.
    pub async fn team_leads_of(
        &mut self,
        members: &[UserId],
    ) -> Result<HashMap<UserId, Vec<UserId>>> {
        let mut leads: HashMap<UserId, Vec<UserId>> = HashMap::new();
        if members.is_empty() {
            return Ok(leads);
        }
        let sql = format!(
            "SELECT member.user_id AS member, lead.user_id AS lead FROM team_members member \
             JOIN team_members lead ON lead.team_id = member.team_id AND lead.leads = 1 \
             WHERE member.user_id IN ({}) AND lead.user_id <> member.user_id",
            self.dialect.each_of("$1")
        );
        for row in sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(crate::json_list(members))
            .fetch_all(&mut *self.inner)
            .await?
        {
            leads
                .entry(parsed(&row, "member")?)
                .or_default()
                .push(parsed(&row, "lead")?);
        }
        Ok(leads)
    }

    /// Emergency accesses no supervisor has reviewed yet, oldest first.
    pub async fn unreviewed_emergency_access(&mut self) -> Result<Vec<EmergencyAccessRow>> {
        sqlx::query(
            "SELECT id, client_id, user_id, reason, granted_at, expires_at FROM emergency_access \
             WHERE reviewed_at IS NULL ORDER BY granted_at, id",
        )
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(|row| {
            Ok(EmergencyAccessRow {
                id: parsed(row, "id")?,
                client_id: parsed(row, "client_id")?,
                user_id: parsed(row, "user_id")?,
                reason: row.try_get("reason")?,
                granted_at: ts(row, "granted_at")?,
                expires_at: ts(row, "expires_at")?,
            })
        })
        .collect()
    }

    /// Every team with its members (user, whether they lead it), by team name then username.
    pub async fn teams(&mut self) -> Result<Vec<TeamRow>> {
        let rows = sqlx::query(
            "SELECT t.id, t.name, m.user_id, m.leads FROM teams t \
             LEFT JOIN team_members m ON m.team_id = t.id \
             LEFT JOIN users u ON u.id = m.user_id ORDER BY t.name, u.username",
        )
        .fetch_all(&mut *self.inner)
        .await?;
        let mut teams: Vec<TeamRow> = Vec::new();
        for row in &rows {
            let id: TeamId = parsed(row, "id")?;
            if teams.last().is_none_or(|t| t.id != id) {
                teams.push(TeamRow {
                    id,
                    name: row.try_get("name")?,
                    members: Vec::new(),
                });
            }
            let member: Option<UserId> = opt_parsed(row, "user_id")?;
            if let (Some(team), Some(member)) = (teams.last_mut(), member) {
                team.members
                    .push((member, row.try_get::<i64, _>("leads")? == 1));
            }
        }
        Ok(teams)
    }

    /// The members of the teams `user` leads (not `user`), each once, by username.
    pub async fn led_members(&mut self, user: UserId) -> Result<Vec<UserRow>> {
        sqlx::query(
            "SELECT DISTINCT u.* FROM team_members lead \
             JOIN team_members member ON member.team_id = lead.team_id \
             JOIN users u ON u.id = member.user_id \
             WHERE lead.user_id = $1 AND lead.leads = 1 AND member.user_id <> $1 ORDER BY u.username",
        )
        .bind(user.to_string())
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(self::user)
        .collect()
    }

    /// The clients of the members of the teams `user` leads, with who each is assigned to, most
    /// recently assigned first, a page at a time; rows as in `caseload`.
    pub async fn team_caseload(
        &mut self,
        user: UserId,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<(ClientLine, UserId)>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {LINE_COLUMNS}, supervised.user_id AS worker FROM \
             (SELECT DISTINCT a.client_id, a.user_id, a.assigned_at {SUPERVISED_FROM} \
              AND lead.user_id = $1) AS supervised \
             JOIN clients c ON c.id = supervised.client_id \
             WHERE c.erased_at IS NULL AND c.restricted = 0 \
             ORDER BY supervised.assigned_at DESC, c.id DESC, supervised.user_id LIMIT $2 OFFSET $3"
        )))
        .bind(user.to_string())
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(|row| Ok((client_line(row)?, parsed(row, "worker")?)))
        .collect()
    }

    /// Everyone a client is assigned to, earliest first.
    pub async fn assignees(&mut self, client: ClientId) -> Result<Vec<UserId>> {
        sqlx::query(
            "SELECT user_id FROM assignments WHERE client_id = $1 ORDER BY assigned_at, user_id",
        )
        .bind(client.to_string())
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(|row| parsed(row, "user_id"))
        .collect()
    }

    /// A client's newest notes, newest first, at most `limit`.
    pub async fn notes(&mut self, client_id: ClientId, limit: i64) -> Result<Vec<NoteRow>> {
        Ok(one(self.notes_of(&[client_id], limit).await?, client_id))
    }

    /// The newest notes of each of `clients`, at most `limit` each.
    pub async fn notes_of(
        &mut self,
        clients: &[ClientId],
        limit: i64,
    ) -> Result<HashMap<ClientId, Vec<NoteRow>>> {
        let sql = newest_of(
            "id, client_id, author, created_at, body",
            "notes",
            self.dialect,
        );
        self.per_client(sql, clients, Some(limit), note).await
    }

    /// A client's cases, the most recently opened first.
    pub async fn cases(&mut self, client_id: ClientId) -> Result<Vec<CaseRow>> {
        Ok(one(self.cases_of(&[client_id]).await?, client_id))
    }

    /// The cases of each of `clients`, the most recently opened first.
    pub async fn cases_of(
        &mut self,
        clients: &[ClientId],
    ) -> Result<HashMap<ClientId, Vec<CaseRow>>> {
        let sql = format!(
            "SELECT id, client_id, program, opened_on, closed_on, assigned_to, created_at FROM cases \
             WHERE client_id IN ({}) ORDER BY opened_on DESC, id",
            self.dialect.each_of("$1")
        );
        self.per_client(sql, clients, None, case).await
    }

    /// A client's screenings, newest first.
    pub async fn screenings(&mut self, client_id: ClientId) -> Result<Vec<ScreeningRow>> {
        Ok(one(self.screenings_of(&[client_id]).await?, client_id))
    }

    /// The screenings of each of `clients`, newest first.
    pub async fn screenings_of(
        &mut self,
        clients: &[ClientId],
    ) -> Result<HashMap<ClientId, Vec<ScreeningRow>>> {
        let sql = format!(
            "SELECT id, client_id, instrument, instrument_version, answers, score, result, screened_by, created_at \
             FROM screenings WHERE client_id IN ({}) ORDER BY created_at DESC, id",
            self.dialect.each_of("$1")
        );
        self.per_client(sql, clients, None, screening).await
    }

    /// A client's newest determinations, newest first, at most `limit`.
    pub async fn determinations(
        &mut self,
        client_id: ClientId,
        limit: i64,
    ) -> Result<Vec<DeterminationRow>> {
        Ok(one(
            self.determinations_of(&[client_id], limit).await?,
            client_id,
        ))
    }

    /// The newest determinations of each of `clients`, at most `limit` each.
    pub async fn determinations_of(
        &mut self,
        clients: &[ClientId],
        limit: i64,
    ) -> Result<HashMap<ClientId, Vec<DeterminationRow>>> {
        let sql = newest_of(
            "id, client_id, worksheet, recorded_by, created_at",
            "determinations",
            self.dialect,
        );
        self.per_client(sql, clients, Some(limit), determination)
            .await
    }

    /// What the pages of `clients` show besides their own rows, in four queries for them all.
    pub async fn records_of(
        &mut self,
        clients: &[ClientId],
        max_notes: i64,
        max_determinations: i64,
    ) -> Result<HashMap<ClientId, RecordRows>> {
        let mut cases = self.cases_of(clients).await?;
        let mut notes = self.notes_of(clients, max_notes).await?;
        let mut screenings = self.screenings_of(clients).await?;
        let mut determinations = self.determinations_of(clients, max_determinations).await?;
        Ok(clients
            .iter()
            .map(|id| {
                let record = RecordRows {
                    cases: cases.remove(id).unwrap_or_default(),
                    notes: notes.remove(id).unwrap_or_default(),
                    screenings: screenings.remove(id).unwrap_or_default(),
                    determinations: determinations.remove(id).unwrap_or_default(),
                };
                (*id, record)
            })
            .collect())
    }

    /// Runs `sql` (the clients as `$1`, and `limit` as `$2` if given) and groups its rows by
    /// their `client_id`, each group in the query's order.
    async fn per_client<T>(
        &mut self,
        sql: String,
        clients: &[ClientId],
        limit: Option<i64>,
        read: fn(&AnyRow) -> Result<T>,
    ) -> Result<HashMap<ClientId, Vec<T>>> {
        let mut grouped: HashMap<ClientId, Vec<T>> = HashMap::new();
        if clients.is_empty() {
            return Ok(grouped);
        }
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(crate::json_list(clients));
        if let Some(limit) = limit {
            query = query.bind(limit);
        }
        for row in query.fetch_all(&mut *self.inner).await? {
            grouped
                .entry(parsed(&row, "client_id")?)
                .or_default()
                .push(read(&row)?);
        }
        Ok(grouped)
    }

    /// Audit events after `after_seq`, in order, at most `limit`.
    pub async fn audit_events(&mut self, after_seq: i64, limit: i64) -> Result<Vec<AuditRow>> {
        sqlx::query(
            "SELECT seq, at, actor, action, target, purpose, mac FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after_seq)
        .bind(limit)
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(audit)
        .collect()
    }

    /// The chain's head: the last sequence number and its MAC.
    pub async fn audit_head(&mut self) -> Result<(i64, Vec<u8>)> {
        let row = sqlx::query("SELECT seq, mac FROM audit_head WHERE id = 1")
            .fetch_one(&mut *self.inner)
            .await?;
        Ok((row.try_get("seq")?, row.try_get("mac")?))
    }

    /// `client_for` for many (client, member of staff) pairs at once: two queries, whatever the
    /// number of pairs. A client that does not exist has no entry.
    pub async fn clients_for(
        &mut self,
        pairs: &[(ClientId, UserId)],
        now: Timestamp,
    ) -> Result<HashMap<(ClientId, UserId), (ClientRow, Relationship)>> {
        let mut ids: Vec<String> = pairs.iter().map(|(c, _)| c.to_string()).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let list = crate::json_list(&ids);
        let each = self.dialect.each_of("$1");
        let clients: HashMap<ClientId, ClientRow> = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CLIENT_COLUMNS} FROM clients WHERE id IN ({each})"
        )))
        .bind(list.clone())
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(|r| client(r).map(|row| (row.id, row)))
        .collect::<Result<_>>()?;
        // How each user stands to each client, in one query: assigned (1), leading a team whose
        // member is (2), holding emergency access (3).
        let query = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT client_id, user_id, CAST(1 AS BIGINT) AS link FROM assignments \
             WHERE client_id IN ({each}) \
             UNION ALL SELECT a.client_id, lead.user_id, CAST(2 AS BIGINT) {SUPERVISED_FROM} \
             AND a.client_id IN ({each}) \
             UNION ALL SELECT client_id, user_id, CAST(3 AS BIGINT) FROM emergency_access \
             WHERE client_id IN ({each}) AND expires_at > $2"
        )))
        .bind(list)
        .bind(now.unix_millis());
        let mut links: HashMap<(ClientId, UserId), [bool; 3]> = HashMap::new();
        for row in query.fetch_all(&mut *self.inner).await? {
            let pair = (parsed(&row, "client_id")?, parsed(&row, "user_id")?);
            let link = usize::try_from(row.try_get::<i64, _>("link")? - 1)
                .map_err(|_| StoreError::Corrupt("a client link"))?;
            if let Some(flag) = links.entry(pair).or_default().get_mut(link) {
                *flag = true;
            }
        }
        Ok(pairs
            .iter()
            .filter_map(|pair| {
                let row = clients.get(&pair.0)?.clone();
                let [assigned, supervises, emergency] =
                    links.get(pair).copied().unwrap_or_default();
                let relationship = standing(&row, assigned, supervises, emergency);
                Some((*pair, (row, relationship)))
            })
            .collect())
    }

    pub async fn contact_request(
        &mut self,
        id: ContactRequestId,
    ) -> Result<Option<ContactRequestRow>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CONTACT_REQUEST_COLUMNS} FROM contact_requests WHERE id = $1"
        )))
        .bind(id.to_string())
        .fetch_optional(&mut *self.inner)
        .await?
        .as_ref()
        .map(contact_request)
        .transpose()
    }

    /// Requests not yet closed, oldest first.
    pub async fn waiting_contact_requests(&mut self, limit: i64) -> Result<Vec<ContactRequestRow>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CONTACT_REQUEST_COLUMNS} FROM contact_requests WHERE closed_at IS NULL \
             ORDER BY received_at, id LIMIT $1"
        )))
        .bind(limit)
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(contact_request)
        .collect()
    }

    /// Open requests whose time ran out by `now`: unclaimed past their expiry, or claimed on or
    /// before `claimed_before` and neither closed nor made a client since.
    pub async fn expired_contact_requests(
        &mut self,
        now: Timestamp,
        claimed_before: Timestamp,
    ) -> Result<Vec<ContactRequestId>> {
        sqlx::query(
            "SELECT id FROM contact_requests WHERE closed_at IS NULL AND \
             ((claimed_by IS NULL AND expires_at <= $1) OR (claimed_by IS NOT NULL AND claimed_at <= $2)) \
             ORDER BY id",
        )
        .bind(now.unix_millis())
        .bind(claimed_before.unix_millis())
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(|r| parsed(r, "id"))
        .collect()
    }

    /// How many requests arrived since `since`, and how many are waiting now.
    pub async fn contact_request_load(&mut self, since: Timestamp) -> Result<(i64, i64)> {
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(CASE WHEN received_at >= $1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS recent, \
                    CAST(COALESCE(SUM(CASE WHEN closed_at IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS waiting \
             FROM contact_requests WHERE received_at >= $1 OR closed_at IS NULL",
        )
        .bind(since.unix_millis())
        .fetch_one(&mut *self.inner)
        .await?;
        Ok((row.try_get("recent")?, row.try_get("waiting")?))
    }

    /// A form in progress (see `Tx::put_draft`): its sealed fields and when they were last saved.
    pub async fn draft(
        &mut self,
        client: ClientId,
        user: UserId,
        form: &str,
    ) -> Result<Option<(Vec<u8>, Timestamp)>> {
        let row = sqlx::query(
            "SELECT answers, updated_at FROM screening_drafts \
             WHERE client_id = $1 AND user_id = $2 AND instrument = $3",
        )
        .bind(client.to_string())
        .bind(user.to_string())
        .bind(form)
        .fetch_optional(&mut *self.inner)
        .await?;
        row.map(|r| Ok((r.try_get("answers")?, ts(&r, "updated_at")?)))
            .transpose()
    }

    /// The newest audit events about one record (e.g. `client:<id>`), newest first.
    pub async fn audit_events_about(&mut self, target: &str, limit: i64) -> Result<Vec<AuditRow>> {
        self.audit_events_where(AuditColumn::Target, target, limit)
            .await
    }

    /// The newest audit events by one actor (e.g. `user:<id>`), newest first.
    pub async fn audit_events_by(&mut self, actor: &str, limit: i64) -> Result<Vec<AuditRow>> {
        self.audit_events_where(AuditColumn::Actor, actor, limit)
            .await
    }

    /// The newest audit events of one action (e.g. `access.refused`), newest first.
    pub async fn audit_events_of(&mut self, action: &str, limit: i64) -> Result<Vec<AuditRow>> {
        self.audit_events_where(AuditColumn::Action, action, limit)
            .await
    }

    async fn audit_events_where(
        &mut self,
        column: AuditColumn,
        value: &str,
        limit: i64,
    ) -> Result<Vec<AuditRow>> {
        let column = match column {
            AuditColumn::Target => "target",
            AuditColumn::Actor => "actor",
            AuditColumn::Action => "action",
        };
        // The column name is one of three fixed words; the value is bound.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT seq, at, actor, action, target, purpose, mac FROM audit_events \
             WHERE {column} = $1 ORDER BY seq DESC LIMIT $2"
        )))
        .bind(value.to_owned())
        .bind(limit)
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(audit)
        .collect()
    }
}
