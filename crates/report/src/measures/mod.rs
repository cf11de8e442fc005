//! The counting rules of each report: which people a table counts, along which two divisions,
//! and the words that say so on the page. Each division ([`Axis`]) puts every person in exactly
//! one place, so every table's totals add up to the people it counts.

use domain::client::{AgeBand, Gender};
use domain::profile::TraffickingType;

use crate::links::Links;
use crate::period::{Period, PeriodError};
use crate::served::{Counted, Parts, Records, Served};
use crate::table::{Table, TableError};
use domain::service::ServiceType;

pub mod dashboard;
mod otip;
mod ovc;
#[cfg(test)]
pub(crate) mod testing;
mod voca;

/// The reports there are, by the name the command line and the pages use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// OVC's human-trafficking program: clients served and new clients in a period.
    Ovc,
    /// VOCA victim assistance: victims served, new once a fiscal year, with demographics of the
    /// new and services as people per type.
    Voca,
    /// HHS/OTIP: entries into a program and case closures, by OTIP's two programs.
    Otip,
    /// The program at a glance, for supervisors and directors (not a funder's).
    Dashboard,
}

impl Measure {
    pub const ALL: [Measure; 4] = [
        Measure::Ovc,
        Measure::Voca,
        Measure::Otip,
        Measure::Dashboard,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Measure::Ovc => "ovc-ht",
            Measure::Voca => "voca",
            Measure::Otip => "otip",
            Measure::Dashboard => "dashboard",
        }
    }

    pub fn parse(name: &str) -> Option<Measure> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }

    /// One line on what the report is.
    pub fn describe(self) -> &'static str {
        match self {
            Measure::Ovc => {
                "OVC human-trafficking performance measures: clients served and new clients, by \
                 kind of trafficking, age, gender, citizenship, referral source and service"
            }
            Measure::Voca => {
                "VOCA victim-assistance measures: victims served (new once a federal fiscal \
                 year), demographics of new victims, and people receiving each service"
            }
            Measure::Otip => {
                "HHS/OTIP counts: entries into a program (new and re-opened) and case closures, \
                 by OTIP's programs (DVHT, TVAP), age, gender, referral source and reason"
            }
            Measure::Dashboard => {
                "The program at a glance: people served, new and continuing; the help they \
                 received; screenings by result; referrals and how soon partners accepted them; \
                 cases closed by reason; and how outcome scores moved"
            }
        }
    }

    /// The parts of the records the report counts (`tables` sees nothing else).
    pub fn parts(self) -> Parts {
        let none = Parts {
            served: false,
            entered: false,
            exited: false,
            activity: false,
        };
        match self {
            Measure::Ovc | Measure::Voca => Parts {
                served: true,
                ..none
            },
            Measure::Otip => Parts {
                entered: true,
                exited: true,
                ..none
            },
            Measure::Dashboard => Parts {
                served: true,
                exited: true,
                activity: true,
                ..none
            },
        }
    }

    /// The report's tables for what `records` holds of `period`.
    pub fn tables(self, period: Period, records: &Records) -> Result<Vec<Table>, MeasureError> {
        match self {
            Measure::Ovc => Ok(ovc::tables(&records.served)?),
            Measure::Voca => {
                period.within_one_fiscal_year("VOCA")?;
                Ok(voca::tables(&records.served)?)
            }
            Measure::Otip => Ok(otip::tables(records)?),
            Measure::Dashboard => Ok(dashboard::tables(records)?),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MeasureError {
    #[error(transparent)]
    Period(#[from] PeriodError),
    #[error("a table could not be made: {0}")]
    Table(#[from] TableError),
}

/// One way of dividing the people (or events) a table counts: its labels, and the one each is
/// in. Its `id` names it across the tables of a report (`links.rs`): two axes of one id divide
/// alike.
pub(crate) struct Axis<'a, T = Served> {
    pub(crate) id: Option<&'static str>,
    pub(crate) labels: Vec<String>,
    pub(crate) place: Box<dyn Fn(&T) -> usize + 'a>,
}

impl<'a, T> Axis<'a, T> {
    pub(crate) fn new(
        id: &'static str,
        labels: impl IntoIterator<Item = impl Into<String>>,
        place: impl Fn(&T) -> usize + 'a,
    ) -> Axis<'a, T> {
        Axis {
            id: Some(id),
            labels: labels.into_iter().map(Into::into).collect(),
            place: Box::new(place),
        }
    }

    /// One column counting everyone: for a table that divides people one way only.
    pub(crate) fn single(label: &str) -> Axis<'a, T> {
        Axis {
            id: None,
            labels: vec![label.to_owned()],
            place: Box::new(|_| 0),
        }
    }

    /// The values of a coded list in order, and a last place for "not recorded".
    pub(crate) fn coded<V: Copy + PartialEq + 'a>(
        id: &'static str,
        all: &'a [V],
        label: fn(V) -> &'static str,
        unrecorded: &str,
        of: impl Fn(&T) -> Option<V> + 'a,
    ) -> Axis<'a, T> {
        let labels = all
            .iter()
            .map(|&v| label(v).to_owned())
            .chain([unrecorded.to_owned()]);
        Axis::new(id, labels, move |s| {
            of(s)
                .and_then(|v| all.iter().position(|&x| x == v))
                .unwrap_or(all.len())
        })
    }

    /// Each label's facet: `id=place`, or none for a single column of everyone.
    fn facets(&self) -> Vec<Option<String>> {
        (0..self.labels.len())
            .map(|place| self.id.map(|id| format!("{id}={place}")))
            .collect()
    }

    /// The facet of the `place`th label, for a universe.
    pub(crate) fn facet(&self, place: usize) -> String {
        format!("{}={place}", self.id.unwrap_or("everyone"))
    }
}

