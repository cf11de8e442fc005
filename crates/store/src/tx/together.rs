//! Statements run together. SQLite's driver hands each statement to a worker thread of its own and
//! waits for its answer, and in a group commit (or a page's reading) that hand-over, not SQLite,
//! is most of a small statement's time. The driver runs a string of statements in one
//! hand-over, each naming values from one list (`$1`, `$2`, …), so on SQLite they go as one.
//! PostgreSQL prepares one statement at a time, so there each goes alone, given the values it
//! names, renumbered in their order.

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AssertSqlSafe};

use crypto::SecretKey;
use domain::audit::NewAuditEvent;

use super::Reads;
use super::audit::ChainEnd;
use crate::{Dialect, Result, StoreError};

/// A value statements run together may name.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    Text(String),
    Int(i64),
    MaybeBlob(Option<Vec<u8>>),
    MaybeInt(Option<i64>),
}

/// One piece of writing work, planned in full before it runs: its statements and the values they
/// name (`$1`, `$2`, …), so that the pieces of a group commit go to the database together
/// (`Tx::run_plans`).
#[derive(Debug, Clone)]
pub struct Plan {
    pub(crate) statements: Vec<&'static str>,
    pub(crate) values: Vec<Value>,
}

impl Plan {
    /// Runs alone, as `Reads::run_together` runs.
    pub(crate) async fn run(&self, reads: &mut Reads) -> Result<()> {
        reads.run_together(&self.statements, &self.values).await
    }
}

/// What committing a batch's plans came to (`Tx::commit_plans_and_audit`).
#[derive(Debug)]
pub enum Written {
    /// Every plan was written, the audit events appended, and the transaction committed.
    Committed,
    /// Some plan failed: each plan's outcome, in order, the failed ones undone, and the
    /// transaction, in which no audit event has been appended, to append those kept and commit.
    Apart(super::Tx, Vec<Result<()>>),
}

impl super::Tx {
    /// Runs each of `plans`, and says for each whether it was done: all at once (on SQLite, in
    /// one hand-over) after a savepoint; should any fail, everything since it is undone and each
    /// runs again alone after a savepoint of its own, so that only what failed is left undone.
    /// `Err` only when the transaction itself cannot go on.
    pub async fn run_plans(&mut self, plans: &[Plan]) -> Result<Vec<Result<()>>> {
        match self.run_at_once(plans.iter(), None).await? {
            Ok(()) => Ok(plans.iter().map(|_| Ok(())).collect()),
            Err(failed) => self.run_each(plans, failed).await,
        }
    }

    /// `run_plans`, and when every plan is written, `events` appended to the audit chain and the
    /// transaction committed. Given the chain's end (`Store::write_for`, on SQLite) the events and
    /// the COMMIT go with the plans, in the same hand-over; else the events are appended after
    /// them (`append_audit_events`), and the transaction committed.
    pub async fn commit_plans_and_audit(
        mut self,
        plans: &[Plan],
        end: Option<&ChainEnd>,
        events: &[NewAuditEvent],
        key: &SecretKey,
    ) -> Result<Written> {
        let audit = match end {
            Some(end) if !events.is_empty() => {
                Some(end.appending(self.reads.dialect, events, key).0)
            }
            _ => None,
        };
        let appended = audit.is_some() || events.is_empty();
        let commit = (appended && self.commits_by_hand()).then_some("COMMIT");
        if let Err(failed) = self.run_at_once(plans.iter().chain(&audit), commit).await? {
            let outcomes = self.run_each(plans, failed).await?;
            return Ok(Written::Apart(self, outcomes));
        }
        if !appended {
            self.append_audit_events(events, key).await?;
        }
        match commit {
            Some(_) => self.committed(),
            None => self.commit().await?,
        }
        Ok(Written::Committed)
    }

    /// Runs `plans` together after a savepoint, undone to it should any fail (`Ok(Err(_))`, with
    /// why), and then `then` (a COMMIT), in the same hand-over. `Err` when the transaction itself
    /// cannot go on: `then` failed, or the undoing did.
    async fn run_at_once<'p>(
        &mut self,
        plans: impl Iterator<Item = &'p Plan>,
        then: Option<&str>,
    ) -> Result<Result<()>> {
        let (mut statements, mut values) = (vec!["SAVEPOINT plans".to_owned()], Vec::new());
        for plan in plans {
            for statement in &plan.statements {
                statements.push(shifted(statement, values.len()));
            }
            values.extend(plan.values.iter().cloned());
        }
        let planned = statements.len() > 1;
        if planned {
            statements.push("RELEASE plans".to_owned());
        } else {
            statements.clear();
        }
        statements.extend(then.map(str::to_owned));
        if statements.is_empty() {
            return Ok(Ok(()));
        }
        let statements: Vec<&str> = statements.iter().map(String::as_str).collect();
        let Err(failed) = self.run_together(&statements, &values).await else {
            return Ok(Ok(()));
        };
        // Undone to the savepoint: a plan failed. Should there be none to undo to, what failed
        // came after the plans (`then`), and the transaction cannot go on.
        if !planned
            || self
                .run_together(&["ROLLBACK TO SAVEPOINT plans", "RELEASE plans"], &[])
                .await
                .is_err()
        {
            return Err(failed);
        }
        Ok(Err(failed))
    }

    /// Runs each of `plans` alone after a savepoint of its own, once running them together
    /// `failed`: what each came to.
    async fn run_each(&mut self, plans: &[Plan], failed: StoreError) -> Result<Vec<Result<()>>> {
        if let [_] = plans {
            return Ok(vec![Err(failed)]);
        }
        let mut done = Vec::with_capacity(plans.len());
        for plan in plans {
            self.mark().await?;
            let ran = plan.run(self).await;
            if ran.is_err() {
                self.undo_to_mark().await?;
            }
            done.push(ran);
        }
        Ok(done)
    }
}

