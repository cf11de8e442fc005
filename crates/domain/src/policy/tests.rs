use super::*;

/// Facts in which someone stands to a client in each way (restricted: false).
fn facts_for(relationship: Relationship) -> Facts {
    let none = Facts::default();
    match relationship {
        Assigned => Facts {
            assigned: true,
            ..none
        },
        Supervises => Facts {
            leads_an_assignee: true,
            ..none
        },
        Emergency => Facts {
            emergency: true,
            ..none
        },
        NoClient | Unassigned => none,
    }
}

#[test]
fn every_combination_of_facts_gives_the_closest_standing_and_restriction_leaves_only_assignment() {
    // (restricted, assigned, leads an assignee, emergency) -> standing
    let table = [
        ((false, false, false, false), Unassigned),
        ((false, false, false, true), Emergency),
        ((false, false, true, false), Supervises),
        ((false, false, true, true), Supervises),
        ((false, true, false, false), Assigned),
        ((false, true, false, true), Assigned),
        ((false, true, true, false), Assigned),
        ((false, true, true, true), Assigned),
        ((true, false, false, false), Unassigned),
        ((true, false, false, true), Unassigned),
        ((true, false, true, false), Unassigned),
        ((true, false, true, true), Unassigned),
        ((true, true, false, false), Assigned),
        ((true, true, false, true), Assigned),
        ((true, true, true, false), Assigned),
        ((true, true, true, true), Assigned),
    ];
    for ((restricted, assigned, leads_an_assignee, emergency), standing) in table {
        let facts = Facts {
            erased: false,
            restricted,
            assigned,
            leads_an_assignee,
            emergency,
        };
        assert_eq!(facts.relationship(), standing, "{facts:?}");
    }
}

#[test]
fn the_decision_grants_exactly_the_rows_of_the_policy_table() {
    let mut granted = 0;
    for role in Role::ALL {
        for action in Action::ALL {
            for relationship in [NoClient, Assigned, Supervises, Emergency] {
                let subject = match relationship {
                    NoClient => Subject::NoClient,
                    _ => Subject::Client(Some(facts_for(relationship))),
                };
                let decision = decide(role, subject, &[action]);
                if POLICY.contains(&(role, relationship, action)) {
                    assert_eq!(decision, Ok(relationship), "{role} {action:?}");
                    granted += 1;
                } else {
                    let refusal = Refusal {
                        reason: Reason::NotAllowed,
                        action,
                    };
                    assert_eq!(decision, Err(refusal), "{role} {relationship:?} {action:?}");
                }
            }
            let refusal = |reason| Err(Refusal { reason, action });
            let none = Subject::Client(Some(Facts::default()));
            assert_eq!(decide(role, none, &[action]), refusal(Reason::NoStanding));
            assert_eq!(
                decide(role, Subject::Client(None), &[action]),
                refusal(Reason::NoSuchClient)
            );
            let erased = Facts {
                erased: true,
                ..facts_for(Assigned)
            };
            assert_eq!(
                decide(role, Subject::Client(Some(erased)), &[action]),
                refusal(Reason::NoSuchClient)
            );
        }
    }
    assert_eq!(granted, POLICY.len(), "every row of the table is reachable");
}

#[test]
fn several_actions_are_granted_together_or_the_first_refused_is_named() {
    let assigned = Subject::Client(Some(facts_for(Assigned)));
    let supervised = Subject::Client(Some(facts_for(Supervises)));
    let page = [ReadClient, ReadNotes, ReadCases];
    assert_eq!(decide(Supervisor, assigned, &page), Ok(Assigned));
    assert_eq!(decide(Supervisor, supervised, &page), Ok(Supervises));
    assert_eq!(
        decide(
            Supervisor,
            supervised,
            &[ReadClient, WriteCase, WriteSafety]
        ),
        Err(Refusal {
            reason: Reason::NotAllowed,
            action: WriteCase
        })
    );
}

