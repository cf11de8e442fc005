//! The key store: each client's data key, wrapped by the key-encryption key. It is kept apart from
//! the records (its own SQLite file; on PostgreSQL its own table, never in a records backup), so
//! that deleting one row erases a client from the live database and from every old backup at once
//! (crypto-shredding, SECURITY.md P3).

use std::io::{BufRead, Write};

use base64::Engine as _;
use domain::{ClientId, Timestamp};
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use sqlx::{AnyPool, Row};

use crate::{Dialect, Result, StoreError};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// One wrapped key in a key-store export.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportedKey {
    client_id: String,
    dek_version: u32,
    kek_version: u32,
    wrapped: String,
    created_at: i64,
}

/// The last line of an export: how many keys it holds.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportEnd {
    keys: u64,
}

/// A client's data key as stored: sealed under the KEK of `kek_version`.
#[derive(Clone, PartialEq, Eq)]
pub struct WrappedKey {
    pub dek_version: u32,
    pub kek_version: u32,
    pub wrapped: Vec<u8>,
}

impl std::fmt::Debug for WrappedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WrappedKey")
            .field("dek_version", &self.dek_version)
            .field("kek_version", &self.kek_version)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
pub struct KeyStore {
    pool: AnyPool,
    dialect: Dialect,
}

fn version(row: &sqlx::any::AnyRow, col: &str) -> Result<u32> {
    u32::try_from(row.try_get::<i64, _>(col)?).map_err(|_| StoreError::Corrupt("a key version"))
}

/// The statement that stores one client's key, made at `now`.
fn insert_key(
    client: ClientId,
    key: &WrappedKey,
    now: Timestamp,
) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
    sqlx::query(
        "INSERT INTO client_keys (client_id, dek_version, kek_version, wrapped, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(client.to_string())
    .bind(i64::from(key.dek_version))
    .bind(i64::from(key.kek_version))
    .bind(key.wrapped.clone())
    .bind(now.unix_millis())
}

