//! Where a demo call is: the kind of place (drawn per call family), how the narrative names
//! it, and a CAD-style Portland address, cross streets and beat for the call's position.
//!
//! Addresses follow Portland's grid (Burnside splits north from south, the Willamette and
//! Williams Ave split east from west, numbered avenues count blocks from there, a hundred
//! numbers to a block), so an address lands roughly where its point is. The street names
//! are real; their positions are approximate and the block numbers are made up from them.

use crate::family::Family;
use crate::rng::Rng;
use dispatch_core::{GeoPoint, PlaceType};

/// The kind of place, drawn with weights that fit the family: mostly outdoors in public or
/// in a business, some private residences, roadways for traffic.
pub fn place_type(family: Family, rng: &mut Rng) -> PlaceType {
    use PlaceType::{Business as B, OutdoorPublic as O, PrivateResidence as P};
    use PlaceType::{Roadway as R, Unknown as U, Vehicle as V};
    let weights: &[(PlaceType, u32)] = match family {
        Family::Crisis => &[(O, 62), (B, 20), (P, 12), (U, 6)],
        Family::Suicide => &[(O, 45), (P, 40), (B, 10), (U, 5)],
        Family::Welfare => &[(O, 60), (B, 15), (P, 22), (U, 3)],
        Family::Down => &[(O, 80), (B, 15), (U, 5)],
        Family::Medical => &[(O, 55), (B, 20), (P, 25)],
        Family::Suspicious => &[(O, 55), (B, 25), (P, 12), (V, 8)],
        Family::Trespass => &[(B, 55), (O, 35), (P, 10)],
        Family::Nuisance | Family::Lewd | Family::Intoxicated => &[(O, 70), (B, 27), (V, 3)],
        Family::Urinating => &[(O, 85), (B, 15)],
        Family::Narcotics => &[(O, 80), (B, 15), (V, 5)],
        Family::Disturbance | Family::Harassment | Family::Threats => &[(O, 45), (B, 30), (P, 25)],
        Family::Noise => &[(P, 55), (O, 40), (B, 5)],
        Family::Violence => &[(O, 55), (B, 20), (P, 20), (V, 5)],
        Family::Robbery => &[(O, 60), (B, 35), (V, 5)],
        Family::SexAssault => &[(P, 50), (O, 30), (B, 20)],
        Family::Shots => &[(O, 70), (P, 25), (V, 5)],
        Family::Weapon => &[(O, 55), (B, 20), (P, 20), (V, 5)],
        Family::Theft => &[(B, 40), (O, 30), (P, 20), (V, 10)],
        Family::VehicleTheft => &[(O, 60), (P, 30), (B, 10)],
        Family::Damage => &[(P, 40), (B, 35), (O, 25)],
        Family::Fraud => &[(P, 70), (B, 30)],
        Family::Burglary => &[(P, 85), (B, 15)],
        Family::Traffic | Family::Driving => &[(R, 90), (V, 10)],
        Family::Crash => &[(R, 100)],
        Family::Fire | Family::Fireworks => &[(O, 85), (P, 10), (B, 5)],
        Family::Hazard => &[(O, 70), (R, 30)],
        Family::Water => &[(O, 100)],
        Family::Animal | Family::AnimalBite => &[(O, 65), (P, 35)],
        Family::AnimalNoise => &[(P, 80), (O, 20)],
        Family::OpenLine => &[(U, 70), (P, 30)],
        Family::Unknown => &[(U, 60), (P, 25), (O, 15)],
        Family::Assist => &[(O, 50), (B, 30), (P, 10), (U, 10)],
        Family::CourtOrder => &[(P, 90), (B, 10)],
        Family::Child => &[(P, 55), (O, 30), (B, 10), (V, 5)],
        Family::Other => &[(O, 40), (B, 30), (P, 20), (U, 10)],
    };
    *rng.weighted(weights)
}

/// A phrase that puts something at a place of this kind ("AT BUS STOP", "ON FRONT PORCH").
pub fn at(place: PlaceType, rng: &mut Rng) -> &'static str {
    rng.pick(match place {
        PlaceType::OutdoorPublic => &[
            "AT BUS STOP",
            "ON PARK BENCH",
            "ON SIDEWALK",
            "IN PARK",
            "UNDER OVERPASS",
            "AT CORNER",
            "IN PLAZA",
            "NEAR PLAYGROUND",
            "ON BIKE PATH",
        ][..],
        PlaceType::Business => &[
            "IN FRONT OF STORE",
            "INSIDE GROCERY STORE",
            "AT GAS STATION",
            "IN COFFEE SHOP",
            "IN LIBRARY LOBBY",
            "AT FAST FOOD REST",
            "IN PHARMACY",
            "IN STORE PARKING LOT",
        ],
        PlaceType::PrivateResidence => &[
            "AT RESIDENCE",
            "ON FRONT PORCH",
            "INSIDE APT",
            "IN BACKYARD",
            "IN DRIVEWAY",
        ],
        PlaceType::Vehicle => &[
            "IN PARKED CAR",
            "IN RV PARKED ON STREET",
            "IN VAN ON SHOULDER",
        ],
        PlaceType::Roadway => &["IN ROADWAY", "ON MEDIAN", "AT INTERSECTION"],
        PlaceType::Unknown => &["AT LOC", "AT UNK LOC NEAR ADDRESS"],
    })
}

