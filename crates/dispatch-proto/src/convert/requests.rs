//! Wire requests → core inputs, with the checks the wire cannot make.

use super::enums::*;
use super::{FieldError, from_proto_time};
use crate::v1;
use dispatch_core as core;
use dispatch_core::{AssignmentId, Command, IncidentId, PeerId, TaskId, TeamId, Timestamp};

/// The idempotency key of a CAD event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CadKey {
    pub source: String,
    pub event_id: String,
}

fn required(field: &str, value: String) -> Result<String, FieldError> {
    if value.trim().is_empty() {
        Err(FieldError::required(field))
    } else {
        Ok(value)
    }
}

fn optional_id(value: String) -> Option<String> {
    (!value.trim().is_empty()).then_some(value)
}

fn flags(f: &v1::SafetyFlags) -> Result<core::SafetyFlags, FieldError> {
    Ok(core::SafetyFlags {
        weapon: answer::from_wire("flags.weapon", f.weapon)?,
        violence: answer::from_wire("flags.violence", f.violence)?,
        medical: answer::from_wire("flags.medical", f.medical)?,
        fire: answer::from_wire("flags.fire", f.fire)?,
        traffic: answer::from_wire("flags.traffic", f.traffic)?,
        suicidal: answer::from_wire("flags.suicidal", f.suicidal)?,
    })
}

/// Ranges are the core's to check; here only "both or neither".
fn location(l: v1::Location) -> Result<core::Location, FieldError> {
    let point = match (l.lat, l.lon) {
        (Some(lat), Some(lon)) => Some(core::GeoPoint { lat, lon }),
        (None, None) => None,
        (Some(_), None) => {
            return Err(FieldError::new(
                "location.lon",
                "is required when lat is given",
            ));
        }
        (None, Some(_)) => {
            return Err(FieldError::new(
                "location.lat",
                "is required when lon is given",
            ));
        }
    };
    Ok(core::Location {
        address: l.address,
        point,
        place_type: place_type::from_wire("location.place_type", l.place_type)?,
        cross_streets: l.cross_streets,
        beat: l.beat,
    })
}

fn caller(c: v1::Caller) -> core::Caller {
    core::Caller {
        name: c.name,
        callback: c.callback,
    }
}

fn referrals(field: &str, list: Vec<v1::Referral>) -> Result<Vec<core::Referral>, FieldError> {
    list.into_iter()
        .enumerate()
        .map(|(i, r)| {
            Ok(core::Referral {
                category: resource_category::from_wire(
                    &format!("{field}[{i}].category"),
                    r.category,
                )?,
                status: referral_status::from_wire(&format!("{field}[{i}].status"), r.status)?,
                note: r.note,
            })
        })
        .collect()
}

/// A CAD event as the core command it carries. `new_incident_id` names the incident if the
/// event creates one.
pub fn cad_event_to_command(
    ev: v1::CadEvent,
    new_incident_id: IncidentId,
) -> Result<(CadKey, Command), FieldError> {
    use v1::cad_event::Kind;
    let source = required("source", ev.source)?;
    let event_id = required("event_id", ev.event_id)?;
    let call_number = required("call_number", ev.call_number)?;
    let occurred_at = ev
        .occurred_at
        .as_ref()
        .map(|t| from_proto_time("occurred_at", t))
        .transpose()?;
    let kind = ev.kind.ok_or_else(|| {
        FieldError::new(
            "kind",
            "one of created, updated, narrative, closed, cancelled is required",
        )
    })?;
    let key = CadKey {
        source: source.clone(),
        event_id,
    };
    let command = match kind {
        Kind::Created(c) => {
            let at = occurred_at.unwrap_or(Timestamp(0));
            Command::CallCreated {
                source,
                call_number,
                incident_id: new_incident_id,
                details: core::CallDetails {
                    nature_code: c.nature_code,
                    nature_text: c.nature_text,
                    cad_priority: c.cad_priority,
                    location: c
                        .location
                        .map(location)
                        .transpose()
                        .map_err(|e| e.under("created"))?
                        .unwrap_or_default(),
                    narrative: c
                        .narrative
                        .into_iter()
                        .map(|text| core::NarrativeLine { at, text })
                        .collect(),
                    caller: c.caller.map(caller).unwrap_or_default(),
                    caller_language: c.caller_language,
                    flags: c
                        .flags
                        .as_ref()
                        .map(flags)
                        .transpose()
                        .map_err(|e| e.under("created"))?
                        .unwrap_or_default(),
                },
            }
        }
        Kind::Updated(u) => Command::CallUpdated {
            source,
            call_number,
            changes: core::CallChanges {
                nature_code: u.nature_code,
                nature_text: u.nature_text,
                cad_priority: u.cad_priority,
                location: u
                    .location
                    .map(location)
                    .transpose()
                    .map_err(|e| e.under("updated"))?,
                caller: u.caller.map(caller),
                caller_language: u.caller_language,
                flags: u
                    .flags
                    .as_ref()
                    .map(flags)
                    .transpose()
                    .map_err(|e| e.under("updated"))?,
            },
        },
        Kind::Narrative(n) => Command::NarrativeAppended {
            source,
            call_number,
            lines: n.lines,
        },
        Kind::Closed(c) => Command::CallClosed {
            source,
            call_number,
            reason: c.reason,
        },
        Kind::Cancelled(c) => Command::CallCancelled {
            source,
            call_number,
            reason: c.reason,
        },
    };
    Ok((key, command))
}

