//! The single writer: takes whatever requests are waiting, decides them in order against its
//! own copy of the state, writes the resulting events and projections in one transaction
//! (group commit), then publishes: the shared state, the hub, the callers' replies.
//!
//! Nobody sees an effect before it is durable: the shared state and the streams change only
//! after the commit, and a failed commit rolls the writer's copy back to the shared one.

use super::error::AppError;
use super::published::Published;
use crate::clock::Clock;
use crate::hub::Hub;
use dispatch_core::recommend::recommend;
use dispatch_core::{
    AssignmentId, Command, CrisisQueue, Event, IncidentId, Policy, Rejection, State, Timestamp,
    decide,
};
use dispatch_store::{Batch, CadReceipt, CommandRecord, JournalEntry, Store};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, RwLock};
use tokio::sync::{mpsc, oneshot};
use tracing::{debug, error, warn};

/// The effect of one CAD event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CadOutcome {
    /// Sequence of the event's last journal entry (or of the journal when it had no effect).
    pub seq: u64,
    pub duplicate: bool,
    pub incident_id: Option<IncidentId>,
}

/// The effect of one client command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub seq: u64,
    pub duplicate: bool,
}

pub(crate) enum Work {
    Cad {
        source: String,
        event_id: String,
        command: Command,
        reply: oneshot::Sender<Result<CadOutcome, AppError>>,
    },
    Command {
        command_id: String,
        fingerprint: String,
        command: Command,
        reply: oneshot::Sender<Result<Outcome, AppError>>,
    },
    /// Timers and start-up: no idempotency record; the caller may wait for the answer.
    System {
        command: Command,
        reply: Option<oneshot::Sender<Result<u64, AppError>>>,
    },
}

enum Pending {
    System(
        oneshot::Sender<Result<u64, AppError>>,
        Result<u64, AppError>,
    ),
    Cad(
        oneshot::Sender<Result<CadOutcome, AppError>>,
        Result<CadOutcome, AppError>,
    ),
    Command(
        oneshot::Sender<Result<Outcome, AppError>>,
        Result<Outcome, AppError>,
    ),
}

pub(crate) struct Writer<S: Store> {
    pub store: Arc<S>,
    pub policy: Arc<Policy>,
    pub published: Arc<RwLock<Published>>,
    pub hub: Hub,
    pub max_batch: usize,
    clock: Clock,
    state: State,
    seq: u64,
    queue: CrisisQueue,
}

impl<S: Store> Writer<S> {
    pub fn new(
        store: Arc<S>,
        policy: Arc<Policy>,
        published: Arc<RwLock<Published>>,
        hub: Hub,
        max_batch: usize,
        clock: Clock,
    ) -> Self {
        let (state, seq) = {
            let p = published.read().unwrap_or_else(|e| e.into_inner());
            (p.state.clone(), p.seq)
        };
        let mut queue = CrisisQueue::default();
        state.incidents.values().for_each(|i| queue.note(i));
        Self {
            store,
            policy,
            published,
            hub,
            max_batch,
            clock,
            state,
            seq,
            queue,
        }
    }

    pub async fn run(mut self, mut rx: mpsc::Receiver<Work>) {
        let mut work = Vec::with_capacity(self.max_batch);
        while rx.recv_many(&mut work, self.max_batch).await > 0 {
            self.process(std::mem::take(&mut work)).await;
        }
        debug!("writer stopped");
    }

