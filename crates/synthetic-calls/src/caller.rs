//! Synthetic callers: a name as a CAD records it ("LAST, FIRST"), a callback number in the
//! range reserved for fiction (503-555-0100..0199), and the caller's language. Names are
//! drawn from common first names and surnames at random; they belong to no one.

use crate::rng::Rng;
use dispatch_core::Caller;

/// Share of callers who speak Spanish (Portland's most common language after English).
const SPANISH_SHARE: f64 = 0.1;
/// Share of callers who decline to give a name.
const ANONYMOUS_SHARE: f64 = 0.08;

const FIRST: &[&str] = &[
    "JAMES", "MARY", "ROBERT", "LINDA", "MICHAEL", "SARAH", "DAVID", "KAREN", "KEVIN", "EMILY",
    "ANH", "DEREK", "FATIMA", "GRACE", "HASSAN", "JAMAL", "KIM", "OLGA", "PRIYA", "TYLER",
];
const LAST: &[&str] = &[
    "ANDERSON", "BAKER", "CHEN", "DIALLO", "EVANS", "FOX", "HOANG", "IBRAHIM", "JOHNSON",
    "KOWALSKI", "LEE", "MORRIS", "NGUYEN", "OKAFOR", "PATEL", "SMITH", "THOMPSON", "WILLIAMS",
];
const FIRST_ES: &[&str] = &[
    "MARIA",
    "JOSE",
    "GUADALUPE",
    "LUIS",
    "ROSA",
    "CARLOS",
    "ANA",
    "MIGUEL",
    "JUANA",
    "PEDRO",
];
const LAST_ES: &[&str] = &[
    "GARCIA",
    "HERNANDEZ",
    "LOPEZ",
    "MARTINEZ",
    "RAMIREZ",
    "SANCHEZ",
    "TORRES",
    "FLORES",
    "MENDOZA",
    "CRUZ",
];

/// Whether the next caller speaks Spanish.
pub fn speaks_spanish(rng: &mut Rng) -> bool {
    rng.chance(SPANISH_SHARE)
}

/// The CAD's caller language: "" (English, the default) or "es".
pub fn language(spanish: bool) -> String {
    if spanish { "es" } else { "" }.to_owned()
}

pub fn caller(spanish: bool, rng: &mut Rng) -> Caller {
    let name = if rng.chance(ANONYMOUS_SHARE) {
        "REFUSED".to_owned()
    } else if spanish {
        format!("{}, {}", rng.pick(LAST_ES), rng.pick(FIRST_ES))
    } else {
        format!("{}, {}", rng.pick(LAST), rng.pick(FIRST))
    };
    Caller {
        name,
        callback: format!("503-555-01{:02}", rng.below(100)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callbacks_are_fictional_numbers() {
        let mut rng = Rng::new(3);
        for _ in 0..500 {
            let c = caller(rng.chance(0.5), &mut rng);
            let (head, tail) = c.callback.split_at(10);
            assert_eq!(head, "503-555-01", "{}", c.callback);
            assert!(tail.len() == 2 && tail.chars().all(|ch| ch.is_ascii_digit()));
            assert!(c.name == "REFUSED" || c.name.contains(", "), "{}", c.name);
        }
    }
}
