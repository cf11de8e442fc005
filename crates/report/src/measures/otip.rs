//! HHS/OTIP quarterly counts (`research/reporting.md` §2): OTIP collects a form for each client
//! who enters a program (new or re-opened) and for each case that closes. These tables count the
//! same events by the coded facts its forms ask: citizenship, which decides between OTIP's two
//! programs (DVHT for U.S. citizens and permanent residents, TVAP for foreign nationals), age at
//! intake, gender, referral source, kind of trafficking, and a closure's reason.
//!
//! An *entry* is a case opened in the period (not one continuing a case moved from another
//! program) or a case re-opened in it. A person who entered twice is counted twice, as OTIP asks
//! one form each time.

use domain::closure::ClosureReason;
use domain::profile::{Citizenship, ReferralSource};

use super::{Axis, adult_or_minor, crosstab, gender, trafficking};
use crate::served::{Counted, Entered, Exited, Records};
use crate::table::{Table, TableError};

const ENTRY: &str = "Each entry into a program in the period, once: a case opened (not one moved \
                     from another program) or re-opened. A person who entered twice is counted \
                     twice, as OTIP asks a form each time.";

/// OTIP's two programs, as a client's citizenship places them.
fn program<'a, T: Counted>() -> Axis<'a, T> {
    Axis::new(
        "otip-program",
        [
            "DVHT: U.S. citizen or permanent resident",
            "TVAP: foreign national",
            "Citizenship not recorded",
        ],
        |s: &T| match s.who().profile.citizenship {
            Some(Citizenship::UsCitizen | Citizenship::LawfulPermanentResident) => 0,
            Some(Citizenship::ForeignNational) => 1,
            Some(Citizenship::PrefersNotToAnswer) | None => 2,
        },
    )
}

pub(super) fn tables(records: &Records) -> Result<Vec<Table>, TableError> {
    let entered = &records.entered;
    let entries = vec!["entered".to_owned()];
    let all = |_: &Entered| true;
    Ok(vec![
        crosstab(
            "Program entries, by program",
            &format!("{ENTRY} A re-enrolment is a case re-opened."),
            &entries,
            (
                Axis::new(
                    "otip-kind",
                    ["New enrolments", "Re-enrolments"],
                    |e: &Entered| usize::from(e.reopened),
                ),
                program(),
            ),
            entered,
            all,
        )?,
        crosstab(
            "Program entries, by gender and age at intake",
            &format!("{ENTRY} Age as recorded at intake: a minor is under 18."),
            &entries,
            (gender(), adult_or_minor()),
            entered,
            all,
        )?,
        crosstab(
            "Program entries, by referral source",
            ENTRY,
            &entries,
            (
                Axis::coded(
                    "referral-source",
                    ReferralSource::ALL,
                    ReferralSource::label,
                    "Not recorded",
                    |e: &Entered| e.who.profile.referral_source,
                ),
                program(),
            ),
            entered,
            all,
        )?,
        crosstab(
            "Program entries, by kind of trafficking",
            ENTRY,
            &entries,
            (trafficking(), program()),
            entered,
            all,
        )?,
        crosstab(
            "Case closures, by reason",
            "Each case closed in the period, once, by its coded reason (a case closed, re-opened \
             and closed again is counted each time it closed in the period).",
            &["exited".to_owned()],
            (
                Axis::coded(
                    "closure-reason",
                    ClosureReason::ALL,
                    ClosureReason::label,
                    "Not recorded",
                    |e: &Exited| Some(e.reason),
                ),
                program(),
            ),
            &records.exited,
            |_| true,
        )?,
    ])
}

#[cfg(test)]
mod tests;
