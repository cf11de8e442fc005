//! The command line (contract: DESIGN.md). Every subcommand that touches data takes `--data-dir`
//! or `--database-url`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "safeharbor",
    version,
    about = "Case records for programs serving survivors of trafficking and exploitation"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Where the data and the keys are.
#[derive(Debug, Clone, Args)]
pub struct Storage {
    /// Folder for the embedded database and, by default, the key file.
    #[arg(
        long,
        env = "SAFEHARBOR_DATA_DIR",
        default_value = "./safeharbor-data",
        global = true
    )]
    pub data_dir: PathBuf,
    /// PostgreSQL instead of the embedded database (postgres://user:password@host/db).
    #[arg(
        long,
        env = "SAFEHARBOR_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// The key file (default: DATA_DIR/safeharbor.key). Keep a copy somewhere safe and apart from backups.
    #[arg(long, env = "SAFEHARBOR_KEY_FILE", global = true)]
    pub key_file: Option<PathBuf>,
    /// Where a backup of the records and the key store is written before a newer version
    /// upgrades the database's schema (default: DATA_DIR/upgrade-backups). Made readable by its
    /// owner only; a folder others can read is refused.
    #[arg(
        long,
        env = "SAFEHARBOR_UPGRADE_BACKUP_DIR",
        value_name = "DIR",
        global = true
    )]
    pub upgrade_backup_dir: Option<PathBuf>,
}

/// How often the server advances the key epoch (`key_epochs`).
#[derive(Debug, Args)]
pub struct KeyEpochs {
    /// Days between key epochs: the key-encryption key advances this often, and a few seconds
    /// after every erasure, so copies of the database from before can no longer be unwrapped.
    /// 0 leaves it to `keys rotate` (for all servers but one, when several share a database).
    #[arg(
        long = "key-epoch-days",
        env = "SAFEHARBOR_KEY_EPOCH_DAYS",
        default_value_t = 30
    )]
    pub days: u32,
}

