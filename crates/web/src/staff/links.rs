//! Every address of the staff pages, in one place: the router's patterns and the links pages
//! write. A link is made from its route's pattern, so the two cannot drift apart.

use std::fmt::Display;

use domain::{ClientId, ContactRequestId, DeterminationId, EmergencyAccessId, ScreeningId};
use domain::{TeamId, UserId};

pub(crate) const LOGIN: &str = "/login";
pub(crate) const LOGOUT: &str = "/logout";
/// Where a sign-up link leads (`{token}` is the link's secret).
pub(crate) const SETUP: &str = "/login/setup/{token}";
pub(crate) const SETUP_CONFIRM: &str = "/login/setup/{token}/confirm";

/// The staff application's root, which sends on to `HOME`.
pub(crate) const APP: &str = "/app";
/// The caseload, or the start page of a role that keeps none.
pub(crate) const HOME: &str = "/app/";
pub(crate) const SEARCH: &str = "/app/search";
/// Where the intake form posts.
pub(crate) const CLIENTS: &str = "/app/clients";
pub(crate) const NEW_CLIENT: &str = "/app/clients/new";
/// Reports for funders, on screen; and where a report's file is asked for.
pub(crate) const REPORTS: &str = "/app/reports";
pub(crate) const REPORT_FILE: &str = "/app/reports/file";

pub(crate) const CLIENT: &str = "/app/clients/{id}";
pub(crate) const NOTES: &str = "/app/clients/{id}/notes";
pub(crate) const CONTACTS: &str = "/app/clients/{id}/contacts";
pub(crate) const SERVICES: &str = "/app/clients/{id}/services";
pub(crate) const NEEDS: &str = "/app/clients/{id}/needs";
/// The service plan, and where a new goal is posted.
pub(crate) const PLAN: &str = "/app/clients/{id}/plan";
pub(crate) const PLAN_STEPS: &str = "/app/clients/{id}/plan/goals/{goal}/steps";
pub(crate) const PLAN_STEP: &str = "/app/clients/{id}/plan/steps/{step}";
pub(crate) const PLAN_REVIEWS: &str = "/app/clients/{id}/plan/reviews";
pub(crate) const ACCESS_LOG: &str = "/app/clients/{id}/access";
pub(crate) const SAFETY: &str = "/app/clients/{id}/safety";
pub(crate) const DETAILS: &str = "/app/clients/{id}/details";
pub(crate) const CASES: &str = "/app/clients/{id}/cases";
pub(crate) const CASE_CLOSE: &str = "/app/clients/{id}/cases/{case}/close";
pub(crate) const CASE_TRANSFER: &str = "/app/clients/{id}/cases/{case}/transfer";
pub(crate) const CASE_REOPEN: &str = "/app/clients/{id}/cases/{case}/reopen";
pub(crate) const CASE_FOLLOW_UPS: &str = "/app/clients/{id}/cases/{case}/follow-ups";
pub(crate) const CASE_WITHDRAW: &str = "/app/clients/{id}/cases/{case}/follow-ups/withdraw";
pub(crate) const OUTCOMES: &str = "/app/clients/{id}/outcomes";
pub(crate) const REFERRALS: &str = "/app/clients/{id}/referrals";
pub(crate) const REFERRAL_STEPS: &str = "/app/clients/{id}/referrals/{referral}/steps";
pub(crate) const REFERRAL_SHEET: &str = "/app/clients/{id}/referrals/{referral}/sheet";
pub(crate) const RELEASES: &str = "/app/clients/{id}/releases";
pub(crate) const RELEASE_WITHDRAW: &str = "/app/clients/{id}/releases/{release}/withdraw";
pub(crate) const SCREENINGS: &str = "/app/clients/{id}/screenings";
pub(crate) const NEW_SCREENING: &str = "/app/clients/{id}/screenings/new";
pub(crate) const SCREENING_FORM: &str = "/app/clients/{id}/screenings/new/{instrument}";
pub(crate) const SCREENING: &str = "/app/clients/{id}/screenings/{screening}";
pub(crate) const DETERMINATIONS: &str = "/app/clients/{id}/determinations";
pub(crate) const WORKSHEET: &str = "/app/clients/{id}/determinations/new";
pub(crate) const DETERMINATION: &str = "/app/clients/{id}/determinations/{determination}";
pub(crate) const ASSIGN: &str = "/app/clients/{id}/assign";
pub(crate) const UNASSIGN: &str = "/app/clients/{id}/unassign";
pub(crate) const RESTRICT: &str = "/app/clients/{id}/restrict";

