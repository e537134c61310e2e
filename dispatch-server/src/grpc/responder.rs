//! Responder: the team's terminal. A unit token acts only for its own team.

use super::{Ctx, status::invalid, streams};
use crate::auth::{AuthError, Role};
use crate::hub::Topic;
use dispatch_core::{Command, TaskId, TeamId};
use dispatch_proto::convert::{
    self, event_to_proto, follow_up_task_to_proto, prior_call_to_proto, service_area_to_proto,
};
use dispatch_proto::v1::{self, responder_server::Responder};
use tonic::metadata::MetadataMap;
use tonic::{Request, Response, Status};

/// The earlier calls at an incident's address, for the team's card.
fn premise_history_to_proto(
    state: &dispatch_core::State,
    incident: &dispatch_core::Incident,
) -> Vec<v1::PriorCall> {
    dispatch_core::premise::premise_history(state.incidents.values(), incident)
        .into_iter()
        .map(prior_call_to_proto)
        .collect()
}

pub struct ResponderService {
    pub(super) ctx: Ctx,
}

/// How many follow-up task ids a clearance may need (one per matching policy rule).
fn task_ids(command_id: &str, count: usize) -> Vec<TaskId> {
    (0..count)
        .map(|n| TaskId::new(format!("fu-{command_id}-{n}")))
        .collect()
}

impl ResponderService {
    /// The caller's team; `claimed`, when given, must be that team.
    fn team(&self, metadata: &MetadataMap, claimed: &str) -> Result<TeamId, Status> {
        let role = self.ctx.role(metadata)?;
        let Role::Unit(team) = role else {
            return Err(super::status::auth(AuthError::Forbidden {
                role: role.to_string(),
                action: "act as a team",
            }));
        };
        if !claimed.is_empty() && claimed != team.as_str() {
            return Err(Status::permission_denied(format!(
                "team_id: this token is for {team}, not {claimed}"
            )));
        }
        Ok(team)
    }

    fn team_reply(&self, team_id: &TeamId, seq: u64) -> v1::TeamReply {
        v1::TeamReply {
            team: self
                .ctx
                .app
                .read(|state, _| state.teams.get(team_id).map(v1::Team::from)),
            seq,
        }
    }
}

#[tonic::async_trait]
impl Responder for ResponderService {
    type SubscribeStream = streams::Stream<v1::ResponderEvent>;

    async fn subscribe(
        &self,
        request: Request<v1::SubscribeRequest>,
    ) -> Result<Response<Self::SubscribeStream>, Status> {
        let team = self.team(request.metadata(), &request.get_ref().team_id)?;
        let after = request.into_inner().after_seq;
        let snapshot_team = team.clone();
        let app = self.ctx.app.clone();
        let stream = streams::open(
            &self.ctx,
            Topic::Team(team.clone()),
            after,
            move |state, seq| {
                let t = state.teams.get(&snapshot_team);
                let incident = t
                    .and_then(|t| t.incident_id.as_ref())
                    .and_then(|id| state.incidents.get(id));
                let assignment = t
                    .and_then(|t| t.assignment_id.as_ref())
                    .and_then(|id| state.assignments.get(id));
                Some(v1::ResponderEvent {
                    kind: Some(v1::responder_event::Kind::Snapshot(v1::ResponderSnapshot {
                        seq,
                        team: t.map(v1::Team::from),
                        incident: incident.map(v1::Incident::from),
                        assignment: assignment.map(v1::Assignment::from),
                        service_area: service_area_to_proto(
                            &self.ctx.app.policy().triage.service_area,
                        ),
                        premise_history: incident
                            .map(|i| premise_history_to_proto(state, i))
                            .unwrap_or_default(),
                    })),
                })
            },
            move |entry| {
                if entry.event.audience().team_id != Some(&team) {
                    return None;
                }
                let mut event = event_to_proto(entry.seq, entry.at, &entry.event);
                // A new card comes with the address's history, as the server knows it now.
                if let (
                    dispatch_core::Event::AssignmentMade { incident, .. },
                    Some(v1::event::Kind::AssignmentMade(made)),
                ) = (&entry.event, event.kind.as_mut())
                {
                    made.premise_history =
                        app.read(|state, _| premise_history_to_proto(state, incident));
                }
                Some(v1::ResponderEvent {
                    kind: Some(v1::responder_event::Kind::Event(event)),
                })
            },
        );
        Ok(Response::new(stream))
    }

