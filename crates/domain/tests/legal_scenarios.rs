//! Worked scenarios for the legal-element engine. Each cites the words of the law it tests.
//! The people in them are invented.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::OnceLock;

use safeharbor_domain::legal::{
    FACT_PATHS, Facts, FactsError, Jurisdiction, Outcome, Results, RulePacks,
};
use serde_json::{Value, json};

fn packs() -> &'static RulePacks {
    static PACKS: OnceLock<RulePacks> = OnceLock::new();
    PACKS.get_or_init(|| RulePacks::shipped().expect("shipped rule packs load"))
}

/// `safeharbor determine` output for these facts, as JSON.
fn determine(facts: Value, jurisdiction: Jurisdiction) -> Value {
    let facts = Facts::parse_json(&facts.to_string()).expect("facts parse");
    let results = packs().evaluate(&facts, jurisdiction);
    serde_json::to_value(Results(&results)).unwrap()
}

fn information(facts: Value) -> Value {
    let facts = Facts::parse_json(&facts.to_string()).expect("facts parse");
    let results = packs().information(&facts, Jurisdiction::All);
    serde_json::to_value(Results(&results)).unwrap()
}

fn result<'a>(output: &'a Value, rule: &str) -> &'a Value {
    output["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == rule)
        .unwrap_or_else(|| panic!("no result for {rule}: {output:#}"))
}

fn outcome(output: &Value, rule: &str) -> String {
    result(output, rule)["outcome"].as_str().unwrap().to_owned()
}

