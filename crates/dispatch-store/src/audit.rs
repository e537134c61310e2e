//! The audit trail: who read, changed or disclosed what, when, from where, and how it ended
//! (fields after FHIR's AuditEvent). Records are appended only; each carries the SHA-256 of
//! the one before, so that deleting or editing one breaks the chain from there on, and the
//! stored head (the last sequence and hash) shows records cut off the end.
//!
//! The chain is computed here, once for every backend: a backend locks its head, asks
//! [`Chain::link`] for each new record's sequence and hashes, writes the records and moves
//! the head, all in the transaction that holds the operation's own writes.

use dispatch_core::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What was done with health information.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Read,
    Create,
    Update,
    /// Sent outside the program (CAD outbound, EIDO out): `recipient` says to whom.
    Disclose,
}

/// One audited operation, before it has a place in the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub at: Timestamp,
    /// The token's or certificate's holder ("Jo Smith", "boec CAD"); `server` for timers.
    pub actor: String,
    /// The role the caller acted in (`dispatcher`, `peer:p-1`, ...).
    pub role: String,
    pub action: AuditAction,
    /// The RPC (`/crisis.dispatch.v1.Dispatch/Assign`) or the server's own operation.
    pub operation: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub incident_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub task_ids: Vec<String>,
    /// The caller's network address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer: Option<String>,
    /// `ok`, or the gRPC code of the refusal (`permission_denied`, `failed_precondition`...).
    pub outcome: String,
    /// For a disclosure: who received it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
}

/// A stored record: its place in the chain, its body (the [`AuditEvent`] as JSON, exactly as
/// hashed) and the hashes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRecord {
    pub seq: u64,
    pub body: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRecord {
    pub fn event(&self) -> Result<AuditEvent, serde_json::Error> {
        serde_json::from_str(&self.body)
    }
}

/// The hash before the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of the record `seq` with `body`, following `prev_hash`.
pub fn hash(prev_hash: &str, seq: u64, body: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(seq.to_string().as_bytes());
    h.update(b"\n");
    h.update(body.as_bytes());
    h.finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>()
}

/// The chain's end as a backend holds it (its head row).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chain {
    pub seq: u64,
    pub hash: String,
}

impl Default for Chain {
    fn default() -> Self {
        Chain {
            seq: 0,
            hash: GENESIS.to_owned(),
        }
    }
}

impl Chain {
    /// The next record of the chain, which then ends with it.
    pub fn link(&mut self, event: &AuditEvent) -> Result<AuditRecord, serde_json::Error> {
        let body = serde_json::to_string(event)?;
        let seq = self.seq + 1;
        let hash = hash(&self.hash, seq, &body);
        let record = AuditRecord {
            seq,
            body,
            prev_hash: std::mem::replace(&mut self.hash, hash.clone()),
            hash,
        };
        self.seq = seq;
        Ok(record)
    }
}

/// Where a chain is broken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Broken {
    #[error("record {seq}: its hash does not match its content (edited)")]
    Edited { seq: u64 },
    #[error(
        "record {seq}: it does not follow record {expected_prev} (a record before it was removed or edited)"
    )]
    Unlinked { seq: u64, expected_prev: u64 },
    #[error("records after {last} are missing: the head says {head}")]
    Truncated { last: u64, head: u64 },
}

/// Checks records in order, page by page, then against the head.
#[derive(Clone, Debug, Default)]
pub struct Verifier {
    chain: Chain,
    pub count: u64,
}

impl Verifier {
    pub fn check(&mut self, record: &AuditRecord) -> Result<(), Broken> {
        let expected_prev = self.chain.seq;
        if record.seq != expected_prev + 1 || record.prev_hash != self.chain.hash {
            return Err(Broken::Unlinked {
                seq: record.seq,
                expected_prev,
            });
        }
        if hash(&record.prev_hash, record.seq, &record.body) != record.hash {
            return Err(Broken::Edited { seq: record.seq });
        }
        self.chain = Chain {
            seq: record.seq,
            hash: record.hash.clone(),
        };
        self.count += 1;
        Ok(())
    }

    /// After the last record: the head must name it.
    pub fn finish(&self, head: &Chain) -> Result<u64, Broken> {
        if head.seq != self.chain.seq || head.hash != self.chain.hash {
            return Err(Broken::Truncated {
                last: self.chain.seq,
                head: head.seq,
            });
        }
        Ok(self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(actor: &str) -> AuditEvent {
        AuditEvent {
            at: Timestamp(1),
            actor: actor.into(),
            role: "dispatcher".into(),
            action: AuditAction::Read,
            operation: "/x/Y".into(),
            incident_ids: vec!["inc-1".into()],
            task_ids: vec![],
            peer: Some("127.0.0.1".into()),
            outcome: "ok".into(),
            recipient: None,
        }
    }

    fn chain_of(n: usize) -> (Vec<AuditRecord>, Chain) {
        let mut chain = Chain::default();
        let records = (0..n)
            .map(|i| chain.link(&event(&format!("a{i}"))).unwrap())
            .collect();
        (records, chain)
    }

    fn verify(records: &[AuditRecord], head: &Chain) -> Result<u64, Broken> {
        let mut v = Verifier::default();
        for r in records {
            v.check(r)?;
        }
        v.finish(head)
    }

    #[test]
    fn an_intact_chain_verifies_and_each_kind_of_tampering_is_named() {
        let (records, head) = chain_of(4);
        assert_eq!(verify(&records, &head), Ok(4));

        let mut edited = records.clone();
        edited[1].body = edited[1].body.replace("a1", "zz");
        assert_eq!(verify(&edited, &head), Err(Broken::Edited { seq: 2 }));

        let mut removed = records.clone();
        removed.remove(2);
        assert_eq!(
            verify(&removed, &head),
            Err(Broken::Unlinked {
                seq: 4,
                expected_prev: 2
            })
        );

        let cut = &records[..3];
        assert_eq!(
            verify(cut, &head),
            Err(Broken::Truncated { last: 3, head: 4 })
        );
    }
}