/// Dispatch.Assign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignInput {
    pub command_id: String,
    pub incident_id: IncidentId,
    pub team_id: TeamId,
}

pub fn assign_input(r: v1::AssignRequest) -> Result<AssignInput, FieldError> {
    Ok(AssignInput {
        command_id: required("command_id", r.command_id)?,
        incident_id: IncidentId(required("incident_id", r.incident_id)?),
        team_id: TeamId(required("team_id", r.team_id)?),
    })
}

/// Dispatch.Decline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclineInput {
    pub command_id: String,
    pub incident_id: IncidentId,
    pub route: core::Route,
    pub reason: String,
}

pub fn decline_input(r: v1::DeclineRequest) -> Result<DeclineInput, FieldError> {
    Ok(DeclineInput {
        command_id: required("command_id", r.command_id)?,
        incident_id: IncidentId(required("incident_id", r.incident_id)?),
        route: route::from_wire("route", r.route)?,
        reason: r.reason,
    })
}

/// Dispatch.AckOnBehalf.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AckOnBehalfInput {
    pub command_id: String,
    pub assignment_id: AssignmentId,
    pub channel: String,
    pub note: String,
}

pub fn ack_on_behalf_input(r: v1::AckOnBehalfRequest) -> Result<AckOnBehalfInput, FieldError> {
    Ok(AckOnBehalfInput {
        command_id: required("command_id", r.command_id)?,
        assignment_id: AssignmentId(required("assignment_id", r.assignment_id)?),
        channel: r.channel,
        note: r.note,
    })
}

/// Dispatch.SetTeamStatus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetTeamStatusInput {
    pub command_id: String,
    pub team_id: TeamId,
    pub status: core::TeamStatus,
}

pub fn set_team_status_input(
    r: v1::SetTeamStatusRequest,
) -> Result<SetTeamStatusInput, FieldError> {
    Ok(SetTeamStatusInput {
        command_id: required("command_id", r.command_id)?,
        team_id: TeamId(required("team_id", r.team_id)?),
        status: team_status::from_wire("status", r.status)?,
    })
}

/// Responder.Acknowledge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcknowledgeInput {
    pub command_id: String,
    pub assignment_id: AssignmentId,
}

pub fn acknowledge_input(r: v1::AcknowledgeRequest) -> Result<AcknowledgeInput, FieldError> {
    Ok(AcknowledgeInput {
        command_id: required("command_id", r.command_id)?,
        assignment_id: AssignmentId(required("assignment_id", r.assignment_id)?),
    })
}

/// Responder.UpdateStatus: a status change, a position report, or both.
#[derive(Clone, Debug, PartialEq)]
pub struct UpdateStatusInput {
    pub command_id: String,
    pub status: Option<core::TeamStatus>,
    pub position: Option<core::GeoPoint>,
    pub team_id: Option<TeamId>,
}

