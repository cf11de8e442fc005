//! One synthetic client's history: who they are (in CTDC's proportions), recorded on a day of
//! the five years before the last day, screened then, a few services over up to two years, and
//! for some the case closed. Names and contact details are made up (555-01xx is reserved for
//! fiction).

use app::bulk::{History, ScreeningTaken};
use domain::case::{ProgramCode, format_date};
use domain::client::{
    ContactDetails, DateOfBirth, LegalName, NewClient, PersonalDetails, PreferredName, SafetyFlags,
};
use domain::closure::{Closure, ClosureReason, FollowUp};
use domain::contact::Minutes;
use domain::instrument::{Instrument, Response};
use domain::profile::{Citizenship, Profile};
use domain::service::{
    NewService, SERVICE_TYPES, ServiceCategory, ServiceCode, ServiceMode, Units,
};
use domain::time::ProgramZone;
use domain::{Timestamp, UserId};
use rand::Rng;
use rand::seq::SliceRandom;
use time::{Date, Duration};

use super::ctdc::Ctdc;
use crate::demo::people::{made_up_name, pick, referral_source};

/// How many years before the last day clients were recorded in.
pub const YEARS: i64 = 5;
/// Every client's audit events: recording, the case, the screening, services, a closure, and
/// the record opened again for the rest.
pub const EVENTS_PER_CLIENT: usize = 20;
/// The most services one client has (at least one; 5 on average).
const MOST_SERVICES: usize = 9;
/// Services are given in the two years after a client is recorded.
const SERVICE_DAYS: i64 = 730;
const HOUR: i64 = 3_600_000;

/// What every history is drawn from.
pub struct Maker<'a> {
    pub ctdc: &'a Ctdc,
    pub zone: &'a ProgramZone,
    /// The last day anything happens on (before today).
    pub last_day: Date,
    pub workers: &'a [UserId],
    pub instruments: &'a [Instrument],
}

impl Maker<'_> {
    pub fn history(&self, rng: &mut impl Rng) -> anyhow::Result<History> {
        let recorded_on = self.last_day - Duration::days(rng.gen_range(0..YEARS * 365));
        let recorded_at = self.at(recorded_on, rng.gen_range(8 * HOUR..18 * HOUR));
        let profile = self.ctdc.profile(rng);
        let age = profile.age.clone().map(|band| rng.gen_range(band));
        let client = self.client(rng, recorded_on, age, profile)?;
        let services = self.services(rng, recorded_on, recorded_at)?;
        let last_service = services.last().map_or(recorded_on, |(_, s)| s.delivered_on);
        let closure = self.closure(rng, last_service);
        let used = 3 + services.len() + usize::from(closure.is_some());
        let until = self.at(self.last_day, 20 * HOUR).unix_millis();
        let reads = (used..EVENTS_PER_CLIENT)
            .map(|_| Timestamp::from_unix_millis(rng.gen_range(recorded_at.unix_millis()..until)))
            .collect();
        Ok(History {
            client,
            recorded_at,
            worker: *self
                .workers
                .choose(rng)
                .ok_or(anyhow::anyhow!("no workers"))?,
            program: program(rng, age)?,
            screening: Some(self.screening(rng, recorded_at)?),
            services,
            closure,
            reads,
        })
    }

    /// `millis` after the start of `day` in the program's zone.
    fn at(&self, day: Date, millis: i64) -> Timestamp {
        Timestamp::from_unix_millis(self.zone.start_of_day(day).unix_millis() + millis)
    }

    fn client(
        &self,
        rng: &mut impl Rng,
        recorded_on: Date,
        age: Option<i32>,
        profile: &super::ctdc::CtdcProfile,
    ) -> anyhow::Result<NewClient> {
        let (first, last) = made_up_name(rng);
        let date_of_birth = age
            .map(|age| {
                // 29 February has no twin in most years: the day before it does.
                let birthday = recorded_on
                    .replace_year(recorded_on.year() - age)
                    .or_else(|_| {
                        (recorded_on - Duration::days(1)).replace_year(recorded_on.year() - age)
                    })
                    .unwrap_or(recorded_on);
                let born = birthday - Duration::days(rng.gen_range(0..365));
                DateOfBirth::parse(&format_date(born), recorded_on)
            })
            .transpose()?;
        let citizenship = if self.ctdc.citizen(rng) {
            Citizenship::UsCitizen
        } else {
            Citizenship::ForeignNational
        };
        Ok(NewClient {
            preferred_name: PreferredName::parse(first)?,
            personal: PersonalDetails {
                legal_name: rng
                    .gen_bool(0.6)
                    .then(|| LegalName::parse(&format!("{first} {last}")))
                    .transpose()?,
                date_of_birth,
                contact: rng
                    .gen_bool(0.8)
                    .then(|| {
                        ContactDetails::parse(&format!("(555) 555-01{:02}", rng.gen_range(0..100)))
                    })
                    .transpose()?,
                languages: Vec::new(),
                aliases: Vec::new(),
            },
            safety: SafetyFlags::default(),
            gender: Some(profile.gender),
            age_band: None,
            profile: Profile {
                trafficking_type: profile.trafficking,
                citizenship: Some(citizenship),
                referral_source: referral_source(rng),
            },
        })
    }

    /// A screening half an hour after intake, on one of the instruments, its yes-or-no items
    /// answered (some declined, some left unknown).
    fn screening(
        &self,
        rng: &mut impl Rng,
        recorded_at: Timestamp,
    ) -> anyhow::Result<ScreeningTaken> {
        let instrument = self
            .instruments
            .choose(rng)
            .ok_or(anyhow::anyhow!("no screening instruments"))?;
        let answers = instrument
            .items
            .iter()
            .filter(|item| matches!(item.response, Response::YesNo))
            .filter_map(|item| {
                let answer = pick(
                    rng,
                    &[
                        (Some("yes"), 35),
                        (Some("no"), 50),
                        (Some("declined"), 5),
                        (None, 10),
                    ],
                )?;
                Some((item.id.clone(), answer.to_owned()))
            })
            .collect();
        Ok(ScreeningTaken {
            at: Timestamp::from_unix_millis(recorded_at.unix_millis() + HOUR / 2),
            instrument: instrument.id.clone(),
            answers,
        })
    }

    /// One to nine services, in the order given, over the two years after intake (not after the
    /// last day), each recorded at its moment.
    fn services(
        &self,
        rng: &mut impl Rng,
        recorded_on: Date,
        recorded_at: Timestamp,
    ) -> anyhow::Result<Vec<(Timestamp, NewService)>> {
        let span = (self.last_day - recorded_on).whole_days().min(SERVICE_DAYS);
        let mut days: Vec<i64> = (0..rng.gen_range(1..=MOST_SERVICES))
            .map(|_| rng.gen_range(0..=span))
            .collect();
        days.sort_unstable();
        days.into_iter()
            .map(|offset| {
                let day = recorded_on + Duration::days(offset);
                let at = self.at(day, rng.gen_range(9 * HOUR..17 * HOUR)).max(
                    Timestamp::from_unix_millis(recorded_at.unix_millis() + HOUR),
                );
                Ok((at, service(rng, day)?))
            })
            .collect()
    }

    /// Half the cases whose last service was more than a month before the last day close within
    /// a month of it, for a coded reason.
    fn closure(&self, rng: &mut impl Rng, last_service: Date) -> Option<(Timestamp, Closure)> {
        let room = (self.last_day - last_service).whole_days();
        if room <= 30 || !rng.gen_bool(0.5) {
            return None;
        }
        let closed_on = last_service + Duration::days(rng.gen_range(0..=30));
        use ClosureReason as R;
        let reason = pick(
            rng,
            &[
                (R::GoalsMet, 40),
                (R::Moved, 10),
                (R::DeclinedServices, 10),
                (R::LostContact, 25),
                (R::Transferred, 8),
                (R::Died, 1),
                (R::Other, 6),
            ],
        );
        let follow_up = if reason == R::Died || rng.gen_bool(0.5) {
            FollowUp::NotAsked
        } else {
            FollowUp::Declined
        };
        let closure = Closure {
            closed_on,
            reason,
            note: None,
            follow_up,
        };
        Some((self.at(closed_on, 16 * HOUR), closure))
    }
}

