//! The shipped instruments: each loads, says whose instrument it follows, and scores every possible
//! combination of answers the way an independent oracle does. The oracle takes the definition of
//! "incomplete" literally: it tries every way the unanswered items could be answered.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use safeharbor_domain::instrument::{Answers, Instrument, Outcome, Scoring, shipped};

const YES_NO: [&str; 4] = ["yes", "no", "declined", "unknown"];

/// What the result must be: decided only if every completion of the unanswered items agrees.
fn oracle(instrument: &Instrument, codes: &[&str]) -> Outcome {
    let positive_at = match instrument.scoring {
        Scoring::CountYes { positive_at } => positive_at as usize,
        Scoring::Indicators => 1,
        Scoring::External { .. } => unreachable!(),
    };
    let open: Vec<usize> = (0..codes.len())
        .filter(|&i| codes[i] == "declined" || codes[i] == "unknown")
        .collect();
    let mut seen_positive = false;
    let mut seen_negative = false;
    for fill in 0..(1u32 << open.len()) {
        let mut yes = codes.iter().filter(|c| **c == "yes").count();
        yes += (0..open.len()).filter(|bit| fill & (1 << bit) != 0).count();
        if yes >= positive_at {
            seen_positive = true
        } else {
            seen_negative = true
        }
    }
    match (seen_positive, seen_negative) {
        (true, false) => Outcome::Positive,
        (false, true) => Outcome::Negative,
        _ => Outcome::Incomplete,
    }
}

fn every_combination(items: usize) -> impl Iterator<Item = Vec<&'static str>> {
    (0..4usize.pow(u32::try_from(items).unwrap())).map(move |mut n| {
        (0..items)
            .map(|_| {
                let code = YES_NO[n % 4];
                n /= 4;
                code
            })
            .collect()
    })
}

fn answers(instrument: &Instrument, codes: &[&str]) -> Answers {
    let map: BTreeMap<String, String> = instrument
        .items
        .iter()
        .zip(codes)
        .map(|(item, code)| (item.id.clone(), (*code).to_owned()))
        .collect();
    Answers::from_codes(instrument, &map).unwrap()
}

fn instrument(id: &str) -> Instrument {
    shipped().unwrap().into_iter().find(|i| i.id == id).unwrap()
}

#[test]
fn every_shipped_instrument_loads_and_cites_what_it_follows() {
    let all = shipped().unwrap();
    let ids: Vec<&str> = all.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "sscst-6",
            "qyit-4",
            "acf-adult-indicators",
            "external-result"
        ]
    );
    for i in &all {
        assert!(
            !i.follows.is_empty() && !i.licence.is_empty() && !i.version.is_empty(),
            "{}",
            i.id
        );
        let words = format!(
            "{} {} {}",
            i.recommendations.positive, i.recommendations.negative, i.title
        )
        .to_lowercase();
        for word in ["victim", "prostitut"] {
            assert!(!words.contains(word), "{} uses the word {word}", i.id);
        }
    }
    assert_eq!(instrument("sscst-6").items.len(), 6);
    assert_eq!(instrument("qyit-4").items.len(), 4);
    assert!(!instrument("acf-adult-indicators").validated);
}

/// The cut-offs as published, typed here apart from the instrument files, so that the oracle
/// (which reads the file's cut-off) cannot follow a wrong one: the SSCST is positive at two "yes"
/// answers of six (Greenbaum, Dodd & McCracken 2018; `research/identification.md`, table 1).
#[test]
fn the_published_cut_offs_are_the_ones_scored() {
    let sscst = instrument("sscst-6");
    assert!(matches!(
        sscst.scoring,
        Scoring::CountYes { positive_at: 2 }
    ));
    let one_yes = ["yes", "no", "no", "no", "no", "no"];
    let two_yes = ["yes", "yes", "no", "no", "no", "no"];
    assert_eq!(
        sscst.score(&answers(&sscst, &one_yes)).result,
        Outcome::Negative
    );
    assert_eq!(
        sscst.score(&answers(&sscst, &two_yes)).result,
        Outcome::Positive
    );
}

#[test]
fn sscst_6_matches_the_oracle_on_all_4096_combinations() {
    let sscst = instrument("sscst-6");
    for codes in every_combination(6) {
        let screening = sscst.score(&answers(&sscst, &codes));
        assert_eq!(screening.result, oracle(&sscst, &codes), "{codes:?}");
        assert_eq!(
            screening.score,
            Some(u32::try_from(codes.iter().filter(|c| **c == "yes").count()).unwrap())
        );
    }
}

