//! A demo client's year: what is done with them, on which day, and at what time of the working
//! day. Pure: days are counted back from `today` (in the program's zone), so the same seed on the
//! same day makes the same year. Nothing falls on today or later (whatever the hour the demo
//! starts), nor before the day the client was recorded.

use domain::Timestamp;
use domain::closure::{FollowUpAt, plus_months};
use domain::referral::ReferralStatus;
use domain::time::ProgramZone;
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use time::{Date, Duration, Weekday};

use super::acts::{Act, CLINIC, LEGAL_AID, SHELTER};
use super::plans;
use super::texts::{ATTEMPTS, CONTACTS, EXIT, INTAKE, NOTES, SERVICES, SIX_MONTH};

/// How many days back the first demo client was recorded: about thirteen months.
pub(super) const OLDEST: i64 = 395;

/// Things are done between 9:00 and 17:00, on the five-minute mark.
const OPENS: i64 = 9 * 60 / 5;
const CLOSES: i64 = 17 * 60 / 5;

/// What kinds of work client `n` has: every fourth a rich year (needs, a plan, services and
/// referrals, dozens of entries), every third a contact log, every fifth a closed case (every
/// other one of them lost and re-opened), every tenth a screening; a few with work let slip, so
/// that something is overdue.
#[derive(Debug, Clone, Copy)]
struct Shape {
    rich: bool,
    contacts: bool,
    closes: bool,
    lost: bool,
    screened: bool,
    /// Referred to the clinic lately (still waiting, or overdue), or to legal aid long ago.
    clinic: bool,
    legal_aid: bool,
    /// The plan's latest review was not held.
    review_missed: bool,
    /// No six-month outcome review was taken.
    six_month_missed: bool,
    /// The three-month follow-up after closing was not made.
    follow_up_missed: bool,
}

impl Shape {
    fn of(n: u32) -> Self {
        Self {
            rich: n.is_multiple_of(4),
            contacts: n.is_multiple_of(3) || n.is_multiple_of(4),
            closes: n.is_multiple_of(5),
            lost: n.is_multiple_of(10),
            screened: n.is_multiple_of(10),
            clinic: n % 8 == 4,
            legal_aid: n.is_multiple_of(8),
            review_missed: n % 24 == 8,
            six_month_missed: n % 26 == 6,
            follow_up_missed: n % 20 == 15,
        }
    }
}

/// One client's year as it is being written: acts by days after the client was recorded.
struct Diary<'a> {
    rng: &'a mut StdRng,
    /// The day the client was recorded (before the weekend rule).
    first: Date,
    /// The last day anything may be done: yesterday.
    last: i64,
    /// Days the case stood closed: no routine work then.
    quiet: Option<(i64, i64)>,
    acts: Vec<(i64, Act)>,
}

impl Diary<'_> {
    /// The working day of `offset` days after the client was recorded.
    fn day(&self, offset: i64) -> Date {
        workday(self.first.saturating_add(Duration::days(offset)))
    }

    /// How many days after the client was recorded `day` is.
    fn offset(&self, day: Date) -> i64 {
        (day - self.first).whole_days()
    }

    /// `act` on `offset`, unless that day has not come yet.
    fn on(&mut self, offset: i64, act: Act) -> bool {
        let fits = (0..=self.last).contains(&offset);
        if fits {
            self.acts.push((offset, act));
        }
        fits
    }

    /// Routine work on `offset`, unless the case stood closed then.
    fn routine(&mut self, offset: i64, act: Act) -> bool {
        let closed = self
            .quiet
            .is_some_and(|(from, to)| (from..=to).contains(&offset));
        !closed && self.on(offset, act)
    }

    /// A day from `range`, as many days after the client was recorded.
    fn draw(&mut self, range: std::ops::RangeInclusive<i64>) -> i64 {
        if range.is_empty() {
            *range.start()
        } else {
            self.rng.gen_range(range)
        }
    }

    /// Every act at its moment: the acts of one day at times drawn in working hours, in the
    /// order they were written (an act never comes before the one it builds on).
    fn moments(self, zone: &ProgramZone) -> Vec<(Timestamp, Act)> {
        let Diary {
            rng,
            first,
            mut acts,
            ..
        } = self;
        acts.sort_by_key(|(offset, _)| *offset);
        let day = |offset: i64| workday(first.saturating_add(Duration::days(offset)));
        let mut moments = Vec::with_capacity(acts.len());
        let mut acts = acts.into_iter().peekable();
        while let Some((offset, act)) = acts.next() {
            let date = day(offset);
            let mut group = vec![act];
            while let Some((_, next)) = acts.next_if(|(o, _)| day(*o) == date) {
                group.push(next);
            }
            let mut times: Vec<i64> = group
                .iter()
                .map(|_| rng.gen_range(OPENS..CLOSES) * 5 * 60_000)
                .collect();
            times.sort_unstable();
            let midnight = zone.start_of_day(date).unix_millis();
            moments.extend(
                times
                    .into_iter()
                    .zip(group)
                    .map(|(time, act)| (Timestamp::from_unix_millis(midnight + time), act)),
            );
        }
        moments
    }
}

