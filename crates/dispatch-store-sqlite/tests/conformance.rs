//! The store conformance suite against a real SQLite file.

use dispatch_store_sqlite::SqliteStore;

#[tokio::test]
async fn sqlite_store_passes_the_conformance_suite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(&dir.path().join("dispatch.db"))
        .await
        .expect("open");
    dispatch_store::conformance::run_all(&store).await;
    dispatch_store::Store::close(&store).await;
    // Re-opening the same file keeps everything (migrations are not re-applied).
    let again = SqliteStore::open(&dir.path().join("dispatch.db"))
        .await
        .expect("reopen");
    let loaded = dispatch_store::Store::load(&again).await.expect("load");
    assert_eq!(loaded.last_seq, 155);
    let head = dispatch_store::Store::audit_head(&again)
        .await
        .expect("head");
    assert_eq!(head.seq, 103, "the audit chain survives a reopen");
}
