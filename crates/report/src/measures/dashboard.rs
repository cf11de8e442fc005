//! The program at a glance, for supervisors and directors: the people served (new and
//! continuing), the help they received, screenings by result, determinations by outcome,
//! referrals by where they stand and how long partners took to accept them, cases closed by
//! reason, and how people's outcome scores moved from their first to their latest. Each table counts coded facts only.

use domain::closure::ClosureReason;
use domain::instrument::Outcome;
use domain::needs::{NeedDomain, NeedLevel};
use domain::outcome::OutcomeDomain;
use domain::referral::ReferralStatus;
use domain::service::ServiceCategory;

use super::{Axis, adult_or_minor, crosstab, per_service_group, served_universe};
use crate::served::{Exited, Records, Served};
use crate::table::{Table, TableError};

/// What the dashboard counts besides people: the period's events, each coded, with how many
/// alike.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Activity {
    /// Screenings recorded in the period, by result (`None`: erased with the client).
    pub screenings: Vec<(Option<Outcome>, u64)>,
    /// People whose latest determination was recorded in the period: how many the facts of that
    /// day met each legal definition (as the rule packs title it), and how many met none.
    pub determinations: Met,
    /// Referrals made in the period, by where each stands now.
    pub referrals: Vec<(ReferralStatus, u64)>,
    /// Referrals sent in the period, by whole days from sent to accepted (`None`: not accepted).
    pub days_to_accept: Vec<(Option<u64>, u64)>,
    /// People whose latest outcome score of a domain was given in the period, after an earlier
    /// one: how the score moved.
    pub outcome_changes: Vec<(OutcomeDomain, Change, u64)>,
    /// People served in the period, by their latest answer in each need domain (none, some or
    /// urgent; not answered, left out).
    pub needs: Vec<(NeedDomain, NeedLevel, u64)>,
    /// People whose first service ever was in the period, by the whole days from their first
    /// contact to it.
    pub waits: Vec<(i64, u64)>,
}

/// People by the legal definitions their latest determination met.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Met {
    /// Each definition, with the people whose facts met it (a person may meet several).
    pub definitions: Vec<(String, u64)>,
    /// The people whose facts met none of them.
    pub none: u64,
}

/// How a score moved from a person's first to their latest (5 is best).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Better,
    Same,
    Worse,
}

impl Change {
    pub fn between(first: u8, latest: u8) -> Change {
        match latest.cmp(&first) {
            std::cmp::Ordering::Greater => Change::Better,
            std::cmp::Ordering::Equal => Change::Same,
            std::cmp::Ordering::Less => Change::Worse,
        }
    }
}

pub(super) fn tables(records: &Records) -> Result<Vec<Table>, TableError> {
    let served = served_universe();
    let activity = &records.activity;
    let mut tables = vec![
        crosstab(
            "Clients served, new and continuing",
            "Each person with a service recorded in the period, once. New: their first service \
             ever was in the period. Continuing: served before it too.",
            &served,
            (new_or_continuing(), adult_or_minor()),
            &records.served,
            |_| true,
        )?,
        per_service_group(
            (
                "People receiving each category of help",
                "Each person with a service of the category in the period, once.",
            ),
            &served,
            ("category", category_labels()),
            |kind| {
                ServiceCategory::ALL
                    .iter()
                    .position(|c| *c == kind.category)
            },
            Axis::single("People"),
            &records.served,
        )?,
        events(
            "Screenings, by result",
            "Each screening recorded in the period. A screening's result is erased with its \
             client's record.",
            [
                "Positive: signs of trafficking or exploitation",
                "Negative",
                "Incomplete",
                "Erased",
            ],
            activity.screenings.iter().map(|(result, n)| {
                let row = match result {
                    Some(Outcome::Positive) => 0,
                    Some(Outcome::Negative) => 1,
                    Some(Outcome::Incomplete) => 2,
                    None => 3,
                };
                (row, *n)
            }),
        )?,
    ];
    tables.extend(determinations(&activity.determinations)?);
    tables.extend([
        events(
            "New clients, by days from first contact to first service",
            "Each person whose first service ever was in the period, by the days from their first \
             contact (the first contact that reached them, or their record's making if that came \
             first) to that service.",
            [
                "The same day",
                "1 to 7 days",
                "8 to 30 days",
                "31 to 90 days",
                "More than 90 days",
            ],
            activity.waits.iter().map(|(days, n)| (wait_row(*days), *n)),
        )?,
        events(
            "Referrals made, by where they stand now",
            "Each referral drafted in the period, at the step it has reached today.",
            ReferralStatus::ALL.iter().map(|s| status_label(*s)),
            activity.referrals.iter().map(|(status, n)| {
                let row = ReferralStatus::ALL
                    .iter()
                    .position(|s| s == status)
                    .unwrap_or(0);
                (row, *n)
            }),
        )?,
        events(
            "Referrals sent, by time until the partner accepted",
            "Each referral sent in the period, by the whole days from sent to accepted.",
            [
                "Accepted within a day",
                "In 1 to 7 days",
                "In 8 to 30 days",
                "After more than 30 days",
                "Not accepted (declined, closed or still waiting)",
            ],
            activity
                .days_to_accept
                .iter()
                .map(|(days, n)| (days_row(*days), *n)),
        )?,
        crosstab(
            "Cases closed, by reason",
            "Each case closed in the period, by the reason recorded.",
            &["closed".to_owned()],
            (
                Axis::new(
                    "closure-reason",
                    ClosureReason::ALL.iter().map(|r| r.label()),
                    |e: &Exited| {
                        ClosureReason::ALL
                            .iter()
                            .position(|r| *r == e.reason)
                            .unwrap_or(0)
                    },
                ),
                Axis::single("Cases"),
            ),
            &records.exited,
            |_| true,
        )?,
        needs(&activity.needs)?,
        outcome_change(&activity.outcome_changes)?,
    ]);
    Ok(tables)
}

