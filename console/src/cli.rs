//! The command line: where the server is, the token, the mode, and the unit's position.
//! Each setting comes from a flag, else the environment, else the config file, else the
//! default.

use crate::clock::LocalTime;
use crate::driver;
use crate::gps;
use crate::net::{self, Link};
use crate::state::lock::{DEFAULT_LOCK_AFTER_MINUTES, Lock};
use crate::state::{Mode, Model, SimGps};
use crate::view::Theme;
use anyhow::Context;
use clap::{Parser, ValueEnum};
use dispatch_core::zone::Zone;
use dispatch_proto::endpoint::ClientTls;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModeArg {
    Unit,
    Dispatcher,
    Peer,
    Supervisor,
}

impl From<ModeArg> for Mode {
    fn from(m: ModeArg) -> Mode {
        match m {
            ModeArg::Unit => Mode::Unit,
            ModeArg::Dispatcher => Mode::Dispatcher,
            ModeArg::Peer => Mode::Peer,
            ModeArg::Supervisor => Mode::Supervisor,
        }
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "dispatch-console",
    version,
    about = "The crisis dispatch console: a team's terminal, the dispatcher's board, a peer's follow-up queue, a supervisor's overview",
    long_about = "The crisis dispatch console: a team's terminal, the dispatcher's board, a peer's follow-up queue, a supervisor's overview.\n\n\
The mode follows the token's role (unit:<call sign> → unit; dispatcher; peer:<id> → peer; supervisor) unless --mode says otherwise. \
Each setting is taken from its flag, else its environment variable, else the config file, else the default. \
Press ? in the console for its keys. NO_COLOR=1 draws without colour (meaning is never carried by colour alone)."
)]
pub struct Cli {
    /// Server address [env: DISPATCH_CONSOLE_SERVER] [config: server] [default: http://127.0.0.1:50051]
    #[arg(long)]
    pub server: Option<String>,
    /// Bearer token; the demo prints one per role [env: DISPATCH_CONSOLE_TOKEN] [config: token]
    #[arg(long)]
    pub token: Option<String>,
    /// CA certificate (PEM) that signed the server's, for an https:// server [env: DISPATCH_CONSOLE_CA] [config: ca]
    #[arg(long, value_name = "PEM")]
    pub ca: Option<PathBuf>,
    /// This console's certificate (PEM), where the server asks for one (mutual TLS) [env: DISPATCH_CONSOLE_CERT] [config: cert]
    #[arg(long, value_name = "PEM")]
    pub cert: Option<PathBuf>,
    /// The key (PEM) of --cert [env: DISPATCH_CONSOLE_KEY] [config: key]
    #[arg(long, value_name = "PEM")]
    pub key: Option<PathBuf>,
    /// Lock the screen after this many minutes without a key; 0 never [config: lock_after_minutes] [default: 15]
    #[arg(long, value_name = "MINUTES")]
    pub lock_after_minutes: Option<u64>,
    /// Which console to open [env: DISPATCH_CONSOLE_MODE] [config: mode] [default: from the token's role]
    #[arg(long, value_enum)]
    pub mode: Option<ModeArg>,
    /// Config file (TOML: server, token, ca, cert, key, lock_after_minutes, pin, mode, position, time_zone; the old utc_offset_minutes, us_daylight_saving still read)
    /// [env: DISPATCH_CONSOLE_CONFIG] [default: $XDG_CONFIG_HOME/dispatch-console.toml or ~/.config/dispatch-console.toml, if it exists]
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Unit mode: the team's position, reported when connected and with each status [config: position]
    #[arg(long, value_name = "LAT,LON")]
    pub position: Option<String>,
    /// Unit mode: a simulated GPS that drives the van toward its call while en route (needs --position)
    #[arg(long)]
    pub simulate_gps: bool,
    /// The program's time zone, an IANA name, for "due today" and clock times [config: time_zone] [default: America/Los_Angeles]
    #[arg(long, value_name = "IANA NAME")]
    pub time_zone: Option<String>,
    /// Old way to say the zone: the standard-time offset from UTC in minutes, with US daylight saving [config: utc_offset_minutes]
    #[arg(long, allow_hyphen_values = true)]
    pub utc_offset_minutes: Option<i32>,
    /// With --utc-offset-minutes: no US daylight saving [config: us_daylight_saving = false]
    #[arg(long)]
    pub no_daylight_saving: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub server: Option<String>,
    pub token: Option<String>,
    pub ca: Option<PathBuf>,
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
    /// Minutes without a key before the screen locks (0: never).
    pub lock_after_minutes: Option<u64>,
    /// A PIN that unlocks the locked screen, besides the token.
    pub pin: Option<String>,
    pub mode: Option<ModeArg>,
    pub position: Option<String>,
    pub time_zone: Option<String>,
    pub utc_offset_minutes: Option<i32>,
    pub us_daylight_saving: Option<bool>,
}

