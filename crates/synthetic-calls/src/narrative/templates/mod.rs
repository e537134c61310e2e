//! The templates: what a call-taker writes for each call family, first lines and later ones,
//! each with what it says about the safety screen; and the word lists that fill their slots.
//! Data, not logic: the scene in `narrative` picks and fills them.

use super::Template;

mod incidents;
mod people;
use crate::family::Family;
use crate::says::Says;
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
    people::templates(family).unwrap_or_else(|| incidents::templates(family))
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
