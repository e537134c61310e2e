//! Premise history: the earlier calls at a call's address, for the team's card. A weapon or a
//! backup request at the same door last month is what a team must know before knocking.

use crate::model::{Answer, DangerFlag, Incident, IncidentStatus};

/// How many earlier calls a card shows, most recent first.
pub const MAX_PRIOR_CALLS: usize = 5;

/// The form of an address that matches another: case and spacing folded. Blank: no address.
pub fn address_key(address: &str) -> String {
    address
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

/// The earlier calls at `of`'s address among `incidents`, most recent first, at most
/// [`MAX_PRIOR_CALLS`]; none when the call has no address.
pub fn premise_history<'a>(
    incidents: impl IntoIterator<Item = &'a Incident>,
    of: &Incident,
) -> Vec<&'a Incident> {
    let key = address_key(&of.details.location.address);
    if key.is_empty() {
        return Vec::new();
    }
    let mut earlier: Vec<&Incident> = incidents
        .into_iter()
        .filter(|i| i.id != of.id && i.received_at <= of.received_at)
        .filter(|i| address_key(&i.details.location.address) == key)
        .collect();
    earlier.sort_by(|a, b| (b.received_at, &b.id).cmp(&(a.received_at, &a.id)));
    earlier.truncate(MAX_PRIOR_CALLS);
    earlier
}

/// The dangers a call was found to carry (flags answered yes).
pub fn dangers(incident: &Incident) -> Vec<DangerFlag> {
    let flags = &incident.details.flags;
    DangerFlag::ALL
        .into_iter()
        .filter(|f| flags.get(*f) == Answer::Yes)
        .collect()
}

/// How a call ended, in words a team reads at a glance.
pub fn outcome(incident: &Incident) -> String {
    if let Some(c) = &incident.clearance {
        return format!("{} {}", c.disposition.code(), c.disposition.words());
    }
    if let Some(d) = &incident.declined {
        return format!("sent to {}", d.route.name());
    }
    match incident.status {
        IncidentStatus::Cancelled => "cancelled by the CAD".to_owned(),
        s if s.has_team() => "in progress".to_owned(),
        _ => "not attended".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use crate::time::Timestamp;

    fn at(id: &str, address: &str, minute: i64) -> Incident {
        let mut details = CallDetails::default();
        details.location.address = address.into();
        let id = crate::ids::IncidentId::new(id);
        let number = id.to_string();
        Incident::received(
            id,
            "cad".into(),
            number,
            details,
            Timestamp(minute * 60_000),
        )
    }

    #[test]
    fn earlier_calls_at_the_same_door_most_recent_first() {
        let now = at("now", "700 block  sw 5th ave", 100);
        let mut weapon = at("w", "700 BLOCK SW 5TH AVE", 50);
        weapon.details.flags.weapon = Answer::Yes;
        let all = [
            at("a", "700 BLOCK SW 5TH AVE", 10),
            weapon,
            at("elsewhere", "800 BLOCK SW 5TH AVE", 60),
            at("later", "700 BLOCK SW 5TH AVE", 120),
            now.clone(),
        ];
        let h = premise_history(&all, &now);
        let ids: Vec<&str> = h.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["w", "a"], "same address, earlier, newest first");
        assert_eq!(dangers(h[0]), vec![DangerFlag::Weapon]);
        let many: Vec<Incident> = (0..9)
            .map(|n| at(&format!("m{n}"), "1 MAIN ST", n))
            .collect();
        let last = at("last", "1 main st", 99);
        assert_eq!(premise_history(&many, &last).len(), MAX_PRIOR_CALLS);
        assert!(premise_history(&many, &at("blank", "  ", 99)).is_empty());
    }
}
