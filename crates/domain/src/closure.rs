//! Closing a case, and what comes after: the coded reason it closed (a report counts them), a
//! note in the worker's words, and whether the person agreed to be contacted again at 3, 6 and
//! 12 months, with the safe way to reach them. A case may be re-opened; each closure is kept,
//! with its re-opening, so the history of the work stays (research/casework.md §5: closure
//! reasons seen in the field; §1.3: follow-ups as due dates with a completion, never stored tasks).
//!
//! The reason, the consent and the method are coded facts; the note and the safe way to reach
//! the person (what to say, when not to call) are about the person and are sealed like any note.

use serde::{Deserialize, Serialize};

use crate::client::{coded_field, text_field};
use crate::text::TextRule;
use crate::{InvalidInput, Timestamp};

coded_field!(
    /// Why a case closed, as the field codes it (research/casework.md §5).
    ClosureReason, "reason",
    "must be one of goals-met, moved, declined-services, lost-contact, transferred, died, other",
    {
        GoalsMet => "goals-met",
        Moved => "moved",
        DeclinedServices => "declined-services",
        LostContact => "lost-contact",
        Transferred => "transferred",
        Died => "died",
        Other => "other",
    }
);

impl ClosureReason {
    /// The reason in plain words.
    pub fn label(self) -> &'static str {
        match self {
            ClosureReason::GoalsMet => "Goals met",
            ClosureReason::Moved => "Moved away",
            ClosureReason::DeclinedServices => "Declined further services",
            ClosureReason::LostContact => "Lost contact",
            ClosureReason::Transferred => "Transferred",
            ClosureReason::Died => "Died",
            ClosureReason::Other => "Other",
        }
    }
}

coded_field!(
    /// Whether the person agreed, at closure, to be contacted again later.
    FollowUpConsent, "follow_up",
    "must be one of yes, no, not-asked",
    {
        Yes => "yes",
        No => "no",
        NotAsked => "not-asked",
    },
    default = NotAsked
);

impl FollowUpConsent {
    pub fn label(self) -> &'static str {
        match self {
            FollowUpConsent::Yes => "Agreed to follow-up contacts",
            FollowUpConsent::No => "Did not want follow-up contacts",
            FollowUpConsent::NotAsked => "Not asked about follow-up contacts",
        }
    }
}

coded_field!(
    /// The way the person said we may reach them for a follow-up.
    ReachMethod, "reach_method",
    "must be one of phone, text, email, in-person, partner",
    {
        Phone => "phone",
        Text => "text",
        Email => "email",
        InPerson => "in-person",
        Partner => "partner",
    }
);

impl ReachMethod {
    pub fn label(self) -> &'static str {
        match self {
            ReachMethod::Phone => "Phone call",
            ReachMethod::Text => "Text message",
            ReachMethod::Email => "Email",
            ReachMethod::InPerson => "In person",
            ReachMethod::Partner => "Through a partner",
        }
    }
}

text_field!(
    /// A note on the closure, in the worker's words ("moved in with her aunt in another state").
    ClosureNote, "note", 2000, true
);
text_field!(
    /// How to reach the person safely, in their words ("texts only, say it's Anna from the
    /// clinic"): sealed, and shown only to those who may see the client.
    SafeReach, "reach_how", 500, true
);

/// What the person agreed to about follow-up contacts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowUp {
    /// Agreed, and how we may reach them.
    Agreed {
        method: ReachMethod,
        how: Option<SafeReach>,
    },
    Declined,
    NotAsked,
}

impl FollowUp {
    pub fn consent(&self) -> FollowUpConsent {
        match self {
            FollowUp::Agreed { .. } => FollowUpConsent::Yes,
            FollowUp::Declined => FollowUpConsent::No,
            FollowUp::NotAsked => FollowUpConsent::NotAsked,
        }
    }
}

/// A closure as typed, its day already read (`case::parse_case_date`).
#[derive(Debug, Clone, Copy)]
pub struct RawClosure<'a> {
    pub closed_on: time::Date,
    /// Required: blank or absent is refused, naming `reason`.
    pub reason: Option<&'a str>,
    pub note: Option<&'a str>,
    /// Blank or absent is "not asked".
    pub follow_up: Option<&'a str>,
    pub reach_method: Option<&'a str>,
    pub reach_how: Option<&'a str>,
}

/// A closure, parsed and checked (its day against the case's is `CaseDates::close`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    pub closed_on: time::Date,
    pub reason: ClosureReason,
    pub note: Option<ClosureNote>,
    pub follow_up: FollowUp,
}