/// Counts what `counts` admits into a table of `rows` by `columns`; `universe` names who they are
/// (`links.rs`), so that a number this table shares with another is known as one.
pub(crate) fn crosstab<T: Counted>(
    title: &str,
    counted: &str,
    universe: &[String],
    (rows, columns): (Axis<T>, Axis<T>),
    records: &[T],
    counts: impl Fn(&T) -> bool,
) -> Result<Table, TableError> {
    let links = Links {
        universe: universe.to_vec(),
        rows: rows.facets(),
        columns: columns.facets(),
        rows_divide: true,
        columns_divide: true,
    };
    let mut table = Table::new(title, rows.labels, columns.labels, counted)?;
    for record in records.iter().filter(|s| counts(s)) {
        table.add(
            (rows.place)(record),
            (columns.place)(record),
            record.count(),
        )?;
    }
    table.with_links(links)
}

/// The kinds of trafficking as OVC counts them, "not known" last.
pub(crate) fn trafficking<'a, T: Counted>() -> Axis<'a, T> {
    Axis::coded(
        "trafficking",
        TraffickingType::ALL,
        TraffickingType::label,
        "Not known or not recorded",
        |s: &T| s.who().profile.trafficking_type,
    )
}

/// Adult or minor at intake (under 18), from the age at intake when a date of birth gave one, else
/// from the age range recorded; or not recorded (also when the person preferred not to say).
pub(crate) fn adult_or_minor<'a, T: Counted>() -> Axis<'a, T> {
    Axis::new(
        "adult-or-minor",
        [
            "Adult (18 or older)",
            "Minor (under 18)",
            "Age not recorded",
        ],
        |s: &T| {
            let who = s.who();
            let minor = match who.age_at_intake {
                Some(age) => Some(age.youngest() < 18),
                None => who.age_band.and_then(AgeBand::is_minor),
            };
            match minor {
                Some(false) => 0,
                Some(true) => 1,
                None => 2,
            }
        },
    )
}

pub(crate) fn gender<'a, T: Counted>() -> Axis<'a, T> {
    Axis::coded(
        "gender",
        Gender::ALL,
        Gender::label,
        "Not recorded",
        |s: &T| s.who().gender,
    )
}

