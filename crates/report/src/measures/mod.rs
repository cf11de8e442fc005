//! The counting rules of each report: which people a table counts, along which two divisions,
//! and the words that say so on the page. Each division ([`Axis`]) puts every person in exactly
//! one place, so every table's totals add up to the people it counts.

use domain::client::{AgeBand, Gender};
use domain::profile::TraffickingType;

use crate::links::Links;
use crate::period::{Period, PeriodError};
use crate::served::Served;
use crate::table::{Table, TableError};
use domain::service::ServiceType;

mod ovc;
#[cfg(test)]
mod testing;
mod voca;

/// The reports there are, by the name the command line and the pages use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// OVC's human-trafficking program: clients served and new clients in a period.
    Ovc,
    /// VOCA victim assistance: victims served, new once a fiscal year, with demographics of the
    /// new and services as people per type.
    Voca,
}

impl Measure {
    pub const ALL: [Measure; 2] = [Measure::Ovc, Measure::Voca];

    pub fn name(self) -> &'static str {
        match self {
            Measure::Ovc => "ovc-ht",
            Measure::Voca => "voca",
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
        }
    }

    /// The report's tables for the people served in `period`.
    pub fn tables(self, period: Period, served: &[Served]) -> Result<Vec<Table>, MeasureError> {
        match self {
            Measure::Ovc => Ok(ovc::tables(period, served)?),
            Measure::Voca => {
                let period = period.within_one_fiscal_year("VOCA")?;
                Ok(voca::tables(period, served)?)
            }
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

/// One way of dividing the people a table counts: its labels, and the one each person is in. Its
/// `id` names it across the tables of a report (`links.rs`): two axes of one id divide people
/// alike.
pub(crate) struct Axis<'a> {
    pub(crate) id: Option<&'static str>,
    pub(crate) labels: Vec<String>,
    pub(crate) place: Box<dyn Fn(&Served) -> usize + 'a>,
}

impl<'a> Axis<'a> {
    pub(crate) fn new(
        id: &'static str,
        labels: impl IntoIterator<Item = impl Into<String>>,
        place: impl Fn(&Served) -> usize + 'a,
    ) -> Axis<'a> {
        Axis {
            id: Some(id),
            labels: labels.into_iter().map(Into::into).collect(),
            place: Box::new(place),
        }
    }

    /// One column counting everyone: for a table that divides people one way only.
    pub(crate) fn single(label: &str) -> Axis<'a> {
        Axis {
            id: None,
            labels: vec![label.to_owned()],
            place: Box::new(|_| 0),
        }
    }

    /// The values of a coded list in order, and a last place for "not recorded".
    pub(crate) fn coded<T: Copy + PartialEq + 'a>(
        id: &'static str,
        all: &'a [T],
        label: fn(T) -> &'static str,
        unrecorded: &str,
        of: impl Fn(&Served) -> Option<T> + 'a,
    ) -> Axis<'a> {
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

/// Counts the people `counts` admits into a table of `rows` by `columns`; `universe` names who
/// they are (`links.rs`), so that a number this table shares with another is known as one.
pub(crate) fn crosstab(
    title: &str,
    counted: &str,
    universe: &[String],
    (rows, columns): (Axis, Axis),
    served: &[Served],
    counts: impl Fn(&Served) -> bool,
) -> Result<Table, TableError> {
    let links = Links {
        universe: universe.to_vec(),
        rows: rows.facets(),
        columns: columns.facets(),
        rows_divide: true,
        columns_divide: true,
    };
    let mut table = Table::new(title, rows.labels, columns.labels, counted)?;
    for person in served.iter().filter(|s| counts(s)) {
        table.add((rows.place)(person), (columns.place)(person), person.people)?;
    }
    table.with_links(links)
}

/// The kinds of trafficking as OVC counts them, "not known" last.
pub(crate) fn trafficking<'a>() -> Axis<'a> {
    Axis::coded(
        "trafficking",
        TraffickingType::ALL,
        TraffickingType::label,
        "Not known or not recorded",
        |s| s.profile.trafficking_type,
    )
}

/// Adult or minor at intake (under 18), or not recorded (also when the person preferred not to
/// give their age).
pub(crate) fn adult_or_minor<'a>() -> Axis<'a> {
    Axis::new(
        "adult-or-minor",
        [
            "Adult (18 or older)",
            "Minor (under 18)",
            "Age not recorded",
        ],
        |s| match s.age_band.and_then(AgeBand::is_minor) {
            Some(false) => 0,
            Some(true) => 1,
            None => 2,
        },
    )
}

pub(crate) fn gender<'a>() -> Axis<'a> {
    Axis::coded("gender", Gender::ALL, Gender::label, "Not recorded", |s| {
        s.gender
    })
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
