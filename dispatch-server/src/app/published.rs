//! The committed state that readers see: snapshots for streams, replies to commands.

use dispatch_core::State;

#[derive(Debug, Default)]
pub struct Published {
    pub state: State,
    /// The journal sequence that `state` reflects.
    pub seq: u64,
}
