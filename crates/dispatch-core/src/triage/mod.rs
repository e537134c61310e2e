//! Triage: structured safety flags, the narrative screen (danger cues with negation), a
//! nature-code table, place type and service area. Callers only see
//! `triage(&TriageConfig, &CallDetails)`. Service hours and the TOML rule files are to come.
//!
//! Safety invariant: any danger flag answered `yes` makes the call `not_eligible`, whatever
//! else is true; anything unclear (unknown nature code) goes to `review`, never to `eligible`.

use crate::area::ServiceArea;
use crate::model::{
    Answer, CallDetails, DangerFlag, Decision, PlaceType, Reason, Route, TriageDecision,
};
use serde::{Deserialize, Serialize};

pub mod narrative;
mod table;
#[cfg(test)]
mod tests;

/// What a nature-code family means for the crisis team.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    Eligible,
    Review,
    Excluded,
}

/// One row of the nature-code table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NatureRule {
    pub name: String,
    pub family: Family,
    /// Where an excluded call goes (police, fire, ems...). Ignored for other families.
    #[serde(default = "default_excluded_route")]
    pub route: Route,
    /// Urgency when the call is eligible or in review: 1 (most urgent) to 5.
    #[serde(default = "default_priority")]
    pub priority: u32,
    /// CAD nature codes matched exactly (case-insensitive).
    #[serde(default)]
    pub codes: Vec<String>,
    /// Words or phrases matched as whole words in the nature text (case-insensitive).
    #[serde(default)]
    pub text: Vec<String>,
}

fn default_excluded_route() -> Route {
    Route::Police
}
fn default_priority() -> u32 {
    3
}

/// A place type the program does not go into, and where such calls go instead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceExclusion {
    pub place_type: PlaceType,
    pub route: Route,
}

/// Where a call with a danger flag answered yes goes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FlagRoutes {
    pub weapon: Route,
    pub violence: Route,
    pub medical: Route,
    pub fire: Route,
    pub traffic: Route,
    pub suicidal: Route,
}

impl Default for FlagRoutes {
    fn default() -> Self {
        Self {
            weapon: Route::Police,
            violence: Route::Police,
            medical: Route::Ems,
            fire: Route::Fire,
            traffic: Route::Police,
            suicidal: Route::Ems,
        }
    }
}

impl FlagRoutes {
    fn route(&self, flag: DangerFlag) -> Route {
        match flag {
            DangerFlag::Weapon => self.weapon,
            DangerFlag::Violence => self.violence,
            DangerFlag::Medical => self.medical,
            DangerFlag::Fire => self.fire,
            DangerFlag::Traffic => self.traffic,
            DangerFlag::Suicidal => self.suicidal,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TriageConfig {
    pub flag_routes: FlagRoutes,
    pub excluded_places: Vec<PlaceExclusion>,
    pub nature: Vec<NatureRule>,
    /// Danger cues in the CAD narrative, with negation.
    pub narrative: narrative::NarrativeScreen,
    /// Calls with a position outside it are not for the team (routed `other`: another
    /// jurisdiction). Empty: everywhere. A call without a position is not judged by it.
    pub service_area: ServiceArea,
    /// When teams are on duty; outside them calls are not for the team (the dispatcher
    /// routes them). None: around the clock.
    pub service_hours: Option<crate::hours::ServiceHours>,
}

impl Default for TriageConfig {
    fn default() -> Self {
        table::shipped()
    }
}

impl TriageConfig {
    /// Checks what serde cannot; the error names the setting.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(hours) = &self.service_hours {
            hours.validate()?;
        }
        if self.narrative.negation_window > 20 {
            return Err("narrative.negation_window: more than 20 words is not a negation".into());
        }
        Ok(())
    }
}

/// Triage a call without regard to the time (service hours are not judged).
pub fn triage(config: &TriageConfig, call: &CallDetails) -> TriageDecision {
    triage_at(config, call, None)
}

/// Triage a call received at `received_at`. Pure and deterministic.
pub fn triage_at(
    config: &TriageConfig,
    call: &CallDetails,
    received_at: Option<crate::time::Timestamp>,
) -> TriageDecision {
    let mut blocking: Vec<(Route, Reason)> = Vec::new();
    for flag in DangerFlag::ALL {
        if call.flags.get(flag) == Answer::Yes {
            blocking.push((
                config.flag_routes.route(flag),
                Reason {
                    rule: format!("flag:{}", flag.name()),
                    evidence: format!("{}=yes", flag.name()),
                },
            ));
        }
    }

    // The narrative: asserted danger cues block; suicidal ideation alone asks for review.
    let texts: Vec<&str> = call.narrative.iter().map(|l| l.text.as_str()).collect();
    let mut review_cues: Vec<Reason> = Vec::new();
    for hit in config.narrative.screen(&texts) {
        let reason = Reason {
            rule: format!("narrative:{}", hit.category.name),
            evidence: hit.evidence,
        };
        match hit.category.severity {
            narrative::Severity::NotEligible => blocking.push((hit.category.route, reason)),
            narrative::Severity::Review => review_cues.push(reason),
        }
    }

    let nature = match_nature(config, call);
    if let Some((rule, evidence)) = &nature
        && rule.family == Family::Excluded
    {
        blocking.push((
            rule.route,
            Reason {
                rule: format!("nature:{}", rule.name),
                evidence: evidence.clone(),
            },
        ));
    }

    for exclusion in &config.excluded_places {
        if call.location.place_type == exclusion.place_type {
            blocking.push((
                exclusion.route,
                Reason {
                    rule: "place:excluded".to_owned(),
                    evidence: format!("place_type={}", place_name(exclusion.place_type)),
                },
            ));
        }
    }

    if let Some(point) = call.location.point
        && !config.service_area.contains(point)
    {
        blocking.push((
            Route::Other,
            Reason {
                rule: "area:outside".to_owned(),
                evidence: format!("{:.5},{:.5}", point.lat, point.lon),
            },
        ));
    }

    if let (Some(hours), Some(at)) = (&config.service_hours, received_at)
        && !hours.is_open(at)
    {
        blocking.push((
            Route::Dispatcher,
            Reason {
                rule: "hours:closed".to_owned(),
                evidence: format!(
                    "{} local, hours {}-{}",
                    hours.local_time(at),
                    hours.open,
                    hours.close
                ),
            },
        ));
    }

    let cad_priority = (1..=5)
        .contains(&call.cad_priority)
        .then_some(call.cad_priority);
    if let Some((route, _)) = blocking.first() {
        let route = *route;
        return TriageDecision {
            decision: Decision::NotEligible,
            route,
            priority: cad_priority.unwrap_or(1),
            reasons: blocking.into_iter().map(|(_, r)| r).collect(),
        };
    }

    let mut decided = match nature {
        Some((rule, evidence)) => {
            let priority = cad_priority
                .map_or(rule.priority, |p| p.min(rule.priority))
                .max(1);
            let reason = Reason {
                rule: format!("nature:{}", rule.name),
                evidence,
            };
            let (decision, route) = match rule.family {
                Family::Eligible => (Decision::Eligible, Route::CrisisTeam),
                _ => (Decision::Review, Route::Dispatcher),
            };
            TriageDecision {
                decision,
                route,
                priority,
                reasons: vec![reason],
            }
        }
        None => TriageDecision {
            decision: Decision::Review,
            route: Route::Dispatcher,
            priority: cad_priority.unwrap_or(3),
            reasons: vec![Reason {
                rule: "nature:unknown".to_owned(),
                evidence: format!("{} {}", call.nature_code.trim(), call.nature_text.trim())
                    .trim()
                    .to_owned(),
            }],
        },
    };
    if !review_cues.is_empty() {
        // Suicidal ideation without a plan or means: a person decides, soon.
        review_cues.append(&mut decided.reasons);
        decided = TriageDecision {
            decision: Decision::Review,
            route: Route::Dispatcher,
            priority: decided.priority.min(2),
            reasons: review_cues,
        };
    }
    decided
}

fn place_name(place: PlaceType) -> &'static str {
    match place {
        PlaceType::Unknown => "unknown",
        PlaceType::OutdoorPublic => "outdoor_public",
        PlaceType::Business => "business",
        PlaceType::PrivateResidence => "private_residence",
        PlaceType::Vehicle => "vehicle",
        PlaceType::Roadway => "roadway",
    }
}

