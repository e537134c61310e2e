//! Reading and mapping the real samples, without a server.

use super::*;
use dispatch_proto::v1;

const SD: &str = include_str!("../../data/replay/sdpd-2023-01-03-0800-1000.csv");
const SPD: &str = include_str!("../../data/replay/spd-calls-denny-blaine-2018-2023.csv");
const UCSD: &str = include_str!("../../data/replay/ucsd-pd-calls-first-200.csv");

fn rules() -> TriageConfig {
    TriageConfig::default()
}

fn plan_of(source: &str, data: &str, window: Window) -> Plan {
    let rules = rules();
    let source = Source::load(source, &rules).expect("built-in source");
    plan(data.as_bytes(), &source, &rules, window).expect("plan")
}

fn created(t: &events::Timed) -> &v1::CallCreated {
    match &t.event.kind {
        Some(v1::cad_event::Kind::Created(c)) => c,
        other => panic!("not a creation: {other:?}"),
    }
}

#[test]
fn every_built_in_source_loads() {
    for (name, _) in source::BUILT_IN {
        let s = Source::load(name, &rules()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(s.nature.is_some(), "{name} names its nature map");
    }
}

#[test]
fn the_san_diego_sample_maps_whole_in_time_order() {
    let p = plan_of("sandiego", SD, Window::default());
    assert_eq!(p.report.rows, 139);
    // One real row has no call type at all.
    let skipped: Vec<_> = p
        .report
        .skipped
        .iter()
        .map(|s| (s.line, s.reason.as_str()))
        .collect();
    assert_eq!(skipped, [(125, "nature: the call type is empty")]);
    assert_eq!(p.timeline.len(), 138, "no close times: creations only");
    assert!(p.timeline.windows(2).all(|w| w[0].at <= w[1].at));
    let first = &p.timeline[0];
    assert_eq!(first.event.source, "sdpd");
    assert_eq!(
        first.event.event_id,
        format!("replay-{}-created", first.event.call_number)
    );
    // Every SD code in the sample is in the map, and the description travels as the text.
    assert!(
        p.report.unmapped_types.is_empty(),
        "{:?}",
        p.report.unmapped_types
    );
    let welfare = p
        .timeline
        .iter()
        .map(created)
        .find(|c| c.nature_code == "CW")
        .expect("a welfare check in the sample");
    assert_eq!(welfare.nature_text, "CHECK THE WELFARE");
    let loc = welfare.location.as_ref().expect("location");
    assert!(!loc.address.is_empty());
    assert_eq!(loc.lat, None, "San Diego publishes no coordinates");
}

#[test]
fn the_seattle_sample_keeps_positions_and_the_local_time() {
    let p = plan_of("seattle", SPD, Window::default());
    assert_eq!(p.report.rows, 222);
    assert!(p.report.skipped.is_empty(), "{:?}", p.report.skipped);
    let ev = p
        .timeline
        .iter()
        .find(|t| t.event.call_number == "2023000319821")
        .expect("the first row of the file");
    let c = created(ev);
    assert_eq!(c.nature_text, "BURN - RECKLESS BURNING");
    assert_eq!(c.nature_code, "FIRE", "the fire family's code");
    assert_eq!(c.cad_priority, 2);
    let loc = c.location.as_ref().unwrap();
    assert_eq!((loc.lat, loc.lon), (Some(47.6176603), Some(-122.28112)));
    // 11/04/2023 6:08:26 PM Pacific daylight time is 01:08:26 UTC the next day.
    let at = ev.event.occurred_at.as_ref().unwrap();
    assert_eq!(at.seconds, 1_699_146_506);
}

#[test]
fn ucsd_rows_with_an_unknown_time_are_skipped_with_line_and_reason() {
    let p = plan_of("ucsd", UCSD, Window::default());
    assert_eq!(p.report.rows, 200);
    let unknown: Vec<_> = UCSD
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(",Unknown,"))
        .map(|(i, _)| i as u64 + 1)
        .collect();
    for line in &unknown {
        let s = p
            .report
            .skipped
            .iter()
            .find(|s| s.line == *line)
            .unwrap_or_else(|| panic!("line {line} not reported: {:?}", p.report.skipped));
        assert!(s.reason.starts_with("received_at: "), "{}", s.reason);
    }
    assert_eq!(
        p.timeline.len() + p.report.skipped.len(),
        200,
        "every row is replayed or reported"
    );
    // The log's summary is the call's narrative.
    assert!(p.timeline.iter().any(|t| !created(t).narrative.is_empty()));
}

