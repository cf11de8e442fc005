//! Every table and column is classified, and in a backup or deliberately left out.

use crate::{KeyStore, Store};
use domain::classification::{self, Backup};

use super::*;

/// Every (table, column) of both databases of a fresh instance.
async fn schema_columns(store: &Store, keys: &KeyStore) -> Vec<(String, String)> {
    let mut columns = store.columns().await.unwrap();
    columns.extend(keys.columns().await.unwrap());
    columns.sort();
    columns.dedup();
    columns
}

pub async fn every_column_is_classified(h: &impl Harness) {
    let (store, keys) = h.fresh().await;
    let columns = schema_columns(&store, &keys).await;
    for (table, column) in &columns {
        assert!(
            classification::lookup(table, column).is_some(),
            "{table}.{column} is not in the data-classification registry (domain::classification)"
        );
    }
    for table in classification::TABLES {
        for column in table.columns {
            assert!(
                columns
                    .iter()
                    .any(|(t, c)| t == table.name && c == column.name),
                "{}.{} is classified but not in the schema",
                table.name,
                column.name
            );
        }
    }
}

/// A table with a `client_id` column holds client data: the registry must say so, or erasure
/// would pass it by.
pub async fn every_table_naming_a_client_is_classified_as_client_data(h: &impl Harness) {
    let (store, keys) = h.fresh().await;
    for (table, column) in schema_columns(&store, &keys).await {
        if column == "client_id" {
            let entry = classification::table(&table);
            assert_eq!(
                entry.and_then(|t| t.client),
                Some("client_id"),
                "{table} names a client: classify it as client data (its `client`)"
            );
        }
    }
}

pub async fn every_table_is_in_backups_or_deliberately_not(h: &impl Harness) {
    let (store, keys) = h.fresh().await;
    for (table, column) in schema_columns(&store, &keys).await {
        let entry = classification::table(&table);
        let carried = entry.is_some_and(|t| {
            t.column(&column).is_some() && matches!(t.backup, Backup::Carried { .. })
        });
        let left_out = entry.is_some_and(|t| matches!(t.backup, Backup::LeftOut { .. }));
        assert!(
            carried || left_out,
            "{table}.{column} is neither in a backup nor listed as deliberately left out"
        );
    }
}
