//! The lock screen: nothing about any person or call, only that the console is locked, how
//! to unlock it, and (for a team) that a new assignment is waiting, with its countdown.

use super::Theme;
use crate::clock;
use crate::state::Model;
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, m: &Model, theme: &Theme) {
    let area = frame.area();
    let [_, middle, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(11),
        Constraint::Fill(1),
    ])
    .areas(area);
    let mut lines = Vec::new();
    if let Some(left) = m.team.ack_left_ms(m.now_ms) {
        lines.push(Line::styled("▶▶ NEW ASSIGNMENT — unlock ◀◀", theme.alarm()));
        let tail = if left > 0 {
            format!("{} left to acknowledge", clock::countdown(left))
        } else {
            "ACK OVERDUE".to_owned()
        };
        lines.push(Line::styled(tail, theme.alarm()));
        lines.push(Line::raw(""));
    }
    let minutes = m.lock.after_ms / 60_000;
    lines.push(Line::raw(format!(
        "Locked after {minutes} min without a key."
    )));
    lines.push(Line::raw(
        "Type the console's token or its PIN, then Enter.",
    ));
    lines.push(Line::from(vec![
        Span::raw("> "),
        Span::styled("•".repeat(m.lock.typed.chars().count()), theme.key()),
    ]));
    if m.lock.wrong > 0 {
        lines.push(Line::styled(
            format!("not that one ({} wrong)", m.lock.wrong),
            theme.warn(),
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" CONSOLE LOCKED ", theme.title()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        middle,
    );
}
