//! Any sequence of commands keeps the state consistent (property tests).

use super::*;
use proptest::prelude::*;
use proptest::sample::select;

const CALLS: &[&str] = &["C1", "C2", "C3"];
const TEAMS: &[&str] = &["PSR-1", "PSR-2", "PSR-3"];
/// References to an existing assignment or task, by position among those in the state
/// ("#n"), resolved by the runner; "zz" names nothing.
const REFS: &[&str] = &["#0", "#1", "#2", "#3", "zz"];
const PEERS: &[&str] = &["peer-1", "peer-2"];
/// Person references: two spellings of one person, another person, and none.
const PERSONS: &[&str] = &["client 1", " Client  1", "client 2", ""];
const LINES: &[&str] = &[
    "SUBJ CALM, TALKING TO SELF",
    "SUBJ NOW HOLDING A KNIFE",
    "SUBJ STS HE IS SUICIDAL",
    "NO WPNS SEEN",
];

fn details() -> impl Strategy<Value = CallDetails> {
    prop_oneof![
        Just(crisis()),
        Just(with(|d| d.flags.weapon = Answer::Yes)),
        Just(with(|d| {
            d.nature_code = String::new();
            d.nature_text = "DISTURBANCE".into();
        })),
        Just(with(|d| d.location.place_type = PlaceType::PrivateResidence)),
        select(LINES).prop_map(|l| with(|d| d.narrative = vec![NarrativeLine {
            at: T0,
            text: l.into(),
        }])),
    ]
}

fn team_status() -> impl Strategy<Value = TeamStatus> {
    select(vec![
        TeamStatus::Available,
        TeamStatus::Dispatched,
        TeamStatus::Acknowledged,
        TeamStatus::EnRoute,
        TeamStatus::OnScene,
        TeamStatus::Transporting,
        TeamStatus::OutOfService,
        TeamStatus::OffShift,
    ])
}

fn route() -> impl Strategy<Value = Route> {
    select(vec![
        Route::Police,
        Route::Ems,
        Route::Fire,
        Route::CrisisTeam,
    ])
}

fn incident() -> impl Strategy<Value = IncidentId> {
    select(CALLS).prop_map(|c| IncidentId::new(format!("inc-{c}")))
}

fn team() -> impl Strategy<Value = TeamId> {
    select(TEAMS).prop_map(TeamId::new)
}

fn assignment() -> impl Strategy<Value = AssignmentId> {
    select(REFS).prop_map(AssignmentId::new)
}

fn task() -> impl Strategy<Value = TaskId> {
    select(REFS).prop_map(TaskId::new)
}

/// A team's own status reports, mostly forward through a call.
fn reported_status() -> impl Strategy<Value = Option<TeamStatus>> {
    prop_oneof![
        1 => Just(None),
        3 => Just(Some(TeamStatus::EnRoute)),
        3 => Just(Some(TeamStatus::OnScene)),
        1 => Just(Some(TeamStatus::Transporting)),
        1 => team_status().prop_map(Some),
    ]
}

/// Resolves "#n" to the n-th existing id (in order), so that commands hit real things.
fn resolve<'a>(r: &str, ids: impl Iterator<Item = &'a str>) -> String {
    let mut ids: Vec<&str> = ids.collect();
    ids.sort();
    match r.strip_prefix('#').and_then(|n| n.parse::<usize>().ok()) {
        Some(n) if !ids.is_empty() => ids[n % ids.len()].to_owned(),
        _ => r.to_owned(),
    }
}

