//! What the console knows: the server's picture for its mode (board, team, follow-up queue),
//! the connection, the commands on their way, and what is on screen (selection, open form,
//! help). Changed only by `app::update`; read by `view`.

pub mod board;
pub mod conn;
pub mod form;
pub mod lock;
pub mod outbox;
pub mod queue;
pub mod team;

use crate::clock::LocalTime;
use crate::command::{Command, Outgoing};
use dispatch_proto::v1;

pub use board::Board;
pub use conn::{Connection, StreamKind};
pub use form::Form;
pub use lock::Lock;
pub use outbox::Outbox;
pub use queue::Queue;
pub use team::TeamPicture;

/// Who sits at the console.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A responding team's shared in-vehicle terminal.
    Unit,
    Dispatcher,
    Peer,
    /// The dispatcher's board plus the follow-up overview.
    Supervisor,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Unit => "unit",
            Mode::Dispatcher => "dispatcher",
            Mode::Peer => "peer",
            Mode::Supervisor => "supervisor",
        }
    }

    /// The streams this mode keeps open.
    pub fn streams(self) -> &'static [StreamKind] {
        match self {
            Mode::Unit => &[StreamKind::Team],
            Mode::Dispatcher => &[StreamKind::Board],
            Mode::Peer => &[StreamKind::Queue],
            Mode::Supervisor => &[StreamKind::Board, StreamKind::Queue],
        }
    }
}

/// The main screens; `m` and `f` switch between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// The mode's own screen: the card, the board, the queue.
    Main,
    Map,
    /// The supervisor's follow-up overview.
    FollowUps,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Overlay {
    Help,
    ConfirmQuit,
    /// Assign the selected call to a recommended team: Enter confirms.
    ConfirmAssign {
        incident_id: String,
        team_id: String,
    },
    Form(Form),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlashKind {
    Info,
    Problem,
}

/// The one-line message under the body: what just happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flash {
    pub kind: FlashKind,
    pub text: String,
    pub at_ms: i64,
}

/// Simulated GPS: the van moves toward its call while en route.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SimGps {
    pub speed_kmh: f64,
    /// How often a position is reported.
    pub every_ms: i64,
    pub last_report_ms: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub mode: Mode,
    pub screen: Screen,
    pub now_ms: i64,
    pub local: LocalTime,
    pub conn: Connection,
    pub board: Board,
    pub team: TeamPicture,
    pub queue: Queue,
    pub outbox: Outbox,
    pub overlay: Option<Overlay>,
    /// Selected row of the dispatcher's call queue / the peer's task list.
    pub selected: usize,
    /// The id of the selected call or task: the selection stays on it when rows are added
    /// above it (a call arriving must not move the dispatcher's cursor to another call).
    pub selected_id: Option<String>,
    /// The recommendations on screen and the call they are for.
    pub recommendations: Option<v1::Recommendations>,
    pub recommendations_asked_for: Option<String>,
    /// The incident behind the selected follow-up task (peer and supervisor), and the task
    /// it was asked for.
    pub task_incident: Option<v1::Incident>,
    pub task_incident_asked_for: Option<String>,
    /// The service area's outer rings as (lon, lat), from the first snapshot, for the map.
    pub service_area: Vec<Vec<(f64, f64)>>,
    pub flash: Option<Flash>,
    /// This unit's own position (from `--position` or the simulated GPS).
    pub position: Option<v1::GeoPoint>,
    pub gps: Option<SimGps>,
    /// A position given on the command line, not yet reported to the server.
    pub position_unreported: bool,
    /// Automatic logoff.
    pub lock: Lock,
    /// Set when the person asked to leave.
    pub quit: bool,
    session: String,
    next_command: u64,
}