pub fn update_status_input(r: v1::UpdateStatusRequest) -> Result<UpdateStatusInput, FieldError> {
    let status = match r.status {
        0 => None,
        s => Some(team_status::from_wire("status", s)?),
    };
    Ok(UpdateStatusInput {
        command_id: required("command_id", r.command_id)?,
        status,
        position: r.position.map(|p| core::GeoPoint {
            lat: p.lat,
            lon: p.lon,
        }),
        team_id: optional_id(r.team_id).map(TeamId),
    })
}

/// Responder.RequestBackup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupInput {
    pub command_id: String,
    pub urgent: bool,
    pub note: String,
}

pub fn backup_input(r: v1::BackupRequest) -> Result<BackupInput, FieldError> {
    Ok(BackupInput {
        command_id: required("command_id", r.command_id)?,
        urgent: r.urgent,
        note: r.note,
    })
}

/// Responder.Clear.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClearInput {
    pub command_id: String,
    pub disposition: core::Disposition,
    pub encounter: core::Encounter,
}

pub fn clear_input(r: v1::ClearRequest) -> Result<ClearInput, FieldError> {
    let e = r.encounter.unwrap_or_default();
    Ok(ClearInput {
        command_id: required("command_id", r.command_id)?,
        disposition: disposition::from_wire("disposition", r.disposition)?,
        encounter: core::Encounter {
            notes: e.notes,
            services_provided: e.services_provided,
            referrals: referrals("encounter.referrals", e.referrals)?,
            consents_to_follow_up: e.consents_to_follow_up,
        },
    })
}

/// FollowUps.Schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduleInput {
    pub command_id: String,
    pub task_id: TaskId,
    pub due_at: Timestamp,
    pub assignee: Option<PeerId>,
}

pub fn schedule_input(r: v1::ScheduleRequest) -> Result<ScheduleInput, FieldError> {
    let due_at = r
        .due_at
        .as_ref()
        .ok_or_else(|| FieldError::required("due_at"))?;
    Ok(ScheduleInput {
        command_id: required("command_id", r.command_id)?,
        task_id: TaskId(required("task_id", r.task_id)?),
        due_at: from_proto_time("due_at", due_at)?,
        assignee: optional_id(r.assignee).map(PeerId),
    })
}

/// FollowUps.RecordAttempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttemptInput {
    pub command_id: String,
    pub task_id: TaskId,
    pub result: core::AttemptResult,
    pub note: String,
    pub referrals: Vec<core::Referral>,
}

pub fn attempt_input(r: v1::AttemptRequest) -> Result<AttemptInput, FieldError> {
    Ok(AttemptInput {
        command_id: required("command_id", r.command_id)?,
        task_id: TaskId(required("task_id", r.task_id)?),
        result: attempt_result::from_wire("result", r.result)?,
        note: r.note,
        referrals: referrals("referrals", r.referrals)?,
    })
}

/// FollowUps.Complete.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompleteInput {
    pub command_id: String,
    pub task_id: TaskId,
    pub outcome: core::TaskOutcome,
    pub measures: core::OutcomeMeasures,
}

pub fn complete_input(r: v1::CompleteRequest) -> Result<CompleteInput, FieldError> {
    let m = r.measures.unwrap_or_default();
    Ok(CompleteInput {
        command_id: required("command_id", r.command_id)?,
        task_id: TaskId(required("task_id", r.task_id)?),
        outcome: task_outcome::from_wire("outcome", r.outcome)?,
        measures: core::OutcomeMeasures {
            connected_to_services: m.connected_to_services,
            housing_status_improved: m.housing_status_improved,
            returned_to_crisis: m.returned_to_crisis,
            note: m.note,
        },
    })
}

/// FollowUps.Create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateFollowUpInput {
    pub command_id: String,
    pub incident_id: IncidentId,
    pub kind: core::FollowUpKind,
    pub due_at: Timestamp,
    pub assignee: Option<PeerId>,
}

