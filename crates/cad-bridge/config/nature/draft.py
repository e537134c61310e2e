"""First draft of the nature-code maps (run from the project root).

Keyword rules, most dangerous first, put every call type of the public datasets in
`../shared/data/` into one of the triage's nature families; what no rule matches is left out
(the triage then reads the words, and unknown goes to review). The output was then read
through by hand; the maps in this folder are the source of truth, not this script. Rules
err towards the excluded families: a call type that names a weapon, violence, an injury,
a fire or traffic never lands in an eligible family.
"""
import collections, csv, re, sys

DATA = "../shared/data"

RULES = [
    ("weapons-violence", r"WEAPON|WPN|W/W|\bGUN|SHOT|SHOOT|FIREARM|KNIFE|STAB|ASSAULT|ASLT|ROBBERY|\bFIGHT|\bDV\b|DOMESTIC|THREAT|THRT|HOSTAGE|KIDNAP|ABDUCT|CHILD STEAL|RAPE|SEX(UAL)? ASSAULT|MOLEST|VIOLEN|BATTERY|BRANDISH|BOMB|EXPLOSIVE|ARMED|HOMICIDE|MURDER|CARJACK|STALK|ABUSE|BIAS|RIOT|\bADW\b|SWAT|BARRICAD|PERSON WITH A|ATTEMPTED SUICIDE|SUICIDE ATTEMPT|HARASS"),
    ("medical", r"OVERDOSE|MEDICAL|AMBULANCE|UNCONSCIOUS|PERSON DOWN|DOWN - CHECK|INJUR|\bDEAD\b|DEATH|\bBODY\b|CARDIAC|SEIZURE|BLEED|\bSICK|\bOD\b|NOT BREATHING|MEDIC\b|MEDIC AID"),
    ("fire", r"FIRE(?!WORK)|BURN|SMOKE|ARSON|EXPLOSION"),
    ("traffic", r"TRAFFIC|COLLISION|ACCIDENT(?!AL)|\bMVC\b|\bDUI\b|HIT ?(AND|&|/) ?RUN|RECKLESS DRIV|ROAD RAGE|PEDESTRIAN|MOVING VIOLATION|RUNAWAY VEHICLE|\bPED STOP|VEHICLE STOP|DRIVING"),
    ("behavioral-crisis", r"MENTAL|BEHAVIORAL|EMOTIONAL|PSYCH|\b5150\b|CRISIS|\bEDP\b"),
    ("needs-review", r"SUICID"),
    ("crime", r"THEFT|BURGLAR|\bBURG|STOLEN|SHOPLIFT|FRAUD|VANDAL|PROWL|WARRANT|NARCOTIC|\bDRUG|GRAFFITI|EMBEZZ|FORGERY|PROPERTY|LEWD|INDECENT|EXPOS|PROSTITUT|GAMBL|ARREST|PRISONER|CUSTODY|PAROLE|PROBATION|RECOVER|IDENTITY|CASER|EXTORT|BRIBE|COUNTERFEIT|CRIMINAL|CRIME|TAMPER|VEH(ICLE)? THEFT|AUTO THEFT|LARCENY|SEX IN PUBLIC|PEEPING|OBSCEN|CHECKS|MISCHIEF|SHOPLIFTING|POSSESSION|DAMAGE|LOST OR STOLEN"),
    ("welfare-check", r"WELFARE|WELL CK|WELL CHECK"),
    ("intoxicated", r"DRUNK|INTOX|LIQUOR|INEBRIAT|\b647F\b"),
    ("unwanted-person", r"TRESPASS|SLEEPER|SLEEPING|UNWANTED|LOITER|PANHANDL|ILLEGAL CAMP|TRANSIENT|HOMELESS|UNHOUSED|NUISANCE|LODGING|^SUSPICIOUS PERSON$"),
    ("needs-review", r"DISTURB|SUSPICIOUS|SUSP\b|NOISE|LOUD|MISSING|SENILE|CHRONIC|\b415|UNKNOWN|PRESERVE THE PEACE|CHILD|JUVENILE|RUNAWAY|CALLING FOR HELP|CITIZEN CONTACT|FOUND PERSON|ASSIST (THE )?PUBLIC|HELP THE|LANDLORD|TENANT|\bCIVIL\b"),
    ("not-a-person-in-crisis", r"ALARM|PARKING|PARKED|\bPARK\b|\bTOW|ABANDON|ANIMAL|\bDOG|FIREWORK|ASSIST OTHER|ASSIST (FIRE|AGENCY|OUTSIDE)|\bINFO|ADMIN|MEETING|SCHOOL|FOLLOW[- ]?UP|PREMISE|SELECTIVE|TRAFFIC STOP|FOUND PROPERTY|LOST PROPERTY|HAZARD|HANG ?UP|OPEN LINE|ACCIDENTAL|ESCORT|PATROL|OFFICER|COURT|\bLOG\b|TEST|OUT OF SERVICE|SPECIAL DETAIL|STATION|PHONE|SECURITY CHECK|FLAG DOWN|FIELD INTERVIEW|ALL UNITS|PLATE|LICENSE|EQUIPMENT|VEHICLE CHECK|BUSINESS CHECK|HARBOR|WATER|TREES|DEBRIS|SERVICE|REPORT EVAL|LOCKOUT|KEYS|MAINTENANCE|STREET LIGHT|ELEVATOR|911"),
]

