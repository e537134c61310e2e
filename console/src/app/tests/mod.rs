//! Input handling and server events as state transitions, one file per kind of user, around
//! shared helpers.

use super::*;
use crate::clock::LocalTime;
use crate::fixtures::*;
use crate::state::outbox::Delivery;
use crossterm::event::{KeyCode, KeyModifiers};
use v1::event::Kind;

fn model(mode: Mode) -> Model {
    let mut m = Model::new(mode, "s", NOW, LocalTime::pacific());
    for kind in mode.streams() {
        update(&mut m, Msg::Net(NetMsg::Up(*kind)));
    }
    m
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn type_text(m: &mut Model, text: &str) {
    for c in text.chars() {
        update(m, key(c));
    }
}

fn sent(fx: &[Effect]) -> Vec<(String, Command)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Send(o) => Some((o.id.clone(), o.command.clone())),
            _ => None,
        })
        .collect()
}

fn assigned_unit() -> Model {
    let mut m = model(Mode::Unit);
    let fx = update(
        &mut m,
        team_snapshot(
            10,
            v1::TeamStatus::Dispatched,
            Some(call("inc-1", "C-1001", 2, 3)),
            Some(assignment("asg-1", "inc-1", "PSR-1", 42_000)),
        ),
    );
    assert_eq!(fx, vec![Effect::Bell], "a waiting assignment rings");
    m
}

mod connection;
mod dispatcher;
mod peer;
mod unit;
