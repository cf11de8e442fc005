//! A store recovers from what a database does when it cannot go on.

use super::*;

/// A transaction the database ended on its own before COMMIT (as SQLite does when the disk fills
/// mid-commit) leaves a connection that sqlx counts as still inside it, on which every BEGIN is
/// refused. The pool must not hand that connection out again: the writes after it work.
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
