//! The console's forms, field by field, and what each one sends when it is complete.

use super::*;

/// What a dispatcher may set a team to by hand.
pub const TEAM_STATUSES: [(v1::TeamStatus, &str); 3] = [
    (v1::TeamStatus::Available, "available"),
    (v1::TeamStatus::OutOfService, "out of service"),
    (v1::TeamStatus::OffShift, "off shift"),
];

/// Offsets the schedule form offers, in hours from now, plus "tomorrow 09:00".
pub const SCHEDULE_CHOICES: [(&str, Option<i64>); 6] = [
    ("in 2 hours", Some(2)),
    ("in 4 hours", Some(4)),
    ("tomorrow 09:00", None),
    ("in 24 hours", Some(24)),
    ("in 72 hours", Some(72)),
    ("in 1 week", Some(168)),
];

fn choice(options: &[&str], selected: Option<usize>) -> Input {
    Input::Choice {
        options: options.iter().map(|s| (*s).to_owned()).collect(),
        selected,
    }
}

fn checklist(options: &[&str]) -> Input {
    Input::Checklist {
        options: options.iter().map(|s| (*s).to_owned()).collect(),
        checked: vec![false; options.len()],
        cursor: 0,
    }
}

fn text(max: usize) -> Input {
    Input::Text {
        value: String::new(),
        max,
    }
}

fn referral_names() -> Vec<&'static str> {
    words::REFERRALS.iter().map(|(_, w)| *w).collect()
}

impl Form {
    pub fn clear(call: &str) -> Self {
        let dispositions: Vec<String> = words::DISPOSITIONS
            .iter()
            .map(|d| words::disposition(*d))
            .collect();
        let dispositions: Vec<&str> = dispositions.iter().map(String::as_str).collect();
        Self::new(
            FormKind::Clear,
            format!("Clear {call}"),
            vec![
                Field {
                    label: "disposition",
                    input: choice(&dispositions, None),
                },
                Field {
                    label: "services",
                    input: checklist(&words::SERVICES),
                },
                Field {
                    label: "referrals",
                    input: checklist(&referral_names()),
                },
                Field {
                    label: "notes",
                    input: text(2000),
                },
                Field {
                    label: "consents to follow-up",
                    input: Input::YesNo(false),
                },
                Field {
                    label: "person ref (client no., not a name)",
                    input: text(200),
                },
            ],
        )
    }

    pub fn backup(call: &str) -> Self {
        Self::new(
            FormKind::Backup,
            format!("REQUEST POLICE BACKUP on {call}?"),
            vec![
                Field {
                    label: "urgent",
                    input: Input::YesNo(true),
                },
                Field {
                    label: "note",
                    input: text(500),
                },
            ],
        )
    }

    pub fn decline(incident_id: &str, call: &str, suggested: v1::Route) -> Self {
        let names: Vec<&str> = words::DECLINE_ROUTES.iter().map(|(_, w)| *w).collect();
        let selected = words::DECLINE_ROUTES
            .iter()
            .position(|(r, _)| *r == suggested);
        Self::new(
            FormKind::Decline {
                incident_id: incident_id.to_owned(),
            },
            format!("Decline {call} back to"),
            vec![
                Field {
                    label: "route",
                    input: choice(&names, selected),
                },
                Field {
                    label: "reason",
                    input: text(500),
                },
            ],
        )
    }

    /// The statuses a dispatcher sets by hand (the others follow the team's own keys).
    pub fn team_status(teams: &[String]) -> Self {
        let names: Vec<&str> = teams.iter().map(String::as_str).collect();
        let statuses: Vec<&str> = TEAM_STATUSES.iter().map(|(_, w)| *w).collect();
        Self::new(
            FormKind::TeamStatus,
            "Set a team's status".into(),
            vec![
                Field {
                    label: "team",
                    input: choice(&names, None),
                },
                Field {
                    label: "status",
                    input: choice(&statuses, None),
                },
            ],
        )
    }

    pub fn ack_on_behalf(assignment_id: &str, team: &str, call: &str) -> Self {
        Self::new(
            FormKind::AckOnBehalf {
                assignment_id: assignment_id.to_owned(),
            },
            format!("Acknowledge {call} for {team}"),
            vec![
                Field {
                    label: "heard by",
                    input: choice(&["radio", "phone"], Some(0)),
                },
                Field {
                    label: "note",
                    input: text(500),
                },
            ],
        )
    }

    pub fn attempt(task_id: &str) -> Self {
        Self::new(
            FormKind::Attempt {
                task_id: task_id.to_owned(),
            },
            format!("Record an attempt on {task_id}"),
            vec![
                Field {
                    label: "result",
                    input: choice(&["reached", "no contact", "declined"], None),
                },
                Field {
                    label: "note",
                    input: text(2000),
                },
                Field {
                    label: "referrals made",
                    input: checklist(&referral_names()),
                },
            ],
        )
    }

