//! Every transition and every rejection of the rules, through `decide` + `apply`; the
//! `World` fixture also serves the tests of modules that read the journal (reports).

use crate::command::Command;
use crate::event::Event;
use crate::ids::*;
use crate::model::*;
use crate::policy::Policy;
use crate::rejection::Rejection;
use crate::state::State;
use crate::time::Timestamp;

pub(crate) const T0: Timestamp = Timestamp(1_700_000_000_000);

pub(crate) struct World {
    pub(crate) state: State,
    pub(crate) policy: Policy,
    pub(crate) now: Timestamp,
    /// Every event with the time it happened, as the journal would hold them.
    pub(crate) journal: Vec<(Timestamp, Event)>,
}

impl World {
    pub(crate) fn new() -> World {
        let mut w = World {
            state: State::default(),
            policy: Policy::default(),
            now: T0,
            journal: Vec::new(),
        };
        for (id, lat, peer) in [("PSR-1", 45.519, "peer-1"), ("PSR-2", 45.512, "peer-2")] {
            w.ok(Command::RegisterTeam {
                team_id: TeamId::new(id),
                members: vec![
                    Member {
                        name: "C".into(),
                        role: MemberRole::Clinician,
                        peer_id: None,
                    },
                    Member {
                        name: "E".into(),
                        role: MemberRole::Emt,
                        peer_id: None,
                    },
                    Member {
                        name: "P".into(),
                        role: MemberRole::Peer,
                        peer_id: Some(PeerId::new(peer)),
                    },
                ],
                languages: vec!["en".into()],
                position: Some(GeoPoint { lat, lon: -122.68 }),
            });
        }
        w
    }

    pub(crate) fn run(&mut self, command: Command) -> Result<Vec<Event>, Rejection> {
        let events = crate::decide::decide(&self.state, &self.policy, command, self.now)?;
        for e in &events {
            self.state.apply(e, self.now);
        }
        self.journal
            .extend(events.iter().map(|e| (self.now, e.clone())));
        Ok(events)
    }

    pub(crate) fn ok(&mut self, command: Command) -> Vec<Event> {
        self.run(command).expect("command accepted")
    }

    /// A refused command changes nothing.
    pub(crate) fn refused(&mut self, command: Command) -> Rejection {
        let before = format!("{:?}", sorted(&self.state));
        let r = self.run(command).expect_err("command refused");
        assert_eq!(
            before,
            format!("{:?}", sorted(&self.state)),
            "a refusal must change nothing"
        );
        r
    }

    pub(crate) fn later(&mut self, ms: i64) {
        self.now = self.now.plus_millis(ms);
    }

    pub(crate) fn call(&mut self, number: &str, details: CallDetails) -> IncidentId {
        let id = IncidentId::new(format!("inc-{number}"));
        self.ok(Command::CallCreated {
            source: "cad".into(),
            call_number: number.into(),
            incident_id: id.clone(),
            details,
        });
        id
    }

    pub(crate) fn incident(&self, id: &IncidentId) -> &Incident {
        &self.state.incidents[id]
    }

    pub(crate) fn team(&self, id: &str) -> &Team {
        &self.state.teams[&TeamId::new(id)]
    }

    pub(crate) fn assign(
        &mut self,
        incident: &IncidentId,
        team: &str,
        assignment: &str,
    ) -> AssignmentId {
        let id = AssignmentId::new(assignment);
        self.ok(Command::Assign {
            incident_id: incident.clone(),
            team_id: TeamId::new(team),
            assignment_id: id.clone(),
            automatic: false,
        });
        id
    }

    pub(crate) fn status(
        &mut self,
        team: &str,
        status: TeamStatus,
    ) -> Result<Vec<Event>, Rejection> {
        self.run(Command::UpdateStatus {
            team_id: TeamId::new(team),
            status: Some(status),
            position: None,
        })
    }

    /// A call assigned to `team` and worked to on scene.
    pub(crate) fn on_scene(&mut self, number: &str, team: &str) -> IncidentId {
        let id = self.call(number, crisis());
        self.assign(&id, team, &format!("a-{number}"));
        self.status(team, TeamStatus::EnRoute).unwrap();
        self.status(team, TeamStatus::OnScene).unwrap();
        id
    }

    pub(crate) fn clear(
        &mut self,
        team: &str,
        disposition: Disposition,
        consent: bool,
    ) -> Result<Vec<Event>, Rejection> {
        self.run(Command::Clear {
            team_id: TeamId::new(team),
            disposition,
            encounter: Encounter {
                consents_to_follow_up: consent,
                ..Encounter::default()
            },
            task_ids: (0..5)
                .map(|n| TaskId::new(format!("t-{}-{n}", self.now.millis())))
                .collect(),
        })
    }
}

/// A stable rendering of the state for before/after comparisons.
fn sorted(s: &State) -> Vec<String> {
    let mut v: Vec<String> = s.incidents.values().map(|i| format!("{i:?}")).collect();
    v.extend(s.teams.values().map(|t| format!("{t:?}")));
    v.extend(s.assignments.values().map(|a| format!("{a:?}")));
    v.extend(s.tasks.values().map(|t| format!("{t:?}")));
    v.sort();
    v
}

pub(crate) fn no_flags() -> SafetyFlags {
    SafetyFlags {
        weapon: Answer::No,
        violence: Answer::No,
        medical: Answer::No,
        fire: Answer::No,
        traffic: Answer::No,
        suicidal: Answer::No,
    }
}

pub(crate) fn crisis() -> CallDetails {
    CallDetails {
        nature_code: "CRISIS".into(),
        nature_text: "PERSON IN BEHAVIORAL/EMOTIONAL CRISIS".into(),
        cad_priority: 3,
        location: Location {
            address: "700 BLOCK SW 5TH AVE".into(),
            point: Some(GeoPoint {
                lat: 45.5189,
                lon: -122.6775,
            }),
            place_type: PlaceType::OutdoorPublic,
            ..Location::default()
        },
        flags: no_flags(),
        ..CallDetails::default()
    }
}

pub(crate) fn with(f: impl FnOnce(&mut CallDetails)) -> CallDetails {
    let mut d = crisis();
    f(&mut d);
    d
}

fn with_task() -> (World, TaskId) {
    let mut w = World::new();
    w.on_scene("C1", "PSR-1");
    w.clear("PSR-1", Disposition::Transported, true).unwrap();
    let id = w.state.tasks.keys().next().unwrap().clone();
    (w, id)
}

mod cad;
mod dispatcher;
mod follow_up;
mod limits;
mod sequences;
mod team;
mod timers;
