//! The one place where CAD formats live: NENA EIDO documents in and out (`eido`), carried in
//! files or over NENA-STA-024 WebSocket subscribe/notify (`conveyance`); the replay of public
//! calls-for-service data (`replay`) and agencies' nature-code maps (`nature_map`); and the
//! demo feed, which replays real Seattle Police call types, priorities and hour-of-day pattern
//! as a CAD would send them, with synthetic Portland locations, callers and narratives.

mod caller;
pub mod cli;
pub mod conveyance;
pub mod demo_feed;
pub mod eido;
mod geo;
pub mod ingest;
mod narrative;
mod nature;
pub mod nature_map;
mod place;
pub mod replay;
mod rng;
mod safety;
mod sample;

pub use demo_feed::{DemoCall, DemoFeed, portland_service_area};
