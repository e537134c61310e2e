//! NENA EIDO (NENA-STA-021): the JSON incident document CADs exchange. `parse` reads and
//! checks a document, `map_in` turns it into the server's CAD events, `render_out` turns the
//! server's updates back into EIDO.

mod facts;
pub mod map_in;
pub mod parse;
mod pidf;
pub mod render_out;
pub mod time;
pub mod types;

pub use map_in::{Mapped, Mapper};
pub use parse::{EidoError, MAX_DOCUMENT_BYTES, MAX_NESTING, parse, read};
pub use render_out::{Publisher, Renderer};
pub use types::Eido;
