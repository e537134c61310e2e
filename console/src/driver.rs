//! The one loop that joins the pure parts to the world: terminal keys, network messages and a
//! one-second clock go into `update`; its effects go to the network or the terminal; the
//! model is drawn after every change.

use crate::app::{Effect, Msg, NetMsg, update};
use crate::command::Outgoing;
use crate::net::{self, Backoff, Link};
use crate::state::Model;
use crate::view::{self, Theme};
use crossterm::event::{Event, EventStream};
use std::io::Write;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::mpsc;
use tokio_stream::StreamExt;

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Runs the console until the person quits. The terminal is restored on every way out
/// (ratatui's panic hook covers panics).
pub async fn run(mut model: Model, link: Link, theme: Theme) -> anyhow::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel::<NetMsg>();
    let (cmd_tx, cmd_rx) = mpsc::unbounded_channel::<Outgoing>();
    let mut tasks = Vec::new();
    for kind in model.mode.streams() {
        tasks.push(net::spawn_stream(
            *kind,
            link.clone(),
            Backoff::default(),
            tx.clone(),
        ));
    }
    tasks.push(net::spawn_sender(link.clone(), cmd_rx, tx.clone()));

    let mut terminal =
        ratatui::try_init().map_err(|e| anyhow::anyhow!("the console needs a terminal: {e}"))?;
    let mut keys = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let result: anyhow::Result<()> = async {
        loop {
            terminal.draw(|f| view::draw(f, &model, &theme))?;
            let mut msgs = Vec::new();
            tokio::select! {
                key = keys.next() => match key {
                    Some(Ok(Event::Key(k))) => msgs.push(Msg::Key(k)),
                    Some(Ok(_)) => {}
                    Some(Err(e)) => return Err(anyhow::anyhow!("reading the terminal: {e}")),
                    None => return Ok(()),
                },
                Some(n) = rx.recv() => {
                    msgs.push(Msg::Net(n));
                    // A snapshot or a resumed stream comes as a burst: fold it all, draw once.
                    while let Ok(n) = rx.try_recv() {
                        msgs.push(Msg::Net(n));
                    }
                }
                _ = tick.tick() => msgs.push(Msg::Tick(now_ms())),
            }
            for msg in msgs {
                for effect in update(&mut model, msg) {
                    match effect {
                        Effect::Send(out) => {
                            let _ = cmd_tx.send(out);
                        }
                        Effect::Recommend(id) => net::spawn_recommend(link.clone(), id, tx.clone()),
                        Effect::TaskIncident(id) => {
                            net::spawn_task_incident(link.clone(), id, tx.clone())
                        }
                        Effect::Bell => {
                            let mut out = std::io::stdout();
                            let _ = out.write_all(b"\x07");
                            let _ = out.flush();
                        }
                        Effect::Quit => return Ok(()),
                    }
                }
            }
        }
    }
    .await;
    ratatui::restore();
    for t in tasks {
        t.abort();
    }
    let waiting = model.outbox.pending().count();
    if waiting > 0 {
        eprintln!(
            "dispatch-console: {waiting} command(s) were not confirmed by the server when the console closed; check the board"
        );
    }
    result
}
