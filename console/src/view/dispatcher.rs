//! The dispatcher's board: what needs action now pinned on top (acks awaited, backup requests,
//! safety alerts, missed check-ins), the call queue by priority and age with triage's decision
//! and reasons, the selected call's recommended teams, and the team board.

use super::{Theme, cut, map, pad};
use crate::state::Model;
use crate::{clock, gps, words};
use dispatch_proto::v1;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// Most pinned lines shown; the rest are counted.
const MAX_PINNED: usize = 4;

pub fn draw(frame: &mut Frame, area: Rect, m: &Model, theme: &Theme) {
    let mut pinned = pinned(m, theme);
    if pinned.len() > MAX_PINNED {
        let more = pinned.len() - (MAX_PINNED - 1);
        pinned.truncate(MAX_PINNED - 1);
        pinned.push(Line::styled(format!(" !! and {more} more"), theme.alarm()));
    }
    let [top, rest] =
        Layout::vertical([Constraint::Length(pinned.len() as u16), Constraint::Min(1)]).areas(area);
    frame.render_widget(Paragraph::new(pinned), top);
    if rest.width >= 120 {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
                .areas(rest);
        let [queue, detail] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(left);
        let [teams, map_area] = Layout::vertical([
            Constraint::Length(m.board.teams.len() as u16 + 3),
            Constraint::Min(5),
        ])
        .areas(right);
        draw_queue(frame, queue, m, theme);
        draw_detail(frame, detail, m, theme);
        draw_teams(frame, teams, m, theme);
        map::draw(frame, map_area, m, theme);
    } else {
        let teams_h = (m.board.teams.len() as u16 + 2).min(rest.height / 3);
        let calls = m.board.queue().len() as u16 + 2;
        let queue_h = calls.clamp(4, (rest.height * 2 / 5).max(4));
        let [queue, detail, teams] = Layout::vertical([
            Constraint::Length(queue_h),
            Constraint::Min(4),
            Constraint::Length(teams_h),
        ])
        .areas(rest);
        draw_queue(frame, queue, m, theme);
        draw_detail(frame, detail, m, theme);
        draw_teams(frame, teams, m, theme);
    }
}

/// The lines that must stand out, most urgent kinds first.
fn pinned(m: &Model, theme: &Theme) -> Vec<Line<'static>> {
    let b = &m.board;
    let now = m.now_ms;
    let mut v = Vec::new();
    for (incident, backup) in &b.backups {
        v.push(Line::styled(
            format!(
                " !! BACKUP REQUESTED{} · {} at {} · {}",
                if backup.urgent { " (URGENT)" } else { "" },
                backup.team_id,
                b.call_number(incident),
                m.local.hhmm(backup.at_ms)
            ),
            theme.alarm(),
        ));
    }
    for (incident, reasons) in &b.safety {
        let r: Vec<String> = reasons.iter().map(words::reason).collect();
        v.push(Line::styled(
            format!(
                " !! SAFETY ALERT {} · {}",
                b.call_number(incident),
                r.join("; ")
            ),
            theme.alarm(),
        ));
    }
    for (team, incident) in &b.missed_check_ins {
        let on = if incident.is_empty() {
            String::new()
        } else {
            format!(" on {}", b.call_number(incident))
        };
        v.push(Line::styled(
            format!(" !! CHECK-IN MISSED · {team}{on} · call them"),
            theme.alarm(),
        ));
    }
    for a in b.unacknowledged() {
        let call = b.call_number(&a.incident_id);
        let line = if a.escalated {
            let suggested = b
                .escalations
                .get(&a.id)
                .filter(|s| !s.is_empty())
                .map_or(String::new(), |s| format!(" · {s} is free"));
            Line::styled(
                format!(
                    " !! NO ACK · {} on {call}{suggested} · [w] ack on behalf",
                    a.team_id
                ),
                theme.alarm(),
            )
        } else {
            let left = clock::millis(&a.ack_deadline).map_or(String::new(), |d| {
                format!(" · {} left", clock::countdown(d - now))
            });
            Line::styled(
                format!(" ·· AWAITING ACK · {} on {call}{left}", a.team_id),
                theme.warn(),
            )
        };
        v.push(line);
    }
    v
}

