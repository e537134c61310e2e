//! Every mode's screens drawn on ratatui's TestBackend at 80x24 and 160x48 from fixed data,
//! compared with the expected text in `tests/snapshots/<name>.txt` (one file per screen and
//! size; trailing spaces trimmed). After an intended change of a screen, regenerate them with
//! `UPDATE_SNAPSHOTS=1 cargo test -p dispatch-console --test screens` and read the diff.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dispatch_console::app::{Msg, NetMsg};
use dispatch_console::clock::LocalTime;
use dispatch_console::fixtures::*;
use dispatch_console::state::StreamKind;
use dispatch_console::view::{self, Theme};
use dispatch_console::{Mode, Model, update};
use dispatch_proto::v1;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use std::path::PathBuf;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn render(m: &Model, theme: Theme, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    t.draw(|f| view::draw(f, m, &theme)).expect("draw");
    t.backend().buffer().clone()
}

fn text(b: &Buffer) -> String {
    let a = b.area;
    let mut s = String::new();
    for y in a.top()..a.bottom() {
        let mut line = String::new();
        for x in a.left()..a.right() {
            line.push_str(b[(x, y)].symbol());
        }
        s.push_str(line.trim_end());
        s.push('\n');
    }
    s
}

fn check(name: &str, m: &Model) {
    for (w, h) in SIZES {
        let got = text(&render(m, Theme::COLOR, w, h));
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/snapshots")
            .join(format!("{name}_{w}x{h}.txt"));
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(&path, &got).expect("write snapshot");
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_else(|_| {
            panic!(
                "no snapshot {}; run with UPDATE_SNAPSHOTS=1 and review it\n{got}",
                path.display()
            )
        });
        assert!(
            got == want,
            "screen {name} at {w}x{h} differs from {}:\n--- got ---\n{got}--- want ---\n{want}",
            path.display()
        );
        // The monochrome screen has the same text.
        assert_eq!(text(&render(m, Theme::MONO, w, h)), got);
    }
}

fn model(mode: Mode) -> Model {
    let mut m = Model::new(mode, "s", NOW, LocalTime::pacific());
    for kind in mode.streams() {
        update(&mut m, Msg::Net(NetMsg::Up(*kind)));
    }
    m
}

fn key(m: &mut Model, c: KeyCode) {
    update(m, Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)));
}

fn unit_assigned() -> Model {
    let mut m = model(Mode::Unit);
    update(&mut m, new_assignment());
    m
}

/// Call C-1001 assigned to PSR-1, 42 s left to acknowledge.
fn new_assignment() -> Msg {
    team_snapshot(
        10,
        v1::TeamStatus::Dispatched,
        Some(call("inc-1", "C-1001", 2, 3)),
        Some(assignment("asg-1", "inc-1", "PSR-1", 42_000)),
    )
}

fn unit_on_scene() -> Model {
    let mut m = unit_assigned();
    let kinds = [
        v1::event::Kind::AssignmentAcknowledged(v1::AssignmentAcknowledged {
            assignment_id: "asg-1".into(),
            team_id: "PSR-1".into(),
            incident_id: "inc-1".into(),
            ack: None,
        }),
        v1::event::Kind::TeamStatusChanged(v1::TeamStatusChanged {
            team_id: "PSR-1".into(),
            status: v1::TeamStatus::OnScene as i32,
            incident_id: "inc-1".into(),
        }),
        v1::event::Kind::NarrativeAdded(v1::NarrativeAdded {
            incident_id: "inc-1".into(),
            team_id: "PSR-1".into(),
            lines: vec![v1::NarrativeLine {
                at: ts(NOW - MIN),
                text: "RP ADDS SUBJ NOW SITTING ON BENCH".into(),
            }],
        }),
    ];
    for (n, k) in kinds.into_iter().enumerate() {
        update(&mut m, team_event(11 + n as u64, k));
    }
    m
}

fn board() -> Model {
    let mut m = model(Mode::Dispatcher);
    let mut held = call("inc-3", "C-1003", 2, 9);
    held.status = v1::IncidentStatus::Assigned as i32;
    if let Some(l) = held.details.as_mut().and_then(|d| d.location.as_mut()) {
        l.lat = Some(45.5300);
        l.lon = Some(-122.6600);
    }
    update(
        &mut m,
        board_snapshot(
            40,
            vec![
                call("inc-1", "C-1001", 2, 14),
                police_call("inc-2", "C-1002", 4),
                {
                    let mut c = call("inc-4", "C-1004", 3, 41);
                    if let Some(l) = c.details.as_mut().and_then(|d| d.location.as_mut()) {
                        l.lat = Some(45.5400);
                        l.lon = Some(-122.6450);
                    }
                    c
                },
                held,
            ],
            vec![],
        ),
    );
    let held_now = m.board.incidents.get("inc-3").cloned();
    update(
        &mut m,
        board_event(
            41,
            v1::event::Kind::AssignmentMade(v1::AssignmentMade {
                assignment: Some(assignment("asg-3", "inc-3", "PSR-2", 25_000)),
                incident: held_now,
                premise_history: Vec::new(),
            }),
        ),
    );
    update(
        &mut m,
        board_event(
            42,
            v1::event::Kind::BackupRequested(v1::BackupRequested {
                incident_id: "inc-3".into(),
                team_id: "PSR-2".into(),
                urgent: true,
                note: String::new(),
            }),
        ),
    );
    // From the most urgent call (the P1 not eligible for a team) to the next.
    key(&mut m, KeyCode::Down);
    update(
        &mut m,
        recommendations("inc-1", &[("PSR-1", 180.0), ("PSR-3", 4_700.0)]),
    );
    m
}

