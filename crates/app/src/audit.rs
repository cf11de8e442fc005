//! Verifying the audit chain: every event in order, each MAC over its predecessor's MAC and its own
//! canonical bytes, and the head agreeing with the last event. The first bad event is named.

use crate::{App, Result};

/// Where and how the chain broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    /// The sequence number of the first event that does not verify (or that is missing).
    pub seq: i64,
    pub problem: &'static str,
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "audit event {}: {}", self.seq, self.problem)
    }
}

/// The result of a verification: how many events verified, or the first break.
pub type Verdict = std::result::Result<i64, ChainBreak>;

const PAGE: i64 = 5_000;

impl App {
    /// Walks the whole chain in one snapshot. `progress` hears the number of events checked.
    pub async fn verify_audit(&self, mut progress: impl FnMut(i64)) -> Result<Verdict> {
        let key = self.keyring().audit_key();
        let mut tx = self.store().read().await?;
        let mut previous = crypto::audit_mac::GENESIS.to_vec();
        let mut expected = 1;
        loop {
            let page = tx.audit_events(expected - 1, PAGE).await?;
            if page.is_empty() {
                break;
            }
            for event in &page {
                if event.seq != expected {
                    return Ok(Err(ChainBreak {
                        seq: expected,
                        problem: "is missing (the chain skips it)",
                    }));
                }
                if !crypto::audit_mac::verify(&key, &previous, &event.canonical_bytes(), &event.mac)
                {
                    return Ok(Err(ChainBreak {
                        seq: event.seq,
                        problem: "does not match its MAC (edited, moved, or written without the key)",
                    }));
                }
                previous.clone_from(&event.mac);
                expected += 1;
            }
            progress(expected - 1);
        }
        let (head_seq, head_mac) = tx.audit_head().await?;
        tx.commit().await?;
        let last = expected - 1;
        if head_seq != last || head_mac != previous {
            return Ok(Err(ChainBreak {
                seq: last + 1,
                problem: "is missing: the chain's head records events after the last one stored",
            }));
        }
        Ok(Ok(last))
    }
}
