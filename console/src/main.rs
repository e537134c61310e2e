//! dispatch-console, line mode: watch a board, a team's stream or the follow-up queue, and
//! type commands. The full-screen terminal console replaces this (its own issue); this one is
//! enough to follow and work a call against the demo.

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use dispatch_proto::v1;
use dispatch_proto::v1::dispatch_client::DispatchClient;
use dispatch_proto::v1::follow_ups_client::FollowUpsClient;
use dispatch_proto::v1::responder_client::ResponderClient;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio_stream::StreamExt;
use tonic::Request;
use tonic::transport::Channel;

#[derive(Debug, Parser)]
#[command(
    name = "dispatch-console",
    version,
    about = "Line-mode console for the crisis dispatch server"
)]
struct Cli {
    /// Server address.
    #[arg(
        long,
        env = "DISPATCH_SERVER",
        default_value = "http://127.0.0.1:50051"
    )]
    server: String,
    /// Bearer token (the demo prints one per role).
    #[arg(long, env = "DISPATCH_TOKEN")]
    token: String,
    /// Resume after this journal sequence (0: start with a snapshot).
    #[arg(long, default_value_t = 0)]
    after_seq: u64,
    #[command(subcommand)]
    mode: Mode,
}

#[derive(Debug, Subcommand)]
enum Mode {
    /// Dispatcher: print the board; type `assign <incident> <team>` or `decline <incident> police|fire|ems|other <reason>`.
    Board,
    /// Team: print the team's stream; type `ack`, `enroute`, `onscene`, `transporting`, `backup <note>`,
    /// `clear <disposition> [consent]` (dispositions: resolved, connected, declined, transported, referred, unable, police).
    Unit,
    /// Peer: print the follow-up queue; type `reached <task> <note>`, `nocontact <task>`, `done <task>`.
    Peer,
}

fn authed<T>(message: T, token: &str) -> anyhow::Result<Request<T>> {
    let mut r = Request::new(message);
    r.metadata_mut().insert(
        "authorization",
        format!("Bearer {token}")
            .parse()
            .context("token is not a valid header value")?,
    );
    Ok(r)
}

fn command_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let channel = Channel::from_shared(cli.server.clone())
        .context("--server must be a URL such as http://127.0.0.1:50051")?
        .connect()
        .await
        .with_context(|| format!("cannot reach {}", cli.server))?;
    let lines = BufReader::new(tokio::io::stdin()).lines();
    match cli.mode {
        Mode::Board => board(channel, &cli.token, cli.after_seq, lines).await,
        Mode::Unit => unit(channel, &cli.token, cli.after_seq, lines).await,
        Mode::Peer => peer(channel, &cli.token, cli.after_seq, lines).await,
    }
}

type Lines = tokio::io::Lines<BufReader<tokio::io::Stdin>>;

fn describe(e: &v1::Event) -> String {
    use v1::event::Kind;
    let what = match &e.kind {
        Some(Kind::IncidentReceived(r)) => {
            let i = r.incident.clone().unwrap_or_default();
            let d = i.details.unwrap_or_default();
            format!(
                "NEW CALL {} {} — {} @ {}",
                i.id,
                i.call_number,
                d.nature_text,
                d.location.unwrap_or_default().address
            )
        }
        Some(Kind::IncidentTriaged(t)) => {
            let tr = t.triage.clone().unwrap_or_default();
            let reasons: Vec<String> = tr
                .reasons
                .iter()
                .map(|r| format!("{} ({})", r.rule, r.evidence))
                .collect();
            format!(
                "TRIAGED {} {:?} → {:?} P{} [{}]",
                t.incident_id,
                v1::Decision::try_from(tr.decision).unwrap_or_default(),
                v1::Route::try_from(tr.route).unwrap_or_default(),
                tr.priority,
                reasons.join("; ")
            )
        }
        Some(Kind::AssignmentMade(a)) => {
            let asg = a.assignment.clone().unwrap_or_default();
            let i = a.incident.clone().unwrap_or_default();
            let d = i.details.unwrap_or_default();
            let loc = d.location.unwrap_or_default();
            let narrative: Vec<String> = d.narrative.iter().map(|l| l.text.clone()).collect();
            format!(
                "ASSIGNED {} → {} (assignment {})\n    {} @ {} ({})\n    narrative: {}\n    callback: {}",
                i.id,
                asg.team_id,
                asg.id,
                d.nature_text,
                loc.address,
                loc.cross_streets,
                narrative.join(" / "),
                d.caller.unwrap_or_default().callback
            )
        }
        Some(Kind::SafetyAlert(a)) => {
            format!("!!! SAFETY ALERT {}: {:?}", a.incident_id, a.reasons)
        }
        Some(Kind::AssignmentRepushed(r)) => format!(
            "ACK NEEDED (re-push {}) assignment {}",
            r.repushes, r.assignment_id
        ),
        Some(Kind::AssignmentEscalated(r)) => {
            format!("!!! NO ACK from {} for {}", r.team_id, r.assignment_id)
        }
        Some(Kind::NarrativeAdded(n)) => format!(
            "NARRATIVE {}: {}",
            n.incident_id,
            n.lines
                .iter()
                .map(|l| l.text.clone())
                .collect::<Vec<_>>()
                .join(" / ")
        ),
        Some(Kind::FollowUpCreated(c)) => {
            let t = c.task.clone().unwrap_or_default();
            format!(
                "FOLLOW-UP {} {:?} for incident {} (assignee {})",
                t.id,
                v1::FollowUpKind::try_from(t.kind).unwrap_or_default(),
                t.incident_id,
                t.assignee
            )
        }
        Some(other) => format!("{other:?}"),
        None => "(empty event)".to_owned(),
    };
    format!("[{}] {what}", e.seq)
}

