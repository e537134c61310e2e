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
        self.entries.push(Entry {
            out,
            delivery: if online {
                Delivery::Sending
            } else {
                Delivery::Waiting
            },
            sends: u32::from(online),
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
    pub fn reconnected(&mut self) -> Vec<Outgoing> {
        self.entries
            .iter_mut()
            .filter(|e| e.delivery == Delivery::Waiting)
            .map(|e| {
                e.delivery = Delivery::Sending;
                e.sends += 1;
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
        let resend = o.reconnected();
        assert_eq!(resend, vec![out("c1")]);
        assert!(o.reconnected().is_empty(), "sent once, not on every call");
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
        assert_eq!(o.reconnected(), vec![out("c1")]);
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
