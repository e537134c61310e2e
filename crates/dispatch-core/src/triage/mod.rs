//! Triage: structured safety flags, the danger model over the narrative and the nature text
//! (`danger/`), the nature-code table (`nature.rs`), place type, service area and hours.
//! Callers only see `triage(&TriageConfig, &CallDetails)`.
//!
//! Safety invariant: any danger flag answered `yes`, or any danger the texts assert, makes the
//! call `not_eligible`; words that are ambiguous alone send it to `review`; a call is `eligible`
//! only when nothing asserted or unsure remains and its call type (or, for a type the table
//! does not know, its texts) says it is one the team exists for.

use crate::area::ServiceArea;
use crate::model::{
    Answer, CallDetails, DangerFlag, Decision, PlaceType, Reason, Route, TriageDecision,
};
use serde::{Deserialize, Serialize};

pub mod danger;
mod nature;
mod table;

use danger::{DangerModel, Severity, Source};
#[cfg(test)]
use nature::contains_words;
use nature::match_nature;
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
    /// The danger model read over the narrative and the nature text (the shipped model when
    /// absent; add a program's own concepts in `[[danger.extra_concepts]]`).
    pub danger: DangerModel,
    /// The rule files of earlier versions had a `[narrative]` screen; refused with a message.
    #[serde(skip_serializing)]
    pub narrative: Option<toml::Value>,
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
        if self.narrative.is_some() {
            return Err(
                "narrative: the [narrative] cue lists were replaced by the danger model; \
                 remove the [narrative] and [[narrative.categories]] tables (the shipped model \
                 covers them) and add a program's own words as [[danger.extra_concepts]] \
                 (see docs/triage.md)"
                    .into(),
            );
        }
        self.danger.validate()?;
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

    // The texts: asserted dangers block; unsure words ask for review; needs may stand in for
    // a call type the table does not know.
    let mut texts: Vec<(Source, &str)> = Vec::with_capacity(call.narrative.len() + 1);
    if !call.nature_text.trim().is_empty() {
        texts.push((Source::NatureText, call.nature_text.as_str()));
    }
    texts.extend(
        call.narrative
            .iter()
            .map(|l| (Source::Narrative, l.text.as_str())),
    );
    let read = config.danger.assess(&texts);
    let learned = read.learned;
    let has_notes = call.narrative.iter().any(|l| !l.text.trim().is_empty());
    let mut review_cues: Vec<Reason> = Vec::new();
    // Strong signs from any text read an unknown call type; signs in a call with notes (a
    // nuisance included) read a type that needs judgement: "DISTURBING PEACE" alone stays in
    // review.
    let mut needs: Vec<Reason> = Vec::new();
    let mut signs: Vec<Reason> = Vec::new();
    for finding in read.asserted {
        let reason = Reason {
            rule: match finding.concept.severity {
                Severity::Need | Severity::Nuisance => format!("need:{}", finding.concept.name),
                _ => format!("{}:{}", finding.source.name(), finding.concept.name),
            },
            evidence: finding.evidence,
        };
        let from_notes = finding.source == Source::Narrative || has_notes;
        match finding.concept.severity {
            Severity::NotEligible => blocking.push((finding.concept.route(), reason)),
            Severity::Review => review_cues.push(reason),
            Severity::Need => {
                if from_notes {
                    signs.push(reason.clone());
                }
                needs.push(reason);
            }
            Severity::Nuisance if from_notes => signs.push(reason),
            Severity::Nuisance => {}
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
            match rule.family {
                Family::Eligible => eligible(priority, vec![reason]),
                // A type that needs a person's judgement: the texts can show it is a call for
                // the team ("DISTURBANCE" where the notes say a man is talking to himself).
                _ if !signs.is_empty() => eligible(priority, with(signs, reason)),
                _ => review(priority, vec![reason]),
            }
        }
        None => {
            let reason = Reason {
                rule: "nature:unknown".to_owned(),
                evidence: format!("{} {}", call.nature_code.trim(), call.nature_text.trim())
                    .trim()
                    .to_owned(),
            };
            let priority = cad_priority.unwrap_or(3);
            if needs.is_empty() {
                review(priority, vec![reason])
            } else {
                // An agency's unmapped type, read through its text and the notes.
                eligible(priority, with(needs, reason))
            }
        }
    };
    if !review_cues.is_empty() {
        // Suicidal ideation, or words that are ambiguous alone: a person decides, soon.
        review_cues.append(&mut decided.reasons);
        decided = review(decided.priority.min(2), review_cues);
    }
    // The learned second opinion: a call the phrases find nothing wrong in, written like the
    // dangerous calls it was trained on, goes to a person. It never makes a call eligible.
    if decided.decision == Decision::Eligible
        && let Some(score) = learned
        && score.probability > config.danger.learned.review_above
    {
        let reason = Reason {
            rule: "learned:danger_words".to_owned(),
            evidence: format!("{:.2}: {}", score.probability, score.words.join(", ")),
        };
        let mut reasons = vec![reason];
        reasons.append(&mut decided.reasons);
        decided = review(decided.priority.min(2), reasons);
    }
    decided
}

fn eligible(priority: u32, reasons: Vec<Reason>) -> TriageDecision {
    TriageDecision {
        decision: Decision::Eligible,
        route: Route::CrisisTeam,
        priority,
        reasons,
    }
}

fn review(priority: u32, reasons: Vec<Reason>) -> TriageDecision {
    TriageDecision {
        decision: Decision::Review,
        route: Route::Dispatcher,
        priority,
        reasons,
    }
}

fn with(mut reasons: Vec<Reason>, last: Reason) -> Vec<Reason> {
    reasons.push(last);
    reasons
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
