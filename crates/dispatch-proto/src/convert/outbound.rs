//! Journal events → what the CAD hears back (`CadUpdate`), for the events a CAD cares about.

use super::enums::*;
use super::to_proto_time;
use crate::v1;
use crate::v1::cad_update::Kind;
use dispatch_core::{AckedBy, Event, Timestamp};

/// The update for the CAD, if the event is one it hears about. `source`, `call_number` and
/// `incident_id` of the call are filled in by the caller.
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
