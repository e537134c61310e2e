//! Everything a copy to another store needs beyond the journal: the idempotency records
//! (`dispatch-server migrate-store`).

use crate::{SqliteStore, store_error};
use dispatch_store::{CadReceipt, CommandRecord, StoreError};
use sqlx::Row;

impl SqliteStore {
    /// Every stored CAD receipt.
    pub async fn all_cad_receipts(&self) -> Result<Vec<CadReceipt>, StoreError> {
        let rows = sqlx::query("SELECT source, event_id, seq, incident_id FROM cad_events")
            .fetch_all(&self.pool)
            .await
            .map_err(store_error)?;
        rows.iter()
            .map(|row| {
                let seq: i64 = row.try_get(2).map_err(store_error)?;
                let incident: Option<String> = row.try_get(3).map_err(store_error)?;
                Ok(CadReceipt {
                    source: row.try_get(0).map_err(store_error)?,
                    event_id: row.try_get(1).map_err(store_error)?,
                    seq: u64::try_from(seq).unwrap_or(0),
                    incident_id: incident.map(dispatch_core::IncidentId),
                })
            })
            .collect()
    }

    /// Every stored command record.
    pub async fn all_commands(&self) -> Result<Vec<CommandRecord>, StoreError> {
        let rows = sqlx::query("SELECT command_id, fingerprint, seq FROM commands")
            .fetch_all(&self.pool)
            .await
            .map_err(store_error)?;
        rows.iter()
            .map(|row| {
                let seq: i64 = row.try_get(2).map_err(store_error)?;
                Ok(CommandRecord {
                    command_id: row.try_get(0).map_err(store_error)?,
                    fingerprint: row.try_get(1).map_err(store_error)?,
                    seq: u64::try_from(seq).unwrap_or(0),
                })
            })
            .collect()
    }
}
