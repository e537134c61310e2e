//! The fold that turns journal entries into a [`UtilizationReport`].

use super::UtilizationReport;
use super::figures::{Figures, Samples};
use crate::event::Event;
use crate::hours::ServiceHours;
use crate::ids::{IncidentId, TaskId, TeamId};
use crate::model::{
    AttemptResult, Decision, Disposition, FollowUpStatus, Reason, Referral, ResourceCategory,
    TeamStatus,
};
use crate::time::Timestamp;
use std::collections::{BTreeMap, HashMap};

/// What happened to one call received in the period.
#[derive(Debug, Default)]
struct CallTrack {
    received: Timestamp,
    decision: Option<Decision>,
    not_eligible_rules: Vec<String>,
    declined: Option<String>,
    cancelled: bool,
    assigned: Option<Timestamp>,
    acknowledged: Option<Timestamp>,
    on_scene: Option<Timestamp>,
    left_scene: Option<Timestamp>,
    backup_requested: bool,
    transported: bool,
    cleared: bool,
}

/// What happened to one follow-up task created in the period.
#[derive(Debug)]
struct TaskTrack {
    incident_id: IncidentId,
    created: Timestamp,
    due_at: Timestamp,
    status: FollowUpStatus,
    first_contact: Option<Timestamp>,
}

/// Accumulates journal entries, in journal order, into a report.
#[derive(Debug)]
pub struct UtilizationTally {
    from: Timestamp,
    to: Timestamp,
    as_of: Timestamp,
    hours: ServiceHours,
    calls: HashMap<IncidentId, CallTrack>,
    tasks: HashMap<TaskId, TaskTrack>,
    /// The team that last held each call, for every call seen (follow-ups of calls received
    /// before the period still belong to a team).
    team_of: HashMap<IncidentId, TeamId>,
    referrals: Vec<(Timestamp, IncidentId, ResourceCategory)>,
    task_incident: HashMap<TaskId, IncidentId>,
}

impl UtilizationTally {
    /// A tally of the period `[from, to)` as it stood at `now` (figures describe `min(to,
    /// now)`); days are local days of `hours`' time zone.
    pub fn new(from: Timestamp, to: Timestamp, now: Timestamp, hours: ServiceHours) -> Self {
        Self {
            from,
            to,
            as_of: to.min(now),
            hours,
            calls: HashMap::new(),
            tasks: HashMap::new(),
            team_of: HashMap::new(),
            referrals: Vec::new(),
            task_incident: HashMap::new(),
        }
    }

    /// Whether entries at `at` and later can no longer change the report.
    pub fn is_past(&self, at: Timestamp) -> bool {
        at >= self.as_of
    }