#[test]
fn unit_new_assignment() {
    check("unit_new_assignment", &unit_assigned());
}

#[test]
fn unit_on_scene_with_a_new_narrative_line() {
    check("unit_on_scene", &unit_on_scene());
}

#[test]
fn unit_clear_form() {
    let mut m = unit_on_scene();
    key(&mut m, KeyCode::Char('c'));
    for k in [KeyCode::Right, KeyCode::Right, KeyCode::Tab, KeyCode::Tab] {
        key(&mut m, k);
    }
    key(&mut m, KeyCode::Char(' '));
    check("unit_clear_form", &m);
}

#[test]
fn unit_waiting_offline_with_a_queued_command() {
    let mut m = model(Mode::Unit);
    update(
        &mut m,
        team_snapshot(5, v1::TeamStatus::Available, None, None),
    );
    for n in 0..3 {
        update(
            &mut m,
            Msg::Net(NetMsg::Down {
                kind: StreamKind::Team,
                error: "connection refused".into(),
                retry_in_ms: 4_000,
            }),
        );
        update(&mut m, Msg::Tick(NOW + (n + 1) * 20_000));
    }
    key(&mut m, KeyCode::Char('i'));
    check("unit_offline", &m);
}

#[test]
fn unit_safety_alert_and_check_in_request() {
    let mut m = unit_on_scene();
    let kinds = [
        v1::event::Kind::SafetyAlert(v1::SafetyAlert {
            incident_id: "inc-1".into(),
            team_id: "PSR-1".into(),
            reasons: vec![v1::Reason {
                rule: "narrative:weapon".into(),
                evidence: "KNIFE".into(),
            }],
        }),
        v1::event::Kind::CheckInRequested(v1::CheckInRequested {
            team_id: "PSR-1".into(),
            incident_id: "inc-1".into(),
            respond_by: ts(NOW + 2 * MIN),
        }),
    ];
    for (n, k) in kinds.into_iter().enumerate() {
        update(&mut m, team_event(20 + n as u64, k));
    }
    check("unit_alerts", &m);
}

#[test]
fn dispatcher_escalation_safety_and_missed_check_in_pinned() {
    let mut m = board();
    let kinds = [
        v1::event::Kind::AssignmentEscalated(v1::AssignmentEscalated {
            assignment_id: "asg-3".into(),
            team_id: "PSR-2".into(),
            incident_id: "inc-3".into(),
            suggested_team_id: "PSR-1".into(),
        }),
        v1::event::Kind::SafetyAlert(v1::SafetyAlert {
            incident_id: "inc-3".into(),
            team_id: "PSR-2".into(),
            reasons: vec![v1::Reason {
                rule: "flag:weapon".into(),
                evidence: "weapon=yes".into(),
            }],
        }),
        v1::event::Kind::CheckInMissed(v1::CheckInMissed {
            team_id: "PSR-3".into(),
            incident_id: String::new(),
        }),
    ];
    for (n, k) in kinds.into_iter().enumerate() {
        update(&mut m, board_event(50 + n as u64, k));
    }
    check("dispatcher_alerts", &m);
}

#[test]
fn dispatcher_board() {
    check("dispatcher_board", &board());
}

#[test]
fn dispatcher_map() {
    let mut m = board();
    key(&mut m, KeyCode::Char('m'));
    check("dispatcher_map", &m);
}

#[test]
fn dispatcher_help() {
    let mut m = board();
    key(&mut m, KeyCode::Char('?'));
    check("dispatcher_help", &m);
}

#[test]
fn peer_queue() {
    let mut m = model(Mode::Peer);
    update(&mut m, queue_snapshot(50, tasks()));
    // Selecting a task asks for the incident behind it; the answer fills the detail.
    let asked = m
        .task_incident_asked_for
        .clone()
        .expect("asked for the task's incident");
    let mut incident = call("inc-7", "C-1001", 2, 90);
    incident.clearance = Some(v1::Clearance {
        team_id: "PSR-1".into(),
        disposition: v1::Disposition::ConnectedToServices as i32,
        encounter: Some(v1::Encounter {
            notes: "wants a shelter bed".into(),
            services_provided: vec!["crisis counselling".into()],
            ..v1::Encounter::default()
        }),
        ..v1::Clearance::default()
    });
    update(
        &mut m,
        Msg::Net(NetMsg::TaskIncident {
            task_id: asked,
            result: Ok(incident),
        }),
    );
    check("peer_queue", &m);
}

