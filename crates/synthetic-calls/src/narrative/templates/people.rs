//! Templates of calls about a person's state: crisis, suicide, welfare, down, medical, suspicious or disturbing behaviour, intoxication.

use super::*;

/// The templates of a person-centred call family; `None` for the others.
pub(super) fn templates(family: Family) -> Option<(&'static [Template], &'static [Template])> {
    Some(match family {
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
        _ => return None,
    })
}
