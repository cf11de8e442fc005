//! Rule packs: legal definitions as data (`rules/*.toml`), parsed and checked into one graph.
//!
//! A pack file names its jurisdiction and holds `[[rule]]` tables (id, title, citation,
//! effective dates, root node) and `[[node]]` tables. Every node has an id (unique in its file), a
//! plain-language `label`, a `citation`, and exactly one of:
//! `all = [ids]`, `any = [ids]`, `not = id`, `fact = "means.force"` (a yes/no fact of the facts
//! file), `derived = "minor_at_first_act" | "adult_at_first_act"`, or `rule = "rule id"` (another
//! rule's result, from any pack). A broken file fails with its name, line and problem.

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use time::{Date, Month};
use toml::Spanned;
use toml::value::Datetime;

use super::Jurisdiction;
use super::facts::FactKey;

/// The rule packs shipped with Safe Harbor, in the order their results are reported.
const SHIPPED: [(&str, &str); 3] = [
    (
        "rules/us-federal.toml",
        include_str!("../../../../rules/us-federal.toml"),
    ),
    (
        "rules/us-ca.toml",
        include_str!("../../../../rules/us-ca.toml"),
    ),
    (
        "rules/intl-palermo.toml",
        include_str!("../../../../rules/intl-palermo.toml"),
    ),
];

/// A derived test over the facts, computed rather than recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Derived {
    /// The person had not turned 18 on the day of the earliest act.
    MinorAtFirstAct,
    /// The person had turned 18 by the day of the earliest act.
    AdultAtFirstAct,
}

impl Derived {
    fn parse(name: &str) -> Option<Self> {
        match name {
            "minor_at_first_act" => Some(Derived::MinorAtFirstAct),
            "adult_at_first_act" => Some(Derived::AdultAtFirstAct),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    All(Vec<u16>),
    Any(Vec<u16>),
    Not(u16),
    Fact(FactKey),
    Derived(Derived),
    /// Another rule's result; the index is that rule's root node.
    Rule(u16),
}

impl Kind {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Kind::All(_) => "all",
            Kind::Any(_) => "any",
            Kind::Not(_) => "not",
            Kind::Fact(_) => "fact",
            Kind::Derived(_) => "derived",
            Kind::Rule(_) => "rule",
        }
    }

    pub(crate) fn children(&self) -> &[u16] {
        match self {
            Kind::All(children) | Kind::Any(children) => children,
            Kind::Not(child) | Kind::Rule(child) => std::slice::from_ref(child),
            Kind::Fact(_) | Kind::Derived(_) => &[],
        }
    }
}

/// One node of a rule's expression tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Node {
    pub(crate) label: String,
    pub(crate) citation: String,
    pub(crate) note: Option<String>,
    pub(crate) kind: Kind,
}

/// A legal definition: what `determine` reports one result for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    id: String,
    title: String,
    citation: String,
    jurisdiction: Jurisdiction,
    effective_from: Date,
    effective_to: Option<Date>,
    information_only: bool,
    note: Option<String>,
    pub(crate) root: u16,
}

impl Rule {
    pub fn id(&self) -> &str {
        &self.id
    }

    /// A plain-language title.
    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn citation(&self) -> &str {
        &self.citation
    }

    pub fn jurisdiction(&self) -> Jurisdiction {
        self.jurisdiction
    }

    /// The first day the encoded text was in force.
    pub fn effective_from(&self) -> Date {
        self.effective_from
    }

    /// The last day the encoded text was in force, if it has been replaced.
    pub fn effective_to(&self) -> Option<Date> {
        self.effective_to
    }

    /// Shown for information only (e.g. the elements of a crime), never part of `determine`'s
    /// default output.
    pub fn information_only(&self) -> bool {
        self.information_only
    }

    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
}

/// Every rule pack, parsed and checked, ready to evaluate facts against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulePacks {
    pub(crate) nodes: Vec<Node>,
    pub(crate) rules: Vec<Rule>,
}

/// A rule file that could not be loaded: which file, which line (when known) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub file: String,
    pub line: Option<usize>,
    pub problem: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.problem),
            None => write!(f, "{}: {}", self.file, self.problem),
        }
    }
}

