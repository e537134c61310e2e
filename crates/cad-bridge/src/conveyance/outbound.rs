//! Following the server's `CadIngest.Outbound` stream from where the bridge left off: the last
//! sequence handled is kept in a small state file, written after the document went out, so a
//! restart resends at most the last document and never skips one.

use dispatch_proto::v1;
use dispatch_proto::v1::cad_ingest_client::CadIngestClient;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use tonic::transport::Channel;
use tonic::{Request, Streaming};

/// The last outbound sequence handled, persisted (or only in memory without a file).
#[derive(Debug)]
pub struct Position {
    file: Option<PathBuf>,
    seq: u64,
}

impl Position {
    /// Reads the file if it exists; a missing file means "from now on" (sequence 0).
    pub fn load(file: Option<&Path>) -> io::Result<Position> {
        let seq = match file {
            Some(path) => match fs::read_to_string(path) {
                Ok(text) => text.trim().parse().map_err(|_| {
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "{}: expected the last outbound sequence (a number), found {:?}",
                            path.display(),
                            text.trim()
                        ),
                    )
                })?,
                Err(e) if e.kind() == io::ErrorKind::NotFound => 0,
                Err(e) => return Err(e),
            },
            None => 0,
        };
        Ok(Position {
            file: file.map(Path::to_path_buf),
            seq,
        })
    }

    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// Records that `seq` went out; written to a temporary file then renamed.
    pub fn advance(&mut self, seq: u64) -> io::Result<()> {
        if seq <= self.seq {
            return Ok(());
        }
        if let Some(path) = &self.file {
            let tmp = path.with_extension("tmp");
            fs::write(&tmp, format!("{seq}\n"))?;
            fs::rename(&tmp, path)?;
        }
        self.seq = seq;
        Ok(())
    }
}

/// Opens the outbound stream after `after_seq` (0: from now on).
pub async fn open(
    channel: Channel,
    token: &str,
    after_seq: u64,
) -> Result<Streaming<v1::CadUpdate>, tonic::Status> {
    let mut request = Request::new(v1::OutboundRequest { after_seq });
    // An empty token sends none: the server knows the CAD by its client certificate.
    if !token.is_empty() {
        let bearer = format!("Bearer {token}")
            .parse()
            .map_err(|_| tonic::Status::unauthenticated("the token is not usable as a header"))?;
        request.metadata_mut().insert("authorization", bearer);
    }
    Ok(CadIngestClient::new(channel)
        .outbound(request)
        .await?
        .into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_survives_a_restart_and_never_goes_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("outbound.seq");
        let mut p = Position::load(Some(&file)).unwrap();
        assert_eq!(p.seq(), 0);
        p.advance(41).unwrap();
        p.advance(7).unwrap();
        assert_eq!(Position::load(Some(&file)).unwrap().seq(), 41);
        fs::write(&file, "forty-one").unwrap();
        let err = Position::load(Some(&file)).unwrap_err();
        assert!(
            err.to_string()
                .contains("expected the last outbound sequence"),
            "{err}"
        );
    }
}