/// Mints fresh ids for new things (as the server does) and resolves references.
fn prepare(command: Command, s: &State, minted: &mut u32) -> Command {
    *minted += 1;
    let n = *minted;
    let assignment = |a: AssignmentId| {
        AssignmentId::new(resolve(
            a.as_str(),
            s.assignments.keys().map(|k| k.as_str()),
        ))
    };
    let task = |t: TaskId| TaskId::new(resolve(t.as_str(), s.tasks.keys().map(|k| k.as_str())));
    match command {
        Command::Assign {
            incident_id,
            team_id,
            automatic,
            ..
        } => Command::Assign {
            incident_id,
            team_id,
            assignment_id: AssignmentId::new(format!("a{n}")),
            automatic,
        },
        Command::Clear {
            team_id,
            disposition,
            encounter,
            ..
        } => Command::Clear {
            team_id,
            disposition,
            encounter,
            task_ids: (0..5).map(|k| TaskId::new(format!("fu-{n}-{k}"))).collect(),
        },
        Command::CreateFollowUp {
            incident_id,
            kind,
            due_at,
            assignee,
            person_ref,
            ..
        } => Command::CreateFollowUp {
            task_id: TaskId::new(format!("m{n}")),
            incident_id,
            kind,
            due_at,
            assignee,
            person_ref,
        },
        Command::Acknowledge {
            team_id,
            assignment_id,
        } => Command::Acknowledge {
            team_id,
            assignment_id: assignment(assignment_id),
        },
        Command::AckOnBehalf {
            assignment_id,
            channel,
            note,
        } => Command::AckOnBehalf {
            assignment_id: assignment(assignment_id),
            channel,
            note,
        },
        Command::AckDeadlinePassed { assignment_id } => Command::AckDeadlinePassed {
            assignment_id: assignment(assignment_id),
        },
        Command::RecordAttempt {
            task_id,
            peer_id,
            result,
            note,
            referrals,
        } => Command::RecordAttempt {
            task_id: task(task_id),
            peer_id,
            result,
            note,
            referrals,
        },
        Command::CompleteFollowUp {
            task_id,
            peer_id,
            outcome,
            measures,
        } => Command::CompleteFollowUp {
            task_id: task(task_id),
            peer_id,
            outcome,
            measures,
        },
        Command::ScheduleFollowUp {
            task_id,
            due_at,
            assignee,
        } => Command::ScheduleFollowUp {
            task_id: task(task_id),
            due_at,
            assignee,
        },
        Command::FollowUpReminderDue { task_id } => Command::FollowUpReminderDue {
            task_id: task(task_id),
        },
        other => other,
    }
}

fn peer() -> impl Strategy<Value = PeerId> {
    select(PEERS).prop_map(PeerId::new)
}

