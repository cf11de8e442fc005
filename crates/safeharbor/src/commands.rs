//! The subcommands.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use app::App;
use domain::audit::AuditAction;
use domain::audit_checkpoint::Checkpoint;
use domain::case::{ProgramCode, ProgramName};

use crate::cli::{
    AuditCommand, Checkpoints, Cli, ClientsCommand, Command, KeyEpochs, KeysCommand, Listen,
    ProgramsCommand, Rules, Storage, Times, TokensCommand, UsersCommand,
};
use crate::sealed::{self, SealedFile, open_sealed, restore_drill};
use crate::{audit_checkpoints, demo, instance, key_epochs, progress, screening};

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve {
            storage,
            listen,
            checkpoints,
            key_epochs,
            times,
            rules,
        } => serve(&storage, &listen, &checkpoints, &key_epochs, (times, rules)).await,
        Command::Demo {
            listen,
            times,
            rules,
            clients,
        } => run_demo(&listen, (times, rules), clients).await,
        Command::Report(args) => crate::reports::run(args).await,
        Command::Generate {
            storage,
            times,
            clients,
            years,
            assign_to,
        } => generate(&storage, times, (clients, years), assign_to.as_deref()).await,
        Command::Synthetic {
            storage,
            times,
            clients,
            seed,
            last_day,
        } => synthetic(&storage, times, (clients, seed), last_day.as_deref()).await,
        Command::Users { storage, command } => {
            users(&instance::open(&storage).await?, command).await
        }
        Command::Tokens { storage, command } => {
            tokens(&instance::open(&storage).await?, command).await
        }
        Command::Programs { storage, command } => {
            programs(&instance::open(&storage).await?, command).await
        }
        Command::Clients {
            storage,
            command: ClientsCommand::Erase { id, yes },
        } => erase(&storage, &id, yes).await,
        Command::Keys {
            storage,
            command: KeysCommand::Rotate,
        } => rotate(&storage).await,
        Command::Keys {
            storage,
            command: KeysCommand::Backup { output },
        } => keys_backup(&storage, &output).await,
        Command::Keys {
            storage,
            command: KeysCommand::Restore { input },
        } => keys_restore(&storage, &input).await,
        Command::Audit {
            storage,
            command: AuditCommand::Verify { checkpoints },
        } => verify(&instance::open(&storage).await?, &checkpoints).await,
        Command::Audit {
            storage,
            command: AuditCommand::Checkpoint,
        } => {
            let checkpoint = instance::open(&storage).await?.audit_checkpoint().await?;
            println!("{}", checkpoint.line());
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup {
            storage,
            output,
            no_verify,
        } => backup(&storage, &output, !no_verify).await,
        Command::Restore { storage, input } => restore(&storage, &input).await,
        Command::Instruments { command } => screening::instruments(command),
        Command::Determine {
            facts,
            jurisdiction,
            information,
        } => screening::determine(&facts, &jurisdiction, information),
        Command::Screen {
            instrument,
            answers,
            format,
        } => screening::screen(&instrument, &answers, format),
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => return std::future::pending().await,
            };
        tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

/// Where and how to listen, checked before anything is opened: the address, and the certificate
/// when the server speaks TLS itself (one that cannot be served stops the start here).
#[derive(Debug)]
struct Endpoint {
    addr: std::net::SocketAddr,
    certificates: Option<std::sync::Arc<web::tls::Certificates>>,
}

fn endpoint(listen: &Listen) -> anyhow::Result<Endpoint> {
    Ok(Endpoint {
        addr: instance::check_listen(listen)?,
        certificates: match listen.tls() {
            Some(files) => Some(web::tls::Certificates::load(files)?),
            None => None,
        },
    })
}

