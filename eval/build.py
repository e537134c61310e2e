#!/usr/bin/env python3
"""Builds portland-eval.jsonl: a labelled evaluation set for triage.

Call types are real (Seattle Police initial call types, San Diego call-type codes, NENA EIDO
incident types; see README.md). Narratives are written by this project in the terse style of
CAD notes; none describes a real person. Each narrative carries a label written by hand from
Portland Street Response's published criteria, independently of the engine: what danger it
asserts (or denies). The expected decision follows from the labels:
  any asserted danger (weapon, violence, medical, fire, traffic, suicide plan/means/attempt),
  an excluded call type, a private residence or a roadway      -> not_eligible
  suicidal ideation without plan or means, a call type that needs a person's judgement
                                                               -> review
  otherwise                                                    -> eligible
Run from the project root: python3 eval/build.py
"""
import json, random

# (call type text, code, family) — family: eligible | review | excluded
CALL_TYPES = [
    ("PERSON IN BEHAVIORAL/EMOTIONAL CRISIS", "", "eligible"),
    ("SERVICE - WELFARE CHECK", "", "eligible"),
    ("SUSPICIOUS PERSON, VEHICLE, OR INCIDENT", "", "eligible"),
    ("TRESPASS", "", "eligible"),
    ("NUISANCE", "", "eligible"),
    ("LIQUOR VIOLATIONS - ADULT", "", "eligible"),
    ("MENTAL CASE", "5150", "eligible"),
    ("CHECK THE WELFARE", "CW", "eligible"),
    ("SLEEPER", "SLEEPER", "eligible"),
    ("DRUNK - DRUGS/ALCOHOL", "647F", "eligible"),
    ("TRESPASSING", "602", "eligible"),
    ("EMOTIONALLY DISTURBED PERSON", "EDP", "eligible"),
    ("WELFARE", "WELFARE", "eligible"),
    ("DISTURBANCE", "", "review"),
    ("NOISE - GENERAL", "", "review"),
    ("DISTURBING PEACE", "415", "review"),
    ("CHRONIC COMM CALLER CONTROL", "CCCC", "review"),
    ("ASLT - WITH OR W/O WPNS (NO SHOOTINGS)", "", "excluded"),
    ("SHOTS HEARD - IN PROGRESS", "", "excluded"),
    ("BURG - OCCUPIED RESD", "", "excluded"),
    ("THEFT (DOES NOT INCLUDE SHOPLIFT OR SVCS)", "", "excluded"),
    ("AMBULANCE CALL OVERDOSE", "1140OD", "excluded"),
    ("PERSON DOWN", "11-8", "excluded"),
    ("BURN - RECKLESS BURNING", "", "excluded"),
    ("TRAFFIC - BLOCKING ROADWAY", "", "excluded"),
    ("DISTURBANCE WITH VIOLENCE", "415V", "excluded"),
    ("MENTAL CASE-VIOLENT OR URGENT", "5150V", "excluded"),
    ("ROBBERY", "", "excluded"),
]

