//! `dispatch-server migrate-store --from <sqlite file> --to <postgres url>`: copies a
//! program's journal, idempotency records, data keys (still wrapped: the master key file
//! goes with the servers, not through here) and audit trail (exactly as stored, so its chain
//! verifies on PostgreSQL as it did on SQLite) from its SQLite file to an empty PostgreSQL
//! database and rebuilds the projections there by folding the journal. The journal is copied
//! sealed as it is; the projections are folded from the sealed entries, so they are sealed
//! too. Run it with the
//! server stopped (or after its last write): what is written to SQLite afterwards is not
//! copied.

use anyhow::{Context, bail};
use clap::Args;
use dispatch_core::State;
use dispatch_store::audit::Verifier;
use dispatch_store::{Batch, Store};
use dispatch_store_postgres::PgStore;
use dispatch_store_sqlite::SqliteStore;
use std::path::PathBuf;

#[derive(Debug, Clone, Args)]
pub struct MigrateStoreArgs {
    /// The SQLite database file (`<data_dir>/dispatch.db`).
    #[arg(long)]
    pub from: PathBuf,
    /// The PostgreSQL database (postgres://...); its journal must be empty.
    #[arg(long)]
    pub to: String,
}

/// What was copied.
#[derive(Debug, PartialEq, Eq)]
pub struct Copied {
    pub entries: u64,
    pub receipts: usize,
    pub commands: usize,
    pub data_keys: usize,
    pub audit_records: u64,
}

const PAGE: u32 = 1000;

pub async fn run(args: &MigrateStoreArgs) -> anyhow::Result<Copied> {
    if !args.from.is_file() {
        bail!("no SQLite database at {}", args.from.display());
    }
    let from = SqliteStore::open(&args.from)
        .await
        .with_context(|| format!("opening {}", args.from.display()))?;
    let to = PgStore::open(&args.to)
        .await
        .context("opening the PostgreSQL database")?;
    let copied = copy(&from, &to).await;
    from.close().await;
    to.close().await;
    copied
}

async fn copy(from: &SqliteStore, to: &PgStore) -> anyhow::Result<Copied> {
    if to.load().await?.last_seq != 0 {
        bail!(
            "the PostgreSQL journal is not empty: migrate-store copies into an empty database only"
        );
    }
    let mut state = State::default();
    let mut entries = 0;
    let mut after = 0;
    // Each page is committed as it is read, except the last, which goes with the rebuilt
    // projections and the idempotency records in one transaction.
    let mut held: Option<Batch> = None;
    loop {
        let page = from.read_journal(after, PAGE).await?;
        if page.is_empty() {
            break;
        }
        for e in &page {
            state.apply(&e.event, e.at);
        }
        after = page.last().map_or(after, |e| e.seq);
        entries += page.len() as u64;
        let batch = Batch {
            entries: page,
            ..Batch::default()
        };
        if let Some(previous) = held.replace(batch) {
            to.commit(&previous).await?;
        }
    }
    if to.audit_head().await?.seq != 0 {
        bail!(
            "the PostgreSQL audit trail is not empty: migrate-store copies into an empty database only"
        );
    }
    let mut last = held.unwrap_or_default();
    last.cad_receipts = from.all_cad_receipts().await?;
    last.commands = from.all_commands().await?;
    last.data_keys = from.load_data_keys().await?;
    last.incidents = state.incidents.into_values().collect();
    last.teams = state.teams.into_values().collect();
    last.assignments = state.assignments.into_values().collect();
    last.tasks = state.tasks.into_values().collect();
    let mut copied = Copied {
        entries,
        receipts: last.cad_receipts.len(),
        commands: last.commands.len(),
        data_keys: last.data_keys.len(),
        audit_records: 0,
    };
    to.commit(&last).await?;
    copied.audit_records = copy_audit(from, to).await?;
    Ok(copied)
}

/// The audit trail, page by page, verified on the way (a broken chain is not copied: it
/// would look intact-but-different on the other side), then checked against the head.
async fn copy_audit(from: &SqliteStore, to: &PgStore) -> anyhow::Result<u64> {
    let head = from.audit_head().await?;
    let mut verifier = Verifier::default();
    let mut after = 0;
    loop {
        let page = from.read_audit(after, PAGE).await?;
        if page.is_empty() {
            break;
        }
        for r in &page {
            verifier
                .check(r)
                .context("the SQLite audit trail is broken; not copied")?;
        }
        after = page.last().map_or(after, |r| r.seq);
        to.import_audit(&page).await?;
    }
    verifier
        .finish(&head)
        .context("the SQLite audit trail is cut short; copied up to where it breaks")?;
    Ok(verifier.count)
}
