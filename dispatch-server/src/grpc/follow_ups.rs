//! FollowUps: the peers' queue. Peers work their own and unassigned tasks; a supervisor any.

use super::{Caller, Ctx, Stream, status::invalid};
use crate::app::access::{Area, acting_peer};
use crate::app::{Applied, Queue};
use dispatch_core::{FollowUpTask, PeerId, TaskId};
use dispatch_proto::convert::{self, event_to_proto, follow_up_task_to_proto};
use dispatch_proto::v1::{self, follow_up_event::Kind, follow_ups_server::FollowUps};
use tonic::{Request, Response, Status};

pub struct FollowUpsService {
    pub(super) ctx: Ctx,
}

impl FollowUpsService {
    /// The acting peer, or `None` for a supervisor.
    async fn peer<T>(
        &self,
        request: &Request<T>,
        action: &'static str,
    ) -> Result<(Option<PeerId>, Caller), Status> {
        let caller = self.ctx.caller(request, Area::FollowUps, action).await?;
        Ok((acting_peer(&caller.role), caller))
    }
}

fn queue_to_proto(queue: Queue<'_>) -> v1::FollowUpEvent {
    let tasks = queue.tasks.into_iter();
    let snapshot = v1::QueueSnapshot {
        seq: queue.seq,
        tasks: tasks
            .map(|t| follow_up_task_to_proto(t, queue.as_of))
            .collect(),
    };
    v1::FollowUpEvent {
        kind: Some(Kind::Snapshot(snapshot)),
    }
}

fn reply(done: Applied<Option<FollowUpTask>>) -> Response<v1::FollowUpReply> {
    Response::new(v1::FollowUpReply {
        task: done
            .value
            .as_ref()
            .map(|t| follow_up_task_to_proto(t, done.as_of)),
        seq: done.seq,
    })
}

#[tonic::async_trait]
impl FollowUps for FollowUpsService {
    type WatchQueueStream = Stream<v1::FollowUpEvent>;

    async fn watch_queue(
        &self,
        request: Request<v1::WatchRequest>,
    ) -> Result<Response<Self::WatchQueueStream>, Status> {
        let (peer, caller) = self.peer(&request, "watch the follow-up queue").await?;
        let scope = self.ctx.stream_scope(&caller);
        let after = request.into_inner().after_seq;
        let stream = self.ctx.app.watch_queue(
            &caller.actor,
            peer,
            after,
            &scope.cancel,
            queue_to_proto,
            |e| v1::FollowUpEvent {
                kind: Some(Kind::Event(event_to_proto(e.seq, e.at, &e.event))),
            },
        );
        Ok(Response::new(scope.wrap(stream)))
    }

    async fn schedule(
        &self,
        request: Request<v1::ScheduleRequest>,
    ) -> Result<Response<v1::FollowUpReply>, Status> {
        let (_, caller) = self.peer(&request, "schedule follow-ups").await?;
        let input = convert::schedule_input(request.into_inner()).map_err(invalid)?;
        Ok(reply(self.ctx.app.schedule(&caller.actor, input).await?))
    }

    async fn record_attempt(
        &self,
        request: Request<v1::AttemptRequest>,
    ) -> Result<Response<v1::FollowUpReply>, Status> {
        let (peer, caller) = self.peer(&request, "record attempts").await?;
        let input = convert::attempt_input(request.into_inner()).map_err(invalid)?;
        Ok(reply(
            self.ctx
                .app
                .record_attempt(&caller.actor, peer, input)
                .await?,
        ))
    }

    async fn complete(
        &self,
        request: Request<v1::CompleteRequest>,
    ) -> Result<Response<v1::FollowUpReply>, Status> {
        let (peer, caller) = self.peer(&request, "complete follow-ups").await?;
        let input = convert::complete_input(request.into_inner()).map_err(invalid)?;
        Ok(reply(
            self.ctx.app.complete(&caller.actor, peer, input).await?,
        ))
    }

    async fn create(
        &self,
        request: Request<v1::CreateFollowUpRequest>,
    ) -> Result<Response<v1::FollowUpReply>, Status> {
        let (_, caller) = self.peer(&request, "create follow-ups").await?;
        let input = convert::create_follow_up_input(request.into_inner()).map_err(invalid)?;
        Ok(reply(
            self.ctx.app.create_follow_up(&caller.actor, input).await?,
        ))
    }

    async fn task_incident(
        &self,
        request: Request<v1::TaskRef>,
    ) -> Result<Response<v1::Incident>, Status> {
        let (peer, caller) = self
            .peer(&request, "read the incidents of follow-ups")
            .await?;
        let task_id = TaskId::new(request.into_inner().task_id);
        let incident = (self.ctx.app).task_incident(&caller.actor, peer.as_ref(), &task_id)?;
        Ok(Response::new((&incident).into()))
    }
}
