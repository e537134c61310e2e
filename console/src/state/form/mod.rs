//! A form: fields (a choice, a checklist, text, yes/no) and pure key handling. The
//! console's own forms (clearing a call, the backup confirm step, declining a call, acking on
//! a team's behalf, a peer's attempt, completion and schedule) are in `kinds`, with
//! `to_command`, which checks a form and says which field is wrong.

use crate::clock::LocalTime;
use crate::command::Command;
use crate::words;
use dispatch_proto::v1;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// One of the options (None until chosen when there is no safe default).
    Choice {
        options: Vec<String>,
        selected: Option<usize>,
    },
    /// Any of the options.
    Checklist {
        options: Vec<String>,
        checked: Vec<bool>,
        cursor: usize,
    },
    Text {
        value: String,
        max: usize,
    },
    YesNo(bool),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub label: &'static str,
    pub input: Input,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormKind {
    Clear,
    Backup,
    Decline { incident_id: String },
    AckOnBehalf { assignment_id: String },
    TeamStatus,
    Attempt { task_id: String },
    Complete { task_id: String },
    Schedule { task_id: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form {
    pub kind: FormKind,
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Why the last submit was not accepted.
    pub error: Option<String>,
}

/// Keys as a form understands them (the keymap turns terminal keys into these).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormKey {
    Next,
    Prev,
    Left,
    Right,
    /// Space: tick a checklist item or flip yes/no; a space in text.
    Toggle,
    Char(char),
    Backspace,
    Submit,
    Cancel,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FormOutcome {
    Editing,
    Cancelled,
    Submitted(Command),
}

impl Form {
    fn new(kind: FormKind, title: String, fields: Vec<Field>) -> Self {
        Self {
            kind,
            title,
            fields,
            focus: 0,
            error: None,
        }
    }

    /// One key. Submitting checks the form; a form with a mistake stays open and says which
    /// field is wrong.
    pub fn key(&mut self, key: FormKey, now_ms: i64, local: &LocalTime) -> FormOutcome {
        let n = self.fields.len();
        match key {
            FormKey::Cancel => return FormOutcome::Cancelled,
            FormKey::Submit => {
                return match self.to_command(now_ms, local) {
                    Ok(c) => FormOutcome::Submitted(c),
                    Err(e) => {
                        self.error = Some(e);
                        FormOutcome::Editing
                    }
                };
            }
            FormKey::Next => self.focus = (self.focus + 1) % n,
            FormKey::Prev => self.focus = (self.focus + n - 1) % n,
            other => {
                if let Some(field) = self.fields.get_mut(self.focus) {
                    edit(&mut field.input, other);
                }
            }
        }
        FormOutcome::Editing
    }

    fn choice(&self, i: usize) -> Option<usize> {
        match self.fields.get(i).map(|f| &f.input) {
            Some(Input::Choice { selected, .. }) => *selected,
            _ => None,
        }
    }

    fn checked(&self, i: usize) -> Vec<usize> {
        match self.fields.get(i).map(|f| &f.input) {
            Some(Input::Checklist { checked, .. }) => checked
                .iter()
                .enumerate()
                .filter_map(|(i, c)| c.then_some(i))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn text(&self, i: usize) -> String {
        match self.fields.get(i).map(|f| &f.input) {
            Some(Input::Text { value, .. }) => value.trim().to_owned(),
            _ => String::new(),
        }
    }

    fn yes(&self, i: usize) -> bool {
        matches!(
            self.fields.get(i).map(|f| &f.input),
            Some(Input::YesNo(true))
        )
    }

    fn must_choose(&self, i: usize) -> Result<usize, String> {
        self.choice(i).ok_or_else(|| {
            format!(
                "{}: choose one with ← → (Tab moves between fields)",
                self.fields[i].label
            )
        })
    }
}

fn edit(input: &mut Input, key: FormKey) {
    match input {
        Input::Choice { options, selected } => {
            let n = options.len();
            if n == 0 {
                return;
            }
            *selected = match (key, *selected) {
                (FormKey::Right, None) => Some(0),
                (FormKey::Left, None) => Some(n - 1),
                (FormKey::Right, Some(i)) => Some((i + 1) % n),
                (FormKey::Left, Some(i)) => Some((i + n - 1) % n),
                (FormKey::Char(c), s) => c
                    .to_digit(10)
                    .map(|d| d as usize)
                    .filter(|d| (1..=n).contains(d))
                    .map(|d| d - 1)
                    .or(s),
                (_, s) => s,
            };
        }
        Input::Checklist {
            options,
            checked,
            cursor,
        } => {
            let n = options.len();
            match key {
                FormKey::Right => *cursor = (*cursor + 1) % n,
                FormKey::Left => *cursor = (*cursor + n - 1) % n,
                FormKey::Toggle => checked[*cursor] = !checked[*cursor],
                _ => {}
            }
        }
        Input::Text { value, max } => match key {
            FormKey::Char(c) if value.chars().count() < *max && !c.is_control() => value.push(c),
            FormKey::Toggle if value.chars().count() < *max => value.push(' '),
            FormKey::Backspace => {
                value.pop();
            }
            _ => {}
        },
        Input::YesNo(v) => {
            if matches!(
                key,
                FormKey::Toggle | FormKey::Left | FormKey::Right | FormKey::Char('y' | 'n')
            ) {
                *v = match key {
                    FormKey::Char('y') => true,
                    FormKey::Char('n') => false,
                    _ => !*v,
                };
            }
        }
    }
}

mod kinds;

pub use kinds::SCHEDULE_CHOICES;
