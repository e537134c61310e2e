//! The one place where CAD formats live: NENA EIDO documents in and out (`eido`), carried in
//! files or over NENA-STA-024 WebSocket subscribe/notify (`conveyance`); the replay of public
//! calls-for-service data (`replay`) and agencies' nature-code maps (`nature_map`). The demo's
//! synthetic feed is the `synthetic-calls` crate.

pub mod cli;
pub mod conveyance;
pub mod eido;
pub mod ingest;
pub mod nature_map;
pub mod replay;
