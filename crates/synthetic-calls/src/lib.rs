//! The demo's and the bench's synthetic CAD feed: real Seattle Police call types, priorities
//! and hour-of-day pattern (a sample kept with the other real call data in
//! `crates/cad-bridge/data`), placed in the demo's Portland service area, with synthetic
//! callers and CAD-style narratives whose safety screen agrees with the text. Seeded: the
//! same seed gives the same calls.
//!
//! Modules depend one way only: `family` and `says` (the vocabulary) ← `nature`, `place`,
//! `caller`, `safety`, `narrative` ← `feed`.

mod area;
mod caller;
mod family;
pub mod feed;
mod narrative;
mod nature;
mod place;
mod rng;
mod safety;
mod sample;
mod says;

pub use feed::{DemoCall, DemoFeed, portland_service_area};
