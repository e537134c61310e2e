//! How EIDO documents travel between a CAD and the bridge: files (or stdin/stdout) and
//! NENA-STA-024 WebSocket subscribe/notify. The resumable position in the server's outbound
//! stream lives here too, as it is the same for every conveyance.

pub mod files;
pub mod outbound;
pub mod sta024;
pub mod subscriber;
