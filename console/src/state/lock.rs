//! Automatic logoff: after `lock_after` without a key the console locks and shows no health
//! information until the person types the console's token or its PIN. Assignments still
//! arrive while locked (the unit hears and sees that one is waiting, without its details).

/// Default minutes without a key before the console locks.
pub const DEFAULT_LOCK_AFTER_MINUTES: u64 = 15;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lock {
    /// Milliseconds without a key before locking; 0 never locks.
    pub after_ms: i64,
    /// When the last key was pressed.
    pub last_key_ms: i64,
    pub locked: bool,
    /// What has been typed on the lock screen (never drawn, only counted).
    pub typed: String,
    /// Wrong entries since the console locked.
    pub wrong: u32,
    /// What unlocks it: the console's token, and the PIN from its config if one is set.
    secrets: Vec<String>,
}

impl Lock {
    pub fn new(after_minutes: u64, now_ms: i64, secrets: Vec<String>) -> Self {
        let after_ms = i64::try_from(after_minutes.saturating_mul(60_000)).unwrap_or(i64::MAX);
        Self {
            after_ms,
            last_key_ms: now_ms,
            locked: false,
            typed: String::new(),
            wrong: 0,
            secrets: secrets.into_iter().filter(|s| !s.is_empty()).collect(),
        }
    }

    /// A console that never locks (tests, and a model built before the settings are known).
    pub fn never(now_ms: i64) -> Self {
        Self::new(0, now_ms, Vec::new())
    }

    /// Locks when the time without a key has run out.
    pub fn tick(&mut self, now_ms: i64) {
        if self.after_ms > 0 && !self.locked && now_ms - self.last_key_ms >= self.after_ms {
            self.locked = true;
            self.typed.clear();
            self.wrong = 0;
        }
    }

    pub fn touched(&mut self, now_ms: i64) {
        self.last_key_ms = now_ms;
    }

    /// Tries what was typed; unlocks on a match.
    pub fn try_unlock(&mut self, now_ms: i64) -> bool {
        let typed = std::mem::take(&mut self.typed);
        // Compared whole and without early exit on the first wrong byte.
        let ok = self
            .secrets
            .iter()
            .any(|s| constant_time_eq(s.as_bytes(), typed.as_bytes()));
        if ok {
            self.locked = false;
            self.wrong = 0;
            self.last_key_ms = now_ms;
        } else {
            self.wrong += 1;
        }
        ok
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_the_quiet_time_and_opens_with_the_token_or_the_pin() {
        let mut lock = Lock::new(15, 0, vec!["dsp_token".into(), "4321".into()]);
        lock.tick(15 * 60_000 - 1);
        assert!(!lock.locked);
        lock.touched(10 * 60_000);
        lock.tick(15 * 60_000);
        assert!(!lock.locked, "a key restarts the wait");
        lock.tick(25 * 60_000);
        assert!(lock.locked);
        lock.typed = "1234".into();
        assert!(!lock.try_unlock(25 * 60_000));
        assert!(lock.locked && lock.wrong == 1 && lock.typed.is_empty());
        lock.typed = "4321".into();
        assert!(lock.try_unlock(26 * 60_000));
        assert!(!lock.locked);
        lock.tick(26 * 60_000 + 1);
        assert!(!lock.locked);
    }

    #[test]
    fn zero_minutes_never_locks_and_an_empty_pin_opens_nothing() {
        let mut never = Lock::never(0);
        never.tick(i64::MAX / 2);
        assert!(!never.locked);
        let mut lock = Lock::new(1, 0, vec![String::new()]);
        lock.tick(60_000);
        assert!(!lock.try_unlock(60_000));
    }
}
