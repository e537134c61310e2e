//! The state: the fold of every event. `apply` never fails and never decides anything; the
//! rules live in [`crate::decide`].

use crate::event::Event;
use crate::ids::{AssignmentId, IncidentId, TaskId, TeamId};
use crate::model::*;
use crate::time::Timestamp;
use std::collections::{BTreeMap, HashMap};

#[derive(Clone, Debug, Default)]
pub struct State {
    pub incidents: HashMap<IncidentId, Incident>,
    /// (CAD source, call number) → incident.
    pub calls: HashMap<(String, String), IncidentId>,
    pub teams: BTreeMap<TeamId, Team>,
    pub assignments: HashMap<AssignmentId, Assignment>,
    pub tasks: HashMap<TaskId, FollowUpTask>,
}

impl State {
    /// Rebuilds the state from stored projections.
    pub fn from_parts(
        incidents: Vec<Incident>,
        teams: Vec<Team>,
        assignments: Vec<Assignment>,
        tasks: Vec<FollowUpTask>,
    ) -> Self {
        let mut state = State::default();
        for incident in incidents {
            state.calls.insert(
                (incident.source.clone(), incident.call_number.clone()),
                incident.id.clone(),
            );
            state.incidents.insert(incident.id.clone(), incident);
        }
        state.teams = teams.into_iter().map(|t| (t.id.clone(), t)).collect();
        state.assignments = assignments.into_iter().map(|a| (a.id.clone(), a)).collect();
        state.tasks = tasks.into_iter().map(|t| (t.id.clone(), t)).collect();
        state
    }

    pub fn incident_by_call(&self, source: &str, call_number: &str) -> Option<&Incident> {
        self.calls
            .get(&(source.to_owned(), call_number.to_owned()))
            .and_then(|id| self.incidents.get(id))
    }

