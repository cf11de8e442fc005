//! The partner directory, a client's releases of information, and their referrals with each step.

use domain::{ClientId, PartnerId, ReferralId, ReleaseId, Timestamp, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::caseload::Caseload;
use super::{Reads, Tx, opt_parsed, opt_ts, parsed, prefixed, ts};
use crate::Result;
use crate::rows::{PartnerRow, ReferralRow, ReferralStepRow, ReleaseRow, WithdrawalRow};

const PARTNER_COLUMNS: &str =
    "id, name, services, languages, area, safe_contact, created_by, created_at";

const RELEASE_COLUMNS: &str = "id, client_id, partner_id, author, created_at, recipient, purpose, \
     shares, method, witness, cosigner, starts_on, ends_on, withdrawn_at, withdrawn_by, \
     withdrawn_how";

const REFERRAL_COLUMNS: &str = "id, client_id, partner_id, release_id, author, created_at, \
     service, shares, status, status_at, note";

/// Newest first, as a client's page lists them.
const NEWEST: &str = "created_at DESC, id";

fn partner(row: &AnyRow) -> Result<PartnerRow> {
    Ok(PartnerRow {
        id: parsed(row, "id")?,
        name: row.try_get("name")?,
        services: row.try_get("services")?,
        languages: row.try_get("languages")?,
        area: row.try_get("area")?,
        safe_contact: row.try_get("safe_contact")?,
        created_by: row.try_get("created_by")?,
        created_at: ts(row, "created_at")?,
    })
}

fn release(row: &AnyRow) -> Result<ReleaseRow> {
    let withdrawn = match opt_ts(row, "withdrawn_at")? {
        Some(at) => Some(WithdrawalRow {
            at,
            by: row
                .try_get::<Option<String>, _>("withdrawn_by")?
                .unwrap_or_default(),
            how: row
                .try_get::<Option<String>, _>("withdrawn_how")?
                .unwrap_or_default(),
        }),
        None => None,
    };
    Ok(ReleaseRow {
        id: parsed(row, "id")?,
        client_id: parsed(row, "client_id")?,
        partner_id: opt_parsed(row, "partner_id")?,
        author: row.try_get("author")?,
        created_at: ts(row, "created_at")?,
        recipient: row.try_get("recipient")?,
        purpose: row.try_get("purpose")?,
        shares: row.try_get("shares")?,
        method: row.try_get("method")?,
        witness: row.try_get("witness")?,
        cosigner: row.try_get("cosigner")?,
        starts_on: row.try_get("starts_on")?,
        ends_on: row.try_get("ends_on")?,
        withdrawn,
    })
}

fn referral(row: &AnyRow) -> Result<ReferralRow> {
    Ok(ReferralRow {
        id: parsed(row, "id")?,
        client_id: parsed(row, "client_id")?,
        partner_id: parsed(row, "partner_id")?,
        release_id: opt_parsed(row, "release_id")?,
        author: row.try_get("author")?,
        created_at: ts(row, "created_at")?,
        service: row.try_get("service")?,
        shares: row.try_get("shares")?,
        status: row.try_get("status")?,
        status_at: ts(row, "status_at")?,
        note: row.try_get("note")?,
    })
}

pub(super) const STEP_COLUMNS: &str = "id, referral_id, client_id, status, at, author, note";

pub(super) fn step(row: &AnyRow) -> Result<ReferralStepRow> {
    Ok(ReferralStepRow {
        id: parsed(row, "id")?,
        referral_id: parsed(row, "referral_id")?,
        client_id: parsed(row, "client_id")?,
        status: row.try_get("status")?,
        at: ts(row, "at")?,
        author: row.try_get("author")?,
        note: row.try_get("note")?,
    })
}

impl Tx {
    /// Adds a partner; `false` (and nothing changed) when one has that name already.
    pub async fn insert_partner(&mut self, row: &PartnerRow) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO partners (id, name, services, languages, area, safe_contact, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(row.id.to_string())
        .bind(&row.name)
        .bind(&row.services)
        .bind(&row.languages)
        .bind(row.area.clone())
        .bind(row.safe_contact.clone())
        .bind(&row.created_by)
        .bind(row.created_at.unix_millis())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn insert_release(&mut self, row: &ReleaseRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO releases (id, client_id, partner_id, author, created_at, recipient, \
             purpose, shares, method, witness, cosigner, starts_on, ends_on) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(row.id.to_string())
        .bind(row.client_id.to_string())
        .bind(row.partner_id.map(|p| p.to_string()))
        .bind(&row.author)
        .bind(row.created_at.unix_millis())
        .bind(row.recipient.clone())
        .bind(row.purpose.clone())
        .bind(&row.shares)
        .bind(&row.method)
        .bind(row.witness.clone())
        .bind(&row.cosigner)
        .bind(&row.starts_on)
        .bind(&row.ends_on)
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Marks a client's release withdrawn; `false` when there is no such release of theirs or it
    /// was withdrawn already (the first withdrawal stands).
    pub async fn withdraw_release(
        &mut self,
        client: ClientId,
        release: ReleaseId,
        withdrawal: &WithdrawalRow,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE releases SET withdrawn_at = $1, withdrawn_by = $2, withdrawn_how = $3 \
             WHERE id = $4 AND client_id = $5 AND withdrawn_at IS NULL",
        )
        .bind(withdrawal.at.unix_millis())
        .bind(&withdrawal.by)
        .bind(&withdrawal.how)
        .bind(release.to_string())
        .bind(client.to_string())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a referral and its first step.
    pub async fn insert_referral(
        &mut self,
        row: &ReferralRow,
        first: &ReferralStepRow,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO referrals (id, client_id, partner_id, release_id, author, created_at, \
             service, shares, status, status_at, note) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(row.id.to_string())
        .bind(row.client_id.to_string())
        .bind(row.partner_id.to_string())
        .bind(row.release_id.map(|r| r.to_string()))
        .bind(&row.author)
        .bind(row.created_at.unix_millis())
        .bind(&row.service)
        .bind(&row.shares)
        .bind(&row.status)
        .bind(row.status_at.unix_millis())
        .bind(row.note.clone())
        .execute(&mut *self.reads.inner)
        .await?;
        self.insert_referral_step(first).await
    }

    /// Moves a referral from `from` to the step's status, and records the step; `false` (and
    /// nothing changed) when it no longer stands at `from` (someone moved it meanwhile).
    pub async fn step_referral(&mut self, from: &str, step: &ReferralStepRow) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE referrals SET status = $1, status_at = $2 \
             WHERE id = $3 AND client_id = $4 AND status = $5",
        )
        .bind(&step.status)
        .bind(step.at.unix_millis())
        .bind(step.referral_id.to_string())
        .bind(step.client_id.to_string())
        .bind(from)
        .execute(&mut *self.reads.inner)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        self.insert_referral_step(step).await?;
        Ok(true)
    }

    async fn insert_referral_step(&mut self, row: &ReferralStepRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO referral_steps (id, referral_id, client_id, status, at, author, note) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(row.id.to_string())
        .bind(row.referral_id.to_string())
        .bind(row.client_id.to_string())
        .bind(&row.status)
        .bind(row.at.unix_millis())
        .bind(&row.author)
        .bind(row.note.clone())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }
}

impl Reads {
    /// Every partner in the directory, by name.
    pub async fn partners(&mut self) -> Result<Vec<PartnerRow>> {
        let sql = format!("SELECT {PARTNER_COLUMNS} FROM partners ORDER BY name, id");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut *self.inner)
            .await?
            .iter()
            .map(partner)
            .collect()
    }

    pub async fn partner(&mut self, id: PartnerId) -> Result<Option<PartnerRow>> {
        let sql = format!("SELECT {PARTNER_COLUMNS} FROM partners WHERE id = $1");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.to_string())
            .fetch_optional(&mut *self.inner)
            .await?
            .as_ref()
            .map(partner)
            .transpose()
    }

    /// A page of a client's releases, newest first.
    pub async fn releases_page(
        &mut self,
        client: ClientId,
        page: (i64, i64),
    ) -> Result<Vec<ReleaseRow>> {
        let table = ("releases", RELEASE_COLUMNS);
        self.page_of(table, NEWEST, client, page, release).await
    }

    /// One of a client's releases (`None`: not theirs, or no such release).
    pub async fn release_of(
        &mut self,
        client: ClientId,
        id: ReleaseId,
    ) -> Result<Option<ReleaseRow>> {
        let table = ("releases", RELEASE_COLUMNS);
        self.one_of(table, client, &id.to_string(), release).await
    }

    /// A page of a client's referrals, newest first.
    pub async fn referrals_page(
        &mut self,
        client: ClientId,
        page: (i64, i64),
    ) -> Result<Vec<ReferralRow>> {
        let table = ("referrals", REFERRAL_COLUMNS);
        self.page_of(table, NEWEST, client, page, referral).await
    }

    /// One of a client's referrals (`None`: not theirs, or no such referral).
    pub async fn referral_of(
        &mut self,
        client: ClientId,
        id: ReferralId,
    ) -> Result<Option<ReferralRow>> {
        let table = ("referrals", REFERRAL_COLUMNS);
        self.one_of(table, client, &id.to_string(), referral).await
    }

    /// The row `id` of `table` (its `columns`) if it is `client`'s: one client's records are
    /// never reached by way of another's.
    async fn one_of<T>(
        &mut self,
        (table, columns): (&str, &str),
        client: ClientId,
        id: &str,
        read: fn(&AnyRow) -> Result<T>,
    ) -> Result<Option<T>> {
        let sql = format!("SELECT {columns} FROM {table} WHERE id = $1 AND client_id = $2");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(client.to_string())
            .fetch_optional(&mut *self.inner)
            .await?
            .as_ref()
            .map(read)
            .transpose()
    }

    /// The steps of the given referrals of one client, oldest first within each.
    pub async fn referral_steps(
        &mut self,
        client: ClientId,
        referrals: &[ReferralId],
    ) -> Result<Vec<ReferralStepRow>> {
        if referrals.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {STEP_COLUMNS} FROM referral_steps WHERE client_id = $1 AND referral_id IN ({}) ORDER BY referral_id, at, id",
            self.dialect.each_of("$2")
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(client.to_string())
            .bind(crate::json_list(referrals))
            .fetch_all(&mut *self.inner)
            .await?
            .iter()
            .map(step)
            .collect()
    }
}

impl Reads {
    /// The referrals of `user`'s caseload (`whose`) that wait too long: sent and unanswered since
    /// before `answer_before`, or accepted and not yet given since before `service_before`; the
    /// longest waiting first, at most `limit`. Erased clients' are left out.
    pub async fn overdue_referrals(
        &mut self,
        (user, whose): (UserId, Caseload),
        (answer_before, service_before): (Timestamp, Timestamp),
        limit: i64,
    ) -> Result<Vec<ReferralRow>> {
        let columns = prefixed("r", REFERRAL_COLUMNS);
        let (clients, restricted) = whose.filter();
        let sql = format!(
            "SELECT {columns} FROM referrals r \
             JOIN clients c ON c.id = r.client_id AND c.erased_at IS NULL {restricted} \
             WHERE r.client_id IN ({clients}) \
               AND ((r.status = 'sent' AND r.status_at <= $2) \
                 OR (r.status = 'accepted' AND r.status_at <= $3)) \
             ORDER BY r.status_at, r.id LIMIT $4"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(user.to_string())
            .bind(answer_before.unix_millis())
            .bind(service_before.unix_millis())
            .bind(limit)
            .fetch_all(&mut *self.inner)
            .await?
            .iter()
            .map(referral)
            .collect()
    }
}
