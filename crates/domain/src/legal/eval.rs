//! Evaluation in three-valued (Kleene) logic, and the explanation of each result.
//!
//! Nodes are stored children-first, so one pass over them evaluates every rule for a set of
//! facts. Each node's result carries its outcome, the facts its subtree read and — when the outcome
//! is unknown — the unknown facts its undecided branches still wait on. Answering all of those
//! decides the node; answering any other unknown fact cannot change a decided node (Kleene logic is
//! monotone in what is known).

use std::sync::Arc;

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use time::Date;

use super::Jurisdiction;
use super::facts::{
    AGE_AT_FIRST_ACT, DATE_OF_BIRTH, FactValue, Facts, IsoDate, PERIOD_FROM, keys_of, paths_of,
};
use super::rules::{Derived, Kind, Rule, RulePacks};

/// The outcome of a rule or of one of its elements on the recorded facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The recorded facts meet it.
    Met,
    /// The recorded facts establish that it is not met.
    NotMet,
    /// The recorded facts do not decide it: see `missing_facts`.
    Unknown,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Met => "met",
            Outcome::NotMet => "not_met",
            Outcome::Unknown => "unknown",
        }
    }

    pub fn is_decided(self) -> bool {
        self != Outcome::Unknown
    }

    fn of(value: Option<bool>) -> Self {
        match value {
            Some(true) => Outcome::Met,
            Some(false) => Outcome::NotMet,
            None => Outcome::Unknown,
        }
    }

    fn and(self, other: Self) -> Self {
        match (self, other) {
            (Outcome::NotMet, _) | (_, Outcome::NotMet) => Outcome::NotMet,
            (Outcome::Met, Outcome::Met) => Outcome::Met,
            _ => Outcome::Unknown,
        }
    }

    fn or(self, other: Self) -> Self {
        match (self, other) {
            (Outcome::Met, _) | (_, Outcome::Met) => Outcome::Met,
            (Outcome::NotMet, Outcome::NotMet) => Outcome::NotMet,
            _ => Outcome::Unknown,
        }
    }

    fn not(self) -> Self {
        match self {
            Outcome::Met => Outcome::NotMet,
            Outcome::NotMet => Outcome::Met,
            Outcome::Unknown => Outcome::Unknown,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct NodeResult {
    outcome: Outcome,
    /// The facts this node's subtree read (a bit per fact).
    used: u64,
    /// When unknown: the unknown facts its undecided branches wait on. Empty when decided.
    missing: u64,
}

const AGE_FACTS: u64 = DATE_OF_BIRTH.bit() | AGE_AT_FIRST_ACT.bit() | PERIOD_FROM.bit();

/// Every node evaluated for one set of facts; shared by the determinations of one call.
#[derive(Debug)]
struct Evaluation {
    facts: Facts,
    results: Vec<NodeResult>,
}

fn evaluate_nodes(packs: &RulePacks, facts: &Facts) -> Evaluation {
    let mut results: Vec<NodeResult> = Vec::with_capacity(packs.nodes.len());
    for node in &packs.nodes {
        let result = match &node.kind {
            Kind::Fact(key) => {
                let value = facts.flag_at(*key);
                NodeResult {
                    outcome: Outcome::of(value),
                    used: key.bit(),
                    missing: if value.is_none() { key.bit() } else { 0 },
                }
            }
            Kind::Derived(derived) => {
                let minor = facts.minor_at_first_act();
                let value = match derived {
                    Derived::MinorAtFirstAct => minor,
                    Derived::AdultAtFirstAct => minor.map(|m| !m),
                };
                NodeResult {
                    outcome: Outcome::of(value),
                    used: AGE_FACTS,
                    missing: facts.age_missing(),
                }
            }
            Kind::All(children) => combine(&results, children, Outcome::Met, Outcome::and),
            Kind::Any(children) => combine(&results, children, Outcome::NotMet, Outcome::or),
            Kind::Not(child) => {
                let inner = results[usize::from(*child)];
                NodeResult {
                    outcome: inner.outcome.not(),
                    ..inner
                }
            }
            Kind::Rule(root) => results[usize::from(*root)],
        };
        results.push(result);
    }
    Evaluation {
        facts: *facts,
        results,
    }
}

fn combine(
    results: &[NodeResult],
    children: &[u16],
    start: Outcome,
    op: fn(Outcome, Outcome) -> Outcome,
) -> NodeResult {
    let mut outcome = start;
    let mut used = 0;
    let mut missing = 0;
    for child in children {
        let r = results[usize::from(*child)];
        outcome = op(outcome, r.outcome);
        used |= r.used;
        if r.outcome == Outcome::Unknown {
            missing |= r.missing;
        }
    }
    if outcome.is_decided() {
        missing = 0;
    }
    NodeResult {
        outcome,
        used,
        missing,
    }
}

impl RulePacks {
    /// Evaluate the facts against every rule of the jurisdiction (informational rules left out):
    /// one [`Determination`] per rule, in report order.
    pub fn evaluate(&self, facts: &Facts, jurisdiction: Jurisdiction) -> Vec<Determination<'_>> {
        self.select(facts, jurisdiction, false)
    }

    /// The informational rules of the jurisdiction (18 U.S.C. § 1591's elements, California's
    /// Safe Harbor rule), evaluated the same way; never part of `determine`'s default output.
    pub fn information(&self, facts: &Facts, jurisdiction: Jurisdiction) -> Vec<Determination<'_>> {
        self.select(facts, jurisdiction, true)
    }

    /// The facts a rule's tree reads (through the rules it names too), by path in catalogue
    /// order: what a worker needs to answer for this one definition. A derived test reads the
    /// facts that tell a person's age on the day of the earliest act.
    pub fn facts_read(&self, rule: &Rule) -> Vec<&'static str> {
        paths_of(self.reads(rule.root))
    }

    fn reads(&self, index: u16) -> u64 {
        match &self.node(index).kind {
            Kind::Fact(key) => key.bit(),
            Kind::Derived(_) => AGE_FACTS,
            kind => kind
                .children()
                .iter()
                .fold(0, |read, child| read | self.reads(*child)),
        }
    }

    fn select(
        &self,
        facts: &Facts,
        jurisdiction: Jurisdiction,
        information_only: bool,
    ) -> Vec<Determination<'_>> {
        let evaluation = Arc::new(evaluate_nodes(self, facts));
        self.rules
            .iter()
            .filter(|rule| {
                rule.information_only() == information_only
                    && jurisdiction.includes(rule.jurisdiction())
            })
            .map(|rule| Determination {
                packs: self,
                rule,
                evaluation: Arc::clone(&evaluation),
            })
            .collect()
    }
}