async fn listen_and_serve(
    app: App,
    listen: &Listen,
    endpoint: Endpoint,
    ready: impl FnOnce(std::net::SocketAddr),
) -> anyhow::Result<ExitCode> {
    let Endpoint { addr, certificates } = endpoint;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("could not listen on {addr}"))?;
    let bound = listener.local_addr()?;
    ready(bound);
    tokio::spawn(expire_contact_requests(app.clone()));
    tokio::spawn(keep_public_figures_fresh(app.clone()));
    tokio::spawn(keep_statistics_fresh(app.clone()));
    let options = web::Options {
        client_address_header: listen.client_address_header.clone(),
    };
    match certificates {
        None => web::serve(listener, app, options, shutdown_signal()).await?,
        Some(certificates) => {
            let config = certificates.server_config()?;
            tokio::spawn(certificates.keep_reloading(web::tls::POLL));
            let listener = web::tls::TlsListener::new(listener, config)?;
            web::serve_tls(listener, app, options, shutdown_signal()).await?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Says so when the key store holds client keys no KEK of the key file unwraps: an old copy of
/// the database put back after a key epoch, whose keys must be restored from a current key-store
/// backup (`keys restore`) before anyone's record opens.
async fn warn_of_unreadable_keys(app: &App) -> anyhow::Result<()> {
    for (version, keys) in app.key_store().count_by_kek().await? {
        if app.keyring().kek(version).is_none() {
            tracing::warn!(
                kek = version,
                keys,
                "client keys are wrapped by a key-encryption key this key file no longer holds \
                 (a copy of the database from before a key epoch?); their records cannot be read \
                 until a current key-store backup is restored with `safeharbor keys restore`"
            );
        }
    }
    Ok(())
}

/// Destroys unclaimed safe-contact requests once their 30 days are up, checking every hour (the
/// queue page also checks before it lists them). With several servers on one database each
/// checks; the work is idempotent.
async fn expire_contact_requests(app: App) {
    let mut hourly = tokio::time::interval(std::time::Duration::from_secs(60 * 60));
    loop {
        hourly.tick().await;
        match app.expire_contact_requests().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(expired = n, "unclaimed contact requests expired"),
            Err(err) => {
                tracing::warn!(error = %err, "expiring contact requests failed; will retry")
            }
        }
    }
}

/// Refreshes the query planner's statistics every hour (`Store::refresh_statistics`; opening
/// the store did it at start), so a database that grows while the server runs keeps its
/// reports on their indexes.
async fn keep_statistics_fresh(app: App) {
    let mut hourly = tokio::time::interval(std::time::Duration::from_secs(60 * 60));
    hourly.tick().await;
    loop {
        hourly.tick().await;
        if let Err(err) = app.store().refresh_statistics().await {
            tracing::warn!(error = %err, "refreshing the query planner's statistics failed; will retry");
        }
    }
}

/// Makes the public "who we serve" figures when the server starts and again every day, so the
/// page shows the last four quarters soon after a quarter ends (and records entered late for
/// them). A visit never makes them: the public pages do not reach the database.
async fn keep_public_figures_fresh(app: App) {
    let mut daily = tokio::time::interval(std::time::Duration::from_secs(24 * 60 * 60));
    loop {
        daily.tick().await;
        if let Err(err) = app.refresh_public_figures().await {
            tracing::warn!(error = %err, "making the public figures failed; will retry tomorrow");
        }
    }
}

async fn serve(
    storage: &Storage,
    listen: &Listen,
    checkpoints: &Checkpoints,
    key_epochs: &KeyEpochs,
    (times, rules): (Times, Rules),
) -> anyhow::Result<ExitCode> {
    if app::BENCH_BASELINE && std::env::var_os("SAFEHARBOR_BENCH_BASELINE").is_none() {
        bail!(
            "this is a benchmark-only build that reads clients without audit or decryption; it does not serve real data"
        );
    }
    let endpoint = endpoint(listen)?;
    let app = instance::open(storage)
        .await?
        .with_time_zone(times.time_zone)
        .with_rules(rules.into());
    let first_run = app.first_run_link().await?;
    let checkpoint_file = checkpoints
        .file
        .clone()
        .unwrap_or_else(|| storage.data_dir.join("audit-checkpoints"));
    warn_of_unreadable_keys(&app).await?;
    app.audit_server_start().await?;
    if key_epochs.days > 0 {
        tokio::spawn(key_epochs::keep_advancing(
            app.clone(),
            storage.key_path(),
            Duration::from_secs(u64::from(key_epochs.days) * 24 * 60 * 60),
        ));
    }
    tokio::spawn(audit_checkpoints::keep_writing(
        app.clone(),
        checkpoint_file,
        Duration::from_secs(checkpoints.every_seconds),
    ));
    let scheme = listen.scheme();
    listen_and_serve(app, listen, endpoint, |addr| {
        tracing::info!(%addr, "Safe Harbor is listening");
        println!("listening on {scheme}://{addr}");
        if let Some(token) = first_run {
            println!();
            println!("This is a new instance with no accounts. Create the first administrator:");
            print_sign_up_link(&format!("{scheme}://{addr}"), &token);
            println!("(Behind a proxy, open the same path on your public address.)");
        }
    })
    .await
}

async fn generate(
    storage: &Storage,
    times: Times,
    (clients, years): (u32, u32),
    assign_to: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let clock = demo::clock();
    let app = instance::open_with(storage, clock.clone(), app::Entropy::Os)
        .await?
        .with_time_zone(times.time_zone);
    let by = match assign_to {
        None => None,
        Some(username) => {
            let users = app.users().await?;
            let Some(user) = users.into_iter().find(|u| u.username == username) else {
                bail!("no staff account is called {username}");
            };
            anyhow::ensure!(
                user.role == domain::Role::CaseManager,
                "{username} is not a case manager"
            );
            Some(app::Caller {
                id: user.id,
                username: user.username,
                role: user.role,
            })
        }
    };
    let bar = progress::bar(
        Some(u64::from(clients)),
        "making clients with long histories",
    );
    let ids = demo::long_histories(&app, &clock, (by, clients, years), 2026, |n| {
        bar.set_position(n);
    })
    .await?;
    bar.finish_and_clear();
    let mut out = std::io::stdout().lock();
    for id in ids {
        writeln!(out, "{id}")?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn synthetic(
    storage: &Storage,
    times: Times,
    (clients, seed): (u64, u64),
    last_day: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let app = instance::open(storage)
        .await?
        .with_time_zone(times.time_zone);
    let last_day = match last_day {
        Some(raw) => domain::case::parse_date("--last-day", raw)
            .map_err(|_| anyhow::anyhow!("--last-day must be a day, YYYY-MM-DD"))?,
        None => app.time_zone().date(app.now()) - time::Duration::days(1),
    };
    let plan = crate::synthetic::Plan {
        clients,
        seed,
        last_day,
    };
    let started = std::time::Instant::now();
    let bar = progress::bar(Some(clients), "making synthetic clients");
    let (loaded, accounts) = crate::synthetic::fill(&app, plan, |n| bar.set_position(n)).await?;
    // So that the first report after a load does not pay for the planner's statistics.
    app.store().refresh_statistics().await?;
    bar.finish_and_clear();
    println!(
        "Made {} clients, {} services, {} screenings, {} closed cases and {} audit events in {:.0?}.",
        loaded.clients,
        loaded.services,
        loaded.screenings,
        loaded.closures,
        loaded.audit_events,
        started.elapsed()
    );
    println!("Every one is made up. Sign in with an authenticator app holding the key (or run:");
    println!("oathtool --totp -b KEY):");
    for a in &accounts {
        println!(
            "  {:<22} {:<14} password {}  key {}",
            a.username,
            a.role.as_str(),
            a.password,
            a.authenticator_key
        );
    }
    Ok(ExitCode::SUCCESS)
}

async fn run_demo(
    listen: &Listen,
    (times, rules): (Times, Rules),
    clients: u32,
) -> anyhow::Result<ExitCode> {
    let endpoint = endpoint(listen)?;
    let dir = tempfile::Builder::new()
        .prefix("safeharbor-demo-")
        .tempdir()?;
    let storage = Storage {
        data_dir: dir.path().join("data"),
        database_url: None,
        key_file: None,
        upgrade_backup_dir: None,
    };
    // The demo writes a year of case work under a clock it holds in the past, then lets go.
    let clock = demo::clock();
    let app = instance::open_with(&storage, clock.clone(), app::Entropy::Os)
        .await?
        .with_time_zone(times.time_zone)
        .with_rules(rules.into());
    let bar = progress::bar(Some(u64::from(clients)), "making demo clients");
    let accounts = demo::seed(&app, &clock, clients, 2026, |n| bar.set_position(n)).await?;
    bar.finish_and_clear();
    let scheme = listen.scheme();
    listen_and_serve(app, listen, endpoint, |addr| {
        let base = format!("{scheme}://{addr}");
        println!(
            "Safe Harbor demo: {clients} made-up clients in {} (deleted when you stop it).",
            dir.path().display()
        );
        println!(
            "API at {base}/api/v1 (OpenAPI document: {base}/api/v1/openapi.json)"
        );
        println!("Public pages at {base}/ (English) and {base}/es/ (Spanish)");
        println!();
        println!(
            "Staff sign in at {base}/login with a password and a code from an authenticator"
        );
        println!(
            "app holding the account's key (or run: oathtool --totp -b KEY). Made up for this run:"
        );
        if addr.ip().is_loopback() {
            println!(
                "(demo.admin also adds a passkey, which needs a host name: sign in at {scheme}://localhost:{}/login.)",
                addr.port()
            );
        }
        for a in &accounts {
            println!(
                "  {:<18} {:<14} password {}  key {}",
                a.username,
                a.role.as_str(),
                a.password,
                a.authenticator_key
            );
        }
        println!();
        println!("Personal API tokens (Authorization: Bearer TOKEN):");
        for a in &accounts {
            println!("  {:<18} {}", a.username, a.api_token);
        }
        println!();
        println!(
            "Try: curl -s -H 'Authorization: Bearer {}' {base}/api/v1/clients?limit=5",
            accounts[0].api_token
        );
        println!("Stop with Ctrl-C.");
    })
    .await
}

async fn programs(app: &App, command: ProgramsCommand) -> anyhow::Result<ExitCode> {
    match command {
        ProgramsCommand::Add { code, name } => {
            let code = ProgramCode::parse(&code)?;
            if !app.add_program(&code, &ProgramName::parse(&name)?).await? {
                bail!("a program with the code {} already exists", code.as_str());
            }
            println!("added program {}", code.as_str());
        }
        ProgramsCommand::List => {
            for program in app.programs().await? {
                println!("{}\t{}", program.code, program.name);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn users(app: &App, command: UsersCommand) -> anyhow::Result<ExitCode> {
    match command {
        UsersCommand::Add {
            username,
            role,
            url,
        } => {
            let role = role.parse()?;
            let (user, token) = app.add_user(&username, role).await?;
            println!("created {} ({}), id {}", user.username, user.role, user.id);
            let link = app.invite(Some(user.id), role).await?;
            print_sign_up_link(&url, &link);
            println!(
                "personal API token (shown once; expires {}):",
                token.token.expires_at.rfc3339()
            );
            println!("{}", token.secret);
        }
        UsersCommand::Invite { username, url } => {
            let user = app
                .users()
                .await?
                .into_iter()
                .find(|u| u.username == username)
                .with_context(|| format!("there is no account named {username}"))?;
            let link = app.invite(Some(user.id), user.role).await?;
            print_sign_up_link(&url, &link);
        }
        UsersCommand::List => {
            for user in app.users().await? {
                let state = if user.disabled_at.is_some() {
                    "disabled"
                } else {
                    "active"
                };
                println!("{}\t{}\t{}\t{state}", user.id, user.username, user.role);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints a sign-up link, with what to do with it.
fn print_sign_up_link(base: &str, token: &str) {
    println!(
        "sign-up link (works once, for {} hours; give it to the person privately):",
        app::enrolment::LINK_HOURS
    );
    println!("  {}/login/setup/{token}", base.trim_end_matches('/'));
}

async fn tokens(app: &App, command: TokensCommand) -> anyhow::Result<ExitCode> {
    match command {
        TokensCommand::Create {
            username,
            label,
            days,
        } => {
            let token = app.create_token(&username, &label, days).await?;
            println!(
                "token {} for {username} (shown once; expires {}):",
                token.token.id,
                token.token.expires_at.rfc3339()
            );
            println!("{}", token.secret);
        }
        TokensCommand::List => {
            let now = app.now();
            for token in app.tokens().await? {
                let state = match token.revoked_at {
                    Some(_) => "revoked",
                    None if token.expires_at <= now => "expired",
                    None => "live",
                };
                println!(
                    "{}\t{}\t{}\t{}\t{state}",
                    token.id,
                    token.user_id,
                    token.label,
                    token.expires_at.rfc3339()
                );
            }
        }
        TokensCommand::Revoke { id } => {
            app.revoke_token(id.parse()?).await?;
            println!("revoked token {id}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn erase(storage: &Storage, id: &str, yes: bool) -> anyhow::Result<ExitCode> {
    let app = instance::open(storage).await?;
    let id: domain::ClientId = id.parse()?;
    if !yes {
        if !std::io::stdin().is_terminal() {
            bail!("erasing a client cannot be undone; pass --yes to confirm from a script");
        }
        print!(
            "Erase client {id} for good? Their data can never be read again, from any copy. Type 'erase' to confirm: "
        );
        std::io::stdout().flush()?;
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if answer.trim() != "erase" {
            println!("Nothing was erased.");
            return Ok(ExitCode::FAILURE);
        }
    }
    app.erase_client_as_operator(id).await?;
    println!("erased client {id}: their key is destroyed");
    // The key epoch advances at once, so copies of the database from before erase them too.
    rotate_with(&app, storage).await
}

async fn rotate(storage: &Storage) -> anyhow::Result<ExitCode> {
    rotate_with(&instance::open(storage).await?, storage).await
}

async fn rotate_with(app: &App, storage: &Storage) -> anyhow::Result<ExitCode> {
    let bar = progress::bar(None, "re-wrapping client keys");
    let rotation = app
        .rotate_keys(&storage.key_path(), Duration::from_secs(2), |n| {
            bar.set_position(n)
        })
        .await?;
    bar.finish_and_clear();
    println!(
        "key-encryption key {} is now current; {} client keys re-wrapped; older keys retired from {}",
        rotation.new_version,
        rotation.rewrapped,
        storage.key_path().display()
    );
    Ok(ExitCode::SUCCESS)
}

async fn verify(app: &App, checkpoint_files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let mut checkpoints = Vec::new();
    for file in checkpoint_files {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("could not read the checkpoints in {}", file.display()))?;
        checkpoints
            .extend(Checkpoint::find_all(&text).with_context(|| format!("in {}", file.display()))?);
    }
    let bar = progress::bar(None, "checking audit events");
    let verdict = app
        .verify_audit(&checkpoints, |n| {
            bar.set_position(u64::try_from(n).unwrap_or(0))
        })
        .await?;
    bar.finish_and_clear();
    let held = if checkpoints.is_empty() {
        String::new()
    } else {
        format!(", reaching all {} checkpoints", checkpoints.len())
    };
    match verdict {
        Ok(count) => {
            println!("audit chain verified: {count} events, unbroken{held}");
            Ok(ExitCode::SUCCESS)
        }
        Err(broken) => {
            println!("audit chain BROKEN: {broken}");
            Ok(ExitCode::from(2))
        }
    }
}

async fn backup(storage: &Storage, output: &Path, verify: bool) -> anyhow::Result<ExitCode> {
    let app = instance::open(storage).await?;
    let mut sealed = SealedFile::create(&app.keyring().backup_key(), app.entropy(), output)?;
    let bar = progress::bar(None, "backing up rows");
    let written = store::backup::write(
        app.store(),
        &mut sealed.writer,
        app.now().unix_millis(),
        |n| bar.set_position(n),
    )
    .await;
    bar.finish_and_clear();
    let summary = match written {
        Ok(summary) => summary,
        Err(err) => {
            sealed.abandon();
            return Err(err.into());
        }
    };
    sealed.finish()?;
    app.audit_operator(AuditAction::BackupCreate, None).await?;
    println!(
        "backup written to {}: {} rows, digest {}",
        output.display(),
        summary.rows,
        summary.digest
    );
    if verify {
        let drill = restore_drill(
            &app.keyring().backup_key(),
            &app.keyring().audit_key(),
            output,
            app.now().unix_millis(),
        )
        .await?;
        println!(
            "restore drill passed: {} rows restored into a scratch database, digest {}",
            drill.rows, drill.digest
        );
    }
    println!(
        "the key store is not in this file: keep a recent `safeharbor keys backup` and the key file apart from it"
    );
    Ok(ExitCode::SUCCESS)
}

/// Restores a records backup into a fresh instance. A backup made by an older version is loaded
/// at the schema it was made at, then brought up to this version's.
async fn restore(storage: &Storage, input: &Path) -> anyhow::Result<ExitCode> {
    let key_path = storage.key_path();
    let key_file = crypto::KeyFile::load(&key_path)
        .context("restoring needs the key file the backup was made with")?;
    let at = sealed::schema_of(key_file.backup_key(), input)?;
    let (app, database) = instance::open_for_restore(storage, at).await?;
    let bar = progress::bar(None, "restoring rows");
    let restored = store::backup::restore(
        app.store(),
        open_sealed(&app.keyring().backup_key(), input)?,
        &app.keyring().audit_key(),
        |n| bar.set_position(n),
    )
    .await;
    bar.finish_and_clear();
    let summary = restored?;
    database
        .migrate_to(i64::MAX, app.now().unix_millis())
        .await?;
    app.audit_operator(AuditAction::BackupRestore, None).await?;
    println!(
        "restored {} rows from {}; digest {} matches the backup",
        summary.rows,
        input.display(),
        summary.digest
    );
    Ok(ExitCode::SUCCESS)
}

async fn keys_backup(storage: &Storage, output: &Path) -> anyhow::Result<ExitCode> {
    let app = instance::open(storage).await?;
    let mut sealed = SealedFile::create(&app.keyring().backup_key(), app.entropy(), output)?;
    let keys = match app.key_store().export(&mut sealed.writer).await {
        Ok(keys) => keys,
        Err(err) => {
            sealed.abandon();
            return Err(err.into());
        }
    };
    sealed.finish()?;
    app.audit_operator(AuditAction::KeysBackup, None).await?;
    println!(
        "key-store backup written to {}: {keys} client keys, still wrapped by the key-encryption key",
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}

async fn keys_restore(storage: &Storage, input: &Path) -> anyhow::Result<ExitCode> {
    let app = instance::open(storage).await?;
    let has_kek = |version| app.keyring().kek(version).is_some();
    let keys = app
        .key_store()
        .import(open_sealed(&app.keyring().backup_key(), input)?, has_kek)
        .await?;
    app.audit_operator(AuditAction::KeysRestore, None).await?;
    println!("restored {keys} client keys from {}", input.display());
    Ok(ExitCode::SUCCESS)
}
