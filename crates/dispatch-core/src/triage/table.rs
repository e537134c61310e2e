//! The shipped nature-code table: Portland Street Response's published criteria applied to
//! the call types that Seattle, San Diego and NENA's EIDO registries use.

use super::{Family, FlagRoutes, NatureRule, PlaceExclusion, TriageConfig};
use crate::model::{PlaceType, Route};

/// The shipped table: Portland Street Response's published criteria applied to the call types
/// that Seattle, San Diego and NENA's EIDO registries use.
pub(super) fn shipped() -> TriageConfig {
    fn rule(
        name: &str,
        family: Family,
        route: Route,
        priority: u32,
        codes: &[&str],
        text: &[&str],
    ) -> NatureRule {
        NatureRule {
            name: name.to_owned(),
            family,
            route,
            priority,
            codes: codes.iter().map(|s| (*s).to_owned()).collect(),
            text: text.iter().map(|s| (*s).to_owned()).collect(),
        }
    }
    use Family::*;
    use Route::*;
    TriageConfig {
        danger: super::DangerModel::default(),
        narrative: None,
        service_area: portland_city(),
        service_hours: Some(crate::hours::ServiceHours::portland()),
        flag_routes: FlagRoutes::default(),
        excluded_places: vec![
            PlaceExclusion {
                place_type: PlaceType::PrivateResidence,
                route: Police,
            },
            PlaceExclusion {
                place_type: PlaceType::Roadway,
                route: Police,
            },
        ],
        nature: vec![
            rule(
                "weapons-violence",
                Excluded,
                Police,
                1,
                &[
                    "415V", "415W", "5150V", "ASLT", "SHOTS", "WEAPON", "ROBBERY", "DV", "THREAT",
                ],
                &[
                    "ASLT",
                    "ASSAULT",
                    "WEAPON",
                    "WEAPONS",
                    "WPN",
                    "WPNS",
                    "SHOTS",
                    "SHOOTING",
                    "GUN",
                    "KNIFE",
                    "ROBBERY",
                    "FIGHT",
                    "DOMESTIC",
                    "DV",
                    "THREATS",
                    "HOSTAGE",
                    "STABBING",
                    "BURGLARY",
                    "VIOLENT",
                    "WITH VIOLENCE",
                    "PERSON WITH A WEAPON",
                    "RAPE",
                    "SEXUAL ASSAULT",
                    "THRT",
                    "BIAS",
                ],
            ),
            rule(
                "medical",
                Excluded,
                Ems,
                1,
                &["1140OD", "11-8", "OD", "MEDICAL", "UNCONS"],
                &[
                    "OVERDOSE",
                    "MEDICAL",
                    "UNCONSCIOUS",
                    "PERSON DOWN",
                    "CARDIAC",
                    "BLEEDING",
                    "INJURED",
                    "INJURY",
                    "NOT BREATHING",
                    "SEIZURE",
                ],
            ),
            rule(
                "fire",
                Excluded,
                Fire,
                1,
                &["FIRE", "BURN"],
                &["FIRE", "BURN", "BURNING", "SMOKE", "EXPLOSION", "ARSON"],
            ),
            rule(
                "traffic",
                Excluded,
                Police,
                2,
                &["MVC", "DUI"],
                &[
                    "TRAFFIC",
                    "COLLISION",
                    "MVC",
                    "DUI",
                    "HIT AND RUN",
                    "PEDESTRIAN IN ROADWAY",
                ],
            ),
            rule(
                "crime",
                Excluded,
                Police,
                3,
                &[],
                &[
                    "THEFT",
                    "AUTO THEFT",
                    "SHOPLIFT",
                    "FRAUD",
                    "WARRANT",
                    "VANDALISM",
                    "PROWLER",
                    "NARCOTICS",
                    "BURG",
                    "CAR PROWL",
                    "PROPERTY DAMAGE",
                    "PROPERTY",
                    "DESTRUCTION",
                    "LEWD",
                    "SEX IN PUBLIC PLACE",
                ],
            ),
            rule(
                "not-a-person-in-crisis",
                Excluded,
                Other,
                4,
                &[],
                &[
                    "PARKING",
                    "FIREWORKS",
                    "ANIMAL",
                    "ALARM",
                    "ASSIST OTHER AGENCY",
                    "ABANDONED",
                ],
            ),
            rule(
                "behavioral-crisis",
                Eligible,
                CrisisTeam,
                2,
                &["EDP", "MNTL", "5150", "CRISIS"],
                &[
                    "BEHAVIORAL",
                    "EMOTIONAL CRISIS",
                    "MENTAL",
                    "MENTAL HEALTH",
                    "EDP",
                    "CRISIS",
                ],
            ),
            rule(
                "welfare-check",
                Eligible,
                CrisisTeam,
                3,
                &["WELFARE", "CW"],
                &["WELFARE", "CHECK THE WELFARE", "WELFARE CHECK"],
            ),
            rule(
                "intoxicated",
                Eligible,
                CrisisTeam,
                3,
                &["647F", "INTOX"],
                &["DRUNK", "INTOXICATED", "INTOX", "LIQUOR"],
            ),
            rule(
                "unwanted-person",
                Eligible,
                CrisisTeam,
                4,
                &["602", "SLEEPER", "TRESPASS", "UNWANTED"],
                &[
                    "TRESPASS",
                    "UNWANTED",
                    "NUISANCE",
                    "SLEEPER",
                    "SUSPICIOUS PERSON",
                    "LOITERING",
                    "PANHANDLING",
                    "SLEEPING",
                ],
            ),
            rule(
                "needs-review",
                Review,
                Dispatcher,
                3,
                &["415", "SUICTHRT", "FS", "MS", "MP", "CCCC", "415N"],
                &[
                    "DISTURBANCE",
                    "SUICIDE",
                    "SUICIDAL",
                    "SUSPICIOUS",
                    "NOISE",
                    "MISSING",
                    "FOUND SENILE",
                    "CHRONIC",
                    "SUSPICIOUS CIRCUM",
                ],
            ),
        ],
    }
}

/// A rough outline of the City of Portland, OR (about 1 km of error at the edges): replace it
/// with the city's official boundary GeoJSON for real use.
fn portland_city() -> crate::area::ServiceArea {
    let ring = [
        (45.653, -122.763),
        (45.605, -122.500),
        (45.560, -122.470),
        (45.470, -122.470),
        (45.455, -122.520),
        (45.430, -122.590),
        (45.435, -122.700),
        (45.460, -122.760),
        (45.530, -122.790),
        (45.620, -122.830),
    ];
    crate::area::ServiceArea::from_ring(
        ring.into_iter()
            .map(|(lat, lon)| crate::model::GeoPoint { lat, lon })
            .collect(),
    )
}
