//! Reports (`/app/reports`): a funder's report for a period, on screen, with a file to download.
//! In public mode small numbers are hidden; the exact numbers are for those who may sign a report
//! off, and leave as a file only when they do, ticking that they checked the small numbers.

use app::reports::{ReportRefused, Scope};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use domain::policy::Action;
use report::measures::Measure;
use report::period::Period;
use report::{Mode, Report, Shown};
use serde::Deserialize;

use super::links;
use super::page::{self, Chrome, Place, render};
use super::session::{SignedIn, StaffForm};

pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .route(links::REPORTS, get(reports))
        .route(links::REPORT_FILE, post(file))
}

/// What the page asks: which report, for which days, in which mode, whose records. Every field
/// may be left out: the page then shows the dashboard of this fiscal quarter, in public mode, of
/// everyone's records.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Asked {
    report: Option<String>,
    from: Option<String>,
    to: Option<String>,
    mode: Option<String>,
    within: Option<String>,
}

/// The same, posted for a file, with its format and the sign-off of an exact one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileForm {
    report: String,
    from: String,
    to: String,
    mode: String,
    #[serde(default)]
    within: String,
    format: String,
    #[serde(default)]
    signs_off: Option<String>,
}

/// Whose records the page asks for: `program:CODE`, `team:NAME`, or everyone's (empty); anything
/// else is taken for a program's code, and refused as no such program.
async fn scope(app: &app::App, within: &str) -> Result<Scope, ReportRefused> {
    let (program, team) = match within.split_once(':') {
        _ if within.is_empty() => (None, None),
        Some(("program", code)) => (Some(code), None),
        Some(("team", name)) => (None, Some(name)),
        _ => (Some(within), None),
    };
    app.scope(program, team).await
}

/// A choice of whose records to count.
struct WithinChoice {
    value: String,
    label: String,
    chosen: bool,
}

/// The report asked for, or what is wrong with it in words.
fn request(
    (report, from, to, mode): (&str, &str, &str, &str),
    output: app::reports::Output,
) -> Result<app::reports::ReportRequest, String> {
    let measure = Measure::parse(report).ok_or("Choose one of the reports listed.")?;
    let day = |raw: &str, which: &str| {
        domain::case::parse_date("day", raw)
            .map_err(|_| format!("The {which} day must be a date, YYYY-MM-DD."))
    };
    let period = Period::new(day(from, "first")?, day(to, "last")?).map_err(|e| e.to_string())?;
    let mode: Mode = mode.parse().map_err(|_| "Choose public or exact.")?;
    Ok(app::reports::ReportRequest {
        measure,
        period,
        mode,
        output,
        within: Scope::Everyone,
    })
}

struct ReportChoice {
    name: &'static str,
    describe: &'static str,
    chosen: bool,
}

/// A table as the page shows it: each number as text, a hidden one as `*`, and a chart of its
/// rows' totals drawn beside it.
struct TableView {
    title: String,
    chart: Chart,
    columns: Vec<String>,
    rows: Vec<RowView>,
    totals: Vec<CellView>,
    /// Whether each row ends with its total (not for a table of one column).
    row_totals: bool,
    counted: String,
}

struct RowView {
    label: String,
    cells: Vec<CellView>,
}

struct CellView {
    text: String,
    /// In exact mode, a number from 1 to 10: flagged for the sign-off.
    small: bool,
}

fn cell(shown: Shown) -> CellView {
    match shown {
        Shown::Count(n) => CellView {
            text: n.to_string(),
            small: false,
        },
        Shown::Hidden => CellView {
            text: "*".to_owned(),
            small: false,
        },
    }
}

fn tables(report: &Report) -> Vec<TableView> {
    report
        .tables()
        .iter()
        .map(|t| {
            // A table of one column has its row totals in that column already: the page leaves
            // the repeat out (the files keep it, as the contract has it).
            let row_totals = t.columns().len() > 1;
            let small = t.small_cells();
            let rows = t
                .rows()
                .iter()
                .zip(t.cells())
                .zip(&t.totals().rows)
                .enumerate()
                .map(|(i, ((label, line), total))| RowView {
                    label: label.clone(),
                    cells: line
                        .iter()
                        .enumerate()
                        .map(|(j, &shown)| CellView {
                            small: small.contains(&(i, j)),
                            ..cell(shown)
                        })
                        .chain(row_totals.then(|| cell(*total)))
                        .collect(),
                })
                .collect();
            TableView {
                chart: Chart::of(t.rows(), &t.totals().rows),
                title: t.title().to_owned(),
                columns: t.columns().to_vec(),
                rows,
                totals: t
                    .totals()
                    .columns
                    .iter()
                    .chain(row_totals.then_some(&t.totals().all))
                    .map(|&s| cell(s))
                    .collect(),
                row_totals,
                counted: t.counted().to_owned(),
            }
        })
        .collect()
}

