//! Drawing: a model in, a screen out, no IO. Every screen has the status line at the top
//! (mode, connection, age of the data, commands waiting), the last message and the key hints
//! at the bottom; the body depends on the mode.

mod dispatcher;
mod form;
mod lock;
mod map;
mod peer;
mod theme;
mod unit;

pub use theme::Theme;

use crate::clock;
use crate::keymap;
use crate::state::conn::Status;
use crate::state::{FlashKind, Mode, Model, Overlay, Screen};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, m: &Model, theme: &Theme) {
    if m.lock.locked {
        // Nothing else is drawn: no health information on a locked console.
        lock::draw(frame, m, theme);
        return;
    }
    let area = frame.area();
    let hints = pack(hint_items(m, theme), area.width as usize, 0);
    let [status, body, flash, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(hints.len().clamp(1, 3) as u16),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(status_line(m, theme)), status);
    match (m.mode, m.screen) {
        (_, Screen::Map) => map::draw(frame, body, m, theme),
        (Mode::Unit, _) => unit::draw(frame, body, m, theme),
        (Mode::Peer, _) | (Mode::Supervisor, Screen::FollowUps) => {
            peer::draw(frame, body, m, theme)
        }
        (Mode::Dispatcher | Mode::Supervisor, _) => dispatcher::draw(frame, body, m, theme),
    }
    frame.render_widget(Paragraph::new(flash_line(m, theme)), flash);
    frame.render_widget(Paragraph::new(hints), keys);
    if let Some(o) = &m.overlay {
        form::draw_overlay(frame, body, o, m, theme);
    }
}

fn status_line(m: &Model, theme: &Theme) -> Line<'static> {
    let who = match m.mode {
        Mode::Unit => format!(
            " UNIT {} ",
            m.team.team.as_ref().map_or("", |t| t.id.as_str())
        ),
        Mode::Dispatcher => " DISPATCHER ".to_owned(),
        Mode::Peer => " PEER ".to_owned(),
        Mode::Supervisor => " SUPERVISOR ".to_owned(),
    };
    let mut spans = vec![Span::styled(who, theme.title()), Span::raw("│ ")];
    let now = m.now_ms;
    let (text, style) = match m.conn.status() {
        Status::Connecting => ("… connecting".to_owned(), theme.warn()),
        Status::Connected => ("● connected · live".to_owned(), theme.ok()),
        Status::Reconnecting {
            since_ms,
            retry_at_ms,
            failures,
        } => (
            format!(
                "◌ RECONNECTING (try {}, next in {}) · data {} old",
                failures + 1,
                clock::span((retry_at_ms - now).max(0)),
                clock::span(now - since_ms)
            ),
            theme.warn(),
        ),
        Status::Offline {
            since_ms,
            retry_at_ms,
        } => (
            format!(
                "✖ OFFLINE · data {} old · retry in {}",
                clock::span(now - since_ms),
                clock::span((retry_at_ms - now).max(0))
            ),
            theme.alarm(),
        ),
        Status::Refused(why) => (format!("✖ REFUSED by the server: {why}"), theme.alarm()),
    };
    spans.push(Span::styled(text, style));
    let waiting = m.outbox.waiting_count();
    if waiting > 0 {
        spans.push(Span::raw(" │ "));
        spans.push(Span::styled(format!("{waiting} to send"), theme.warn()));
    }
    spans.push(Span::raw(format!(" │ {}", m.local.hhmm(now))));
    Line::from(spans)
}

fn flash_line(m: &Model, theme: &Theme) -> Line<'static> {
    match &m.flash {
        None => Line::from(""),
        Some(f) => {
            let (mark, style) = match f.kind {
                FlashKind::Info => ("› ", theme.dim()),
                FlashKind::Problem => ("! ", theme.warn()),
            };
            Line::from(vec![
                Span::styled(mark, style),
                Span::styled(f.text.clone(), style),
            ])
        }
    }
}

fn hint_items(m: &Model, theme: &Theme) -> Vec<Vec<Span<'static>>> {
    let pairs: Vec<(String, String)> = match &m.overlay {
        Some(Overlay::Form(_)) => keymap::FORM_HINTS
            .iter()
            .map(|(k, w)| ((*k).to_owned(), (*w).to_owned()))
            .collect(),
        Some(Overlay::Help) => vec![("any key".into(), "closes the help".into())],
        Some(Overlay::ConfirmQuit) => vec![
            ("y".into(), "quit".into()),
            ("any other key".into(), "stay".into()),
        ],
        Some(Overlay::ConfirmAssign { .. }) => vec![
            ("Enter/y".into(), "assign".into()),
            ("1-9".into(), "another team".into()),
            ("Esc".into(), "cancel".into()),
        ],
        None => keymap::hints(m.mode, m.screen)
            .into_iter()
            .map(|(k, w)| (k, w.to_owned()))
            .collect(),
    };
    pairs
        .into_iter()
        .map(|(k, w)| {
            vec![
                Span::styled(format!("[{k}]"), theme.key()),
                Span::raw(format!(" {w}")),
            ]
        })
        .collect()
}

/// Lays out items (each a few spans that belong together) in lines of at most `width`
/// characters, two spaces apart, never splitting an item; lines after the first start with
/// `indent` spaces.
pub(crate) fn pack(
    items: Vec<Vec<Span<'static>>>,
    width: usize,
    indent: usize,
) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut current: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    let mut line_start = true;
    for item in items {
        let w: usize = item.iter().map(|s| s.content.chars().count()).sum();
        if !line_start && used + 2 + w > width {
            lines.push(Line::from(std::mem::take(&mut current)));
            current.push(Span::raw(" ".repeat(indent)));
            used = indent;
            line_start = true;
        }
        if !line_start {
            current.push(Span::raw("  "));
            used += 2;
        }
        used += w;
        line_start = false;
        current.extend(item);
    }
    if !current.is_empty() {
        lines.push(Line::from(current));
    }
    lines
}

/// A box of at most `w` x `h` centred in `area`.
pub(crate) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// `text` cut to `n` characters with an ellipsis.
pub(crate) fn cut(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(n.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// `text` padded or cut to exactly `n` characters.
pub(crate) fn pad(text: &str, n: usize) -> String {
    format!("{:<n$}", cut(text, n))
}