# (narrative, danger) — danger: none | weapon | violence | medical | fire | traffic | plan | ideation
NARRATIVES = [
    # the calls the program exists for
    ("RP STS SUBJ YELLING AT PASSERSBY, NO WPNS SEEN", "none"),
    ("W/M 40S TALKING TO HIMSELF AT BUS STOP, RP CONCERNED", "none"),
    ("SUBJ CRYING ON BENCH, STS HEARING VOICES, WANTS TO TALK TO SOMEONE", "none"),
    ("RP IS SUBJ'S MOTHER, SUBJ OFF MEDS X4 DAYS, LS NEAR LIBRARY", "none"),
    ("SUBJ DISORIENTED, ASKING FOR HELP FINDING SHELTER", "none"),
    ("subj pacing outside store, talking about the government, not aggressive", "none"),
    ("F 20S SITTING ON SIDEWALK, CONFUSED, NO SHOES, COLD", "none"),
    ("MGR REQ UNWANTED SUBJ MOVED ALONG FROM DOORWAY, REFUSING TO LEAVE", "none"),
    ("SUBJ SLEEPING IN ATM VESTIBULE, BLOCKING ENTRY", "none"),
    ("CAMPER IN PARK RESTROOM ALL NIGHT, STAFF REQ ASSIST", "none"),
    ("SUBJ APPEARS INTOX, STUMBLING BUT STANDING, ASKING FOR CHANGE", "none"),
    ("RP REQ CHECK ON ELDERLY MALE WANDERING, APPEARS LOST", "none"),
    ("SUBJ SCREAMING AT NO ONE AT MAX PLATFORM", "none"),
    ("Subj undressing in the park, talking nonsense", "none"),
    ("RP STS SUBJ BANGING HEAD ON WALL SLOWLY, NO BLOOD SEEN", "none"),
    ("SUBJ STS BUGS UNDER HIS SKIN, SCRATCHING, PARANOID", "none"),
    ("SUBJ FOLLOWING CUSTOMERS ASKING FOR MONEY, UPSETTING THEM", "none"),
    ("RP SPANISH SPEAKING, LANG LINE USED, SUBJ GRITANDO EN LA CALLE", "none"),
    ("RP HABLA ESPANOL, HOMBRE CONFUNDIDO EN LA PARADA DE AUTOBUS", "none"),
    ("SUBJ HAS BEEN SITTING IN LOBBY 6 HRS, WON'T ANSWER STAFF", "none"),
    ("LOITERING SUBJ NEAR PLAYGROUND, TALKING LOUDLY TO SELF", "none"),
    ("SUBJ REFUSING TO LEAVE CHURCH STEPS, CALM", "none"),
    ("RP STS NEIGHBOR'S ADULT SON WALKING AROUND BLOCK IN BATHROBE, CONFUSED", "none"),
    ("subj hoarding carts in parking lot, agitated when approached", "none"),
    ("VET IN DISTRESS AT VA CLINIC ENTRANCE, REQ SOMEONE TO TALK TO", "none"),
    # denials and negations: still the program's calls
    ("NO WPNS SEEN, SUBJ VERBALLY UPSET", "none"),
    ("SUBJ DENIES SI, JUST WANTS A RIDE TO SHELTER", "none"),
    ("NEG WEAPONS, NOT VIOLENT, CRYING", "none"),
    ("WPNS: NEG. SUBJ YELLING ABOUT LANDLORD", "none"),
    ("no weapons seen, subj calm now", "none"),
    ("RP STS SUBJ IS NOT VIOLENT, JUST LOUD", "none"),
    ("SUBJ HAS NO KNOWN WPNS, KNOWN TO TEAM", "none"),
    ("SIN ARMAS, SIN VIOLENCIA, SOLO ESTA LLORANDO", "none"),
    ("DENIES ANY DRUG USE, NOT INJURED", "none"),
    ("RP ADV NO FIGHT, JUST AN ARGUMENT WITH CLERK", "none"),
    # weapon
    ("SUBJ WAVING A KNIFE AT PASSERSBY", "weapon"),
    ("no weapons seen but he says he has a gun", "weapon"),
    ("NO WPNS SEEN, SUBJ NOW HOLDING A MACHETE", "weapon"),
    ("RP NOT SURE IF SUBJ HAS A GUN IN HIS WAISTBAND", "weapon"),
    ("SUBJ HAS NO SHOES, HOLDING A KNIFE", "weapon"),
    ("SUBJ ARMED WITH A BAT? PER RP POSS HANDGUN", "weapon"),
    ("SUBJ STS HE HAS A PISTOLA EN LA MOCHILA", "weapon"),
    ("W/M WITH BLADE CUTTING AT TENT", "weapon"),
    ("Subj threatening people with a hatchet", "weapon"),
    ("POSS GSW TO LEG PER RP", "weapon"),
    ("SUBJ BRANDISHING A FIREARM AT CARS", "weapon"),
    ("RP HEARD SHOTS, SUBJ RUNNING NB", "weapon"),
    # violence
    ("SUBJ PUNCHING WINDOWS AND PEOPLE, COMBATIVE", "violence"),
    ("2 SUBJS FIGHTING IN PARKING LOT", "violence"),
    ("SUBJ ASSAULTED SECURITY GUARD, STILL ON SCENE", "violence"),
    ("SUBJ THREATENING TO HURT RP, VERY AGITATED", "violence"),
    ("DV IN PROGRESS PER NEIGHBOR", "violence"),
    ("subj kicking people walking by", "violence"),
    ("SUBJ CHOKING HIS GIRLFRIEND PER RP", "violence"),
    ("SUBJ ATTACKED A DOG AND ITS OWNER", "violence"),
    # medical
    ("SUBJ UNCONS ON SIDEWALK, BREATHING UNK", "medical"),
    ("POSS OD, RP GAVE NARCAN", "medical"),
    ("SUBJ UNRESPONSIVE IN DOORWAY", "medical"),
    ("SUBJ BLEEDING FROM HEAD AFTER FALL", "medical"),
    ("SUBJ HAVING A SEIZURE ON BUS", "medical"),
    ("subj passed out on bench, can't wake him", "medical"),
    ("SUBJ C/O CHEST PAIN, SWEATING", "medical"),
    ("SUBJ INJURED, LIMPING, ASKING FOR AMBULANCE", "medical"),
    ("SUBJ NOT BREATHING PER RP", "medical"),
    # fire
    ("SMALL FIRE IN ENCAMPMENT, SUBJ NEXT TO IT", "fire"),
    ("SUBJ LIGHTING TRASH CAN ON FIRE", "fire"),
    ("SMOKE COMING FROM TENT, RP UNK IF ANYONE INSIDE", "fire"),
    ("subj burning papers in doorway", "fire"),
    # traffic
    ("SUBJ WALKING IN TRAFFIC LANES ON BURNSIDE", "traffic"),
    ("SUBJ STANDING IN THE ROADWAY YELLING AT CARS", "traffic"),
    ("SUBJ RUNNING INTO TRAFFIC, CARS SWERVING", "traffic"),
    ("SUBJ ON THE FREEWAY SHOULDER WALKING IN LANES", "traffic"),
    ("subj lying in roadway at intersection", "traffic"),
    ("SUBJ BLOCKING TRAFFIC, WAVING ARMS", "traffic"),
    # suicide: plan, means, attempt
    ("SUBJ ON THE BRIDGE RAILING, STS WILL JUMP", "plan"),
    ("PER RP SUBJ TOOK PILLS 1 HR AGO, WANTS TO DIE", "plan"),
    ("SUBJ STS HE HAS A PLAN TO END HIS LIFE TONIGHT", "plan"),
    ("DENIES SI BUT STS HAS A PLAN", "plan"),
    ("SUBJ CUTTING HERSELF IN RESTROOM", "plan"),
    ("SUBJ WITH NOOSE IN PARK, RP TALKING TO HIM", "plan"),
    ("ATTEMPTED SUICIDE EARLIER TODAY PER FAMILY, NOW MISSING", "plan"),
    # suicidal ideation, no plan or means
    ("SUBJ STS SHE IS SUICIDAL, NO WPNS, SITTING ON BENCH", "ideation"),
    ("SUBJ TALKING ABOUT SUICIDE, NO PLAN PER RP, NEG WEAPONS", "ideation"),
    ("RP STS FRIEND SAYS HE WANTS TO DIE, AT COFFEE SHOP, CALM", "ideation"),
    ("subj says he wants to kill himself, no weapons seen", "ideation"),
    ("PERSONA SUICIDA EN LA PLAZA, HABLA CON RP", "ideation"),
    ("SI, NO PLAN, REQ CRISIS COUNSELOR", "ideation"),
]

