//! The storage conformance suite: what every engine must do, checked against a real database.
//! An engine crate implements `Harness` and expands `conformance_tests!` in its tests, so each
//! check is a named test on every engine (STYLE.md 11).

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use domain::audit::{Actor, AuditAction, NewAuditEvent};
use std::collections::HashMap;

use domain::policy::Relationship::{self, Assigned, Emergency, Supervises, Unassigned};
use domain::{
    ClientId, DeterminationId, EmergencyAccessId, Role, TeamId, Timestamp, TokenId, UserId,
};
use rand::{Rng, SeedableRng};

use crate::rows::{
    CaseloadPage, ClientLine, ClientRow, DeterminationRow, EmergencyAccessRow, NoteRow, TokenRow,
    UserRow,
};
use crate::{KeyStore, Store, StoreError, WrappedKey};
use domain::classification::{self, Backup, Home, Table};

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
        gender: Some("woman".into()),
        age_band: None,
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
    tx.insert_note(&NoteRow {
        id: domain::NoteId::from_random(rng.r#gen()),
        client_id: c.id,
        author: Actor::User(a.id).encode(),
        created_at: T0,
        body: Some(vec![7; 40]),
    })
    .await
    .unwrap();
    tx.insert_case(&crate::rows::CaseRow {
        id: domain::CaseId::from_random(rng.r#gen()),
        client_id: c.id,
        program: "Drop-in".into(),
        opened_on: "2026-01-02".into(),
        closed_on: None,
        assigned_to: Some(a.id),
        created_at: T0,
    })
    .await
    .unwrap();
    tx.insert_screening(&crate::rows::ScreeningRow {
        id: domain::ScreeningId::from_random(rng.r#gen()),
        client_id: c.id,
        instrument: "qyit-4".into(),
        instrument_version: "1.0.0".into(),
        answers: Some(vec![8; 30]),
        score: Some(1),
        result: Some("positive".into()),
        screened_by: Actor::User(a.id).encode(),
        created_at: T0,
    })
    .await
    .unwrap();
    tx.append_audit(&event(AuditAction::ClientCreate), &AUDIT_KEY)
        .await
        .unwrap();
    tx.append_audit(&event(AuditAction::NoteCreate), &AUDIT_KEY)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (a, b, c)
}

/// Every (table, column) of both databases of a fresh instance.
async fn schema_columns(store: &Store, keys: &KeyStore) -> Vec<(String, String)> {
    let mut columns = store.columns().await.unwrap();
    columns.extend(keys.columns().await.unwrap());
    columns.sort();
    columns.dedup();
    columns
}

pub async fn every_column_is_classified(h: &impl Harness) {
    let (store, keys) = h.fresh().await;
    let columns = schema_columns(&store, &keys).await;
    for (table, column) in &columns {
        assert!(
            classification::lookup(table, column).is_some(),
            "{table}.{column} is not in the data-classification registry (domain::classification)"
        );
    }
    for table in classification::TABLES {
        for column in table.columns {
            assert!(
                columns
                    .iter()
                    .any(|(t, c)| t == table.name && c == column.name),
                "{}.{} is classified but not in the schema",
                table.name,
                column.name
            );
        }
    }
}

/// A table with a `client_id` column holds client data: the registry must say so, or erasure
/// would pass it by.
pub async fn every_table_naming_a_client_is_classified_as_client_data(h: &impl Harness) {
    let (store, keys) = h.fresh().await;
    for (table, column) in schema_columns(&store, &keys).await {
        if column == "client_id" {
            let entry = classification::table(&table);
            assert_eq!(
                entry.and_then(|t| t.client),
                Some("client_id"),
                "{table} names a client: classify it as client data (its `client`)"
            );
        }
    }
}

pub async fn every_table_is_in_backups_or_deliberately_not(h: &impl Harness) {
    let (store, keys) = h.fresh().await;
    for (table, column) in schema_columns(&store, &keys).await {
        let entry = classification::table(&table);
        let carried = entry.is_some_and(|t| {
            t.column(&column).is_some() && matches!(t.backup, Backup::Carried { .. })
        });
        let left_out = entry.is_some_and(|t| matches!(t.backup, Backup::LeftOut { .. }));
        assert!(
            carried || left_out,
            "{table}.{column} is neither in a backup nor listed as deliberately left out"
        );
    }
}

/// Gives `client` a row in every kind of client record there is (with `by` as the member of
/// staff), each holding something erasure must take.
async fn fill_record(tx: &mut crate::Tx, client: ClientId, by: UserId, rng: &mut impl Rng) {
    let me = Actor::User(by).encode();
    tx.insert_note(&NoteRow {
        id: domain::NoteId::from_random(rng.r#gen()),
        client_id: client,
        author: me.clone(),
        created_at: T0,
        body: Some(vec![7; 40]),
    })
    .await
    .unwrap();
    tx.insert_case(&crate::rows::CaseRow {
        id: domain::CaseId::from_random(rng.r#gen()),
        client_id: client,
        program: "Drop-in".into(),
        opened_on: "2026-01-02".into(),
        closed_on: None,
        assigned_to: Some(by),
        created_at: T0,
    })
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
    tx.insert_determination(&DeterminationRow {
        id: DeterminationId::from_random(rng.r#gen()),
        client_id: client,
        worksheet: Some(vec![3; 30]),
        recorded_by: me,
        created_at: T0,
    })
    .await
    .unwrap();
    tx.insert_emergency_access(&EmergencyAccessRow {
        id: EmergencyAccessId::from_random(rng.r#gen()),
        client_id: client,
        user_id: by,
        reason: Some(vec![4; 50]),
        granted_at: T0,
        expires_at: T0.plus_days(1),
    })
    .await
    .unwrap();
    tx.put_draft(client, by, "qyit-4", &[2; 20], T0)
        .await
        .unwrap();
}

/// Rows of `table` about `client` (where `condition` holds, if given).
async fn rows_about(store: &Store, table: &Table, client: ClientId, condition: &str) -> i64 {
    let column = table.client.unwrap();
    let sql = format!(
        "SELECT COUNT(*) AS n FROM {} WHERE {column} = $1 {condition}",
        table.name
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(client.to_string())
        .fetch_one(store.pool())
        .await
        .unwrap();
    sqlx::Row::try_get(&row, "n").unwrap()
}

/// Erasure, proven over every table the registry marks as client data: before, the client has
/// rows in each (a new kind of record must be filled in by `fill_record`); after, every column the
/// registry wipes is empty and every form in progress gone, while another client keeps theirs.
pub async fn erasure_reaches_every_table_of_client_data(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, _, c) = seed(&store).await;
    let mut rng = rng();
    let other = ClientRow {
        date_of_birth: Some(vec![9]),
        languages: Some(vec![10]),
        ..client(&mut rng, &a)
    };
    let mut tx = store.write().await.unwrap();
    tx.insert_client(&other).await.unwrap();
    tx.assign(other.id, a.id, T0).await.unwrap();
    for id in [c.id, other.id] {
        fill_record(&mut tx, id, a.id, &mut rng).await;
    }
    tx.commit().await.unwrap();
    let tables = || {
        classification::TABLES
            .iter()
            .filter(|t| t.home == Home::Records && t.client.is_some())
    };
    for table in tables() {
        for id in [c.id, other.id] {
            assert!(
                rows_about(&store, table, id, "").await > 0,
                "{} holds client data: give the client a row of it in fill_record",
                table.name
            );
        }
    }

    let mut tx = store.write().await.unwrap();
    assert!(tx.erase_client(c.id, T0).await.unwrap());
    tx.commit().await.unwrap();
    for table in tables() {
        if table.deleted_on_erasure() {
            assert_eq!(
                rows_about(&store, table, c.id, "").await,
                0,
                "{}",
                table.name
            );
            assert!(rows_about(&store, table, other.id, "").await > 0);
        }
        for column in table.wiped() {
            let kept = format!("AND {} IS NOT NULL", column.name);
            assert_eq!(
                rows_about(&store, table, c.id, &kept).await,
                0,
                "{}.{} survived the erasure",
                table.name,
                column.name
            );
            assert!(
                rows_about(&store, table, other.id, &kept).await > 0,
                "{}.{} of another client was wiped",
                table.name,
                column.name
            );
        }
    }
}

pub async fn audit_events_are_append_only(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    seed(&store).await;
    for sql in [
        "UPDATE audit_events SET purpose = 'edited' WHERE seq = 1",
        "DELETE FROM audit_events WHERE seq = 1",
    ] {
        let result = sqlx::query(sql).execute(store.pool()).await;
        assert!(result.is_err(), "{sql} was allowed");
    }
    let mut tx = store.read().await.unwrap();
    let events = tx.audit_events(0, 10).await.unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].purpose, "test");
}

pub async fn audit_appends_chain_and_roll_back_together(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    seed(&store).await;
    let mut tx = store.write().await.unwrap();
    assert_eq!(
        tx.append_audit(&event(AuditAction::ClientRead), &AUDIT_KEY)
            .await
            .unwrap(),
        3
    );
    tx.rollback().await.unwrap();
    let mut tx = store.write().await.unwrap();
    assert_eq!(
        tx.append_audit(&event(AuditAction::ClientRead), &AUDIT_KEY)
            .await
            .unwrap(),
        3
    );
    let events = tx.audit_events(0, 10).await.unwrap();
    let (head_seq, head_mac) = tx.audit_head().await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        events.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert_eq!((head_seq, head_mac), (3, events[2].mac.clone()));
    let mut previous = crypto::audit_mac::GENESIS.to_vec();
    for e in &events {
        assert!(crypto::audit_mac::verify(
            &AUDIT_KEY,
            &previous,
            &e.canonical_bytes(),
            &e.mac
        ));
        previous = e.mac.clone();
    }
}

pub async fn tokens_live_only_until_revoked_or_expired(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, _, _) = seed(&store).await;
    let (token, owner) = store.live_token(&[9; 32], T0).await.unwrap().expect("live");
    assert_eq!(owner, a);
    assert!(store.live_token(&[8; 32], T0).await.unwrap().is_none());
    assert!(
        store
            .live_token(&[9; 32], T0.plus_days(31))
            .await
            .unwrap()
            .is_none()
    );
    let mut tx = store.write().await.unwrap();
    assert!(tx.revoke_token(token.id, T0).await.unwrap());
    assert!(!tx.revoke_token(token.id, T0).await.unwrap());
    assert_eq!(tx.tokens().await.unwrap()[0].revoked_at, Some(T0));
    tx.commit().await.unwrap();
    assert!(store.live_token(&[9; 32], T0).await.unwrap().is_none());
}

pub async fn credentials_and_sessions_round_trip(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, b, _) = seed(&store).await;
    let mut tx = store.write().await.unwrap();
    assert_eq!(
        tx.credentials(a.id).await.unwrap(),
        crate::rows::CredentialsRow::default()
    );
    let mut creds = crate::rows::CredentialsRow {
        password_hash: Some("$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA".into()),
        totp_secret: Some(vec![1; 60]),
        ..Default::default()
    };
    tx.put_credentials(a.id, &creds, T0).await.unwrap();
    creds.failed_attempts = 3;
    creds.last_failure_at = Some(T0);
    tx.put_credentials(a.id, &creds, T0).await.unwrap();
    assert_eq!(tx.credentials(a.id).await.unwrap(), creds);
    let session = crate::rows::SessionRow {
        user_id: a.id,
        created_at: T0,
        last_seen_at: T0,
        authenticated_at: T0,
        ended_at: None,
        passkey_at: None,
    };
    tx.insert_session(&[1; 32], &session).await.unwrap();
    tx.insert_session(&[2; 32], &session).await.unwrap();
    tx.insert_session(
        &[3; 32],
        &crate::rows::SessionRow {
            user_id: b.id,
            ..session.clone()
        },
    )
    .await
    .unwrap();
    tx.touch_session(&[1; 32], T0.plus_days(1)).await.unwrap();
    assert_eq!(
        tx.session(&[1; 32]).await.unwrap().unwrap().last_seen_at,
        T0.plus_days(1)
    );
    assert!(tx.end_session(&[1; 32], T0).await.unwrap());
    assert!(!tx.end_session(&[1; 32], T0).await.unwrap());
    assert_eq!(
        tx.end_sessions_of(a.id, T0).await.unwrap(),
        1,
        "the other open one"
    );
    assert!(
        tx.session(&[3; 32])
            .await
            .unwrap()
            .unwrap()
            .ended_at
            .is_none(),
        "not someone else's"
    );
    assert!(tx.session(&[9; 32]).await.unwrap().is_none());

    // A passkey step: its challenge is answered once; the session then records the passkey.
    tx.set_session_challenge(&[3; 32], &[5; 32], T0)
        .await
        .unwrap();
    assert_eq!(
        tx.take_session_challenge(&[3; 32]).await.unwrap(),
        Some((vec![5; 32], T0))
    );
    assert_eq!(tx.take_session_challenge(&[3; 32]).await.unwrap(), None);
    tx.set_session_passkey(&[3; 32], T0.plus_days(1))
        .await
        .unwrap();
    assert_eq!(
        tx.session(&[3; 32]).await.unwrap().unwrap().passkey_at,
        Some(T0.plus_days(1))
    );
    let passkey = crate::rows::PasskeyRow {
        credential_id: vec![1, 2, 3],
        user_id: b.id,
        public_key: vec![4; 65],
        sign_count: 0,
        created_at: T0,
        last_used_at: None,
    };
    assert!(tx.insert_passkey(&passkey).await.unwrap());
    assert!(
        !tx.insert_passkey(&passkey).await.unwrap(),
        "registered once"
    );
    tx.passkey_used(&[1, 2, 3], 9, T0.plus_days(2))
        .await
        .unwrap();
    let stored = tx.passkeys_of(b.id).await.unwrap();
    assert_eq!(
        (stored.len(), stored[0].sign_count, stored[0].last_used_at),
        (1, 9, Some(T0.plus_days(2)))
    );
    assert!(tx.passkeys_of(a.id).await.unwrap().is_empty());
    assert_eq!(tx.delete_passkeys_of(b.id).await.unwrap(), 1);
    assert!(tx.passkeys_of(b.id).await.unwrap().is_empty());
    tx.commit().await.unwrap();
}

pub async fn usernames_are_unique(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    seed(&store).await;
    let mut tx = store.write().await.unwrap();
    let again = user(
        &mut rand::rngs::StdRng::seed_from_u64(99),
        "ana",
        Role::Outreach,
    );
    assert!(matches!(
        tx.insert_user(&again).await,
        Err(StoreError::Database(_))
    ));
}

/// `client_for`, with its facts read as the standing they give (the decision itself is
/// `domain::policy::decide`'s).
async fn standing(
    tx: &mut crate::Reads,
    client: ClientId,
    user: UserId,
    at: Timestamp,
) -> Option<(ClientRow, Relationship)> {
    let found = tx.client_for(client, user, at).await.unwrap();
    found.map(|(row, facts)| (row, facts.relationship()))
}

/// `clients_for`, likewise.
async fn standings(
    tx: &mut crate::Reads,
    pairs: &[(ClientId, UserId)],
    at: Timestamp,
) -> HashMap<(ClientId, UserId), (ClientRow, Relationship)> {
    let found = tx.clients_for(pairs, at).await.unwrap();
    found
        .into_iter()
        .map(|(pair, (row, facts))| (pair, (row, facts.relationship())))
        .collect()
}

pub async fn caseloads_hold_only_assigned_clients(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, b, c) = seed(&store).await;
    let mut tx = store.write().await.unwrap();
    assert_eq!(
        tx.caseload(page(a.id, 10, 0)).await.unwrap(),
        vec![ClientLine::from(&c)]
    );
    assert!(tx.caseload(page(b.id, 10, 0)).await.unwrap().is_empty());
    assert_eq!(
        standing(&mut tx, c.id, a.id, T0).await,
        Some((c.clone(), Assigned))
    );
    assert_eq!(
        standing(&mut tx, c.id, b.id, T0).await,
        Some((c.clone(), Unassigned))
    );
    assert_eq!(
        tx.client_for(ClientId::from_random([3; 16]), a.id, T0)
            .await
            .unwrap(),
        None
    );
    // The same answers for many pairs at once (group commit reads a batch's clients this way).
    let missing = ClientId::from_random([3; 16]);
    let pairs = [(c.id, a.id), (c.id, b.id), (missing, a.id)];
    let found = standings(&mut tx, &pairs, T0).await;
    assert_eq!(found.len(), 2);
    assert_eq!(found.get(&(c.id, a.id)), Some(&(c.clone(), Assigned)));
    assert_eq!(found.get(&(c.id, b.id)), Some(&(c.clone(), Unassigned)));
    assert!(standings(&mut tx, &[], T0).await.is_empty());
    assert_eq!(
        tx.matching_clients(a.id, Some("name-idx"), None)
            .await
            .unwrap(),
        vec![c.clone()]
    );
    assert_eq!(
        tx.matching_clients(a.id, None, Some("dob-idx"))
            .await
            .unwrap(),
        vec![c.clone()]
    );
    assert!(
        tx.matching_clients(b.id, Some("name-idx"), None)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        tx.matching_clients(a.id, Some("other"), None)
            .await
            .unwrap()
            .is_empty()
    );
}

/// Many caseload pages read in one statement (as a group-committed batch reads them) are each
/// the page asked for: only that worker's clients, newest assignment first (ties by id,
/// descending), limit and offset applied, erased clients left out, in the order asked.
pub async fn caseload_pages_are_read_together(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, b, seeded) = seed(&store).await;
    // Not `rng()`: its ids are the seeded ones.
    let mut rng = rand::rngs::StdRng::seed_from_u64(8);
    let mut tx = store.write().await.unwrap();
    // Ana's first client (from seed) plus six more, two of them assigned at the same moment and
    // one with no name on record; Ben gets two, one of them erased.
    let mut anas = vec![];
    for at in [5, 3, 3, 9, 1, 7] {
        let mut c = client(&mut rng, &a);
        if at == 9 {
            c.preferred_name = None;
        }
        tx.insert_client(&c).await.unwrap();
        tx.assign(c.id, a.id, T0.plus_days(at)).await.unwrap();
        anas.push((T0.plus_days(at), c));
    }
    let bens: Vec<ClientRow> = (0..2).map(|_| client(&mut rng, &b)).collect();
    for c in &bens {
        tx.insert_client(c).await.unwrap();
        tx.assign(c.id, b.id, T0).await.unwrap();
    }
    assert!(tx.erase_client(bens[1].id, T0).await.unwrap());
    let first = tx.caseload(page(a.id, 100, 0)).await.unwrap();
    anas.sort_by(|(t1, c1), (t2, c2)| t2.cmp(t1).then(c2.id.cmp(&c1.id)));
    let mut expected: Vec<ClientLine> = anas.iter().map(|(_, c)| ClientLine::from(c)).collect();
    // The seeded client was assigned at T0, before all of these.
    expected.push(ClientLine::from(&seeded));
    assert_eq!(first, expected, "one page, in order");

    let nobody = UserId::from_random([8; 16]);
    let asked = [
        page(a.id, 3, 0),
        page(b.id, 10, 0),
        page(a.id, 3, 3),
        page(nobody, 10, 0),
        page(a.id, 10, 6),
        page(a.id, 3, 0),
    ];
    let pages = tx.caseloads(&asked).await.unwrap();
    assert_eq!(
        pages,
        vec![
            expected[0..3].to_vec(),
            vec![ClientLine::from(&bens[0])],
            expected[3..6].to_vec(),
            vec![],
            expected[6..].to_vec(),
            expected[0..3].to_vec(),
        ]
    );
    // More pages than one statement holds are answered all the same.
    let many: Vec<CaseloadPage> = (0..70).map(|i| page(a.id, 1, i % 7)).collect();
    let answers = tx.caseloads(&many).await.unwrap();
    assert_eq!(answers.len(), 70);
    for (i, answer) in answers.iter().enumerate() {
        assert_eq!(answer, &vec![expected[i % 7].clone()]);
    }
    tx.commit().await.unwrap();
}

