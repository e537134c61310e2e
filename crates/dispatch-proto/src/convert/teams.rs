//! Core teams, assignments, acknowledgements and recommendations → wire messages.

use super::enums::*;
use super::{opt_id, to_proto_time};
use crate::v1;
use dispatch_core as core;

impl From<&core::Member> for v1::Member {
    fn from(m: &core::Member) -> Self {
        v1::Member {
            name: m.name.clone(),
            role: member_role::to_wire(m.role),
            peer_id: opt_id(&m.peer_id),
        }
    }
}

/// `last_cleared_at` stays inside: the wire has no field for it (recommendation uses it).
impl From<&core::Team> for v1::Team {
    fn from(t: &core::Team) -> Self {
        v1::Team {
            id: t.id.to_string(),
            members: t.members.iter().map(Into::into).collect(),
            languages: t.languages.clone(),
            position: t.position.as_ref().map(Into::into),
            status: team_status::to_wire(t.status),
            status_since: Some(to_proto_time(t.status_since)),
            incident_id: opt_id(&t.incident_id),
            assignment_id: opt_id(&t.assignment_id),
            check_in_due: t.check_in.map(|c| to_proto_time(c.due)),
            check_in_requested: t.check_in.is_some_and(|c| c.requested),
        }
    }
}

impl From<&core::Ack> for v1::Ack {
    fn from(a: &core::Ack) -> Self {
        let at = Some(to_proto_time(a.at));
        match &a.by {
            core::AckedBy::Team => v1::Ack {
                at,
                by_dispatcher: false,
                channel: String::new(),
                note: String::new(),
            },
            core::AckedBy::Dispatcher { channel, note } => v1::Ack {
                at,
                by_dispatcher: true,
                channel: channel.clone(),
                note: note.clone(),
            },
        }
    }
}

impl From<&core::Assignment> for v1::Assignment {
    fn from(a: &core::Assignment) -> Self {
        v1::Assignment {
            id: a.id.to_string(),
            incident_id: a.incident_id.to_string(),
            team_id: a.team_id.to_string(),
            assigned_at: Some(to_proto_time(a.assigned_at)),
            ack_deadline: a.ack_deadline.map(to_proto_time),
            repushes: a.repushes,
            escalated: a.escalated,
            ack: a.ack.as_ref().map(Into::into),
            status: assignment_status::to_wire(a.status),
            automatic: a.automatic,
        }
    }
}

impl From<&core::recommend::Recommendation> for v1::TeamRecommendation {
    fn from(r: &core::recommend::Recommendation) -> Self {
        v1::TeamRecommendation {
            team_id: r.team_id.to_string(),
            distance_m: r.distance_m,
            eta_minutes: r.eta_minutes,
            language_match: r.language_match,
            fully_staffed: r.fully_staffed,
            score: r.score,
            reasons: r.reasons.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::samples;
    use super::*;
    use dispatch_core::Timestamp;

    fn t(ms: i64) -> Option<prost_types::Timestamp> {
        Some(to_proto_time(Timestamp(ms)))
    }

    #[test]
    fn a_team_carries_members_position_and_check_in() {
        let wire = v1::Team::from(&samples::team());
        assert_eq!(wire.id, "PSR-3");
        assert_eq!(
            wire.members,
            [
                v1::Member {
                    name: "Ana".into(),
                    role: v1::MemberRole::Clinician as i32,
                    peer_id: String::new()
                },
                v1::Member {
                    name: "Bo".into(),
                    role: v1::MemberRole::Peer as i32,
                    peer_id: "peer-bo".into()
                },
            ]
        );
        assert_eq!(wire.languages, ["en", "es"]);
        assert_eq!(
            wire.position,
            Some(v1::GeoPoint {
                lat: 45.52,
                lon: -122.68
            })
        );
        assert_eq!(wire.status, v1::TeamStatus::OnScene as i32);
        assert_eq!(wire.status_since, t(5_000));
        assert_eq!(
            (wire.incident_id.as_str(), wire.assignment_id.as_str()),
            ("inc-1", "asg-1")
        );
        assert_eq!(wire.check_in_due, t(7_000));
        assert!(wire.check_in_requested);

        let idle = core::Team {
            position: None,
            incident_id: None,
            assignment_id: None,
            check_in: None,
            ..samples::team()
        };
        let wire = v1::Team::from(&idle);
        assert_eq!(wire.position, None);
        assert_eq!(
            (wire.incident_id.as_str(), wire.assignment_id.as_str()),
            ("", "")
        );
        assert_eq!(wire.check_in_due, None);
        assert!(!wire.check_in_requested);
    }

    #[test]
    fn an_ack_says_who_gave_it() {
        let by_team = core::Ack {
            at: Timestamp(3_000),
            by: core::AckedBy::Team,
        };
        assert_eq!(
            v1::Ack::from(&by_team),
            v1::Ack {
                at: t(3_000),
                by_dispatcher: false,
                channel: String::new(),
                note: String::new()
            }
        );
        assert_eq!(
            v1::Ack::from(&samples::dispatcher_ack()),
            v1::Ack {
                at: t(3_000),
                by_dispatcher: true,
                channel: "phone".into(),
                note: "heard them".into()
            }
        );
    }

    #[test]
    fn an_assignment_carries_every_field() {
        let wire = v1::Assignment::from(&samples::assignment());
        assert_eq!(
            (
                wire.id.as_str(),
                wire.incident_id.as_str(),
                wire.team_id.as_str()
            ),
            ("asg-1", "inc-1", "PSR-3")
        );
        assert_eq!(wire.assigned_at, t(2_500));
        assert_eq!(wire.ack_deadline, t(2_800));
        assert_eq!(wire.repushes, 1);
        assert!(wire.escalated && wire.automatic);
        assert!(wire.ack.unwrap().by_dispatcher);
        assert_eq!(wire.status, v1::AssignmentStatus::Acknowledged as i32);

        let fresh = core::Assignment {
            ack_deadline: None,
            ack: None,
            ..samples::assignment()
        };
        let wire = v1::Assignment::from(&fresh);
        assert_eq!((wire.ack_deadline, wire.ack), (None, None));
    }

    #[test]
    fn a_recommendation_keeps_unknown_distances_unknown() {
        let r = core::recommend::Recommendation {
            team_id: core::TeamId::new("PSR-1"),
            distance_m: None,
            eta_minutes: Some(4.5),
            language_match: true,
            fully_staffed: false,
            score: 9.5,
            reasons: vec!["missing EMT".into()],
        };
        assert_eq!(
            v1::TeamRecommendation::from(&r),
            v1::TeamRecommendation {
                team_id: "PSR-1".into(),
                distance_m: None,
                eta_minutes: Some(4.5),
                language_match: true,
                fully_staffed: false,
                score: 9.5,
                reasons: vec!["missing EMT".into()],
            }
        );
    }
}
