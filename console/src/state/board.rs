//! The dispatcher's picture of the floor, folded from `Dispatch.WatchBoard`: open incidents,
//! teams, assignments in force, and the things that must stand out (backup requests, safety
//! alerts, missed check-ins, escalated acks).

use crate::clock;
use dispatch_proto::v1;
use dispatch_proto::v1::event::Kind;
use std::collections::BTreeMap;

/// What folding one message did, so the caller knows whether to ring the bell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Folded {
    /// Already seen (its sequence is not after the last one): nothing changed.
    Duplicate,
    Quiet,
    /// Something a person must look at now.
    Loud,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BackupCall {
    pub team_id: String,
    pub urgent: bool,
    pub at_ms: i64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Board {
    /// The last journal sequence folded in.
    pub seq: u64,
    pub incidents: BTreeMap<String, v1::Incident>,
    pub teams: BTreeMap<String, v1::Team>,
    /// Assignments awaiting an ack or acknowledged.
    pub assignments: BTreeMap<String, v1::Assignment>,
    /// Open backup requests by incident.
    pub backups: BTreeMap<String, BackupCall>,
    /// Safety alerts on calls that teams hold, by incident.
    pub safety: BTreeMap<String, Vec<v1::Reason>>,
    /// Teams that did not answer a check-in request, with the call they were on.
    pub missed_check_ins: BTreeMap<String, String>,
    /// Escalated assignments and the team the server suggests instead ("" when none free).
    pub escalations: BTreeMap<String, String>,
    /// When each team's status last changed, as far as this console saw.
    pub status_since: BTreeMap<String, i64>,
}

/// Incident statuses that wait for the dispatcher: on the crisis queue, or triaged off it and
/// still to be declined to their route.
pub fn is_waiting(i: &v1::Incident) -> bool {
    matches!(
        i.status(),
        v1::IncidentStatus::Received | v1::IncidentStatus::Triaged | v1::IncidentStatus::Queued
    )
}

/// A team status that holds an incident.
pub fn on_incident(s: v1::TeamStatus) -> bool {
    use v1::TeamStatus as T;
    matches!(
        s,
        T::Dispatched | T::Acknowledged | T::EnRoute | T::OnScene | T::Transporting
    )
}

fn has_team(s: v1::IncidentStatus) -> bool {
    use v1::IncidentStatus as I;
    matches!(
        s,
        I::Assigned | I::Acknowledged | I::EnRoute | I::OnScene | I::Transporting
    )
}

/// The queue's order: most urgent first (priority 1..5, none last), then oldest, then id.
fn order(i: &v1::Incident) -> (u32, i64, &str) {
    let p = i.triage.as_ref().map_or(9, |t| t.priority);
    (
        if p == 0 { 9 } else { p },
        clock::millis(&i.received_at).unwrap_or(i64::MAX),
        i.id.as_str(),
    )
}

impl Board {
    pub fn apply_snapshot(&mut self, s: v1::BoardSnapshot) {
        *self = Board {
            seq: s.seq,
            incidents: s.incidents.into_iter().map(|i| (i.id.clone(), i)).collect(),
            status_since: s
                .teams
                .iter()
                .filter_map(|t| clock::millis(&t.status_since).map(|ms| (t.id.clone(), ms)))
                .collect(),
            teams: s.teams.into_iter().map(|t| (t.id.clone(), t)).collect(),
            assignments: s
                .assignments
                .into_iter()
                .map(|a| (a.id.clone(), a))
                .collect(),
            ..Board::default()
        };
        // A snapshot carries the incident's backup flag but not who asked or how urgently.
        for i in self.incidents.values() {
            if i.backup_requested {
                self.backups.insert(
                    i.id.clone(),
                    BackupCall {
                        team_id: i.team_id.clone(),
                        urgent: true,
                        at_ms: clock::millis(&i.updated_at).unwrap_or(0),
                    },
                );
            }
        }
    }

    pub fn apply(&mut self, e: &v1::Event) -> Folded {
        if e.seq <= self.seq {
            return Folded::Duplicate;
        }
        self.seq = e.seq;
        let at = clock::millis(&e.at).unwrap_or(0);
        let Some(kind) = &e.kind else {
            return Folded::Quiet;
        };
        match kind {
            Kind::TeamRegistered(r) => {
                if let Some(t) = &r.team {
                    self.teams.insert(t.id.clone(), t.clone());
                }
            }
            Kind::IncidentReceived(r) => {
                if let Some(i) = &r.incident {
                    self.incidents.insert(i.id.clone(), i.clone());
                }
            }
            Kind::IncidentUpdated(u) => {
                if let Some(i) = self.incidents.get_mut(&u.incident_id) {
                    i.details = u.details.clone();
                }
            }
            Kind::NarrativeAdded(n) => {
                if let Some(d) = self
                    .incidents
                    .get_mut(&n.incident_id)
                    .and_then(|i| i.details.as_mut())
                {
                    d.narrative.extend(n.lines.iter().cloned());
                }
            }
            Kind::IncidentTriaged(t) => {
                if let Some(i) = self.incidents.get_mut(&t.incident_id) {
                    i.triage = t.triage.clone();
                    if t.status != 0 {
                        i.status = t.status;
                    }
                }
            }
            Kind::SafetyAlert(a) => {
                self.safety.insert(a.incident_id.clone(), a.reasons.clone());
                return Folded::Loud;
            }
            Kind::IncidentDeclined(d) => self.close(&d.incident_id),
            Kind::IncidentCancelled(c) => self.close(&c.incident_id),
            Kind::IncidentCleared(c) => self.close(&c.incident_id),
            Kind::AssignmentMade(m) => {
                if let Some(i) = &m.incident {
                    self.incidents.insert(i.id.clone(), i.clone());
                }
                if let Some(a) = &m.assignment {
                    if let Some(i) = self.incidents.get_mut(&a.incident_id) {
                        i.set_status(v1::IncidentStatus::Assigned);
                        i.assignment_id = a.id.clone();
                        i.team_id = a.team_id.clone();
                    }
                    if let Some(t) = self.teams.get_mut(&a.team_id) {
                        t.set_status(v1::TeamStatus::Dispatched);
                        t.status_since = e.at;
                        t.incident_id = a.incident_id.clone();
                        t.assignment_id = a.id.clone();
                        self.status_since.insert(a.team_id.clone(), at);
                    }
                    self.assignments.insert(a.id.clone(), a.clone());
                }
            }
            Kind::AssignmentRepushed(r) => {
                if let Some(a) = self.assignments.get_mut(&r.assignment_id) {
                    a.repushes = r.repushes;
                    a.ack_deadline = r.ack_deadline;
                }
            }
            Kind::AssignmentEscalated(x) => {
                if let Some(a) = self.assignments.get_mut(&x.assignment_id) {
                    a.escalated = true;
                    a.ack_deadline = None;
                }
                self.escalations
                    .insert(x.assignment_id.clone(), x.suggested_team_id.clone());
                return Folded::Loud;
            }
            Kind::AssignmentAcknowledged(k) => {
                if let Some(a) = self.assignments.get_mut(&k.assignment_id) {
                    a.ack = k.ack.clone();
                    a.set_status(v1::AssignmentStatus::Acknowledged);
                    a.ack_deadline = None;
                }
                self.escalations.remove(&k.assignment_id);
                if let Some(i) = self
                    .incidents
                    .get_mut(&k.incident_id)
                    .filter(|i| i.status() == v1::IncidentStatus::Assigned)
                {
                    i.set_status(v1::IncidentStatus::Acknowledged);
                }
                if let Some(t) = self
                    .teams
                    .get_mut(&k.team_id)
                    .filter(|t| t.status() == v1::TeamStatus::Dispatched)
                {
                    t.set_status(v1::TeamStatus::Acknowledged);
                    t.status_since = e.at;
                    self.status_since.insert(k.team_id.clone(), at);
                }
            }
            Kind::AssignmentEnded(x) => {
                self.assignments.remove(&x.assignment_id);
                self.escalations.remove(&x.assignment_id);
                // The team is free again (the server sends no separate status change).
                if let Some(t) = self
                    .teams
                    .get_mut(&x.team_id)
                    .filter(|t| t.assignment_id == x.assignment_id)
                {
                    t.assignment_id.clear();
                    t.incident_id.clear();
                    t.check_in_due = None;
                    t.check_in_requested = false;
                    if on_incident(t.status()) {
                        t.set_status(v1::TeamStatus::Available);
                        t.status_since = e.at;
                        self.status_since.insert(x.team_id.clone(), at);
                    }
                }
                if let Some(i) = self
                    .incidents
                    .get_mut(&x.incident_id)
                    .filter(|i| i.assignment_id == x.assignment_id)
                {
                    i.assignment_id.clear();
                    i.team_id.clear();
                    if x.status() == v1::AssignmentStatus::Reassigned && has_team(i.status()) {
                        i.set_status(v1::IncidentStatus::Queued);
                    }
                }
            }
            Kind::TeamStatusChanged(s) => {
                if let Some(t) = self.teams.get_mut(&s.team_id) {
                    t.status = s.status;
                    t.status_since = e.at;
                    if s.status() != v1::TeamStatus::OnScene {
                        t.check_in_due = None;
                        t.check_in_requested = false;
                    }
                }
                self.status_since.insert(s.team_id.clone(), at);
                if let Some(i) = self.incidents.get_mut(&s.incident_id) {
                    let status = match s.status() {
                        v1::TeamStatus::EnRoute => Some(v1::IncidentStatus::EnRoute),
                        v1::TeamStatus::OnScene => Some(v1::IncidentStatus::OnScene),
                        v1::TeamStatus::Transporting => Some(v1::IncidentStatus::Transporting),
                        v1::TeamStatus::Acknowledged => Some(v1::IncidentStatus::Acknowledged),
                        _ => None,
                    };
                    if let Some(st) = status {
                        i.set_status(st);
                    }
                }
                self.missed_check_ins.remove(&s.team_id);
            }
            Kind::TeamPositionReported(p) => {
                if let Some(t) = self.teams.get_mut(&p.team_id) {
                    t.position = p.position;
                }
            }
            Kind::BackupRequested(b) => {
                if let Some(i) = self.incidents.get_mut(&b.incident_id) {
                    i.backup_requested = true;
                }
                self.backups.insert(
                    b.incident_id.clone(),
                    BackupCall {
                        team_id: b.team_id.clone(),
                        urgent: b.urgent,
                        at_ms: at,
                    },
                );
                return Folded::Loud;
            }
            Kind::TeamCheckedIn(c) => {
                if let Some(t) = self.teams.get_mut(&c.team_id) {
                    t.check_in_due = c.next_due;
                    t.check_in_requested = false;
                }
                self.missed_check_ins.remove(&c.team_id);
            }
            Kind::CheckInRequested(c) => {
                if let Some(t) = self.teams.get_mut(&c.team_id) {
                    t.check_in_due = c.respond_by;
                    t.check_in_requested = true;
                }
            }
            Kind::CheckInMissed(c) => {
                if let Some(t) = self.teams.get_mut(&c.team_id) {
                    t.check_in_due = None;
                    t.check_in_requested = false;
                }
                self.missed_check_ins
                    .insert(c.team_id.clone(), c.incident_id.clone());
                return Folded::Loud;
            }
            // Follow-up events come on the follow-up queue's own stream.
            Kind::FollowUpCreated(_)
            | Kind::FollowUpScheduled(_)
            | Kind::FollowUpAttemptRecorded(_)
            | Kind::FollowUpCompleted(_)
            | Kind::FollowUpOverdue(_) => {}
        }
        Folded::Quiet
    }

    fn close(&mut self, incident_id: &str) {
        self.incidents.remove(incident_id);
        self.backups.remove(incident_id);
        self.safety.remove(incident_id);
    }

    /// The calls waiting for the dispatcher, most urgent first, then oldest first.
    pub fn queue(&self) -> Vec<&v1::Incident> {
        let mut q: Vec<&v1::Incident> = self.incidents.values().filter(|i| is_waiting(i)).collect();
        q.sort_by(|a, b| order(a).cmp(&order(b)));
        q
    }

    /// Where a waiting call stands in `queue()`, without sorting (the selection is kept on its
    /// call after every message, and a resumed stream brings thousands of them).
    pub fn rank(&self, incident_id: &str) -> Option<usize> {
        let me = self.incidents.get(incident_id).filter(|i| is_waiting(i))?;
        let key = order(me);
        Some(
            self.incidents
                .values()
                .filter(|i| is_waiting(i) && order(i) < key)
                .count(),
        )
    }

    /// The assignment in force on an incident, if any.
    pub fn assignment_for(&self, incident_id: &str) -> Option<&v1::Assignment> {
        self.assignments
            .values()
            .find(|a| a.incident_id == incident_id)
    }

    /// Assignments still waiting for the team's ack, oldest first.
    pub fn unacknowledged(&self) -> Vec<&v1::Assignment> {
        let mut v: Vec<&v1::Assignment> = self
            .assignments
            .values()
            .filter(|a| a.status() == v1::AssignmentStatus::AwaitingAck)
            .collect();
        v.sort_by_key(|a| clock::millis(&a.assigned_at).unwrap_or(0));
        v
    }

    /// The call number of an incident, or its id when the board does not hold it.
    pub fn call_number(&self, incident_id: &str) -> String {
        self.incidents
            .get(incident_id)
            .map_or_else(|| incident_id.to_owned(), |i| i.call_number.clone())
    }
}
