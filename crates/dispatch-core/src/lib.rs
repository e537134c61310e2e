//! The crisis-dispatch domain, pure and synchronous.
//!
//! Everything that changes state is a [`Command`] that [`decide`] turns into [`Event`]s (or a
//! [`Rejection`]); state is the fold of events through [`State::apply`]. Time comes in as a
//! parameter, so every rule here is testable without a clock, a server or a database.

pub mod area;
pub mod command;
pub mod decide;
pub mod event;
pub mod follow_up_policy;
pub mod hours;
pub mod ids;
pub mod model;
pub mod policy;
pub mod premise;
pub mod queue;
pub mod recommend;
pub mod rejection;
pub mod report;
pub mod sensitive;
pub mod state;
pub mod time;
pub mod triage;
pub mod zone;

pub use area::ServiceArea;
pub use command::{Actor, Command};
pub use decide::decide;
pub use event::Event;
pub use ids::{AssignmentId, IncidentId, PeerId, TaskId, TeamId};
pub use model::*;
pub use policy::Policy;
pub use queue::CrisisQueue;
pub use rejection::Rejection;
pub use state::State;
pub use time::Timestamp;
