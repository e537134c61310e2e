//! Reports: program figures for supervisors, dispatchers and admins (aggregates, no PHI).

use super::{Ctx, status::invalid};
use crate::app::access::Area;
use dispatch_proto::convert::{utilization_period, utilization_report_to_proto};
use dispatch_proto::v1::{self, reports_server::Reports};
use tonic::{Request, Response, Status};

pub struct ReportsService {
    pub(super) ctx: Ctx,
}

#[tonic::async_trait]
impl Reports for ReportsService {
    async fn utilization(
        &self,
        request: Request<v1::UtilizationRequest>,
    ) -> Result<Response<v1::UtilizationReport>, Status> {
        let caller = (self.ctx)
            .caller(&request, Area::Reports, "read reports")
            .await?;
        let (from, to) = utilization_period(request.get_ref()).map_err(invalid)?;
        let (report, seq) = self.ctx.app.utilization(&caller.actor, from, to).await?;
        Ok(Response::new(utilization_report_to_proto(&report, seq)))
    }
}
