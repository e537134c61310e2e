//! The entities: incidents (with their CAD call fields), teams, assignments, follow-up tasks.

mod assignment;
mod call;
mod follow_up;
mod incident;
mod team;

pub use assignment::*;
pub use call::*;
pub use follow_up::*;
pub use incident::*;
pub use team::*;
