//! The people a report counts: each client served in the period, with the coded facts the counting
//! rules need and nothing else (no name, no id). A client is *served* in a period when a service
//! was recorded for them on a day in it; that is the unit OVC and VOCA count ("clients served",
//! "individuals receiving services").

use domain::client::{AgeBand, Gender};
use domain::closure::ClosureReason;
use domain::profile::{AgeAtIntake, Profile};
use domain::service::{SERVICE_TYPES, ServiceCode, ServiceType};

/// The types of service a person received in the period, as a set over `SERVICE_TYPES`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct ServiceSet(u64);

impl ServiceSet {
    /// The bit that stands for `code` in a set: its place in `SERVICE_TYPES` (fewer than 64).
    pub fn bit(code: ServiceCode) -> u64 {
        SERVICE_TYPES
            .iter()
            .position(|kind| kind.code == code.as_str())
            .map_or(0, |place| 1 << place)
    }

    /// The set a store's mask stands for (bits past the list are ignored).
    pub fn from_bits(bits: u64) -> ServiceSet {
        ServiceSet(bits)
    }

    pub fn with(self, code: ServiceCode) -> ServiceSet {
        ServiceSet(self.0 | Self::bit(code))
    }

    /// Each type in the set, in the order of `SERVICE_TYPES`.
    pub fn types(self) -> impl Iterator<Item = &'static ServiceType> {
        SERVICE_TYPES
            .iter()
            .enumerate()
            .filter(move |(place, _)| self.0 & (1 << place) != 0)
            .map(|(_, kind)| kind)
    }
}

/// What a report may know of a person: coded facts only, never who they are.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Who {
    pub gender: Option<Gender>,
    /// At intake, as recorded (a range the person gave, or the one their date of birth fell in).
    pub age_band: Option<AgeBand>,
    /// At intake, finer, when a date of birth was recorded.
    pub age_at_intake: Option<AgeAtIntake>,
    pub profile: Profile,
}

/// What the counting rules count: people or events, each with the coded facts of the person,
/// and how many alike (a store may count alike ones together; the rules count each as that many).
pub trait Counted {
    fn who(&self) -> &Who;
    fn count(&self) -> u64;
}

/// One client served in the period, or `people` clients who share exactly these facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    pub who: Who,
    /// Whether the first service ever recorded for them was in the period: they became a client
    /// in it.
    pub new_client: bool,
    /// Whether their first service in the federal fiscal year the period starts in was in the
    /// period (in a whole year, everyone's is).
    pub new_this_year: bool,
    /// Every type of service they received in the period.
    pub services: ServiceSet,
    pub people: u64,
}

/// A person entering a program in the period: a case opened (not one moved from another
/// program), or re-opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entered {
    pub who: Who,
    pub reopened: bool,
    pub count: u64,
}

/// A case closed in the period, with its coded reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exited {
    pub who: Who,
    pub reason: ClosureReason,
    pub count: u64,
}

impl Counted for Served {
    fn who(&self) -> &Who {
        &self.who
    }
    fn count(&self) -> u64 {
        self.people
    }
}

impl Counted for Entered {
    fn who(&self) -> &Who {
        &self.who
    }
    fn count(&self) -> u64 {
        self.count
    }
}

impl Counted for Exited {
    fn who(&self) -> &Who {
        &self.who
    }
    fn count(&self) -> u64 {
        self.count
    }
}

/// Which parts of the records a report counts. At scale each part is a reading of its own (seconds
/// at a million clients), so a report reads only those it counts; a part not read stays empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts {
    pub served: bool,
    pub entered: bool,
    pub exited: bool,
    pub activity: bool,
}

impl Parts {
    /// `records` with the parts not named here left empty: what a report that names these reads
    /// (for the tests that hold each report to its parts).
    #[cfg(test)]
    pub(crate) fn of(self, records: &Records) -> Records {
        Records {
            served: if self.served {
                records.served.clone()
            } else {
                Vec::new()
            },
            entered: if self.entered {
                records.entered.clone()
            } else {
                Vec::new()
            },
            exited: if self.exited {
                records.exited.clone()
            } else {
                Vec::new()
            },
            activity: if self.activity {
                records.activity.clone()
            } else {
                Default::default()
            },
        }
    }
}

/// Everything a report may count in a period.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Records {
    pub served: Vec<Served>,
    pub entered: Vec<Entered>,
    pub exited: Vec<Exited>,
    /// The events only the dashboard counts (read only for it).
    pub activity: crate::measures::dashboard::Activity,
}
