//! Client and server state machines. See the crate docs for the driving loop.

pub mod client;
pub mod server;
mod top;