/// Where the server keeps checkpoints of the audit chain (see `audit verify --checkpoints`).
#[derive(Debug, Args)]
pub struct Checkpoints {
    /// The file checkpoints are appended to (default: audit-checkpoints in the data folder). Put
    /// it where whoever can rewrite the database cannot rewrite it: an append-only file
    /// (`chattr +a`), a mount from another machine. Each checkpoint also goes to the log.
    #[arg(long = "audit-checkpoints", env = "SAFEHARBOR_AUDIT_CHECKPOINTS")]
    pub file: Option<PathBuf>,
    /// How often, in seconds, a checkpoint is written while the chain grows.
    #[arg(
        long = "audit-checkpoint-seconds",
        env = "SAFEHARBOR_AUDIT_CHECKPOINT_SECONDS",
        default_value_t = 60,
        value_parser = clap::value_parser!(u64).range(1..=86_400)
    )]
    pub every_seconds: u64,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server.
    Serve {
        #[command(flatten)]
        storage: Storage,
        #[command(flatten)]
        listen: Listen,
        #[command(flatten)]
        checkpoints: Checkpoints,
        #[command(flatten)]
        key_epochs: KeyEpochs,
        #[command(flatten)]
        times: Times,
        #[command(flatten)]
        rules: Rules,
    },
    /// Start a server on a throw-away folder with synthetic demo clients, and say how to try it.
    Demo {
        #[command(flatten)]
        listen: Listen,
        #[command(flatten)]
        times: Times,
        #[command(flatten)]
        rules: Rules,
        /// How many synthetic clients to make.
        #[arg(long, default_value_t = 200)]
        clients: u32,
    },
    /// Fill a new instance with made-up clients at scale, for the reporting benchmarks and the
    /// demo at scale: drawn in the proportions of the Counter Trafficking Data Collaborative's real
    /// cases, each recorded on a day of the five years to --last-day, screened, given one to nine
    /// services (five on average), some cases closed, twenty audit events each. The same seed
    /// and last day make the same records. Only into an instance with no staff accounts yet; it
    /// makes its own (synthetic.admin, synthetic.supervisor, 100 case managers in 10 teams) and
    /// prints how to sign in.
    Synthetic {
        #[command(flatten)]
        storage: Storage,
        #[command(flatten)]
        times: Times,
        /// How many clients to make.
        #[arg(long, default_value_t = 1_000_000)]
        clients: u64,
        /// The random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The last day anything happens on, YYYY-MM-DD (default: yesterday).
        #[arg(long, value_name = "YYYY-MM-DD")]
        last_day: Option<String>,
    },
    /// Add made-up clients with years of case work each, for load tests: the demo's organisation
    /// and partners, then each client's notes, services, referrals and plan reviews dated across
    /// those years (a year of it: 100 notes, 60 services, 8 referrals, 4 reviews). Prints the
    /// clients' ids, one a line.
    Generate {
        #[command(flatten)]
        storage: Storage,
        #[command(flatten)]
        times: Times,
        /// How many clients to make.
        #[arg(long, default_value_t = 10)]
        clients: u32,
        /// How many years of case work each has.
        #[arg(long, default_value_t = 5)]
        years: u32,
        /// The case manager who does the work and has the clients in their caseload (else the
        /// demo's case manager, made with the organisation).
        #[arg(long, value_name = "USERNAME")]
        assign_to: Option<String>,
    },
    /// Staff accounts.
    Users {
        #[command(flatten)]
        storage: Storage,
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Personal API tokens.
    Tokens {
        #[command(flatten)]
        storage: Storage,
        #[command(subcommand)]
        command: TokensCommand,
    },
    /// The organisation's programs, which cases are opened in.
    Programs {
        #[command(flatten)]
        storage: Storage,
        #[command(subcommand)]
        command: ProgramsCommand,
    },
    /// Client records.
    Clients {
        #[command(flatten)]
        storage: Storage,
        #[command(subcommand)]
        command: ClientsCommand,
    },
    /// The key-encryption key.
    Keys {
        #[command(flatten)]
        storage: Storage,
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// The audit log.
    Audit {
        #[command(flatten)]
        storage: Storage,
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Write an encrypted backup of the records, then prove it restores.
    Backup {
        #[command(flatten)]
        storage: Storage,
        /// The backup file to write.
        #[arg(long, short)]
        output: PathBuf,
        /// Skip the restore drill into a temporary database after writing.
        #[arg(long)]
        no_verify: bool,
    },
    /// Funder reports: `report list` names them; `report NAME --from --to --mode --format`
    /// produces one (an exact one signed off by a named member of staff), audited.
    Report(ReportArgs),
    /// Screening instruments shipped with Safe Harbor.
    Instruments {
        #[command(subcommand)]
        command: InstrumentsCommand,
    },
    /// Score a screening from a file of answers (nothing is stored).
    Screen {
        /// The instrument's id (see `safeharbor instruments list`).
        #[arg(long)]
        instrument: String,
        /// A JSON file: {"items": {"ITEM_ID": "yes"|"no"|"declined"|"unknown"}}.
        #[arg(long)]
        answers: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Which elements of which legal definitions the recorded facts meet, miss or leave unknown
    /// (prints JSON; nothing is stored). Facts file format: docs/facts.schema.json.
    Determine {
        /// The facts file (JSON).
        #[arg(long)]
        facts: PathBuf,
        /// us-federal, us-ca, intl-palermo or all.
        #[arg(long, default_value = "all")]
        jurisdiction: String,
        /// Also show the information-only rules (18 U.S.C. 1591, California's Safe Harbor rule).
        #[arg(long)]
        information: bool,
    },
    /// Restore an encrypted backup into a fresh, empty instance.
    Restore {
        #[command(flatten)]
        storage: Storage,
        /// The backup file to read.
        #[arg(long, short)]
        input: PathBuf,
    },
}

/// How the staff pages show times.
#[derive(Debug, Clone, Args)]
pub struct Times {
    /// The program's time zone, by its IANA name (America/Chicago, Europe/Madrid): staff pages
    /// show every time in it, and say which zone it is.
    #[arg(
        long = "time-zone",
        env = "SAFEHARBOR_TIME_ZONE",
        default_value = "UTC",
        value_parser = time_zone
    )]
    pub time_zone: domain::time::ProgramZone,
}

/// The program's own numbers of days: for consent to share (P22) and for reviewing plans.
#[derive(Debug, Clone, Args)]
pub struct Rules {
    /// How many days a release of information without an end date lasts (the first day among
    /// them). 90 by default, as Washington State's law has it for a release with no end date.
    #[arg(
        long = "release-days",
        env = "SAFEHARBOR_RELEASE_DAYS",
        default_value_t = domain::release::DEFAULT_DAYS,
        value_parser = clap::value_parser!(u16).range(1..=3660)
    )]
    pub release_days: u16,
    /// How many days after a service plan's first goal, or its last review, the next review is
    /// due. 90 by default.
    #[arg(
        long = "review-days",
        env = "SAFEHARBOR_REVIEW_DAYS",
        default_value_t = domain::plan::DEFAULT_REVIEW_DAYS,
        value_parser = clap::value_parser!(u16).range(1..=366)
    )]
    pub review_days: u16,
}

impl From<Rules> for app::ProgramRules {
    fn from(rules: Rules) -> Self {
        Self {
            release_days: rules.release_days,
            review_days: rules.review_days,
        }
    }
}

fn time_zone(name: &str) -> Result<domain::time::ProgramZone, String> {
    domain::time::ProgramZone::parse(name)
        .map_err(|_| format!("{name:?} is not a time zone's name (such as America/Chicago or UTC)"))
}

