//! The agency's policy: triage tables, ack window, auto-assign, follow-up rules. Loaded from
//! configuration by the server and handed to [`crate::decide`]; defaults are documented here.

use crate::follow_up_policy::FollowUpPolicy;
use crate::recommend::RecommendConfig;
use crate::triage::TriageConfig;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// Seconds a team has to acknowledge before the assignment is pushed again.
    pub ack_window_secs: u32,
    /// How many times an unacknowledged assignment is pushed again before the dispatcher is
    /// alerted (escalation).
    pub max_repushes: u32,
    /// Shorter (or longer) ack windows for some triage priorities, e.g. 30 s for priority 1.
    pub ack_windows: Vec<PriorityWindow>,
    /// Minutes on scene without a word from the team before it is asked to check in.
    pub check_in_after_secs: u32,
    /// Seconds the team has to answer a check-in request before the dispatcher is alerted.
    pub check_in_grace_secs: u32,
    /// Assign eligible calls to the best recommended team without a dispatcher. Off by
    /// default: the dispatcher confirms.
    pub auto_assign: bool,
    /// With `auto_assign`, only calls of these triage priorities are assigned automatically
    /// (empty: all).
    pub auto_assign_priorities: Vec<u32>,
    pub triage: TriageConfig,
    pub recommend: RecommendConfig,
    pub follow_up: FollowUpPolicy,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            ack_window_secs: 60,
            max_repushes: 1,
            auto_assign: false,
            auto_assign_priorities: Vec::new(),
            ack_windows: Vec::new(),
            check_in_after_secs: 20 * 60,
            check_in_grace_secs: 120,
            triage: TriageConfig::default(),
            recommend: RecommendConfig::default(),
            follow_up: FollowUpPolicy::default(),
        }
    }
}

/// An ack window for one triage priority.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorityWindow {
    pub priority: u32,
    pub ack_window_secs: u32,
}

impl Policy {
    /// The ack window for a call of this triage priority (`None`: the default window).
    pub fn ack_window_ms(&self, priority: Option<u32>) -> i64 {
        let secs = priority
            .and_then(|p| self.ack_windows.iter().find(|w| w.priority == p))
            .map_or(self.ack_window_secs, |w| w.ack_window_secs);
        i64::from(secs) * 1000
    }

    /// Whether auto-assign may take a call of this triage priority.
    pub fn auto_assigns(&self, priority: u32) -> bool {
        self.auto_assign
            && (self.auto_assign_priorities.is_empty()
                || self.auto_assign_priorities.contains(&priority))
    }
}
