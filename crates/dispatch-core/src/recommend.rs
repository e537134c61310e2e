//! Team recommendation: rank available teams for an incident by estimated travel time,
//! language match, staffing and rest since the last call, and say why. Travel time is behind
//! the [`TravelTime`] trait, so a road-network router can replace the straight line.

use crate::area::ServiceArea;
use crate::ids::TeamId;
use crate::model::{Decision, GeoPoint, Incident, IncidentStatus, Team, TeamStatus};
use crate::rejection::Rejection;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Minutes from one point to another, or `None` when unknown.
pub trait TravelTime {
    fn minutes(&self, from: GeoPoint, to: GeoPoint) -> Option<f64>;
}

/// Straight-line distance over an average speed (per area where configured).
pub struct StraightLine<'a>(pub &'a RecommendConfig);

impl TravelTime for StraightLine<'_> {
    fn minutes(&self, from: GeoPoint, to: GeoPoint) -> Option<f64> {
        let speed = self
            .0
            .speed_areas
            .iter()
            .find(|a| a.area.contains(to))
            .map_or(self.0.speed_kmh, |a| a.speed_kmh);
        Some(from.distance_m(&to) / 1000.0 / speed.max(1.0) * 60.0)
    }
}

/// A different average speed where the incident is (downtown grid, bridges, hills).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeedArea {
    pub name: String,
    pub area: ServiceArea,
    pub speed_kmh: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecommendConfig {
    /// Average speed in town, for the straight-line ETA.
    pub speed_kmh: f64,
    /// Minutes added to a team that does not speak the caller's language.
    pub language_penalty_min: f64,
    /// Minutes added to a team missing one of clinician, EMT, peer.
    pub staffing_penalty_min: f64,
    /// Speeds for parts of the city, checked in order before `speed_kmh`.
    pub speed_areas: Vec<SpeedArea>,
    /// A team that cleared a call less than this many minutes ago gets a penalty of the
    /// remaining minutes, so a team that just finished a hard call is not sent straight out.
    pub rest_min: f64,
}

impl Default for RecommendConfig {
    fn default() -> Self {
        Self {
            speed_kmh: 30.0,
            language_penalty_min: 10.0,
            staffing_penalty_min: 5.0,
            speed_areas: Vec::new(),
            rest_min: 10.0,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    pub team_id: TeamId,
    /// Straight-line distance; `None` when the team or the incident has no position.
    pub distance_m: Option<f64>,
    pub eta_minutes: Option<f64>,
    pub language_match: bool,
    pub fully_staffed: bool,
    /// Lower is better.
    pub score: f64,
    pub reasons: Vec<String>,
}

/// Why no team is ranked for a call, when none is: it is closed, not triaged yet, or triage
/// says it is not for the crisis team (the rule `Assign` follows too). A call for review is
/// ranked: the dispatcher decides it.
pub fn why_not_ranked(incident: &Incident) -> Option<Rejection> {
    let reason = match (&incident.triage, incident.status) {
        (_, s) if s.is_closed() => format!("is {} and needs no team", closed_words(s)),
        (None, _) => "is not triaged yet".to_owned(),
        (Some(t), _) if t.decision == Decision::NotEligible => {
            let mut rules: Vec<&str> = t.reasons.iter().map(|r| r.rule.as_str()).collect();
            rules.dedup();
            format!(
                "triage says not eligible for the crisis team ({}); decline it to its route ({})",
                rules.join(", "),
                t.route.name()
            )
        }
        _ => return None,
    };
    Some(Rejection::forbidden("incident", &incident.id, reason))
}

fn closed_words(status: IncidentStatus) -> &'static str {
    match status {
        IncidentStatus::Declined => "declined to another service",
        IncidentStatus::Cancelled => "cancelled",
        _ => "cleared",
    }
}

/// Available teams, best first, by straight-line travel time.
pub fn recommend<'a>(
    config: &RecommendConfig,
    incident: &Incident,
    teams: impl IntoIterator<Item = &'a Team>,
    now: Timestamp,
) -> Vec<Recommendation> {
    recommend_with(config, &StraightLine(config), incident, teams, now)
}

