//! A service area: the polygon a program serves (a ring of WGS84 points).

use crate::model::GeoPoint;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ServiceArea {
    /// The ring's corners; the ring closes itself. Empty means "everywhere".
    pub ring: Vec<GeoPoint>,
}

impl ServiceArea {
    pub fn is_everywhere(&self) -> bool {
        self.ring.len() < 3
    }

    /// Ray casting; a point exactly on an edge may go either way.
    pub fn contains(&self, p: GeoPoint) -> bool {
        if self.is_everywhere() {
            return true;
        }
        let n = self.ring.len();
        let mut inside = false;
        for i in 0..n {
            let (a, b) = (self.ring[i], self.ring[(i + 1) % n]);
            if (a.lat > p.lat) != (b.lat > p.lat) {
                let lon_at = a.lon + (p.lat - a.lat) / (b.lat - a.lat) * (b.lon - a.lon);
                if p.lon < lon_at {
                    inside = !inside;
                }
            }
        }
        inside
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_square_contains_its_middle_and_not_its_outside() {
        let p = |lat, lon| GeoPoint { lat, lon };
        let area = ServiceArea {
            ring: vec![p(0.0, 0.0), p(0.0, 1.0), p(1.0, 1.0), p(1.0, 0.0)],
        };
        assert!(area.contains(p(0.5, 0.5)));
        assert!(!area.contains(p(1.5, 0.5)));
        assert!(!area.contains(p(0.5, -0.1)));
        assert!(
            ServiceArea::default().contains(p(80.0, 170.0)),
            "no ring: everywhere"
        );
    }
}
