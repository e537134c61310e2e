//! What a person at the console asks the server to do. Each command gets its command id when
//! it is made and keeps it through retries, so the server (idempotent by command id) applies it
//! once however many times it is sent.

use crate::words;
use dispatch_proto::v1;

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Acknowledge {
        assignment_id: String,
    },
    /// A status change and/or a position report; `Unspecified` with no position is a check-in.
    UpdateStatus {
        status: v1::TeamStatus,
        position: Option<v1::GeoPoint>,
    },
    RequestBackup {
        urgent: bool,
        note: String,
    },
    Clear {
        disposition: v1::Disposition,
        encounter: v1::Encounter,
    },
    Assign {
        incident_id: String,
        team_id: String,
    },
    Decline {
        incident_id: String,
        route: v1::Route,
        reason: String,
    },
    AckOnBehalf {
        assignment_id: String,
        channel: String,
        note: String,
    },
    /// A dispatcher takes a team out of service, off shift, or back to available.
    SetTeamStatus {
        team_id: String,
        status: v1::TeamStatus,
    },
    Schedule {
        task_id: String,
        due_at_ms: i64,
        assignee: String,
    },
    RecordAttempt {
        task_id: String,
        result: v1::AttemptResult,
        note: String,
        referrals: Vec<v1::Referral>,
    },
    Complete {
        task_id: String,
        outcome: v1::TaskOutcome,
        measures: v1::OutcomeMeasures,
    },
}

impl Command {
    /// What the command is, in a few words for the status and outbox lines (no PHI: no notes).
    pub fn describe(&self) -> String {
        match self {
            Command::Acknowledge { .. } => "acknowledge".into(),
            Command::UpdateStatus {
                status: v1::TeamStatus::Unspecified,
                position: Some(_),
            } => "position report".into(),
            Command::UpdateStatus {
                status: v1::TeamStatus::Unspecified,
                position: None,
            } => "check in".into(),
            Command::UpdateStatus { status, .. } => {
                format!("status {}", words::team_status(*status))
            }
            Command::RequestBackup { urgent: true, .. } => "URGENT police backup".into(),
            Command::RequestBackup { .. } => "police backup".into(),
            Command::Clear { disposition, .. } => {
                format!("clear: {}", words::disposition(*disposition))
            }
            Command::Assign {
                incident_id,
                team_id,
            } => format!("assign {incident_id} to {team_id}"),
            Command::Decline {
                incident_id, route, ..
            } => format!("decline {incident_id} to {}", words::route(*route)),
            Command::AckOnBehalf { channel, .. } => format!("ack on behalf ({channel})"),
            Command::SetTeamStatus { team_id, status } => {
                format!("{team_id} {}", words::team_status(*status))
            }
            Command::Schedule { task_id, .. } => format!("schedule {task_id}"),
            Command::RecordAttempt {
                task_id, result, ..
            } => format!("attempt on {task_id}: {}", words::attempt_result(*result)),
            Command::Complete { task_id, .. } => format!("complete {task_id}"),
        }
    }
}

/// A command with its id, as the outbox keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct Outgoing {
    pub id: String,
    pub command: Command,
    pub made_at_ms: i64,
}

/// How a command that was sent came back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The server could not be reached (or did not answer): keep it and send it again.
    Unreachable(String),
    /// The server said no; sending it again would not help.
    Refused(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_carry_no_notes() {
        let c = Command::RequestBackup {
            urgent: true,
            note: "subject has a knife".into(),
        };
        assert_eq!(c.describe(), "URGENT police backup");
        let c = Command::UpdateStatus {
            status: v1::TeamStatus::Unspecified,
            position: None,
        };
        assert_eq!(c.describe(), "check in");
    }
}
