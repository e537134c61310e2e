//! EIDO documents from files or stdin, and outbound documents to stdout, a JSON-lines file or
//! a directory (one file per document, written whole, for CADs that pick up files).

use crate::eido::{self, Eido, EidoError};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// One document read from a named input (`-` is stdin).
pub fn read_document(input: &str) -> Result<Eido, EidoError> {
    if input == "-" {
        return eido::read(io::stdin().lock());
    }
    let file = File::open(input).map_err(|e| EidoError::Read(format!("{input}: {e}")))?;
    eido::read(file)
}

/// Where outbound documents go.
#[derive(Debug)]
pub enum Sink {
    /// One JSON document per line on stdout.
    Stdout,
    /// One JSON document per line appended to a file.
    Lines(File),
    /// One file `<seq>.eido.json` per document in a directory, written to a temporary name
    /// and renamed, so a reader never sees half a document.
    Directory(PathBuf),
}

impl Sink {
    /// `-` is stdout; an existing directory gets one file per document; anything else is a
    /// JSON-lines file, created if missing.
    pub fn open(target: &str) -> io::Result<Sink> {
        if target == "-" {
            return Ok(Sink::Stdout);
        }
        let path = Path::new(target);
        if path.is_dir() {
            return Ok(Sink::Directory(path.to_path_buf()));
        }
        Ok(Sink::Lines(
            OpenOptions::new().create(true).append(true).open(path)?,
        ))
    }

    pub fn write(&mut self, seq: u64, doc: &Eido) -> io::Result<()> {
        match self {
            Sink::Stdout => {
                let mut out = io::stdout().lock();
                serde_json::to_writer(&mut out, doc)?;
                out.write_all(b"\n")?;
                out.flush()
            }
            Sink::Lines(file) => {
                let mut line = serde_json::to_vec(doc)?;
                line.push(b'\n');
                file.write_all(&line)?;
                file.sync_data()
            }
            Sink::Directory(dir) => {
                let name = format!("{seq:012}.eido.json");
                let tmp = dir.join(format!(".{name}.tmp"));
                fs::write(&tmp, serde_json::to_vec_pretty(doc)?)?;
                fs::rename(&tmp, dir.join(name))
            }
        }
    }
}
