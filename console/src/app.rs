//! The console's one update function: a message (a key, a tick of the clock, something from
//! the network) changes the model and returns the effects to run (send a command, ask for
//! recommendations, ring the bell, quit). Pure, so every key and every server event is tested
//! as a state transition.

use crate::command::{Command, Failure, Outgoing};
use crate::gps;
use crate::keymap::{self, Action};
use crate::state::form::{Form, FormOutcome};
use crate::state::{FlashKind, Mode, Model, Overlay, Screen, StreamKind};
use crossterm::event::{KeyCode, KeyEvent};
use dispatch_proto::v1;

#[derive(Clone, Debug, PartialEq)]
pub enum NetMsg {
    Up(StreamKind),
    Down {
        kind: StreamKind,
        error: String,
        retry_in_ms: i64,
    },
    /// The server refused the token or role; the stream will not retry.
    Refused {
        kind: StreamKind,
        error: String,
    },
    Board(v1::BoardEvent),
    Team(v1::ResponderEvent),
    Queue(v1::FollowUpEvent),
    Answered {
        id: String,
        result: Result<String, Failure>,
    },
    Recommendations(v1::Recommendations),
    RecommendFailed {
        incident_id: String,
        error: String,
    },
    /// The incident behind a follow-up task, or why it could not be read.
    TaskIncident {
        task_id: String,
        result: Result<v1::Incident, String>,
    },
}

// A message is moved once from the loop into `update`; boxing it would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    /// The wall clock, in milliseconds since the epoch.
    Tick(i64),
    Net(NetMsg),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Send(Outgoing),
    Recommend(String),
    /// Read the incident behind this follow-up task.
    TaskIncident(String),
    Bell,
    Quit,
}

/// A command that got no answer while the connection stayed up is sent again after this long.
pub const RETRY_AFTER_MS: i64 = 5_000;

pub fn update(m: &mut Model, msg: Msg) -> Vec<Effect> {
    let mut fx = Vec::new();
    match msg {
        Msg::Tick(now) => {
            m.now_ms = now;
            m.lock.tick(now);
            if m.conn.is_up() {
                fx.extend(
                    m.outbox
                        .retry(now, RETRY_AFTER_MS)
                        .into_iter()
                        .map(Effect::Send),
                );
            }
            simulate_gps(m, &mut fx);
        }
        Msg::Key(key) => on_key(m, key, &mut fx),
        Msg::Net(n) => on_net(m, n, &mut fx),
    }
    follow_selection(m, &mut fx);
    if m.quit && !fx.contains(&Effect::Quit) {
        fx.push(Effect::Quit);
    }
    fx
}

/// A command in words, with call numbers where the command names incidents by id.
pub(crate) fn describe(m: &Model, command: &Command) -> String {
    match command {
        Command::Assign {
            incident_id,
            team_id,
        } => format!("assign {} to {team_id}", m.board.call_number(incident_id)),
        Command::Decline {
            incident_id, route, ..
        } => format!(
            "decline {} to {}",
            m.board.call_number(incident_id),
            crate::words::route(*route)
        ),
        other => other.describe(),
    }
}

/// Sends a command now, or keeps it (with its id) until the connection is back.
fn issue(m: &mut Model, command: Command, fx: &mut Vec<Effect>) {
    let what = describe(m, &command);
    let out = m.outgoing(command);
    match m.outbox.push(out, m.conn.is_up()) {
        Some(out) => {
            m.say(FlashKind::Info, format!("sending: {what}"));
            fx.push(Effect::Send(out));
        }
        None if what.contains("backup") => m.say(
            FlashKind::Problem,
            format!("OFFLINE, USE THE RADIO NOW: dispatch cannot hear the {what} (queued)"),
        ),
        None => m.say(
            FlashKind::Problem,
            format!("OFFLINE: {what} is queued and will be sent when the connection is back"),
        ),
    }
}

fn on_key(m: &mut Model, key: KeyEvent, fx: &mut Vec<Effect>) {
    if keymap::is_interrupt(key) {
        m.quit = true;
        return;
    }
    if m.lock.locked {
        on_lock_key(m, key);
        return;
    }
    m.lock.touched(m.now_ms);
    if let Some(overlay) = m.overlay.take() {
        on_overlay_key(m, overlay, key, fx);
        return;
    }
    let Some(action) = keymap::action(m.mode, m.screen, key) else {
        return;
    };
    on_action(m, action, fx);
}

/// On the lock screen keys only type the token or PIN; nothing else happens.
fn on_lock_key(m: &mut Model, key: KeyEvent) {
    match key.code {
        KeyCode::Enter => {
            let opened = m.lock.try_unlock(m.now_ms);
            if opened {
                m.say(FlashKind::Info, "unlocked");
            }
        }
        KeyCode::Backspace => {
            m.lock.typed.pop();
        }
        KeyCode::Esc => m.lock.typed.clear(),
        KeyCode::Char(c) if m.lock.typed.len() < 256 => m.lock.typed.push(c),
        _ => {}
    }
}

