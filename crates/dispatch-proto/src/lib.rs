//! The `crisis.dispatch.v1` gRPC API: code generated from `proto/` and the conversions between
//! it and `dispatch-core`, and the one way clients build an endpoint (plain or TLS). No
//! business logic lives here.

pub mod codec;
pub mod convert;
pub mod endpoint;

/// Generated messages, clients and servers of package `crisis.dispatch.v1`.
pub mod v1 {
    #![allow(clippy::all, clippy::pedantic, missing_docs)]
    tonic::include_proto!("crisis.dispatch.v1");
}

/// The encoded descriptor set of the API, for gRPC server reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = include_bytes!(concat!(
    env!("OUT_DIR"),
    "/crisis_dispatch_v1_descriptor.bin"
));