    async fn process(&mut self, work: Vec<Work>) {
        let now = self.clock.now();
        let cad_keys: Vec<(String, String)> = work
            .iter()
            .filter_map(|w| match w {
                Work::Cad {
                    source, event_id, ..
                } => Some((source.clone(), event_id.clone())),
                _ => None,
            })
            .collect();
        let command_ids: Vec<String> = work
            .iter()
            .filter_map(|w| match w {
                Work::Command { command_id, .. } => Some(command_id.clone()),
                _ => None,
            })
            .collect();
        let known = match self.lookup(&cad_keys, &command_ids).await {
            Ok(k) => k,
            Err(e) => return fail_all(work, &e),
        };
        let (receipts, records) = known;

        let mut batch = Batch::default();
        let mut pending = Vec::with_capacity(work.len());
        // Requests in this batch that repeat one earlier in it: answered once the first is.
        let mut repeats: Vec<(usize, Pending)> = Vec::new();
        let mut first_cad: HashMap<(String, String), usize> = HashMap::new();
        let mut first_cmd: HashMap<String, usize> = HashMap::new();

        for item in work {
            match item {
                Work::Cad {
                    source,
                    event_id,
                    command,
                    reply,
                } => {
                    let key = (source, event_id);
                    if let Some(r) = receipts.get(&key) {
                        pending.push(Pending::Cad(
                            reply,
                            Ok(CadOutcome {
                                seq: r.seq,
                                duplicate: true,
                                incident_id: r.incident_id.clone(),
                            }),
                        ));
                        continue;
                    }
                    if let Some(&i) = first_cad.get(&key) {
                        repeats.push((i, Pending::Cad(reply, Err(AppError::ShuttingDown))));
                        continue;
                    }
                    let call = call_key(&command);
                    let result = self.run_command(command, now, &mut batch).map(|seq| {
                        let incident_id = call.and_then(|k| self.state.calls.get(&k).cloned());
                        CadOutcome {
                            seq,
                            duplicate: false,
                            incident_id,
                        }
                    });
                    if let Ok(outcome) = &result {
                        batch.cad_receipts.push(CadReceipt {
                            source: key.0.clone(),
                            event_id: key.1.clone(),
                            seq: outcome.seq,
                            incident_id: outcome.incident_id.clone(),
                        });
                        first_cad.insert(key, pending.len());
                    }
                    pending.push(Pending::Cad(reply, result.map_err(AppError::from)));
                }
                Work::Command {
                    command_id,
                    fingerprint,
                    command,
                    reply,
                } => {
                    if let Some(r) = records.get(&command_id) {
                        let result = if r.fingerprint == fingerprint {
                            Ok(Outcome {
                                seq: r.seq,
                                duplicate: true,
                            })
                        } else {
                            Err(AppError::CommandIdReused(command_id))
                        };
                        pending.push(Pending::Command(reply, result));
                        continue;
                    }
                    if let Some(&i) = first_cmd.get(&command_id) {
                        repeats.push((i, Pending::Command(reply, Err(AppError::ShuttingDown))));
                        continue;
                    }
                    let result = self
                        .run_command(command, now, &mut batch)
                        .map(|seq| Outcome {
                            seq,
                            duplicate: false,
                        });
                    if let Ok(outcome) = &result {
                        let record = CommandRecord {
                            command_id: command_id.clone(),
                            fingerprint,
                            seq: outcome.seq,
                        };
                        batch.commands.push(record);
                        first_cmd.insert(command_id, pending.len());
                    }
                    pending.push(Pending::Command(reply, result.map_err(AppError::from)));
                }
                Work::System { command, reply } => {
                    let name = command.name();
                    let result = self.run_command(command, now, &mut batch);
                    if let Err(rejection) = &result {
                        debug!(command = name, %rejection, "system command refused");
                    }
                    if let Some(tx) = reply {
                        pending.push(Pending::System(tx, result.map_err(AppError::from)));
                    }
                }
            }
        }

        self.fill_projections(&mut batch);
        match self.store.commit(&batch).await {
            Ok(()) => self.publish(batch.entries),
            Err(e) => {
                error!(error = %e, "group commit failed; nothing of this batch is applied");
                // Roll back to what is durable.
                let p = self.published.read().unwrap_or_else(|e| e.into_inner());
                self.state = p.state.clone();
                self.seq = p.seq;
                drop(p);
                self.queue = CrisisQueue::default();
                self.state
                    .incidents
                    .values()
                    .for_each(|i| self.queue.note(i));
                let failed = |p: Pending| match p {
                    Pending::Cad(tx, Ok(o)) if !o.duplicate => {
                        Pending::Cad(tx, Err(AppError::Store(clone_store_error(&e))))
                    }
                    Pending::Command(tx, Ok(o)) if !o.duplicate => {
                        Pending::Command(tx, Err(AppError::Store(clone_store_error(&e))))
                    }
                    Pending::System(tx, Ok(_)) => {
                        Pending::System(tx, Err(AppError::Store(clone_store_error(&e))))
                    }
                    other => other,
                };
                pending = pending.into_iter().map(failed).collect();
            }
        }
        for (first, repeat) in repeats {
            let answer = match (&pending[first], repeat) {
                (Pending::Cad(_, r), Pending::Cad(tx, _)) => Pending::Cad(
                    tx,
                    r.as_ref()
                        .map(|o| CadOutcome {
                            duplicate: true,
                            ..o.clone()
                        })
                        .map_err(copy_error),
                ),
                (Pending::Command(_, r), Pending::Command(tx, _)) => Pending::Command(
                    tx,
                    r.as_ref()
                        .map(|o| Outcome {
                            duplicate: true,
                            ..o.clone()
                        })
                        .map_err(copy_error),
                ),
                (_, other) => other,
            };
            pending.push(answer);
        }
        for p in pending {
            // A caller that went away does not need its answer.
            let _ = match p {
                Pending::Cad(tx, r) => tx.send(r).map_err(|_| ()),
                Pending::Command(tx, r) => tx.send(r).map_err(|_| ()),
                Pending::System(tx, r) => tx.send(r).map_err(|_| ()),
            };
        }
    }