fn on_overlay_key(m: &mut Model, overlay: Overlay, key: KeyEvent, fx: &mut Vec<Effect>) {
    match overlay {
        Overlay::Help => {}
        Overlay::ConfirmQuit => {
            if matches!(key.code, KeyCode::Char('y' | 'Y')) {
                m.quit = true;
            }
        }
        Overlay::ConfirmAssign {
            incident_id,
            team_id,
        } => match key.code {
            KeyCode::Enter | KeyCode::Char('y' | 'Y') => issue(
                m,
                Command::Assign {
                    incident_id,
                    team_id,
                },
                fx,
            ),
            KeyCode::Char(c @ '1'..='9') => {
                let pick = (c as usize) - ('1' as usize);
                let team = m
                    .recommendations
                    .as_ref()
                    .filter(|r| r.incident_id == incident_id)
                    .and_then(|r| r.teams.get(pick))
                    .map(|t| t.team_id.clone());
                m.overlay = Some(Overlay::ConfirmAssign {
                    incident_id,
                    team_id: team.unwrap_or(team_id),
                });
            }
            _ => m.say(FlashKind::Info, "not assigned"),
        },
        Overlay::Form(mut form) => {
            let Some(k) = keymap::form_key(key) else {
                m.overlay = Some(Overlay::Form(form));
                return;
            };
            match form.key(k, m.now_ms, &m.local) {
                FormOutcome::Editing => m.overlay = Some(Overlay::Form(form)),
                FormOutcome::Cancelled => m.say(FlashKind::Info, "cancelled, nothing sent"),
                FormOutcome::Submitted(command) => issue(m, command, fx),
            }
        }
    }
}

fn call_label(m: &Model) -> String {
    m.team
        .incident
        .as_ref()
        .map_or_else(String::new, |i| i.call_number.clone())
}

fn on_action(m: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    match action {
        Action::Quit => m.overlay = Some(Overlay::ConfirmQuit),
        Action::Help => m.overlay = Some(Overlay::Help),
        Action::Up => m.move_selection(-1),
        Action::Down => m.move_selection(1),
        Action::ToggleMap => {
            m.screen = if m.screen == Screen::Map {
                Screen::Main
            } else {
                Screen::Map
            }
        }
        Action::ToggleFollowUps => {
            m.screen = if m.screen == Screen::FollowUps {
                Screen::Main
            } else {
                Screen::FollowUps
            };
            m.selected = 0;
            m.selected_id = None;
        }
        Action::Acknowledge => match m.team.assignment.as_ref() {
            Some(a) if m.team.awaiting_ack() => {
                let assignment_id = a.id.clone();
                issue(m, Command::Acknowledge { assignment_id }, fx);
            }
            _ => m.say(FlashKind::Info, "no assignment is waiting for an ack"),
        },
        Action::EnRoute | Action::OnScene | Action::Transporting => {
            if m.team.incident.is_none() {
                m.say(FlashKind::Info, "no call: a status needs an assignment");
                return;
            }
            let status = match action {
                Action::EnRoute => v1::TeamStatus::EnRoute,
                Action::OnScene => v1::TeamStatus::OnScene,
                _ => v1::TeamStatus::Transporting,
            };
            let position = m.position;
            issue(m, Command::UpdateStatus { status, position }, fx);
        }
        Action::Backup => {
            if m.team.incident.is_none() {
                m.say(
                    FlashKind::Info,
                    "no call: backup is requested for the call you hold",
                );
            } else {
                m.overlay = Some(Overlay::Form(Form::backup(&call_label(m))));
            }
        }
        Action::Clear => {
            let status = m.team.status();
            if m.team.incident.is_none() {
                m.say(FlashKind::Info, "no call to clear");
            } else if !matches!(
                status,
                v1::TeamStatus::OnScene | v1::TeamStatus::Transporting
            ) {
                m.say(
                    FlashKind::Problem,
                    "clear needs the team on scene or transporting: press o (on scene) first",
                );
            } else {
                m.overlay = Some(Overlay::Form(Form::clear(&call_label(m))));
            }
        }
        Action::CheckIn => issue(
            m,
            Command::UpdateStatus {
                status: v1::TeamStatus::Unspecified,
                position: None,
            },
            fx,
        ),
        Action::ReportPosition => match m.position {
            Some(_) if !m.conn.is_up() => {
                // The position when the connection is back, not this one, is what counts.
                m.position_unreported = true;
                m.say(
                    FlashKind::Problem,
                    "OFFLINE: the position will be reported when the connection is back",
                );
            }
            Some(p) => issue(
                m,
                Command::UpdateStatus {
                    status: v1::TeamStatus::Unspecified,
                    position: Some(p),
                },
                fx,
            ),
            None => m.say(
                FlashKind::Problem,
                "no position known: start with --position LAT,LON or --simulate-gps",
            ),
        },
        Action::Assign => {
            let Some(call) = m.selected_call() else {
                m.say(FlashKind::Info, "no call selected");
                return;
            };
            if call
                .triage
                .as_ref()
                .is_some_and(|t| t.decision() == v1::Decision::NotEligible)
            {
                m.say(
                    FlashKind::Problem,
                    "not eligible for a crisis team: [d] declines it to its route",
                );
                return;
            }
            let incident_id = call.id.clone();
            let best = m
                .recommendations
                .as_ref()
                .filter(|r| r.incident_id == incident_id)
                .and_then(|r| r.teams.first())
                .map(|t| t.team_id.clone());
            match best {
                Some(team_id) => {
                    m.overlay = Some(Overlay::ConfirmAssign {
                        incident_id,
                        team_id,
                    })
                }
                None => m.say(
                    FlashKind::Problem,
                    "no team recommended for this call (none available?); r asks again",
                ),
            }
        }
        Action::Decline => {
            let Some(call) = m.selected_call() else {
                m.say(FlashKind::Info, "no call selected");
                return;
            };
            let route = call
                .triage
                .as_ref()
                .map_or(v1::Route::Police, |t| t.route());
            let form = Form::decline(&call.id, &call.call_number, route);
            m.overlay = Some(Overlay::Form(form));
        }
        Action::AckOnBehalf => {
            let selected = m.selected_call().map(|c| c.id.clone());
            let waiting = m.board.unacknowledged();
            let target = waiting
                .iter()
                .find(|a| Some(&a.incident_id) == selected.as_ref())
                .or_else(|| waiting.first())
                .map(|a| (a.id.clone(), a.team_id.clone(), a.incident_id.clone()));
            match target {
                Some((id, team, incident)) => {
                    let call = m.board.call_number(&incident);
                    m.overlay = Some(Overlay::Form(Form::ack_on_behalf(&id, &team, &call)));
                }
                None => m.say(FlashKind::Info, "no assignment is waiting for an ack"),
            }
        }
        Action::TeamStatus => {
            let teams: Vec<String> = m.board.teams.keys().cloned().collect();
            m.overlay = Some(Overlay::Form(Form::team_status(&teams)));
        }
        Action::Recommend => {
            if let Some(id) = m.selected_call().map(|c| c.id.clone()) {
                m.recommendations_asked_for = Some(id.clone());
                fx.push(Effect::Recommend(id));
            }
        }
        Action::RecordAttempt | Action::Complete | Action::Schedule => {
            let Some(task) = m.selected_task().map(|t| t.id.clone()) else {
                m.say(FlashKind::Info, "no task selected");
                return;
            };
            let form = match action {
                Action::RecordAttempt => Form::attempt(&task),
                Action::Complete => Form::complete(&task),
                _ => Form::schedule(&task),
            };
            m.overlay = Some(Overlay::Form(form));
        }
    }
}