/// Whether the encoded text of a rule was in force on the day of the earliest act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EarliestAct {
    /// The earliest act falls within the text's effective dates.
    Within,
    /// The earliest act came before this text took effect: check the law then in force.
    Before,
    /// The earliest act came after this text was replaced.
    After,
    /// `period.from` is not recorded.
    Unknown,
}

/// The result of one rule for one set of facts, with its explanation. Serializes to the
/// `determine` contract: `{"rule","title","citation","outcome","explanation","missing_facts"}`.
#[derive(Debug, Clone)]
pub struct Determination<'p> {
    packs: &'p RulePacks,
    rule: &'p Rule,
    evaluation: Arc<Evaluation>,
}

impl<'p> Determination<'p> {
    pub fn rule(&self) -> &'p Rule {
        self.rule
    }

    pub fn rule_id(&self) -> &'p str {
        self.rule.id()
    }

    pub fn outcome(&self) -> Outcome {
        self.root_result().outcome
    }

    /// The unknown facts, by path, that could still change this outcome (empty when decided).
    pub fn missing_facts(&self) -> Vec<&'static str> {
        paths_of(self.root_result().missing)
    }

    /// The explanation tree, rooted at the rule's definition.
    pub fn explanation(&self) -> Explanation<'_> {
        Explanation {
            packs: self.packs,
            evaluation: &self.evaluation,
            index: self.rule.root,
        }
    }

    /// Whether the encoded text was in force on `period.from`.
    pub fn earliest_act(&self) -> EarliestAct {
        in_force(self.rule, self.evaluation.facts.period_from())
    }

    fn root_result(&self) -> NodeResult {
        self.evaluation.results[usize::from(self.rule.root)]
    }
}

fn in_force(rule: &Rule, first: Option<Date>) -> EarliestAct {
    match first {
        None => EarliestAct::Unknown,
        Some(day) if day < rule.effective_from() => EarliestAct::Before,
        Some(day) if rule.effective_to().is_some_and(|to| day > to) => EarliestAct::After,
        Some(_) => EarliestAct::Within,
    }
}

impl Serialize for Determination<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(6))?;
        map.serialize_entry("rule", self.rule.id())?;
        map.serialize_entry("title", self.rule.title())?;
        map.serialize_entry("citation", self.rule.citation())?;
        map.serialize_entry("outcome", &self.outcome())?;
        map.serialize_entry(
            "explanation",
            &RootView {
                node: self.explanation(),
                rule: self.rule,
                earliest_act: self.earliest_act(),
            },
        )?;
        map.serialize_entry("missing_facts", &self.missing_facts())?;
        map.end()
    }
}