    async fn lookup(
        &self,
        cad_keys: &[(String, String)],
        command_ids: &[String],
    ) -> Result<
        (
            HashMap<(String, String), CadReceipt>,
            HashMap<String, CommandRecord>,
        ),
        dispatch_store::StoreError,
    > {
        let receipts = self
            .store
            .find_cad_receipts(cad_keys)
            .await?
            .into_iter()
            .map(|r| ((r.source.clone(), r.event_id.clone()), r))
            .collect();
        let records = self
            .store
            .find_commands(command_ids)
            .await?
            .into_iter()
            .map(|r| (r.command_id.clone(), r))
            .collect();
        Ok((receipts, records))
    }

    /// Decides one command, applies its events to the writer's state and the batch, then
    /// lets auto-assign act on what changed. Returns the last sequence.
    fn run_command(
        &mut self,
        command: Command,
        now: Timestamp,
        batch: &mut Batch,
    ) -> Result<u64, Rejection> {
        let events = decide(&self.state, &self.policy, command, now)?;
        self.append(events, now, batch);
        if self.policy.auto_assign {
            self.auto_assign(now, batch);
        }
        Ok(self.seq)
    }

    fn append(&mut self, events: Vec<Event>, now: Timestamp, batch: &mut Batch) {
        for event in events {
            self.seq += 1;
            self.state.apply(&event, now);
            if let Some(id) = event.audience().incident_id
                && let Some(incident) = self.state.incidents.get(id)
            {
                self.queue.note(incident);
            }
            batch.entries.push(JournalEntry {
                seq: self.seq,
                at: now,
                event,
            });
        }
    }

    /// Gives waiting eligible calls to the best available team, most urgent call first.
    fn auto_assign(&mut self, now: Timestamp, batch: &mut Batch) {
        let policy = self.policy.clone();
        while let Some(incident_id) = self.queue.first_where(|p| policy.auto_assigns(p)).cloned() {
            let Some(incident) = self.state.incidents.get(&incident_id) else {
                break;
            };
            let Some(best) = recommend(
                &self.policy.recommend,
                incident,
                self.state.teams.values(),
                now,
            )
            .into_iter()
            .next() else {
                break;
            };
            let command = Command::Assign {
                incident_id: incident_id.clone(),
                team_id: best.team_id,
                assignment_id: AssignmentId::new(uuid::Uuid::now_v7().to_string()),
                automatic: true,
            };
            match decide(&self.state, &self.policy, command, now) {
                Ok(events) => self.append(events, now, batch),
                Err(rejection) => {
                    warn!(%incident_id, %rejection, "auto-assign refused");
                    break;
                }
            }
        }
    }

    /// The projection rows that the batch's events touched, as they stand now.
    fn fill_projections(&self, batch: &mut Batch) {
        let mut incidents = BTreeSet::new();
        let mut teams = BTreeSet::new();
        let mut assignments = BTreeSet::new();
        let mut tasks = BTreeSet::new();
        for entry in &batch.entries {
            touched(
                &entry.event,
                &mut incidents,
                &mut teams,
                &mut assignments,
                &mut tasks,
            );
        }
        batch.incidents = incidents
            .iter()
            .filter_map(|id| self.state.incidents.get(*id).cloned())
            .collect();
        batch.teams = teams
            .iter()
            .filter_map(|id| self.state.teams.get(*id).cloned())
            .collect();
        batch.assignments = assignments
            .iter()
            .filter_map(|id| self.state.assignments.get(*id).cloned())
            .collect();
        batch.tasks = tasks
            .iter()
            .filter_map(|id| self.state.tasks.get(*id).cloned())
            .collect();
    }