#[test]
fn supervisor_follow_ups() {
    let mut m = model(Mode::Supervisor);
    update(
        &mut m,
        board_snapshot(40, vec![call("inc-1", "C-1001", 2, 14)], vec![]),
    );
    update(&mut m, queue_snapshot(50, tasks()));
    key(&mut m, KeyCode::Char('f'));
    check("supervisor_follow_ups", &m);
}

#[test]
fn no_color_means_no_colour_and_the_words_stay() {
    for m in [unit_assigned(), board()] {
        for (w, h) in SIZES {
            let b = render(&m, Theme::MONO, w, h);
            for cell in b.content() {
                assert_eq!(cell.fg, Color::Reset, "colour in a NO_COLOR screen");
                assert_eq!(cell.bg, Color::Reset, "colour in a NO_COLOR screen");
            }
        }
    }
    assert_eq!(
        Theme::from_env(Some(std::ffi::OsStr::new("1"))),
        Theme::MONO
    );
    assert_eq!(
        Theme::from_env(Some(std::ffi::OsStr::new(""))),
        Theme::COLOR
    );
    assert_eq!(Theme::from_env(None), Theme::COLOR);
}

#[test]
fn every_screen_shows_help_and_quit_keys_at_80x24() {
    for m in [unit_assigned(), board(), model(Mode::Peer)] {
        let t = text(&render(&m, Theme::COLOR, 80, 24));
        assert!(t.contains("[?] help"), "{t}");
        assert!(t.contains("[q] quit"), "{t}");
    }
}

#[test]
fn tiny_and_odd_terminals_draw_without_panicking() {
    let mut with_form = unit_on_scene();
    key(&mut with_form, KeyCode::Char('c'));
    let mut with_help = board();
    key(&mut with_help, KeyCode::Char('?'));
    let mut map = board();
    key(&mut map, KeyCode::Char('m'));
    let peer = {
        let mut m = model(Mode::Peer);
        update(&mut m, queue_snapshot(50, tasks()));
        m
    };
    for m in [unit_assigned(), with_form, with_help, map, peer] {
        for (w, h) in [(1, 1), (10, 3), (20, 6), (40, 10), (79, 23), (300, 100)] {
            render(&m, Theme::COLOR, w, h);
        }
    }
}

#[test]
fn a_caller_language_the_team_does_not_speak_is_said() {
    let mut m = model(Mode::Unit);
    let mut c = call("inc-1", "C-1001", 2, 3);
    if let Some(d) = c.details.as_mut() {
        d.caller_language = "es".into();
    }
    update(
        &mut m,
        team_snapshot(
            10,
            v1::TeamStatus::Dispatched,
            Some(c),
            Some(assignment("asg-1", "inc-1", "PSR-1", 42_000)),
        ),
    );
    let t = text(&render(&m, Theme::MONO, 110, 30));
    assert!(
        t.contains("language Spanish (es) · NOT spoken by the team"),
        "{t}"
    );
}

/// A unit console locked by automatic logoff, then an assignment arrives: it sounds and the
/// lock screen says so with the countdown, but shows nothing of the call.
#[test]
fn unit_locked_with_a_new_assignment() {
    use dispatch_console::state::Lock;
    let mut m = model(Mode::Unit);
    m.lock = Lock::new(15, NOW - 15 * MIN, vec!["dsp_unit".into(), "2468".into()]);
    update(&mut m, Msg::Tick(NOW));
    assert!(m.lock.locked);
    let fx = update(&mut m, new_assignment());
    assert!(fx.contains(&dispatch_console::Effect::Bell), "{fx:?}");
    // A key that would acknowledge does nothing but type.
    key(&mut m, KeyCode::Char('a'));
    assert!(m.lock.locked);
    check("unit_locked", &m);
    for (w, h) in SIZES {
        let screen = text(&render(&m, Theme::COLOR, w, h));
        assert!(screen.contains("NEW ASSIGNMENT — unlock"), "{screen}");
        assert!(screen.contains("0:42"), "{screen}");
        assert!(
            !screen.contains("C-1001") && !screen.contains("CRISIS"),
            "{screen}"
        );
    }
    // Wrong, then the PIN.
    key(&mut m, KeyCode::Enter);
    assert!(m.lock.locked);
    for c in "2468".chars() {
        key(&mut m, KeyCode::Char(c));
    }
    key(&mut m, KeyCode::Enter);
    assert!(!m.lock.locked);
    assert!(text(&render(&m, Theme::COLOR, 80, 24)).contains("C-1001"));
}
