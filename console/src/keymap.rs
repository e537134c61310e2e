//! Every key the console answers to, in one table per mode. The same table turns a key into an
//! `Action`, writes the key hints at the bottom of the screen and the `?` help page, so a key
//! cannot work without being shown.

use crate::state::form::FormKey;
use crate::state::{Mode, Screen};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    Up,
    Down,
    ToggleMap,
    ToggleFollowUps,
    // Unit.
    Acknowledge,
    EnRoute,
    OnScene,
    Transporting,
    Backup,
    Clear,
    CheckIn,
    ReportPosition,
    // Dispatcher.
    Assign,
    Decline,
    AckOnBehalf,
    Recommend,
    TeamStatus,
    // Peer.
    RecordAttempt,
    Complete,
    Schedule,
}

pub struct Binding {
    pub key: char,
    /// Shown instead of the key when it is not a letter ("↑↓").
    pub shown: &'static str,
    pub action: Action,
    /// The word in the hint line.
    pub hint: &'static str,
    /// The sentence on the help page.
    pub help: &'static str,
}

const fn bind(key: char, action: Action, hint: &'static str, help: &'static str) -> Binding {
    Binding {
        key,
        shown: "",
        action,
        hint,
        help,
    }
}

const UNIT: &[Binding] = &[
    bind(
        'a',
        Action::Acknowledge,
        "ack",
        "acknowledge the new assignment",
    ),
    bind('e', Action::EnRoute, "en route", "status: en route"),
    bind('o', Action::OnScene, "on scene", "status: on scene"),
    bind(
        't',
        Action::Transporting,
        "transport",
        "status: transporting",
    ),
    bind(
        'b',
        Action::Backup,
        "BACKUP",
        "request police backup (asks to confirm)",
    ),
    bind(
        'c',
        Action::Clear,
        "clear",
        "clear the call: disposition, services, referrals, notes, consent",
    ),
    bind(
        'i',
        Action::CheckIn,
        "check in",
        "tell dispatch the team is OK (on-scene check-in)",
    ),
    bind(
        'p',
        Action::ReportPosition,
        "position",
        "report the team's position now",
    ),
    bind('m', Action::ToggleMap, "map", "show or hide the map"),
];

const DISPATCHER: &[Binding] = &[
    Binding {
        key: 'j',
        shown: "↑↓",
        action: Action::Down,
        hint: "select",
        help: "select a call (also j / k)",
    },
    bind(
        'a',
        Action::Assign,
        "assign",
        "assign the selected call to the best recommended team (asks to confirm; 1-9 picks another)",
    ),
    bind(
        'd',
        Action::Decline,
        "decline",
        "decline the selected call back to police, fire or EMS, with a reason",
    ),
    bind(
        'w',
        Action::AckOnBehalf,
        "ack on behalf",
        "acknowledge for a team heard by radio or phone, with a note",
    ),
    bind(
        'r',
        Action::Recommend,
        "recommend",
        "ask again for the recommended teams",
    ),
    bind(
        's',
        Action::TeamStatus,
        "team status",
        "set a team available, out of service or off shift",
    ),
    bind('m', Action::ToggleMap, "map", "show or hide the map"),
];

const SUPERVISOR: &[Binding] = &[bind(
    'f',
    Action::ToggleFollowUps,
    "follow-ups",
    "switch between the board and the follow-up overview",
)];

// Bindings the peer's and the supervisor's task lists share.
const SELECT_TASK: Binding = Binding {
    key: 'j',
    shown: "↑↓",
    action: Action::Down,
    hint: "select",
    help: "select a task (also j / k)",
};
const COMPLETE_TASK: Binding = bind(
    'c',
    Action::Complete,
    "complete",
    "complete the task with outcome measures",
);
const SCHEDULE_TASK: Binding = bind(
    's',
    Action::Schedule,
    "schedule",
    "schedule or reschedule the task",
);

const PEER: &[Binding] = &[
    SELECT_TASK,
    bind(
        'r',
        Action::RecordAttempt,
        "attempt",
        "record an attempt: reached / no contact / declined, note, referrals",
    ),
    COMPLETE_TASK,
    SCHEDULE_TASK,
];

const SUPERVISOR_FOLLOW_UPS: &[Binding] = &[
    SELECT_TASK,
    COMPLETE_TASK,
    SCHEDULE_TASK,
    bind('f', Action::ToggleFollowUps, "board", "back to the board"),
];

const ALWAYS: &[Binding] = &[
    bind('?', Action::Help, "help", "this help"),
    bind('q', Action::Quit, "quit", "quit (asks to confirm)"),
];

