//! The API's codes in the words the people at the console use: statuses, routes, triage rules,
//! dispositions (APCO-style codes with words), referral categories.

use dispatch_proto::v1;

pub fn team_status(s: v1::TeamStatus) -> &'static str {
    use v1::TeamStatus as T;
    match s {
        T::Unspecified => "unknown",
        T::Available => "available",
        T::Dispatched => "dispatched",
        T::Acknowledged => "acknowledged",
        T::EnRoute => "en route",
        T::OnScene => "on scene",
        T::Transporting => "transporting",
        T::OutOfService => "out of service",
        T::OffShift => "off shift",
    }
}

pub fn incident_status(s: v1::IncidentStatus) -> &'static str {
    use v1::IncidentStatus as I;
    match s {
        I::Unspecified => "unknown",
        I::Received => "received",
        I::Triaged => "triaged",
        I::Queued => "waiting",
        I::Declined => "declined",
        I::Assigned => "assigned",
        I::Acknowledged => "acknowledged",
        I::EnRoute => "en route",
        I::OnScene => "on scene",
        I::Transporting => "transporting",
        I::Cleared => "cleared",
        I::Cancelled => "cancelled",
    }
}

pub fn decision(d: v1::Decision) -> &'static str {
    match d {
        v1::Decision::Unspecified => "not triaged",
        v1::Decision::Eligible => "eligible",
        v1::Decision::Review => "REVIEW",
        v1::Decision::NotEligible => "NOT eligible",
    }
}

pub fn route(r: v1::Route) -> &'static str {
    match r {
        v1::Route::Unspecified => "-",
        v1::Route::CrisisTeam => "crisis team",
        v1::Route::Dispatcher => "dispatcher",
        v1::Route::Police => "police",
        v1::Route::Fire => "fire",
        v1::Route::Ems => "EMS",
        v1::Route::Other => "other",
    }
}

/// The routes a dispatcher may decline a call back to, in the order the form offers them.
pub const DECLINE_ROUTES: [(v1::Route, &str); 4] = [
    (v1::Route::Police, "police"),
    (v1::Route::Fire, "fire"),
    (v1::Route::Ems, "EMS"),
    (v1::Route::Other, "other"),
];

/// Dispositions in the order the clear form offers them.
pub const DISPOSITIONS: [v1::Disposition; 7] = [
    v1::Disposition::ResolvedOnScene,
    v1::Disposition::ConnectedToServices,
    v1::Disposition::DeclinedServices,
    v1::Disposition::Transported,
    v1::Disposition::ReferredToPartnerAgency,
    v1::Disposition::UnableToLocate,
    v1::Disposition::HandedToPolice,
];

/// "11 connected to services": the program's code (the one the CAD gets too) and the words.
pub fn disposition(d: v1::Disposition) -> String {
    dispatch_proto::convert::disposition_of(d).map_or_else(
        || "none".to_owned(),
        |d| format!("{} {}", d.code(), d.words()),
    )
}

/// Referral categories in the order the forms offer them.
pub const REFERRALS: [(v1::ResourceCategory, &str); 10] = [
    (v1::ResourceCategory::Housing, "housing"),
    (v1::ResourceCategory::Shelter, "shelter"),
    (v1::ResourceCategory::DetoxTreatment, "detox/treatment"),
    (v1::ResourceCategory::MentalHealthCare, "mental-health care"),
    (v1::ResourceCategory::Benefits, "benefits"),
    (v1::ResourceCategory::Food, "food"),
    (v1::ResourceCategory::Transportation, "transportation"),
    (v1::ResourceCategory::Education, "education"),
    (v1::ResourceCategory::Employment, "employment"),
    (v1::ResourceCategory::IdDocuments, "ID documents"),
];

pub fn referral(c: v1::ResourceCategory) -> &'static str {
    REFERRALS
        .iter()
        .find(|(x, _)| *x == c)
        .map_or("other", |(_, w)| w)
}

/// Services a team commonly provides on scene (the clear form's checklist).
pub const SERVICES: [&str; 7] = [
    "crisis counselling",
    "de-escalation",
    "basic medical care",
    "supplies (food, water, clothing)",
    "safety planning",
    "peer support",
    "transport",
];