pub fn create_follow_up_input(
    r: v1::CreateFollowUpRequest,
) -> Result<CreateFollowUpInput, FieldError> {
    let due_at = r
        .due_at
        .as_ref()
        .ok_or_else(|| FieldError::required("due_at"))?;
    Ok(CreateFollowUpInput {
        command_id: required("command_id", r.command_id)?,
        incident_id: IncidentId(required("incident_id", r.incident_id)?),
        kind: follow_up_kind::from_wire("kind", r.kind)?,
        due_at: from_proto_time("due_at", due_at)?,
        assignee: optional_id(r.assignee).map(PeerId),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn created() -> v1::CadEvent {
        v1::CadEvent {
            source: "cad".into(),
            event_id: "e1".into(),
            call_number: "C1".into(),
            occurred_at: None,
            kind: Some(v1::cad_event::Kind::Created(v1::CallCreated {
                location: Some(v1::Location {
                    lat: Some(45.5),
                    lon: Some(-122.6),
                    ..Default::default()
                }),
                flags: Some(v1::SafetyFlags {
                    weapon: v1::Answer::Yes as i32,
                    ..Default::default()
                }),
                narrative: vec!["RP STS".into()],
                ..Default::default()
            })),
        }
    }

    #[test]
    fn a_created_event_becomes_call_created() {
        let (key, cmd) = cad_event_to_command(created(), IncidentId::new("i1")).unwrap();
        assert_eq!(
            key,
            CadKey {
                source: "cad".into(),
                event_id: "e1".into()
            }
        );
        let Command::CallCreated {
            details,
            incident_id,
            ..
        } = cmd
        else {
            panic!("{cmd:?}")
        };
        assert_eq!(incident_id, IncidentId::new("i1"));
        assert_eq!(details.flags.weapon, core::Answer::Yes);
        assert_eq!(details.flags.fire, core::Answer::Unknown);
        assert_eq!(
            details.location.point,
            Some(core::GeoPoint {
                lat: 45.5,
                lon: -122.6
            })
        );
        assert_eq!(details.narrative[0].text, "RP STS");
    }

    #[test]
    fn missing_and_malformed_fields_are_named() {
        let field = |ev: v1::CadEvent| {
            cad_event_to_command(ev, IncidentId::new("i"))
                .unwrap_err()
                .field
        };
        let mut e = created();
        e.source = " ".into();
        assert_eq!(field(e), "source");
        let mut e = created();
        e.event_id.clear();
        assert_eq!(field(e), "event_id");
        let mut e = created();
        e.kind = None;
        assert_eq!(field(e), "kind");
        let mut e = created();
        if let Some(v1::cad_event::Kind::Created(c)) = &mut e.kind {
            c.location.as_mut().unwrap().lon = None;
        }
        assert_eq!(field(e), "created.location.lon");
        let mut e = created();
        if let Some(v1::cad_event::Kind::Created(c)) = &mut e.kind {
            c.flags.as_mut().unwrap().medical = 7;
        }
        assert_eq!(field(e), "created.flags.medical");
    }

    #[test]
    fn requests_need_command_ids_and_real_choices() {
        let e = assign_input(v1::AssignRequest {
            command_id: String::new(),
            incident_id: "i".into(),
            team_id: "t".into(),
        });
        assert_eq!(e.unwrap_err().field, "command_id");
        let e = clear_input(v1::ClearRequest {
            command_id: "c".into(),
            disposition: 0,
            encounter: None,
        });
        assert_eq!(e.unwrap_err().field, "disposition");
        let e = clear_input(v1::ClearRequest {
            command_id: "c".into(),
            disposition: v1::Disposition::Transported as i32,
            encounter: Some(v1::Encounter {
                referrals: vec![v1::Referral::default()],
                ..Default::default()
            }),
        });
        assert_eq!(e.unwrap_err().field, "encounter.referrals[0].category");
        let u = update_status_input(v1::UpdateStatusRequest {
            command_id: "c".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(u.status, None, "UNSPECIFIED leaves the status alone");
        let e = schedule_input(v1::ScheduleRequest {
            command_id: "c".into(),
            task_id: "t".into(),
            ..Default::default()
        });
        assert_eq!(e.unwrap_err().field, "due_at");
    }
}