fn draw_queue(frame: &mut Frame, area: Rect, m: &Model, theme: &Theme) {
    let q = m.board.queue();
    let w = area.width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    if q.is_empty() {
        lines.push(Line::styled("no calls waiting", theme.dim()));
    }
    // Keep the selected row in view.
    let rows = area.height.saturating_sub(2) as usize;
    let first = m.selected.saturating_sub(rows.saturating_sub(1));
    for (n, i) in q.iter().enumerate().skip(first).take(rows.max(1)) {
        let t = i.triage.clone().unwrap_or_default();
        let age = clock::millis(&i.received_at).map_or("-".into(), |r| clock::span(m.now_ms - r));
        let d = i.details.clone().unwrap_or_default();
        let decision = format!(
            "{}→{}",
            words::decision(t.decision()),
            words::route(t.route())
        );
        let mark = if n == m.selected { "▶" } else { " " };
        let fixed = format!(
            "{mark} P{} {:>5} {} ",
            t.priority,
            age,
            pad(&i.call_number, 9)
        );
        let room = w.saturating_sub(fixed.chars().count() + decision.chars().count() + 1);
        let text = format!("{fixed}{} {decision}", pad(&d.nature_text, room));
        let style = match (n == m.selected, t.decision()) {
            (true, _) => theme.selected(),
            (false, v1::Decision::Review | v1::Decision::NotEligible) => theme.warn(),
            _ => ratatui::style::Style::new(),
        };
        lines.push(Line::styled(text, style));
    }
    let title = format!(" Calls waiting ({}) · priority, then age ", q.len());
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(title)),
        area,
    );
}

fn draw_detail(frame: &mut Frame, area: Rect, m: &Model, theme: &Theme) {
    let Some(i) = m.selected_call() else {
        frame.render_widget(
            Paragraph::new("").block(Block::bordered().title(" Selected call ")),
            area,
        );
        return;
    };
    let d = i.details.clone().unwrap_or_default();
    let loc = d.location.clone().unwrap_or_default();
    let t = i.triage.clone().unwrap_or_default();
    let mut lines = vec![Line::from(vec![
        Span::styled(d.nature_text.clone(), theme.title()),
        Span::raw(format!(
            " · {}{}",
            loc.address,
            if loc.cross_streets.is_empty() {
                String::new()
            } else {
                format!(" ({})", loc.cross_streets)
            }
        )),
    ])];
    for r in &t.reasons {
        lines.push(Line::raw(format!("· {}", words::reason(r))));
    }
    match &m.recommendations {
        Some(r) if r.incident_id == i.id => {
            if r.teams.is_empty() {
                lines.push(Line::styled("no team available to recommend", theme.warn()));
            }
            for (n, team) in r.teams.iter().take(5).enumerate() {
                // The server's reasons say distance, time and what else counted; our own
                // words only when it gives none.
                let text = if team.reasons.is_empty() {
                    let dist = team.distance_m.map_or("?".into(), gps::distance_words);
                    let eta = team
                        .eta_minutes
                        .map_or("?".into(), |e| format!("{e:.0} min"));
                    let mut t = format!("{}. {} {dist}, ~{eta}", n + 1, team.team_id);
                    if !team.language_match {
                        t.push_str(" · language ✗");
                    }
                    if !team.fully_staffed {
                        t.push_str(" · short-staffed");
                    }
                    t
                } else {
                    format!("{}. {} · {}", n + 1, team.team_id, team.reasons.join(" · "))
                };
                let style = if n == 0 {
                    theme.ok()
                } else {
                    ratatui::style::Style::new()
                };
                lines.push(Line::styled(text, style));
            }
        }
        _ => lines.push(Line::styled("asking for recommended teams…", theme.dim())),
    }
    let title = format!(" {} · recommended teams ([a] assigns #1) ", i.call_number);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(cut(&title, area.width as usize))),
        area,
    );
}

fn draw_teams(frame: &mut Frame, area: Rect, m: &Model, theme: &Theme) {
    let b = &m.board;
    let mut lines = Vec::new();
    for t in b.teams.values() {
        let since = b
            .status_since
            .get(&t.id)
            .copied()
            .or_else(|| clock::millis(&t.status_since))
            .map_or("-".into(), |s| clock::span(m.now_ms - s));
        let pos = t.position.map_or("no position".into(), |p| {
            format!("{:.4},{:.4}", p.lat, p.lon)
        });
        let call = if t.incident_id.is_empty() {
            "-".to_owned()
        } else {
            b.call_number(&t.incident_id)
        };
        let status = words::team_status(t.status());
        let style = match t.status() {
            v1::TeamStatus::Available => theme.ok(),
            v1::TeamStatus::OutOfService | v1::TeamStatus::OffShift => theme.dim(),
            _ => ratatui::style::Style::new(),
        };
        lines.push(Line::styled(
            format!(
                "{} {} {:>6} {} {}",
                pad(&t.id, 7),
                pad(status, 14),
                since,
                pad(&call, 10),
                pos
            ),
            style,
        ));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::bordered().title(" Teams · status, time in it, call, position ")),
        area,
    );
}