/// Weekend work is written on the Friday before: offices are closed.
fn workday(date: Date) -> Date {
    let back = match date.weekday() {
        Weekday::Saturday => 1,
        Weekday::Sunday => 2,
        _ => 0,
    };
    date.saturating_sub(Duration::days(back))
}

/// Client `n`'s year up to yesterday, each act at its moment, the first recording them.
pub(super) fn year(
    rng: &mut StdRng,
    n: u32,
    (today, zone): (Date, &ProgramZone),
    review_days: u16,
) -> Vec<(Timestamp, Act)> {
    let shape = Shape::of(n);
    // A rich year or a closing needs months behind it; anyone else came any day of the year.
    let ago = match shape {
        Shape { rich: true, .. } => rng.gen_range(270..=OLDEST),
        Shape { closes: true, .. } => rng.gen_range(150..=OLDEST),
        _ => rng.gen_range(1..=OLDEST),
    };
    let mut diary = Diary {
        rng,
        first: today.saturating_sub(Duration::days(ago)),
        last: ago - 1,
        quiet: None,
        acts: Vec::new(),
    };
    diary.on(0, Act::Record);
    // The closing first: routine work keeps out of the days the case stood closed.
    if shape.closes {
        closing(&mut diary, shape);
    }
    outcomes(&mut diary, shape);
    notes(&mut diary, shape.rich);
    if shape.contacts {
        contacts(&mut diary, shape.rich);
    }
    if shape.rich {
        let assessed = diary.draw(0..=7);
        diary.on(assessed, Act::Needs(0));
        let again = assessed + diary.draw(90..=150);
        diary.on(again, Act::Needs(1));
        let planned = assessed + diary.draw(3..=14);
        plan(&mut diary, (n, planned), (today, review_days), shape);
        services(&mut diary);
        referrals(&mut diary, assessed, shape);
    }
    if shape.screened {
        let screened = diary.draw(1..=14);
        diary.on(screened, Act::Screening);
    }
    diary.moments(zone)
}

/// Closed when contact was lost and re-opened when the person came back; or closed with goals
/// met and the follow-ups made at 3, 6 and 12 months as they came due.
fn closing(diary: &mut Diary, shape: Shape) {
    let last = diary.last;
    if shape.lost {
        let closed = diary.draw(60..=last - 20);
        for before in [40, 21, 6] {
            let attempt = diary.rng.gen_range(0..ATTEMPTS);
            diary.on(closed - before, Act::Contact(attempt));
        }
        diary.on(closed, Act::Close { lost: true });
        let back = diary.draw(closed + 14..=last.min(closed + 60));
        diary.on(back, Act::Reopen);
        diary.quiet = Some((closed + 1, back - 1));
        return;
    }
    let closed = last - diary.draw(10..=last - 60);
    diary.on(closed, Act::Outcomes(EXIT));
    diary.on(closed, Act::Close { lost: false });
    diary.quiet = Some((closed + 1, last));
    let closed_on = diary.day(closed);
    for at in FollowUpAt::ALL {
        if shape.follow_up_missed && *at == FollowUpAt::ThreeMonths {
            continue;
        }
        // Made within ten days of its day, if those have passed; otherwise it is due now.
        let due = diary.offset(plus_months(closed_on, at.months()));
        if due + 10 <= last {
            let made = due + diary.draw(0..=10);
            let how = *[0, 4, 5].choose(diary.rng).unwrap_or(&4);
            diary.on(made, Act::FollowUp(*at, how));
        }
    }
}