pub async fn team_leads_stand_to_their_members_clients(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, b, c) = seed(&store).await;
    // Not `rng()`: its first draws are the seeded users' ids.
    let mut rng = rand::rngs::StdRng::seed_from_u64(99);
    let sue = user(&mut rng, "sue", Role::Supervisor);
    let team = TeamId::from_random([5; 16]);
    let mut tx = store.write().await.unwrap();
    tx.insert_user(&sue).await.unwrap();
    assert!(tx.create_team(team, "North", T0).await.unwrap());
    assert!(
        !tx.create_team(TeamId::from_random([6; 16]), "North", T0)
            .await
            .unwrap(),
        "team names are unique"
    );
    // On the team but not leading it: nothing yet.
    tx.put_team_member(team, sue.id, false).await.unwrap();
    tx.put_team_member(team, a.id, false).await.unwrap();
    assert_eq!(
        standing(&mut tx, c.id, sue.id, T0).await,
        Some((c.clone(), Unassigned))
    );
    // Leading it: Ana's client, through the team, one page at a time.
    tx.put_team_member(team, sue.id, true).await.unwrap();
    assert_eq!(
        standing(&mut tx, c.id, sue.id, T0).await,
        Some((c.clone(), Supervises))
    );
    let pairs = [(c.id, sue.id), (c.id, b.id), (c.id, a.id)];
    let found = standings(&mut tx, &pairs, T0).await;
    assert_eq!(found.get(&(c.id, sue.id)), Some(&(c.clone(), Supervises)));
    assert_eq!(found.get(&(c.id, b.id)), Some(&(c.clone(), Unassigned)));
    assert_eq!(
        found.get(&(c.id, a.id)),
        Some(&(c.clone(), Assigned)),
        "assigned comes first"
    );
    assert_eq!(
        tx.team_caseload(sue.id, 10, 0).await.unwrap(),
        vec![(ClientLine::from(&c), a.id)]
    );
    assert!(tx.team_caseload(sue.id, 10, 1).await.unwrap().is_empty());
    assert!(tx.team_caseload(a.id, 10, 0).await.unwrap().is_empty());
    assert_eq!(
        tx.led_members(sue.id)
            .await
            .unwrap()
            .iter()
            .map(|u| u.id)
            .collect::<Vec<_>>(),
        vec![a.id]
    );
    let teams = tx.teams().await.unwrap();
    assert_eq!(teams.len(), 1);
    assert_eq!(teams[0].members, vec![(a.id, false), (sue.id, true)]);

    // Restricted: only the people assigned reach the client, not their team's lead.
    assert!(tx.set_client_restricted(c.id, true).await.unwrap());
    assert_eq!(
        standing(&mut tx, c.id, sue.id, T0).await.map(|(_, r)| r),
        Some(Unassigned)
    );
    let found = standings(&mut tx, &[(c.id, sue.id), (c.id, a.id)], T0).await;
    assert_eq!(
        found.get(&(c.id, sue.id)).map(|(_, r)| *r),
        Some(Unassigned)
    );
    assert_eq!(
        found
            .get(&(c.id, a.id))
            .map(|(row, r)| (row.restricted, *r)),
        Some((true, Assigned))
    );
    assert!(tx.team_caseload(sue.id, 10, 0).await.unwrap().is_empty());
    assert!(tx.set_client_restricted(c.id, false).await.unwrap());
    assert_eq!(
        standing(&mut tx, c.id, sue.id, T0).await,
        Some((c.clone(), Supervises))
    );

    // Assigned to Sue as well: she stands to the client as assigned; taken off, as lead again.
    tx.assign(c.id, sue.id, T0.plus_days(1)).await.unwrap();
    assert_eq!(tx.assignees(c.id).await.unwrap(), vec![a.id, sue.id]);
    assert_eq!(
        standing(&mut tx, c.id, sue.id, T0).await,
        Some((c.clone(), Assigned))
    );
    assert!(tx.unassign(c.id, sue.id).await.unwrap());
    assert!(!tx.unassign(c.id, sue.id).await.unwrap());
    // Ana off the team: Sue no longer reaches her client.
    assert!(tx.remove_team_member(team, a.id).await.unwrap());
    assert_eq!(
        standing(&mut tx, c.id, sue.id, T0).await,
        Some((c.clone(), Unassigned))
    );
    assert!(tx.team_caseload(sue.id, 10, 0).await.unwrap().is_empty());
    tx.commit().await.unwrap();
}

