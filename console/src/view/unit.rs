//! The team's screen: the assignment card, read at a glance, with the loud states on top
//! (a new assignment and its ack countdown, a check-in asked for, a safety alert).

use super::{Theme, map};
use crate::state::Model;
use crate::{clock, gps, words};
use dispatch_proto::v1;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, m: &Model, theme: &Theme) {
    let banners = banners(m, theme);
    // A new assignment is a full-width band, three rows high: it cannot be missed.
    let loud = m.team.awaiting_ack();
    let band = if loud { 3 } else { 0 };
    let [top, alerts, rest] = Layout::vertical([
        Constraint::Length(band),
        Constraint::Length(banners.len() as u16),
        Constraint::Min(1),
    ])
    .areas(area);
    if loud {
        frame.render_widget(Paragraph::new(new_assignment(m)).style(theme.alarm()), top);
    }
    frame.render_widget(Paragraph::new(banners), alerts);
    // Wide screens show the map beside the card.
    let (card_area, map_area) = if rest.width >= 120 {
        let [a, b] = Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
            .areas(rest);
        (a, Some(b))
    } else {
        (rest, None)
    };
    let card = Paragraph::new(card(m, theme))
        .block(Block::bordered().title(card_title(m)))
        .wrap(Wrap { trim: false });
    frame.render_widget(card, card_area);
    if let Some(a) = map_area {
        map::draw(frame, a, m, theme);
    }
}

fn card_title(m: &Model) -> String {
    match &m.team.incident {
        Some(i) => format!(" Assignment {} ", i.call_number),
        None => " No assignment ".to_owned(),
    }
}

fn new_assignment(m: &Model) -> Vec<Line<'static>> {
    let a = m.team.assignment.as_ref();
    let tail = match (m.team.ack_left_ms(m.now_ms), a.is_some_and(|a| a.escalated)) {
        (_, true) => "NO ACK IN TIME: dispatch has been told".to_owned(),
        (Some(left), _) if left > 0 => format!("{} left to acknowledge", clock::countdown(left)),
        (Some(_), _) => "ACK OVERDUE".to_owned(),
        (None, _) => String::new(),
    };
    let repush = a
        .filter(|a| a.repushes > 0)
        .map_or(String::new(), |a| format!(" (sent again ×{})", a.repushes));
    let what = m.team.incident.as_ref().map_or(String::new(), |i| {
        let nature = i.details.as_ref().map_or("", |d| d.nature_text.as_str());
        format!(" {} · {nature}", i.call_number)
    });
    vec![
        Line::raw(format!(" ▶▶ NEW ASSIGNMENT{repush} ◀◀{what}")),
        Line::raw(format!(" press [a] to ACKNOWLEDGE · {tail}")),
        Line::raw(""),
    ]
}

fn banners(m: &Model, theme: &Theme) -> Vec<Line<'static>> {
    let mut v = Vec::new();
    if !m.team.safety.is_empty() {
        let reasons: Vec<String> = m.team.safety.iter().map(words::reason).collect();
        v.push(Line::styled(
            format!(" !! SAFETY ALERT: {} · [b] backup", reasons.join("; ")),
            theme.alarm(),
        ));
    }
    if let Some(t) = m.team.team.as_ref().filter(|t| t.check_in_requested) {
        let by = clock::millis(&t.check_in_due)
            .map_or(String::new(), |ms| format!(" by {}", m.local.hhmm(ms)));
        v.push(Line::styled(
            format!(" !! CHECK IN NOW: press [i]{by}"),
            theme.alarm(),
        ));
    }
    v
}

fn field(label: &str, value: String, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label:<10}"), theme.dim()),
        Span::raw(value),
    ])
}

