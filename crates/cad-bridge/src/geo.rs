//! The demo's service area (central Portland, OR) and points inside it.

use crate::rng::Rng;
use dispatch_core::GeoPoint;

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
pub fn contains(ring: &[GeoPoint], p: GeoPoint) -> bool {
    dispatch_core::ServiceArea::from_ring(ring.to_vec()).contains(p)
}

/// A uniform random point inside the ring (rejection sampling in its bounding box).
pub fn point_in(ring: &[GeoPoint], rng: &mut Rng) -> GeoPoint {
    let (mut lat0, mut lat1, mut lon0, mut lon1) = (90.0_f64, -90.0_f64, 180.0_f64, -180.0_f64);
    for p in ring {
        lat0 = lat0.min(p.lat);
        lat1 = lat1.max(p.lat);
        lon0 = lon0.min(p.lon);
        lon1 = lon1.max(p.lon);
    }
    loop {
        let p = GeoPoint {
            lat: lat0 + rng.unit() * (lat1 - lat0),
            lon: lon0 + rng.unit() * (lon1 - lon0),
        };
        if contains(ring, p) {
            // Five decimals: about a metre, as a CAD sends it.
            return GeoPoint {
                lat: (p.lat * 1e5).round() / 1e5,
                lon: (p.lon * 1e5).round() / 1e5,
            };
        }
    }
}
