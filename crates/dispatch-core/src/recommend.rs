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