    pub fn complete(task_id: &str) -> Self {
        Self::new(
            FormKind::Complete {
                task_id: task_id.to_owned(),
            },
            format!("Complete {task_id}"),
            vec![
                Field {
                    label: "outcome",
                    input: choice(&["done", "closed, unreachable", "cancelled"], None),
                },
                Field {
                    label: "measures",
                    input: checklist(&[
                        "connected to services",
                        "housing status improved",
                        "returned to crisis",
                    ]),
                },
                Field {
                    label: "note",
                    input: text(2000),
                },
            ],
        )
    }

    pub fn schedule(task_id: &str) -> Self {
        let names: Vec<&str> = SCHEDULE_CHOICES.iter().map(|(w, _)| *w).collect();
        Self::new(
            FormKind::Schedule {
                task_id: task_id.to_owned(),
            },
            format!("Schedule {task_id}"),
            vec![
                Field {
                    label: "due",
                    input: choice(&names, None),
                },
                Field {
                    label: "assignee (empty: keep)",
                    input: text(100),
                },
            ],
        )
    }

    fn referrals(&self, i: usize) -> Vec<v1::Referral> {
        self.checked(i)
            .into_iter()
            .filter_map(|k| words::REFERRALS.get(k))
            .map(|(category, _)| v1::Referral {
                category: *category as i32,
                status: v1::ReferralStatus::Made as i32,
                note: String::new(),
            })
            .collect()
    }