impl<'a> RawClosure<'a> {
    /// Checks every field in the order the form asks them; the first problem names its field.
    /// A way to reach the person is taken only when they agreed to follow-up contacts (and is
    /// then required); a person who died is not contacted again.
    pub fn parse(&self) -> Result<Closure, InvalidInput> {
        // Codes are taken exactly as listed; blank (whitespace alone) is "not given".
        let given = |raw: Option<&'a str>| raw.filter(|code| !code.trim().is_empty());
        let reason = match given(self.reason) {
            None => {
                return Err(InvalidInput::new(
                    "reason",
                    "must say why the case closes: one of goals-met, moved, declined-services, lost-contact, transferred, died, other",
                ));
            }
            Some(code) => ClosureReason::parse(code)?,
        };
        let note = ClosureNote::parse_optional(self.note)?;
        let consent = match given(self.follow_up) {
            None => FollowUpConsent::NotAsked,
            Some(code) => FollowUpConsent::parse(code)?,
        };
        let method = match given(self.reach_method) {
            None => None,
            Some(code) => Some(ReachMethod::parse(code)?),
        };
        let how = SafeReach::parse_optional(self.reach_how)?;
        let follow_up = match consent {
            FollowUpConsent::Yes if reason == ClosureReason::Died => {
                return Err(InvalidInput::new(
                    "follow_up",
                    "cannot be yes for a person who died",
                ));
            }
            FollowUpConsent::Yes => FollowUp::Agreed {
                method: method.ok_or(InvalidInput::new(
                    "reach_method",
                    "must say how the person agreed to be reached: one of phone, text, email, in-person, partner",
                ))?,
                how,
            },
            FollowUpConsent::No | FollowUpConsent::NotAsked => {
                if method.is_some() {
                    return Err(InvalidInput::new(
                        "reach_method",
                        "is kept only when the person agreed to follow-up contacts",
                    ));
                }
                if how.is_some() {
                    return Err(InvalidInput::new(
                        "reach_how",
                        "is kept only when the person agreed to follow-up contacts",
                    ));
                }
                if consent == FollowUpConsent::No {
                    FollowUp::Declined
                } else {
                    FollowUp::NotAsked
                }
            }
        };
        Ok(Closure {
            closed_on: self.closed_on,
            reason,
            note,
            follow_up,
        })
    }
}

/// A day `months` calendar months after `day`, on the same day of the month or, in a shorter
/// month, its last day (31 August + 6 months is 28 or 29 February).
pub fn plus_months(day: time::Date, months: u32) -> time::Date {
    let index = day.year() * 12 + i32::from(u8::from(day.month())) - 1 + months as i32;
    let (year, month) = (index.div_euclid(12), (index.rem_euclid(12) + 1) as u8);
    let month = time::Month::try_from(month).unwrap_or(time::Month::December);
    let last = month.length(year);
    time::Date::from_calendar_date(year, month, day.day().min(last)).unwrap_or(day)
}

coded_field!(
    /// Which of the three follow-up contacts after a closure.
    FollowUpAt, "at",
    "must be one of 3-months, 6-months, 12-months",
    {
        ThreeMonths => "3-months",
        SixMonths => "6-months",
        TwelveMonths => "12-months",
    }
);

/// How many days after its day a follow-up may still be made; after that it has lapsed.
pub const FOLLOW_UP_WINDOW_DAYS: i64 = 30;

impl FollowUpAt {
    pub fn months(self) -> u32 {
        match self {
            FollowUpAt::ThreeMonths => 3,
            FollowUpAt::SixMonths => 6,
            FollowUpAt::TwelveMonths => 12,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FollowUpAt::ThreeMonths => "3 months",
            FollowUpAt::SixMonths => "6 months",
            FollowUpAt::TwelveMonths => "12 months",
        }
    }

    /// The day this follow-up is due after a closure on `closed_on`.
    pub fn due_on(self, closed_on: time::Date) -> time::Date {
        plus_months(closed_on, self.months())
    }

    /// The last day it may still be made.
    pub fn lapses_after(self, closed_on: time::Date) -> time::Date {
        self.due_on(closed_on) + time::Duration::days(FOLLOW_UP_WINDOW_DAYS)
    }
}

/// Where one follow-up stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUpState {
    /// Made: the person was reached, or it was tried.
    Done { reached: bool },
    /// Not due yet.
    Later,
    /// Due (from its day to the end of its window).
    Due,
    /// Not made in its window.
    Lapsed,
    /// The person withdrew their consent, or the case was re-opened, before it was made.
    Stopped,
}

impl FollowUpState {
    pub fn label(self) -> &'static str {
        match self {
            FollowUpState::Done { reached: true } => "done: reached",
            FollowUpState::Done { reached: false } => "done: tried, not reached",
            FollowUpState::Later => "not due yet",
            FollowUpState::Due => "due",
            FollowUpState::Lapsed => "lapsed",
            FollowUpState::Stopped => "stopped",
        }
    }
}

