//! Logical backup and restore of the records: every row of every table the classification
//! registry says a backup carries (`classification::backed_up`), read in one snapshot, written as
//! JSON lines into an encrypted stream (crypto::backup_stream). Personal
//! fields stay sealed inside; the wrapped client keys are not included (see `keystore`). The same
//! format restores into either engine, and a digest of the logical content proves a restore.

use std::io::{BufRead, Write};

use base64::Engine as _;
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, AssertSqlSafe, Row};

use crate::{Dialect, Result, Store, StoreError};
use domain::classification::{Kind, Table, backed_up};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    format: u32,
    schema_version: i64,
    created_at: i64,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    t: String,
    r: Vec<Value>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Trailer {
    rows: u64,
    digest: String,
}

/// What a backup or restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub rows: u64,
    /// SHA-256 over the logical content (every row, in key order), hex.
    pub digest: String,
}

fn value(row: &AnyRow, col: &str, kind: Kind) -> Result<Value> {
    Ok(match kind {
        Kind::Int => row
            .try_get::<Option<i64>, _>(col)?
            .map_or(Value::Null, Value::from),
        Kind::Text => row
            .try_get::<Option<String>, _>(col)?
            .map_or(Value::Null, Value::from),
        Kind::Blob => row
            .try_get::<Option<Vec<u8>>, _>(col)?
            .map_or(Value::Null, |b| Value::from(B64.encode(b))),
    })
}

/// A table as a backup carries it: its columns as the database at hand has them.
#[derive(Debug)]
struct Carried {
    table: &'static Table,
    key: &'static str,
    columns: Vec<(String, Kind)>,
}

impl Carried {
    fn select_all(&self) -> String {
        format!(
            "SELECT {} FROM {} ORDER BY {}",
            self.column_names().join(", "),
            self.table.name,
            self.key
        )
    }

    fn column_names(&self) -> Vec<&str> {
        self.columns.iter().map(|(name, _)| name.as_str()).collect()
    }
}

/// The tables and columns a backup of this database carries: the registry's carried tables and
/// their columns as far as the database has them, in the registry's order, and a column the
/// registry no longer lists (one a later migration drops) right after the column it follows in
/// the database. At this binary's schema that is the registry itself; at an older schema, kept
/// for an upgrade backup, it is the registry of the version that wrote that schema (checked for
/// every version since backups came from the registry, schema 16), so that version restores it.
async fn layout(tx: &mut AnyConnection, dialect: Dialect) -> Result<Vec<Carried>> {
    let mut layout = Vec::new();
    for (table, key) in backed_up() {
        let in_db: Vec<(String, String)> = sqlx::query(dialect.table_columns())
            .bind(table.name)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|row| Ok((row.try_get("name")?, row.try_get("type")?)))
            .collect::<Result<_>>()?;
        if in_db.is_empty() {
            continue; // not made yet at this schema
        }
        let mut columns: Vec<(String, Kind)> = table
            .columns
            .iter()
            .filter(|c| in_db.iter().any(|(name, _)| name == c.name))
            .map(|c| (c.name.to_owned(), c.kind))
            .collect();
        for (i, (name, declared)) in in_db.iter().enumerate() {
            if table.column(name).is_some() {
                continue;
            }
            let at = match i.checked_sub(1) {
                Some(before) => {
                    let before = &in_db[before].0;
                    columns
                        .iter()
                        .position(|(c, _)| c == before)
                        .map_or(0, |p| p + 1)
                }
                None => 0,
            };
            columns.insert(at, (name.clone(), kind_of(declared)?));
        }
        layout.push(Carried {
            table,
            key,
            columns,
        });
    }
    Ok(layout)
}

/// How a column the registry no longer lists is carried, from the type the database declares.
fn kind_of(declared: &str) -> Result<Kind> {
    let declared = declared.to_ascii_lowercase();
    if declared.contains("int") {
        Ok(Kind::Int)
    } else if declared.contains("text") || declared.contains("char") {
        Ok(Kind::Text)
    } else if declared.contains("blob") || declared == "bytea" {
        Ok(Kind::Blob)
    } else {
        Err(StoreError::Corrupt(
            "a column of a type a backup cannot carry",
        ))
    }
}