fn command() -> impl Strategy<Value = Command> {
    let cad = |c: &str| ("cad".to_owned(), c.to_owned());
    prop_oneof![
        3 => (select(CALLS), details()).prop_map(move |(c, details)| {
            let (source, call_number) = cad(c);
            Command::CallCreated {
                incident_id: IncidentId::new(format!("inc-{c}")),
                source,
                call_number,
                details,
            }
        }),
        1 => (select(CALLS), select(LINES)).prop_map(move |(c, l)| {
            let (source, call_number) = cad(c);
            Command::NarrativeAppended {
                source,
                call_number,
                lines: vec![l.into()],
            }
        }),
        1 => (select(CALLS), 1u32..6).prop_map(move |(c, p)| {
            let (source, call_number) = cad(c);
            Command::CallUpdated {
                source,
                call_number,
                changes: CallChanges {
                    cad_priority: Some(p),
                    ..CallChanges::default()
                },
            }
        }),
        1 => (select(CALLS), any::<bool>()).prop_map(move |(c, close)| {
            let (source, call_number) = cad(c);
            let reason = String::new();
            if close {
                Command::CallClosed {
                    source,
                    call_number,
                    reason,
                }
            } else {
                Command::CallCancelled {
                    source,
                    call_number,
                    reason,
                }
            }
        }),
        6 => (incident(), team(), assignment()).prop_map(|(incident_id, team_id, assignment_id)| {
            Command::Assign {
                incident_id,
                team_id,
                assignment_id,
                automatic: false,
            }
        }),
        1 => (incident(), route()).prop_map(|(incident_id, route)| Command::Decline {
            incident_id,
            route,
            reason: String::new(),
        }),
        1 => assignment().prop_map(|assignment_id| Command::AckOnBehalf {
            assignment_id,
            channel: String::new(),
            note: String::new(),
        }),
        1 => (team(), team_status())
            .prop_map(|(team_id, status)| Command::SetTeamStatus { team_id, status }),
        2 => (team(), assignment()).prop_map(|(team_id, assignment_id)| Command::Acknowledge {
            team_id,
            assignment_id,
        }),
        6 => (team(), reported_status()).prop_map(|(team_id, status)| {
            Command::UpdateStatus {
                team_id,
                status,
                position: None,
            }
        }),
        1 => team().prop_map(|team_id| Command::RequestBackup {
            team_id,
            urgent: false,
            note: String::new(),
        }),
        3 => (team(), select(Disposition::ALL.to_vec()), any::<bool>()).prop_map(
            |(team_id, disposition, consents)| Command::Clear {
                team_id,
                disposition,
                encounter: Encounter {
                    consents_to_follow_up: consents,
                    ..Encounter::default()
                },
                task_ids: Vec::new(), // minted fresh by the runner, as the server does
            }
        ),
        2 => assignment().prop_map(|assignment_id| Command::AckDeadlinePassed { assignment_id }),
        1 => team().prop_map(|team_id| Command::CheckInDue { team_id }),
        1 => (task(), incident(), proptest::option::of(peer()), select(PERSONS)).prop_map(
            |(task_id, incident_id, assignee, person)| Command::CreateFollowUp {
                task_id,
                incident_id,
                kind: FollowUpKind::PhoneCheckIn,
                due_at: T0.plus_hours(24),
                assignee,
                person_ref: person.to_owned(),
            }
        ),
        1 => (task(), peer(), any::<bool>()).prop_map(|(task_id, peer_id, reached)| {
            Command::RecordAttempt {
                task_id,
                peer_id,
                result: if reached {
                    AttemptResult::Reached
                } else {
                    AttemptResult::NoContact
                },
                note: String::new(),
                referrals: vec![],
            }
        }),
        1 => (task(), proptest::option::of(peer()), any::<bool>()).prop_map(
            |(task_id, peer_id, unreachable)| Command::CompleteFollowUp {
                task_id,
                peer_id,
                outcome: if unreachable {
                    TaskOutcome::ClosedUnreachable
                } else {
                    TaskOutcome::Done
                },
                measures: OutcomeMeasures::default(),
            }
        ),
        1 => task().prop_map(|task_id| Command::FollowUpReminderDue { task_id }),
        1 => (task(), proptest::option::of(peer())).prop_map(|(task_id, assignee)| {
            Command::ScheduleFollowUp {
                task_id,
                due_at: T0.plus_hours(48),
                assignee,
            }
        }),
    ]
}

/// Milliseconds between two commands: mostly seconds, sometimes long enough for a
/// check-in to fall due.
fn wait() -> impl Strategy<Value = i64> {
    prop_oneof![5 => 0i64..120_000, 1 => 0i64..1_800_000]
}

