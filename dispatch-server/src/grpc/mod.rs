//! The gRPC adapters, thin: authenticate, convert, call one operation of the app, convert
//! back. None reads the state or applies a rule; errors become statuses in `status.rs` only.

mod audit;
mod cad;
mod dispatch;
mod follow_ups;
mod reports;
mod responder;
pub mod status;

pub use audit::AuditService;
pub use cad::CadIngestService;
pub use dispatch::DispatchService;
pub use follow_ups::FollowUpsService;
pub use reports::ReportsService;
pub use responder::ResponderService;

use crate::app::access::{self, Area};
use crate::app::{Actor, App, AppError};
use crate::auth::{Credential, Keyring, Role};
use dispatch_proto::v1::audit_server::AuditServer;
use dispatch_proto::v1::cad_ingest_server::CadIngestServer;
use dispatch_proto::v1::dispatch_server::DispatchServer;
use dispatch_proto::v1::follow_ups_server::FollowUpsServer;
use dispatch_proto::v1::reports_server::ReportsServer;
use dispatch_proto::v1::responder_server::ResponderServer;
use std::sync::Arc;
use tokio_util::sync::{CancellationToken, DropGuard};
use tonic::{Request, Status};

/// What every service holds.
#[derive(Clone)]
pub struct Ctx {
    pub app: App,
    pub keyring: Arc<Keyring>,
    /// Cancelled at shutdown: open streams end.
    pub cancel: CancellationToken,
}

/// A server stream of `M`; it ends when the server stops or the caller's credential is
/// revoked or expires.
pub type Stream<M> = Scoped<crate::app::Feed<M, Status>>;

/// Who is calling: the role, the credential it came from, and how the audit trail names
/// them (holder, role, address, RPC).
pub struct Caller {
    pub role: Role,
    pub actor: Actor,
    credential: Arc<Credential>,
}

/// The RPC a request is for, `/crisis.dispatch.v1.Dispatch/Assign` (see [`Operation`]).
fn operation<T>(request: &Request<T>) -> String {
    request
        .extensions()
        .get::<Operation>()
        .map(|o| o.0.clone())
        .unwrap_or_default()
}

/// The request's path, put in its extensions by [`WithOperation`] for the audit trail (a
/// tonic request no longer has its URI when the handler sees it).
#[derive(Clone, Debug)]
struct Operation(String);

/// A service that tells its handlers which RPC they serve.
#[derive(Clone, Debug)]
pub struct WithOperation<S>(S);

impl<S, B> tonic::codegen::Service<tonic::codegen::http::Request<B>> for WithOperation<S>
where
    S: tonic::codegen::Service<tonic::codegen::http::Request<B>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, mut request: tonic::codegen::http::Request<B>) -> Self::Future {
        let operation = Operation(request.uri().path().to_owned());
        request.extensions_mut().insert(operation);
        self.0.call(request)
    }
}

impl<S: tonic::server::NamedService> tonic::server::NamedService for WithOperation<S> {
    const NAME: &'static str = S::NAME;
}

impl Ctx {
    /// The caller, from its bearer token or client certificate; its holder goes into the
    /// call's span, so every log line of the call names who made it.
    async fn identify<T>(&self, request: &Request<T>) -> Result<Caller, Status> {
        let certs = request.peer_certs();
        let peer = request.remote_addr().map(|a| a.ip());
        let credential = match self
            .keyring
            .authenticate(
                request.metadata(),
                certs.as_deref().map(Vec::as_slice),
                peer,
            )
            .await
        {
            Ok(credential) => credential,
            Err(e) => {
                let e = AppError::from(e);
                let nobody = Actor {
                    holder: "(unauthenticated)".into(),
                    role: "(none)".into(),
                    peer: peer.map(|p| p.to_string()),
                    operation: operation(request),
                };
                self.app.audit_refusal(&nobody, &e);
                return Err(e.into());
            }
        };
        tracing::Span::current().record("holder", credential.holder.as_str());
        tracing::debug!(role = %credential.role, "caller identified");
        Ok(Caller {
            role: credential.role.clone(),
            actor: Actor {
                holder: credential.holder.clone(),
                role: credential.role.to_string(),
                peer: peer.map(|p| p.to_string()),
                operation: operation(request),
            },
            credential,
        })
    }

