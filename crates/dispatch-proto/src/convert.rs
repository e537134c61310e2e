pub use dispatch_core as core;
