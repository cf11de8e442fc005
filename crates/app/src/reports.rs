//! Funder reports, produced from the report dimensions alone (`store::Reads::served`): no client's
//! key is opened. Every report produced is audited, and an exact one (whose small numbers could
//! point at someone) only with a named member of staff's sign-off, audited as theirs.

use std::collections::HashMap;

use domain::UserId;
use domain::audit::{Actor, AuditAction};
use domain::client::{AgeBand, Gender};
use domain::closure::ClosureReason;
use domain::instrument::Outcome;
use domain::needs::{NeedDomain, NeedLevel};
use domain::outcome::OutcomeDomain;
use domain::policy::{Action, Relationship, permits};
use domain::profile::{AgeAtIntake, Citizenship, Profile, ReferralSource, TraffickingType};
use domain::referral::ReferralStatus;
use domain::service::SERVICE_TYPES;
use report::measures::Measure;
use report::measures::dashboard::{Activity, Change, Met};
use report::period::Period;
use report::served::{Entered, Exited, Parts, Records, Served, ServiceSet, Who};
use report::{Mode, Report};
use store::Within;
use store::rows::{MetCount, ProfileRow, ServedRow, WhoRow};
use time::Date;

use crate::{App, AppError, Caller, Result};

/// A report asked for.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    pub measure: Measure,
    pub period: Period,
    pub mode: Mode,
    pub output: Output,
    pub within: Scope,
}

/// Whose records a report counts: everyone's, or those of the clients with a case in one
/// program, or assigned to a member of one team. Made by [`App::scope`], which checks it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
    Everyone,
    Program(String),
    /// A team, by its id (as stored) and name.
    Team {
        id: String,
        name: String,
    },
}

impl Scope {
    fn within(&self) -> Within<'_> {
        match self {
            Scope::Everyone => Within::Everyone,
            Scope::Program(code) => Within::Program(code),
            Scope::Team { id, .. } => Within::Team(id),
        }
    }

    /// How the audit log and a report's title name it: empty for everyone.
    pub fn describe(&self) -> String {
        match self {
            Scope::Everyone => String::new(),
            Scope::Program(code) => format!("program {code}"),
            Scope::Team { name, .. } => format!("team {name}"),
        }
    }
}

/// Where the report goes: an exact report leaves as a file only signed off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Shown on a page.
    Screen,
    /// A file (JSON, CSV, XLSX) that can be sent on.
    File,
}

impl Output {
    fn as_str(self) -> &'static str {
        match self {
            Output::Screen => "screen",
            Output::File => "file",
        }
    }
}

