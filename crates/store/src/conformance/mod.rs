//! The storage conformance suite: what every engine must do, checked against a real database.
//! An engine crate implements `Harness` and expands `conformance_tests!` in its tests, so each
//! check is a named test on every engine (STYLE.md 11).

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use domain::audit::{Actor, AuditAction, NewAuditEvent};
use domain::{ClientId, Role, Timestamp, TokenId, UserId};
use rand::{Rng, SeedableRng};

use crate::rows::{CaseloadPage, ClientRow, NoteRow, TokenRow, UserRow};
use crate::{KeyStore, Store};

mod access;
mod audit;
mod backups;
mod casework;
mod closures;
mod erasure;
mod plans;
mod recovery;
mod reports;
mod schema;
mod staff;
mod timeline;

pub use access::*;
pub use audit::*;
pub use backups::*;
pub use casework::*;
pub use closures::*;
pub use erasure::*;
pub use plans::*;
pub use recovery::*;
pub use reports::*;
pub use schema::*;
pub use staff::*;
pub use timeline::*;

/// The PostgreSQL test server's URL. Without one the PostgreSQL tests do nothing, unless the run
/// requires them (`SAFEHARBOR_REQUIRE_POSTGRES`, which `scripts/test` sets whenever it has a
/// server): then a missing URL fails instead of passing having run nothing. Every test on
/// PostgreSQL asks here, the conformance suite's and the server's.
pub fn test_database_url() -> Option<String> {
    let url = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let required = std::env::var_os("SAFEHARBOR_REQUIRE_POSTGRES").is_some();
    assert!(
        url.is_some() || !required,
        "SAFEHARBOR_REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not"
    );
    url
}

/// Gives each test a fresh, migrated, empty instance of the engine.
pub trait Harness {
    fn fresh(&self) -> impl std::future::Future<Output = (Store, KeyStore)> + Send;
}

const T0: Timestamp = Timestamp::from_unix_millis(1_780_000_000_000);

fn rng() -> rand::rngs::StdRng {
    rand::rngs::StdRng::seed_from_u64(7)
}

