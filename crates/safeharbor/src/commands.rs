//! The subcommands.

use std::io::{BufReader, IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use app::App;
use domain::audit::AuditAction;

use crate::cli::{
    AuditCommand, Cli, ClientsCommand, Command, KeysCommand, Listen, Storage, TokensCommand,
    UsersCommand,
};
use crate::{demo, instance, progress};

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve { storage, listen } => serve(&storage, &listen).await,
        Command::Demo { listen, clients } => run_demo(&listen, clients).await,
        Command::Users { storage, command } => {
            users(&instance::open(&storage).await?, command).await
        }
        Command::Tokens { storage, command } => {
            tokens(&instance::open(&storage).await?, command).await
        }
        Command::Clients {
            storage,
            command: ClientsCommand::Erase { id, yes },
        } => erase(&instance::open(&storage).await?, &id, yes).await,
        Command::Keys {
            storage,
            command: KeysCommand::Rotate,
        } => rotate(&storage).await,
        Command::Audit {
            storage,
            command: AuditCommand::Verify,
        } => verify(&instance::open(&storage).await?).await,
        Command::Backup {
            storage,
            output,
            no_verify,
        } => backup(&storage, &output, !no_verify).await,
        Command::Restore { storage, input } => restore(&storage, &input).await,
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

async fn listen_and_serve(
    app: App,
    listen: &Listen,
    ready: impl FnOnce(std::net::SocketAddr),
) -> anyhow::Result<ExitCode> {
    let addr = instance::check_listen(listen)?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("could not listen on {addr}"))?;
    let bound = listener.local_addr()?;
    ready(bound);
    web::serve(listener, app, shutdown_signal()).await?;
    Ok(ExitCode::SUCCESS)
}

async fn serve(storage: &Storage, listen: &Listen) -> anyhow::Result<ExitCode> {
    let app = instance::open(storage).await?;
    listen_and_serve(app, listen, |addr| {
        tracing::info!(%addr, "Safe Harbor is listening");
        println!("listening on http://{addr}");
    })
    .await
}

async fn run_demo(listen: &Listen, clients: u32) -> anyhow::Result<ExitCode> {
    let dir = tempfile::Builder::new()
        .prefix("safeharbor-demo-")
        .tempdir()?;
    let storage = Storage {
        data_dir: dir.path().join("data"),
        database_url: None,
        key_file: None,
    };
    let app = instance::open(&storage).await?;
    let bar = progress::bar(Some(u64::from(clients)), "making demo clients");
    let accounts = demo::seed(&app, clients, 2026, |n| bar.set_position(n)).await?;
    bar.finish_and_clear();
    listen_and_serve(app, listen, |addr| {
        println!("Safe Harbor demo: {clients} made-up clients in {} (deleted when you stop it).", dir.path().display());
        println!("API at http://{addr}/api/v1 (OpenAPI document: http://{addr}/api/v1/openapi.json)");
        println!();
        for (username, role, token) in &accounts {
            println!("  {username:<18} {role:<14} token {token}");
        }
        let manager_token = &accounts[0].2;
        println!();
        println!("Try: curl -s -H 'Authorization: Bearer {manager_token}' http://{addr}/api/v1/clients?limit=5");
        println!("Stop with Ctrl-C.");
    })
    .await
}

async fn users(app: &App, command: UsersCommand) -> anyhow::Result<ExitCode> {
    match command {
        UsersCommand::Add { username, role } => {
            let role = role.parse()?;
            let (user, token) = app.add_user(&username, role).await?;
            println!("created {} ({}), id {}", user.username, user.role, user.id);
            println!(
                "personal API token (shown once; expires {}):",
                token.token.expires_at.rfc3339()
            );
            println!("{}", token.secret);
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

async fn erase(app: &App, id: &str, yes: bool) -> anyhow::Result<ExitCode> {
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
    Ok(ExitCode::SUCCESS)
}

async fn rotate(storage: &Storage) -> anyhow::Result<ExitCode> {
    let app = instance::open(storage).await?;
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

async fn verify(app: &App) -> anyhow::Result<ExitCode> {
    let bar = progress::bar(None, "checking audit events");
    let verdict = app
        .verify_audit(|n| bar.set_position(u64::try_from(n).unwrap_or(0)))
        .await?;
    bar.finish_and_clear();
    match verdict {
        Ok(count) => {
            println!("audit chain verified: {count} events, unbroken");
            Ok(ExitCode::SUCCESS)
        }
        Err(broken) => {
            println!("audit chain BROKEN at {broken}");
            Ok(ExitCode::from(2))
        }
    }
}

async fn backup(
    storage: &Storage,
    output: &std::path::Path,
    verify: bool,
) -> anyhow::Result<ExitCode> {
    let app = instance::open(storage).await?;
    if output.exists() {
        bail!(
            "{} already exists; choose a new file name",
            output.display()
        );
    }
    let tmp = output.with_extension("partial");
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)?;
    let mut writer = crypto::backup_stream::BackupWriter::new(
        std::io::BufWriter::new(file),
        &app.keyring().backup_key(),
        &mut app.entropy().rng(),
    )?;
    let bar = progress::bar(None, "backing up rows");
    let summary = store::backup::write(app.store(), &mut writer, app.now().unix_millis(), |n| {
        bar.set_position(n)
    })
    .await;
    bar.finish_and_clear();
    let summary = match summary {
        Ok(summary) => summary,
        Err(err) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(err.into());
        }
    };
    let file = writer.finish()?.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    std::fs::rename(&tmp, output)?;
    if let Some(dir) = output.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    app.audit_operator(AuditAction::BackupCreate, None).await?;
    println!(
        "backup written to {}: {} rows, digest {}",
        output.display(),
        summary.rows,
        summary.digest
    );
    if verify {
        let drill = restore_drill(&app, output).await?;
        println!(
            "restore drill passed: {} rows restored into a scratch database, digest {}",
            drill.rows, drill.digest
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Restores the backup into a scratch SQLite database and checks it against its digest (P17).
async fn restore_drill(
    app: &App,
    backup: &std::path::Path,
) -> anyhow::Result<store::backup::Summary> {
    let scratch = tempfile::tempdir()?;
    let (target, _) = store_sqlite::open(scratch.path(), app.now()).await?;
    let reader = crypto::backup_stream::BackupReader::new(
        std::fs::File::open(backup)?,
        &app.keyring().backup_key(),
    )?;
    let summary = store::backup::restore(&target, BufReader::new(reader), |_| ()).await?;
    target.close().await;
    Ok(summary)
}

async fn restore(storage: &Storage, input: &std::path::Path) -> anyhow::Result<ExitCode> {
    let app = instance::open(storage).await?;
    let reader = crypto::backup_stream::BackupReader::new(
        std::fs::File::open(input)
            .with_context(|| format!("could not open {}", input.display()))?,
        &app.keyring().backup_key(),
    )?;
    let bar = progress::bar(None, "restoring rows");
    let summary =
        store::backup::restore(app.store(), BufReader::new(reader), |n| bar.set_position(n))
            .await?;
    bar.finish_and_clear();
    app.audit_operator(AuditAction::BackupRestore, None).await?;
    println!(
        "restored {} rows from {}; digest {} matches the backup",
        summary.rows,
        input.display(),
        summary.digest
    );
    Ok(ExitCode::SUCCESS)
}
