//! Client records: their row, assignments, restriction, safety flags and erasure.

use domain::{ClientId, Timestamp, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Reads, Tx, opt_ts, parsed, ts};
use crate::Result;
use crate::rows::{ClientChangeRow, ClientDetailsRow, ClientRow};

pub(super) fn client(row: &AnyRow) -> Result<ClientRow> {
    Ok(ClientRow {
        id: parsed(row, "id")?,
        created_at: ts(row, "created_at")?,
        created_by: row.try_get("created_by")?,
        preferred_name: row.try_get("preferred_name")?,
        legal_name: row.try_get("legal_name")?,
        date_of_birth: row.try_get("date_of_birth")?,
        contact: row.try_get("contact")?,
        languages: row.try_get("languages")?,
        aliases: row.try_get("aliases")?,
        gender: row.try_get("gender")?,
        age_band: row.try_get("age_band")?,
        trafficking_type: row.try_get("trafficking_type")?,
        citizenship: row.try_get("citizenship")?,
        referral_source: row.try_get("referral_source")?,
        age_at_intake: row.try_get("age_at_intake")?,
        name_index: row.try_get("name_index")?,
        dob_index: row.try_get("dob_index")?,
        safety: row.try_get("safety")?,
        alias_index: row.try_get("alias_index")?,
        erased_at: opt_ts(row, "erased_at")?,
        restricted: row.try_get::<i64, _>("restricted")? == 1,
    })
}

pub(super) const CLIENT_COLUMNS: &str = "id, created_at, created_by, preferred_name, legal_name, date_of_birth, \
     contact, languages, aliases, gender, age_band, trafficking_type, citizenship, referral_source, \
     age_at_intake, name_index, dob_index, safety, alias_index, erased_at, restricted";

impl Tx {
    pub async fn insert_client(&mut self, row: &ClientRow) -> Result<()> {
        let details = ClientDetailsRow::of(row);
        let profile = self.profile_of(&details).await?;
        let placeholders: Vec<String> = (1..=7 + DETAIL_COLUMNS.len())
            .map(|n| format!("${n}"))
            .collect();
        let sql = format!(
            "INSERT INTO clients (id, created_at, created_by, safety, erased_at, restricted, \
               profile_id, {}) \
             VALUES ({})",
            DETAIL_COLUMNS.join(", "),
            placeholders.join(", ")
        );
        let query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(row.id.to_string())
            .bind(row.created_at.unix_millis())
            .bind(&row.created_by)
            .bind(row.safety.clone())
            .bind(row.erased_at.map(Timestamp::unix_millis))
            .bind(i64::from(row.restricted))
            .bind(profile);
        bind_details(query, &details)
            .execute(&mut *self.reads.inner)
            .await?;
        Ok(())
    }

    /// The number of the profile of `details`' report dimensions (`report_profiles`), made if
    /// it is new.
    async fn profile_of(&mut self, details: &ClientDetailsRow) -> Result<i64> {
        let key = [
            &details.gender,
            &details.age_band,
            &details.age_at_intake,
            &details.trafficking_type,
            &details.citizenship,
            &details.referral_source,
        ]
        .map(|dimension| dimension.as_deref().unwrap_or(""))
        .join("|");
        // A new profile takes the number after the highest. On PostgreSQL two edits at once may
        // both take it: the later insert then does nothing, and the next turn looks again.
        for _ in 0..PROFILE_TURNS {
            let found = sqlx::query_scalar("SELECT id FROM report_profiles WHERE key = $1")
                .bind(&key)
                .fetch_optional(&mut *self.reads.inner)
                .await?;
            if let Some(id) = found {
                return Ok(id);
            }
            sqlx::query(
                "INSERT INTO report_profiles (id, gender, age_band, age_at_intake, \
                   trafficking_type, citizenship, referral_source, key) \
                 SELECT COALESCE(MAX(id), 0) + 1, $1, $2, $3, $4, $5, $6, $7 \
                 FROM report_profiles WHERE 1 = 1 ON CONFLICT DO NOTHING",
            )
            .bind(details.gender.clone())
            .bind(details.age_band.clone())
            .bind(details.age_at_intake.clone())
            .bind(details.trafficking_type.clone())
            .bind(details.citizenship.clone())
            .bind(details.referral_source.clone())
            .bind(&key)
            .execute(&mut *self.reads.inner)
            .await?;
        }
        Err(crate::StoreError::Unavailable(crate::Unavailable::Busy))
    }

    /// Replaces a client's details (an edit), blind indexes included; whether the client was
    /// there (and not erased) to change.
    pub async fn set_client_details(&mut self, row: &ClientDetailsRow) -> Result<bool> {
        let profile = self.profile_of(row).await?;
        let set: Vec<String> = DETAIL_COLUMNS
            .iter()
            .zip(3..)
            .map(|(column, n)| format!("{column} = ${n}"))
            .collect();
        let sql = format!(
            "UPDATE clients SET profile_id = $2, {} WHERE id = $1 AND erased_at IS NULL",
            set.join(", ")
        );
        let query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(row.id.to_string())
            .bind(profile);
        let done = bind_details(query, row)
            .execute(&mut *self.reads.inner)
            .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        // The records that carry the client's profile for the reports follow it.
        for sql in [
            "UPDATE cases SET profile_id = $2 WHERE client_id = $1",
            "UPDATE case_closures SET profile_id = $2 WHERE client_id = $1",
            "UPDATE served_periods SET profile_id = $2 WHERE client_id = $1",
        ] {
            sqlx::query(sql)
                .bind(row.id.to_string())
                .bind(profile)
                .execute(&mut *self.reads.inner)
                .await?;
        }
        Ok(true)
    }

