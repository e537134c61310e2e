//! Which follow-up tasks a cleared incident creates, and when they are due.

use crate::model::{Disposition, FollowUpKind};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUpRule {
    /// A name shown as the task's origin.
    pub name: String,
    pub disposition: Disposition,
    pub kind: FollowUpKind,
    pub due_after_hours: u32,
    /// Whether the task is only created when the person consented to follow-up. A welfare
    /// re-check of someone who declined services is the usual exception.
    #[serde(default = "yes")]
    pub requires_consent: bool,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FollowUpPolicy {
    pub rules: Vec<FollowUpRule>,
    /// Who gets the tasks a clearance creates.
    pub assignee: AssigneeRule,
}

/// Who follows up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssigneeRule {
    /// The peer who was on the team that cleared the call (the person already knows them).
    #[default]
    TeamPeer,
    /// Spread the work: the peer on shift (on a team that is not off shift) with the fewest
    /// unfinished tasks, ties by id.
    Balanced,
    /// Nobody: any peer takes it from the queue.
    Unassigned,
}

impl Default for FollowUpPolicy {
    /// CHAT-style defaults: someone hears from us within a day or three.
    fn default() -> Self {
        let rule =
            |name: &str, disposition, kind, due_after_hours, requires_consent| FollowUpRule {
                name: name.to_owned(),
                disposition,
                kind,
                due_after_hours,
                requires_consent,
            };
        use Disposition as D;
        use FollowUpKind as K;
        Self {
            assignee: AssigneeRule::TeamPeer,
            rules: vec![
                rule(
                    "connected-visit-72h",
                    D::ConnectedToServices,
                    K::InPersonVisit,
                    72,
                    true,
                ),
                rule(
                    "declined-recheck-24h",
                    D::DeclinedServices,
                    K::WelfareRecheck,
                    24,
                    false,
                ),
                rule(
                    "transported-checkin-24h",
                    D::Transported,
                    K::PhoneCheckIn,
                    24,
                    true,
                ),
                rule(
                    "resolved-checkin-24h",
                    D::ResolvedOnScene,
                    K::PhoneCheckIn,
                    24,
                    true,
                ),
                rule(
                    "referred-linkage-72h",
                    D::ReferredToPartnerAgency,
                    K::ResourceLinkage,
                    72,
                    true,
                ),
            ],
        }
    }
}

impl FollowUpPolicy {
    /// The rules that apply to a clearance, in configured order.
    pub fn rules_for(
        &self,
        disposition: Disposition,
        consents: bool,
    ) -> impl Iterator<Item = &FollowUpRule> {
        self.rules
            .iter()
            .filter(move |r| r.disposition == disposition && (consents || !r.requires_consent))
    }
}
