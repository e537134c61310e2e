//! The free text and identifiers about the people served, as one list: narrative lines,
//! the caller's name and callback, triage evidence (words quoted from the narrative),
//! encounter notes, referral notes, person references and attempt notes. What is encrypted at
//! rest is exactly what [`Sensitive::each_sensitive`] visits, so adding a field here is how a
//! new kind of free text gets protected.

use crate::event::Event;
use crate::model::*;

/// A value holding free text or identifiers about a person.
pub trait Sensitive {
    /// Calls `f` on every such string (empty ones included; the caller skips what it wants).
    fn each_sensitive(&mut self, f: &mut dyn FnMut(&mut String));
}

impl Sensitive for Caller {
    fn each_sensitive(&mut self, f: &mut dyn FnMut(&mut String)) {
        f(&mut self.name);
        f(&mut self.callback);
    }
}

impl Sensitive for CallDetails {
    fn each_sensitive(&mut self, f: &mut dyn FnMut(&mut String)) {
        self.narrative.iter_mut().for_each(|l| f(&mut l.text));
        self.caller.each_sensitive(f);
    }
}

impl Sensitive for Reason {
    fn each_sensitive(&mut self, f: &mut dyn FnMut(&mut String)) {
        f(&mut self.evidence);
    }
}

impl Sensitive for TriageDecision {
    fn each_sensitive(&mut self, f: &mut dyn FnMut(&mut String)) {
        self.reasons.iter_mut().for_each(|r| r.each_sensitive(f));
    }
}

impl Sensitive for Referral {
    fn each_sensitive(&mut self, f: &mut dyn FnMut(&mut String)) {
        f(&mut self.note);
    }
}

impl Sensitive for Encounter {
    fn each_sensitive(&mut self, f: &mut dyn FnMut(&mut String)) {
        f(&mut self.notes);
        f(&mut self.person_ref);
        self.referrals.iter_mut().for_each(|r| r.each_sensitive(f));
    }
}

impl Sensitive for Attempt {
    fn each_sensitive(&mut self, f: &mut dyn FnMut(&mut String)) {
        f(&mut self.note);
        self.referrals.iter_mut().for_each(|r| r.each_sensitive(f));
    }
}

impl Sensitive for FollowUpTask {
    fn each_sensitive(&mut self, f: &mut dyn FnMut(&mut String)) {
        f(&mut self.person_ref);
        self.attempts.iter_mut().for_each(|a| a.each_sensitive(f));
        self.referrals.iter_mut().for_each(|r| r.each_sensitive(f));
    }
}

impl Sensitive for Incident {
    fn each_sensitive(&mut self, f: &mut dyn FnMut(&mut String)) {
        self.details.each_sensitive(f);
        if let Some(t) = &mut self.triage {
            t.each_sensitive(f);
        }
        if let Some(c) = &mut self.clearance {
            c.encounter.each_sensitive(f);
        }
    }
}

impl Sensitive for Event {
    fn each_sensitive(&mut self, f: &mut dyn FnMut(&mut String)) {
        match self {
            Event::IncidentReceived { incident } | Event::AssignmentMade { incident, .. } => {
                incident.each_sensitive(f);
            }
            Event::IncidentUpdated { details, .. } => details.each_sensitive(f),
            Event::NarrativeAdded { lines, .. } => {
                lines.iter_mut().for_each(|l| f(&mut l.text));
            }
            Event::IncidentTriaged { triage, .. } => triage.each_sensitive(f),
            Event::SafetyAlert { reasons, .. } => {
                reasons.iter_mut().for_each(|r| r.each_sensitive(f));
            }
            Event::IncidentCleared { encounter, .. } => encounter.each_sensitive(f),
            Event::FollowUpCreated { task } => task.each_sensitive(f),
            Event::FollowUpAttemptRecorded { attempt, .. } => attempt.each_sensitive(f),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_calls_free_text_is_all_visited() {
        let mut details = CallDetails {
            narrative: vec![NarrativeLine {
                at: crate::Timestamp(1),
                text: "SUBJ CRYING".into(),
            }],
            caller: Caller {
                name: "A CALLER".into(),
                callback: "503".into(),
            },
            ..CallDetails::default()
        };
        let mut seen = Vec::new();
        details.each_sensitive(&mut |s| seen.push(s.clone()));
        assert_eq!(seen, ["SUBJ CRYING", "A CALLER", "503"]);
    }
}