impl std::error::Error for RuleError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    jurisdiction: Spanned<String>,
    title: String,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
    #[serde(default, rename = "rule")]
    rules: Vec<Spanned<RuleDef>>,
    #[serde(default, rename = "node")]
    nodes: Vec<Spanned<NodeDef>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    id: String,
    title: String,
    citation: String,
    effective_from: Datetime,
    #[serde(default)]
    effective_to: Option<Datetime>,
    #[serde(default)]
    information_only: bool,
    root: String,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NodeDef {
    id: String,
    label: String,
    citation: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    all: Option<Vec<String>>,
    #[serde(default)]
    any: Option<Vec<String>>,
    #[serde(default)]
    not: Option<String>,
    #[serde(default)]
    fact: Option<String>,
    #[serde(default)]
    derived: Option<String>,
    #[serde(default)]
    rule: Option<String>,
}

/// A node as written, before ids become indices.
enum Draft {
    All(Vec<String>),
    Any(Vec<String>),
    Not(String),
    Fact(FactKey),
    Derived(Derived),
    Rule(String),
}

struct ParsedPack<'a> {
    file: &'a str,
    title: String,
    jurisdiction: Jurisdiction,
    rules: Vec<(RuleDef, usize)>,
    nodes: Vec<(NodeDef, Draft, usize)>,
    index: HashMap<String, usize>,
}

impl RulePacks {
    /// The packs shipped in `rules/`, embedded at build time.
    pub fn shipped() -> Result<Self, RuleError> {
        Self::from_sources(&SHIPPED)
    }

    /// Parse packs from `(file name, TOML text)` pairs; results keep this order.
    pub fn from_sources(sources: &[(&str, &str)]) -> Result<Self, RuleError> {
        let packs = sources
            .iter()
            .map(|(file, text)| parse_pack(file, text))
            .collect::<Result<Vec<_>, _>>()?;
        link(&packs)
    }

    /// Every rule, informational ones included, in report order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub(crate) fn node(&self, index: u16) -> &Node {
        &self.nodes[usize::from(index)]
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn parse_pack<'a>(file: &'a str, text: &'a str) -> Result<ParsedPack<'a>, RuleError> {
    let error = |line: Option<usize>, problem: String| RuleError {
        file: file.to_owned(),
        line,
        problem,
    };
    let pack: PackFile = toml::from_str(text).map_err(|err| {
        error(
            err.span().map(|span| line_of(text, span.start)),
            err.message().trim().to_owned(),
        )
    })?;
    let jurisdiction_line = line_of(text, pack.jurisdiction.span().start);
    let jurisdiction = match pack.jurisdiction.get_ref().parse::<Jurisdiction>() {
        Ok(Jurisdiction::All) | Err(_) => {
            return Err(error(
                Some(jurisdiction_line),
                "jurisdiction must be one of us-federal, us-ca, intl-palermo".to_owned(),
            ));
        }
        Ok(j) => j,
    };
    if pack.title.trim().is_empty() {
        return Err(error(Some(1), "the pack needs a title".to_owned()));
    }
    let mut index = HashMap::new();
    let mut nodes = Vec::with_capacity(pack.nodes.len());
    for spanned in pack.nodes {
        let line = line_of(text, spanned.span().start);
        let def = spanned.into_inner();
        let at = |problem: String| error(Some(line), problem);
        if def.id.trim().is_empty() {
            return Err(at("a node needs an id".to_owned()));
        }
        if def.label.trim().is_empty() || def.citation.trim().is_empty() {
            return Err(at(format!(
                "node `{}` needs a label and a citation",
                def.id
            )));
        }
        if index.insert(def.id.clone(), nodes.len()).is_some() {
            return Err(at(format!("node id `{}` is used twice", def.id)));
        }
        let draft =
            draft_of(&def).map_err(|problem| at(format!("node `{}`: {problem}", def.id)))?;
        nodes.push((def, draft, line));
    }
    let mut rules = Vec::with_capacity(pack.rules.len());
    for spanned in pack.rules {
        let line = line_of(text, spanned.span().start);
        let def = spanned.into_inner();
        if def.id.trim().is_empty() || def.title.trim().is_empty() || def.citation.trim().is_empty()
        {
            return Err(error(
                Some(line),
                "a rule needs an id, a title and a citation".to_owned(),
            ));
        }
        rules.push((def, line));
    }
    Ok(ParsedPack {
        file,
        title: pack.title,
        jurisdiction,
        rules,
        nodes,
        index,
    })
}

fn draft_of(def: &NodeDef) -> Result<Draft, String> {
    let mut kinds = Vec::new();
    if let Some(children) = &def.all {
        kinds.push(Draft::All(children.clone()));
    }
    if let Some(children) = &def.any {
        kinds.push(Draft::Any(children.clone()));
    }
    if let Some(child) = &def.not {
        kinds.push(Draft::Not(child.clone()));
    }
    if let Some(path) = &def.fact {
        let key = FactKey::flag(path).ok_or_else(|| {
            format!("`{path}` is not a yes/no fact of the facts file (see docs/facts.schema.json)")
        })?;
        kinds.push(Draft::Fact(key));
    }
    if let Some(name) = &def.derived {
        let derived = Derived::parse(name).ok_or_else(|| {
            format!("unknown derived test `{name}` (known: minor_at_first_act, adult_at_first_act)")
        })?;
        kinds.push(Draft::Derived(derived));
    }
    if let Some(rule) = &def.rule {
        kinds.push(Draft::Rule(rule.clone()));
    }
    if kinds.len() != 1 {
        return Err("needs exactly one of all, any, not, fact, derived or rule".to_owned());
    }
    let draft = kinds.remove(0);
    if let Draft::All(children) | Draft::Any(children) = &draft
        && children.is_empty()
    {
        return Err("an all/any list needs at least one node".to_owned());
    }
    Ok(draft)
}

fn to_date(value: &Datetime) -> Option<Date> {
    if value.time.is_some() || value.offset.is_some() {
        return None;
    }
    let date = value.date?;
    let month = Month::try_from(date.month).ok()?;
    Date::from_calendar_date(i32::from(date.year), month, date.day).ok()
}

/// A node, named by (pack, position in the pack).
type Slot = (usize, usize);

struct Linker<'p, 'a> {
    packs: &'p [ParsedPack<'a>],
    rule_index: HashMap<&'p str, (usize, usize)>,
    order: HashMap<Slot, u16>,
    visiting: Vec<Slot>,
    nodes: Vec<Node>,
}