/// Scored at intake, and at six and twelve months while the case is open (a review taken up to
/// three weeks before its day).
fn outcomes(diary: &mut Diary, shape: Shape) {
    let intake = diary.draw(0..=3);
    diary.on(intake, Act::Outcomes(INTAKE));
    if shape.six_month_missed {
        return;
    }
    let opened = diary.day(0);
    for months in [6, 12] {
        let due = diary.offset(plus_months(opened, months));
        let taken = due - diary.draw(0..=20);
        diary.routine(taken, Act::Outcomes(SIX_MONTH));
    }
}

/// A note at intake, then a few (or, in a rich year, a dozen) over the months, none twice.
fn notes(diary: &mut Diary, rich: bool) {
    let count = if rich {
        diary.draw(6..=12)
    } else {
        diary.draw(0..=2)
    };
    diary.on(0, Act::Note(0));
    let mut texts: Vec<usize> = (1..NOTES.len()).collect();
    texts.shuffle(diary.rng);
    let last = diary.last;
    for text in texts.into_iter().take(usize::try_from(count).unwrap_or(0)) {
        let day = diary.draw(1..=last);
        diary.routine(day, Act::Note(text));
    }
}

/// The first week's tries and visits (the first of `CONTACTS`, in order); in a rich year, a
/// contact every month or so after.
fn contacts(diary: &mut Diary, rich: bool) {
    let first_week = diary.draw(1..=4);
    let mut day = 0;
    for which in 0..usize::try_from(first_week).unwrap_or(1) {
        diary.routine(day, Act::Contact(which));
        day += diary.draw(0..=2);
    }
    if rich {
        let last = diary.last;
        for _ in 0..diary.draw(4..=8) {
            let day = diary.draw(7..=last);
            let which = diary.rng.gen_range(0..CONTACTS.len());
            diary.routine(day, Act::Contact(which));
        }
    }
}

/// A crisis met in the first days, then services over the months, each kind once.
fn services(diary: &mut Diary) {
    let crisis = diary.draw(0..=3);
    diary.routine(crisis, Act::Service(0));
    let mut kinds: Vec<usize> = (1..SERVICES.len()).collect();
    kinds.shuffle(diary.rng);
    let last = diary.last;
    for kind in kinds.into_iter().take(diary.rng.gen_range(5..=11)) {
        let day = diary.draw(4..=last);
        diary.routine(day, Act::Service(kind));
    }
}

/// The plan set `planned` days in: the goals' steps done about when they were meant to be, a
/// review every `review_days` (each adding the next step), and one step due around today.
fn plan(
    diary: &mut Diary,
    (n, planned): (u32, i64),
    (today, review_days): (Date, u16),
    shape: Shape,
) {
    let last = diary.last;
    diary.on(planned, Act::Plan);
    let set_on = diary.day(planned);
    let mut slot = 0;
    for (_, _, steps) in plans::GOALS {
        for (_, _, days) in *steps {
            let done = planned + days + diary.draw(-2..=3);
            diary.on(done.max(planned), Act::StepDone(slot));
            slot += 1;
        }
    }
    let every = i64::from(review_days);
    let mut reviews: Vec<i64> = (1..)
        .map(|k| planned + k * every)
        .take_while(|day| *day <= last)
        .collect();
    if shape.review_missed && reviews.len() > 1 {
        reviews.pop();
    }
    let (mut latest, held) = (planned, reviews.len());
    for (k, day) in reviews.into_iter().enumerate() {
        let day = day - diary.draw(0..=5);
        diary.on(day, Act::Review(k));
        let target = diary.draw(10..=40);
        let words = k % plans::NEXT_STEPS.len();
        let target_on = diary.day(day).saturating_add(Duration::days(target));
        diary.on(day, Act::AddStep { words, target_on });
        let done = diary.offset(target_on) + diary.draw(-2..=3);
        diary.on(done, Act::StepDone(slot));
        slot += 1;
        latest = day;
    }
    // One step's day near today, from three days ago to six days ahead, so "My work" has
    // something overdue, something today and something this week.
    let near = i64::from(n / 4 % 10) - 3;
    let target_on = today.saturating_add(Duration::days(near)).max(set_on);
    let words = (held + usize::try_from(n / 4).unwrap_or(0)) % plans::NEXT_STEPS.len();
    diary.on(latest, Act::AddStep { words, target_on });
}