impl Reads {
    /// Runs `statements` in order, each naming what it needs of `values` as `$1`, `$2`, …. A
    /// failure may leave the earlier statements done: the caller's transaction (or savepoint)
    /// undoes them.
    pub(crate) async fn run_together(
        &mut self,
        statements: &[&str],
        values: &[Value],
    ) -> Result<()> {
        self.fetch_together(statements, values).await?;
        Ok(())
    }

    /// Runs `statements` in order as `run_together` does, and gives the rows of them all, in
    /// order: statements whose rows must be told apart say which they are in a column.
    pub(crate) async fn fetch_together(
        &mut self,
        statements: &[&str],
        values: &[Value],
    ) -> Result<Vec<AnyRow>> {
        match self.dialect {
            Dialect::Sqlite => {
                let sql = statements.join(";\n");
                let query = bound(sqlx::query(AssertSqlSafe(sql)), values.iter());
                Ok(query.fetch_all(&mut *self.inner).await?)
            }
            Dialect::Postgres => {
                let mut rows = Vec::new();
                for statement in statements {
                    let (sql, named) = renumbered(statement);
                    let named = named
                        .iter()
                        .map(|n| n.checked_sub(1).and_then(|i| values.get(i)))
                        .collect::<Option<Vec<_>>>()
                        .ok_or(StoreError::Refused(
                            "a statement names a value it was not given",
                        ))?;
                    let query = bound(sqlx::query(AssertSqlSafe(sql)), named.into_iter());
                    rows.extend(query.fetch_all(&mut *self.inner).await?);
                }
                Ok(rows)
            }
        }
    }
}

fn bound<'q>(
    mut query: Query<'q, Any, AnyArguments>,
    values: impl Iterator<Item = &'q Value>,
) -> Query<'q, Any, AnyArguments> {
    for value in values {
        query = match value {
            Value::Text(text) => query.bind(text.as_str()),
            Value::Int(n) => query.bind(*n),
            Value::MaybeBlob(bytes) => query.bind(bytes.as_deref()),
            Value::MaybeInt(n) => query.bind(*n),
        };
    }
    query
}

/// `sql` with each value it names moved `by` places on (`$1` becomes `$4` when `by` is 3).
fn shifted(sql: &str, by: usize) -> String {
    each_named(sql, |n| n + by)
}

/// `sql` with the values it names numbered from `$1` in the order it first names them, and
/// which value of the shared list each new number stands for.
fn renumbered(sql: &str) -> (String, Vec<usize>) {
    let mut named = Vec::new();
    let sql = each_named(sql, |n| match named.iter().position(|&seen| seen == n) {
        Some(i) => i + 1,
        None => {
            named.push(n);
            named.len()
        }
    });
    (sql, named)
}

/// `sql` with each `$N` it names written as `$` and what `new` makes of `N`, in order.
fn each_named(sql: &str, mut new: impl FnMut(usize) -> usize) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if let Ok(n) = rest[..digits].parse::<usize>() {
            out.push_str(&new(n).to_string());
        }
        rest = &rest[digits..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{renumbered, shifted};

    #[test]
    fn values_are_shifted_past_those_of_the_plans_before() {
        assert_eq!(
            shifted("UPDATE t SET a = $1 WHERE id = $12 AND b > $1", 3),
            "UPDATE t SET a = $4 WHERE id = $15 AND b > $4"
        );
        assert_eq!(shifted("RELEASE plans", 7), "RELEASE plans");
    }

    #[test]
    fn values_are_renumbered_in_the_order_a_statement_names_them() {
        let (sql, named) = renumbered("UPDATE t SET a = $5 WHERE id = $2 AND b > $5 AND c = $12");
        assert_eq!(
            sql,
            "UPDATE t SET a = $1 WHERE id = $2 AND b > $1 AND c = $3"
        );
        assert_eq!(named, [5, 2, 12]);
        assert_eq!(renumbered("SELECT 1"), ("SELECT 1".to_owned(), vec![]));
    }
}