pub async fn emergency_access_lasts_until_it_expires_and_waits_for_review(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, b, c) = seed(&store).await;
    let id = EmergencyAccessId::from_random([8; 16]);
    let until = T0.plus_days(1);
    let mut tx = store.write().await.unwrap();
    tx.insert_emergency_access(&EmergencyAccessRow {
        id,
        client_id: c.id,
        user_id: b.id,
        reason: Some(vec![4; 50]),
        granted_at: T0,
        expires_at: until,
    })
    .await
    .unwrap();
    for at in [T0, Timestamp::from_unix_millis(until.unix_millis() - 1)] {
        assert_eq!(
            standing(&mut tx, c.id, b.id, at).await,
            Some((c.clone(), Emergency))
        );
        let found = standings(&mut tx, &[(c.id, b.id)], at).await;
        assert_eq!(found.get(&(c.id, b.id)), Some(&(c.clone(), Emergency)));
    }
    // Over at the moment it expires.
    assert_eq!(
        standing(&mut tx, c.id, b.id, until).await,
        Some((c.clone(), Unassigned))
    );
    let found = standings(&mut tx, &[(c.id, b.id)], until).await;
    assert_eq!(found.get(&(c.id, b.id)), Some(&(c.clone(), Unassigned)));

    let pending = tx.unreviewed_emergency_access().await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!((pending[0].id, pending[0].user_id), (id, b.id));
    assert_eq!(pending[0].reason, Some(vec![4; 50]));
    assert!(
        tx.review_emergency_access(id, a.id, "justified", T0)
            .await
            .unwrap()
    );
    assert!(
        !tx.review_emergency_access(id, a.id, "justified", T0)
            .await
            .unwrap()
    );
    assert!(tx.unreviewed_emergency_access().await.unwrap().is_empty());
    tx.commit().await.unwrap();
}

