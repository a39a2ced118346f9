//! SASL mechanisms.
