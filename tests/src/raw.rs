//! Sending bytes that no well-behaved client would: a unary call whose request body is given
//! as raw protobuf bytes (for invalid UTF-8 in a string field).

use bytes::{Buf, BufMut};
use std::marker::PhantomData;
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic::transport::Channel;
use tonic::{Request, Response, Status};

pub struct RawCodec<U>(PhantomData<U>);

impl<U> Default for RawCodec<U> {
    fn default() -> Self {
        Self(PhantomData)
    }
}

pub struct RawEncoder;
pub struct ProstDecoder<U>(PhantomData<U>);

impl Encoder for RawEncoder {
    type Item = Vec<u8>;
    type Error = Status;
    fn encode(&mut self, item: Vec<u8>, dst: &mut EncodeBuf<'_>) -> Result<(), Status> {
        dst.put_slice(&item);
        Ok(())
    }
}

impl<U: prost::Message + Default> Decoder for ProstDecoder<U> {
    type Item = U;
    type Error = Status;
    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<U>, Status> {
        let bytes = src.copy_to_bytes(src.remaining());
        U::decode(bytes)
            .map(Some)
            .map_err(|e| Status::internal(e.to_string()))
    }
}

impl<U: prost::Message + Default + Send + 'static> Codec for RawCodec<U> {
    type Encode = Vec<u8>;
    type Decode = U;
    type Encoder = RawEncoder;
    type Decoder = ProstDecoder<U>;
    fn encoder(&mut self) -> RawEncoder {
        RawEncoder
    }
    fn decoder(&mut self) -> ProstDecoder<U> {
        ProstDecoder(PhantomData)
    }
}

/// Calls `path` (e.g. "/crisis.dispatch.v1.CadIngest/Submit") with `body` as the request.
pub async fn unary<U: prost::Message + Default + Send + 'static>(
    channel: Channel,
    path: &'static str,
    body: Request<Vec<u8>>,
) -> Result<Response<U>, Status> {
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready()
        .await
        .map_err(|e| Status::unavailable(e.to_string()))?;
    grpc.unary(
        body,
        tonic::codegen::http::uri::PathAndQuery::from_static(path),
        RawCodec::<U>::default(),
    )
    .await
}