/// `{"results": [...]}`, the whole output of `safeharbor determine`.
#[derive(Debug, Clone, Copy)]
pub struct Results<'a, 'p>(pub &'a [Determination<'p>]);

impl Serialize for Results<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry("results", self.0)?;
        map.end()
    }
}

/// One node of an explanation: what the law says (label, citation), what the facts gave, and why.
#[derive(Debug, Clone, Copy)]
pub struct Explanation<'a> {
    packs: &'a RulePacks,
    evaluation: &'a Evaluation,
    index: u16,
}

impl<'a> Explanation<'a> {
    /// Plain-language statement of this element.
    pub fn label(&self) -> &'a str {
        &self.packs.node(self.index).label
    }

    /// Where the law says it.
    pub fn citation(&self) -> &'a str {
        &self.packs.node(self.index).citation
    }

    pub fn note(&self) -> Option<&'a str> {
        self.packs.node(self.index).note.as_deref()
    }

    /// How the node combines its parts: `all`, `any`, `not`, `fact`, `derived` or `rule`.
    pub fn kind(&self) -> &'static str {
        self.packs.node(self.index).kind.name()
    }

    pub fn outcome(&self) -> Outcome {
        self.result().outcome
    }

    /// The facts this element read, with their recorded values.
    pub fn facts(&self) -> Vec<(&'static str, FactValue)> {
        keys_of(self.result().used)
            .map(|key| (key.path(), self.evaluation.facts.value_at(key)))
            .collect()
    }

    /// When unknown: the unknown facts that could still decide this element.
    pub fn missing_facts(&self) -> Vec<&'static str> {
        paths_of(self.result().missing)
    }

    pub fn children(&self) -> Vec<Explanation<'a>> {
        self.packs
            .node(self.index)
            .kind
            .children()
            .iter()
            .map(|child| Explanation {
                index: *child,
                ..*self
            })
            .collect()
    }

    fn result(&self) -> NodeResult {
        self.evaluation.results[usize::from(self.index)]
    }

    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("label", self.label())?;
        map.serialize_entry("citation", self.citation())?;
        map.serialize_entry("kind", self.kind())?;
        map.serialize_entry("outcome", &self.outcome())?;
        map.serialize_entry("facts", &FactsView(*self))?;
        if self.outcome() == Outcome::Unknown {
            map.serialize_entry("missing_facts", &self.missing_facts())?;
        }
        if let Some(note) = self.note() {
            map.serialize_entry("note", note)?;
        }
        map.serialize_entry("children", &ChildrenView(*self))
    }
}

impl Serialize for Explanation<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        self.write(&mut map)?;
        map.end()
    }
}

/// The root node, with the rule's effective dates added.
struct RootView<'a> {
    node: Explanation<'a>,
    rule: &'a Rule,
    earliest_act: EarliestAct,
}

impl Serialize for RootView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct InForce<'a>(&'a Rule, EarliestAct);
        impl Serialize for InForce<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(3))?;
                map.serialize_entry(
                    "effective_from",
                    &IsoDate(self.0.effective_from()).to_string(),
                )?;
                map.serialize_entry(
                    "effective_to",
                    &self.0.effective_to().map(|d| IsoDate(d).to_string()),
                )?;
                map.serialize_entry("earliest_act", &self.1)?;
                map.end()
            }
        }
        let mut map = serializer.serialize_map(None)?;
        self.node.write(&mut map)?;
        map.serialize_entry("in_force", &InForce(self.rule, self.earliest_act))?;
        if let Some(note) = self.rule.note() {
            map.serialize_entry("rule_note", note)?;
        }
        map.end()
    }
}

struct FactsView<'a>(Explanation<'a>);

impl Serialize for FactsView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Used {
            path: &'static str,
            value: FactValue,
        }
        let used = self.0.result().used;
        let mut seq = serializer.serialize_seq(Some(used.count_ones() as usize))?;
        for key in keys_of(used) {
            seq.serialize_element(&Used {
                path: key.path(),
                value: self.0.evaluation.facts.value_at(key),
            })?;
        }
        seq.end()
    }
}

struct ChildrenView<'a>(Explanation<'a>);

impl Serialize for ChildrenView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let node = self.0.packs.node(self.0.index);
        let children = node.kind.children();
        let mut seq = serializer.serialize_seq(Some(children.len()))?;
        for child in children {
            seq.serialize_element(&Explanation {
                index: *child,
                ..self.0
            })?;
        }
        seq.end()
    }
}