/// A bar chart of a table's row totals, drawn here as SVG (no script; the page's policy is
/// unchanged). It repeats the table's numbers for the eye; screen readers read the table, so the
/// chart is hidden from them. A hidden number gets no bar, only its `*`: a bar's length would
/// give the number away.
struct Chart {
    height: u32,
    /// Where labels end and bars begin.
    label_end: u32,
    bar_start: u32,
    bar_height: u32,
    bars: Vec<Bar>,
}

struct Bar {
    label: String,
    text: String,
    /// The bar's top, the baseline of its texts, and its length in pixels (0 for a hidden
    /// number).
    y: u32,
    baseline: u32,
    width: u32,
    /// Where the number is written: after the bar.
    text_x: u32,
}

/// The chart's geometry, in SVG pixels.
const BAR_ROW: u32 = 24;
const BAR_HEIGHT: u32 = 16;
const LABEL_WIDTH: u32 = 260;
const BAR_SPACE: u32 = 300;
/// A label longer than this is cut short in the chart (the table beside it has it whole).
const LABEL_CHARS: usize = 38;

impl Chart {
    fn of(labels: &[String], totals: &[Shown]) -> Chart {
        let most = totals
            .iter()
            .filter_map(|s| match s {
                Shown::Count(n) => Some(*n),
                Shown::Hidden => None,
            })
            .max()
            .unwrap_or(0)
            .max(1);
        let bars = labels
            .iter()
            .zip(totals)
            .zip(0u32..)
            .map(|((label, total), i)| {
                let (text, width) = match total {
                    Shown::Count(n) => {
                        let width = n.saturating_mul(u64::from(BAR_SPACE)) / most;
                        (n.to_string(), u32::try_from(width).unwrap_or(BAR_SPACE))
                    }
                    Shown::Hidden => ("*".to_owned(), 0),
                };
                let label = if label.chars().count() > LABEL_CHARS {
                    let cut: String = label.chars().take(LABEL_CHARS - 1).collect();
                    format!("{}…", cut.trim_end())
                } else {
                    label.clone()
                };
                Bar {
                    label,
                    text,
                    y: i * BAR_ROW + (BAR_ROW - BAR_HEIGHT) / 2,
                    baseline: i * BAR_ROW + BAR_HEIGHT,
                    width,
                    text_x: LABEL_WIDTH + width + 6,
                }
            })
            .collect::<Vec<_>>();
        Chart {
            height: u32::try_from(bars.len()).unwrap_or(0) * BAR_ROW,
            label_end: LABEL_WIDTH - 8,
            bar_start: LABEL_WIDTH,
            bar_height: BAR_HEIGHT,
            bars,
        }
    }
}

#[derive(Template)]
#[template(path = "staff/reports.html")]
struct ReportsPage {
    chrome: Option<Chrome>,
    reports: Vec<ReportChoice>,
    from: String,
    to: String,
    exact: bool,
    /// Whose records may be counted, and which are (`within`, as the form sends it).
    withins: Vec<WithinChoice>,
    within: String,
    may_sign: bool,
    problem: Option<String>,
    /// The report, once one is asked for and made.
    shown: Option<OnScreen>,
}

/// A report on the page, with what its file form needs.
struct OnScreen {
    name: &'static str,
    mode: &'static str,
    /// Whose records it counts, in words ("program Outreach"); empty for everyone's.
    within: String,
    tables: Vec<TableView>,
}

