//! The server's wall clock, the one place that reads time for the domain.

use dispatch_core::Timestamp;
use std::time::{SystemTime, UNIX_EPOCH};

pub fn now() -> Timestamp {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    Timestamp(i64::try_from(ms).unwrap_or(i64::MAX))
}