async fn board(channel: Channel, token: &str, after: u64, mut lines: Lines) -> anyhow::Result<()> {
    let mut client = DispatchClient::new(channel);
    let mut stream = client
        .watch_board(authed(v1::WatchRequest { after_seq: after }, token)?)
        .await?
        .into_inner();
    loop {
        tokio::select! {
            m = stream.next() => match m {
                Some(Ok(v1::BoardEvent { kind: Some(v1::board_event::Kind::Snapshot(s)) })) => {
                    println!("board at seq {}: {} open incidents, {} teams", s.seq, s.incidents.len(), s.teams.len());
                    for t in s.teams { println!("  team {} {:?}", t.id, v1::TeamStatus::try_from(t.status).unwrap_or_default()); }
                    for i in s.incidents { println!("  incident {} {:?}", i.id, v1::IncidentStatus::try_from(i.status).unwrap_or_default()); }
                }
                Some(Ok(v1::BoardEvent { kind: Some(v1::board_event::Kind::Event(e)) })) => println!("{}", describe(&e)),
                Some(Ok(_)) => {}
                Some(Err(s)) => bail!("stream ended: {}", s.message()),
                None => bail!("stream ended"),
            },
            line = lines.next_line() => {
                let Some(line) = line? else { return Ok(()) };
                let words: Vec<&str> = line.split_whitespace().collect();
                let result = match words.as_slice() {
                    ["assign", incident, team] => client.assign(authed(v1::AssignRequest { command_id: command_id(), incident_id: (*incident).into(), team_id: (*team).into() }, token)?).await.map(|r| format!("{:?}", r.into_inner().assignment.map(|a| a.id))),
                    ["decline", incident, route, reason @ ..] => {
                        let route = match *route { "police" => v1::Route::Police, "fire" => v1::Route::Fire, "ems" => v1::Route::Ems, _ => v1::Route::Other };
                        client.decline(authed(v1::DeclineRequest { command_id: command_id(), incident_id: (*incident).into(), route: route as i32, reason: reason.join(" ") }, token)?).await.map(|_| "declined".to_owned())
                    }
                    _ => { eprintln!("commands: assign <incident> <team> | decline <incident> police|fire|ems|other <reason>"); continue; }
                };
                match result { Ok(m) => println!("ok: {m}"), Err(s) => eprintln!("refused ({:?}): {}", s.code(), s.message()) }
            }
        }
    }
}