    async fn acknowledge(
        &self,
        request: Request<v1::AcknowledgeRequest>,
    ) -> Result<Response<v1::AckReply>, Status> {
        let team_id = self.team(request.metadata(), "")?;
        let input = convert::acknowledge_input(request.into_inner()).map_err(invalid)?;
        let id = input.assignment_id.clone();
        let command = Command::Acknowledge {
            team_id,
            assignment_id: input.assignment_id,
        };
        let outcome = self.ctx.run(input.command_id, command).await?;
        Ok(Response::new(self.ctx.ack_reply(&id, outcome.seq)))
    }

    async fn update_status(
        &self,
        request: Request<v1::UpdateStatusRequest>,
    ) -> Result<Response<v1::TeamReply>, Status> {
        let team_id = self.team(request.metadata(), &request.get_ref().team_id)?;
        let input = convert::update_status_input(request.into_inner()).map_err(invalid)?;
        let command = Command::UpdateStatus {
            team_id: team_id.clone(),
            status: input.status,
            position: input.position,
        };
        let outcome = self.ctx.run(input.command_id, command).await?;
        Ok(Response::new(self.team_reply(&team_id, outcome.seq)))
    }

    async fn request_backup(
        &self,
        request: Request<v1::BackupRequest>,
    ) -> Result<Response<v1::BackupReply>, Status> {
        let team_id = self.team(request.metadata(), "")?;
        let input = convert::backup_input(request.into_inner()).map_err(invalid)?;
        let incident_id = self.ctx.app.read(|state, _| {
            state
                .teams
                .get(&team_id)
                .and_then(|t| t.incident_id.clone())
        });
        let command = Command::RequestBackup {
            team_id,
            urgent: input.urgent,
            note: input.note,
        };
        let outcome = self.ctx.run(input.command_id, command).await?;
        Ok(Response::new(v1::BackupReply {
            incident_id: incident_id.map(|i| i.0).unwrap_or_default(),
            seq: outcome.seq,
        }))
    }

    async fn clear(
        &self,
        request: Request<v1::ClearRequest>,
    ) -> Result<Response<v1::ClearReply>, Status> {
        let team_id = self.team(request.metadata(), "")?;
        let input = convert::clear_input(request.into_inner()).map_err(invalid)?;
        let incident_id = self.ctx.app.read(|state, _| {
            state
                .teams
                .get(&team_id)
                .and_then(|t| t.incident_id.clone())
        });
        let task_ids = task_ids(
            &input.command_id,
            self.ctx.app.policy().follow_up.rules.len(),
        );
        let command = Command::Clear {
            team_id,
            disposition: input.disposition,
            encounter: input.encounter,
            task_ids: task_ids.clone(),
        };
        let outcome = self.ctx.run(input.command_id, command).await?;
        let now = self.ctx.app.clock().now();
        let (incident, follow_ups) = self.ctx.app.read(|state, _| {
            let incident = incident_id
                .as_ref()
                .and_then(|id| state.incidents.get(id))
                .map(v1::Incident::from);
            let tasks = task_ids
                .iter()
                .filter_map(|id| state.tasks.get(id))
                .map(|t| follow_up_task_to_proto(t, now))
                .collect();
            (incident, tasks)
        });
        Ok(Response::new(v1::ClearReply {
            incident,
            follow_ups,
            seq: outcome.seq,
        }))
    }
}
