//! Synthetic data at scale (`safeharbor synthetic`): a new instance filled with made-up clients
//! drawn in the proportions of CTDC's real cases, each with five years' worth of intake,
//! screening, services, closures and audit events, the same for the same seed and last day. It is
//! what the reporting benchmarks and the demo at scale run on.
//!
//! It only ever fills an instance with no staff accounts yet, so that made-up people can never be
//! mixed into a program's real records.

use app::App;
use app::bulk::Loaded;
use domain::Role;
use domain::case::{ProgramCode, ProgramName};
use domain::{TeamId, UserId};
use rand::SeedableRng;
use time::Date;

use crate::demo::{DemoAccount, PROGRAMS, enrol};

mod ctdc;
mod history;

pub use history::EVENTS_PER_CLIENT;

/// Case managers, in teams of `TEAM_SIZE`, who record and serve the clients.
const WORKERS: usize = 100;
const TEAM_SIZE: usize = 10;
/// Clients written per transaction.
const BATCH: u64 = 1_000;

/// What to make.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub clients: u64,
    pub seed: u64,
    /// The last day anything happens on; before today.
    pub last_day: Date,
}

/// Fills `app`, which must have no staff accounts yet: the programs, an administrator, a
/// supervisor leading every team, the case managers, then `plan.clients` clients in batches,
/// reporting how many are written as it goes. Returns what was written and the two accounts to
/// sign in with (administrator and supervisor), which can sign in at once.
pub async fn fill(
    app: &App,
    plan: Plan,
    mut progress: impl FnMut(u64),
) -> anyhow::Result<(Loaded, Vec<DemoAccount>)> {
    anyhow::ensure!(
        app.users().await?.is_empty(),
        "synthetic clients go only into a new instance of their own; this one already has staff \
         accounts (use a new --data-dir or an empty database)"
    );
    anyhow::ensure!(
        plan.last_day < app.time_zone().date(app.now()),
        "the last day must be before today"
    );
    let (accounts, workers) = organisation(app).await?;
    let ctdc = ctdc::Ctdc::load()?;
    let maker = history::Maker {
        ctdc: &ctdc,
        zone: app.time_zone(),
        last_day: plan.last_day,
        workers: &workers,
        instruments: app::screenings::instruments()?,
    };
    let mut rng = rand::rngs::StdRng::seed_from_u64(plan.seed);
    let mut loaded = Loaded::default();
    while loaded.clients < plan.clients {
        let size = BATCH.min(plan.clients - loaded.clients);
        let batch = (0..size)
            .map(|_| maker.history(&mut rng))
            .collect::<anyhow::Result<Vec<_>>>()?;
        loaded += app.load_histories(&batch).await?;
        progress(loaded.clients);
    }
    let mut signed = Vec::new();
    for caller in &accounts {
        signed.push(enrol(app, caller).await?);
    }
    Ok((loaded, signed))
}

/// The programs and the staff: `synthetic.admin`, `synthetic.supervisor` (leading every team)
/// and the case managers `synthetic.worker001`... in teams "Team 1"...; the two callers to
/// sign in as, and the case managers' ids.
async fn organisation(app: &App) -> anyhow::Result<(Vec<app::Caller>, Vec<UserId>)> {
    for (code, name) in PROGRAMS {
        app.add_program(&ProgramCode::parse(code)?, &ProgramName::parse(name)?)
            .await?;
    }
    let add = async |username: String, role: Role| -> anyhow::Result<app::Caller> {
        let (user, _) = app.add_user(&username, role).await?;
        Ok(app::Caller {
            id: user.id,
            username: user.username,
            role: user.role,
        })
    };
    let admin = add("synthetic.admin".to_owned(), Role::Administrator).await?;
    let supervisor = add("synthetic.supervisor".to_owned(), Role::Supervisor).await?;
    let mut workers = Vec::with_capacity(WORKERS);
    let mut team: Option<TeamId> = None;
    for n in 0..WORKERS {
        if n % TEAM_SIZE == 0 {
            let made = app
                .create_team(&admin, &format!("Team {}", n / TEAM_SIZE + 1))
                .await?;
            app.put_team_member(&admin, made, supervisor.id, true)
                .await?;
            team = Some(made);
        }
        let worker = add(format!("synthetic.worker{:03}", n + 1), Role::CaseManager).await?;
        if let Some(team) = team {
            app.put_team_member(&admin, team, worker.id, false).await?;
        }
        workers.push(worker.id);
    }
    Ok((vec![admin, supervisor], workers))
}
