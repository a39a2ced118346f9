//! The protocol's nouns, with validating constructors so the encoder cannot emit invalid bytes.

mod command;
mod core;
mod fetch;
pub(crate) mod named;
mod owned;
mod response;
pub mod utf7;

pub use self::command::*;
pub use self::core::*;
pub use self::fetch::*;
pub use self::owned::IntoOwned;
pub use self::response::*;