    /// Takes one journal entry into account.
    pub fn observe(&mut self, at: Timestamp, event: &Event) {
        if self.is_past(at) {
            return;
        }
        let in_period = at >= self.from;
        match event {
            Event::IncidentReceived { incident } if in_period => {
                let mut call = CallTrack {
                    received: at,
                    ..CallTrack::default()
                };
                if let Some(triage) = &incident.triage {
                    call.set_decision(triage.decision, &triage.reasons);
                }
                self.calls.insert(incident.id.clone(), call);
            }
            Event::IncidentTriaged {
                incident_id,
                triage,
                ..
            } => {
                if let Some(call) = self.calls.get_mut(incident_id) {
                    call.set_decision(triage.decision, &triage.reasons);
                }
            }
            Event::IncidentDeclined {
                incident_id,
                route,
                reason,
            } => {
                if let Some(call) = self.calls.get_mut(incident_id) {
                    call.declined = Some(format!(
                        "{}: {}",
                        route.name(),
                        reason.trim().to_lowercase()
                    ));
                }
            }
            Event::IncidentCancelled { incident_id, .. } => {
                if let Some(call) = self.calls.get_mut(incident_id) {
                    call.cancelled = true;
                    call.leave_scene(at);
                }
            }
            Event::AssignmentMade { assignment, .. } => {
                self.team_of
                    .insert(assignment.incident_id.clone(), assignment.team_id.clone());
                if let Some(call) = self.calls.get_mut(&assignment.incident_id) {
                    call.assigned.get_or_insert(at);
                }
            }
            Event::AssignmentAcknowledged { incident_id, .. } => {
                if let Some(call) = self.calls.get_mut(incident_id) {
                    call.acknowledged.get_or_insert(at);
                }
            }
            Event::TeamStatusChanged {
                status,
                incident_id: Some(incident_id),
                ..
            } => {
                if let Some(call) = self.calls.get_mut(incident_id) {
                    match status {
                        TeamStatus::OnScene => {
                            call.on_scene.get_or_insert(at);
                        }
                        TeamStatus::Transporting => {
                            call.transported = true;
                            call.leave_scene(at);
                        }
                        _ => {}
                    }
                }
            }
            Event::BackupRequested { incident_id, .. } => {
                if let Some(call) = self.calls.get_mut(incident_id) {
                    call.backup_requested = true;
                }
            }
            Event::IncidentCleared {
                incident_id,
                team_id,
                disposition,
                encounter,
            } => {
                self.team_of.insert(incident_id.clone(), team_id.clone());
                if let Some(call) = self.calls.get_mut(incident_id) {
                    call.cleared = true;
                    call.transported |= *disposition == Disposition::Transported;
                    call.leave_scene(at);
                }
                if in_period {
                    self.add_referrals(at, incident_id, &encounter.referrals);
                }
            }
            Event::FollowUpCreated { task } => {
                self.task_incident
                    .insert(task.id.clone(), task.incident_id.clone());
                if in_period {
                    self.tasks.insert(
                        task.id.clone(),
                        TaskTrack {
                            incident_id: task.incident_id.clone(),
                            created: at,
                            due_at: task.due_at,
                            status: task.status,
                            first_contact: None,
                        },
                    );
                }
            }
            Event::FollowUpScheduled {
                task_id, due_at, ..
            } => {
                if let Some(task) = self.tasks.get_mut(task_id) {
                    task.due_at = *due_at;
                    if !task.status.is_finished() {
                        task.status = FollowUpStatus::Scheduled;
                    }
                }
            }
            Event::FollowUpAttemptRecorded {
                task_id,
                attempt,
                status,
                ..
            } => {
                if let Some(task) = self.tasks.get_mut(task_id) {
                    task.status = *status;
                    if attempt.result == AttemptResult::Reached {
                        task.first_contact.get_or_insert(at);
                    }
                }
                if in_period && let Some(incident_id) = self.task_incident.get(task_id).cloned() {
                    self.add_referrals(at, &incident_id, &attempt.referrals);
                }
            }
            Event::FollowUpCompleted {
                task_id, status, ..
            } => {
                if let Some(task) = self.tasks.get_mut(task_id) {
                    task.status = *status;
                }
            }
            _ => {}
        }
    }

    fn add_referrals(&mut self, at: Timestamp, incident_id: &IncidentId, referrals: &[Referral]) {
        for referral in referrals {
            self.referrals
                .push((at, incident_id.clone(), referral.category));
        }
    }

    /// The report: totals, by team and by day.
    pub fn finish(self) -> UtilizationReport {
        let mut scopes = Scopes::default();
        for (incident_id, call) in &self.calls {
            let day = self.hours.local_date(call.received);
            let team = self.team_of.get(incident_id);
            scopes.each(team, &day, |figures, samples| call.count(figures, samples));
        }
        for task in self.tasks.values() {
            let day = self.hours.local_date(task.created);
            let team = self.team_of.get(&task.incident_id);
            scopes.each(team, &day, |figures, samples| {
                task.count(self.as_of, figures, samples)
            });
        }
        for (at, incident_id, category) in &self.referrals {
            let day = self.hours.local_date(*at);
            let team = self.team_of.get(incident_id);
            scopes.each(team, &day, |figures, _| {
                *figures.referrals.entry(*category).or_default() += 1
            });
        }
        let (totals, by_team, by_day) = scopes.summarise();
        UtilizationReport {
            from: self.from,
            to: self.to,
            as_of: self.as_of,
            totals,
            by_team,
            by_day,
        }
    }
}

impl CallTrack {
    fn set_decision(&mut self, decision: Decision, reasons: &[Reason]) {
        self.decision = Some(decision);
        self.not_eligible_rules.clear();
        if decision == Decision::NotEligible {
            for reason in reasons {
                if !self.not_eligible_rules.contains(&reason.rule) {
                    self.not_eligible_rules.push(reason.rule.clone());
                }
            }
        }
    }

