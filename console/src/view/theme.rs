//! Styles. Colour helps, but every meaning is also in words or symbols and in bold / reverse,
//! so the screen reads the same on a monochrome terminal; `NO_COLOR` turns colour off.

use ratatui::style::{Color, Modifier, Style};
use std::ffi::OsStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub const COLOR: Theme = Theme { color: true };
    pub const MONO: Theme = Theme { color: false };

    /// `NO_COLOR` set to anything but the empty string means no colour (no-color.org).
    pub fn from_env(no_color: Option<&OsStr>) -> Self {
        Theme {
            color: no_color.is_none_or(|v| v.is_empty()),
        }
    }

    fn pick(&self, colored: Style, mono: Style) -> Style {
        if self.color { colored } else { mono }
    }

    /// Must be seen now: a new assignment, backup, safety alert, offline.
    pub fn alarm(&self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        )
    }

    /// Needs attention soon.
    pub fn warn(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    pub fn ok(&self) -> Style {
        self.pick(Style::new().fg(Color::Green), Style::new())
    }

    pub fn dim(&self) -> Style {
        self.pick(Style::new().fg(Color::DarkGray), Style::new())
    }

    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn key(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// A colour for the map, or the terminal's own when there is no colour.
    pub fn paint(&self, c: Color) -> Color {
        if self.color { c } else { Color::Reset }
    }
}
