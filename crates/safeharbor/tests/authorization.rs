//! The authorization matrix (SECURITY.md P6, P7; issue 18): every route of the JSON API and every
//! staff page and form, asked by every kind of person in every standing towards the record, over
//! real HTTP, against answers typed out by hand below. Nothing here asks `domain::policy` what
//! the answer should be: a wrong row in the policy table shows up as a row of this file the
//! server disagrees with.
//!
//! One world serves every row: an outreach worker (Olu), a case manager (Ana), two supervisors
//! (Sue, who leads the team North, and Tom, on it), an administrator (Ada) and a data analyst
//! (Dan), with a client in each standing:
//!
//! - Rosa: recorded by Ana; Sue, Olu and Ben are assigned too (Ben only so that taking someone off
//!   her can succeed).
//! - Bea: recorded by Ben, on Sue's team: Sue leads Bea's worker, Ana is only Ben's teammate.
//! - Cora: recorded by Val (on no team); Olu, Ana and Sue opened her record in an emergency,
//!   through the emergency form.
//! - Dee: recorded by Val: someone else's caseload for everyone here.
//! - Rae: recorded by Tom, who restricted her record: Sue leads Tom, and Olu held emergency access
//!   before the restriction; neither reaches her now. Only Tom does.
//! - Eve: recorded by Sue, then erased.
//! - and an id that is no one's.
//!
//! Rows that change who stands where (erasing, taking someone off a record, breaking the glass,
//! changing a team, switching an account off, ending a request or one's sessions) each run in a
//! world of their own; the rest share one. Within a route, the rows expected to be refused run
//! first, so that a success cannot turn a later refusal into a pass. Every refusal of something
//! about a record (a client, a contact request, an emergency access) must be byte for byte the
//! answer about a record that does not exist. Anonymous rows are asked twice: with no credential
//! and with a forged one.
//!
//! `every_route_the_server_serves_is_in_the_matrix` makes sure a new route cannot escape: every
//! operation of the OpenAPI document, every path the API router names, and every method the staff
//! router answers on every address of `crates/web/src/staff/links.rs` must have its row here, or
//! be one of the few sign-in steps listed (with the test that covers them) in `NOT_IN_THE_MATRIX`.

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::staff::Staff;
use common::{Engine, Persona, STAFF_PASSWORD, TestApp, engines};
use crypto::totp::TotpSecret;
use domain::Role;
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

/// What a row must answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Want {
    /// 200 OK.
    S200,
    /// 201 Created.
    S201,
    /// 204 No Content (erased).
    S204,
    /// 303 on to a page of the application: the form did its work.
    S303,
    /// 303 to the sign-in page: not signed in (or just signed out).
    Login,
    /// 401: no valid token.
    S401,
    /// 403: a refusal of something about no record in particular.
    S403,
    /// 404, byte for byte the answer about a record that does not exist (P7).
    S404,
    /// 409: allowed, but the action's own rule says no (the last person assigned stays).
    S409,
}

use Want::*;

/// The people of the world. Ben and Val only record clients; they ask nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Person {
    Anonymous,
    Olu,
    Ana,
    Dan,
    Sue,
    Tom,
    Ada,
}

/// The clients of the world (see the top of the file), and an id that is no one's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Rosa,
    Bea,
    Cora,
    Dee,
    Rae,
    Eve,
    Nobody,
}

use Person::*;
use Target::*;

/// How many open cases each client has for the rows that close or move one: one for every time
/// a `{case}` route is asked about the client (at most seven columns each, the anonymous one
/// twice, and four such routes), with room to spare.
const CASES_EACH: usize = 36;

/// How many closed cases (the person agreed to follow-ups) each client has for the rows that
/// re-open one, record a follow-up after it or the withdrawal of consent: one for every time such
/// a route is asked about the client (at most seven columns each, the anonymous one twice, and six
/// such routes), with room to spare.
const CLOSED_EACH: usize = 44;

/// How many releases and referrals each client has for the rows that withdraw or send one: one
/// for every time such a route is asked about the client (at most seven columns each, the
/// anonymous one twice, and up to four such routes each), with room to spare.
const RECORDS_EACH: usize = 40;

/// The columns of the matrix of routes about one client: who asks, about whom.
const CLIENT_COLUMNS: [(Person, Target, &str); 20] = [
    (Anonymous, Rosa, "anonymous"),
    (Olu, Rosa, "outreach, assigned"),
    (Olu, Cora, "outreach, emergency holder"),
    (Olu, Dee, "outreach, another caseload"),
    (Olu, Rae, "outreach, restricted (had emergency access)"),
    (Ana, Rosa, "case manager, assigned"),
    (Ana, Bea, "case manager, teammate of the one assigned"),
    (Ana, Cora, "case manager, emergency holder"),
    (Ana, Dee, "case manager, another caseload"),
    (Ana, Rae, "case manager, restricted"),
    (Sue, Rosa, "supervisor, assigned"),
    (Sue, Bea, "supervisor, team lead"),
    (Sue, Cora, "supervisor, emergency holder"),
    (Sue, Dee, "supervisor, another caseload"),
    (Sue, Rae, "supervisor, team lead of a restricted record"),
    (Sue, Eve, "supervisor, was assigned, record erased"),
    (Tom, Rae, "supervisor, assigned to a restricted record"),
    (Ada, Rosa, "administrator"),
    (Dan, Rosa, "data analyst"),
    (Ana, Nobody, "case manager, no such record"),
];

