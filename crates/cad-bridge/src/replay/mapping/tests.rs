use super::*;

fn mapping(toml_text: &str) -> Mapping {
    toml::from_str(toml_text).expect("mapping parses")
}

const SD: &str = r#"
    description = "test"
    source = "sdpd"
    [columns]
    call_number = "incident_num"
    received_at = "date_time"
    nature_code = "call_type"
    priority = "priority"
    address = { join = ["address_number_primary", "address_dir_primary", "address_road_primary", "address_sfx_primary"] }
    cross_streets = { join = ["address_road_intersecting", "address_sfx_intersecting"] }
    beat = "beat"
    [time]
    formats = ["%Y-%m-%d %H:%M:%S"]
    utc_offset_minutes = -480
    us_daylight_saving = true
"#;

fn record(fields: &[&str]) -> csv::StringRecord {
    csv::StringRecord::from(fields.to_vec())
}

const SD_HEADER: &[&str] = &[
    "\u{feff}incident_num",
    "date_time",
    "address_number_primary",
    "address_dir_primary",
    "address_road_primary",
    "address_sfx_primary",
    "address_road_intersecting",
    "address_sfx_intersecting",
    "call_type",
    "beat",
    "priority",
];

#[test]
fn a_san_diego_row_maps_with_joined_address_and_no_position() {
    let m = mapping(SD);
    let cols = m.columns.resolve(SD_HEADER).expect("resolves");
    let call = cols
        .read(
            &record(&[
                "E23010000001",
                "2023-01-01 00:00:05",
                "3700",
                "",
                "MISSION",
                "BLVD",
                "",
                "",
                "5150",
                "122",
                "2",
            ]),
            &m.time,
        )
        .expect("maps");
    assert_eq!(call.call_number, "E23010000001");
    assert_eq!(call.address, "3700 MISSION BLVD");
    assert_eq!(call.cross_streets, "");
    assert_eq!(call.nature_code, "5150");
    assert_eq!(call.nature_text, "");
    assert_eq!(call.priority, 2);
    assert_eq!(call.position, None);
    assert_eq!(
        call.received_at,
        m.time.parse("2023-01-01 00:00:05").unwrap()
    );
}

#[test]
fn any_takes_the_first_spelling_the_header_has() {
    let m = mapping(
        r#"
        description = "x"
        source = "spd"
        [columns]
        call_number = { any = ["CAD Event Number", "CAD.Event.Number"] }
        received_at = { any = ["Original Time Queued", "Incident.Date"] }
        nature_text = { any = ["Initial Call Type", "Initial.Call.Type"] }
        lat = { any = ["Blurred_Latitude"] }
        lon = { any = ["Blurred_Longitude"] }
        [time]
        formats = ["%Y-%m-%d"]
        utc_offset_minutes = -480
    "#,
    );
    let header = [
        "CAD.Event.Number",
        "Initial.Call.Type",
        "Incident.Date",
        "Blurred_Longitude",
        "Blurred_Latitude",
    ];
    let cols = m.columns.resolve(&header).expect("resolves");
    let call = cols
        .read(
            &record(&[
                "2024000129202",
                "TRESPASS",
                "2024-05-12",
                "-122.27",
                "47.63",
            ]),
            &m.time,
        )
        .expect("maps");
    assert_eq!(call.nature_text, "TRESPASS");
    assert_eq!(call.position, Some((47.63, -122.27)));
}

#[test]
fn a_missing_column_names_the_field_the_column_and_the_header() {
    let m = mapping(SD);
    let err = m
        .columns
        .resolve(&["incident_num", "date_time", "call_type"])
        .expect_err("priority is missing");
    let text = err.to_string();
    assert!(
        text.starts_with("columns.priority: the file has no column \"priority\""),
        "{text}"
    );
    assert!(text.contains("\"call_type\""), "{text}");
}

#[test]
fn broken_rows_say_which_field_is_wrong() {
    let m = mapping(SD);
    let cols = m.columns.resolve(SD_HEADER).expect("resolves");
    let good = [
        "E1",
        "2023-01-01 00:00:05",
        "0",
        "",
        "G",
        "ST",
        "",
        "",
        "415",
        "1",
        "2",
    ];
    let with = |i: usize, v: &'static str| {
        let mut f = good.to_vec();
        f[i] = v;
        record(&f)
    };
    let cases = [
        (with(0, " "), "call_number"),
        (with(1, "yesterday"), "received_at"),
        (with(8, ""), "nature"),
        (with(10, "high"), "priority"),
        (record(&good[..5]), "row"),
    ];
    for (row, field) in cases {
        let p = cols.read(&row, &m.time).expect_err(field);
        assert_eq!(p.field, field, "{p}");
    }
}

#[test]
fn out_of_range_coordinates_are_refused_and_zero_zero_is_no_position() {
    let m = mapping(
        r#"
        description = "x"
        source = "s"
        [columns]
        call_number = "n"
        received_at = "t"
        nature_text = "c"
        lat = "lat"
        lon = "lon"
        [time]
        formats = ["%Y-%m-%d"]
        utc_offset_minutes = 0
    "#,
    );
    let cols = m.columns.resolve(&["n", "t", "c", "lat", "lon"]).unwrap();
    let row = |lat: &'static str, lon: &'static str| record(&["1", "2024-01-01", "X", lat, lon]);
    assert_eq!(cols.read(&row("0", "0"), &m.time).unwrap().position, None);
    assert_eq!(cols.read(&row("", ""), &m.time).unwrap().position, None);
    assert_eq!(
        cols.read(&row("91", "0"), &m.time).unwrap_err().field,
        "lat"
    );
    assert_eq!(
        cols.read(&row("47", "NaN"), &m.time).unwrap_err().field,
        "lon"
    );
}

#[test]
fn a_mapping_without_any_call_type_column_is_refused() {
    let m = mapping(
        r#"
        description = "x"
        source = "s"
        [columns]
        call_number = "n"
        received_at = "t"
        [time]
        formats = ["%Y-%m-%d"]
        utc_offset_minutes = 0
    "#,
    );
    assert_eq!(
        m.columns.resolve(&["n", "t"]).unwrap_err(),
        HeaderError::NoNature
    );
}
