//! Who may do what: which roles may use each part of the API, and whose things a scoped role
//! (a team's terminal, one CAD source, a peer) may act on. The transport authenticates the
//! caller into a [`Role`]; these rules decide.

use super::AppError;
use crate::auth::{AuthError, Role};
use dispatch_core::{PeerId, TeamId};

/// What a caller asks to do, for the coarse check of its role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    /// The dispatcher's board and commands.
    Dispatch,
    /// CAD events in and updates out.
    Cad,
    /// The follow-up queue.
    FollowUps,
    /// Program reports (aggregates, no PHI).
    Reports,
    /// The audit trail: verify and export.
    Audit,
}

impl Area {
    fn admits(self, role: &Role) -> bool {
        match self {
            Area::Dispatch => matches!(role, Role::Dispatcher | Role::Supervisor),
            Area::Cad => matches!(role, Role::Cad(_)),
            Area::FollowUps => matches!(role, Role::Peer(_) | Role::Supervisor),
            Area::Reports => matches!(role, Role::Supervisor | Role::Dispatcher | Role::Admin),
            Area::Audit => matches!(role, Role::Admin | Role::Auditor),
        }
    }
}

/// The caller's role may `action` in `area`.
pub fn require(role: &Role, area: Area, action: &'static str) -> Result<(), AppError> {
    if area.admits(role) {
        Ok(())
    } else {
        Err(forbidden(role, action))
    }
}

/// The team a unit token acts for; `claimed`, when the request names one, must be it.
pub fn acting_team(role: &Role, claimed: &str) -> Result<TeamId, AppError> {
    let Role::Unit(team) = role else {
        return Err(forbidden(role, "act as a team"));
    };
    if !claimed.is_empty() && claimed != team.as_str() {
        return Err(out_of_scope(
            "team_id",
            format!("this token is for {team}, not {claimed}"),
        ));
    }
    Ok(team.clone())
}

/// A `cad:<source>` token speaks only for its source.
pub fn speaks_for(role: &Role, source: &str) -> Result<(), AppError> {
    match role {
        Role::Cad(Some(own)) if own != source => Err(out_of_scope(
            "source",
            format!("this token speaks for {own}, not {source}"),
        )),
        _ => Ok(()),
    }
}

/// The CAD source a token is limited to (`None`: every source).
pub fn cad_source(role: &Role) -> Option<String> {
    match role {
        Role::Cad(source) => source.clone(),
        _ => None,
    }
}

/// The peer acting on the follow-up queue, or `None` for a supervisor (who may work any task;
/// the core's `FollowUpTask::may_be_worked_by` holds the rule).
pub fn acting_peer(role: &Role) -> Option<PeerId> {
    match role {
        Role::Peer(p) => Some(p.clone()),
        _ => None,
    }
}

fn forbidden(role: &Role, action: &'static str) -> AppError {
    AppError::Auth(AuthError::Forbidden {
        role: role.to_string(),
        action,
    })
}

fn out_of_scope(field: &'static str, reason: String) -> AppError {
    AppError::Auth(AuthError::OutOfScope { field, reason })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_area_admits_its_roles_only() {
        let peer = Role::Peer(PeerId::new("p-1"));
        assert!(require(&Role::Dispatcher, Area::Dispatch, "x").is_ok());
        assert!(require(&Role::Supervisor, Area::FollowUps, "x").is_ok());
        assert!(require(&peer, Area::FollowUps, "x").is_ok());
        assert!(require(&peer, Area::Dispatch, "x").is_err());
        assert!(require(&Role::Admin, Area::Reports, "x").is_ok());
        assert!(require(&Role::Dispatcher, Area::Cad, "x").is_err());
        assert!(require(&Role::Auditor, Area::Audit, "x").is_ok());
        assert!(require(&Role::Admin, Area::Audit, "x").is_ok());
        assert!(require(&Role::Supervisor, Area::Audit, "x").is_err());
        assert!(require(&Role::Auditor, Area::Dispatch, "x").is_err());
        assert!(require(&Role::Auditor, Area::Reports, "x").is_err());
    }

    #[test]
    fn scoped_roles_act_only_on_their_own() {
        let unit = Role::Unit(TeamId::new("PSR-1"));
        assert_eq!(acting_team(&unit, "").unwrap(), TeamId::new("PSR-1"));
        assert_eq!(acting_team(&unit, "PSR-1").unwrap(), TeamId::new("PSR-1"));
        let other = acting_team(&unit, "PSR-2").unwrap_err();
        assert_eq!(other.field(), Some("team_id"));
        assert!(acting_team(&Role::Dispatcher, "").is_err());
        assert!(speaks_for(&Role::Cad(None), "any").is_ok());
        assert!(speaks_for(&Role::Cad(Some("boec".into())), "boec").is_ok());
        assert_eq!(acting_peer(&Role::Supervisor), None);
    }
}