/// The keys of a mode's screen, most used first.
pub fn bindings(mode: Mode, screen: Screen) -> Vec<&'static Binding> {
    let own: &[&[Binding]] = match (mode, screen) {
        (Mode::Unit, _) => &[UNIT],
        (Mode::Dispatcher, _) => &[DISPATCHER],
        (Mode::Supervisor, Screen::FollowUps) => &[SUPERVISOR_FOLLOW_UPS],
        (Mode::Supervisor, _) => &[DISPATCHER, SUPERVISOR],
        (Mode::Peer, _) => &[PEER],
    };
    own.iter()
        .flat_map(|t| t.iter())
        .chain(ALWAYS.iter())
        .collect()
}

/// A terminal key on a mode's screen (no form open).
pub fn action(mode: Mode, screen: Screen, key: KeyEvent) -> Option<Action> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return None;
    }
    let has = |a: Action| bindings(mode, screen).iter().any(|b| b.action == a);
    match key.code {
        KeyCode::Up | KeyCode::Char('k') if has(Action::Down) => Some(Action::Up),
        KeyCode::Down | KeyCode::Char('j') if has(Action::Down) => Some(Action::Down),
        KeyCode::Char(c) => bindings(mode, screen)
            .into_iter()
            .find(|b| b.key == c.to_ascii_lowercase())
            .map(|b| b.action),
        _ => None,
    }
}

/// Ctrl-C leaves at once, whatever is open.
pub fn is_interrupt(key: KeyEvent) -> bool {
    key.kind == KeyEventKind::Press
        && key.modifiers.contains(KeyModifiers::CONTROL)
        && key.code == KeyCode::Char('c')
}

/// A terminal key inside a form.
pub fn form_key(key: KeyEvent) -> Option<FormKey> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    Some(match key.code {
        KeyCode::Tab | KeyCode::Down => FormKey::Next,
        KeyCode::BackTab | KeyCode::Up => FormKey::Prev,
        KeyCode::Left => FormKey::Left,
        KeyCode::Right => FormKey::Right,
        KeyCode::Char(' ') => FormKey::Toggle,
        KeyCode::Char(c) => FormKey::Char(c),
        KeyCode::Backspace => FormKey::Backspace,
        KeyCode::Enter => FormKey::Submit,
        KeyCode::Esc => FormKey::Cancel,
        _ => return None,
    })
}

/// Hints inside a form, always the same.
pub const FORM_HINTS: &[(&str, &str)] = &[
    ("Tab/↓", "next field"),
    ("←→", "choose"),
    ("Space", "tick"),
    ("Enter", "send"),
    ("Esc", "cancel"),
];

/// The hint line: (key, word) pairs.
pub fn hints(mode: Mode, screen: Screen) -> Vec<(String, &'static str)> {
    bindings(mode, screen)
        .into_iter()
        .map(|b| {
            let key = if b.shown.is_empty() {
                b.key.to_string()
            } else {
                b.shown.to_owned()
            };
            (key, b.hint)
        })
        .collect()
}

/// The help page: one line per key.
pub fn help(mode: Mode, screen: Screen) -> Vec<(String, &'static str)> {
    bindings(mode, screen)
        .into_iter()
        .map(|b| {
            let key = if b.shown.is_empty() {
                b.key.to_string()
            } else {
                b.shown.to_owned()
            };
            (key, b.help)
        })
        .chain([("Ctrl-C".to_owned(), "leave at once")])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn each_mode_has_its_own_keys_and_no_key_twice() {
        assert_eq!(
            action(Mode::Unit, Screen::Main, key('a')),
            Some(Action::Acknowledge)
        );
        assert_eq!(
            action(Mode::Dispatcher, Screen::Main, key('a')),
            Some(Action::Assign)
        );
        assert_eq!(action(Mode::Peer, Screen::Main, key('a')), None);
        assert_eq!(
            action(Mode::Peer, Screen::Main, key('r')),
            Some(Action::RecordAttempt)
        );
        assert_eq!(
            action(Mode::Supervisor, Screen::FollowUps, key('r')),
            None,
            "a supervisor may not record attempts"
        );
        for mode in [Mode::Unit, Mode::Dispatcher, Mode::Peer, Mode::Supervisor] {
            for screen in [Screen::Main, Screen::Map, Screen::FollowUps] {
                let b = bindings(mode, screen);
                for (i, x) in b.iter().enumerate() {
                    assert!(
                        b[i + 1..].iter().all(|y| y.key != x.key),
                        "{mode:?} {screen:?}: key {} bound twice",
                        x.key
                    );
                }
            }
        }
    }

    #[test]
    fn arrows_move_the_selection_only_where_there_is_a_list() {
        let up = KeyEvent::new(KeyCode::Up, KeyModifiers::NONE);
        assert_eq!(action(Mode::Dispatcher, Screen::Main, up), Some(Action::Up));
        assert_eq!(action(Mode::Unit, Screen::Main, up), None);
    }

    #[test]
    fn every_key_has_a_hint_and_help() {
        for b in bindings(Mode::Supervisor, Screen::Main) {
            assert!(!b.hint.is_empty() && !b.help.is_empty());
        }
        assert!(help(Mode::Unit, Screen::Main).iter().any(|(k, _)| k == "b"));
    }
}
