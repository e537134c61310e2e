//! What the CAD tells us about a call: nature, location, narrative, caller, safety screen.

use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// A safety-screen answer. `Unknown` is not `No`: the call-taker did not ask or could not tell.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    #[default]
    Unknown,
    No,
    Yes,
}

/// The structured safety screen of a call.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct SafetyFlags {
    pub weapon: Answer,
    pub violence: Answer,
    pub medical: Answer,
    pub fire: Answer,
    pub traffic: Answer,
    pub suicidal: Answer,
}

/// The danger categories of the safety screen, in the order they are checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DangerFlag {
    Weapon,
    Violence,
    Medical,
    Fire,
    Traffic,
    Suicidal,
}

impl DangerFlag {
    pub const ALL: [DangerFlag; 6] = [
        DangerFlag::Weapon,
        DangerFlag::Violence,
        DangerFlag::Medical,
        DangerFlag::Fire,
        DangerFlag::Traffic,
        DangerFlag::Suicidal,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DangerFlag::Weapon => "weapon",
            DangerFlag::Violence => "violence",
            DangerFlag::Medical => "medical",
            DangerFlag::Fire => "fire",
            DangerFlag::Traffic => "traffic",
            DangerFlag::Suicidal => "suicidal",
        }
    }
}

impl SafetyFlags {
    pub fn get(&self, flag: DangerFlag) -> Answer {
        match flag {
            DangerFlag::Weapon => self.weapon,
            DangerFlag::Violence => self.violence,
            DangerFlag::Medical => self.medical,
            DangerFlag::Fire => self.fire,
            DangerFlag::Traffic => self.traffic,
            DangerFlag::Suicidal => self.suicidal,
        }
    }

    pub fn set(&mut self, flag: DangerFlag, answer: Answer) {
        let slot = match flag {
            DangerFlag::Weapon => &mut self.weapon,
            DangerFlag::Violence => &mut self.violence,
            DangerFlag::Medical => &mut self.medical,
            DangerFlag::Fire => &mut self.fire,
            DangerFlag::Traffic => &mut self.traffic,
            DangerFlag::Suicidal => &mut self.suicidal,
        };
        *slot = answer;
    }
}

/// Where the call is, as the CAD describes the place.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceType {
    #[default]
    Unknown,
    OutdoorPublic,
    Business,
    PrivateResidence,
    Vehicle,
    Roadway,
}

/// The least urgent CAD priority a call may carry: CADs number theirs 1 (most urgent) to 5
/// (EIDO's highest … lowest) or to 9 (Seattle's and San Diego's); 0 means "not given".
pub const MAX_CAD_PRIORITY: u32 = 9;

/// A WGS84 position in decimal degrees.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

impl GeoPoint {
    /// Whether the point is a real position (finite, within ±90 / ±180).
    pub fn is_valid(&self) -> bool {
        self.problem().is_none()
    }

    /// What is wrong with the point, if anything: the coordinate ("lat" or "lon") and why.
    pub fn problem(&self) -> Option<(&'static str, String)> {
        if !self.lat.is_finite() || !(-90.0..=90.0).contains(&self.lat) {
            return Some(("lat", format!("{} is not a latitude in -90..90", self.lat)));
        }
        if !self.lon.is_finite() || !(-180.0..=180.0).contains(&self.lon) {
            return Some((
                "lon",
                format!("{} is not a longitude in -180..180", self.lon),
            ));
        }
        None
    }

    /// Great-circle distance in metres (`geo`'s haversine, mean Earth radius; ample for
    /// city distances).
    pub fn distance_m(&self, other: &GeoPoint) -> f64 {
        use geo::{Distance, Haversine, Point};
        Haversine.distance(
            Point::new(self.lon, self.lat),
            Point::new(other.lon, other.lat),
        )
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Location {
    pub address: String,
    pub point: Option<GeoPoint>,
    pub place_type: PlaceType,
    pub cross_streets: String,
    pub beat: String,
}

/// Who called and how to call them back. PHI: never logged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Caller {
    pub name: String,
    pub callback: String,
}

/// One line of the CAD narrative. PHI: never logged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NarrativeLine {
    pub at: Timestamp,
    pub text: String,
}

/// The CAD's fields of a call, as they stand after the latest CAD update.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CallDetails {
    pub nature_code: String,
    pub nature_text: String,
    /// The CAD's own priority (1 = most urgent), as the CAD sent it; 0 = not given. At most
    /// [`MAX_CAD_PRIORITY`].
    pub cad_priority: u32,
    pub location: Location,
    pub narrative: Vec<NarrativeLine>,
    pub caller: Caller,
    pub caller_language: String,
    pub flags: SafetyFlags,
}

/// A partial update of the CAD fields: `None` leaves a field as it was.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CallChanges {
    pub nature_code: Option<String>,
    pub nature_text: Option<String>,
    pub cad_priority: Option<u32>,
    pub location: Option<Location>,
    pub caller: Option<Caller>,
    pub caller_language: Option<String>,
    /// Only the flags the CAD re-sent; `Unknown` in an update does not erase an earlier answer.
    pub flags: Option<SafetyFlags>,
}

impl CallDetails {
    /// Applies a CAD update. Safety answers only move from unknown to known, or change when the
    /// CAD states a new known answer: an update that omits a flag never clears it.
    pub fn apply_changes(&mut self, changes: &CallChanges) {
        if let Some(v) = &changes.nature_code {
            self.nature_code.clone_from(v);
        }
        if let Some(v) = &changes.nature_text {
            self.nature_text.clone_from(v);
        }
        if let Some(v) = changes.cad_priority {
            self.cad_priority = v;
        }
        if let Some(v) = &changes.location {
            self.location = v.clone();
        }
        if let Some(v) = &changes.caller {
            self.caller = v.clone();
        }
        if let Some(v) = &changes.caller_language {
            self.caller_language.clone_from(v);
        }
        if let Some(flags) = &changes.flags {
            for flag in DangerFlag::ALL {
                let answer = flags.get(flag);
                if answer != Answer::Unknown {
                    self.flags.set(flag, answer);
                }
            }
        }
    }
}
