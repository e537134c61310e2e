//! Encryption at rest of the people's free text and identifiers (issue 14): every string
//! that [`Sensitive`] visits is stored as `enc1:<incident id>:<hex of nonce and ciphertext>`,
//! sealed with XChaCha20-Poly1305 under the incident's own data key (the incident id is the
//! associated data, so a sealed field cannot be moved to another incident). Each data key is
//! stored wrapped by the master key from `[privacy] key_file`, which never enters the
//! database.
//!
//! Only the stored copies are sealed: the writer seals a copy of each batch just before the
//! commit, and what is read back (the projections at start, the journal for streams and
//! reports) is opened on the way in, so the core and the use-cases see plain text.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use dispatch_core::sensitive::Sensitive;
use dispatch_core::{IncidentId, TaskId};
use dispatch_store::{Batch, DataKey, JournalEntry, StoreError};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use tracing::warn;

/// A sealed field starts with this.
const SEALED: &str = "enc1:";
const NONCE: usize = 24;

#[derive(Debug, thiserror::Error)]
pub enum PrivacyError {
    #[error("master key file {path}: {reason}")]
    KeyFile { path: PathBuf, reason: String },
    #[error(
        "the master key in {path} (id {ours}) is not the one this database's data keys are wrapped \
         with (id {theirs}): start with the right key_file (restore it from its backup); without \
         it no narrative or note in this database can be read"
    )]
    WrongMasterKey {
        path: PathBuf,
        ours: String,
        theirs: String,
    },
    #[error("the data key of incident {0} does not open with the master key: damaged database?")]
    DamagedKey(IncidentId),
    #[error("no randomness from the operating system: {0}")]
    Random(String),
}

