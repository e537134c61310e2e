//! The single writer: takes whatever requests are waiting, decides them in order against its
//! own copy of the state, writes the resulting events and projections in one transaction
//! (group commit), then publishes: the shared state, the hub, the callers' replies.
//!
//! Nobody sees an effect before it is durable: the shared state and the streams change only
//! after the commit, and a failed commit rolls the writer's copy back to the shared one.

use super::audit::{self, Actor, AuditLog};
use super::error::AppError;
use super::hub::Hub;
use super::ids;
use super::published::Published;
use crate::clock::Clock;
use dispatch_core::recommend::recommend;
use dispatch_core::{
    Command, CrisisQueue, Event, IncidentId, Policy, Rejection, State, Timestamp, decide,
};
use dispatch_store::{Batch, CadReceipt, CommandRecord, JournalEntry, Locked, Store, StoreError};
use round::{Answer, Known, Repeat, Reply, Round, call_key, keys_of, refuse_all, touched};
use std::collections::BTreeSet;
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
        actor: Actor,
        source: String,
        event_id: String,
        command: Command,
        reply: oneshot::Sender<Result<CadOutcome, AppError>>,
    },
    Command {
        actor: Actor,
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

/// What the writer needs for privacy: the appender for audit records of failed rounds and
/// the vault that seals stored copies.
pub(crate) struct Safeguards {
    pub audit: AuditLog,
    pub vault: Arc<crate::privacy::Vault>,
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
    /// Takes the audit records of a round whose commit failed.
    audit: AuditLog,
    /// Seals the stored copy of each batch (encryption at rest).
    vault: Arc<crate::privacy::Vault>,
}

impl<S: Store> Writer<S> {
    pub fn new(
        store: Arc<S>,
        policy: Arc<Policy>,
        published: Arc<RwLock<Published>>,
        hub: Hub,
        max_batch: usize,
        clock: Clock,
        Safeguards { audit, vault }: Safeguards,
    ) -> Self {
        let (state, seq) = {
            let p = published.read().unwrap_or_else(|e| e.into_inner());
            (p.state.clone(), p.seq)
        };
        let queue = queue_of(&state);
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
            audit,
            vault,
        }
    }

    pub async fn run(mut self, mut rx: mpsc::Receiver<Work>) {
        let mut work = Vec::with_capacity(self.max_batch);
        while rx.recv_many(&mut work, self.max_batch).await > 0 {
            self.process(std::mem::take(&mut work)).await;
        }
        debug!("writer stopped");
    }

    /// One round: under the store's write lock, catch up with what other replicas committed
    /// (a shared store only), look up the requests' idempotency keys, decide each in order,
    /// write the batch in the same transaction, then publish and answer (or roll back and
    /// say why).
    async fn process(&mut self, work: Vec<Work>) {
        let now = self.clock.now();
        self.catch_up_from_journal().await;
        let keys = keys_of(&work);
        let store = self.store.clone();
        let after = self.seq;
        let mut pending = Some(work);
        // The round as decided (plain text: what is published and answered), what it caught
        // up with (opened), and whether its stored copy could be sealed.
        let mut decided: Option<(Round, Vec<JournalEntry>, Result<(), StoreError>)> = None;
        let committed = store
            .commit_decided(after, &keys, |locked| {
                let Locked {
                    mut missed,
                    receipts,
                    commands,
                    data_keys,
                } = locked;
                // Other replicas' entries are stored sealed: open them with their incidents'
                // keys (committed with them, handed over under the same lock).
                if let Err(e) = self.vault.load_keys(data_keys) {
                    error!(error = %e, "data keys of another replica's commit do not open");
                }
                self.vault.open_entries(&mut missed);
                self.catch_up(&missed);
                let mut round = Round::new(now, Known::from_records(receipts, commands));
                for item in pending.take().unwrap_or_default() {
                    self.take(item, &mut round);
                }
                self.fill_projections(&mut round.batch);
                // The stored copy is sealed, the round keeps the plain one (encryption at rest).
                let state = &self.state;
                let sealed = (self.vault).seal_batch(&round.batch, |task| {
                    state.tasks.get(task).map(|t| t.incident_id.clone())
                });
                let (batch, sealing) = match sealed {
                    Ok(sealed) => (sealed, Ok(())),
                    // Nothing is written; the round is refused below.
                    Err(e) => (Batch::default(), Err(e)),
                };
                decided = Some((round, missed, sealing));
                batch
            })
            .await;
        let Some((mut round, missed, sealing)) = decided else {
            let e = committed.err().unwrap_or_else(|| {
                StoreError::Other("the store committed without deciding".into())
            });
            let work = pending.take().unwrap_or_default();
            for w in &work {
                if let Work::Cad { actor, command, .. } | Work::Command { actor, command, .. } = w {
                    let (incidents, tasks) = audit::named_ids(command);
                    let action = audit::action_of(command);
                    let outcome = "unavailable".to_owned();
                    (self.audit).record(actor.event(now, action, incidents, tasks, outcome));
                }
            }
            return refuse_all(work, &e);
        };
        let result = sealing.and(committed.map(|_| ()));
        self.vault.settle(result.is_ok());
        match result {
            Ok(()) => {
                let entries = std::mem::take(&mut round.batch.entries);
                self.publish(missed, entries);
            }
            Err(e) => {
                error!(error = %e, "group commit failed; nothing of this batch is applied");
                self.roll_back();
                round.fail_applied(&e);
                // The requests were made and refused: that is on the record too.
                for mut record in std::mem::take(&mut round.batch.audit) {
                    if record.outcome == "ok" {
                        "unavailable".clone_into(&mut record.outcome);
                    }
                    self.audit.record(record);
                }
            }
        }
        round.answer();
    }

    /// Before taking the lock: when the replica has seen newer entries than the writer
    /// (another replica wrote), read them, so that the locked part has little to catch up.
    /// Never happens with a store of one writer.
    async fn catch_up_from_journal(&mut self) {
        let published = self.published.read().unwrap_or_else(|e| e.into_inner()).seq;
        while self.seq < published {
            match (self.vault).read_opened(&*self.store, self.seq, 1000).await {
                Ok(page) if !page.is_empty() => self.catch_up(&page),
                Ok(_) => break,
                Err(e) => {
                    debug!(error = %e, "catch-up read failed; the locked round catches up");
                    break;
                }
            }
        }
    }

    /// Applies entries other replicas committed to the writer's own state, in order.
    fn catch_up(&mut self, entries: &[JournalEntry]) {
        for entry in entries {
            if entry.seq <= self.seq {
                continue;
            }
            if entry.seq != self.seq + 1 {
                error!(
                    seq = entry.seq,
                    after = self.seq,
                    "journal gap while catching up"
                );
                return;
            }
            self.seq = entry.seq;
            self.state.apply(&entry.event, entry.at);
            if let Some(id) = entry.event.audience().incident_id
                && let Some(incident) = self.state.incidents.get(id)
            {
                self.queue.note(incident);
            }
        }
    }

    /// One request of the round, in arrival order.
    fn take(&mut self, item: Work, round: &mut Round) {
        match item {
            Work::Cad {
                actor,
                source,
                event_id,
                command,
                reply,
            } => {
                let first = (round.batch.entries.len(), round.answers.len());
                let action = audit::action_of(&command);
                let named = audit::named_ids(&command);
                self.take_cad((source, event_id), command, reply, round);
                round.audit(&actor, action, first, named);
            }
            Work::Command {
                actor,
                command_id,
                fingerprint,
                command,
                reply,
            } => {
                let first = (round.batch.entries.len(), round.answers.len());
                let action = audit::action_of(&command);
                let named = audit::named_ids(&command);
                self.take_command((command_id, fingerprint), command, reply, round);
                // A timer (the server's own command, fired by every replica) is on the record
                // when it changed something, as on one server; a repeat or no-op is not.
                let server_noop =
                    actor.holder == audit::SERVER && round.batch.entries.len() == first.0;
                if !server_noop {
                    round.audit(&actor, action, first, named);
                }
            }
            Work::System { command, reply } => self.take_system(command, reply, round),
        }
    }

    /// A CAD event: its stored receipt if it was applied before, the first one's answer if
    /// it repeats one in this round, else decided now.
    fn take_cad(
        &mut self,
        key: (String, String),
        command: Command,
        tx: oneshot::Sender<Result<CadOutcome, AppError>>,
        round: &mut Round,
    ) {
        if let Some(r) = round.known.receipts.get(&key) {
            let result = Ok(CadOutcome {
                seq: r.seq,
                duplicate: true,
                incident_id: r.incident_id.clone(),
            });
            return round.answers.push(Answer::Cad(Reply { tx, result }));
        }
        if let Some(&first) = round.first_cad.get(&key) {
            return round.repeats.push(Repeat::Cad { first, tx });
        }
        let call = call_key(&command);
        // A known call's creation sent again under another event id: when it changes
        // nothing it is a duplicate, whatever the call's state.
        let resent = matches!(command, Command::CallCreated { .. })
            && call
                .as_ref()
                .is_some_and(|k| self.state.calls.contains_key(k));
        let before = self.seq;
        let result = self
            .run_command(command, round.now, &mut round.batch)
            .map(|seq| CadOutcome {
                seq,
                duplicate: resent && seq == before,
                incident_id: call.and_then(|k| self.state.calls.get(&k).cloned()),
            });
        if let Ok(outcome) = &result {
            round.batch.cad_receipts.push(CadReceipt {
                source: key.0.clone(),
                event_id: key.1.clone(),
                seq: outcome.seq,
                incident_id: outcome.incident_id.clone(),
            });
            round.first_cad.insert(key, round.answers.len());
        }
        let result = result.map_err(AppError::from);
        round.answers.push(Answer::Cad(Reply { tx, result }));
    }

    /// A client command, likewise by its command id; a known id with another fingerprint is
    /// a different command and is refused.
    fn take_command(
        &mut self,
        (command_id, fingerprint): (String, String),
        command: Command,
        tx: oneshot::Sender<Result<Outcome, AppError>>,
        round: &mut Round,
    ) {
        if let Some(r) = round.known.commands.get(&command_id) {
            let result = if r.fingerprint == fingerprint {
                Ok(Outcome {
                    seq: r.seq,
                    duplicate: true,
                })
            } else {
                Err(AppError::CommandIdReused(command_id))
            };
            return round.answers.push(Answer::Command(Reply { tx, result }));
        }
        if let Some(&first) = round.first_command.get(&command_id) {
            return round.repeats.push(Repeat::Command { first, tx });
        }
        let result = self
            .run_command(command, round.now, &mut round.batch)
            .map(|seq| Outcome {
                seq,
                duplicate: false,
            });
        if let Ok(outcome) = &result {
            round.batch.commands.push(CommandRecord {
                command_id: command_id.clone(),
                fingerprint,
                seq: outcome.seq,
            });
            round.first_command.insert(command_id, round.answers.len());
        }
        let result = result.map_err(AppError::from);
        round.answers.push(Answer::Command(Reply { tx, result }));
    }

    /// A command of the server's own (timers, roster): no idempotency record.
    fn take_system(
        &mut self,
        command: Command,
        reply: Option<oneshot::Sender<Result<u64, AppError>>>,
        round: &mut Round,
    ) {
        let name = command.name();
        let first = round.batch.entries.len();
        let action = audit::action_of(&command);
        let result = self.run_command(command, round.now, &mut round.batch);
        if let Err(rejection) = &result {
            debug!(command = name, %rejection, "system command refused");
        } else if round.batch.entries.len() > first {
            // The server's own changes (timers, roster) are on the record when they changed
            // something; a timer that found nothing to do is not.
            let actor = Actor {
                holder: audit::SERVER.into(),
                role: "server".into(),
                peer: None,
                operation: name.into(),
            };
            round.audit_changes(&actor, action, first, "ok".into());
        }
        if let Some(tx) = reply {
            let result = result.map_err(AppError::from);
            round.answers.push(Answer::System(Reply { tx, result }));
        }
    }

    /// Back to what is durable, after a failed commit.
    fn roll_back(&mut self) {
        let p = self.published.read().unwrap_or_else(|e| e.into_inner());
        self.state = p.state.clone();
        self.seq = p.seq;
        drop(p);
        self.queue = queue_of(&self.state);
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
                assignment_id: ids::assignment_automatic(),
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

    /// After the commit: what the round caught up with and what it wrote become what
    /// readers see (entries the replica's journal follower already published are skipped).
    fn publish(&mut self, missed: Vec<JournalEntry>, entries: Vec<JournalEntry>) {
        let mut all = missed;
        all.extend(entries);
        super::published::advance(&self.published, &self.hub, all);
    }
}

/// The queue of waiting calls, as a state holds them.
fn queue_of(state: &State) -> CrisisQueue {
    let mut queue = CrisisQueue::default();
    state.incidents.values().for_each(|i| queue.note(i));
    queue
}

mod round;
#[cfg(test)]
mod tests;
