//! The crisis-dispatch server: configuration, authentication, the use-cases over the core and
//! the store, with its fan-out hub and timers, the thin gRPC adapters, and the command line.

pub mod app;
pub mod audit_cli;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod grpc;
pub mod migrate_store;
pub mod privacy;
pub mod process;
pub mod report_cli;
pub mod server;
pub mod tls;
pub mod triage_cli;