fn user(rng: &mut impl Rng, name: &str, role: Role) -> UserRow {
    UserRow {
        id: UserId::from_random(rng.r#gen()),
        username: name.into(),
        role,
        created_at: T0,
        disabled_at: None,
    }
}

fn client(rng: &mut impl Rng, by: &UserRow) -> ClientRow {
    ClientRow {
        id: ClientId::from_random(rng.r#gen()),
        created_at: T0,
        created_by: Actor::User(by.id).encode(),
        preferred_name: Some(vec![1, 2, 3]),
        legal_name: Some(vec![4, 5]),
        date_of_birth: None,
        contact: Some(vec![6]),
        languages: None,
        aliases: Some(vec![9]),
        gender: Some("woman".into()),
        age_band: None,
        trafficking_type: Some("sex".into()),
        citizenship: None,
        referral_source: Some("hotline".into()),
        age_at_intake: None,
        name_index: Some("name-idx".into()),
        dob_index: Some("dob-idx".into()),
        safety: Some(vec![7, 8]),
        alias_index: Some("alias-idx".into()),
        erased_at: None,
        restricted: false,
    }
}

fn page(user: UserId, limit: i64, offset: i64) -> CaseloadPage {
    CaseloadPage {
        user,
        limit,
        offset,
    }
}

fn event(action: AuditAction) -> NewAuditEvent {
    NewAuditEvent {
        at: T0,
        actor: Actor::Operator,
        action,
        target: None,
        purpose: "test".into(),
    }
}

const AUDIT_KEY: crypto::SecretKey = crypto::SecretKey::from_bytes([5; 32]);

/// Seeds a small but complete instance: two users, a token, clients, an assignment, a case, a
/// note and audit events.
async fn seed(store: &Store) -> (UserRow, UserRow, ClientRow) {
    let mut rng = rng();
    let a = user(&mut rng, "ana", Role::CaseManager);
    let b = user(&mut rng, "ben", Role::CaseManager);
    let c = client(&mut rng, &a);
    let mut tx = store.write().await.unwrap();
    tx.insert_user(&a).await.unwrap();
    tx.insert_user(&b).await.unwrap();
    let token = TokenRow {
        id: TokenId::from_random(rng.r#gen()),
        user_id: a.id,
        label: "t".into(),
        created_at: T0,
        expires_at: T0.plus_days(30),
        revoked_at: None,
    };
    tx.insert_token(&token, &[9; 32]).await.unwrap();
    tx.insert_client(&c).await.unwrap();
    tx.assign(c.id, a.id, T0).await.unwrap();
    add_case_work(&mut tx, c.id, a.id, &mut rng).await;
    tx.append_audit(&event(AuditAction::ClientCreate), &AUDIT_KEY)
        .await
        .unwrap();
    tx.append_audit(&event(AuditAction::NoteCreate), &AUDIT_KEY)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (a, b, c)
}

/// Gives `client` a note, a contact, a needs assessment, a case, a screening and an edit of their
/// details, recorded by `by`, each with something sealed.
async fn add_case_work(tx: &mut crate::Tx, client: ClientId, by: UserId, rng: &mut impl Rng) {
    let me = Actor::User(by).encode();
    tx.insert_note(&NoteRow {
        id: domain::NoteId::from_random(rng.r#gen()),
        client_id: client,
        author: me.clone(),
        created_at: T0,
        kind: "general".into(),
        body: Some(vec![7; 40]),
    })
    .await
    .unwrap();
    let tried = contact(client, by, rng.r#gen(), T0, false);
    tx.insert_contact(&tried).await.unwrap();
    tx.insert_service(&service(client, by, rng.r#gen(), T0))
        .await
        .unwrap();
    tx.insert_needs_assessment(&needs(client, by, rng.r#gen(), "2026-05-28", T0))
        .await
        .unwrap();
    let case = domain::CaseId::from_random(rng.r#gen());
    tx.insert_case(&crate::rows::CaseRow {
        id: case,
        client_id: client,
        program: "Drop-in".into(),
        opened_on: "2026-01-02".into(),
        closed_on: None,
        assigned_to: Some(by),
        created_at: T0,
        transferred_from: None,
    })
    .await
    .unwrap();
    // The case closed with follow-ups agreed, one tried, and re-opened; an outcome assessment
    // with two scores.
    let closed = crate::rows::ClosureRow {
        reopened: Some(crate::rows::Reopening {
            on: "2026-06-01".into(),
            by: me.clone(),
            at: T0,
        }),
        ..closure(client, case, by, rng.r#gen(), "2026-03-01")
    };
    tx.insert_closure(&closed).await.unwrap();
    tx.insert_follow_up(&follow_up(&closed, "3-months", &tried, rng.r#gen()))
        .await
        .unwrap();
    tx.insert_outcome_assessment(&outcomes(client, by, rng.r#gen(), "intake", "2026-01-02"))
        .await
        .unwrap();
    tx.insert_screening(&crate::rows::ScreeningRow {
        id: domain::ScreeningId::from_random(rng.r#gen()),
        client_id: client,
        instrument: "qyit-4".into(),
        instrument_version: "1.0.0".into(),
        answers: Some(vec![8; 30]),
        score: Some(1),
        result: Some("positive".into()),
        screened_by: me.clone(),
        created_at: T0,
    })
    .await
    .unwrap();
    tx.insert_client_change(&client_change(client, &me, rng.r#gen(), T0))
        .await
        .unwrap();
    let id: [u8; 16] = rng.r#gen();
    let partner = partner(
        id,
        &format!("Partner {}", domain::PartnerId::from_random(id)),
    );
    assert!(tx.insert_partner(&partner).await.unwrap());
    let release = release(client, partner.id, by, rng.r#gen());
    tx.insert_release(&release).await.unwrap();
    let (referral, drafted) = referral(client, partner.id, Some(release.id), by, rng.r#gen());
    tx.insert_referral(&referral, &drafted).await.unwrap();
    let sent = referral_step(&referral, "sent", T0.plus_days(1), rng.r#gen());
    assert!(tx.step_referral("drafted", &sent).await.unwrap());
    plans::add_plan(tx, client, by, Some(partner.id), rng).await;
}

/// A partner named `name`, offering shelter and counseling.
fn partner(id: [u8; 16], name: &str) -> crate::rows::PartnerRow {
    crate::rows::PartnerRow {
        id: domain::PartnerId::from_random(id),
        name: name.to_owned(),
        services: "C4,B1".into(),
        languages: "Spanish\nTagalog".into(),
        area: Some("Cook County".into()),
        safe_contact: Some("Intake line, ask for the advocate".into()),
        created_by: "operator".into(),
        created_at: T0,
    }
}

/// A release `client` gave for `partner` (recorded by `by`), its words sealed, for 90 days.
fn release(
    client: ClientId,
    partner: domain::PartnerId,
    by: UserId,
    id: [u8; 16],
) -> crate::rows::ReleaseRow {
    crate::rows::ReleaseRow {
        id: domain::ReleaseId::from_random(id),
        client_id: client,
        partner_id: Some(partner),
        author: Actor::User(by).encode(),
        created_at: T0,
        recipient: Some(vec![id[0]; 20]),
        purpose: Some(vec![id[1]; 30]),
        shares: "name,needs".into(),
        method: "verbal-with-witness".into(),
        witness: Some(vec![id[2]; 10]),
        cosigner: "none".into(),
        starts_on: "2026-05-28".into(),
        ends_on: "2026-08-25".into(),
        withdrawn: None,
    }
}

/// A referral of `client` to `partner`, drafted by `by` at `T0` with a sealed note, and its first
/// step.
fn referral(
    client: ClientId,
    partner: domain::PartnerId,
    release: Option<domain::ReleaseId>,
    by: UserId,
    id: [u8; 16],
) -> (crate::rows::ReferralRow, crate::rows::ReferralStepRow) {
    let row = crate::rows::ReferralRow {
        id: domain::ReferralId::from_random(id),
        client_id: client,
        partner_id: partner,
        release_id: release,
        author: Actor::User(by).encode(),
        created_at: T0,
        service: "C4".into(),
        shares: "name,needs".into(),
        status: "drafted".into(),
        status_at: T0,
        note: Some(vec![id[3]; 25]),
    };
    let first = referral_step(&row, "drafted", T0, [id[4]; 16]);
    (row, first)
}

/// A step of `referral` to `status` at `at`, with a sealed note.
fn referral_step(
    referral: &crate::rows::ReferralRow,
    status: &str,
    at: Timestamp,
    id: [u8; 16],
) -> crate::rows::ReferralStepRow {
    crate::rows::ReferralStepRow {
        id: domain::ReferralStepId::from_random(id),
        referral_id: referral.id,
        client_id: referral.client_id,
        status: status.to_owned(),
        at,
        author: referral.author.clone(),
        note: Some(vec![id[5]; 12]),
    }
}

/// An edit of `client`'s details by `author` at `at`: two fields changed, their old values sealed.
fn client_change(
    client: ClientId,
    author: &str,
    id: [u8; 16],
    at: Timestamp,
) -> crate::rows::ClientChangeRow {
    crate::rows::ClientChangeRow {
        id: domain::ClientChangeId::from_random(id),
        client_id: client,
        author: author.to_owned(),
        changed_at: at,
        fields: "legal_name,aliases".into(),
        previous: Some(vec![id[0]; 24]),
    }
}

/// A contact with `client` logged by `by` at `at` (reached or an attempt), with something sealed
/// in who was there and the note.
fn contact(
    client: ClientId,
    by: UserId,
    id: [u8; 16],
    at: Timestamp,
    reached: bool,
) -> crate::rows::ContactRow {
    crate::rows::ContactRow {
        id: domain::ContactId::from_random(id),
        client_id: client,
        author: Actor::User(by).encode(),
        created_at: at,
        occurred_at: at,
        method: "phone".into(),
        reached,
        minutes: reached.then_some(20),
        present: Some(vec![id[0]; 12]),
        note: Some(vec![id[0]; 30]),
    }
}

/// A service (individual counseling by phone, 50 minutes) given `client` by `by`, recorded at
/// `at`, with a sealed note.
fn service(client: ClientId, by: UserId, id: [u8; 16], at: Timestamp) -> crate::rows::ServiceRow {
    crate::rows::ServiceRow {
        id: domain::ServiceId::from_random(id),
        client_id: client,
        author: Actor::User(by).encode(),
        created_at: at,
        delivered_on: "2026-01-01".into(),
        code: "C4".into(),
        mode: "phone".into(),
        minutes: Some(50),
        units: None,
        note: Some(vec![id[0]; 30]),
    }
}

/// The ids of a client's services, newest first (at most ten).
async fn service_ids(reads: &mut crate::Reads, client: ClientId) -> Vec<String> {
    reads
        .services_page(client, 10, 0)
        .await
        .unwrap()
        .iter()
        .map(|row| row.id.to_string())
        .collect()
}

/// A needs assessment of `client` on day `on`, recorded by `by` at `at`: housing urgent and legal
/// not yet asked, each answer and the whole with a sealed note.
fn needs(
    client: ClientId,
    by: UserId,
    id: [u8; 16],
    on: &str,
    at: Timestamp,
) -> crate::rows::NeedsAssessmentRow {
    let answer = |domain: &str, level: &str| crate::rows::NeedAnswerRow {
        domain: domain.into(),
        level: level.into(),
        note: Some(vec![id[0]; 20]),
    };
    crate::rows::NeedsAssessmentRow {
        id: domain::NeedsAssessmentId::from_random(id),
        client_id: client,
        author: Actor::User(by).encode(),
        created_at: at,
        assessed_on: on.into(),
        note: Some(vec![id[0]; 25]),
        answers: vec![
            answer("housing", "urgent"),
            answer("legal", "not-yet-asked"),
        ],
    }
}

/// A closure of `case` on `on` for goals met, recorded by `by`, with follow-ups agreed by text:
/// its note and the safe way to reach the person sealed.
fn closure(
    client: ClientId,
    case: domain::CaseId,
    by: UserId,
    id: [u8; 16],
    on: &str,
) -> crate::rows::ClosureRow {
    crate::rows::ClosureRow {
        id: domain::ClosureId::from_random(id),
        client_id: client,
        case_id: case,
        closed_on: on.into(),
        reason: "goals-met".into(),
        note: Some(vec![id[0]; 22]),
        follow_up: "yes".into(),
        reach_method: Some("text".into()),
        reach_how: Some(vec![id[0]; 18]),
        closed_by: Actor::User(by).encode(),
        created_at: T0,
        reopened: None,
        withdrawn: None,
    }
}

/// The follow-up `at` after `closure`, made by `contact`.
fn follow_up(
    closure: &crate::rows::ClosureRow,
    at: &str,
    contact: &crate::rows::ContactRow,
    id: [u8; 16],
) -> crate::rows::FollowUpRow {
    crate::rows::FollowUpRow {
        id: domain::FollowUpId::from_random(id),
        client_id: closure.client_id,
        closure_id: closure.id,
        at: at.into(),
        reached: contact.reached,
        contact_id: contact.id,
        author: contact.author.clone(),
        created_at: contact.created_at,
    }
}

/// An outcome assessment of `client` at `point` on `on`: safety 2 and social support not asked,
/// with a sealed note.
fn outcomes(
    client: ClientId,
    by: UserId,
    id: [u8; 16],
    point: &str,
    on: &str,
) -> crate::rows::OutcomeAssessmentRow {
    crate::rows::OutcomeAssessmentRow {
        id: domain::OutcomeAssessmentId::from_random(id),
        client_id: client,
        author: Actor::User(by).encode(),
        created_at: T0,
        point: point.into(),
        assessed_on: on.into(),
        note: Some(vec![id[0]; 24]),
        scores: vec![
            ("safety".into(), "2".into()),
            ("social-support".into(), "not-asked".into()),
        ],
    }
}

/// Expands to one test per conformance check, for the harness expression given.
#[macro_export]
macro_rules! conformance_tests {
    ($harness:expr) => {
        $crate::conformance_tests!(@each $harness;
            every_column_is_classified,
            every_table_is_in_backups_or_deliberately_not,
            every_table_naming_a_client_is_classified_as_client_data,
            erasure_reaches_every_table_of_client_data,
            audit_events_are_append_only,
            audit_appends_chain_and_roll_back_together,
            plans_and_their_audit_events_are_written_together_or_apart,
            audit_events_are_found_by_record_actor_action_period_and_page,
            tokens_live_only_until_revoked_or_expired,
            usernames_are_unique,
            credentials_and_sessions_round_trip,
            signin_failures_are_counted_and_forgotten,
            caseloads_hold_only_assigned_clients,
            caseload_pages_are_read_together,
            team_leads_stand_to_their_members_clients,
            emergency_access_lasts_until_it_expires_and_waits_for_review,
            erasure_wipes_sealed_fields_and_notes,
            notes_come_a_page_at_a_time_newest_first,
            contacts_come_newest_first_by_when_they_were_attempts_included,
            services_come_newest_first_by_the_day_given,
            plans_written_together_fail_alone,
            a_first_service_is_the_earliest_day_given,
            a_fiscal_period_reads_the_same_from_its_sums_as_from_its_services,
            a_report_reads_each_person_by_the_profile_of_their_dimensions,
            services_recorded_at_once_count_as_one_by_one,
            needs_assessments_are_kept_each_with_its_answers_newest_first,
            edits_replace_details_and_keep_their_history,
            cases_close_once_and_a_transfer_names_the_case_it_continues,
            releases_are_withdrawn_once_and_referrals_move_one_step_at_a_time,
            a_plan_keeps_its_goals_steps_and_reviews_and_erasure_wipes_their_words,
            plan_work_due_comes_from_the_caseload_only,
            closures_are_kept_and_a_reopening_ends_the_latest,
            follow_ups_and_reviews_due_come_from_the_caseload_only,
            outcome_assessments_are_kept_each_with_its_scores_newest_first,
            a_history_comes_newest_first_from_any_place_in_it,
            programs_are_a_list_of_unique_codes,
            key_store_puts_replaces_and_destroys,
            key_store_exports_and_imports_all_or_nothing,
            backups_restore_into_a_fresh_instance_with_the_same_digest,
            damaged_backups_are_refused_without_a_trace,
            a_connection_left_inside_a_failed_commit_is_not_reused,
            a_write_dropped_before_it_ends_is_undone,
        );
    };
    (@each $harness:expr; $($name:ident),+ $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if let Some(harness) = $harness {
                    $crate::conformance::$name(&harness).await;
                }
            }
        )+
    };
}