async fn reports(
    State(app): State<app::App>,
    signed_in: SignedIn,
    asked: Result<Query<Asked>, axum::extract::rejection::QueryRejection>,
) -> Response {
    if !signed_in.may(Action::ReadReports) {
        return page::not_found();
    }
    let Ok(Query(asked)) = asked else {
        return page::not_found();
    };
    let today = signed_in.zone().date(app.now());
    let quarter = Period::quarter_containing(today);
    let (first, last) = (quarter.from(), quarter.to());
    // With nothing asked, the dashboard of this quarter: the program at a glance.
    let name = asked.report.as_deref().unwrap_or(Measure::Dashboard.name());
    let from = asked
        .from
        .clone()
        .unwrap_or_else(|| domain::case::format_date(first));
    let to = asked
        .to
        .clone()
        .unwrap_or_else(|| domain::case::format_date(last));
    let mode = asked.mode.as_deref().unwrap_or("public");
    let within = asked.within.clone().unwrap_or_default();
    let may_sign = signed_in.may(Action::SignOffReport);
    let mut problem = None;
    let mut shown = None;
    let asked_for = match request((name, &from, &to, mode), app::reports::Output::Screen) {
        Err(why) => Err(why),
        Ok(mut request) => match scope(&app, &within).await {
            Ok(scope) => {
                request.within = scope;
                Ok(request)
            }
            Err(ReportRefused::App(err)) => return page::failure(err),
            Err(why) => Err(why.to_string()),
        },
    };
    match asked_for {
        Err(why) => problem = Some(why),
        Ok(request) => match app.report_for(&signed_in.caller, &request, false).await {
            Ok(report) => {
                shown = Some(OnScreen {
                    name: request.measure.name(),
                    mode: request.mode.as_str(),
                    within: request.within.describe(),
                    tables: tables(&report),
                })
            }
            Err(ReportRefused::App(err)) => return page::failure(err),
            Err(why) => problem = Some(why.to_string()),
        },
    }
    let (programs, teams) = match app.report_scopes(&signed_in.caller).await {
        Ok(scopes) => scopes,
        Err(err) => return page::failure(err),
    };
    let choice = |value: String, label: String| WithinChoice {
        chosen: value == within,
        value,
        label,
    };
    let withins = std::iter::once(choice(String::new(), "Everyone's records".to_owned()))
        .chain(
            programs
                .into_iter()
                .map(|(code, name)| choice(format!("program:{code}"), format!("Program: {name}"))),
        )
        .chain(
            teams
                .into_iter()
                .map(|name| choice(format!("team:{name}"), format!("Team: {name}"))),
        )
        .collect();
    render(
        page::status_for(problem.as_ref()),
        &ReportsPage {
            chrome: Some(signed_in.chrome(Place::Reports)),
            reports: Measure::ALL
                .into_iter()
                .map(|m| ReportChoice {
                    name: m.name(),
                    describe: m.describe(),
                    chosen: m.name() == name,
                })
                .collect(),
            from,
            to,
            exact: mode == "exact",
            withins,
            within,
            may_sign,
            problem,
            shown,
        },
    )
}

/// A report as a file: JSON, CSV or XLSX, named for what it holds.
async fn file(State(app): State<app::App>, posted: StaffForm<FileForm>) -> Response {
    let StaffForm { signed_in, form } = posted;
    if !signed_in.may(Action::ReadReports) {
        return page::not_found();
    }
    let asked = (
        form.report.as_str(),
        form.from.as_str(),
        form.to.as_str(),
        form.mode.as_str(),
    );
    let refused = |why: String| {
        page::message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The file was not made",
            &why,
        )
    };
    let mut request = match request(asked, app::reports::Output::File) {
        Ok(request) => request,
        Err(why) => return refused(why),
    };
    request.within = match scope(&app, &form.within).await {
        Ok(scope) => scope,
        Err(ReportRefused::App(err)) => return page::failure(err),
        Err(why) => return refused(why.to_string()),
    };
    let signs_off = form.signs_off.as_deref() == Some("yes");
    let report = match app.report_for(&signed_in.caller, &request, signs_off).await {
        Ok(report) => report,
        Err(ReportRefused::App(err)) => return page::failure(err),
        Err(why) => return refused(why.to_string()),
    };
    let (bytes, kind, extension) = match form.format.as_str() {
        "csv" => (
            report::to_csv(&report).into_bytes(),
            "text/csv; charset=utf-8",
            "csv",
        ),
        "xlsx" => match report::to_xlsx(&report) {
            Ok(bytes) => (
                bytes,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
            ),
            Err(_) => return refused("The spreadsheet could not be written.".to_owned()),
        },
        "json" => match report::to_json(&report).and_then(|v| serde_json::to_vec_pretty(&v)) {
            Ok(bytes) => (bytes, "application/json", "json"),
            Err(_) => return refused("The file could not be written.".to_owned()),
        },
        _ => return refused("Choose CSV, XLSX or JSON.".to_owned()),
    };
    let name = format!(
        "{}-{}-{}-{}.{extension}",
        request.measure.name(),
        request.period.from(),
        request.period.to(),
        request.mode.as_str()
    );
    (
        [
            (header::CONTENT_TYPE, kind.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_scales_to_its_largest_total_and_draws_no_bar_for_a_hidden_one() {
        let labels = ["Sex trafficking", "Labor trafficking", "Not recorded"].map(String::from);
        let chart = Chart::of(
            &labels,
            &[Shown::Count(40), Shown::Hidden, Shown::Count(10)],
        );
        let bars: Vec<(&str, u32)> = chart
            .bars
            .iter()
            .map(|b| (b.text.as_str(), b.width))
            .collect();
        assert_eq!(bars, [("40", BAR_SPACE), ("*", 0), ("10", BAR_SPACE / 4)]);
        assert_eq!(chart.height, 3 * BAR_ROW);
        let long = ["a label much longer than any chart has room for, in full".to_owned()];
        let cut = Chart::of(&long, &[Shown::Count(0)]);
        assert_eq!(cut.bars[0].label.chars().count(), LABEL_CHARS);
        assert!(cut.bars[0].label.ends_with('…'));
        assert_eq!(cut.bars[0].width, 0, "nothing to draw for a zero");
    }
}
