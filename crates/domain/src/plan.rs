//! A service plan: the goals a client chose, in their own words, each with the steps towards it
//! (who takes each one, by when, and where it stands), reviewed with the client on a day the
//! program sets (every 90 days unless it sets another number). The words are the client's and are
//! sealed; the statuses, owners and days are coded facts, kept in the clear so that what is due
//! can be listed without opening anyone's key. Pure: today is passed in.

use serde::{Deserialize, Serialize};

use crate::client::{coded_field, text_field};
use crate::needs::NeedDomain;
use crate::text::TextRule;
use crate::{GoalId, InvalidInput, PartnerId, Timestamp};

/// The days between two reviews of a plan, unless the program sets another number.
pub const DEFAULT_REVIEW_DAYS: u16 = 90;

text_field!(
    /// A goal as the client says it ("a place of my own, with a lock I choose").
    GoalWords, "words", 500, true
);
text_field!(
    /// A step towards a goal ("ask the housing authority for the form").
    StepWords, "steps.words", 500, true
);
text_field!(
    /// What was said at a review of the plan.
    ReviewNote, "note", 2000, true
);

coded_field!(
    /// Where a goal stands: still worked on, reached, or set aside by the client (a goal they no
    /// longer want is theirs to drop; it is kept, not deleted).
    GoalStatus, "status",
    "must be one of active, achieved, set-aside",
    {
        Active => "active",
        Achieved => "achieved",
        SetAside => "set-aside",
    },
    default = Active
);

coded_field!(
    /// Where a step stands.
    StepStatus, "status",
    "must be one of open, done, dropped",
    {
        Open => "open",
        Done => "done",
        Dropped => "dropped",
    },
    default = Open
);

coded_field!(
    /// Who takes a step: the client themself, their worker, or a partner organisation.
    StepOwner, "steps.owner",
    "must be one of client, worker, partner",
    {
        Client => "client",
        Worker => "worker",
        Partner => "partner",
    }
);

impl GoalStatus {
    pub fn label(self) -> &'static str {
        match self {
            GoalStatus::Active => "Working on it",
            GoalStatus::Achieved => "Reached",
            GoalStatus::SetAside => "Set aside",
        }
    }
}

impl StepStatus {
    pub fn label(self) -> &'static str {
        match self {
            StepStatus::Open => "To do",
            StepStatus::Done => "Done",
            StepStatus::Dropped => "Dropped",
        }
    }
}

impl StepOwner {
    pub fn label(self) -> &'static str {
        match self {
            StepOwner::Client => "The client",
            StepOwner::Worker => "The worker",
            StepOwner::Partner => "A partner",
        }
    }
}

/// The latest day a plan's date may be: this side of 2100, as a case's.
fn in_our_times(field: &'static str, day: time::Date) -> Result<time::Date, InvalidInput> {
    if !(1900..=2100).contains(&day.year()) {
        return Err(InvalidInput::new(field, "must be a date from 1900 to 2100"));
    }
    Ok(day)
}

/// An id typed into `field`.
fn id<T: std::str::FromStr>(field: &'static str, raw: &str) -> Result<T, InvalidInput> {
    raw.trim()
        .parse()
        .map_err(|_| InvalidInput::new(field, "is not a valid identifier"))
}

/// A step as typed, its date already read (`case::parse_case_date`).
#[derive(Debug, Clone, Copy)]
pub struct RawStep<'a> {
    pub words: &'a str,
    pub owner: &'a str,
    /// The partner who takes it, when a partner does.
    pub partner: Option<&'a str>,
    pub target_on: time::Date,
}

/// A step, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStep {
    pub words: StepWords,
    pub owner: StepOwner,
    pub partner: Option<PartnerId>,
    pub target_on: time::Date,
}

impl RawStep<'_> {
    /// Checks the step on its own (whether its target is after its goal was set is
    /// `NewStep::check_from`, once the goal is known).
    pub fn parse(&self) -> Result<NewStep, InvalidInput> {
        let words = StepWords::parse(self.words)?;
        let owner = StepOwner::parse(self.owner)?;
        let partner = match (owner, self.partner.map(str::trim)) {
            (StepOwner::Partner, None | Some("")) => {
                return Err(InvalidInput::new(
                    "steps.partner",
                    "must name the partner who takes the step",
                ));
            }
            (StepOwner::Partner, Some(raw)) => Some(id("steps.partner", raw)?),
            (_, None | Some("")) => None,
            (_, Some(_)) => {
                return Err(InvalidInput::new(
                    "steps.partner",
                    "is named only for a step a partner takes",
                ));
            }
        };
        Ok(NewStep {
            words,
            owner,
            partner,
            target_on: in_our_times("steps.target_on", self.target_on)?,
        })
    }
}

