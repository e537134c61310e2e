//! A responding team's picture, folded from `Responder.Subscribe`: the team, its current call
//! and assignment, and the loud things (a new assignment waiting for its ack, a check-in the
//! server asked for, a safety alert on the call, the call taken away).

use super::board::Folded;
use crate::clock;
use dispatch_proto::v1;
use dispatch_proto::v1::event::Kind;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TeamPicture {
    pub seq: u64,
    pub team: Option<v1::Team>,
    pub incident: Option<v1::Incident>,
    pub assignment: Option<v1::Assignment>,
    /// How many narrative lines the card had when it arrived; later lines are marked new.
    pub narrative_seen: usize,
    /// Safety alerts on the current call (a CAD update made it not eligible).
    pub safety: Vec<v1::Reason>,
    /// Why the last call went away (cancelled by the CAD, reassigned), until the next one.
    pub ended: Option<String>,
    /// Earlier calls at the current call's address, most recent first.
    pub premise_history: Vec<v1::PriorCall>,
}

impl TeamPicture {
    pub fn apply_snapshot(&mut self, s: v1::ResponderSnapshot) {
        let assignment = s.assignment.filter(|a| {
            matches!(
                a.status(),
                v1::AssignmentStatus::AwaitingAck | v1::AssignmentStatus::Acknowledged
            )
        });
        *self = TeamPicture {
            seq: s.seq,
            narrative_seen: s
                .incident
                .as_ref()
                .and_then(|i| i.details.as_ref())
                .map_or(0, |d| d.narrative.len()),
            team: s.team,
            incident: s.incident,
            assignment,
            premise_history: s.premise_history,
            ..TeamPicture::default()
        };
    }

    /// The assignment is waiting for this team's ack: the card is loud.
    pub fn awaiting_ack(&self) -> bool {
        self.assignment
            .as_ref()
            .is_some_and(|a| a.status() == v1::AssignmentStatus::AwaitingAck)
    }

    pub fn status(&self) -> v1::TeamStatus {
        self.team
            .as_ref()
            .map_or(v1::TeamStatus::Unspecified, |t| t.status())
    }

    fn is_current(&self, incident_id: &str) -> bool {
        self.incident.as_ref().is_some_and(|i| i.id == incident_id)
    }

    fn end(&mut self, why: String) {
        self.incident = None;
        self.assignment = None;
        self.safety.clear();
        self.narrative_seen = 0;
        self.ended = Some(why);
    }

