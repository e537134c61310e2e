//! dispatch-console: the full-screen terminal console that responding teams, dispatchers,
//! peers and supervisors work in all shift.
//!
//! Shaped like tokio-console: `state` is what the console knows (folded from the server's
//! streams and changed by keys, all pure), `app` is the one `update(model, msg) -> effects`
//! function, `keymap` the one table of keys (it also writes the help screen), `view` draws a
//! model and does no IO, `net` talks gRPC (streams that resume by sequence, a command sender),
//! and `driver` runs the loop that joins them to a real terminal.

pub mod app;
pub mod cli;
pub mod clock;
pub mod command;
pub mod driver;
pub mod fixtures;
pub mod gps;
pub mod keymap;
pub mod net;
pub mod state;
pub mod view;
pub mod words;

pub use app::{Effect, Msg, update};
pub use state::{Mode, Model};
