//! What keeps the safe-contact form open during a flood (P24). Posts from other sites are refused
//! (the handler checks the Origin); each source, the connecting address or the one a trusted
//! proxy names, may send a few requests an hour; requests without the page's proof of work share
//! a small hourly budget of their own; and each challenge is good once. All of it lives in this
//! process's memory for an hour, keyed, and is never stored or logged.

use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasher;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, HeaderName};
use domain::contact_request::{
    CHALLENGE_LASTS_MS, PER_SOURCE_PER_HOUR, PROOF_BITS, UNPROVEN_PER_HOUR,
};

const AN_HOUR_MS: i64 = 60 * 60 * 1000;
/// Past this many sources remembered, those with nothing in the last hour are forgotten at once.
const SOURCES_BEFORE_SWEEP: usize = 10_000;

/// Whether a request may go on to be taken, or must wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Admit,
    /// Held back; the hourly room frees up again in this many seconds.
    HoldBack {
        retry_after_secs: u64,
    },
}

#[derive(Debug, Default)]
pub(crate) struct Gate {
    /// The header a trusted reverse proxy puts the visitor's address in (its last address is
    /// used); `None` to use the connecting address.
    client_address_header: Option<HeaderName>,
    /// Hashes sources under a key drawn when the process starts, so addresses are not kept.
    key: std::hash::RandomState,
    seen: Mutex<Seen>,
}

#[derive(Debug, Default)]
struct Seen {
    /// When each source's admitted requests came, in the last hour, oldest first.
    by_source: HashMap<u64, VecDeque<i64>>,
    /// When the admitted requests without a proof of work came, in the last hour.
    unproven: VecDeque<i64>,
    /// Challenges already answered, with when they were issued (forgotten once they lapse).
    answered: HashMap<[u8; 16], i64>,
}

/// Drops the times before the last hour; the seconds until the oldest left lapses, when `full`.
fn room(times: &mut VecDeque<i64>, limit: usize, now: i64) -> Result<(), u64> {
    while times.front().is_some_and(|t| *t <= now - AN_HOUR_MS) {
        times.pop_front();
    }
    match times.front() {
        Some(oldest) if times.len() >= limit => {
            let ms = u64::try_from(oldest + AN_HOUR_MS - now).unwrap_or(1);
            Err(ms.div_ceil(1000).max(1))
        }
        _ => Ok(()),
    }
}

impl Gate {
    pub(crate) fn new(client_address_header: Option<HeaderName>) -> Self {
        Self {
            client_address_header,
            ..Self::default()
        }
    }

    /// A challenge for a form about to be shown.
    pub(crate) fn challenge(&self, app: &app::App) -> String {
        crypto::proof_of_work::issue(
            &app.keyring().public_form_key(),
            app.now().unix_millis(),
            &mut app.entropy().rng(),
        )
    }

    /// Where a request comes from: the trusted proxy's word when one is configured, else the
    /// connecting address. IPv6 addresses count by their /64, which one household gets.
    pub(crate) fn source(
        &self,
        headers: &HeaderMap,
        connected: Option<&ConnectInfo<SocketAddr>>,
    ) -> Option<IpAddr> {
        let address = match &self.client_address_header {
            Some(name) => headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|last| last.trim().parse().ok()),
            None => connected.map(|ConnectInfo(peer)| peer.ip()),
        };
        address.map(|ip| match ip {
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => {
                    let [a, b, c, d, ..] = v6.segments();
                    IpAddr::V6(std::net::Ipv6Addr::new(a, b, c, d, 0, 0, 0, 0))
                }
            },
            v4 => v4,
        })
    }

    /// Whether the request from `source`, answering `challenge` with `proof`, may be taken now.
    /// An admitted request is counted; one held back is not.
    pub(crate) fn admit(
        &self,
        app: &app::App,
        source: Option<IpAddr>,
        challenge: &str,
        proof: &str,
    ) -> Verdict {
        let now = app.now().unix_millis();
        let fresh = crypto::proof_of_work::read(&app.keyring().public_form_key(), challenge)
            .filter(|c| c.issued_ms <= now && now - c.issued_ms < CHALLENGE_LASTS_MS)
            .filter(|_| crypto::proof_of_work::solved(challenge, proof, PROOF_BITS));
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let seen = &mut *seen;
        seen.answered
            .retain(|_, issued| now - *issued < CHALLENGE_LASTS_MS);
        let proven = fresh.filter(|c| !seen.answered.contains_key(&c.id));
        if seen.by_source.len() > SOURCES_BEFORE_SWEEP {
            seen.by_source
                .retain(|_, times| times.back().is_some_and(|t| *t > now - AN_HOUR_MS));
        }
        let mut unlisted = VecDeque::new();
        let times = match source {
            Some(ip) => seen.by_source.entry(self.key.hash_one(ip)).or_default(),
            None => &mut unlisted,
        };
        if let Err(retry_after_secs) = room(times, PER_SOURCE_PER_HOUR, now) {
            return Verdict::HoldBack { retry_after_secs };
        }
        if proven.is_none()
            && let Err(retry_after_secs) = room(&mut seen.unproven, UNPROVEN_PER_HOUR, now)
        {
            return Verdict::HoldBack { retry_after_secs };
        }
        times.push_back(now);
        match proven {
            Some(challenge) => {
                seen.answered.insert(challenge.id, challenge.issued_ms);
            }
            None => seen.unproven.push_back(now),
        }
        Verdict::Admit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hourly_room_frees_up_as_the_oldest_lapses() {
        let mut times: VecDeque<i64> = VecDeque::new();
        assert_eq!(room(&mut times, 2, 0), Ok(()));
        times.extend([0, 1_000]);
        assert_eq!(room(&mut times, 2, 2_000), Err(3_598));
        assert_eq!(room(&mut times, 2, AN_HOUR_MS), Ok(()), "the first lapsed");
        assert_eq!(times.len(), 1);
    }

    #[test]
    fn a_proxy_names_the_source_only_when_trusted_and_ipv6_counts_by_household() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().unwrap(),
        );
        let peer = ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 5000)));
        let direct = Gate::new(None);
        assert_eq!(
            direct.source(&headers, Some(&peer)),
            Some(IpAddr::from([127, 0, 0, 1])),
            "an untrusted header is ignored"
        );
        let proxied = Gate::new(Some(HeaderName::from_static("x-forwarded-for")));
        assert_eq!(
            proxied.source(&headers, Some(&peer)),
            Some(IpAddr::from([198, 51, 100, 7])),
            "the address the proxy added last"
        );
        let v6 = ConnectInfo("[2001:db8:1:2:3:4:5:6]:443".parse().unwrap());
        assert_eq!(
            direct.source(&HeaderMap::new(), Some(&v6)),
            Some("2001:db8:1:2::".parse().unwrap())
        );
    }
}