pub fn follow_up_kind(k: v1::FollowUpKind) -> &'static str {
    use v1::FollowUpKind as K;
    match k {
        K::Unspecified => "follow-up",
        K::PhoneCheckIn => "phone check-in",
        K::InPersonVisit => "in-person visit",
        K::TransportToAppointment => "ride to appointment",
        K::ResourceLinkage => "resource linkage",
        K::WelfareRecheck => "welfare re-check",
    }
}

pub fn follow_up_status(s: v1::FollowUpStatus) -> &'static str {
    use v1::FollowUpStatus as S;
    match s {
        S::Unspecified => "unknown",
        S::Open => "open",
        S::Scheduled => "scheduled",
        S::Done => "done",
        S::ClosedUnreachable => "closed, unreachable",
        S::Cancelled => "cancelled",
    }
}

pub fn attempt_result(r: v1::AttemptResult) -> &'static str {
    match r {
        v1::AttemptResult::Unspecified => "unknown",
        v1::AttemptResult::Reached => "reached",
        v1::AttemptResult::NoContact => "no contact",
        v1::AttemptResult::Declined => "declined",
    }
}

/// A language code as people say it ("es" → "Spanish"); unknown codes are shown as given.
pub fn language(code: &str) -> String {
    let name = match code.trim().to_ascii_lowercase().as_str() {
        "en" => "English",
        "es" => "Spanish",
        "ru" => "Russian",
        "uk" => "Ukrainian",
        "vi" => "Vietnamese",
        "zh" => "Chinese",
        "ko" => "Korean",
        "ja" => "Japanese",
        "ar" => "Arabic",
        "so" => "Somali",
        "ro" => "Romanian",
        "tl" => "Tagalog",
        "fr" => "French",
        "asl" | "ase" => "American Sign Language",
        _ => return code.to_owned(),
    };
    format!("{name} ({code})")
}

pub fn answer(a: v1::Answer) -> &'static str {
    match a {
        v1::Answer::Unknown => "?",
        v1::Answer::No => "no",
        v1::Answer::Yes => "YES",
    }
}

pub fn place(p: v1::PlaceType) -> &'static str {
    use v1::PlaceType as P;
    match p {
        P::Unknown => "place unknown",
        P::OutdoorPublic => "outdoors, public",
        P::Business => "business",
        P::PrivateResidence => "private residence",
        P::Vehicle => "vehicle",
        P::Roadway => "roadway",
    }
}

/// A triage reason in plain words: the rule (`flag:weapon`, `narrative:weapon-blade`,
/// `nature_text:violence`, `need:intoxicated`, `nature:crisis`, `area:outside`,
/// `hours:closed`, `place:excluded`) and its evidence.
pub fn reason(r: &v1::Reason) -> String {
    let (kind, name) = r.rule.split_once(':').unwrap_or(("", r.rule.as_str()));
    let name = name.replace(['_', '-'], " ");
    let said = match kind {
        "flag" => format!("call-taker answered yes: {name}"),
        "narrative" => format!("narrative mentions {name}"),
        "nature_text" => format!("call type says {name}"),
        "need" => format!("a call for the team: {name}"),
        "nature" if name == "unknown" => "call type not in the rules".to_owned(),
        "nature" => format!("call type: {name}"),
        "area" => "outside the service area".to_owned(),
        "hours" => "outside service hours".to_owned(),
        "place" => "place type not served".to_owned(),
        _ => r.rule.clone(),
    };
    if r.evidence.is_empty() {
        said
    } else {
        format!("{said} (\"{}\")", r.evidence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_as_sentences() {
        let r = |rule: &str, evidence: &str| v1::Reason {
            rule: rule.into(),
            evidence: evidence.into(),
        };
        assert_eq!(
            reason(&r("narrative:weapon", "KNIFE")),
            "narrative mentions weapon (\"KNIFE\")"
        );
        assert_eq!(reason(&r("area:outside", "")), "outside the service area");
        assert_eq!(reason(&r("custom", "x")), "custom (\"x\")");
    }

    #[test]
    fn languages_are_named() {
        assert_eq!(language("es"), "Spanish (es)");
        assert_eq!(language("xx"), "xx");
    }

    #[test]
    fn every_disposition_has_a_code_and_words() {
        assert_eq!(
            disposition(v1::Disposition::ReferredToPartnerAgency),
            "15 referred to partner agency"
        );
        assert_eq!(disposition(v1::Disposition::Unspecified), "none");
    }
}
