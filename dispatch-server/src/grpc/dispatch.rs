//! Dispatch: the dispatcher's board and commands.

use super::{Ctx, status::invalid, streams};
use crate::auth::Role;
use crate::hub::Topic;
use dispatch_core::recommend::recommend;
use dispatch_core::{AssignmentId, Command, IncidentId, Rejection, ServiceArea, State};
use dispatch_proto::convert::{self, event_to_proto, service_area_to_proto};
use dispatch_proto::v1::{self, dispatch_server::Dispatch};
use tonic::{Request, Response, Status};

pub struct DispatchService {
    pub(super) ctx: Ctx,
}

fn is_dispatch(role: &Role) -> bool {
    matches!(role, Role::Dispatcher | Role::Supervisor)
}

/// The board: open incidents, every team, assignments in force.
pub(crate) fn board_snapshot(state: &State, seq: u64, area: &ServiceArea) -> v1::BoardSnapshot {
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
    v1::BoardSnapshot {
        seq,
        incidents: incidents.into_iter().map(v1::Incident::from).collect(),
        teams: state.teams.values().map(v1::Team::from).collect(),
        assignments: assignments.into_iter().map(v1::Assignment::from).collect(),
        service_area: service_area_to_proto(area),
    }
}

impl DispatchService {
    fn assignment_reply(&self, id: &AssignmentId, seq: u64) -> Result<v1::AssignReply, Status> {
        self.ctx.app.read(|state, _| {
            state
                .assignments
                .get(id)
                .map(|a| v1::AssignReply {
                    assignment: Some(a.into()),
                    seq,
                })
                .ok_or_else(|| {
                    Status::from(crate::app::AppError::from(Rejection::NotFound {
                        kind: "assignment",
                        id: id.to_string(),
                    }))
                })
        })
    }
}

#[tonic::async_trait]
impl Dispatch for DispatchService {
    type WatchBoardStream = streams::Stream<v1::BoardEvent>;

    async fn watch_board(
        &self,
        request: Request<v1::WatchRequest>,
    ) -> Result<Response<Self::WatchBoardStream>, Status> {
        self.ctx
            .require(request.metadata(), "watch the dispatch board", is_dispatch)?;
        let after = request.into_inner().after_seq;
        let stream = streams::open(
            &self.ctx,
            Topic::Board,
            after,
            |state, seq| {
                Some(v1::BoardEvent {
                    kind: Some(v1::board_event::Kind::Snapshot(board_snapshot(
                        state,
                        seq,
                        &self.ctx.app.policy().triage.service_area,
                    ))),
                })
            },
            |entry| {
                // Follow-up work is the peers' queue, not the board.
                (!entry.event.audience().follow_up).then(|| v1::BoardEvent {
                    kind: Some(v1::board_event::Kind::Event(event_to_proto(
                        entry.seq,
                        entry.at,
                        &entry.event,
                    ))),
                })
            },
        );
        Ok(Response::new(stream))
    }

    async fn recommend(
        &self,
        request: Request<v1::IncidentRef>,
    ) -> Result<Response<v1::Recommendations>, Status> {
        self.ctx
            .require(request.metadata(), "ask for recommendations", is_dispatch)?;
        let incident_id = request.into_inner().incident_id;
        if incident_id.is_empty() {
            return Err(Status::invalid_argument("incident_id: is required"));
        }
        let policy = self.ctx.app.policy().recommend.clone();
        let id = IncidentId::new(incident_id.clone());
        let now = self.ctx.app.clock().now();
        let teams = self.ctx.app.read(|state, _| {
            state
                .incidents
                .get(&id)
                .map(|incident| recommend(&policy, incident, state.teams.values(), now))
        });
        let teams =
            teams.ok_or_else(|| Status::not_found(format!("incident {incident_id} not found")))?;
        Ok(Response::new(v1::Recommendations {
            incident_id,
            teams: teams.iter().map(v1::TeamRecommendation::from).collect(),
        }))
    }

    async fn assign(
        &self,
        request: Request<v1::AssignRequest>,
    ) -> Result<Response<v1::AssignReply>, Status> {
        self.ctx
            .require(request.metadata(), "assign teams", is_dispatch)?;
        let input = convert::assign_input(request.into_inner()).map_err(invalid)?;
        // Derived from the command id, so a repeated command names the same assignment.
        let assignment_id = AssignmentId::new(format!("asg-{}", input.command_id));
        let command = Command::Assign {
            incident_id: input.incident_id,
            team_id: input.team_id,
            assignment_id: assignment_id.clone(),
            automatic: false,
        };
        let outcome = self.ctx.run(input.command_id, command).await?;
        Ok(Response::new(
            self.assignment_reply(&assignment_id, outcome.seq)?,
        ))
    }

    async fn decline(
        &self,
        request: Request<v1::DeclineRequest>,
    ) -> Result<Response<v1::DeclineReply>, Status> {
        self.ctx
            .require(request.metadata(), "decline calls", is_dispatch)?;
        let input = convert::decline_input(request.into_inner()).map_err(invalid)?;
        let incident_id = input.incident_id.clone();
        let command = Command::Decline {
            incident_id: input.incident_id,
            route: input.route,
            reason: input.reason,
        };
        let outcome = self.ctx.run(input.command_id, command).await?;
        let incident = self
            .ctx
            .app
            .read(|state, _| state.incidents.get(&incident_id).map(v1::Incident::from));
        Ok(Response::new(v1::DeclineReply {
            incident,
            seq: outcome.seq,
        }))
    }

    async fn ack_on_behalf(
        &self,
        request: Request<v1::AckOnBehalfRequest>,
    ) -> Result<Response<v1::AckReply>, Status> {
        self.ctx.require(
            request.metadata(),
            "acknowledge on a team's behalf",
            is_dispatch,
        )?;
        let input = convert::ack_on_behalf_input(request.into_inner()).map_err(invalid)?;
        let id = input.assignment_id.clone();
        let command = Command::AckOnBehalf {
            assignment_id: input.assignment_id,
            channel: input.channel,
            note: input.note,
        };
        let outcome = self.ctx.run(input.command_id, command).await?;
        Ok(Response::new(self.ctx.ack_reply(&id, outcome.seq)))
    }

    async fn set_team_status(
        &self,
        request: Request<v1::SetTeamStatusRequest>,
    ) -> Result<Response<v1::TeamReply>, Status> {
        self.ctx
            .require(request.metadata(), "set team status", is_dispatch)?;
        let input = convert::set_team_status_input(request.into_inner()).map_err(invalid)?;
        let id = input.team_id.clone();
        let command = Command::SetTeamStatus {
            team_id: input.team_id,
            status: input.status,
        };
        let outcome = self.ctx.run(input.command_id, command).await?;
        let team = self
            .ctx
            .app
            .read(|state, _| state.teams.get(&id).map(v1::Team::from));
        Ok(Response::new(v1::TeamReply {
            team,
            seq: outcome.seq,
        }))
    }
}