/// Where a closure's follow-up `at` stands on `today`: `done` is what was recorded of it (whether
/// the person was reached); `active` whether follow-ups still go on (the person agreed, did not
/// withdraw, and the case was not re-opened).
pub fn follow_up_state(
    at: FollowUpAt,
    closed_on: time::Date,
    done: Option<bool>,
    active: bool,
    today: time::Date,
) -> FollowUpState {
    match done {
        Some(reached) => FollowUpState::Done { reached },
        None if !active => FollowUpState::Stopped,
        None if today < at.due_on(closed_on) => FollowUpState::Later,
        None if today > at.lapses_after(closed_on) => FollowUpState::Lapsed,
        None => FollowUpState::Due,
    }
}

/// Refuses a follow-up recorded for a closure that does not take one now: the person did not
/// agree, withdrew, or the case was re-opened; or this one was made already or has lapsed. A
/// follow-up may be made early (the person may be reached when they can be).
pub fn check_follow_up(
    at: FollowUpAt,
    closed_on: time::Date,
    done: Option<bool>,
    active: bool,
    today: time::Date,
) -> Result<(), InvalidInput> {
    match follow_up_state(at, closed_on, done, active, today) {
        FollowUpState::Done { .. } => Err(InvalidInput::new("at", "was recorded already")),
        FollowUpState::Stopped => Err(InvalidInput::new(
            "at",
            "cannot be recorded: the person did not agree to follow-up contacts, withdrew that consent, or the case was re-opened",
        )),
        FollowUpState::Lapsed => Err(InvalidInput::new(
            "at",
            "has lapsed: a follow-up is made within 30 days of its day",
        )),
        FollowUpState::Later | FollowUpState::Due => Ok(()),
    }
}

/// The next six-month outcome review of an open case opened on `opened_on`: every six months
/// from its opening, the first of those days that no six-month review covers. A review taken up
/// to 30 days before one of those days covers it (and every one before it), so `latest_review`
/// (the latest six-month review of the client) moves the due day on.
pub fn six_month_review_due(
    opened_on: time::Date,
    latest_review: Option<time::Date>,
) -> time::Date {
    let mut months = 6;
    loop {
        let due = plus_months(opened_on, months);
        let covered = latest_review
            .is_some_and(|review| review + time::Duration::days(FOLLOW_UP_WINDOW_DAYS) >= due);
        if !covered || months >= 12 * 200 {
            return due;
        }
        months += 6;
    }
}

