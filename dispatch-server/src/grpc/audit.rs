//! Audit: verification and export of the audit trail, for admins and auditors.

use super::{Ctx, Stream};
use crate::app::access::Area;
use crate::app::{AppError, ExportFilter};
use dispatch_core::Timestamp;
use dispatch_proto::convert::{from_proto_time, to_proto_time};
use dispatch_proto::v1::{self, audit_server::Audit};
use dispatch_store::{AuditAction, AuditEvent, AuditRecord};
use tonic::{Request, Response, Status};

pub struct AuditService {
    pub(super) ctx: Ctx,
}

fn record_to_proto(record: AuditRecord, e: AuditEvent) -> v1::AuditRecord {
    v1::AuditRecord {
        seq: record.seq,
        at: Some(to_proto_time(e.at)),
        actor: e.actor,
        role: e.role,
        action: match e.action {
            AuditAction::Read => "read",
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::Disclose => "disclose",
        }
        .into(),
        operation: e.operation,
        incident_ids: e.incident_ids,
        task_ids: e.task_ids,
        peer: e.peer.unwrap_or_default(),
        outcome: e.outcome,
        recipient: e.recipient.unwrap_or_default(),
        hash: record.hash,
    }
}

fn time(field: &str, t: Option<&prost_types::Timestamp>) -> Result<Timestamp, AppError> {
    let t = t.ok_or_else(|| AppError::invalid(field, "is required"))?;
    Ok(from_proto_time(field, t)?)
}

fn export_filter(r: &v1::ExportAuditRequest) -> Result<ExportFilter, AppError> {
    let nonempty = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    Ok(ExportFilter {
        from: time("from", r.from.as_ref())?,
        to: time("to", r.to.as_ref())?,
        actor: nonempty(&r.actor),
        incident_id: nonempty(&r.incident_id),
    })
}

#[tonic::async_trait]
impl Audit for AuditService {
    async fn verify(
        &self,
        request: Request<v1::VerifyAuditRequest>,
    ) -> Result<Response<v1::VerifyAuditReply>, Status> {
        let caller = (self.ctx)
            .caller(&request, Area::Audit, "verify the audit trail")
            .await?;
        let verified = self.ctx.app.verify_audit(&caller.actor).await?;
        let (first_broken_seq, problem) = verified.broken.clone().unwrap_or_default();
        Ok(Response::new(v1::VerifyAuditReply {
            records: verified.records,
            intact: verified.broken.is_none(),
            first_broken_seq,
            problem,
        }))
    }

    type ExportStream = Stream<v1::AuditRecord>;

    async fn export(
        &self,
        request: Request<v1::ExportAuditRequest>,
    ) -> Result<Response<Self::ExportStream>, Status> {
        let caller = (self.ctx)
            .caller(&request, Area::Audit, "export the audit trail")
            .await?;
        let filter = export_filter(request.get_ref())?;
        let scope = self.ctx.stream_scope(&caller);
        let stream =
            (self.ctx.app).export_audit(&caller.actor, filter, &scope.cancel, record_to_proto)?;
        Ok(Response::new(scope.wrap(stream)))
    }
}
