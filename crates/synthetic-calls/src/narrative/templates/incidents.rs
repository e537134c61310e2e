//! Templates of calls about an incident: violence, crime, traffic, fire and hazards, animals, and everything else (the catch-all).

use super::*;

/// The templates of every other call family (`Other` catches what no family claims).
pub(super) fn templates(family: Family) -> (&'static [Template], &'static [Template]) {
    match family {
        Family::Violence => (
            &[
                (
                    "2 SUBJS FIGHTING {at}, ONE ON GROUND, RP UNK IF WPNS",
                    VIOLENT_UNK_WPN,
                ),
                (
                    "{subj} PUNCHED RP IN FACE {at}, SUSP LS {dir}, NO WPNS SEEN",
                    VIOLENT_NO_WPN,
                ),
                ("{subj} SWINGING A BAT AT PEOPLE {at}", ARMED_VIOLENT),
                (
                    "RP HEARD NEIGHBORS FIGHTING, FEMALE SCREAMING, UNK WPNS",
                    VIOLENT_UNK_WPN,
                ),
                (
                    "{subj} ATTACKED RP {at}, RP BLEEDING FROM HEAD, SUSP LS {dir}",
                    HURT,
                ),
            ],
            &[
                ("RP ADV SUBJ STILL HAS BAT", ARMED),
                ("RP ADV VICTIM DECLINES MEDICS", NONE),
                ("SUSP LS {dir} ON FOOT, {clothes}", NONE),
            ],
        ),
        Family::Robbery => (
            &[
                (
                    "RP STS {subj} GRABBED HER PURSE AND SHOVED HER TO GROUND, LS {dir}",
                    VIOLENT,
                ),
                (
                    "{subj} TOOK RP'S PHONE AT KNIFEPOINT {at}, LS {dir}",
                    ARMED_VIOLENT,
                ),
                (
                    "CLERK STS {subj} DEMANDED CASH, HAND IN POCKET, UNK WPNS, LS {dir}",
                    VIOLENT_UNK_WPN,
                ),
            ],
            &[
                ("SUSP LS {dir} ON FOOT, {clothes}", NONE),
                ("RP NOT INJURED PER RP", NONE),
                ("RP HAS VIDEO", NONE),
            ],
        ),
        Family::SexAssault => (
            &[
                (
                    "RP STS SHE WAS SEXUALLY ASSAULTED EARLIER TODAY, SUSP LEFT, RP SAFE NOW",
                    VIOLENT,
                ),
                (
                    "RP STS UNK MALE ASSAULTED HER {at} LAST NIGHT, SUSP LS {dir}",
                    VIOLENT,
                ),
                (
                    "RP REPORTING ASSAULT THAT OCCURRED LAST NIGHT, SUSP KNOWN TO RP",
                    VIOLENT,
                ),
            ],
            &[
                ("RP REQ FEMALE OFFICER", NONE),
                ("RP DOES NOT WANT MEDICS PER RP", NONE),
            ],
        ),
        Family::Shots => (
            &[
                ("RP HEARD {n} SHOTS {dir} OF LOC, NO ONE SEEN", ARMED),
                (
                    "RP HEARD SHOTS AND SCREAMING {at}, UNK IF ANYONE HIT",
                    ARMED,
                ),
                ("{n} SHOTS {at}, {veh} LEFT {dir} AT HIGH SPEED", ARMED),
            ],
            &[
                ("NO FURTHER SHOTS HEARD PER RP", NONE),
                ("2ND RP REPORTS SAME", NONE),
                ("RP ADV CASINGS IN STREET", NONE),
            ],
        ),
        Family::Weapon => (
            &[
                (
                    "{subj} WAVING A HANDGUN {at}, NOT POINTING AT ANYONE",
                    ARMED,
                ),
                (
                    "{subj} W/ LARGE KNIFE {at}, CUTTING AT THE AIR, YELLING",
                    ARMED,
                ),
                (
                    "RP STS SUBJ SHOWED GUN IN WAISTBAND DURING ARGUMENT, LS {dir}",
                    ARMED,
                ),
                (
                    "{subj} CARRYING MACHETE {at}, NOT THREATENING ANYONE",
                    ARMED,
                ),
            ],
            &[
                ("SUBJ LS {dir}, {clothes}", NONE),
                ("RP ADV SUBJ PUT WPN IN BACKPACK", ARMED),
            ],
        ),
        Family::Theft => (
            &[
                ("{subj} SEEN TAKING {item}, LS {dir}", NONE),
                (
                    "RP'S PHONE TAKEN FROM TABLE {at} WHILE RP DISTRACTED, NO SUSP INFO",
                    NONE,
                ),
                (
                    "RP STS PACKAGE TAKEN FROM PORCH, RP HAS DOORBELL VIDEO",
                    NONE,
                ),
                ("RP RETURNED TO CAR, WINDOW BROKEN, ITEMS MISSING", NONE),
            ],
            &[
                ("RP WILL BE AT LOC", NONE),
                ("RP HAS VIDEO", NONE),
                ("RP REQ CASE #", NONE),
            ],
        ),
        Family::VehicleTheft => (
            &[
                ("RP'S {veh} STOLEN FROM STREET OVERNIGHT, RP HAS KEYS", NONE),
                ("RP LOCATED OWN STOLEN {veh} {at}, UNOCCUPIED", NONE),
                (
                    "RP STS {veh} TAKEN FROM DRIVEWAY THIS AM, RP HAS PLATE INFO",
                    NONE,
                ),
            ],
            &[("RP WILL BE AT LOC", NONE), ("RP REQ CASE #", NONE)],
        ),
        Family::Damage => (
            &[
                ("RP STS DAMAGE TO FENCE OVERNIGHT, NO SUSP INFO", NONE),
                ("GRAFFITI ON BLDG {at}, RP REQ REPORT #", NONE),
                ("{subj} BROKE GLASS DOOR {at}, LS {dir}", NONE),
            ],
            &[("RP WILL BE AT LOC", NONE), ("RP HAS VIDEO", NONE)],
        ),
        Family::Fraud => (
            &[
                (
                    "RP STS SOMEONE USED RP'S CARD AT STORES, RP HAS STATEMENTS",
                    NONE,
                ),
                (
                    "RP GOT CALL FROM FAKE BANK, SENT GIFT CARDS, WANTS REPORT",
                    NONE,
                ),
                ("ELDERLY RP GAVE CASH TO MAN POSING AS UTILITY WORKER", NONE),
            ],
            &[("RP HAS BANK STATEMENTS", NONE), ("RP REQ CASE #", NONE)],
        ),
        Family::Burglary => (
            &[
                (
                    "RP HOME, HEARD SOMEONE IN BASEMENT, RP LOCKED IN BEDROOM, UNK WPNS",
                    UNK_WPN,
                ),
                (
                    "RP RETURNED HOME, DOOR KICKED IN, UNK IF ANYONE STILL INSIDE",
                    NONE,
                ),
                ("RP STS GARAGE BROKEN INTO OVERNIGHT, TOOLS MISSING", NONE),
            ],
            &[("RP ADV NO SOUNDS NOW", NONE), ("RP HAS VIDEO", NONE)],
        ),
        Family::Lewd => (
            &[
                ("{subj} EXPOSING SELF TO PASSERSBY {at}", NONE),
                ("{subj} EXPOSED, TOUCHING SELF {at}, RP UPSET", NONE),
                ("2 SUBJS HAVING SEX {at}, IN VIEW OF PUBLIC", NONE),
            ],
            &[
                ("SUBJ LS {dir}, {clothes}", NONE),
                ("RP ADV SUBJ NOW CLOTHED", NONE),
            ],
        ),
        Family::Traffic => (
            &[
                ("VEH STALLED IN LANE, {subj} WALKING IN ROADWAY", IN_TRAFFIC),
                (
                    "{subj} STANDING IN TRAFFIC LANE YELLING AT CARS",
                    IN_TRAFFIC,
                ),
                (
                    "SHOPPING CART AND DEBRIS BLOCKING LANE, CARS SWERVING",
                    IN_TRAFFIC,
                ),
            ],
            &[
                ("TOW REQ", NONE),
                ("VEH NOW ON SHOULDER PER RP", NONE),
                ("LANE NOW CLEAR PER RP", NONE),
            ],
        ),
        Family::Crash => (
            &[
                ("2 VEH MVC, UNK INJ, BLOCKING LANE", CRASH),
                (
                    "HIT AND RUN, RP'S CAR STRUCK BY {veh}, SUSP VEH LS {dir}",
                    IN_TRAFFIC,
                ),
                (
                    "{veh} HIT PARKED CAR AND LEFT {dir}, RP HAS PARTIAL PLATE",
                    IN_TRAFFIC,
                ),
            ],
            &[("TOW REQ", NONE), ("NO INJ PER RP", NONE)],
        ),
        Family::Driving => (
            &[
                ("{veh} WEAVING ACROSS LANES {dir}, POSS DUI", IN_TRAFFIC),
                (
                    "DRIVER OF {veh} TAILGATING AND HONKING AT RP, FOLLOWED RP X2 MILES",
                    IN_TRAFFIC,
                ),
                ("{veh} RAN RED LIGHT {dir}, NEARLY HIT PEDS", IN_TRAFFIC),
            ],
            &[("VEH LS {dir}", NONE), ("RP NO LONGER FOLLOWING VEH", NONE)],
        ),
        Family::Fire => (
            &[
                ("RP STS SMALL FIRE {at}, {subj} NEARBY", BURNING),
                ("SMOKE FROM ENCAMPMENT, RP UNK IF ANYONE INSIDE", BURNING),
                ("{subj} BURNING TRASH {at}, FLAMES 3 FT", BURNING),
            ],
            &[("FD ADV", NONE), ("RP ADV FIRE NOW OUT", BURNING)],
        ),
        Family::Fireworks => (
            &[
                ("FIREWORKS BEING SET OFF {at}, RP STS ONGOING X1 HR", NONE),
                ("KIDS LIGHTING FIREWORKS {at}, NO HAZARD SEEN", NONE),
                (
                    "LOUD BANGS {dir} OF LOC, RP BELIEVES FIREWORKS, NOT SHOTS",
                    NO_WPN,
                ),
            ],
            &[
                ("RP ADV STILL GOING", NONE),
                ("RP DOES NOT WANT CONTACT", NONE),
            ],
        ),
        Family::Hazard => (
            &[
                ("LARGE TREE LIMB DOWN {at}, BLOCKING PATH", NONE),
                ("OPEN MANHOLE {at}, RP STANDING BY", NONE),
                ("WIRE DOWN ACROSS SIDEWALK, UNK IF LIVE", NONE),
            ],
            &[("PBOT NOTIFIED", NONE), ("RP LEFT AREA", NONE)],
        ),
        Family::Water => (
            &[
                (
                    "{subj} IN RIVER NEAR SHORE, RP UNK IF IN DISTRESS",
                    MAYBE_SICK,
                ),
                ("DEBRIS IN RIVER NEAR DOCK, HAZARD TO BOATS", NONE),
                ("KAYAKER CLINGING TO PILING, RP ON SHORE", MAYBE_SICK),
            ],
            &[("RIVER PATROL ADV", NONE), ("RP LOST SIGHT OF SUBJ", NONE)],
        ),
        Family::Animal => (
            &[
                ("{animal} {at}, RP STANDING BY", NONE),
                (
                    "AGGRESSIVE DOG {at} BARKING AT PEOPLE, OWNER NOT PRESENT",
                    NONE,
                ),
                ("DEAD CAT ON SIDEWALK, RP REQ REMOVAL", NONE),
            ],
            &[("MULTCO ANIMAL SVCS ADV", NONE), ("RP LEFT AREA", NONE)],
        ),
        Family::AnimalBite => (
            &[
                ("RP BITTEN BY DOG {at}, MINOR, OWNER LEFT {dir}", NOT_SICK),
                (
                    "RP'S CHILD NIPPED BY NEIGHBOR'S DOG, SKIN NOT BROKEN",
                    NOT_SICK,
                ),
                ("DOG BIT RP'S DOG {at}, OWNER REFUSED TO GIVE INFO", NONE),
            ],
            &[
                ("MULTCO ANIMAL SVCS ADV", NONE),
                ("RP HAS PHOTO OF DOG", NONE),
            ],
        ),
        Family::AnimalNoise => (
            &[
                ("DOG BARKING NONSTOP {at} X3 HRS, OWNER NOT HOME", NONE),
                ("DOGS HOWLING {at} ALL NIGHT, RP UNABLE TO SLEEP", NONE),
                ("ROOSTER CROWING SINCE 0400 {at}, RP REQ ENFORCEMENT", NONE),
            ],
            &[
                ("RP ADV STILL GOING", NONE),
                ("RP DOES NOT WANT CONTACT", NONE),
            ],
        ),
        Family::OpenLine => (
            &[
                (
                    "OPEN LINE, YELLING HEARD IN BACKGROUND, NO RESPONSE TO CALLTAKER",
                    NONE,
                ),
                ("911 HANGUP, NO ANSWER ON CALLBACK", NONE),
                ("OPEN LINE, ONLY TV NOISE HEARD, NO VOICE", NONE),
            ],
            &[
                ("CALLBACK WENT TO VM", NONE),
                ("LOC PER PHASE 2 WIRELESS, UNK ACCURACY", NONE),
            ],
        ),
        Family::Unknown => (
            &[
                ("CALLER HUNG UP AFTER STATING NEED POLICE, NFI", NONE),
                ("RP UNABLE TO EXPLAIN, POSS LANGUAGE BARRIER, NFI", NONE),
                (
                    "RP REQ POLICE, WOULD NOT SAY WHY, WILL EXPLAIN ON SCENE",
                    NONE,
                ),
            ],
            &[
                ("CALLBACK WENT TO VM", NONE),
                ("RP CALLED BACK, NO FURTHER INFO", NONE),
            ],
        ),
        Family::Assist => (
            &[
                ("OTHER AGENCY REQ ASSIST {at}, DETAILS PER THEIR UNIT", NONE),
                ("FD REQ POLICE FOR SCENE SAFETY {at}, PT AGITATED", NONE),
                ("NEIGHBORING AGENCY REQ AREA CHECK FOR {veh} LS {dir}", NONE),
            ],
            &[
                ("OTHER AGENCY ON SCENE", NONE),
                ("REQ CANCELLED PER OTHER AGENCY", NONE),
            ],
        ),
        Family::CourtOrder => (
            &[
                ("RP HAS PROTECTION ORDER TO SERVE, RESP LIVES {at}", NONE),
                (
                    "RP REQ STANDBY WHILE SERVING ORDER, RESP KNOWN TO BE HOSTILE",
                    NONE,
                ),
                ("PROCESS SERVER REQ ASSIST W/ COURT ORDER, RESP {at}", NONE),
            ],
            &[
                ("RP WILL MEET OFFICER AT LOC", NONE),
                ("RESP LS {dir}", NONE),
            ],
        ),
        Family::Child => (
            &[
                ("RP STS TODDLER WANDERING ALONE {at}, NO ADULT SEEN", NONE),
                (
                    "SCHOOL COUNSELOR REPORTING CHILD DISCLOSED ABUSE AT HOME",
                    NONE,
                ),
                ("2 YOUNG KIDS LEFT ALONE IN {veh} IN LOT X30 MIN", NONE),
            ],
            &[
                ("RP STAYING W/ CHILD", NONE),
                ("PARENT NOW ON SCENE PER RP", NONE),
            ],
        ),
        _ => (
            &[
                ("RP REQ OFFICER CONTACT RE: ONGOING ISSUE {at}", NONE),
                ("{subj} ACTING ODD {at}, NFI", NONE),
                ("RP REQ CALL BACK FROM OFFICER, WILL EXPLAIN", NONE),
            ],
            &[
                ("RP CALLED BACK, NO CHANGE", NONE),
                ("RP WILL MEET OFFICER AT LOC", NONE),
            ],
        ),
    }
}