/// Who the reporting party is, as the call-taker notes it for this kind of place.
pub fn reporting_party(place: PlaceType, rng: &mut Rng) -> &'static str {
    rng.pick(match place {
        PlaceType::Business => &["RP (MGR)", "RP (SECURITY)", "RP (EMPLOYEE)", "RP"][..],
        PlaceType::PrivateResidence => &["RP (NEIGHBOR)", "RP (RESIDENT)", "RP"],
        PlaceType::Roadway | PlaceType::Vehicle => &["RP (DRIVER)", "RP (PASSERBY)", "RP"],
        _ => &["RP", "RP", "RP (PASSERBY)"],
    })
}

/// Portland's address quadrants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quadrant {
    North,
    Northeast,
    Southeast,
    Southwest,
    Northwest,
}

impl Quadrant {
    fn of(p: GeoPoint) -> Quadrant {
        let east = p.lon >= EAST_ZERO_LON;
        if p.lat < BURNSIDE_LAT {
            return if east {
                Quadrant::Southeast
            } else {
                Quadrant::Southwest
            };
        }
        if east {
            return Quadrant::Northeast;
        }
        // North Portland is the peninsula east of the Willamette, which bends west going north.
        let river_lon = -122.683 - (p.lat - 45.54).max(0.0) * 1.54;
        if p.lat > 45.535 && p.lon > river_lon {
            Quadrant::North
        } else {
            Quadrant::Northwest
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Quadrant::North => "N",
            Quadrant::Northeast => "NE",
            Quadrant::Southeast => "SE",
            Quadrant::Southwest => "SW",
            Quadrant::Northwest => "NW",
        }
    }

    /// Streets that run east-west in this quadrant, with their rough latitude, south to north.
    fn cross_town(self) -> &'static [(&'static str, f64)] {
        match self {
            Quadrant::North => &[
                ("RUSSELL ST", 45.5410),
                ("FREMONT ST", 45.5483),
                ("SKIDMORE ST", 45.5521),
                ("PRESCOTT ST", 45.5557),
                ("ALBERTA ST", 45.5590),
                ("KILLINGSWORTH ST", 45.5626),
                ("ROSA PARKS WAY", 45.5690),
                ("LOMBARD ST", 45.5776),
                ("COLUMBIA BLVD", 45.5860),
                ("IVANHOE ST", 45.5905),
            ],
            Quadrant::Northeast => &[
                ("GLISAN ST", 45.5264),
                ("HALSEY ST", 45.5336),
                ("BROADWAY", 45.5350),
                ("KNOTT ST", 45.5418),
                ("FREMONT ST", 45.5483),
                ("PRESCOTT ST", 45.5557),
                ("ALBERTA ST", 45.5590),
                ("KILLINGSWORTH ST", 45.5626),
                ("AINSWORTH ST", 45.5690),
                ("LOMBARD ST", 45.5776),
                ("COLUMBIA BLVD", 45.5860),
            ],
            Quadrant::Southeast => &[
                ("FLAVEL ST", 45.4646),
                ("DUKE ST", 45.4716),
                ("WOODSTOCK BLVD", 45.4791),
                ("HOLGATE BLVD", 45.4898),
                ("POWELL BLVD", 45.4973),
                ("CLINTON ST", 45.5030),
                ("DIVISION ST", 45.5046),
                ("HAWTHORNE BLVD", 45.5122),
                ("BELMONT ST", 45.5164),
                ("MORRISON ST", 45.5172),
                ("STARK ST", 45.5193),
            ],
            Quadrant::Southwest => &[
                ("TAYLORS FERRY RD", 45.4610),
                ("MULTNOMAH BLVD", 45.4690),
                ("VERMONT ST", 45.4795),
                ("HAMILTON ST", 45.4890),
                ("GIBBS ST", 45.4995),
                ("SHERIDAN ST", 45.5045),
                ("LINCOLN ST", 45.5085),
                ("MARKET ST", 45.5106),
                ("COLUMBIA ST", 45.5128),
                ("MADISON ST", 45.5143),
                ("SALMON ST", 45.5158),
                ("MORRISON ST", 45.5180),
                ("WASHINGTON ST", 45.5200),
            ],
            Quadrant::Northwest => &[
                ("COUCH ST", 45.5237),
                ("EVERETT ST", 45.5255),
                ("GLISAN ST", 45.5264),
                ("IRVING ST", 45.5281),
                ("LOVEJOY ST", 45.5308),
                ("NORTHRUP ST", 45.5324),
                ("OVERTON ST", 45.5332),
                ("THURMAN ST", 45.5375),
                ("VAUGHN ST", 45.5392),
                ("NICOLAI ST", 45.5420),
                ("YEON AVE", 45.5470),
                ("ST HELENS RD", 45.5600),
            ],
        }
    }
}

