//! The console's connection as the person sees it: connected, reconnecting or offline, and how
//! old the data on screen is. Each stream reports up or down; the line shows the worst.

/// A server stream the console keeps open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StreamKind {
    /// Dispatch.WatchBoard.
    Board,
    /// Responder.Subscribe.
    Team,
    /// FollowUps.WatchQueue.
    Queue,
}

/// After this many failed attempts in a row the console says "offline", not "reconnecting".
pub const OFFLINE_AFTER_FAILURES: u32 = 3;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Link {
    Connecting,
    Up,
    Down {
        since_ms: i64,
        failures: u32,
        retry_at_ms: i64,
        error: String,
    },
    /// The server refused the token or the role: retrying would not help.
    Refused {
        error: String,
    },
}

/// What the status line says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Connecting,
    Connected,
    Reconnecting {
        since_ms: i64,
        retry_at_ms: i64,
        failures: u32,
    },
    Offline {
        since_ms: i64,
        retry_at_ms: i64,
    },
    Refused(String),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Connection {
    links: Vec<(StreamKind, Link)>,
}

impl Connection {
    pub fn new(kinds: &[StreamKind]) -> Self {
        Self {
            links: kinds.iter().map(|k| (*k, Link::Connecting)).collect(),
        }
    }

    fn link_mut(&mut self, kind: StreamKind) -> &mut Link {
        if let Some(i) = self.links.iter().position(|(k, _)| *k == kind) {
            &mut self.links[i].1
        } else {
            self.links.push((kind, Link::Connecting));
            &mut self.links.last_mut().expect("just pushed").1
        }
    }

    pub fn up(&mut self, kind: StreamKind) {
        *self.link_mut(kind) = Link::Up;
    }

    /// A stream failed at `now_ms`; it will try again at `retry_at_ms`.
    pub fn down(&mut self, kind: StreamKind, now_ms: i64, retry_at_ms: i64, error: String) {
        let link = self.link_mut(kind);
        let (since_ms, failures) = match link {
            Link::Down {
                since_ms, failures, ..
            } => (*since_ms, *failures + 1),
            _ => (now_ms, 1),
        };
        *link = Link::Down {
            since_ms,
            failures,
            retry_at_ms,
            error,
        };
    }

    pub fn refused(&mut self, kind: StreamKind, error: String) {
        *self.link_mut(kind) = Link::Refused { error };
    }

    /// Whether commands can be sent now (every stream is up).
    pub fn is_up(&self) -> bool {
        !self.links.is_empty() && self.links.iter().all(|(_, l)| *l == Link::Up)
    }

    pub fn status(&self) -> Status {
        if let Some(error) = self.links.iter().find_map(|(_, l)| match l {
            Link::Refused { error } => Some(error.clone()),
            _ => None,
        }) {
            return Status::Refused(error);
        }
        let worst_down = self
            .links
            .iter()
            .filter_map(|(_, l)| match l {
                Link::Down {
                    since_ms,
                    failures,
                    retry_at_ms,
                    ..
                } => Some((*since_ms, *failures, *retry_at_ms)),
                _ => None,
            })
            .max_by_key(|(_, failures, _)| *failures);
        if let Some((since_ms, failures, retry_at_ms)) = worst_down {
            return if failures >= OFFLINE_AFTER_FAILURES {
                Status::Offline {
                    since_ms,
                    retry_at_ms,
                }
            } else {
                Status::Reconnecting {
                    since_ms,
                    retry_at_ms,
                    failures,
                }
            };
        }
        if self.is_up() {
            Status::Connected
        } else {
            Status::Connecting
        }
    }

    /// The last error a stream reported, for the help of whoever reads the status line.
    pub fn last_error(&self) -> Option<&str> {
        self.links.iter().find_map(|(_, l)| match l {
            Link::Down { error, .. } | Link::Refused { error } => Some(error.as_str()),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goes_from_connected_to_reconnecting_to_offline_and_back() {
        let mut c = Connection::new(&[StreamKind::Board, StreamKind::Queue]);
        assert_eq!(c.status(), Status::Connecting);
        c.up(StreamKind::Board);
        assert_eq!(c.status(), Status::Connecting, "one stream is not all");
        c.up(StreamKind::Queue);
        assert_eq!(c.status(), Status::Connected);
        c.down(StreamKind::Board, 1_000, 1_500, "gone".into());
        assert_eq!(
            c.status(),
            Status::Reconnecting {
                since_ms: 1_000,
                retry_at_ms: 1_500,
                failures: 1
            }
        );
        assert!(!c.is_up());
        c.down(StreamKind::Board, 2_000, 3_000, "gone".into());
        c.down(StreamKind::Board, 4_000, 8_000, "gone".into());
        assert_eq!(
            c.status(),
            Status::Offline {
                since_ms: 1_000,
                retry_at_ms: 8_000
            },
            "the data is as old as the first failure"
        );
        c.up(StreamKind::Board);
        assert_eq!(c.status(), Status::Connected);
    }

    #[test]
    fn a_refused_token_is_said_and_not_called_offline() {
        let mut c = Connection::new(&[StreamKind::Team]);
        c.refused(StreamKind::Team, "unknown token".into());
        assert_eq!(c.status(), Status::Refused("unknown token".into()));
    }
}
