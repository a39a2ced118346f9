//! The client and server state machines: bytes in with `handle_input`, events out with
//! `poll_event`, bytes out with `poll_transmit`. No sockets, no clocks.

pub mod client;
pub mod server;