/// What must hold between incidents, teams and assignments whatever happened.
fn check(s: &State) -> Result<(), String> {
    for t in s.teams.values() {
        if t.incident_id.is_some() != t.status.is_on_incident()
            || t.incident_id.is_some() != t.assignment_id.is_some()
        {
            return Err(format!(
                "team {} is {:?} with {:?}",
                t.id, t.status, t.incident_id
            ));
        }
        if let Some(id) = &t.incident_id {
            let i = &s.incidents[id];
            if i.team_id.as_ref() != Some(&t.id)
                || i.assignment_id != t.assignment_id
                || !i.status.has_team()
            {
                return Err(format!("team {} holds {id} but {i:?}", t.id));
            }
        }
        if t.check_in.is_some() && t.status != TeamStatus::OnScene {
            return Err(format!(
                "team {} owes a check-in while {:?}",
                t.id, t.status
            ));
        }
    }
    for i in s.incidents.values() {
        match (&i.team_id, i.status.has_team()) {
            (Some(t), true) if s.teams[t].incident_id.as_ref() == Some(&i.id) => {}
            (None, false) => {}
            _ => {
                return Err(format!(
                    "incident {} {:?} with team {:?}",
                    i.id, i.status, i.team_id
                ));
            }
        }
        let decision = i.triage.as_ref().map(|t| t.decision);
        match i.status {
            IncidentStatus::Queued if decision == Some(Decision::NotEligible) => {
                return Err(format!("not eligible {} on the crisis queue", i.id));
            }
            IncidentStatus::Triaged if decision != Some(Decision::NotEligible) => {
                return Err(format!("{} off the queue but {decision:?}", i.id));
            }
            _ => {}
        }
    }
    for a in s.assignments.values() {
        let active = matches!(
            a.status,
            AssignmentStatus::AwaitingAck | AssignmentStatus::Acknowledged
        );
        let current = s.incidents[&a.incident_id].assignment_id.as_ref() == Some(&a.id)
            && s.teams[&a.team_id].assignment_id.as_ref() == Some(&a.id);
        if active != current {
            return Err(format!(
                "assignment {} is {:?}, current: {current}",
                a.id, a.status
            ));
        }
        if a.status != AssignmentStatus::AwaitingAck && a.ack_deadline.is_some() {
            return Err(format!(
                "assignment {} {:?} still has a deadline",
                a.id, a.status
            ));
        }
    }
    // A task links only earlier tasks of the same person, each at most once.
    for t in s.tasks.values() {
        let mut seen = std::collections::HashSet::new();
        for linked in &t.linked_task_ids {
            let other = s
                .tasks
                .get(linked)
                .ok_or_else(|| format!("task {} links unknown {linked}", t.id))?;
            if person_key(&other.person_ref) != person_key(&t.person_ref)
                || person_key(&t.person_ref).is_empty()
                || other.created_at > t.created_at
                || !seen.insert(linked)
            {
                return Err(format!("task {} wrongly links {linked}", t.id));
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_sequence_keeps_teams_incidents_and_assignments_consistent(
        steps in proptest::collection::vec((command(), wait()), 1..80)
    ) {
        let mut w = World::new();
        let mut minted = 0;
        for (n, (command, wait)) in steps.into_iter().enumerate() {
            w.later(wait);
            let command = prepare(command, &w.state, &mut minted);
            let before = w.state.clone();
            let decided = crate::decide::decide(&w.state, &w.policy, command.clone(), w.now);
            prop_assert_eq!(
                &decided,
                &crate::decide::decide(&w.state, &w.policy, command.clone(), w.now),
                "decide is deterministic"
            );
            let rendered = sorted(&w.state);
            match w.run(command.clone()) {
                Err(_) => prop_assert_eq!(rendered, sorted(&w.state), "a refusal changed state"),
                Ok(_) => {
                    if let Command::Assign { incident_id, .. } = &command {
                        let decision = before.incidents[incident_id].triage.as_ref().map(|t| t.decision);
                        prop_assert_ne!(decision, Some(Decision::NotEligible), "assigned a not-eligible call");
                    }
                }
            }
            if let Err(e) = check(&w.state) {
                return Err(TestCaseError::fail(format!("step {n} {command:?}: {e}")));
            }
            for (id, old) in &before.incidents {
                if old.status.is_closed() {
                    prop_assert_eq!(old.status, w.state.incidents[id].status, "closed {} reopened", id);
                }
            }
            for (id, old) in &before.tasks {
                if old.status.is_finished() {
                    prop_assert_eq!(old, &w.state.tasks[id], "finished task {} changed", id);
                }
            }
        }
    }
}