pub async fn erasure_wipes_sealed_fields_and_notes(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, _, c) = seed(&store).await;
    let mut tx = store.write().await.unwrap();
    // A screening in progress: saved, replaced, then gone with the client.
    tx.put_draft(c.id, a.id, "qyit-4", &[1; 20], T0)
        .await
        .unwrap();
    tx.put_draft(c.id, a.id, "qyit-4", &[2; 20], T0.plus_days(1))
        .await
        .unwrap();
    assert_eq!(
        tx.draft(c.id, a.id, "qyit-4").await.unwrap(),
        Some((vec![2; 20], T0.plus_days(1)))
    );
    // Two determinations, listed newest first, then wiped with the client.
    for (byte, at) in [(1u8, T0), (2, T0.plus_days(2))] {
        tx.insert_determination(&DeterminationRow {
            id: DeterminationId::from_random([byte; 16]),
            client_id: c.id,
            worksheet: Some(vec![byte; 30]),
            recorded_by: Actor::User(a.id).encode(),
            created_at: at,
        })
        .await
        .unwrap();
    }
    let listed = tx.determinations(c.id, 10).await.unwrap();
    assert_eq!(
        tx.determinations(c.id, 1).await.unwrap().len(),
        1,
        "the newest only"
    );
    assert_eq!(
        listed.iter().map(|d| d.created_at).collect::<Vec<_>>(),
        [T0.plus_days(2), T0]
    );
    assert_eq!(listed[0].worksheet, Some(vec![2; 30]));
    assert!(tx.erase_client(c.id, T0).await.unwrap());
    assert_eq!(tx.draft(c.id, a.id, "qyit-4").await.unwrap(), None);
    assert!(
        tx.determinations(c.id, 10)
            .await
            .unwrap()
            .iter()
            .all(|d| d.worksheet.is_none())
    );
    assert!(!tx.erase_client(c.id, T0).await.unwrap());
    let erased = tx.client(c.id).await.unwrap().unwrap();
    assert_eq!(erased.erased_at, Some(T0));
    assert!(
        erased.preferred_name.is_none()
            && erased.legal_name.is_none()
            && erased.name_index.is_none()
            && erased.alias_index.is_none()
            && erased.safety.is_none()
    );
    assert!(
        tx.notes(c.id, 10)
            .await
            .unwrap()
            .iter()
            .all(|n| n.body.is_none())
    );
    assert!(tx.caseload(page(a.id, 10, 0)).await.unwrap().is_empty());
    tx.commit().await.unwrap();
}

