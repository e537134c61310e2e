//! Team recommendation: rank available teams for an incident by estimated travel time,
//! language match and staffing, and say why.

use crate::ids::TeamId;
use crate::model::{Incident, Team, TeamStatus};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecommendConfig {
    /// Average speed in town, for the straight-line ETA.
    pub speed_kmh: f64,
    /// Minutes added to a team that does not speak the caller's language.
    pub language_penalty_min: f64,
    /// Minutes added to a team missing one of clinician, EMT, peer.
    pub staffing_penalty_min: f64,
}

impl Default for RecommendConfig {
    fn default() -> Self {
        Self {
            speed_kmh: 30.0,
            language_penalty_min: 10.0,
            staffing_penalty_min: 5.0,
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

/// Available teams, best first. Teams without a known position rank after those with one.
pub fn recommend<'a>(
    config: &RecommendConfig,
    incident: &Incident,
    teams: impl IntoIterator<Item = &'a Team>,
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
            let eta_minutes = distance_m.map(|d| d / 1000.0 / config.speed_kmh.max(1.0) * 60.0);
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
        }
    }

    fn incident(language: &str) -> Incident {
        Incident {
            id: IncidentId::new("i"),
            source: "cad".into(),
            call_number: "1".into(),
            details: CallDetails {
                caller_language: language.into(),
                location: Location {
                    point: Some(GeoPoint {
                        lat: 45.50,
                        lon: -122.68,
                    }),
                    ..Location::default()
                },
                ..CallDetails::default()
            },
            triage: None,
            status: IncidentStatus::Queued,
            received_at: Timestamp(0),
            updated_at: Timestamp(0),
            assignment_id: None,
            team_id: None,
            declined: None,
            clearance: None,
            cancel_reason: None,
            backup_requested: false,
        }
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
        let r = recommend(&RecommendConfig::default(), &incident(""), &teams);
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
        let r = recommend(&RecommendConfig::default(), &incident("es"), &teams);
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
        let r = recommend(&RecommendConfig::default(), &incident(""), &teams);
        assert_eq!(r[0].team_id.as_str(), "FULL");
        assert!(!r[1].fully_staffed);
    }
}