/// The levels of need a table of needs counts, in order.
const NEED_LEVELS: [NeedLevel; 3] = [NeedLevel::NoNeed, NeedLevel::SomeNeed, NeedLevel::Urgent];

fn needs(needs: &[(NeedDomain, NeedLevel, u64)]) -> Result<Table, TableError> {
    let mut table = Table::new(
        "Needs at the latest assessment",
        NeedDomain::ALL
            .iter()
            .map(|d| d.label().to_owned())
            .collect(),
        NEED_LEVELS.iter().map(|l| l.label().to_owned()).collect(),
        "Each person served in the period, in each area of life they were asked about, by their \
         latest answer. An answer not given (prefers not to say, not yet asked) is not counted.",
    )?;
    for (domain, level, n) in needs {
        let row = NeedDomain::ALL.iter().position(|d| d == domain);
        let column = NEED_LEVELS.iter().position(|l| l == level);
        if let (Some(row), Some(column)) = (row, column) {
            table.add(row, column, *n)?;
        }
    }
    Ok(table)
}

/// People by the definitions their latest determination met, a row a definition and one for
/// none: a person may be in several rows, so the column's total counts pairs, not people, and no
/// two rows need hold the same number. None without definitions to count.
fn determinations(met: &Met) -> Result<Option<Table>, TableError> {
    if met.definitions.is_empty() {
        return Ok(None);
    }
    let rows = met
        .definitions
        .iter()
        .map(|(title, n)| (title.as_str(), *n));
    let rows: Vec<(&str, u64)> = rows.chain([("None of them", met.none)]).collect();
    events(
        "Determinations, by the definitions met",
        "Each person whose latest determination was recorded in the period, under each legal \
         definition the facts recorded that day met (a person may meet several), or under none \
         of them. Determinations recorded before outcomes were kept, and those of erased \
         clients, are not counted.",
        rows.iter().map(|(title, _)| *title),
        rows.iter().enumerate().map(|(row, (_, n))| (row, *n)),
    )
    .map(Some)
}

fn new_or_continuing<'a>() -> Axis<'a, Served> {
    Axis::new(
        "new-or-continuing",
        ["New clients", "Continuing clients"],
        move |s: &Served| usize::from(!s.new_client),
    )
}

fn category_labels() -> Vec<String> {
    ServiceCategory::ALL
        .iter()
        .map(|c| format!("{}: {}", c.letter(), c.label()))
        .collect()
}

fn status_label(status: ReferralStatus) -> &'static str {
    match status {
        ReferralStatus::Drafted => "Drafted, not yet sent",
        ReferralStatus::Sent => "Sent, waiting for the partner",
        ReferralStatus::Accepted => "Accepted",
        ReferralStatus::Declined => "Declined by the partner",
        ReferralStatus::Completed => "Completed",
        ReferralStatus::ClosedWithoutService => "Closed without service",
    }
}

/// A service recorded as given before the first contact (a day typed earlier) counts as the same
/// day.
fn wait_row(days: i64) -> usize {
    match days {
        ..=0 => 0,
        1..=7 => 1,
        8..=30 => 2,
        31..=90 => 3,
        _ => 4,
    }
}

fn days_row(days: Option<u64>) -> usize {
    match days {
        Some(0) => 0,
        Some(1..=7) => 1,
        Some(8..=30) => 2,
        Some(_) => 3,
        None => 4,
    }
}

/// A table of one column counting events: each `(row, how many)` of `counts`.
fn events<'l>(
    title: &str,
    counted: &str,
    rows: impl IntoIterator<Item = &'l str>,
    counts: impl IntoIterator<Item = (usize, u64)>,
) -> Result<Table, TableError> {
    let rows = rows.into_iter().map(str::to_owned).collect();
    let mut table = Table::new(title, rows, vec!["Count".to_owned()], counted)?;
    for (row, n) in counts {
        table.add(row, 0, n)?;
    }
    Ok(table)
}

fn outcome_change(changes: &[(OutcomeDomain, Change, u64)]) -> Result<Table, TableError> {
    let mut table = Table::new(
        "Outcome scores, first to latest",
        OutcomeDomain::ALL
            .iter()
            .map(|d| d.label().to_owned())
            .collect(),
        ["Better", "The same", "Worse"].map(str::to_owned).to_vec(),
        "Each person whose latest score of the domain was given in the period, after an earlier \
         one: how it moved from their first score (1 in crisis to 5 thriving). Answers left \
         blank are not scores.",
    )?;
    for (domain, change, n) in changes {
        let row = OutcomeDomain::ALL
            .iter()
            .position(|d| d == domain)
            .unwrap_or(0);
        let column = match change {
            Change::Better => 0,
            Change::Same => 1,
            Change::Worse => 2,
        };
        table.add(row, column, *n)?;
    }
    Ok(table)
}

#[cfg(test)]
mod tests;