#[test]
fn the_window_and_the_limit_cut_the_day() {
    let rules = rules();
    let source = Source::load("sandiego", &rules).unwrap();
    let at = |t: &str| source.mapping.time.parse(t).unwrap();
    let window = Window {
        start: Some(at("2023-01-03 08:30:00")),
        end: Some(at("2023-01-03 09:00:00")),
        limit: None,
    };
    let p = plan(SD.as_bytes(), &source, &rules, window).unwrap();
    let all = plan(SD.as_bytes(), &source, &rules, Window::default()).unwrap();
    let in_window: Vec<_> = all
        .timeline
        .iter()
        .filter(|t| (window.start.unwrap()..window.end.unwrap()).contains(&t.at))
        .cloned()
        .collect();
    assert!(in_window.len() > 10);
    assert_eq!(p.timeline, in_window);
    assert_eq!(p.report.outside_window, 138 - in_window.len());
    let limited = plan(
        SD.as_bytes(),
        &source,
        &rules,
        Window {
            limit: Some(5),
            ..window
        },
    )
    .unwrap();
    assert_eq!(limited.timeline.len(), 5);
    assert_eq!(limited.timeline[..], p.timeline[..5]);
}

#[test]
fn a_replay_of_the_same_file_makes_the_same_events() {
    let a = plan_of("seattle", SPD, Window::default());
    let b = plan_of("seattle", SPD, Window::default());
    assert_eq!(a.timeline, b.timeline);
}

#[test]
fn broken_rows_are_reported_by_line_and_the_rest_replayed() {
    let data = "\
\"incident_num\",\"date_time\",\"day_of_week\",\"address_number_primary\",\"address_dir_primary\",\"address_road_primary\",\"address_sfx_primary\",\"address_dir_intersecting\",\"address_road_intersecting\",\"address_sfx_intersecting\",\"call_type\",\"disposition\",\"beat\",\"priority\"
\"E1\",\"2023-01-03 08:00:00\",\"3\",\"100\",\"\",\"MAIN\",\"ST\",\"\",\"\",\"\",\"CW\",\"K\",\"521\",\"2\"
\"E2\",\"2023-01-03 08:01:00\",\"3\",\"100\"
\"E3\",\"not a time\",\"3\",\"100\",\"\",\"MAIN\",\"ST\",\"\",\"\",\"\",\"CW\",\"K\",\"521\",\"2\"
\"E1\",\"2023-01-03 08:02:00\",\"3\",\"100\",\"\",\"MAIN\",\"ST\",\"\",\"\",\"\",\"415\",\"K\",\"521\",\"2\"

\"E4\",\"2023-01-03 08:03:00\",\"3\",\"100\",\"\",\"MAIN\",\"ST\",\"\",\"\",\"\",\"\",\"K\",\"521\",\"2\"
\"E5\",\"2023-01-03 08:04:00\",\"3\",\"100\",\"\",\"MAIN\",\"ST\",\"\",\"\",\"\",\"602\",\"K\",\"521\",\"urgent\"
\"E6\",\"2023-01-03 08:05:00\",\"3\",\"100\",\"\",\"MAIN\",\"ST\",\"\",\"\",\"\",\"ZZZ\",\"K\",\"521\",\"3\"
";
    let p = plan_of("sandiego", data, Window::default());
    let skipped: Vec<(u64, &str)> = p
        .report
        .skipped
        .iter()
        .map(|s| (s.line, s.reason.split(':').next().unwrap()))
        .collect();
    assert_eq!(
        skipped,
        vec![
            (3, "row"),
            (4, "received_at"),
            (5, "call_number"),
            (7, "nature"),
            (8, "priority")
        ]
    );
    assert!(
        p.report.skipped[0]
            .reason
            .contains("has 4 fields, the header has 14")
    );
    assert!(
        p.report.skipped[2]
            .reason
            .contains("repeats the call of line 2")
    );
    let numbers: Vec<_> = p
        .timeline
        .iter()
        .map(|t| t.event.call_number.as_str())
        .collect();
    assert_eq!(numbers, ["E1", "E6"]);
    assert_eq!(p.report.rows, 7, "the blank line is not a row");
    assert_eq!(p.report.unmapped_types.get("ZZZ"), Some(&1));
}

#[test]
fn a_file_whose_header_does_not_fit_names_the_missing_column() {
    let rules = rules();
    let source = Source::load("sandiego", &rules).unwrap();
    let err = plan(SPD.as_bytes(), &source, &rules, Window::default()).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("does not fit the sandiego mapping: columns.call_number: the file has no column \"incident_num\""),
        "{msg}"
    );
    let err = plan(&b""[..], &source, &rules, Window::default()).unwrap_err();
    assert!(err.to_string().contains("no header"), "{err}");
}

