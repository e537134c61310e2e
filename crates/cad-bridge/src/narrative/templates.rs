//! The templates: what a call-taker writes for each call family, first lines and later ones,
//! each with what it says about the safety screen; and the word lists that fill their slots.
//! Data, not logic: the scene in `narrative` picks and fills them.

use super::Template;
use crate::nature::Family;
use crate::safety::Says;
use dispatch_core::{Answer, DangerFlag};

use Answer::{No, Unknown as Unk, Yes};
use DangerFlag::{Fire, Medical, Suicidal, Traffic, Violence, Weapon};

pub(super) const NONE: Says = &[];
const NO_WPN: Says = &[(Weapon, No)];
const NOT_VIOLENT: Says = &[(Violence, No)];
const CALM: Says = &[(Weapon, No), (Violence, No)];
const VIOLENT: Says = &[(Violence, Yes)];
const VIOLENT_NO_WPN: Says = &[(Violence, Yes), (Weapon, No)];
const VIOLENT_UNK_WPN: Says = &[(Violence, Yes), (Weapon, Unk)];
const ARMED: Says = &[(Weapon, Yes)];
const ARMED_VIOLENT: Says = &[(Weapon, Yes), (Violence, Yes)];
const HURT: Says = &[(Violence, Yes), (Medical, Yes)];
const SICK: Says = &[(Medical, Yes)];
const SICK_NO_WPN: Says = &[(Medical, Yes), (Weapon, No)];
const MAYBE_SICK: Says = &[(Medical, Unk)];
const NOT_SICK: Says = &[(Medical, No)];
const SUICIDAL: Says = &[(Suicidal, Yes)];
const SUICIDAL_NO_WPN: Says = &[(Suicidal, Yes), (Weapon, No)];
const SUICIDAL_UNK_WPN: Says = &[(Suicidal, Yes), (Weapon, Unk)];
const NOT_SUICIDAL: Says = &[(Suicidal, No)];
const BURNING: Says = &[(Fire, Yes)];
const IN_TRAFFIC: Says = &[(Traffic, Yes)];
const CRASH: Says = &[(Traffic, Yes), (Medical, Unk)];
const UNK_WPN: Says = &[(Weapon, Unk)];

