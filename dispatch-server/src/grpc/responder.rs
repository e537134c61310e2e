//! Responder: the team's terminal. A unit token acts only for its own team.

use super::{Caller, Ctx, Stream, status::invalid};
use crate::app::access::acting_team;
use crate::app::{TeamCard, TeamNews};
use dispatch_core::TeamId;
use dispatch_proto::convert::{
    self, event_to_proto, follow_up_task_to_proto, prior_call_to_proto, service_area_to_proto,
};
use dispatch_proto::v1::{self, responder_event::Kind, responder_server::Responder};
use tonic::{Request, Response, Status};

pub struct ResponderService {
    pub(super) ctx: Ctx,
}

impl ResponderService {
    /// The caller's team; `claimed`, when given, must be that team.
    async fn team<T>(
        &self,
        request: &Request<T>,
        claimed: &str,
    ) -> Result<(TeamId, Caller), Status> {
        let caller = self.ctx.identify(request).await?;
        match acting_team(&caller.role, claimed) {
            Ok(team) => Ok((team, caller)),
            Err(e) => {
                self.ctx.app.audit_refusal(&caller.actor, &e);
                Err(e.into())
            }
        }
    }
}

fn card_to_proto(card: TeamCard<'_>) -> v1::ResponderEvent {
    let snapshot = v1::ResponderSnapshot {
        seq: card.seq,
        team: card.team.map(Into::into),
        incident: card.incident.map(Into::into),
        assignment: card.assignment.map(Into::into),
        service_area: service_area_to_proto(card.service_area),
        premise_history: card
            .premise_history
            .into_iter()
            .map(prior_call_to_proto)
            .collect(),
    };
    v1::ResponderEvent {
        kind: Some(Kind::Snapshot(snapshot)),
    }
}

fn news_to_proto(news: TeamNews<'_>) -> v1::ResponderEvent {
    let entry = news.entry;
    let mut event = event_to_proto(entry.seq, entry.at, &entry.event);
    if let Some(v1::event::Kind::AssignmentMade(made)) = event.kind.as_mut() {
        made.premise_history = news
            .premise_history
            .into_iter()
            .map(prior_call_to_proto)
            .collect();
    }
    v1::ResponderEvent {
        kind: Some(Kind::Event(event)),
    }
}

#[tonic::async_trait]
impl Responder for ResponderService {
    type SubscribeStream = Stream<v1::ResponderEvent>;

    async fn subscribe(
        &self,
        request: Request<v1::SubscribeRequest>,
    ) -> Result<Response<Self::SubscribeStream>, Status> {
        let (team, caller) = self.team(&request, &request.get_ref().team_id).await?;
        let scope = self.ctx.stream_scope(&caller);
        let after = request.into_inner().after_seq;
        let stream = self.ctx.app.watch_team(
            &caller.actor,
            team,
            after,
            &scope.cancel,
            card_to_proto,
            news_to_proto,
        );
        Ok(Response::new(scope.wrap(stream)))
    }

    async fn acknowledge(
        &self,
        request: Request<v1::AcknowledgeRequest>,
    ) -> Result<Response<v1::AckReply>, Status> {
        let (team_id, caller) = self.team(&request, "").await?;
        let input = convert::acknowledge_input(request.into_inner()).map_err(invalid)?;
        let done = self
            .ctx
            .app
            .acknowledge(&caller.actor, team_id, input)
            .await?;
        Ok(Response::new(v1::AckReply {
            assignment: done.value.as_ref().map(Into::into),
            seq: done.seq,
        }))
    }

    async fn update_status(
        &self,
        request: Request<v1::UpdateStatusRequest>,
    ) -> Result<Response<v1::TeamReply>, Status> {
        let (team_id, caller) = self.team(&request, &request.get_ref().team_id).await?;
        let input = convert::update_status_input(request.into_inner()).map_err(invalid)?;
        let done = self
            .ctx
            .app
            .update_status(&caller.actor, team_id, input)
            .await?;
        Ok(Response::new(v1::TeamReply {
            team: done.value.as_ref().map(Into::into),
            seq: done.seq,
        }))
    }

    async fn request_backup(
        &self,
        request: Request<v1::BackupRequest>,
    ) -> Result<Response<v1::BackupReply>, Status> {
        let (team_id, caller) = self.team(&request, "").await?;
        let input = convert::backup_input(request.into_inner()).map_err(invalid)?;
        let done = self
            .ctx
            .app
            .request_backup(&caller.actor, team_id, input)
            .await?;
        Ok(Response::new(v1::BackupReply {
            incident_id: done.value.map(|i| i.0).unwrap_or_default(),
            seq: done.seq,
        }))
    }

    async fn clear(
        &self,
        request: Request<v1::ClearRequest>,
    ) -> Result<Response<v1::ClearReply>, Status> {
        let (team_id, caller) = self.team(&request, "").await?;
        let input = convert::clear_input(request.into_inner()).map_err(invalid)?;
        let done = self.ctx.app.clear(&caller.actor, team_id, input).await?;
        let cleared = done.value;
        Ok(Response::new(v1::ClearReply {
            incident: cleared.incident.as_ref().map(Into::into),
            follow_ups: cleared
                .follow_ups
                .iter()
                .map(|t| follow_up_task_to_proto(t, done.as_of))
                .collect(),
            seq: done.seq,
        }))
    }
}