#[test]
fn a_row_that_is_not_utf8_is_skipped_not_fatal() {
    let rules = rules();
    let source = Source::load("seattle", &rules).unwrap();
    let mut data = b"CAD Event Number,Original Time Queued,Initial Call Type,Priority,Blurred_Latitude,Blurred_Longitude\n".to_vec();
    data.extend_from_slice(b"1,11/04/2023 6:08:26 PM,TRESPASS \xff\xfe,3,47.6,-122.3\n");
    data.extend_from_slice(b"2,11/04/2023 6:09:26 PM,TRESPASS,3,47.6,-122.3\n");
    let p = plan(&data[..], &source, &rules, Window::default()).unwrap();
    assert_eq!(p.report.skipped.len(), 1);
    assert_eq!(p.report.skipped[0].line, 2);
    assert!(
        p.report.skipped[0].reason.contains("not UTF-8"),
        "{:?}",
        p.report.skipped
    );
    assert_eq!(p.timeline.len(), 1);
}

#[test]
fn bad_mapping_files_are_refused_with_the_path_and_the_reason() {
    let rules = rules();
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let missing_time = write(
        "a.toml",
        "description = \"x\"\nsource = \"s\"\n[columns]\ncall_number = \"n\"\nreceived_at = \"t\"\nnature_text = \"c\"\n",
    );
    let err = Source::load(&missing_time, &rules).unwrap_err().to_string();
    assert!(
        err.starts_with(&missing_time) && err.contains("time"),
        "{err}"
    );

    let typo = write(
        "b.toml",
        "description = \"x\"\nsource = \"s\"\n[columns]\ncall_numbr = \"n\"\nreceived_at = \"t\"\nnature_text = \"c\"\n[time]\nformats = [\"%Y\"]\nutc_offset_minutes = 0\n",
    );
    let err = Source::load(&typo, &rules).unwrap_err().to_string();
    assert!(err.contains("call_numbr"), "{err}");

    write(
        "bad-map.toml",
        "agency = \"x\"\nsource = \"y\"\n[codes]\n\"A\" = \"no-such-family\"\n",
    );
    let with_map = write(
        "c.toml",
        "description = \"x\"\nsource = \"s\"\nnature_map = \"bad-map.toml\"\n[columns]\ncall_number = \"n\"\nreceived_at = \"t\"\nnature_text = \"c\"\n[time]\nformats = [\"%Y-%m-%d\"]\nutc_offset_minutes = 0\n",
    );
    let err = Source::load(&with_map, &rules).unwrap_err().to_string();
    assert!(
        err.contains("no-such-family") && err.contains("bad-map.toml"),
        "{err}"
    );

    let err = Source::load("boston", &rules).unwrap_err().to_string();
    assert!(err.contains("seattle, sandiego, ucsd"), "{err}");
}

mod arbitrary_input {
    use super::*;
    use proptest::prelude::*;

    /// Lines built from the pieces CSV breaks on: quotes, commas, blank and ragged lines,
    /// times and non-ASCII text.
    fn csv_like() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just(",".to_owned()),
            Just("\"".to_owned()),
            Just("\n".to_owned()),
            Just("\r\n".to_owned()),
            Just("2023-01-03 08:00:00".to_owned()),
            Just("CW".to_owned()),
            Just("11/04/2023 6:08:26 PM".to_owned()),
            "[a-zA-Z0-9 ./:-]{0,12}",
            "\\PC{0,6}",
        ];
        proptest::collection::vec(piece, 0..80).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Whatever follows a real header, reading never panics and every row is either
        /// replayed or reported.
        #[test]
        fn any_rows_are_replayed_or_reported(body in csv_like(), which in 0usize..3) {
            let (name, header) = [
                ("sandiego", SD.lines().next().unwrap()),
                ("seattle", SPD.lines().next().unwrap()),
                ("ucsd", UCSD.lines().next().unwrap()),
            ][which];
            let rules = rules();
            let source = Source::load(name, &rules).unwrap();
            let data = format!("{header}\n{body}");
            let p = plan(data.as_bytes(), &source, &rules, Window::default()).unwrap();
            prop_assert_eq!(p.timeline.len() + p.report.skipped.len(), p.report.rows);
        }

        /// Bytes that are not even text: an error or a report, never a panic.
        #[test]
        fn any_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let rules = rules();
            let source = Source::load("sandiego", &rules).unwrap();
            let _ = plan(&bytes[..], &source, &rules, Window::default());
        }
    }
}