pub(crate) const PARTNERS: &str = "/app/partners";
/// My work: what is due in one's caseload, and the referrals that wait too long.
pub(crate) const WORK: &str = "/app/work";
pub(crate) const TEAM: &str = "/app/team";
pub(crate) const TEAMS: &str = "/app/admin/teams";
pub(crate) const TEAM_MEMBERS: &str = "/app/admin/teams/{id}/members";
pub(crate) const TEAM_MEMBERS_REMOVE: &str = "/app/admin/teams/{id}/members/remove";

pub(crate) const PASSKEY: &str = "/app/passkey";
pub(crate) const REAUTH: &str = "/app/reauth";
pub(crate) const EMERGENCY: &str = "/app/emergency";
pub(crate) const REVIEWS: &str = "/app/reviews";
pub(crate) const REVIEW: &str = "/app/reviews/{id}";

pub(crate) const REQUESTS: &str = "/app/requests";
pub(crate) const REQUEST: &str = "/app/requests/{id}";
pub(crate) const REQUEST_CLAIM: &str = "/app/requests/{id}/claim";
pub(crate) const REQUEST_TO_CLIENT: &str = "/app/requests/{id}/client";
pub(crate) const REQUEST_CLOSE: &str = "/app/requests/{id}/close";

pub(crate) const AUDIT: &str = "/app/audit";
pub(crate) const ADMIN: &str = "/app/admin";
pub(crate) const INVITE: &str = "/app/admin/invite";
pub(crate) const USER_LINK: &str = "/app/admin/users/{id}/link";
pub(crate) const USER_DISABLE: &str = "/app/admin/users/{id}/disable";
pub(crate) const USER_ENABLE: &str = "/app/admin/users/{id}/enable";
pub(crate) const ACCOUNT: &str = "/app/account";
pub(crate) const SIGN_OUT_EVERYWHERE: &str = "/app/account/sign-out-everywhere";
pub(crate) const TIME_ZONE: &str = "/app/account/time-zone";

pub(crate) const STYLESHEET: &str = "/assets/staff.css";

/// `pattern` with its `placeholder` (such as `{id}`) replaced by `value`.
fn fill(pattern: &str, placeholder: &str, value: impl Display) -> String {
    pattern.replacen(placeholder, &value.to_string(), 1)
}

pub(crate) fn setup(token: &str) -> String {
    fill(SETUP, "{token}", token)
}

pub(crate) fn setup_confirm(token: &str) -> String {
    fill(SETUP_CONFIRM, "{token}", token)
}

pub(crate) fn client(id: ClientId) -> String {
    fill(CLIENT, "{id}", id)
}

/// A client's id as someone typed or pasted it: alone, or the whole address of their page.
pub(crate) fn client_reference(typed: &str) -> Option<ClientId> {
    typed
        .trim()
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .and_then(|id| id.parse().ok())
}

/// A part of a client's page (`notes`, `contacts`, `services`, `assigned`, `screenings`,
/// `determinations`).
pub(crate) fn client_section(id: ClientId, section: &str) -> String {
    format!("{}#{section}", client(id))
}

/// A page or form about one client: `pattern` is one of the `/app/clients/{id}/...` above.
pub(crate) fn of_client(pattern: &str, id: ClientId) -> String {
    fill(pattern, "{id}", id)
}