pub async fn key_store_puts_replaces_and_destroys(h: &impl Harness) {
    let (_, keys) = h.fresh().await;
    let id = ClientId::from_random([1; 16]);
    let v1 = WrappedKey {
        dek_version: 1,
        kek_version: 1,
        wrapped: vec![1; 72],
    };
    keys.put(id, &v1, T0).await.unwrap();
    assert!(keys.put(id, &v1, T0).await.is_err(), "a client has one key");
    assert_eq!(keys.get(id).await.unwrap(), Some(v1.clone()));
    assert_eq!(keys.not_under(2, 10).await.unwrap(), vec![(id, v1.clone())]);
    let v2 = WrappedKey {
        kek_version: 2,
        wrapped: vec![2; 72],
        ..v1.clone()
    };
    assert!(keys.replace(id, &v1, &v2).await.unwrap());
    assert!(
        !keys.replace(id, &v1, &v2).await.unwrap(),
        "a stale rotation loses"
    );
    assert!(keys.not_under(2, 10).await.unwrap().is_empty());
    assert_eq!(keys.count_by_kek().await.unwrap(), vec![(2, 1)]);
    let other = ClientId::from_random([2; 16]);
    keys.put(other, &v1, T0).await.unwrap();
    let missing = ClientId::from_random([3; 16]);
    let many = keys.get_many(&[id, other, missing]).await.unwrap();
    assert_eq!(many.len(), 2, "a client without a key is absent");
    assert_eq!(
        (many[&id].clone(), many[&other].clone()),
        (v2.clone(), v1.clone())
    );
    assert!(keys.get_many(&[]).await.unwrap().is_empty());
    assert!(keys.destroy(id).await.unwrap());
    assert!(keys.get(id).await.unwrap().is_none());
    assert!(!keys.destroy(id).await.unwrap());
}

