//! `safeharbor instruments`, `safeharbor screen` and `safeharbor determine`: the shipped
//! instruments, scoring a screening from a file, and the legal-element engine over a facts file.
//! Pure: nothing is read from or written to a database.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use domain::instrument::{Answers, Instrument, Scoring, shipped};

use crate::cli::{Format, InstrumentsCommand};

fn find(id: &str) -> anyhow::Result<Instrument> {
    let all = shipped()?;
    let known: Vec<String> = all.iter().map(|i| i.id.clone()).collect();
    all.into_iter().find(|i| i.id == id).ok_or_else(|| {
        anyhow!(
            "there is no instrument with that id; the instruments are: {}",
            known.join(", ")
        )
    })
}

fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

pub fn instruments(command: InstrumentsCommand) -> anyhow::Result<ExitCode> {
    match command {
        InstrumentsCommand::List { format } => {
            let all = shipped()?;
            match format {
                Format::Json => {
                    let list: Vec<serde_json::Value> = all
                        .iter()
                        .map(|i| {
                            serde_json::json!({"id": i.id, "version": i.version, "title": i.title,
                                "population": i.population, "setting": i.setting, "validated": i.validated,
                                "items": i.items.len()})
                        })
                        .collect();
                    print_json(&list)?;
                }
                Format::Text => {
                    for i in &all {
                        let validated = if i.validated {
                            "validated"
                        } else {
                            "not validated"
                        };
                        println!("{:<22} {} ({}; {validated})", i.id, i.title, i.population);
                    }
                }
            }
        }
        InstrumentsCommand::Show { id, format } => {
            let instrument = find(&id)?;
            match format {
                Format::Json => print_json(&instrument)?,
                Format::Text => show_text(&instrument),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn show_text(i: &Instrument) {
    println!("{} (version {})", i.title, i.version);
    println!("For: {}. Setting: {}.", i.population, i.setting);
    println!("{}", i.follows);
    match &i.scoring {
        Scoring::CountYes { positive_at } => {
            println!("Scoring: {positive_at} or more \"yes\" answers is positive.")
        }
        Scoring::Indicators => {
            println!("Scoring: lists the indicators present; no validated cut-off.")
        }
        Scoring::External { .. } => {
            println!("Scoring: the level of concern the external tool gave.")
        }
    }
    for study in &i.studies {
        let pct =
            |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{:.1}%", v * 100.0));
        println!(
            "  {}: sensitivity {}, specificity {}",
            study.citation,
            pct(study.sensitivity),
            pct(study.specificity)
        );
    }
    println!();
    for item in &i.items {
        println!("  {:<22} {}", item.id, item.text);
    }
    println!("\nEvery question can be declined. {}", i.licence);
}

pub fn screen(instrument: &str, answers: &Path, format: Format) -> anyhow::Result<ExitCode> {
    let instrument = find(instrument)?;
    let text = std::fs::read_to_string(answers)
        .with_context(|| format!("could not read {}", answers.display()))?;
    let answers = Answers::parse_json(&instrument, &text)?;
    let screening = instrument.score(&answers);
    match format {
        Format::Json => print_json(&screening)?,
        Format::Text => {
            let score = screening
                .score
                .map_or_else(String::new, |s| format!(" (score {s})"));
            println!("{}: {}{score}", instrument.title, screening.result.as_str());
            println!("{}", screening.recommended_action);
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn determine(facts: &Path, jurisdiction: &str, information: bool) -> anyhow::Result<ExitCode> {
    use domain::legal::{Facts, Jurisdiction, Results, RulePacks};
    let jurisdiction: Jurisdiction = jurisdiction
        .parse()
        .map_err(|_| anyhow!("--jurisdiction must be us-federal, us-ca, intl-palermo or all"))?;
    let text = std::fs::read_to_string(facts)
        .with_context(|| format!("could not read {}", facts.display()))?;
    let facts = Facts::parse_json(&text).map_err(|err| anyhow!("the facts file: {err}"))?;
    let packs = RulePacks::shipped()?;
    let mut results = packs.evaluate(&facts, jurisdiction);
    if information {
        results.extend(packs.information(&facts, jurisdiction));
    }
    print_json(&Results(&results))?;
    Ok(ExitCode::SUCCESS)
}