/// Whether every table a backup carries is empty (a new database, or one never used).
pub async fn is_empty(store: &Store) -> Result<bool> {
    let mut tx = store
        .pool()
        .begin_with(begin_snapshot(store.dialect()))
        .await?;
    let mut empty = true;
    for carried in layout(&mut tx, store.dialect()).await? {
        let sql = format!("SELECT COUNT(*) AS n FROM {}", carried.table.name);
        let n: i64 = sqlx::query(AssertSqlSafe(sql))
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        empty &= n == 0;
    }
    tx.commit().await?;
    Ok(empty)
}

fn begin_snapshot(dialect: Dialect) -> &'static str {
    match dialect {
        // A read transaction in WAL mode sees one snapshot.
        Dialect::Sqlite => "BEGIN",
        Dialect::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    }
}

/// Streams every row of the records, in one snapshot, to `sink` as JSON lines; returns the count
/// and digest. `progress` is called with each table's name and row count as it goes.
async fn each_line(
    tx: &mut AnyConnection,
    layout: &[Carried],
    mut sink: impl FnMut(&[u8]) -> std::io::Result<()>,
    mut progress: impl FnMut(u64),
) -> Result<Summary> {
    let mut digest = Sha256::new();
    let mut rows = 0u64;
    for carried in layout {
        // Table and column names come from our constants and the database's own schema, never
        // from input.
        let sql = carried.select_all();
        let mut stream = sqlx::query(AssertSqlSafe(sql)).fetch(&mut *tx);
        while let Some(row) = stream.try_next().await? {
            let values = carried
                .columns
                .iter()
                .map(|(name, kind)| value(&row, name, *kind))
                .collect::<Result<Vec<_>>>()?;
            let mut line = serde_json::to_vec(&Line {
                t: carried.table.name.to_owned(),
                r: values,
            })
            .map_err(|_| StoreError::Corrupt("a row that cannot be written"))?;
            line.push(b'\n');
            digest.update(&line);
            sink(&line)?;
            rows += 1;
            progress(rows);
        }
    }
    Ok(Summary {
        rows,
        digest: hex_lower(&digest.finalize()),
    })
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes a backup of `store` to `out` (already an encrypting writer).
pub async fn write(
    store: &Store,
    out: &mut impl Write,
    now_ms: i64,
    progress: impl FnMut(u64),
) -> Result<Summary> {
    let schema_version = crate::migrate::current_version(store.pool()).await?;
    let mut tx = store
        .pool()
        .begin_with(begin_snapshot(store.dialect()))
        .await?;
    let header = Header {
        format: 1,
        schema_version,
        created_at: now_ms,
    };
    out.write_all(&serde_json::to_vec(&header).unwrap_or_default())?;
    out.write_all(b"\n")?;
    let layout = layout(&mut tx, store.dialect()).await?;
    let summary = each_line(&mut tx, &layout, |line| out.write_all(line), progress).await?;
    let trailer = Trailer {
        rows: summary.rows,
        digest: summary.digest.clone(),
    };
    out.write_all(&serde_json::to_vec(&trailer).unwrap_or_default())?;
    out.write_all(b"\n")?;
    tx.commit().await?;
    Ok(summary)
}

/// The digest of the records as they are now (the same digest a backup of them would carry).
pub async fn digest(store: &Store) -> Result<Summary> {
    let mut tx = store
        .pool()
        .begin_with(begin_snapshot(store.dialect()))
        .await?;
    let layout = layout(&mut tx, store.dialect()).await?;
    let summary = each_line(&mut tx, &layout, |_| Ok(()), |_| ()).await?;
    tx.commit().await?;
    Ok(summary)
}

fn bind_value<'q>(
    query: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments>,
    kind: Kind,
    value: &Value,
) -> Result<sqlx::query::Query<'q, Any, sqlx::any::AnyArguments>> {
    let bad = || StoreError::Corrupt("a backup value of the wrong kind");
    Ok(match (kind, value) {
        (Kind::Int, Value::Null) => query.bind(None::<i64>),
        (Kind::Text, Value::Null) => query.bind(None::<String>),
        (Kind::Blob, Value::Null) => query.bind(None::<Vec<u8>>),
        (Kind::Int, Value::Number(n)) => query.bind(n.as_i64().ok_or_else(bad)?),
        (Kind::Text, Value::String(s)) => query.bind(s.clone()),
        (Kind::Blob, Value::String(s)) => query.bind(B64.decode(s).map_err(|_| bad())?),
        _ => return Err(bad()),
    })
}