/// Every route about one client, and what each column of `CLIENT_COLUMNS` gets. Typed by hand
/// from DESIGN.md and SECURITY.md: a worker runs the case of a client assigned to them (outreach
/// screens and writes notes but opens no case); a team lead reads their team's records, adds
/// notes, logs contacts, records services, assesses needs and assigns the work but does not run
/// the case; an emergency opens reading, notes, the contact log, services and the needs only,
/// never a restricted record; erasing and restricting stay with an assigned supervisor;
/// releases are given and referrals made and sent by those assigned, while anyone who may read a
/// release may record its withdrawal; administrators and analysts read no case content.
#[rustfmt::skip]
const ABOUT_A_CLIENT: &[(&str, [Want; 20])] = &[
    //                                                 anon   |    outreach: A, E, U, R    |     case manager: A, T, E, U, R    |       supervisor: A, L, E, U, R, X       |  Tom  |  Ada   Dan  |  none
    ("GET /api/v1/clients/{id}",                      [S401,   S200, S200, S404, S404,   S200, S404, S200, S404, S404,   S200, S200, S200, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("PATCH /api/v1/clients/{id}",                    [S401,   S200, S404, S404, S404,   S200, S404, S404, S404, S404,   S200, S404, S404, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("GET /api/v1/clients/{id}/changes",              [S401,   S200, S200, S404, S404,   S200, S404, S200, S404, S404,   S200, S200, S200, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("GET /api/v1/clients/{id}/notes",                [S401,   S200, S200, S404, S404,   S200, S404, S200, S404, S404,   S200, S200, S200, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("POST /api/v1/clients/{id}/notes",               [S401,   S201, S201, S404, S404,   S201, S404, S201, S404, S404,   S201, S201, S201, S404, S404, S404,   S201,   S404, S404,   S404]),
    ("GET /api/v1/clients/{id}/contacts",             [S401,   S200, S200, S404, S404,   S200, S404, S200, S404, S404,   S200, S200, S200, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("POST /api/v1/clients/{id}/contacts",            [S401,   S201, S201, S404, S404,   S201, S404, S201, S404, S404,   S201, S201, S201, S404, S404, S404,   S201,   S404, S404,   S404]),
    ("GET /api/v1/clients/{id}/services",             [S401,   S200, S200, S404, S404,   S200, S404, S200, S404, S404,   S200, S200, S200, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("POST /api/v1/clients/{id}/services",            [S401,   S201, S201, S404, S404,   S201, S404, S201, S404, S404,   S201, S201, S201, S404, S404, S404,   S201,   S404, S404,   S404]),
    ("GET /api/v1/clients/{id}/needs",                [S401,   S200, S200, S404, S404,   S200, S404, S200, S404, S404,   S200, S200, S200, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("POST /api/v1/clients/{id}/needs",               [S401,   S201, S201, S404, S404,   S201, S404, S201, S404, S404,   S201, S201, S201, S404, S404, S404,   S201,   S404, S404,   S404]),
    // A plan is read as the notes are, and worked on by those assigned and their team's lead.
    ("GET /api/v1/clients/{id}/plan",                 [S401,   S200, S200, S404, S404,   S200, S404, S200, S404, S404,   S200, S200, S200, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("POST /api/v1/clients/{id}/plan/goals",          [S401,   S201, S404, S404, S404,   S201, S404, S404, S404, S404,   S201, S201, S404, S404, S404, S404,   S201,   S404, S404,   S404]),
    ("POST /api/v1/clients/{id}/plan/goals/{goal}/steps", [S401,   S201, S404, S404, S404,   S201, S404, S404, S404, S404,   S201, S201, S404, S404, S404, S404,   S201,   S404, S404,   S404]),
    ("POST /api/v1/clients/{id}/plan/steps/{step}/status", [S401,   S204, S404, S404, S404,   S204, S404, S404, S404, S404,   S204, S204, S404, S404, S404, S404,   S204,   S404, S404,   S404]),
    ("POST /api/v1/clients/{id}/plan/reviews",        [S401,   S201, S404, S404, S404,   S201, S404, S404, S404, S404,   S201, S201, S404, S404, S404, S404,   S201,   S404, S404,   S404]),
    ("GET /api/v1/clients/{id}/cases",                [S401,   S200, S200, S404, S404,   S200, S404, S200, S404, S404,   S200, S200, S200, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("POST /api/v1/clients/{id}/cases",               [S401,   S404, S404, S404, S404,   S201, S404, S404, S404, S404,   S201, S404, S404, S404, S404, S404,   S201,   S404, S404,   S404]),
    ("POST /api/v1/clients/{id}/cases/{case}/close",  [S401,   S404, S404, S404, S404,   S204, S404, S404, S404, S404,   S204, S404, S404, S404, S404, S404,   S204,   S404, S404,   S404]),
    ("POST /api/v1/clients/{id}/cases/{case}/transfer", [S401, S404, S404, S404, S404,   S201, S404, S404, S404, S404,   S201, S404, S404, S404, S404, S404,   S201,   S404, S404,   S404]),
    // Re-opening goes with opening and closing; a follow-up after a closure, or the person's
    // withdrawal of their consent to them, with logging a contact; outcomes with needs.
    ("POST /api/v1/clients/{id}/cases/{case}/reopen", [S401, S404, S404, S404, S404, S204, S404, S404, S404, S404, S204, S404, S404, S404, S404, S404, S204, S404, S404, S404]),
    ("POST /api/v1/clients/{id}/cases/{case}/follow-ups", [S401, S201, S201, S404, S404, S201, S404, S201, S404, S404, S201, S201, S201, S404, S404, S404, S201, S404, S404, S404]),
    ("POST /api/v1/clients/{id}/cases/{case}/follow-ups/withdraw", [S401, S204, S204, S404, S404, S204, S404, S204, S404, S404, S204, S204, S204, S404, S404, S404, S204, S404, S404, S404]),
    ("GET /api/v1/clients/{id}/outcomes", [S401, S200, S200, S404, S404, S200, S404, S200, S404, S404, S200, S200, S200, S404, S404, S404, S200, S404, S404, S404]),
    ("POST /api/v1/clients/{id}/outcomes", [S401, S201, S201, S404, S404, S201, S404, S201, S404, S404, S201, S201, S201, S404, S404, S404, S201, S404, S404, S404]),
    ("GET /api/v1/clients/{id}/releases",             [S401,   S200, S200, S404, S404,   S200, S404, S200, S404, S404,   S200, S200, S200, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("POST /api/v1/clients/{id}/releases",            [S401,   S201, S404, S404, S404,   S201, S404, S404, S404, S404,   S201, S404, S404, S404, S404, S404,   S201,   S404, S404,   S404]),
    // Withdrawing a release takes effect at once, whoever takes the call: anyone who may read it.
    ("POST /api/v1/clients/{id}/releases/{release}/withdraw", [S401, S204, S204, S404, S404, S204, S404, S204, S404, S404, S204, S204, S204, S404, S404, S404, S204, S404, S404, S404]),
    ("GET /api/v1/clients/{id}/referrals",            [S401,   S200, S200, S404, S404,   S200, S404, S200, S404, S404,   S200, S200, S200, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("POST /api/v1/clients/{id}/referrals",           [S401,   S201, S404, S404, S404,   S201, S404, S404, S404, S404,   S201, S404, S404, S404, S404, S404,   S201,   S404, S404,   S404]),
    // Sending a referral shares the client's name under their release: only those assigned.
    // The sheet is what the partner is given: shared, so only by those assigned.
    ("GET /api/v1/clients/{id}/referrals/{referral}/sheet", [S401, S200, S404, S404, S404, S200, S404, S404, S404, S404, S200, S404, S404, S404, S404, S404, S200, S404, S404, S404]),
    ("POST /api/v1/clients/{id}/referrals/{referral}/steps", [S401, S204, S404, S404, S404, S204, S404, S404, S404, S404, S204, S404, S404, S404, S404, S404, S204, S404, S404, S404]),
    ("GET /api/v1/clients/{id}/screenings",           [S401,   S200, S200, S404, S404,   S200, S404, S200, S404, S404,   S200, S200, S200, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("POST /api/v1/clients/{id}/screenings",          [S401,   S201, S404, S404, S404,   S201, S404, S404, S404, S404,   S201, S404, S404, S404, S404, S404,   S201,   S404, S404,   S404]),
    ("GET /api/v1/clients/{id}/determinations",       [S401,   S200, S200, S404, S404,   S200, S404, S200, S404, S404,   S200, S200, S200, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("POST /api/v1/clients/{id}/determinations",      [S401,   S201, S404, S404, S404,   S201, S404, S404, S404, S404,   S201, S404, S404, S404, S404, S404,   S201,   S404, S404,   S404]),
    ("DELETE /api/v1/clients/{id}",                   [S401,   S404, S404, S404, S404,   S404, S404, S404, S404, S404,   S204, S404, S404, S404, S404, S404,   S204,   S404, S404,   S404]),
    ("GET /app/clients/{id}",                         [Login,  S200, S200, S404, S404,   S200, S404, S200, S404, S404,   S200, S200, S200, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("POST /app/clients/{id}/notes",                  [Login,  S303, S303, S404, S404,   S303, S404, S303, S404, S404,   S303, S303, S303, S404, S404, S404,   S303,   S404, S404,   S404]),
    ("POST /app/clients/{id}/contacts",               [Login,  S303, S303, S404, S404,   S303, S404, S303, S404, S404,   S303, S303, S303, S404, S404, S404,   S303,   S404, S404,   S404]),
    ("POST /app/clients/{id}/services",               [Login,  S303, S303, S404, S404,   S303, S404, S303, S404, S404,   S303, S303, S303, S404, S404, S404,   S303,   S404, S404,   S404]),
    ("GET /app/clients/{id}/needs",                   [Login,  S200, S200, S404, S404,   S200, S404, S200, S404, S404,   S200, S200, S200, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("POST /app/clients/{id}/needs",                  [Login,  S303, S303, S404, S404,   S303, S404, S303, S404, S404,   S303, S303, S303, S404, S404, S404,   S303,   S404, S404,   S404]),
    ("GET /app/clients/{id}/plan",                    [Login,  S200, S200, S404, S404,   S200, S404, S200, S404, S404,   S200, S200, S200, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("POST /app/clients/{id}/plan",                   [Login,  S303, S404, S404, S404,   S303, S404, S404, S404, S404,   S303, S303, S404, S404, S404, S404,   S303,   S404, S404,   S404]),
    ("POST /app/clients/{id}/plan/goals/{goal}/steps", [Login,  S303, S404, S404, S404,   S303, S404, S404, S404, S404,   S303, S303, S404, S404, S404, S404,   S303,   S404, S404,   S404]),
    ("POST /app/clients/{id}/plan/steps/{step}",      [Login,  S303, S404, S404, S404,   S303, S404, S404, S404, S404,   S303, S303, S404, S404, S404, S404,   S303,   S404, S404,   S404]),
    ("POST /app/clients/{id}/plan/reviews",           [Login,  S303, S404, S404, S404,   S303, S404, S404, S404, S404,   S303, S303, S404, S404, S404, S404,   S303,   S404, S404,   S404]),
    ("GET /app/clients/{id}/details",                 [Login,  S200, S200, S404, S404,   S200, S404, S200, S404, S404,   S200, S200, S200, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("POST /app/clients/{id}/details",                [Login,  S303, S404, S404, S404,   S303, S404, S404, S404, S404,   S303, S404, S404, S404, S404, S404,   S303,   S404, S404,   S404]),
    ("GET /app/clients/{id}/cases",                   [Login,  S200, S200, S404, S404,   S200, S404, S200, S404, S404,   S200, S200, S200, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("POST /app/clients/{id}/cases",                  [Login,  S404, S404, S404, S404,   S303, S404, S404, S404, S404,   S303, S404, S404, S404, S404, S404,   S303,   S404, S404,   S404]),
    ("POST /app/clients/{id}/cases/{case}/close",     [Login,  S404, S404, S404, S404,   S303, S404, S404, S404, S404,   S303, S404, S404, S404, S404, S404,   S303,   S404, S404,   S404]),
    ("POST /app/clients/{id}/cases/{case}/transfer",  [Login,  S404, S404, S404, S404,   S303, S404, S404, S404, S404,   S303, S404, S404, S404, S404, S404,   S303,   S404, S404,   S404]),
    ("POST /app/clients/{id}/cases/{case}/reopen", [Login, S404, S404, S404, S404, S303, S404, S404, S404, S404, S303, S404, S404, S404, S404, S404, S303, S404, S404, S404]),
    ("POST /app/clients/{id}/cases/{case}/follow-ups", [Login, S303, S303, S404, S404, S303, S404, S303, S404, S404, S303, S303, S303, S404, S404, S404, S303, S404, S404, S404]),
    ("POST /app/clients/{id}/cases/{case}/follow-ups/withdraw", [Login, S303, S303, S404, S404, S303, S404, S303, S404, S404, S303, S303, S303, S404, S404, S404, S303, S404, S404, S404]),
    ("GET /app/clients/{id}/outcomes", [Login, S200, S200, S404, S404, S200, S404, S200, S404, S404, S200, S200, S200, S404, S404, S404, S200, S404, S404, S404]),
    ("POST /app/clients/{id}/outcomes", [Login, S303, S303, S404, S404, S303, S404, S303, S404, S404, S303, S303, S303, S404, S404, S404, S303, S404, S404, S404]),
    ("GET /app/clients/{id}/referrals",               [Login,  S200, S200, S404, S404,   S200, S404, S200, S404, S404,   S200, S200, S200, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("POST /app/clients/{id}/releases",               [Login,  S303, S404, S404, S404,   S303, S404, S404, S404, S404,   S303, S404, S404, S404, S404, S404,   S303,   S404, S404,   S404]),
    ("POST /app/clients/{id}/releases/{release}/withdraw", [Login, S303, S303, S404, S404, S303, S404, S303, S404, S404, S303, S303, S303, S404, S404, S404, S303, S404, S404, S404]),
    ("POST /app/clients/{id}/referrals",              [Login,  S303, S404, S404, S404,   S303, S404, S404, S404, S404,   S303, S404, S404, S404, S404, S404,   S303,   S404, S404,   S404]),
    ("GET /app/clients/{id}/referrals/{referral}/sheet", [Login, S200, S404, S404, S404, S200, S404, S404, S404, S404, S200, S404, S404, S404, S404, S404, S200, S404, S404, S404]),
    ("POST /app/clients/{id}/referrals/{referral}/steps", [Login, S303, S404, S404, S404, S303, S404, S404, S404, S404, S303, S404, S404, S404, S404, S404, S303, S404, S404, S404]),
    ("GET /app/clients/{id}/access",                  [Login,  S404, S404, S404, S404,   S404, S404, S404, S404, S404,   S200, S200, S404, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("GET /app/clients/{id}/safety",                  [Login,  S200, S404, S404, S404,   S200, S404, S404, S404, S404,   S200, S404, S404, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("POST /app/clients/{id}/safety",                 [Login,  S303, S404, S404, S404,   S303, S404, S404, S404, S404,   S303, S404, S404, S404, S404, S404,   S303,   S404, S404,   S404]),
    ("POST /app/clients/{id}/screenings",             [Login,  S303, S404, S404, S404,   S303, S404, S404, S404, S404,   S303, S404, S404, S404, S404, S404,   S303,   S404, S404,   S404]),
    ("GET /app/clients/{id}/screenings/new",          [Login,  S200, S404, S404, S404,   S200, S404, S404, S404, S404,   S200, S404, S404, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("GET /app/clients/{id}/screenings/new/{instrument}", [Login, S200, S404, S404, S404, S200, S404, S404, S404, S404,   S200, S404, S404, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("GET /app/clients/{id}/screenings/{screening}",  [Login,  S200, S200, S404, S404,   S200, S404, S200, S404, S404,   S200, S200, S200, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("POST /app/clients/{id}/determinations",         [Login,  S303, S404, S404, S404,   S303, S404, S404, S404, S404,   S303, S404, S404, S404, S404, S404,   S303,   S404, S404,   S404]),
    ("GET /app/clients/{id}/determinations/new",      [Login,  S200, S404, S404, S404,   S200, S404, S404, S404, S404,   S200, S404, S404, S404, S404, S404,   S200,   S404, S404,   S404]),
    ("GET /app/clients/{id}/determinations/{determination}", [Login, S200, S200, S404, S404, S200, S404, S200, S404, S404, S200, S200, S200, S404, S404, S404, S200, S404, S404, S404]),
    ("POST /app/clients/{id}/assign",                 [Login,  S404, S404, S404, S404,   S404, S404, S404, S404, S404,   S303, S303, S404, S404, S404, S404,   S303,   S404, S404,   S404]),
    // Taking away Tom, the only one assigned to Rae: he may, but someone must stay assigned.
    ("POST /app/clients/{id}/unassign",               [Login,  S404, S404, S404, S404,   S404, S404, S404, S404, S404,   S303, S303, S404, S404, S404, S404,   S409,   S404, S404,   S404]),
    ("POST /app/clients/{id}/restrict",               [Login,  S404, S404, S404, S404,   S404, S404, S404, S404, S404,   S303, S404, S404, S404, S404, S404,   S303,   S404, S404,   S404]),
    // Breaking the glass names the client in the form. A record one may read already opens
    // without an emergency; a restricted, erased or missing one never opens.
    ("POST /app/emergency",                           [Login,  S303, S303, S303, S404,   S303, S303, S303, S303, S404,   S303, S303, S303, S303, S404, S404,   S303,   S404, S404,   S404]),
];

/// The columns of the matrix of routes about no client, or about a record that is not a client's
/// (a contact request Ana claimed, an emergency access Sue reviews, the team North, Val's
/// account): one member of each role.
const ROLE_COLUMNS: [(Person, &str); 6] = [
    (Anonymous, "anonymous"),
    (Olu, "outreach"),
    (Ana, "case manager (claimed the request)"),
    (
        Sue,
        "supervisor (leads North, reviews Olu's emergency access)",
    ),
    (Ada, "administrator"),
    (Dan, "data analyst"),
];

/// Every other route and what each column of `ROLE_COLUMNS` gets, typed by hand likewise.
#[rustfmt::skip]
const BY_ROLE: &[(&str, [Want; 6])] = &[
    //                                           anon   Olu    Ana    Sue    Ada    Dan
    ("GET /api/v1/openapi.json",                [S200,  S200,  S200,  S200,  S200,  S200]),
    ("GET /api/v1/instruments",                 [S401,  S200,  S200,  S200,  S200,  S200]),
    ("GET /api/v1/service-types",               [S401,  S200,  S200,  S200,  S200,  S200]),
    // The directory holds organisations, not clients: kept by supervisors and administrators.
    ("GET /api/v1/partners",                    [S401,  S200,  S200,  S200,  S200,  S403]),
    ("GET /app/partners",                       [Login, S200,  S200,  S200,  S200,  S404]),
    ("GET /app/work",                           [Login, S200,  S200,  S200,  S404,  S404]),
    ("POST /app/partners",                      [Login, S404,  S404,  S303,  S303,  S404]),
    ("POST /api/v1/partners",                   [S401,  S403,  S403,  S201,  S201,  S403]),
    ("POST /api/v1/clients",                    [S401,  S201,  S201,  S201,  S403,  S403]),
    ("GET /api/v1/clients",                     [S401,  S200,  S200,  S200,  S403,  S403]),
    ("POST /api/v1/clients/duplicates",         [S401,  S200,  S200,  S200,  S403,  S403]),
    ("GET /app/",                               [Login, S200,  S200,  S200,  S200,  S200]),
    ("GET /app/clients/new",                    [Login, S200,  S200,  S200,  S404,  S404]),
    ("POST /app/clients",                       [Login, S303,  S303,  S303,  S404,  S404]),
    ("POST /app/search",                        [Login, S200,  S200,  S200,  S404,  S404]),
    ("GET /app/team",                           [Login, S404,  S404,  S200,  S404,  S404]),
    ("GET /app/emergency",                      [Login, S200,  S200,  S200,  S404,  S404]),
    ("GET /app/reviews",                        [Login, S404,  S404,  S200,  S404,  S404]),
    ("POST /app/reviews/{id}",                  [Login, S404,  S404,  S303,  S404,  S404]),
    ("GET /app/requests",                       [Login, S200,  S200,  S200,  S404,  S404]),
    ("GET /app/requests/{id}",                  [Login, S404,  S200,  S404,  S404,  S404]),
    ("POST /app/requests/{id}/claim",           [Login, S404,  S303,  S404,  S404,  S404]),
    ("POST /app/requests/{id}/client",          [Login, S404,  S303,  S404,  S404,  S404]),
    ("POST /app/requests/{id}/close",           [Login, S404,  S303,  S404,  S404,  S404]),
    ("GET /app/audit",                          [Login, S404,  S404,  S200,  S404,  S404]),
    ("GET /app/reports",                        [Login, S404,  S404,  S200,  S200,  S200]),
    ("POST /app/reports/file",                  [Login, S404,  S404,  S200,  S200,  S200]),
    ("GET /app/admin",                          [Login, S404,  S404,  S404,  S200,  S404]),
    ("POST /app/admin/invite",                  [Login, S404,  S404,  S404,  S200,  S404]),
    ("POST /app/admin/users/{id}/link",         [Login, S404,  S404,  S404,  S200,  S404]),
    ("POST /app/admin/users/{id}/disable",      [Login, S404,  S404,  S404,  S303,  S404]),
    ("POST /app/admin/users/{id}/enable",       [Login, S404,  S404,  S404,  S303,  S404]),
    ("GET /app/admin/teams",                    [Login, S404,  S404,  S404,  S200,  S404]),
    ("POST /app/admin/teams",                   [Login, S404,  S404,  S404,  S303,  S404]),
    ("POST /app/admin/teams/{id}/members",      [Login, S404,  S404,  S404,  S303,  S404]),
    ("POST /app/admin/teams/{id}/members/remove", [Login, S404, S404, S404,  S303,  S404]),
    ("GET /app/account",                        [Login, S200,  S200,  S200,  S200,  S200]),
    ("POST /app/account/time-zone",             [Login, S303,  S303,  S303,  S303,  S303]),
    ("POST /app/account/sign-out-everywhere",   [Login, Login, Login, Login, Login, Login]),
];

/// Routes whose success changes how someone stands to a record (or ends a session): each runs in
/// a world of its own.
const CHANGES_THE_WORLD: &[&str] = &[
    "DELETE /api/v1/clients/{id}",
    "POST /app/clients/{id}/unassign",
    "POST /app/emergency",
    "POST /app/requests/{id}/client",
    "POST /app/requests/{id}/close",
    "POST /app/admin/users/{id}/disable",
    "POST /app/admin/teams/{id}/members",
    "POST /app/admin/teams/{id}/members/remove",
    "POST /app/account/sign-out-everywhere",
];

/// Routes the server answers that are not in the matrix, and why: signing in and proving again
/// who one is come before any role or record (`signin.rs`, `staff.rs`, `emergency.rs` test them),
/// and the rest hold nothing of anyone's.
const NOT_IN_THE_MATRIX: &[(&str, &str)] = &[
    ("GET /login", "the sign-in form"),
    ("POST /login", "signing in (signin.rs)"),
    ("POST /logout", "signing out (staff.rs)"),
    (
        "GET /login/setup/{token}",
        "a sign-up link's form (staff.rs)",
    ),
    (
        "POST /login/setup/{token}",
        "a sign-up link's password (staff.rs)",
    ),
    (
        "POST /login/setup/{token}/confirm",
        "a sign-up link's code (staff.rs)",
    ),
    (
        "GET /app/passkey",
        "an administrator's passkey step (staff.rs)",
    ),
    (
        "POST /app/passkey",
        "an administrator's passkey step (staff.rs)",
    ),
    ("GET /app/reauth", "proving again who one is (emergency.rs)"),
    (
        "POST /app/reauth",
        "proving again who one is (emergency.rs)",
    ),
    ("GET /app", "sends on to /app/"),
    ("GET /assets/staff.css", "the stylesheet"),
];

const REASON: &str = "Police called about her tonight and her worker cannot be reached.";
const NOBODY: &str = "8f0c1f8e-3b5a-4d55-9a43-5f6f0b9f7a10";
const FORGED_TOKEN: &str = "sht_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/// A member of staff of the world: their API token, their authenticator and their browser session.
struct Member {
    persona: Persona,
    key: TotpSecret,
    /// `name=value` of the session cookie.
    cookie: String,
    csrf: String,
}

struct World {
    t: TestApp,
    /// A browser's client: redirects are answers to check, not to follow.
    browser: reqwest::Client,
    members: BTreeMap<Person, Member>,
    ben: String,
    tom: String,
    val: String,
    clients: BTreeMap<Target, String>,
    screenings: BTreeMap<Target, String>,
    determinations: BTreeMap<Target, String>,
    /// Open cases of each client, each closed or moved by one row at most (`take`).
    cases: BTreeMap<Target, Vec<String>>,
    /// Closed cases of each client (follow-ups agreed), each re-opened, followed up or its
    /// consent withdrawn by one row at most.
    closed: BTreeMap<Target, Vec<String>>,
    /// Releases of each client for `partner`, each withdrawn by one row at most.
    releases: BTreeMap<Target, Vec<String>>,
    /// A release of each client that no row withdraws, for drafting referrals under.
    kept_release: BTreeMap<Target, String>,
    /// Drafted referrals of each client to `partner`, each sent by one row at most.
    referrals: BTreeMap<Target, Vec<String>>,
    /// A goal of each client's plan, for the rows that add steps to one.
    goals: BTreeMap<Target, Vec<String>>,
    /// Open steps of each client's plan, each moved by one row at most.
    steps: BTreeMap<Target, Vec<String>>,
    /// How many of each kind of record of each client rows have used.
    used: std::sync::Mutex<BTreeMap<(&'static str, Target), usize>>,
    /// The partner in the directory, and how many more rows have added.
    partner: String,
    partners_added: std::sync::atomic::AtomicUsize,
    north: String,
    request: String,
    review: String,
    /// The answers about a client that does not exist, from the API and from the staff pages.
    api_missing: String,
    page_missing: String,
    /// The step of the last authenticator code each person used.
    codes_used: std::sync::Mutex<BTreeMap<Person, i64>>,
}

/// An answer: its status, where it sends the browser, and its body.
struct Answer {
    status: StatusCode,
    location: String,
    body: String,
}

enum Body {
    None,
    Json(Value),
    Form(Vec<(&'static str, String)>),
}

/// A release naming `partner`, in force from `today`, that lets us share the client's name.
fn release(partner: &str, today: &str) -> Value {
    json!({"partner": partner, "recipient": "Harbor House", "purpose": "A bed this week",
           "shares": ["name"], "method": "signed-on-screen", "starts_on": today})
}

/// A referral to `partner` for shelter, sharing the client's name under `release`.
fn referral(partner: &str, release: &str) -> Value {
    json!({"partner": partner, "service": "C4", "shares": ["name"], "release": release})
}

/// Gives the client `id` a plan of four goals set `today` by `token`, each with ten open steps;
/// answers the first goal and every step.
async fn plan(t: &TestApp, token: &str, id: &str, today: &str) -> (String, Vec<String>) {
    let step = json!({"words": "Call the housing office", "owner": "worker", "target_on": today});
    let goal = json!({"words": "A home", "set_on": today, "steps": vec![step; 10]});
    let path = format!("/api/v1/clients/{id}/plan/goals");
    for _ in 0..4 {
        api(t, token, Method::POST, &path, Some(goal.clone())).await;
    }
    let read = api(
        t,
        token,
        Method::GET,
        &format!("/api/v1/clients/{id}/plan"),
        None,
    )
    .await;
    let goals = read["goals"].as_array().unwrap();
    let steps = goals
        .iter()
        .flat_map(|g| g["steps"].as_array().unwrap())
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    (goals[0]["id"].as_str().unwrap().to_owned(), steps)
}

fn new_client(name: &str) -> Value {
    json!({"preferred_name": name, "legal_name": format!("{name} Example"), "date_of_birth": "2004-02-29"})
}

async fn api(t: &TestApp, token: &str, method: Method, path: &str, body: Option<Value>) -> Value {
    let mut request = t.http.request(method, t.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{path}: {status} {body}");
    body
}

/// Posts a form as `cookie`'s browser would, from our own origin.
async fn post_form(
    t: &TestApp,
    browser: &reqwest::Client,
    cookie: Option<&str>,
    path: &str,
    form: &[(&str, String)],
) -> Answer {
    let mut request = browser
        .post(t.url(path))
        .header(header::ORIGIN, &t.base)
        .form(form);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    answer(request).await
}

async fn answer(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    Answer {
        status,
        location,
        body: response.text().await.unwrap(),
    }
}

async fn world(engine: Engine) -> World {
    let t = TestApp::start(engine).await;
    let drop_in = (
        domain::case::ProgramCode::parse("drop-in").unwrap(),
        domain::case::ProgramName::parse("Drop-in").unwrap(),
    );
    assert!(t.app.add_program(&drop_in.0, &drop_in.1).await.unwrap());
    // A second program, for cases to move to.
    let housing = (
        domain::case::ProgramCode::parse("housing").unwrap(),
        domain::case::ProgramName::parse("Housing").unwrap(),
    );
    assert!(t.app.add_program(&housing.0, &housing.1).await.unwrap());
    let mut enrolled = BTreeMap::new();
    for (who, name, role) in [
        (Dan, "dan.analyst", Role::DataAnalyst),
        (Olu, "olu.outreach", Role::Outreach),
        (Ana, "ana.manager", Role::CaseManager),
        (Sue, "sue.supervisor", Role::Supervisor),
        (Tom, "tom.supervisor", Role::Supervisor),
        (Ada, "ada.admin", Role::Administrator),
    ] {
        enrolled.insert(who, (name, t.enrolled(name, role).await));
    }
    let ben = t.persona("ben.manager", Role::CaseManager).await;
    let val = t.persona("val.manager", Role::CaseManager).await;
    let callers: BTreeMap<Person, app::Caller> = enrolled
        .iter()
        .map(|(who, (_, (persona, _)))| (*who, persona.caller.clone()))
        .collect();
    let tokens: BTreeMap<Person, String> = enrolled
        .iter()
        .map(|(who, (_, (persona, _)))| (*who, persona.token.clone()))
        .collect();
    let caller = |who: Person| callers[&who].clone();
    let token = |who: Person| tokens[&who].clone();

    // The team North: Sue leads Olu, Ana, Ben and Tom.
    let north = t.app.create_team(&caller(Ada), "North").await.unwrap();
    let members = [
        (caller(Sue).id, true),
        (caller(Olu).id, false),
        (caller(Ana).id, false),
        (ben.caller.id, false),
        (caller(Tom).id, false),
    ];
    for (user, leads) in members {
        let ada = caller(Ada);
        t.app
            .put_team_member(&ada, north, user, leads)
            .await
            .unwrap();
    }

    // The clients, each with a screening and a determination recorded by someone assigned.
    let recorders = [
        (Rosa, "Rosa", token(Ana)),
        (Bea, "Bea", ben.token.clone()),
        (Cora, "Cora", val.token.clone()),
        (Dee, "Dee", val.token.clone()),
        (Rae, "Rae", token(Tom)),
        (Eve, "Eve", token(Sue)),
    ];
    let mut clients = BTreeMap::from([(Nobody, NOBODY.to_owned())]);
    let mut screenings = BTreeMap::from([(Nobody, NOBODY.to_owned())]);
    let mut determinations = BTreeMap::from([(Nobody, NOBODY.to_owned())]);
    let mut cases = BTreeMap::from([(Nobody, vec![NOBODY.to_owned()])]);
    let mut closed = BTreeMap::from([(Nobody, vec![NOBODY.to_owned()])]);
    let mut releases = BTreeMap::from([(Nobody, vec![NOBODY.to_owned()])]);
    let mut kept_release = BTreeMap::from([(Nobody, NOBODY.to_owned())]);
    let mut referrals = BTreeMap::from([(Nobody, vec![NOBODY.to_owned()])]);
    let mut goals = BTreeMap::from([(Nobody, vec![NOBODY.to_owned()])]);
    let mut steps = BTreeMap::from([(Nobody, vec![NOBODY.to_owned()])]);
    let partner = t.harbor_house(&caller(Sue)).await.to_string();
    for (target, name, by) in recorders {
        let made = api(
            &t,
            &by,
            Method::POST,
            "/api/v1/clients",
            Some(new_client(name)),
        )
        .await;
        let id = made["id"].as_str().unwrap().to_owned();
        let screening = json!({"instrument": "qyit-4", "answers": {"traded-sex": "yes"}});
        let path = format!("/api/v1/clients/{id}/screenings");
        let made = api(&t, &by, Method::POST, &path, Some(screening)).await;
        screenings.insert(target, made["id"].as_str().unwrap().to_owned());
        let determination = json!({"facts": {"actions": {"harboring": true}},
                                   "sources": {"actions.harboring": "own-account"}});
        let path = format!("/api/v1/clients/{id}/determinations");
        let made = api(&t, &by, Method::POST, &path, Some(determination)).await;
        determinations.insert(target, made["id"].as_str().unwrap().to_owned());
        // Enough open cases for every row that may close or move one of this client's.
        let mut open = Vec::new();
        for _ in 0..CASES_EACH {
            let today = domain::case::format_date(t.app.now().date());
            let case = json!({"program": "drop-in", "opened_on": today});
            let path = format!("/api/v1/clients/{id}/cases");
            let made = api(&t, &by, Method::POST, &path, Some(case)).await;
            open.push(made["id"].as_str().unwrap().to_owned());
        }
        cases.insert(target, open);
        // And closed ones, the person agreeing to follow-ups by text.
        let mut shut = Vec::new();
        for _ in 0..CLOSED_EACH {
            let today = domain::case::format_date(t.app.now().date());
            let case = json!({"program": "drop-in", "opened_on": today});
            let path = format!("/api/v1/clients/{id}/cases");
            let made = api(&t, &by, Method::POST, &path, Some(case)).await;
            let case = made["id"].as_str().unwrap().to_owned();
            let close = json!({"closed_on": today, "reason": "goals-met", "follow_up": "yes",
                               "reach_method": "text", "reach_how": "Texts only"});
            let path = format!("/api/v1/clients/{id}/cases/{case}/close");
            api(&t, &by, Method::POST, &path, Some(close)).await;
            shut.push(case);
        }
        closed.insert(target, shut);
        // Releases to withdraw, one kept, and referrals drafted under it to send.
        let today = domain::case::format_date(t.app.now().date());
        let path = format!("/api/v1/clients/{id}/releases");
        let mut given = Vec::new();
        for _ in 0..=RECORDS_EACH {
            let made = api(
                &t,
                &by,
                Method::POST,
                &path,
                Some(release(&partner, &today)),
            )
            .await;
            given.push(made["id"].as_str().unwrap().to_owned());
        }
        let kept = given.pop().unwrap();
        let path = format!("/api/v1/clients/{id}/referrals");
        let mut drafted = Vec::new();
        for _ in 0..RECORDS_EACH {
            let made = api(
                &t,
                &by,
                Method::POST,
                &path,
                Some(referral(&partner, &kept)),
            )
            .await;
            drafted.push(made["id"].as_str().unwrap().to_owned());
        }
        // A plan: goals with enough open steps for every row that moves one.
        let (goal, open) = plan(&t, &by, &id, &today).await;
        goals.insert(target, vec![goal]);
        steps.insert(target, open);
        releases.insert(target, given);
        kept_release.insert(target, kept);
        referrals.insert(target, drafted);
        clients.insert(target, id);
    }
    let client = |target: Target| clients[&target].parse::<domain::ClientId>().unwrap();
    // Sue puts herself, Olu and Ben on Rosa, and Tom on Bea.
    for (target, worker) in [
        (Rosa, caller(Sue).id),
        (Rosa, caller(Olu).id),
        (Rosa, ben.caller.id),
        (Bea, caller(Tom).id),
    ] {
        t.app
            .assign(&caller(Sue), client(target), worker)
            .await
            .unwrap();
    }

    // Everyone signs in, in the order of `Person` (each sign-in moves the clock on a minute; the
    // supervisors and the administrator last, so that their proof of who they are is still fresh
    // for the rows that need it).
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut people = BTreeMap::new();
    for (who, (name, (persona, key))) in enrolled {
        let mut web = Staff::new(&t);
        let signed = web.sign_in(name, &key).await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER, "{name}");
        let csrf = web.get("/app/account").await.csrf();
        let cookie = web.cookie.clone().unwrap();
        let member = Member {
            persona,
            key,
            cookie,
            csrf,
        };
        people.insert(who, member);
    }

    // Olu, Ana and Sue open Cora's record in an emergency, and Olu Rae's (before it is
    // restricted), through the emergency form.
    for (who, target) in [(Olu, Cora), (Ana, Cora), (Sue, Cora), (Olu, Rae)] {
        // A fresh code for each, as a person waits for the next one.
        t.clock.advance_seconds(30);
        let member = &people[&who];
        let form = [
            ("csrf", member.csrf.clone()),
            ("client", clients[&target].clone()),
            ("reason", REASON.to_owned()),
            ("password", STAFF_PASSWORD.to_owned()),
            ("code", member.key.code(t.unix_seconds())),
        ];
        let cookie = Some(member.cookie.as_str());
        let opened = post_form(&t, &browser, cookie, "/app/emergency", &form).await;
        assert_eq!(
            opened.status,
            StatusCode::SEE_OTHER,
            "{who:?}: {}",
            opened.body
        );
        assert!(opened.location.contains(&clients[&target]), "{who:?}");
    }
    // On to a step whose codes nobody has used.
    t.clock.advance_seconds(30);
    t.app
        .set_restricted(&caller(Tom), client(Rae), true)
        .await
        .unwrap();
    t.app.erase_client(&caller(Sue), client(Eve)).await.unwrap();

    // An emergency access Sue reviews (one of Olu's or Ana's: she leads them both).
    let reviews = browser
        .get(t.url("/app/reviews"))
        .header(header::COOKIE, &people[&Sue].cookie);
    let reviews = answer(reviews).await;
    let (_, rest) = reviews
        .body
        .split_once("action=\"/app/reviews/")
        .expect("a review waits for Sue");
    let review = rest.split('"').next().unwrap().to_owned();

    // A safe-contact request, claimed by Ana.
    let asked = domain::contact_request::RawContactRequest {
        alias: "Jo".to_owned(),
        reach: "Text 555-0123, say it is about the library book".to_owned(),
        ..Default::default()
    };
    let asked = asked.parse().unwrap();
    t.app.receive_contact_request(asked, "en").await.unwrap();
    let waiting = t.app.contact_requests(&caller(Ana)).await.unwrap();
    let request = waiting[0].id;
    t.app
        .claim_contact_request(&caller(Ana), request)
        .await
        .unwrap();

    let nobody = format!("/api/v1/clients/{NOBODY}");
    let api_missing = t.http.get(t.url(&nobody)).bearer_auth(token(Ana));
    let api_missing = answer(api_missing).await;
    assert_eq!(api_missing.status, StatusCode::NOT_FOUND);
    let page_missing = browser
        .get(t.url(&format!("/app/clients/{NOBODY}")))
        .header(header::COOKIE, &people[&Ana].cookie);
    let page_missing = answer(page_missing).await;
    assert_eq!(page_missing.status, StatusCode::NOT_FOUND);

    World {
        browser,
        members: people,
        ben: ben.caller.id.to_string(),
        tom: caller(Tom).id.to_string(),
        val: val.caller.id.to_string(),
        clients,
        screenings,
        determinations,
        cases,
        closed,
        releases,
        kept_release,
        referrals,
        goals,
        steps,
        used: std::sync::Mutex::default(),
        partner,
        partners_added: std::sync::atomic::AtomicUsize::default(),
        north: north.to_string(),
        request: request.to_string(),
        review,
        api_missing: api_missing.body,
        page_missing: page_missing.body,
        codes_used: std::sync::Mutex::default(),
        t,
    }
}

impl World {
    /// The address a row asks for, its placeholders filled for `target`.
    fn path(&self, template: &str, target: Target) -> String {
        let id = if target == Nobody {
            NOBODY
        } else if template.starts_with("/app/admin/teams/") {
            &self.north
        } else if template.starts_with("/app/admin/users/") {
            &self.val
        } else if template.starts_with("/app/requests/") {
            &self.request
        } else if template.starts_with("/app/reviews/") {
            &self.review
        } else {
            &self.clients[&target]
        };
        let mut path = template.replace("{id}", id);
        // Re-opening and follow-ups are about a closed case; closing and moving, an open one.
        let closed = template.ends_with("/reopen") || template.contains("/follow-ups");
        if closed {
            path = path.replace("{case}", &self.take("{closed}", &self.closed, target));
        }
        for (placeholder, pool) in [
            ("{case}", &self.cases),
            ("{release}", &self.releases),
            ("{referral}", &self.referrals),
            ("{goal}", &self.goals),
            ("{step}", &self.steps),
        ] {
            if path.contains(placeholder) {
                path = path.replace(placeholder, &self.take(placeholder, pool, target));
            }
        }
        path.replace("{screening}", &self.screenings[&target])
            .replace("{determination}", &self.determinations[&target])
            .replace("{instrument}", "qyit-4")
    }

    /// The next of `target`'s records in `pool` that no row has used yet (after the last, the
    /// first again: a row that reaches it is refused before it acts).
    fn take(
        &self,
        kind: &'static str,
        pool: &BTreeMap<Target, Vec<String>>,
        target: Target,
    ) -> String {
        let mut used = self.used.lock().unwrap();
        let next = used.entry((kind, target)).or_default();
        let records = &pool[&target];
        *next += 1;
        records[(*next - 1) % records.len()].clone()
    }

    /// Someone assigned to the client whom the form may name: one put there only to be taken
    /// off again where someone may do that, else whoever recorded them.
    fn assigned_to(&self, target: Target) -> String {
        match target {
            Rosa => self.ben.clone(),
            Bea | Rae => self.tom.clone(),
            Eve => self.members[&Sue].persona.caller.id.to_string(),
            Cora | Dee | Nobody => self.val.clone(),
        }
    }

    /// What a row sends: a body that would succeed for someone allowed.
    fn body(&self, route: &str, target: Target) -> Body {
        let form = |fields: &[(&'static str, &str)]| {
            Body::Form(fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect())
        };
        let today = domain::case::format_date(self.t.app.now().date());
        match route {
            "POST /api/v1/clients" => Body::Json(new_client("Lena")),
            "POST /api/v1/clients/duplicates" => Body::Json(json!({"name": "Rosa Example"})),
            "POST /api/v1/clients/{id}/notes" => Body::Json(json!({"text": "Met at the clinic."})),
            "POST /api/v1/clients/{id}/contacts" => Body::Json(json!({
                "occurred_at": self.t.app.now().rfc3339(), "method": "phone", "reached": false,
                "note": "No answer."})),
            "POST /api/v1/clients/{id}/needs" => Body::Json(json!({
                "assessed_on": domain::case::format_date(self.t.app.now().date()),
                "needs": {"housing": {"level": "urgent", "note": "Staying with a friend."}}})),
            "POST /api/v1/clients/{id}/cases" => {
                Body::Json(json!({"program": "drop-in", "opened_on": "2026-11-01"}))
            }
            "POST /api/v1/clients/{id}/screenings" => {
                Body::Json(json!({"instrument": "qyit-4", "answers": {"traded-sex": "yes"}}))
            }
            "POST /api/v1/clients/{id}/determinations" => {
                Body::Json(json!({"facts": {"actions": {"harboring": true}},
                       "sources": {"actions.harboring": "own-account"}}))
            }
            "POST /app/clients/{id}/notes" => form(&[("text", "Met at the clinic.")]),
            "PATCH /api/v1/clients/{id}" => {
                Body::Json(json!({"aliases": ["Ro"], "contact": "Text after 6 pm"}))
            }
            "POST /api/v1/clients/{id}/cases/{case}/close" => {
                Body::Json(json!({"closed_on": today, "reason": "goals-met"}))
            }
            "POST /api/v1/clients/{id}/cases/{case}/reopen" => {
                Body::Json(json!({"reopened_on": today}))
            }
            "POST /api/v1/clients/{id}/cases/{case}/follow-ups" => Body::Json(json!({
                "at": "3-months", "contact": {"occurred_at": self.t.app.now().rfc3339(),
                "method": "text", "reached": false}})),
            "POST /api/v1/clients/{id}/outcomes" => Body::Json(json!({
                "point": "intake", "assessed_on": today,
                "outcomes": {"safety": {"score": "3"}}})),
            "POST /api/v1/clients/{id}/releases" => Body::Json(release(&self.partner, &today)),
            "POST /api/v1/clients/{id}/releases/{release}/withdraw" => {
                Body::Json(json!({"how": "by-phone"}))
            }
            "POST /api/v1/clients/{id}/referrals" => {
                Body::Json(referral(&self.partner, &self.kept_release[&target]))
            }
            "POST /api/v1/clients/{id}/referrals/{referral}/steps" => {
                Body::Json(json!({"status": "sent"}))
            }
            "POST /api/v1/clients/{id}/plan/goals" => {
                Body::Json(json!({"words": "A home", "set_on": today}))
            }
            "POST /api/v1/clients/{id}/plan/goals/{goal}/steps" => {
                Body::Json(json!({"words": "Call", "owner": "worker", "target_on": today}))
            }
            "POST /api/v1/clients/{id}/plan/steps/{step}/status" => {
                Body::Json(json!({"status": "done"}))
            }
            "POST /api/v1/clients/{id}/plan/reviews" => Body::Json(json!({"reviewed_on": today})),
            "POST /app/clients/{id}/plan" => form(&[
                ("words", "A home"),
                ("need", ""),
                ("set_on", &today),
                ("step_words", ""),
                ("step_owner", "client"),
                ("step_partner", ""),
                ("step_target_on", ""),
            ]),
            "POST /app/clients/{id}/plan/goals/{goal}/steps" => form(&[
                ("words", "Call"),
                ("owner", "worker"),
                ("partner", ""),
                ("target_on", &today),
            ]),
            "POST /app/clients/{id}/plan/steps/{step}" => form(&[("status", "done")]),
            "POST /app/clients/{id}/plan/reviews" => form(&[
                ("reviewed_on", &today),
                ("note", ""),
                ("next_review_on", ""),
            ]),
            "POST /app/partners" => {
                let n = self
                    .partners_added
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                form(&[("name", &format!("Clinic {n}")), ("services", "B1")])
            }
            "POST /api/v1/partners" => {
                let n = self
                    .partners_added
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                Body::Json(json!({"name": format!("Clinic {n}"), "services": ["B1"]}))
            }
            "POST /api/v1/clients/{id}/cases/{case}/transfer" => {
                Body::Json(json!({"program": "housing", "transferred_on": today}))
            }
            "POST /app/clients/{id}/details" => form(&[
                ("preferred_name", &format!("{target:?}")),
                ("aliases", "Ro"),
                ("languages", "es, en"),
            ]),
            "POST /app/clients/{id}/cases" => {
                form(&[("program", "drop-in"), ("opened_on", &today)])
            }
            "POST /app/clients/{id}/cases/{case}/close" => {
                form(&[("closed_on", &today), ("reason", "goals-met")])
            }
            "POST /app/clients/{id}/cases/{case}/reopen" => form(&[("reopened_on", &today)]),
            "POST /app/clients/{id}/cases/{case}/follow-ups" => form(&[
                ("at", "3-months"),
                ("occurred_at", &self.t.app.now().rfc3339()[..16]),
                ("method", "text"),
                ("reached", "no"),
                ("note", ""),
            ]),
            "POST /app/clients/{id}/outcomes" => form(&[
                ("point", "intake"),
                ("assessed_on", &today),
                ("outcomes.safety.score", "3"),
                ("note", ""),
            ]),
            "POST /app/clients/{id}/cases/{case}/transfer" => {
                form(&[("program", "housing"), ("transferred_on", &today)])
            }
            "POST /api/v1/clients/{id}/services" => Body::Json(json!({
                "delivered_on": domain::case::format_date(self.t.app.now().date()),
                "code": "C1", "minutes": 30})),
            "POST /app/clients/{id}/services" => form(&[
                ("code", "B9"),
                (
                    "delivered_on",
                    &domain::case::format_date(self.t.app.now().date()),
                ),
                ("mode", "in-person"),
                ("minutes", ""),
                ("units", "1"),
                ("note", ""),
            ]),
            "POST /app/clients/{id}/contacts" => form(&[
                ("occurred_at", &self.t.app.now().rfc3339()[..16]),
                ("method", "phone"),
                ("reached", "no"),
                ("minutes", ""),
                ("present", ""),
                ("note", "No answer."),
            ]),
            "POST /app/clients/{id}/needs" => form(&[
                (
                    "assessed_on",
                    &domain::case::format_date(self.t.app.now().date()),
                ),
                ("needs.housing.level", "urgent"),
                ("needs.housing.note", "Staying with a friend."),
                ("needs.legal.level", ""),
                ("note", ""),
            ]),
            "POST /app/clients/{id}/safety" => form(&[("safe_contact", "After 6 pm")]),
            "POST /app/clients/{id}/releases" => form(&[
                ("partner", &self.partner),
                ("recipient", "Harbor House"),
                ("purpose", "A bed this week"),
                ("shares", "name"),
                ("method", "signed-on-screen"),
                ("cosigner", "none"),
                ("starts_on", &today),
                ("ends_on", ""),
            ]),
            "POST /app/clients/{id}/releases/{release}/withdraw" => form(&[("how", "in-person")]),
            "POST /app/clients/{id}/referrals" => form(&[
                ("partner", &self.partner),
                ("service", "C4"),
                ("shares", "name"),
                ("release", &self.kept_release[&target]),
                ("note", ""),
            ]),
            "POST /app/clients/{id}/referrals/{referral}/steps" => {
                form(&[("status", "sent"), ("note", "")])
            }
            "POST /app/clients/{id}/screenings" => {
                form(&[("instrument", "qyit-4"), ("item.traded-sex", "yes")])
            }
            "POST /app/clients/{id}/determinations" => form(&[
                ("fact.actions.harboring", "yes"),
                ("source.actions.harboring", "own-account"),
            ]),
            "POST /app/clients/{id}/assign" | "POST /app/clients/{id}/unassign" => {
                form(&[("user", &self.assigned_to(target))])
            }
            // Each restriction stays as it is: Rae's record restricted, the others not.
            "POST /app/clients/{id}/restrict" => {
                form(&[("restricted", if target == Rae { "yes" } else { "no" })])
            }
            "POST /app/emergency" => form(&[
                ("client", &self.clients[&target]),
                ("reason", REASON),
                ("password", STAFF_PASSWORD),
            ]),
            // Not Lena, whom the API rows record: a possible duplicate is asked about first.
            "POST /app/clients" => form(&[("preferred_name", "Noor")]),
            "POST /app/search" => form(&[("name", "Rosa")]),
            "POST /app/reviews/{id}" => form(&[("outcome", "justified")]),
            "POST /app/requests/{id}/close" => form(&[("outcome", "reached")]),
            "POST /app/admin/invite" => form(&[("role", "outreach")]),
            "POST /app/reports/file" => form(&[
                ("report", "ovc-ht"),
                ("from", "2026-10-01"),
                ("to", "2026-12-31"),
                ("mode", "public"),
                ("format", "csv"),
            ]),
            "POST /app/admin/teams" => form(&[("name", "South")]),
            "POST /app/account/time-zone" => form(&[("time_zone", "")]),
            "POST /app/admin/teams/{id}/members" => form(&[("user", &self.val)]),
            "POST /app/admin/teams/{id}/members/remove" => form(&[("user", &self.ben)]),
            _ if route.starts_with("POST /app/") => form(&[]),
            _ => Body::None,
        }
    }

    /// A code of `who`'s authenticator not used yet: when they used this step's already, the clock
    /// moves on to the next, as a person waits for a new code. (Moving it only then keeps the
    /// sessions of the others from idling out.)
    fn fresh_code(&self, who: Person, member: &Member) -> String {
        let mut used = self.codes_used.lock().unwrap();
        if used.get(&who) == Some(&(self.t.unix_seconds() / 30)) {
            self.t.clock.advance_seconds(30);
        }
        used.insert(who, self.t.unix_seconds() / 30);
        member.key.code(self.t.unix_seconds())
    }

    /// Asks `route` as `who` about `target`; `forged` sends a credential the server never issued.
    async fn ask(&self, route: &str, who: Person, target: Target, forged: bool) -> Answer {
        let (method, template) = route.split_once(' ').unwrap();
        let method: Method = method.parse().unwrap();
        let url = self.t.url(&self.path(template, target));
        let member = self.members.get(&who);
        let mut body = self.body(route, target);
        if template.starts_with("/api/") {
            let mut request = self.t.http.request(method, url);
            match (member, forged) {
                (Some(member), _) => request = request.bearer_auth(&member.persona.token),
                (None, true) => request = request.bearer_auth(FORGED_TOKEN),
                (None, false) => {}
            }
            if let Body::Json(json) = body {
                request = request.json(&json);
            }
            return answer(request).await;
        }
        let mut request = self.browser.request(method, url);
        match (member, forged) {
            (Some(member), _) => request = request.header(header::COOKIE, &member.cookie),
            (None, true) => {
                let cookie = format!("__Host-safeharbor={FORGED_TOKEN}");
                request = request.header(header::COOKIE, cookie);
            }
            (None, false) => {}
        }
        if let Body::Form(fields) = &mut body {
            if let Some(member) = member {
                fields.push(("csrf", member.csrf.clone()));
                if route == "POST /app/emergency" {
                    fields.push(("code", self.fresh_code(who, member)));
                }
            }
            request = request.header(header::ORIGIN, &self.t.base).form(fields);
        }
        answer(request).await
    }

    /// The answer about a record that does not exist, which a refusal about `target` must equal
    /// (P7): on a route that names a record (in its address, or the emergency form's), what the
    /// same person gets there for an id that is no one's; elsewhere, and for that id itself, the
    /// answer about a client (or page) that is not there at all.
    async fn missing(&self, route: &str, who: Person, target: Target, forged: bool) -> String {
        let emergency = route == "POST /app/emergency";
        if emergency || (route.contains('{') && target != Nobody) {
            self.ask(route, who, Nobody, forged).await.body
        } else if route.contains(" /api/") {
            self.api_missing.clone()
        } else {
            self.page_missing.clone()
        }
    }

    /// `body` with every record id of the world written `{id}`: a form that comes back shows the
    /// reference typed into it, which is no answer about the record.
    fn anonymised(&self, body: &str) -> String {
        let ids = self.clients.values().map(String::as_str);
        ids.chain([NOBODY])
            .fold(body.to_owned(), |body, id| body.replace(id, "{id}"))
    }

    /// Asks one row and says how its answer differs from `want`, if it does.
    async fn check(&self, route: &str, who: Person, target: Target, want: Want) -> Option<String> {
        let tries: &[bool] = if who == Anonymous {
            &[false, true]
        } else {
            &[false]
        };
        for &forged in tries {
            let got = self.ask(route, who, target, forged).await;
            let location = got.location.as_str();
            let ok = match want {
                S200 => got.status == StatusCode::OK,
                S201 => got.status == StatusCode::CREATED,
                S204 => got.status == StatusCode::NO_CONTENT,
                S303 => {
                    got.status == StatusCode::SEE_OTHER
                        && location != "/login"
                        && !location.starts_with("/app/reauth")
                }
                Login => got.status == StatusCode::SEE_OTHER && location == "/login",
                S401 => got.status == StatusCode::UNAUTHORIZED,
                S403 => got.status == StatusCode::FORBIDDEN,
                S404 => {
                    got.status == StatusCode::NOT_FOUND
                        && self.anonymised(&got.body)
                            == self.anonymised(&self.missing(route, who, target, forged).await)
                }
                S409 => got.status == StatusCode::CONFLICT,
            };
            if !ok {
                let forged = if forged { "(forged credential) " } else { "" };
                let start = gist(&got.body);
                return Some(format!(
                    "{forged}want {want:?}, got {} {location} {start}",
                    got.status
                ));
            }
        }
        None
    }
}

/// An answer's body in brief, for a failure's message: a page's title and first paragraph, or
/// the start of a JSON body.
fn gist(body: &str) -> String {
    let between = |open: &str, close: &str| {
        let (_, rest) = body.split_once(open)?;
        Some(rest.split(close).next()?.trim().to_owned())
    };
    match (between("<title>", "<"), between("<p>", "</p>")) {
        (Some(title), paragraph) => format!("{title}: {}", paragraph.unwrap_or_default()),
        _ => body.chars().take(200).collect(),
    }
}

/// One row of either matrix: route, who, about whom, what they must get.
struct Row {
    route: &'static str,
    /// The column's words for who asks (about whom).
    column: &'static str,
    who: Person,
    target: Target,
    want: Want,
}

fn rows() -> Vec<Row> {
    let about_a_client = ABOUT_A_CLIENT.iter().flat_map(|(route, wants)| {
        CLIENT_COLUMNS
            .iter()
            .zip(wants)
            .map(|(&(who, target, column), &want)| Row {
                route,
                column,
                who,
                target,
                want,
            })
    });
    let by_role = BY_ROLE.iter().flat_map(|(route, wants)| {
        ROLE_COLUMNS
            .iter()
            .zip(wants)
            .map(|(&(who, column), &want)| Row {
                route,
                column,
                who,
                // Unused: these routes name no client.
                target: Rosa,
                want,
            })
    });
    about_a_client.chain(by_role).collect()
}

fn succeeds(want: Want) -> bool {
    matches!(want, S200 | S201 | S204 | S303)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_every_person_in_every_standing_as_typed_by_hand() {
    let rows = rows();
    // The routes in the order typed, each with its rows: refusals first (they change nothing),
    // then successes in the order typed.
    let mut routes: Vec<&str> = Vec::new();
    for row in &rows {
        if !routes.contains(&row.route) {
            routes.push(row.route);
        }
    }
    for engine in engines() {
        let mut failures = Vec::new();
        let shared = world(engine).await;
        for route in &routes {
            let own;
            let w = if CHANGES_THE_WORLD.contains(route) {
                own = world(engine).await;
                &own
            } else {
                &shared
            };
            let of_route = rows.iter().filter(|r| r.route == *route);
            let (good, bad): (Vec<&Row>, Vec<&Row>) = of_route.partition(|r| succeeds(r.want));
            for row in bad.into_iter().chain(good) {
                if let Some(failure) = w.check(row.route, row.who, row.target, row.want).await {
                    let (route, column) = (row.route, row.column);
                    failures.push(format!("{engine:?}: {route} as {column}: {failure}"));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} rows disagree with the server:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}

/// The routes of the matrix, as `METHOD /path/{template}`.
fn routes_in_the_matrix() -> BTreeSet<String> {
    rows().iter().map(|r| r.route.to_owned()).collect()
}

fn source(relative: &str) -> String {
    let path = format!("{}/../{relative}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The string literals that start with `/` in `text`.
fn paths_in(text: &str) -> Vec<String> {
    text.split("\"/")
        .skip(1)
        .filter_map(|rest| rest.split_once('"'))
        .map(|(path, _)| format!("/{path}"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_the_server_serves_is_in_the_matrix() {
    let t = TestApp::start(Engine::Sqlite).await;
    let in_matrix = routes_in_the_matrix();
    let exempt: BTreeSet<String> = NOT_IN_THE_MATRIX
        .iter()
        .map(|(route, _)| (*route).to_owned())
        .collect();
    let mut missing = Vec::new();

    // The API: every operation of the OpenAPI document, and the document itself.
    let doc: Value = t
        .http
        .get(t.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut documented = BTreeSet::from(["GET /api/v1/openapi.json".to_owned()]);
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for method in operations.as_object().unwrap().keys() {
            documented.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    // Every path the API's router names is in the document...
    let api_paths: BTreeSet<String> = documented
        .iter()
        .map(|r| r.split_once(' ').unwrap().1.to_owned())
        .collect();
    for path in paths_in(&source("web/src/api/mod.rs")) {
        let path = format!("/api/v1{path}");
        assert!(api_paths.contains(&path), "{path} is not documented");
    }
    // ...and answers no method the document leaves out.
    let methods = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
    ];
    for path in &api_paths {
        for method in &methods {
            let route = format!("{method} {path}");
            let url = t.url(&path.replace("{id}", NOBODY));
            let status = t.http.request(method.clone(), url).send().await.unwrap();
            let served = status.status() != StatusCode::METHOD_NOT_ALLOWED;
            assert_eq!(served, documented.contains(&route), "{route}");
        }
    }
    missing.extend(
        documented
            .iter()
            .filter(|r| !in_matrix.contains(*r))
            .cloned(),
    );

    // The staff pages: every address in links.rs (the staff router names no other: checked
    // below), with every method the router answers on it.
    let links = source("web/src/staff/links.rs");
    let consts = links
        .lines()
        .filter(|line| line.starts_with("pub(crate) const ") && line.contains(": &str = \"/"));
    let staff_paths: Vec<String> = consts.flat_map(paths_in).collect();
    assert!(staff_paths.len() > 40, "{staff_paths:?}");
    let dir = format!("{}/../web/src/staff", env!("CARGO_MANIFEST_DIR"));
    for file in std::fs::read_dir(&dir).unwrap() {
        let file = file.unwrap().path();
        let text = std::fs::read_to_string(&file).unwrap();
        for (_, rest) in text
            .match_indices(".route(")
            .map(|(at, _)| text.split_at(at))
        {
            let argument = rest[".route(".len()..].trim_start();
            assert!(
                argument.starts_with("links::") || argument.starts_with("assets::"),
                "{}: a staff route not named in links.rs: {}",
                file.display(),
                &argument[..argument.len().min(60)]
            );
        }
    }
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut served = BTreeSet::new();
    for path in &staff_paths {
        // Every placeholder gets an id that is well formed, so that the route is reached.
        let filled = [
            "{id}",
            "{token}",
            "{instrument}",
            "{screening}",
            "{determination}",
            "{case}",
            "{release}",
            "{referral}",
            "{goal}",
            "{step}",
        ]
        .iter()
        .fold(path.clone(), |path, placeholder| {
            path.replace(placeholder, NOBODY)
        });
        assert!(!filled.contains('{'), "{path}: a placeholder to fill");
        let url = t.url(&filled);
        for method in &methods {
            let request = browser
                .request(method.clone(), &url)
                .header(header::ORIGIN, &t.base);
            let status = request.send().await.unwrap().status();
            // (A 404 to someone not signed in would hide a route: no staff route answers so.)
            if status != StatusCode::METHOD_NOT_ALLOWED && status != StatusCode::NOT_FOUND {
                served.insert(format!("{method} {path}"));
            }
        }
    }
    for route in &served {
        if !in_matrix.contains(route) && !exempt.contains(route) {
            missing.push(route.clone());
        }
    }
    assert!(
        missing.is_empty(),
        "routes the server serves with no row in the matrix: {missing:?}"
    );
    // Nothing in the matrix is a route the server does not serve.
    for route in &in_matrix {
        assert!(
            documented.contains(route) || served.contains(route),
            "{route} is not served"
        );
    }
}