#[test]
fn qyit_4_matches_the_oracle_on_all_256_combinations() {
    let qyit = instrument("qyit-4");
    for codes in every_combination(4) {
        assert_eq!(
            qyit.score(&answers(&qyit, &codes)).result,
            oracle(&qyit, &codes),
            "{codes:?}"
        );
    }
}

#[test]
fn the_adult_checklist_matches_the_oracle_on_all_65536_combinations() {
    let acf = instrument("acf-adult-indicators");
    for codes in every_combination(8) {
        let screening = acf.score(&answers(&acf, &codes));
        assert_eq!(screening.result, oracle(&acf, &codes), "{codes:?}");
        let yes: Vec<String> = acf
            .items
            .iter()
            .zip(&codes)
            .filter(|(_, c)| **c == "yes")
            .map(|(i, _)| i.id.clone())
            .collect();
        assert_eq!(screening.indicators, yes);
    }
}

#[test]
fn an_external_result_is_recorded_without_items() {
    let external = instrument("external-result");
    let score = |level: &str| {
        let json = format!(
            r#"{{"items": {{"tool": "CSE-IT 2.0", "level": "{level}", "screened-on": "2026-11-02"}}}}"#
        );
        external.score(&Answers::parse_json(&external, &json).unwrap())
    };
    assert_eq!(score("clear-concern").result, Outcome::Positive);
    assert_eq!(score("possible-concern").result, Outcome::Positive);
    assert_eq!(score("no-concern").result, Outcome::Negative);
    assert_eq!(score("declined").result, Outcome::Incomplete);
    assert_eq!(score("clear-concern").score, None);
    assert!(Answers::parse_json(&external, r#"{"items": {"level": "high"}}"#).is_err());
    assert!(Answers::parse_json(&external, r#"{"items": {"screened-on": "yesterday"}}"#).is_err());
}

#[test]
fn answers_are_checked_and_never_echoed() {
    let qyit = instrument("qyit-4");
    let unknown_item =
        Answers::parse_json(&qyit, r#"{"items": {"Secret Name": "yes"}}"#).unwrap_err();
    assert!(
        !unknown_item.to_string().contains("Secret Name"),
        "{unknown_item}"
    );
    assert!(unknown_item.to_string().contains("traded-sex"));
    let bad_value =
        Answers::parse_json(&qyit, r#"{"items": {"traded-sex": "Maybe Later"}}"#).unwrap_err();
    assert!(
        bad_value.to_string().contains("traded-sex") && !bad_value.to_string().contains("Maybe")
    );
    assert!(Answers::parse_json(&qyit, r#"{"items": {}, "extra": 1}"#).is_err());
    assert!(
        Answers::parse_json(&qyit, "{")
            .unwrap_err()
            .to_string()
            .contains("line 1")
    );
    // Left-out items are unknown, which keeps a one-yes screen incomplete until all are answered.
    let none = Answers::parse_json(&qyit, r#"{"items": {"unsafe-work": "no"}}"#).unwrap();
    assert_eq!(qyit.score(&none).result, Outcome::Incomplete);
    assert_eq!(qyit.score(&none).unanswered.len(), 3);
}

#[test]
fn broken_definitions_name_the_file_line_and_problem() {
    let good = safeharbor_domain::instrument::SHIPPED[1].1;
    let cases = [
        (
            good.replace("positive_at = 1", "positive_at = 9"),
            "positive_at must be between",
        ),
        (
            good.replace("id = \"traded-sex\"", "id = \"unsafe-work\""),
            "two items have the same id",
        ),
        (
            good.replace(
                "response = { type = \"yes-no\" }\n\n[[item]]\nid = \"traded-sex\"",
                "response = { type = \"maybe\" }\n\n[[item]]\nid = \"traded-sex\"",
            ),
            "maybe",
        ),
        (
            good.replace("validated = true", "validated = \"yes\""),
            "boolean",
        ),
        (
            good.replace("title = ", "colour = \"blue\"\ntitle = "),
            "colour",
        ),
    ];
    for (text, says) in cases {
        let err = Instrument::parse("broken.toml", &text).unwrap_err();
        assert_eq!(err.file, "broken.toml");
        assert!(err.to_string().contains(says), "{err}");
        assert!(err.line > 1, "{err}");
    }
    let dup_line = Instrument::parse(
        "broken.toml",
        &good.replace("id = \"traded-sex\"", "id = \"unsafe-work\""),
    )
    .unwrap_err();
    let expected = good
        .lines()
        .position(|l| l == "id = \"traded-sex\"")
        .unwrap()
        + 1;
    assert_eq!(dup_line.line, expected, "the line of the repeated id");
}