/// Keeps the selection on the list and asks for recommendations when the selected call
/// changes (dispatcher and supervisor board), or for the incident behind the selected task
/// (the peer's and supervisor's follow-up lists).
fn follow_selection(m: &mut Model, fx: &mut Vec<Effect>) {
    m.keep_selection();
    if m.mode == Mode::Peer || m.screen == Screen::FollowUps {
        // The task list: read the incident behind the selected task.
        let selected = m.selected_task().map(|t| t.id.clone());
        if selected.is_some() && selected != m.task_incident_asked_for && m.conn.is_up() {
            m.task_incident = None;
            m.task_incident_asked_for = selected.clone();
            fx.extend(selected.map(Effect::TaskIncident));
        }
        return;
    }
    if !matches!(m.mode, Mode::Dispatcher | Mode::Supervisor) {
        return;
    }
    let selected = m.selected_call().map(|c| c.id.clone());
    if selected.is_some() && selected != m.recommendations_asked_for && m.conn.is_up() {
        m.recommendations = None;
        m.recommendations_asked_for = selected.clone();
        fx.extend(selected.map(Effect::Recommend));
    }
}

/// While en route, the simulated GPS moves the van toward the call and reports it (only when
/// connected: an old position is no use to anyone, so none are queued).
fn simulate_gps(m: &mut Model, fx: &mut Vec<Effect>) {
    let Some(mut sim) = m.gps else { return };
    if m.team.status() != v1::TeamStatus::EnRoute || !m.conn.is_up() {
        return;
    }
    let elapsed = m.now_ms - sim.last_report_ms;
    if elapsed < sim.every_ms {
        return;
    }
    let target = m
        .team
        .incident
        .as_ref()
        .and_then(|i| i.details.as_ref())
        .and_then(|d| d.location.as_ref())
        .and_then(|l| {
            Some(v1::GeoPoint {
                lat: l.lat?,
                lon: l.lon?,
            })
        });
    let (Some(from), Some(to)) = (m.position, target) else {
        return;
    };
    let metres = sim.speed_kmh / 3.6 * (elapsed.min(sim.every_ms * 4) as f64 / 1000.0);
    let next = gps::toward(&from, &to, metres);
    sim.last_report_ms = m.now_ms;
    m.gps = Some(sim);
    if next == from {
        return;
    }
    m.position = Some(next);
    let out = m.outgoing(Command::UpdateStatus {
        status: v1::TeamStatus::Unspecified,
        position: Some(next),
    });
    if let Some(out) = m.outbox.push(out, true) {
        fx.push(Effect::Send(out));
    }
}

mod incoming;

use incoming::on_net;

#[cfg(test)]
mod tests;
