//! Dispatch: the dispatcher's board and commands.

use super::{Ctx, Stream, status::invalid};
use crate::app::Board;
use crate::app::access::Area;
use dispatch_core::IncidentId;
use dispatch_proto::convert::{self, event_to_proto, service_area_to_proto};
use dispatch_proto::v1::{self, board_event::Kind, dispatch_server::Dispatch};
use tonic::{Request, Response, Status};

pub struct DispatchService {
    pub(super) ctx: Ctx,
}

fn board_to_proto(board: Board<'_>) -> v1::BoardEvent {
    let snapshot = v1::BoardSnapshot {
        seq: board.seq,
        incidents: board.incidents.into_iter().map(Into::into).collect(),
        teams: board.teams.into_iter().map(Into::into).collect(),
        assignments: board.assignments.into_iter().map(Into::into).collect(),
        service_area: service_area_to_proto(board.service_area),
    };
    v1::BoardEvent {
        kind: Some(Kind::Snapshot(snapshot)),
    }
}

#[tonic::async_trait]
impl Dispatch for DispatchService {
    type WatchBoardStream = Stream<v1::BoardEvent>;

    async fn watch_board(
        &self,
        request: Request<v1::WatchRequest>,
    ) -> Result<Response<Self::WatchBoardStream>, Status> {
        let caller = (self.ctx)
            .caller(&request, Area::Dispatch, "watch the dispatch board")
            .await?;
        let scope = self.ctx.stream_scope(&caller);
        let after = request.into_inner().after_seq;
        let stream =
            self.ctx
                .app
                .watch_board(&caller.actor, after, &scope.cancel, board_to_proto, |e| {
                    v1::BoardEvent {
                        kind: Some(Kind::Event(event_to_proto(e.seq, e.at, &e.event))),
                    }
                });
        Ok(Response::new(scope.wrap(stream)))
    }

    async fn recommend(
        &self,
        request: Request<v1::IncidentRef>,
    ) -> Result<Response<v1::Recommendations>, Status> {
        let caller = (self.ctx)
            .caller(&request, Area::Dispatch, "ask for recommendations")
            .await?;
        let incident_id = request.into_inner().incident_id;
        let teams = self
            .ctx
            .app
            .recommend(&caller.actor, &IncidentId::new(incident_id.clone()))?;
        Ok(Response::new(v1::Recommendations {
            incident_id,
            teams: teams.iter().map(Into::into).collect(),
        }))
    }

    async fn assign(
        &self,
        request: Request<v1::AssignRequest>,
    ) -> Result<Response<v1::AssignReply>, Status> {
        let caller = (self.ctx)
            .caller(&request, Area::Dispatch, "assign teams")
            .await?;
        let input = convert::assign_input(request.into_inner()).map_err(invalid)?;
        let done = self.ctx.app.assign(&caller.actor, input).await?;
        Ok(Response::new(v1::AssignReply {
            assignment: Some((&done.value).into()),
            seq: done.seq,
        }))
    }

    async fn decline(
        &self,
        request: Request<v1::DeclineRequest>,
    ) -> Result<Response<v1::DeclineReply>, Status> {
        let caller = (self.ctx)
            .caller(&request, Area::Dispatch, "decline calls")
            .await?;
        let input = convert::decline_input(request.into_inner()).map_err(invalid)?;
        let done = self.ctx.app.decline(&caller.actor, input).await?;
        Ok(Response::new(v1::DeclineReply {
            incident: done.value.as_ref().map(Into::into),
            seq: done.seq,
        }))
    }

    async fn ack_on_behalf(
        &self,
        request: Request<v1::AckOnBehalfRequest>,
    ) -> Result<Response<v1::AckReply>, Status> {
        let caller = (self.ctx)
            .caller(&request, Area::Dispatch, "acknowledge on a team's behalf")
            .await?;
        let input = convert::ack_on_behalf_input(request.into_inner()).map_err(invalid)?;
        let done = self.ctx.app.ack_on_behalf(&caller.actor, input).await?;
        Ok(Response::new(v1::AckReply {
            assignment: done.value.as_ref().map(Into::into),
            seq: done.seq,
        }))
    }

    async fn set_team_status(
        &self,
        request: Request<v1::SetTeamStatusRequest>,
    ) -> Result<Response<v1::TeamReply>, Status> {
        let caller = (self.ctx)
            .caller(&request, Area::Dispatch, "set team status")
            .await?;
        let input = convert::set_team_status_input(request.into_inner()).map_err(invalid)?;
        let done = self.ctx.app.set_team_status(&caller.actor, input).await?;
        Ok(Response::new(v1::TeamReply {
            team: done.value.as_ref().map(Into::into),
            seq: done.seq,
        }))
    }
}
