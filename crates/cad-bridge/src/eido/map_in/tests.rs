use super::*;
use crate::eido::parse;
use serde_json::{Value, json};

const SAMPLE: &str = include_str!("../../../data/eido/sample-call-transfer.eido.json");
const CRISIS: &str = include_str!("../../../data/eido/crisis-call.eido.json");
const UPDATE: &str = include_str!("../../../data/eido/crisis-call-update.eido.json");
const CANCELLED: &str = include_str!("../../../data/eido/crisis-call-cancelled.eido.json");

fn doc(text: &str) -> Eido {
    parse(text.as_bytes()).expect("valid fixture")
}

fn kinds(m: &Mapped) -> Vec<&'static str> {
    m.events
        .iter()
        .map(|e| match e.kind.as_ref().unwrap() {
            Kind::Created(_) => "created",
            Kind::Updated(_) => "updated",
            Kind::Narrative(_) => "narrative",
            Kind::Closed(_) => "closed",
            Kind::Cancelled(_) => "cancelled",
        })
        .collect()
}

fn created(m: &Mapped) -> &v1::CallCreated {
    match m.events[0].kind.as_ref().unwrap() {
        Kind::Created(c) => c,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_new_incident_becomes_a_created_call_with_everything_the_document_says() {
    let mapper = Mapper::new("boec");
    let m = mapper.map(&doc(CRISIS)).unwrap();
    assert_eq!(kinds(&m), ["created"]);
    let e = &m.events[0];
    assert_eq!(e.source, "boec");
    assert_eq!(
        e.call_number,
        "urn:emergency:uid:incidentid:psr0001:boec.example.gov"
    );
    assert_eq!(
        e.event_id,
        "urn:emergency:uid:incidentid:psr0001:boec.example.gov#created@2026-05-14T10:02:00.000-07:00"
    );
    assert_eq!(e.occurred_at.unwrap().seconds, 1_778_778_120);
    let c = created(&m);
    assert_eq!(
        (c.nature_code.as_str(), c.nature_text.as_str()),
        ("WELFARE", "WELFARE CHECK")
    );
    assert_eq!(c.cad_priority, 3);
    let loc = c.location.as_ref().unwrap();
    assert_eq!(loc.address, "700 SW 5th Ave, Portland, OR");
    assert_eq!((loc.lat, loc.lon), (Some(45.5189), Some(-122.6774)));
    assert_eq!(loc.cross_streets, "SW Morrison St");
    assert_eq!(
        loc.place_type,
        v1::PlaceType::OutdoorPublic as i32,
        "<PLC>street</PLC>"
    );
    assert_eq!(loc.beat, "CENTRAL");
    assert_eq!(c.caller.as_ref().unwrap().callback, "5035550142");
    assert_eq!(
        c.narrative,
        [
            "ADULT MALE SITTING ON SIDEWALK TALKING TO HIMSELF, APPEARS CONFUSED",
            "NO WPNS SEEN, NOT VIOLENT"
        ],
        "notes in time order"
    );
}

#[test]
fn later_documents_update_append_and_cancel() {
    let mut mapper = Mapper::new("boec");
    let first = mapper.map(&doc(CRISIS)).unwrap();
    mapper.applied(&first);

    let again = mapper.map(&doc(CRISIS)).unwrap();
    assert!(
        again.events.is_empty(),
        "the same document twice changes nothing"
    );

    let update = mapper.map(&doc(UPDATE)).unwrap();
    assert_eq!(kinds(&update), ["updated", "narrative"]);
    let Kind::Updated(u) = update.events[0].kind.as_ref().unwrap() else {
        panic!()
    };
    assert_eq!(u.cad_priority, Some(2));
    assert_eq!(u.nature_code.as_deref(), Some("WELFARE"));
    let Kind::Narrative(n) = update.events[1].kind.as_ref().unwrap() else {
        panic!()
    };
    assert_eq!(
        n.lines,
        ["CALLER SAYS SUBJ NOW WALKING TOWARD PIONEER SQ"],
        "only the new note"
    );
    assert!(
        update.events[1]
            .event_id
            .ends_with("#notes@2026-05-14T10:09:30.000-07:00")
    );
    mapper.applied(&update);

    // An older document arriving late is skipped.
    assert!(mapper.map(&doc(CRISIS)).unwrap().events.is_empty());

    let cancelled = mapper.map(&doc(CANCELLED)).unwrap();
    assert_eq!(kinds(&cancelled), ["updated", "cancelled"]);
    assert_eq!(
        cancelled.events[1].event_id,
        "urn:emergency:uid:incidentid:psr0001:boec.example.gov#cancelled"
    );
    mapper.applied(&cancelled);
    let mut later: Value = serde_json::from_str(CANCELLED).unwrap();
    later["lastUpdateTimeStamp"] = json!("2026-05-14T18:00:00Z");
    let later = mapper
        .map(&parse(later.to_string().as_bytes()).unwrap())
        .unwrap();
    assert_eq!(kinds(&later), ["updated"], "cancelled once");
}

#[test]
fn event_ids_are_the_same_for_the_same_document() {
    let a = Mapper::new("boec").map(&doc(UPDATE)).unwrap();
    let b = Mapper::new("boec").map(&doc(UPDATE)).unwrap();
    assert_eq!(a, b);
}

#[test]
fn a_residence_is_a_private_residence() {
    let mut v: Value = serde_json::from_str(CRISIS).unwrap();
    let xml = v["locationComponent"][0]["locationByValue"]
        .as_str()
        .unwrap()
        .to_string();
    v["locationComponent"][0]["locationByValue"] =
        json!(xml.replace("<PLC>street</PLC>", "<PLC>residence</PLC>"));
    let m = Mapper::new("boec")
        .map(&parse(v.to_string().as_bytes()).unwrap())
        .unwrap();
    let loc = created(&m).location.as_ref().unwrap();
    assert_eq!(loc.place_type, v1::PlaceType::PrivateResidence as i32);
}

#[test]
fn a_closed_incident_closes_the_call() {
    let mut v: Value = serde_json::from_str(CRISIS).unwrap();
    v["incidentComponent"]["incidentStatusCommonRegistryText"] = json!(["Closed"]);
    let m = Mapper::new("boec")
        .map(&parse(v.to_string().as_bytes()).unwrap())
        .unwrap();
    assert_eq!(kinds(&m), ["created", "closed"]);
}

#[test]
fn nena_call_transfer_becomes_a_call_with_location_and_callback_for_review() {
    let m = Mapper::new("pa-state").map(&doc(SAMPLE)).unwrap();
    assert_eq!(kinds(&m), ["created"]);
    assert_eq!(
        m.call_number,
        "urn:emergency:uid:incidentid:a56e556d871:bcf.state.pa.us"
    );
    let c = created(&m);
    // No incident component: no nature, so triage cannot call it eligible.
    assert_eq!((c.nature_code.as_str(), c.nature_text.as_str()), ("", ""));
    assert_eq!(c.cad_priority, 0);
    let loc = c.location.as_ref().unwrap();
    assert_eq!(
        loc.address, "42 W Cellular Street, Wilmington, DE",
        "the location given by value"
    );
    assert_eq!((loc.lat, loc.lon), (None, None));
    assert_eq!(c.caller.as_ref().unwrap().callback, "8195551212");
    assert!(c.narrative.is_empty());
}

#[test]
fn bad_times_and_long_ids_are_refused_by_path() {
    let mut v: Value = serde_json::from_str(SAMPLE).unwrap();
    v["callComponent"][0]["callStartTimestamp"] = json!("yesterday");
    let err = Mapper::new("s")
        .map(&parse(v.to_string().as_bytes()).unwrap())
        .unwrap_err();
    assert!(
        matches!(&err, EidoError::Invalid { path, .. } if path == "$.callComponent[0].callStartTimestamp"),
        "{err}"
    );

    let mut v: Value = serde_json::from_str(SAMPLE).unwrap();
    v["$id"] = json!("x".repeat(129));
    let err = Mapper::new("s")
        .map(&parse(v.to_string().as_bytes()).unwrap())
        .unwrap_err();
    assert!(
        matches!(&err, EidoError::Invalid { path, .. } if path == "$.$id"),
        "{err}"
    );

    let mut v: Value = serde_json::from_str(CRISIS).unwrap();
    v["incidentComponent"]["locationReference"][0]["$ref"] = json!("cb-psr0001-1");
    let err = Mapper::new("s")
        .map(&parse(v.to_string().as_bytes()).unwrap())
        .unwrap_err();
    assert!(
        matches!(&err, EidoError::Invalid { path, .. } if path == "$.incidentComponent.locationReference[0].$ref"),
        "{err}"
    );
}

#[test]
fn long_event_ids_become_stable_digests() {
    let mut v: Value = serde_json::from_str(CRISIS).unwrap();
    v["$id"] = json!(format!("urn:emergency:uid:incidentid:{}", "7".repeat(90)));
    let d = parse(v.to_string().as_bytes()).unwrap();
    let a = Mapper::new("s").map(&d).unwrap();
    let id = &a.events[0].event_id;
    assert!(id.starts_with("eido-sha256:") && id.len() <= 128, "{id}");
    assert_eq!(Mapper::new("s").map(&d).unwrap().events[0].event_id, *id);
}

#[test]
fn many_notes_are_split_into_events_the_server_accepts() {
    let mut v: Value = serde_json::from_str(CRISIS).unwrap();
    let notes: Vec<Value> = (0..250)
        .map(|i| {
            json!({"$id": format!("n{i}"), "lastUpdateTimeStamp": "2026-05-14T10:01:00Z",
                   "updatedByAgencyReference": {"$ref": "boec.example.gov"},
                   "notesActionComments": format!("LINE {i}")})
        })
        .collect();
    v["notesComponent"] = Value::Array(notes);
    let m = Mapper::new("s")
        .map(&parse(v.to_string().as_bytes()).unwrap())
        .unwrap();
    assert_eq!(kinds(&m), ["created", "narrative", "narrative"]);
    assert_eq!(created(&m).narrative.len(), 100);
    let mut ids: Vec<&str> = m.events.iter().map(|e| e.event_id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 3);
}