pub async fn key_store_exports_and_imports_all_or_nothing(h: &impl Harness) {
    let (_, keys) = h.fresh().await;
    for n in 1..=3u8 {
        let key = WrappedKey {
            dek_version: 1,
            kek_version: 1,
            wrapped: vec![n; 72],
        };
        keys.put(ClientId::from_random([n; 16]), &key, T0)
            .await
            .unwrap();
    }
    let mut export = Vec::new();
    assert_eq!(keys.export(&mut export).await.unwrap(), 3);
    let (_, target) = h.fresh().await;
    let cut = &export[..export.len() - 12];
    assert!(target.import(cut).await.is_err(), "a cut export is refused");
    assert!(
        target.count_by_kek().await.unwrap().is_empty(),
        "and leaves nothing behind"
    );
    assert_eq!(target.import(export.as_slice()).await.unwrap(), 3);
    let id = ClientId::from_random([2; 16]);
    assert_eq!(target.get(id).await.unwrap(), keys.get(id).await.unwrap());
    assert!(
        target.import(export.as_slice()).await.is_err(),
        "only into an empty key store"
    );
}

pub async fn backups_restore_into_a_fresh_instance_with_the_same_digest(h: &impl Harness) {
    let (source, _) = h.fresh().await;
    seed(&source).await;
    let mut bytes = Vec::new();
    let written = crate::backup::write(&source, &mut bytes, T0.unix_millis(), |_| ())
        .await
        .unwrap();
    assert_eq!(written.rows, 10);
    assert_eq!(crate::backup::digest(&source).await.unwrap(), written);
    let (target, _) = h.fresh().await;
    let restored = crate::backup::restore(&target, bytes.as_slice(), |_| ())
        .await
        .unwrap();
    assert_eq!(restored, written);
    let mut tx = target.read().await.unwrap();
    assert_eq!(tx.audit_head().await.unwrap().0, 2);
    // A second restore into the same, no longer empty, instance is refused and changes nothing.
    drop(tx);
    assert!(matches!(
        crate::backup::restore(&target, bytes.as_slice(), |_| ()).await,
        Err(StoreError::Refused(_))
    ));
    assert_eq!(crate::backup::digest(&target).await.unwrap(), written);
}

