//! Erasure reaches every table of client data.

use domain::{ClientId, DeterminationId, EmergencyAccessId, UserId};
use rand::Rng;

use crate::Store;
use crate::rows::{ClientRow, DeterminationRow, EmergencyAccessRow};
use domain::classification::{self, Home, Table};

use super::*;

/// Gives `client` a row in every kind of client record there is (with `by` as the member of
/// staff), each holding something erasure must take.
async fn fill_record(tx: &mut crate::Tx, client: ClientId, by: UserId, rng: &mut impl Rng) {
    add_case_work(tx, client, by, rng).await;
    let me = Actor::User(by).encode();
    let determination = DeterminationRow {
        id: DeterminationId::from_random(rng.r#gen()),
        client_id: client,
        worksheet: Some(vec![3; 30]),
        recorded_by: me,
        created_at: T0,
    };
    tx.insert_determination(&determination).await.unwrap();
    tx.insert_determination_outcomes(&determination, &[("us-federal.sex-trafficking", "met")])
        .await
        .unwrap();
    let emergency = EmergencyAccessId::from_random(rng.r#gen());
    tx.insert_emergency_access(&EmergencyAccessRow {
        id: emergency,
        client_id: client,
        user_id: by,
        reason: Some(vec![4; 50]),
        granted_at: T0,
        expires_at: T0.plus_days(1),
    })
    .await
    .unwrap();
    let reviewed = tx
        .review_emergency_access(emergency, by, "justified", Some(vec![5; 40]), T0)
        .await
        .unwrap();
    assert!(reviewed);
    tx.put_draft(client, by, "qyit-4", &[2; 20], T0)
        .await
        .unwrap();
}

/// Rows of `table` about `client` (where `condition` holds, if given).
async fn rows_about(store: &Store, table: &Table, client: ClientId, condition: &str) -> i64 {
    let column = table.client.unwrap();
    let sql = format!(
        "SELECT COUNT(*) AS n FROM {} WHERE {column} = $1 {condition}",
        table.name
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(client.to_string())
        .fetch_one(store.pool())
        .await
        .unwrap();
    sqlx::Row::try_get(&row, "n").unwrap()
}

/// Erasure, proven over every table the registry marks as client data: before, the client has
/// rows in each (a new kind of record must be filled in by `fill_record`); after, every column the
/// registry wipes is empty and every form in progress gone, while another client keeps theirs.
pub async fn erasure_reaches_every_table_of_client_data(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, _, c) = seed(&store).await;
    let mut rng = rng();
    let other = ClientRow {
        date_of_birth: Some(vec![9]),
        languages: Some(vec![10]),
        ..client(&mut rng, &a)
    };
    let mut tx = store.write().await.unwrap();
    tx.insert_client(&other).await.unwrap();
    tx.assign(other.id, a.id, T0).await.unwrap();
    for id in [c.id, other.id] {
        fill_record(&mut tx, id, a.id, &mut rng).await;
    }
    tx.commit().await.unwrap();
    let tables = || {
        classification::TABLES
            .iter()
            .filter(|t| t.home == Home::Records && t.client.is_some())
    };
    for table in tables() {
        for id in [c.id, other.id] {
            assert!(
                rows_about(&store, table, id, "").await > 0,
                "{} holds client data: give the client a row of it in fill_record",
                table.name
            );
        }
    }

    let mut tx = store.write().await.unwrap();
    assert!(tx.erase_client(c.id, T0).await.unwrap());
    tx.commit().await.unwrap();
    for table in tables() {
        if table.deleted_on_erasure() {
            assert_eq!(
                rows_about(&store, table, c.id, "").await,
                0,
                "{}",
                table.name
            );
            assert!(rows_about(&store, table, other.id, "").await > 0);
        }
        for column in table.wiped() {
            let kept = format!("AND {} IS NOT NULL", column.name);
            assert_eq!(
                rows_about(&store, table, c.id, &kept).await,
                0,
                "{}.{} survived the erasure",
                table.name,
                column.name
            );
            assert!(
                rows_about(&store, table, other.id, &kept).await > 0,
                "{}.{} of another client was wiped",
                table.name,
                column.name
            );
        }
    }
}

pub async fn erasure_wipes_sealed_fields_and_notes(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, _, c) = seed(&store).await;
    let mut tx = store.write().await.unwrap();
    // A screening in progress: saved, replaced, then gone with the client.
    tx.put_draft(c.id, a.id, "qyit-4", &[1; 20], T0)
        .await
        .unwrap();
    tx.put_draft(c.id, a.id, "qyit-4", &[2; 20], T0.plus_days(1))
        .await
        .unwrap();
    assert_eq!(
        tx.draft(c.id, a.id, "qyit-4").await.unwrap(),
        Some((vec![2; 20], T0.plus_days(1)))
    );
    // Two determinations, listed newest first, then wiped with the client.
    for (byte, at) in [(1u8, T0), (2, T0.plus_days(2))] {
        tx.insert_determination(&DeterminationRow {
            id: DeterminationId::from_random([byte; 16]),
            client_id: c.id,
            worksheet: Some(vec![byte; 30]),
            recorded_by: Actor::User(a.id).encode(),
            created_at: at,
        })
        .await
        .unwrap();
    }
    let listed = tx.determinations(c.id, 10).await.unwrap();
    assert_eq!(
        tx.determinations(c.id, 1).await.unwrap().len(),
        1,
        "the newest only"
    );
    assert_eq!(
        listed.iter().map(|d| d.created_at).collect::<Vec<_>>(),
        [T0.plus_days(2), T0]
    );
    assert_eq!(listed[0].worksheet, Some(vec![2; 30]));
    assert!(tx.erase_client(c.id, T0).await.unwrap());
    assert_eq!(tx.draft(c.id, a.id, "qyit-4").await.unwrap(), None);
    assert!(
        tx.determinations(c.id, 10)
            .await
            .unwrap()
            .iter()
            .all(|d| d.worksheet.is_none())
    );
    assert!(!tx.erase_client(c.id, T0).await.unwrap());
    let erased = tx.client(c.id).await.unwrap().unwrap();
    assert_eq!(erased.erased_at, Some(T0));
    assert!(
        erased.preferred_name.is_none()
            && erased.legal_name.is_none()
            && erased.name_index.is_none()
            && erased.alias_index.is_none()
            && erased.safety.is_none()
    );
    assert!(
        tx.notes_page(c.id, 10, 0)
            .await
            .unwrap()
            .iter()
            .all(|n| n.body.is_none())
    );
    assert!(tx.caseload(page(a.id, 10, 0)).await.unwrap().is_empty());
    tx.commit().await.unwrap();
}