impl Model {
    /// `session` prefixes command ids (a UUID in the binary, fixed in tests).
    pub fn new(mode: Mode, session: impl Into<String>, now_ms: i64, local: LocalTime) -> Self {
        Self {
            mode,
            screen: Screen::Main,
            now_ms,
            local,
            conn: Connection::new(mode.streams()),
            board: Board::default(),
            team: TeamPicture::default(),
            queue: Queue::default(),
            outbox: Outbox::default(),
            overlay: None,
            selected: 0,
            selected_id: None,
            recommendations: None,
            recommendations_asked_for: None,
            task_incident: None,
            task_incident_asked_for: None,
            service_area: Vec::new(),
            flash: None,
            position: None,
            gps: None,
            position_unreported: false,
            lock: Lock::never(now_ms),
            quit: false,
            session: session.into(),
            next_command: 0,
        }
    }

    /// A command with a fresh id, unique across this console's life.
    pub fn outgoing(&mut self, command: Command) -> Outgoing {
        self.next_command += 1;
        Outgoing {
            id: format!("{}-{}", self.session, self.next_command),
            command,
            made_at_ms: self.now_ms,
        }
    }

    pub fn say(&mut self, kind: FlashKind, text: impl Into<String>) {
        self.flash = Some(Flash {
            kind,
            text: text.into(),
            at_ms: self.now_ms,
        });
    }

    /// The call selected on the dispatcher's queue.
    pub fn selected_call(&self) -> Option<&v1::Incident> {
        if let Some(i) = self
            .selected_id
            .as_ref()
            .and_then(|id| self.board.incidents.get(id))
            .filter(|i| board::is_waiting(i))
        {
            return Some(i);
        }
        let q = self.board.queue();
        q.get(self.selected.min(q.len().saturating_sub(1))).copied()
    }

    /// The task selected on the follow-up queue.
    /// Keeps the service area a snapshot carries (an empty one leaves the known area alone).
    pub fn set_service_area(&mut self, rings: &[v1::AreaRing]) {
        if !rings.is_empty() {
            self.service_area = rings
                .iter()
                .map(|r| r.points.iter().map(|p| (p.lon, p.lat)).collect())
                .collect();
        }
    }

    pub fn selected_task(&self) -> Option<&v1::FollowUpTask> {
        let q = self.queue.ordered(self.now_ms, &self.local);
        q.get(self.selected.min(q.len().saturating_sub(1)))
            .map(|(_, t)| *t)
    }

    /// The ids of the current list, in screen order.
    pub fn list_ids(&self) -> Vec<String> {
        match (self.mode, self.screen) {
            (Mode::Peer, _) | (Mode::Supervisor, Screen::FollowUps) => self
                .queue
                .ordered(self.now_ms, &self.local)
                .into_iter()
                .map(|(_, t)| t.id.clone())
                .collect(),
            (Mode::Dispatcher | Mode::Supervisor, _) => self
                .board
                .queue()
                .into_iter()
                .map(|i| i.id.clone())
                .collect(),
            (Mode::Unit, _) => Vec::new(),
        }
    }

    /// Puts the selection back on the selected id after the list changed, or on the row at
    /// the same place when that id is gone.
    pub fn keep_selection(&mut self) {
        let on_board = matches!(self.mode, Mode::Dispatcher | Mode::Supervisor)
            && self.screen != Screen::FollowUps;
        if on_board && let Some(rank) = self.selected_id.as_ref().and_then(|id| self.board.rank(id))
        {
            self.selected = rank;
            return;
        }
        let ids = self.list_ids();
        if let Some(i) = self
            .selected_id
            .as_ref()
            .and_then(|id| ids.iter().position(|x| x == id))
        {
            self.selected = i;
        } else {
            self.selected = self.selected.min(ids.len().saturating_sub(1));
            self.selected_id = ids.get(self.selected).cloned();
        }
    }

    /// Moves the selection by rows (negative: up).
    pub fn move_selection(&mut self, by: isize) {
        let ids = self.list_ids();
        let i = self.selected.saturating_add_signed(by);
        self.selected = i.min(ids.len().saturating_sub(1));
        self.selected_id = ids.get(self.selected).cloned();
    }
}
