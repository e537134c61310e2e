//! Core values with every field set, for the conversion tests.

use dispatch_core::*;

pub fn location() -> Location {
    Location {
        address: "SW 4th & Main".into(),
        point: Some(GeoPoint {
            lat: 45.515,
            lon: -122.679,
        }),
        place_type: PlaceType::OutdoorPublic,
        cross_streets: "SW 3rd".into(),
        beat: "C4".into(),
    }
}

pub fn flags() -> SafetyFlags {
    SafetyFlags {
        weapon: Answer::No,
        violence: Answer::Yes,
        medical: Answer::Unknown,
        fire: Answer::No,
        traffic: Answer::Yes,
        suicidal: Answer::No,
    }
}

pub fn details() -> CallDetails {
    CallDetails {
        nature_code: "WELCK".into(),
        nature_text: "welfare check".into(),
        cad_priority: 3,
        location: location(),
        narrative: vec![NarrativeLine {
            at: Timestamp(1_000),
            text: "RP STS MALE YELLING".into(),
        }],
        caller: Caller {
            name: "Pat".into(),
            callback: "555-0100".into(),
        },
        caller_language: "es".into(),
        flags: flags(),
    }
}

pub fn triage() -> TriageDecision {
    TriageDecision {
        decision: Decision::Review,
        route: Route::Dispatcher,
        priority: 2,
        reasons: vec![Reason {
            rule: "nature".into(),
            evidence: "WELCK".into(),
        }],
    }
}

pub fn referral() -> Referral {
    Referral {
        category: ResourceCategory::Shelter,
        status: ReferralStatus::Made,
        note: "bed at 9pm".into(),
    }
}

pub fn encounter() -> Encounter {
    Encounter {
        notes: "calm on arrival".into(),
        services_provided: vec!["water".into(), "blanket".into()],
        referrals: vec![referral()],
        consents_to_follow_up: true,
        person_ref: "client 4471".into(),
    }
}

pub fn incident() -> Incident {
    Incident {
        id: IncidentId::new("inc-1"),
        source: "boec".into(),
        call_number: "C-1".into(),
        details: details(),
        triage: Some(triage()),
        status: IncidentStatus::Cleared,
        received_at: Timestamp(1_000),
        updated_at: Timestamp(9_000),
        assignment_id: Some(AssignmentId::new("asg-1")),
        team_id: Some(TeamId::new("PSR-3")),
        declined: Some(DeclineInfo {
            at: Timestamp(2_000),
            route: Route::Police,
            reason: "weapon".into(),
        }),
        clearance: Some(Clearance {
            at: Timestamp(9_000),
            team_id: TeamId::new("PSR-3"),
            disposition: Disposition::ConnectedToServices,
            encounter: encounter(),
        }),
        cancel_reason: Some("dup".into()),
        backup_requested: true,
    }
}

/// An incident just received: every optional part absent.
pub fn bare_incident() -> Incident {
    Incident {
        triage: None,
        status: IncidentStatus::Received,
        assignment_id: None,
        team_id: None,
        declined: None,
        clearance: None,
        cancel_reason: None,
        backup_requested: false,
        ..incident()
    }
}

pub fn team() -> Team {
    Team {
        id: TeamId::new("PSR-3"),
        members: vec![
            Member {
                name: "Ana".into(),
                role: MemberRole::Clinician,
                peer_id: None,
            },
            Member {
                name: "Bo".into(),
                role: MemberRole::Peer,
                peer_id: Some(PeerId::new("peer-bo")),
            },
        ],
        languages: vec!["en".into(), "es".into()],
        position: Some(GeoPoint {
            lat: 45.52,
            lon: -122.68,
        }),
        status: TeamStatus::OnScene,
        status_since: Timestamp(5_000),
        incident_id: Some(IncidentId::new("inc-1")),
        assignment_id: Some(AssignmentId::new("asg-1")),
        last_cleared_at: Some(Timestamp(100)),
        check_in: Some(CheckIn {
            due: Timestamp(7_000),
            requested: true,
        }),
    }
}

pub fn dispatcher_ack() -> Ack {
    Ack {
        at: Timestamp(3_000),
        by: AckedBy::Dispatcher {
            channel: "phone".into(),
            note: "heard them".into(),
        },
    }
}

pub fn assignment() -> Assignment {
    Assignment {
        id: AssignmentId::new("asg-1"),
        incident_id: IncidentId::new("inc-1"),
        team_id: TeamId::new("PSR-3"),
        assigned_at: Timestamp(2_500),
        ack_deadline: Some(Timestamp(2_800)),
        repushes: 1,
        escalated: true,
        ack: Some(dispatcher_ack()),
        status: AssignmentStatus::Acknowledged,
        automatic: true,
    }
}

pub fn attempt() -> Attempt {
    Attempt {
        at: Timestamp(20_000),
        by: PeerId::new("peer-bo"),
        result: AttemptResult::NoContact,
        note: "voicemail".into(),
        referrals: vec![referral()],
    }
}

