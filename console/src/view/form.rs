//! What opens over the screen: a form, the help page, a confirm box. Forms show every field at
//! once with the focused one marked ▶, choices in words, ticks as [x], and the reason the last
//! send was refused.

use super::{Theme, centered, cut};
use crate::gps;
use crate::keymap;
use crate::state::form::{Form, Input};
use crate::state::{Model, Overlay};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

pub fn draw_overlay(frame: &mut Frame, area: Rect, o: &Overlay, m: &Model, theme: &Theme) {
    match o {
        Overlay::Help => {
            let mut lines: Vec<Line> = keymap::help(m.mode, m.screen)
                .into_iter()
                .map(|(k, h)| {
                    Line::from(vec![
                        Span::styled(format!("{k:>7}  "), theme.key()),
                        Span::raw(h),
                    ])
                })
                .collect();
            lines.push(Line::from(""));
            lines.push(Line::styled(
                "Status line: ● connected · ◌ reconnecting · ✖ offline, with the age of the data.",
                theme.dim(),
            ));
            lines.push(Line::styled(
                "Commands made offline wait with their ids and go once when back.",
                theme.dim(),
            ));
            popup(
                frame,
                area,
                100,
                format!(" Help · {} mode ", m.mode.name()),
                lines,
            );
        }
        Overlay::ConfirmQuit => {
            let pending = m.outbox.pending().count();
            let mut lines = vec![Line::styled("Quit the console?", theme.title())];
            if pending > 0 {
                lines.push(Line::styled(
                    format!("{pending} command(s) not yet confirmed by the server will be lost."),
                    theme.warn(),
                ));
            }
            lines.push(Line::raw("[y] quit · any other key stays"));
            popup(frame, area, 60, " Quit ".into(), lines);
        }
        Overlay::ConfirmAssign {
            incident_id,
            team_id,
        } => {
            let call = m.board.call_number(incident_id);
            let mut lines = vec![Line::styled(
                format!("Assign {call} to {team_id}?"),
                theme.title(),
            )];
            if let Some(r) = m
                .recommendations
                .as_ref()
                .filter(|r| &r.incident_id == incident_id)
            {
                for (n, t) in r.teams.iter().take(9).enumerate() {
                    let mark = if &t.team_id == team_id { "▶" } else { " " };
                    let dist = t.distance_m.map_or("?".into(), gps::distance_words);
                    lines.push(Line::raw(format!("{mark} {}. {} {dist}", n + 1, t.team_id)));
                }
            }
            lines.push(Line::raw(
                "[Enter]/[y] assign · [1-9] another team · [Esc] cancel",
            ));
            popup(frame, area, 64, " Assign ".into(), lines);
        }
        Overlay::Form(f) => draw_form(frame, area, f, theme),
    }
}

fn popup(frame: &mut Frame, area: Rect, w: u16, title: String, lines: Vec<Line>) {
    let w = w.min(area.width);
    let inner = w.saturating_sub(2).max(1) as usize;
    let h: usize = lines
        .iter()
        .map(|l| l.width().div_ceil(inner).max(1))
        .sum::<usize>()
        + 2;
    let r = centered(area, w, h.min(u16::MAX as usize) as u16);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(cut(&title, r.width as usize))),
        r,
    );
}

fn draw_form(frame: &mut Frame, area: Rect, f: &Form, theme: &Theme) {
    let mut lines = Vec::new();
    for (n, field) in f.fields.iter().enumerate() {
        let focused = n == f.focus;
        let mark = if focused { "▶ " } else { "  " };
        let mut spans = vec![Span::styled(
            format!("{mark}{}: ", field.label),
            if focused { theme.title() } else { theme.dim() },
        )];
        match &field.input {
            Input::Choice { options, selected } => match selected {
                Some(i) => spans.push(Span::styled(
                    format!("‹ {} › ({}/{})", options[*i], i + 1, options.len()),
                    if focused {
                        theme.selected()
                    } else {
                        ratatui::style::Style::new()
                    },
                )),
                None => spans.push(Span::styled(
                    format!("not chosen: ← → or 1-{}", options.len()),
                    theme.warn(),
                )),
            },
            Input::Checklist {
                options,
                checked,
                cursor,
            } => {
                let width = area.width.min(100).saturating_sub(2) as usize;
                let label: usize = spans.iter().map(|s| s.content.chars().count()).sum();
                let mut items = vec![spans];
                for (i, o) in options.iter().enumerate() {
                    let tick = if checked[i] { "[x]" } else { "[ ]" };
                    let style = if focused && i == *cursor {
                        theme.selected()
                    } else {
                        ratatui::style::Style::new()
                    };
                    items.push(vec![Span::styled(format!("{tick} {o}"), style)]);
                }
                lines.extend(super::pack(items, width, label.min(24)));
                continue;
            }
            Input::Text { value, .. } => {
                spans.push(Span::raw(value.clone()));
                if focused {
                    spans.push(Span::styled("▏", theme.key()));
                }
            }
            Input::YesNo(v) => spans.push(Span::styled(
                if *v { "[x] yes" } else { "[ ] no" },
                if focused {
                    theme.selected()
                } else {
                    ratatui::style::Style::new()
                },
            )),
        }
        lines.push(Line::from(spans));
    }
    if let Some(e) = &f.error {
        lines.push(Line::styled(format!("! {e}"), theme.warn()));
    }
    lines.push(Line::styled(
        "[Tab] next field · [←→] choose · [Space] tick · [Enter] send · [Esc] cancel",
        theme.dim(),
    ));
    popup(frame, area, 100, format!(" {} ", f.title), lines);
}
