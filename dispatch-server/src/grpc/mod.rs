//! The gRPC adapters, thin: authenticate, convert, call one operation of the app, convert
//! back. None reads the state or applies a rule; errors become statuses in `status.rs` only.

mod cad;
mod dispatch;
mod follow_ups;
mod reports;
mod responder;
pub mod status;

pub use cad::CadIngestService;
pub use dispatch::DispatchService;
pub use follow_ups::FollowUpsService;
pub use reports::ReportsService;
pub use responder::ResponderService;

use crate::app::access::{self, Area};
use crate::app::{App, AppError};
use crate::auth::{Authenticator, Role};
use dispatch_proto::v1::cad_ingest_server::CadIngestServer;
use dispatch_proto::v1::dispatch_server::DispatchServer;
use dispatch_proto::v1::follow_ups_server::FollowUpsServer;
use dispatch_proto::v1::reports_server::ReportsServer;
use dispatch_proto::v1::responder_server::ResponderServer;
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

/// A server stream of `M`.
pub type Stream<M> = crate::app::Feed<M, Status>;

impl Ctx {
    /// The caller's role, from its bearer token.
    fn role(&self, metadata: &MetadataMap) -> Result<Role, Status> {
        Ok(self.auth.authenticate(metadata).map_err(AppError::from)?)
    }

    /// The caller's role, if it may `action` in `area`.
    fn caller(
        &self,
        metadata: &MetadataMap,
        area: Area,
        action: &'static str,
    ) -> Result<Role, Status> {
        let role = self.role(metadata)?;
        access::require(&role, area, action)?;
        Ok(role)
    }
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
