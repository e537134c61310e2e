//! A team's use-cases: its card (the team, its call with the address's history, its
//! assignment) and its commands. A unit token acts only for its own team (`access`).

use super::feed::Feed;
use super::hub::Topic;
use super::{Actor, App, AppError, Applied, ids};
use dispatch_core::premise::premise_history;
use dispatch_core::{
    Assignment, Command, Event, FollowUpTask, Incident, IncidentId, ServiceArea, State, Team,
    TeamId,
};
use dispatch_proto::convert::{AcknowledgeInput, BackupInput, ClearInput, UpdateStatusInput};
use dispatch_store::JournalEntry;
use tokio_util::sync::CancellationToken;

/// What a team's terminal shows: the team, its call and assignment, the service area, and the
/// earlier calls at the call's address.
#[derive(Debug)]
pub struct TeamCard<'a> {
    pub seq: u64,
    pub team: Option<&'a Team>,
    pub incident: Option<&'a Incident>,
    pub assignment: Option<&'a Assignment>,
    pub service_area: &'a ServiceArea,
    pub premise_history: Vec<&'a Incident>,
}

/// A change that concerns a team; a new assignment comes with the address's history as the
/// server knows it now.
#[derive(Debug)]
pub struct TeamNews<'a> {
    pub entry: &'a JournalEntry,
    /// Empty unless `entry` is an assignment.
    pub premise_history: Vec<&'a Incident>,
}

/// What a clearance did: the call as it ended and the follow-up tasks it created.
#[derive(Debug)]
pub struct Cleared {
    pub incident: Option<Incident>,
    pub follow_ups: Vec<FollowUpTask>,
}

impl<'a> TeamCard<'a> {
    fn of(state: &'a State, seq: u64, team_id: &TeamId, service_area: &'a ServiceArea) -> Self {
        let team = state.teams.get(team_id);
        let incident = team
            .and_then(|t| t.incident_id.as_ref())
            .and_then(|id| state.incidents.get(id));
        let assignment = team
            .and_then(|t| t.assignment_id.as_ref())
            .and_then(|id| state.assignments.get(id));
        TeamCard {
            seq,
            team,
            incident,
            assignment,
            service_area,
            premise_history: incident
                .map(|i| premise_history(state.incidents.values(), i))
                .unwrap_or_default(),
        }
    }
}

