//! `dispatch-server migrate-store --from <sqlite file> --to <postgres url>`: copies a
//! program's journal and idempotency records from its SQLite file to an empty PostgreSQL
//! database and rebuilds the projections there by folding the journal. Run it with the
//! server stopped (or after its last write): what is written to SQLite afterwards is not
//! copied.

use anyhow::{Context, bail};
use clap::Args;
use dispatch_core::State;
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
    let mut last = held.unwrap_or_default();
    last.cad_receipts = from.all_cad_receipts().await?;
    last.commands = from.all_commands().await?;
    last.incidents = state.incidents.into_values().collect();
    last.teams = state.teams.into_values().collect();
    last.assignments = state.assignments.into_values().collect();
    last.tasks = state.tasks.into_values().collect();
    let copied = Copied {
        entries,
        receipts: last.cad_receipts.len(),
        commands: last.commands.len(),
    };
    to.commit(&last).await?;
    Ok(copied)
}