impl KeyStore {
    pub fn new(pool: AnyPool, dialect: Dialect) -> Self {
        Self { pool, dialect }
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn put(&self, client: ClientId, key: &WrappedKey, now: Timestamp) -> Result<()> {
        insert_key(client, key, now).execute(&self.pool).await?;
        Ok(())
    }

    /// Stores many clients' keys, each made at its moment, all or none (one transaction, so a
    /// bulk load writes each batch once).
    pub async fn put_many(&self, keys: &[(ClientId, WrappedKey, Timestamp)]) -> Result<()> {
        let mut tx = self.pool.begin_with(self.dialect.begin_write()).await?;
        for (client, key, at) in keys {
            insert_key(*client, key, *at).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn get(&self, client: ClientId) -> Result<Option<WrappedKey>> {
        let row = sqlx::query(
            "SELECT dek_version, kek_version, wrapped FROM client_keys WHERE client_id = $1",
        )
        .bind(client.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(WrappedKey {
                dek_version: version(&row, "dek_version")?,
                kek_version: version(&row, "kek_version")?,
                wrapped: row.try_get("wrapped")?,
            })
        })
        .transpose()
    }

    /// The keys of several clients in one query (a caseload page); clients without a key (erased)
    /// are absent from the map.
    pub async fn get_many(
        &self,
        clients: &[ClientId],
    ) -> Result<std::collections::HashMap<ClientId, WrappedKey>> {
        let mut found = std::collections::HashMap::with_capacity(clients.len());
        let query = format!(
            "SELECT client_id, dek_version, kek_version, wrapped FROM client_keys \
             WHERE client_id IN ({})",
            self.dialect.each_of("$1")
        );
        let mut rows = sqlx::query(sqlx::AssertSqlSafe(query))
            .bind(crate::json_list(clients))
            .fetch(&self.pool);
        while let Some(row) = rows.try_next().await? {
            let id: String = row.try_get("client_id")?;
            let id = id
                .parse()
                .map_err(|_| StoreError::Corrupt("client_keys.client_id"))?;
            found.insert(
                id,
                WrappedKey {
                    dek_version: version(&row, "dek_version")?,
                    kek_version: version(&row, "kek_version")?,
                    wrapped: row.try_get("wrapped")?,
                },
            );
        }
        Ok(found)
    }

    /// Destroys a client's key. On SQLite, secure_delete has zeroed the freed bytes and a
    /// checkpoint then empties the write-ahead log, so the key's bytes are nowhere in the files.
    pub async fn destroy(&self, client: ClientId) -> Result<bool> {
        let done = sqlx::query("DELETE FROM client_keys WHERE client_id = $1")
            .bind(client.to_string())
            .execute(&self.pool)
            .await?;
        if self.dialect == Dialect::Sqlite {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.pool)
                .await?;
        }
        Ok(done.rows_affected() == 1)
    }

    /// Up to `limit` keys not yet wrapped under `kek_version`, for rotation.
    pub async fn not_under(
        &self,
        kek_version: u32,
        limit: i64,
    ) -> Result<Vec<(ClientId, WrappedKey)>> {
        let rows = sqlx::query(
            "SELECT client_id, dek_version, kek_version, wrapped FROM client_keys WHERE kek_version <> $1 \
             ORDER BY client_id LIMIT $2",
        )
        .bind(i64::from(kek_version))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let id: String = row.try_get("client_id")?;
                Ok((
                    id.parse().map_err(|_| StoreError::Corrupt("a client id"))?,
                    WrappedKey {
                        dek_version: version(row, "dek_version")?,
                        kek_version: version(row, "kek_version")?,
                        wrapped: row.try_get("wrapped")?,
                    },
                ))
            })
            .collect()
    }

    /// Replaces a wrapped key if it is still the one read (so a concurrent rotation or erasure wins).
    pub async fn replace(
        &self,
        client: ClientId,
        old: &WrappedKey,
        new: &WrappedKey,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE client_keys SET kek_version = $1, wrapped = $2 WHERE client_id = $3 AND kek_version = $4 AND wrapped = $5",
        )
        .bind(i64::from(new.kek_version))
        .bind(new.wrapped.clone())
        .bind(client.to_string())
        .bind(i64::from(old.kek_version))
        .bind(old.wrapped.clone())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Writes every wrapped key to `out` as JSON lines (still wrapped: useless without the KEK).
    pub async fn export(&self, out: &mut impl Write) -> Result<u64> {
        let mut keys = 0u64;
        let mut rows = sqlx::query(
            "SELECT client_id, dek_version, kek_version, wrapped, created_at FROM client_keys ORDER BY client_id",
        )
        .fetch(&self.pool);
        while let Some(row) = rows.try_next().await? {
            let key = ExportedKey {
                client_id: row.try_get("client_id")?,
                dek_version: version(&row, "dek_version")?,
                kek_version: version(&row, "kek_version")?,
                wrapped: B64.encode(row.try_get::<Vec<u8>, _>("wrapped")?),
                created_at: row.try_get("created_at")?,
            };
            serde_json::to_writer(&mut *out, &key)
                .map_err(|_| StoreError::Corrupt("a key that cannot be written"))?;
            out.write_all(b"\n")?;
            keys += 1;
        }
        serde_json::to_writer(&mut *out, &ExportEnd { keys })
            .map_err(|_| StoreError::Corrupt("an export end"))?;
        out.write_all(b"\n")?;
        Ok(keys)
    }

    /// Loads an export into this key store; all or nothing. Every key must be wrapped by a KEK
    /// version for which `has_kek` is true (one the key file holds). The key store must be empty,
    /// or hold only keys that no KEK of the key file unwraps any more (an old copy of the database
    /// put back after a key epoch): those are useless, and are replaced.
    pub async fn import(&self, input: impl BufRead, has_kek: impl Fn(u32) -> bool) -> Result<u64> {
        let bad = || StoreError::Refused("the key-store backup holds a line that is not a key");
        // Write-locked from the start: it reads before it writes, and on SQLite a reader that
        // upgrades while another connection writes fails at once instead of waiting its turn.
        let mut tx = self.pool.begin_with(self.dialect.begin_write()).await?;
        let readable = sqlx::query("SELECT DISTINCT kek_version FROM client_keys")
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|row| row.try_get::<i64, _>("kek_version"))
            .collect::<std::result::Result<Vec<_>, _>>()?
            .into_iter()
            .any(|v| u32::try_from(v).is_ok_and(&has_kek));
        if readable {
            return Err(StoreError::Refused(
                "the key store is not empty; restore keys into a fresh instance",
            ));
        }
        sqlx::query("DELETE FROM client_keys")
            .execute(&mut *tx)
            .await?;
        let mut keys = 0u64;
        let mut end = None;
        for line in input.lines() {
            let line = line?;
            if end.is_some() {
                return Err(StoreError::Refused(
                    "the key-store backup has data after its end",
                ));
            }
            if let Ok(key) = serde_json::from_str::<ExportedKey>(&line) {
                // A key no KEK of this key file unwraps would be restored only to fail every read.
                if !has_kek(key.kek_version) {
                    return Err(StoreError::MissingKek(key.kek_version));
                }
                let client: ClientId = key.client_id.parse().map_err(|_| bad())?;
                let wrapped = WrappedKey {
                    dek_version: key.dek_version,
                    kek_version: key.kek_version,
                    wrapped: B64.decode(&key.wrapped).map_err(|_| bad())?,
                };
                let made = Timestamp::from_unix_millis(key.created_at);
                insert_key(client, &wrapped, made).execute(&mut *tx).await?;
                keys += 1;
            } else {
                end = Some(serde_json::from_str::<ExportEnd>(&line).map_err(|_| bad())?);
            }
        }
        match end {
            Some(end) if end.keys == keys => {
                tx.commit().await?;
                Ok(keys)
            }
            _ => Err(StoreError::Refused("the key-store backup is incomplete")),
        }
    }

    /// How many keys are wrapped under each KEK version.
    pub async fn count_by_kek(&self) -> Result<Vec<(u32, i64)>> {
        let rows = sqlx::query("SELECT kek_version, COUNT(*) AS n FROM client_keys GROUP BY kek_version ORDER BY kek_version")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((version(r, "kek_version")?, r.try_get("n")?)))
            .collect()
    }

    pub async fn columns(&self) -> Result<Vec<(String, String)>> {
        crate::columns(&self.pool, self.dialect).await
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