    /// The end of the time on scene: the first of transport, clearance or cancellation.
    fn leave_scene(&mut self, at: Timestamp) {
        if self.on_scene.is_some() && self.left_scene.is_none() {
            self.left_scene = Some(at);
        }
    }

    fn count(&self, f: &mut Figures, s: &mut Samples) {
        f.calls_received += 1;
        match self.decision {
            Some(Decision::Eligible) => f.eligible += 1,
            Some(Decision::Review) => f.review += 1,
            Some(Decision::NotEligible) => f.not_eligible += 1,
            None => {}
        }
        for rule in &self.not_eligible_rules {
            *f.not_eligible_by_rule.entry(rule.clone()).or_default() += 1;
        }
        if let Some(reason) = &self.declined {
            f.declined += 1;
            *f.declined_by_reason.entry(reason.clone()).or_default() += 1;
        }
        let flags = [
            (self.cancelled, &mut f.cancelled),
            (self.assigned.is_some(), &mut f.dispatched),
            (self.acknowledged.is_some(), &mut f.acknowledged),
            (self.backup_requested, &mut f.backup_requested),
            (self.transported, &mut f.transported),
            (self.cleared, &mut f.cleared),
        ];
        for (yes, counter) in flags {
            *counter += u64::from(yes);
        }
        let span = |a: Option<Timestamp>, b: Option<Timestamp>| Some(b?.millis() - a?.millis());
        let received = Some(self.received);
        let pairs = [
            (span(received, self.assigned), &mut s.received_to_assigned),
            (
                span(self.assigned, self.acknowledged),
                &mut s.assigned_to_acknowledged,
            ),
            (
                span(self.acknowledged, self.on_scene),
                &mut s.acknowledged_to_on_scene,
            ),
            (span(received, self.on_scene), &mut s.received_to_on_scene),
            (span(self.on_scene, self.left_scene), &mut s.time_on_scene),
        ];
        for (millis, samples) in pairs {
            samples.extend(millis);
        }
    }
}

impl TaskTrack {
    fn count(&self, as_of: Timestamp, f: &mut Figures, s: &mut Samples) {
        f.follow_ups_created += 1;
        match self.status {
            FollowUpStatus::Done => f.follow_ups_completed += 1,
            FollowUpStatus::ClosedUnreachable => f.follow_ups_closed_unreachable += 1,
            FollowUpStatus::Cancelled => f.follow_ups_cancelled += 1,
            FollowUpStatus::Open | FollowUpStatus::Scheduled => {
                f.follow_ups_overdue += u64::from(self.due_at < as_of);
            }
        }
        s.time_to_first_contact.extend(
            self.first_contact
                .map(|at| at.millis() - self.created.millis()),
        );
    }
}

/// The three scopes every item counts in: totals, its team (if any) and its day.
#[derive(Default)]
struct Scopes {
    totals: (Figures, Samples),
    by_team: BTreeMap<TeamId, (Figures, Samples)>,
    by_day: BTreeMap<String, (Figures, Samples)>,
}

impl Scopes {
    fn each(
        &mut self,
        team: Option<&TeamId>,
        day: &str,
        mut count: impl FnMut(&mut Figures, &mut Samples),
    ) {
        count(&mut self.totals.0, &mut self.totals.1);
        if let Some(team) = team {
            let (f, s) = self.by_team.entry(team.clone()).or_default();
            count(f, s);
        }
        let (f, s) = self.by_day.entry(day.to_owned()).or_default();
        count(f, s);
    }

    fn summarise(
        self,
    ) -> (
        Figures,
        BTreeMap<TeamId, Figures>,
        BTreeMap<String, Figures>,
    ) {
        let done = |(mut figures, samples): (Figures, Samples)| {
            samples.summarise_into(&mut figures);
            figures
        };
        (
            done(self.totals),
            self.by_team
                .into_iter()
                .map(|(k, v)| (k, done(v)))
                .collect(),
            self.by_day.into_iter().map(|(k, v)| (k, done(v))).collect(),
        )
    }
}