fn missing(output: &Value, rule: &str) -> Vec<String> {
    result(output, rule)["missing_facts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

fn all(facts: Value) -> Value {
    determine(facts, Jurisdiction::All)
}

const SEX: &str = "us-federal.sex-trafficking";
const SEVERE_SEX: &str = "us-federal.severe-sex-trafficking";
const SEVERE_LABOR: &str = "us-federal.severe-labor-trafficking";
const CA_B: &str = "us-ca.human-trafficking-sex";
const CA_C: &str = "us-ca.human-trafficking-minor";
const WIC: &str = "us-ca.csec-dependency";
const PALERMO: &str = "intl.palermo-trafficking";

/// Every federal means of § 7102(3) and (11) recorded as not used.
fn no_federal_means() -> Value {
    json!({"force": false, "physical_restraint": false, "fraud": false,
           "threat_of_serious_harm": false, "scheme_to_cause_fear_of_harm": false,
           "abuse_of_legal_process": false})
}

/// Every means in the facts file recorded as not used.
fn no_means_at_all() -> Value {
    let mut means = serde_json::Map::new();
    for path in FACT_PATHS.iter().filter_map(|p| p.strip_prefix("means.")) {
        means.insert(path.to_owned(), json!(false));
    }
    Value::Object(means)
}

fn commercial_sex() -> Value {
    json!({"sex_act": true, "anything_of_value_given_or_received": true})
}

// 1. DESIGN.md's example. 22 USC 7102(11)(A): "sex trafficking ... in which the person induced to
//    perform such act has not attained 18 years of age". Born 2008-03-02, first act 2023-06-01: 15.
#[test]
fn design_example_minor_harboured_and_provided() {
    let example = include_str!("design-example.facts.json");
    let out = all(serde_json::from_str(example).unwrap());
    assert_eq!(outcome(&out, SEX), "met");
    assert_eq!(outcome(&out, SEVERE_SEX), "met");
    assert!(missing(&out, SEVERE_SEX).is_empty());
    // Palermo Art. 3(a): harbouring + sexual exploitation; Art. 3(c): a child needs no means.
    assert_eq!(outcome(&out, PALERMO), "met");
    // WIC 300(b)(2): the exchange limb is met; the caregiver element is still unknown.
    assert_eq!(outcome(&out, WIC), "unknown");
    assert_eq!(missing(&out, WIC), vec!["caregiver_failed_to_protect"]);
    // 7102(11)(B) labour: "for labor or services" is unknown, and so are the means.
    assert_eq!(outcome(&out, SEVERE_LABOR), "unknown");
    let labour_missing = missing(&out, SEVERE_LABOR);
    assert!(labour_missing.contains(&"purpose.labor_or_services".to_owned()));
    assert!(labour_missing.contains(&"means.force".to_owned()));
}

// 2. 7102(11)(A), the minor exception: a 16-year-old, no force, fraud or coercion at all.
#[test]
fn sixteen_year_old_without_any_means_is_a_severe_form_through_the_minor_exception() {
    let out = determine(
        json!({"person": {"date_of_birth": "2007-01-10"}, "period": {"from": "2023-05-01"},
               "actions": {"recruitment": true}, "means": no_federal_means(),
               "purpose": commercial_sex()}),
        Jurisdiction::UsFederal,
    );
    assert_eq!(outcome(&out, SEVERE_SEX), "met");
    let tree = &result(&out, SEVERE_SEX)["explanation"];
    let induced = &tree["children"][1];
    assert_eq!(induced["outcome"], "met");
    assert_eq!(induced["children"][0]["outcome"], "not_met", "no means");
    assert_eq!(
        induced["children"][1]["outcome"], "met",
        "minor at the earliest act"
    );
}

// 3. 7102(11)(A) for an adult: "a commercial sex act is induced by force, fraud, or coercion".
//    Means unknown -> unknown, and the means are what we still need to know.
#[test]
fn adult_with_unknown_means_is_unknown_and_names_the_means() {
    let out = determine(
        json!({"person": {"age_at_first_act": 24}, "actions": {"recruitment": true},
               "purpose": commercial_sex()}),
        Jurisdiction::UsFederal,
    );
    assert_eq!(outcome(&out, SEX), "met");
    assert_eq!(outcome(&out, SEVERE_SEX), "unknown");
    let m = missing(&out, SEVERE_SEX);
    for path in [
        "means.force",
        "means.physical_restraint",
        "means.fraud",
        "means.threat_of_serious_harm",
        "means.scheme_to_cause_fear_of_harm",
        "means.abuse_of_legal_process",
    ] {
        assert!(m.contains(&path.to_owned()), "{path} missing from {m:?}");
    }
    assert!(m.iter().all(|p| p.starts_with("means.")), "{m:?}");
}

// 4. 7102(12) has no means element ("... of a person for the purpose of a commercial sex act"),
//    7102(11)(A) does: an adult with every means known not to be used.
#[test]
fn adult_with_no_means_is_sex_trafficking_but_not_a_severe_form() {
    let out = determine(
        json!({"person": {"age_at_first_act": 22}, "actions": {"harboring": true},
               "means": no_federal_means(), "purpose": commercial_sex()}),
        Jurisdiction::UsFederal,
    );
    assert_eq!(outcome(&out, SEX), "met");
    assert_eq!(outcome(&out, SEVERE_SEX), "not_met");
    assert!(missing(&out, SEVERE_SEX).is_empty());
}

// 5. "has not attained 18 years of age" (7102(11)(A)): born on 29 February 2008. In 2026 (a common
//    year) the person attains 18 on 1 March, so on 28 February they are 17.
#[test]
fn leap_day_birthday_attains_eighteen_on_the_first_of_march() {
    let on = |day: &str| {
        determine(
            json!({"person": {"date_of_birth": "2008-02-29"}, "period": {"from": day},
                   "actions": {"obtaining": true}, "means": no_federal_means(),
                   "purpose": commercial_sex()}),
            Jurisdiction::UsFederal,
        )
    };
    assert_eq!(outcome(&on("2026-02-28"), SEVERE_SEX), "met");
    assert_eq!(outcome(&on("2026-03-01"), SEVERE_SEX), "not_met");
}

// 6. A person attains an age on their birthday: on their 18th birthday they have "attained 18".
#[test]
fn on_the_eighteenth_birthday_the_person_is_an_adult() {
    let on = |day: &str| {
        determine(
            json!({"person": {"date_of_birth": "2005-06-01"}, "period": {"from": day},
                   "actions": {"obtaining": true}, "means": no_federal_means(),
                   "purpose": commercial_sex()}),
            Jurisdiction::UsFederal,
        )
    };
    assert_eq!(outcome(&on("2023-05-31"), SEVERE_SEX), "met");
    assert_eq!(outcome(&on("2023-06-01"), SEVERE_SEX), "not_met");
}

// 7. Age is judged at the earliest act: the person turned 18 during the period (7102(11)(A)).
#[test]
fn turning_eighteen_during_the_period_still_counts_from_the_earliest_act() {
    let out = determine(
        json!({"person": {"date_of_birth": "2005-08-15"},
               "period": {"from": "2023-03-01", "to": "2024-02-01"},
               "actions": {"transportation": true}, "means": no_federal_means(),
               "purpose": commercial_sex()}),
        Jurisdiction::UsFederal,
    );
    assert_eq!(outcome(&out, SEVERE_SEX), "met");
}

// 8. person.age_at_first_act stands in for a date of birth (DESIGN.md): 15 at the first act.
#[test]
fn age_at_first_act_stands_in_for_a_date_of_birth() {
    let out = all(
        json!({"person": {"age_at_first_act": 15}, "actions": {"soliciting": true},
                         "means": no_means_at_all(), "purpose": commercial_sex()}),
    );
    assert_eq!(outcome(&out, SEVERE_SEX), "met");
    let minor = &result(&out, SEVERE_SEX)["explanation"]["children"][1]["children"][1];
    assert_eq!(minor["kind"], "derived");
    assert!(
        minor["facts"]
            .as_array()
            .unwrap()
            .contains(&json!({"path": "person.age_at_first_act", "value": 15}))
    );
}

// 9. 7102(11)(A), the age element, with nothing recorded about age and no means known to be used:
//    unknown, and the date of birth (and the date of the first act) are named.
#[test]
fn no_date_of_birth_is_unknown_and_names_the_date_of_birth() {
    let out = determine(
        json!({"actions": {"recruitment": true}, "means": no_federal_means(),
               "purpose": commercial_sex()}),
        Jurisdiction::UsFederal,
    );
    assert_eq!(outcome(&out, SEVERE_SEX), "unknown");
    assert_eq!(
        missing(&out, SEVERE_SEX),
        vec!["person.date_of_birth", "period.from"]
    );
}

// 10. The same with the dates of the acts known: only the date of birth is missing.
#[test]
fn with_the_period_known_only_the_date_of_birth_is_missing() {
    let out = determine(
        json!({"period": {"from": "2022-01-01"}, "actions": {"recruitment": true},
               "means": no_federal_means(), "purpose": commercial_sex()}),
        Jurisdiction::UsFederal,
    );
    assert_eq!(missing(&out, SEVERE_SEX), vec!["person.date_of_birth"]);
}

// 11. And with the date of birth known but not the date of the earliest act: period.from.
#[test]
fn with_the_date_of_birth_known_the_first_act_date_is_missing() {
    let out = determine(
        json!({"person": {"date_of_birth": "2004-04-04"}, "actions": {"recruitment": true},
               "means": no_federal_means(), "purpose": commercial_sex()}),
        Jurisdiction::UsFederal,
    );
    assert_eq!(missing(&out, SEVERE_SEX), vec!["period.from"]);
}

// 12. "Romeo" recruitment: a boyfriend recruits a 19-year-old and sells her; his false promises
//     are recorded as fraud by a qualified person. 7102(11)(A): "induced by force, fraud, or
//     coercion"; 7102(12): "recruitment ... for the purpose of a commercial sex act".
#[test]
fn boyfriend_recruiter_with_a_finding_of_fraud() {
    let out = all(json!({
        "person": {"date_of_birth": "2003-10-10"}, "period": {"from": "2023-01-15"},
        "actions": {"recruitment": true, "provision": true},
        "means": {"fraud": true},
        "purpose": commercial_sex()
    }));
    assert_eq!(outcome(&out, SEX), "met");
    assert_eq!(outcome(&out, SEVERE_SEX), "met");
    // Palermo Art. 3(a): recruitment by fraud for the exploitation of the prostitution of others.
    assert_eq!(outcome(&out, PALERMO), "met");
}

// 13. No third party at all: a 15-year-old trades sex for a place to sleep with the buyer.
//     7102(4): "any sex act on account of which anything of value is given to or received by any
//     person"; the buyer obtains/patronizes (7102(12)). No controller is required.
#[test]
fn survival_sex_with_no_third_party_is_a_severe_form_for_a_minor() {
    let out = all(json!({
        "person": {"age_at_first_act": 15},
        "actions": {"patronizing": true, "obtaining": true},
        "means": no_means_at_all(),
        "purpose": {"sex_act": true, "anything_of_value_given_or_received": true}
    }));
    assert_eq!(outcome(&out, SEX), "met");
    assert_eq!(outcome(&out, SEVERE_SEX), "met");
    // WIC 300(b)(2): "receives food or shelter in exchange for ... sexual acts"; caregiver unknown.
    assert_eq!(missing(&out, WIC), vec!["caregiver_failed_to_protect"]);
}

// 14. WIC 300(b)(2): "... and whose parent or guardian failed to, or was unable to, protect the child".
#[test]
fn commercially_sexually_exploited_child_with_a_caregiver_who_failed_to_protect() {
    let out = determine(
        json!({"person": {"date_of_birth": "2009-07-07"}, "period": {"from": "2024-02-01"},
               "purpose": commercial_sex(), "caregiver_failed_to_protect": true}),
        Jurisdiction::UsCa,
    );
    assert_eq!(outcome(&out, WIC), "met");
    assert!(missing(&out, WIC).is_empty());
}

// 15. WIC 300(b)(2) speaks of "a child": an adult at the earliest act is not within it.
#[test]
fn dependency_rule_is_not_met_for_an_adult() {
    let out = determine(
        json!({"person": {"age_at_first_act": 19}, "purpose": commercial_sex(),
               "caregiver_failed_to_protect": true}),
        Jurisdiction::UsCa,
    );
    assert_eq!(outcome(&out, WIC), "not_met");
}

// 16. WIC 300(b)(2): a caregiver who protected the child (a finding) - not met, whatever else.
#[test]
fn dependency_rule_is_not_met_when_the_caregiver_protected_the_child() {
    let out = determine(
        json!({"person": {"age_at_first_act": 14}, "purpose": commercial_sex(),
               "caregiver_failed_to_protect": false}),
        Jurisdiction::UsCa,
    );
    assert_eq!(outcome(&out, WIC), "not_met");
}

// 17. 7102(11)(B): "recruitment ... for labor or services, through the use of force, fraud, or
//     coercion for the purpose of subjection to involuntary servitude, peonage, debt bondage, or
//     slavery". Coercion (C): "abuse or threatened abuse of the legal process" (threats of
//     deportation).
#[test]
fn labour_trafficking_with_threats_of_deportation() {
    let out = all(json!({
        "person": {"age_at_first_act": 34},
        "actions": {"recruitment": true, "transportation": true},
        "means": {"abuse_of_legal_process": true, "withholding_documents": true, "debt_bondage": true},
        "purpose": {"sex_act": false, "labor_or_services": true,
                    "involuntary_servitude_peonage_debt_bondage_or_slavery": true}
    }));
    assert_eq!(outcome(&out, SEVERE_LABOR), "met");
    assert_eq!(outcome(&out, SEX), "not_met", "no sex act");
    assert_eq!(
        outcome(&out, PALERMO),
        "met",
        "forced labour or servitude by coercion"
    );
}

// 18. 7102(11)(B) has no minor exception: a 16-year-old in forced work, no means used -> not met.
#[test]
fn labour_trafficking_has_no_minor_exception() {
    let out = determine(
        json!({"person": {"age_at_first_act": 16}, "actions": {"harboring": true},
               "means": no_federal_means(),
               "purpose": {"labor_or_services": true,
                           "involuntary_servitude_peonage_debt_bondage_or_slavery": true}}),
        Jurisdiction::UsFederal,
    );
    assert_eq!(outcome(&out, SEVERE_LABOR), "not_met");
}

// 19. Palermo Art. 3(c): "The recruitment, transportation, transfer, harbouring or receipt of a
//     child for the purpose of exploitation shall be considered 'trafficking in persons' even if
//     this does not involve any of the means"; Art. 3(d): a child is under eighteen.
#[test]
fn palermo_child_rule_needs_no_means() {
    let out = determine(
        json!({"person": {"age_at_first_act": 16}, "actions": {"transfer": true},
               "means": no_means_at_all(), "purpose": commercial_sex()}),
        Jurisdiction::IntlPalermo,
    );
    assert_eq!(outcome(&out, PALERMO), "met");
}

// 20. Palermo Art. 3(b): "The consent of a victim ... to the intended exploitation ... shall be
//     irrelevant where any of the means set forth in subparagraph (a) have been used". An adult
//     agreed to travel for a job that was a lie (deception): met, and nothing in the facts file
//     can record consent to undo it.
#[test]
fn palermo_consent_is_irrelevant_once_a_means_is_used() {
    let out = determine(
        json!({"person": {"age_at_first_act": 23}, "actions": {"transportation": true, "receipt": true},
               "means": {"deception": true}, "purpose": commercial_sex()}),
        Jurisdiction::IntlPalermo,
    );
    assert_eq!(outcome(&out, PALERMO), "met");
    let with_consent = json!({"person": {"age_at_first_act": 23, "consented": true}});
    let err = Facts::parse_json(&with_consent.to_string()).unwrap_err();
    assert_eq!(err.path(), Some("person"));
}

// 21. Palermo Art. 3(a) for an adult: without any of the means, the definition is not met.
#[test]
fn palermo_adult_without_any_means_is_not_met() {
    let out = determine(
        json!({"person": {"age_at_first_act": 30}, "actions": {"recruitment": true},
               "means": no_means_at_all(), "purpose": commercial_sex()}),
        Jurisdiction::IntlPalermo,
    );
    assert_eq!(outcome(&out, PALERMO), "not_met");
}

// 22. Palermo Art. 3(a): "abduction" as the means, "the removal of organs" as the purpose.
#[test]
fn palermo_abduction_for_organ_removal() {
    let out = determine(
        json!({"person": {"age_at_first_act": 41}, "actions": {"transportation": true},
               "means": {"abduction": true}, "purpose": {"removal_of_organs": true}}),
        Jurisdiction::IntlPalermo,
    );
    assert_eq!(outcome(&out, PALERMO), "met");
}

// 23. PC 236.1(b): "deprives or violates the personal liberty of another with the intent to effect
//     or maintain a violation of Section 266, 266h, 266i ..."; 236.1(h): a "substantial and
//     sustained restriction of another's liberty accomplished through ... fear ... duress, menace".
#[test]
fn california_adult_held_through_fear_for_commercial_sex() {
    let out = determine(
        json!({"person": {"age_at_first_act": 26},
               "actions": {"deprivation_of_liberty": true},
               "means": {"fear_duress_or_menace": true}, "purpose": commercial_sex()}),
        Jurisdiction::UsCa,
    );
    assert_eq!(outcome(&out, CA_B), "met");
    assert_eq!(outcome(&out, CA_C), "not_met", "an adult");
}

// 24. PC 236.1(h): whether the restriction was "substantial and sustained" is a finding; when it
//     has not been made, (b) is unknown and says so.
#[test]
fn california_liberty_restriction_not_yet_found_is_unknown() {
    let out = determine(
        json!({"person": {"age_at_first_act": 26}, "means": {"force": true},
               "purpose": commercial_sex()}),
        Jurisdiction::UsCa,
    );
    assert_eq!(outcome(&out, CA_B), "unknown");
    assert_eq!(missing(&out, CA_B), vec!["actions.deprivation_of_liberty"]);
}

// 25. PC 236.1(b) lists §§ 311.1-311.6 (sexual images, obscene matter) besides the prostitution
//     offences: the purpose need not be a commercial sex act.
#[test]
fn california_sexual_images_purpose_without_payment() {
    let out = determine(
        json!({"person": {"age_at_first_act": 17},
               "actions": {"deprivation_of_liberty": true}, "means": {"drugs_to_impair": true},
               "purpose": {"sex_act": true, "anything_of_value_given_or_received": false,
                           "sexual_images_or_performance": true}}),
        Jurisdiction::UsCa,
    );
    assert_eq!(outcome(&out, CA_B), "met");
    assert_eq!(outcome(&out, CA_C), "not_met", "no commercial sex act");
}

// 26. PC 236.1(c): "causes, induces, or persuades, or attempts to ..., a person who is a minor at
//     the time of commission of the offense to engage in a commercial sex act"; (e): consent of a
//     minor is not a defence. No means needed.
#[test]
fn california_minor_persuaded_without_any_means() {
    let out = determine(
        json!({"person": {"date_of_birth": "2006-11-30"}, "period": {"from": "2024-01-05"},
               "actions": {"inducement": true}, "means": no_means_at_all(),
               "purpose": commercial_sex()}),
        Jurisdiction::UsCa,
    );
    assert_eq!(outcome(&out, CA_C), "met");
    // (b) needs a restriction of liberty accomplished through a means of 236.1(h): none was used.
    assert_eq!(outcome(&out, CA_B), "not_met");
}

// 27. PC 236.1(c) and the buyer: obtaining/patronizing alone is not recorded as causing or
//     persuading, so (c) stays unknown until a person records `actions.inducement`.
#[test]
fn california_minor_case_without_a_recorded_inducement_is_unknown() {
    let out = determine(
        json!({"person": {"age_at_first_act": 15}, "actions": {"patronizing": true},
               "purpose": commercial_sex()}),
        Jurisdiction::UsCa,
    );
    assert_eq!(outcome(&out, CA_C), "unknown");
    assert_eq!(
        missing(&out, CA_C),
        vec![
            "actions.recruitment",
            "actions.enticement",
            "actions.inducement"
        ]
    );
}

// 28. 7102(12) as amended in 2015: "patronizing, or soliciting" - a buyer's act is enough for
//     sex trafficking of an adult; the severe form still needs means (here, physical restraint:
//     7102(3)(A) "physical restraint against any person").
#[test]
fn buyer_patronizing_an_adult_who_was_restrained() {
    let out = determine(
        json!({"person": {"age_at_first_act": 20}, "actions": {"patronizing": true},
               "means": {"physical_restraint": true}, "purpose": commercial_sex()}),
        Jurisdiction::UsFederal,
    );
    assert_eq!(outcome(&out, SEX), "met");
    assert_eq!(outcome(&out, SEVERE_SEX), "met");
}

// 29. Unknown is never false: with nothing recorded, no rule is "not met".
#[test]
fn nothing_recorded_means_everything_unknown() {
    let out = all(json!({}));
    for r in out["results"].as_array().unwrap() {
        assert_eq!(r["outcome"], "unknown", "{}", r["rule"]);
        assert!(!r["missing_facts"].as_array().unwrap().is_empty());
    }
}

// 30. 7102(4) needs "anything of value": a sex act with nothing of value exchanged is not a
//     commercial sex act, so not sex trafficking under 7102(12).
#[test]
fn no_value_exchanged_is_not_a_commercial_sex_act() {
    let out = determine(
        json!({"actions": {"recruitment": true},
               "purpose": {"sex_act": true, "anything_of_value_given_or_received": false}}),
        Jurisdiction::UsFederal,
    );
    assert_eq!(outcome(&out, SEX), "not_met");
    assert_eq!(outcome(&out, SEVERE_SEX), "not_met");
    assert!(missing(&out, SEX).is_empty());
}

// 31. 7102(3)(A): "threats of serious harm to ... any person" - a threat to the person's family.
#[test]
fn threat_of_serious_harm_to_family_is_coercion() {
    let out = determine(
        json!({"person": {"age_at_first_act": 28}, "actions": {"harboring": true},
               "means": {"threat_of_serious_harm": true}, "purpose": commercial_sex()}),
        Jurisdiction::UsFederal,
    );
    assert_eq!(outcome(&out, SEVERE_SEX), "met");
}

// 32. A debt on its own: 7102(3) does not list debt bondage as coercion (a person decides whether
//     it formed a "scheme, plan, or pattern", 7102(3)(B)); PC 236.1(h) does list "debt bondage"
//     as coercion; Palermo treats it as another form of coercion.
#[test]
fn a_debt_alone_differs_between_jurisdictions() {
    let mut means = no_means_at_all();
    means["debt_bondage"] = json!(true);
    let out = all(json!({"person": {"age_at_first_act": 25},
                         "actions": {"harboring": true, "deprivation_of_liberty": true},
                         "means": means, "purpose": commercial_sex()}));
    assert_eq!(outcome(&out, SEVERE_SEX), "not_met");
    assert_eq!(outcome(&out, CA_B), "met");
    assert_eq!(outcome(&out, PALERMO), "met");
}

// 33. 18 USC 1591(a)(1) is information only: it lists "advertises" and "maintains", which
//     7102(12) does not. Not in `determine`'s default output.
#[test]
fn section_1591_is_information_only() {
    let facts = json!({"person": {"age_at_first_act": 16}, "actions": {"advertising": true},
                       "purpose": commercial_sex()});
    let out = all(facts.clone());
    assert!(
        out["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["rule"] != "us-federal.crime-1591")
    );
    let info = information(facts);
    assert_eq!(outcome(&info, "us-federal.crime-1591"), "met");
    assert_eq!(
        outcome(&out, SEX),
        "unknown",
        "advertising is not a 7102(12) act"
    );
}

// 34. PC 647(b)(5), California's Safe Harbor: the prostitution offence "does not apply to a child
//     under 18 years of age who is alleged to have engaged in conduct to receive money or other
//     consideration". Information only.
#[test]
fn safe_harbor_for_a_child_is_information_only() {
    let facts = json!({"person": {"age_at_first_act": 16}, "purpose": commercial_sex()});
    let info = information(facts.clone());
    assert_eq!(outcome(&info, "us-ca.safe-harbor-minor"), "met");
    let adult =
        information(json!({"person": {"age_at_first_act": 18}, "purpose": commercial_sex()}));
    assert_eq!(outcome(&adult, "us-ca.safe-harbor-minor"), "not_met");
    assert!(
        all(facts)["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["rule"] != "us-ca.safe-harbor-minor")
    );
}

// 35. Effective dates: 7102(12) as encoded took effect on 29 May 2015; acts from 2010 are flagged
//     for a check against the earlier text (the outcome is still computed).
#[test]
fn acts_before_the_encoded_text_are_flagged() {
    let out = determine(
        json!({"period": {"from": "2010-03-01"}, "actions": {"harboring": true},
               "purpose": commercial_sex()}),
        Jurisdiction::UsFederal,
    );
    let in_force = &result(&out, SEX)["explanation"]["in_force"];
    assert_eq!(in_force["effective_from"], "2015-05-29");
    assert_eq!(in_force["earliest_act"], "before");
    assert_eq!(
        result(&out, SEVERE_SEX)["explanation"]["in_force"]["earliest_act"],
        "within"
    );
}

// The contract: results per jurisdiction, in order, with exactly the DESIGN.md keys.
#[test]
fn jurisdictions_select_their_rules_in_order() {
    let ids = |j| -> Vec<String> {
        determine(json!({}), j)["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["rule"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        ids(Jurisdiction::UsFederal),
        vec![SEX, SEVERE_SEX, SEVERE_LABOR]
    );
    assert_eq!(ids(Jurisdiction::UsCa), vec![CA_B, CA_C, WIC]);
    assert_eq!(ids(Jurisdiction::IntlPalermo), vec![PALERMO]);
    assert_eq!(
        ids(Jurisdiction::All),
        vec![SEX, SEVERE_SEX, SEVERE_LABOR, CA_B, CA_C, WIC, PALERMO]
    );
    for name in ["us-federal", "us-ca", "intl-palermo", "all"] {
        assert_eq!(name.parse::<Jurisdiction>().unwrap().as_str(), name);
    }
    assert!("california".parse::<Jurisdiction>().is_err());
}

#[test]
fn every_result_and_every_node_has_the_contract_fields() {
    let out = all(
        json!({"person": {"age_at_first_act": 17}, "actions": {"harboring": true},
                         "means": {"fraud": null}, "purpose": commercial_sex()}),
    );
    for r in out["results"].as_array().unwrap() {
        let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        let mut expected = [
            "rule",
            "title",
            "citation",
            "outcome",
            "explanation",
            "missing_facts",
        ];
        expected.sort_unstable();
        assert_eq!(keys, expected, "serde_json::Map keeps keys sorted");
        check_node(&r["explanation"]);
        assert_eq!(r["outcome"], r["explanation"]["outcome"]);
    }
}

fn check_node(node: &Value) {
    for key in ["label", "citation", "kind", "outcome"] {
        assert!(
            node[key].as_str().is_some_and(|s| !s.is_empty()),
            "{key} in {node:#}"
        );
    }
    for fact in node["facts"].as_array().unwrap() {
        let path = fact["path"].as_str().unwrap();
        assert!(FACT_PATHS.contains(&path));
        assert!(fact.get("value").is_some());
    }
    let children = node["children"].as_array().unwrap();
    if matches!(node["kind"].as_str(), Some("fact" | "derived")) {
        assert!(children.is_empty());
        assert!(!node["facts"].as_array().unwrap().is_empty());
    } else {
        assert!(!children.is_empty());
    }
    if node["outcome"] == "unknown" {
        assert!(!node["missing_facts"].as_array().unwrap().is_empty());
    }
    for label in [
        node["label"].as_str().unwrap(),
        node["note"].as_str().unwrap_or(""),
    ] {
        let lower = label.to_lowercase();
        assert!(
            !lower.contains("victim") && !lower.contains("prostitute"),
            "non-judgemental labels: {label}"
        );
    }
    children.iter().for_each(check_node);
}

// Strict parsing: errors name the field, never the value, never an unknown key.
#[test]
fn a_wrong_type_names_the_field_but_not_the_value() {
    let err = Facts::parse_json(r#"{"means": {"force": "CANARY-yes"}}"#).unwrap_err();
    assert_eq!(err.path(), Some("means.force"));
    assert!(!err.to_string().contains("CANARY"), "{err}");
}

#[test]
fn an_impossible_date_is_refused() {
    let err = Facts::parse_json(r#"{"person": {"date_of_birth": "2007-02-29"}}"#).unwrap_err();
    assert_eq!(err.path(), Some("person.date_of_birth"));
    assert!(!err.to_string().contains("2007"), "{err}");
    let err = Facts::parse_json(r#"{"period": {"from": "01/06/2023"}}"#).unwrap_err();
    assert_eq!(err.path(), Some("period.from"));
}

#[test]
fn an_unknown_field_is_refused_without_repeating_it() {
    let err = Facts::parse_json(r#"{"means": {"CANARY_Maria_Lopez": true}}"#).unwrap_err();
    assert_eq!(err.path(), Some("means"));
    assert!(!err.to_string().contains("CANARY"), "{err}");
    let err = Facts::parse_json(r#"{"CANARY": 1}"#).unwrap_err();
    assert!(!err.to_string().contains("CANARY"), "{err}");
}

#[test]
fn contradictory_dates_are_refused() {
    let cases = [
        (
            r#"{"period": {"from": "2023-06-01", "to": "2023-05-01"}}"#,
            "period.to",
        ),
        (
            r#"{"person": {"date_of_birth": "2024-01-01"}, "period": {"from": "2023-06-01"}}"#,
            "person.date_of_birth",
        ),
        (
            r#"{"person": {"date_of_birth": "2008-03-02", "age_at_first_act": 17},
                "period": {"from": "2023-06-01"}}"#,
            "person.age_at_first_act",
        ),
        (
            r#"{"person": {"age_at_first_act": 16.5}}"#,
            "person.age_at_first_act",
        ),
        (
            r#"{"person": {"age_at_first_act": 131}}"#,
            "person.age_at_first_act",
        ),
        (
            r#"{"person": {"age_at_first_act": -1}}"#,
            "person.age_at_first_act",
        ),
        (
            r#"{"actions": {"harboring": true, "harboring": false}}"#,
            "actions.harboring",
        ),
        (r#"{"actions": null}"#, "actions"),
        (r#"[]"#, "(top level)"),
    ];
    for (text, path) in cases {
        let err = Facts::parse_json(text).unwrap_err();
        assert_eq!(err.path(), Some(path), "{text}: {err}");
    }
    assert!(matches!(
        Facts::parse_json("{\"means\": {"),
        Err(FactsError::Syntax { .. })
    ));
}

#[test]
fn facts_write_back_as_a_complete_file_that_parses_to_the_same_facts() {
    let text = r#"{"person": {"date_of_birth": "2008-03-02"}, "period": {"from": "2023-06-01"},
                   "means": {"fraud": true}, "caregiver_failed_to_protect": false}"#;
    let facts = Facts::parse_json(text).unwrap();
    let written = serde_json::to_string(&facts).unwrap();
    assert_eq!(Facts::parse_json(&written).unwrap(), facts);
    let value: Value = serde_json::from_str(&written).unwrap();
    assert_eq!(value["means"]["force"], Value::Null);
    assert_eq!(value["person"]["date_of_birth"], "2008-03-02");
}

// The JSON Schema in docs/ describes exactly what the parser accepts.
#[test]
fn the_schema_matches_the_parser() {
    let schema: Value =
        serde_json::from_str(include_str!("../../../docs/facts.schema.json")).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["additionalProperties"], false);
    let mut paths = Vec::new();
    for (section, body) in schema["properties"].as_object().unwrap() {
        if body["type"] == "object" {
            assert_eq!(body["additionalProperties"], false, "{section}");
            for field in body["properties"].as_object().unwrap().keys() {
                paths.push(format!("{section}.{field}"));
            }
        } else {
            paths.push(section.clone());
        }
    }
    let mut expected: Vec<String> = FACT_PATHS.iter().map(|p| (*p).to_owned()).collect();
    paths.sort();
    expected.sort();
    assert_eq!(paths, expected);
}

// A broken rule file fails with its file name, line and problem.
#[test]
fn a_broken_rule_file_names_the_file_and_line() {
    let text = "jurisdiction = \"us-ca\"\ntitle = \"t\"\n\n[[node]]\nid = \"a\"\nlabel = \"a\"\ncitation = \"c\"\nfact = \"means.forse\"\n";
    let err = RulePacks::from_sources(&[("rules/broken.toml", text)]).unwrap_err();
    assert_eq!(err.file, "rules/broken.toml");
    assert_eq!(err.line, Some(4));
    assert!(err.problem.contains("means.forse"), "{err}");
    assert!(
        err.to_string().starts_with("rules/broken.toml:4: "),
        "{err}"
    );

    let text = "jurisdiction = \"us-ca\"\ntitle = \"t\"\n\n[[rule]]\nid = \"x\"\ntitel = \"x\"\n";
    let err = RulePacks::from_sources(&[("rules/typo.toml", text)]).unwrap_err();
    assert_eq!(err.line, Some(6), "{err}");
}

#[test]
fn outcome_accessors_agree_with_the_json() {
    let facts = Facts::parse_json(r#"{"person": {"age_at_first_act": 12}}"#).unwrap();
    for d in packs().evaluate(&facts, Jurisdiction::All) {
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["outcome"], d.outcome().as_str());
        assert_eq!(json["rule"], d.rule_id());
        let text = serde_json::to_string(&d).unwrap();
        assert!(
            text.starts_with(r#"{"rule":"#),
            "keys in contract order: {text}"
        );
        assert_eq!(d.explanation().outcome(), d.outcome());
        assert_eq!(
            d.outcome() == Outcome::Unknown,
            !d.missing_facts().is_empty()
        );
    }
}

#[test]
fn the_facts_a_definition_reads_come_from_its_rule_tree() {
    let packs = packs();
    let sex_trafficking = packs.rule("us-federal.sex-trafficking").unwrap();
    // The seven acts of § 7102(12), and a sex act for something of value (§ 7102(4)).
    let acts = "recruitment harboring transportation provision obtaining patronizing soliciting";
    let purposes = "sex_act anything_of_value_given_or_received";
    let expected: Vec<String> = (acts.split(' ').map(|a| format!("actions.{a}")))
        .chain(purposes.split(' ').map(|p| format!("purpose.{p}")))
        .collect();
    assert_eq!(packs.facts_read(sex_trafficking), expected);
    // The severe form reads the sex-trafficking rule's facts too, and the age.
    let severe = packs.facts_read(packs.rule("us-federal.severe-sex-trafficking").unwrap());
    for path in packs.facts_read(sex_trafficking) {
        assert!(severe.contains(&path), "{path}");
    }
    assert!(severe.contains(&"person.date_of_birth") && severe.contains(&"means.force"));
    // Every rule reads exactly the facts its explanation lists at the root.
    let facts = Facts::unknown();
    let results = packs
        .evaluate(&facts, Jurisdiction::All)
        .into_iter()
        .chain(packs.information(&facts, Jurisdiction::All));
    for result in results {
        let listed: Vec<&str> = result
            .explanation()
            .facts()
            .into_iter()
            .map(|(path, _)| path)
            .collect();
        assert_eq!(
            packs.facts_read(result.rule()),
            listed,
            "{}",
            result.rule_id()
        );
    }
}
