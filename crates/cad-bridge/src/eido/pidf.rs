//! The little of PIDF-LO (RFC 4119 / 5139 / 5491) that EIDO locations carry by value: a civic
//! address (`<civicAddress>` with A1..A6, PRD, RD, STS, HNO...), a GML position
//! (`<gml:pos>lat lon</gml:pos>` inside a Point, Circle or Ellipsoid) and the kind of place
//! (the civic `<PLC>` or the PIDF `<place-type>`, with RFC 4589 location types). Read by looking for those
//! elements, whatever their namespace prefix; nothing else of the XML is interpreted.

/// A street address in one line, e.g. `42 W Cellular Street, Wilmington, DE`; `None` when the
/// document has no civic address.
pub fn civic_address(xml: &str) -> Option<String> {
    let civic = element_text(xml, "civicAddress")?;
    let part = |name: &str| element_text(civic, name).map(|t| unescape(t.trim()));
    let street: Vec<String> = ["HNO", "HNS", "PRD", "RD", "STS", "POD"]
        .iter()
        .filter_map(|n| part(n))
        .filter(|s| !s.is_empty())
        .collect();
    let mut line = street.join(" ");
    for name in ["LOC", "NAM"] {
        if let Some(extra) = part(name).filter(|s| !s.is_empty()) {
            line = join(&line, &extra, ", ");
        }
    }
    for name in ["A3", "A1"] {
        if let Some(area) = part(name).filter(|s| !s.is_empty()) {
            line = join(&line, &area, ", ");
        }
    }
    (!line.is_empty()).then_some(line)
}

/// The WGS84 position of the first `<pos>`, when it holds a latitude and a longitude in range.
pub fn position(xml: &str) -> Option<(f64, f64)> {
    let pos = element_text(xml, "pos")?;
    let mut numbers = pos.split_whitespace().map(str::parse::<f64>);
    let lat = numbers.next()?.ok()?;
    let lon = numbers.next()?.ok()?;
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

/// What kind of place the location is, from RFC 4589 location-type tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Residence,
    OutdoorPublic,
    Business,
    Vehicle,
}

/// The kind of place, when the document says one the triage can use. A residence anywhere in
/// the words wins: a private residence rules the crisis team out, so it must never be missed.
pub fn place(xml: &str) -> Option<Place> {
    let words: String = ["PLC", "place-type"]
        .iter()
        .filter_map(|n| element_text(xml, n))
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase();
    let has = |tokens: &[&str]| {
        words
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .any(|w| tokens.contains(&w))
    };
    if has(&["residence", "house", "apartment", "home"]) {
        Some(Place::Residence)
    } else if has(&[
        "automobile",
        "bus",
        "train",
        "aircraft",
        "watercraft",
        "vehicle",
    ]) {
        Some(Place::Vehicle)
    } else if has(&[
        "business",
        "office",
        "restaurant",
        "store",
        "shopping-area",
        "bar",
        "hotel",
        "cafe",
    ]) {
        Some(Place::Business)
    } else if has(&["street", "outdoors", "park", "public", "plaza", "sidewalk"]) {
        Some(Place::OutdoorPublic)
    } else {
        None
    }
}

fn join(a: &str, b: &str, sep: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}{sep}{b}")
    }
}

/// The content of the first element named `name` (any prefix), up to its closing tag.
fn element_text<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = xml;
    let mut offset = 0;
    while let Some(open) = rest.find('<') {
        let tag_start = offset + open + 1;
        let after = &xml[tag_start..];
        let end_of_name = after
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(after.len());
        let qualified = &after[..end_of_name];
        let local = qualified.rsplit(':').next().unwrap_or(qualified);
        let close = after.find('>')?;
        if local == name && !after[..close].ends_with('/') {
            let content_start = tag_start + close + 1;
            let closing = format!("</{qualified}>");
            let content_end = xml[content_start..].find(&closing)? + content_start;
            return Some(&xml[content_start..content_end]);
        }
        offset = tag_start;
        rest = &xml[offset..];
    }
    None
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nena_sample_civic_address() {
        let xml = r#"<presence xmlns="urn:ietf:params:xml:ns:pidf"><gp:location-info> <civicAddress xmlns="urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr"> <country>US</country> <A1>DE</A1> <A3>Wilmington</A3> <PRD>W</PRD> <RD>Cellular</RD> <STS>Street</STS> <HNO>42</HNO> </civicAddress></gp:location-info></presence>"#;
        assert_eq!(
            civic_address(xml).as_deref(),
            Some("42 W Cellular Street, Wilmington, DE")
        );
        assert_eq!(position(xml), None);
    }

    #[test]
    fn place_types() {
        assert_eq!(place("<ca:PLC>residence</ca:PLC>"), Some(Place::Residence));
        assert_eq!(
            place("<rpid:place-type><lt:street/></rpid:place-type><PLC>Street</PLC>"),
            Some(Place::OutdoorPublic)
        );
        assert_eq!(
            place("<PLC>outdoors park</PLC>"),
            Some(Place::OutdoorPublic)
        );
        assert_eq!(
            place("<PLC>street</PLC><place-type>residence</place-type>"),
            Some(Place::Residence),
            "a residence is never missed"
        );
        assert_eq!(place("<PLC>bus</PLC>"), Some(Place::Vehicle));
        assert_eq!(place("<PLC>restaurant</PLC>"), Some(Place::Business));
        assert_eq!(place("<PLC>warehouse</PLC>"), None);
        assert_eq!(place("<civicAddress/>"), None);
    }

    #[test]
    fn gml_point_and_ellipsoid() {
        let point = r#"<gml:Point srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>45.5231 -122.6765</gml:pos></gml:Point>"#;
        assert_eq!(position(point), Some((45.5231, -122.6765)));
        let ellipsoid =
            r#"<gs:Ellipsoid><gml:pos>40.441345 -80.000266 34</gml:pos></gs:Ellipsoid>"#;
        assert_eq!(position(ellipsoid), Some((40.441345, -80.000266)));
        assert_eq!(position("<gml:pos>91 0</gml:pos>"), None, "out of range");
        assert_eq!(position("<gml:pos>north</gml:pos>"), None);
        assert_eq!(position("<gml:pos>45.5"), None, "unclosed");
        assert_eq!(civic_address("<civicAddress/>"), None);
        assert_eq!(
            civic_address("<ca:civicAddress><ca:RD>Oak &amp; Ash</ca:RD></ca:civicAddress>")
                .as_deref(),
            Some("Oak & Ash")
        );
    }
}
