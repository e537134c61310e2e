//! Journal events → what the CAD hears back (`CadUpdate`), for the events a CAD cares about.

use super::enums::*;
use super::to_proto_time;
use crate::v1;
use crate::v1::cad_update::Kind;
use dispatch_core::{AckedBy, Event, Timestamp};

/// The update for the CAD, if the event is one it hears about: an assignment, an
/// acknowledgement, a status change of a team on an incident, a backup request, a decline, a
/// clearance. `incident_id` is filled from the event; `source` and `call_number` are left empty
/// for the caller, who knows the incident's call.
pub fn cad_update(seq: u64, at: Timestamp, event: &Event) -> Option<v1::CadUpdate> {
    let kind = match event {
        Event::AssignmentMade { assignment, .. } => Kind::Assigned(v1::UnitAssigned {
            team_id: assignment.team_id.to_string(),
        }),
        Event::AssignmentAcknowledged { team_id, ack, .. } => {
            Kind::Acknowledged(v1::UnitAcknowledged {
                team_id: team_id.to_string(),
                by_dispatcher: matches!(ack.by, AckedBy::Dispatcher { .. }),
            })
        }
        Event::TeamStatusChanged {
            team_id,
            status,
            incident_id: Some(_),
        } => Kind::Status(v1::UnitStatus {
            team_id: team_id.to_string(),
            status: team_status::to_wire(*status),
        }),
        Event::BackupRequested {
            team_id,
            urgent,
            note,
            ..
        } => Kind::Backup(v1::UnitBackupRequest {
            team_id: team_id.to_string(),
            urgent: *urgent,
            note: note.clone(),
        }),
        Event::IncidentDeclined {
            route: r, reason, ..
        } => Kind::Declined(v1::CallDeclined {
            route: route::to_wire(*r),
            reason: reason.clone(),
        }),
        Event::IncidentCleared {
            team_id,
            disposition: d,
            ..
        } => Kind::Disposition(v1::CallDisposition {
            team_id: team_id.to_string(),
            disposition: disposition::to_wire(*d),
        }),
        _ => return None,
    };
    Some(v1::CadUpdate {
        seq,
        at: Some(to_proto_time(at)),
        source: String::new(),
        call_number: String::new(),
        incident_id: event
            .audience()
            .incident_id
            .map(ToString::to_string)
            .unwrap_or_default(),
        kind: Some(kind),
    })
}

#[cfg(test)]
mod tests {
    use super::super::samples;
    use super::*;
    use dispatch_core::{IncidentId, TeamId, TeamStatus};

    fn update(name: &str) -> Option<v1::CadUpdate> {
        cad_update(7, Timestamp(1_000), &samples::event(name))
    }

    #[test]
    fn only_what_the_cad_cares_about_goes_back() {
        let heard = [
            "assignment_made",
            "assignment_acknowledged",
            "backup_requested",
            "incident_declined",
            "incident_cleared",
        ];
        for event in samples::every_event() {
            let got = cad_update(7, Timestamp(1_000), &event);
            // The sample team status change is off any incident: nothing for the CAD.
            assert_eq!(
                got.is_some(),
                heard.contains(&event.name()),
                "{}",
                event.name()
            );
            if let Some(u) = got {
                assert_eq!((u.seq, u.at), (7, Some(to_proto_time(Timestamp(1_000)))));
                assert_eq!(u.incident_id, "inc-1");
                assert_eq!((u.source.as_str(), u.call_number.as_str()), ("", ""));
            }
        }
    }

    #[test]
    fn each_update_carries_its_fields() {
        let kind = |name| update(name).unwrap().kind.unwrap();
        assert_eq!(
            kind("assignment_made"),
            Kind::Assigned(v1::UnitAssigned {
                team_id: "PSR-3".into()
            })
        );
        assert_eq!(
            kind("assignment_acknowledged"),
            Kind::Acknowledged(v1::UnitAcknowledged {
                team_id: "PSR-3".into(),
                by_dispatcher: true
            })
        );
        assert_eq!(
            kind("backup_requested"),
            Kind::Backup(v1::UnitBackupRequest {
                team_id: "PSR-3".into(),
                urgent: true,
                note: "crowd".into()
            })
        );
        assert_eq!(
            kind("incident_declined"),
            Kind::Declined(v1::CallDeclined {
                route: v1::Route::Ems as i32,
                reason: "medical".into()
            })
        );
        assert_eq!(
            kind("incident_cleared"),
            Kind::Disposition(v1::CallDisposition {
                team_id: "PSR-3".into(),
                disposition: v1::Disposition::HandedToPolice as i32
            })
        );
        let on_incident = Event::TeamStatusChanged {
            team_id: TeamId::new("PSR-3"),
            status: TeamStatus::OnScene,
            incident_id: Some(IncidentId::new("inc-1")),
        };
        let u = cad_update(8, Timestamp(0), &on_incident).unwrap();
        assert_eq!(u.incident_id, "inc-1");
        assert_eq!(
            u.kind,
            Some(Kind::Status(v1::UnitStatus {
                team_id: "PSR-3".into(),
                status: v1::TeamStatus::OnScene as i32
            }))
        );
    }
}