impl NewStep {
    /// Refuses a step whose target is before its goal was set (on `set_on`).
    pub fn check_from(&self, set_on: time::Date) -> Result<(), InvalidInput> {
        if self.target_on < set_on {
            return Err(InvalidInput::new(
                "steps.target_on",
                "must not be before the goal was set",
            ));
        }
        Ok(())
    }
}

/// A goal as typed, with its first steps (a goal may start with none).
#[derive(Debug, Clone)]
pub struct RawGoal<'a> {
    pub words: &'a str,
    /// The need it answers, by the needs assessment's domain; blank is none in particular.
    pub need: Option<&'a str>,
    pub set_on: time::Date,
    pub steps: Vec<RawStep<'a>>,
}

/// A goal, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGoal {
    pub words: GoalWords,
    pub need: Option<NeedDomain>,
    pub set_on: time::Date,
    pub steps: Vec<NewStep>,
}

/// The most steps a goal starts with; more are added one by one.
pub const MAX_FIRST_STEPS: usize = 12;

impl RawGoal<'_> {
    /// Checks the goal in the order the form asks (the words, the need, the day, each step); the
    /// first problem names its field. A goal may not be set after today anywhere on Earth.
    pub fn parse(&self, now: Timestamp) -> Result<NewGoal, InvalidInput> {
        let words = GoalWords::parse(self.words)?;
        let need = match self.need {
            None => None,
            Some(raw) if raw.trim().is_empty() => None,
            Some(raw) => Some(NeedDomain::parse(raw).map_err(|_| {
                InvalidInput::new("need", "must be one of the needs assessment's domains")
            })?),
        };
        let set_on = not_after_today("set_on", self.set_on, now)?;
        if self.steps.len() > MAX_FIRST_STEPS {
            return Err(InvalidInput::new(
                "steps",
                "holds too many steps for a new goal (add more once it is set)",
            ));
        }
        let steps = self
            .steps
            .iter()
            .map(|raw| {
                let step = raw.parse()?;
                step.check_from(set_on)?;
                Ok(step)
            })
            .collect::<Result<_, InvalidInput>>()?;
        Ok(NewGoal {
            words,
            need,
            set_on,
            steps,
        })
    }
}

fn not_after_today(
    field: &'static str,
    day: time::Date,
    now: Timestamp,
) -> Result<time::Date, InvalidInput> {
    let day = in_our_times(field, day)?;
    if day > now.latest_date_anywhere() {
        return Err(InvalidInput::new(field, "must not be in the future"));
    }
    Ok(day)
}

/// Refuses a day (named `field`) before the client was recorded (in any zone: the earliest date
/// that moment fell on).
pub fn check_after(
    field: &'static str,
    day: time::Date,
    recorded_at: Timestamp,
) -> Result<(), InvalidInput> {
    if day < recorded_at.earliest_date_anywhere() {
        return Err(InvalidInput::new(
            field,
            "must not be before the client was recorded",
        ));
    }
    Ok(())
}

/// A goal's status as decided at a review, typed.
#[derive(Debug, Clone, Copy)]
pub struct RawGoalStatus<'a> {
    pub goal: &'a str,
    pub status: &'a str,
}

/// A review as typed, its days already read.
#[derive(Debug, Clone)]
pub struct RawReview<'a> {
    pub reviewed_on: time::Date,
    pub note: Option<&'a str>,
    /// Where each goal stands now, as agreed at the review (a goal left out stays as it was).
    pub goals: Vec<RawGoalStatus<'a>>,
    /// The day of the next review; blank is the program's number of days after this one.
    pub next_review_on: Option<time::Date>,
}

/// A review, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReview {
    pub reviewed_on: time::Date,
    pub note: Option<ReviewNote>,
    pub goals: Vec<(GoalId, GoalStatus)>,
    pub next_review_on: time::Date,
}

