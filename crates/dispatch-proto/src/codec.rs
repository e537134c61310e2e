//! The API's codec: prost, except that a request that does not decode (invalid UTF-8 in a
//! string field, a truncated message) is the caller's fault and says so with
//! `InvalidArgument`, naming the field, rather than tonic's default `Internal`.

use std::marker::PhantomData;
use tonic::codec::{BufferSettings, Codec, DecodeBuf, Decoder};
use tonic::{Code, Status};
use tonic_prost::{ProstCodec, ProstDecoder, ProstEncoder};

#[derive(Debug, Clone)]
pub struct ApiCodec<T, U> {
    inner: ProstCodec<T, U>,
}

impl<T, U> Default for ApiCodec<T, U> {
    fn default() -> Self {
        Self {
            inner: ProstCodec::default(),
        }
    }
}

impl<T, U> Codec for ApiCodec<T, U>
where
    T: prost::Message + Send + 'static,
    U: prost::Message + Default + Send + 'static,
{
    type Encode = T;
    type Decode = U;
    type Encoder = ProstEncoder<T>;
    type Decoder = ApiDecoder<U>;

    fn encoder(&mut self) -> Self::Encoder {
        self.inner.encoder()
    }

    fn decoder(&mut self) -> Self::Decoder {
        ApiDecoder {
            inner: self.inner.decoder(),
            _pd: PhantomData,
        }
    }
}

#[derive(Debug)]
pub struct ApiDecoder<U> {
    inner: ProstDecoder<U>,
    _pd: PhantomData<U>,
}

impl<U: prost::Message + Default> Decoder for ApiDecoder<U> {
    type Item = U;
    type Error = Status;

    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<U>, Status> {
        self.inner.decode(src).map_err(|status| {
            if status.code() == Code::Internal {
                // prost's message names the path, e.g. "CallCreated.nature_text: invalid
                // string value: data is not UTF-8 encoded".
                Status::invalid_argument(status.message().to_owned())
            } else {
                status
            }
        })
    }

    fn buffer_settings(&self) -> BufferSettings {
        self.inner.buffer_settings()
    }
}