    /// Folds one event in. `at` is the time the event was recorded.
    pub fn apply(&mut self, event: &Event, at: Timestamp) {
        match event {
            Event::TeamRegistered { team } => {
                self.teams.insert(team.id.clone(), team.clone());
            }
            Event::IncidentReceived { incident } => {
                self.calls.insert(
                    (incident.source.clone(), incident.call_number.clone()),
                    incident.id.clone(),
                );
                self.incidents.insert(incident.id.clone(), incident.clone());
            }
            Event::IncidentUpdated {
                incident_id,
                details,
                ..
            } => {
                if let Some(i) = self.incidents.get_mut(incident_id) {
                    i.details = details.clone();
                    i.updated_at = at;
                }
            }
            Event::NarrativeAdded {
                incident_id, lines, ..
            } => {
                if let Some(i) = self.incidents.get_mut(incident_id) {
                    i.details.narrative.extend(lines.iter().cloned());
                    i.updated_at = at;
                }
            }
            Event::IncidentTriaged {
                incident_id,
                triage,
                status,
                ..
            } => {
                if let Some(i) = self.incidents.get_mut(incident_id) {
                    i.triage = Some(triage.clone());
                    if let Some(s) = status {
                        i.status = *s;
                    }
                    i.updated_at = at;
                }
            }
            Event::SafetyAlert { .. } => {}
            Event::IncidentDeclined {
                incident_id,
                route,
                reason,
            } => {
                if let Some(i) = self.incidents.get_mut(incident_id) {
                    i.status = IncidentStatus::Declined;
                    i.declined = Some(DeclineInfo {
                        at,
                        route: *route,
                        reason: reason.clone(),
                    });
                    i.updated_at = at;
                }
            }
            Event::IncidentCancelled {
                incident_id,
                reason,
                ..
            } => {
                if let Some(i) = self.incidents.get_mut(incident_id) {
                    i.status = IncidentStatus::Cancelled;
                    i.cancel_reason = Some(reason.clone());
                    i.updated_at = at;
                }
            }
            Event::AssignmentMade { assignment, .. } => {
                if let Some(i) = self.incidents.get_mut(&assignment.incident_id) {
                    i.status = IncidentStatus::Assigned;
                    i.assignment_id = Some(assignment.id.clone());
                    i.team_id = Some(assignment.team_id.clone());
                    i.updated_at = at;
                }
                if let Some(t) = self.teams.get_mut(&assignment.team_id) {
                    t.status = TeamStatus::Dispatched;
                    t.status_since = at;
                    t.incident_id = Some(assignment.incident_id.clone());
                    t.assignment_id = Some(assignment.id.clone());
                }
                self.assignments
                    .insert(assignment.id.clone(), assignment.clone());
            }
            Event::AssignmentRepushed {
                assignment_id,
                repushes,
                ack_deadline,
                ..
            } => {
                if let Some(a) = self.assignments.get_mut(assignment_id) {
                    a.repushes = *repushes;
                    a.ack_deadline = Some(*ack_deadline);
                }
            }
            Event::AssignmentEscalated { assignment_id, .. } => {
                if let Some(a) = self.assignments.get_mut(assignment_id) {
                    a.escalated = true;
                    a.ack_deadline = None;
                }
            }
            Event::AssignmentAcknowledged {
                assignment_id,
                team_id,
                incident_id,
                ack,
            } => {
                if let Some(a) = self.assignments.get_mut(assignment_id) {
                    a.status = AssignmentStatus::Acknowledged;
                    a.ack = Some(ack.clone());
                    a.ack_deadline = None;
                }
                if let Some(i) = self.incidents.get_mut(incident_id) {
                    if i.status == IncidentStatus::Assigned {
                        i.status = IncidentStatus::Acknowledged;
                    }
                    i.updated_at = at;
                }
                if let Some(t) = self.teams.get_mut(team_id)
                    && t.status == TeamStatus::Dispatched
                {
                    t.status = TeamStatus::Acknowledged;
                    t.status_since = at;
                }
            }
            Event::AssignmentEnded {
                assignment_id,
                team_id,
                incident_id,
                status,
            } => {
                if let Some(a) = self.assignments.get_mut(assignment_id) {
                    a.status = *status;
                    a.ack_deadline = None;
                }
                if let Some(t) = self.teams.get_mut(team_id)
                    && t.assignment_id.as_ref() == Some(assignment_id)
                {
                    t.assignment_id = None;
                    t.incident_id = None;
                    t.check_in = None;
                    if *status == AssignmentStatus::Completed {
                        t.last_cleared_at = Some(at);
                    }
                    if t.status.is_on_incident() {
                        t.status = TeamStatus::Available;
                        t.status_since = at;
                    }
                }
                if let Some(i) = self.incidents.get_mut(incident_id) {
                    if i.assignment_id.as_ref() == Some(assignment_id) {
                        i.assignment_id = None;
                        i.team_id = None;
                        if *status == AssignmentStatus::Reassigned && i.status.has_team() {
                            i.status = IncidentStatus::Queued;
                        }
                    }
                    i.updated_at = at;
                }
            }
            Event::TeamStatusChanged {
                team_id,
                status,
                incident_id,
            } => {
                if let Some(t) = self.teams.get_mut(team_id) {
                    t.status = *status;
                    t.status_since = at;
                    if *status != TeamStatus::OnScene {
                        t.check_in = None;
                    }
                }
                if let Some(i) = incident_id
                    .as_ref()
                    .and_then(|id| self.incidents.get_mut(id))
                {
                    if let Some(s) = incident_status_for(*status) {
                        i.status = s;
                    }
                    i.updated_at = at;
                }
            }
            Event::TeamCheckedIn {
                team_id, next_due, ..
            } => {
                if let Some(t) = self.teams.get_mut(team_id) {
                    t.check_in = Some(CheckIn {
                        due: *next_due,
                        requested: false,
                    });
                }
            }
            Event::CheckInRequested {
                team_id,
                respond_by,
                ..
            } => {
                if let Some(t) = self.teams.get_mut(team_id) {
                    t.check_in = Some(CheckIn {
                        due: *respond_by,
                        requested: true,
                    });
                }
            }
            Event::CheckInMissed { team_id, .. } => {
                if let Some(t) = self.teams.get_mut(team_id) {
                    t.check_in = None;
                }
            }
            Event::TeamPositionReported { team_id, position } => {
                if let Some(t) = self.teams.get_mut(team_id) {
                    t.position = Some(*position);
                }
            }
            Event::BackupRequested { incident_id, .. } => {
                if let Some(i) = self.incidents.get_mut(incident_id) {
                    i.backup_requested = true;
                    i.updated_at = at;
                }
            }
            Event::IncidentCleared {
                incident_id,
                team_id,
                disposition,
                encounter,
            } => {
                if let Some(i) = self.incidents.get_mut(incident_id) {
                    i.status = IncidentStatus::Cleared;
                    i.clearance = Some(Clearance {
                        at,
                        team_id: team_id.clone(),
                        disposition: *disposition,
                        encounter: encounter.clone(),
                    });
                    i.updated_at = at;
                }
            }
            Event::FollowUpCreated { task } => {
                self.tasks.insert(task.id.clone(), task.clone());
            }
            Event::FollowUpScheduled {
                task_id,
                due_at,
                assignee,
            } => {
                if let Some(t) = self.tasks.get_mut(task_id) {
                    t.due_at = *due_at;
                    t.assignee.clone_from(assignee);
                    t.status = FollowUpStatus::Scheduled;
                }
            }
            Event::FollowUpAttemptRecorded {
                task_id,
                attempt,
                status,
                assignee,
            } => {
                if let Some(t) = self.tasks.get_mut(task_id) {
                    t.referrals.extend(attempt.referrals.iter().cloned());
                    t.attempts.push(attempt.clone());
                    t.status = *status;
                    t.assignee.clone_from(assignee);
                }
            }
            Event::FollowUpOverdue { task_id, .. } => {
                if let Some(t) = self.tasks.get_mut(task_id) {
                    t.reminded_at = Some(at);
                }
            }
            Event::FollowUpCompleted {
                task_id,
                status,
                measures,
            } => {
                if let Some(t) = self.tasks.get_mut(task_id) {
                    t.status = *status;
                    t.outcome = Some(measures.clone());
                }
            }
        }
    }
}

/// The incident status that mirrors a team status while the team works it.
pub fn incident_status_for(status: TeamStatus) -> Option<IncidentStatus> {
    match status {
        TeamStatus::Dispatched => Some(IncidentStatus::Assigned),
        TeamStatus::Acknowledged => Some(IncidentStatus::Acknowledged),
        TeamStatus::EnRoute => Some(IncidentStatus::EnRoute),
        TeamStatus::OnScene => Some(IncidentStatus::OnScene),
        TeamStatus::Transporting => Some(IncidentStatus::Transporting),
        _ => None,
    }
}