# Read-through decisions where the keyword rules were wrong or silent.
OVERRIDES = {
    "NARCOTICS - VIOLATIONS (LOITER, USE, SELL, NARS)": "crime",
    "NOISE - ANIMAL (INCLUDES BARKING DOGS)": "not-a-person-in-crisis",
    # Attempts and critical suicide calls need EMS; ideation alone is the triage's review.
    "SUICIDE - SUICIDAL PERSON AND ATTEMPTS": "medical",
    "SUICIDE - CRITICAL": "medical",
    "LIQUOR VIOLATIONS - MINOR": "needs-review",
    "187 SUSPECT THERE NOW": "weapons-violence",
    "211 SUSPECT THERE NOW": "weapons-violence",
    "245 SUSPECT THERE NOW": "weapons-violence",
    "FIRING AT OCCP'D HSE/VEH": "weapons-violence",
    "FIRING AT OCCP'D HSE/VEH 1110": "weapons-violence",
    "FIRING AT UNOCCUPIED VEH": "weapons-violence",
    "FIRING AT UNOCCPD VEH/HSE 1110": "weapons-violence",
    "CAR JACKING": "weapons-violence",
    "THROWING OBJECTS AT AN OCC VEH": "weapons-violence",
    "THROWING OBJECTS AT AN OCC VEH REPORT": "weapons-violence",
    "INTIMIDATION OF WITNESS": "weapons-violence",
    "ATTACK ON PD FACILITY": "weapons-violence",
    # A therapist's warning that a patient threatened an identifiable person.
    "TARASOFF REPORT": "weapons-violence",
    "TRO VIOLATION, REPORT": "weapons-violence",
    "RESTRAINING ORDER VIOLATION": "weapons-violence",
    "STAY AWAY ORDER": "weapons-violence",
    "459 SUSPECT THERE NOW": "crime",
    "ESCAPE/ESCAPEE": "crime",
    "FOOT PURSUIT": "crime",
    "ILLEGAL USE OF LASER": "crime",
    "LITTERING": "crime",
    "CONTRIBUTING DELINQ MINOR": "crime",
    "TICKET SCALPER": "crime",
    "ILLEGAL STREET RACING": "traffic",
    "SIGALERT": "traffic",
    "ASSIST DISABLED MOTORIST": "traffic",
    "SIGNALS OUT OF ORDER": "traffic",
    "BALL GAME IN STREET(83 03MC)": "traffic",
    "AIRPLANE PROBLEM": "fire",
    "AIRPLANE CRASH": "fire",
    "RESCUE CITIZENS": "fire",
    "EVACUATE CITIZENS": "fire",
    "CHEMICAL SPILL": "fire",
    "CORONER'S CASE": "medical",
    "BLOOD RUN": "medical",
    "ASSIST THE INVALID": "needs-review",
    "CALL FOR HELP": "needs-review",
    "CITIZEN ASSIST": "needs-review",
    "CITIZEN FLAGDOWN": "needs-review",
    "ATTEMPT TO CONTACT": "needs-review",
    "DIST PEACE-CAPP HOUSE": "needs-review",
    "TAXI OR BUS NEEDS HELP": "needs-review",
    "EJECTED FROM AN EVENT": "needs-review",
    "URINATING, DEFECATING IN PUBLIC": "unwanted-person",
    "EXCESSIVE ALCOHOL": "intoxicated",
    "DRUNK - DRUGS/ALCOHOL": "intoxicated",
    "ALCOHOL CONTACT": "intoxicated",
    "QUIET HOURS CONTACT": "needs-review",
    "DEMONSTRATION CALLS": "needs-review",
}
ADMIN = ("CHECK THE AREA|FURNISH TRANSPORTATION|APPOINTMENT|DOCKLESS BIKE|STAKEOUT|STAYOUT|CITIZEN'S COMPLAINT|CCF|ISSUE CITATION|COVER|DESK CALL|PICK UP EVIDENCE|FRONT COUNTER|LIAISON|MOBILE FIELD FORCE|MUTUAL AID|OVERSIZED VEHICLE|FINISH 1110|PROBLEM ORIENTED|PORT RUNNER|PRT ASSIST|ROUTE SLIP|ROCK N ROLL|SKATEBOARD|ASSIST SPD|PARKS VIOLATIONS|OBS - REPORT|CAMPUS SECURITY AUTHORITY|IMPOUND|TICKET SIGN OFF|TRITON CORE|UC POLICY|UCSD EAST CAMPUS")

