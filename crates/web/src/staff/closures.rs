//! Closing a case on the cases page: the form (a coded reason, a note, and what the person agreed
//! to about follow-ups, with the safe way to reach them), the re-opening form, each closure as
//! the page lists it with its follow-ups, and the forms to record a follow-up (a contact in the
//! log) or the person's withdrawal of their consent. The handlers are `cases.rs`'s.

use domain::case::{format_date, parse_case_date};
use domain::closure::{
    Closure, ClosureReason, FollowUpAt, FollowUpConsent, FollowUpState, RawClosure, ReachMethod,
};
use domain::contact::{ContactMethod, NewContact};
use domain::time::ProgramZone;
use domain::{InvalidInput, Timestamp};
use serde::Deserialize;

use super::contacts::ContactForm;

/// The closing form as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CloseForm {
    pub closed_on: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub follow_up: String,
    #[serde(default)]
    pub reach_method: String,
    #[serde(default)]
    pub reach_how: String,
}

impl CloseForm {
    pub fn parse(&self) -> Result<Closure, InvalidInput> {
        RawClosure {
            closed_on: parse_case_date("closed_on", &self.closed_on)?,
            reason: Some(&self.reason),
            note: Some(&self.note),
            follow_up: Some(&self.follow_up),
            reach_method: Some(&self.reach_method),
            reach_how: Some(&self.reach_how),
        }
        .parse()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReopenForm {
    pub reopened_on: String,
}

/// A follow-up as typed: which one, and the contact it was.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FollowUpForm {
    #[serde(default)]
    pub at: String,
    #[serde(default)]
    pub occurred_at: String,
    #[serde(default)]
    pub method: String,
    /// `yes` or `no`.
    #[serde(default)]
    pub reached: String,
    #[serde(default)]
    pub note: String,
}

impl FollowUpForm {
    /// Which follow-up, and the contact it was, read as the contact log's form reads one.
    pub fn parse(
        &self,
        zone: &ProgramZone,
        now: Timestamp,
    ) -> Result<(FollowUpAt, NewContact), InvalidInput> {
        let at = FollowUpAt::parse(&self.at)?;
        let contact = ContactForm {
            occurred_at: self.occurred_at.clone(),
            method: self.method.clone(),
            reached: self.reached.clone(),
            note: self.note.clone(),
            ..ContactForm::default()
        };
        Ok((at, contact.parse(zone, now)?))
    }
}

/// An empty form for withdrawing consent (the form token alone).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WithdrawForm {}

/// A code offered in a form, with its words.
pub(crate) struct Choice {
    pub code: &'static str,
    pub label: &'static str,
}

pub(crate) fn reasons() -> Vec<Choice> {
    ClosureReason::ALL
        .iter()
        .map(|r| Choice {
            code: r.as_str(),
            label: r.label(),
        })
        .collect()
}

pub(crate) fn consents() -> Vec<Choice> {
    FollowUpConsent::ALL
        .iter()
        .map(|c| Choice {
            code: c.as_str(),
            label: match c {
                FollowUpConsent::Yes => "Yes",
                FollowUpConsent::No => "No",
                FollowUpConsent::NotAsked => "Not asked",
            },
        })
        .collect()
}

pub(crate) fn reach_methods() -> Vec<Choice> {
    ReachMethod::ALL
        .iter()
        .map(|m| Choice {
            code: m.as_str(),
            label: m.label(),
        })
        .collect()
}

pub(crate) fn contact_methods() -> Vec<Choice> {
    ContactMethod::ALL
        .iter()
        .map(|m| Choice {
            code: m.as_str(),
            label: match m {
                ContactMethod::InPerson => "In person",
                ContactMethod::Phone => "Phone",
                ContactMethod::Text => "Text message",
                ContactMethod::Video => "Video call",
                ContactMethod::Outreach => "Outreach",
            },
        })
        .collect()
}

/// One closure as the cases page lists it.
pub(crate) struct ClosureLine {
    pub closed_on: String,
    pub reason: &'static str,
    pub note: Option<String>,
    pub consent: &'static str,
    /// How the person may be reached, and their words for it, when they agreed.
    pub reach: Option<String>,
    pub follow_ups: Vec<FollowUpLine>,
    pub reopened_on: Option<String>,
    pub withdrawn: Option<String>,
}

pub(crate) struct FollowUpLine {
    pub at: &'static str,
    pub due_on: String,
    pub state: &'static str,
}

pub(crate) fn lines(zone: &ProgramZone, closures: &[app::ClosureView]) -> Vec<ClosureLine> {
    closures
        .iter()
        .map(|k| ClosureLine {
            closed_on: format_date(k.closed_on),
            reason: k.reason.label(),
            note: k.note.clone(),
            consent: k.follow_up.label(),
            reach: k.reach_method.map(|m| match &k.reach_how {
                Some(how) => format!("{}: {how}", m.label()),
                None => m.label().to_owned(),
            }),
            follow_ups: k
                .follow_ups
                .iter()
                .map(|f| FollowUpLine {
                    at: f.at.label(),
                    due_on: format_date(f.due_on),
                    state: f.state.label(),
                })
                .collect(),
            reopened_on: k.reopened.as_ref().map(|(on, _, _)| format_date(*on)),
            withdrawn: k.withdrawn_at.map(|at| super::page::when(zone, at)),
        })
        .collect()
}

/// The follow-ups of a case's latest closure that may still be recorded (not made, not lapsed),
/// when they go on at all.
pub(crate) fn open_follow_ups(closures: &[app::ClosureView]) -> Vec<Choice> {
    let Some(latest) = closures.last() else {
        return Vec::new();
    };
    if latest.reopened.is_some() || latest.withdrawn_at.is_some() {
        return Vec::new();
    }
    latest
        .follow_ups
        .iter()
        .filter(|f| matches!(f.state, FollowUpState::Later | FollowUpState::Due))
        .map(|f| Choice {
            code: f.at.as_str(),
            label: f.at.label(),
        })
        .collect()
}