/// The master key and the incidents' data keys, unwrapped in memory.
pub struct Vault {
    master: XChaCha20Poly1305,
    key_id: String,
    path: PathBuf,
    keys: RwLock<HashMap<IncidentId, Arc<XChaCha20Poly1305>>>,
    /// Keys of a batch being committed: readers may see its entries as soon as the commit is
    /// done, before [`Vault::settle`] runs, so they open with these too. The sealer does not
    /// use them (a failed commit's keys are dropped, never reused).
    pending: RwLock<HashMap<IncidentId, Arc<XChaCha20Poly1305>>>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

fn random<const N: usize>() -> Result<[u8; N], PrivacyError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| PrivacyError::Random(e.to_string()))?;
    Ok(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Seals `plain` under `cipher`: hex of nonce and ciphertext.
fn seal(cipher: &XChaCha20Poly1305, plain: &[u8], aad: &[u8]) -> Result<String, PrivacyError> {
    let nonce: [u8; NONCE] = random()?;
    let sealed = cipher
        .encrypt(&XNonce::from(nonce), Payload { msg: plain, aad })
        .map_err(|_| PrivacyError::Random("encryption failed".into()))?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    Ok(hex(&out))
}

fn open(cipher: &XChaCha20Poly1305, sealed_hex: &str, aad: &[u8]) -> Option<Vec<u8>> {
    let bytes = unhex(sealed_hex)?;
    if bytes.len() < NONCE {
        return None;
    }
    let (nonce, sealed) = bytes.split_at(NONCE);
    let nonce: [u8; NONCE] = nonce.try_into().ok()?;
    cipher
        .decrypt(&XNonce::from(nonce), Payload { msg: sealed, aad })
        .ok()
}

/// What a field reads as when its incident's data key is gone.
pub const REMOVED: &str = "[removed]";
/// What a field reads as when it does not open (damaged).
pub const UNREADABLE: &str = "[unreadable]";

impl Vault {
    /// The master key from `path`, created (32 random bytes, hex, mode 0600) when missing,
    /// with a warning to back it up apart from the database.
    pub fn open_or_create(path: &Path) -> Result<Vault, PrivacyError> {
        let err = |reason: String| PrivacyError::KeyFile {
            path: path.to_owned(),
            reason,
        };
        let bytes = match std::fs::read_to_string(path) {
            Ok(text) => unhex(text.trim())
                .filter(|b| b.len() == 32)
                .ok_or_else(|| err("not 64 hex digits (32 bytes)".into()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key: [u8; 32] = random()?;
                match write_new_key(path, &key) {
                    Ok(()) => {}
                    // Another replica sharing the key file created it first: use that one.
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        return Vault::open_or_create(path);
                    }
                    Err(e) => return Err(err(e.to_string())),
                }
                warn!(
                    path = %path.display(),
                    "created a new master key for the data at rest: back this file up now, \
                     apart from the database's backups (a backup with the key beside it protects \
                     nothing; a lost key makes every narrative and note unreadable)"
                );
                key.to_vec()
            }
            Err(e) => return Err(err(e.to_string())),
        };
        Ok(Vault::with_master(&bytes, path))
    }

    fn with_master(bytes: &[u8], path: &Path) -> Vault {
        let id = Sha256::digest(bytes);
        Vault {
            master: XChaCha20Poly1305::new_from_slice(bytes).expect("32-byte key"),
            key_id: hex(&id[..8]),
            path: path.to_owned(),
            keys: RwLock::default(),
            pending: RwLock::default(),
        }
    }

    /// A vault with a random master key (tests).
    pub fn ephemeral() -> Vault {
        let key: [u8; 32] = random().expect("randomness");
        Vault::with_master(&key, Path::new("(ephemeral)"))
    }

    /// Unwraps the stored data keys; refuses a master key they were not wrapped with.
    pub fn load_keys(&self, stored: Vec<DataKey>) -> Result<(), PrivacyError> {
        let mut keys = self.keys.write().unwrap_or_else(|e| e.into_inner());
        for k in stored {
            let (id, sealed) = k.wrapped.split_once(':').unwrap_or(("", &k.wrapped));
            if id != self.key_id {
                return Err(PrivacyError::WrongMasterKey {
                    path: self.path.clone(),
                    ours: self.key_id.clone(),
                    theirs: id.to_owned(),
                });
            }
            let key = open(&self.master, sealed, k.incident_id.as_str().as_bytes())
                .and_then(|b| XChaCha20Poly1305::new_from_slice(&b).ok())
                .ok_or_else(|| PrivacyError::DamagedKey(k.incident_id.clone()))?;
            keys.insert(k.incident_id, Arc::new(key));
        }
        Ok(())
    }

    fn key(&self, incident: &IncidentId) -> Option<Arc<XChaCha20Poly1305>> {
        self.keys
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(incident)
            .cloned()
    }

    /// A key to open with: committed, or of the batch being committed.
    fn opening_key(&self, incident: &IncidentId) -> Option<Arc<XChaCha20Poly1305>> {
        self.key(incident).or_else(|| {
            self.pending
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .get(incident)
                .cloned()
        })
    }

    /// A copy of `batch` as it is stored: every sensitive field sealed under its incident's
    /// key, with new incidents' keys (wrapped) added. `task_incident` names a task's incident
    /// (an attempt's event names only the task). The new keys are kept once the commit of
    /// the copy succeeds ([`Vault::settle`]).
    pub fn seal_batch(
        &self,
        batch: &Batch,
        task_incident: impl Fn(&TaskId) -> Option<IncidentId>,
    ) -> Result<Batch, StoreError> {
        let mut sealer = Sealer {
            vault: self,
            new: HashMap::new(),
            wrapped: Vec::new(),
            failed: None,
        };
        let mut out = batch.clone();
        for entry in &mut out.entries {
            let incident =
                entry
                    .event
                    .audience()
                    .incident_id
                    .cloned()
                    .or_else(|| match &entry.event {
                        dispatch_core::Event::FollowUpAttemptRecorded { task_id, .. } => {
                            task_incident(task_id)
                        }
                        _ => None,
                    });
            if let Some(id) = incident {
                sealer.seal(&id, &mut entry.event);
            }
        }
        for incident in &mut out.incidents {
            let id = incident.id.clone();
            sealer.seal(&id, incident);
        }
        for task in &mut out.tasks {
            let id = task.incident_id.clone();
            sealer.seal(&id, task);
        }
        if let Some(e) = sealer.failed {
            return Err(StoreError::Other(format!("sealing: {e}")));
        }
        out.data_keys.extend(sealer.wrapped);
        *self.pending.write().unwrap_or_else(|e| e.into_inner()) = sealer.new;
        Ok(out)
    }

    /// After the commit of a sealed batch: its new keys are the incidents' keys from now on
    /// (`committed`), or forgotten (the commit failed).
    pub fn settle(&self, committed: bool) {
        let new = std::mem::take(&mut *self.pending.write().unwrap_or_else(|e| e.into_inner()));
        if committed {
            self.keys
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .extend(new);
        }
    }

    /// Opens every sealed field of `value` in place.
    pub fn open<T: Sensitive>(&self, value: &mut T) {
        value.each_sensitive(&mut |s| {
            if let Some(plain) = self.open_field(s) {
                *s = plain;
            }
        });
    }

    pub fn open_entries(&self, entries: &mut [JournalEntry]) {
        for e in entries {
            self.open(&mut e.event);
        }
    }

    /// The journal after `after` as the app reads it: sealed fields opened. Keys this vault
    /// does not hold yet (incidents another replica of a shared store created) are fetched
    /// from the store first.
    pub async fn read_opened<S: dispatch_store::Store>(
        &self,
        store: &S,
        after: u64,
        limit: u32,
    ) -> Result<Vec<JournalEntry>, StoreError> {
        let mut entries = store.read_journal(after, limit).await?;
        let mut missing: Vec<IncidentId> = Vec::new();
        for e in &mut entries {
            e.event.each_sensitive(&mut |s| {
                if let Some((incident, _)) = s
                    .strip_prefix(SEALED)
                    .and_then(|rest| rest.rsplit_once(':'))
                {
                    let id = IncidentId::new(incident);
                    if self.opening_key(&id).is_none() && !missing.contains(&id) {
                        missing.push(id);
                    }
                }
            });
        }
        if !missing.is_empty() {
            let found = store.find_data_keys(&missing).await?;
            if let Err(e) = self.load_keys(found) {
                tracing::error!(error = %e, "stored data keys do not open");
            }
        }
        self.open_entries(&mut entries);
        Ok(entries)
    }

    fn open_field(&self, field: &str) -> Option<String> {
        let rest = field.strip_prefix(SEALED)?;
        let (incident, sealed) = rest.rsplit_once(':')?;
        let incident = IncidentId::new(incident);
        let Some(key) = self.opening_key(&incident) else {
            return Some(REMOVED.to_owned());
        };
        Some(
            open(&key, sealed, incident.as_str().as_bytes())
                .and_then(|b| String::from_utf8(b).ok())
                .unwrap_or_else(|| UNREADABLE.to_owned()),
        )
    }
}

struct Sealer<'a> {
    vault: &'a Vault,
    new: HashMap<IncidentId, Arc<XChaCha20Poly1305>>,
    wrapped: Vec<DataKey>,
    failed: Option<PrivacyError>,
}