def family(text):
    t = " ".join(text.upper().split())
    if t in OVERRIDES:
        return OVERRIDES[t]
    if re.search(ADMIN, t):
        return "not-a-person-in-crisis"
    for fam, pattern in RULES:
        if re.search(pattern, t):
            return fam
    return None

def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

def write(path, header, entries):
    by_family = collections.defaultdict(list)
    left = []
    for key, text, n in entries:
        f = family(text)
        (by_family[f] if f else left).append((key, text, n))
    with open(path, "w") as out:
        out.write(header)
        out.write("\n[codes]\n")
        for fam, _ in RULES:
            if fam not in by_family:
                continue
            items = by_family.pop(fam)
            out.write(f"\n# {fam}\n")
            for key, text, n in sorted(items):
                if text != key:
                    out.write(f"{q(key)} = {{ family = {q(fam)}, text = {q(text)} }}\n")
                else:
                    out.write(f"{q(key)} = {q(fam)}\n")
        if left:
            out.write("\n# Not mapped (the triage reads the words; a call type it does not know goes to review):\n")
            for key, text, n in sorted(left):
                out.write(f"# {key} ({text}): {n} calls\n")

if __name__ == "__main__":
    # San Diego: every code of the city's call-type table, with its description.
    sd_counts = collections.Counter(r["call_type"] for r in csv.DictReader(open(f"{DATA}/sandiego/sdpd-calls-for-service-2023-01-01-to-15.csv")))
    desc = {}
    for r in csv.reader(open(f"{DATA}/sandiego/sdpd-call-types.csv", encoding="utf-8-sig")):
        if r and r[0] not in ("call_type", "") and r[0] not in desc:
            desc[r[0]] = r[1].strip()
    sd = [(c, d, sd_counts.get(c, 0)) for c, d in desc.items()]
    # Seattle: every Initial Call Type of both SPD files (SPD publishes no short codes).
    st = collections.Counter()
    for f, col in [("spd-calls-denny-blaine-2018-2023.csv", "Initial Call Type"), ("spd-calls-madison-beach-2010-2024.csv", "Initial.Call.Type")]:
        for r in csv.DictReader(open(f"{DATA}/seattle/{f}")):
            st[" ".join(r[col].split())] += 1
    seattle = [(t, t, n) for t, n in st.items() if t]
    # UC San Diego: every incident type of the log seen at least twice (the rest are spelling
    # slips and parsing artefacts, left to the triage's reading of the words).
    uc = collections.Counter(" ".join(r["Incident type"].split()) for r in csv.DictReader(open(f"{DATA}/ucsd/ucsd-police-calls-for-service-2025-08-to-11.csv")))
    ucsd = [(t, t, n) for t, n in uc.items() if t and n >= 2 and not re.match(r"^\d", t)]
    hdr = open(sys.argv[1]).read() if len(sys.argv) > 1 else ""
    for name, entries in [("sdpd", sd), ("seattle-spd", seattle), ("ucsd-pd", ucsd)]:
        header = open(f"crates/cad-bridge/config/nature/{name}.header").read()
        write(f"crates/cad-bridge/config/nature/{name}.toml", header, entries)