    pub fn to_command(&self, now_ms: i64, local: &LocalTime) -> Result<Command, String> {
        match &self.kind {
            FormKind::Clear => {
                let d = self.must_choose(0)?;
                let services = self
                    .checked(1)
                    .into_iter()
                    .filter_map(|k| words::SERVICES.get(k))
                    .map(|s| (*s).to_owned())
                    .collect();
                Ok(Command::Clear {
                    disposition: words::DISPOSITIONS[d],
                    encounter: v1::Encounter {
                        notes: self.text(3),
                        services_provided: services,
                        referrals: self.referrals(2),
                        consents_to_follow_up: self.yes(4),
                        person_ref: self.text(5),
                    },
                })
            }
            FormKind::Backup => Ok(Command::RequestBackup {
                urgent: self.yes(0),
                note: self.text(1),
            }),
            FormKind::Decline { incident_id } => {
                let r = self.must_choose(0)?;
                let reason = self.text(1);
                if reason.is_empty() {
                    return Err("reason: say why the call goes back (the CAD hears it)".into());
                }
                Ok(Command::Decline {
                    incident_id: incident_id.clone(),
                    route: words::DECLINE_ROUTES[r].0,
                    reason,
                })
            }
            FormKind::TeamStatus => {
                let t = self.must_choose(0)?;
                let st = self.must_choose(1)?;
                let team_id = match self.fields.first().map(|f| &f.input) {
                    Some(Input::Choice { options, .. }) => options[t].clone(),
                    _ => return Err("team: choose one".into()),
                };
                Ok(Command::SetTeamStatus {
                    team_id,
                    status: TEAM_STATUSES[st].0,
                })
            }
            FormKind::AckOnBehalf { assignment_id } => Ok(Command::AckOnBehalf {
                assignment_id: assignment_id.clone(),
                channel: if self.choice(0) == Some(1) {
                    "phone".into()
                } else {
                    "radio".into()
                },
                note: self.text(1),
            }),
            FormKind::Attempt { task_id } => {
                let r = self.must_choose(0)?;
                let result = [
                    v1::AttemptResult::Reached,
                    v1::AttemptResult::NoContact,
                    v1::AttemptResult::Declined,
                ][r];
                Ok(Command::RecordAttempt {
                    task_id: task_id.clone(),
                    result,
                    note: self.text(1),
                    referrals: self.referrals(2),
                })
            }
            FormKind::Complete { task_id } => {
                let o = self.must_choose(0)?;
                let outcome = [
                    v1::TaskOutcome::Done,
                    v1::TaskOutcome::ClosedUnreachable,
                    v1::TaskOutcome::Cancelled,
                ][o];
                let m = self.checked(1);
                Ok(Command::Complete {
                    task_id: task_id.clone(),
                    outcome,
                    measures: v1::OutcomeMeasures {
                        connected_to_services: m.contains(&0),
                        housing_status_improved: m.contains(&1),
                        returned_to_crisis: m.contains(&2),
                        note: self.text(2),
                    },
                })
            }
            FormKind::Schedule { task_id } => {
                let c = self.must_choose(0)?;
                let due_at_ms = match SCHEDULE_CHOICES[c].1 {
                    Some(hours) => now_ms + hours * 3_600_000,
                    None => local.at_hour(local.day(now_ms) + 1, 9),
                };
                Ok(Command::Schedule {
                    task_id: task_id.clone(),
                    due_at_ms,
                    assignee: self.text(1),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_764_770_400_000;

    fn keys(form: &mut Form, keys: &[FormKey]) -> FormOutcome {
        let mut last = FormOutcome::Editing;
        for k in keys {
            last = form.key(*k, NOW, &LocalTime::pacific());
        }
        last
    }

    fn typed(s: &str) -> Vec<FormKey> {
        s.chars()
            .map(|c| {
                if c == ' ' {
                    FormKey::Toggle
                } else {
                    FormKey::Char(c)
                }
            })
            .collect()
    }

    #[test]
    fn clear_needs_a_disposition_and_carries_the_whole_encounter() {
        use FormKey::*;
        let mut f = Form::clear("C-1");
        assert_eq!(keys(&mut f, &[Submit]), FormOutcome::Editing);
        assert!(f.error.as_deref().unwrap().starts_with("disposition"));
        // Disposition: second choice; services: first; referrals: housing and food.
        let mut k = vec![Right, Right, Next, Toggle, Next, Toggle];
        k.extend([Right; 5]);
        k.extend([Toggle, Next]);
        k.extend(typed("slept at shelter"));
        k.extend([Next, Toggle, Submit]);
        let out = keys(&mut f, &k);
        let FormOutcome::Submitted(Command::Clear {
            disposition,
            encounter,
        }) = out
        else {
            panic!("expected a clear, got {out:?}")
        };
        assert_eq!(disposition, v1::Disposition::ConnectedToServices);
        assert_eq!(encounter.services_provided, vec!["crisis counselling"]);
        let cats: Vec<i32> = encounter.referrals.iter().map(|r| r.category).collect();
        assert_eq!(
            cats,
            vec![
                v1::ResourceCategory::Housing as i32,
                v1::ResourceCategory::Food as i32
            ]
        );
        assert_eq!(encounter.notes, "slept at shelter");
        assert!(encounter.consents_to_follow_up);
    }

    #[test]
    fn escape_cancels_and_backspace_edits() {
        let mut f = Form::decline("inc-1", "C-1", v1::Route::Police);
        let mut k = vec![FormKey::Next];
        k.extend(typed("weapon seenx"));
        k.push(FormKey::Backspace);
        k.push(FormKey::Submit);
        let out = keys(&mut f, &k);
        assert_eq!(
            out,
            FormOutcome::Submitted(Command::Decline {
                incident_id: "inc-1".into(),
                route: v1::Route::Police,
                reason: "weapon seen".into()
            })
        );
        let mut f = Form::backup("C-1");
        assert_eq!(keys(&mut f, &[FormKey::Cancel]), FormOutcome::Cancelled);
    }

    #[test]
    fn a_decline_without_a_reason_is_refused_by_the_form() {
        let mut f = Form::decline("inc-1", "C-1", v1::Route::Police);
        assert_eq!(keys(&mut f, &[FormKey::Submit]), FormOutcome::Editing);
        assert!(f.error.as_deref().unwrap().starts_with("reason"));
    }

    #[test]
    fn schedule_tomorrow_means_nine_local() {
        let mut f = Form::schedule("t1");
        let out = keys(&mut f, &[FormKey::Char('3'), FormKey::Submit]);
        let FormOutcome::Submitted(Command::Schedule { due_at_ms, .. }) = out else {
            panic!("{out:?}")
        };
        let p = LocalTime::pacific();
        assert_eq!(p.hhmm(due_at_ms), "09:00");
        assert_eq!(p.day(due_at_ms), p.day(NOW) + 1);
    }

    #[test]
    fn team_status_needs_a_team_and_a_status() {
        let mut f = Form::team_status(&["PSR-1".into(), "PSR-2".into()]);
        assert_eq!(keys(&mut f, &[FormKey::Submit]), FormOutcome::Editing);
        assert!(f.error.as_deref().unwrap().starts_with("team"));
        let out = keys(
            &mut f,
            &[
                FormKey::Char('2'),
                FormKey::Next,
                FormKey::Char('2'),
                FormKey::Submit,
            ],
        );
        assert_eq!(
            out,
            FormOutcome::Submitted(Command::SetTeamStatus {
                team_id: "PSR-2".into(),
                status: v1::TeamStatus::OutOfService
            })
        );
    }

    #[test]
    fn backup_defaults_to_urgent() {
        let mut f = Form::backup("C-1");
        assert_eq!(
            keys(&mut f, &[FormKey::Submit]),
            FormOutcome::Submitted(Command::RequestBackup {
                urgent: true,
                note: String::new()
            })
        );
    }
}
