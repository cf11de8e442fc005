//! A store recovers from what a database does when it cannot go on.

use super::*;

/// A write transaction dropped before it ends (its work failed on the way, or panicked) is undone,
/// and the writes after it go on: on SQLite, where the writer's transaction is begun by hand on
/// its one connection, the next writer rolls it back first.
pub async fn a_write_dropped_before_it_ends_is_undone(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let mut tx = store.write().await.unwrap();
    assert!(tx.insert_program("dropped", "Dropped", T0).await.unwrap());
    drop(tx);
    let (mut tx, _, _) = store.write_for(&[], T0).await.unwrap();
    assert!(
        tx.insert_program("dropped-too", "Dropped", T0)
            .await
            .unwrap()
    );
    drop(tx);
    let mut tx = store.write().await.expect("a write after those dropped");
    assert!(tx.insert_program("kept", "Kept", T0).await.unwrap());
    tx.commit().await.unwrap();
    let mut reads = store.read().await.unwrap();
    let codes: Vec<String> = reads
        .programs()
        .await
        .unwrap()
        .into_iter()
        .map(|program| program.code)
        .collect();
    assert_eq!(codes, ["kept"]);
    reads.commit().await.unwrap();
}

/// A transaction the database ended on its own before COMMIT (as SQLite does when the disk fills
/// mid-commit) leaves a connection that sqlx counts as still inside it, on which every BEGIN is
/// refused. That connection must not be used again as it is (the pool closes it; on SQLite the
/// write gate rolls back or opens the writing connection afresh): the writes after it work.
pub async fn a_connection_left_inside_a_failed_commit_is_not_reused(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let mut tx = store.write().await.unwrap();
    sqlx::query("ROLLBACK")
        .execute(tx.connection())
        .await
        .unwrap();
    // SQLite: "cannot commit - no transaction is active"; PostgreSQL warns and goes on.
    let _ = tx.commit().await;
    for n in 0..4 {
        let mut tx = store
            .write()
            .await
            .expect("a write after the failed commit");
        let code = format!("after-{n}");
        assert!(tx.insert_program(&code, "After", T0).await.unwrap());
        tx.commit().await.unwrap();
    }
    let mut reads = store.read().await.unwrap();
    assert_eq!(reads.programs().await.unwrap().len(), 4);
    reads.commit().await.unwrap();
}
