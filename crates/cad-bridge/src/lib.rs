//! The one place where CAD formats live. For now: the demo feed, which replays real Seattle
//! Police call types, priorities and hour-of-day pattern as a CAD would send them, with
//! synthetic Portland locations, callers and narratives. EIDO in and out come in their own
//! issue.

mod caller;
pub mod demo_feed;
mod geo;
mod narrative;
mod nature;
mod place;
mod rng;
mod safety;
mod sample;

pub use demo_feed::{DemoCall, DemoFeed, portland_service_area};
