//! The gRPC adapters, thin: authenticate, convert, call the app, convert back. Errors become
//! statuses in `status.rs` only.

mod cad;
mod dispatch;
mod follow_ups;
mod reports;
mod responder;
pub mod status;
mod streams;

pub use cad::CadIngestService;
pub use dispatch::DispatchService;
pub use follow_ups::FollowUpsService;
pub use reports::ReportsService;
pub use responder::ResponderService;

use crate::app::App;
use crate::auth::{AuthError, Authenticator, Role};
use dispatch_core::Command;
use dispatch_proto::v1::cad_ingest_server::CadIngestServer;
use dispatch_proto::v1::dispatch_server::DispatchServer;
use dispatch_proto::v1::follow_ups_server::FollowUpsServer;
use dispatch_proto::v1::reports_server::ReportsServer;
use dispatch_proto::v1::responder_server::ResponderServer;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use tokio_util::sync::CancellationToken;
use tonic::Status;
use tonic::metadata::MetadataMap;

/// What every service holds.
#[derive(Clone)]
pub struct Ctx {
    pub app: App,
    pub auth: Arc<Authenticator>,
    /// Cancelled at shutdown: open streams end.
    pub cancel: CancellationToken,
}

impl Ctx {
    fn role(&self, metadata: &MetadataMap) -> Result<Role, Status> {
        self.auth.authenticate(metadata).map_err(status::auth)
    }

    /// The caller's role if `allowed` accepts it.
    fn require(
        &self,
        metadata: &MetadataMap,
        action: &'static str,
        allowed: impl Fn(&Role) -> bool,
    ) -> Result<Role, Status> {
        let role = self.role(metadata)?;
        if allowed(&role) {
            Ok(role)
        } else {
            Err(status::auth(AuthError::Forbidden {
                role: role.to_string(),
                action,
            }))
        }
    }
}

impl Ctx {
    /// Runs a client command, idempotent by its command id.
    async fn run(
        &self,
        command_id: String,
        command: Command,
    ) -> Result<crate::app::Outcome, Status> {
        let fingerprint = fingerprint(&command);
        Ok(self.app.command(command_id, fingerprint, command).await?)
    }

    /// The reply to an acknowledgement (by the team or on its behalf).
    fn ack_reply(
        &self,
        id: &dispatch_core::AssignmentId,
        seq: u64,
    ) -> dispatch_proto::v1::AckReply {
        let assignment = self
            .app
            .read(|state, _| state.assignments.get(id).map(Into::into));
        dispatch_proto::v1::AckReply { assignment, seq }
    }
}

/// What a command is, so a command id re-used for another command is caught.
pub(crate) fn fingerprint(command: &Command) -> String {
    let json = serde_json_bytes(command);
    crate::auth::hex(&Sha256::digest(&json))
}

fn serde_json_bytes(command: &Command) -> Vec<u8> {
    serde_json::to_vec(command).unwrap_or_default()
}

/// Maximum size of a request: a CAD event with a long narrative fits many times over.
const MAX_MESSAGE_BYTES: usize = 1024 * 1024;

pub fn cad_ingest(ctx: Ctx) -> CadIngestServer<CadIngestService> {
    CadIngestServer::new(CadIngestService { ctx }).max_decoding_message_size(MAX_MESSAGE_BYTES)
}

pub fn dispatch(ctx: Ctx) -> DispatchServer<DispatchService> {
    DispatchServer::new(DispatchService { ctx }).max_decoding_message_size(MAX_MESSAGE_BYTES)
}

pub fn responder(ctx: Ctx) -> ResponderServer<ResponderService> {
    ResponderServer::new(ResponderService { ctx }).max_decoding_message_size(MAX_MESSAGE_BYTES)
}

pub fn follow_ups(ctx: Ctx) -> FollowUpsServer<FollowUpsService> {
    FollowUpsServer::new(FollowUpsService { ctx }).max_decoding_message_size(MAX_MESSAGE_BYTES)
}

pub fn reports(ctx: Ctx) -> ReportsServer<ReportsService> {
    ReportsServer::new(ReportsService { ctx }).max_decoding_message_size(MAX_MESSAGE_BYTES)
}