/// Exact code first; then whole-word text.
fn match_nature<'a>(
    config: &'a TriageConfig,
    call: &CallDetails,
) -> Option<(&'a NatureRule, String)> {
    let code = call.nature_code.trim();
    if !code.is_empty()
        && let Some(rule) = config
            .nature
            .iter()
            .find(|r| r.codes.iter().any(|c| c.eq_ignore_ascii_case(code)))
    {
        return Some((rule, format!("nature_code={code}")));
    }
    let text = call.nature_text.to_uppercase();
    if text.trim().is_empty() {
        return None;
    }
    // Excluded families win on any hit; otherwise the longest phrase wins, review on a tie, so
    // "SUSPICIOUS PERSON" is eligible while a bare "SUSPICIOUS CIRCUM." goes to review.
    let hits = |family: Family| {
        config
            .nature
            .iter()
            .filter(move |r| r.family == family)
            .flat_map(|rule| {
                rule.text
                    .iter()
                    .filter(|t| contains_words(&text, t))
                    .map(move |t| (rule, t))
            })
    };
    if let Some((rule, hit)) = hits(Family::Excluded).next() {
        return Some((rule, format!("nature_text~{hit}")));
    }
    let mut best: Option<(&NatureRule, &String)> = None;
    for (rule, hit) in hits(Family::Review).chain(hits(Family::Eligible)) {
        if best.is_none_or(|(_, b)| hit.len() > b.len()) {
            best = Some((rule, hit));
        }
    }
    if let Some((rule, hit)) = best {
        return Some((rule, format!("nature_text~{hit}")));
    }
    None
}

/// Whether `needle` occurs in `haystack` (upper case) with no letter or digit right before or
/// after it; `needle` may be in any case.
pub(crate) fn contains_words(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    if !needle.is_ascii() {
        return contains_upper_words(haystack, &needle.to_uppercase());
    }
    // ASCII needles: compare bytes case-insensitively, without allocating.
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    if n.len() > h.len() {
        return false;
    }
    (0..=h.len() - n.len()).any(|i| {
        h[i..i + n.len()].eq_ignore_ascii_case(n)
            && haystack.is_char_boundary(i)
            && haystack.is_char_boundary(i + n.len())
            && haystack[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
            && haystack[i + n.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
    })
}

fn contains_upper_words(haystack: &str, needle: &str) -> bool {
    let mut start = 0;
    while let Some(pos) = haystack[start..].find(needle) {
        let begin = start + pos;
        let end = begin + needle.len();
        let before_ok = haystack[..begin]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after_ok = haystack[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if before_ok && after_ok {
            return true;
        }
        start = begin + needle.chars().next().map_or(1, char::len_utf8);
    }
    false
}