/// Opening lines (the call-taker's first entry) and lines the CAD may append later.
pub(super) fn templates(family: Family) -> (&'static [Template], &'static [Template]) {
    match family {
        Family::Crisis => (
            &[
                (
                    "{rp} STS {subj} YELLING AT PASSERSBY {at}, NO WPNS SEEN",
                    NO_WPN,
                ),
                (
                    "{subj} TALKING TO SELF, PACING {at}, RP CONCERNED, NOT VIOLENT",
                    NOT_VIOLENT,
                ),
                (
                    "{subj} CRYING {at}, STS HEARING VOICES, WANTS TO TALK TO SOMEONE",
                    NONE,
                ),
                ("RP IS SUBJ'S SISTER, SUBJ OFF MEDS X3 DAYS, LS {at}", NONE),
                (
                    "{subj} DISORIENTED {at}, ASKING FOR HELP, NO WPNS PER RP",
                    NO_WPN,
                ),
                (
                    "{subj} SHOUTING ABOUT THE GOVT {at}, NO WPNS SEEN, NOT APPROACHING ANYONE",
                    CALM,
                ),
                (
                    "FAMILY STS SUBJ IN MANIC EPISODE, HASNT SLEPT X2 DAYS, LS {at}",
                    NONE,
                ),
            ],
            &[
                ("SUBJ NOW {at}, CALMER", NONE),
                ("PER RP SUBJ WALKING {dir}, SAME CLOTHING", NONE),
                ("RP ADV SUBJ DENIES SI WHEN ASKED", NOT_SUICIDAL),
                (
                    "RP ADV SUBJ KNOWN TO OUTREACH WORKERS, WAS CALM LAST CONTACT",
                    NONE,
                ),
                ("RP LEFT AREA, OK TO CALL BACK", NONE),
            ],
        ),
        Family::Suicide => (
            &[
                (
                    "RP STS FRIEND TEXTED THAT HE WANTS TO DIE, LS {at}",
                    SUICIDAL,
                ),
                (
                    "{subj} SITTING ON RAILING OF OVERPASS, RP AFRAID SUBJ WILL JUMP",
                    SUICIDAL,
                ),
                (
                    "RP IS SUBJ, STS FEELING SUICIDAL, DENIES PLAN, NO WPNS, {at}",
                    SUICIDAL_NO_WPN,
                ),
                (
                    "MOTHER STS ADULT SON SAID HE WILL KILL HIMSELF, UNK WPNS, LS {at}",
                    SUICIDAL_UNK_WPN,
                ),
            ],
            &[
                ("RP ADV SUBJ STILL ON PHONE W/ RP", NONE),
                ("SUBJ LS WALKING {dir}", NONE),
                ("RP STS SUBJ HAS HX OF ATTEMPTS", NONE),
            ],
        ),
        Family::Welfare => (
            &[
                (
                    "{rp} REQ WELFARE CHECK ON {subj} LAYING {at}, BREATHING, NOT RESPONDING TO RP",
                    MAYBE_SICK,
                ),
                (
                    "{subj} SLEEPING {at} SINCE YESTERDAY, RP CONCERNED, NFI",
                    NONE,
                ),
                (
                    "RP STS ELDERLY NEIGHBOR SEEN WANDERING, CONFUSED, {clothes}",
                    NONE,
                ),
                (
                    "RP HASNT HEARD FROM BROTHER X4 DAYS, LAST KNOWN STAYING {at}",
                    NONE,
                ),
                (
                    "{subj} {at} W/O SHOES OR COAT, SHIVERING, RP CONCERNED",
                    NONE,
                ),
            ],
            &[
                ("RP ADV SUBJ NOW SITTING UP", NONE),
                ("UNK IF SUBJ HAS MEDS", NONE),
                ("RP CALLED BACK, SUBJ STILL THERE", NONE),
            ],
        ),
        Family::Down => (
            &[
                ("{subj} DOWN {at}, NOT MOVING, RP WONT APPROACH", MAYBE_SICK),
                ("{subj} LAYING {at}, BREATHING, SNORING PER RP", NOT_SICK),
                (
                    "{subj} SLUMPED AGAINST WALL {at}, RP UNK IF BREATHING",
                    MAYBE_SICK,
                ),
            ],
            &[
                ("RP ADV SUBJ NOW MOVING", NONE),
                ("RP LEFT AREA, OK TO CALL BACK", NONE),
            ],
        ),
        Family::Medical => (
            &[
                ("{subj} UNRESPONSIVE {at}, POSS OD, RP GIVING NARCAN", SICK),
                (
                    "RP STS {subj} TURNING BLUE {at}, BREATHING SHALLOW, POSS OD",
                    SICK,
                ),
                (
                    "FD ON SCENE REQ POLICE ASSIST, PT AGITATED, NO WPNS SEEN",
                    SICK_NO_WPN,
                ),
            ],
            &[
                ("MEDIC ENRT", NONE),
                ("RP ADV SUBJ NOW AWAKE, SITTING UP", NONE),
                ("2ND DOSE NARCAN GIVEN PER RP", SICK),
            ],
        ),
        Family::Suspicious => (
            &[
                (
                    "{rp} STS {subj} LOOKING INTO CAR WINDOWS, {clothes}, NO WPNS SEEN",
                    NO_WPN,
                ),
                ("{subj} LOITERING {at} FOR 2 HRS, RP UNEASY, NFI", NONE),
                ("SUBJ GOING THROUGH RECYCLING BINS, {clothes}", NONE),
                (
                    "{veh} PARKED {mins} MIN W/ ENGINE RUNNING, 2 OCC, RP UNK WHAT THEY ARE DOING",
                    NONE,
                ),
                (
                    "{subj} WALKING UP TO PEOPLE {at} ASKING FOR MONEY, NOT THREATENING",
                    NOT_VIOLENT,
                ),
            ],
            &[
                ("SUBJ LS {dir} ON FOOT", NONE),
                ("RP ADV SUBJ NOW {at}", NONE),
                ("RP DOES NOT WANT CONTACT", NONE),
            ],
        ),
        Family::Trespass => (
            &[
                (
                    "{rp} REQ UNWANTED {subj} REMOVED {at}, REFUSING TO LEAVE, NOT VIOLENT",
                    NOT_VIOLENT,
                ),
                ("{subj} CAMPED {at}, BLOCKING ENTRANCE, RP REQ HELP", NONE),
                ("SUBJ SLEEPING {at}, WONT LEAVE, {clothes}, NO WPNS", NO_WPN),
                (
                    "SUBJ TRESPASSED LAST WEEK, BACK AGAIN {at}, RP HAS TRESPASS PAPERWORK",
                    NONE,
                ),
            ],
            &[
                ("RP ADV SUBJ STILL ON PROP", NONE),
                ("SUBJ PACKING UP PER RP", NONE),
                ("RP ADV SUBJ YELLING NOW, NOT APPROACHING ANYONE", NONE),
            ],
        ),
        Family::Nuisance => (
            &[
                (
                    "GROUP OF 3-4 SUBJS LOITERING {at}, LEAVING TRASH, RP REQ PATROL",
                    NONE,
                ),
                (
                    "{subj} ASKING PEOPLE FOR MONEY {at}, NOT AGGRESSIVE PER RP",
                    NOT_VIOLENT,
                ),
                ("TENT SET UP {at} SINCE THIS AM, RP REQ OUTREACH", NONE),
                (
                    "SUBJS IN PARK AFTER CLOSING, PLAYING MUSIC, RP REQ THEY LEAVE",
                    NONE,
                ),
            ],
            &[
                ("RP ADV SUBJS STILL THERE", NONE),
                ("RP CALLED BACK, NO CHANGE", NONE),
            ],
        ),
        Family::Urinating => (
            &[
                ("{subj} URINATING {at}, RP WANTS SUBJ MOVED ALONG", NONE),
                ("{subj} DEFECATING {at} IN VIEW OF KIDS, RP UPSET", NONE),
                (
                    "RP STS {subj} URINATES {at} EVERY MORNING, REQ PATROL",
                    NONE,
                ),
            ],
            &[("SUBJ LS {dir}", NONE), ("RP CALLED BACK, NO CHANGE", NONE)],
        ),
        Family::Disturbance => (
            &[
                (
                    "{rp} STS {subj} SCREAMING {at}, UNK IF ANYONE ELSE INVOLVED",
                    NONE,
                ),
                (
                    "LOUD ARGUMENT BETWEEN 2 SUBJS {at}, NO WPNS SEEN, NOTHING PHYSICAL",
                    CALM,
                ),
                ("{subj} BANGING ON DOORS AND WINDOWS, {clothes}", NONE),
                (
                    "{subj} YELLING AT PEOPLE {at}, THROWING THINGS, NOT TOUCHING ANYONE",
                    NOT_VIOLENT,
                ),
            ],
            &[
                ("RP ADV YELLING HAS STOPPED", NONE),
                ("ONE SUBJ LEFT {dir}", NONE),
                ("SUBJ LEFT AREA PER RP, RP ADV C4", NONE),
            ],
        ),
        Family::Noise => (
            &[
                ("LOUD MUSIC {at} FOR 2 HRS, RP HAS ASKED THEM TO STOP", NONE),
                (
                    "PARTY {at}, APX 20 PEOPLE, AMPLIFIED MUSIC, RP REQ ENFORCEMENT",
                    NONE,
                ),
                (
                    "{subj} SHOUTING AND SINGING {at} SINCE 0200, NO WPNS SEEN",
                    NO_WPN,
                ),
            ],
            &[
                ("RP ADV MUSIC STILL GOING", NONE),
                ("RP DOES NOT WANT CONTACT", NONE),
            ],
        ),
        Family::Harassment => (
            &[
                (
                    "RP STS EX KEEPS CALLING AND TEXTING, NO THREATS MADE",
                    NOT_VIOLENT,
                ),
                (
                    "{subj} FOLLOWING RP {at}, MAKING COMMENTS, RP FEELS UNSAFE",
                    NONE,
                ),
                (
                    "NEIGHBOR YELLS SLURS AT RP DAILY, RP WANTS IT DOCUMENTED",
                    NONE,
                ),
            ],
            &[
                ("RP ADV SUBJ NOW LS {dir}", NONE),
                ("RP WILL MEET OFFICER {at}", NONE),
            ],
        ),
        Family::Threats => (
            &[
                (
                    "{subj} THREATENED TO BEAT RP {at}, NO WPNS SEEN",
                    VIOLENT_NO_WPN,
                ),
                (
                    "RP STS NEIGHBOR THREATENED TO HURT RP AND RP'S DOG, UNK WPNS",
                    VIOLENT_UNK_WPN,
                ),
                (
                    "{subj} THREATENING PEOPLE {at}, SAYS HE WILL COME BACK, {clothes}",
                    VIOLENT,
                ),
            ],
            &[
                ("SUBJ LS {dir}", NONE),
                ("RP ADV SUBJ HAS DONE THIS BEFORE", NONE),
            ],
        ),
        Family::Intoxicated => (
            &[
                (
                    "{subj} APPEARS HEAVILY INTOX {at}, UNSTEADY, RP CONCERNED",
                    NONE,
                ),
                (
                    "SUBJ DRINKING {at}, FELL ONCE, GOT BACK UP, NO INJURY SEEN",
                    NOT_SICK,
                ),
                (
                    "GROUP OF SUBJS DRINKING {at}, LOUD, ONE APPEARS UNDERAGE",
                    NONE,
                ),
                (
                    "{subj} INTOX, SLUMPED {at}, BREATHING, ANSWERS WHEN RP TALKS TO HIM",
                    NOT_SICK,
                ),
            ],
            &[
                ("SUBJ NOW SITTING UP PER RP", NONE),
                ("RP ADV SUBJ WALKING {dir}, STUMBLING", NONE),
            ],
        ),
        Family::Narcotics => (
            &[
                ("{n} SUBJS USING {at}, RP SEES FOIL AND LIGHTERS", NONE),
                ("{subj} INJECTING {at}, CHILDREN NEARBY PER RP", NONE),
                (
                    "SUBJS APPEAR TO BE DEALING {at}, HAND TO HAND EXCHANGES, NO WPNS SEEN",
                    NO_WPN,
                ),
            ],
            &[
                ("RP ADV SUBJS STILL THERE", NONE),
                ("ONE SUBJ LEFT {dir} ON BIKE", NONE),
            ],
        ),
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
                    "AGGRESSIVE DOG {at} CHARGING AT PEOPLE, OWNER NOT PRESENT",
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
        Family::Other => (
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

/// Race/sex and age as CAD notes write them.
pub(super) const SUBJECTS: &[&str] = &[
    "W/M 40S",
    "B/M 30S",
    "W/F 20S",
    "H/M 50S",
    "A/F 30S",
    "N/M 30S",
    "UNK RACE M 20S",
    "B/F 40S",
    "W/M 60S",
    "H/F 30S",
    "UNK SEX 20S",
];
pub(super) const CLOTHES: &[&str] = &[
    "GRY HOODIE, BLU JEANS",
    "BLK JACKET, RED BACKPACK",
    "NO SHIRT, TAN SHORTS",
    "GRN ARMY JACKET, BLANKET",
    "YEL RAIN COAT",
    "WHT TSHIRT, BLK PANTS, BARE FEET",
    "ORANGE BEANIE, BRN COAT",
    "HOSPITAL GOWN, SOCKS",
];
pub(super) const VEHICLES: &[&str] = &[
    "WHI SEDAN",
    "GRY PICKUP",
    "BLU MINIVAN",
    "BLK SUV",
    "RED HATCHBACK",
    "SILVER VAN",
];
pub(super) const ITEMS: &[&str] = &[
    "BIKE FROM RACK",
    "PACKAGE FROM PORCH",
    "BACKPACK FROM CAFE TABLE",
    "CATALYTIC CONVERTER",
    "SCOOTER",
];
pub(super) const ANIMALS: &[&str] = &[
    "LIMPING DOG",
    "LOOSE DOG",
    "DEAD RACCOON",
    "GOOSE W/ HURT WING",
    "LOOSE GOAT",
];
