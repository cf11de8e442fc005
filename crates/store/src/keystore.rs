//! The key store: each client's data key, wrapped by the key-encryption key. It is kept apart from
//! the records (its own SQLite file; on PostgreSQL its own table, never in a records backup), so
//! that deleting one row erases a client from the live database and from every old backup at once
//! (crypto-shredding, SECURITY.md P3).

use domain::{ClientId, Timestamp};
use sqlx::{AnyPool, Row};

use crate::{Dialect, Result, StoreError};

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

impl KeyStore {
    pub fn new(pool: AnyPool, dialect: Dialect) -> Self {
        Self { pool, dialect }
    }

    pub async fn put(&self, client: ClientId, key: &WrappedKey, now: Timestamp) -> Result<()> {
        sqlx::query(
            "INSERT INTO client_keys (client_id, dek_version, kek_version, wrapped, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(client.to_string())
        .bind(i64::from(key.dek_version))
        .bind(i64::from(key.kek_version))
        .bind(key.wrapped.clone())
        .bind(now.unix_millis())
        .execute(&self.pool)
        .await?;
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
