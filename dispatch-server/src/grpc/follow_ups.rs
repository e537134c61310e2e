//! FollowUps: the peers' queue. Peers work their own and unassigned tasks; a supervisor any.

use super::{Ctx, status::invalid, streams};
use crate::app::AppError;
use crate::auth::Role;
use crate::hub::Topic;
use dispatch_core::{Command, PeerId, Rejection, TaskId};
use dispatch_proto::convert::{self, event_to_proto, follow_up_task_to_proto};
use dispatch_proto::v1::{self, follow_ups_server::FollowUps};
use tonic::metadata::MetadataMap;
use tonic::{Request, Response, Status};

pub struct FollowUpsService {
    pub(super) ctx: Ctx,
}

fn is_follow_up(role: &Role) -> bool {
    matches!(role, Role::Peer(_) | Role::Supervisor)
}

impl FollowUpsService {
    /// The acting peer, or `None` for a supervisor.
    fn peer(&self, metadata: &MetadataMap, action: &'static str) -> Result<Option<PeerId>, Status> {
        match self.ctx.require(metadata, action, is_follow_up)? {
            Role::Peer(p) => Ok(Some(p)),
            _ => Ok(None),
        }
    }

    fn reply(&self, task_id: &TaskId, seq: u64) -> v1::FollowUpReply {
        let now = self.ctx.app.clock().now();
        v1::FollowUpReply {
            task: self.ctx.app.read(|state, _| {
                state
                    .tasks
                    .get(task_id)
                    .map(|t| follow_up_task_to_proto(t, now))
            }),
            seq,
        }
    }
}

#[tonic::async_trait]
impl FollowUps for FollowUpsService {
    type WatchQueueStream = streams::Stream<v1::FollowUpEvent>;

    async fn watch_queue(
        &self,
        request: Request<v1::WatchRequest>,
    ) -> Result<Response<Self::WatchQueueStream>, Status> {
        self.peer(request.metadata(), "watch the follow-up queue")?;
        let after = request.into_inner().after_seq;
        let stream = streams::open(
            &self.ctx,
            Topic::FollowUps,
            after,
            |state, seq| {
                let now = self.ctx.app.clock().now();
                let mut tasks: Vec<_> = state
                    .tasks
                    .values()
                    .filter(|t| !t.status.is_finished())
                    .collect();
                tasks.sort_by_key(|t| (t.due_at, t.id.clone()));
                Some(v1::FollowUpEvent {
                    kind: Some(v1::follow_up_event::Kind::Snapshot(v1::QueueSnapshot {
                        seq,
                        tasks: tasks
                            .into_iter()
                            .map(|t| follow_up_task_to_proto(t, now))
                            .collect(),
                    })),
                })
            },
            |entry| {
                entry.event.audience().follow_up.then(|| v1::FollowUpEvent {
                    kind: Some(v1::follow_up_event::Kind::Event(event_to_proto(
                        entry.seq,
                        entry.at,
                        &entry.event,
                    ))),
                })
            },
        );
        Ok(Response::new(stream))
    }

    async fn schedule(
        &self,
        request: Request<v1::ScheduleRequest>,
    ) -> Result<Response<v1::FollowUpReply>, Status> {
        self.peer(request.metadata(), "schedule follow-ups")?;
        let input = convert::schedule_input(request.into_inner()).map_err(invalid)?;
        let id = input.task_id.clone();
        let command = Command::ScheduleFollowUp {
            task_id: input.task_id,
            due_at: input.due_at,
            assignee: input.assignee,
        };
        let outcome = self.ctx.run(input.command_id, command).await?;
        Ok(Response::new(self.reply(&id, outcome.seq)))
    }

    async fn record_attempt(
        &self,
        request: Request<v1::AttemptRequest>,
    ) -> Result<Response<v1::FollowUpReply>, Status> {
        let peer = self.peer(request.metadata(), "record attempts")?;
        let Some(peer_id) = peer else {
            return Err(Status::permission_denied(
                "role supervisor may not record attempts; a peer does",
            ));
        };
        let input = convert::attempt_input(request.into_inner()).map_err(invalid)?;
        let id = input.task_id.clone();
        let command = Command::RecordAttempt {
            task_id: input.task_id,
            peer_id,
            result: input.result,
            note: input.note,
            referrals: input.referrals,
        };
        let outcome = self.ctx.run(input.command_id, command).await?;
        Ok(Response::new(self.reply(&id, outcome.seq)))
    }

    async fn complete(
        &self,
        request: Request<v1::CompleteRequest>,
    ) -> Result<Response<v1::FollowUpReply>, Status> {
        let peer_id = self.peer(request.metadata(), "complete follow-ups")?;
        let input = convert::complete_input(request.into_inner()).map_err(invalid)?;
        let id = input.task_id.clone();
        let command = Command::CompleteFollowUp {
            task_id: input.task_id,
            peer_id,
            outcome: input.outcome,
            measures: input.measures,
        };
        let outcome = self.ctx.run(input.command_id, command).await?;
        Ok(Response::new(self.reply(&id, outcome.seq)))
    }

    async fn create(
        &self,
        request: Request<v1::CreateFollowUpRequest>,
    ) -> Result<Response<v1::FollowUpReply>, Status> {
        self.peer(request.metadata(), "create follow-ups")?;
        let input = convert::create_follow_up_input(request.into_inner()).map_err(invalid)?;
        let task_id = TaskId::new(format!("fu-{}", input.command_id));
        let command = Command::CreateFollowUp {
            task_id: task_id.clone(),
            incident_id: input.incident_id,
            kind: input.kind,
            due_at: input.due_at,
            assignee: input.assignee,
            person_ref: input.person_ref,
        };
        let outcome = self.ctx.run(input.command_id, command).await?;
        Ok(Response::new(self.reply(&task_id, outcome.seq)))
    }

    async fn task_incident(
        &self,
        request: Request<v1::TaskRef>,
    ) -> Result<Response<v1::Incident>, Status> {
        let peer = self.peer(request.metadata(), "read the incidents of follow-ups")?;
        let task_id = request.into_inner().task_id;
        if task_id.trim().is_empty() {
            return Err(Status::invalid_argument("task_id: is required"));
        }
        let id = TaskId::new(task_id.clone());
        let incident = self.ctx.app.read(|state, _| {
            let task = state.tasks.get(&id).ok_or(Rejection::NotFound {
                kind: "follow-up task",
                id: task_id.clone(),
            })?;
            if !task.may_be_worked_by(peer.as_ref()) {
                return Err(Rejection::NotPermitted {
                    reason: format!("follow-up task {task_id} is assigned to another peer"),
                });
            }
            state
                .incidents
                .get(&task.incident_id)
                .map(v1::Incident::from)
                .ok_or(Rejection::NotFound {
                    kind: "incident",
                    id: task.incident_id.to_string(),
                })
        });
        let incident = incident.map_err(|r| Status::from(AppError::from(r)))?;
        Ok(Response::new(incident))
    }
}