async fn unit(channel: Channel, token: &str, after: u64, mut lines: Lines) -> anyhow::Result<()> {
    let mut client = ResponderClient::new(channel);
    let mut stream = client
        .subscribe(authed(
            v1::SubscribeRequest {
                team_id: String::new(),
                after_seq: after,
            },
            token,
        )?)
        .await?
        .into_inner();
    let mut assignment = String::new();
    loop {
        tokio::select! {
            m = stream.next() => match m {
                Some(Ok(v1::ResponderEvent { kind: Some(v1::responder_event::Kind::Snapshot(s)) })) => {
                    let team = s.team.unwrap_or_default();
                    println!("team {} {:?} at seq {}", team.id, v1::TeamStatus::try_from(team.status).unwrap_or_default(), s.seq);
                    if let Some(a) = s.assignment { assignment = a.id; println!("  current assignment {assignment}"); }
                }
                Some(Ok(v1::ResponderEvent { kind: Some(v1::responder_event::Kind::Event(e)) })) => {
                    if let Some(v1::event::Kind::AssignmentMade(a)) = &e.kind { assignment = a.assignment.clone().unwrap_or_default().id; }
                    println!("{}", describe(&e));
                }
                Some(Ok(_)) => {}
                Some(Err(s)) => bail!("stream ended: {}", s.message()),
                None => bail!("stream ended"),
            },
            line = lines.next_line() => {
                let Some(line) = line? else { return Ok(()) };
                let words: Vec<&str> = line.split_whitespace().collect();
                let status = |s: v1::TeamStatus| v1::UpdateStatusRequest { command_id: command_id(), status: s as i32, position: None, team_id: String::new() };
                let result = match words.as_slice() {
                    ["ack"] => client.acknowledge(authed(v1::AcknowledgeRequest { command_id: command_id(), assignment_id: assignment.clone() }, token)?).await.map(|_| "acknowledged".to_owned()),
                    ["enroute"] => client.update_status(authed(status(v1::TeamStatus::EnRoute), token)?).await.map(|_| "en route".to_owned()),
                    ["onscene"] => client.update_status(authed(status(v1::TeamStatus::OnScene), token)?).await.map(|_| "on scene".to_owned()),
                    ["transporting"] => client.update_status(authed(status(v1::TeamStatus::Transporting), token)?).await.map(|_| "transporting".to_owned()),
                    ["backup", note @ ..] => client.request_backup(authed(v1::BackupRequest { command_id: command_id(), urgent: true, note: note.join(" ") }, token)?).await.map(|_| "backup requested".to_owned()),
                    ["clear", disposition, rest @ ..] => {
                        let d = match *disposition {
                            "resolved" => v1::Disposition::ResolvedOnScene, "connected" => v1::Disposition::ConnectedToServices,
                            "declined" => v1::Disposition::DeclinedServices, "transported" => v1::Disposition::Transported,
                            "referred" => v1::Disposition::ReferredToPartnerAgency, "unable" => v1::Disposition::UnableToLocate,
                            "police" => v1::Disposition::HandedToPolice, _ => v1::Disposition::Unspecified,
                        };
                        let encounter = v1::Encounter { consents_to_follow_up: rest.contains(&"consent"), ..Default::default() };
                        client.clear(authed(v1::ClearRequest { command_id: command_id(), disposition: d as i32, encounter: Some(encounter) }, token)?).await
                            .map(|r| format!("cleared; {} follow-up task(s)", r.into_inner().follow_ups.len()))
                    }
                    _ => { eprintln!("commands: ack | enroute | onscene | transporting | backup <note> | clear <resolved|connected|declined|transported|referred|unable|police> [consent]"); continue; }
                };
                match result { Ok(m) => println!("ok: {m}"), Err(s) => eprintln!("refused ({:?}): {}", s.code(), s.message()) }
            }
        }
    }
}

async fn peer(channel: Channel, token: &str, after: u64, mut lines: Lines) -> anyhow::Result<()> {
    let mut client = FollowUpsClient::new(channel);
    let mut stream = client
        .watch_queue(authed(v1::WatchRequest { after_seq: after }, token)?)
        .await?
        .into_inner();
    loop {
        tokio::select! {
            m = stream.next() => match m {
                Some(Ok(v1::FollowUpEvent { kind: Some(v1::follow_up_event::Kind::Snapshot(s)) })) => {
                    println!("queue at seq {}: {} open task(s)", s.seq, s.tasks.len());
                    for t in s.tasks { println!("  task {} {:?} incident {}{}", t.id, v1::FollowUpKind::try_from(t.kind).unwrap_or_default(), t.incident_id, if t.overdue { " OVERDUE" } else { "" }); }
                }
                Some(Ok(v1::FollowUpEvent { kind: Some(v1::follow_up_event::Kind::Event(e)) })) => println!("{}", describe(&e)),
                Some(Ok(_)) => {}
                Some(Err(s)) => bail!("stream ended: {}", s.message()),
                None => bail!("stream ended"),
            },
            line = lines.next_line() => {
                let Some(line) = line? else { return Ok(()) };
                let words: Vec<&str> = line.split_whitespace().collect();
                let attempt = |task: &str, result: v1::AttemptResult, note: String| v1::AttemptRequest { command_id: command_id(), task_id: task.into(), result: result as i32, note, referrals: vec![] };
                let result = match words.as_slice() {
                    ["reached", task, note @ ..] => client.record_attempt(authed(attempt(task, v1::AttemptResult::Reached, note.join(" ")), token)?).await.map(|_| "recorded".to_owned()),
                    ["nocontact", task] => client.record_attempt(authed(attempt(task, v1::AttemptResult::NoContact, String::new()), token)?).await.map(|_| "recorded".to_owned()),
                    ["done", task] => client.complete(authed(v1::CompleteRequest { command_id: command_id(), task_id: (*task).into(), outcome: v1::TaskOutcome::Done as i32, measures: None }, token)?).await.map(|_| "completed".to_owned()),
                    _ => { eprintln!("commands: reached <task> <note> | nocontact <task> | done <task>"); continue; }
                };
                match result { Ok(m) => println!("ok: {m}"), Err(s) => eprintln!("refused ({:?}): {}", s.code(), s.message()) }
            }
        }
    }
}