    fn publish(&mut self, entries: Vec<JournalEntry>) {
        if entries.is_empty() {
            return;
        }
        {
            let mut p = self.published.write().unwrap_or_else(|e| e.into_inner());
            for e in &entries {
                p.state.apply(&e.event, e.at);
            }
            p.seq = self.seq;
        }
        self.hub.publish(Arc::new(entries));
    }
}

fn touched<'a>(
    event: &'a Event,
    incidents: &mut BTreeSet<&'a IncidentId>,
    teams: &mut BTreeSet<&'a dispatch_core::TeamId>,
    assignments: &mut BTreeSet<&'a AssignmentId>,
    tasks: &mut BTreeSet<&'a dispatch_core::TaskId>,
) {
    let audience = event.audience();
    if let Some(i) = audience.incident_id {
        incidents.insert(i);
    }
    if let Some(t) = audience.team_id {
        teams.insert(t);
    }
    match event {
        Event::AssignmentMade { assignment, .. } => {
            assignments.insert(&assignment.id);
        }
        Event::AssignmentRepushed { assignment_id, .. }
        | Event::AssignmentEscalated { assignment_id, .. }
        | Event::AssignmentAcknowledged { assignment_id, .. }
        | Event::AssignmentEnded { assignment_id, .. } => {
            assignments.insert(assignment_id);
        }
        Event::FollowUpCreated { task } => {
            tasks.insert(&task.id);
        }
        Event::FollowUpScheduled { task_id, .. }
        | Event::FollowUpAttemptRecorded { task_id, .. }
        | Event::FollowUpCompleted { task_id, .. } => {
            tasks.insert(task_id);
        }
        _ => {}
    }
}

/// The (source, call number) a CAD command is about.
fn call_key(command: &Command) -> Option<(String, String)> {
    match command {
        Command::CallCreated {
            source,
            call_number,
            ..
        }
        | Command::CallUpdated {
            source,
            call_number,
            ..
        }
        | Command::NarrativeAppended {
            source,
            call_number,
            ..
        }
        | Command::CallClosed {
            source,
            call_number,
            ..
        }
        | Command::CallCancelled {
            source,
            call_number,
            ..
        } => Some((source.clone(), call_number.clone())),
        _ => None,
    }
}

fn fail_all(work: Vec<Work>, e: &dispatch_store::StoreError) {
    error!(error = %e, "idempotency lookup failed");
    for w in work {
        let _ = match w {
            Work::Cad { reply, .. } => reply
                .send(Err(AppError::Store(clone_store_error(e))))
                .map_err(|_| ()),
            Work::Command { reply, .. } => reply
                .send(Err(AppError::Store(clone_store_error(e))))
                .map_err(|_| ()),
            Work::System { reply, .. } => reply.map_or(Ok(()), |tx| {
                tx.send(Err(AppError::Store(clone_store_error(e))))
                    .map_err(|_| ())
            }),
        };
    }
}

fn clone_store_error(e: &dispatch_store::StoreError) -> dispatch_store::StoreError {
    use dispatch_store::StoreError as E;
    match e {
        E::Conflict(m) => E::Conflict(m.clone()),
        E::Unavailable(m) => E::Unavailable(m.clone()),
        E::Corrupt(m) => E::Corrupt(m.clone()),
        E::Other(m) => E::Other(m.clone()),
    }
}

/// A repeat inside one batch gets the same answer as the first request.
fn copy_error(e: &AppError) -> AppError {
    match e {
        AppError::Invalid { field, reason } => AppError::Invalid {
            field: field.clone(),
            reason: reason.clone(),
        },
        AppError::Rejected(r) => AppError::Rejected(r.clone()),
        AppError::CommandIdReused(c) => AppError::CommandIdReused(c.clone()),
        AppError::Auth(a) => AppError::Auth(a.clone()),
        AppError::Store(s) => AppError::Store(clone_store_error(s)),
        AppError::ShuttingDown => AppError::ShuttingDown,
    }
}
