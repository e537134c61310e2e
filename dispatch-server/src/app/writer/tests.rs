//! The writer's rounds against a real SQLite store.

use super::*;
use dispatch_core::{CallDetails, TeamId};
use dispatch_store_sqlite::SqliteStore;

fn register(team: &str) -> Command {
    Command::RegisterTeam {
        team_id: TeamId::new(team),
        members: vec![],
        languages: vec![],
        position: None,
    }
}

fn call(number: &str) -> Command {
    Command::CallCreated {
        source: "boec".into(),
        call_number: number.into(),
        incident_id: IncidentId::new(format!("inc-{number}")),
        details: CallDetails::default(),
    }
}

/// Requests that repeat one in the same round get its answer, marked duplicate, and
/// change nothing twice; a command id re-used for another command is refused.
#[tokio::test]
async fn repeats_in_one_round_get_the_first_ones_answer() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(&dir.path().join("w.db")).await.unwrap());
    let published = Arc::new(RwLock::new(Published::default()));
    let clock = Clock::manual(Timestamp(1_000));
    let (audit, _audit_rx) = AuditLog::new(clock.clone());
    let mut writer = Writer::new(
        store.clone(),
        Arc::new(Policy::default()),
        published.clone(),
        Hub::default(),
        16,
        clock,
        Safeguards {
            audit,
            vault: Arc::new(crate::privacy::Vault::ephemeral()),
        },
    );
    let actor = Actor {
        holder: "Jo".into(),
        role: "dispatcher".into(),
        peer: None,
        operation: "/test".into(),
    };
    let (cmd, other, cad, cad_again) = (
        oneshot::channel(),
        oneshot::channel(),
        oneshot::channel(),
        oneshot::channel(),
    );
    let (cmd_again, reused) = (oneshot::channel(), oneshot::channel());
    let command = |id: &str, c: Command, reply| Work::Command {
        actor: actor.clone(),
        command_id: id.into(),
        fingerprint: super::ids::fingerprint(&c),
        command: c,
        reply,
    };
    let event = |c: Command, reply| Work::Cad {
        actor: actor.clone(),
        source: "boec".into(),
        event_id: "e-1".into(),
        command: c,
        reply,
    };
    writer
        .process(vec![
            command("c-1", register("PSR-1"), cmd.0),
            event(call("C-1"), cad.0),
            command("c-1", register("PSR-1"), cmd_again.0),
            event(call("C-1"), cad_again.0),
            command("c-2", register("PSR-2"), other.0),
        ])
        .await;
    let first = cmd.1.await.unwrap().unwrap();
    let again = cmd_again.1.await.unwrap().unwrap();
    assert!(!first.duplicate && again.duplicate);
    assert_eq!(first.seq, again.seq);
    let (c1, c2) = (
        cad.1.await.unwrap().unwrap(),
        cad_again.1.await.unwrap().unwrap(),
    );
    assert!(!c1.duplicate && c2.duplicate);
    assert_eq!((c1.seq, &c1.incident_id), (c2.seq, &c2.incident_id));
    assert!(other.1.await.unwrap().is_ok());
    {
        let p = published.read().unwrap();
        assert_eq!(p.state.teams.len(), 2);
        assert_eq!(p.state.incidents.len(), 1);
    }
    // A later round: the stored record answers; another command under the id is refused.
    writer
        .process(vec![command("c-1", register("PSR-9"), reused.0)])
        .await;
    let refused = reused.1.await.unwrap().unwrap_err();
    assert_eq!(refused.field(), Some("command_id"));

    // Every request is on the audit trail, committed with the round: the repeats too,
    // and the refusal with its code.
    let records = store.read_audit(0, 100).await.unwrap();
    let events: Vec<_> = records.iter().map(|r| r.event().unwrap()).collect();
    assert_eq!(events.len(), 6);
    assert!(events.iter().all(|e| e.actor == "Jo"));
    assert_eq!(events[1].incident_ids, vec!["inc-C-1".to_owned()]);
    assert_eq!(events[3].incident_ids, vec!["inc-C-1".to_owned()]);
    let outcomes: Vec<_> = events.iter().map(|e| e.outcome.as_str()).collect();
    assert_eq!(outcomes, ["ok", "ok", "ok", "ok", "ok", "already_exists"]);
}