#[derive(Debug, Clone, Args)]
pub struct Listen {
    /// Address to listen on.
    #[arg(long, env = "SAFEHARBOR_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Allow a non-loopback address without TLS because a TLS-terminating proxy is in front.
    #[arg(long, env = "SAFEHARBOR_BEHIND_PROXY")]
    pub behind_proxy: bool,
    /// Serve HTTPS (only) with this certificate chain: a PEM file, the server's certificate first
    /// (certbot's fullchain.pem). Needs --tls-key. A new pair written over the two files is
    /// taken up without a restart (checked every few seconds, and on SIGHUP).
    #[arg(
        long,
        env = "SAFEHARBOR_TLS_CERT",
        value_name = "FILE",
        requires = "tls_key"
    )]
    pub tls_cert: Option<PathBuf>,
    /// The certificate's private key, a PEM file only its owner can read (certbot's privkey.pem).
    #[arg(
        long,
        env = "SAFEHARBOR_TLS_KEY",
        value_name = "FILE",
        requires = "tls_cert"
    )]
    pub tls_key: Option<PathBuf>,
    /// The header your reverse proxy puts the visitor's address in (e.g. X-Forwarded-For; the
    /// last address in it is used), so the contact form can hold a flood back at its source.
    /// Set it only behind a proxy that sets it: otherwise visitors could choose their own.
    #[arg(long, env = "SAFEHARBOR_CLIENT_ADDRESS_HEADER")]
    pub client_address_header: Option<web::HeaderName>,
}

/// A funder report to produce (contract: DESIGN.md).
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// `list` to name the reports, or the name of the one to produce.
    pub name: String,
    #[command(flatten)]
    pub storage: Storage,
    /// The period's first day, YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub from: Option<String>,
    /// The period's last day, YYYY-MM-DD (included).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub to: Option<String>,
    /// A federal fiscal quarter instead of --from and --to: FY2027-Q1 is October to December
    /// 2026.
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub quarter: Option<String>,
    /// exact (for a funder: every number, small ones flagged, signed off) or public (every
    /// number from 1 to 10 hidden, and whatever would give one away).
    #[arg(long, value_enum)]
    pub mode: Option<ReportMode>,
    /// The username of the member of staff who signs an exact report off.
    #[arg(long, value_name = "USERNAME")]
    pub signed_off_by: Option<String>,
    /// Count only the clients with a case in this program (its code).
    #[arg(long, value_name = "CODE", conflicts_with = "team")]
    pub program: Option<String>,
    /// Count only the clients assigned to a member of this team (its name).
    #[arg(long, value_name = "NAME")]
    pub team: Option<String>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Json)]
    pub format: ReportFormat,
    /// Where to write it (default: standard output; XLSX needs a file).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportMode {
    Public,
    Exact,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Json,
    Csv,
    Xlsx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum InstrumentsCommand {
    /// List the instruments.
    List {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Show one instrument: its questions, scoring, population, citation and validation.
    Show {
        id: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Create a staff account; prints a sign-up link for the person (to set their own password
    /// and authenticator) and, as the last line, a personal API token (both shown once).
    Add {
        #[arg(long)]
        username: String,
        /// administrator, supervisor, case-manager, outreach or data-analyst
        #[arg(long)]
        role: String,
        /// The address staff use to reach Safe Harbor, for the link.
        #[arg(long, env = "SAFEHARBOR_URL", default_value = "http://127.0.0.1:8080")]
        url: String,
    },
    /// Make a new sign-up link for an account (a lost phone, a forgotten password). Their
    /// sessions end when they use it; their records and history stay.
    Invite {
        #[arg(long)]
        username: String,
        /// The address staff use to reach Safe Harbor, for the link.
        #[arg(long, env = "SAFEHARBOR_URL", default_value = "http://127.0.0.1:8080")]
        url: String,
    },
    /// List staff accounts.
    List,
}

#[derive(Debug, Subcommand)]
pub enum TokensCommand {
    /// Issue another token for an account; prints it as the last line (shown once).
    Create {
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "api token")]
        label: String,
        /// Days until it expires.
        #[arg(long, default_value_t = app::users::DEFAULT_TOKEN_DAYS)]
        days: i64,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token by its id.
    Revoke { id: String },
}

#[derive(Debug, Subcommand)]
pub enum ProgramsCommand {
    /// Add a program: a short code that cases name (`youth-drop-in`) and what it is called.
    Add {
        /// 2 to 40 lower-case letters, digits and hyphens, starting with a letter.
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
    },
    /// List the programs: code, then name.
    List,
}

#[derive(Debug, Subcommand)]
pub enum ClientsCommand {
    /// Erase a client for good: their key is destroyed, so no copy of their data can be read again.
    Erase {
        id: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Make a new key-encryption key and re-wrap every client key under it (servers keep serving).
    Rotate,
    /// Write an encrypted copy of the key store (the wrapped client keys).
    Backup {
        /// The file to write.
        #[arg(long, short)]
        output: PathBuf,
    },
    /// Load a key-store backup into a fresh, empty key store.
    Restore {
        /// The file to read.
        #[arg(long, short)]
        input: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the whole audit chain; exits non-zero and names the first bad event if it is broken.
    Verify {
        /// A file of checkpoints (the server's checkpoint file, or its log): the chain must reach
        /// each one with the same MAC. May be given more than once.
        #[arg(long = "checkpoints", value_name = "FILE")]
        checkpoints: Vec<PathBuf>,
    },
    /// Print a checkpoint of the chain as it stands, to keep outside the database (for example,
    /// appended to a file on another machine from a scheduled job).
    Checkpoint,
}