impl RawReview<'_> {
    /// Checks the review: not after today anywhere on Earth, each goal named once, the next
    /// review after this one (`review_days` after it unless another day is given).
    pub fn parse(&self, review_days: u16, now: Timestamp) -> Result<NewReview, InvalidInput> {
        let reviewed_on = not_after_today("reviewed_on", self.reviewed_on, now)?;
        let note = ReviewNote::parse_optional(self.note)?;
        let mut goals: Vec<(GoalId, GoalStatus)> = Vec::with_capacity(self.goals.len());
        for raw in &self.goals {
            let goal = id("goals.goal", raw.goal)?;
            let status = GoalStatus::parse(raw.status)
                .map_err(|e| InvalidInput::new("goals.status", e.problem))?;
            if goals.iter().any(|(seen, _)| *seen == goal) {
                return Err(InvalidInput::new("goals.goal", "names a goal twice"));
            }
            goals.push((goal, status));
        }
        let next_review_on = match self.next_review_on {
            Some(day) => in_our_times("next_review_on", day)?,
            None => reviewed_on.saturating_add(time::Duration::days(review_days.max(1).into())),
        };
        if next_review_on <= reviewed_on {
            return Err(InvalidInput::new(
                "next_review_on",
                "must be after the review",
            ));
        }
        Ok(NewReview {
            reviewed_on,
            note,
            goals,
            next_review_on,
        })
    }
}

/// The first review of a plan whose first goal was set on `set_on`.
pub fn first_review_on(set_on: time::Date, review_days: u16) -> time::Date {
    set_on.saturating_add(time::Duration::days(review_days.max(1).into()))
}

