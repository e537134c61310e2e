//! The demo's service area (central Portland, OR) and points inside it.

use crate::rng::Rng;
use dispatch_core::GeoPoint;
use geo::{Coord, Distance, Euclidean, Line, Point};

/// A closed ring (first point repeated last) around central Portland.
pub fn portland_service_area() -> Vec<GeoPoint> {
    [
        (45.6050, -122.7450),
        (45.6000, -122.6200),
        (45.5700, -122.5200),
        (45.4700, -122.5200),
        (45.4550, -122.6400),
        (45.4900, -122.7200),
        (45.5400, -122.7600),
        (45.6050, -122.7450),
    ]
    .into_iter()
    .map(|(lat, lon)| GeoPoint { lat, lon })
    .collect()
}

/// Whether the point is inside the ring.
#[cfg(test)]
pub fn contains(ring: &[GeoPoint], p: GeoPoint) -> bool {
    dispatch_core::ServiceArea::from_ring(ring.to_vec()).contains(p)
}

/// Planar distance in degrees from `p` to the segment `a`-`b` (only used near the edge).
fn to_segment(p: GeoPoint, a: GeoPoint, b: GeoPoint) -> f64 {
    let coord = |g: GeoPoint| Coord { x: g.lon, y: g.lat };
    Euclidean.distance(&Point::from(coord(p)), &Line::new(coord(a), coord(b)))
}

/// A uniform random point inside the ring (rejection sampling in its bounding box), never
/// within a few metres of the edge, where point-in-polygon tests may disagree.
pub fn point_in(ring: &[GeoPoint], rng: &mut Rng) -> GeoPoint {
    const EDGE_MARGIN_DEG: f64 = 5e-5;
    let area = dispatch_core::ServiceArea::from_ring(ring.to_vec());
    let (mut lat0, mut lat1, mut lon0, mut lon1) = (90.0_f64, -90.0_f64, 180.0_f64, -180.0_f64);
    for p in ring {
        lat0 = lat0.min(p.lat);
        lat1 = lat1.max(p.lat);
        lon0 = lon0.min(p.lon);
        lon1 = lon1.max(p.lon);
    }
    loop {
        // Five decimals (about a metre), as a CAD sends it; rounded before the tests.
        let p = GeoPoint {
            lat: ((lat0 + rng.unit() * (lat1 - lat0)) * 1e5).round() / 1e5,
            lon: ((lon0 + rng.unit() * (lon1 - lon0)) * 1e5).round() / 1e5,
        };
        let near_edge = ring
            .windows(2)
            .any(|w| to_segment(p, w[0], w[1]) < EDGE_MARGIN_DEG);
        if !near_edge && area.contains(p) {
            return p;
        }
    }
}
