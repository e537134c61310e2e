//! Dispatch and Responder requests → the inputs the server turns into core commands.
//!
//! Every request needs a non-blank `command_id` (the client's idempotency key) and the ids it
//! acts on. Checks run in field order, so the first bad field is the one reported. The team a
//! Responder request acts for comes from the caller's token, not from these inputs.

use super::FieldError;
use super::enums::*;
use super::fields::{encounter, geo_point, optional_id, required};
use crate::v1;
use dispatch_core as core;
use dispatch_core::{AssignmentId, IncidentId, TeamId};

/// Dispatch.Assign: give an incident to a team.
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

/// Dispatch.Decline: send an incident back to another service. The route must be chosen;
/// which routes make sense is the core's call.
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

/// Dispatch.AckOnBehalf. An empty channel is passed on as is (the core reads it as "radio").
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

/// Dispatch.SetTeamStatus. Unlike UpdateStatus, the status is the point: UNSPECIFIED is refused.
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
    /// `None`: the request said UNSPECIFIED, the status stays as it is.
    pub status: Option<core::TeamStatus>,
    /// A real position (finite, in range), or refused naming `position.lat` / `.lon`.
    pub position: Option<core::GeoPoint>,
    /// `None` when blank; when given, the server checks it is the caller's own team.
    pub team_id: Option<TeamId>,
}

