//! Follow-up tasks for the same person are linked, over gRPC, whichever team met them.

use dispatch_proto::v1;
use dispatch_tests::fixtures::command_id;
use dispatch_tests::*;

fn meeting(person_ref: &str) -> v1::Encounter {
    v1::Encounter {
        consents_to_follow_up: true,
        person_ref: person_ref.into(),
        ..v1::Encounter::default()
    }
}

#[tokio::test]
async fn tasks_for_one_person_are_linked_across_teams_and_kept_with_one_peer() {
    let server = TestServer::start().await;
    let t = server.tokens.clone();
    let ch = server.channel().await;

    call_on_scene(&ch, &t, "L-1", "PSR-1").await;
    let first = clear(&ch, t.unit("PSR-1"), meeting("Client 4471"))
        .await
        .follow_ups;
    assert!(!first.is_empty(), "the policy makes a follow-up on consent");
    assert_eq!(first[0].person_ref, "Client 4471");
    let first_ids: Vec<String> = first.iter().map(|t| t.id.clone()).collect();

    let incident = call_on_scene(&ch, &t, "L-2", "PSR-2").await;
    let second = clear(&ch, t.unit("PSR-2"), meeting(" client 4471"))
        .await
        .follow_ups;
    assert_eq!(second[0].linked_task_ids, first_ids);
    assert_eq!(
        second[0].assignee, first[0].assignee,
        "the same peer keeps the person"
    );

    // A supervisor adds a task by hand for the same person.
    let manual = FollowUpsClient::new(ch.clone())
        .create(authed(
            v1::CreateFollowUpRequest {
                command_id: command_id(),
                incident_id: incident.clone(),
                kind: v1::FollowUpKind::InPersonVisit as i32,
                due_at: Some(prost_types::Timestamp {
                    seconds: 4_000_000_000,
                    nanos: 0,
                }),
                assignee: String::new(),
                person_ref: "CLIENT 4471".into(),
            },
            &t.supervisor,
        ))
        .await
        .expect("create")
        .into_inner()
        .task
        .expect("task");
    assert_eq!(manual.linked_task_ids.len(), first.len() + second.len());
    assert_eq!(manual.assignee, first[0].assignee);

    // A reference that is really a record is refused, and nothing is cleared.
    call_on_scene(&ch, &t, "L-3", "PSR-3").await;
    let refused = ResponderClient::new(ch.clone())
        .clear(authed(
            v1::ClearRequest {
                command_id: command_id(),
                disposition: v1::Disposition::ConnectedToServices as i32,
                encounter: Some(meeting(&"x".repeat(500))),
            },
            t.unit("PSR-3"),
        ))
        .await
        .expect_err("too long");
    assert_eq!(refused.code(), tonic::Code::InvalidArgument);
    assert!(
        refused.message().starts_with("encounter.person_ref:"),
        "{}",
        refused.message()
    );
}
