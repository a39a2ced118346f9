//! The fixtures and our workload of the workspace's `message` bench (`benches/src/message.rs`),
//! the very same file, so the numbers line up with `cargo bench -p mail-benches --bench message`.

#[path = "../../src/message.rs"]
pub mod message;