pub fn update_status_input(r: v1::UpdateStatusRequest) -> Result<UpdateStatusInput, FieldError> {
    let command_id = required("command_id", r.command_id)?;
    let status = if r.status == v1::TeamStatus::Unspecified as i32 {
        None
    } else {
        Some(team_status::from_wire("status", r.status)?)
    };
    Ok(UpdateStatusInput {
        command_id,
        status,
        position: r
            .position
            .map(geo_point)
            .transpose()
            .map_err(|e| e.under("position"))?,
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

/// Responder.Clear: the disposition must be chosen; an absent encounter is an empty one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClearInput {
    pub command_id: String,
    pub disposition: core::Disposition,
    pub encounter: core::Encounter,
}

pub fn clear_input(r: v1::ClearRequest) -> Result<ClearInput, FieldError> {
    Ok(ClearInput {
        command_id: required("command_id", r.command_id)?,
        disposition: disposition::from_wire("disposition", r.disposition)?,
        encounter: encounter(r.encounter.unwrap_or_default()).map_err(|e| e.under("encounter"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::super::samples;
    use super::*;

    fn field<T: std::fmt::Debug>(r: Result<T, FieldError>) -> String {
        r.unwrap_err().field
    }

    #[test]
    fn assign() {
        let ok = v1::AssignRequest {
            command_id: "c1".into(),
            incident_id: "inc-1".into(),
            team_id: "PSR-3".into(),
        };
        assert_eq!(
            assign_input(ok.clone()),
            Ok(AssignInput {
                command_id: "c1".into(),
                incident_id: IncidentId::new("inc-1"),
                team_id: TeamId::new("PSR-3"),
            })
        );
        let e = assign_input(v1::AssignRequest {
            command_id: String::new(),
            ..ok.clone()
        });
        assert_eq!(e, Err(FieldError::required("command_id")));
        let e = assign_input(v1::AssignRequest {
            incident_id: String::new(),
            ..ok.clone()
        });
        assert_eq!(field(e), "incident_id");
        let e = assign_input(v1::AssignRequest {
            team_id: " ".into(),
            ..ok
        });
        assert_eq!(field(e), "team_id");
    }

    #[test]
    fn decline() {
        let ok = v1::DeclineRequest {
            command_id: "c1".into(),
            incident_id: "inc-1".into(),
            route: v1::Route::Police as i32,
            reason: "weapon".into(),
        };
        assert_eq!(
            decline_input(ok.clone()),
            Ok(DeclineInput {
                command_id: "c1".into(),
                incident_id: IncidentId::new("inc-1"),
                route: core::Route::Police,
                reason: "weapon".into(),
            })
        );
        let no_route = v1::DeclineRequest {
            route: 0,
            ..ok.clone()
        };
        assert_eq!(decline_input(no_route), Err(FieldError::required("route")));
        let bad_route = v1::DeclineRequest { route: 99, ..ok };
        assert_eq!(field(decline_input(bad_route)), "route");
        let no_command = v1::DeclineRequest::default();
        assert_eq!(field(decline_input(no_command)), "command_id");
    }

    #[test]
    fn ack_on_behalf_and_acknowledge() {
        let ok = v1::AckOnBehalfRequest {
            command_id: "c1".into(),
            assignment_id: "asg-1".into(),
            channel: String::new(),
            note: "by phone".into(),
        };
        assert_eq!(
            ack_on_behalf_input(ok.clone()),
            Ok(AckOnBehalfInput {
                command_id: "c1".into(),
                assignment_id: AssignmentId::new("asg-1"),
                channel: String::new(),
                note: "by phone".into(),
            })
        );
        let e = ack_on_behalf_input(v1::AckOnBehalfRequest {
            assignment_id: String::new(),
            ..ok
        });
        assert_eq!(field(e), "assignment_id");

        let ok = v1::AcknowledgeRequest {
            command_id: "c2".into(),
            assignment_id: "asg-1".into(),
        };
        assert_eq!(
            acknowledge_input(ok.clone()),
            Ok(AcknowledgeInput {
                command_id: "c2".into(),
                assignment_id: AssignmentId::new("asg-1"),
            })
        );
        let e = acknowledge_input(v1::AcknowledgeRequest {
            command_id: String::new(),
            ..ok.clone()
        });
        assert_eq!(field(e), "command_id");
        let e = acknowledge_input(v1::AcknowledgeRequest {
            assignment_id: String::new(),
            ..ok
        });
        assert_eq!(field(e), "assignment_id");
    }

    #[test]
    fn set_team_status_requires_a_status() {
        let ok = v1::SetTeamStatusRequest {
            command_id: "c1".into(),
            team_id: "PSR-3".into(),
            status: v1::TeamStatus::OutOfService as i32,
        };
        assert_eq!(
            set_team_status_input(ok.clone()),
            Ok(SetTeamStatusInput {
                command_id: "c1".into(),
                team_id: TeamId::new("PSR-3"),
                status: core::TeamStatus::OutOfService,
            })
        );
        let e = set_team_status_input(v1::SetTeamStatusRequest {
            status: 0,
            ..ok.clone()
        });
        assert_eq!(e, Err(FieldError::required("status")));
        let e = set_team_status_input(v1::SetTeamStatusRequest {
            team_id: String::new(),
            ..ok
        });
        assert_eq!(field(e), "team_id");
    }

    #[test]
    fn update_status_leaves_unspecified_alone() {
        let u = update_status_input(v1::UpdateStatusRequest {
            command_id: "c1".into(),
            status: 0,
            position: None,
            team_id: " ".into(),
        })
        .unwrap();
        assert_eq!(u.command_id, "c1");
        assert_eq!(u.status, None);
        assert_eq!(u.position, None);
        assert_eq!(u.team_id, None);

        let e = update_status_input(v1::UpdateStatusRequest {
            command_id: "c1".into(),
            status: 0,
            position: Some(v1::GeoPoint {
                lat: f64::NAN,
                lon: 500.0,
            }),
            team_id: String::new(),
        })
        .unwrap_err();
        assert_eq!(e.field, "position.lat");

        let u = update_status_input(v1::UpdateStatusRequest {
            command_id: "c1".into(),
            status: v1::TeamStatus::EnRoute as i32,
            position: None,
            team_id: "PSR-3".into(),
        })
        .unwrap();
        assert_eq!(u.status, Some(core::TeamStatus::EnRoute));
        assert_eq!(u.position, None);
        assert_eq!(u.team_id, Some(TeamId::new("PSR-3")));

        let e = update_status_input(v1::UpdateStatusRequest {
            command_id: "c1".into(),
            status: 42,
            ..Default::default()
        });
        assert_eq!(field(e), "status");
        let e = update_status_input(v1::UpdateStatusRequest::default());
        assert_eq!(field(e), "command_id");
    }

    #[test]
    fn backup() {
        let ok = v1::BackupRequest {
            command_id: "c1".into(),
            urgent: true,
            note: "crowd".into(),
        };
        assert_eq!(
            backup_input(ok.clone()),
            Ok(BackupInput {
                command_id: "c1".into(),
                urgent: true,
                note: "crowd".into(),
            })
        );
        let e = backup_input(v1::BackupRequest {
            command_id: String::new(),
            ..ok
        });
        assert_eq!(field(e), "command_id");
    }

    #[test]
    fn clear() {
        let ok = v1::ClearRequest {
            command_id: "c1".into(),
            disposition: v1::Disposition::ConnectedToServices as i32,
            encounter: Some((&samples::encounter()).into()),
        };
        assert_eq!(
            clear_input(ok.clone()),
            Ok(ClearInput {
                command_id: "c1".into(),
                disposition: core::Disposition::ConnectedToServices,
                encounter: samples::encounter(),
            })
        );
        let no_encounter = v1::ClearRequest {
            encounter: None,
            ..ok.clone()
        };
        assert_eq!(
            clear_input(no_encounter).unwrap().encounter,
            core::Encounter::default()
        );
        let no_disposition = v1::ClearRequest {
            disposition: 0,
            ..ok.clone()
        };
        assert_eq!(
            clear_input(no_disposition),
            Err(FieldError::required("disposition"))
        );
        let bad_referral = v1::ClearRequest {
            encounter: Some(v1::Encounter {
                referrals: vec![v1::Referral::default()],
                ..Default::default()
            }),
            ..ok.clone()
        };
        assert_eq!(
            clear_input(bad_referral),
            Err(FieldError::required("encounter.referrals[0].category"))
        );
        let e = clear_input(v1::ClearRequest {
            command_id: String::new(),
            ..ok
        });
        assert_eq!(field(e), "command_id");
    }
}