impl Sealer<'_> {
    fn key(&mut self, id: &IncidentId) -> Result<Arc<XChaCha20Poly1305>, PrivacyError> {
        if let Some(k) = self.vault.key(id).or_else(|| self.new.get(id).cloned()) {
            return Ok(k);
        }
        let bytes: [u8; 32] = random()?;
        let wrapped = seal(&self.vault.master, &bytes, id.as_str().as_bytes())?;
        self.wrapped.push(DataKey {
            incident_id: id.clone(),
            wrapped: format!("{}:{wrapped}", self.vault.key_id),
        });
        let key = Arc::new(XChaCha20Poly1305::new_from_slice(&bytes).expect("32-byte key"));
        self.new.insert(id.clone(), key.clone());
        Ok(key)
    }

    fn seal(&mut self, id: &IncidentId, value: &mut impl Sensitive) {
        let mut key = None;
        value.each_sensitive(&mut |s| {
            if s.is_empty() || s.starts_with(SEALED) || self.failed.is_some() {
                return;
            }
            if key.is_none() {
                match self.key(id) {
                    Ok(k) => key = Some(k),
                    Err(e) => return self.failed = Some(e),
                }
            }
            let Some(k) = &key else { return };
            match seal(k, s.as_bytes(), id.as_str().as_bytes()) {
                Ok(sealed) => *s = format!("{SEALED}{id}:{sealed}"),
                Err(e) => self.failed = Some(e),
            }
        });
    }
}

fn write_new_key(path: &Path, key: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    // Written whole under a temporary name, then linked into place (which fails if the file
    // exists): a replica starting at the same moment never reads a half-written key.
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let mut file = options.open(&tmp)?;
    writeln!(file, "{}", hex(key))?;
    file.sync_all()?;
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    linked
}

#[cfg(test)]
mod tests {
    use super::*;
    use dispatch_core::{Event, NarrativeLine, Timestamp};

    fn narrative(id: &str, text: &str) -> JournalEntry {
        JournalEntry {
            seq: 1,
            at: Timestamp(1),
            event: Event::NarrativeAdded {
                incident_id: IncidentId::new(id),
                team_id: None,
                lines: vec![NarrativeLine {
                    at: Timestamp(1),
                    text: text.into(),
                }],
            },
        }
    }

    fn text(entry: &JournalEntry) -> String {
        match &entry.event {
            Event::NarrativeAdded { lines, .. } => lines[0].text.clone(),
            _ => unreachable!(),
        }
    }

    #[test]
    fn sealed_fields_open_with_their_incidents_key_only() {
        let vault = Vault::ephemeral();
        let batch = Batch {
            entries: vec![narrative("inc-1", "SUBJ CRYING"), narrative("inc-2", "")],
            ..Batch::default()
        };
        let sealed = vault.seal_batch(&batch, |_| None).unwrap();
        let stored = text(&sealed.entries[0]);
        assert!(stored.starts_with("enc1:inc-1:"), "{stored}");
        assert!(!stored.contains("CRYING"));
        assert_eq!(text(&sealed.entries[1]), "", "nothing to hide, no key");
        assert_eq!(sealed.data_keys.len(), 1);
        vault.settle(true);
        let mut read = sealed.entries.clone();
        vault.open_entries(&mut read);
        assert_eq!(text(&read[0]), "SUBJ CRYING");

        // Moved to another incident's record, it does not open.
        let moved = stored.replacen("inc-1", "inc-2", 1);
        assert_eq!(vault.open_field(&moved).as_deref(), Some(REMOVED));

        // Another vault (another master key) cannot take these keys.
        let other = Vault::ephemeral();
        assert!(matches!(
            other.load_keys(sealed.data_keys.clone()),
            Err(PrivacyError::WrongMasterKey { .. })
        ));
    }

    #[test]
    fn the_key_file_is_created_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/master.key");
        let first = Vault::open_or_create(&path).unwrap();
        let again = Vault::open_or_create(&path).unwrap();
        assert_eq!(first.key_id, again.key_id);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "not a key").unwrap();
        assert!(matches!(
            Vault::open_or_create(&path),
            Err(PrivacyError::KeyFile { .. })
        ));
    }
}
