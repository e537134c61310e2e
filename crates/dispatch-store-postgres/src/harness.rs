//! A throwaway PostgreSQL for tests: `initdb` in a temporary directory, a free loopback port,
//! `pg_ctl start`, databases on demand; stopped and deleted on drop.
//!
//! The binaries are looked up in `PATH`, then in `/usr/lib/postgresql/*/bin` (Debian's
//! place). Without them a test fails with a message saying to install PostgreSQL: the
//! PostgreSQL tests never skip. PostgreSQL refuses to run as root; as root the cluster is
//! owned by and run as the `postgres` user (or `nobody`) through `runuser`.

use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The superuser of a throwaway cluster (trust authentication, loopback only).
const USER: &str = "dispatch";

/// How durable the throwaway cluster is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// `fsync = off`: for tests. A crash of PostgreSQL (`stop_immediate`) still loses
    /// nothing committed, since the WAL is written at every commit (`synchronous_commit =
    /// on`) and the OS keeps it; only a crash of the machine would.
    Fast,
    /// `fsync = on`, `synchronous_commit = on`: what a deployment runs, for measurements.
    Full,
}

pub struct PgServer {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    run_as: Option<String>,
    durability: Durability,
}

impl PgServer {
    /// Starts a cluster for tests ([`Durability::Fast`]); panics with what to install when
    /// PostgreSQL is missing.
    pub fn start() -> PgServer {
        Self::start_with(Durability::Fast)
    }

    pub fn start_with(durability: Durability) -> PgServer {
        let bin = find_binaries().unwrap_or_else(|| {
            panic!(
                "PostgreSQL is not installed: no initdb in PATH or /usr/lib/postgresql/*/bin. \
                 Install postgresql (Debian/Ubuntu: `apt-get install postgresql`; .ci/run does \
                 it) — the PostgreSQL tests need a real server and never skip"
            )
        });
        let run_as = running_as_root().then(unprivileged_user);
        let mut builder = tempfile::Builder::new();
        builder.prefix("dispatch-pg-");
        // The unprivileged user must reach the directory: not under a root-only TMPDIR.
        let dir = match run_as {
            Some(_) => builder.tempdir_in("/tmp"),
            None => builder.tempdir(),
        }
        .expect("temporary directory for PostgreSQL");
        let data = dir.path().join("data");
        std::fs::create_dir(&data).expect("data directory");
        if let Some(user) = &run_as {
            chown(dir.path(), user);
            chown(&data, user);
        }
        let mut server = PgServer {
            bin,
            dir,
            port: 0,
            run_as,
            durability,
        };
        server.run_checked(
            "initdb",
            &[
                "-D",
                path(&data),
                "-U",
                USER,
                "--auth=trust",
                "--encoding=UTF8",
                "--no-instructions",
                "--no-sync",
            ],
        );
        // A port that was free a moment ago may be taken by the time PostgreSQL binds it.
        let mut last = String::new();
        for _ in 0..5 {
            server.port = free_port();
            match server.pg_ctl_start() {
                Ok(()) => return server,
                Err(e) => last = e,
            }
        }
        panic!("PostgreSQL did not start: {last}");
    }

    /// The port it listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The URL of database `name` (not created by this call).
    pub fn url(&self, name: &str) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{name}", self.port)
    }

    /// Creates database `name` and returns its URL.
    pub async fn database(&self, name: &str) -> String {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&self.url("postgres"))
            .await
            .expect("connect to the throwaway PostgreSQL");
        let create = format!("CREATE DATABASE \"{}\"", name.replace('"', ""));
        sqlx::raw_sql(sqlx::AssertSqlSafe(create))
            .execute(&mut conn)
            .await
            .expect("create database");
        let _ = conn.close().await;
        self.url(name)
    }

    /// Stops PostgreSQL as a crash would (`pg_ctl stop -m immediate`): connections are cut,
    /// nothing is flushed beyond what was committed.
    pub fn stop_immediate(&self) {
        let data = self.data();
        let _ = self.run(
            "pg_ctl",
            &["stop", "-D", path(&data), "-m", "immediate", "-w"],
        );
    }

    /// Starts it again on the same port and data.
    pub fn restart(&self) {
        self.pg_ctl_start()
            .unwrap_or_else(|e| panic!("PostgreSQL did not start again: {e}"));
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn pg_ctl_start(&self) -> Result<(), String> {
        let data = self.data();
        let log = self.dir.path().join("postgres.log");
        let fsync = match self.durability {
            Durability::Fast => "-c fsync=off -c synchronous_commit=on -c full_page_writes=off",
            Durability::Full => "-c fsync=on -c synchronous_commit=on",
        };
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -k {} -c max_connections=200 {fsync}",
            self.port,
            path(&data),
        );
        let out = self.run(
            "pg_ctl",
            &[
                "start",
                "-D",
                path(&data),
                "-l",
                path(&log),
                "-w",
                "-t",
                "30",
                "-o",
                &options,
            ],
        );
        if out.status.success() {
            return Ok(());
        }
        let log = std::fs::read_to_string(&log).unwrap_or_default();
        Err(format!(
            "{}\n{}\n{log}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }

    fn command(&self, program: &str) -> Command {
        let exe = self.bin.join(program);
        match &self.run_as {
            Some(user) => {
                let mut c = Command::new(runuser());
                c.args(["-u", user, "--"]).arg(exe);
                c
            }
            None => Command::new(exe),
        }
    }

    fn run(&self, program: &str, args: &[&str]) -> Output {
        self.command(program)
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {program}: {e}"))
    }

    fn run_checked(&self, program: &str, args: &[&str]) {
        let out = self.run(program, args);
        assert!(
            out.status.success(),
            "{program} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        self.stop_immediate();
        // Waits a little for the postmaster to be gone before the directory is deleted.
        let pid = self.data().join("postmaster.pid");
        let deadline = Instant::now() + Duration::from_secs(5);
        while pid.exists() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// The directory holding `initdb` and `pg_ctl`: `PATH` first, then Debian's versioned
/// directories (the newest version).
pub fn find_binaries() -> Option<PathBuf> {
    let has = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            if has(&dir) {
                return Some(dir);
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            has(&bin).then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

/// `runuser`, which lives in `/usr/sbin` (not always in a test's `PATH`).
fn runuser() -> PathBuf {
    [
        "/usr/sbin/runuser",
        "/sbin/runuser",
        "/usr/bin/runuser",
        "/bin/runuser",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.is_file())
    .unwrap_or_else(|| PathBuf::from("runuser"))
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Who runs PostgreSQL when the tests run as root.
fn unprivileged_user() -> String {
    for user in ["postgres", "nobody"] {
        let known = Command::new("id")
            .arg("-u")
            .arg(user)
            .output()
            .is_ok_and(|o| o.status.success());
        if known {
            return user.to_owned();
        }
    }
    panic!(
        "running as root and there is neither a `postgres` nor a `nobody` user to run PostgreSQL as"
    )
}

fn chown(dir: &Path, user: &str) {
    let ok = Command::new("chown")
        .arg(user)
        .arg(dir)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "cannot give {} to {user}", dir.display());
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}
