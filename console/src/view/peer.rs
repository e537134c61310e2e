//! The follow-up queue (a peer's screen, and the supervisor's overview): overdue, due today,
//! upcoming; the selected task's history (attempts, referrals, outcome so far).

use super::{Theme, pad};
use crate::state::queue::{Pile, Queue};
use crate::state::{Mode, Model};
use crate::{clock, words};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, m: &Model, theme: &Theme) {
    let (list, detail) = if area.width >= 120 {
        let [a, b] = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
            .areas(area);
        (a, b)
    } else {
        let [a, b] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
        (a, b)
    };
    draw_list(frame, list, m, theme);
    draw_detail(frame, detail, m, theme);
}

fn draw_list(frame: &mut Frame, area: Rect, m: &Model, theme: &Theme) {
    let now = m.now_ms;
    let ordered = m.queue.ordered(now, &m.local);
    let (overdue, today, upcoming) = m.queue.counts(now, &m.local);
    let w = area.width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    if m.mode == Mode::Supervisor && !ordered.is_empty() {
        // Who carries what: tasks (and overdue ones) per peer.
        let mut per: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
        for (p, t) in &ordered {
            let who = if t.assignee.is_empty() {
                "anyone"
            } else {
                t.assignee.as_str()
            };
            let e = per.entry(who).or_default();
            e.0 += 1;
            if *p == Pile::Overdue {
                e.1 += 1;
            }
        }
        let parts: Vec<String> = per
            .iter()
            .map(|(who, (n, late))| {
                if *late > 0 {
                    format!("{who} {n} ({late} overdue)")
                } else {
                    format!("{who} {n}")
                }
            })
            .collect();
        lines.push(Line::styled(
            super::cut(&format!("by peer: {}", parts.join(" · ")), w),
            theme.dim(),
        ));
    }
    let mut pile: Option<Pile> = None;
    let mut selected_line = 0;
    for (n, (p, t)) in ordered.iter().enumerate() {
        if pile != Some(*p) {
            let count = match p {
                Pile::Overdue => overdue,
                Pile::DueToday => today,
                Pile::Upcoming => upcoming,
            };
            let style = if *p == Pile::Overdue {
                theme.alarm()
            } else {
                theme.title()
            };
            lines.push(Line::styled(format!("{} ({count})", p.title()), style));
            pile = Some(*p);
        }
        let due = clock::millis(&t.due_at).map_or("no due time".into(), |d| {
            let when = if *p == Pile::Upcoming {
                m.local.date_time(d)
            } else {
                m.local.hhmm(d)
            };
            if d < now {
                format!("{when} ({} late)", clock::span(now - d))
            } else {
                when
            }
        });
        let mark = if n == m.selected { "▶" } else { " " };
        let assignee = if t.assignee.is_empty() {
            "anyone"
        } else {
            t.assignee.as_str()
        };
        let text = format!(
            "{mark} {} {} {} {} tries {}",
            pad(&due, 20),
            pad(words::follow_up_kind(t.kind()), 19),
            pad(assignee, 8),
            pad(&t.id, 14),
            t.attempts.len()
        );
        if n == m.selected {
            selected_line = lines.len();
        }
        lines.push(Line::styled(
            super::cut(&text, w),
            if n == m.selected {
                theme.selected()
            } else {
                ratatui::style::Style::new()
            },
        ));
    }
    if ordered.is_empty() {
        lines.push(Line::styled("no follow-up tasks open", theme.dim()));
    }
    let rows = area.height.saturating_sub(2) as usize;
    let scroll = selected_line.saturating_sub(rows.saturating_sub(1)) as u16;
    let title = if m.mode == Mode::Supervisor {
        format!(
            " Follow-ups (all peers) · {overdue} overdue · {today} due today · {upcoming} upcoming "
        )
    } else {
        format!(" Follow-up queue · {overdue} overdue · {today} today · {upcoming} upcoming ")
    };
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll, 0))
            .block(Block::bordered().title(super::cut(&title, area.width as usize))),
        area,
    );
}

