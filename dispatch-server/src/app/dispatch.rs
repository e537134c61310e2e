//! The dispatcher's use-cases: the board, recommendations, and the commands on calls and
//! teams.

use super::feed::Feed;
use super::hub::Topic;
use super::{Actor, App, AppError, Applied, ids};
use dispatch_core::recommend::{Recommendation, recommend, why_not_ranked};
use dispatch_core::{
    Assignment, Command, Incident, IncidentId, Rejection, ServiceArea, State, Team,
};
use dispatch_proto::convert::{AckOnBehalfInput, AssignInput, DeclineInput, SetTeamStatusInput};
use dispatch_store::JournalEntry;
use tokio_util::sync::CancellationToken;

/// The dispatcher's board: open incidents (oldest first), every team, assignments in force.
#[derive(Debug)]
pub struct Board<'a> {
    pub seq: u64,
    pub incidents: Vec<&'a Incident>,
    pub teams: Vec<&'a Team>,
    pub assignments: Vec<&'a Assignment>,
    pub service_area: &'a ServiceArea,
}

impl<'a> Board<'a> {
    fn of(state: &'a State, seq: u64, service_area: &'a ServiceArea) -> Self {
        let mut incidents: Vec<_> = state
            .incidents
            .values()
            .filter(|i| !i.status.is_closed())
            .collect();
        incidents.sort_by_key(|i| (i.received_at, i.id.clone()));
        let mut assignments: Vec<_> = state
            .assignments
            .values()
            .filter(|a| a.status.is_active())
            .collect();
        assignments.sort_by_key(|a| (a.assigned_at, a.id.clone()));
        Board {
            seq,
            incidents,
            teams: state.teams.values().collect(),
            assignments,
            service_area,
        }
    }
}

impl App {
    /// The board, then every change to incidents, teams and assignments (follow-up work is
    /// the peers' queue, not the board).
    pub fn watch_board<M, E>(
        &self,
        actor: &Actor,
        after_seq: u64,
        cancel: &CancellationToken,
        snapshot: impl FnOnce(Board<'_>) -> M,
        mut change: impl FnMut(&JournalEntry) -> M + Send + 'static,
    ) -> Feed<M, E>
    where
        M: Send + 'static,
        E: From<AppError> + Send + 'static,
    {
        let area = &self.policy().triage.service_area;
        if after_seq != 0 {
            // A resumed board: the journal after `after_seq` (whose changes name their calls).
            self.audit().read(actor, vec![], vec![], "ok".into());
        }
        self.open_feed(
            Topic::Board,
            after_seq,
            cancel,
            |state, seq| {
                let board = Board::of(state, seq, area);
                let shown = board.incidents.iter().map(|i| i.id.to_string()).collect();
                self.audit().read(actor, shown, vec![], "ok".into());
                Some(snapshot(board))
            },
            move |entry| (!entry.event.audience().follow_up).then(|| change(entry)),
        )
    }

    /// Available teams ranked for an incident, with the reasons; for a call no team should
    /// take (closed, not triaged, not eligible) a refusal saying why.
    pub fn recommend(
        &self,
        actor: &Actor,
        incident_id: &IncidentId,
    ) -> Result<Vec<Recommendation>, AppError> {
        let result = self.ranking(incident_id);
        let outcome = super::audit::outcome(&result);
        (self.audit()).read(actor, vec![incident_id.to_string()], vec![], outcome);
        result
    }

    fn ranking(&self, incident_id: &IncidentId) -> Result<Vec<Recommendation>, AppError> {
        if incident_id.as_str().is_empty() {
            return Err(AppError::invalid("incident_id", "is required"));
        }
        let config = &self.policy().recommend;
        let now = self.clock().now();
        self.read(|state, _| {
            let incident = state
                .incidents
                .get(incident_id)
                .ok_or_else(|| not_found("incident", incident_id))?;
            if let Some(refusal) = why_not_ranked(incident) {
                return Err(refusal.into());
            }
            Ok(recommend(config, incident, state.teams.values(), now))
        })
    }

    /// Assigns a team by hand. The assignment's id comes from the command id, so a retry
    /// names the same assignment.
    pub async fn assign(
        &self,
        actor: &Actor,
        input: AssignInput,
    ) -> Result<Applied<Assignment>, AppError> {
        let assignment_id = ids::assignment_by_hand(&input.command_id);
        let command = Command::Assign {
            incident_id: input.incident_id,
            team_id: input.team_id,
            assignment_id: assignment_id.clone(),
            automatic: false,
        };
        let applied = self
            .command_then(actor, input.command_id, command, |state| {
                state.assignments.get(&assignment_id).cloned()
            })
            .await?;
        let value = applied
            .value
            .ok_or_else(|| not_found("assignment", &assignment_id))?;
        Ok(Applied {
            value,
            seq: applied.seq,
            as_of: applied.as_of,
        })
    }

    /// Declines a call back to police, fire, EMS or another route.
    pub async fn decline(
        &self,
        actor: &Actor,
        input: DeclineInput,
    ) -> Result<Applied<Option<Incident>>, AppError> {
        let incident_id = input.incident_id.clone();
        let command = Command::Decline {
            incident_id: input.incident_id,
            route: input.route,
            reason: input.reason,
        };
        self.command_then(actor, input.command_id, command, |state| {
            state.incidents.get(&incident_id).cloned()
        })
        .await
    }

    /// Acknowledges an assignment on the team's behalf (radio, phone), with a note.
    pub async fn ack_on_behalf(
        &self,
        actor: &Actor,
        input: AckOnBehalfInput,
    ) -> Result<Applied<Option<Assignment>>, AppError> {
        let id = input.assignment_id.clone();
        let command = Command::AckOnBehalf {
            assignment_id: input.assignment_id,
            channel: input.channel,
            note: input.note,
        };
        self.command_then(actor, input.command_id, command, |state| {
            state.assignments.get(&id).cloned()
        })
        .await
    }

    /// Sets a team available, out of service or off shift.
    pub async fn set_team_status(
        &self,
        actor: &Actor,
        input: SetTeamStatusInput,
    ) -> Result<Applied<Option<Team>>, AppError> {
        let id = input.team_id.clone();
        let command = Command::SetTeamStatus {
            team_id: input.team_id,
            status: input.status,
        };
        self.command_then(actor, input.command_id, command, |state| {
            state.teams.get(&id).cloned()
        })
        .await
    }
}

pub(super) fn not_found(kind: &'static str, id: &impl ToString) -> AppError {
    AppError::Rejected(Rejection::NotFound {
        kind,
        id: id.to_string(),
    })
}
