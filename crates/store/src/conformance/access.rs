//! Who stands how to a client: caseloads, teams and emergency access.

use std::collections::HashMap;

use domain::policy::Relationship::{self, Assigned, Emergency, Supervises, Unassigned};
use domain::{ClientId, EmergencyAccessId, Role, TeamId, Timestamp, UserId};
use rand::SeedableRng;

use crate::rows::{CaseloadPage, ClientLine, ClientRow, EmergencyAccessRow};

use super::*;

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

/// The seeded client's line: its note at T0 and its one open case.
fn seeded_line(c: &ClientRow) -> ClientLine {
    ClientLine {
        last_note_at: Some(T0),
        open_cases: 1,
        ..ClientLine::of_new_client(c)
    }
}

pub async fn caseloads_hold_only_assigned_clients(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, b, c) = seed(&store).await;
    let mut tx = store.write().await.unwrap();
    assert_eq!(
        tx.caseload(page(a.id, 10, 0)).await.unwrap(),
        vec![seeded_line(&c)]
    );
    assert!(tx.caseload(page(b.id, 10, 0)).await.unwrap().is_empty());
    // A later note is the last; a closed case is not open.
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let later = T0.plus_days(2);
    tx.insert_note(&crate::rows::NoteRow {
        id: domain::NoteId::from_random(rand::Rng::r#gen(&mut rng)),
        client_id: c.id,
        author: "user:x".into(),
        created_at: later,
        kind: "general".into(),
        body: None,
    })
    .await
    .unwrap();
    tx.insert_case(&crate::rows::CaseRow {
        id: domain::CaseId::from_random(rand::Rng::r#gen(&mut rng)),
        client_id: c.id,
        program: "Drop-in".into(),
        opened_on: "2026-01-02".into(),
        closed_on: Some("2026-02-02".into()),
        assigned_to: None,
        created_at: T0,
        transferred_from: None,
    })
    .await
    .unwrap();
    let line = ClientLine {
        last_note_at: Some(later),
        ..seeded_line(&c)
    };
    assert_eq!(
        tx.caseload(page(a.id, 10, 0)).await.unwrap(),
        vec![line.clone()]
    );
    assert_eq!(tx.client_lines(&[c.id]).await.unwrap(), vec![line]);
    assert!(tx.client_lines(&[]).await.unwrap().is_empty());
    assert_eq!(
        tx.workers_of(&[c.id, ClientId::from_random([3; 16])])
            .await
            .unwrap(),
        vec![(c.id, a.username.clone())]
    );
    // Emergency access finds anyone's record by name and date of birth together, never by one.
    assert_eq!(
        tx.clients_by_identity("name-idx", "dob-idx").await.unwrap(),
        vec![c.id]
    );
    assert_eq!(
        tx.clients_by_identity("alias-idx", "dob-idx")
            .await
            .unwrap(),
        vec![c.id]
    );
    assert!(
        tx.clients_by_identity("name-idx", "other")
            .await
            .unwrap()
            .is_empty()
    );
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
    let mut expected: Vec<ClientLine> = anas
        .iter()
        .map(|(_, c)| ClientLine::of_new_client(c))
        .collect();
    // The seeded client was assigned at T0, before all of these.
    expected.push(seeded_line(&seeded));
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
            vec![ClientLine::of_new_client(&bens[0])],
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
        vec![(seeded_line(&c), a.id)]
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
        tx.review_emergency_access(id, a.id, "justified", None, T0)
            .await
            .unwrap()
    );
    assert!(
        !tx.review_emergency_access(id, a.id, "justified", None, T0)
            .await
            .unwrap()
    );
    assert!(tx.unreviewed_emergency_access().await.unwrap().is_empty());
    tx.commit().await.unwrap();
}
