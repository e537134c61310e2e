//! NENA-STA-024 subscribe/notify messages (`websocket-subscribe-notify.yaml`): each WebSocket
//! text frame is one JSON object whose single key names the message, e.g.
//! `{"event": {"subscriptionId": ..., "transactionId": ..., "notification": [<EIDO>...]}}`.
//! Unknown fields are ignored.

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Message {
    Subscribe(Subscribe),
    SubscribeResponse(SubscribeResponse),
    Unsubscribe(Unsubscribe),
    UnsubscribeResponse(UnsubscribeResponse),
    Event(Event),
    EventResponse(EventResponse),
    Terminate(Terminate),
    TerminateResponse(TerminateResponse),
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscribe {
    pub request_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_sub_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_accepts: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscribeResponse {
    pub request_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<i64>,
    pub status_code: u16,
    pub status_text: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Unsubscribe {
    pub request_id: String,
    pub subscription_id: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnsubscribeResponse {
    pub request_id: String,
    pub subscription_id: String,
    pub status_code: u16,
    pub status_text: String,
}

/// A notification: EIDOs for a subscription, acknowledged by its transaction id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub subscription_id: String,
    pub transaction_id: String,
    #[serde(default)]
    pub notification: Vec<Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventResponse {
    pub transaction_id: String,
    pub status_code: u16,
    pub status_text: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Terminate {
    pub request_id: String,
    pub subscription_id: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TerminateResponse {
    pub request_id: String,
    pub subscription_id: String,
    pub status_code: u16,
    pub status_text: String,
}

impl Message {
    pub fn to_json(&self) -> String {
        // A message is plain data: serializing it cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// `eventResponse` status codes the bridge uses.
pub mod status {
    pub const OK: u16 = 200;
    /// The notification held a document the bridge refuses (the text names the path).
    pub const BAD_REQUEST: u16 = 400;
    /// A document is larger than the bridge accepts.
    pub const TOO_LARGE: u16 = 413;
    /// The subscription is not known.
    pub const NO_SUCH_SUBSCRIPTION: u16 = 481;
    /// The dispatch server could not take the documents now; send again.
    pub const UNAVAILABLE: u16 = 503;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn messages_have_the_shapes_of_the_schema() {
        let m: Message = serde_json::from_value(json!({"event": {
            "subscriptionId": "s1", "transactionId": "t1",
            "notification": [{"$id": "x"}], "extra": true}}))
        .unwrap();
        assert_eq!(
            m,
            Message::Event(Event {
                subscription_id: "s1".into(),
                transaction_id: "t1".into(),
                notification: vec![json!({"$id": "x"})],
            })
        );
        let ack = Message::EventResponse(EventResponse {
            transaction_id: "t1".into(),
            status_code: status::OK,
            status_text: "OK".into(),
        });
        assert_eq!(
            serde_json::to_value(&ack).unwrap(),
            json!({"eventResponse": {"transactionId": "t1", "statusCode": 200, "statusText": "OK"}})
        );
        assert!(serde_json::from_value::<Message>(json!({"gossip": {}})).is_err());
    }
}