    /// Keeps one edit in a client's history of changes.
    pub async fn insert_client_change(&mut self, row: &ClientChangeRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO client_changes (id, client_id, author, changed_at, fields, previous) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(row.id.to_string())
        .bind(row.client_id.to_string())
        .bind(&row.author)
        .bind(row.changed_at.unix_millis())
        .bind(&row.fields)
        .bind(row.previous.clone())
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
}

/// How many times a client's profile is looked for before the database is taken to be too busy
/// (each turn after the first follows an edit at the same moment taking the number tried).
const PROFILE_TURNS: usize = 4;

/// The columns of a client's details (what intake writes and an edit replaces), in the order
/// `bind_details` binds them.
const DETAIL_COLUMNS: [&str; 15] = [
    "preferred_name",
    "legal_name",
    "date_of_birth",
    "contact",
    "languages",
    "aliases",
    "gender",
    "age_band",
    "trafficking_type",
    "citizenship",
    "referral_source",
    "age_at_intake",
    "name_index",
    "dob_index",
    "alias_index",
];

/// Binds `details` to the next placeholders of `query`, in the order of `DETAIL_COLUMNS`.
fn bind_details<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    details: &ClientDetailsRow,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    query
        .bind(details.preferred_name.clone())
        .bind(details.legal_name.clone())
        .bind(details.date_of_birth.clone())
        .bind(details.contact.clone())
        .bind(details.languages.clone())
        .bind(details.aliases.clone())
        .bind(details.gender.clone())
        .bind(details.age_band.clone())
        .bind(details.trafficking_type.clone())
        .bind(details.citizenship.clone())
        .bind(details.referral_source.clone())
        .bind(details.age_at_intake.clone())
        .bind(details.name_index.clone())
        .bind(details.dob_index.clone())
        .bind(details.alias_index.clone())
}

/// Whether `$2` is one of the blind indexes in a client's `alias_index` (a list separated by
/// spaces; each index is lower-case hex, so nothing in it is a pattern character). The same SQL
/// on both engines.
const ALIAS_MATCHES: &str = "(' ' || clients.alias_index || ' ') LIKE ('% ' || $2 || ' %')";

impl Reads {
    /// A client's history of changes, newest first: at most `limit`.
    pub async fn client_changes(
        &mut self,
        client: ClientId,
        limit: i64,
    ) -> Result<Vec<ClientChangeRow>> {
        sqlx::query(
            "SELECT id, client_id, author, changed_at, fields, previous FROM client_changes \
             WHERE client_id = $1 ORDER BY changed_at DESC, id LIMIT $2",
        )
        .bind(client.to_string())
        .bind(limit)
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(|row| {
            Ok(ClientChangeRow {
                id: parsed(row, "id")?,
                client_id: parsed(row, "client_id")?,
                author: row.try_get("author")?,
                changed_at: ts(row, "changed_at")?,
                fields: row.try_get("fields")?,
                previous: row.try_get("previous")?,
            })
        })
        .collect()
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
             AND (clients.name_index = $2 OR {ALIAS_MATCHES} OR clients.dob_index = $3) \
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

    /// Who each of `clients` is assigned to, by username, earliest assignment first: what a list
    /// shows under "worker". One query for a whole page.
    pub async fn workers_of(&mut self, clients: &[ClientId]) -> Result<Vec<(ClientId, String)>> {
        if clients.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT a.client_id, u.username FROM assignments a JOIN users u ON u.id = a.user_id \
             WHERE a.client_id IN ({}) ORDER BY a.assigned_at, u.username",
            self.dialect.each_of("$1")
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(crate::json_list(clients))
            .fetch_all(&mut *self.inner)
            .await?
            .iter()
            .map(|row| Ok((parsed(row, "client_id")?, row.try_get("username")?)))
            .collect()
    }

    /// The live clients, anyone's, whose name (legal name or name used) and date of birth both
    /// match the blind indexes given: how emergency access finds a record that is not the
    /// caller's. At most two are read, which is enough to know the match is not unique.
    pub async fn clients_by_identity(
        &mut self,
        name_index: &str,
        dob_index: &str,
    ) -> Result<Vec<ClientId>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM clients WHERE erased_at IS NULL AND dob_index = $2 \
             AND (clients.name_index = $1 OR {}) ORDER BY id LIMIT 2",
            ALIAS_MATCHES.replace("$2", "$1")
        )))
        .bind(name_index.to_owned())
        .bind(dob_index.to_owned())
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(|row| parsed(row, "id"))
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
}