fn card(m: &Model, theme: &Theme) -> Vec<Line<'static>> {
    let team = m.team.team.as_ref();
    let status = m.team.status();
    let since = team
        .and_then(|t| clock::millis(&t.status_since))
        .map_or(String::new(), |ms| format!(" since {}", m.local.hhmm(ms)));
    let Some(i) = &m.team.incident else {
        let mut v = vec![field(
            "team",
            format!(
                "{} is {}{since}",
                team.map_or("?", |t| t.id.as_str()),
                words::team_status(status)
            ),
            theme,
        )];
        if let Some(why) = &m.team.ended {
            v.push(field("last call", why.clone(), theme));
        }
        if let Some(p) = m.position {
            v.push(field(
                "position",
                format!("{:.5}, {:.5}", p.lat, p.lon),
                theme,
            ));
        }
        v.push(Line::from(""));
        v.push(Line::styled(
            "Waiting for an assignment. It will appear here, loud, with a countdown.",
            theme.dim(),
        ));
        return v;
    };
    let d = i.details.clone().unwrap_or_default();
    let loc = d.location.clone().unwrap_or_default();
    let tri = i.triage.clone().unwrap_or_default();
    let mut v = Vec::new();
    v.push(Line::from(vec![
        Span::styled(format!("P{} ", tri.priority), theme.warn()),
        Span::styled(d.nature_text.clone(), theme.title()),
        Span::raw(format!(" ({})", d.nature_code)),
    ]));
    v.push(field("where", loc.address.clone(), theme));
    if !loc.cross_streets.is_empty() {
        v.push(field("cross", loc.cross_streets.clone(), theme));
    }
    let mut place = words::place(loc.place_type()).to_owned();
    if !loc.beat.is_empty() {
        place.push_str(&format!(" · beat {}", loc.beat));
    }
    let call_point = loc
        .lat
        .zip(loc.lon)
        .map(|(lat, lon)| v1::GeoPoint { lat, lon });
    let from = m.position.or_else(|| team.and_then(|t| t.position));
    if let (Some(a), Some(b)) = (from, call_point) {
        place.push_str(&format!(
            " · {} away",
            gps::distance_words(gps::distance_m(&a, &b))
        ));
    }
    v.push(field("place", place, theme));
    v.push(field(
        "status",
        format!("{}{since}", words::team_status(status)),
        theme,
    ));
    // Grouped by answer, YES first: what matters is read first and the line fits 80 columns.
    let f = d.flags.unwrap_or_default();
    let mut by_answer: [(v1::Answer, Vec<&str>); 3] = [
        (v1::Answer::Yes, vec![]),
        (v1::Answer::Unknown, vec![]),
        (v1::Answer::No, vec![]),
    ];
    for (name, a) in [
        ("weapon", f.weapon),
        ("violence", f.violence),
        ("medical", f.medical),
        ("fire", f.fire),
        ("traffic", f.traffic),
        ("suicidal", f.suicidal),
    ] {
        let a = v1::Answer::try_from(a).unwrap_or_default();
        if let Some((_, names)) = by_answer.iter_mut().find(|(x, _)| *x == a) {
            names.push(name);
        }
    }
    let mut safety = vec![Span::styled(format!("{:<10}", "safety"), theme.dim())];
    for (answer, names) in by_answer.iter().filter(|(_, n)| !n.is_empty()) {
        if safety.len() > 1 {
            safety.push(Span::raw(" · "));
        }
        let (label, style) = match answer {
            v1::Answer::Yes => ("YES", theme.alarm()),
            v1::Answer::Unknown => ("not asked", theme.warn()),
            v1::Answer::No => ("no", Style::new()),
        };
        safety.push(Span::styled(
            format!("{label}: {}", names.join(", ")),
            style,
        ));
    }
    v.push(Line::from(safety));
    v.push(field(
        "triage",
        format!(
            "{} → {}",
            words::decision(tri.decision()),
            words::route(tri.route())
        ),
        theme,
    ));
    for r in &tri.reasons {
        v.push(Line::raw(format!("          · {}", words::reason(r))));
    }
    let caller = d.caller.clone().unwrap_or_default();
    let mut caller_line = vec![
        Span::styled(format!("{:<10}", "caller"), theme.dim()),
        Span::raw(format!("callback {}", or_dash(&caller.callback))),
    ];
    if d.caller_language.is_empty() {
        caller_line.push(Span::raw(" · language not given"));
    } else {
        caller_line.push(Span::raw(format!(
            " · language {}",
            words::language(&d.caller_language)
        )));
        let spoken = team.is_none_or(|t| {
            t.languages
                .iter()
                .any(|l| l.eq_ignore_ascii_case(&d.caller_language))
        });
        if !spoken {
            caller_line.push(Span::styled(
                " · NOT spoken by the team: interpreter line",
                theme.warn(),
            ));
        }
    }
    v.push(Line::from(caller_line));
    v.extend(premise_lines(&m.team.premise_history, m, theme));
    if i.backup_requested {
        v.push(Line::styled(
            "          POLICE BACKUP REQUESTED",
            theme.warn(),
        ));
    }
    v.push(Line::styled("narrative", theme.dim()));
    for (n, line) in d.narrative.iter().enumerate() {
        let at = clock::millis(&line.at).map_or("     ".to_owned(), |ms| m.local.hhmm(ms));
        if n >= m.team.narrative_seen {
            v.push(Line::styled(
                format!(" NEW {at} {}", line.text),
                theme.warn(),
            ));
        } else {
            v.push(Line::styled(
                format!("     {at} {}", line.text),
                Style::new(),
            ));
        }
    }
    v
}

/// Earlier calls at this address: dangers found there first and loud, then what happened.
fn premise_lines(history: &[v1::PriorCall], m: &Model, theme: &Theme) -> Vec<Line<'static>> {
    if history.is_empty() {
        return vec![field("history", "no earlier calls here".to_owned(), theme)];
    }
    history
        .iter()
        .enumerate()
        .map(|(n, p)| {
            let when = clock::millis(&p.received_at).map_or("-".into(), |ms| m.local.date_time(ms));
            let label = if n == 0 { "history" } else { "" };
            let mut spans = vec![
                Span::styled(format!("{label:<10}"), theme.dim()),
                Span::raw(format!("{when} {} → {}", p.nature_text, p.outcome)),
            ];
            if !p.dangers.is_empty() {
                spans.push(Span::styled(
                    format!(" · {}!", p.dangers.join(", ").to_uppercase()),
                    theme.alarm(),
                ));
            }
            if p.backup_requested {
                spans.push(Span::styled(" · BACKUP CALLED", theme.warn()));
            }
            Line::from(spans)
        })
        .collect()
}

fn or_dash(s: &str) -> String {
    if s.is_empty() {
        "-".into()
    } else {
        s.to_owned()
    }
}
