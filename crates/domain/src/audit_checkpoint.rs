//! Checkpoints of the audit chain (P9): how far the chain went and the MAC it had there, written
//! outside the database (a file the server only appends to, and the server's log), so that a chain
//! cut short, rolled back or rewritten is caught even by someone who can rewrite the database.
//!
//! One checkpoint is one line, findable among other log lines by its mark:
//! `audit-checkpoint v1 seq=1234 mac=<64 hex digits> at=2026-12-02T16:00:00Z`.

use crate::Timestamp;

const MARK: &str = "audit-checkpoint v1";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The sequence number of the chain's last event when the checkpoint was taken.
    pub seq: i64,
    /// That event's MAC.
    pub mac: Vec<u8>,
    pub at: Timestamp,
}

/// A line that carries the checkpoint mark but cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: not a readable audit checkpoint ({problem})")]
pub struct CheckpointProblem {
    pub line: usize,
    pub problem: &'static str,
}

impl Checkpoint {
    /// The checkpoint as one line of text (without a line break).
    pub fn line(&self) -> String {
        format!(
            "{MARK} seq={} mac={} at={}",
            self.seq,
            hex::encode(&self.mac),
            self.at.rfc3339()
        )
    }

    /// Every checkpoint in `text`: a checkpoint file, or a server log with checkpoint lines among
    /// others (lines without the mark are passed over). A marked line that cannot be read is an
    /// error, so that a damaged checkpoint is never silently skipped.
    pub fn find_all(text: &str) -> Result<Vec<Checkpoint>, CheckpointProblem> {
        text.lines()
            .enumerate()
            .filter_map(|(i, line)| {
                let (_, rest) = line.split_once(MARK)?;
                Some(parse(rest).map_err(|problem| CheckpointProblem {
                    line: i + 1,
                    problem,
                }))
            })
            .collect()
    }
}

fn parse(fields: &str) -> Result<Checkpoint, &'static str> {
    let mut words = fields.split_whitespace();
    let mut field = |name: &str| {
        words
            .next()
            .and_then(|word| word.strip_prefix(name))
            .and_then(|word| word.strip_prefix('='))
            .ok_or("its fields are not seq=, mac= and at=, in that order")
    };
    let seq = field("seq")?
        .parse::<i64>()
        .ok()
        .filter(|seq| *seq >= 0)
        .ok_or("seq is not a sequence number")?;
    let mac = hex::decode(field("mac")?)
        .ok()
        .filter(|mac| mac.len() == 32)
        .ok_or("mac is not 64 hex digits")?;
    let at = Timestamp::parse_rfc3339(field("at")?).ok_or("at is not an RFC 3339 time")?;
    Ok(Checkpoint { seq, mac, at })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checkpoint(seq: i64) -> Checkpoint {
        Checkpoint {
            seq,
            mac: vec![0xab; 32],
            at: Timestamp::from_unix_millis(1_790_000_000_000 + seq),
        }
    }

    #[test]
    fn checkpoints_are_read_back_from_a_file_or_a_log() {
        let file = format!("{}\n{}\n", checkpoint(7).line(), checkpoint(90).line());
        assert_eq!(
            Checkpoint::find_all(&file),
            Ok(vec![checkpoint(7), checkpoint(90)])
        );
        let log = format!(
            "2026-12-02T16:00:00Z INFO safeharbor: listening\n\
             2026-12-02T16:01:00Z INFO safeharbor: {} \n",
            checkpoint(12).line()
        );
        assert_eq!(Checkpoint::find_all(&log), Ok(vec![checkpoint(12)]));
        assert_eq!(Checkpoint::find_all("nothing here\n"), Ok(vec![]));
    }

    #[test]
    fn a_damaged_checkpoint_is_named_never_skipped() {
        let good = checkpoint(3).line();
        for (damaged, problem) in [
            (good.replace("seq=3", "seq=three"), "seq"),
            (good.replace("seq=3", "seq=-3"), "seq"),
            (good.replacen("abab", "zz", 1), "mac"),
            (good.replacen("abab", "", 1), "mac"),
            (good.replace("at=", "at=yesterday"), "at"),
            (good.replace(" mac=", " tag="), "fields"),
            ("audit-checkpoint v1".to_owned(), "fields"),
        ] {
            let text = format!("{good}\n{damaged}\n");
            let err = Checkpoint::find_all(&text).unwrap_err();
            assert_eq!(err.line, 2, "{damaged}");
            assert!(err.problem.contains(problem), "{damaged}: {err}");
        }
    }
}
