//! A service area: the polygons a program serves, holes included (a park the program leaves to
//! the rangers, a neighbouring city inside the county). Written as a GeoJSON geometry
//! (`Polygon` or `MultiPolygon`, coordinates `[lon, lat]`, read with `geojson`), or as a plain
//! ring of `{lat, lon}` corners. Containment is `geo`'s.

use crate::model::GeoPoint;
use geo::{Contains, Coord, LineString, MultiPolygon, Point, Polygon};
use geojson::GeometryValue;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Debug, PartialEq)]
pub struct ServiceArea {
    /// The polygons as written (each an outer ring, then its holes): what is drawn and
    /// written back.
    polygons: Vec<Vec<Vec<GeoPoint>>>,
    /// The same as `geo` shapes: what `contains` tests.
    shape: MultiPolygon<f64>,
}

impl Default for ServiceArea {
    fn default() -> Self {
        Self::from_polygons(Vec::new())
    }
}

impl ServiceArea {
    pub fn from_ring(ring: Vec<GeoPoint>) -> Self {
        Self::from_polygons(vec![vec![ring]])
    }

    /// Polygons, each an outer ring followed by its holes.
    pub fn from_polygons(polygons: Vec<Vec<Vec<GeoPoint>>>) -> Self {
        let line = |ring: &[GeoPoint]| -> LineString<f64> {
            ring.iter().map(|p| Coord { x: p.lon, y: p.lat }).collect()
        };
        let polygons: Vec<_> = polygons.into_iter().filter(|p| !p.is_empty()).collect();
        let shape = polygons
            .iter()
            .map(|rings| {
                let holes = rings[1..].iter().map(|r| line(r)).collect();
                Polygon::new(line(&rings[0]), holes)
            })
            .collect();
        Self {
            polygons,
            shape: MultiPolygon::new(shape),
        }
    }

    /// The outer rings as written, for the maps (holes are not drawn).
    pub fn outlines(&self) -> impl Iterator<Item = &Vec<GeoPoint>> {
        self.polygons.iter().map(|rings| &rings[0])
    }

    pub fn is_everywhere(&self) -> bool {
        self.outlines().all(|r| r.len() < 3)
    }

    /// Whether the point is inside (on an edge may go either way; in a hole is outside).
    pub fn contains(&self, p: GeoPoint) -> bool {
        self.is_everywhere() || self.shape.contains(&Point::new(p.lon, p.lat))
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Written {
    Geo(GeometryValue),
    Ring(Vec<GeoPoint>),
}

/// GeoJSON positions (`[lon, lat]`) as points.
fn ring_from(positions: &[geojson::Position]) -> Vec<GeoPoint> {
    positions
        .iter()
        .map(|p| GeoPoint {
            lat: p.as_slice().get(1).copied().unwrap_or(f64::NAN),
            lon: p.as_slice().first().copied().unwrap_or(f64::NAN),
        })
        .collect()
}

fn polygon_from(rings: &[Vec<geojson::Position>]) -> Vec<Vec<GeoPoint>> {
    rings.iter().map(|r| ring_from(r)).collect()
}

impl<'de> Deserialize<'de> for ServiceArea {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let expected =
            "service_area: expected a GeoJSON Polygon or MultiPolygon, or a list of {lat, lon}";
        let written = Written::deserialize(d).map_err(|_| D::Error::custom(expected))?;
        let polygons = match written {
            Written::Ring(ring) if ring.is_empty() => Vec::new(),
            Written::Ring(ring) => vec![vec![ring]],
            Written::Geo(GeometryValue::Polygon { coordinates }) => {
                vec![polygon_from(&coordinates)]
            }
            Written::Geo(GeometryValue::MultiPolygon { coordinates }) => {
                coordinates.iter().map(|p| polygon_from(p)).collect()
            }
            Written::Geo(_) => return Err(D::Error::custom(expected)),
        };
        if let Some(bad) = polygons.iter().flatten().flatten().find(|p| !p.is_valid()) {
            return Err(D::Error::custom(format!(
                "service_area: {},{} is not a position",
                bad.lat, bad.lon
            )));
        }
        Ok(ServiceArea::from_polygons(polygons))
    }
}

impl Serialize for ServiceArea {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.polygons.is_empty() {
            return Vec::<GeoPoint>::new().serialize(s);
        }
        GeometryValue::new_multi_polygon(self.polygons.iter().map(|rings| {
            rings
                .iter()
                .map(|ring| ring.iter().map(|p| [p.lon, p.lat]).collect::<Vec<_>>())
        }))
        .serialize(s)
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
    fn a_polygon_with_a_hole_leaves_the_hole_out() {
        // A city block served all round, except the park in its middle.
        let area: ServiceArea = serde_json::from_str(
            r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]],[[0.2,0.2],[0.3,0.2],[0.3,0.3],[0.2,0.3],[0.2,0.2]]]}"#,
        )
        .unwrap();
        assert!(!area.contains(p(0.25, 0.25)), "in the hole");
        assert!(area.contains(p(0.5, 0.5)));
        assert!(area.contains(p(0.1, 0.9)));
        assert!(!area.contains(p(2.0, 2.0)));
        // The hole survives writing the area back.
        let again: ServiceArea =
            serde_json::from_str(&serde_json::to_string(&area).unwrap()).unwrap();
        assert!(!again.contains(p(0.25, 0.25)) && again.contains(p(0.5, 0.5)));
        assert_eq!(again, area);
        assert_eq!(again.outlines().count(), 1, "holes are not outlines");
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

    #[test]
    fn a_toml_multipolygon_reads_as_the_shipped_config_writes_it() {
        #[derive(Deserialize)]
        struct Config {
            service_area: ServiceArea,
        }
        let c: Config = toml::from_str(
            "[service_area]\ntype = \"MultiPolygon\"\ncoordinates = [[[[-122.7, 45.4], [-122.5, 45.4], [-122.5, 45.6], [-122.7, 45.6]]]]",
        )
        .unwrap();
        assert!(c.service_area.contains(p(45.5, -122.6)));
        assert!(!c.service_area.contains(p(45.5, -122.8)));
        let outline = c.service_area.outlines().next().unwrap();
        assert_eq!(outline.len(), 4, "as written");
        let text = toml::to_string(&c.service_area).unwrap();
        assert_eq!(
            toml::from_str::<ServiceArea>(&text).unwrap(),
            c.service_area
        );
    }
}
