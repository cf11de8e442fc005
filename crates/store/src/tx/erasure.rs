//! Erasing a client, driven by the classification registry: every table it marks as holding client
//! data in the records database loses what the registry says erasure wipes, or, for forms in
//! progress, its rows. Nothing here names a table, so a new kind of client record is erased as
//! soon as it is classified. (The client's key, in the key store, is destroyed apart: that is what
//! makes every copy of the sealed fields, backups included, unreadable.)

use domain::classification::{Home, TABLES, Table};
use domain::{ClientId, Timestamp};

use super::Tx;
use crate::Result;

/// The table whose row is the client (its `client` column is its own id); its row is marked
/// erased, which is how the rest of the system knows.
const CLIENTS: &str = "clients";

/// The statements that erase a client, the client's own row first. Each binds the client's id as
/// `$1`; the first also the time of erasure as `$2`, and changes a row only if the client was not
/// erased already.
pub(crate) fn statements() -> Vec<String> {
    let mut clients = Vec::new();
    let mut others = Vec::new();
    for table in TABLES.iter().filter(|t| t.home == Home::Records) {
        let Some(client) = table.client else {
            continue;
        };
        if table.name == CLIENTS {
            let mut set = wiped(table);
            set.push("erased_at = $2".to_owned());
            clients.push(format!(
                "UPDATE {CLIENTS} SET {} WHERE {client} = $1 AND erased_at IS NULL",
                set.join(", ")
            ));
        } else if table.deleted_on_erasure() {
            others.push(format!("DELETE FROM {} WHERE {client} = $1", table.name));
        } else if table.wiped().next().is_some() {
            others.push(format!(
                "UPDATE {} SET {} WHERE {client} = $1",
                table.name,
                wiped(table).join(", ")
            ));
        }
    }
    clients.append(&mut others);
    clients
}

fn wiped(table: &Table) -> Vec<String> {
    table
        .wiped()
        .map(|c| format!("{} = NULL", c.name))
        .collect()
}

impl Tx {
    /// Wipes everything the registry marks for erasure from a client's record and marks it
    /// erased; whether the client was there to erase.
    pub async fn erase_client(&mut self, id: ClientId, now: Timestamp) -> Result<bool> {
        let mut erased = false;
        for (i, sql) in statements().into_iter().enumerate() {
            // Built from the registry's constant names, never from input.
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.to_string());
            if i == 0 {
                query = query.bind(now.unix_millis());
            }
            let done = query.execute(&mut *self.reads.inner).await?;
            if i == 0 {
                erased = done.rows_affected() == 1;
            }
        }
        Ok(erased)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_registry_erases_what_each_kind_of_client_record_holds() {
        assert_eq!(
            super::statements(),
            [
                "UPDATE clients SET preferred_name = NULL, legal_name = NULL, date_of_birth = NULL, \
                 contact = NULL, languages = NULL, name_index = NULL, dob_index = NULL, \
                 safety = NULL, alias_index = NULL, aliases = NULL, erased_at = $2 \
                 WHERE id = $1 AND erased_at IS NULL",
                "UPDATE client_changes SET previous = NULL WHERE client_id = $1",
                "UPDATE notes SET body = NULL WHERE client_id = $1",
                "UPDATE contacts SET present = NULL, note = NULL WHERE client_id = $1",
                "UPDATE services SET note = NULL WHERE client_id = $1",
                "UPDATE releases SET recipient = NULL, purpose = NULL, witness = NULL \
                 WHERE client_id = $1",
                "UPDATE referrals SET note = NULL WHERE client_id = $1",
                "UPDATE referral_steps SET note = NULL WHERE client_id = $1",
                "UPDATE need_assessments SET note = NULL WHERE client_id = $1",
                "UPDATE need_answers SET note = NULL WHERE client_id = $1",
                "UPDATE plan_goals SET words = NULL WHERE client_id = $1",
                "UPDATE plan_steps SET words = NULL WHERE client_id = $1",
                "UPDATE plan_reviews SET note = NULL WHERE client_id = $1",
                "UPDATE case_closures SET note = NULL, reach_how = NULL WHERE client_id = $1",
                "UPDATE outcome_assessments SET note = NULL WHERE client_id = $1",
                "UPDATE screenings SET answers = NULL, score = NULL, result = NULL \
                 WHERE client_id = $1",
                "UPDATE emergency_access SET reason = NULL, review_comment = NULL WHERE client_id = $1",
                "UPDATE determinations SET worksheet = NULL WHERE client_id = $1",
                "UPDATE determination_outcomes SET outcome = NULL WHERE client_id = $1",
                "DELETE FROM screening_drafts WHERE client_id = $1",
            ]
        );
    }
}