/// A program: young people's drop-in for those under 18, else mostly adult advocacy.
fn program(rng: &mut impl Rng, age: Option<i32>) -> anyhow::Result<ProgramCode> {
    let code = if age.is_some_and(|age| age < 18) {
        "youth-drop-in"
    } else {
        pick(
            rng,
            &[
                ("adult-advocacy", 60),
                ("emergency-shelter", 25),
                ("legal-relief", 15),
            ],
        )
    };
    Ok(ProgramCode::parse(code)?)
}

/// A service on `day`: a category in proportions like VOCA grantees report (advocacy and
/// emotional support first), then any type in it; shelter counted in nights, the rest in minutes.
fn service(rng: &mut impl Rng, day: Date) -> anyhow::Result<NewService> {
    use ServiceCategory as C;
    let category = pick(
        rng,
        &[
            (C::InformationAndReferral, 20),
            (C::PersonalAdvocacy, 30),
            (C::EmotionalSupportOrSafety, 25),
            (C::ShelterAndHousing, 12),
            (C::JusticeSystem, 8),
            (C::Other, 5),
        ],
    );
    let kinds: Vec<_> = SERVICE_TYPES
        .iter()
        .filter(|k| k.category == category)
        .collect();
    let kind = kinds
        .choose(rng)
        .ok_or(anyhow::anyhow!("no service types"))?;
    let shelter = category == C::ShelterAndHousing;
    Ok(NewService {
        delivered_on: day,
        code: ServiceCode::parse(kind.code)?,
        mode: pick(
            rng,
            &[
                (ServiceMode::InPerson, 60),
                (ServiceMode::Phone, 30),
                (ServiceMode::Video, 10),
            ],
        ),
        minutes: (!shelter)
            .then(|| Minutes::new(15 * rng.gen_range(1..=8)))
            .transpose()?,
        units: shelter
            .then(|| Units::new(rng.gen_range(1..=30)))
            .transpose()?,
        note: None,
    })
}
