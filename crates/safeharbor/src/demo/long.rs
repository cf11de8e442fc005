//! Long case histories for load tests (`safeharbor generate`): made-up clients, each with years of
//! case work at the sizes of a long case (a year of it: 100 notes, 60 services, 8 referrals each
//! sent, accepted and completed, and a plan reviewed every 91 days), dated across those years in
//! working hours under the held clock, as the demo's year is.

use app::{App, Caller, HeldClock};
use domain::referral::ReferralStatus;
use domain::time::ProgramZone;
use domain::{ClientId, Timestamp};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use time::{Date, Duration};

use super::acts::{self, Act};
use super::texts::{NOTES, SERVICES};
use super::{PROGRAMS, carry_out, hold, organisation, people};

/// A year of a long case.
const NOTES_A_YEAR: i64 = 100;
const SERVICES_A_YEAR: i64 = 60;
const REFERRALS_A_YEAR: i64 = 8;
const REVIEW_EVERY_DAYS: i64 = 91;

/// The moment `minutes` after nine in the morning of `day` in `zone`.
fn at(zone: &ProgramZone, day: Date, minutes: i64) -> Timestamp {
    let nine = zone.start_of_day(day).unix_millis() + 9 * 3_600_000;
    Timestamp::from_unix_millis(nine + minutes * 60_000)
}

/// `count` days spread evenly over `span` days from `first`.
fn spread(first: Date, span: i64, count: i64) -> impl Iterator<Item = (i64, Date)> {
    (0..count).map(move |n| {
        (
            n,
            first.saturating_add(Duration::days(n * span / count.max(1))),
        )
    })
}

/// A long case from `first` for `years` years, each act at its moment; all before `today`.
fn long_case(first: Date, years: i64, zone: &ProgramZone) -> Vec<(Timestamp, Act)> {
    let span = years * 365;
    let mut acts = vec![
        (at(zone, first, 0), Act::Record),
        (at(zone, first, 30), Act::Plan),
    ];
    let index = |n: i64, len: usize| usize::try_from(n).unwrap_or_default() % len;
    for (n, day) in spread(
        first.saturating_add(Duration::days(1)),
        span,
        NOTES_A_YEAR * years,
    ) {
        acts.push((
            at(zone, day, 60 + (n % 5) * 40),
            Act::Note(index(n, NOTES.len())),
        ));
    }
    for (n, day) in spread(
        first.saturating_add(Duration::days(2)),
        span,
        SERVICES_A_YEAR * years,
    ) {
        let service = Act::Service(index(n, SERVICES.len()));
        acts.push((at(zone, day, 300 + (n % 3) * 50), service));
    }
    for (n, day) in spread(
        first.saturating_add(Duration::days(5)),
        span,
        REFERRALS_A_YEAR * years,
    ) {
        let partner = index(n, 3);
        let later = |days| day.saturating_add(Duration::days(days));
        acts.extend([
            (at(zone, day, 20), Act::Release(partner)),
            (at(zone, day, 25), Act::Refer(partner)),
            (
                at(zone, later(3), 200),
                Act::Answer(partner, ReferralStatus::Accepted),
            ),
            (
                at(zone, later(10), 210),
                Act::Answer(partner, ReferralStatus::Completed),
            ),
        ]);
    }
    let reviews = span / REVIEW_EVERY_DAYS;
    for k in 1..=reviews {
        let day = first.saturating_add(Duration::days(k * REVIEW_EVERY_DAYS));
        acts.push((
            at(zone, day, 90),
            Act::Review(usize::try_from(k - 1).unwrap_or_default()),
        ));
    }
    acts
}

/// Makes `clients` made-up clients of the demo's organisation (made first, as the demo makes it),
/// each with `years` of case work ending before today, done by `by` (a case manager who then has
/// them in their caseload; the demo's case manager without one). Returns their ids.
pub async fn long_histories(
    app: &App,
    clock: &HeldClock,
    (by, clients, years): (Option<Caller>, u32, u32),
    seed: u64,
    mut progress: impl FnMut(u64),
) -> anyhow::Result<Vec<ClientId>> {
    clock.let_go();
    let zone = app.time_zone().clone();
    let today = zone.date(clock.real_now());
    let years = i64::from(years.max(1));
    // Two weeks to spare before today: the last referral's answers come ten days after it.
    let first = today.saturating_sub(Duration::days(years * 365 + 14));
    hold(
        app,
        clock,
        at(&zone, first.saturating_sub(Duration::days(7)), 0),
    )?;
    let (callers, partners) = organisation(app).await?;
    let manager = by.unwrap_or_else(|| callers[0].clone());
    let desk = acts::Desk {
        app,
        manager: &manager,
        partners: &partners,
    };
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut people = Vec::new();
    let mut cases = Vec::new();
    for n in 0..clients {
        let person = people::person(&mut rng, n, today)?;
        let (program, _) = PROGRAMS.choose(&mut rng).copied().unwrap_or(PROGRAMS[0]);
        cases.push(long_case(first, years, &zone));
        people.push(acts::Client::new(person, program));
    }
    carry_out(&desk, clock, (&mut people, cases), &mut progress).await?;
    people.iter().map(acts::Client::id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_case_has_the_sizes_of_one_and_ends_before_today() {
        let zone = ProgramZone::parse("America/Chicago").unwrap();
        let first = domain::case::parse_date("day", "2021-06-01").unwrap();
        let case = long_case(first, 5, &zone);
        let count = |f: fn(&Act) -> bool| case.iter().filter(|(_, act)| f(act)).count();
        assert_eq!(count(|a| matches!(a, Act::Note(_))), 500);
        assert_eq!(count(|a| matches!(a, Act::Service(_))), 300);
        assert_eq!(count(|a| matches!(a, Act::Refer(_))), 40);
        assert_eq!(count(|a| matches!(a, Act::Review(_))), 20);
        let last = case.iter().map(|(at, _)| *at).max().unwrap();
        let end = first.saturating_add(Duration::days(5 * 365 + 14));
        assert!(last < zone.start_of_day(end));
        assert_eq!(case[0].1, Act::Record);
    }
}
