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
    /// Minutes on scene without a word from the team before it is asked to check in.
    pub check_in_after_secs: u32,
    /// Seconds the team has to answer a check-in request before the dispatcher is alerted.
    pub check_in_grace_secs: u32,
    /// Assign eligible calls to the best recommended team without a dispatcher. Off by
    /// default: the dispatcher confirms.
    pub auto_assign: bool,
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
            check_in_after_secs: 20 * 60,
            check_in_grace_secs: 120,
            triage: TriageConfig::default(),
            recommend: RecommendConfig::default(),
            follow_up: FollowUpPolicy::default(),
        }
    }
}

impl Policy {
    pub fn ack_window_ms(&self) -> i64 {
        i64::from(self.ack_window_secs) * 1000
    }
}