/// Checks a re-opening day: not before the case closed, not after today anywhere on Earth.
pub fn check_reopening(
    closed_on: time::Date,
    on: time::Date,
    now: Timestamp,
) -> Result<(), InvalidInput> {
    if on < closed_on {
        return Err(InvalidInput::new(
            "reopened_on",
            "must not be before the case closed",
        ));
    }
    if on > now.latest_date_anywhere() {
        return Err(InvalidInput::new(
            "reopened_on",
            "must not be in the future",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn raw(reason: Option<&'static str>) -> RawClosure<'static> {
        RawClosure {
            closed_on: date!(2026 - 05 - 02),
            reason,
            note: None,
            follow_up: None,
            reach_method: None,
            reach_how: None,
        }
    }

    #[test]
    fn a_closure_needs_a_coded_reason() {
        for missing in [None, Some(""), Some("  ")] {
            assert_eq!(raw(missing).parse().unwrap_err().field, "reason");
        }
        assert_eq!(raw(Some("Goals met")).parse().unwrap_err().field, "reason");
        for reason in ClosureReason::ALL {
            let closure = raw(Some(reason.as_str())).parse().unwrap();
            assert_eq!(closure.reason, *reason);
            assert_eq!(closure.follow_up, FollowUp::NotAsked);
            assert!(!reason.label().is_empty());
        }
        assert_eq!(ClosureReason::ALL.len(), 7);
    }

    #[test]
    fn a_way_to_reach_is_kept_only_with_consent_and_then_required() {
        let agreed = RawClosure {
            follow_up: Some("yes"),
            reach_method: Some("text"),
            reach_how: Some(" Texts only, say it's Anna from the clinic "),
            ..raw(Some("goals-met"))
        };
        let closure = agreed.parse().unwrap();
        let FollowUp::Agreed { method, how } = &closure.follow_up else {
            panic!("agreed");
        };
        assert_eq!(*method, ReachMethod::Text);
        assert_eq!(
            how.as_ref().unwrap().as_str(),
            "Texts only, say it's Anna from the clinic"
        );
        assert!(!format!("{closure:?}").contains("Anna"));
        let field = |r: RawClosure<'static>| r.parse().unwrap_err().field;
        assert_eq!(
            field(RawClosure {
                reach_method: None,
                ..agreed
            }),
            "reach_method"
        );
        assert_eq!(
            field(RawClosure {
                follow_up: Some("no"),
                reach_how: None,
                ..agreed
            }),
            "reach_method"
        );
        assert_eq!(
            field(RawClosure {
                follow_up: None,
                reach_method: None,
                ..agreed
            }),
            "reach_how"
        );
        assert_eq!(
            field(RawClosure {
                reason: Some("died"),
                ..agreed
            }),
            "follow_up"
        );
        assert_eq!(
            field(RawClosure {
                follow_up: Some("maybe"),
                ..agreed
            }),
            "follow_up"
        );
        assert_eq!(
            field(RawClosure {
                reach_method: Some("pigeon"),
                ..agreed
            }),
            "reach_method"
        );
        let declined = RawClosure {
            follow_up: Some("no"),
            ..raw(Some("moved"))
        };
        assert_eq!(declined.parse().unwrap().follow_up, FollowUp::Declined);
    }

    #[test]
    fn months_are_added_on_the_calendar() {
        assert_eq!(plus_months(date!(2026 - 08 - 31), 6), date!(2027 - 02 - 28));
        assert_eq!(plus_months(date!(2027 - 08 - 31), 6), date!(2028 - 02 - 29));
        assert_eq!(plus_months(date!(2026 - 05 - 02), 3), date!(2026 - 08 - 02));
        assert_eq!(plus_months(date!(2026 - 10 - 15), 3), date!(2027 - 01 - 15));
        assert_eq!(
            plus_months(date!(2026 - 05 - 02), 12),
            date!(2027 - 05 - 02)
        );
    }

    #[test]
    fn follow_ups_are_due_at_three_six_and_twelve_months_then_lapse() {
        let closed = date!(2026 - 01 - 10);
        let state = |at, done, active, today| follow_up_state(at, closed, done, active, today);
        let three = FollowUpAt::ThreeMonths;
        assert_eq!(three.due_on(closed), date!(2026 - 04 - 10));
        assert_eq!(
            FollowUpAt::TwelveMonths.due_on(closed),
            date!(2027 - 01 - 10)
        );
        assert_eq!(
            state(three, None, true, date!(2026 - 04 - 09)),
            FollowUpState::Later
        );
        assert_eq!(
            state(three, None, true, date!(2026 - 04 - 10)),
            FollowUpState::Due
        );
        assert_eq!(
            state(three, None, true, date!(2026 - 05 - 10)),
            FollowUpState::Due
        );
        assert_eq!(
            state(three, None, true, date!(2026 - 05 - 11)),
            FollowUpState::Lapsed
        );
        assert_eq!(
            state(three, Some(false), true, date!(2026 - 05 - 11)),
            FollowUpState::Done { reached: false }
        );
        assert_eq!(
            state(three, None, false, date!(2026 - 04 - 10)),
            FollowUpState::Stopped
        );
        let check = |done, active, today| check_follow_up(three, closed, done, active, today);
        assert!(check(None, true, date!(2026 - 03 - 01)).is_ok(), "early");
        assert!(check(None, true, date!(2026 - 04 - 20)).is_ok());
        for refused in [
            check(Some(true), true, date!(2026 - 04 - 20)),
            check(None, false, date!(2026 - 04 - 20)),
            check(None, true, date!(2026 - 06 - 01)),
        ] {
            assert_eq!(refused.unwrap_err().field, "at");
        }
    }

    #[test]
    fn a_six_month_review_is_due_every_six_months_from_the_opening() {
        let opened = date!(2026 - 01 - 15);
        assert_eq!(six_month_review_due(opened, None), date!(2026 - 07 - 15));
        // An intake score is not a review; a review a little early covers its day.
        assert_eq!(
            six_month_review_due(opened, Some(date!(2026 - 06 - 20))),
            date!(2027 - 01 - 15)
        );
        assert_eq!(
            six_month_review_due(opened, Some(date!(2026 - 06 - 01))),
            date!(2026 - 07 - 15)
        );
        // A missed review is not owed for ever: the latest covers every day before it.
        assert_eq!(
            six_month_review_due(opened, Some(date!(2027 - 08 - 01))),
            date!(2028 - 01 - 15)
        );
    }

    #[test]
    fn a_case_reopens_from_the_day_it_closed_to_today_anywhere() {
        // 2026-05-10 10:00 UTC, already the 11th east of UTC+10.
        let now = Timestamp::from_unix_millis(1_778_407_200_000);
        let closed = date!(2026 - 05 - 02);
        assert!(check_reopening(closed, closed, now).is_ok());
        assert!(check_reopening(closed, date!(2026 - 05 - 11), now).is_ok());
        for (on, problem) in [
            (date!(2026 - 05 - 01), "before"),
            (date!(2026 - 05 - 12), "future"),
        ] {
            let err = check_reopening(closed, on, now).unwrap_err();
            assert_eq!(err.field, "reopened_on");
            assert!(err.problem.contains(problem));
        }
    }
}