fn link(packs: &[ParsedPack<'_>]) -> Result<RulePacks, RuleError> {
    let mut rule_index: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut jurisdictions = Vec::new();
    for (p, pack) in packs.iter().enumerate() {
        if jurisdictions.contains(&pack.jurisdiction) {
            return Err(RuleError {
                file: pack.file.to_owned(),
                line: Some(1),
                problem: format!(
                    "a second pack for jurisdiction {} (`{}`)",
                    pack.jurisdiction.as_str(),
                    pack.title
                ),
            });
        }
        jurisdictions.push(pack.jurisdiction);
        for (r, (def, line)) in pack.rules.iter().enumerate() {
            if rule_index.insert(def.id.as_str(), (p, r)).is_some() {
                return Err(RuleError {
                    file: pack.file.to_owned(),
                    line: Some(*line),
                    problem: format!("rule id `{}` is used twice", def.id),
                });
            }
        }
    }
    let mut linker = Linker {
        packs,
        rule_index,
        order: HashMap::new(),
        visiting: Vec::new(),
        nodes: Vec::new(),
    };
    let mut rules = Vec::new();
    for (p, pack) in packs.iter().enumerate() {
        for (def, line) in &pack.rules {
            let at = |problem: String| RuleError {
                file: pack.file.to_owned(),
                line: Some(*line),
                problem,
            };
            let effective_from = to_date(&def.effective_from)
                .ok_or_else(|| at(format!("rule `{}`: effective_from must be a date", def.id)))?;
            let effective_to = match &def.effective_to {
                None => None,
                Some(value) => Some(to_date(value).ok_or_else(|| {
                    at(format!("rule `{}`: effective_to must be a date", def.id))
                })?),
            };
            if effective_to.is_some_and(|to| to < effective_from) {
                return Err(at(format!(
                    "rule `{}`: effective_to is before effective_from",
                    def.id
                )));
            }
            let local = *pack.index.get(&def.root).ok_or_else(|| {
                at(format!(
                    "rule `{}`: root `{}` is not a node of this file",
                    def.id, def.root
                ))
            })?;
            let root = linker.place((p, local))?;
            rules.push(Rule {
                id: def.id.clone(),
                title: def.title.clone(),
                citation: def.citation.clone(),
                jurisdiction: pack.jurisdiction,
                effective_from,
                effective_to,
                information_only: def.information_only,
                note: def.note.clone(),
                root,
            });
        }
    }
    for (p, pack) in packs.iter().enumerate() {
        for (local, (def, _, line)) in pack.nodes.iter().enumerate() {
            if !linker.order.contains_key(&(p, local)) {
                return Err(RuleError {
                    file: pack.file.to_owned(),
                    line: Some(*line),
                    problem: format!("node `{}` is not used by any rule", def.id),
                });
            }
        }
    }
    Ok(RulePacks {
        nodes: linker.nodes,
        rules,
    })
}

impl Linker<'_, '_> {
    /// The global index of a node; its children get indices first (so evaluation is one pass).
    fn place(&mut self, slot: Slot) -> Result<u16, RuleError> {
        if let Some(index) = self.order.get(&slot) {
            return Ok(*index);
        }
        let pack = &self.packs[slot.0];
        let (def, draft, line) = &pack.nodes[slot.1];
        let at = |problem: String| RuleError {
            file: pack.file.to_owned(),
            line: Some(*line),
            problem,
        };
        if self.visiting.contains(&slot) {
            return Err(at(format!("node `{}` depends on itself", def.id)));
        }
        self.visiting.push(slot);
        let local = |id: &String| -> Result<Slot, RuleError> {
            pack.index
                .get(id)
                .map(|i| (slot.0, *i))
                .ok_or_else(|| at(format!("node `{}` refers to unknown node `{id}`", def.id)))
        };
        let kind = match draft {
            Draft::All(ids) | Draft::Any(ids) => {
                let mut children = Vec::with_capacity(ids.len());
                for id in ids {
                    children.push(self.place(local(id)?)?);
                }
                if matches!(draft, Draft::All(_)) {
                    Kind::All(children)
                } else {
                    Kind::Any(children)
                }
            }
            Draft::Not(id) => Kind::Not(self.place(local(id)?)?),
            Draft::Fact(key) => Kind::Fact(*key),
            Draft::Derived(derived) => Kind::Derived(*derived),
            Draft::Rule(rule_id) => {
                let (p, r) = *self.rule_index.get(rule_id.as_str()).ok_or_else(|| {
                    at(format!(
                        "node `{}` refers to unknown rule `{rule_id}`",
                        def.id
                    ))
                })?;
                let target = &self.packs[p];
                let root_id = &target.rules[r].0.root;
                let root = target.index.get(root_id).ok_or_else(|| RuleError {
                    file: target.file.to_owned(),
                    line: Some(target.rules[r].1),
                    problem: format!(
                        "rule `{rule_id}`: root `{root_id}` is not a node of this file"
                    ),
                })?;
                Kind::Rule(self.place((p, *root))?)
            }
        };
        self.visiting.pop();
        let index = u16::try_from(self.nodes.len())
            .map_err(|_| at("too many nodes across the rule packs".to_owned()))?;
        self.nodes.push(Node {
            label: def.label.trim().to_owned(),
            citation: def.citation.trim().to_owned(),
            note: def.note.as_ref().map(|n| n.trim().to_owned()),
            kind,
        });
        self.order.insert(slot, index);
        Ok(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers_count_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 4), 3);
    }

    #[test]
    fn shipped_packs_load() {
        let packs = RulePacks::shipped().unwrap();
        assert!(packs.rules().len() >= 7);
    }

    #[test]
    fn a_cycle_is_refused() {
        let text = r#"
jurisdiction = "us-ca"
title = "t"

[[rule]]
id = "x"
title = "x"
citation = "c"
effective_from = 2000-01-01
root = "a"

[[node]]
id = "a"
label = "a"
citation = "c"
all = ["b"]

[[node]]
id = "b"
label = "b"
citation = "c"
any = ["a"]
"#;
        let err = RulePacks::from_sources(&[("rules/t.toml", text)]).unwrap_err();
        assert_eq!(err.file, "rules/t.toml");
        assert!(err.problem.contains("depends on itself"), "{err}");
        assert!(err.line.is_some());
    }
}