    pub fn apply(&mut self, e: &v1::Event) -> Folded {
        if e.seq <= self.seq {
            return Folded::Duplicate;
        }
        self.seq = e.seq;
        let Some(kind) = &e.kind else {
            return Folded::Quiet;
        };
        match kind {
            Kind::AssignmentMade(m) => {
                self.narrative_seen = m
                    .incident
                    .as_ref()
                    .and_then(|i| i.details.as_ref())
                    .map_or(0, |d| d.narrative.len());
                self.assignment = m.assignment.clone();
                self.incident = m.incident.clone();
                self.premise_history = m.premise_history.clone();
                self.safety.clear();
                self.ended = None;
                if let (Some(t), Some(a)) = (self.team.as_mut(), m.assignment.as_ref()) {
                    t.set_status(v1::TeamStatus::Dispatched);
                    t.status_since = e.at;
                    t.incident_id = a.incident_id.clone();
                    t.assignment_id = a.id.clone();
                }
                return Folded::Loud;
            }
            Kind::AssignmentRepushed(r) => {
                if let Some(a) = self.assignment.as_mut().filter(|a| a.id == r.assignment_id) {
                    a.repushes = r.repushes;
                    a.ack_deadline = r.ack_deadline;
                    return Folded::Loud;
                }
            }
            Kind::AssignmentEscalated(x) => {
                if let Some(a) = self.assignment.as_mut().filter(|a| a.id == x.assignment_id) {
                    a.escalated = true;
                    a.ack_deadline = None;
                }
            }
            Kind::AssignmentAcknowledged(k) => {
                if let Some(a) = self.assignment.as_mut().filter(|a| a.id == k.assignment_id) {
                    a.ack = k.ack.clone();
                    a.ack_deadline = None;
                    a.set_status(v1::AssignmentStatus::Acknowledged);
                }
                if let Some(t) = self
                    .team
                    .as_mut()
                    .filter(|t| t.status() == v1::TeamStatus::Dispatched)
                {
                    t.set_status(v1::TeamStatus::Acknowledged);
                    t.status_since = e.at;
                }
            }
            Kind::AssignmentEnded(x)
                if self
                    .assignment
                    .as_ref()
                    .is_some_and(|a| a.id == x.assignment_id)
                    || self
                        .team
                        .as_ref()
                        .is_some_and(|t| t.assignment_id == x.assignment_id) =>
            {
                // The team is free again (the server sends no separate status change).
                if let Some(t) = self.team.as_mut() {
                    t.assignment_id.clear();
                    t.incident_id.clear();
                    t.check_in_due = None;
                    t.check_in_requested = false;
                    if super::board::on_incident(t.status()) {
                        t.set_status(v1::TeamStatus::Available);
                        t.status_since = e.at;
                    }
                }
                let current = self
                    .assignment
                    .as_ref()
                    .is_some_and(|a| a.id == x.assignment_id);
                let why = match x.status() {
                    _ if !current => return Folded::Quiet,
                    v1::AssignmentStatus::Completed => {
                        self.assignment = None;
                        self.incident = None;
                        return Folded::Quiet;
                    }
                    v1::AssignmentStatus::Reassigned => "the call was given to another team",
                    v1::AssignmentStatus::Cancelled => "the assignment was cancelled",
                    _ => "the assignment ended",
                };
                self.end(why.to_owned());
                return Folded::Loud;
            }
            Kind::TeamStatusChanged(s) => {
                if let Some(t) = self.team.as_mut() {
                    t.status = s.status;
                    t.status_since = e.at;
                    if s.status() != v1::TeamStatus::OnScene {
                        t.check_in_due = None;
                        t.check_in_requested = false;
                    }
                }
            }
            Kind::TeamPositionReported(p) => {
                if let Some(t) = self.team.as_mut() {
                    t.position = p.position;
                }
            }
            Kind::IncidentUpdated(u) if self.is_current(&u.incident_id) => {
                if let Some(i) = self.incident.as_mut() {
                    i.details = u.details.clone();
                }
            }
            Kind::NarrativeAdded(n) if self.is_current(&n.incident_id) => {
                if let Some(d) = self.incident.as_mut().and_then(|i| i.details.as_mut()) {
                    d.narrative.extend(n.lines.iter().cloned());
                }
                return Folded::Loud;
            }
            Kind::IncidentTriaged(t) if self.is_current(&t.incident_id) => {
                if let Some(i) = self.incident.as_mut() {
                    i.triage = t.triage.clone();
                }
            }
            Kind::SafetyAlert(a) if self.is_current(&a.incident_id) => {
                self.safety = a.reasons.clone();
                return Folded::Loud;
            }
            Kind::IncidentCancelled(c) if self.is_current(&c.incident_id) => {
                let why = if c.reason.is_empty() {
                    "the CAD cancelled the call".to_owned()
                } else {
                    format!("the CAD cancelled the call: {}", c.reason)
                };
                self.end(why);
                return Folded::Loud;
            }
            Kind::IncidentCleared(c) if self.is_current(&c.incident_id) => {
                self.incident = None;
                self.assignment = None;
                self.safety.clear();
                self.ended = Some("cleared".to_owned());
            }
            Kind::BackupRequested(b) if self.is_current(&b.incident_id) => {
                if let Some(i) = self.incident.as_mut() {
                    i.backup_requested = true;
                }
            }
            Kind::TeamCheckedIn(c) => {
                if let Some(t) = self.team.as_mut() {
                    t.check_in_due = c.next_due;
                    t.check_in_requested = false;
                }
            }
            Kind::CheckInRequested(c) => {
                if let Some(t) = self.team.as_mut() {
                    t.check_in_due = c.respond_by;
                    t.check_in_requested = true;
                }
                return Folded::Loud;
            }
            _ => {}
        }
        Folded::Quiet
    }

    /// Milliseconds left to acknowledge, when an ack is awaited and a deadline is set.
    pub fn ack_left_ms(&self, now_ms: i64) -> Option<i64> {
        let a = self.assignment.as_ref()?;
        if a.status() != v1::AssignmentStatus::AwaitingAck {
            return None;
        }
        clock::millis(&a.ack_deadline).map(|d| d - now_ms)
    }
}