/// The settings after flags, environment, file and defaults.
#[derive(Debug, PartialEq)]
pub struct Settings {
    pub server: String,
    pub token: String,
    pub tls: ClientTls,
    pub lock_after_minutes: u64,
    pub pin: Option<String>,
    pub mode: Option<Mode>,
    pub position: Option<dispatch_proto::v1::GeoPoint>,
    pub simulate_gps: bool,
    pub local: LocalTime,
}

fn default_config_path(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let base = env("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| Path::new(&h).join(".config")))?;
    Some(base.join("dispatch-console.toml"))
}

pub fn read_config(path: &Path) -> anyhow::Result<ConfigFile> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the config file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("config file {}", path.display()))
}

/// Merges flags, environment (`env` looks a variable up) and config file.
pub fn settings(cli: Cli, env: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<Settings> {
    let explicit = cli
        .config
        .clone()
        .or_else(|| env("DISPATCH_CONSOLE_CONFIG").map(PathBuf::from));
    let file = match explicit {
        Some(path) => read_config(&path)?,
        None => match default_config_path(env).filter(|p| p.exists()) {
            Some(path) => read_config(&path)?,
            None => ConfigFile::default(),
        },
    };
    let local = local_time(&cli, &file)?;
    let server = cli
        .server
        .or_else(|| env("DISPATCH_CONSOLE_SERVER"))
        .or(file.server)
        .unwrap_or_else(|| "http://127.0.0.1:50051".to_owned());
    let token = cli
        .token
        .or_else(|| env("DISPATCH_CONSOLE_TOKEN"))
        .or(file.token)
        .filter(|t| !t.trim().is_empty())
        .context(
            "no token: pass --token, set DISPATCH_CONSOLE_TOKEN, or put `token = \"...\"` in the config file (the demo prints one per role)",
        )?;
    let path = |flag: Option<PathBuf>, var: &str, file: Option<PathBuf>| {
        flag.or_else(|| env(var).map(PathBuf::from)).or(file)
    };
    let tls = ClientTls {
        ca: path(cli.ca, "DISPATCH_CONSOLE_CA", file.ca),
        cert: path(cli.cert, "DISPATCH_CONSOLE_CERT", file.cert),
        key: path(cli.key, "DISPATCH_CONSOLE_KEY", file.key),
    };
    let mode = match cli.mode {
        Some(m) => Some(m),
        None => match env("DISPATCH_CONSOLE_MODE") {
            Some(text) => Some(ModeArg::from_str(&text, true).map_err(|_| {
                anyhow::anyhow!(
                    "DISPATCH_CONSOLE_MODE={text:?} is not one of unit, dispatcher, peer, supervisor"
                )
            })?),
            None => file.mode,
        },
    };
    let position = cli
        .position
        .or(file.position)
        .map(|p| gps::parse_point(&p).map_err(|e| anyhow::anyhow!("--position {e}")))
        .transpose()?;
    if cli.simulate_gps && position.is_none() {
        anyhow::bail!("--simulate-gps needs a starting point: add --position LAT,LON");
    }
    Ok(Settings {
        server,
        token,
        tls,
        lock_after_minutes: cli
            .lock_after_minutes
            .or(file.lock_after_minutes)
            .unwrap_or(DEFAULT_LOCK_AFTER_MINUTES),
        pin: file.pin.filter(|p| !p.is_empty()),
        mode: mode.map(Mode::from),
        position,
        simulate_gps: cli.simulate_gps,
        local,
    })
}

/// The zone from --time-zone (or the file's time_zone), else from the old offset settings,
/// else Pacific time; a zone and an offset together are refused, as they could disagree.
fn local_time(cli: &Cli, file: &ConfigFile) -> anyhow::Result<LocalTime> {
    let named = cli.time_zone.as_ref().or(file.time_zone.as_ref());
    let offset = cli.utc_offset_minutes.or(file.utc_offset_minutes);
    let old = offset.is_some() || cli.no_daylight_saving || file.us_daylight_saving.is_some();
    let zone = match (named, old) {
        (Some(_), true) => anyhow::bail!(
            "--time-zone and --utc-offset-minutes (or us_daylight_saving) together: give the time zone only"
        ),
        (Some(name), false) => Zone::named(name).map_err(|e| anyhow::anyhow!("--time-zone {e}"))?,
        (None, true) => Zone::from_offset(
            offset.unwrap_or(-480),
            !cli.no_daylight_saving && file.us_daylight_saving.unwrap_or(true),
        )
        .map_err(|e| anyhow::anyhow!("--{}", e.replace('_', "-")))?,
        (None, false) => Zone::pacific(),
    };
    Ok(LocalTime(zone))
}

/// The binary's entry: exits 0 when the person quits, 2 with a sentence on what to fix.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let result = settings(cli, &env).and_then(|s| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .context("cannot start the async runtime")?
            .block_on(run(s))
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dispatch-console: {e:#}");
            ExitCode::from(2)
        }
    }
}

