//! Sending mapped EIDO documents to the dispatch server (`CadIngest.Submit`), one event at a
//! time and in order, each acknowledged after the server's durable commit.

use crate::eido::{Eido, EidoError, Mapped, Mapper};
use dispatch_proto::v1;
use dispatch_proto::v1::cad_ingest_client::CadIngestClient;
use tonic::Request;
use tonic::metadata::MetadataValue;
use tonic::transport::Channel;

/// Why a document did not reach the server in full.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Document(#[from] EidoError),
    #[error("the server refused event {event_id}: {field}: {message}")]
    Rejected {
        event_id: String,
        field: String,
        message: String,
    },
    #[error("the server did not take event {event_id}: {code:?}: {message}")]
    Server {
        event_id: String,
        code: tonic::Code,
        message: String,
    },
    #[error("the token is not usable as a gRPC header")]
    BadToken,
}

/// What the server made of one document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Submitted {
    pub call_number: String,
    pub events: usize,
    /// Events the server already had (the document, or part of it, was sent before).
    pub duplicates: usize,
    pub incident_id: String,
}

/// A CAD's connection to the server: its client, bearer token and EIDO mapper.
pub struct Ingest {
    client: CadIngestClient<Channel>,
    /// None when the CAD is known by its client certificate (mutual TLS) instead.
    bearer: Option<MetadataValue<tonic::metadata::Ascii>>,
    mapper: Mapper,
}

impl Ingest {
    /// An empty `token` sends none: the server knows the CAD by its client certificate.
    pub fn new(channel: Channel, token: &str, mapper: Mapper) -> Result<Self, IngestError> {
        let bearer = (!token.is_empty())
            .then(|| format!("Bearer {token}").parse())
            .transpose()
            .map_err(|_| IngestError::BadToken)?;
        Ok(Self {
            client: CadIngestClient::new(channel),
            bearer,
            mapper,
        })
    }

    /// Maps the document (nothing is sent when that fails) and submits its events in order.
    pub async fn submit(&mut self, doc: &Eido) -> Result<Submitted, IngestError> {
        let mapped = self.mapper.map(doc)?;
        self.submit_mapped(&mapped).await
    }

    /// Maps without sending: to check a batch before any of it goes out.
    pub fn check(&self, doc: &Eido) -> Result<Mapped, EidoError> {
        self.mapper.map(doc)
    }

    pub async fn submit_mapped(&mut self, mapped: &Mapped) -> Result<Submitted, IngestError> {
        let mut out = Submitted {
            call_number: mapped.call_number.clone(),
            ..Submitted::default()
        };
        for event in &mapped.events {
            let receipt = self.submit_event(event.clone()).await?;
            out.events += 1;
            out.duplicates += usize::from(receipt.duplicate);
            if !receipt.incident_id.is_empty() {
                out.incident_id = receipt.incident_id;
            }
        }
        self.mapper.applied(mapped);
        Ok(out)
    }

    async fn submit_event(
        &mut self,
        event: v1::CadEvent,
    ) -> Result<v1::SubmitReceipt, IngestError> {
        let event_id = event.event_id.clone();
        let mut request = Request::new(event);
        if let Some(bearer) = &self.bearer {
            request
                .metadata_mut()
                .insert("authorization", bearer.clone());
        }
        let receipt = self
            .client
            .submit(request)
            .await
            .map_err(|status| IngestError::Server {
                event_id: event_id.clone(),
                code: status.code(),
                message: status.message().to_string(),
            })?
            .into_inner();
        if let Some(r) = receipt.rejection {
            return Err(IngestError::Rejected {
                event_id,
                field: r.field,
                message: r.message,
            });
        }
        Ok(receipt)
    }
}
