//! The crisis queue: eligible calls waiting for a team, most urgent first, then oldest.
//! Calls are triaged by urgency, not by queue order (CAHOOTS).

use crate::ids::IncidentId;
use crate::model::{Decision, Incident, IncidentStatus};
use crate::time::Timestamp;
use std::collections::{BTreeSet, HashMap};

type Key = (u32, Timestamp, IncidentId);

#[derive(Clone, Debug, Default)]
pub struct CrisisQueue {
    order: BTreeSet<Key>,
    keys: HashMap<IncidentId, Key>,
}

impl CrisisQueue {
    /// Puts the incident in or takes it out of the queue, according to its current state.
    pub fn note(&mut self, incident: &Incident) {
        if let Some(old) = self.keys.remove(&incident.id) {
            self.order.remove(&old);
        }
        let waiting = incident.status == IncidentStatus::Queued
            && incident.team_id.is_none()
            && incident
                .triage
                .as_ref()
                .is_some_and(|t| t.decision == Decision::Eligible);
        if waiting {
            let priority = incident.triage.as_ref().map_or(5, |t| t.priority);
            let key = (priority, incident.received_at, incident.id.clone());
            self.order.insert(key.clone());
            self.keys.insert(incident.id.clone(), key);
        }
    }

    /// The most urgent, oldest waiting eligible call.
    pub fn first(&self) -> Option<&IncidentId> {
        self.order.first().map(|(_, _, id)| id)
    }

    /// The most urgent, oldest waiting eligible call whose priority `allowed` accepts.
    pub fn first_where(&self, allowed: impl Fn(u32) -> bool) -> Option<&IncidentId> {
        self.order
            .iter()
            .find(|(p, _, _)| allowed(*p))
            .map(|(_, _, id)| id)
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    fn incident(id: &str, priority: u32, at: i64, decision: Decision) -> Incident {
        let mut i = Incident::received(
            IncidentId::new(id),
            "cad".into(),
            id.into(),
            CallDetails::default(),
            Timestamp(at),
        );
        i.triage = Some(TriageDecision {
            decision,
            route: Route::CrisisTeam,
            priority,
            reasons: vec![],
        });
        i.status = IncidentStatus::Queued;
        i
    }

    #[test]
    fn most_urgent_first_then_oldest_and_only_eligible_waiting_calls() {
        let mut q = CrisisQueue::default();
        q.note(&incident("trespass-old", 4, 1, Decision::Eligible));
        q.note(&incident("crisis-new", 2, 9, Decision::Eligible));
        q.note(&incident("crisis-old", 2, 5, Decision::Eligible));
        q.note(&incident("review", 1, 0, Decision::Review));
        assert_eq!(q.len(), 3);
        assert_eq!(q.first().unwrap().as_str(), "crisis-old");
        let mut taken = incident("crisis-old", 2, 5, Decision::Eligible);
        taken.status = IncidentStatus::Assigned;
        q.note(&taken);
        assert_eq!(q.first().unwrap().as_str(), "crisis-new");
    }
}