async fn run(s: Settings) -> anyhow::Result<()> {
    let link = Link::with_tls(&s.server, &s.token, &s.tls)?;
    let mode = match s.mode {
        Some(m) => m,
        None => net::detect_mode(&link).await.with_context(|| {
            format!(
                "learning the token's mode from {} (pass --mode to start without the server)",
                s.server
            )
        })?,
    };
    let now = driver::now_ms();
    let mut model = Model::new(mode, uuid::Uuid::new_v4().to_string(), now, s.local);
    let unlock = std::iter::once(s.token.clone())
        .chain(s.pin.clone())
        .collect();
    model.lock = Lock::new(s.lock_after_minutes, now, unlock);
    if mode == Mode::Unit {
        model.position = s.position;
        model.position_unreported = s.position.is_some();
        if s.simulate_gps {
            model.gps = Some(SimGps {
                speed_kmh: 40.0,
                every_ms: 15_000,
                last_report_ms: now,
            });
        }
    }
    let theme = Theme::from_env(std::env::var_os("NO_COLOR").as_deref());
    driver::run(model, link, theme).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(args: &[&str], env: &[(&str, &str)]) -> anyhow::Result<Settings> {
        let cli =
            Cli::try_parse_from(std::iter::once("dispatch-console").chain(args.iter().copied()))?;
        let env: HashMap<String, String> = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        settings(cli, &|k| env.get(k).cloned())
    }

    #[test]
    fn flags_beat_environment_beat_file() {
        let dir = std::env::temp_dir().join(format!("dc-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("c.toml");
        std::fs::write(
            &file,
            "server = \"http://file:1\"\ntoken = \"file-token\"\nmode = \"peer\"\nposition = \"45.5,-122.6\"\n",
        )
        .unwrap();
        let f = file.to_str().unwrap();
        let s = parse(&["--config", f], &[]).unwrap();
        assert_eq!(s.server, "http://file:1");
        assert_eq!(s.token, "file-token");
        assert_eq!(s.mode, Some(Mode::Peer));
        assert!(s.position.is_some());
        let s = parse(
            &["--config", f],
            &[
                ("DISPATCH_CONSOLE_TOKEN", "env-token"),
                ("DISPATCH_CONSOLE_MODE", "unit"),
            ],
        )
        .unwrap();
        assert_eq!((s.token.as_str(), s.mode), ("env-token", Some(Mode::Unit)));
        let s = parse(
            &[
                "--config",
                f,
                "--token",
                "flag-token",
                "--mode",
                "dispatcher",
            ],
            &[("DISPATCH_CONSOLE_TOKEN", "env-token")],
        )
        .unwrap();
        assert_eq!(
            (s.token.as_str(), s.mode),
            ("flag-token", Some(Mode::Dispatcher))
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn help_names_every_variable_and_config_key_the_settings_read() {
        use clap::CommandFactory;
        let help = Cli::command().render_long_help().to_string();
        for name in [
            "DISPATCH_CONSOLE_SERVER",
            "DISPATCH_CONSOLE_TOKEN",
            "DISPATCH_CONSOLE_MODE",
            "DISPATCH_CONSOLE_CONFIG",
            "config: server",
            "config: token",
            "config: mode",
            "config: position",
            "config: time_zone",
            "config: utc_offset_minutes",
            "us_daylight_saving",
            "NO_COLOR",
        ] {
            assert!(help.contains(name), "--help does not mention {name}");
        }
    }

    #[test]
    fn the_time_zone_is_an_iana_name_or_the_old_offset() {
        let named = parse(&["--token", "t", "--time-zone", "America/Phoenix"], &[]).unwrap();
        assert_eq!(named.local.0.name(), "America/Phoenix");
        let default = parse(&["--token", "t"], &[]).unwrap();
        assert_eq!(default.local, LocalTime::pacific());
        let old = parse(
            &[
                "--token",
                "t",
                "--utc-offset-minutes",
                "-420",
                "--no-daylight-saving",
            ],
            &[],
        );
        assert_eq!(old.unwrap().local.hhmm(15 * 3_600_000), "08:00");
        let both = parse(
            &[
                "--token",
                "t",
                "--time-zone",
                "UTC",
                "--utc-offset-minutes",
                "0",
            ],
            &[],
        );
        assert!(both.unwrap_err().to_string().contains("time zone only"));
        let bad = parse(&["--token", "t", "--time-zone", "Pacific"], &[]).unwrap_err();
        assert!(bad.to_string().contains("IANA"), "{bad}");
    }

    #[test]
    fn mistakes_say_what_to_fix() {
        let e = parse(&[], &[("HOME", "/nonexistent")])
            .unwrap_err()
            .to_string();
        assert!(e.contains("--token"), "{e}");
        let e = parse(&["--token", "t", "--position", "north"], &[]).unwrap_err();
        assert!(format!("{e:#}").contains("LAT,LON"));
        let e = parse(&["--token", "t", "--simulate-gps"], &[]).unwrap_err();
        assert!(e.to_string().contains("--position"));
        let e = parse(&["--token", "t"], &[("DISPATCH_CONSOLE_MODE", "boss")]).unwrap_err();
        assert!(e.to_string().contains("DISPATCH_CONSOLE_MODE"));
        let e = parse(&["--config", "/nonexistent/x.toml", "--token", "t"], &[]).unwrap_err();
        assert!(e.to_string().contains("/nonexistent/x.toml"));
    }
}
