//! decide: the rules. `decide(state, policy, command, now)` returns the events that the
//! command causes, or why it is refused. Pure: no clock, no IO, no randomness.

mod cad;
mod dispatcher;
mod follow_up;

pub use follow_up::{REMINDER_EVERY_MS, next_reminder};
mod team;

use crate::command::Command;
use crate::event::Event;
use crate::ids::{AssignmentId, IncidentId, TaskId, TeamId};
use crate::model::{Assignment, FollowUpTask, Incident, Team};
use crate::policy::Policy;
use crate::rejection::Rejection;
use crate::state::State;
use crate::time::Timestamp;

/// Longest text accepted in one field (a narrative line, a note, an address), in bytes.
pub const MAX_TEXT_BYTES: usize = 4096;
/// Most narrative lines accepted in one CAD event.
pub const MAX_LINES_PER_EVENT: usize = 100;
/// Longest identifier (call number, source, call sign, command id), in bytes.
pub const MAX_ID_BYTES: usize = 128;

pub fn decide(
    state: &State,
    policy: &Policy,
    command: Command,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    let ctx = Ctx { state, policy, now };
    match command {
        Command::RegisterTeam {
            team_id,
            members,
            languages,
            position,
        } => team::register(&ctx, team_id, members, languages, position),
        Command::CallCreated {
            source,
            call_number,
            incident_id,
            details,
        } => cad::call_created(&ctx, source, call_number, incident_id, details),
        Command::CallUpdated {
            source,
            call_number,
            changes,
        } => cad::call_updated(&ctx, &source, &call_number, changes),
        Command::NarrativeAppended {
            source,
            call_number,
            lines,
        } => cad::narrative_appended(&ctx, &source, &call_number, lines),
        Command::CallClosed {
            source,
            call_number,
            reason,
        }
        | Command::CallCancelled {
            source,
            call_number,
            reason,
        } => cad::call_ended(&ctx, &source, &call_number, reason),
        Command::Assign {
            incident_id,
            team_id,
            assignment_id,
            automatic,
        } => dispatcher::assign(&ctx, &incident_id, &team_id, assignment_id, automatic),
        Command::Decline {
            incident_id,
            route,
            reason,
        } => dispatcher::decline(&ctx, &incident_id, route, reason),
        Command::AckOnBehalf {
            assignment_id,
            channel,
            note,
        } => dispatcher::ack_on_behalf(&ctx, &assignment_id, channel, note),
        Command::SetTeamStatus { team_id, status } => {
            dispatcher::set_team_status(&ctx, &team_id, status)
        }
        Command::AckDeadlinePassed { assignment_id } => {
            dispatcher::ack_deadline_passed(&ctx, &assignment_id)
        }
        Command::CheckInDue { team_id } => team::check_in_due(&ctx, &team_id),
        Command::Acknowledge {
            team_id,
            assignment_id,
        } => team::acknowledge(&ctx, &team_id, &assignment_id),
        Command::UpdateStatus {
            team_id,
            status,
            position,
        } => team::update_status(&ctx, &team_id, status, position),
        Command::RequestBackup {
            team_id,
            urgent,
            note,
        } => team::request_backup(&ctx, &team_id, urgent, note),
        Command::Clear {
            team_id,
            disposition,
            encounter,
            task_ids,
        } => team::clear(&ctx, &team_id, disposition, encounter, task_ids),
        Command::CreateFollowUp {
            task_id,
            incident_id,
            kind,
            due_at,
            assignee,
            person_ref,
        } => follow_up::create(
            &ctx,
            follow_up::NewTask {
                task_id,
                incident_id,
                kind,
                due_at,
                assignee,
                person_ref,
            },
        ),
        Command::ScheduleFollowUp {
            task_id,
            due_at,
            assignee,
        } => follow_up::schedule(&ctx, &task_id, due_at, assignee),
        Command::RecordAttempt {
            task_id,
            peer_id,
            result,
            note,
            referrals,
        } => follow_up::record_attempt(&ctx, &task_id, peer_id, result, note, referrals),
        Command::CompleteFollowUp {
            task_id,
            peer_id,
            outcome,
            measures,
        } => follow_up::complete(&ctx, &task_id, peer_id, outcome, measures),
        Command::FollowUpReminderDue { task_id } => follow_up::reminder_due(&ctx, &task_id),
    }
}

/// What every rule reads.
struct Ctx<'a> {
    state: &'a State,
    policy: &'a Policy,
    now: Timestamp,
}

impl Ctx<'_> {
    fn incident(&self, id: &IncidentId) -> Result<&Incident, Rejection> {
        self.state
            .incidents
            .get(id)
            .ok_or_else(|| Rejection::not_found("incident", id))
    }
    fn team(&self, id: &TeamId) -> Result<&Team, Rejection> {
        self.state
            .teams
            .get(id)
            .ok_or_else(|| Rejection::not_found("team", id))
    }
    fn assignment(&self, id: &AssignmentId) -> Result<&Assignment, Rejection> {
        self.state
            .assignments
            .get(id)
            .ok_or_else(|| Rejection::not_found("assignment", id))
    }
    fn task(&self, id: &TaskId) -> Result<&FollowUpTask, Rejection> {
        self.state
            .tasks
            .get(id)
            .ok_or_else(|| Rejection::not_found("follow-up task", id))
    }
}

fn check_text(field: &'static str, value: &str) -> Result<(), Rejection> {
    if value.len() > MAX_TEXT_BYTES {
        return Err(Rejection::invalid(
            field,
            format!(
                "{} bytes is longer than the {MAX_TEXT_BYTES}-byte limit",
                value.len()
            ),
        ));
    }
    Ok(())
}

fn check_id(field: &'static str, value: &str) -> Result<(), Rejection> {
    if value.trim().is_empty() {
        return Err(Rejection::invalid(field, "is required"));
    }
    if value.len() > MAX_ID_BYTES {
        return Err(Rejection::invalid(
            field,
            format!("longer than {MAX_ID_BYTES} bytes"),
        ));
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests;