/// People receiving each group of services (`group` places a type in a row, or in none): a
/// person is one in each row they received any service of, however many, so a column's total
/// counts a person once per row, not once. `rows` names the grouping (`links.rs`).
pub(crate) fn per_service_group(
    (title, counted): (&str, &str),
    universe: &[String],
    (rows, labels): (&'static str, Vec<String>),
    group: impl Fn(&ServiceType) -> Option<usize>,
    columns: Axis,
    served: &[Served],
) -> Result<Table, TableError> {
    let counted = format!(
        "{counted} A person who received two of these is in two rows, so a column's total counts \
         (person, row) pairs, not people."
    );
    let links = Links {
        universe: universe.to_vec(),
        rows: (0..labels.len())
            .map(|r| Some(format!("{rows}={r}")))
            .collect(),
        columns: columns.facets(),
        rows_divide: false,
        columns_divide: true,
    };
    let mut table = Table::new(title, labels, columns.labels, counted)?;
    for person in served {
        let mut rows: Vec<usize> = person.services.types().filter_map(&group).collect();
        rows.sort_unstable();
        rows.dedup();
        for row in rows {
            table.add(row, (columns.place)(person), person.people)?;
        }
    }
    table.with_links(links)
}

/// Everyone served in the period: the universe of a report's tables.
pub(crate) fn served_universe() -> Vec<String> {
    vec!["served".to_owned()]
}

#[cfg(test)]
mod tests {
    use domain::closure::ClosureReason;
    use domain::needs::{NeedDomain, NeedLevel};
    use domain::referral::ReferralStatus;

    use super::*;
    use crate::figures::{PARTS, who_we_serve};
    use crate::measures::dashboard::Activity;
    use crate::measures::testing::{CONTINUING, NEW, person};
    use crate::served::{Entered, Exited, Who};

    /// Records with something in every part, for more people than the public figures need.
    fn everything() -> Records {
        let mut new = person(NEW, &["A1", "C4"]);
        new.people = 40;
        let mut returning = person(CONTINUING, &["B2"]);
        returning.people = 30;
        Records {
            served: vec![new, returning],
            entered: vec![Entered {
                who: Who::default(),
                reopened: false,
                count: 25,
            }],
            exited: vec![Exited {
                who: Who::default(),
                reason: ClosureReason::GoalsMet,
                count: 20,
            }],
            activity: Activity {
                referrals: vec![(ReferralStatus::Accepted, 12)],
                needs: vec![(NeedDomain::Housing, NeedLevel::Urgent, 15)],
                waits: vec![(3, 14)],
                ..Activity::default()
            },
        }
    }

    /// Each of `parts`, alone left out.
    fn each_left_out(parts: Parts) -> Vec<Parts> {
        let mut without = Vec::new();
        for (named, off) in [
            (
                parts.served,
                Parts {
                    served: false,
                    ..parts
                },
            ),
            (
                parts.entered,
                Parts {
                    entered: false,
                    ..parts
                },
            ),
            (
                parts.exited,
                Parts {
                    exited: false,
                    ..parts
                },
            ),
            (
                parts.activity,
                Parts {
                    activity: false,
                    ..parts
                },
            ),
        ] {
            if named {
                without.push(off);
            }
        }
        without
    }

    /// A report reads only the parts it names, so it must count nothing else: with every other
    /// part emptied, each report's tables and the public figures are the same. And it names none
    /// it does not count: leaving out any one changes them.
    #[test]
    fn each_report_counts_the_parts_it_names_and_no_others() {
        let records = everything();
        let period = Period::quarter("FY2026-Q4").unwrap();
        for measure in Measure::ALL {
            let tables = measure.tables(period, &records);
            let parts = measure.parts();
            assert_eq!(
                measure.tables(period, &parts.of(&records)),
                tables,
                "{measure:?}"
            );
            for fewer in each_left_out(parts) {
                assert_ne!(
                    measure.tables(period, &fewer.of(&records)),
                    tables,
                    "{measure:?} without a part of {fewer:?}"
                );
            }
        }
        let figures = who_we_serve(period, &records);
        assert!(
            matches!(figures, Ok(Some(_))),
            "enough people for the figures"
        );
        assert_eq!(who_we_serve(period, &PARTS.of(&records)), figures);
        for fewer in each_left_out(PARTS) {
            assert_ne!(
                who_we_serve(period, &fewer.of(&records)),
                figures,
                "{fewer:?}"
            );
        }
    }
}