/// The shelter: a release and a referral, accepted and the bed given within weeks; legal aid
/// (for some) declined a referral and the release for it was withdrawn; the clinic (for others)
/// was referred to lately, still waiting for an answer or for the service.
fn referrals(diary: &mut Diary, assessed: i64, shape: Shape) {
    use ReferralStatus::{Accepted, Completed, Declined};
    let sent = assessed + diary.draw(1..=10);
    let answers = [
        (1..=4, Act::Answer(SHELTER, Accepted)),
        (5..=15, Act::Answer(SHELTER, Completed)),
    ];
    referral(diary, (SHELTER, sent), &answers);
    if shape.legal_aid {
        let sent = sent + diary.draw(30..=90);
        let answers = [
            (5..=12, Act::Answer(LEGAL_AID, Declined)),
            (1..=10, Act::Withdraw(LEGAL_AID)),
        ];
        referral(diary, (LEGAL_AID, sent), &answers);
    }
    if shape.clinic {
        let last = diary.last;
        let sent = last - diary.draw(2..=45);
        let answered = [(3..=6, Act::Answer(CLINIC, Accepted))];
        let answers = if last - sent >= 8 { &answered[..] } else { &[] };
        referral(diary, (CLINIC, sent), answers);
    }
}

/// A release for `partner` and a referral there under it on `sent`, then each of `then` some
/// days (drawn from its range) after the one before.
fn referral(
    diary: &mut Diary,
    (partner, sent): (usize, i64),
    then: &[(std::ops::RangeInclusive<i64>, Act)],
) {
    diary.on(sent, Act::Release(partner));
    diary.on(sent, Act::Refer(partner));
    let mut day = sent;
    for (after, act) in then {
        day += diary.draw(after.clone());
        diary.on(day, *act);
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    fn days_of(acts: &[(Timestamp, Act)], zone: &ProgramZone) -> Vec<Date> {
        acts.iter().map(|(at, _)| zone.date(*at)).collect()
    }

    #[test]
    fn a_year_is_in_working_hours_after_its_recording_and_before_today() {
        let zone = ProgramZone::parse("America/Chicago").unwrap();
        let today = time::macros::date!(2026 - 03 - 11);
        let mut rng = StdRng::seed_from_u64(7);
        for n in 0..40 {
            let acts = year(&mut rng, n, (today, &zone), 90);
            assert_eq!(acts.first().map(|(_, act)| *act), Some(Act::Record), "{n}");
            let days = days_of(&acts, &zone);
            assert!(days.iter().all(|day| *day < today), "{n}: {days:?}");
            assert!(days.windows(2).all(|w| w[0] <= w[1]), "{n}: in order");
            assert!(acts.windows(2).all(|w| w[0].0 <= w[1].0), "{n}: in order");
            assert!(today - days[0] <= Duration::days(OLDEST + 2), "{n}");
            for (at, act) in &acts {
                let minute = zone.minute_input(*at);
                let hour = &minute[11..13];
                assert!(("09".."17").contains(&hour), "{n}: {act:?} at {minute}");
                let weekday = zone.date(*at).weekday();
                assert!(!matches!(weekday, Weekday::Saturday | Weekday::Sunday));
            }
        }
    }

    #[test]
    fn every_fourth_year_is_rich_and_months_long() {
        let zone = ProgramZone::default();
        let today = time::macros::date!(2026 - 03 - 11);
        let mut rng = StdRng::seed_from_u64(7);
        for n in 0..12 {
            let acts = year(&mut rng, n, (today, &zone), 90);
            if n.is_multiple_of(4) {
                let entries = acts
                    .iter()
                    .filter(|(_, act)| {
                        matches!(act, Act::Note(_) | Act::Contact(_) | Act::Service(_))
                    })
                    .count();
                assert!((15..=40).contains(&entries), "{n}: {entries}");
                let days = days_of(&acts, &zone);
                assert!(today - days[0] >= Duration::days(265), "{n}");
            }
        }
    }

    #[test]
    fn the_same_seed_on_the_same_day_writes_the_same_year() {
        let zone = ProgramZone::default();
        let today = time::macros::date!(2026 - 03 - 11);
        let write = || {
            let mut rng = StdRng::seed_from_u64(2026);
            (0..8)
                .map(|n| year(&mut rng, n, (today, &zone), 90))
                .collect::<Vec<_>>()
        };
        assert_eq!(write(), write());
    }
}