/// The schema version a backup read from `input` (already a decrypting reader) was made at, from
/// its first line: a backup restores into a database at that version.
pub fn schema_version(input: impl BufRead) -> Result<i64> {
    let header_line = input
        .lines()
        .next()
        .ok_or(StoreError::Refused("the backup is empty"))??;
    let header: Header = serde_json::from_str(&header_line)
        .map_err(|_| StoreError::Refused("the backup header is not valid"))?;
    Ok(header.schema_version)
}

/// Restores a backup read from `input` (already a decrypting reader) into an empty `store` at the
/// same schema version, then checks the loaded content against the backup's digest.
pub async fn restore(
    store: &Store,
    input: impl BufRead,
    audit_key: &crypto::SecretKey,
    mut progress: impl FnMut(u64),
) -> Result<Summary> {
    let schema_version = crate::migrate::current_version(store.pool()).await?;
    let mut lines = input.lines();
    let header_line = lines
        .next()
        .ok_or(StoreError::Refused("the backup is empty"))??;
    let header: Header = serde_json::from_str(&header_line)
        .map_err(|_| StoreError::Refused("the backup header is not valid"))?;
    if header.format != 1 {
        return Err(StoreError::Refused(
            "the backup format is not one this version reads",
        ));
    }
    if header.schema_version != schema_version {
        return Err(StoreError::Refused(
            "the backup was made at another schema version; restore it with the Safe Harbor version that made it",
        ));
    }
    let mut writing = store.write().await?;
    let tx = writing.connection();
    let layout = layout(&mut *tx, store.dialect()).await?;
    for carried in &layout {
        let sql = format!("SELECT COUNT(*) AS n FROM {}", carried.table.name);
        let n: i64 = sqlx::query(AssertSqlSafe(sql))
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        if n != 0 {
            return Err(StoreError::Refused(
                "the target database is not empty; restore into a fresh instance",
            ));
        }
    }
    let mut rows = 0u64;
    let mut trailer = None;
    for line in lines {
        let line = line?;
        if trailer.is_some() {
            return Err(StoreError::Refused("the backup has data after its end"));
        }
        if let Ok(row) = serde_json::from_str::<Line>(&line) {
            let carried =
                layout
                    .iter()
                    .find(|c| c.table.name == row.t)
                    .ok_or(StoreError::Refused(
                        "the backup names a table this version does not have",
                    ))?;
            if row.r.len() != carried.columns.len() {
                return Err(StoreError::Refused(
                    "a backup row has the wrong number of values",
                ));
            }
            let cols = carried.column_names();
            let marks: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "INSERT INTO {} ({}) VALUES ({})",
                carried.table.name,
                cols.join(", "),
                marks.join(", ")
            );
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for ((_, kind), value) in carried.columns.iter().zip(&row.r) {
                query = bind_value(query, *kind, value)?;
            }
            query.execute(&mut *tx).await?;
            rows += 1;
            progress(rows);
        } else {
            trailer =
                Some(serde_json::from_str::<Trailer>(&line).map_err(|_| {
                    StoreError::Refused("the backup holds a line that is not a row")
                })?);
        }
    }
    let trailer = trailer.ok_or(StoreError::Refused(
        "the backup is incomplete (no end marker)",
    ))?;
    // The chain head follows the last restored event, tagged again.
    let last = sqlx::query("SELECT seq, mac FROM audit_events ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(last) = last {
        let (seq, mac) = (
            last.try_get::<i64, _>("seq")?,
            last.try_get::<Vec<u8>, _>("mac")?,
        );
        // Tagged from schema 18 on; before, the head had no tag to set.
        let tagged = sqlx::query(store.dialect().table_columns())
            .bind("audit_head")
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .any(|row| {
                row.try_get::<String, _>("name")
                    .is_ok_and(|name| name == "tag")
            });
        if tagged {
            let tag = crypto::audit_mac::head_tag(audit_key, seq, &mac).to_vec();
            sqlx::query("UPDATE audit_head SET seq = $1, mac = $2, tag = $3 WHERE id = 1")
                .bind(seq)
                .bind(mac)
                .bind(tag)
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query("UPDATE audit_head SET seq = $1, mac = $2 WHERE id = 1")
                .bind(seq)
                .bind(mac)
                .execute(&mut *tx)
                .await?;
        }
    }
    let loaded = each_line(&mut *tx, &layout, |_| Ok(()), |_| ()).await?;
    if loaded.rows != trailer.rows || loaded.digest != trailer.digest || rows != trailer.rows {
        return Err(StoreError::Refused(
            "the restored content does not match the backup's digest",
        ));
    }
    writing.commit().await?;
    Ok(loaded)
}