PLACES = ["outdoor_public"] * 5 + ["business"] * 3 + ["private_residence", "roadway", "vehicle", "unknown"]
BLOCKING = {"weapon", "violence", "medical", "fire", "traffic", "plan"}


def expected(family, danger, place):
    if danger in BLOCKING or family == "excluded" or place in ("private_residence", "roadway"):
        return "not_eligible"
    if danger == "ideation" or family == "review":
        return "review"
    return "eligible"


def main():
    rng = random.Random(1911)
    rows = []
    n = 0
    # Every narrative with an eligible call type outdoors (the heart of the set), then mixes.
    for text, danger in NARRATIVES:
        for _ in range(2):
            nature, code, family = rng.choice([c for c in CALL_TYPES if c[2] == "eligible"])
            place = rng.choice(["outdoor_public", "business"])
            rows.append((nature, code, family, text, danger, place))
    for _ in range(160):
        nature, code, family = rng.choice(CALL_TYPES)
        text, danger = rng.choice(NARRATIVES)
        place = rng.choice(PLACES)
        rows.append((nature, code, family, text, danger, place))
    with open("eval/portland-eval.jsonl", "w") as f:
        for nature, code, family, text, danger, place in rows:
            n += 1
            style = rng.random()
            shown = text.lower() if style < 0.15 else text.title() if style < 0.25 else text
            lat = round(45.48 + rng.random() * 0.08, 5)
            lon = round(-122.70 + rng.random() * 0.12, 5)
            call = {
                "call_id": f"E{n:04d}",
                "received_at": f"2024-06-{1 + n % 28:02d}T{10 + n % 10:02d}:{n % 60:02d}:00-07:00",
                "nature_code": code,
                "nature_text": nature,
                "narrative": [shown],
                "location": {"address": "SYNTHETIC", "lat": lat, "lon": lon, "place_type": place},
                "flags": {},
                "expected": {"decision": expected(family, danger, place), "danger": danger, "family": family},
            }
            f.write(json.dumps(call) + "\n")
    print(n, "calls")


main()
