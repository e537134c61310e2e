//! Any bytes into the EIDO parser, and any accepted document into the mapper: neither may
//! panic, hang or run out of memory.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = cad_bridge::eido::parse(data) {
        let _ = cad_bridge::eido::Mapper::new("fuzz").map(&doc);
    }
});
