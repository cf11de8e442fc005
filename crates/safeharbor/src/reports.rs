//! `safeharbor report`: the reports there are, and one produced as JSON, CSV or XLSX. Everything
//! asked is checked before anything is read; nothing is written when anything is wrong.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, anyhow, bail};
use app::reports::{Output, ReportRefused, ReportRequest, Scope};
use report::Mode;
use report::measures::Measure;
use report::period::Period;

use crate::cli::{ReportArgs, ReportFormat, ReportMode};
use crate::{instance, progress};

pub async fn run(args: ReportArgs) -> anyhow::Result<ExitCode> {
    if args.name == "list" {
        for measure in Measure::ALL {
            println!("{}\t{}", measure.name(), measure.describe());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut request = request(&args)?;
    if args.format == ReportFormat::Xlsx && args.out.is_none() {
        bail!("an XLSX report is a file: give --out FILE");
    }
    let app = instance::open(&args.storage).await?;
    request.within = app
        .scope(args.program.as_deref(), args.team.as_deref())
        .await?;
    // Over a large database the reading takes a while: a spinner says it is working (on a
    // terminal only; nothing is drawn when standard error is piped).
    let working = progress::working(&format!("making the {} report", request.measure.name()));
    let made = app
        .report_as_operator(&request, args.signed_off_by.as_deref())
        .await;
    working.finish_and_clear();
    let report = match made {
        Ok(report) => report,
        Err(ReportRefused::NoSignOff) => bail!(
            "an exact report is signed off by the member of staff who checked its small numbers: \
             give --signed-off-by USERNAME"
        ),
        Err(refused) => return Err(refused.into()),
    };
    let bytes = match args.format {
        ReportFormat::Json => {
            let mut json = serde_json::to_vec_pretty(&report::to_json(&report)?)?;
            json.push(b'\n');
            json
        }
        ReportFormat::Csv => report::to_csv(&report).into_bytes(),
        ReportFormat::Xlsx => report::to_xlsx(&report)?,
    };
    match &args.out {
        Some(path) => write(path, &bytes)?,
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The report asked for, every part checked.
fn request(args: &ReportArgs) -> anyhow::Result<ReportRequest> {
    let measure = Measure::parse(&args.name).ok_or_else(|| {
        anyhow!(
            "there is no report {:?}; `safeharbor report list` names them",
            args.name
        )
    })?;
    let period = match (&args.quarter, &args.from, &args.to) {
        (Some(quarter), _, _) => Period::quarter(quarter)?,
        (None, Some(from), Some(to)) => Period::new(day("--from", from)?, day("--to", to)?)?,
        _ => bail!("give the period: --from YYYY-MM-DD --to YYYY-MM-DD, or --quarter FY2027-Q1"),
    };
    let mode = match args.mode {
        Some(ReportMode::Exact) => Mode::Exact,
        Some(ReportMode::Public) => Mode::Public,
        None => {
            bail!("give --mode: exact (for a funder, signed off) or public (small numbers hidden)")
        }
    };
    Ok(ReportRequest {
        measure,
        period,
        mode,
        output: Output::File,
        within: Scope::Everyone,
    })
}

fn day(option: &'static str, raw: &str) -> anyhow::Result<time::Date> {
    domain::case::parse_date(option, raw).map_err(|_| anyhow!("{option} must be a day, YYYY-MM-DD"))
}

/// Writes the whole file or nothing: into a temporary file beside it, then renamed over it.
fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(folder)
        .with_context(|| format!("cannot write in {}", folder.display()))?;
    std::io::Write::write_all(&mut file, bytes)?;
    file.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