/// Latitude of Burnside Street, the north/south zero line.
const BURNSIDE_LAT: f64 = 45.5231;
/// Longitude of the east side's zero line (Williams Ave, the river downtown).
const EAST_ZERO_LON: f64 = -122.667;
/// Longitude of SW/NW 1st Ave, on the west bank.
const WEST_FIRST_LON: f64 = -122.6705;
/// Degrees of longitude per numbered avenue, east and west of the river.
const EAST_AVE_DEG: f64 = 0.00108;
const WEST_AVE_DEG: f64 = 0.00123;
/// Degrees of latitude per hundred address numbers north or south of Burnside.
const BLOCK_LAT_DEG: f64 = 0.00072;

/// North Portland's north-south streets (named, not numbered), west of Williams Ave.
const NORTH_AVENUES: &[(&str, f64)] = &[
    ("WILLIAMS AVE", -122.6667),
    ("VANCOUVER AVE", -122.6675),
    ("MISSISSIPPI AVE", -122.6757),
    ("INTERSTATE AVE", -122.6820),
    ("DENVER AVE", -122.6862),
    ("GREELEY AVE", -122.6960),
    ("PORTSMOUTH AVE", -122.7236),
    ("ST LOUIS AVE", -122.7480),
    ("PHILADELPHIA AVE", -122.7545),
];

/// "1ST", "2ND", "3RD", "11TH", "22ND"...
fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "TH",
        (1, _) => "ST",
        (2, _) => "ND",
        (3, _) => "RD",
        _ => "TH",
    };
    format!("{n}{suffix}")
}

/// The numbered avenue at this longitude (east or west side).
fn avenue_number(q: Quadrant, lon: f64) -> u32 {
    let n = match q {
        Quadrant::Southwest | Quadrant::Northwest => (WEST_FIRST_LON - lon) / WEST_AVE_DEG + 1.0,
        _ => (lon - EAST_ZERO_LON) / EAST_AVE_DEG,
    };
    // Bounded: the avenues end where the demo's area does.
    n.floor().clamp(1.0, 180.0) as u32
}

