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
        service_area: Default::default(),
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
                &["FIRE", "BURN", "BURNING", "SMOKE", "EXPLOSION"],
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