/// Why a report was not produced.
#[derive(Debug, thiserror::Error)]
pub enum ReportRefused {
    #[error(
        "an exact report leaves as a file only signed off by a named member of staff, who \
         acknowledges its small numbers"
    )]
    NoSignOff,
    #[error("there is no active member of staff {0:?} to sign the report off")]
    NoSuchSigner(String),
    #[error(
        "{username} may not sign reports off: that is for an administrator, a supervisor or a \
         data analyst"
    )]
    MayNotSign { username: String },
    #[error("there is no program {0:?}")]
    NoSuchProgram(String),
    #[error("there is no team {0:?}")]
    NoSuchTeam(String),
    #[error("a report counts one program or one team, not both")]
    ProgramAndTeam,
    #[error(transparent)]
    Measure(#[from] report::measures::MeasureError),
    #[error(transparent)]
    Report(#[from] report::ReportError),
    #[error(transparent)]
    App(#[from] AppError),
}

impl App {
    /// A report, produced by the operator (the command line), signed off by the member of staff
    /// named (needed for an exact file): checked before anything is read.
    pub async fn report_as_operator(
        &self,
        request: &ReportRequest,
        signed_off_by: Option<&str>,
    ) -> std::result::Result<Report, ReportRefused> {
        let signer = match signed_off_by {
            Some(username) => Some(self.signer(username).await?),
            None => None,
        };
        self.produce(request, Actor::Operator, signer).await
    }

    /// A report for a member of staff who may see reports. An exact one is only for someone who
    /// may sign it off, and leaves as a file only when they do (`signs_off`).
    pub async fn report_for(
        &self,
        caller: &Caller,
        request: &ReportRequest,
        signs_off: bool,
    ) -> std::result::Result<Report, ReportRefused> {
        self.grant_role(caller, Action::ReadReports)?;
        let signer = match (request.mode, signs_off) {
            (Mode::Public, false) => None,
            _ => {
                self.grant_role(caller, Action::SignOffReport)?;
                signs_off.then(|| (caller.id, caller.username.clone()))
            }
        };
        self.produce(request, Actor::User(caller.id), signer).await
    }

    /// Reads, counts and releases the report, then audits it (and its sign-off) as produced.
    async fn produce(
        &self,
        request: &ReportRequest,
        actor: Actor,
        signer: Option<(UserId, String)>,
    ) -> std::result::Result<Report, ReportRefused> {
        if request.mode == Mode::Exact && request.output == Output::File && signer.is_none() {
            return Err(ReportRefused::NoSignOff);
        }
        let within = request.within.within();
        let records = self
            .records(request.period, within, request.measure.parts())
            .await?;
        let tables = request.measure.tables(request.period, &records)?;
        let mut report = Report::new(
            request.measure.name(),
            request.mode,
            request.period.from(),
            request.period.to(),
            &tables,
        )?;
        let mut target = format!(
            "report:{}:{}..{}:{}:{}",
            request.measure.name(),
            request.period.from(),
            request.period.to(),
            request.mode.as_str(),
            request.output.as_str(),
        );
        match &request.within {
            Scope::Everyone => {}
            Scope::Program(code) => target.push_str(&format!(":program={code}")),
            Scope::Team { id, .. } => target.push_str(&format!(":team={id}")),
        }
        let mut tx = self.store().write().await.map_err(AppError::from)?;
        self.audit(
            &mut tx,
            actor,
            AuditAction::ReportExport,
            Some(target.clone()),
            "reporting",
        )
        .await?;
        if request.within != Scope::Everyone {
            report = report.with_within(request.within.describe());
        }
        if let Some((id, username)) = signer {
            self.audit(
                &mut tx,
                Actor::User(id),
                AuditAction::ReportSignOff,
                Some(target),
                "reporting",
            )
            .await?;
            report = report.with_sign_off(username);
        }
        tx.commit().await.map_err(AppError::from)?;
        Ok(report)
    }

    /// The scope a report is asked for: a program by its code, or a team by its name, checked to
    /// exist; everyone when neither is given.
    pub async fn scope(
        &self,
        program: Option<&str>,
        team: Option<&str>,
    ) -> std::result::Result<Scope, ReportRefused> {
        let mut tx = self.store().read().await.map_err(AppError::from)?;
        let scope = match (program, team) {
            (None, None) => Scope::Everyone,
            (Some(_), Some(_)) => return Err(ReportRefused::ProgramAndTeam),
            (Some(code), None) => {
                if !tx.program_exists(code).await.map_err(AppError::from)? {
                    return Err(ReportRefused::NoSuchProgram(code.to_owned()));
                }
                Scope::Program(code.to_owned())
            }
            (None, Some(name)) => {
                let teams = tx.teams().await.map_err(AppError::from)?;
                let team = teams
                    .into_iter()
                    .find(|t| t.name == name)
                    .ok_or_else(|| ReportRefused::NoSuchTeam(name.to_owned()))?;
                Scope::Team {
                    id: team.id.to_string(),
                    name: team.name,
                }
            }
        };
        tx.commit().await.map_err(AppError::from)?;
        Ok(scope)
    }

    /// The programs and teams a report may be limited to, for someone who may read reports:
    /// program codes and names, and team names.
    pub async fn report_scopes(
        &self,
        caller: &Caller,
    ) -> Result<(Vec<(String, String)>, Vec<String>)> {
        self.grant_role(caller, Action::ReadReports)?;
        let mut tx = self.store().read().await?;
        let programs = tx.programs().await?;
        let teams = tx.teams().await?;
        tx.commit().await?;
        Ok((
            programs.into_iter().map(|p| (p.code, p.name)).collect(),
            teams.into_iter().map(|t| t.name).collect(),
        ))
    }

    /// The member of staff `username`, if they may sign reports off.
    async fn signer(&self, username: &str) -> std::result::Result<(UserId, String), ReportRefused> {
        let mut tx = self.store().read().await.map_err(AppError::from)?;
        let user = tx
            .user_by_username(username)
            .await
            .map_err(AppError::from)?;
        tx.commit().await.map_err(AppError::from)?;
        match user {
            Some(user) if user.disabled_at.is_none() => {
                if permits(user.role, Relationship::NoClient, Action::SignOffReport) {
                    Ok((user.id, user.username))
                } else {
                    Err(ReportRefused::MayNotSign {
                        username: user.username,
                    })
                }
            }
            _ => Err(ReportRefused::NoSuchSigner(username.to_owned())),
        }
    }

    /// The `parts` of what the reports count of `period` (the others left empty), in one
    /// reading, and the dashboard's events in another.
    pub(crate) async fn records(
        &self,
        period: Period,
        within: Within<'_>,
        parts: Parts,
    ) -> Result<Records> {
        let bits: Vec<(&str, i64)> = SERVICE_TYPES
            .iter()
            .enumerate()
            .map(|(place, kind)| (kind.code, 1_i64 << place))
            .collect();
        let day = |d: Date| domain::case::format_date(d);
        let (from, to) = (day(period.from()), day(period.to()));
        let mut tx = self.store().read().await?;
        let profiles = if parts.served || parts.entered || parts.exited {
            profiles(tx.report_profiles().await?)?
        } else {
            HashMap::new()
        };
        let who = |profile: i64| profiles.get(&profile).cloned().ok_or_else(corrupt);
        let served = if parts.served {
            let year_from = day(period.fiscal_year_start());
            tx.served(&from, &to, &year_from, &bits, within).await?
        } else {
            Vec::new()
        };
        let entered = if parts.entered {
            tx.entered(&from, &to, within).await?
        } else {
            Vec::new()
        };
        let exited = if parts.exited {
            tx.exited(&from, &to, within).await?
        } else {
            Vec::new()
        };
        tx.commit().await?;
        let activity = if parts.activity {
            self.activity(period, within).await?
        } else {
            Activity::default()
        };
        Ok(Records {
            activity,
            served: served
                .iter()
                .map(|row| served_of(row, who(row.profile)?))
                .collect::<Result<_>>()?,
            entered: entered
                .iter()
                .map(|row| {
                    Ok(Entered {
                        who: who(row.profile)?,
                        reopened: row.reopened,
                        count: count(row.count)?,
                    })
                })
                .collect::<Result<_>>()?,
            exited: exited
                .iter()
                .map(|row| {
                    Ok(Exited {
                        who: who(row.profile)?,
                        reason: ClosureReason::parse(&row.reason).map_err(|_| corrupt())?,
                        count: count(row.count)?,
                    })
                })
                .collect::<Result<_>>()?,
        })
    }
}

impl App {
    /// The events of `period` only the dashboard counts, in one reading: its days run from the
    /// first's start to the last's end in the program's time zone.
    pub(crate) async fn activity(&self, period: Period, within: Within<'_>) -> Result<Activity> {
        let zone = self.time_zone();
        let from = zone.start_of_day(period.from()).unix_millis();
        let to = period
            .to()
            .next_day()
            .map_or(i64::MAX, |after| zone.start_of_day(after).unix_millis());
        let day = |d: Date| domain::case::format_date(d);
        let mut tx = self.store().read().await?;
        let screened = tx.screened(from, to, within).await?;
        let determined = tx.determined(from, to, within).await?;
        let referred = tx.referred(from, to, within).await?;
        let days = tx.days_to_accept(from, to, within).await?;
        let (first, last) = (day(period.from()), day(period.to()));
        let changes = tx.score_changes(&first, &last, within).await?;
        let needs = tx.needs_of_served(&first, &last, within).await?;
        let firsts = tx.first_services(&first, &last, within).await?;
        tx.commit().await?;
        Ok(Activity {
            screenings: screened
                .iter()
                .map(|row| {
                    let result = match row.code.as_deref() {
                        None => None,
                        Some("positive") => Some(Outcome::Positive),
                        Some("negative") => Some(Outcome::Negative),
                        Some("incomplete") => Some(Outcome::Incomplete),
                        Some(_) => return Err(corrupt()),
                    };
                    Ok((result, count(row.count)?))
                })
                .collect::<Result<_>>()?,
            determinations: by_definition(&determined)?,
            referrals: referred
                .iter()
                .map(|row| {
                    let status = row.code.as_deref().ok_or_else(corrupt)?;
                    let status = ReferralStatus::parse(status).map_err(|_| corrupt())?;
                    Ok((status, count(row.count)?))
                })
                .collect::<Result<_>>()?,
            days_to_accept: days
                .iter()
                .map(|row| {
                    let days = row.days.map(count).transpose()?;
                    Ok((days, count(row.count)?))
                })
                .collect::<Result<_>>()?,
            outcome_changes: changes
                .iter()
                .map(|row| {
                    let domain = OutcomeDomain::parse(&row.domain).map_err(|_| corrupt())?;
                    let score = |raw: &str| raw.parse::<u8>().map_err(|_| corrupt());
                    let change = Change::between(score(&row.first)?, score(&row.latest)?);
                    Ok((domain, change, count(row.people)?))
                })
                .collect::<Result<_>>()?,
            needs: needs
                .iter()
                .map(|row| {
                    let domain = NeedDomain::parse(&row.domain).map_err(|_| corrupt())?;
                    let level = NeedLevel::parse(&row.level).map_err(|_| corrupt())?;
                    Ok((domain, level, count(row.people)?))
                })
                .collect::<Result<_>>()?,
            waits: firsts
                .iter()
                .map(|row| Ok((row.days, count(row.people)?)))
                .collect::<Result<_>>()?,
        })
    }
}

pub(crate) fn corrupt() -> AppError {
    AppError::Store(store::StoreError::Corrupt("a report dimension"))
}

fn count(n: i64) -> Result<u64> {
    u64::try_from(n).map_err(|_| corrupt())
}

/// People by the definitions their latest determination met: a row for every definition the
/// rule packs decide (in their order, titled as they title it), then any rule a determination
/// was once recorded under that the packs no longer have, by its id.
fn by_definition(rows: &[MetCount]) -> Result<Met> {
    let packs = crate::determinations::rule_packs()?;
    let mut met = Met::default();
    let mut ids: Vec<&str> = Vec::new();
    for rule in packs.rules().iter().filter(|rule| !rule.information_only()) {
        ids.push(rule.id());
        met.definitions.push((rule.title().to_owned(), 0));
    }
    for row in rows {
        let people = count(row.people)?;
        let Some(rule) = &row.rule else {
            met.none += people;
            continue;
        };
        match ids.iter().position(|id| id == rule) {
            Some(at) => met.definitions[at].1 += people,
            None => met.definitions.push((rule.clone(), people)),
        }
    }
    Ok(met)
}

/// Each profile of report dimensions under its number, as the counting rules take them.
fn profiles(rows: Vec<ProfileRow>) -> Result<HashMap<i64, Who>> {
    rows.into_iter()
        .map(|row| Ok((row.id, who(&row.who)?)))
        .collect()
}

/// A client's report dimensions as the counting rules take them.
fn who(row: &WhoRow) -> Result<Who> {
    fn coded<T>(
        raw: Option<&str>,
        parse: fn(&str) -> Result<T, domain::InvalidInput>,
    ) -> Result<Option<T>> {
        raw.map(|r| parse(r).map_err(|_| corrupt())).transpose()
    }
    Ok(Who {
        gender: coded(row.gender.as_deref(), Gender::parse)?,
        age_band: coded(row.age_band.as_deref(), AgeBand::parse)?,
        age_at_intake: coded(row.age_at_intake.as_deref(), AgeAtIntake::parse)?,
        profile: Profile {
            trafficking_type: coded(row.trafficking_type.as_deref(), TraffickingType::parse)?,
            citizenship: coded(row.citizenship.as_deref(), Citizenship::parse)?,
            referral_source: coded(row.referral_source.as_deref(), ReferralSource::parse)?,
        },
    })
}

/// A person served, `who` by their profile, as the counting rules take them.
fn served_of(row: &ServedRow, who: Who) -> Result<Served> {
    Ok(Served {
        who,
        new_client: row.new_client,
        new_this_year: row.new_this_year,
        services: ServiceSet::from_bits(u64::try_from(row.mask).map_err(|_| corrupt())?),
        people: 1,
    })
}