pub fn measures() -> OutcomeMeasures {
    OutcomeMeasures {
        connected_to_services: true,
        housing_status_improved: false,
        returned_to_crisis: true,
        note: "sheltered".into(),
    }
}

pub fn task() -> FollowUpTask {
    FollowUpTask {
        id: TaskId::new("fu-1"),
        incident_id: IncidentId::new("inc-1"),
        kind: FollowUpKind::PhoneCheckIn,
        due_at: Timestamp(10_000),
        assignee: Some(PeerId::new("peer-bo")),
        status: FollowUpStatus::Scheduled,
        attempts: vec![attempt()],
        referrals: vec![referral()],
        outcome: Some(measures()),
        created_at: Timestamp(9_000),
        origin: "consented".into(),
        reminded_at: None,
        person_ref: "client 4471".into(),
        linked_task_ids: vec![TaskId::new("t-0")],
    }
}

fn incident_id() -> IncidentId {
    IncidentId::new("inc-1")
}
fn team_id() -> TeamId {
    TeamId::new("PSR-3")
}
fn assignment_id() -> AssignmentId {
    AssignmentId::new("asg-1")
}
fn task_id() -> TaskId {
    TaskId::new("fu-1")
}

/// One of every core event, each with its own `Event::name()` (the events tests check that
/// the names are distinct, so a variant listed twice instead of a new one is caught).
pub fn every_event() -> Vec<Event> {
    vec![
        Event::TeamRegistered { team: team() },
        Event::IncidentReceived {
            incident: incident(),
        },
        Event::IncidentUpdated {
            incident_id: incident_id(),
            team_id: Some(team_id()),
            details: details(),
        },
        Event::NarrativeAdded {
            incident_id: incident_id(),
            team_id: None,
            lines: details().narrative,
        },
        Event::IncidentTriaged {
            incident_id: incident_id(),
            team_id: None,
            triage: triage(),
            status: Some(IncidentStatus::Queued),
        },
        Event::SafetyAlert {
            incident_id: incident_id(),
            team_id: Some(team_id()),
            reasons: triage().reasons,
        },
        Event::IncidentDeclined {
            incident_id: incident_id(),
            route: Route::Ems,
            reason: "medical".into(),
        },
        Event::IncidentCancelled {
            incident_id: incident_id(),
            team_id: None,
            reason: "dup".into(),
        },
        Event::AssignmentMade {
            assignment: assignment(),
            incident: incident(),
        },
        Event::AssignmentRepushed {
            assignment_id: assignment_id(),
            team_id: team_id(),
            incident_id: incident_id(),
            repushes: 2,
            ack_deadline: Timestamp(4_000),
        },
        Event::AssignmentEscalated {
            assignment_id: assignment_id(),
            team_id: team_id(),
            incident_id: incident_id(),
            suggested_team_id: None,
        },
        Event::TeamCheckedIn {
            team_id: team_id(),
            incident_id: incident_id(),
            next_due: Timestamp(6_000),
        },
        Event::CheckInRequested {
            team_id: team_id(),
            incident_id: incident_id(),
            respond_by: Timestamp(6_500),
        },
        Event::CheckInMissed {
            team_id: team_id(),
            incident_id: incident_id(),
        },
        Event::AssignmentAcknowledged {
            assignment_id: assignment_id(),
            team_id: team_id(),
            incident_id: incident_id(),
            ack: dispatcher_ack(),
        },
        Event::AssignmentEnded {
            assignment_id: assignment_id(),
            team_id: team_id(),
            incident_id: incident_id(),
            status: AssignmentStatus::Reassigned,
        },
        Event::TeamStatusChanged {
            team_id: team_id(),
            status: TeamStatus::EnRoute,
            incident_id: None,
        },
        Event::TeamPositionReported {
            team_id: team_id(),
            position: GeoPoint { lat: 1.0, lon: 2.0 },
        },
        Event::BackupRequested {
            incident_id: incident_id(),
            team_id: team_id(),
            urgent: true,
            note: "crowd".into(),
        },
        Event::IncidentCleared {
            incident_id: incident_id(),
            team_id: team_id(),
            disposition: Disposition::HandedToPolice,
            encounter: encounter(),
        },
        Event::FollowUpCreated { task: task() },
        Event::FollowUpScheduled {
            task_id: task_id(),
            due_at: Timestamp(8_000),
            assignee: None,
        },
        Event::FollowUpAttemptRecorded {
            task_id: task_id(),
            attempt: attempt(),
            status: FollowUpStatus::Open,
            assignee: Some(PeerId::new("peer-bo")),
        },
        Event::FollowUpCompleted {
            task_id: task_id(),
            status: FollowUpStatus::Done,
            measures: measures(),
        },
        Event::FollowUpOverdue {
            task_id: task_id(),
            incident_id: incident_id(),
            assignee: None,
            due_at: Timestamp(10_000),
        },
    ]
}

/// The sample event with that `Event::name()`.
pub fn event(name: &str) -> Event {
    every_event()
        .into_iter()
        .find(|e| e.name() == name)
        .unwrap_or_else(|| panic!("no sample event {name}"))
}
