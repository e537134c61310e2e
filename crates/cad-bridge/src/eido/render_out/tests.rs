use super::*;

fn update(seq: u64, kind: Kind) -> v1::CadUpdate {
    v1::CadUpdate {
        seq,
        at: Some(prost_types::Timestamp {
            seconds: 1_778_778_120,
            nanos: 5_000_000,
        }),
        source: "boec".into(),
        call_number: "urn:emergency:uid:incidentid:psr0001:boec.example.gov".into(),
        incident_id: "0190-incident".into(),
        kind: Some(kind),
    }
}

fn renderer() -> Renderer {
    Renderer::new(Publisher::new("crisis.example.gov"))
}

#[test]
fn a_status_change_is_the_team_as_an_emergency_resource() {
    let doc = renderer()
        .render(&update(
            7,
            Kind::Status(v1::UnitStatus {
                team_id: "PSR-1".into(),
                status: v1::TeamStatus::EnRoute as i32,
            }),
        ))
        .unwrap();
    assert_eq!(
        doc.id,
        "urn:emergency:uid:incidentid:psr0001:boec.example.gov"
    );
    assert_eq!(doc.last_update_time_stamp, "2026-05-14T17:02:00.005Z");
    let unit = &doc.emergency_resource_component[0];
    assert_eq!(unit.primary_unit_status_registry_text, "EnRoute");
    assert_eq!(
        unit.emergency_resource_type_common_registry_text,
        "CrisisInterventionUnit"
    );
    assert_eq!(unit.emergency_resource_name.as_deref(), Some("PSR-1"));
    assert_eq!(unit.agent_reference[0].id, "PSR-1@crisis.example.gov");
    assert_eq!(doc.agent_component[0].id, "PSR-1@crisis.example.gov");
    assert!(doc.incident_component.is_empty());
}

#[test]
fn statuses_follow_the_registry_words() {
    let cases = [
        (v1::TeamStatus::Dispatched, "Dispatched", vec![]),
        (
            v1::TeamStatus::Acknowledged,
            "Dispatched",
            vec!["AcknowledgedTransmission"],
        ),
        (v1::TeamStatus::OnScene, "OnScene", vec![]),
        (v1::TeamStatus::Transporting, "Transporting", vec![]),
        (v1::TeamStatus::Available, "Cleared", vec!["Available"]),
    ];
    for (status, primary, secondary) in cases {
        let doc = renderer()
            .render(&update(
                1,
                Kind::Status(v1::UnitStatus {
                    team_id: "PSR-2".into(),
                    status: status as i32,
                }),
            ))
            .unwrap();
        let unit = &doc.emergency_resource_component[0];
        assert_eq!(
            unit.primary_unit_status_registry_text, primary,
            "{status:?}"
        );
        assert_eq!(
            unit.secondary_unit_status_registry_text, secondary,
            "{status:?}"
        );
    }
}

#[test]
fn a_backup_request_keeps_the_team_status_and_carries_the_note() {
    let mut r = renderer();
    r.render(&update(
        1,
        Kind::Status(v1::UnitStatus {
            team_id: "PSR-1".into(),
            status: v1::TeamStatus::OnScene as i32,
        }),
    ));
    let doc = r
        .render(&update(
            2,
            Kind::Backup(v1::UnitBackupRequest {
                team_id: "PSR-1".into(),
                urgent: true,
                note: "SUBJ PICKED UP A BOTTLE".into(),
            }),
        ))
        .unwrap();
    let unit = &doc.emergency_resource_component[0];
    assert_eq!(unit.primary_unit_status_registry_text, "OnScene");
    assert_eq!(
        unit.secondary_unit_status_registry_text,
        ["BackupRequested", "Emergency"]
    );
    assert_eq!(unit.notes_reference[0].id, doc.notes_component[0].id);
    assert_eq!(
        doc.notes_component[0].notes_action_comments,
        "CRISIS TEAM REQUESTS POLICE BACKUP - URGENT: SUBJ PICKED UP A BOTTLE"
    );
}

#[test]
fn declines_and_dispositions_are_incident_dispositions() {
    let mut r = renderer();
    let doc = r
        .render(&update(
            3,
            Kind::Declined(v1::CallDeclined {
                route: v1::Route::Police as i32,
                reason: "weapon seen".into(),
            }),
        ))
        .unwrap();
    let incident = &doc.incident_component[0];
    assert_eq!(incident.incident_type_common_registry_text, "Unknown");
    assert_eq!(
        incident.disposition_component[0].disposition_common_registry_code,
        "15"
    );
    assert_eq!(
        doc.notes_component[0].notes_action_comments,
        "CRISIS RESPONSE DECLINED, ROUTE TO POLICE: weapon seen"
    );

    r.know_incident_type(
        "urn:emergency:uid:incidentid:psr0001:boec.example.gov",
        "EDP",
    );
    let doc = r
        .render(&update(
            4,
            Kind::Disposition(v1::CallDisposition {
                team_id: "PSR-1".into(),
                disposition: v1::Disposition::ReferredToPartnerAgency as i32,
            }),
        ))
        .unwrap();
    let incident = &doc.incident_component[0];
    assert_eq!(incident.incident_type_common_registry_text, "EDP");
    let d = &incident.disposition_component[0];
    assert_eq!(d.disposition_common_registry_code, "15");
    assert_eq!(
        d.disposition_description_text.as_deref(),
        Some("Referred to partner agency")
    );
    assert_eq!(
        doc.emergency_resource_component[0].primary_unit_status_registry_text,
        "Cleared"
    );
}

#[test]
fn the_same_update_renders_the_same_document() {
    let u = update(
        9,
        Kind::Acknowledged(v1::UnitAcknowledged {
            team_id: "PSR-3".into(),
            by_dispatcher: true,
        }),
    );
    let a = renderer().render(&u).unwrap();
    assert_eq!(a, renderer().render(&u).unwrap());
    assert_eq!(
        a.emergency_resource_component[0].unit_status_internal,
        ["acknowledged by the dispatcher on the team's behalf"]
    );
    let mut none = u.clone();
    none.kind = None;
    assert_eq!(renderer().render(&none), None);
}

#[test]
fn the_cad_gets_the_code_the_team_picked_on_its_console() {
    let codes = default_disposition_codes();
    for d in dispatch_core::Disposition::ALL {
        assert_eq!(codes[&v1::Disposition::from(d)], d.code(), "{d:?}");
    }
    assert_eq!(codes[&v1::Disposition::Transported], "13");
    assert_eq!(codes[&v1::Disposition::ReferredToPartnerAgency], "15");
}
