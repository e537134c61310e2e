//! The subcommands of the `cad-bridge` binary, one module each.

pub mod replay;
