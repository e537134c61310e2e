//! Positions: distance between two points and the simulated GPS that moves a van toward its
//! call (until a real GPS feeds the console).

use dispatch_proto::v1::GeoPoint;

const EARTH_RADIUS_M: f64 = 6_371_000.0;

/// Great-circle distance in metres.
pub fn distance_m(a: &GeoPoint, b: &GeoPoint) -> f64 {
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dla = la2 - la1;
    let dlo = (b.lon - a.lon).to_radians();
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().asin()
}

/// The point `metres` from `from` toward `to` (or `to` itself when closer than that). Straight
/// interpolation is exact enough over a city.
pub fn toward(from: &GeoPoint, to: &GeoPoint, metres: f64) -> GeoPoint {
    let d = distance_m(from, to);
    if d <= metres || d == 0.0 {
        return *to;
    }
    let f = metres / d;
    GeoPoint {
        lat: from.lat + (to.lat - from.lat) * f,
        lon: from.lon + (to.lon - from.lon) * f,
    }
}

/// "850 m", "2.4 km".
pub fn distance_words(m: f64) -> String {
    if m < 1000.0 {
        format!("{:.0} m", (m / 10.0).round() * 10.0)
    } else {
        format!("{:.1} km", m / 1000.0)
    }
}

/// `"45.52,-122.68"` as a point; the error names what is wrong.
pub fn parse_point(text: &str) -> Result<GeoPoint, String> {
    let (lat, lon) = text
        .split_once(',')
        .ok_or_else(|| format!("{text:?}: write the position as LAT,LON (e.g. 45.52,-122.68)"))?;
    let lat: f64 = lat
        .trim()
        .parse()
        .map_err(|_| format!("{lat:?} is not a latitude"))?;
    let lon: f64 = lon
        .trim()
        .parse()
        .map_err(|_| format!("{lon:?} is not a longitude"))?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(format!(
            "{text:?}: latitude must be within ±90 and longitude within ±180"
        ));
    }
    Ok(GeoPoint { lat, lon })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_toward_the_call_and_stops_there() {
        let a = GeoPoint {
            lat: 45.5190,
            lon: -122.6790,
        };
        let b = GeoPoint {
            lat: 45.5289,
            lon: -122.6790,
        };
        let d = distance_m(&a, &b);
        assert!((d - 1100.0).abs() < 10.0, "{d}");
        let half = toward(&a, &b, d / 2.0);
        assert!((distance_m(&half, &b) - d / 2.0).abs() < 1.0);
        assert_eq!(toward(&a, &b, 5000.0), b);
        assert_eq!(distance_words(849.0), "850 m");
        assert_eq!(distance_words(2440.0), "2.4 km");
    }

    #[test]
    fn positions_parse_or_say_why_not() {
        assert_eq!(
            parse_point("45.5, -122.6"),
            Ok(GeoPoint {
                lat: 45.5,
                lon: -122.6
            })
        );
        assert!(parse_point("45.5").unwrap_err().contains("LAT,LON"));
        assert!(parse_point("95,0").unwrap_err().contains("±90"));
    }
}