/// Available teams, best first. Teams without a known position rank after those with one.
pub fn recommend_with<'a>(
    config: &RecommendConfig,
    travel: &dyn TravelTime,
    incident: &Incident,
    teams: impl IntoIterator<Item = &'a Team>,
    now: Timestamp,
) -> Vec<Recommendation> {
    let language = incident.details.caller_language.trim();
    let needs_language = !language.is_empty()
        && !language.eq_ignore_ascii_case("en")
        && !language.eq_ignore_ascii_case("english");
    let mut out: Vec<Recommendation> = teams
        .into_iter()
        .filter(|t| t.status == TeamStatus::Available && t.incident_id.is_none())
        .map(|team| {
            let mut reasons = Vec::new();
            let distance_m = match (team.position, incident.details.location.point) {
                (Some(a), Some(b)) => Some(a.distance_m(&b)),
                _ => None,
            };
            let eta_minutes = match (team.position, incident.details.location.point) {
                (Some(a), Some(b)) => travel.minutes(a, b),
                _ => None,
            };
            match (distance_m, eta_minutes) {
                (Some(d), Some(eta)) => {
                    reasons.push(format!("{:.1} km, ~{:.0} min", d / 1000.0, eta))
                }
                _ => reasons.push("position unknown".to_owned()),
            }
            let language_match = !needs_language || team.speaks(language);
            if needs_language {
                reasons.push(if language_match {
                    format!("speaks {language}")
                } else {
                    format!("does not speak {language}")
                });
            }
            let fully_staffed = team.fully_staffed();
            if !fully_staffed {
                reasons.push("not fully staffed".to_owned());
            }
            let mut score = eta_minutes.unwrap_or(10_000.0);
            if let Some(cleared) = team.last_cleared_at {
                let idle_min = (now.millis() - cleared.millis()) as f64 / 60_000.0;
                if idle_min < config.rest_min {
                    score += config.rest_min - idle_min;
                    reasons.push(format!("cleared a call {idle_min:.0} min ago"));
                }
            }
            if !language_match {
                score += config.language_penalty_min;
            }
            if !fully_staffed {
                score += config.staffing_penalty_min;
            }
            Recommendation {
                team_id: team.id.clone(),
                distance_m,
                eta_minutes,
                language_match,
                fully_staffed,
                score,
                reasons,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.score
            .total_cmp(&b.score)
            .then_with(|| a.team_id.cmp(&b.team_id))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::IncidentId;
    use crate::model::*;
    use crate::time::Timestamp;

    fn team(id: &str, lat: f64, languages: &[&str], full: bool) -> Team {
        let mut members = vec![
            Member {
                name: "c".into(),
                role: MemberRole::Clinician,
                peer_id: None,
            },
            Member {
                name: "e".into(),
                role: MemberRole::Emt,
                peer_id: None,
            },
        ];
        if full {
            members.push(Member {
                name: "p".into(),
                role: MemberRole::Peer,
                peer_id: None,
            });
        }
        Team {
            id: TeamId::new(id),
            members,
            languages: languages.iter().map(|l| (*l).to_owned()).collect(),
            position: Some(GeoPoint { lat, lon: -122.68 }),
            status: TeamStatus::Available,
            status_since: Timestamp(0),
            incident_id: None,
            assignment_id: None,
            check_in: None,
            last_cleared_at: None,
        }
    }

    pub(super) fn incident(language: &str) -> Incident {
        let details = CallDetails {
            caller_language: language.into(),
            location: Location {
                point: Some(GeoPoint {
                    lat: 45.50,
                    lon: -122.68,
                }),
                ..Location::default()
            },
            ..CallDetails::default()
        };
        let mut i = Incident::received(
            IncidentId::new("i"),
            "cad".into(),
            "1".into(),
            details,
            Timestamp(0),
        );
        i.status = IncidentStatus::Queued;
        i
    }

    #[test]
    fn the_nearest_available_team_comes_first_with_its_eta() {
        let mut busy = team("BUSY", 45.50, &["en"], true);
        busy.status = TeamStatus::OnScene;
        let teams = [
            team("FAR", 45.60, &["en"], true),
            team("NEAR", 45.51, &["en"], true),
            busy,
        ];
        let r = recommend(
            &RecommendConfig::default(),
            &incident(""),
            &teams,
            Timestamp(0),
        );
        assert_eq!(
            r.iter().map(|r| r.team_id.as_str()).collect::<Vec<_>>(),
            ["NEAR", "FAR"]
        );
        let near = &r[0];
        assert!(
            (near.distance_m.unwrap() - 1112.0).abs() < 5.0,
            "{:?}",
            near.distance_m
        );
        assert!((near.eta_minutes.unwrap() - 2.22).abs() < 0.05);
    }

    #[test]
    fn a_team_speaking_the_callers_language_wins_over_a_slightly_closer_one() {
        let teams = [
            team("EN", 45.51, &["en"], true),
            team("ES", 45.52, &["en", "es"], true),
        ];
        let r = recommend(
            &RecommendConfig::default(),
            &incident("es"),
            &teams,
            Timestamp(0),
        );
        assert_eq!(r[0].team_id.as_str(), "ES");
        assert!(r[0].language_match && !r[1].language_match);
        assert!(r[1].reasons.iter().any(|s| s.contains("does not speak es")));
    }

    #[test]
    fn a_short_staffed_team_ranks_below_a_full_one_nearby() {
        let teams = [
            team("SHORT", 45.505, &["en"], false),
            team("FULL", 45.51, &["en"], true),
        ];
        let r = recommend(
            &RecommendConfig::default(),
            &incident(""),
            &teams,
            Timestamp(0),
        );
        assert_eq!(r[0].team_id.as_str(), "FULL");
        assert!(!r[1].fully_staffed);
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;
    use crate::ids::IncidentId;
    use crate::model::*;

    fn team(id: &str, lat: f64, cleared: Option<i64>) -> Team {
        Team {
            id: TeamId::new(id),
            members: [MemberRole::Clinician, MemberRole::Emt, MemberRole::Peer]
                .into_iter()
                .map(|role| Member {
                    name: "x".into(),
                    role,
                    peer_id: None,
                })
                .collect(),
            languages: vec![],
            position: Some(GeoPoint { lat, lon: -122.68 }),
            status: TeamStatus::Available,
            status_since: Timestamp(0),
            incident_id: None,
            assignment_id: None,
            check_in: None,
            last_cleared_at: cleared.map(Timestamp),
        }
    }

    fn incident() -> Incident {
        super::tests::incident("")
    }

    #[test]
    fn a_team_that_just_cleared_a_call_rests_before_a_slightly_farther_one() {
        let now = Timestamp(60 * 60_000);
        let teams = [
            team("TIRED", 45.505, Some(now.millis() - 2 * 60_000)),
            team("RESTED", 45.51, Some(0)),
        ];
        let r = recommend(&RecommendConfig::default(), &incident(), &teams, now);
        assert_eq!(r[0].team_id.as_str(), "RESTED");
        assert!(
            r[1].reasons
                .iter()
                .any(|s| s.contains("cleared a call 2 min ago")),
            "{:?}",
            r[1].reasons
        );
    }

    #[test]
    fn teams_without_a_position_come_last_and_busy_teams_not_at_all() {
        let mut lost = team("LOST", 45.50, None);
        lost.position = None;
        let mut out = team("OUT", 45.50, None);
        out.status = TeamStatus::OutOfService;
        let mut held = team("HELD", 45.50, None);
        held.incident_id = Some(IncidentId::new("other"));
        let teams = [lost, team("FAR", 45.70, None), out, held];
        let r = recommend(
            &RecommendConfig::default(),
            &incident(),
            &teams,
            Timestamp(0),
        );
        assert_eq!(
            r.iter().map(|r| r.team_id.as_str()).collect::<Vec<_>>(),
            ["FAR", "LOST"]
        );
        assert_eq!((r[1].distance_m, r[1].eta_minutes), (None, None));
        assert!(r[1].reasons.iter().any(|s| s == "position unknown"));
        let mut nowhere = incident();
        nowhere.details.location.point = None;
        let r = recommend(&RecommendConfig::default(), &nowhere, &teams, Timestamp(0));
        assert_eq!(
            r.iter().map(|r| r.team_id.as_str()).collect::<Vec<_>>(),
            ["FAR", "LOST"],
            "no incident position: ties broken by call sign"
        );
        assert!(recommend(&RecommendConfig::default(), &incident(), &[], Timestamp(0)).is_empty());
    }

    #[test]
    fn a_slow_area_and_a_router_change_the_eta() {
        let mut config = RecommendConfig::default();
        let around = |lat: f64| {
            let p = |a: f64, b: f64| GeoPoint { lat: a, lon: b };
            ServiceArea::from_ring(vec![
                p(lat - 0.01, -122.69),
                p(lat - 0.01, -122.67),
                p(lat + 0.01, -122.67),
                p(lat + 0.01, -122.69),
            ])
        };
        config.speed_areas = vec![SpeedArea {
            name: "downtown".into(),
            area: around(45.50),
            speed_kmh: 15.0,
        }];
        let teams = [team("A", 45.51, None)];
        let slow = recommend(&config, &incident(), &teams, Timestamp(0));
        let fast = recommend(
            &RecommendConfig::default(),
            &incident(),
            &teams,
            Timestamp(0),
        );
        assert!((slow[0].eta_minutes.unwrap() - 2.0 * fast[0].eta_minutes.unwrap()).abs() < 0.01);

        struct Fixed;
        impl TravelTime for Fixed {
            fn minutes(&self, _: GeoPoint, _: GeoPoint) -> Option<f64> {
                Some(42.0)
            }
        }
        let routed = recommend_with(&config, &Fixed, &incident(), &teams, Timestamp(0));
        assert_eq!(routed[0].eta_minutes, Some(42.0));
    }
}
