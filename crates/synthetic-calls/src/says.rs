//! What a line of narrative, or a call type, says about the safety screen ("NO WPNS SEEN"
//! says weapon = no), so that a call's flags agree with its text.

use dispatch_core::{Answer, DangerFlag};

/// What a line or a call type says about the safety screen.
pub type Says = &'static [(DangerFlag, Answer)];

/// A written line and what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub says: Says,
}