#[test]
fn refusals_are_audited_in_stable_codes() {
    let refusal = Refusal {
        reason: Reason::NoStanding,
        action: ReadClient,
    };
    assert_eq!(refusal.audit_code(), "refused:no-standing:read-client");
    let codes: Vec<&str> = Action::ALL.iter().map(|a| a.code()).collect();
    for (i, code) in codes.iter().enumerate() {
        assert!(!codes[..i].contains(code), "{code} twice");
        assert!(code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'));
    }
}

#[test]
fn breaking_the_glass_opens_no_restricted_record() {
    let restricted = Facts {
        restricted: true,
        ..Facts::default()
    };
    let open = Facts::default();
    for (facts, opens) in [(restricted, false), (open, true)] {
        let subject = Subject::Client(Some(facts.with_emergency_access()));
        assert_eq!(decide(CaseManager, subject, &[ReadClient]).is_ok(), opens);
    }
}

#[test]
fn the_holders_team_leads_review_their_emergency_access_or_else_every_supervisor() {
    assert!(reviews_emergency_access(&"sue", &["sue", "tom"]));
    assert!(!reviews_emergency_access(&"lea", &["sue", "tom"]));
    assert!(reviews_emergency_access(&"lea", &[]), "no lead: anyone");
}

#[test]
fn nobody_reaches_a_client_they_are_not_assigned_to() {
    for role in Role::ALL {
        for action in Action::ALL {
            assert!(!permits(role, Unassigned, action), "{role} {action:?}");
        }
    }
}

#[test]
fn administrators_and_analysts_never_read_case_content() {
    for role in [Administrator, DataAnalyst] {
        for rel in [Assigned, Supervises, Emergency, Unassigned] {
            for action in [ReadClient, ReadNotes, ReadCases, ReadScreenings] {
                assert!(!permits(role, rel, action));
            }
        }
    }
}

#[test]
fn client_actions_are_granted_only_with_a_relationship_and_others_without() {
    for (_, rel, action) in POLICY {
        assert_eq!(action.concerns_a_client(), *rel != NoClient, "{action:?}");
    }
}

#[test]
fn only_supervisors_reach_a_client_through_their_team_and_only_to_read_note_and_assign() {
    for role in Role::ALL {
        for action in Action::ALL {
            let allowed = permits(role, Supervises, action);
            if role != Supervisor {
                assert!(!allowed, "{role} {action:?}");
            }
        }
    }
    for action in [
        WriteCase,
        WriteScreening,
        WriteDetermination,
        WriteSafety,
        EditClient,
        EraseClient,
    ] {
        assert!(!permits(Supervisor, Supervises, action), "{action:?}");
    }
    assert!(permits(Supervisor, Supervises, ReadClient));
    assert!(permits(Supervisor, Supervises, AssignClient));
    assert!(!permits(CaseManager, Assigned, AssignClient));
}

#[test]
fn an_emergency_opens_a_record_to_read_and_note_only() {
    for role in [CaseManager, Outreach, Supervisor] {
        assert!(permits(role, NoClient, BreakGlass));
        assert!(permits(role, Emergency, ReadClient));
        assert!(permits(role, Emergency, WriteNote));
        assert!(permits(role, Emergency, WriteContact));
        assert!(permits(role, Emergency, WriteNeeds));
        for action in [
            WriteCase,
            WriteScreening,
            WriteSafety,
            EditClient,
            EraseClient,
            AssignClient,
        ] {
            assert!(!permits(role, Emergency, action), "{role} {action:?}");
        }
    }
    assert!(!permits(Administrator, NoClient, BreakGlass));
    assert!(permits(Supervisor, NoClient, ReviewEmergencyAccess));
    assert!(!permits(CaseManager, NoClient, ReviewEmergencyAccess));
}

#[test]
fn reports_are_for_those_answerable_for_the_figures() {
    for role in Role::ALL {
        let answerable = matches!(role, Supervisor | DataAnalyst | Administrator);
        assert_eq!(permits(role, NoClient, ReadReports), answerable, "{role}");
        assert_eq!(permits(role, NoClient, SignOffReport), answerable, "{role}");
    }
}

#[test]
fn outreach_records_but_does_not_run_cases() {
    assert!(permits(Outreach, Assigned, WriteNote));
    assert!(!permits(Outreach, Assigned, WriteCase));
    assert!(!permits(Outreach, Assigned, EraseClient));
}
