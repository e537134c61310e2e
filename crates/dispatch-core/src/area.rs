//! A service area: the polygons a program serves. Written as a GeoJSON geometry (`Polygon` or
//! `MultiPolygon`, coordinates `[lon, lat]`), or as a plain ring of `{lat, lon}` corners.
//! Only outer rings count (holes are ignored: a program serves its whole city).

use crate::model::GeoPoint;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServiceArea {
    /// Outer rings; a point in any of them is inside. None: everywhere.
    pub rings: Vec<Vec<GeoPoint>>,
}

impl ServiceArea {
    pub fn from_ring(ring: Vec<GeoPoint>) -> Self {
        Self { rings: vec![ring] }
    }

    pub fn is_everywhere(&self) -> bool {
        self.rings.iter().all(|r| r.len() < 3)
    }

    pub fn contains(&self, p: GeoPoint) -> bool {
        self.is_everywhere() || self.rings.iter().any(|r| ring_contains(r, p))
    }
}

/// Ray casting; a point exactly on an edge may go either way.
fn ring_contains(ring: &[GeoPoint], p: GeoPoint) -> bool {
    let n = ring.len();
    if n < 3 {
        return false;
    }
    let mut inside = false;
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        if (a.lat > p.lat) != (b.lat > p.lat) {
            let lon_at = a.lon + (p.lat - a.lat) / (b.lat - a.lat) * (b.lon - a.lon);
            if p.lon < lon_at {
                inside = !inside;
            }
        }
    }
    inside
}

/// The GeoJSON geometry as written in configuration.
#[derive(Deserialize, Serialize)]
#[serde(tag = "type")]
enum Geometry {
    Polygon {
        coordinates: Vec<Vec<[f64; 2]>>,
    },
    MultiPolygon {
        coordinates: Vec<Vec<Vec<[f64; 2]>>>,
    },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Written {
    Geo(Geometry),
    Ring(Vec<GeoPoint>),
}

fn ring_from(positions: &[[f64; 2]]) -> Vec<GeoPoint> {
    positions
        .iter()
        .map(|[lon, lat]| GeoPoint {
            lat: *lat,
            lon: *lon,
        })
        .collect()
}

impl<'de> Deserialize<'de> for ServiceArea {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let written = Written::deserialize(d).map_err(|_| {
            D::Error::custom(
                "service_area: expected a GeoJSON Polygon or MultiPolygon, or a list of {lat, lon}",
            )
        })?;
        let rings = match written {
            Written::Ring(ring) if ring.is_empty() => Vec::new(),
            Written::Ring(ring) => vec![ring],
            Written::Geo(Geometry::Polygon { coordinates }) => coordinates
                .first()
                .map(|r| ring_from(r))
                .into_iter()
                .collect(),
            Written::Geo(Geometry::MultiPolygon { coordinates }) => coordinates
                .iter()
                .filter_map(|polygon| polygon.first().map(|r| ring_from(r)))
                .collect(),
        };
        if let Some(bad) = rings.iter().flatten().find(|p| !p.is_valid()) {
            return Err(D::Error::custom(format!(
                "service_area: {},{} is not a position",
                bad.lat, bad.lon
            )));
        }
        Ok(ServiceArea { rings })
    }
}

impl Serialize for ServiceArea {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.rings.is_empty() {
            return Vec::<GeoPoint>::new().serialize(s);
        }
        let coordinates = self
            .rings
            .iter()
            .map(|ring| vec![ring.iter().map(|p| [p.lon, p.lat]).collect::<Vec<_>>()])
            .collect();
        Geometry::MultiPolygon { coordinates }.serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint { lat, lon }
    }

    #[test]
    fn a_square_contains_its_middle_and_not_its_outside() {
        let area = ServiceArea::from_ring(vec![p(0.0, 0.0), p(0.0, 1.0), p(1.0, 1.0), p(1.0, 0.0)]);
        assert!(area.contains(p(0.5, 0.5)));
        assert!(!area.contains(p(1.5, 0.5)));
        assert!(!area.contains(p(0.5, -0.1)));
        assert!(
            ServiceArea::default().contains(p(80.0, 170.0)),
            "no ring: everywhere"
        );
    }

    #[test]
    fn geojson_polygons_and_plain_rings_both_read() {
        let geo: ServiceArea = serde_json::from_str(
            r#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],[[[10,10],[11,10],[11,11],[10,11],[10,10]]]]}"#,
        )
        .unwrap();
        assert!(
            geo.contains(p(0.5, 0.5)) && geo.contains(p(10.5, 10.5)) && !geo.contains(p(5.0, 5.0))
        );
        let poly: ServiceArea = serde_json::from_str(r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]],[[0.2,0.2],[0.3,0.2],[0.3,0.3]]]}"#).unwrap();
        assert!(poly.contains(p(0.25, 0.25)), "holes are ignored");
        let ring: ServiceArea =
            serde_json::from_str(r#"[{"lat":0,"lon":0},{"lat":0,"lon":1},{"lat":1,"lon":1}]"#)
                .unwrap();
        assert!(ring.contains(p(0.2, 0.5)));
        let again: ServiceArea =
            serde_json::from_str(&serde_json::to_string(&geo).unwrap()).unwrap();
        assert_eq!(again, geo);
        assert!(
            serde_json::from_str::<ServiceArea>(r#"{"type":"Point","coordinates":[0,0]}"#).is_err()
        );
        assert!(
            serde_json::from_str::<ServiceArea>(
                r#"[{"lat":95,"lon":0},{"lat":0,"lon":1},{"lat":1,"lon":1}]"#
            )
            .is_err()
        );
    }
}