pub async fn damaged_backups_are_refused_without_a_trace(h: &impl Harness) {
    let (source, _) = h.fresh().await;
    seed(&source).await;
    let mut bytes = Vec::new();
    crate::backup::write(&source, &mut bytes, T0.unix_millis(), |_| ())
        .await
        .unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let without_trailer: String = text
        .lines()
        .take(text.lines().count() - 1)
        .map(|l| format!("{l}\n"))
        .collect();
    let (target, _) = h.fresh().await;
    assert!(
        crate::backup::restore(&target, without_trailer.as_bytes(), |_| ())
            .await
            .is_err()
    );
    assert_eq!(
        crate::backup::digest(&target).await.unwrap().rows,
        0,
        "nothing was half-restored"
    );
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
            tokens_live_only_until_revoked_or_expired,
            usernames_are_unique,
            credentials_and_sessions_round_trip,
            caseloads_hold_only_assigned_clients,
            caseload_pages_are_read_together,
            team_leads_stand_to_their_members_clients,
            emergency_access_lasts_until_it_expires_and_waits_for_review,
            erasure_wipes_sealed_fields_and_notes,
            key_store_puts_replaces_and_destroys,
            key_store_exports_and_imports_all_or_nothing,
            backups_restore_into_a_fresh_instance_with_the_same_digest,
            damaged_backups_are_refused_without_a_trace,
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
