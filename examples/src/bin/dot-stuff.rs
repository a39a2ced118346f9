//! `dot-stuff encode|decode`: dot-stuffs standard input onto standard output (placeholder).
fn main() {}