fn draw_detail(frame: &mut Frame, area: Rect, m: &Model, theme: &Theme) {
    let Some(t) = m.selected_task() else {
        frame.render_widget(
            Paragraph::new("").block(Block::bordered().title(" Task ")),
            area,
        );
        return;
    };
    let mut lines = vec![
        Line::styled(
            format!(
                "{} · {} · {}",
                words::follow_up_kind(t.kind()),
                words::follow_up_status(t.status()),
                Queue::pile(t, m.now_ms, &m.local).title().to_lowercase()
            ),
            theme.title(),
        ),
        Line::raw(format!(
            "incident {} · created {} by {}",
            t.incident_id,
            clock::millis(&t.created_at).map_or("-".into(), |c| m.local.date_time(c)),
            if t.origin.is_empty() {
                "policy"
            } else {
                t.origin.as_str()
            }
        )),
        Line::raw(format!(
            "due {} · assignee {}",
            clock::millis(&t.due_at).map_or("-".into(), |d| m.local.date_time(d)),
            if t.assignee.is_empty() {
                "anyone"
            } else {
                t.assignee.as_str()
            }
        )),
    ];
    lines.extend(incident_summary(t, m, theme));
    if !t.referrals.is_empty() {
        let r: Vec<&str> = t
            .referrals
            .iter()
            .map(|r| words::referral(r.category()))
            .collect();
        lines.push(Line::raw(format!("referrals: {}", r.join(", "))));
    }
    if t.attempts.is_empty() {
        lines.push(Line::styled("no attempts yet", theme.dim()));
    }
    for a in &t.attempts {
        let at = clock::millis(&a.at).map_or("-".into(), |x| m.local.date_time(x));
        let mut text = format!("{at} {} {}", a.by, words::attempt_result(a.result()));
        if !a.note.is_empty() {
            text.push_str(&format!(": {}", a.note));
        }
        lines.push(Line::raw(text));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(format!(" Task {} ", t.id))),
        area,
    );
}

/// What the peer needs of the call the task came from: what it was, where, how to reach the
/// person, and what the team found and did.
fn incident_summary(
    t: &dispatch_proto::v1::FollowUpTask,
    m: &Model,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let Some(i) = m.task_incident.as_ref().filter(|i| i.id == t.incident_id) else {
        return vec![Line::styled(
            "incident summary: asking the server…",
            theme.dim(),
        )];
    };
    let mut lines = Vec::new();
    if let Some(d) = &i.details {
        lines.push(Line::raw(format!(
            "call {}: {}",
            i.call_number, d.nature_text
        )));
        if let Some(l) = &d.location {
            lines.push(Line::raw(format!("where {}", l.address)));
        }
        let callback = d.caller.as_ref().map_or("", |c| c.callback.as_str());
        let language = if d.caller_language.is_empty() {
            "language not given"
        } else {
            d.caller_language.as_str()
        };
        lines.push(Line::raw(format!(
            "callback {} · {language}",
            if callback.is_empty() {
                "none"
            } else {
                callback
            }
        )));
    }
    if let Some(c) = &i.clearance {
        lines.push(Line::raw(format!(
            "cleared by {}: {}",
            c.team_id,
            words::disposition(c.disposition())
        )));
        if let Some(e) = &c.encounter {
            if !e.services_provided.is_empty() {
                lines.push(Line::raw(format!(
                    "services: {}",
                    e.services_provided.join(", ")
                )));
            }
            if !e.notes.is_empty() {
                lines.push(Line::raw(format!("team's notes: {}", e.notes)));
            }
        }
    }
    if !t.person_ref.is_empty() {
        lines.push(Line::raw(format!(
            "person {} · {} earlier task(s)",
            t.person_ref,
            t.linked_task_ids.len()
        )));
    }
    lines
}