/// The two neighbours of `x` in a list sorted by its second field (either may be missing).
fn neighbours<'a>(list: &'a [(&'a str, f64)], x: f64) -> (Option<&'a str>, Option<&'a str>) {
    let i = list.partition_point(|(_, v)| *v <= x);
    (
        i.checked_sub(1).map(|j| list[j].0),
        list.get(i).map(|(name, _)| *name),
    )
}

/// The street nearest to `x` in a list sorted by its second field.
fn nearest<'a>(list: &'a [(&'a str, f64)], x: f64) -> &'a str {
    list.iter()
        .min_by(|a, b| (a.1 - x).abs().total_cmp(&(b.1 - x).abs()))
        .map_or("", |(name, _)| name)
}

fn join(parts: [Option<String>; 2]) -> String {
    parts.into_iter().flatten().collect::<Vec<_>>().join(" / ")
}

/// A CAD address and cross streets for a point: "1200 BLOCK SE HAWTHORNE BLVD" between
/// "SE 12TH AVE / SE 13TH AVE", or a block of an avenue, or an intersection on a roadway.
pub fn address(p: GeoPoint, place: PlaceType, rng: &mut Rng) -> (String, String) {
    let q = Quadrant::of(p);
    let pre = q.prefix();
    let streets = q.cross_town();
    let street = nearest(streets, p.lat);
    // Hundreds of numbers from the zero lines, along and across the grid.
    let (avenue, next_avenue, block_along) = if q == Quadrant::North {
        let (east, west) = {
            let i = NORTH_AVENUES.partition_point(|(_, lon)| *lon >= p.lon);
            (
                i.checked_sub(1).map(|j| NORTH_AVENUES[j].0.to_owned()),
                NORTH_AVENUES.get(i).map(|(name, _)| (*name).to_owned()),
            )
        };
        let block = ((EAST_ZERO_LON - p.lon) / EAST_AVE_DEG).max(0.0) as u32 * 100;
        (east, west, block)
    } else {
        let n = avenue_number(q, p.lon);
        (
            Some(format!("{} AVE", ordinal(n))),
            Some(format!("{} AVE", ordinal(n + 1))),
            n * 100,
        )
    };
    let qualified = |s: Option<String>| s.map(|s| format!("{pre} {s}"));
    if place == PlaceType::Roadway {
        let avenue = qualified(avenue.or(next_avenue)).unwrap_or_default();
        return (format!("{avenue} / {pre} {street}"), String::new());
    }
    if rng.chance(0.65) {
        // On the east-west street, between two avenues.
        let block = block_along.max(100);
        (
            format!("{block} BLOCK {pre} {street}"),
            join([qualified(avenue), qualified(next_avenue)]),
        )
    } else {
        // On the avenue, between two east-west streets.
        let on = qualified(avenue.clone().or(next_avenue)).unwrap_or_default();
        let block = ((p.lat - BURNSIDE_LAT).abs() / BLOCK_LAT_DEG) as u32 * 100;
        let (south, north) = neighbours(streets, p.lat);
        let name = |s: Option<&str>| s.map(|s| format!("{pre} {s}"));
        (
            format!("{} BLOCK {on}", block.max(100)),
            join([name(south), name(north)]),
        )
    }
}

/// A police beat for the point: precinct letter (North, East, Central) and a district number
/// that is the same for nearby points.
pub fn beat(p: GeoPoint) -> String {
    let q = Quadrant::of(p);
    let precinct = match q {
        Quadrant::Northeast | Quadrant::Southeast if avenue_number(q, p.lon) >= 60 => 'E',
        Quadrant::North | Quadrant::Northeast => 'N',
        _ => 'C',
    };
    let row = ((p.lat - 45.40) / 0.02).floor().max(0.0) as u32;
    let col = ((p.lon + 122.80) / 0.025).floor().max(0.0) as u32;
    format!("{precinct}{}", (row * 7 + col) % 30 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint { lat, lon }
    }

    #[test]
    fn addresses_follow_the_portland_grid() {
        let mut rng = Rng::new(1);
        // SE Hawthorne at about SE 12th.
        let p = point(45.5121, -122.6538);
        assert_eq!(Quadrant::of(p), Quadrant::Southeast);
        assert_eq!(avenue_number(Quadrant::Southeast, p.lon), 12);
        let (addr, cross) = loop {
            let a = address(p, PlaceType::OutdoorPublic, &mut rng);
            if a.0.contains("HAWTHORNE") {
                break a;
            }
        };
        assert_eq!(addr, "1200 BLOCK SE HAWTHORNE BLVD");
        assert_eq!(cross, "SE 12TH AVE / SE 13TH AVE");
        let (road, none) = address(p, PlaceType::Roadway, &mut rng);
        assert_eq!(
            (road.as_str(), none.as_str()),
            ("SE 12TH AVE / SE HAWTHORNE BLVD", "")
        );
        assert_eq!(Quadrant::of(point(45.530, -122.700)), Quadrant::Northwest);
        assert_eq!(Quadrant::of(point(45.550, -122.676)), Quadrant::North);
        assert_eq!(Quadrant::of(point(45.550, -122.640)), Quadrant::Northeast);
        assert_eq!(Quadrant::of(point(45.510, -122.690)), Quadrant::Southwest);
    }

    #[test]
    fn ordinals_read_as_on_street_signs() {
        let got: Vec<_> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 82, 102, 111]
            .map(ordinal)
            .into();
        assert_eq!(
            got,
            [
                "1ST", "2ND", "3RD", "4TH", "11TH", "12TH", "13TH", "21ST", "22ND", "82ND",
                "102ND", "111TH"
            ]
        );
    }

    #[test]
    fn every_point_of_the_area_gets_an_address_and_a_beat() {
        let area = crate::area::portland_service_area();
        let mut rng = Rng::new(7);
        for _ in 0..500 {
            let p = crate::area::point_in(&area, &mut rng);
            for place in [PlaceType::OutdoorPublic, PlaceType::Roadway] {
                let (addr, _) = address(p, place, &mut rng);
                let pre = Quadrant::of(p).prefix();
                assert!(addr.contains(&format!("{pre} ")), "{addr}");
                assert!(!addr.contains("  ") && addr.len() < 60, "{addr}");
            }
            let b = beat(p);
            assert!(b.len() <= 3 && "NEC".contains(&b[..1]), "{b}");
        }
    }
}
