//! The map: the service area's outline, teams and open calls on a canvas. The dispatcher's map
//! is framed by the area and everything on it; the unit's by itself and its call, so the route
//! reads at a glance (the area's edge shows when it is near). Labels say what each mark is
//! (▲ team, ● call), so the map reads without colour.

use super::Theme;
use crate::state::{Mode, Model};
use dispatch_proto::v1;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::symbols::Marker;
use ratatui::text::Line as TextLine;
use ratatui::widgets::Block;
use ratatui::widgets::canvas::{Canvas, Line, Points};

struct Mark {
    lon: f64,
    lat: f64,
    label: String,
    color: Color,
}

fn call_point(i: &v1::Incident) -> Option<(f64, f64)> {
    let l = i.details.as_ref()?.location.as_ref()?;
    Some((l.lon?, l.lat?))
}

/// From the team to its call, as (lon, lat) pairs.
type Route = ((f64, f64), (f64, f64));

fn marks(m: &Model) -> (Vec<Mark>, Option<Route>) {
    let mut v = Vec::new();
    let mut route = None;
    if m.mode == Mode::Unit {
        let team = m.team.team.as_ref();
        let pos = m.position.or_else(|| team.and_then(|t| t.position));
        if let Some(p) = pos {
            v.push(Mark {
                lon: p.lon,
                lat: p.lat,
                label: format!("▲{} (you)", team.map_or("", |t| t.id.as_str())),
                color: Color::Cyan,
            });
        }
        if let Some((lon, lat)) = m.team.incident.as_ref().and_then(call_point) {
            v.push(Mark {
                lon,
                lat,
                label: format!(
                    "●{}",
                    m.team
                        .incident
                        .as_ref()
                        .map_or("", |i| i.call_number.as_str())
                ),
                color: Color::Red,
            });
            if let Some(p) = pos {
                route = Some(((p.lon, p.lat), (lon, lat)));
            }
        }
    } else {
        for i in m.board.incidents.values() {
            if let Some((lon, lat)) = call_point(i) {
                v.push(Mark {
                    lon,
                    lat,
                    label: format!("●{}", i.call_number),
                    color: Color::Red,
                });
            }
        }
        for t in m.board.teams.values() {
            if let Some(p) = t.position {
                v.push(Mark {
                    lon: p.lon,
                    lat: p.lat,
                    label: format!("▲{}", t.id),
                    color: if t.status() == v1::TeamStatus::Available {
                        Color::Green
                    } else {
                        Color::Cyan
                    },
                });
            }
        }
    }
    (v, route)
}

/// Bounds around the points (lon, lat) with a margin, never narrower than about a kilometre.
fn bounds(points: &[(f64, f64)]) -> ([f64; 2], [f64; 2]) {
    if points.is_empty() {
        return ([-1.0, 1.0], [-1.0, 1.0]);
    }
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(lon, lat) in points {
        x0 = x0.min(lon);
        x1 = x1.max(lon);
        y0 = y0.min(lat);
        y1 = y1.max(lat);
    }
    let w = (x1 - x0).max(0.012);
    let h = (y1 - y0).max(0.008);
    // Room on the right for the labels.
    (
        [x0 - w * 0.1, x1 + w * 0.35],
        [y0 - h * 0.15, y1 + h * 0.15],
    )
}

pub fn draw(frame: &mut Frame, area: Rect, m: &Model, theme: &Theme) {
    let (marks, route) = marks(m);
    let mut framed: Vec<(f64, f64)> = marks.iter().map(|k| (k.lon, k.lat)).collect();
    if m.mode != Mode::Unit || framed.is_empty() {
        framed.extend(m.service_area.iter().flatten().copied());
    }
    let (xb, yb) = bounds(&framed);
    let title = match (marks.is_empty(), m.service_area.is_empty()) {
        (true, true) => " Map · nothing with a position yet ",
        (false, true) => " Map · ▲ team  ● call ",
        (_, false) => " Map · ▲ team  ● call  ┄ service area ",
    };
    let edges: Vec<((f64, f64), (f64, f64))> = m
        .service_area
        .iter()
        .flat_map(|ring| {
            ring.iter()
                .zip(ring.iter().cycle().skip(1))
                .map(|(a, b)| (*a, *b))
        })
        .collect();
    let theme = *theme;
    let canvas = Canvas::default()
        .block(Block::bordered().title(TextLine::from(title)))
        .marker(Marker::Braille)
        .x_bounds(xb)
        .y_bounds(yb)
        .paint(move |ctx| {
            for &((ax, ay), (bx, by)) in &edges {
                ctx.draw(&Line::new(ax, ay, bx, by, theme.paint(Color::Yellow)));
            }
            if let Some(((ax, ay), (bx, by))) = route {
                ctx.draw(&Line::new(ax, ay, bx, by, theme.paint(Color::DarkGray)));
            }
            for k in &marks {
                ctx.draw(&Points::new(&[(k.lon, k.lat)], theme.paint(k.color)));
            }
            ctx.layer();
            for k in &marks {
                ctx.print(k.lon, k.lat, k.label.clone());
            }
        });
    frame.render_widget(canvas, area);
}