/// A link to one of a client's records: `pattern` with the client and `placeholder` (such as
/// `{referral}`) filled.
pub(crate) fn of_client_record(
    pattern: &str,
    client: ClientId,
    placeholder: &str,
    record: impl Display,
) -> String {
    fill(&of_client(pattern, client), placeholder, record)
}

pub(crate) fn screening_form(id: ClientId, instrument: &str) -> String {
    fill(&of_client(SCREENING_FORM, id), "{instrument}", instrument)
}

pub(crate) fn screening(id: ClientId, screening: ScreeningId) -> String {
    fill(&of_client(SCREENING, id), "{screening}", screening)
}

pub(crate) fn determination(id: ClientId, determination: DeterminationId) -> String {
    fill(
        &of_client(DETERMINATION, id),
        "{determination}",
        determination,
    )
}

pub(crate) fn team_members(team: TeamId) -> String {
    fill(TEAM_MEMBERS, "{id}", team)
}

pub(crate) fn team_members_remove(team: TeamId) -> String {
    fill(TEAM_MEMBERS_REMOVE, "{id}", team)
}

pub(crate) fn review(id: EmergencyAccessId) -> String {
    fill(REVIEW, "{id}", id)
}

pub(crate) fn request(id: ContactRequestId) -> String {
    fill(REQUEST, "{id}", id)
}

pub(crate) fn user_link(id: UserId) -> String {
    fill(USER_LINK, "{id}", id)
}

/// Where an administrator switches an account off (or, when `disabled`, on again).
pub(crate) fn user_switch(id: UserId, disabled: bool) -> String {
    fill(
        if disabled { USER_ENABLE } else { USER_DISABLE },
        "{id}",
        id,
    )
}

/// Only our own staff pages are places to go back to.
pub(crate) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with(HOME)
                && !path.contains("//")
                && !path.contains('\\')
                && path.chars().all(|c| c.is_ascii_graphic()) =>
        {
            path.to_owned()
        }
        _ => HOME.to_owned(),
    }
}

/// The page that asks someone to prove again who they are, and then sends them back to `here`.
pub(crate) fn reauth_then(here: &str) -> String {
    format!("{REAUTH}?next={}", safe_next(Some(here)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_own_pages_are_places_to_go_back_to() {
        assert_eq!(safe_next(Some("/app/admin/teams")), "/app/admin/teams");
        for bad in [
            "https://evil.example/",
            "//evil.example/app/",
            "/app/\\evil",
            "/login",
            "/app/ x",
        ] {
            assert_eq!(safe_next(Some(bad)), "/app/", "{bad}");
        }
        assert_eq!(safe_next(None), "/app/");
    }

    #[test]
    fn a_reference_is_an_id_or_an_address_ending_in_one() {
        let id = "8f0c1f8e-3b5a-4d55-9a43-5f6f0b9f7a10";
        let parsed: ClientId = id.parse().unwrap();
        for typed in [
            id.to_owned(),
            format!(" https://harbor.example/app/clients/{id}/ "),
        ] {
            assert_eq!(client_reference(&typed), Some(parsed));
        }
        assert_eq!(client_reference("Rosa"), None);
    }

    #[test]
    fn links_fill_every_part_of_their_pattern() {
        let id: ClientId = "8f0c1f8e-3b5a-4d55-9a43-5f6f0b9f7a10".parse().unwrap();
        assert_eq!(
            client_section(id, "notes"),
            "/app/clients/8f0c1f8e-3b5a-4d55-9a43-5f6f0b9f7a10#notes"
        );
        assert_eq!(
            screening_form(id, "sscst-6"),
            "/app/clients/8f0c1f8e-3b5a-4d55-9a43-5f6f0b9f7a10/screenings/new/sscst-6"
        );
        assert_eq!(setup("abc"), "/login/setup/abc");
        assert_eq!(reauth_then("/app/admin"), "/app/reauth?next=/app/admin");
    }
}