impl StepStatus {
    /// The status after a move from this one to `to`: an open step is done or dropped, and one
    /// done or dropped by mistake may be opened again. Nothing else moves.
    pub fn step_to(self, to: StepStatus) -> Result<StepStatus, InvalidInput> {
        if self != to && (self == StepStatus::Open || to == StepStatus::Open) {
            return Ok(to);
        }
        Err(InvalidInput::new(
            "status",
            "cannot follow the step's status (an open step is done or dropped, and may be opened again)",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    // 2026-12-03 12:00 UTC.
    const NOW: Timestamp = Timestamp::from_unix_millis(1_796_299_200_000);

    fn step(owner: &'static str, target_on: time::Date) -> RawStep<'static> {
        RawStep {
            words: "Ask for the housing form",
            owner,
            partner: None,
            target_on,
        }
    }

    fn goal(steps: Vec<RawStep<'static>>) -> RawGoal<'static> {
        RawGoal {
            words: "A place of my own",
            need: Some("housing"),
            set_on: date!(2026 - 12 - 01),
            steps,
        }
    }

    #[test]
    fn a_goal_is_the_clients_words_with_steps_each_taken_by_someone_by_a_day() {
        let parsed = goal(vec![step("client", date!(2026 - 12 - 15))])
            .parse(NOW)
            .unwrap();
        assert_eq!(parsed.words.as_str(), "A place of my own");
        assert_eq!(parsed.need, Some(NeedDomain::Housing));
        assert_eq!(parsed.steps[0].owner, StepOwner::Client);
        assert_eq!(parsed.steps[0].target_on, date!(2026 - 12 - 15));
        // The words are never printed.
        assert!(!format!("{parsed:?}").contains("place"));
    }

    #[test]
    fn a_goal_with_no_words_or_a_step_out_of_order_names_its_field() {
        let refused = |raw: RawGoal<'static>| raw.parse(NOW).unwrap_err().field;
        assert_eq!(
            refused(RawGoal {
                words: "  ",
                ..goal(vec![])
            }),
            "words"
        );
        assert_eq!(
            refused(RawGoal {
                need: Some("rent"),
                ..goal(vec![])
            }),
            "need"
        );
        let tomorrow_everywhere = date!(2026 - 12 - 05);
        assert_eq!(
            refused(RawGoal {
                set_on: tomorrow_everywhere,
                ..goal(vec![])
            }),
            "set_on"
        );
        let before = step("worker", date!(2026 - 11 - 30));
        assert_eq!(refused(goal(vec![before])), "steps.target_on");
        let nobody = step("landlord", date!(2026 - 12 - 15));
        assert_eq!(refused(goal(vec![nobody])), "steps.owner");
        let no_words = RawStep {
            words: "",
            ..step("client", date!(2026 - 12 - 15))
        };
        assert_eq!(refused(goal(vec![no_words])), "steps.words");
        let too_many = vec![step("client", date!(2026 - 12 - 15)); MAX_FIRST_STEPS + 1];
        assert_eq!(refused(goal(too_many)), "steps");
    }

    #[test]
    fn a_partner_is_named_for_a_partners_step_and_only_then() {
        let partner = PartnerId::from_random([7; 16]).to_string();
        let leaked: &'static str = Box::leak(partner.into_boxed_str());
        let unnamed = step("partner", date!(2026 - 12 - 15));
        assert_eq!(unnamed.parse().unwrap_err().field, "steps.partner");
        let named = RawStep {
            partner: Some(leaked),
            ..unnamed
        };
        assert!(named.parse().unwrap().partner.is_some());
        let worker_with_partner = RawStep {
            owner: "worker",
            ..named
        };
        assert_eq!(
            worker_with_partner.parse().unwrap_err().field,
            "steps.partner"
        );
        let step = named.parse().unwrap();
        assert!(step.check_from(date!(2026 - 12 - 15)).is_ok());
        let later_goal = step.check_from(date!(2026 - 12 - 16));
        assert_eq!(later_goal.unwrap_err().field, "steps.target_on");
    }

    #[test]
    fn the_next_review_is_the_programs_days_after_unless_another_later_day_is_given() {
        let review = |next| RawReview {
            reviewed_on: date!(2026 - 12 - 02),
            note: None,
            goals: vec![],
            next_review_on: next,
        };
        assert_eq!(
            review(None)
                .parse(DEFAULT_REVIEW_DAYS, NOW)
                .unwrap()
                .next_review_on,
            date!(2027 - 03 - 02)
        );
        assert_eq!(
            review(None).parse(30, NOW).unwrap().next_review_on,
            date!(2027 - 01 - 01)
        );
        assert_eq!(
            review(Some(date!(2027 - 01 - 10)))
                .parse(90, NOW)
                .unwrap()
                .next_review_on,
            date!(2027 - 01 - 10)
        );
        let same_day = review(Some(date!(2026 - 12 - 02))).parse(90, NOW);
        assert_eq!(same_day.unwrap_err().field, "next_review_on");
        assert_eq!(
            first_review_on(date!(2026 - 12 - 02), 90),
            date!(2027 - 03 - 02)
        );
    }

    #[test]
    fn a_review_names_each_goal_once_with_a_status_it_may_have() {
        let goal = GoalId::from_random([1; 16]).to_string();
        let goal: &'static str = Box::leak(goal.into_boxed_str());
        let review = |goals| RawReview {
            reviewed_on: date!(2026 - 12 - 02),
            note: Some("  "),
            goals,
            next_review_on: None,
        };
        let reached = RawGoalStatus {
            goal,
            status: "achieved",
        };
        let parsed = review(vec![reached]).parse(90, NOW).unwrap();
        assert_eq!(parsed.goals[0].1, GoalStatus::Achieved);
        assert_eq!(parsed.note, None);
        let twice = review(vec![reached, reached]).parse(90, NOW);
        assert_eq!(twice.unwrap_err().field, "goals.goal");
        let unknown = RawGoalStatus {
            goal,
            status: "done",
        };
        assert_eq!(
            review(vec![unknown]).parse(90, NOW).unwrap_err().field,
            "goals.status"
        );
        let not_an_id = RawGoalStatus {
            goal: "x",
            status: "active",
        };
        assert_eq!(
            review(vec![not_an_id]).parse(90, NOW).unwrap_err().field,
            "goals.goal"
        );
    }

    #[test]
    fn an_open_step_is_done_or_dropped_and_may_be_opened_again() {
        use StepStatus::*;
        assert_eq!(Open.step_to(Done), Ok(Done));
        assert_eq!(Open.step_to(Dropped), Ok(Dropped));
        assert_eq!(Done.step_to(Open), Ok(Open));
        assert_eq!(Dropped.step_to(Open), Ok(Open));
        assert_eq!(Done.step_to(Dropped).unwrap_err().field, "status");
        assert!(Open.step_to(Open).is_err());
        assert_eq!(StepStatus::parse("finished").unwrap_err().field, "status");
    }
}
