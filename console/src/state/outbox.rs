//! Commands on their way to the server. Each keeps the command id it was made with: one that
//! could not be delivered (the server unreachable) waits here, shown on screen, and is sent
//! again when the connection is back; one the server refused says why. Nothing is dropped
//! without a word.

use crate::command::{Failure, Outgoing};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Sent; no answer yet.
    Sending,
    /// Not delivered (offline when made, or the server did not answer); sent again on reconnect.
    Waiting,
    Done(String),
    Refused(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub out: Outgoing,
    pub delivery: Delivery,
    /// How many times it was handed to the network.
    pub sends: u32,
    /// When it was last handed to the network (or made, if never).
    pub last_sent_ms: i64,
}

/// Finished entries kept for the screen.
const HISTORY: usize = 20;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outbox {
    entries: Vec<Entry>,
}

impl Outbox {
    /// A new command: returned to be sent at once when `online`, else kept waiting.
    pub fn push(&mut self, out: Outgoing, online: bool) -> Option<Outgoing> {
        let send = online.then(|| out.clone());
        let made = out.made_at_ms;
        self.entries.push(Entry {
            out,
            delivery: if online {
                Delivery::Sending
            } else {
                Delivery::Waiting
            },
            sends: u32::from(online),
            last_sent_ms: made,
        });
        self.trim();
        send
    }

    /// The answer to a command; returns the entry as it now stands.
    pub fn answered(&mut self, id: &str, result: Result<String, Failure>) -> Option<&Entry> {
        let entry = self.entries.iter_mut().find(|e| e.out.id == id)?;
        entry.delivery = match result {
            Ok(summary) => Delivery::Done(summary),
            Err(Failure::Refused(why)) => Delivery::Refused(why),
            Err(Failure::Unreachable(_)) => Delivery::Waiting,
        };
        self.trim();
        self.entries.iter().find(|e| e.out.id == id)
    }

    /// The connection is back: every waiting command, in the order made, to be sent once more
    /// with its original id.
    pub fn reconnected(&mut self, now_ms: i64) -> Vec<Outgoing> {
        self.resend(now_ms, |_| true)
    }

    /// While connected: waiting commands last sent at least `after_ms` ago (one that got no
    /// answer while the connection stayed up would otherwise wait for a reconnect that never
    /// comes).
    pub fn retry(&mut self, now_ms: i64, after_ms: i64) -> Vec<Outgoing> {
        self.resend(now_ms, |e| now_ms - e.last_sent_ms >= after_ms)
    }

    fn resend(&mut self, now_ms: i64, due: impl Fn(&Entry) -> bool) -> Vec<Outgoing> {
        self.entries
            .iter_mut()
            .filter(|e| e.delivery == Delivery::Waiting && due(e))
            .map(|e| {
                e.delivery = Delivery::Sending;
                e.sends += 1;
                e.last_sent_ms = now_ms;
                e.out.clone()
            })
            .collect()
    }

    /// Commands not yet answered (waiting or in flight).
    pub fn pending(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(|e| matches!(e.delivery, Delivery::Sending | Delivery::Waiting))
    }

    pub fn waiting_count(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| e.delivery == Delivery::Waiting)
            .count()
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    fn trim(&mut self) {
        let finished = self
            .entries
            .iter()
            .filter(|e| matches!(e.delivery, Delivery::Done(_) | Delivery::Refused(_)))
            .count();
        let mut extra = finished.saturating_sub(HISTORY);
        self.entries.retain(|e| {
            if extra > 0 && matches!(e.delivery, Delivery::Done(_) | Delivery::Refused(_)) {
                extra -= 1;
                false
            } else {
                true
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::Command;

    fn out(id: &str) -> Outgoing {
        Outgoing {
            id: id.into(),
            command: Command::Acknowledge {
                assignment_id: "a1".into(),
            },
            made_at_ms: 0,
        }
    }

    #[test]
    fn offline_commands_wait_and_go_once_with_their_id_on_reconnect() {
        let mut o = Outbox::default();
        assert_eq!(o.push(out("c1"), false), None);
        assert_eq!(o.waiting_count(), 1);
        let resend = o.reconnected(10);
        assert_eq!(resend, vec![out("c1")]);
        assert!(o.reconnected(20).is_empty(), "sent once, not on every call");
        o.answered("c1", Ok("acknowledged".into()));
        assert_eq!(o.pending().count(), 0);
        assert_eq!(o.entries()[0].sends, 1);
    }

    #[test]
    fn an_unanswered_command_waits_again_and_a_refused_one_says_why() {
        let mut o = Outbox::default();
        assert!(o.push(out("c1"), true).is_some());
        assert!(o.push(out("c2"), true).is_some());
        o.answered("c1", Err(Failure::Unreachable("connection reset".into())));
        o.answered(
            "c2",
            Err(Failure::Refused("assignment was reassigned".into())),
        );
        assert_eq!(o.waiting_count(), 1);
        assert_eq!(
            o.entries()[1].delivery,
            Delivery::Refused("assignment was reassigned".into())
        );
        assert_eq!(o.reconnected(10), vec![out("c1")]);
    }

    #[test]
    fn an_unanswered_command_is_retried_while_connected_but_not_at_once() {
        let mut o = Outbox::default();
        o.push(out("c1"), true);
        o.answered("c1", Err(Failure::Unreachable("no answer".into())));
        assert!(o.retry(4_999, 5_000).is_empty());
        assert_eq!(o.retry(5_000, 5_000), vec![out("c1")]);
        assert!(o.retry(20_000, 5_000).is_empty(), "in flight again");
        assert_eq!(o.entries()[0].sends, 2);
    }

    #[test]
    fn finished_history_is_bounded_but_pending_commands_never_go() {
        let mut o = Outbox::default();
        o.push(out("keep"), false);
        for i in 0..50 {
            let id = format!("d{i}");
            o.push(out(&id), true);
            o.answered(&id, Ok(String::new()));
        }
        assert_eq!(o.entries().len(), HISTORY + 1);
        assert_eq!(o.waiting_count(), 1);
    }
}
