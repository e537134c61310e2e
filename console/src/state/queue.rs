//! The peers' follow-up queue, folded from `FollowUps.WatchQueue`, and its three piles:
//! overdue, due today (the program's local day), upcoming.

use super::board::Folded;
use crate::clock::{self, LocalTime};
use dispatch_proto::v1;
use dispatch_proto::v1::event::Kind;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Queue {
    pub seq: u64,
    /// Unfinished tasks by id.
    pub tasks: BTreeMap<String, v1::FollowUpTask>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Pile {
    Overdue,
    DueToday,
    Upcoming,
}

impl Pile {
    pub fn title(self) -> &'static str {
        match self {
            Pile::Overdue => "OVERDUE",
            Pile::DueToday => "DUE TODAY",
            Pile::Upcoming => "UPCOMING",
        }
    }
}

impl Queue {
    pub fn apply_snapshot(&mut self, s: v1::QueueSnapshot) {
        self.seq = s.seq;
        self.tasks = s.tasks.into_iter().map(|t| (t.id.clone(), t)).collect();
    }

    pub fn apply(&mut self, e: &v1::Event) -> Folded {
        if e.seq <= self.seq {
            return Folded::Duplicate;
        }
        self.seq = e.seq;
        match &e.kind {
            Some(Kind::FollowUpCreated(c)) => {
                if let Some(t) = &c.task {
                    self.tasks.insert(t.id.clone(), t.clone());
                }
            }
            Some(Kind::FollowUpScheduled(s)) => {
                if let Some(t) = self.tasks.get_mut(&s.task_id) {
                    t.due_at = s.due_at;
                    if !s.assignee.is_empty() {
                        t.assignee = s.assignee.clone();
                    }
                    t.set_status(v1::FollowUpStatus::Scheduled);
                    t.overdue = false;
                }
            }
            Some(Kind::FollowUpAttemptRecorded(a)) => {
                if let Some(t) = self.tasks.get_mut(&a.task_id) {
                    if let Some(at) = &a.attempt {
                        t.attempts.push(at.clone());
                        t.referrals.extend(at.referrals.iter().cloned());
                    }
                    if a.status != 0 {
                        t.status = a.status;
                    }
                    if !a.assignee.is_empty() {
                        t.assignee = a.assignee.clone();
                    }
                }
                if self
                    .tasks
                    .get(&a.task_id)
                    .is_some_and(|t| is_finished(t.status()))
                {
                    self.tasks.remove(&a.task_id);
                }
            }
            Some(Kind::FollowUpCompleted(c)) => {
                self.tasks.remove(&c.task_id);
            }
            Some(Kind::FollowUpOverdue(o)) => {
                if let Some(t) = self.tasks.get_mut(&o.task_id) {
                    t.overdue = true;
                }
                return Folded::Loud;
            }
            _ => {}
        }
        Folded::Quiet
    }

    /// Which pile a task is on at `now_ms`.
    pub fn pile(t: &v1::FollowUpTask, now_ms: i64, local: &LocalTime) -> Pile {
        let due = clock::millis(&t.due_at).unwrap_or(i64::MAX);
        if t.overdue || due < now_ms {
            Pile::Overdue
        } else if local.day(due) == local.day(now_ms) {
            Pile::DueToday
        } else {
            Pile::Upcoming
        }
    }

    /// The tasks in the order the queue shows them: overdue, due today, upcoming; soonest due
    /// first within each pile.
    pub fn ordered(&self, now_ms: i64, local: &LocalTime) -> Vec<(Pile, &v1::FollowUpTask)> {
        let mut v: Vec<(Pile, &v1::FollowUpTask)> = self
            .tasks
            .values()
            .map(|t| (Self::pile(t, now_ms, local), t))
            .collect();
        let due = |t: &v1::FollowUpTask| clock::millis(&t.due_at).unwrap_or(i64::MAX);
        v.sort_by(|(pa, a), (pb, b)| (pa, due(a), &a.id).cmp(&(pb, due(b), &b.id)));
        v
    }

    /// How many tasks are on each pile: (overdue, due today, upcoming).
    pub fn counts(&self, now_ms: i64, local: &LocalTime) -> (usize, usize, usize) {
        let mut c = (0, 0, 0);
        for t in self.tasks.values() {
            match Self::pile(t, now_ms, local) {
                Pile::Overdue => c.0 += 1,
                Pile::DueToday => c.1 += 1,
                Pile::Upcoming => c.2 += 1,
            }
        }
        c
    }
}

fn is_finished(s: v1::FollowUpStatus) -> bool {
    matches!(
        s,
        v1::FollowUpStatus::Done
            | v1::FollowUpStatus::ClosedUnreachable
            | v1::FollowUpStatus::Cancelled
    )
}
