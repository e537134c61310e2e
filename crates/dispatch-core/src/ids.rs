//! Identifiers. They are opaque strings chosen outside the core (the server mints UUIDs,
//! teams are named by call sign), so the core stays deterministic.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn new(s: impl Into<String>) -> Self {
                Self(s.into())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

string_id!(
    /// One CAD call as this system tracks it.
    IncidentId
);
string_id!(
    /// A team's call sign, e.g. `PSR-3`.
    TeamId
);
string_id!(
    /// One incident × team pairing.
    AssignmentId
);
string_id!(
    /// A follow-up task.
    TaskId
);
string_id!(
    /// A peer support specialist.
    PeerId
);