    /// The caller, if it may `action` in `area`.
    async fn caller<T>(
        &self,
        request: &Request<T>,
        area: Area,
        action: &'static str,
    ) -> Result<Caller, Status> {
        let caller = self.identify(request).await?;
        if let Err(e) = access::require(&caller.role, area, action) {
            self.app.audit_refusal(&caller.actor, &e);
            return Err(e.into());
        }
        Ok(caller)
    }

    /// The cancellation of one stream of `caller`: fires at shutdown, or when the caller's
    /// credential is revoked (reload) or expires.
    fn stream_scope(&self, caller: &Caller) -> StreamScope {
        let cancel = self.cancel.child_token();
        let credential = caller.credential.clone();
        let watch = cancel.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = credential.ended() => {
                    tracing::info!(holder = %credential.holder, "credential revoked or expired: closing its stream");
                    watch.cancel();
                }
                () = watch.cancelled() => {}
            }
        });
        StreamScope {
            guard: cancel.clone().drop_guard(),
            cancel,
        }
    }
}

/// One stream's cancellation token; the stream it wraps cancels it when dropped (the
/// client went away), so the task watching the credential ends with the stream.
struct StreamScope {
    cancel: CancellationToken,
    guard: DropGuard,
}

impl StreamScope {
    fn wrap<S>(self, inner: S) -> Scoped<S> {
        Scoped {
            inner,
            _guard: self.guard,
        }
    }
}

/// A stream that cancels its scope when dropped.
pub struct Scoped<S> {
    inner: S,
    _guard: DropGuard,
}

impl<S: tokio_stream::Stream + Unpin> tokio_stream::Stream for Scoped<S> {
    type Item = S::Item;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<S::Item>> {
        std::pin::Pin::new(&mut self.inner).poll_next(cx)
    }
}

/// Maximum size of a request: a CAD event with a long narrative fits many times over.
const MAX_MESSAGE_BYTES: usize = 1024 * 1024;

pub fn cad_ingest(ctx: Ctx) -> WithOperation<CadIngestServer<CadIngestService>> {
    WithOperation(
        CadIngestServer::new(CadIngestService { ctx }).max_decoding_message_size(MAX_MESSAGE_BYTES),
    )
}

pub fn dispatch(ctx: Ctx) -> WithOperation<DispatchServer<DispatchService>> {
    WithOperation(
        DispatchServer::new(DispatchService { ctx }).max_decoding_message_size(MAX_MESSAGE_BYTES),
    )
}

pub fn responder(ctx: Ctx) -> WithOperation<ResponderServer<ResponderService>> {
    WithOperation(
        ResponderServer::new(ResponderService { ctx }).max_decoding_message_size(MAX_MESSAGE_BYTES),
    )
}

pub fn follow_ups(ctx: Ctx) -> WithOperation<FollowUpsServer<FollowUpsService>> {
    WithOperation(
        FollowUpsServer::new(FollowUpsService { ctx }).max_decoding_message_size(MAX_MESSAGE_BYTES),
    )
}

pub fn reports(ctx: Ctx) -> WithOperation<ReportsServer<ReportsService>> {
    WithOperation(
        ReportsServer::new(ReportsService { ctx }).max_decoding_message_size(MAX_MESSAGE_BYTES),
    )
}

pub fn audit(ctx: Ctx) -> WithOperation<AuditServer<AuditService>> {
    WithOperation(
        AuditServer::new(AuditService { ctx }).max_decoding_message_size(MAX_MESSAGE_BYTES),
    )
}
