//! Verifying the audit chain (P9): every event in order, each MAC over its predecessor's MAC and
//! its own canonical bytes; the head agreeing with the last event and tagged under the audit key;
//! and the chain reaching, with the same MACs, every checkpoint written outside the database.
//! The first problem is named.

use domain::Timestamp;
use domain::audit_checkpoint::Checkpoint;

use crate::{App, Result};

/// Where and how the chain broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    /// The sequence number of the first event that does not verify or is missing, when the
    /// problem is with one event.
    pub seq: Option<i64>,
    pub problem: String,
}

impl ChainBreak {
    fn at(seq: i64, problem: impl Into<String>) -> Self {
        Self {
            seq: Some(seq),
            problem: problem.into(),
        }
    }

    fn whole(problem: impl Into<String>) -> Self {
        Self {
            seq: None,
            problem: problem.into(),
        }
    }
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.seq {
            Some(seq) => write!(f, "audit event {seq}: {}", self.problem),
            None => f.write_str(&self.problem),
        }
    }
}

/// The result of a verification: how many events verified, or the first break.
pub type Verdict = std::result::Result<i64, ChainBreak>;

const PAGE: i64 = 5_000;

impl App {
    /// Walks the whole chain in one snapshot and holds it against `checkpoints` (any order).
    /// `progress` hears the number of events checked.
    pub async fn verify_audit(
        &self,
        checkpoints: &[Checkpoint],
        mut progress: impl FnMut(i64),
    ) -> Result<Verdict> {
        let key = self.keyring().audit_key();
        let mut checkpoints: Vec<&Checkpoint> = checkpoints.iter().collect();
        checkpoints.sort_by_key(|c| c.seq);
        let mut pending = checkpoints.iter().peekable();
        let mut tx = self.store().read().await?;
        if !tx.audit_tables_present().await? {
            return Ok(Err(ChainBreak::whole(
                "the audit tables are missing from the database",
            )));
        }
        let mut previous = crypto::audit_mac::GENESIS.to_vec();
        let mut expected = 1;
        loop {
            let page = tx.audit_events(expected - 1, PAGE).await?;
            if page.is_empty() {
                break;
            }
            for event in &page {
                if event.seq != expected {
                    return Ok(Err(ChainBreak::at(
                        expected,
                        "is missing (the chain skips it)",
                    )));
                }
                if !crypto::audit_mac::verify(&key, &previous, &event.canonical_bytes(), &event.mac)
                {
                    return Ok(Err(ChainBreak::at(
                        event.seq,
                        "does not match its MAC (edited, moved, or written without the key)",
                    )));
                }
                while let Some(checkpoint) = pending.next_if(|c| c.seq <= event.seq) {
                    if checkpoint.seq == event.seq && checkpoint.mac != event.mac {
                        return Ok(Err(ChainBreak::at(
                            event.seq,
                            format!(
                                "differs from the checkpoint taken at {}: the chain was rewritten from here on",
                                checkpoint.at.rfc3339()
                            ),
                        )));
                    }
                }
                previous.clone_from(&event.mac);
                expected += 1;
            }
            progress(expected - 1);
        }
        let last = expected - 1;
        if let Some(checkpoint) = pending.find(|c| c.seq > last) {
            return Ok(Err(cut_short(last, checkpoint.seq, checkpoint.at)));
        }
        let head = tx.audit_head().await?;
        tx.commit().await?;
        let Some(head) = head else {
            return Ok(Err(ChainBreak::whole(
                "the chain's head is missing from the database",
            )));
        };
        if head.seq != last || head.mac != previous {
            return Ok(Err(ChainBreak::at(
                last + 1,
                "is missing: the chain's head records events after the last one stored",
            )));
        }
        let tagged = head
            .tag
            .as_deref()
            .is_some_and(|tag| crypto::audit_mac::verify_head(&key, head.seq, &head.mac, tag));
        if last > 0 && !tagged {
            return Ok(Err(ChainBreak::whole(format!(
                "the chain's head (event {last}) does not carry the server's tag: it was moved by \
                 someone without the audit key, perhaps back from later events (a head last moved \
                 before this check existed is tagged again by the next audited action)"
            ))));
        }
        Ok(Ok(last))
    }

    /// A checkpoint of the chain as it stands: its last event and that event's MAC.
    pub async fn audit_checkpoint(&self) -> Result<Checkpoint> {
        let mut tx = self.store().read().await?;
        let head = tx.audit_head().await?;
        tx.commit().await?;
        let head = head.ok_or(crate::AppError::Conflict(
            "the audit chain's head is missing from the database",
        ))?;
        Ok(Checkpoint {
            seq: head.seq,
            mac: head.mac,
            at: self.now(),
        })
    }
}

fn cut_short(last: i64, seen: i64, at: Timestamp) -> ChainBreak {
    ChainBreak::at(
        last + 1,
        format!(
            "is missing: the chain ends at event {last}, but the checkpoint taken at {} saw it reach event {seen}",
            at.rfc3339()
        ),
    )
}