impl App {
    /// The team's card, then every change that concerns the team.
    /// A team's card, then what happens to it. Minimum necessary: the card holds the
    /// team's own call only, and a resumed stream's catch-up drops what it would have shown
    /// of a call that is closed by now (narratives, notes), keeping only that it ended.
    pub fn watch_team<M, E>(
        &self,
        actor: &Actor,
        team_id: TeamId,
        after_seq: u64,
        cancel: &CancellationToken,
        snapshot: impl FnOnce(TeamCard<'_>) -> M,
        mut change: impl FnMut(TeamNews<'_>) -> M + Send + 'static,
    ) -> Feed<M, E>
    where
        M: Send + 'static,
        E: From<AppError> + Send + 'static,
    {
        let area = &self.policy().triage.service_area;
        let app = self.clone();
        let topic = Topic::Team(team_id.clone());
        let card_of = team_id.clone();
        let live_from = self.last_seq();
        let reader = actor.clone();
        if after_seq != 0 {
            self.audit().read(actor, vec![], vec![], "ok".into());
        }
        self.open_feed(
            topic,
            after_seq,
            cancel,
            |state, seq| {
                let card = TeamCard::of(state, seq, &card_of, area);
                let shown = card
                    .incident
                    .into_iter()
                    .chain(card.premise_history.iter().copied())
                    .map(|i| i.id.to_string())
                    .collect();
                self.audit().read(actor, shown, vec![], "ok".into());
                Some(snapshot(card))
            },
            move |entry| {
                let audience = entry.event.audience();
                if audience.team_id != Some(&team_id) {
                    return None;
                }
                if entry.seq <= live_from
                    && let Some(id) = audience.incident_id
                    && !app.read(|state, _| still_open(state, id))
                    && !tells_only_the_end(&entry.event)
                {
                    return None;
                }
                let Event::AssignmentMade { incident, .. } = &entry.event else {
                    return Some(change(TeamNews {
                        entry,
                        premise_history: Vec::new(),
                    }));
                };
                Some(app.read(|state, _| {
                    let premise_history = premise_history(state.incidents.values(), incident);
                    let shown = std::iter::once(incident)
                        .chain(premise_history.iter().copied())
                        .map(|i| i.id.to_string())
                        .collect();
                    app.audit().read(&reader, shown, vec![], "ok".into());
                    change(TeamNews {
                        entry,
                        premise_history,
                    })
                }))
            },
        )
    }

    pub async fn acknowledge(
        &self,
        actor: &Actor,
        team_id: TeamId,
        input: AcknowledgeInput,
    ) -> Result<Applied<Option<Assignment>>, AppError> {
        let id = input.assignment_id.clone();
        let command = Command::Acknowledge {
            team_id,
            assignment_id: input.assignment_id,
        };
        self.command_then(actor, input.command_id, command, |state| {
            state.assignments.get(&id).cloned()
        })
        .await
    }

    /// En route, on scene, transporting, and the team's position.
    pub async fn update_status(
        &self,
        actor: &Actor,
        team_id: TeamId,
        input: UpdateStatusInput,
    ) -> Result<Applied<Option<Team>>, AppError> {
        let command = Command::UpdateStatus {
            team_id: team_id.clone(),
            status: input.status,
            position: input.position,
        };
        self.command_then(actor, input.command_id, command, |state| {
            state.teams.get(&team_id).cloned()
        })
        .await
    }

    /// Police backup for the team's call; the value is that call.
    pub async fn request_backup(
        &self,
        actor: &Actor,
        team_id: TeamId,
        input: BackupInput,
    ) -> Result<Applied<Option<IncidentId>>, AppError> {
        let incident_id = self.read(|state, _| team_call(state, &team_id));
        let command = Command::RequestBackup {
            team_id,
            urgent: input.urgent,
            note: input.note,
        };
        self.command_then(actor, input.command_id, command, |_| incident_id)
            .await
    }

    /// Clears the team's call with its disposition and encounter; the follow-up policy may
    /// create tasks, whose ids come from the command id (one per policy rule at most).
    pub async fn clear(
        &self,
        actor: &Actor,
        team_id: TeamId,
        input: ClearInput,
    ) -> Result<Applied<Cleared>, AppError> {
        let incident_id = self.read(|state, _| team_call(state, &team_id));
        let task_ids =
            ids::follow_ups_of_clearance(&input.command_id, self.policy().follow_up.rules.len());
        let command = Command::Clear {
            team_id,
            disposition: input.disposition,
            encounter: input.encounter,
            task_ids: task_ids.clone(),
        };
        self.command_then(actor, input.command_id, command, |state| Cleared {
            incident: incident_id
                .as_ref()
                .and_then(|id| state.incidents.get(id))
                .cloned(),
            follow_ups: task_ids
                .iter()
                .filter_map(|id| state.tasks.get(id))
                .cloned()
                .collect(),
        })
        .await
    }
}

/// The call a team is on.
fn still_open(state: &State, id: &IncidentId) -> bool {
    state
        .incidents
        .get(id)
        .is_some_and(|i| !i.status.is_closed())
}

/// Events that say a call ended or a team moved on, and nothing about the person.
fn tells_only_the_end(event: &Event) -> bool {
    matches!(
        event,
        Event::IncidentCancelled { .. }
            | Event::AssignmentEnded { .. }
            | Event::TeamStatusChanged { .. }
    )
}

fn team_call(state: &State, team_id: &TeamId) -> Option<IncidentId> {
    state.teams.get(team_id).and_then(|t| t.incident_id.clone())
}
