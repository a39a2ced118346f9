//! Streaming (placeholder)
